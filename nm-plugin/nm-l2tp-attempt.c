/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One attempt: the preflight, then IPsec, then the link.  See
 * nm-l2tp-attempt.h. */
#include "config.h"

#include "nm-l2tp-attempt.h"

#include <glib/gi18n-lib.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-preflight.h"
#include "nm-l2tp-resources.h"
#include "nm-l2tp-timeline.h"

struct _NML2tpAttempt {
    GObject            parent;
    NML2tpSettings    *settings;
    char              *uuid;
    char             **owners;
    char              *run_dir;
    NML2tpLayerFactory factory;
    NML2tpTimeline    *timeline;
    GCancellable      *cancellable; /* the preflight */
    NML2tpLayer       *ipsec;
    NML2tpLayer       *link;
    gboolean           ipsec_up;
    gboolean           stopping;
};

G_DEFINE_FINAL_TYPE(NML2tpAttempt, nm_l2tp_attempt, G_TYPE_OBJECT)

enum { SIGNAL_CONNECTED, SIGNAL_FAILED, SIGNAL_LOST, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The timeline takes the first failure as the verdict; the attempt tells
 * whoever listens, as a failure or, once it had connected, a loss. */
static void
fail(NML2tpAttempt *self, NML2tpStage stage, NML2tpCause cause, const char *detail)
{
    const NML2tpStageRecord *verdict;
    gboolean                 lost;

    if (self->stopping || !(verdict = nm_l2tp_timeline_fail(self->timeline, stage, cause, detail)))
        return;
    lost = nm_l2tp_timeline_has_succeeded(self->timeline);
    g_signal_emit(self, signals[lost ? SIGNAL_LOST : SIGNAL_FAILED], 0, verdict);
}

static void
layer_down_cb(NML2tpLayer *layer, NML2tpStageRecord *record, NML2tpAttempt *self)
{
    if (layer == self->ipsec)
        self->ipsec_up = FALSE;
    fail(self, record->stage, record->cause, record->detail);
}

/* NetworkManager's configuration: at connect, and again as routes and
 * domains from the server, or IPv6, come. */
static void
announce(NML2tpLayer *layer, NML2tpAttempt *self)
{
    const NML2tpIpConfig *c = nm_l2tp_layer_get_ip_config(layer);

    if (c && !self->stopping && nm_l2tp_timeline_has_succeeded(self->timeline))
        g_signal_emit(self, signals[SIGNAL_CONNECTED], 0, c->general, c->ip4, c->ip6);
}

/* The timeline follows the layer's stages and log; a layer that goes
 * down is a failure. */
static NML2tpLayer *
adopt(NML2tpAttempt *self, NML2tpLayer *layer)
{
    nm_l2tp_timeline_follow(self->timeline, layer);
    g_signal_connect_object(layer, "down", G_CALLBACK(layer_down_cb), self, 0);
    g_signal_connect_object(layer, "ip-config", G_CALLBACK(announce), self, 0);
    return layer;
}

static void connect_link(NML2tpAttempt *self);

/* IPsec up: the link next; the link up: connected.  A failed connect's
 * record is the verdict; a cancelled one (the user's disconnect) is none. */
static void
layer_connected_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpAttempt) self = user_data;
    NML2tpLayer *layer            = NM_L2TP_LAYER(source);
    g_autoptr(GError) error       = NULL;
    const NML2tpStageRecord *r;

    if (!nm_l2tp_layer_connect_finish(layer, result, &error)) {
        if ((r = nm_l2tp_layer_get_record(layer)))
            fail(self, r->stage, r->cause, r->detail);
        else if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            fail(self,
                 nm_l2tp_timeline_get_stage(self->timeline),
                 NM_L2TP_CAUSE_INTERNAL,
                 error->message);
    } else if (self->stopping) {
        return;
    } else if (layer == self->ipsec) {
        self->ipsec_up = TRUE;
        connect_link(self);
    } else {
        /* The record's detail says how PPP authenticated. */
        r = nm_l2tp_layer_get_record(layer);
        nm_l2tp_timeline_succeed(self->timeline, r ? r->detail : NULL);
        announce(layer, self);
    }
}

static void
connect_link(NML2tpAttempt *self)
{
    nm_l2tp_layer_connect_async(self->link, NULL, layer_connected_cb, g_object_ref(self));
}

/* IPsec first (a private charon starts slower than xl2tpd), then xl2tpd
 * listening while IKE runs; or L2TP at once for a profile without IPsec. */
static void
after_resolve(NML2tpAttempt *self, const char *address)
{
    g_autoptr(GError) error   = NULL;
    NML2tpWriterParams params = {
        .uuid            = self->uuid,
        .gateway_address = address,
        .local_port      = nm_l2tp_pick_l2tp_port(self->settings->ephemeral_port),
        .run_dir         = self->run_dir,
    };

    if (self->settings->ipsec_enabled) {
        nm_l2tp_timeline_enter(self->timeline, NM_L2TP_STAGE_IKE_PHASE1);
        self->ipsec =
            adopt(self, self->factory.new_ipsec(self->settings, &params, self->factory.data));
        nm_l2tp_layer_connect_async(self->ipsec, NULL, layer_connected_cb, g_object_ref(self));
    }
    self->link = adopt(self, self->factory.new_link(self->settings, &params, self->factory.data));
    if (!nm_l2tp_layer_prepare(self->link, &error))
        fail(self,
             nm_l2tp_timeline_get_stage(self->timeline),
             NM_L2TP_CAUSE_INTERNAL,
             error->message);
    else if (!self->settings->ipsec_enabled)
        connect_link(self);
}

