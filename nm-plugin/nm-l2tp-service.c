/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nm-l2tp-service: the NetworkManager VPN service for L2TP/IPsec.
 * NetworkManager starts one per active connection with --bus-name.  This
 * file is the NMVpnServicePlugin glue: validation of the request, secrets
 * (and which one to ask again), and reporting to NetworkManager; the
 * connection itself is NML2tpAttempt. */

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <NetworkManager.h>
#include <stdlib.h>

#include "nm-l2tp-attempt.h"
#include "nm-l2tp-charon-ahead.h"
#include "nm-l2tp-error.h"
#include "nm-l2tp-ppp-dbus.h"
#include "nm-l2tp-settings.h"

typedef enum {
    WAITING_FOR_NOTHING,
    WAITING_FOR_PASSWORD,
    WAITING_FOR_PSK,
} WaitingFor;

struct _NML2tpPlugin {
    NMVpnServicePlugin parent;
    NML2tpAttempt     *attempt;
    NMConnection      *connection;
    gboolean           interactive;
    WaitingFor         waiting_for;
    int                failure; /* NMVpnPluginFailure reported, -1: none */
    guint              pending_teardowns;
    gboolean           quit_requested;
    GMainLoop         *loop;
};

#define NM_L2TP_TYPE_PLUGIN (nm_l2tp_plugin_get_type())
G_DECLARE_FINAL_TYPE(NML2tpPlugin, nm_l2tp_plugin, NM_L2TP, PLUGIN, NMVpnServicePlugin)
G_DEFINE_FINAL_TYPE(NML2tpPlugin, nm_l2tp_plugin, NM_TYPE_VPN_SERVICE_PLUGIN)

static gboolean start_attempt(NML2tpPlugin *self, NMConnection *connection, GError **error);

static void
maybe_quit(NML2tpPlugin *self)
{
    if (self->quit_requested && self->pending_teardowns == 0)
        g_main_loop_quit(self->loop);
}

static void
attempt_stopped_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    NML2tpPlugin *self   = user_data;
    gboolean      report = GPOINTER_TO_INT(g_object_get_data(source, "report-stopped"));

    nm_l2tp_attempt_stop_finish(NM_L2TP_ATTEMPT(source), result, NULL);
    g_object_unref(source);
    self->pending_teardowns--;
    /* A failure ends the plugin's life as a connection only once every
     * process and SA is gone, so that a quick reconnect starts clean. */
    if (report)
        nm_vpn_service_plugin_disconnect(NM_VPN_SERVICE_PLUGIN(self), NULL);
    maybe_quit(self);
    g_object_unref(self);
}

static void
charon_dropped_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    NML2tpPlugin *self = user_data;

    self->pending_teardowns--;
    maybe_quit(self);
    g_object_unref(self);
}

/* The charon started ahead (see main()) is for the first connect; if that
 * ended without taking it, it goes now, not when the service quits. */
static void
drop_charon_ahead(NML2tpPlugin *self)
{
    /* The callback never runs before this returns (GTask defers it). */
    if (nm_l2tp_charon_ahead_drop_async(charon_dropped_cb, self)) {
        g_object_ref(self);
        self->pending_teardowns++;
    }
}

static void
teardown(NML2tpPlugin *self, gboolean report_stopped)
{
    NML2tpAttempt *attempt = g_steal_pointer(&self->attempt);

    drop_charon_ahead(self);
    if (!attempt)
        return;
    g_signal_handlers_disconnect_by_data(attempt, self);
    g_object_set_data(G_OBJECT(attempt), "report-stopped", GINT_TO_POINTER(report_stopped));
    self->pending_teardowns++;
    nm_l2tp_attempt_stop_async(attempt, attempt_stopped_cb, g_object_ref(self));
}

static void
attempt_connected_cb(NML2tpAttempt *attempt, GVariant *config, GVariant *ip4, gpointer user_data)
{
    NML2tpPlugin *self = user_data;

    nm_vpn_service_plugin_set_config(NM_VPN_SERVICE_PLUGIN(self), config);
    nm_vpn_service_plugin_set_ip4_config(NM_VPN_SERVICE_PLUGIN(self), ip4);
}

