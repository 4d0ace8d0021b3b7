/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nm-l2tp-auth-dialog: asks for the secrets of an L2TP/IPsec connection on
 * behalf of NetworkManager's secret agents (nm-applet, GNOME Shell,
 * nmcli's agent).
 *
 * Protocol: the agent runs it with -u UUID -n NAME -s SERVICE [-i] [-r]
 * [-t HINT]... [--external-ui-mode] and writes the connection's data and
 * secrets to stdin (DATA_KEY=/DATA_VAL=/SECRET_KEY=/SECRET_VAL= lines, then
 * DONE).  Classic mode answers "key\nvalue\n" per secret, then an empty
 * line, and waits for QUIT on stdin.  External UI mode prints a keyfile
 * ([VPN Plugin UI], one group per secret) that GNOME Shell turns into its
 * own dialog, and exits. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "nm-l2tp-auth-request.h"
#include "nm-l2tp-auth-ui.h"
#include "nm-l2tp-report.h"

#define NM_L2TP_SERVICE_TYPE "org.freedesktop.NetworkManager.l2tp"

static void
wait_for_quit(void)
{
    char line[512];

    while (fgets(line, sizeof(line), stdin)) {
        if (strcmp(g_strchomp(line), "QUIT") == 0)
            break;
    }
}

static gboolean
write_all(const char *text)
{
    gsize len = strlen(text);

    if (fwrite(text, 1, len, stdout) != len)
        return FALSE;
    return fflush(stdout) == 0;
}

int
main(int argc, char **argv)
{
    g_autofree char *uuid            = NULL;
    g_autofree char *name            = NULL;
    g_autofree char *service         = NULL;
    g_auto(GStrv) hints              = NULL;
    gboolean interactive             = FALSE;
    gboolean reprompt                = FALSE;
    gboolean external_ui             = FALSE;
    g_autoptr(GHashTable) data       = NULL;
    g_autoptr(GHashTable) secrets    = NULL;
    g_autoptr(NML2tpReport) report   = NULL;
    g_autoptr(NML2tpAuthRequest) req = NULL;
    g_autoptr(GOptionContext) ctx    = NULL;
    g_autoptr(GError) error          = NULL;
    g_autofree char   *out           = NULL;
    const GOptionEntry entries[]     = {
            { "reprompt",
              'r',
              0,
              G_OPTION_ARG_NONE,
              &reprompt,
              N_("Ask again even for stored secrets"),
              NULL },
            { "uuid",
              'u',
              0,
              G_OPTION_ARG_STRING,
              &uuid,
              N_("UUID of the VPN connection"),
              N_("UUID") },
            { "name",
              'n',
              0,
              G_OPTION_ARG_STRING,
              &name,
              N_("Name of the VPN connection"),
              N_("NAME") },
            { "service", 's', 0, G_OPTION_ARG_STRING, &service, N_("VPN service type"), N_("SERVICE") },
            { "allow-interaction",
              'i',
              0,
              G_OPTION_ARG_NONE,
              &interactive,
              N_("Allow asking the user"),
              NULL },
            { "external-ui-mode",
              0,
              0,
              G_OPTION_ARG_NONE,
              &external_ui,
              N_("Describe the dialog for GNOME Shell instead of showing it"),
              NULL },
            { "hint",
              't',
              0,
              G_OPTION_ARG_STRING_ARRAY,
              &hints,
              N_("A secret to ask for, or x-vpn-message:TEXT"),
              N_("HINT") },
            { NULL },
    };

    setlocale(LC_ALL, "");
    bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);

    ctx = g_option_context_new(NULL);
    g_option_context_set_translation_domain(ctx, GETTEXT_PACKAGE);
    g_option_context_set_summary(ctx, _("Asks for the secrets of an L2TP/IPsec VPN connection."));
    g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
    if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
        g_printerr("%s\n", error->message);
        return 1;
    }
    if (!uuid || !service) {
        g_printerr(_("A connection UUID and a service type are required.\n"));
        return 1;
    }
    if (strcmp(service, NM_L2TP_SERVICE_TYPE) != 0) {
        g_printerr(_("This dialog only works with the service “%s”.\n"), NM_L2TP_SERVICE_TYPE);
        return 1;
    }
    if (!nm_vpn_service_plugin_read_vpn_details(0, &data, &secrets)) {
        g_printerr(_("Could not read the data and secrets of “%s” from standard input.\n"),
                   name ? name : uuid);
        return 1;
    }

    /* Why is it asking again?  The last attempt's report says. */
    if (reprompt || hints)
        report = nm_l2tp_report_load(NULL, uuid, NULL);

    req = nm_l2tp_auth_request_new(
        uuid, name, data, secrets, (const char *const *)hints, interactive, reprompt, report);
    nm_l2tp_auth_request_resolve(req, TRUE);

    if (external_ui) {
        out = nm_l2tp_auth_request_to_external_ui(req);
        return write_all(out) ? 0 : 1;
    }

    if (nm_l2tp_auth_request_needs_prompt(req)) {
        if (!gtk_init_check(NULL, NULL)) {
            g_printerr(_("Cannot open a window: no display.\n"));
            return 1;
        }
        if (!nm_l2tp_auth_ui_run(req))
            return 1;
    }

    out = nm_l2tp_auth_request_to_classic(req);
    if (!write_all(out))
        return 1;
    memset(out, 0, strlen(out));
    wait_for_quit();
    return 0;
}
