/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The timeline: what the report says at each point of an attempt, the one
 * verdict line, and a log that stays bounded however long a connection
 * lives. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "nm-l2tp-resources.h"
#include "nm-l2tp-report.h"
#include "nm-l2tp-timeline.h"

#define UUID "0d6e6bd0-37a4-4c28-9d6c-3b2b8d6a1f00"

static guint verdict_lines;
static char *last_verdict;

static GLogWriterOutput
count_verdicts(GLogLevelFlags level, const GLogField *fields, gsize n, gpointer user_data)
{
    gsize i;

    for (i = 0; i < n; i++) {
        if (g_str_equal(fields[i].key, "MESSAGE") && fields[i].length < 0
            && g_str_has_prefix(fields[i].value, "l2tp \"office\": ")) {
            verdict_lines++;
            g_free(last_verdict);
            last_verdict = g_strdup(fields[i].value);
        }
    }
    return G_LOG_WRITER_HANDLED;
}

typedef struct {
    char           *dir;
    NML2tpTimeline *t;
} Fixture;

static void
setup(Fixture *f, gconstpointer with_ipsec)
{
    f->dir = g_dir_make_tmp("timeline-XXXXXX", NULL);
    f->t   = nm_l2tp_timeline_new(UUID, "office", f->dir, GPOINTER_TO_INT(with_ipsec), FALSE);
    verdict_lines = 0;
    nm_l2tp_timeline_start(f->t);
}

static void
teardown(Fixture *f, gconstpointer data)
{
    g_clear_object(&f->t);
    nm_l2tp_remove_tree(f->dir);
    g_free(f->dir);
}

static NML2tpReport *
load(Fixture *f)
{
    g_autoptr(GError) error = NULL;
    NML2tpReport *r         = nm_l2tp_report_load(f->dir, UUID, &error);

    g_assert_no_error(error);
    return r;
}

static const char *
state(NML2tpReport *r, const char *stage)
{
    const NML2tpReportStage *s = nm_l2tp_report_get_stage(r, stage);

    return s ? nm_l2tp_stage_state_to_string(s->state) : "absent";
}

static void
test_in_progress_from_the_start(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r = load(f);

    g_assert_cmpint(r->outcome, ==, NM_L2TP_OUTCOME_IN_PROGRESS);
    g_assert_cmpstr(r->name, ==, "office");
    g_assert_cmpint(nm_l2tp_timeline_get_stage(f->t), ==, NM_L2TP_STAGE_RESOLVE);
}

static void
test_skipped_stages_pass_too(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r = NULL;

    nm_l2tp_timeline_enter(f->t, NM_L2TP_STAGE_IKE_PHASE1);
    /* A session up without a separate tunnel event. */
    nm_l2tp_timeline_enter(f->t, NM_L2TP_STAGE_PPP_LCP);
    /* Going back is ignored. */
    nm_l2tp_timeline_enter(f->t, NM_L2TP_STAGE_L2TP_TUNNEL);
    g_assert_cmpint(nm_l2tp_timeline_get_stage(f->t), ==, NM_L2TP_STAGE_PPP_LCP);
    nm_l2tp_timeline_succeed(f->t, "PAP");
    r = load(f);
    g_assert_cmpint(r->outcome, ==, NM_L2TP_OUTCOME_CONNECTED);
    g_assert_cmpstr(state(r, "resolve"), ==, "passed");
    g_assert_cmpstr(state(r, "ike-phase2"), ==, "passed");
    g_assert_cmpstr(state(r, "l2tp-session"), ==, "passed");
    g_assert_cmpstr(state(r, "ppp-lcp"), ==, "passed");
    g_assert_cmpstr(state(r, "connected"), ==, "passed");
    g_assert_cmpuint(verdict_lines, ==, 1);
}

static void
test_first_failure_is_the_verdict(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r = NULL;

    nm_l2tp_timeline_enter(f->t, NM_L2TP_STAGE_IKE_PHASE1);
    g_assert_nonnull(nm_l2tp_timeline_fail(
        f->t, NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_NO_PROPOSAL_CHOSEN, "3des-sha1-modp1024"));
    /* Its consequences are not verdicts. */
    g_assert_null(
        nm_l2tp_timeline_fail(f->t, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_INTERNAL, NULL));
    nm_l2tp_timeline_succeed(f->t, NULL);
    nm_l2tp_timeline_enter(f->t, NM_L2TP_STAGE_PPP_LCP);
    g_assert_cmpuint(verdict_lines, ==, 1);
    r = load(f);
    g_assert_cmpint(r->outcome, ==, NM_L2TP_OUTCOME_FAILED);
    g_assert_cmpstr(r->verdict_stage, ==, "ike-phase1");
    g_assert_cmpstr(r->verdict_cause, ==, "no-proposal-chosen");
    g_assert_nonnull(strstr(r->verdict_message, "3des-sha1-modp1024"));
    g_assert_cmpstr(state(r, "ike-phase1"), ==, "failed");
    g_assert_cmpstr(state(r, "ike-phase2"), ==, "not-reached");
    g_assert_cmpstr(state(r, "connected"), ==, "not-reached");
}

static void
test_cancel_keeps_the_stage(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r = NULL;

    nm_l2tp_timeline_enter(f->t, NM_L2TP_STAGE_L2TP_TUNNEL);
    nm_l2tp_timeline_cancel(f->t);
    /* After the user's disconnect, nothing is a verdict any more. */
    g_assert_null(
        nm_l2tp_timeline_fail(f->t, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_L2TP_STOPCCN, NULL));
    r = load(f);
    g_assert_cmpint(r->outcome, ==, NM_L2TP_OUTCOME_CANCELLED);
    g_assert_cmpstr(r->verdict_stage, ==, "l2tp-tunnel");
    g_assert_cmpuint(verdict_lines, ==, 0);
}

