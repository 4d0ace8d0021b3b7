/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VICI client: a queue of requests over one unix socket, a read loop
 * that reassembles packets from whatever pieces the socket delivers, and a
 * dispatcher that hands responses to the request at the head of the queue
 * and events to signal handlers.
 *
 * Requests are pipelined: each one is written as soon as the one before it
 * is on the wire, without waiting for its response.  charon handles the
 * requests of one connection strictly in order and answers them in that
 * order, so the oldest request sent is the one a response belongs to.  A
 * connect makes half a dozen requests, and on a slow machine each round
 * trip costs milliseconds that add up. */

#include "config.h"

#include <gio/gunixsocketaddress.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-vici-client.h"
#include "nm-l2tp-vici-wire.h"

struct _NML2tpViciClient {
    GObject            parent;
    GSocketConnection *conn;
    GCancellable      *io_cancellable;
    NML2tpViciReader  *reader;
    GQueue             queue; /* of Op, oldest first; the sent ones lead */
    gboolean           writing;
    gboolean           closed;
    guint8             buf[16384];
};

G_DEFINE_FINAL_TYPE(NML2tpViciClient, nm_l2tp_vici_client, G_TYPE_OBJECT)

enum { SIGNAL_EVENT, SIGNAL_CLOSED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* One request.  Reference counted because a cancellation idle may still
 * point to it after the response came. */
typedef struct {
    gint                 ref;
    NML2tpViciPacketType type;
    char                *name;
    GBytes              *packet;
    GTask               *task; /* NULL once the caller got an answer */
    GCancellable        *cancellable;
    gulong               cancel_id;
    gboolean             sent;
    gboolean             queued;
} Op;

static Op *
op_ref(Op *op)
{
    op->ref++;
    return op;
}

static void
op_unref(Op *op)
{
    if (--op->ref > 0)
        return;
    g_free(op->name);
    g_bytes_unref(op->packet);
    g_clear_object(&op->task);
    g_clear_object(&op->cancellable);
    g_free(op);
}

static void maybe_send(NML2tpViciClient *self);
static void start_read(NML2tpViciClient *self);

/* Hands the caller its answer exactly once: either the value or error given
 * here, or, when it already got "cancelled", nothing. */
static void
op_finish(Op *op, GVariant *value, GError *error)
{
    g_autoptr(GTask) task = g_steal_pointer(&op->task);

    if (op->cancel_id) {
        g_cancellable_disconnect(op->cancellable, op->cancel_id);
        op->cancel_id = 0;
    }
    if (!task) {
        g_clear_error(&error);
        g_clear_pointer(&value, g_variant_unref);
        return;
    }
    if (error)
        g_task_return_error(task, error);
    else if (op->type == NM_L2TP_VICI_CMD_REQUEST)
        g_task_return_pointer(task, value, (GDestroyNotify)g_variant_unref);
    else
        g_task_return_boolean(task, TRUE);
}

static void
fail_all(NML2tpViciClient *self, const GError *error)
{
    Op *op;

    while ((op = g_queue_pop_head(&self->queue))) {
        op->queued = FALSE;
        op_finish(op, NULL, g_error_copy(error));
        op_unref(op);
    }
}

static void
close_with_error(NML2tpViciClient *self, const GError *error)
{
    if (self->closed)
        return;
    /* Failing the requests runs their callbacks, which may drop the last
     * reference to us. */
    g_object_ref(self);
    self->closed = TRUE;
    g_cancellable_cancel(self->io_cancellable);
    if (self->conn)
        g_io_stream_close(G_IO_STREAM(self->conn), NULL, NULL);
    fail_all(self, error);
    g_signal_emit(self, signals[SIGNAL_CLOSED], 0, error);
    g_object_unref(self);
}

static void
dispatch(NML2tpViciClient *self, NML2tpViciPacket *packet)
{
    Op      *head = g_queue_peek_head(&self->queue);
    gboolean is_cmd_answer, is_event_answer;

    if (packet->type == NM_L2TP_VICI_EVENT) {
        g_signal_emit(self,
                      signals[SIGNAL_EVENT],
                      g_quark_from_string(packet->name),
                      packet->name,
                      packet->message);
        return;
    }

    is_cmd_answer =
        packet->type == NM_L2TP_VICI_CMD_RESPONSE || packet->type == NM_L2TP_VICI_CMD_UNKNOWN;
    is_event_answer =
        packet->type == NM_L2TP_VICI_EVENT_CONFIRM || packet->type == NM_L2TP_VICI_EVENT_UNKNOWN;
    if (!head || !head->sent || (is_cmd_answer && head->type != NM_L2TP_VICI_CMD_REQUEST)
        || (is_event_answer && head->type == NM_L2TP_VICI_CMD_REQUEST)
        || (!is_cmd_answer && !is_event_answer)) {
        g_autoptr(GError) error = g_error_new(NM_L2TP_ERROR,
                                              NM_L2TP_ERROR_PROTOCOL,
                                              "unexpected VICI %s packet",
                                              nm_l2tp_vici_packet_type_to_string(packet->type));
        close_with_error(self, error);
        return;
    }

    g_queue_pop_head(&self->queue);
    head->queued = FALSE;
    if (packet->type == NM_L2TP_VICI_CMD_UNKNOWN || packet->type == NM_L2TP_VICI_EVENT_UNKNOWN) {
        op_finish(head,
                  NULL,
                  g_error_new(G_IO_ERROR,
                              G_IO_ERROR_NOT_SUPPORTED,
                              "charon does not know the VICI %s \"%s\"",
                              is_cmd_answer ? "command" : "event",
                              head->name));
    } else {
        op_finish(head, packet->message ? g_variant_ref(packet->message) : NULL, NULL);
    }
    op_unref(head);
    maybe_send(self);
}

/* The pending read holds only a weak reference: a client that its owner
 * drops without closing it must still be freed. */
static void
read_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GError) error = NULL;
    GWeakRef         *weak  = user_data;
    NML2tpViciClient *self  = g_weak_ref_get(weak);
    gssize            n;

    g_weak_ref_clear(weak);
    g_free(weak);
    n = g_input_stream_read_finish(G_INPUT_STREAM(source), result, &error);
    if (!self)
        return;
    if (self->closed) {
        g_object_unref(self);
        return;
    }
    if (n < 0) {
        close_with_error(self, error);
    } else if (n == 0) {
        error = g_error_new_literal(
            G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "charon closed the VICI connection");
        close_with_error(self, error);
    } else {
        nm_l2tp_vici_reader_feed(self->reader, self->buf, (gsize)n);
        while (!self->closed) {
            g_autoptr(NML2tpViciPacket) packet = nm_l2tp_vici_reader_next(self->reader, &error);

            if (!packet)
                break;
            dispatch(self, packet);
        }
        /* Any decoding error is fatal: it may have been the response to the
         * request in flight, and without it the queue cannot advance. */
        if (error)
            close_with_error(self, error);
        else if (!self->closed)
            start_read(self);
    }
    g_object_unref(self);
}

