/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nm-l2tp-diag: what happened the last time an L2TP/IPsec connection was
 * made, and whether this machine can make one.
 *
 *   nm-l2tp-diag [CONNECTION]            the stage timeline, verdict and hint
 *   nm-l2tp-diag --json [CONNECTION]     the same as JSON
 *   nm-l2tp-diag --logs [CONNECTION]     the attempt's logs, secrets redacted (root)
 *   nm-l2tp-diag --bundle FILE [CONN.]   a tar.gz for an administrator
 *   nm-l2tp-diag --check [--json]        the preflight
 *   nm-l2tp-diag --show-config FILE|NAME what the service would hand to
 *                                        strongSwan, xl2tpd and pppd
 *
 * The timeline reads the last-attempt report: a user sees the reports of
 * system connections and of their own connections, root sees all (see
 * nm_l2tp_report_is_visible_to()); the logs are root's.  Everything
 * printed that came from a report, a profile or a log has its control
 * characters escaped (common/nm-l2tp-escape.h). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "nm-l2tp-diag-bundle.h"
#include "nm-l2tp-diag-check.h"
#include "nm-l2tp-diag-config.h"
#include "nm-l2tp-diag-logs.h"
#include "nm-l2tp-diag-nm.h"
#include "nm-l2tp-diag-redact.h"
#include "nm-l2tp-diag-timeline.h"
#include "nm-l2tp-diag-util.h"
#include "nm-l2tp-error.h"
#include "nm-l2tp-escape.h"

enum {
    EXIT_OK     = 0,
    EXIT_FAILED = 1, /* no report, unreadable log, ...; --check: problems found */
    EXIT_USAGE  = 2,
};

typedef struct {
    gboolean json;
    gboolean logs;
    gboolean check;
    gboolean version;
    char    *bundle;
    char    *show_config;
    char   **rest;
} Options;

static void
options_clear(Options *o)
{
    g_free(o->bundle);
    g_free(o->show_config);
    g_strfreev(o->rest);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Options, options_clear)

static int
fail(GError *error)
{
    g_autofree char *message = nm_l2tp_escape_text(error->message, -1, NM_L2TP_ESCAPE_NONE);

    g_printerr("nm-l2tp-diag: %s\n", message);
    return EXIT_FAILED;
}

static int
run_check(const Options *o)
{
    NML2tpCheckContext ctx = {
        .is_root    = nm_l2tp_diag_is_root(),
        .probe_vici = TRUE,
    };
    g_autoptr(GPtrArray) checks = nm_l2tp_diag_check_run(&ctx);

    if (o->json) {
        g_autoptr(JsonNode) node = nm_l2tp_diag_check_to_json(&ctx, checks);
        g_autofree char *text    = nm_l2tp_diag_json_to_string(node);

        g_print("%s", text);
    } else {
        g_autofree char *text = nm_l2tp_diag_check_to_text(&ctx, checks);

        g_print("%s", text);
    }
    return nm_l2tp_diag_check_count(checks, NM_L2TP_CHECK_PROBLEM) ? EXIT_FAILED : EXIT_OK;
}

/* The connection's settings and, for root, its secrets from
 * NetworkManager; the secrets only feed the redactor.  Without
 * NetworkManager both stay unknown and redaction goes by shape. */
static NMConnection *
get_connection(NMClient *client, const char *uuid, NML2tpRedactor *redactor)
{
    g_autoptr(NMRemoteConnection) remote = NULL;
    g_autoptr(NMConnection) with_secrets = NULL;
    g_autoptr(GError) error              = NULL;

    if (!client)
        return NULL;
    remote = nm_l2tp_diag_nm_find_connection(client, uuid);
    if (!remote)
        return NULL;
    nm_l2tp_redactor_add_setting(redactor, nm_connection_get_setting_vpn(NM_CONNECTION(remote)));
    if (!nm_l2tp_diag_is_root())
        return g_object_ref(NM_CONNECTION(remote));
    with_secrets = nm_l2tp_diag_nm_get_with_secrets(remote, NM_L2TP_DIAG_NM_TIMEOUT_MS, &error);
    if (!with_secrets) {
        g_printerr(_("nm-l2tp-diag: warning: %s; secrets are removed by their shape only\n"),
                   error->message);
        return g_object_ref(NM_CONNECTION(remote));
    }
    nm_l2tp_redactor_add_setting(redactor, nm_connection_get_setting_vpn(with_secrets));
    return g_steal_pointer(&with_secrets);
}

/* A stored connection: a keyfile when @arg names a file, otherwise a
 * connection NetworkManager knows by that name or UUID.  Adds what it knows
 * of the secrets to @redactor. */
