/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The preflight's frame: the list of checks, the programs the service
 * runs, and the output as text and JSON.  The kernel, strongSwan and port
 * checks live in nm-l2tp-diag-check-{kernel,charon,ports}.c. */
#include "config.h"

#include "nm-l2tp-diag-check.h"

#include <glib/gi18n-lib.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "nm-l2tp-diag-timeline.h"

/* Paths the service and xl2tpd use (NM_L2TP_XL2TPD_PATH_DEFAULT of
 * nm-plugin/nm-l2tp-xl2tpd.h; xl2tpd's built-in pppd path). */
#define XL2TPD_PATH     "/usr/sbin/xl2tpd"
#define PPPD_PATH       "/usr/sbin/pppd"
#define PPP_PLUGIN_PATH NM_L2TP_PPPD_PLUGIN_DIR "/nm-l2tp-pppd-plugin.so"

static void
check_free(gpointer data)
{
    NML2tpCheck *c = data;

    g_free(c->id);
    g_free(c->title);
    g_free(c->result);
    g_free(c->hint);
    g_free(c->cause);
    g_free(c);
}

NML2tpCheck *
nm_l2tp_diag_check_add(GPtrArray        *checks,
                       const char       *id,
                       NML2tpCheckStatus status,
                       const char       *title,
                       char             *result,
                       const char       *hint,
                       const char       *cause)
{
    NML2tpCheck *c = g_new0(NML2tpCheck, 1);

    c->id     = g_strdup(id);
    c->status = status;
    c->title  = g_strdup(title);
    c->result = result;
    c->hint   = g_strdup(hint);
    c->cause  = g_strdup(cause);
    g_ptr_array_add(checks, c);
    return c;
}

char *
nm_l2tp_diag_check_path(const NML2tpCheckContext *ctx, const char *path)
{
    if (!ctx->root || !*ctx->root || g_str_equal(ctx->root, "/"))
        return g_strdup(path);
    return g_build_filename(ctx->root, path, NULL);
}

char *
nm_l2tp_diag_check_kernel_release(const NML2tpCheckContext *ctx)
{
    struct utsname u;

    if (ctx->kernel_release)
        return g_strdup(ctx->kernel_release);
    if (uname(&u) != 0)
        return g_strdup("unknown");
    return g_strdup(u.release);
}

