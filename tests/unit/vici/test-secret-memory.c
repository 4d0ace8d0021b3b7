/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Secrets in the service's memory: no core dump, and no copy left in freed
 * memory by the VICI encoder and client, the wiped values and the key file
 * reader.  Runs under the test allocator (tests/heap-scan), which counts
 * the freed blocks that hold the fixture SECRET; each case that must leave
 * nothing has a twin that does what the code avoids (a plain GVariant,
 * GIO's file loader) and must leave something, so that a pass means the
 * allocator was looking.  The charon here is a scripted fake on a unix
 * socket that reads into static memory; tests/netns does the same against
 * a real one. */
#include "config.h"

#include <dlfcn.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "nm-l2tp-secret-memory.h"
#include "nm-l2tp-vici-client.h"
#include "nm-l2tp-vici-wire.h"
#include "nm-l2tp-wiped.h"

/* The pattern the allocator looks for (meson.build sets it). */
#define SECRET "vici-secret-fixture-Zq3"

static unsigned long (*scan_hits)(void);

/* ---- requests ------------------------------------------------------------ */

/* A load-shared request as nm-l2tp-ipsec.c makes it, with enough around
 * the secret that the encoder's buffer grows several times after the
 * secret is in it.  @plain: the secret as a plain GVariant. */
static GVariant *
load_shared_request(gboolean plain)
{
    GVariantBuilder b;
    const char     *owners[] = { "192.0.2.2", NULL };

    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&b, "{sv}", "id", g_variant_new_string("nm-l2tp-test"));
    g_variant_builder_add(&b, "{sv}", "type", g_variant_new_string("IKE"));
    g_variant_builder_add(
        &b,
        "{sv}",
        "data",
        plain ? g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, SECRET, strlen(SECRET), 1) :
                nm_l2tp_wiped_bytestring_new(SECRET, strlen(SECRET)));
    g_variant_builder_add(&b, "{sv}", "owners", g_variant_new_strv(owners, -1));
    for (guint i = 0; i < 200; i++) {
        g_autofree char *key = g_strdup_printf("filler-%u", i);

        g_variant_builder_add(&b, "{sv}", key, g_variant_new_string("0123456789abcdef"));
    }
    return g_variant_ref_sink(g_variant_builder_end(&b));
}

static void
test_encode(void)
{
    unsigned long before = scan_hits();

    for (guint i = 0; i < 2; i++) {
        g_autoptr(GVariant) req = load_shared_request(FALSE);
        g_autoptr(GBytes) pkt =
            nm_l2tp_vici_packet_encode(NM_L2TP_VICI_CMD_REQUEST, "load-shared", req, NULL);
        g_autoptr(GBytes) msg = nm_l2tp_vici_message_encode(req, NULL);

        g_assert_nonnull(pkt);
        g_assert_nonnull(msg);
        g_assert_cmpuint(g_bytes_get_size(pkt), >, 4096);
        g_assert_nonnull(
            memmem(g_bytes_get_data(pkt, NULL), g_bytes_get_size(pkt), SECRET, strlen(SECRET)));
    }
    g_assert_cmpuint(scan_hits(), ==, before);
}

/* The twin: the secret as GLib stores it by itself. */
static void
test_plain_variant_leaks(void)
{
    unsigned long before    = scan_hits();
    g_autoptr(GVariant) req = load_shared_request(TRUE);

    g_clear_pointer(&req, g_variant_unref);
    g_assert_cmpuint(scan_hits(), >, before);
}

static void
test_wiped_values(void)
{
    unsigned long before  = scan_hits();
    g_autoptr(GVariant) s = g_variant_ref_sink(nm_l2tp_wiped_string_new(SECRET));
    g_autoptr(GVariant) t = NULL;
    g_autoptr(GVariant) a =
        g_variant_ref_sink(nm_l2tp_wiped_bytestring_new_take(g_strdup(SECRET), strlen(SECRET)));
    gsize len;

    g_assert_cmpstr(g_variant_get_type_string(s), ==, "s");
    g_assert_cmpstr(g_variant_get_string(s, NULL), ==, SECRET);
    g_assert_true(g_variant_is_normal_form(s));
    g_assert_cmpmem(g_variant_get_fixed_array(a, &len, 1), len, SECRET, strlen(SECRET));
    /* In a tuple, as a D-Bus reply carries it. */
    t = g_variant_ref_sink(g_variant_new_tuple((GVariant *[]){ g_variant_ref(s) }, 1));
    g_clear_pointer(&t, g_variant_unref);
    g_clear_pointer(&s, g_variant_unref);
    g_clear_pointer(&a, g_variant_unref);
    g_assert_cmpuint(scan_hits(), ==, before);
}

