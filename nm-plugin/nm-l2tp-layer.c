/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-layer.h"

G_DEFINE_INTERFACE(NML2tpLayer, nm_l2tp_layer, G_TYPE_OBJECT)

enum { SIGNAL_STAGE, SIGNAL_LOG, SIGNAL_DOWN, SIGNAL_IP_CONFIG, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
nm_l2tp_layer_default_init(NML2tpLayerInterface *iface)
{
    signals[SIGNAL_STAGE]     = g_signal_new("stage",
                                         G_TYPE_FROM_INTERFACE(iface),
                                         G_SIGNAL_RUN_LAST,
                                         0,
                                         NULL,
                                         NULL,
                                         NULL,
                                         G_TYPE_NONE,
                                         1,
                                         G_TYPE_INT);
    signals[SIGNAL_LOG]       = g_signal_new("log",
                                       G_TYPE_FROM_INTERFACE(iface),
                                       G_SIGNAL_RUN_LAST,
                                       0,
                                       NULL,
                                       NULL,
                                       NULL,
                                       G_TYPE_NONE,
                                       2,
                                       G_TYPE_STRING,
                                       G_TYPE_STRING);
    signals[SIGNAL_DOWN]      = g_signal_new("down",
                                        G_TYPE_FROM_INTERFACE(iface),
                                        G_SIGNAL_RUN_LAST,
                                        0,
                                        NULL,
                                        NULL,
                                        NULL,
                                        G_TYPE_NONE,
                                        1,
                                        NM_L2TP_TYPE_STAGE_RECORD);
    signals[SIGNAL_IP_CONFIG] = g_signal_new("ip-config",
                                             G_TYPE_FROM_INTERFACE(iface),
                                             G_SIGNAL_RUN_LAST,
                                             0,
                                             NULL,
                                             NULL,
                                             NULL,
                                             G_TYPE_NONE,
                                             0);
}

gboolean
nm_l2tp_layer_prepare(NML2tpLayer *layer, GError **error)
{
    NML2tpLayerInterface *iface = NM_L2TP_LAYER_GET_IFACE(layer);

    return iface->prepare ? iface->prepare(layer, error) : TRUE;
}

void
nm_l2tp_layer_connect_async(NML2tpLayer        *layer,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
    NM_L2TP_LAYER_GET_IFACE(layer)->connect_async(layer, cancellable, callback, user_data);
}

gboolean
nm_l2tp_layer_connect_finish(NML2tpLayer *layer, GAsyncResult *result, GError **error)
{
    return NM_L2TP_LAYER_GET_IFACE(layer)->connect_finish(layer, result, error);
}

gboolean
nm_l2tp_layer_can_reconnect(NML2tpLayer *layer)
{
    NML2tpLayerInterface *iface = NM_L2TP_LAYER_GET_IFACE(layer);

    return iface->can_reconnect ? iface->can_reconnect(layer) : FALSE;
}

void
nm_l2tp_layer_disconnect_async(NML2tpLayer        *layer,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
    NM_L2TP_LAYER_GET_IFACE(layer)->disconnect_async(layer, cancellable, callback, user_data);
}

gboolean
nm_l2tp_layer_disconnect_finish(NML2tpLayer *layer, GAsyncResult *result, GError **error)
{
    return NM_L2TP_LAYER_GET_IFACE(layer)->disconnect_finish(layer, result, error);
}

const NML2tpStageRecord *
nm_l2tp_layer_get_record(NML2tpLayer *layer)
{
    return NM_L2TP_LAYER_GET_IFACE(layer)->get_record(layer);
}

gboolean
nm_l2tp_layer_update_secret(NML2tpLayer *layer, const char *key, const char *value)
{
    NML2tpLayerInterface *iface = NM_L2TP_LAYER_GET_IFACE(layer);

    return iface->update_secret ? iface->update_secret(layer, key, value) : FALSE;
}

const NML2tpIpConfig *
nm_l2tp_layer_get_ip_config(NML2tpLayer *layer)
{
    NML2tpLayerInterface *iface = NM_L2TP_LAYER_GET_IFACE(layer);

    return iface->get_ip_config ? iface->get_ip_config(layer) : NULL;
}

void
nm_l2tp_layer_emit_stage(NML2tpLayer *layer, NML2tpStage stage)
{
    g_signal_emit(layer, signals[SIGNAL_STAGE], 0, (int)stage);
}

void
nm_l2tp_layer_emit_log(NML2tpLayer *layer, const char *source, const char *line)
{
    g_signal_emit(layer, signals[SIGNAL_LOG], 0, source, line);
}

void
nm_l2tp_layer_emit_down(NML2tpLayer *layer, const NML2tpStageRecord *record)
{
    g_signal_emit(layer, signals[SIGNAL_DOWN], 0, record);
}

void
nm_l2tp_layer_emit_ip_config(NML2tpLayer *layer)
{
    g_signal_emit(layer, signals[SIGNAL_IP_CONFIG], 0);
}
