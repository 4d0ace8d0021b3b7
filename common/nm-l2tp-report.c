/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-report.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "nm-l2tp-catalog.h"
#include "nm-l2tp-error.h"
#include "nm-l2tp-escape.h"
#include "nm-l2tp-file.h"

#define GROUP_ATTEMPT "attempt"
#define STAGE_PREFIX  "stage "

/* A report is small; anything bigger is not one of ours. */
#define MAX_REPORT_SIZE (256 * 1024)

static void
stage_free(gpointer data)
{
    NML2tpReportStage *stage = data;

    g_free(stage->id);
    g_free(stage->detail);
    g_free(stage);
}

NML2tpReport *
nm_l2tp_report_new(const char *uuid, const char *name)
{
    NML2tpReport *report = g_new0(NML2tpReport, 1);

    report->uuid              = g_strdup(uuid);
    report->name              = g_strdup(name);
    report->outcome           = NM_L2TP_OUTCOME_IN_PROGRESS;
    report->connected_seconds = -1;
    report->stages            = g_ptr_array_new_with_free_func(stage_free);
    return report;
}

void
nm_l2tp_report_free(NML2tpReport *report)
{
    if (!report)
        return;
    g_free(report->uuid);
    g_free(report->name);
    g_clear_pointer(&report->started, g_date_time_unref);
    g_free(report->verdict_stage);
    g_free(report->verdict_cause);
    g_free(report->verdict_message);
    g_free(report->verdict_hint);
    g_free(report->wrong_secret);
    g_ptr_array_unref(report->stages);
    g_free(report);
}

static NML2tpReportStage *
find_stage(const NML2tpReport *report, const char *stage_id)
{
    for (guint i = 0; i < report->stages->len; i++) {
        NML2tpReportStage *stage = report->stages->pdata[i];

        if (g_strcmp0(stage->id, stage_id) == 0)
            return stage;
    }
    return NULL;
}

const NML2tpReportStage *
nm_l2tp_report_get_stage(const NML2tpReport *report, const char *stage_id)
{
    g_return_val_if_fail(report, NULL);
    return find_stage(report, stage_id);
}

void
nm_l2tp_report_set_stage(NML2tpReport    *report,
                         const char      *stage_id,
                         NML2tpStageState state,
                         double           seconds,
                         const char      *detail)
{
    NML2tpReportStage *stage;

    g_return_if_fail(report);
    g_return_if_fail(stage_id && *stage_id);

    stage = find_stage(report, stage_id);
    if (!stage) {
        stage     = g_new0(NML2tpReportStage, 1);
        stage->id = g_strdup(stage_id);
        g_ptr_array_add(report->stages, stage);
    }
    stage->state   = state;
    stage->seconds = seconds;
    g_free(stage->detail);
    stage->detail = g_strdup(detail);
}

void
nm_l2tp_report_set_verdict(NML2tpReport *report,
                           NML2tpOutcome outcome,
                           const char   *stage_id,
                           const char   *cause,
                           const char   *message,
                           const char   *hint,
                           const char   *wrong_secret)
{
    g_return_if_fail(report);

    report->outcome = outcome;
    g_free(report->verdict_stage);
    report->verdict_stage = g_strdup(stage_id);
    g_free(report->verdict_cause);
    report->verdict_cause = g_strdup(cause);
    g_free(report->verdict_message);
    report->verdict_message = g_strdup(message);
    g_free(report->verdict_hint);
    report->verdict_hint = g_strdup(hint);
    g_free(report->wrong_secret);
    report->wrong_secret = g_strdup(wrong_secret);
}

void
nm_l2tp_report_set_owner(NML2tpReport *report, uid_t uid, gid_t gid)
{
    g_return_if_fail(report);

    report->has_owner = TRUE;
    report->owner_uid = uid;
    report->owner_gid = gid;
}