static NMConnection *
load_stored_connection(const char *arg, NML2tpRedactor *redactor, GError **error)
{
    g_autoptr(NMClient) client = NULL;
    NMConnection *connection;

    if (strchr(arg, '/') || g_file_test(arg, G_FILE_TEST_EXISTS)) {
        connection = nm_l2tp_diag_config_read_keyfile(arg, error);
        if (connection)
            nm_l2tp_redactor_add_setting(redactor, nm_connection_get_setting_vpn(connection));
        return connection;
    }
    client = nm_l2tp_diag_nm_client_new(NM_L2TP_DIAG_NM_TIMEOUT_MS, error);
    if (!client)
        return NULL;
    connection = get_connection(client, arg, redactor);
    if (!connection)
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    _("NetworkManager has no L2TP connection named %s"),
                    arg);
    return connection;
}

/* What the service would hand to strongSwan, xl2tpd and pppd.  The
 * writers put no secret in any of it; the redactor is the second line of
 * defence for a secret that an old profile keeps in vpn.data. */
static int
run_show_config(const Options *o)
{
    g_autoptr(NML2tpRedactor) redactor = nm_l2tp_redactor_new();
    g_autoptr(GError) error            = NULL;
    g_autoptr(NMConnection) connection = NULL;
    g_autoptr(NML2tpDiagConfig) config = NULL;
    g_autoptr(GString) text            = g_string_new(NULL);
    g_autofree char *shown             = NULL;

    connection = load_stored_connection(o->show_config, redactor, &error);
    if (!connection)
        return fail(error);
    config = nm_l2tp_diag_config_build(nm_connection_get_setting_vpn(connection),
                                       nm_connection_get_uuid(connection),
                                       NULL,
                                       NM_L2TP_VALIDATE_FOR_CONNECT,
                                       &error);
    if (!config)
        return fail(error);
    g_string_append_printf(
        text,
        "==> %s\n%s\n",
        _("strongSwan connection (sent to charon over VICI; the pre-shared key goes separately)"),
        config->swanctl);
    g_string_append_printf(text, "==> %s/xl2tpd.conf\n%s\n", config->run_dir, config->xl2tpd);
    g_string_append_printf(text,
                           "==> %s/pppd-options (%s)\n%s",
                           config->run_dir,
                           _("the password goes to pppd over D-Bus"),
                           config->pppd);
    shown = nm_l2tp_redactor_redact(redactor, text->str);
    g_print("%s", shown);
    return EXIT_OK;
}

static int
run_logs(const NML2tpReport *report, const char *dir, const NML2tpRedactor *redactor)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *logs   = nm_l2tp_diag_logs_read(dir, report->uuid, redactor, &error);
    g_autofree char *shown  = NULL;
    g_autofree char *name   = NULL;

    if (!logs)
        return fail(error);
    /* The lines carry what servers and programs said: shown with their
     * control characters escaped, line breaks kept. */
    shown = nm_l2tp_escape_text(logs, -1, NM_L2TP_ESCAPE_KEEP_NEWLINES);
    name  = nm_l2tp_escape_text(report->name ? report->name : "?", -1, NM_L2TP_ESCAPE_NONE);
    g_print(_("Logs of the last attempt of %s (%s); secrets are shown as %s\n\n"),
            name,
            report->uuid,
            NM_L2TP_REDACTED);
    g_print("%s", shown);
    if (*shown && shown[strlen(shown) - 1] != '\n')
        g_print("\n");
    return EXIT_OK;
}

static int
run_bundle(const Options        *o,
           const NML2tpReport   *report,
           const char           *dir,
           NMConnection         *connection,
           const NML2tpRedactor *redactor)
{
    g_autoptr(GError) error = NULL;
    NML2tpCheckContext ctx  = {
         .is_root    = nm_l2tp_diag_is_root(),
         .probe_vici = TRUE,
    };
    NML2tpBundleParams params = {
        .report     = report,
        .report_dir = dir,
        .connection = connection,
        .redactor   = redactor,
        .check      = &ctx,
        .versions   = TRUE,
    };
    g_autofree char *name =
        nm_l2tp_escape_text(report->name ? report->name : "?", -1, NM_L2TP_ESCAPE_NONE);

    if (!nm_l2tp_diag_bundle_write(&params, o->bundle, &error))
        return fail(error);
    g_print(_("Wrote %s for connection %s (%s).\n"), o->bundle, name, report->uuid);
    if (!nm_l2tp_diag_is_root())
        g_print(_("Run as root to include the logs of the attempt.\n"));
    return EXIT_OK;
}

