/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-diag-timeline.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "nm-l2tp-diag-nm.h"
#include "nm-l2tp-error.h"
#include "nm-l2tp-escape.h"

/* ---- finding the report ------------------------------------------------ */

static gboolean
looks_like_uuid(const char *s)
{
    return s && strlen(s) == 36 && strspn(s, "0123456789abcdefABCDEF-") == 36;
}

/* Every report in @dir, newest first (by when the service last wrote it:
 * it rewrites the report when an attempt's outcome changes).  Files that
 * are not reports of ours are skipped: the directory also holds the
 * service's logs and run directories. */
static GPtrArray *
list_reports(const char *dir, GError **error)
{
    g_autoptr(GDir) d        = NULL;
    g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func((GDestroyNotify)nm_l2tp_report_free);
    g_autoptr(GArray) mtimes = g_array_new(FALSE, FALSE, sizeof(gint64));
    const char *name;

    d = g_dir_open(dir, 0, error);
    if (!d)
        return NULL;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *uuid = NULL;
        g_autofree char *path = NULL;
        NML2tpReport    *report;
        GStatBuf         st;
        gint64           mtime;
        guint            pos;

        if (!g_str_has_suffix(name, ".report"))
            continue;
        uuid = g_strndup(name, strlen(name) - strlen(".report"));
        if (!looks_like_uuid(uuid))
            continue;
        path = g_build_filename(dir, name, NULL);
        if (g_stat(path, &st) != 0)
            continue;
        report = nm_l2tp_report_load(dir, uuid, NULL);
        if (!report)
            continue;
        mtime = (gint64)st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
        for (pos = 0; pos < mtimes->len; pos++) {
            if (mtime > g_array_index(mtimes, gint64, pos))
                break;
        }
        g_array_insert_val(mtimes, pos, mtime);
        g_ptr_array_insert(all, pos, report);
    }
    return g_steal_pointer(&all);
}

static NML2tpReport *
take_report(GPtrArray *reports, guint index)
{
    return g_ptr_array_steal_index(reports, index);
}

/* Appended to "no report" for a user: the report may exist and be
 * another user's. */
static const char *
others_hint(void)
{
    if (geteuid() == 0)
        return "";
    /* TRANSLATORS: appended to "no report ... in DIR"; keep the leading
     * semicolon and space. */
    return _("; the reports of other users' connections are shown only to root");
}

NML2tpReport *
nm_l2tp_diag_report_find(const char *dir, const char *connection, NMClient *client, GError **error)
{
    g_autoptr(GPtrArray) reports = NULL;
    g_autoptr(GError) local      = NULL;

    if (!dir)
        dir = nm_l2tp_report_default_dir();

    if (looks_like_uuid(connection)) {
        NML2tpReport *report = nm_l2tp_report_load(dir, connection, &local);

        if (report)
            return report;
        /* Another user's report is, for this user, no report at all. */
        if (!g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
            && !g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_ACCES)) {
            g_propagate_error(error, g_steal_pointer(&local));
            return NULL;
        }
        g_clear_error(&local);
    }

    if (connection && client) {
        g_autoptr(NMRemoteConnection) remote = nm_l2tp_diag_nm_find_connection(client, connection);

        if (remote) {
            const char   *uuid   = nm_connection_get_uuid(NM_CONNECTION(remote));
            NML2tpReport *report = nm_l2tp_report_load(dir, uuid, &local);

            if (report)
                return report;
            if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
                g_autofree char *id =
                    nm_l2tp_escape_text(nm_connection_get_id(NM_CONNECTION(remote)), -1, 0);

                g_set_error(error,
                            NM_L2TP_ERROR,
                            NM_L2TP_ERROR_MISSING,
                            _("connection '%s' (%s) has no report of a last attempt in %s: it "
                              "has not been started since the system booted"),
                            id,
                            uuid,
                            dir);
            } else
                g_propagate_error(error, g_steal_pointer(&local));
            return NULL;
        }
    }

    reports = list_reports(dir, &local);
    if (!reports) {
        if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_MISSING,
                        _("no connection attempt to report: %s does not exist"),
                        dir);
        else
            g_propagate_error(error, g_steal_pointer(&local));
        return NULL;
    }
    if (!connection) {
        if (reports->len == 0) {
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_MISSING,
                        _("no connection attempt to report in %s%s"),
                        dir,
                        others_hint());
            return NULL;
        }
        return take_report(reports, 0);
    }
    /* Names are not unique: the newest attempt of that name wins. */
    for (guint i = 0; i < reports->len; i++) {
        const NML2tpReport *r = reports->pdata[i];

        if (g_strcmp0(r->name, connection) == 0)
            return take_report(reports, i);
    }
    g_set_error(error,
                NM_L2TP_ERROR,
                NM_L2TP_ERROR_MISSING,
                _("no report of a connection named '%s' in %s%s"),
                connection,
                dir,
                others_hint());
    return NULL;
}

