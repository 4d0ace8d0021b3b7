/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The certificates and keys of a connection are read with its owners'
 * rights (nm-plugin/nm-l2tp-user-files.c), with real unprivileged users:
 * nobody and daemon.  Needs root to switch users; as another user the
 * cases that read files are skipped. */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-file.h"
#include "nm-l2tp-owner.h"
#include "nm-l2tp-user-files.h"

static struct {
    char *dir;  /* 0755, the files */
    char *dest; /* 0700, the copies */
    uid_t nobody;
    uid_t daemon;
} fx;

static gboolean
have_root(void)
{
    if (geteuid() == 0)
        return TRUE;
    g_test_skip("needs root: it reads files as other users");
    return FALSE;
}

static char *
fx_path(const char *name)
{
    return g_build_filename(fx.dir, name, NULL);
}

static void
write_file(const char *name, const char *data, gsize len, mode_t mode, uid_t uid)
{
    g_autofree char *path   = fx_path(name);
    g_autoptr(GError) error = NULL;

    g_file_set_contents_full(path, data, len, G_FILE_SET_CONTENTS_NONE, mode, &error);
    g_assert_no_error(error);
    g_assert_cmpint(chown(path, uid, 0), ==, 0);
    g_assert_cmpint(chmod(path, mode), ==, 0);
}

/* A key-like file: bytes a text reader would mangle, to show the copy is
 * byte for byte. */
static const char nobody_key[] = "-----BEGIN PRIVATE KEY-----\n\0\xff\x01nobody\n";

static void
fixture_setup(void)
{
    g_autofree char *big  = g_malloc0(NM_L2TP_CERT_FILE_MAX_SIZE + 1);
    g_autofree char *fifo = NULL;
    g_autofree char *dir  = NULL;
    g_autofree char *link = NULL;
    g_autofree char *root = NULL;

    fx.dir  = g_dir_make_tmp("nm-l2tp-user-files-XXXXXX", NULL);
    fx.dest = g_dir_make_tmp("nm-l2tp-user-files-dest-XXXXXX", NULL);
    g_assert_nonnull(fx.dir);
    g_assert_cmpint(chmod(fx.dir, 0755), ==, 0);
    fx.nobody = getpwnam("nobody")->pw_uid;
    fx.daemon = getpwnam("daemon")->pw_uid;

    write_file("nobody.key", nobody_key, sizeof(nobody_key) - 1, 0600, fx.nobody);
    write_file("world.pem", "-----BEGIN CERTIFICATE-----\nworld\n", 35, 0644, 0);
    write_file("root-only.key", "root's key\n", 11, 0600, 0);
    write_file("daemon.key", "daemon's key\n", 13, 0600, fx.daemon);
    memset(big, 'A', NM_L2TP_CERT_FILE_MAX_SIZE + 1);
    write_file("big.pem", big, NM_L2TP_CERT_FILE_MAX_SIZE + 1, 0644, 0);
    fifo = fx_path("fifo");
    g_assert_cmpint(mkfifo(fifo, 0666), ==, 0);
    g_assert_cmpint(chmod(fifo, 0666), ==, 0);
    dir = fx_path("dir");
    g_assert_cmpint(g_mkdir(dir, 0755), ==, 0);
    link = fx_path("link-to-root-only");
    root = fx_path("root-only.key");
    g_assert_cmpint(symlink(root, link), ==, 0);
}

static void
remove_all(const char *path)
{
    g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(path, name, NULL);

        if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
            remove_all(p);
        else
            g_unlink(p);
    }
    g_rmdir(path);
}

static guint
dest_count(void)
{
    g_autoptr(GDir) d = g_dir_open(fx.dest, 0, NULL);
    guint n           = 0;

    while (d && g_dir_read_name(d))
        n++;
    return n;
}

/* ---- running the operation ------------------------------------------------ */

