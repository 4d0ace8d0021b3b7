/* SPDX-License-Identifier: GPL-2.0-or-later */
/* L2TP and PPP of one connection.  See nm-l2tp-link.h. */
#include "config.h"

#include "nm-l2tp-link.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nm-l2tp-resources.h"
#include "nm-l2tp-error.h"
#include "nm-l2tp-ip-tracker.h"
#include "nm-l2tp-link-diag.h"
#include "nm-l2tp-ppp-manager.h"
#include "nm-l2tp-xl2tpd.h"

/* pppd gets this long after SIGTERM to say goodbye (LCP Terminate). */
#define PPPD_TERM_GRACE_MS 3000

/* In IKEv1 the CHILD_SA is up here once we sent the last Quick Mode
 * message, but the server installs its SAs only when that message
 * arrives.  An SCCRQ that overtakes it is dropped by the server's kernel,
 * and xl2tpd sends it again only a second later; in the lab that happened
 * to one connect in five.  A short pause is far cheaper.  IKEv2 has no
 * such gap: the server installs the SA before it answers. */
#define IKEV1_DIAL_DELAY_MS 80

struct _NML2tpLink {
    GObject               parent;
    const NML2tpSettings *settings;
    GDBusConnection      *bus;
    char                 *xl2tpd_path;
    char                 *uuid;
    char                 *gateway;
    char                 *run_dir;
    char                 *ppp_plugin;
    char                 *bus_name;
    guint                 local_port;
    char                 *password; /* wiped when replaced and at the end */

    NML2tpLinkDiag    *diag;
    NML2tpXl2tpd      *xl2tpd;
    NML2tpPppManager  *ppp;
    gboolean           xl2tpd_ready; /* listening, may dial */
    gboolean           dial_wanted;  /* connect asked to dial */
    guint              dial_timer;
    guint              stage_timer;
    guint              words_timer;
    NML2tpStage        stage; /* as last announced */
    gint64             stage_since;
    GTask             *connect_task;
    NML2tpStageRecord *record;
    NML2tpIpTracker   *ip;
    gboolean           never_default;
    gboolean           connected;
    gboolean           disconnecting;
};