NML2tpReport *
nm_l2tp_diag_report_redact(const NML2tpReport *report, const NML2tpRedactor *redactor)
{
    g_autofree char *data     = nm_l2tp_report_to_data(report, NULL);
    g_autofree char *redacted = nm_l2tp_redactor_redact(redactor, data);
    NML2tpReport    *copy;

    /* Through the key file: each value is one line there, which is what
     * the redactor's line-oriented shapes expect. */
    copy = nm_l2tp_report_new_from_data(redacted, -1, NULL);
    if (!copy) {
        /* Redaction made it unreadable: show the bare timeline instead. */
        copy          = nm_l2tp_report_new(report->uuid, NULL);
        copy->outcome = report->outcome;
    }
    return copy;
}

/* ---- durations ----------------------------------------------------------- */

static const NML2tpReportStage *
stage_at(const NML2tpReport *report, guint index)
{
    return index < report->stages->len ? report->stages->pdata[index] : NULL;
}

double
nm_l2tp_diag_stage_duration(const NML2tpReport *report, guint index)
{
    const NML2tpReportStage *stage = stage_at(report, index);
    double                   prev  = 0;

    if (!stage || stage->state == NM_L2TP_STAGE_STATE_NOT_REACHED || stage->seconds < 0)
        return -1;
    for (guint i = index; i > 0; i--) {
        const NML2tpReportStage *before = stage_at(report, i - 1);

        if (before->state != NM_L2TP_STAGE_STATE_NOT_REACHED && before->seconds >= 0) {
            prev = before->seconds;
            break;
        }
    }
    /* A report whose times run backwards is not one to compute with. */
    return stage->seconds >= prev ? stage->seconds - prev : -1;
}

double
nm_l2tp_diag_report_total_seconds(const NML2tpReport *report)
{
    double total = -1;

    for (guint i = 0; i < report->stages->len; i++) {
        const NML2tpReportStage *stage = stage_at(report, i);

        if (stage->state != NM_L2TP_STAGE_STATE_NOT_REACHED && stage->seconds > total)
            total = stage->seconds;
    }
    return total;
}

/* ---- text ------------------------------------------------------------------ */

/* Every text printed from a report goes through this: names, details and
 * messages come from profiles, servers and logs (the report is escaped
 * when written and read; this also covers reports built in memory). */
static char *
esc(const char *text)
{
    return nm_l2tp_escape_text(text, -1, NM_L2TP_ESCAPE_NONE);
}

/* A stage's label; an id the catalog does not know is shown as it is. */
static char *
stage_label(const char *stage_id)
{
    return esc(nm_l2tp_report_stage_label(stage_id));
}

static const char *
state_word(NML2tpStageState state)
{
    switch (state) {
    case NM_L2TP_STAGE_STATE_PASSED:
        /* TRANSLATORS: state of a stage in nm-l2tp-diag's timeline. */
        return _("passed");
    case NM_L2TP_STAGE_STATE_FAILED:
        /* TRANSLATORS: state of a stage in nm-l2tp-diag's timeline; upper
         * case to stand out where the language has it. */
        return _("FAILED");
    default:
        /* TRANSLATORS: state of a stage in nm-l2tp-diag's timeline. */
        return _("not reached");
    }
}

/* Pads to @width characters (not bytes: labels are translated). */
static void
append_padded(GString *out, const char *text, guint width)
{
    glong n = g_utf8_strlen(text, -1);

    g_string_append(out, text);
    for (glong i = n; i < (glong)width; i++)
        g_string_append_c(out, ' ');
}

static char *
format_seconds(double seconds)
{
    if (seconds < 0)
        return g_strdup("");
    /* TRANSLATORS: a duration in seconds in the timeline, e.g. "1.25 s". */
    return g_strdup_printf(_("%.2f s"), seconds);
}

