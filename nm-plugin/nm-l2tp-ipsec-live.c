/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The IPsec half once it is up: staying up.
 *
 * Rekeys by either side replace SAs; charon's events say which SA replaced
 * which (NML2tpSaBook), and only when no ESP SA of ours is left is there
 * anything to do.  Then, the way Windows renegotiates on demand, we ask
 * charon for a new one at once (quick mode over the IKE SA, or a new IKE
 * SA) while L2TP and PPP stay up; the connection is lost only when that
 * fails.  Until teardown has ended, the drop policy loaded with the
 * connection keeps L2TP from leaving in clear text meanwhile (see
 * nm_l2tp_swanctl_conn_build()). */

#include "config.h"

#include <string.h>

#include "nm-l2tp-ipsec-private.h"
#include "nm-l2tp-vici-wire.h"
#include "nm-l2tp-xfrm.h"

/* charon itself re-establishes nothing of ours (close_action and
 * dpd_action are none/clear), but a CHILD_SA that an IKEv1 reauthentication
 * moves to the new IKE SA may come up right after the old one went: wait
 * this long before renegotiating. */
#define RENEGOTIATE_DELAY_MS 300

static void
lost(NML2tpIpsec *self, NML2tpCause cause, const char *detail)
{
    g_autoptr(NML2tpStageRecord) r = NULL;

    if (!self->established || self->disconnecting)
        return;
    self->established = FALSE;
    r                 = nm_l2tp_stage_record_new(NM_L2TP_STAGE_CONNECTED, cause, detail, 0);
    nm_l2tp_layer_emit_down(NM_L2TP_LAYER(self), r);
}

static void
renegotiated_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpIpsec) self = user_data;
    g_autoptr(GError) error     = NULL;
    g_autoptr(GVariant) response =
        nm_l2tp_vici_client_call_finish(NM_L2TP_VICI_CLIENT(source), result, &error);

    self->renegotiating = FALSE;
    if (self->disconnecting)
        return;
    /* Success is initiate's word alone: the CHILD_SA's up event comes on
     * the other VICI connection and may well arrive after this answer. */
    if (response && nm_l2tp_vici_check_success(response, "initiate", &error)) {
        self->renegotiated++;
        self->loss_cause = NM_L2TP_CAUSE_NONE;
        nm_l2tp_layer_emit_log(NM_L2TP_LAYER(self), "nm-l2tp", "IPsec renegotiated");
        return;
    }
    /* What took the SA away names the loss: the server's DELETE, or dead
     * peer detection; otherwise the new SA itself failed. */
    lost(self,
         self->loss_cause != NM_L2TP_CAUSE_NONE ? self->loss_cause : NM_L2TP_CAUSE_REKEY_FAILED,
         error ? error->message : NULL);
}

/* As connect's initiate, but bounded by the IKE timeout: a server that
 * dead peer detection found gone will not answer, and charon would go on
 * retransmitting for minutes before it gave up. */
static GVariant *
renegotiate_request(NML2tpIpsec *self)
{
    g_autofree char *timeout = g_strdup_printf("%" G_GINT64_FORMAT, self->timeout_ike * 1000);
    GVariantDict     req;

    g_variant_dict_init(&req, NULL);
    g_variant_dict_insert(&req, "child", "s", self->uuid);
    g_variant_dict_insert(&req, "ike", "s", self->uuid);
    g_variant_dict_insert(&req, "timeout", "s", timeout);
    g_variant_dict_insert(&req, "init-limits", "s", "no");
    g_variant_dict_insert(&req, "loglevel", "s", "1");
    return g_variant_dict_end(&req);
}

static gboolean
renegotiate_cb(gpointer user_data)
{
    NML2tpIpsec *self = user_data;

    self->renegotiate_timer = 0;
    if (nm_l2tp_sa_book_child_count(self->book) > 0 || self->disconnecting)
        return G_SOURCE_REMOVE;
    nm_l2tp_layer_emit_log(NM_L2TP_LAYER(self), "nm-l2tp", "no ESP SA left; negotiating a new one");
    self->renegotiating = TRUE;
    /* The init connection is idle once connect is over. */
    nm_l2tp_vici_client_call_async(self->init,
                                   "initiate",
                                   renegotiate_request(self),
                                   self->cancellable,
                                   renegotiated_cb,
                                   g_object_ref(self));
    return G_SOURCE_REMOVE;
}