static void nm_l2tp_link_layer_init(NML2tpLayerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(NML2tpLink,
                              nm_l2tp_link,
                              G_TYPE_OBJECT,
                              G_IMPLEMENT_INTERFACE(NM_L2TP_TYPE_LAYER, nm_l2tp_link_layer_init))

static void
clear_timers(NML2tpLink *self)
{
    g_clear_handle_id(&self->dial_timer, g_source_remove);
    g_clear_handle_id(&self->stage_timer, g_source_remove);
    g_clear_handle_id(&self->words_timer, g_source_remove);
}

/* ---- verdicts ---------------------------------------------------------- */

static void judge(NML2tpLink *self, NML2tpLinkDiagResult result);

static gboolean
stage_timeout_cb(gpointer user_data)
{
    NML2tpLink *self = user_data;

    self->stage_timer = 0;
    judge(self,
          nm_l2tp_link_diag_stage_timeout(self->diag,
                                          (g_get_monotonic_time() - self->stage_since) / 1e6));
    return G_SOURCE_REMOVE;
}

static void
arm_stage_timer(NML2tpLink *self, gint64 seconds)
{
    g_clear_handle_id(&self->stage_timer, g_source_remove);
    self->stage_timer = g_timeout_add_seconds((guint)seconds, stage_timeout_cb, self);
}

static gboolean
words_timeout_cb(gpointer user_data)
{
    NML2tpLink *self = user_data;

    self->words_timer = 0;
    judge(self, nm_l2tp_link_diag_words_timeout(self->diag));
    return G_SOURCE_REMOVE;
}

/* Announces the stages the diagnosis moved through since the last look. */
static void
follow_stage(NML2tpLink *self)
{
    NML2tpStage stage = nm_l2tp_link_diag_get_stage(self->diag);

    if (nm_l2tp_link_diag_has_verdict(self->diag) || stage <= self->stage
        || stage >= NM_L2TP_STAGE_CONNECTED)
        return;
    /* PPP has its own timeout, from the moment the session is up. */
    if (self->stage < NM_L2TP_STAGE_PPP_LCP && stage >= NM_L2TP_STAGE_PPP_LCP)
        arm_stage_timer(self, self->settings->timeout_ppp);
    self->stage       = stage;
    self->stage_since = g_get_monotonic_time();
    nm_l2tp_layer_emit_stage(NM_L2TP_LAYER(self), stage);
}

static void
judge(NML2tpLink *self, NML2tpLinkDiagResult result)
{
    g_autoptr(GTask) task = NULL;

    if (self->disconnecting)
        return;
    follow_stage(self);
    if (result == NM_L2TP_LINK_DIAG_WAIT_WORDS) {
        if (!self->words_timer)
            self->words_timer =
                g_timeout_add(NM_L2TP_LINK_DIAG_WORDS_GRACE_MS, words_timeout_cb, self);
        return;
    }
    if (result != NM_L2TP_LINK_DIAG_VERDICT)
        return;
    clear_timers(self);
    g_clear_pointer(&self->record, nm_l2tp_stage_record_free);
    self->record = nm_l2tp_stage_record_new(nm_l2tp_link_diag_get_stage(self->diag),
                                            nm_l2tp_link_diag_get_cause(self->diag),
                                            nm_l2tp_link_diag_get_detail(self->diag),
                                            0);
    task         = g_steal_pointer(&self->connect_task);
    if (task) {
        g_task_return_new_error(
            task, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "%s", self->record->message);
        return;
    }
    /* Up and gone, or broken before connect was asked (xl2tpd died
     * while IKE ran): either way the attempt must hear it now. */
    self->connected = FALSE;
    nm_l2tp_layer_emit_down(NM_L2TP_LAYER(self), self->record);
}

/* ---- what xl2tpd, pppd and the plugin say --------------------------------- */

static void dial_when_ready(NML2tpLink *self);

static void
xl2tpd_line_cb(NML2tpXl2tpd *xl2tpd, const char *line, int origin, gpointer user_data)
{
    NML2tpLink *self = user_data;

    nm_l2tp_layer_emit_log(NM_L2TP_LAYER(self), "l2tp", line);
    if (origin == NM_L2TP_XL2TPD_ORIGIN_PPPD)
        judge(self, nm_l2tp_link_diag_pppd_line(self->diag, line));
}

static void
xl2tpd_event_cb(NML2tpXl2tpd *xl2tpd, int event, const char *detail, gpointer user_data)
{
    NML2tpLink *self = user_data;

    switch ((NML2tpXl2tpdEvent)event) {
    case NM_L2TP_XL2TPD_EVENT_READY:
        self->xl2tpd_ready = TRUE;
        dial_when_ready(self);
        return;
    case NM_L2TP_XL2TPD_EVENT_NO_KERNEL:
        nm_l2tp_layer_emit_log(
            NM_L2TP_LAYER(self), "l2tp", "no kernel L2TP support; xl2tpd uses its user-space mode");
        return;
    default:
        judge(self, nm_l2tp_link_diag_xl2tpd_event(self->diag, event, detail));
        return;
    }
}

static void
ppp_phase_cb(NML2tpPppManager *ppp, guint phase, gpointer user_data)
{
    NML2tpLink *self = user_data;

    judge(self, nm_l2tp_link_diag_phase(self->diag, phase));
}

static void
ppp_auth_result_cb(NML2tpPppManager *ppp, const char *method, gboolean success, gpointer user_data)
{
    NML2tpLink *self = user_data;

    judge(self, nm_l2tp_link_diag_auth_result(self->diag, method, success));
}

static void
ppp_exit_status_cb(NML2tpPppManager *ppp, guint status, gpointer user_data)
{
    NML2tpLink *self = user_data;

    judge(self, nm_l2tp_link_diag_exit_status(self->diag, status));
}

static void
ip_changed_cb(NML2tpIpTracker *ip, gpointer user_data)
{
    NML2tpLink *self = user_data;

    if (self->connected && !self->disconnecting)
        nm_l2tp_layer_emit_ip_config(NM_L2TP_LAYER(self));
}

static void
ip_log_cb(NML2tpIpTracker *ip, const char *line, gpointer user_data)
{
    nm_l2tp_layer_emit_log(NM_L2TP_LAYER(user_data), "l2tp", line);
}

static void
ppp_ip4_config_cb(NML2tpPppManager *ppp, GVariant *config, gpointer user_data)
{
    NML2tpLink *self      = user_data;
    g_autoptr(GTask) task = NULL;
    gboolean ok;

    if (self->disconnecting || nm_l2tp_link_diag_has_verdict(self->diag))
        return;
    ok = nm_l2tp_ip_tracker_set_ipcp(self->ip, config);
    judge(self, nm_l2tp_link_diag_ip_config(self->diag, ok));
    if (!ok || nm_l2tp_link_diag_has_verdict(self->diag))
        return;
    clear_timers(self);
    self->connected = TRUE;
    g_clear_pointer(&self->record, nm_l2tp_stage_record_free);
    self->record = nm_l2tp_stage_record_new(NM_L2TP_STAGE_CONNECTED,
                                            NM_L2TP_CAUSE_NONE,
                                            nm_l2tp_link_diag_get_auth_method(self->diag),
                                            0);
    task         = g_steal_pointer(&self->connect_task);
    if (task)
        g_task_return_boolean(task, TRUE);
}

/* IPv6CP runs beside IPCP; the connect never waits for it. */
static void
ppp_ip6_config_cb(NML2tpPppManager *ppp, GVariant *config, gpointer user_data)
{
    NML2tpLink *self = user_data;

    if (!self->disconnecting && self->ip)
        nm_l2tp_ip_tracker_set_ipv6cp(self->ip, config);
}

/* A new connect (a new password: a new pppd) starts from nothing. */
static void
new_ip_tracker(NML2tpLink *self)
{
    NML2tpIpTrackerParams p = {
        .gateway_address = self->gateway,
        .client_seed     = self->uuid,
        .dhcp_inform     = self->settings->dhcp_inform,
        .classful_route  = self->settings->classful_route,
        .never_default   = self->never_default,
    };

    if (self->ip)
        g_signal_handlers_disconnect_by_data(self->ip, self);
    g_clear_object(&self->ip);
    self->ip = nm_l2tp_ip_tracker_new(&p);
    g_signal_connect(self->ip, "changed", G_CALLBACK(ip_changed_cb), self);
    g_signal_connect(self->ip, "log", G_CALLBACK(ip_log_cb), self);
}

/* ---- prepare and connect ---------------------------------------------- */

static void
set_credentials(NML2tpLink *self)
{
    g_autofree char *user = nm_l2tp_settings_dup_ppp_user(self->settings);

    nm_l2tp_ppp_manager_set_credentials(self->ppp, user, self->password);
    nm_l2tp_ppp_manager_set_cert_password(self->ppp, self->settings->user_certpass);
}

static void
fill_params(NML2tpLink *self, NML2tpWriterParams *p)
{
    *p = (NML2tpWriterParams){
        .uuid            = self->uuid,
        .gateway_address = self->gateway,
        .local_port      = self->local_port,
        .run_dir         = self->run_dir,
        .ppp_plugin      = self->ppp_plugin,
        .bus_name        = self->bus_name,
    };
}

static gboolean
link_prepare(NML2tpLayer *layer, GError **error)
{
    NML2tpLink        *self    = NM_L2TP_LINK(layer);
    g_autofree char   *conf    = NULL;
    g_autofree char   *options = NULL;
    NML2tpWriterParams params;

    g_return_val_if_fail(!self->xl2tpd, FALSE);
    fill_params(self, &params);
    conf    = nm_l2tp_xl2tpd_conf_build(self->settings, &params);
    options = nm_l2tp_pppd_options_build(self->settings, &params);

    self->ppp = nm_l2tp_ppp_manager_new(self->bus, error);
    if (!self->ppp)
        return FALSE;
    set_credentials(self);
    g_signal_connect(self->ppp, "phase", G_CALLBACK(ppp_phase_cb), self);
    g_signal_connect(self->ppp, "auth-result", G_CALLBACK(ppp_auth_result_cb), self);
    g_signal_connect(self->ppp, "ip4-config", G_CALLBACK(ppp_ip4_config_cb), self);
    g_signal_connect(self->ppp, "ip6-config", G_CALLBACK(ppp_ip6_config_cb), self);
    g_signal_connect(self->ppp, "exit-status", G_CALLBACK(ppp_exit_status_cb), self);

    self->xl2tpd = nm_l2tp_xl2tpd_new(self->run_dir, self->uuid);
    g_signal_connect(self->xl2tpd, "line", G_CALLBACK(xl2tpd_line_cb), self);
    g_signal_connect(self->xl2tpd, "event", G_CALLBACK(xl2tpd_event_cb), self);
    return nm_l2tp_xl2tpd_start(self->xl2tpd, self->xl2tpd_path, conf, options, error);
}

/* Dials once both are true: xl2tpd listens, and connect asked for it. */
static void
dial_when_ready(NML2tpLink *self)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GTask) task   = NULL;

    if (!self->xl2tpd_ready || !self->dial_wanted || !self->connect_task)
        return;
    self->dial_wanted = FALSE;
    if (nm_l2tp_xl2tpd_dial(self->xl2tpd, &error))
        return;
    self->record = nm_l2tp_stage_record_new(
        NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_INTERNAL, error->message, 0);
    clear_timers(self);
    task = g_steal_pointer(&self->connect_task);
    g_task_return_error(task, g_steal_pointer(&error));
}