/* ---- the client, against a fake charon ----------------------------------- */

/* Static, not on the heap: what the fake charon reads is not scanned. */
static guint8 served[NM_L2TP_VICI_MAX_PACKET];

static gboolean
read_exactly(GSocket *sock, guint8 *buf, gsize len)
{
    gsize got = 0;

    while (got < len) {
        gssize n = g_socket_receive(sock, (char *)buf + got, len - got, NULL, NULL);

        if (n <= 0)
            return FALSE;
        got += n;
    }
    return TRUE;
}

/* Answers every command "success = yes" until the client hangs up. */
static gpointer
fake_charon(gpointer data)
{
    GSocket *listener       = data;
    g_autoptr(GSocket) conn = g_socket_accept(listener, NULL, NULL);
    g_autoptr(GVariant) ok  = g_variant_ref_sink(g_variant_new_parsed("{'success': <'yes'>}"));
    g_autoptr(GBytes) answer =
        nm_l2tp_vici_packet_encode(NM_L2TP_VICI_CMD_RESPONSE, NULL, ok, NULL);
    guint8 head[4];

    g_assert_nonnull(conn);
    while (read_exactly(conn, head, 4)) {
        guint32     len = ((guint32)head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3];
        gsize       size;
        const char *p = g_bytes_get_data(answer, &size);

        g_assert_cmpuint(len, <=, sizeof served);
        if (!read_exactly(conn, served, len))
            break;
        explicit_bzero(served, len);
        g_assert_cmpint(g_socket_send(conn, p, size, NULL, NULL), ==, (gssize)size);
    }
    return NULL;
}

typedef struct {
    GMainLoop        *loop;
    NML2tpViciClient *client;
    guint             pending;
} Calls;

static void
connected_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Calls *c = user_data;

    c->client = nm_l2tp_vici_client_new_finish(result, NULL);
    g_main_loop_quit(c->loop);
}

static void
called_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Calls *c                     = user_data;
    g_autoptr(GError) error      = NULL;
    g_autoptr(GVariant) response = nm_l2tp_vici_client_call_finish(c->client, result, &error);

    g_assert_no_error(error);
    g_assert_true(nm_l2tp_vici_check_success(response, "load-shared", NULL));
    if (--c->pending == 0)
        g_main_loop_quit(c->loop);
}

static void
test_client(void)
{
    g_autofree char *dir           = g_dir_make_tmp("secret-memory-XXXXXX", NULL);
    g_autofree char *path          = g_build_filename(dir, "charon.vici", NULL);
    g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);
    g_autoptr(GSocket) listener =
        g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, NULL);
    Calls         c = { .loop = g_main_loop_new(NULL, FALSE) };
    GThread      *thread;
    unsigned long before;

    g_assert_true(g_socket_bind(listener, addr, TRUE, NULL));
    g_assert_true(g_socket_listen(listener, NULL));
    thread = g_thread_new("fake-charon", fake_charon, listener);
    nm_l2tp_vici_client_new_async(path, NULL, connected_cb, &c);
    g_main_loop_run(c.loop);
    g_assert_nonnull(c.client);

    before = scan_hits();
    /* Three in a row: pipelined, as the service sends them. */
    for (c.pending = 0; c.pending < 3; c.pending++) {
        nm_l2tp_vici_client_call_async(
            c.client, "load-shared", load_shared_request(FALSE), NULL, called_cb, &c);
    }
    g_main_loop_run(c.loop);
    nm_l2tp_vici_client_close(c.client);
    g_clear_object(&c.client);
    g_thread_join(thread);
    g_assert_cmpuint(scan_hits(), ==, before);

    g_main_loop_unref(c.loop);
    g_unlink(path);
    g_rmdir(dir);
}

/* ---- the key file reader -------------------------------------------------- */

typedef struct {
    GMainLoop *loop;
    gboolean   ok;
    char      *contents;
    gsize      len;
    GError    *error;
} Load;

static void
secret_loaded_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Load *l = user_data;

    l->ok =
        nm_l2tp_secret_file_load_finish(G_FILE(source), result, &l->contents, &l->len, &l->error);
    g_main_loop_quit(l->loop);
}

