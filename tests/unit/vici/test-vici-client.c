/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VICI client against a scripted fake charon on a unix socket: events
 * interleaved with responses, packets written a byte at a time, queued
 * requests answered in order, cancellation, unknown commands and events,
 * and a peer that sends garbage. */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-vici-client.h"
#include "nm-l2tp-vici-wire.h"

/* ---- the fake charon (runs in its own thread, blocking I/O) ------------ */

static void
send_bytes(GOutputStream *out, GBytes *bytes, gboolean trickle)
{
    gsize         len, i;
    const guint8 *d = g_bytes_get_data(bytes, &len);

    if (!trickle) {
        g_output_stream_write_all(out, d, len, NULL, NULL, NULL);
        return;
    }
    /* One byte per write, so the client sees the packet in pieces. */
    for (i = 0; i < len; i++) {
        g_output_stream_write_all(out, d + i, 1, NULL, NULL, NULL);
        g_output_stream_flush(out, NULL, NULL);
    }
}

static void
send_packet(GOutputStream       *out,
            NML2tpViciPacketType type,
            const char          *name,
            GVariant            *msg,
            gboolean             trickle)
{
    g_autoptr(GBytes) b = nm_l2tp_vici_packet_encode(type, name, msg, NULL);

    send_bytes(out, b, trickle);
}

static gboolean
serve(GThreadedSocketService *service, GSocketConnection *conn, GObject *source, gpointer user_data)
{
    GInputStream  *in               = g_io_stream_get_input_stream(G_IO_STREAM(conn));
    GOutputStream *out              = g_io_stream_get_output_stream(G_IO_STREAM(conn));
    g_autoptr(NML2tpViciReader) rdr = nm_l2tp_vici_reader_new();
    guint8 buf[4096];

    for (;;) {
        g_autoptr(NML2tpViciPacket) p = NULL;
        gssize n;

        while (!(p = nm_l2tp_vici_reader_next(rdr, NULL))) {
            n = g_input_stream_read(in, buf, sizeof buf, NULL, NULL);
            if (n <= 0)
                return TRUE;
            nm_l2tp_vici_reader_feed(rdr, buf, (gsize)n);
        }
        if (p->type == NM_L2TP_VICI_EVENT_REGISTER || p->type == NM_L2TP_VICI_EVENT_UNREGISTER) {
            send_packet(out,
                        g_str_equal(p->name, "nope") ? NM_L2TP_VICI_EVENT_UNKNOWN :
                                                       NM_L2TP_VICI_EVENT_CONFIRM,
                        NULL,
                        NULL,
                        FALSE);
        } else if (g_str_equal(p->name, "echo")) {
            g_autoptr(GVariant) ev =
                g_variant_ref_sink(g_variant_new_parsed("{'msg': <'working'>, 'group': <'IKE'>}"));

            send_packet(out, NM_L2TP_VICI_EVENT, "control-log", ev, TRUE);
            send_packet(out, NM_L2TP_VICI_CMD_RESPONSE, NULL, p->message, TRUE);
        } else if (g_str_equal(p->name, "slow")) {
            g_usleep(200 * 1000);
            send_packet(out, NM_L2TP_VICI_CMD_RESPONSE, NULL, p->message, FALSE);
        } else if (g_str_equal(p->name, "garbage")) {
            static const guint8 bad[] = { 0, 0, 0, 2, 1, 9 };
            g_autoptr(GBytes) b       = g_bytes_new_static(bad, sizeof bad);

            send_bytes(out, b, FALSE);
        } else {
            send_packet(out, NM_L2TP_VICI_CMD_UNKNOWN, NULL, NULL, FALSE);
        }
    }
}

/* ---- the tests ---------------------------------------------------------- */

typedef struct {
    char             *dir;
    char             *path;
    GSocketService   *service;
    GMainLoop        *loop;
    NML2tpViciClient *client;
    GPtrArray        *log; /* what happened, in order */
    guint             pending;
    gboolean          closed;
} Fixture;

static void
on_event(NML2tpViciClient *client, const char *name, GVariant *msg, gpointer user_data)
{
    Fixture *f = user_data;

    g_ptr_array_add(
        f->log, g_strdup_printf("event %s %s", name, nm_l2tp_vici_message_get_string(msg, "msg")));
}

static void
on_closed(NML2tpViciClient *client, GError *error, gpointer user_data)
{
    Fixture *f = user_data;

    f->closed = TRUE;
}

static void
new_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Fixture *f              = user_data;
    g_autoptr(GError) error = NULL;

    f->client = nm_l2tp_vici_client_new_finish(result, &error);
    g_assert_no_error(error);
    g_main_loop_quit(f->loop);
}

static void
setup(Fixture *f, gconstpointer data)
{
    g_autoptr(GSocketAddress) addr = NULL;
    g_autoptr(GError) error        = NULL;

    f->dir     = g_dir_make_tmp("vici-test-XXXXXX", &error);
    f->path    = g_build_filename(f->dir, "charon.vici", NULL);
    f->service = g_threaded_socket_service_new(4);
    addr       = g_unix_socket_address_new(f->path);
    g_socket_listener_add_address(G_SOCKET_LISTENER(f->service),
                                  addr,
                                  G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_DEFAULT,
                                  NULL,
                                  NULL,
                                  &error);
    g_assert_no_error(error);
    g_signal_connect(f->service, "run", G_CALLBACK(serve), NULL);
    g_socket_service_start(f->service);
    f->loop = g_main_loop_new(NULL, FALSE);
    f->log  = g_ptr_array_new_with_free_func(g_free);
    nm_l2tp_vici_client_new_async(f->path, NULL, new_cb, f);
    g_main_loop_run(f->loop);
    g_signal_connect(f->client, "event", G_CALLBACK(on_event), f);
    g_signal_connect(f->client, "closed", G_CALLBACK(on_closed), f);
}