static gboolean
dial_delay_cb(gpointer user_data)
{
    NML2tpLink *self = user_data;

    self->dial_timer  = 0;
    self->dial_wanted = TRUE;
    dial_when_ready(self);
    return G_SOURCE_REMOVE;
}

static void
link_connect_async(NML2tpLayer        *layer,
                   GCancellable       *cancellable,
                   GAsyncReadyCallback callback,
                   gpointer            user_data)
{
    NML2tpLink *self      = NM_L2TP_LINK(layer);
    gboolean    redial    = self->record != NULL;
    g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

    g_task_set_source_tag(task, link_connect_async);
    if (self->connect_task || self->connected || self->disconnecting || !self->xl2tpd
        || !nm_l2tp_xl2tpd_is_running(self->xl2tpd)) {
        g_task_return_new_error(
            task, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, _("L2TP cannot be connected now"));
        return;
    }
    self->connect_task = g_steal_pointer(&task);
    new_ip_tracker(self);
    self->stage       = NM_L2TP_STAGE_L2TP_TUNNEL;
    self->stage_since = g_get_monotonic_time();
    arm_stage_timer(self, self->settings->timeout_l2tp);
    if (redial) {
        /* A new password over the same xl2tpd: a new pppd will call. */
        g_clear_pointer(&self->record, nm_l2tp_stage_record_free);
        nm_l2tp_link_diag_reset(self->diag);
        nm_l2tp_ppp_manager_forget_caller(self->ppp);
        set_credentials(self);
    }
    nm_l2tp_layer_emit_stage(layer, NM_L2TP_STAGE_L2TP_TUNNEL);
    if (!redial && self->settings->ipsec_enabled && !self->settings->ipsec_ikev2) {
        self->dial_timer = g_timeout_add(IKEV1_DIAL_DELAY_MS, dial_delay_cb, self);
        return;
    }
    self->dial_wanted = TRUE;
    dial_when_ready(self);
}