static void
ask_again(NML2tpPlugin *self, const NML2tpStageRecord *verdict, const char *secret)
{
    g_autofree char *message = nm_l2tp_stage_record_get_localized_message(verdict);
    g_autofree char *text    = g_strdup_printf(
        "%s: %s. %s", nm_l2tp_stage_get_label(verdict->stage), message, _(verdict->hint));
    const char *hints[] = { secret, NULL };

    nm_vpn_service_plugin_secrets_required(NM_VPN_SERVICE_PLUGIN(self), text, hints);
}

/* A secret with these flags comes from the user's agent each time. */
#define AGENT_KEPT_FLAGS (NM_SETTING_SECRET_FLAG_AGENT_OWNED | NM_SETTING_SECRET_FLAG_NOT_SAVED)

/* Re-asking makes sense only for a secret that an agent supplied (agent
 * owned, or never saved): a wrong secret that NetworkManager itself stores
 * is a wrong profile, reported as login-failed for the user to correct. */
static gboolean
secret_from_agent(NML2tpPlugin *self, const char *key)
{
    NMSettingVpn *s_vpn = self->connection ? nm_connection_get_setting_vpn(self->connection) : NULL;
    NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;

    if (!s_vpn || !nm_setting_get_secret_flags(NM_SETTING(s_vpn), key, &flags, NULL))
        return FALSE;
    return (flags & AGENT_KEPT_FLAGS) != 0;
}

static void
attempt_failed_cb(NML2tpAttempt *attempt, NML2tpStageRecord *verdict, gpointer user_data)
{
    NML2tpPlugin *self = user_data;

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
    self->failure = verdict->wrong_secret != NM_L2TP_SECRET_NONE ?
                        NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED :
                        NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED;
    nm_vpn_service_plugin_failure(NM_VPN_SERVICE_PLUGIN(self), self->failure);
    teardown(self, TRUE);
}

