/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-diag-nm.h"

#include <glib/gi18n-lib.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-ppp-dbus.h"

/* One asynchronous libnm call, waited for with a timeout: libnm has no
 * synchronous call with a timeout, and a hung NetworkManager must not hang
 * the diagnosis tool.  Everything runs on the global default main context:
 * the NMClient is bound to the context it was made on, and the tool is
 * single-threaded without a main loop of its own. */
typedef struct {
    GCancellable *cancellable;
    GAsyncResult *result;
    gboolean      timed_out;
} Waiter;

static void
waiter_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Waiter *w = user_data;

    w->result = g_object_ref(result);
}

static gboolean
waiter_timeout_cb(gpointer user_data)
{
    Waiter *w = user_data;

    w->timed_out = TRUE;
    g_cancellable_cancel(w->cancellable);
    return G_SOURCE_REMOVE;
}

static void
waiter_init(Waiter *w)
{
    *w             = (Waiter){ 0 };
    w->cancellable = g_cancellable_new();
}

/* Iterates until the call finished; a cancelled call still calls back,
 * so this always ends. */
static void
waiter_run(Waiter *w, guint timeout_ms)
{
    guint id = g_timeout_add(timeout_ms, waiter_timeout_cb, w);

    while (!w->result)
        g_main_context_iteration(NULL, TRUE);
    if (!w->timed_out)
        g_source_remove(id);
}

static void
waiter_clear(Waiter *w)
{
    g_clear_object(&w->result);
    g_clear_object(&w->cancellable);
}

NMClient *
nm_l2tp_diag_nm_client_new(guint timeout_ms, GError **error)
{
    Waiter w;
    g_autoptr(NMClient) client = NULL;
    g_autoptr(GError) local    = NULL;

    waiter_init(&w);
    nm_client_new_async(w.cancellable, waiter_done_cb, &w);
    waiter_run(&w, timeout_ms);
    client = nm_client_new_finish(w.result, &local);
    waiter_clear(&w);
    if (!client) {
        if (w.timed_out)
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_FAILED,
                        _("NetworkManager did not answer within %u ms"),
                        timeout_ms);
        else
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_FAILED,
                        _("cannot reach NetworkManager: %s"),
                        local->message);
        return NULL;
    }
    if (!nm_client_get_nm_running(client)) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, _("NetworkManager is not running"));
        return NULL;
    }
    return g_steal_pointer(&client);
}

static gboolean
is_l2tp(NMConnection *connection)
{
    NMSettingVpn *s_vpn = nm_connection_get_setting_vpn(connection);

    return s_vpn && g_strcmp0(nm_setting_vpn_get_service_type(s_vpn), NM_DBUS_SERVICE_L2TP) == 0;
}

NMRemoteConnection *
nm_l2tp_diag_nm_find_connection(NMClient *client, const char *name_or_uuid)
{
    const GPtrArray *all;

    g_return_val_if_fail(NM_IS_CLIENT(client), NULL);
    if (!name_or_uuid)
        return NULL;
    /* A UUID first: names are not unique, UUIDs are. */
    all = nm_client_get_connections(client);
    for (guint i = 0; i < all->len; i++) {
        NMConnection *c = all->pdata[i];

        if (is_l2tp(c) && g_strcmp0(nm_connection_get_uuid(c), name_or_uuid) == 0)
            return g_object_ref(NM_REMOTE_CONNECTION(c));
    }
    for (guint i = 0; i < all->len; i++) {
        NMConnection *c = all->pdata[i];

        if (is_l2tp(c) && g_strcmp0(nm_connection_get_id(c), name_or_uuid) == 0)
            return g_object_ref(NM_REMOTE_CONNECTION(c));
    }
    return NULL;
}

NMConnection *
nm_l2tp_diag_nm_get_with_secrets(NMRemoteConnection *connection, guint timeout_ms, GError **error)
{
    Waiter w;
    g_autoptr(GVariant) secrets   = NULL;
    g_autoptr(NMConnection) clone = NULL;
    g_autoptr(GError) local       = NULL;

    g_return_val_if_fail(NM_IS_REMOTE_CONNECTION(connection), NULL);

    waiter_init(&w);
    nm_remote_connection_get_secrets_async(
        connection, NM_SETTING_VPN_SETTING_NAME, w.cancellable, waiter_done_cb, &w);
    waiter_run(&w, timeout_ms);
    secrets = nm_remote_connection_get_secrets_finish(connection, w.result, &local);
    waiter_clear(&w);
    if (!secrets) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    _("cannot get the connection's secrets: %s"),
                    local->message);
        return NULL;
    }
    clone = nm_simple_connection_new_clone(NM_CONNECTION(connection));
    if (!nm_connection_update_secrets(clone, NM_SETTING_VPN_SETTING_NAME, secrets, &local)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    _("cannot use the connection's secrets: %s"),
                    local->message);
        return NULL;
    }
    return g_steal_pointer(&clone);
}
