/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-diag-bundle.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/utsname.h>

#include "nm-l2tp-diag-config.h"
#include "nm-l2tp-diag-logs.h"
#include "nm-l2tp-diag-tar.h"
#include "nm-l2tp-diag-timeline.h"
#include "nm-l2tp-diag-util.h"
#include "nm-l2tp-escape.h"
#include "nm-l2tp-ppp-dbus.h"
#include "nm-l2tp-settings.h"
#include "nm-l2tp-strongswan.h"

/* Files of a connection's run directory larger than this are cut: a
 * charon.log of a long-lived connection can grow, and the start of an
 * attempt is what matters. */
#define MAX_RUN_FILE (4 * 1024 * 1024)

typedef struct {
    NML2tpTar            *tar;
    const NML2tpRedactor *redactor;
    char                 *top;
    gint64                now;
    GString              *notes; /* for README.txt */
} Bundle;

/* Every file enters the archive through here, redacted, and with the
 * control characters of profiles, servers and logs escaped: an
 * administrator reads these files in a terminal. */
static gboolean
add_text(Bundle *b, const char *name, const char *text, GError **error)
{
    g_autofree char *path     = g_build_filename(b->top, name, NULL);
    g_autofree char *redacted = nm_l2tp_redactor_redact(b->redactor, text ? text : "");
    g_autofree char *escaped  = nm_l2tp_escape_text(redacted, -1, NM_L2TP_ESCAPE_KEEP_NEWLINES);

    return nm_l2tp_tar_add_file(b->tar, path, escaped, strlen(escaped), 0600, b->now, error);
}

static gboolean
add_dir(Bundle *b, const char *name, GError **error)
{
    g_autofree char *path = name ? g_build_filename(b->top, name, NULL) : g_strdup(b->top);

    return nm_l2tp_tar_add_dir(b->tar, path, 0700, b->now, error);
}

