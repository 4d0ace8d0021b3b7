/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-timeline.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "nm-l2tp-escape.h"
#include "nm-l2tp-report.h"

struct _NML2tpTimeline {
    GObject            parent;
    char              *uuid;
    char              *name;
    char              *dir;
    gboolean           with_ipsec;
    gboolean           held; /* a private report waits for its owner */
    gboolean           started;
    GTimer            *timer;
    NML2tpStage        stage;
    double             stage_started; /* < 0: not started */
    NML2tpReport      *report;
    NML2tpStageRecord *verdict;
    gboolean           succeeded;
    gboolean           ended; /* cancelled: nothing more is recorded */
    GString           *log;
    guint              log_dropped; /* lines dropped from the front */
};

G_DEFINE_FINAL_TYPE(NML2tpTimeline, nm_l2tp_timeline, G_TYPE_OBJECT)

static void
save(NML2tpTimeline *self)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *name   = g_strdup_printf("%s.log", self->uuid);
    g_autofree char *path   = g_build_filename(self->dir, name, NULL);
    g_autofree char *text   = NULL;

    if (self->held || !self->started)
        return;
    if (!nm_l2tp_report_save(self->report, self->dir, &error))
        g_warning("nm-l2tp: cannot write the last-attempt report: %s", error->message);
    g_clear_error(&error);
    if (self->log_dropped)
        text = g_strdup_printf("[%u earlier lines dropped]\n%s", self->log_dropped, self->log->str);
    if (!g_file_set_contents_full(
            path, text ? text : self->log->str, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        g_warning("nm-l2tp: cannot write the attempt's log: %s", error->message);
}

/* The one line per attempt that names connection, stage, cause and time.
 * NM_CONNECTION lets `journalctl NM_CONNECTION=<uuid>` find it. */
static void
log_verdict(NML2tpTimeline *self, const NML2tpStageRecord *record)
{
    g_autofree char *what = NULL;

    if (record->cause == NM_L2TP_CAUSE_NONE) {
        what = g_strdup_printf("connected after %.1f s", record->seconds);
    } else if (self->succeeded) {
        /* Up for a while, then gone: how long it lasted says more than
         * the time since the attempt began. */
        g_autofree char *up =
            nm_l2tp_format_duration(record->seconds - self->report->connected_seconds);

        what = g_strdup_printf("up for %s, then %s", up, record->message);
    } else {
        what = nm_l2tp_stage_record_to_string(record);
    }
    g_log_structured(G_LOG_DOMAIN,
                     G_LOG_LEVEL_MESSAGE,
                     "NM_CONNECTION",
                     self->uuid,
                     "MESSAGE",
                     "l2tp \"%s\": %s",
                     self->name,
                     what);
}

static gboolean
in_timeline(NML2tpTimeline *self, NML2tpStage stage)
{
    return self->with_ipsec
           || (stage != NM_L2TP_STAGE_IKE_PHASE1 && stage != NM_L2TP_STAGE_IKE_PHASE2);
}

static void
set_stages_from(NML2tpTimeline *self, NML2tpStage from, NML2tpStageState state, double seconds)
{
    NML2tpStage s;

    for (s = from; s < NM_L2TP_STAGE_N; s++) {
        if (in_timeline(self, s))
            nm_l2tp_report_set_stage(
                self->report, nm_l2tp_stage_to_string(s), state, seconds, NULL);
    }
}

double
nm_l2tp_timeline_get_elapsed(NML2tpTimeline *self)
{
    return g_timer_elapsed(self->timer, NULL);
}

NML2tpStage
nm_l2tp_timeline_get_stage(NML2tpTimeline *self)
{
    return self->stage;
}

double
nm_l2tp_timeline_get_stage_elapsed(NML2tpTimeline *self)
{
    return nm_l2tp_timeline_get_elapsed(self) - MAX(self->stage_started, 0);
}

const NML2tpStageRecord *
nm_l2tp_timeline_get_verdict(NML2tpTimeline *self)
{
    return self->verdict;
}

gboolean
nm_l2tp_timeline_has_succeeded(NML2tpTimeline *self)
{
    return self->succeeded;
}

void
nm_l2tp_timeline_set_report_owner(NML2tpTimeline *self, uid_t uid, gid_t gid)
{
    nm_l2tp_report_set_owner(self->report, uid, gid);
    self->held = FALSE;
    save(self);
}

void
nm_l2tp_timeline_start(NML2tpTimeline *self)
{
    g_timer_start(self->timer);
    self->started       = TRUE;
    self->stage         = NM_L2TP_STAGE_RESOLVE;
    self->stage_started = 0;
    nm_l2tp_report_set_verdict(
        self->report, NM_L2TP_OUTCOME_IN_PROGRESS, NULL, NULL, NULL, NULL, NULL);
    save(self);
}

void
nm_l2tp_timeline_enter(NML2tpTimeline *self, NML2tpStage stage)
{
    double      now = nm_l2tp_timeline_get_elapsed(self);
    NML2tpStage s;

    if (self->ended || self->verdict || (stage <= self->stage && self->stage_started >= 0))
        return;
    if (self->stage_started >= 0) {
        /* Stages the events skipped (a session up without a separate
         * tunnel event) passed in no measurable time. */
        for (s = self->stage; s < stage; s++) {
            if (in_timeline(self, s))
                nm_l2tp_report_set_stage(self->report,
                                         nm_l2tp_stage_to_string(s),
                                         NM_L2TP_STAGE_STATE_PASSED,
                                         now,
                                         NULL);
        }
    }
    self->stage         = stage;
    self->stage_started = now;
    g_debug("nm-l2tp[%s]: stage %s at %.2f s", self->name, nm_l2tp_stage_to_string(stage), now);
}

const NML2tpStageRecord *
nm_l2tp_timeline_fail(NML2tpTimeline *self,
                      NML2tpStage     stage,
                      NML2tpCause     cause,
                      const char     *detail)
{
    NML2tpStageRecord *record;

    if (self->ended || self->verdict)
        return NULL;
    record = nm_l2tp_stage_record_new(stage, cause, detail, nm_l2tp_timeline_get_elapsed(self));
    self->verdict = record;
    nm_l2tp_report_set_verdict_from_record(self->report, record);
    if (stage + 1 < NM_L2TP_STAGE_N)
        set_stages_from(self, stage + 1, NM_L2TP_STAGE_STATE_NOT_REACHED, -1);
    save(self);
    log_verdict(self, record);
    return record;
}

void
nm_l2tp_timeline_succeed(NML2tpTimeline *self, const char *detail)
{
    g_autoptr(NML2tpStageRecord) record = NULL;

    if (self->ended || self->verdict || self->succeeded)
        return;
    nm_l2tp_timeline_enter(self, NM_L2TP_STAGE_CONNECTED);
    self->succeeded                 = TRUE;
    self->report->connected_seconds = nm_l2tp_timeline_get_elapsed(self);
    record                          = nm_l2tp_stage_record_new(
        NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_NONE, detail, nm_l2tp_timeline_get_elapsed(self));
    nm_l2tp_report_set_verdict_from_record(self->report, record);
    save(self);
    log_verdict(self, record);
}

void
nm_l2tp_timeline_cancel(NML2tpTimeline *self)
{
    if (self->ended)
        return;
    self->ended = TRUE;
    if (self->verdict || self->succeeded)
        return;
    /* Disconnected while connecting: the report says where it was
     * instead of staying "in progress" for ever. */
    nm_l2tp_report_set_verdict(self->report,
                               NM_L2TP_OUTCOME_CANCELLED,
                               nm_l2tp_stage_to_string(self->stage),
                               NULL,
                               NULL,
                               NULL,
                               NULL);
    save(self);
}

void
nm_l2tp_timeline_rewind(NML2tpTimeline *self, NML2tpStage stage)
{
    if (self->ended || self->succeeded)
        return;
    g_clear_pointer(&self->verdict, nm_l2tp_stage_record_free);
    set_stages_from(self, stage, NM_L2TP_STAGE_STATE_NOT_REACHED, -1);
    nm_l2tp_report_set_verdict(
        self->report, NM_L2TP_OUTCOME_IN_PROGRESS, NULL, NULL, NULL, NULL, NULL);
    self->stage         = stage;
    self->stage_started = nm_l2tp_timeline_get_elapsed(self);
    save(self);
}

/* Drops whole lines from the front until the log fits again, with room to
 * grow, so that trimming happens rarely. */
static void
trim_log(NML2tpTimeline *self)
{
    gsize       keep = NM_L2TP_TIMELINE_LOG_MAX / 2;
    const char *from;
    const char *p;

    if (self->log->len <= NM_L2TP_TIMELINE_LOG_MAX)
        return;
    from = self->log->str + (self->log->len - keep);
    from = strchr(from, '\n');
    from = from ? from + 1 : self->log->str + self->log->len;
    for (p = self->log->str; p < from; p++) {
        if (*p == '\n')
            self->log_dropped++;
    }
    g_string_erase(self->log, 0, from - self->log->str);
}

void
nm_l2tp_timeline_log(NML2tpTimeline *self, const char *source, const char *line)
{
    /* Lines carry what servers said: escaped before anyone reads them. */
    g_autofree char *text = nm_l2tp_escape_text(line, -1, NM_L2TP_ESCAPE_NONE);

    g_string_append_printf(
        self->log, "%8.3f %s: %s\n", nm_l2tp_timeline_get_elapsed(self), source, text);
    trim_log(self);
    g_printerr("nm-l2tp[%s] %s: %s\n", self->name, source, text);
}

static void
layer_stage_cb(gpointer layer, int stage, NML2tpTimeline *self)
{
    nm_l2tp_timeline_enter(self, stage);
}

static void
layer_log_cb(gpointer layer, const char *source, const char *line, NML2tpTimeline *self)
{
    nm_l2tp_timeline_log(self, source, line);
}

void
nm_l2tp_timeline_follow(NML2tpTimeline *self, gpointer layer)
{
    g_signal_connect_object(layer, "stage", G_CALLBACK(layer_stage_cb), self, 0);
    g_signal_connect_object(layer, "log", G_CALLBACK(layer_log_cb), self, 0);
}

const char *
nm_l2tp_timeline_get_log(NML2tpTimeline *self)
{
    return self->log->str;
}

NML2tpTimeline *
nm_l2tp_timeline_new(
    const char *uuid, const char *name, const char *dir, gboolean with_ipsec, gboolean owned)
{
    NML2tpTimeline *self = g_object_new(NM_L2TP_TYPE_TIMELINE, NULL);

    self->uuid = g_strdup(uuid);
    /* A profile's name may hold anything; the log gets it escaped. */
    self->name       = nm_l2tp_escape_text(name ? name : uuid, -1, NM_L2TP_ESCAPE_NONE);
    self->dir        = g_strdup(dir);
    self->with_ipsec = with_ipsec;
    self->held       = owned;
    self->report     = nm_l2tp_report_new(uuid, name ? name : uuid);
    /* The directory is public (0755): reports are world-readable. */
    if (g_mkdir_with_parents(dir, 0755) != 0)
        g_warning("nm-l2tp: cannot create %s: %s", dir, g_strerror(errno));
    return self;
}

static void
nm_l2tp_timeline_init(NML2tpTimeline *self)
{
    self->timer         = g_timer_new();
    self->stage_started = -1;
    self->log           = g_string_new(NULL);
}

static void
finalize(GObject *object)
{
    NML2tpTimeline *self = NM_L2TP_TIMELINE(object);

    g_timer_destroy(self->timer);
    g_clear_pointer(&self->report, nm_l2tp_report_free);
    g_clear_pointer(&self->verdict, nm_l2tp_stage_record_free);
    g_string_free(self->log, TRUE);
    g_free(self->uuid);
    g_free(self->name);
    g_free(self->dir);
    G_OBJECT_CLASS(nm_l2tp_timeline_parent_class)->finalize(object);
}

static void
nm_l2tp_timeline_class_init(NML2tpTimelineClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = finalize;
}