int
main(int argc, char **argv)
{
    g_auto(Options) o                  = { 0 };
    g_autoptr(GOptionContext) ctx      = NULL;
    g_autoptr(GError) error            = NULL;
    g_autoptr(NMClient) client         = NULL;
    g_autoptr(NML2tpReport) report     = NULL;
    g_autoptr(NML2tpRedactor) redactor = NULL;
    g_autoptr(NMConnection) connection = NULL;
    const char  *dir                   = nm_l2tp_report_default_dir();
    const char  *connection_arg;
    GOptionEntry entries[] = {
        { "json",
          0,
          0,
          G_OPTION_ARG_NONE,
          &o.json,
          N_("Print JSON (the timeline or the preflight)"),
          NULL },
        { "logs",
          0,
          0,
          G_OPTION_ARG_NONE,
          &o.logs,
          N_("Print the attempt's IKE, L2TP and PPP logs, secrets redacted (root only)"),
          NULL },
        { "bundle",
          0,
          0,
          G_OPTION_ARG_FILENAME,
          &o.bundle,
          N_("Write a tar.gz with report, logs, configs, versions and preflight for an "
             "administrator"),
          N_("FILE") },
        { "check",
          0,
          0,
          G_OPTION_ARG_NONE,
          &o.check,
          N_("Check whether this machine can make L2TP/IPsec connections"),
          NULL },
        { "show-config",
          0,
          0,
          G_OPTION_ARG_FILENAME,
          &o.show_config,
          N_("Print what nm-l2tp would hand to strongSwan, xl2tpd and pppd for a stored "
             "connection: a keyfile (.nmconnection) or a connection NetworkManager knows by name "
             "or UUID; secrets are never printed"),
          N_("FILE|NAME") },
        { "version", 0, 0, G_OPTION_ARG_NONE, &o.version, N_("Print the version"), NULL },
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.rest, NULL, N_("[CONNECTION]") },
        { NULL },
    };

    setlocale(LC_ALL, "");
    bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);

    ctx = g_option_context_new(NULL);
    g_option_context_set_translation_domain(ctx, GETTEXT_PACKAGE);
    g_option_context_set_summary(
        ctx,
        _("Shows how the last attempt of an L2TP/IPsec connection went: each stage, the verdict "
          "and what to check.  CONNECTION is a name or UUID; without it, the most recent "
          "attempt.\n\nExit status: 0 on success, 1 when there is no report, --check found a "
          "problem or --show-config found no valid connection, 2 on wrong usage."));
    g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
    if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
        g_printerr("nm-l2tp-diag: %s\n", error->message);
        return EXIT_USAGE;
    }
    if (o.version) {
        g_print("nm-l2tp-diag %s\n", PACKAGE_VERSION);
        return EXIT_OK;
    }
    if ((o.check + o.logs + (o.bundle != NULL) + (o.show_config != NULL)) > 1
        || (o.json && (o.logs || o.bundle || o.show_config)) || (o.rest && o.rest[0] && o.rest[1])
        || ((o.check || o.show_config) && o.rest && o.rest[0])) {
        g_printerr(_("nm-l2tp-diag: use one of --check, --logs, --bundle and --show-config, --json "
                     "only with the timeline or --check, and at most one connection (see "
                     "--help)\n"));
        return EXIT_USAGE;
    }
    if (o.check)
        return run_check(&o);
    if (o.show_config)
        return run_show_config(&o);

    connection_arg = o.rest ? o.rest[0] : NULL;
    /* NetworkManager is needed for names of connections that have no
     * report under that name, and for the settings and secrets of --logs
     * and --bundle; the timeline of a UUID or of the last attempt needs
     * only the report. */
    if ((connection_arg && !g_uuid_string_is_valid(connection_arg)) || o.logs || o.bundle) {
        g_autoptr(GError) nm_error = NULL;

        client = nm_l2tp_diag_nm_client_new(NM_L2TP_DIAG_NM_TIMEOUT_MS, &nm_error);
        if (!client && (o.logs || o.bundle))
            g_printerr(_("nm-l2tp-diag: %s; continuing without the connection's settings\n"),
                       nm_error->message);
    }
    report = nm_l2tp_diag_report_find(dir, connection_arg, client, &error);
    if (!report)
        return fail(error);

    redactor = nm_l2tp_redactor_new();
    if (!o.logs && !o.bundle) {
        g_autoptr(NML2tpReport) shown = nm_l2tp_diag_report_redact(report, redactor);
        g_autofree char *text         = NULL;

        if (o.json) {
            g_autoptr(JsonNode) node = nm_l2tp_diag_timeline_to_json(shown);

            text = nm_l2tp_diag_json_to_string(node);
        } else {
            text = nm_l2tp_diag_timeline_to_text(shown);
        }
        g_print("%s", text);
        return EXIT_OK;
    }

    connection = get_connection(client, report->uuid, redactor);
    if (o.logs)
        return run_logs(report, dir, redactor);
    return run_bundle(&o, report, dir, connection, redactor);
}