static void
gio_loaded_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Load *l = user_data;

    l->ok =
        g_file_load_contents_finish(G_FILE(source), result, &l->contents, &l->len, NULL, &l->error);
    g_main_loop_quit(l->loop);
}

static void
load(GFile *file, gboolean with_gio, Load *l)
{
    l->loop = g_main_loop_new(NULL, FALSE);
    if (with_gio)
        g_file_load_contents_async(file, NULL, gio_loaded_cb, l);
    else
        nm_l2tp_secret_file_load_async(file, NULL, secret_loaded_cb, l);
    g_main_loop_run(l->loop);
    g_main_loop_unref(l->loop);
}

/* A PEM-like key file: the secret inside a few hundred bytes of text. */
static GFile *
write_key_file(const char *dir, gsize size)
{
    g_autofree char *path   = g_build_filename(dir, "key.pem", NULL);
    GString         *text   = g_string_new("-----BEGIN PRIVATE KEY-----\n");
    g_autoptr(GError) error = NULL;

    g_string_append(text, SECRET);
    while (text->len < size)
        g_string_append_c(text, 'A');
    g_string_truncate(text, size);
    g_file_set_contents(path, text->str, text->len, &error);
    g_assert_no_error(error);
    explicit_bzero(text->str, text->len);
    g_string_free(text, TRUE);
    return g_file_new_for_path(path);
}

static void
test_key_file(void)
{
    g_autofree char *dir  = g_dir_make_tmp("secret-memory-XXXXXX", NULL);
    g_autoptr(GFile) file = write_key_file(dir, 300);
    g_autoptr(GFile) big  = NULL;
    g_autoptr(GFile) none = g_file_new_for_path("/nonexistent/key.pem");
    unsigned long before;
    Load          l = { 0 };

    before = scan_hits();
    load(file, FALSE, &l);
    g_assert_no_error(l.error);
    g_assert_true(l.ok);
    g_assert_cmpuint(l.len, ==, 300);
    g_assert_cmpuint(strlen(l.contents), ==, 300);
    g_assert_nonnull(strstr(l.contents, SECRET));
    explicit_bzero(l.contents, l.len);
    g_free(l.contents);
    g_assert_cmpuint(scan_hits(), ==, before);

    /* The twin: GIO's loader grows its buffer and frees the first one. */
    l = (Load){ 0 };
    load(file, TRUE, &l);
    g_assert_true(l.ok);
    explicit_bzero(l.contents, l.len);
    g_free(l.contents);
    g_assert_cmpuint(scan_hits(), >, before);

    /* Larger than any VICI value, and missing: refused with the path. */
    big = write_key_file(dir, 70000);
    l   = (Load){ 0 };
    load(big, FALSE, &l);
    g_assert_false(l.ok);
    g_assert_nonnull(strstr(l.error->message, "key.pem is larger than 65535 bytes"));
    g_clear_error(&l.error);
    l = (Load){ 0 };
    load(none, FALSE, &l);
    g_assert_false(l.ok);
    g_assert_error(l.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_clear_error(&l.error);

    g_file_delete(file, NULL, NULL);
    g_file_delete(big, NULL, NULL);
    g_rmdir(dir);
}

/* ---- core dumps ------------------------------------------------------------ */

static void
test_harden(void)
{
    g_autoptr(GError) error = NULL;
    struct rlimit core;

    g_assert_true(nm_l2tp_harden_process(&error));
    g_assert_no_error(error);
    g_assert_cmpint(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
    g_assert_cmpint(getrlimit(RLIMIT_CORE, &core), ==, 0);
    g_assert_cmpuint(core.rlim_cur, ==, 0);
    g_assert_cmpuint(core.rlim_max, ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    scan_hits = (unsigned long (*)(void))dlsym(RTLD_DEFAULT, "nm_l2tp_heap_scan_hits");
    if (!scan_hits) {
        g_printerr("Bail out! not running under nm-l2tp-heap-scan.so (LD_PRELOAD)\n");
        return 1;
    }
    g_test_add_func("/secret-memory/encode", test_encode);
    g_test_add_func("/secret-memory/plain-variant-leaks", test_plain_variant_leaks);
    g_test_add_func("/secret-memory/wiped-values", test_wiped_values);
    g_test_add_func("/secret-memory/client", test_client);
    g_test_add_func("/secret-memory/key-file", test_key_file);
    g_test_add_func("/secret-memory/harden", test_harden);
    return g_test_run();
}
