/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pppd plugin reads its "key" file only to tell an encrypted key from
 * a plain one.  It must do so safely: pppd runs as root, and whatever the
 * path names (a FIFO, a device, a symbolic link, a huge file) it answers
 * at once and reads no more than the cap. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nm-l2tp-file.h"
#include "nm-l2tp-pppd-keyfile.h"

static char *dir;

typedef struct {
    GMutex      lock;
    GCond       cond;
    const char *path;
    gboolean    done;
    gboolean    result;
} Call;

static gpointer
call_thread(gpointer data)
{
    Call    *call   = data;
    gboolean result = nm_l2tp_pppd_key_is_encrypted(call->path);

    g_mutex_lock(&call->lock);
    call->result = result;
    call->done   = TRUE;
    g_cond_signal(&call->cond);
    g_mutex_unlock(&call->lock);
    return NULL;
}

/* The answer for @path, which must come within 5 s: a FIFO or a device
 * that blocks the reader would block pppd. */
static gboolean
is_encrypted(const char *path)
{
    Call    *call = g_new0(Call, 1);
    gint64   end  = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    gboolean result;

    call->path = path;
    g_mutex_init(&call->lock);
    g_cond_init(&call->cond);
    g_thread_unref(g_thread_new("key-reader", call_thread, call));
    g_mutex_lock(&call->lock);
    while (!call->done) {
        if (!g_cond_wait_until(&call->cond, &call->lock, end))
            g_error("reading %s did not return within 5 s", path);
    }
    result = call->result;
    g_mutex_unlock(&call->lock);
    g_free(call);
    return result;
}

static char *
write_key(const char *name, const char *text)
{
    char *path = g_build_filename(dir, name, NULL);

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

static void
test_encrypted(void)
{
    g_autofree char *pkcs8 =
        write_key("pkcs8.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF\n");
    g_autofree char *trad = write_key(
        "trad.key", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: x\n");
    g_autofree char *plain = write_key("plain.key", "-----BEGIN PRIVATE KEY-----\nMIIE\n");

    g_assert_true(is_encrypted(pkcs8));
    g_assert_true(is_encrypted(trad));
    g_assert_false(is_encrypted(plain));
    g_assert_false(is_encrypted(NULL));
}

/* pppd is given a root-owned copy; a symbolic link in its place is not
 * that copy and is not followed. */
static void
test_symlink(void)
{
    g_autofree char *target =
        write_key("target.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF\n");
    g_autofree char *link = g_build_filename(dir, "link.key", NULL);

    g_assert_cmpint(symlink(target, link), ==, 0);
    g_assert_true(is_encrypted(target));
    g_assert_false(is_encrypted(link));
}

static void
test_not_regular(void)
{
    g_autofree char *fifo = g_build_filename(dir, "fifo.key", NULL);

    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    g_assert_false(is_encrypted(fifo));
    g_assert_false(is_encrypted("/dev/zero"));
    g_assert_false(is_encrypted(dir));
}

/* A file over the cap is not read at all, whatever it starts with. */
static void
test_too_large(void)
{
    g_autofree char *path   = g_build_filename(dir, "huge.key", NULL);
    const char       head[] = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n";
    g_autofree char *data   = g_malloc0(NM_L2TP_CERT_FILE_MAX_SIZE + 1);

    memset(data, 'A', NM_L2TP_CERT_FILE_MAX_SIZE + 1);
    memcpy(data, head, strlen(head));
    g_assert_true(g_file_set_contents(path, data, NM_L2TP_CERT_FILE_MAX_SIZE + 1, NULL));
    g_assert_false(is_encrypted(path));
}

static void
remove_dir(void)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(dir, name, NULL);

        g_unlink(p);
    }
    g_rmdir(dir);
}

int
main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    dir = g_dir_make_tmp("nm-l2tp-pppd-keyfile-XXXXXX", NULL);
    g_test_add_func("/pppd-keyfile/encrypted", test_encrypted);
    g_test_add_func("/pppd-keyfile/symlink", test_symlink);
    g_test_add_func("/pppd-keyfile/not-regular", test_not_regular);
    g_test_add_func("/pppd-keyfile/too-large", test_too_large);
    ret = g_test_run();
    remove_dir();
    g_free(dir);
    return ret;
}