static void
preflight_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpAttempt) self = user_data;
    NML2tpPreflightResult r;

    if (!nm_l2tp_preflight_finish(result, &r))
        return; /* stopped */
    /* A private connection's report is its owner's from now on. */
    if (self->owners && self->owners[0])
        nm_l2tp_timeline_set_report_owner(self->timeline, r.uid, r.gid);
    if (r.failure)
        fail(self, r.failure->stage, r.failure->cause, r.failure->detail);
    else
        after_resolve(self, r.address);
    nm_l2tp_preflight_result_clear(&r);
}

void
nm_l2tp_attempt_start(NML2tpAttempt *self)
{
    nm_l2tp_timeline_start(self->timeline);
    nm_l2tp_preflight_async(self->settings,
                            (const char *const *)self->owners,
                            self->run_dir,
                            self->cancellable,
                            preflight_cb,
                            g_object_ref(self));
}

/* Over IPsec that is still up, when the link's failure blamed the password. */
gboolean
nm_l2tp_attempt_can_retry_password(NML2tpAttempt *self)
{
    return !self->stopping && self->link && (!self->settings->ipsec_enabled || self->ipsec_up)
           && nm_l2tp_layer_can_reconnect(self->link);
}

gboolean
nm_l2tp_attempt_retry_password(NML2tpAttempt *self, const char *password, GError **error)
{
    if (!nm_l2tp_attempt_can_retry_password(self)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    _("the connection cannot try a new password now"));
        return FALSE;
    }
    nm_l2tp_layer_update_secret(self->link, NM_L2TP_KEY_PASSWORD, password);
    /* The IPsec SA stays; the timeline goes on from L2TP. */
    nm_l2tp_timeline_rewind(self->timeline, NM_L2TP_STAGE_L2TP_TUNNEL);
    connect_link(self);
    return TRUE;
}

/* Top-down: PPP and L2TP first (their goodbyes still go through the SA),
 * then IPsec, then the files; again as each layer is down.  The task
 * keeps the attempt alive until then. */
static void
stop_next(GObject *source, GAsyncResult *result, gpointer user_data)
{
    GTask         *task = user_data;
    NML2tpAttempt *self = g_task_get_source_object(task);
    NML2tpLayer   *layer;

    if (source) {
        nm_l2tp_layer_disconnect_finish(NM_L2TP_LAYER(source), result, NULL);
        g_clear_object(source == (GObject *)self->link ? &self->link : &self->ipsec);
    }
    if ((layer = self->link ? self->link : self->ipsec)) {
        nm_l2tp_layer_disconnect_async(layer, NULL, stop_next, task);
        return;
    }
    nm_l2tp_remove_tree(self->run_dir);
    g_task_return_boolean(task, TRUE);
    g_object_unref(task);
}

void
nm_l2tp_attempt_stop_async(NML2tpAttempt *self, GAsyncReadyCallback callback, gpointer user_data)
{
    g_return_if_fail(!self->stopping);
    self->stopping = TRUE;
    nm_l2tp_timeline_cancel(self->timeline);
    g_cancellable_cancel(self->cancellable);
    stop_next(NULL, NULL, g_task_new(self, NULL, callback, user_data));
}

gboolean
nm_l2tp_attempt_stop_finish(NML2tpAttempt *self, GAsyncResult *result, GError **error)
{
    return g_task_propagate_boolean(G_TASK(result), error);
}

NML2tpAttempt *
nm_l2tp_attempt_new(NML2tpSettings *settings, const NML2tpAttemptOptions *options)
{
    NML2tpAttempt *self     = g_object_new(NM_L2TP_TYPE_ATTEMPT, NULL);
    const char    *run_base = options->run_base ? options->run_base : NM_L2TP_RUNDIR;

    self->settings    = settings;
    self->cancellable = g_cancellable_new();
    self->uuid        = g_strdup(options->uuid);
    self->owners      = g_strdupv((char **)options->owners);
    self->run_dir     = nm_l2tp_run_dir_for(run_base, self->uuid);
    self->factory     = *options->factory;
    self->timeline    = nm_l2tp_timeline_new(self->uuid,
                                          options->name,
                                          run_base,
                                          settings->ipsec_enabled,
                                          self->owners && self->owners[0]);
    return self;
}

static void
nm_l2tp_attempt_init(NML2tpAttempt *self)
{
}

static void
finalize(GObject *object)
{
    NML2tpAttempt *self = NM_L2TP_ATTEMPT(object);

    g_cancellable_cancel(self->cancellable);
    g_clear_object(&self->link);
    g_clear_object(&self->ipsec);
    nm_l2tp_settings_free(self->settings);
    g_clear_object(&self->cancellable);
    g_clear_object(&self->timeline);
    g_free(self->uuid);
    g_strfreev(self->owners);
    g_free(self->run_dir);
    G_OBJECT_CLASS(nm_l2tp_attempt_parent_class)->finalize(object);
}

static guint
new_signal(GType type, const char *name, guint n, GType a)
{
    return g_signal_new(
        name, type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, n, a, a, a);
}

static void
nm_l2tp_attempt_class_init(NML2tpAttemptClass *klass)
{
    GType type = G_TYPE_FROM_CLASS(klass);

    G_OBJECT_CLASS(klass)->finalize = finalize;
    signals[SIGNAL_CONNECTED]       = new_signal(type, "connected", 3, G_TYPE_VARIANT);
    signals[SIGNAL_FAILED]          = new_signal(type, "failed", 1, NM_L2TP_TYPE_STAGE_RECORD);
    signals[SIGNAL_LOST]            = new_signal(type, "lost", 1, NM_L2TP_TYPE_STAGE_RECORD);
}