/* charon's log lines of our IKE SA.  control-log only streams the lines of
 * a command while it runs (initiate, terminate); what charon says later,
 * when the server deletes an SA or dead peer detection gives up, comes
 * only through the "log" event. */
static void
on_log(NML2tpViciClient *client, const char *name, GVariant *msg, gpointer user_data)
{
    NML2tpIpsec *self = user_data;
    const char  *ike  = nm_l2tp_vici_message_get_string(msg, "ikesa-name");
    const char  *text = nm_l2tp_vici_message_get_string(msg, "msg");

    if (text && g_strcmp0(ike, self->uuid) == 0 && self->established)
        nm_l2tp_ipsec_live_log(self, text);
}

static void
log_registered_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GError) error = NULL;

    if (!nm_l2tp_vici_client_register_event_finish(NM_L2TP_VICI_CLIENT(source), result, &error)
        && !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug("l2tp: no log stream from charon: %s", error->message);
}

/* On the first event of ours, well before the SAs can go away. */
static void
follow_log(NML2tpIpsec *self)
{
    if (self->log_followed || !self->ctl)
        return;
    self->log_followed = TRUE;
    g_signal_connect(self->ctl, "event::log", G_CALLBACK(on_log), self);
    nm_l2tp_vici_client_register_event_async(
        self->ctl, "log", self->cancellable, log_registered_cb, NULL);
}

void
nm_l2tp_ipsec_live_event(NML2tpIpsec *self, const char *name, GVariant *msg)
{
    follow_log(self);
    if (nm_l2tp_sa_book_feed(self->book, name, msg) != NM_L2TP_SA_BOOK_NO_CHILD
        || !self->established || self->disconnecting || self->renegotiating
        || self->renegotiate_timer)
        return;
    self->renegotiate_timer = g_timeout_add(RENEGOTIATE_DELAY_MS, renegotiate_cb, self);
}

/* What charon said last about our SAs going away, in its own words (the
 * lines are ours: our IKE SA's control log). */
void
nm_l2tp_ipsec_live_log(NML2tpIpsec *self, const char *text)
{
    if (strstr(text, "received DELETE for"))
        self->loss_cause = NM_L2TP_CAUSE_PEER_DELETED;
    else if (strstr(text, "DPD check timed out") || strstr(text, "giving up after"))
        self->loss_cause = NM_L2TP_CAUSE_DPD_TIMEOUT;
}

static void
delete_esp(const char *local, const char *remote, guint32 spi_in, guint32 spi_out, gpointer data)
{
    g_autoptr(GError) error_in  = NULL;
    g_autoptr(GError) error_out = NULL;

    if (!nm_l2tp_xfrm_delete_esp(local, spi_in, &error_in))
        g_warning("l2tp: %s", error_in->message);
    if (!nm_l2tp_xfrm_delete_esp(remote, spi_out, &error_out))
        g_warning("l2tp: %s", error_out->message);
}

/* A charon that was killed deleted nothing: its ESP SAs would stay in the
 * kernel until their hard lifetime, keys and all. */
void
nm_l2tp_ipsec_live_charon_died(NML2tpIpsec *self)
{
    nm_l2tp_sa_book_foreach_esp(self->book, delete_esp, self);
}

void
nm_l2tp_ipsec_live_stop(NML2tpIpsec *self)
{
    g_clear_handle_id(&self->renegotiate_timer, g_source_remove);
}

guint
nm_l2tp_ipsec_get_rekeys(NML2tpIpsec *self)
{
    return nm_l2tp_sa_book_ike_rekeys(self->book) + nm_l2tp_sa_book_child_rekeys(self->book)
           + self->renegotiated;
}