static void
start_read(NML2tpViciClient *self)
{
    GWeakRef *weak = g_new(GWeakRef, 1);

    g_weak_ref_init(weak, self);
    g_input_stream_read_async(g_io_stream_get_input_stream(G_IO_STREAM(self->conn)),
                              self->buf,
                              sizeof self->buf,
                              G_PRIORITY_DEFAULT,
                              self->io_cancellable,
                              read_cb,
                              weak);
}

static void
write_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpViciClient) self = user_data;
    g_autoptr(GError) error          = NULL;

    if (!g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), result, NULL, &error)) {
        if (!self->closed)
            close_with_error(self, error);
        return;
    }
    self->writing = FALSE;
    maybe_send(self);
}

static void
maybe_send(NML2tpViciClient *self)
{
    Op           *next = NULL;
    GList        *l;
    gsize         len;
    gconstpointer data;

    if (self->closed || self->writing)
        return;
    for (l = self->queue.head; l; l = l->next) {
        if (!((Op *)l->data)->sent) {
            next = l->data;
            break;
        }
    }
    if (!next)
        return;
    next->sent    = TRUE;
    self->writing = TRUE;
    data          = g_bytes_get_data(next->packet, &len);
    g_output_stream_write_all_async(g_io_stream_get_output_stream(G_IO_STREAM(self->conn)),
                                    data,
                                    len,
                                    G_PRIORITY_DEFAULT,
                                    self->io_cancellable,
                                    write_cb,
                                    g_object_ref(self));
}

/* Runs from an idle, never inside g_cancellable_cancel(): the caller may
 * hold locks or be in the middle of tearing things down. */