static void note(Bundle *b, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
note(Bundle *b, const char *fmt, ...)
{
    va_list ap;

    g_string_append(b->notes, "- ");
    va_start(ap, fmt);
    g_string_append_vprintf(b->notes, fmt, ap);
    va_end(ap);
    g_string_append_c(b->notes, '\n');
}

/* ---- versions ------------------------------------------------------------ */

static void
append_version(GString *out, const char *label, const char *program, const char *arg)
{
    g_autofree char *path =
        g_path_is_absolute(program) ? g_strdup(program) : nm_l2tp_diag_find_program(program);
    g_autofree char *text   = NULL;
    g_autofree char *first  = NULL;
    g_autoptr(GError) error = NULL;
    const char *argv[3]     = { path, arg, NULL };

    if (!path || !nm_l2tp_diag_check_is_program(path)) {
        g_string_append_printf(out, "%s: %s\n", label, _("not installed"));
        return;
    }
    if (!g_file_test(path, G_FILE_TEST_IS_EXECUTABLE)) {
        /* pppd is often executable only for root and the dip group. */
        g_string_append_printf(
            out, "%s: %s (%s)\n", label, _("installed, but only root may run it"), path);
        return;
    }
    text = nm_l2tp_diag_run(argv, NM_L2TP_DIAG_RUN_TIMEOUT_MS, NULL, &error);
    if (!text) {
        g_string_append_printf(out, "%s: %s (%s)\n", label, _("unknown"), error->message);
        return;
    }
    first = nm_l2tp_diag_first_line(text);
    g_string_append_printf(
        out, "%s: %s [%s %s]\n", label, *first ? first : _("unknown"), path, arg);
}

char *
nm_l2tp_diag_versions(void)
{
    GString       *out = g_string_new(NULL);
    struct utsname u;

    g_string_append_printf(out, "nm-l2tp: %s\n", PACKAGE_VERSION);
    if (uname(&u) == 0)
        g_string_append_printf(
            out, "kernel: %s %s %s %s\n", u.sysname, u.release, u.version, u.machine);
    /* What each program answers to: charon and pppd --version; xl2tpd
     * prints its version for -v (and exits 1); NetworkManager --version. */
    append_version(out, "charon", NM_L2TP_CHARON_PATH_DEFAULT, "--version");
    append_version(out, "ipsec", "ipsec", "--version");
    append_version(out, "xl2tpd", "xl2tpd", "-v");
    append_version(out, "pppd", "pppd", "--version");
    append_version(out, "NetworkManager", "NetworkManager", "--version");
    return g_string_free(out, FALSE);
}

/* ---- settings and configs ---------------------------------------------------- */

static int
compare_strings(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

/* vpn.data as it is, except that a secret there (old profiles) shows as
 * NM_L2TP_REDACTED; vpn.secrets only by name. */
static char *
settings_text(NMSettingVpn *s_vpn)
{
    GString                *out = g_string_new(NULL);
    guint                   n;
    g_autofree const char **keys = nm_setting_vpn_get_data_keys(s_vpn, &n);

    g_string_append_printf(out, "[vpn]\nservice-type=%s\n", nm_setting_vpn_get_service_type(s_vpn));
    if (keys)
        qsort(keys, n, sizeof(char *), compare_strings);
    for (guint i = 0; i < n; i++) {
        const char *value = nm_setting_vpn_get_data_item(s_vpn, keys[i]);

        g_string_append_printf(out,
                               "%s=%s\n",
                               keys[i],
                               nm_l2tp_redact_is_secret_key(keys[i]) ? NM_L2TP_REDACTED : value);
    }
    g_free(keys);
    keys = nm_setting_vpn_get_secret_keys(s_vpn, &n);
    g_string_append(out, "\n[vpn-secrets]\n");
    if (keys)
        qsort(keys, n, sizeof(char *), compare_strings);
    for (guint i = 0; i < n; i++)
        g_string_append_printf(out, "%s=%s\n", keys[i], NM_L2TP_REDACTED);
    return g_string_free(out, FALSE);
}

static gboolean
add_configs(Bundle *b, NMConnection *connection, const char *report_dir, GError **error)
{
    NMSettingVpn *s_vpn                = nm_connection_get_setting_vpn(connection);
    g_autoptr(NML2tpDiagConfig) config = NULL;
    g_autoptr(GError) local            = NULL;
    g_autofree char *header            = NULL;
    g_autofree char *text              = NULL;

    if (!s_vpn) {
        note(b, _("the connection has no VPN settings: no configs"));
        return TRUE;
    }
    text = settings_text(s_vpn);
    if (!add_text(b, "settings.txt", text, error))
        return FALSE;

    config = nm_l2tp_diag_config_build(
        s_vpn, nm_connection_get_uuid(connection), report_dir, NM_L2TP_VALIDATE_NONE, &local);
    if (!config) {
        note(b,
             _("the settings do not validate, so no configs could be generated: %s"),
             local->message);
        return TRUE;
    }
    header = g_strdup_printf("# Regenerated by nm-l2tp-diag from the connection's settings.  The\n"
                             "# service sends this to charon over VICI; the pre-shared key goes\n"
                             "# separately and is not part of it.\n%s",
                             config->swanctl);
    return add_dir(b, "config", error) && add_text(b, "config/swanctl.conf", header, error)
           && add_text(b, "config/xl2tpd.conf", config->xl2tpd, error)
           && add_text(b, "config/pppd-options", config->pppd, error);
}

/* The files of a connection that is up (the run directory exists only
 * then): what the service really wrote, and the private charon's log. */
static gboolean
add_run_dir(Bundle *b, const char *report_dir, const char *uuid, GError **error)
{
    static const char *const files[] = {
        "xl2tpd.conf",       "pppd-options",         "charon/strongswan.conf",
        "charon/charon.log", "charon/charon.stderr",
    };
    g_autofree char *run       = g_build_filename(report_dir, uuid, NULL);
    gboolean         dir_added = FALSE;

    if (!g_file_test(run, G_FILE_TEST_IS_DIR))
        return TRUE;
    for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
        g_autofree char *path   = g_build_filename(run, files[i], NULL);
        g_autofree char *name   = g_build_filename("run-dir", files[i], NULL);
        g_autofree char *data   = NULL;
        g_autoptr(GError) local = NULL;
        gsize len;

        if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
            continue;
        if (!g_file_get_contents(path, &data, &len, &local)) {
            note(b, _("%s could not be read: %s"), path, local->message);
            continue;
        }
        if (len > MAX_RUN_FILE)
            data[MAX_RUN_FILE] = '\0';
        if (!dir_added) {
            if (!add_dir(b, "run-dir", error) || !add_dir(b, "run-dir/charon", error))
                return FALSE;
            dir_added = TRUE;
        }
        if (!add_text(b, name, data, error))
            return FALSE;
    }
    return TRUE;
}

/* ---- the bundle ------------------------------------------------------------- */

static char *
readme_text(Bundle *b, const NML2tpBundleParams *p)
{
    GString *out             = g_string_new(NULL);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *when    = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");

    g_string_append_printf(out,
                           "nm-l2tp-diag %s bundle, made %s for connection \"%s\" (%s)\n\n",
                           PACKAGE_VERSION,
                           when,
                           p->report->name ? p->report->name : "",
                           p->report->uuid ? p->report->uuid : "");
    g_string_append(out,
                    "last-attempt.report  the last-attempt report as the service wrote it\n"
                    "timeline.txt/.json   its stage timeline, verdict and hint\n"
                    "logs.txt             the attempt's IKE, L2TP and PPP lines\n"
                    "settings.txt         the connection's vpn.data (secrets only by name)\n"
                    "config/              swanctl.conf, xl2tpd.conf and pppd-options regenerated\n"
                    "                     from the settings (gateway not resolved)\n"
                    "run-dir/             the files of the connection while it is up\n"
                    "versions.txt         nm-l2tp, kernel, charon, xl2tpd, pppd\n"
                    "preflight.txt/.json  nm-l2tp-diag --check\n\n"
                    "Secrets (password, pre-shared key, certificate passwords) are replaced by\n"
                    "\"" NM_L2TP_REDACTED "\" everywhere.\n");
    if (b->notes->len)
        g_string_append_printf(
            out, "\nNot included, or included with a caveat:\n%s", b->notes->str);
    return g_string_free(out, FALSE);
}

GBytes *
nm_l2tp_diag_bundle_build(const NML2tpBundleParams *p, GError **error)
{
    g_autoptr(NML2tpTar) tar      = nm_l2tp_tar_new();
    g_autoptr(GDateTime) now      = g_date_time_new_now_utc();
    g_autofree char *stamp        = g_date_time_format(now, "%Y%m%d-%H%M%S");
    g_autofree char *report_data  = NULL;
    g_autofree char *timeline     = NULL;
    g_autofree char *json         = NULL;
    g_autofree char *logs         = NULL;
    g_autofree char *readme       = NULL;
    g_autoptr(JsonNode) node      = NULL;
    g_autoptr(NML2tpReport) shown = NULL;
    g_autoptr(GError) local       = NULL;
    g_autoptr(GString) notes      = g_string_new(NULL);
    Bundle b                      = {
                             .tar      = tar,
                             .redactor = p->redactor,
                             .now      = g_date_time_to_unix(now),
                             .notes    = notes,
    };

    g_return_val_if_fail(p && p->report && p->redactor && p->check, NULL);
    b.top = g_strdup_printf("nm-l2tp-diag-%s", stamp);

    if (!add_dir(&b, NULL, error))
        goto fail;

    shown       = nm_l2tp_diag_report_redact(p->report, p->redactor);
    report_data = nm_l2tp_report_to_data(p->report, NULL);
    timeline    = nm_l2tp_diag_timeline_to_text(shown);
    node        = nm_l2tp_diag_timeline_to_json(shown);
    json        = nm_l2tp_diag_json_to_string(node);
    if (!add_text(&b, "last-attempt.report", report_data, error)
        || !add_text(&b, "timeline.txt", timeline, error)
        || !add_text(&b, "timeline.json", json, error))
        goto fail;

    logs = nm_l2tp_diag_logs_read(p->report_dir, p->report->uuid, p->redactor, &local);
    if (logs) {
        if (!add_text(&b, "logs.txt", logs, error))
            goto fail;
    } else {
        note(&b, _("logs.txt: %s"), local->message);
        g_clear_error(&local);
    }

    if (p->connection) {
        if (!add_configs(&b, p->connection, p->report_dir, error))
            goto fail;
    } else {
        note(&b,
             _("settings.txt and config/: NetworkManager was not reachable, so the connection's "
               "settings were not available"));
    }
    if (!add_run_dir(&b, p->report_dir, p->report->uuid, error))
        goto fail;

    if (p->versions) {
        g_autofree char *versions = nm_l2tp_diag_versions();

        if (!add_text(&b, "versions.txt", versions, error))
            goto fail;
    }
    {
        g_autoptr(GPtrArray) checks = nm_l2tp_diag_check_run(p->check);
        g_autoptr(JsonNode) cnode   = nm_l2tp_diag_check_to_json(p->check, checks);
        g_autofree char *ctext      = nm_l2tp_diag_check_to_text(p->check, checks);
        g_autofree char *cjson      = nm_l2tp_diag_json_to_string(cnode);

        if (!add_text(&b, "preflight.txt", ctext, error)
            || !add_text(&b, "preflight.json", cjson, error))
            goto fail;
    }
    if (nm_l2tp_redactor_get_n_secrets(p->redactor) == 0)
        note(&b,
             _("the connection's secrets were not available to look for (run as root with "
               "NetworkManager running): secrets are removed by their shape only"));

    readme = readme_text(&b, p);
    if (!add_text(&b, "README.txt", readme, error))
        goto fail;
    g_free(b.top);
    return nm_l2tp_tar_to_gzip(tar, error);

fail:
    g_free(b.top);
    return NULL;
}

gboolean
nm_l2tp_diag_bundle_write(const NML2tpBundleParams *params, const char *path, GError **error)
{
    g_autoptr(GBytes) gz = nm_l2tp_diag_bundle_build(params, error);
    gsize       len;
    const char *data;

    if (!gz)
        return FALSE;
    data = g_bytes_get_data(gz, &len);
    return g_file_set_contents_full(path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}