gboolean
nm_l2tp_report_is_visible_to(const struct stat *st, uid_t reader)
{
    if (reader == 0 || st->st_uid == reader)
        return TRUE;
    return st->st_uid == 0 && (st->st_mode & S_IROTH);
}

static const char *const state_names[] = {
    [NM_L2TP_STAGE_STATE_NOT_REACHED] = "not-reached",
    [NM_L2TP_STAGE_STATE_PASSED]      = "passed",
    [NM_L2TP_STAGE_STATE_FAILED]      = "failed",
};

static const char *const outcome_names[] = {
    [NM_L2TP_OUTCOME_IN_PROGRESS] = "in-progress",
    [NM_L2TP_OUTCOME_CONNECTED]   = "connected",
    [NM_L2TP_OUTCOME_FAILED]      = "failed",
    [NM_L2TP_OUTCOME_CANCELLED]   = "cancelled",
};

const char *
nm_l2tp_stage_state_to_string(NML2tpStageState state)
{
    if ((guint)state >= G_N_ELEMENTS(state_names))
        return NULL;
    return state_names[state];
}

gboolean
nm_l2tp_stage_state_from_string(const char *str, NML2tpStageState *out)
{
    for (guint i = 0; i < G_N_ELEMENTS(state_names); i++) {
        if (g_strcmp0(str, state_names[i]) == 0) {
            *out = (NML2tpStageState)i;
            return TRUE;
        }
    }
    return FALSE;
}

const char *
nm_l2tp_outcome_to_string(NML2tpOutcome outcome)
{
    if ((guint)outcome >= G_N_ELEMENTS(outcome_names))
        return NULL;
    return outcome_names[outcome];
}

static gboolean
outcome_from_string(const char *str, NML2tpOutcome *out)
{
    for (guint i = 0; i < G_N_ELEMENTS(outcome_names); i++) {
        if (g_strcmp0(str, outcome_names[i]) == 0) {
            *out = (NML2tpOutcome)i;
            return TRUE;
        }
    }
    return FALSE;
}

const char *const *
nm_l2tp_report_stage_ids(void)
{
    static const char *ids[NM_L2TP_STAGE_N + 1];

    if (!ids[0]) {
        for (guint i = 0; i < NM_L2TP_STAGE_N; i++)
            ids[i] = nm_l2tp_stage_to_string((NML2tpStage)i);
    }
    return ids;
}

const char *
nm_l2tp_report_stage_label(const char *stage_id)
{
    NML2tpStage stage = nm_l2tp_stage_from_string(stage_id);

    return stage < NM_L2TP_STAGE_N ? nm_l2tp_stage_get_label(stage) : stage_id;
}

void
nm_l2tp_report_set_verdict_from_record(NML2tpReport *report, const NML2tpStageRecord *record)
{
    const char *wrong = record->wrong_secret != NM_L2TP_SECRET_NONE ?
                            nm_l2tp_wrong_secret_to_string(record->wrong_secret) :
                            NULL;
    gboolean    ok    = record->cause == NM_L2TP_CAUSE_NONE;

    nm_l2tp_report_set_stage(report,
                             nm_l2tp_stage_to_string(record->stage),
                             ok ? NM_L2TP_STAGE_STATE_PASSED : NM_L2TP_STAGE_STATE_FAILED,
                             record->seconds,
                             record->detail);
    if (ok && record->stage == NM_L2TP_STAGE_CONNECTED) {
        nm_l2tp_report_set_verdict(report, NM_L2TP_OUTCOME_CONNECTED, NULL, NULL, NULL, NULL, NULL);
        return;
    }
    if (ok)
        return;
    nm_l2tp_report_set_verdict(report,
                               NM_L2TP_OUTCOME_FAILED,
                               nm_l2tp_stage_to_string(record->stage),
                               nm_l2tp_cause_to_string(record->cause),
                               record->message,
                               record->hint,
                               wrong);
}