typedef struct {
    GMainLoop      *loop;
    NML2tpSettings *settings;
    GError         *error;
    gboolean        ok;
    gboolean        done;
    gboolean        is_private; /* the report gets an owner */
    uid_t           report_uid;
    gid_t           report_gid;
} Run;

static void
copied_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Run *run = user_data;

    run->ok   = nm_l2tp_user_files_copy_finish(result, run->settings, &run->error);
    run->done = TRUE;
    if (run->ok)
        run->is_private =
            nm_l2tp_user_files_get_report_owner(result, &run->report_uid, &run->report_gid);
    g_main_loop_quit(run->loop);
}

static gboolean
too_long_cb(gpointer user_data)
{
    g_error("the copy did not finish within 20 s (a FIFO or device blocked it?)");
    return G_SOURCE_REMOVE;
}

/* Settings of a certificate connection whose machine-key is @key; the
 * other files are world-readable. */
static NML2tpSettings *
settings_with_key(const char *key)
{
    g_autoptr(GHashTable) data = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    g_autoptr(GError) error    = NULL;
    NML2tpSettings *s;

    g_hash_table_insert(data, "gateway", g_strdup("192.0.2.1"));
    g_hash_table_insert(data, "ipsec-enabled", g_strdup("yes"));
    g_hash_table_insert(data, "machine-auth-type", g_strdup("tls"));
    g_hash_table_insert(data, "machine-ca", fx_path("world.pem"));
    g_hash_table_insert(data, "machine-cert", fx_path("world.pem"));
    g_hash_table_insert(data, "machine-key", key[0] == '/' ? g_strdup(key) : fx_path(key));
    /* Set but unused (password authentication): not read, and cleared. */
    g_hash_table_insert(data, "user-ca", fx_path("root-only.key"));
    s = nm_l2tp_settings_new_from_hash(data, NULL, NM_L2TP_VALIDATE_FOR_CONNECT, &error);
    g_assert_no_error(error);
    return s;
}

static Run *
run_copy(NML2tpSettings *settings, const char *const *owners, GCancellable *cancellable)
{
    Run  *run = g_new0(Run, 1);
    guint guard;

    run->loop     = g_main_loop_new(NULL, FALSE);
    run->settings = settings;
    guard         = g_timeout_add_seconds(20, too_long_cb, NULL);
    nm_l2tp_user_files_copy_async(settings, owners, fx.dest, cancellable, copied_cb, run);
    /* Asynchronous: nothing is done before the main loop runs. */
    g_assert_false(run->done);
    g_main_loop_run(run->loop);
    g_source_remove(guard);
    g_main_loop_unref(run->loop);
    return run;
}

static void
run_free(Run *run)
{
    g_clear_error(&run->error);
    g_free(run);
}

static void
assert_refused(const char *key, const char *const *owners, int code, const char *reason)
{
    g_autoptr(NML2tpSettings) s = settings_with_key(key);
    g_autofree char *before     = g_strdup(s->machine_key);
    Run             *run        = run_copy(s, owners, NULL);

    g_assert_false(run->ok);
    g_assert_error(run->error, NM_L2TP_ERROR, code);
    /* A missing user is not about one file; every other refusal is. */
    if ((code != NM_L2TP_ERROR_UNKNOWN_USER && !strstr(run->error->message, "“machine-key”"))
        || !strstr(run->error->message, reason))
        g_error("error for %s is \"%s\", which does not name the key and \"%s\"",
                key,
                run->error->message,
                reason);
    /* Nothing changed: no copy left, the settings as they were. */
    g_assert_cmpuint(dest_count(), ==, 0);
    g_assert_cmpstr(s->machine_key, ==, before);
    run_free(run);
}

/* ---- cases ------------------------------------------------------------------ */