static void
test_cancel_after_connect_keeps_connected(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r = NULL;

    nm_l2tp_timeline_succeed(f->t, NULL);
    nm_l2tp_timeline_cancel(f->t);
    r = load(f);
    g_assert_cmpint(r->outcome, ==, NM_L2TP_OUTCOME_CONNECTED);
}

static void
test_lost_says_how_long_it_was_up(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r = NULL;

    nm_l2tp_timeline_succeed(f->t, NULL);
    nm_l2tp_timeline_fail(f->t, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT, NULL);
    r = load(f);
    g_assert_true(nm_l2tp_report_is_lost(r));
    g_assert_cmpstr(r->verdict_cause, ==, "ppp-lcp-echo-timeout");
    /* One line for connecting, one for losing it; the second says the
     * connection had been up and what ended it, not a failure to connect. */
    g_assert_cmpuint(verdict_lines, ==, 2);
    g_assert_true(g_str_has_prefix(last_verdict, "l2tp \"office\": up for "));
    g_assert_nonnull(
        strstr(last_verdict, "then the connection was lost: the server stopped answering"));
}

static void
test_rewind_forgets_from_the_stage(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r = NULL;

    nm_l2tp_timeline_enter(f->t, NM_L2TP_STAGE_PPP_AUTH);
    nm_l2tp_timeline_fail(f->t, NM_L2TP_STAGE_PPP_AUTH, NM_L2TP_CAUSE_PPP_AUTH_REJECTED, NULL);
    nm_l2tp_timeline_rewind(f->t, NM_L2TP_STAGE_L2TP_TUNNEL);
    g_assert_null(nm_l2tp_timeline_get_verdict(f->t));
    r = load(f);
    g_assert_cmpint(r->outcome, ==, NM_L2TP_OUTCOME_IN_PROGRESS);
    g_assert_cmpstr(state(r, "ike-phase2"), ==, "passed");
    g_assert_cmpstr(state(r, "l2tp-tunnel"), ==, "not-reached");
    g_assert_cmpstr(state(r, "ppp-auth"), ==, "not-reached");
    g_clear_pointer(&r, nm_l2tp_report_free);
    nm_l2tp_timeline_enter(f->t, NM_L2TP_STAGE_PPP_NETWORK);
    nm_l2tp_timeline_succeed(f->t, NULL);
    r = load(f);
    g_assert_cmpstr(state(r, "ppp-auth"), ==, "passed");
    g_assert_cmpuint(verdict_lines, ==, 2);
}

static void
test_without_ipsec_no_ipsec_stages(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r = NULL;

    nm_l2tp_timeline_enter(f->t, NM_L2TP_STAGE_L2TP_TUNNEL);
    nm_l2tp_timeline_fail(f->t, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_L2TP_NO_RESPONSE, NULL);
    r = load(f);
    g_assert_cmpstr(state(r, "ike-phase1"), ==, "absent");
    g_assert_cmpstr(state(r, "ike-phase2"), ==, "absent");
    g_assert_cmpstr(state(r, "resolve"), ==, "passed");
    g_assert_cmpstr(state(r, "l2tp-tunnel"), ==, "failed");
}

static void
test_log_is_bounded(Fixture *f, gconstpointer data)
{
    g_autofree char *line = g_strnfill(200, 'x');
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    guint            i;

    /* Days of LCP echoes and rekeys: far more than the bound. */
    for (i = 0; i < 20000; i++)
        nm_l2tp_timeline_log(f->t, "l2tp", line);
    nm_l2tp_timeline_log(f->t, "l2tp", "the last line");
    g_assert_cmpuint(strlen(nm_l2tp_timeline_get_log(f->t)), <=, NM_L2TP_TIMELINE_LOG_MAX);
    g_assert_true(g_str_has_suffix(nm_l2tp_timeline_get_log(f->t), "l2tp: the last line\n"));
    nm_l2tp_timeline_fail(f->t, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT, NULL);
    path = g_strdup_printf("%s/%s.log", f->dir, UUID);
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_true(g_str_has_prefix(text, "["));
    g_assert_nonnull(strstr(text, "earlier lines dropped]"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_log_set_writer_func(count_verdicts, NULL, NULL);
#define ADD(path, fn, ipsec) \
    g_test_add("/timeline/" path, Fixture, GINT_TO_POINTER(ipsec), setup, fn, teardown)
    ADD("in-progress-from-the-start", test_in_progress_from_the_start, TRUE);
    ADD("skipped-stages-pass-too", test_skipped_stages_pass_too, TRUE);
    ADD("first-failure-is-the-verdict", test_first_failure_is_the_verdict, TRUE);
    ADD("cancel-keeps-the-stage", test_cancel_keeps_the_stage, TRUE);
    ADD("cancel-after-connect-keeps-connected", test_cancel_after_connect_keeps_connected, TRUE);
    ADD("lost-says-how-long-it-was-up", test_lost_says_how_long_it_was_up, TRUE);
    ADD("rewind-forgets-from-the-stage", test_rewind_forgets_from_the_stage, TRUE);
    ADD("without-ipsec-no-ipsec-stages", test_without_ipsec_no_ipsec_stages, FALSE);
    ADD("log-is-bounded", test_log_is_bounded, TRUE);
    return g_test_run();
}
