/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the service does for NetworkManager.  See nm-l2tp-session.h. */
#include "config.h"

#include "nm-l2tp-session.h"

#include <glib/gi18n-lib.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-ipsec.h"
#include "nm-l2tp-link.h"
#include "nm-l2tp-owner.h"
#include "nm-l2tp-resources.h"
#include "nm-l2tp-settings.h"

typedef enum {
    WAITING_FOR_NOTHING,
    WAITING_FOR_PASSWORD,
    WAITING_FOR_PSK,
} WaitingFor;

struct _NML2tpSession {
    GObject            parent;
    GDBusConnection   *bus;
    char              *bus_name;
    char              *run_base;
    NML2tpCharonAhead *charon_ahead;
    NML2tpLayerFactory factory;
    gboolean           private_charon; /* for the connection being made */
    NML2tpAttempt     *attempt;
    NMConnection      *connection;
    NML2tpSettings    *deferred; /* validated, waits for the last teardown */
    char             **owners;   /* of the connection; empty: a system one */
    gboolean           interactive;
    WaitingFor         waiting_for;
    int                failure;                /* NMVpnPluginFailure reported, -1: none */
    int                failure_after_teardown; /* to report once all is gone, -1: none */
    guint              pending_teardowns;
    guint              other_service_poll; /* source: waits for another service's teardown */
    gint64             other_service_until;
};

G_DEFINE_FINAL_TYPE(NML2tpSession, nm_l2tp_session, G_TYPE_OBJECT)

enum {
    SIGNAL_CONFIG,
    SIGNAL_FAILURE,
    SIGNAL_SECRETS_REQUIRED,
    SIGNAL_STOPPED,
    SIGNAL_IDLE,
    N_SIGNALS
};
static guint signals[N_SIGNALS];

/* A secret with these flags comes from the user's agent each time. */
#define AGENT_KEPT_FLAGS (NM_SETTING_SECRET_FLAG_AGENT_OWNED | NM_SETTING_SECRET_FLAG_NOT_SAVED)

static void begin_attempt(NML2tpSession *self, NML2tpSettings *settings);
static void report_failure(NML2tpSession *self, int failure);

static const char *
run_base(NML2tpSession *self)
{
    return self->run_base ? self->run_base : NM_L2TP_RUNDIR;
}

/* ---- teardowns ------------------------------------------------------------ */

typedef struct {
    NML2tpSession *self;
    gboolean       report_stopped; /* tell NetworkManager once it is over */
} Teardown;

static void
teardown_done(NML2tpSession *self, gboolean report_stopped)
{
    self->pending_teardowns--;
    /* A failure ends the connection for NetworkManager only once every
     * process and SA is gone, so that a quick reconnect starts clean. */
    if (report_stopped && self->failure_after_teardown >= 0) {
        report_failure(self, self->failure_after_teardown);
        self->failure_after_teardown = -1;
    }
    if (report_stopped)
        g_signal_emit(self, signals[SIGNAL_STOPPED], 0);
    if (self->pending_teardowns > 0)
        return;
    if (self->deferred) {
        begin_attempt(self, g_steal_pointer(&self->deferred));
        return;
    }
    g_signal_emit(self, signals[SIGNAL_IDLE], 0);
}

static void
attempt_stopped_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Teardown *t                   = user_data;
    g_autoptr(NML2tpSession) self = t->self;
    gboolean report               = t->report_stopped;

    g_free(t);
    nm_l2tp_attempt_stop_finish(NM_L2TP_ATTEMPT(source), result, NULL);
    g_object_unref(source);
    teardown_done(self, report);
}

static void
charon_dropped_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpSession) self = user_data;

    teardown_done(self, FALSE);
}

/* The charon started ahead is for the first connect; if that ended
 * without taking it, it goes now, not when the service quits. */
static void
drop_charon_ahead(NML2tpSession *self)
{
    /* The callback never runs before this returns (GTask defers it). */
    if (nm_l2tp_charon_ahead_drop_async(self->charon_ahead, charon_dropped_cb, self)) {
        g_object_ref(self);
        self->pending_teardowns++;
    }
}

static void
teardown(NML2tpSession *self, gboolean report_stopped)
{
    NML2tpAttempt *attempt = g_steal_pointer(&self->attempt);
    Teardown      *t;

    drop_charon_ahead(self);
    if (!attempt)
        return;
    g_signal_handlers_disconnect_by_data(attempt, self);
    t                 = g_new0(Teardown, 1);
    t->self           = g_object_ref(self);
    t->report_stopped = report_stopped;
    self->pending_teardowns++;
    nm_l2tp_attempt_stop_async(attempt, attempt_stopped_cb, t);
}