static const NML2tpCauseInfo *
verdict_cause_info(const NML2tpReport *report)
{
    NML2tpCause cause = nm_l2tp_cause_from_string(report->verdict_cause);

    return cause < NM_L2TP_CAUSE_N ? nm_l2tp_cause_get_info(cause) : NULL;
}

/* The catalog's template with the detail in place of its "%s". */
static char *
fill_detail(const char *tmpl, const char *detail)
{
    const char *at = strstr(tmpl, "%s");

    if (!at)
        return g_strdup(tmpl);
    return g_strdup_printf("%.*s%s%s", (int)(at - tmpl), tmpl, detail, at + 2);
}

char *
nm_l2tp_report_dup_message(const NML2tpReport *report)
{
    const NML2tpCauseInfo   *info = verdict_cause_info(report);
    const NML2tpReportStage *stage;

    if (info) {
        stage = find_stage(report, report->verdict_stage);
        if (stage && stage->detail && info->message_detail)
            return fill_detail(g_dgettext(GETTEXT_PACKAGE, info->message_detail), stage->detail);
        return g_strdup(g_dgettext(GETTEXT_PACKAGE, info->message));
    }
    return report->verdict_message ?
               g_strdup(g_dgettext(GETTEXT_PACKAGE, report->verdict_message)) :
               NULL;
}

char *
nm_l2tp_report_dup_hint(const NML2tpReport *report)
{
    const NML2tpCauseInfo *info = verdict_cause_info(report);

    if (info && info->hint)
        return g_strdup(g_dgettext(GETTEXT_PACKAGE, info->hint));
    return report->verdict_hint ? g_strdup(g_dgettext(GETTEXT_PACKAGE, report->verdict_hint)) :
                                  NULL;
}

char *
nm_l2tp_report_to_sentence(const char *phrase)
{
    g_autofree char *text = NULL;
    gunichar         first;

    if (!phrase || !*phrase)
        return NULL;
    first = g_utf8_get_char(phrase);
    text  = g_strdup_printf("%s", phrase);
    if (g_unichar_islower(first) && first < 0x80)
        text[0] = g_ascii_toupper(text[0]);
    if (g_str_has_suffix(text, ".") || g_str_has_suffix(text, "。"))
        return g_steal_pointer(&text);
    /* TRANSLATORS: makes a sentence of a catalog phrase; use the full stop
     * of your language. */
    return g_strdup_printf(_("%s."), text);
}

const char *
nm_l2tp_report_get_wrong_secret(const NML2tpReport *report)
{
    const NML2tpCauseInfo *info;

    if (report->outcome != NM_L2TP_OUTCOME_FAILED)
        return NULL;
    if (report->wrong_secret && g_strcmp0(report->wrong_secret, "none") != 0)
        return report->wrong_secret;
    info = verdict_cause_info(report);
    if (info && info->wrong_secret != NM_L2TP_SECRET_NONE)
        return nm_l2tp_wrong_secret_to_string(info->wrong_secret);
    return NULL;
}

/* Every text goes in escaped: names and details come from profiles,
 * servers and logs. */
static void
set_optional(GKeyFile *kf, const char *group, const char *key, const char *value)
{
    if (value && *value) {
        g_autofree char *escaped = nm_l2tp_escape_text(value, -1, NM_L2TP_ESCAPE_NONE);

        g_key_file_set_string(kf, group, key, escaped);
    }
}

