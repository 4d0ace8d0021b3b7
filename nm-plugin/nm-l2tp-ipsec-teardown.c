/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Taking the IPsec half down: terminate the SA, then unload exactly what
 * connect loaded (conn, shared secret, key), close the VICI connections,
 * and stop charon if it is ours.  Every step runs whatever the previous
 * one answered, so a half-failed attempt is cleaned up as fully as a
 * successful one. */

#include "config.h"

#include "nm-l2tp-ipsec-private.h"
#include "nm-l2tp-vici-wire.h"
#include "nm-l2tp-writers.h"
#include "nm-l2tp-xfrm.h"

/* How long terminate may wait for the server to confirm the DELETE. */
#define TERMINATE_TIMEOUT_MS "3000"

typedef enum {
    DOWN_TERMINATE,
    DOWN_UNINSTALL_BLOCK,
    DOWN_UNLOAD_CONN,
    DOWN_UNLOAD_SHARED,
    DOWN_UNLOAD_KEY,
    DOWN_CLOSE,
    DOWN_RELEASE,
    DOWN_DONE
} DownStep;

static void down_next(GTask *task, DownStep step);

static void
down_call_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task   = user_data;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) response =
        nm_l2tp_vici_client_call_finish(NM_L2TP_VICI_CLIENT(source), result, &error);
    DownStep step = GPOINTER_TO_UINT(g_task_get_task_data(task));

    /* Teardown goes on whatever happens: each step undoes its own part.
     * terminate fails harmlessly when the attempt left no SA behind. */
    if (!response)
        g_debug("teardown step %u: %s", step, error->message);
    else if (!nm_l2tp_vici_check_success(response, "teardown", &error))
        g_debug("teardown step %u: %s", step, error->message);
    down_next(task, step + 1);
}

static void
down_call(GTask *task, DownStep step, const char *cmd, const char *key, const char *value)
{
    NML2tpIpsec *self = g_task_get_source_object(task);
    GVariantDict req;

    g_variant_dict_init(&req, NULL);
    g_variant_dict_insert(&req, key, "s", value);
    if (step == DOWN_TERMINATE) {
        g_variant_dict_insert(&req, "timeout", "s", TERMINATE_TIMEOUT_MS);
        g_variant_dict_insert(&req, "force", "s", "no");
    }
    g_task_set_task_data(task, GUINT_TO_POINTER(step), NULL);
    nm_l2tp_vici_client_call_async(
        self->ctl, cmd, g_variant_dict_end(&req), NULL, down_call_cb, g_object_ref(task));
}

static void
release_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task = user_data;

    nm_l2tp_charon_release_finish(NM_L2TP_CHARON(source), result, NULL);
    down_next(task, DOWN_DONE);
}

static void
down_next(GTask *task, DownStep step)
{
    NML2tpIpsec *self  = g_task_get_source_object(task);
    gboolean     alive = self->ctl && !nm_l2tp_vici_client_is_closed(self->ctl);

    switch (step) {
    case DOWN_TERMINATE:
        if (alive && self->initiated) {
            down_call(task, step, "terminate", "ike", self->uuid);
            return;
        }
        /* fall through */
    case DOWN_UNINSTALL_BLOCK:
        /* Last of all that could carry L2TP: the SA is gone now. */
        if (alive && self->block_installed) {
            g_autofree char *name = g_strdup_printf("%s" NM_L2TP_FAIL_CLOSED_SUFFIX, self->uuid);

            self->block_installed = FALSE;
            down_call(task, DOWN_UNINSTALL_BLOCK, "uninstall", "child", name);
            return;
        }
        /* fall through */
    case DOWN_UNLOAD_CONN:
        if (alive && self->conn_loaded) {
            self->conn_loaded = FALSE;
            down_call(task, DOWN_UNLOAD_CONN, "unload-conn", "name", self->uuid);
            return;
        }
        /* fall through */
    case DOWN_UNLOAD_SHARED:
        if (alive && self->shared_loaded) {
            self->shared_loaded = FALSE;
            down_call(task, DOWN_UNLOAD_SHARED, "unload-shared", "id", self->shared_id);
            return;
        }
        /* fall through */
    case DOWN_UNLOAD_KEY:
        if (alive && self->key_id) {
            g_autofree char *id = g_steal_pointer(&self->key_id);

            down_call(task, DOWN_UNLOAD_KEY, "unload-key", "id", id);
            return;
        }
        /* fall through */
    case DOWN_CLOSE:
        if (self->init)
            nm_l2tp_vici_client_close(self->init);
        if (self->ctl)
            nm_l2tp_vici_client_close(self->ctl);
        /* fall through */
    case DOWN_RELEASE:
        if (self->charon_pending) {
            /* The charon asked for may be starting: wait, then stop it. */
            self->release_task = g_object_ref(task);
            return;
        }
        if (self->charon) {
            nm_l2tp_charon_release_async(self->charon, NULL, release_cb, g_object_ref(task));
            return;
        }
        /* fall through */
    case DOWN_DONE:
        /* A charon that died removed neither its policies (the SA's and
         * the drop policy, which held L2TP back until now) nor the larval
         * SAs the kernel made for packets they held. */
        if (self->charon_died && self->block_installed) {
            g_autoptr(GError) error = NULL;

            if (!nm_l2tp_xfrm_flush_gateway(self->gateway, &error))
                g_warning("l2tp: after charon died: %s", error->message);
        }
        g_task_return_boolean(task, TRUE);
        return;
    }
}

void
nm_l2tp_ipsec_teardown_resume(NML2tpIpsec *self)
{
    g_autoptr(GTask) task = g_steal_pointer(&self->release_task);

    if (task)
        down_next(task, DOWN_RELEASE);
}

void
nm_l2tp_ipsec_disconnect_async(NML2tpLayer        *layer,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
    NML2tpIpsec *self     = NM_L2TP_IPSEC(layer);
    g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

    g_task_set_source_tag(task, nm_l2tp_ipsec_disconnect_async);
    self->disconnecting = TRUE;
    self->established   = FALSE;
    g_clear_handle_id(&self->ike_timer, g_source_remove);
    nm_l2tp_ipsec_live_stop(self);
    if (self->connect_task) {
        g_autoptr(GTask) ct = nm_l2tp_ipsec_take_connect_task(self);

        g_task_return_new_error(
            ct, G_IO_ERROR, G_IO_ERROR_CANCELLED, "disconnected while connecting");
    }
    /* Stop waiting for certificate files, connects and event
     * registrations; the teardown requests below use no cancellable. */
    g_cancellable_cancel(self->cancellable);
    down_next(task, DOWN_TERMINATE);
}

gboolean
nm_l2tp_ipsec_disconnect_finish(NML2tpLayer *layer, GAsyncResult *result, GError **error)
{
    return g_task_propagate_boolean(G_TASK(result), error);
}