/* ---- what an attempt says ------------------------------------------------------ */

static void
attempt_connected_cb(
    NML2tpAttempt *attempt, GVariant *config, GVariant *ip4, GVariant *ip6, gpointer user_data)
{
    g_signal_emit(user_data, signals[SIGNAL_CONFIG], 0, config, ip4, ip6);
}

static void
ask_again(NML2tpSession *self, const NML2tpStageRecord *verdict, const char *secret)
{
    g_autofree char *message = nm_l2tp_stage_record_get_localized_message(verdict);
    g_autofree char *text    = g_strdup_printf(
        "%s: %s. %s", nm_l2tp_stage_get_label(verdict->stage), message, _(verdict->hint));

    g_signal_emit(self, signals[SIGNAL_SECRETS_REQUIRED], 0, text, secret);
}

/* Re-asking makes sense only for a secret that an agent supplied (agent
 * owned, or never saved): a wrong secret that NetworkManager itself stores
 * is a wrong profile, reported as login-failed for the user to correct. */
static gboolean
secret_from_agent(NML2tpSession *self, const char *key)
{
    NMSettingVpn *s_vpn = self->connection ? nm_connection_get_setting_vpn(self->connection) : NULL;
    NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;

    if (!s_vpn || !nm_setting_get_secret_flags(NM_SETTING(s_vpn), key, &flags, NULL))
        return FALSE;
    return (flags & AGENT_KEPT_FLAGS) != 0;
}

static void
report_failure(NML2tpSession *self, int failure)
{
    self->failure = failure;
    g_signal_emit(self, signals[SIGNAL_FAILURE], 0, (guint)failure);
}

/* NetworkManager hears of a failure at once and may start the next
 * service for the connection right away.  But when one of our processes
 * died (charon above all), what it had put into the kernel (its SAs and
 * policies for the gateway) is ours to remove, and a new connection to
 * the same gateway must not start before that is done: then the failure
 * waits for the teardown. */
static void
fail_and_teardown(NML2tpSession *self, const NML2tpStageRecord *verdict, int failure)
{
    if (verdict->cause == NM_L2TP_CAUSE_PROCESS_DIED
        || verdict->cause == NM_L2TP_CAUSE_CHARON_UNAVAILABLE)
        self->failure_after_teardown = failure;
    else
        report_failure(self, failure);
    teardown(self, TRUE);
}