char *
nm_l2tp_report_to_data(const NML2tpReport *report, gsize *out_len)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();

    g_return_val_if_fail(report, NULL);

    g_key_file_set_integer(kf, GROUP_ATTEMPT, "version", NM_L2TP_REPORT_VERSION);
    set_optional(kf, GROUP_ATTEMPT, "uuid", report->uuid);
    set_optional(kf, GROUP_ATTEMPT, "name", report->name);
    if (report->started) {
        g_autoptr(GDateTime) utc = g_date_time_to_utc(report->started);
        g_autofree char *iso     = g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ");

        g_key_file_set_string(kf, GROUP_ATTEMPT, "started", iso);
    }
    g_key_file_set_string(kf, GROUP_ATTEMPT, "outcome", nm_l2tp_outcome_to_string(report->outcome));
    set_optional(kf, GROUP_ATTEMPT, "verdict-stage", report->verdict_stage);
    set_optional(kf, GROUP_ATTEMPT, "verdict-cause", report->verdict_cause);
    set_optional(kf, GROUP_ATTEMPT, "verdict-message", report->verdict_message);
    set_optional(kf, GROUP_ATTEMPT, "verdict-hint", report->verdict_hint);
    set_optional(kf, GROUP_ATTEMPT, "wrong-secret", report->wrong_secret);
    if (report->connected_seconds >= 0) {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        g_ascii_formatd(buf, sizeof(buf), "%.3f", report->connected_seconds);
        g_key_file_set_string(kf, GROUP_ATTEMPT, "connected-seconds", buf);
    }

    for (guint i = 0; i < report->stages->len; i++) {
        const NML2tpReportStage *stage = report->stages->pdata[i];
        g_autofree char         *group = g_strconcat(STAGE_PREFIX, stage->id, NULL);

        g_key_file_set_string(kf, group, "state", nm_l2tp_stage_state_to_string(stage->state));
        if (stage->seconds >= 0 && stage->state != NM_L2TP_STAGE_STATE_NOT_REACHED) {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            g_ascii_formatd(buf, sizeof(buf), "%.3f", stage->seconds);
            g_key_file_set_string(kf, group, "seconds", buf);
        }
        set_optional(kf, group, "detail", stage->detail);
    }
    return g_key_file_to_data(kf, out_len, NULL);
}

/* Escaped on the way in as well: the file may come from an older
 * version, or its owner may have edited it. */
static char *
get_optional(GKeyFile *kf, const char *group, const char *key)
{
    g_autofree char *value = g_key_file_get_string(kf, group, key, NULL);

    if (!value || !*value)
        return NULL;
    return nm_l2tp_escape_text(value, -1, NM_L2TP_ESCAPE_NONE);
}

static gboolean
is_valid_stage_id(const char *id)
{
    if (!id || !*id || strlen(id) > 64)
        return FALSE;
    for (const char *p = id; *p; p++) {
        if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
            return FALSE;
    }
    return TRUE;
}

static gboolean
load_stage(NML2tpReport *report, GKeyFile *kf, const char *group, GError **error)
{
    const char      *id     = group + strlen(STAGE_PREFIX);
    g_autofree char *state  = g_key_file_get_string(kf, group, "state", NULL);
    g_autofree char *secs   = g_key_file_get_string(kf, group, "seconds", NULL);
    g_autofree char *detail = get_optional(kf, group, "detail");
    NML2tpStageState st;
    double           seconds = -1;

    if (!is_valid_stage_id(id)) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL, _("invalid stage name '%s'"), id);
        return FALSE;
    }
    if (!nm_l2tp_stage_state_from_string(state, &st)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_PROTOCOL,
                    _("stage %s: invalid state '%s'"),
                    id,
                    state ? state : "");
        return FALSE;
    }
    if (secs) {
        char *end = NULL;

        seconds = g_ascii_strtod(secs, &end);
        if (!end || *end || seconds < 0 || seconds > 1e7) {
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_PROTOCOL,
                        _("stage %s: invalid duration '%s'"),
                        id,
                        secs);
            return FALSE;
        }
    }
    nm_l2tp_report_set_stage(report, id, st, seconds, detail);
    return TRUE;
}

