/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_VICI_CLIENT_H
#define NM_L2TP_VICI_CLIENT_H

#include <gio/gio.h>

/* An asynchronous VICI client on the GLib main loop.
 *
 * One connection to charon's unix socket.  Requests (commands, event
 * registrations) are pipelined: each one is written as soon as the one
 * before it is on the wire, without waiting for its answer.  VICI names
 * neither requests nor responses; charon handles the requests of one
 * connection one after the other and answers them in that order, so an
 * answer belongs to the oldest request still waiting for one.  Callers may
 * rely on that order: requests made in a row on one client are handled by
 * charon in that order, and their callbacks run in that order (e.g. an
 * unload-conn made after a load-conn cannot overtake it, and a failed event
 * registration is seen before the answer to a command made after it).
 *
 * Events may arrive at any time, also between a streaming command
 * (initiate, terminate, list-sas) and its response; each is emitted as the
 * detailed signal "event::<name>".
 *
 * A command that blocks on the daemon side (initiate with timeout 0) holds
 * up the answers to everything made after it on the same client; callers
 * that need to act meanwhile (e.g. terminate while initiating) use a second
 * client.  A request cancelled before it went out is dropped; one cancelled
 * after that still has its answer read (and thrown away), so the answers
 * after it stay in step. */

#define NM_L2TP_TYPE_VICI_CLIENT (nm_l2tp_vici_client_get_type())
G_DECLARE_FINAL_TYPE(NML2tpViciClient, nm_l2tp_vici_client, NM_L2TP, VICI_CLIENT, GObject)

void              nm_l2tp_vici_client_new_async(const char         *socket_path,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
NML2tpViciClient *nm_l2tp_vici_client_new_finish(GAsyncResult *result, GError **error);

/* Sends the command @command with @request (a{sv}, see nm-l2tp-vici-wire.h;
 * NULL: empty; a floating reference is sunk) and returns the response
 * message.  A command charon does not know fails with G_IO_ERROR_NOT_SUPPORTED.
 * The response is returned as it is: "success = no" is not turned into an
 * error here, see nm_l2tp_vici_check_success(). */
void      nm_l2tp_vici_client_call_async(NML2tpViciClient   *client,
                                         const char         *command,
                                         GVariant           *request,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GVariant *nm_l2tp_vici_client_call_finish(NML2tpViciClient *client,
                                          GAsyncResult     *result,
                                          GError          **error);

/* (Un)registers for the event @name; an unknown event fails with
 * G_IO_ERROR_NOT_SUPPORTED. */
void     nm_l2tp_vici_client_register_event_async(NML2tpViciClient   *client,
                                                  const char         *name,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean nm_l2tp_vici_client_register_event_finish(NML2tpViciClient *client,
                                                   GAsyncResult     *result,
                                                   GError          **error);
void     nm_l2tp_vici_client_unregister_event_async(NML2tpViciClient   *client,
                                                    const char         *name,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
gboolean nm_l2tp_vici_client_unregister_event_finish(NML2tpViciClient *client,
                                                     GAsyncResult     *result,
                                                     GError          **error);

/* Closes the connection; pending requests fail with G_IO_ERROR_CLOSED.
 * Emits "closed" once, also when charon hangs up or sends garbage. */
void     nm_l2tp_vici_client_close(NML2tpViciClient *client);
gboolean nm_l2tp_vici_client_is_closed(NML2tpViciClient *client);

/* For "success = yes|no, errmsg = ..." responses: FALSE with an error
 * (NM_L2TP_ERROR_FAILED) carrying errmsg when success is not "yes". */
gboolean nm_l2tp_vici_check_success(GVariant *response, const char *command, GError **error);

#endif /* NM_L2TP_VICI_CLIENT_H */