static char *
outcome_line(const NML2tpReport *report)
{
    double           total = nm_l2tp_diag_report_total_seconds(report);
    g_autofree char *stage = report->verdict_stage ? stage_label(report->verdict_stage) : NULL;

    switch (report->outcome) {
    case NM_L2TP_OUTCOME_CONNECTED:
        if (total >= 0)
            return g_strdup_printf(_("connected after %.1f s"), total);
        return g_strdup(_("connected"));
    case NM_L2TP_OUTCOME_FAILED:
        if (nm_l2tp_report_is_lost(report) && nm_l2tp_report_get_connected_for(report) >= 0) {
            g_autofree char *up = nm_l2tp_format_duration(nm_l2tp_report_get_connected_for(report));

            /* TRANSLATORS: %s is a duration such as "12 min". */
            return g_strdup_printf(_("connected, then lost after %s"), up);
        }
        if (stage && total >= 0)
            return g_strdup_printf(_("failed at %s after %.1f s"), stage, total);
        if (stage)
            return g_strdup_printf(_("failed at %s"), stage);
        return g_strdup(_("failed"));
    case NM_L2TP_OUTCOME_CANCELLED:
        if (stage)
            /* TRANSLATORS: %s is a stage such as "IPsec phase 1". */
            return g_strdup_printf(_("disconnected by the user during %s"), stage);
        return g_strdup(_("disconnected by the user"));
    default:
        return g_strdup(_("in progress"));
    }
}