static gboolean
link_connect_finish(NML2tpLayer *layer, GAsyncResult *result, GError **error)
{
    return g_task_propagate_boolean(G_TASK(result), error);
}

static gboolean
link_can_reconnect(NML2tpLayer *layer)
{
    NML2tpLink *self = NM_L2TP_LINK(layer);

    return self->record && self->record->wrong_secret == NM_L2TP_SECRET_PASSWORD && !self->connected
           && !self->disconnecting && !self->connect_task && self->xl2tpd
           && nm_l2tp_xl2tpd_is_running(self->xl2tpd);
}

/* ---- disconnect ---------------------------------------------------------- */

static void
xl2tpd_stopped_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task = user_data;
    NML2tpLink *self      = g_task_get_source_object(task);

    nm_l2tp_xl2tpd_stop_finish(NM_L2TP_XL2TPD(source), result, NULL);
    g_signal_handlers_disconnect_by_data(self->xl2tpd, self);
    g_clear_object(&self->xl2tpd);
    if (self->ppp)
        g_signal_handlers_disconnect_by_data(self->ppp, self);
    g_clear_object(&self->ppp);
    g_task_return_boolean(task, TRUE);
}

static void
stop_xl2tpd(GTask *task)
{
    NML2tpLink *self = g_task_get_source_object(task);

    if (!self->xl2tpd) {
        xl2tpd_stopped_cb(NULL, NULL, task);
        return;
    }
    nm_l2tp_xl2tpd_stop_async(self->xl2tpd, xl2tpd_stopped_cb, task);
}

static void
pppd_stopped_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    nm_l2tp_process_stop_finish(result, NULL);
    stop_xl2tpd(user_data);
}

static void
link_disconnect_async(NML2tpLayer        *layer,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
    NML2tpLink *self      = NM_L2TP_LINK(layer);
    GTask      *task      = g_task_new(self, cancellable, callback, user_data);
    g_autoptr(GTask) conn = g_steal_pointer(&self->connect_task);
    int pidfd             = self->ppp ? nm_l2tp_ppp_manager_get_pidfd(self->ppp) : -1;

    g_task_set_source_tag(task, link_disconnect_async);
    self->disconnecting = TRUE;
    clear_timers(self);
    if (conn)
        g_task_return_new_error(conn, G_IO_ERROR, G_IO_ERROR_CANCELLED, "disconnected");
    /* pppd first, through its pidfd (it is xl2tpd's child, not ours):
     * its LCP Terminate-Request still travels through L2TP and the SA. */
    if (pidfd >= 0) {
        nm_l2tp_process_stop_async(pidfd, 0, PPPD_TERM_GRACE_MS, pppd_stopped_cb, task);
        return;
    }
    stop_xl2tpd(task);
}