static void
attempt_failed_cb(NML2tpAttempt *attempt, NML2tpStageRecord *verdict, gpointer user_data)
{
    NML2tpSession *self = user_data;

    /* During an interactive connect, ask only for the secret that was
     * wrong.  A new password is tried over the IPsec SA that is still up;
     * a new PSK needs IPsec from the start. */
    if (self->interactive && verdict->wrong_secret == NM_L2TP_SECRET_PASSWORD
        && secret_from_agent(self, NM_L2TP_KEY_PASSWORD)
        && nm_l2tp_attempt_can_retry_password(attempt)) {
        self->waiting_for = WAITING_FOR_PASSWORD;
        ask_again(self, verdict, NM_L2TP_KEY_PASSWORD);
        return;
    }
    if (self->interactive && verdict->wrong_secret == NM_L2TP_SECRET_IPSEC_PSK
        && secret_from_agent(self, NM_L2TP_KEY_IPSEC_PSK)) {
        self->waiting_for = WAITING_FOR_PSK;
        teardown(self, FALSE);
        ask_again(self, verdict, NM_L2TP_KEY_IPSEC_PSK);
        return;
    }
    fail_and_teardown(self,
                      verdict,
                      verdict->wrong_secret != NM_L2TP_SECRET_NONE ?
                          NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED :
                          NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
}

static void
attempt_lost_cb(NML2tpAttempt *attempt, NML2tpStageRecord *verdict, gpointer user_data)
{
    NML2tpSession *self = user_data;

    /* NetworkManager learns of the loss as a failure, then the stop. */
    fail_and_teardown(self, verdict, NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
}

/* ---- starting attempts ----------------------------------------------------------- */

static NML2tpSettings *
settings_from_connection(NMConnection *connection, NML2tpValidateFlags flags, GError **error)
{
    NMSettingVpn *s_vpn     = nm_connection_get_setting_vpn(connection);
    g_autoptr(GError) local = NULL;
    NML2tpSettings *settings;

    if (!s_vpn) {
        g_set_error(error,
                    NM_VPN_PLUGIN_ERROR,
                    NM_VPN_PLUGIN_ERROR_INVALID_CONNECTION,
                    _("the connection has no VPN setting"));
        return NULL;
    }
    /* The UUID names the run directory and goes into every config file. */
    if (!nm_l2tp_uuid_is_plain(nm_connection_get_uuid(connection))) {
        g_set_error(error,
                    NM_VPN_PLUGIN_ERROR,
                    NM_VPN_PLUGIN_ERROR_INVALID_CONNECTION,
                    _("the connection's UUID may hold only hex digits and dashes"));
        return NULL;
    }
    settings = nm_l2tp_settings_new_from_vpn(s_vpn, flags, &local);
    if (!settings) {
        g_set_error(
            error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_BAD_ARGUMENTS, "%s", local->message);
        return NULL;
    }
    return settings;
}

static void
run_attempt(NML2tpSession *self, NML2tpSettings *settings)
{
    NML2tpAttemptOptions options = {
        .uuid     = nm_connection_get_uuid(self->connection),
        .name     = nm_connection_get_id(self->connection),
        .run_base = self->run_base,
        .owners   = (const char *const *)self->owners,
        .factory  = &self->factory,
    };

    /* A connection that names users in its permissions belongs to them:
     * its secrets are theirs, and must never be able to stand in for an
     * administrator's in a charon that others share. */
    self->private_charon = self->owners[0] != NULL;
    /* The server may still hold our last tunnel: another source port
     * (read before the new attempt writes its report). */
    settings->ephemeral_port |= nm_l2tp_last_tunnel_is_recent(run_base(self), options.uuid);
    self->attempt = nm_l2tp_attempt_new(settings, &options);
    g_signal_connect(self->attempt, "connected", G_CALLBACK(attempt_connected_cb), self);
    g_signal_connect(self->attempt, "failed", G_CALLBACK(attempt_failed_cb), self);
    g_signal_connect(self->attempt, "lost", G_CALLBACK(attempt_lost_cb), self);
    nm_l2tp_attempt_start(self->attempt);
}

/* NetworkManager starts a new service for a connection while the last
 * service of that connection may still be tearing it down (a loss is
 * reported at once).  Its goodbyes (LCP Terminate, CDN, StopCCN) must not
 * meet our new tunnel: a server that tells tunnels apart by their IDs
 * alone (l2tpns) hands the new one the same IDs and takes them for its
 * own.  Its report would also overwrite ours.  So the attempt waits until
 * that service is done, which its own deadlines bound. */
#define OTHER_SERVICE_POLL_MS 100
#define OTHER_SERVICE_WAIT_S  20

static gboolean
other_service_poll_cb(gpointer user_data)
{
    NML2tpSession *self = user_data;

    if (nm_l2tp_other_service_of(run_base(self), nm_connection_get_uuid(self->connection)) != 0
        && g_get_monotonic_time() < self->other_service_until)
        return G_SOURCE_CONTINUE;
    self->other_service_poll = 0;
    run_attempt(self, g_steal_pointer(&self->deferred));
    return G_SOURCE_REMOVE;
}

static void
begin_attempt(NML2tpSession *self, NML2tpSettings *settings)
{
    const char *uuid  = nm_connection_get_uuid(self->connection);
    long        other = nm_l2tp_other_service_of(run_base(self), uuid);

    if (other == 0) {
        run_attempt(self, settings);
        return;
    }
    g_log_structured(G_LOG_DOMAIN,
                     G_LOG_LEVEL_MESSAGE,
                     "NM_CONNECTION",
                     uuid,
                     "MESSAGE",
                     "l2tp \"%s\": waiting for the last service of this connection (pid %ld) "
                     "to finish its teardown",
                     nm_connection_get_id(self->connection),
                     other);
    self->deferred            = settings;
    self->other_service_until = g_get_monotonic_time() + OTHER_SERVICE_WAIT_S * G_USEC_PER_SEC;
    self->other_service_poll  = g_timeout_add(OTHER_SERVICE_POLL_MS, other_service_poll_cb, self);
}

static gboolean
start_attempt(NML2tpSession *self, NMConnection *connection, GError **error)
{
    g_autoptr(NML2tpSettings) settings =
        settings_from_connection(connection, NM_L2TP_VALIDATE_FOR_CONNECT, error);
    g_autoptr(GError) local = NULL;

    /* Refused settings leave nothing behind, not even the charon started
     * ahead (which carries none of them); neither does a profile without
     * IPsec. */
    if (!settings || !settings->ipsec_enabled)
        drop_charon_ahead(self);
    if (!settings)
        return FALSE;
    g_strfreev(self->owners);
    if (!(self->owners = nm_l2tp_connection_dup_owner_names(connection, &local))) {
        drop_charon_ahead(self);
        g_set_error(error,
                    NM_VPN_PLUGIN_ERROR,
                    NM_VPN_PLUGIN_ERROR_INVALID_CONNECTION,
                    "%s",
                    local->message);
        return FALSE;
    }
    g_set_object(&self->connection, connection);
    if (self->pending_teardowns > 0) {
        /* The last attempt's teardown still runs in the same places. */
        g_clear_pointer(&self->deferred, nm_l2tp_settings_free);
        self->deferred = g_steal_pointer(&settings);
        return TRUE;
    }
    begin_attempt(self, g_steal_pointer(&settings));
    return TRUE;
}

/* ---- NetworkManager's requests ---------------------------------------------------- */

gboolean
nm_l2tp_session_connect(NML2tpSession *self,
                        NMConnection  *connection,
                        gboolean       interactive,
                        GError       **error)
{
    if (self->attempt || self->deferred || self->pending_teardowns) {
        g_set_error(error,
                    NM_VPN_PLUGIN_ERROR,
                    NM_VPN_PLUGIN_ERROR_WRONG_STATE,
                    _("already connecting or connected"));
        return FALSE;
    }
    self->interactive            = interactive;
    self->waiting_for            = WAITING_FOR_NOTHING;
    self->failure                = -1;
    self->failure_after_teardown = -1;
    return start_attempt(self, connection, error);
}

gboolean
nm_l2tp_session_new_secrets(NML2tpSession *self, NMConnection *connection, GError **error)
{
    NMSettingVpn *s_vpn   = nm_connection_get_setting_vpn(connection);
    WaitingFor    waiting = self->waiting_for;
    const char   *password;
    g_autoptr(GError) local = NULL;

    self->waiting_for = WAITING_FOR_NOTHING;
    switch (waiting) {
    case WAITING_FOR_PASSWORD:
        password = s_vpn ? nm_setting_vpn_get_secret(s_vpn, NM_L2TP_KEY_PASSWORD) : NULL;
        if (!self->attempt || !password
            || !nm_l2tp_validate_value(NM_L2TP_KEY_PASSWORD, password, &local)
            || !nm_l2tp_attempt_retry_password(self->attempt, password, &local)) {
            g_set_error(error,
                        NM_VPN_PLUGIN_ERROR,
                        NM_VPN_PLUGIN_ERROR_BAD_ARGUMENTS,
                        "%s",
                        local ? local->message : _("no password was given"));
            return FALSE;
        }
        return TRUE;
    case WAITING_FOR_PSK:
        return start_attempt(self, connection, error);
    case WAITING_FOR_NOTHING:
        break;
    }
    g_set_error(
        error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_WRONG_STATE, _("no secret was asked for"));
    return FALSE;
}

void
nm_l2tp_session_disconnect(NML2tpSession *self)
{
    g_clear_handle_id(&self->other_service_poll, g_source_remove);
    g_clear_pointer(&self->deferred, nm_l2tp_settings_free);
    self->waiting_for = WAITING_FOR_NOTHING;
    teardown(self, FALSE);
    if (self->pending_teardowns == 0)
        g_signal_emit(self, signals[SIGNAL_IDLE], 0);
}

gboolean
nm_l2tp_session_is_idle(NML2tpSession *self)
{
    return self->pending_teardowns == 0;
}

int
nm_l2tp_session_get_failure(NML2tpSession *self)
{
    return self->failure;
}

static gboolean
secret_missing(const char *value, gint64 flags)
{
    return !value && !(flags & NM_SETTING_SECRET_FLAG_NOT_REQUIRED);
}

gboolean
nm_l2tp_session_need_secrets(NML2tpSession *self,
                             NMConnection  *connection,
                             const char   **setting_name,
                             GError       **error)
{
    g_autoptr(NML2tpSettings) s =
        settings_from_connection(connection, NM_L2TP_VALIDATE_NONE, error);

    /* Refused here, the connection ends before Connect: so does the
     * charon started for it. */
    if (!s) {
        drop_charon_ahead(self);
        return FALSE;
    }
    /* EAP-TLS sends no password.  The key's password is asked for only
     * when an agent keeps it: unset and stored by NetworkManager means the
     * key has none. */
    if ((s->user_auth_type == NM_L2TP_USER_AUTH_PASSWORD
         && secret_missing(s->password, s->password_flags))
        || (s->user_auth_type == NM_L2TP_USER_AUTH_TLS
            && secret_missing(s->user_certpass, s->user_certpass_flags)
            && (s->user_certpass_flags & AGENT_KEPT_FLAGS))
        || (s->ipsec_enabled && s->machine_auth_type == NM_L2TP_MACHINE_AUTH_PSK
            && secret_missing(s->ipsec_psk, s->ipsec_psk_flags))) {
        *setting_name = NM_SETTING_VPN_SETTING_NAME;
        return TRUE;
    }
    return FALSE;
}

/* ---- the real layers ------------------------------------------------------------------ */

static NML2tpLayer *
new_ipsec(const NML2tpSettings *settings, const NML2tpWriterParams *params, gpointer data)
{
    NML2tpSession     *self    = data;
    NML2tpIpsecOptions options = {
        .charon_ahead        = self->charon_ahead,
        .allow_system_charon = !self->private_charon,
    };

    return NM_L2TP_LAYER(nm_l2tp_ipsec_new(settings, params, &options));
}

static NML2tpLayer *
new_link(const NML2tpSettings *settings, const NML2tpWriterParams *params, gpointer data)
{
    NML2tpSession     *self    = data;
    NML2tpWriterParams p       = *params;
    NMSettingIPConfig *s_ip4   = nm_connection_get_setting_ip4_config(self->connection);
    NML2tpLinkOptions  options = {
         .bus           = self->bus,
         .never_default = s_ip4 && nm_setting_ip_config_get_never_default(s_ip4),
    };

    /* pppd's plugin calls this service's object on the bus. */
    p.ppp_plugin = NM_L2TP_PPPD_PLUGIN_DIR "/nm-l2tp-pppd-plugin.so";
    p.bus_name   = self->bus_name;
    return NM_L2TP_LAYER(nm_l2tp_link_new(settings, &p, &options));
}

/* ---- the object ---------------------------------------------------------------------- */

NML2tpSession *
nm_l2tp_session_new(const NML2tpSessionOptions *options)
{
    NML2tpSession *self = g_object_new(NM_L2TP_TYPE_SESSION, NULL);

    self->bus          = options->bus ? g_object_ref(options->bus) : NULL;
    self->bus_name     = g_strdup(options->bus_name);
    self->run_base     = g_strdup(options->run_base);
    self->charon_ahead = options->charon_ahead ? g_object_ref(options->charon_ahead) : NULL;
    if (options->factory)
        self->factory = *options->factory;
    else
        self->factory = (NML2tpLayerFactory){ new_ipsec, new_link, self };
    return self;
}

static void
nm_l2tp_session_init(NML2tpSession *self)
{
    self->failure                = -1;
    self->failure_after_teardown = -1;
}

static void
dispose(GObject *object)
{
    NML2tpSession *self = NM_L2TP_SESSION(object);

    if (self->attempt)
        g_signal_handlers_disconnect_by_data(self->attempt, self);
    g_clear_handle_id(&self->other_service_poll, g_source_remove);
    g_clear_object(&self->attempt);
    g_clear_object(&self->connection);
    g_clear_object(&self->charon_ahead);
    g_clear_object(&self->bus);
    g_clear_pointer(&self->deferred, nm_l2tp_settings_free);
    g_clear_pointer(&self->owners, g_strfreev);
    G_OBJECT_CLASS(nm_l2tp_session_parent_class)->dispose(object);
}

static void
finalize(GObject *object)
{
    NML2tpSession *self = NM_L2TP_SESSION(object);

    g_free(self->bus_name);
    g_free(self->run_base);
    G_OBJECT_CLASS(nm_l2tp_session_parent_class)->finalize(object);
}

static void
nm_l2tp_session_class_init(NML2tpSessionClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    GType         type         = G_TYPE_FROM_CLASS(klass);

    object_class->dispose  = dispose;
    object_class->finalize = finalize;

    signals[SIGNAL_CONFIG]  = g_signal_new("config",
                                          type,
                                          G_SIGNAL_RUN_LAST,
                                          0,
                                          NULL,
                                          NULL,
                                          NULL,
                                          G_TYPE_NONE,
                                          3,
                                          G_TYPE_VARIANT,
                                          G_TYPE_VARIANT,
                                          G_TYPE_VARIANT);
    signals[SIGNAL_FAILURE] = g_signal_new(
        "failure", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
    signals[SIGNAL_SECRETS_REQUIRED] = g_signal_new("secrets-required",
                                                    type,
                                                    G_SIGNAL_RUN_LAST,
                                                    0,
                                                    NULL,
                                                    NULL,
                                                    NULL,
                                                    G_TYPE_NONE,
                                                    2,
                                                    G_TYPE_STRING,
                                                    G_TYPE_STRING);
    signals[SIGNAL_STOPPED] =
        g_signal_new("stopped", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
    signals[SIGNAL_IDLE] =
        g_signal_new("idle", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}
