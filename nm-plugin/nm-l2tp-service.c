/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nm-l2tp-service: the NetworkManager VPN service for L2TP/IPsec.
 * NetworkManager starts one per active connection with --bus-name.  This
 * file is the NMVpnServicePlugin glue; what the service does is
 * NML2tpSession's, the connection itself NML2tpAttempt's. */

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <NetworkManager.h>
#include <stdlib.h>

#include "nm-l2tp-charon-ahead.h"
#include "nm-l2tp-error.h"
#include "nm-l2tp-ppp-dbus.h"
#include "nm-l2tp-secret-memory.h"
#include "nm-l2tp-session.h"

struct _NML2tpPlugin {
    NMVpnServicePlugin parent;
    NML2tpSession     *session;
    gboolean           quit_requested;
    GMainLoop         *loop;
};

#define NM_L2TP_TYPE_PLUGIN (nm_l2tp_plugin_get_type())
G_DECLARE_FINAL_TYPE(NML2tpPlugin, nm_l2tp_plugin, NM_L2TP, PLUGIN, NMVpnServicePlugin)
G_DEFINE_FINAL_TYPE(NML2tpPlugin, nm_l2tp_plugin, NM_TYPE_VPN_SERVICE_PLUGIN)

static void
maybe_quit(NML2tpPlugin *self)
{
    if (self->quit_requested && nm_l2tp_session_is_idle(self->session))
        g_main_loop_quit(self->loop);
}

/* NetworkManager takes the general part first, then IPv4 and, when the
 * general part says so, IPv6; a later set replaces the earlier one. */
static void
session_config_cb(
    NML2tpSession *session, GVariant *config, GVariant *ip4, GVariant *ip6, gpointer user_data)
{
    nm_vpn_service_plugin_set_config(NM_VPN_SERVICE_PLUGIN(user_data), config);
    nm_vpn_service_plugin_set_ip4_config(NM_VPN_SERVICE_PLUGIN(user_data), ip4);
    if (ip6)
        nm_vpn_service_plugin_set_ip6_config(NM_VPN_SERVICE_PLUGIN(user_data), ip6);
}

static void
session_failure_cb(NML2tpSession *session, guint failure, gpointer user_data)
{
    nm_vpn_service_plugin_failure(NM_VPN_SERVICE_PLUGIN(user_data), failure);
}

static void
session_secrets_required_cb(NML2tpSession *session,
                            const char    *message,
                            const char    *secret,
                            gpointer       user_data)
{
    const char *hints[] = { secret, NULL };

    nm_vpn_service_plugin_secrets_required(NM_VPN_SERVICE_PLUGIN(user_data), message, hints);
}

static void
session_stopped_cb(NML2tpSession *session, gpointer user_data)
{
    nm_vpn_service_plugin_disconnect(NM_VPN_SERVICE_PLUGIN(user_data), NULL);
}

static void
session_idle_cb(NML2tpSession *session, gpointer user_data)
{
    maybe_quit(user_data);
}

static gboolean
real_connect(NMVpnServicePlugin *plugin, NMConnection *connection, GError **error)
{
    return nm_l2tp_session_connect(NM_L2TP_PLUGIN(plugin)->session, connection, FALSE, error);
}

static gboolean
real_connect_interactive(NMVpnServicePlugin *plugin,
                         NMConnection       *connection,
                         GVariant           *details,
                         GError            **error)
{
    return nm_l2tp_session_connect(NM_L2TP_PLUGIN(plugin)->session, connection, TRUE, error);
}

static gboolean
real_need_secrets(NMVpnServicePlugin *plugin,
                  NMConnection       *connection,
                  const char        **setting_name,
                  GError            **error)
{
    return nm_l2tp_session_need_secrets(
        NM_L2TP_PLUGIN(plugin)->session, connection, setting_name, error);
}

static gboolean
real_new_secrets(NMVpnServicePlugin *plugin, NMConnection *connection, GError **error)
{
    return nm_l2tp_session_new_secrets(NM_L2TP_PLUGIN(plugin)->session, connection, error);
}

static gboolean
real_disconnect(NMVpnServicePlugin *plugin, GError **error)
{
    NML2tpPlugin *self    = NM_L2TP_PLUGIN(plugin);
    int           failure = nm_l2tp_session_get_failure(self->session);

    /* A disconnect while still starting makes libnm report a generic
     * connect-failed; NetworkManager keeps the last reason it heard, so the
     * real one is said again here, just before the stop. */
    if (failure >= 0)
        nm_vpn_service_plugin_failure(plugin, failure);
    nm_l2tp_session_disconnect(self->session);
    return TRUE;
}

static void
nm_l2tp_plugin_init(NML2tpPlugin *self)
{
}

static void
dispose(GObject *object)
{
    NML2tpPlugin *self = NM_L2TP_PLUGIN(object);

    if (self->session)
        g_signal_handlers_disconnect_by_data(self->session, self);
    g_clear_object(&self->session);
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

/* The session: on the bus now, NetworkManager gathers the secrets, and a
 * private charon can start meanwhile (see nm-l2tp-charon-ahead.h). */
static void
start_session(NML2tpPlugin *self)
{
    g_autofree char *bus_name          = NULL;
    const char      *run_base          = g_getenv("NM_L2TP_RUN_BASE");
    g_autoptr(NML2tpCharonAhead) ahead = NULL;
    NML2tpSessionOptions options;

    g_object_get(self, NM_VPN_SERVICE_PLUGIN_DBUS_SERVICE_NAME, &bus_name, NULL);
    ahead   = nm_l2tp_charon_ahead_new(run_base ? run_base : NM_L2TP_RUNDIR);
    options = (NML2tpSessionOptions){
        .bus          = nm_vpn_service_plugin_get_connection(NM_VPN_SERVICE_PLUGIN(self)),
        .bus_name     = bus_name,
        .run_base     = run_base,
        .charon_ahead = ahead,
    };
    self->session = nm_l2tp_session_new(&options);
    g_signal_connect(self->session, "config", G_CALLBACK(session_config_cb), self);
    g_signal_connect(self->session, "failure", G_CALLBACK(session_failure_cb), self);
    g_signal_connect(
        self->session, "secrets-required", G_CALLBACK(session_secrets_required_cb), self);
    g_signal_connect(self->session, "stopped", G_CALLBACK(session_stopped_cb), self);
    g_signal_connect(self->session, "idle", G_CALLBACK(session_idle_cb), self);
}

static void
quit_cb(NMVpnServicePlugin *plugin, gpointer user_data)
{
    NML2tpPlugin *self = NM_L2TP_PLUGIN(plugin);

    self->quit_requested = TRUE;
    nm_l2tp_session_disconnect(self->session);
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

    /* Secrets pass through this process: no core dump may carry them. */
    if (!nm_l2tp_harden_process(&error)) {
        g_warning("nm-l2tp-service: %s", error->message);
        g_clear_error(&error);
    }

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
    start_session(plugin);
    plugin->loop = g_main_loop_new(NULL, FALSE);
    if (!persist)
        g_signal_connect(plugin, "quit", G_CALLBACK(quit_cb), NULL);
    g_unix_signal_add(SIGTERM, signal_cb, plugin);
    g_unix_signal_add(SIGINT, signal_cb, plugin);
    g_main_loop_run(plugin->loop);
    g_main_loop_unref(plugin->loop);
    return EXIT_SUCCESS;
}