gboolean
nm_l2tp_diag_check_is_program(const char *path)
{
    struct stat st;

    /* Executable by someone, not necessarily by us: pppd is often
     * setuid root and executable only for the dip group. */
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

static void
check_program(const NML2tpCheckContext *ctx,
              GPtrArray                *checks,
              const char               *id,
              const char               *title,
              const char               *path,
              const char               *hint)
{
    g_autofree char *full = nm_l2tp_diag_check_path(ctx, path);

    if (nm_l2tp_diag_check_is_program(full))
        nm_l2tp_diag_check_add(checks,
                               id,
                               NM_L2TP_CHECK_OK,
                               title,
                               g_strdup_printf(_("installed (%s)"), path),
                               NULL,
                               NULL);
    else
        nm_l2tp_diag_check_add(checks,
                               id,
                               NM_L2TP_CHECK_PROBLEM,
                               title,
                               g_strdup_printf(_("%s is not installed"), path),
                               hint,
                               NULL);
}

static void
check_ppp_plugin(const NML2tpCheckContext *ctx, GPtrArray *checks)
{
    g_autofree char *full  = nm_l2tp_diag_check_path(ctx, PPP_PLUGIN_PATH);
    const char      *title = _("nm-l2tp's pppd plugin");

    if (g_file_test(full, G_FILE_TEST_EXISTS))
        nm_l2tp_diag_check_add(checks,
                               "pppd-plugin",
                               NM_L2TP_CHECK_OK,
                               title,
                               g_strdup_printf(_("installed (%s)"), PPP_PLUGIN_PATH),
                               NULL,
                               NULL);
    else
        nm_l2tp_diag_check_add(
            checks,
            "pppd-plugin",
            NM_L2TP_CHECK_PROBLEM,
            title,
            g_strdup_printf(_("%s is not installed: pppd cannot hand the link to NetworkManager"),
                            PPP_PLUGIN_PATH),
            _("reinstall nm-l2tp; the plugin must be built for the installed pppd version"),
            NULL);
}

GPtrArray *
nm_l2tp_diag_check_run(const NML2tpCheckContext *ctx)
{
    GPtrArray *checks = g_ptr_array_new_with_free_func(check_free);
    gboolean   vici_answers;

    nm_l2tp_diag_check_kernel(ctx, checks);
    vici_answers = nm_l2tp_diag_check_charon(ctx, checks);
    check_program(ctx, checks, "xl2tpd", _("xl2tpd"), XL2TPD_PATH, _("install xl2tpd"));
    check_program(ctx, checks, "pppd", _("pppd"), PPPD_PATH, _("install ppp"));
    check_ppp_plugin(ctx, checks);
    nm_l2tp_diag_check_ports(ctx, checks, vici_answers);
    return checks;
}

guint
nm_l2tp_diag_check_count(GPtrArray *checks, NML2tpCheckStatus status)
{
    guint n = 0;

    for (guint i = 0; i < checks->len; i++)
        n += ((NML2tpCheck *)checks->pdata[i])->status == status;
    return n;
}

NML2tpCheck *
nm_l2tp_diag_check_find(GPtrArray *checks, const char *id)
{
    for (guint i = 0; i < checks->len; i++) {
        NML2tpCheck *c = checks->pdata[i];

        if (g_strcmp0(c->id, id) == 0)
            return c;
    }
    return NULL;
}

const char *
nm_l2tp_diag_check_status_to_string(NML2tpCheckStatus status)
{
    switch (status) {
    case NM_L2TP_CHECK_OK:
        return "ok";
    case NM_L2TP_CHECK_INFO:
        return "info";
    default:
        return "problem";
    }
}

char *
nm_l2tp_diag_check_to_text(const NML2tpCheckContext *ctx, GPtrArray *checks)
{
    g_autoptr(GString) out      = g_string_new(NULL);
    g_autofree char *release    = nm_l2tp_diag_check_kernel_release(ctx);
    guint            n_problems = nm_l2tp_diag_check_count(checks, NM_L2TP_CHECK_PROBLEM);

    g_string_append_printf(out,
                           ctx->is_root ? _("Preflight of kernel %s (as root)\n\n") :
                                          _("Preflight of kernel %s (as an ordinary user: some "
                                            "checks see less)\n\n"),
                           release);
    for (guint i = 0; i < checks->len; i++) {
        const NML2tpCheck *c      = checks->pdata[i];
        g_autofree char   *result = NULL;
        g_autofree char   *hint   = NULL;
        /* The markers stay in English: scripts and people grep for them. */
        const char *mark = c->status == NM_L2TP_CHECK_OK   ? "OK     " :
                           c->status == NM_L2TP_CHECK_INFO ? "INFO   " :
                                                             "PROBLEM";

        result = nm_l2tp_report_to_sentence(c->result);
        g_string_append_printf(out, "%s  %s: %s\n", mark, c->title, result ? result : "");
        if (c->hint) {
            hint = nm_l2tp_report_to_sentence(c->hint);
            /* TRANSLATORS: keep the indentation: it lines up under the check. */
            g_string_append_printf(out, _("         Fix: %s\n"), hint);
        }
    }
    g_string_append_c(out, '\n');
    if (n_problems == 0)
        g_string_append(out, _("No problems found.\n"));
    else
        g_string_append_printf(
            out,
            g_dngettext(GETTEXT_PACKAGE, "%u problem found.\n", "%u problems found.\n", n_problems),
            n_problems);
    return g_string_free(g_steal_pointer(&out), FALSE);
}

JsonNode *
nm_l2tp_diag_check_to_json(const NML2tpCheckContext *ctx, GPtrArray *checks)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autofree char *release = nm_l2tp_diag_check_kernel_release(ctx);

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "format");
    json_builder_add_int_value(b, NM_L2TP_DIAG_JSON_FORMAT);
    json_builder_set_member_name(b, "kernel");
    json_builder_add_string_value(b, release);
    json_builder_set_member_name(b, "as-root");
    json_builder_add_boolean_value(b, ctx->is_root);
    json_builder_set_member_name(b, "problems");
    json_builder_add_int_value(b, nm_l2tp_diag_check_count(checks, NM_L2TP_CHECK_PROBLEM));
    json_builder_set_member_name(b, "checks");
    json_builder_begin_array(b);
    for (guint i = 0; i < checks->len; i++) {
        const NML2tpCheck *c = checks->pdata[i];

        json_builder_begin_object(b);
        json_builder_set_member_name(b, "id");
        json_builder_add_string_value(b, c->id);
        json_builder_set_member_name(b, "status");
        json_builder_add_string_value(b, nm_l2tp_diag_check_status_to_string(c->status));
        json_builder_set_member_name(b, "title");
        json_builder_add_string_value(b, c->title);
        g_autofree char *result = nm_l2tp_report_to_sentence(c->result);
        g_autofree char *hint   = nm_l2tp_report_to_sentence(c->hint);

        /* Sentences, as in the timeline's JSON. */
        json_builder_set_member_name(b, "result");
        json_builder_add_string_value(b, result ? result : "");
        json_builder_set_member_name(b, "hint");
        if (hint)
            json_builder_add_string_value(b, hint);
        else
            json_builder_add_null_value(b);
        json_builder_set_member_name(b, "cause");
        if (c->cause)
            json_builder_add_string_value(b, c->cause);
        else
            json_builder_add_null_value(b);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    return json_builder_get_root(b);
}