static gboolean
op_cancelled_idle(gpointer user_data)
{
    Op *op = user_data;

    if (op->task) {
        NML2tpViciClient *self = g_task_get_source_object(op->task);

        /* Not yet on the wire: drop it.  On the wire: the response still
         * has to be read and discarded, so it stays queued. */
        if (!op->sent && op->queued) {
            g_queue_remove(&self->queue, op);
            op->queued = FALSE;
            op_unref(op);
        }
        op_finish(op,
                  NULL,
                  g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled"));
    }
    op_unref(op);
    return G_SOURCE_REMOVE;
}

static void
op_cancelled(GCancellable *cancellable, gpointer user_data)
{
    g_idle_add(op_cancelled_idle, op_ref(user_data));
}

static void
enqueue(NML2tpViciClient    *self,
        NML2tpViciPacketType type,
        const char          *name,
        GVariant            *request,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data,
        gpointer             source_tag)
{
    g_autoptr(GVariant) req = request ? g_variant_ref_sink(request) : NULL;
    g_autoptr(GTask) task   = g_task_new(self, cancellable, callback, user_data);
    g_autoptr(GError) error = NULL;
    Op *op;

    g_task_set_source_tag(task, source_tag);
    /* The request's own cancellation is handled in op_cancelled_idle(). */
    g_task_set_check_cancellable(task, FALSE);
    if (self->closed) {
        g_task_return_new_error(
            task, G_IO_ERROR, G_IO_ERROR_CLOSED, "the VICI connection is closed");
        return;
    }

    op         = g_new0(Op, 1);
    op->ref    = 1;
    op->type   = type;
    op->name   = g_strdup(name);
    op->packet = nm_l2tp_vici_packet_encode(
        type, name, type == NM_L2TP_VICI_CMD_REQUEST ? req : NULL, &error);
    if (!op->packet) {
        op_unref(op);
        g_task_return_error(task, g_steal_pointer(&error));
        return;
    }
    op->task = g_steal_pointer(&task);
    if (cancellable) {
        op->cancellable = g_object_ref(cancellable);
        op->cancel_id   = g_cancellable_connect(cancellable, G_CALLBACK(op_cancelled), op, NULL);
    }
    op->queued = TRUE;
    g_queue_push_tail(&self->queue, op);
    maybe_send(self);
}

void
nm_l2tp_vici_client_call_async(NML2tpViciClient   *client,
                               const char         *command,
                               GVariant           *request,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
    g_autoptr(GVariant) empty = NULL;

    g_return_if_fail(NM_L2TP_IS_VICI_CLIENT(client));
    g_return_if_fail(command);
    if (!request)
        request = empty = g_variant_ref_sink(g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0));
    enqueue(client,
            NM_L2TP_VICI_CMD_REQUEST,
            command,
            request,
            cancellable,
            callback,
            user_data,
            nm_l2tp_vici_client_call_async);
}

GVariant *
nm_l2tp_vici_client_call_finish(NML2tpViciClient *client, GAsyncResult *result, GError **error)
{
    g_return_val_if_fail(g_task_is_valid(result, client), NULL);
    return g_task_propagate_pointer(G_TASK(result), error);
}

void
nm_l2tp_vici_client_register_event_async(NML2tpViciClient   *client,
                                         const char         *name,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data)
{
    g_return_if_fail(NM_L2TP_IS_VICI_CLIENT(client));
    enqueue(client,
            NM_L2TP_VICI_EVENT_REGISTER,
            name,
            NULL,
            cancellable,
            callback,
            user_data,
            nm_l2tp_vici_client_register_event_async);
}

gboolean
nm_l2tp_vici_client_register_event_finish(NML2tpViciClient *client,
                                          GAsyncResult     *result,
                                          GError          **error)
{
    g_return_val_if_fail(g_task_is_valid(result, client), FALSE);
    return g_task_propagate_boolean(G_TASK(result), error);
}

void
nm_l2tp_vici_client_unregister_event_async(NML2tpViciClient   *client,
                                           const char         *name,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data)
{
    g_return_if_fail(NM_L2TP_IS_VICI_CLIENT(client));
    enqueue(client,
            NM_L2TP_VICI_EVENT_UNREGISTER,
            name,
            NULL,
            cancellable,
            callback,
            user_data,
            nm_l2tp_vici_client_unregister_event_async);
}

gboolean
nm_l2tp_vici_client_unregister_event_finish(NML2tpViciClient *client,
                                            GAsyncResult     *result,
                                            GError          **error)
{
    g_return_val_if_fail(g_task_is_valid(result, client), FALSE);
    return g_task_propagate_boolean(G_TASK(result), error);
}