static void
teardown(Fixture *f, gconstpointer data)
{
    g_clear_object(&f->client);
    g_socket_service_stop(f->service);
    g_socket_listener_close(G_SOCKET_LISTENER(f->service));
    g_clear_object(&f->service);
    g_unlink(f->path);
    g_rmdir(f->dir);
    g_free(f->path);
    g_free(f->dir);
    g_ptr_array_unref(f->log);
    g_main_loop_unref(f->loop);
}

static char *
describe_error(const GError *error)
{
    return g_strdup_printf("error %s %d",
                           error->domain == G_IO_ERROR    ? "io" :
                           error->domain == NM_L2TP_ERROR ? "nm" :
                                                            "other",
                           error->code);
}

static void
call_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Fixture *f              = user_data;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) response =
        nm_l2tp_vici_client_call_finish(NM_L2TP_VICI_CLIENT(source), result, &error);

    if (response)
        g_ptr_array_add(
            f->log,
            g_strdup_printf("response %s", nm_l2tp_vici_message_get_string(response, "tag")));
    else
        g_ptr_array_add(f->log, describe_error(error));
    if (--f->pending == 0)
        g_main_loop_quit(f->loop);
}

static void
register_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Fixture *f              = user_data;
    g_autoptr(GError) error = NULL;

    if (nm_l2tp_vici_client_register_event_finish(NM_L2TP_VICI_CLIENT(source), result, &error))
        g_ptr_array_add(f->log, g_strdup("registered"));
    else
        g_ptr_array_add(f->log, describe_error(error));
    if (--f->pending == 0)
        g_main_loop_quit(f->loop);
}

static void
call(Fixture *f, const char *cmd, const char *tag, GCancellable *cancellable)
{
    GVariantDict d;

    g_variant_dict_init(&d, NULL);
    g_variant_dict_insert(&d, "tag", "s", tag);
    f->pending++;
    nm_l2tp_vici_client_call_async(f->client, cmd, g_variant_dict_end(&d), cancellable, call_cb, f);
}

static void
assert_log(Fixture *f, const char *const *expected)
{
    guint i;

    for (i = 0; expected[i]; i++) {
        g_assert_cmpuint(i, <, f->log->len);
        g_assert_cmpstr(f->log->pdata[i], ==, expected[i]);
    }
    g_assert_cmpuint(i, ==, f->log->len);
}

static void
test_order_and_events(Fixture *f, gconstpointer data)
{
    static const char *const expected[] = {
        "registered",  "response 1",  "event control-log working",
        "response 2",  "error io 15", /* G_IO_ERROR_NOT_SUPPORTED: CMD_UNKNOWN */
        "error io 15",                /* EVENT_UNKNOWN */
        NULL,
    };

    f->pending++;
    nm_l2tp_vici_client_register_event_async(f->client, "control-log", NULL, register_cb, f);
    call(f, "slow", "1", NULL);
    call(f, "echo", "2", NULL);
    call(f, "no-such-command", "3", NULL);
    f->pending++;
    nm_l2tp_vici_client_register_event_async(f->client, "nope", NULL, register_cb, f);
    g_main_loop_run(f->loop);
    assert_log(f, expected);
}

static void
test_cancel(Fixture *f, gconstpointer data)
{
    g_autoptr(GCancellable) c1          = g_cancellable_new();
    g_autoptr(GCancellable) c2          = g_cancellable_new();
    static const char *const expected[] = {
        "error io 19", /* in flight, cancelled */
        "error io 19", /* queued, cancelled */
        "event control-log working",
        "response 3",
        NULL,
    };

    call(f, "slow", "1", c1);
    call(f, "slow", "2", c2);
    call(f, "echo", "3", NULL);
    g_cancellable_cancel(c1);
    g_cancellable_cancel(c2);
    g_main_loop_run(f->loop);
    assert_log(f, expected);
}

static void
test_garbage(Fixture *f, gconstpointer data)
{
    call(f, "garbage", "1", NULL);
    g_main_loop_run(f->loop);
    g_assert_cmpuint(f->log->len, ==, 1);
    g_assert_true(g_str_has_prefix(f->log->pdata[0], "error nm"));
    g_assert_true(f->closed);
    g_assert_true(nm_l2tp_vici_client_is_closed(f->client));

    /* after close: fails at once */
    call(f, "echo", "2", NULL);
    g_main_loop_run(f->loop);
    g_assert_cmpstr(f->log->pdata[1], ==, "error io 18"); /* G_IO_ERROR_CLOSED */
}

static void
connect_fail_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    GMainLoop *loop                  = user_data;
    g_autoptr(GError) error          = NULL;
    g_autoptr(NML2tpViciClient) none = nm_l2tp_vici_client_new_finish(result, &error);

    g_assert_null(none);
    g_assert_nonnull(error);
    g_main_loop_quit(loop);
}

static void
test_no_socket(void)
{
    g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);

    nm_l2tp_vici_client_new_async("/nonexistent/charon.vici", NULL, connect_fail_cb, loop);
    g_main_loop_run(loop);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add(
        "/vici/client/order-and-events", Fixture, NULL, setup, test_order_and_events, teardown);
    g_test_add("/vici/client/cancel", Fixture, NULL, setup, test_cancel, teardown);
    g_test_add("/vici/client/garbage", Fixture, NULL, setup, test_garbage, teardown);
    g_test_add_func("/vici/client/no-socket", test_no_socket);
    return g_test_run();
}