static void
test_private_copy(void)
{
    const char *const owners[]  = { "nobody", NULL };
    g_autoptr(NML2tpSettings) s = NULL;
    g_autofree char *expected   = NULL;
    g_autofree char *data       = NULL;
    gsize            len;
    struct stat      st;
    Run             *run;

    if (!have_root())
        return;
    s   = settings_with_key("nobody.key");
    run = run_copy(s, owners, NULL);
    g_assert_no_error(run->error);
    g_assert_true(run->ok);

    expected = g_build_filename(fx.dest, "machine-key", NULL);
    g_assert_cmpstr(s->machine_key, ==, expected);
    g_assert_true(g_file_get_contents(s->machine_key, &data, &len, NULL));
    g_assert_cmpmem(data, len, nobody_key, sizeof(nobody_key) - 1);
    g_assert_cmpint(lstat(s->machine_key, &st), ==, 0);
    g_assert_true(S_ISREG(st.st_mode));
    g_assert_cmpint(st.st_mode & 07777, ==, 0600);
    g_assert_cmpint(st.st_uid, ==, 0);
    g_assert_cmpint(st.st_gid, ==, 0);
    g_assert_true(g_str_has_prefix(s->machine_cert, fx.dest));
    g_assert_true(g_str_has_prefix(s->machine_ca, fx.dest));
    /* pppd and charon never see the user's paths, nor the unused one. */
    g_assert_null(s->user_ca);
    g_assert_cmpuint(dest_count(), ==, 3);
    /* The report is nobody's. */
    g_assert_true(run->is_private);
    g_assert_cmpint(run->report_uid, ==, fx.nobody);
    run_free(run);
    remove_all(fx.dest);
    g_assert_cmpint(g_mkdir(fx.dest, 0700), ==, 0);
}

static void
test_private_refused(void)
{
    const char *const owners[] = { "nobody", NULL };

    if (!have_root())
        return;
    assert_refused("root-only.key", owners, NM_L2TP_ERROR_NOT_READABLE, "not readable by nobody");
    assert_refused("daemon.key", owners, NM_L2TP_ERROR_NOT_READABLE, "not readable by nobody");
    assert_refused(
        "link-to-root-only", owners, NM_L2TP_ERROR_NOT_READABLE, "not readable by nobody");
    assert_refused("/dev/zero", owners, NM_L2TP_ERROR_NOT_REGULAR, "not a regular file");
    assert_refused("fifo", owners, NM_L2TP_ERROR_NOT_REGULAR, "not a regular file");
    assert_refused("dir", owners, NM_L2TP_ERROR_NOT_REGULAR, "not a regular file");
    assert_refused("big.pem", owners, NM_L2TP_ERROR_TOO_LARGE, "larger than 1024 KiB");
}

/* Any named user may activate the connection: each must read each file. */
static void
test_several_owners(void)
{
    const char *const owners[]  = { "nobody", "daemon", NULL };
    g_autoptr(NML2tpSettings) s = NULL;
    Run *run;

    if (!have_root())
        return;
    assert_refused("nobody.key", owners, NM_L2TP_ERROR_NOT_READABLE, "not readable by daemon");
    assert_refused("daemon.key", owners, NM_L2TP_ERROR_NOT_READABLE, "not readable by nobody");
    s   = settings_with_key("world.pem");
    run = run_copy(s, owners, NULL);
    g_assert_no_error(run->error);
    /* Several owners: the report stays root's. */
    g_assert_true(run->is_private);
    g_assert_cmpint(run->report_uid, ==, 0);
    run_free(run);
    remove_all(fx.dest);
    g_assert_cmpint(g_mkdir(fx.dest, 0700), ==, 0);
}

static void
test_unknown_user(void)
{
    const char *const owners[] = { "nobody", "nm-l2tp-no-such-user", NULL };

    if (!have_root())
        return;
    assert_refused("world.pem", owners, NM_L2TP_ERROR_UNKNOWN_USER, "nm-l2tp-no-such-user");
}

/* A system connection: root reads, but still only regular files under
 * the cap. */