void
nm_l2tp_vici_client_close(NML2tpViciClient *client)
{
    g_autoptr(GError) error = NULL;

    g_return_if_fail(NM_L2TP_IS_VICI_CLIENT(client));
    error = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CLOSED, "the VICI connection was closed");
    close_with_error(client, error);
}

gboolean
nm_l2tp_vici_client_is_closed(NML2tpViciClient *client)
{
    return client->closed;
}

gboolean
nm_l2tp_vici_check_success(GVariant *response, const char *command, GError **error)
{
    const char *success = nm_l2tp_vici_message_get_string(response, "success");
    const char *errmsg  = nm_l2tp_vici_message_get_string(response, "errmsg");

    if (g_strcmp0(success, "yes") == 0)
        return TRUE;
    g_set_error(error,
                NM_L2TP_ERROR,
                NM_L2TP_ERROR_FAILED,
                "charon refused %s: %s",
                command,
                errmsg ? errmsg : "no reason given");
    return FALSE;
}

/* ---- construction ------------------------------------------------------ */

static void
connect_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task             = user_data;
    g_autoptr(GError) error           = NULL;
    g_autoptr(GSocketConnection) conn = NULL;
    g_autoptr(NML2tpViciClient) self  = NULL;

    conn = g_socket_client_connect_finish(G_SOCKET_CLIENT(source), result, &error);
    if (!conn) {
        g_task_return_error(task, g_steal_pointer(&error));
        return;
    }
    self       = g_object_new(NM_L2TP_TYPE_VICI_CLIENT, NULL);
    self->conn = g_steal_pointer(&conn);
    start_read(self);
    g_task_return_pointer(task, g_steal_pointer(&self), g_object_unref);
}

void
nm_l2tp_vici_client_new_async(const char         *socket_path,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
    g_autoptr(GSocketClient) sc       = g_socket_client_new();
    g_autoptr(GSocketAddress) address = g_unix_socket_address_new(socket_path);
    GTask *task                       = g_task_new(NULL, cancellable, callback, user_data);

    g_task_set_source_tag(task, nm_l2tp_vici_client_new_async);
    g_socket_client_connect_async(sc, G_SOCKET_CONNECTABLE(address), cancellable, connect_cb, task);
}

NML2tpViciClient *
nm_l2tp_vici_client_new_finish(GAsyncResult *result, GError **error)
{
    return g_task_propagate_pointer(G_TASK(result), error);
}

static void
nm_l2tp_vici_client_init(NML2tpViciClient *self)
{
    self->io_cancellable = g_cancellable_new();
    self->reader         = nm_l2tp_vici_reader_new();
    g_queue_init(&self->queue);
}

static void
dispose(GObject *object)
{
    NML2tpViciClient *self = NM_L2TP_VICI_CLIENT(object);

    /* Pending requests hold a reference (their GTask), so the queue is
     * empty here; just stop the read loop quietly. */
    self->closed = TRUE;
    g_cancellable_cancel(self->io_cancellable);
    if (self->conn)
        g_io_stream_close(G_IO_STREAM(self->conn), NULL, NULL);
    g_clear_object(&self->conn);
    G_OBJECT_CLASS(nm_l2tp_vici_client_parent_class)->dispose(object);
}

static void
finalize(GObject *object)
{
    NML2tpViciClient *self = NM_L2TP_VICI_CLIENT(object);

    g_clear_object(&self->io_cancellable);
    nm_l2tp_vici_reader_free(self->reader);
    G_OBJECT_CLASS(nm_l2tp_vici_client_parent_class)->finalize(object);
}

static void
nm_l2tp_vici_client_class_init(NML2tpViciClientClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);

    object_class->dispose  = dispose;
    object_class->finalize = finalize;

    /* ::event (name, message): detailed by the event name, e.g.
     * "event::control-log".  @message is a{sv}. */
    signals[SIGNAL_EVENT] = g_signal_new("event",
                                         G_TYPE_FROM_CLASS(klass),
                                         G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                                         0,
                                         NULL,
                                         NULL,
                                         NULL,
                                         G_TYPE_NONE,
                                         2,
                                         G_TYPE_STRING,
                                         G_TYPE_VARIANT);
    /* ::closed (error): the connection is gone; @error says why. */
    signals[SIGNAL_CLOSED] = g_signal_new("closed",
                                          G_TYPE_FROM_CLASS(klass),
                                          G_SIGNAL_RUN_LAST,
                                          0,
                                          NULL,
                                          NULL,
                                          NULL,
                                          G_TYPE_NONE,
                                          1,
                                          G_TYPE_ERROR);
}