char *
nm_l2tp_diag_timeline_to_text(const NML2tpReport *report)
{
    g_autoptr(GString) out   = g_string_new(NULL);
    g_autofree char *outcome = outcome_line(report);
    g_autofree char *wrong   = esc(nm_l2tp_report_get_wrong_secret(report));
    g_autofree char *name    = esc(report->name);
    g_autofree char *uuid    = esc(report->uuid);
    guint            width   = 0;

    g_return_val_if_fail(report, NULL);

    g_string_append_printf(
        out, _("Connection: %s (%s)\n"), name ? name : _("unnamed"), uuid ? uuid : "?");
    if (report->started) {
        g_autoptr(GDateTime) local = g_date_time_to_local(report->started);
        g_autofree char *when      = g_date_time_format(local, "%Y-%m-%d %H:%M:%S %Z");

        g_string_append_printf(out, _("Attempt started: %s\n"), when);
    }
    g_string_append_printf(out, _("Outcome: %s\n\n"), outcome);

    for (guint i = 0; i < report->stages->len; i++) {
        g_autofree char *label = stage_label(stage_at(report, i)->id);

        width = MAX(width, (guint)g_utf8_strlen(label, -1));
    }
    width += 2;
    for (guint i = 0; i < report->stages->len; i++) {
        const NML2tpReportStage *stage  = stage_at(report, i);
        g_autofree char         *took   = format_seconds(nm_l2tp_diag_stage_duration(report, i));
        g_autofree char         *at     = NULL;
        g_autofree char         *label  = stage_label(stage->id);
        g_autofree char         *detail = esc(stage->detail);
        const char              *mark;

        mark = stage->state == NM_L2TP_STAGE_STATE_PASSED ? "[ok]" :
               stage->state == NM_L2TP_STAGE_STATE_FAILED ? "[!!]" :
                                                            "[--]";
        g_string_append_printf(out, "  %s ", mark);
        append_padded(out, label, width);
        append_padded(out, state_word(stage->state), 13);
        if (stage->state != NM_L2TP_STAGE_STATE_NOT_REACHED) {
            append_padded(out, took, 10);
            if (stage->seconds >= 0) {
                /* TRANSLATORS: when a stage ended, counted from the start
                 * of the attempt, e.g. "at 1.25 s". */
                at = g_strdup_printf(_("at %.2f s"), stage->seconds);
                append_padded(out, at, 11);
            }
            if (detail)
                g_string_append(out, detail);
        }
        while (out->len && out->str[out->len - 1] == ' ')
            g_string_truncate(out, out->len - 1);
        g_string_append_c(out, '\n');
    }

    if (report->outcome == NM_L2TP_OUTCOME_FAILED) {
        g_autofree char *message = nm_l2tp_report_dup_message(report);
        g_autofree char *hint    = nm_l2tp_report_dup_hint(report);
        g_autofree char *msg_r   = nm_l2tp_report_to_sentence(message);
        g_autofree char *hint_r  = nm_l2tp_report_to_sentence(hint);
        g_autofree char *msg_s   = esc(msg_r);
        g_autofree char *hint_s  = esc(hint_r);
        g_autofree char *cause   = esc(report->verdict_cause);

        g_string_append_c(out, '\n');
        if (msg_s)
            g_string_append_printf(out, _("What went wrong: %s\n"), msg_s);
        if (hint_s)
            g_string_append_printf(out, _("What to check: %s\n"), hint_s);
        if (cause)
            g_string_append_printf(out, _("Cause: %s\n"), cause);
        if (wrong)
            g_string_append_printf(out, _("Secret to enter again: %s\n"), wrong);
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

/* ---- JSON ---------------------------------------------------------------- */

/* Escaped like the text: JSON escapes C0 controls itself, but not C1,
 * bidirectional controls or DEL, and a script may print the value. */
static void
add_string_or_null(JsonBuilder *b, const char *member, const char *value)
{
    json_builder_set_member_name(b, member);
    if (value) {
        g_autofree char *escaped = esc(value);

        json_builder_add_string_value(b, escaped);
    } else {
        json_builder_add_null_value(b);
    }
}

/* Seconds rounded to milliseconds, the report's resolution; null when
 * unknown. */
static void
add_seconds_or_null(JsonBuilder *b, const char *member, double seconds)
{
    json_builder_set_member_name(b, member);
    if (seconds < 0)
        json_builder_add_null_value(b);
    else
        json_builder_add_double_value(b, (double)(gint64)(seconds * 1000 + 0.5) / 1000);
}

JsonNode *
nm_l2tp_diag_timeline_to_json(const NML2tpReport *report)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autofree char *started = NULL;
    g_autofree char *message = NULL;
    g_autofree char *hint    = NULL;
    gboolean         failed  = report->outcome == NM_L2TP_OUTCOME_FAILED;

    if (report->started) {
        g_autoptr(GDateTime) utc = g_date_time_to_utc(report->started);

        started = g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ");
    }
    if (failed) {
        g_autofree char *m = nm_l2tp_report_dup_message(report);
        g_autofree char *h = nm_l2tp_report_dup_hint(report);

        message = nm_l2tp_report_to_sentence(m);
        hint    = nm_l2tp_report_to_sentence(h);
    }

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "format");
    json_builder_add_int_value(b, NM_L2TP_DIAG_JSON_FORMAT);
    add_string_or_null(b, "uuid", report->uuid);
    add_string_or_null(b, "name", report->name);
    add_string_or_null(b, "started", started);
    add_string_or_null(b, "outcome", nm_l2tp_outcome_to_string(report->outcome));
    add_seconds_or_null(b, "seconds", nm_l2tp_diag_report_total_seconds(report));

    json_builder_set_member_name(b, "verdict");
    json_builder_begin_object(b);
    add_string_or_null(b, "stage", failed ? report->verdict_stage : NULL);
    add_string_or_null(b, "cause", failed ? report->verdict_cause : NULL);
    add_string_or_null(b, "message", message);
    add_string_or_null(b, "hint", hint);
    add_string_or_null(b, "wrong-secret", nm_l2tp_report_get_wrong_secret(report));
    json_builder_end_object(b);

    json_builder_set_member_name(b, "stages");
    json_builder_begin_array(b);
    for (guint i = 0; i < report->stages->len; i++) {
        const NML2tpReportStage *stage   = stage_at(report, i);
        gboolean                 reached = stage->state != NM_L2TP_STAGE_STATE_NOT_REACHED;

        json_builder_begin_object(b);
        add_string_or_null(b, "id", stage->id);
        add_string_or_null(b, "label", nm_l2tp_report_stage_label(stage->id));
        add_string_or_null(b, "state", nm_l2tp_stage_state_to_string(stage->state));
        add_seconds_or_null(b, "seconds", reached ? stage->seconds : -1);
        add_seconds_or_null(b, "duration", nm_l2tp_diag_stage_duration(report, i));
        add_string_or_null(b, "detail", stage->detail);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    return json_builder_get_root(b);
}

char *
nm_l2tp_diag_json_to_string(JsonNode *node)
{
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autofree char *text        = NULL;

    json_generator_set_pretty(gen, TRUE);
    json_generator_set_indent(gen, 2);
    json_generator_set_root(gen, node);
    text = json_generator_to_data(gen, NULL);
    return g_strconcat(text, "\n", NULL);
}