static void
test_system(void)
{
    g_autoptr(NML2tpSettings) s = NULL;
    g_autofree char *data       = NULL;
    Run             *run;

    if (!have_root())
        return;
    s   = settings_with_key("root-only.key");
    run = run_copy(s, NULL, NULL);
    g_assert_no_error(run->error);
    g_assert_true(g_file_get_contents(s->machine_key, &data, NULL, NULL));
    g_assert_cmpstr(data, ==, "root's key\n");
    g_assert_false(run->is_private);
    run_free(run);
    remove_all(fx.dest);
    g_assert_cmpint(g_mkdir(fx.dest, 0700), ==, 0);

    assert_refused("/dev/zero", NULL, NM_L2TP_ERROR_NOT_REGULAR, "not a regular file");
    assert_refused("fifo", NULL, NM_L2TP_ERROR_NOT_REGULAR, "not a regular file");
    assert_refused("big.pem", NULL, NM_L2TP_ERROR_TOO_LARGE, "larger than 1024 KiB");
}

static void
test_cancelled(void)
{
    const char *const owners[]         = { "nobody", NULL };
    g_autoptr(GCancellable) cancelled  = g_cancellable_new();
    g_autoptr(NML2tpSettings) settings = NULL;
    Run *run;

    if (!have_root())
        return;
    settings = settings_with_key("nobody.key");
    g_cancellable_cancel(cancelled);
    run = run_copy(settings, owners, cancelled);
    g_assert_error(run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint(dest_count(), ==, 0);
    run_free(run);
}

/* connection.permissions: user names in order, once each; nothing for a
 * system connection; another type refused. */
static void
test_owner_names(void)
{
    g_autoptr(NMConnection) conn = nm_simple_connection_new();
    NMSettingConnection *s_con   = NM_SETTING_CONNECTION(nm_setting_connection_new());
    g_autoptr(GError) error      = NULL;
    g_auto(GStrv) names          = NULL;

    nm_connection_add_setting(conn, NM_SETTING(s_con));
    names = nm_l2tp_connection_dup_owner_names(conn, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(g_strv_length(names), ==, 0);
    g_clear_pointer(&names, g_strfreev);

    nm_setting_connection_add_permission(s_con, "user", "bob", NULL);
    nm_setting_connection_add_permission(s_con, "user", "alice", NULL);
    names = nm_l2tp_connection_dup_owner_names(conn, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(g_strv_length(names), ==, 2);
    g_assert_cmpstr(names[0], ==, "bob");
    g_assert_cmpstr(names[1], ==, "alice");
}

static void
test_owner_lookup(void)
{
    g_autoptr(GError) error      = NULL;
    g_autoptr(NML2tpOwner) owner = nm_l2tp_owner_lookup("daemon", &error);

    g_assert_no_error(error);
    g_assert_cmpint(owner->uid, ==, getpwnam("daemon")->pw_uid);
    g_assert_cmpint(owner->n_groups, >=, 1);
    g_assert_cmpint(owner->groups[0], ==, owner->gid);
    g_clear_pointer(&owner, nm_l2tp_owner_free);
    owner = nm_l2tp_owner_lookup("nm-l2tp-no-such-user", &error);
    g_assert_null(owner);
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_UNKNOWN_USER);
    g_assert_nonnull(strstr(error->message, "“nm-l2tp-no-such-user”"));
}

int
main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    if (geteuid() == 0)
        fixture_setup();
    g_test_add_func("/user-files/owner-names", test_owner_names);
    g_test_add_func("/user-files/owner-lookup", test_owner_lookup);
    g_test_add_func("/user-files/private-copy", test_private_copy);
    g_test_add_func("/user-files/private-refused", test_private_refused);
    g_test_add_func("/user-files/several-owners", test_several_owners);
    g_test_add_func("/user-files/unknown-user", test_unknown_user);
    g_test_add_func("/user-files/system", test_system);
    g_test_add_func("/user-files/cancelled", test_cancelled);
    ret = g_test_run();
    if (fx.dir) {
        remove_all(fx.dir);
        remove_all(fx.dest);
    }
    return ret;
}