NML2tpReport *
nm_l2tp_report_new_from_data(const char *data, gssize len, GError **error)
{
    g_autoptr(GKeyFile) kf         = g_key_file_new();
    g_autoptr(NML2tpReport) report = NULL;
    g_auto(GStrv) groups           = NULL;
    g_autofree char *started       = NULL;
    g_autofree char *outcome       = NULL;
    GError          *local         = NULL;
    gint64           version;

    g_return_val_if_fail(data, NULL);

    if (len < 0)
        len = strlen(data);
    if (!g_key_file_load_from_data(kf, data, len, G_KEY_FILE_NONE, &local)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_PROTOCOL,
                    _("not a last-attempt report: %s"),
                    local->message);
        g_error_free(local);
        return NULL;
    }
    version = g_key_file_get_int64(kf, GROUP_ATTEMPT, "version", &local);
    if (local || version < 1 || version > NM_L2TP_REPORT_VERSION) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_PROTOCOL,
                    _("unsupported last-attempt report version"));
        g_clear_error(&local);
        return NULL;
    }

    report       = nm_l2tp_report_new(NULL, NULL);
    report->uuid = get_optional(kf, GROUP_ATTEMPT, "uuid");
    report->name = get_optional(kf, GROUP_ATTEMPT, "name");
    started      = get_optional(kf, GROUP_ATTEMPT, "started");
    if (started)
        report->started = g_date_time_new_from_iso8601(started, NULL);
    outcome = get_optional(kf, GROUP_ATTEMPT, "outcome");
    if (!outcome_from_string(outcome, &report->outcome)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_PROTOCOL,
                    _("invalid outcome '%s'"),
                    outcome ? outcome : "");
        return NULL;
    }
    report->verdict_stage   = get_optional(kf, GROUP_ATTEMPT, "verdict-stage");
    report->verdict_cause   = get_optional(kf, GROUP_ATTEMPT, "verdict-cause");
    report->verdict_message = get_optional(kf, GROUP_ATTEMPT, "verdict-message");
    report->verdict_hint    = get_optional(kf, GROUP_ATTEMPT, "verdict-hint");
    report->wrong_secret    = get_optional(kf, GROUP_ATTEMPT, "wrong-secret");
    {
        g_autofree char *cs  = get_optional(kf, GROUP_ATTEMPT, "connected-seconds");
        char            *end = NULL;

        if (cs) {
            report->connected_seconds = g_ascii_strtod(cs, &end);
            if (*end || report->connected_seconds < 0)
                report->connected_seconds = -1;
        }
    }

    groups = g_key_file_get_groups(kf, NULL);
    for (guint i = 0; groups[i]; i++) {
        if (!g_str_has_prefix(groups[i], STAGE_PREFIX))
            continue;
        if (!load_stage(report, kf, groups[i], error))
            return NULL;
    }
    return g_steal_pointer(&report);
}

const char *
nm_l2tp_report_default_dir(void)
{
    const char *dir = g_getenv("NM_L2TP_REPORT_DIR");

    return dir && *dir ? dir : NM_L2TP_RUNDIR;
}

char *
nm_l2tp_report_build_path(const char *dir, const char *uuid, GError **error)
{
    g_autofree char *file = NULL;

    if (!uuid || !*uuid || strlen(uuid) > 64
        || strspn(uuid, "0123456789abcdefABCDEF-") != strlen(uuid)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_INVALID_VALUE,
                    _("'%s' is not a connection UUID"),
                    uuid ? uuid : "");
        return NULL;
    }
    file = g_strconcat(uuid, ".report", NULL);
    return g_build_filename(dir ? dir : nm_l2tp_report_default_dir(), file, NULL);
}

/* Written to a temporary file that is created 0600 (nobody else can
 * open it), given its owner and final mode, and renamed over the report:
 * a private report is never world-readable, not even for a moment. */