static gboolean
link_disconnect_finish(NML2tpLayer *layer, GAsyncResult *result, GError **error)
{
    return g_task_propagate_boolean(G_TASK(result), error);
}

static const NML2tpStageRecord *
link_get_record(NML2tpLayer *layer)
{
    return NM_L2TP_LINK(layer)->record;
}

/* ---- the object -------------------------------------------------------- */

static void
set_password(NML2tpLink *self, const char *password)
{
    if (self->password)
        explicit_bzero(self->password, strlen(self->password));
    g_free(self->password);
    self->password = g_strdup(password);
}

static gboolean
link_update_secret(NML2tpLayer *layer, const char *key, const char *value)
{
    if (!g_str_equal(key, NM_L2TP_KEY_PASSWORD))
        return FALSE;
    set_password(NM_L2TP_LINK(layer), value);
    return TRUE;
}

static const NML2tpIpConfig *
link_get_ip_config(NML2tpLayer *layer)
{
    NML2tpLink *self = NM_L2TP_LINK(layer);

    return self->connected ? nm_l2tp_ip_tracker_get(self->ip) : NULL;
}

NML2tpLink *
nm_l2tp_link_new(const NML2tpSettings     *settings,
                 const NML2tpWriterParams *params,
                 const NML2tpLinkOptions  *options)
{
    NML2tpLink          *self = g_object_new(NM_L2TP_TYPE_LINK, NULL);
    NML2tpLinkDiagParams dp   = {
          .gateway         = params->gateway_address,
          .eap_tls         = settings->user_auth_type == NM_L2TP_USER_AUTH_TLS,
          .refuses_methods = settings->refuse_pap || settings->refuse_chap || settings->refuse_mschap
                             || settings->refuse_mschapv2 || settings->refuse_eap,
    };

    self->settings      = settings;
    self->bus           = g_object_ref(options->bus);
    self->xl2tpd_path   = g_strdup(options->xl2tpd_path);
    self->uuid          = g_strdup(params->uuid);
    self->gateway       = g_strdup(params->gateway_address);
    self->run_dir       = g_strdup(params->run_dir);
    self->ppp_plugin    = g_strdup(params->ppp_plugin);
    self->bus_name      = g_strdup(params->bus_name);
    self->local_port    = params->local_port;
    self->never_default = options->never_default;
    self->diag          = nm_l2tp_link_diag_new(&dp);
    set_password(self, settings->password);
    return self;
}

static void
nm_l2tp_link_init(NML2tpLink *self)
{
    self->stage = NM_L2TP_STAGE_L2TP_TUNNEL;
}

static void
dispose(GObject *object)
{
    NML2tpLink *self = NM_L2TP_LINK(object);

    clear_timers(self);
    if (self->xl2tpd)
        g_signal_handlers_disconnect_by_data(self->xl2tpd, self);
    if (self->ppp)
        g_signal_handlers_disconnect_by_data(self->ppp, self);
    if (self->ip)
        g_signal_handlers_disconnect_by_data(self->ip, self);
    g_clear_object(&self->ip);
    /* Without a disconnect the xl2tpd object still kills its process. */
    g_clear_object(&self->xl2tpd);
    g_clear_object(&self->ppp);
    g_clear_object(&self->bus);
    G_OBJECT_CLASS(nm_l2tp_link_parent_class)->dispose(object);
}

static void
finalize(GObject *object)
{
    NML2tpLink *self = NM_L2TP_LINK(object);

    set_password(self, NULL);
    g_clear_pointer(&self->record, nm_l2tp_stage_record_free);
    g_clear_pointer(&self->diag, nm_l2tp_link_diag_free);
    g_free(self->xl2tpd_path);
    g_free(self->uuid);
    g_free(self->gateway);
    g_free(self->run_dir);
    g_free(self->ppp_plugin);
    g_free(self->bus_name);
    G_OBJECT_CLASS(nm_l2tp_link_parent_class)->finalize(object);
}

static void
nm_l2tp_link_class_init(NML2tpLinkClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);

    object_class->dispose  = dispose;
    object_class->finalize = finalize;
}

static void
nm_l2tp_link_layer_init(NML2tpLayerInterface *iface)
{
    iface->prepare           = link_prepare;
    iface->connect_async     = link_connect_async;
    iface->connect_finish    = link_connect_finish;
    iface->can_reconnect     = link_can_reconnect;
    iface->disconnect_async  = link_disconnect_async;
    iface->disconnect_finish = link_disconnect_finish;
    iface->get_record        = link_get_record;
    iface->update_secret     = link_update_secret;
    iface->get_ip_config     = link_get_ip_config;
}
