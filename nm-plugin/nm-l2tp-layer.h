/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_LAYER_H
#define NM_L2TP_LAYER_H

#include <gio/gio.h>

#include "nm-l2tp-catalog.h"
#include "nm-l2tp-ip-config.h"

/* One layer of a connection, as the attempt sees it: IPsec (NML2tpIpsec)
 * or L2TP with PPP on top (NML2tpLink).  The attempt only orchestrates
 * layers through this interface, which is also what lets the unit tests
 * replace them with fakes.
 *
 *   prepare:    optional; work that may start before the layer below is up
 *               (xl2tpd binds its port while IKE runs).  FALSE with @error
 *               when it cannot.
 *   connect:    brings the layer up.  On failure, get_record() says where
 *               and why.  A layer whose connect failed may be connected
 *               again when can_reconnect() says so (a new password over
 *               the same tunnel).
 *   update_secret: optional; a secret the next connect uses (a new
 *               password); FALSE when the layer has no use for @key.
 *   get_ip_config: optional; NetworkManager's configuration of the VPN
 *               once connect succeeded (the layer that carries the traffic).
 *   disconnect: takes down everything the layer created.  Called exactly
 *               once, whatever happened before; a connect still running
 *               ends first, with G_IO_ERROR_CANCELLED.
 *
 * Signals:
 *   "stage" (NML2tpStage): the layer moved on to this stage;
 *   "log"   (const char *source, const char *line): one line for the
 *           attempt's log ("ike", "l2tp");
 *   "ip-config": the IP configuration changed after connect (routes and
 *           domains from the server, IPv6 when it came); get_ip_config()
 *           has the whole new one;
 *   "down"  (NML2tpStageRecord *): the layer failed outside connect: it
 *           was up and went away without being asked (the server deleted
 *           the SA, the link died), or a prepared layer broke before its
 *           connect; the record names the cause. */

#define NM_L2TP_TYPE_LAYER (nm_l2tp_layer_get_type())
G_DECLARE_INTERFACE(NML2tpLayer, nm_l2tp_layer, NM_L2TP, LAYER, GObject)

struct _NML2tpLayerInterface {
    GTypeInterface parent;

    gboolean (*prepare)(NML2tpLayer *layer, GError **error);
    void (*connect_async)(NML2tpLayer        *layer,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data);
    gboolean (*connect_finish)(NML2tpLayer *layer, GAsyncResult *result, GError **error);
    gboolean (*can_reconnect)(NML2tpLayer *layer);
    void (*disconnect_async)(NML2tpLayer        *layer,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data);
    gboolean (*disconnect_finish)(NML2tpLayer *layer, GAsyncResult *result, GError **error);
    const NML2tpStageRecord *(*get_record)(NML2tpLayer *layer);
    gboolean (*update_secret)(NML2tpLayer *layer, const char *key, const char *value);
    const NML2tpIpConfig *(*get_ip_config)(NML2tpLayer *layer);
};

gboolean nm_l2tp_layer_prepare(NML2tpLayer *layer, GError **error);
void     nm_l2tp_layer_connect_async(NML2tpLayer        *layer,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
gboolean nm_l2tp_layer_connect_finish(NML2tpLayer *layer, GAsyncResult *result, GError **error);
gboolean nm_l2tp_layer_can_reconnect(NML2tpLayer *layer);
void     nm_l2tp_layer_disconnect_async(NML2tpLayer        *layer,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
gboolean nm_l2tp_layer_disconnect_finish(NML2tpLayer *layer, GAsyncResult *result, GError **error);
/* What connect ended with; NULL before it ended. */
const NML2tpStageRecord *nm_l2tp_layer_get_record(NML2tpLayer *layer);

gboolean nm_l2tp_layer_update_secret(NML2tpLayer *layer, const char *key, const char *value);
const NML2tpIpConfig *nm_l2tp_layer_get_ip_config(NML2tpLayer *layer);

/* For implementations. */
void nm_l2tp_layer_emit_stage(NML2tpLayer *layer, NML2tpStage stage);
void nm_l2tp_layer_emit_log(NML2tpLayer *layer, const char *source, const char *line);
void nm_l2tp_layer_emit_down(NML2tpLayer *layer, const NML2tpStageRecord *record);
void nm_l2tp_layer_emit_ip_config(NML2tpLayer *layer);

#endif /* NM_L2TP_LAYER_H */