static void
attempt_lost_cb(NML2tpAttempt *attempt, NML2tpStageRecord *verdict, gpointer user_data)
{
    NML2tpPlugin *self = user_data;

    /* NetworkManager learns of the loss as a failure, then the stop. */
    nm_vpn_service_plugin_failure(NM_VPN_SERVICE_PLUGIN(self),
                                  NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
    teardown(self, TRUE);
}

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

static gboolean
start_attempt(NML2tpPlugin *self, NMConnection *connection, GError **error)
{
    g_autoptr(NML2tpSettings) settings =
        settings_from_connection(connection, NM_L2TP_VALIDATE_FOR_CONNECT, error);
    g_autofree char     *bus_name = NULL;
    NML2tpAttemptOptions options;

    /* Refused settings leave nothing behind, not even the charon started
     * ahead (which carries none of them); neither does a profile without
     * IPsec. */
    if (!settings || !settings->ipsec_enabled)
        drop_charon_ahead(self);
    if (!settings)
        return FALSE;
    g_object_get(self, NM_VPN_SERVICE_PLUGIN_DBUS_SERVICE_NAME, &bus_name, NULL);
    options = (NML2tpAttemptOptions){
        .uuid                = nm_connection_get_uuid(connection),
        .name                = nm_connection_get_id(connection),
        .bus_name            = bus_name,
        .run_base            = g_getenv("NM_L2TP_RUN_BASE"),
        .allow_system_charon = TRUE,
    };
    self->attempt =
        nm_l2tp_attempt_new(g_steal_pointer(&settings),
                            nm_vpn_service_plugin_get_connection(NM_VPN_SERVICE_PLUGIN(self)),
                            &options);
    g_signal_connect(self->attempt, "connected", G_CALLBACK(attempt_connected_cb), self);
    g_signal_connect(self->attempt, "failed", G_CALLBACK(attempt_failed_cb), self);
    g_signal_connect(self->attempt, "lost", G_CALLBACK(attempt_lost_cb), self);
    g_set_object(&self->connection, connection);
    nm_l2tp_attempt_start(self->attempt);
    return TRUE;
}

static gboolean
real_connect(NMVpnServicePlugin *plugin, NMConnection *connection, GError **error)
{
    NML2tpPlugin *self = NM_L2TP_PLUGIN(plugin);

    if (self->attempt || self->pending_teardowns) {
        g_set_error(error,
                    NM_VPN_PLUGIN_ERROR,
                    NM_VPN_PLUGIN_ERROR_WRONG_STATE,
                    _("already connecting or connected"));
        return FALSE;
    }
    self->waiting_for = WAITING_FOR_NOTHING;
    self->failure     = -1;
    return start_attempt(self, connection, error);
}

static gboolean
real_connect_interactive(NMVpnServicePlugin *plugin,
                         NMConnection       *connection,
                         GVariant           *details,
                         GError            **error)
{
    NM_L2TP_PLUGIN(plugin)->interactive = TRUE;
    return real_connect(plugin, connection, error);
}

static gboolean
secret_missing(const char *value, gint64 flags)
{
    return !value && !(flags & NM_SETTING_SECRET_FLAG_NOT_REQUIRED);
}

static gboolean
real_need_secrets(NMVpnServicePlugin *plugin,
                  NMConnection       *connection,
                  const char        **setting_name,
                  GError            **error)
{
    g_autoptr(NML2tpSettings) s =
        settings_from_connection(connection, NM_L2TP_VALIDATE_NONE, error);

    if (!s)
        return FALSE;
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

static gboolean
real_new_secrets(NMVpnServicePlugin *plugin, NMConnection *connection, GError **error)
{
    NML2tpPlugin *self    = NM_L2TP_PLUGIN(plugin);
    NMSettingVpn *s_vpn   = nm_connection_get_setting_vpn(connection);
    WaitingFor    waiting = self->waiting_for;
    const char   *password;
    g_autoptr(GError) local = NULL;

    self->waiting_for = WAITING_FOR_NOTHING;
    switch (waiting) {
    case WAITING_FOR_PASSWORD:
        password = s_vpn ? nm_setting_vpn_get_secret(s_vpn, NM_L2TP_KEY_PASSWORD) : NULL;
        if (!password || !nm_l2tp_validate_value(NM_L2TP_KEY_PASSWORD, password, &local)
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

static gboolean
real_disconnect(NMVpnServicePlugin *plugin, GError **error)
{
    NML2tpPlugin *self = NM_L2TP_PLUGIN(plugin);

    /* A disconnect while still starting makes libnm report a generic
     * connect-failed; NetworkManager keeps the last reason it heard, so the
     * real one is said again here, just before the stop. */
    if (self->failure >= 0)
        nm_vpn_service_plugin_failure(plugin, self->failure);
    teardown(self, FALSE);
    return TRUE;
}

static void
nm_l2tp_plugin_init(NML2tpPlugin *self)
{
    self->failure = -1;
}

static void
dispose(GObject *object)
{
    NML2tpPlugin *self = NM_L2TP_PLUGIN(object);

    g_clear_object(&self->connection);
    G_OBJECT_CLASS(nm_l2tp_plugin_parent_class)->dispose(object);
}

static void
nm_l2tp_plugin_class_init(NML2tpPluginClass *klass)
{
    GObjectClass            *object_class = G_OBJECT_CLASS(klass);
    NMVpnServicePluginClass *parent_class = NM_VPN_SERVICE_PLUGIN_CLASS(klass);

    object_class->dispose             = dispose;
    parent_class->connect             = real_connect;
    parent_class->connect_interactive = real_connect_interactive;
    parent_class->need_secrets        = real_need_secrets;
    parent_class->new_secrets         = real_new_secrets;
    parent_class->disconnect          = real_disconnect;
}

static void
quit_cb(NMVpnServicePlugin *plugin, gpointer user_data)
{
    NML2tpPlugin *self = NM_L2TP_PLUGIN(plugin);

    self->quit_requested = TRUE;
    teardown(self, FALSE);
    maybe_quit(self);
}

static gboolean
signal_cb(gpointer user_data)
{
    quit_cb(user_data, NULL);
    return G_SOURCE_CONTINUE;
}

static void
bus_ready_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    GDBusConnection **bus = user_data;

    *bus = g_bus_get_finish(result, NULL);
}

int
main(int argc, char **argv)
{
    g_autoptr(GDBusConnection) bus = NULL;
    g_autoptr(NML2tpPlugin) plugin = NULL;
    g_autoptr(GOptionContext) ctx  = NULL;
    g_autoptr(GError) error        = NULL;
    g_autofree char *bus_name      = NULL;
    gboolean         persist       = FALSE;
    gboolean         debug         = FALSE;
    GOptionEntry     entries[]     = { { "persist",
                                         0,
                                         0,
                                         G_OPTION_ARG_NONE,
                                         &persist,
                                         N_("Do not quit when VPN connection terminates"),
                                         NULL },
                                       { "debug",
                                         0,
                                         0,
                                         G_OPTION_ARG_NONE,
                                         &debug,
                                         N_("Enable verbose debug logging (secrets are never logged)"),
                                         NULL },
                                       { "bus-name",
                                         0,
                                         0,
                                         G_OPTION_ARG_STRING,
                                         &bus_name,
                                         N_("D-Bus name to use for this instance"),
                                         NULL },
                                       { NULL } };

    /* NetworkManager starts one service per connection and waits for it
     * to appear on the bus.  The handshake with the bus runs on GDBus's
     * threads while the locale and the options are set up:
     * NMVpnServicePlugin asks for the same shared connection and waits for
     * this handshake instead of starting its own.  A failure is reported
     * there.  The callback holds the connection until the plugin does. */
    g_bus_get(G_BUS_TYPE_SYSTEM, NULL, bus_ready_cb, &bus);

    setlocale(LC_ALL, "");
    bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);

    ctx = g_option_context_new(NULL);
    g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
    g_option_context_set_summary(
        ctx, _("nm-l2tp-service provides L2TP/IPsec VPN capability to NetworkManager."));
    if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
        g_printerr("%s\n", error->message);
        return EXIT_FAILURE;
    }
    if (g_getenv("NM_VPN_LOG_LEVEL") && atoi(g_getenv("NM_VPN_LOG_LEVEL")) >= 7)
        debug = TRUE;
    /* Not g_setenv(): GDBus's threads may be reading the environment. */
    if (debug)
        g_log_set_debug_enabled(TRUE);

    plugin = g_initable_new(NM_L2TP_TYPE_PLUGIN,
                            NULL,
                            &error,
                            NM_VPN_SERVICE_PLUGIN_DBUS_SERVICE_NAME,
                            bus_name ? bus_name : NM_DBUS_SERVICE_L2TP,
                            NM_VPN_SERVICE_PLUGIN_DBUS_WATCH_PEER,
                            !debug,
                            NULL);
    if (!plugin) {
        g_printerr("nm-l2tp-service: %s\n", error->message);
        return EXIT_FAILURE;
    }
    /* On the bus: NetworkManager gathers the secrets now, and a private
     * charon can start meanwhile (see nm-l2tp-charon-ahead.h). */
    nm_l2tp_charon_ahead_start(g_getenv("NM_L2TP_RUN_BASE") ?: NM_L2TP_RUNDIR);
    plugin->loop = g_main_loop_new(NULL, FALSE);
    if (!persist)
        g_signal_connect(plugin, "quit", G_CALLBACK(quit_cb), NULL);
    g_unix_signal_add(SIGTERM, signal_cb, plugin);
    g_unix_signal_add(SIGINT, signal_cb, plugin);
    g_main_loop_run(plugin->loop);
    g_main_loop_unref(plugin->loop);
    return EXIT_SUCCESS;
}