gboolean
nm_l2tp_report_save(const NML2tpReport *report, const char *dir, GError **error)
{
    g_autofree char *path = NULL;
    g_autofree char *tmp  = NULL;
    g_autofree char *data = NULL;
    gsize            len;
    mode_t           mode = 0644;
    int              fd;
    int              errsv = 0;

    g_return_val_if_fail(report, FALSE);

    path = nm_l2tp_report_build_path(dir, report->uuid, error);
    if (!path)
        return FALSE;
    data = nm_l2tp_report_to_data(report, &len);
    tmp  = g_strconcat(path, ".XXXXXX", NULL);
    fd   = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {
        errsv = errno;
        goto fail;
    }
    if (report->has_owner) {
        mode = report->owner_uid == 0 ? 0600 : 0400;
        if (fchown(fd, report->owner_uid, report->owner_gid) != 0)
            errsv = errno;
    }
    if (!errsv && fchmod(fd, mode) != 0)
        errsv = errno;
    if (!errsv)
        errsv = nm_l2tp_file_write_all(fd, data, len);
    if (!errsv && fsync(fd) != 0)
        errsv = errno;
    if (close(fd) != 0 && !errsv)
        errsv = errno;
    if (!errsv && rename(tmp, path) != 0)
        errsv = errno;
    if (errsv) {
        g_unlink(tmp);
        goto fail;
    }
    return TRUE;

fail:
    g_set_error(error,
                G_FILE_ERROR,
                g_file_error_from_errno(errsv),
                _("cannot write %s: %s"),
                path,
                g_strerror(errsv));
    return FALSE;
}

NML2tpReport *
nm_l2tp_report_load(const char *dir, const char *uuid, GError **error)
{
    g_autofree char *path   = NULL;
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) local = NULL;
    struct stat   st;
    NML2tpReport *report;
    gsize         len;
    const char   *data;
    int           fd;

    path = nm_l2tp_report_build_path(dir, uuid, error);
    if (!path)
        return NULL;
    fd = nm_l2tp_file_open(path, NM_L2TP_FILE_READ_NOFOLLOW, &local);
    if (fd < 0) {
        g_set_error(error, local->domain, local->code, "%s: %s", path, local->message);
        return NULL;
    }
    if (fstat(fd, &st) != 0 || !nm_l2tp_report_is_visible_to(&st, geteuid())) {
        close(fd);
        g_set_error(error,
                    G_FILE_ERROR,
                    G_FILE_ERROR_ACCES,
                    _("%s is the report of another user's connection: it is shown only to "
                      "root and that user"),
                    path);
        return NULL;
    }
    bytes = nm_l2tp_file_read_fd(fd, MAX_REPORT_SIZE, &local);
    close(fd);
    if (!bytes) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL, "%s: %s", path, local->message);
        return NULL;
    }
    data   = g_bytes_get_data(bytes, &len);
    report = nm_l2tp_report_new_from_data(len ? data : "", len, error);
    if (report && g_strcmp0(report->uuid, uuid) != 0) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_PROTOCOL,
                    _("%s belongs to another connection"),
                    path);
        nm_l2tp_report_free(report);
        return NULL;
    }
    return report;
}

gboolean
nm_l2tp_report_is_lost(const NML2tpReport *report)
{
    return report->outcome == NM_L2TP_OUTCOME_FAILED
           && g_strcmp0(report->verdict_stage, "connected") == 0;
}

double
nm_l2tp_report_get_connected_for(const NML2tpReport *report)
{
    const NML2tpReportStage *end = nm_l2tp_report_get_stage(report, "connected");

    if (!nm_l2tp_report_is_lost(report) || report->connected_seconds < 0 || !end
        || end->seconds < report->connected_seconds)
        return -1;
    return end->seconds - report->connected_seconds;
}

char *
nm_l2tp_format_duration(double seconds)
{
    if (seconds < 90)
        /* TRANSLATORS: a duration, e.g. "45 s" */
        return g_strdup_printf(_("%.0f s"), seconds);
    if (seconds < 90 * 60)
        /* TRANSLATORS: a duration in minutes, e.g. "12 min" */
        return g_strdup_printf(_("%.0f min"), seconds / 60);
    /* TRANSLATORS: a duration in hours, e.g. "3.5 h" */
    return g_strdup_printf(_("%.1f h"), seconds / 3600);
}
