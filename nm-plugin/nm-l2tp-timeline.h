/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_TIMELINE_H
#define NM_L2TP_TIMELINE_H

#include <glib-object.h>
#include <sys/types.h>

#include "nm-l2tp-catalog.h"

/* The timeline of one attempt: which stage it is in and since when, the
 * attempt's log (IKE, L2TP and PPP lines), the last-attempt report and
 * the verdict.  It is the only writer of the report and of the one
 * verdict line per attempt in NetworkManager's log; the layers and the
 * attempt tell it what happened, it decides nothing about causes.
 *
 * The first failure is the verdict: what follows it is its consequence
 * (pppd exiting after an authentication failure, and so on) and is not
 * recorded.  A rewind (a new password tried over the IPsec SA that is
 * still up) clears the verdict and the stages from there on.
 *
 * The report (stages and the catalog's words, no secret; world-readable
 * for a system connection, the owner's for a private one) and the log
 * (root only) stay in the report directory after the attempt,
 * as "the last attempt" for the editor, the auth dialog and nm-l2tp-diag;
 * they are written when the outcome changes, not per line. */

#define NM_L2TP_TYPE_TIMELINE (nm_l2tp_timeline_get_type())
G_DECLARE_FINAL_TYPE(NML2tpTimeline, nm_l2tp_timeline, NM_L2TP, TIMELINE, GObject)

/* @dir: where <uuid>.report and <uuid>.log go.  Without IPsec its two
 * stages are not part of the timeline.  A private report (@owned) is
 * written only once its owner is known (set_report_owner). */
NML2tpTimeline *nm_l2tp_timeline_new(
    const char *uuid, const char *name, const char *dir, gboolean with_ipsec, gboolean owned);

/* The report of a private connection belongs to its owner (see
 * nm_l2tp_report_set_owner()); uid 0 keeps it root's.  Writes what was
 * held back. */
void nm_l2tp_timeline_set_report_owner(NML2tpTimeline *self, uid_t uid, gid_t gid);

/* Starts the clock in the resolve stage; the report says "in progress". */
void nm_l2tp_timeline_start(NML2tpTimeline *self);

double      nm_l2tp_timeline_get_elapsed(NML2tpTimeline *self);
NML2tpStage nm_l2tp_timeline_get_stage(NML2tpTimeline *self);
/* Seconds since the current stage started. */
double nm_l2tp_timeline_get_stage_elapsed(NML2tpTimeline *self);

/* Every stage before @stage that was entered has passed; @stage starts
 * now.  Going back is ignored (see rewind). */
void nm_l2tp_timeline_enter(NML2tpTimeline *self, NML2tpStage stage);

/* Records a failure.  Returns the verdict when this failure became it,
 * NULL when there was one already or the attempt ended (cancel). */
const NML2tpStageRecord *nm_l2tp_timeline_fail(NML2tpTimeline *self,
                                               NML2tpStage     stage,
                                               NML2tpCause     cause,
                                               const char     *detail);

/* Connected; @detail (e.g. the PPP authentication method) goes into the
 * verdict line. */
void     nm_l2tp_timeline_succeed(NML2tpTimeline *self, const char *detail);
gboolean nm_l2tp_timeline_has_succeeded(NML2tpTimeline *self);

/* The user disconnected: an attempt without an outcome ends "cancelled"
 * in the stage it was in.  Nothing is recorded after this. */
void nm_l2tp_timeline_cancel(NML2tpTimeline *self);

/* Forgets the verdict and every stage from @stage on: the attempt goes on
 * from @stage, now. */
void nm_l2tp_timeline_rewind(NML2tpTimeline *self, NML2tpStage stage);

const NML2tpStageRecord *nm_l2tp_timeline_get_verdict(NML2tpTimeline *self);

/* Follows @layer (an NML2tpLayer): its "stage" and "log" signals enter
 * stages and add log lines. */
void nm_l2tp_timeline_follow(NML2tpTimeline *self, gpointer layer);

/* One line of the attempt's log; also on the service's stderr, which
 * NetworkManager puts into its own log when it runs with --debug.  None of
 * the programs whose lines come here is given a secret to print.  The log
 * kept in memory is bounded: a connection may live for days. */
void        nm_l2tp_timeline_log(NML2tpTimeline *self, const char *source, const char *line);
const char *nm_l2tp_timeline_get_log(NML2tpTimeline *self);

/* The most the in-memory log keeps; older lines are dropped first. */
#define NM_L2TP_TIMELINE_LOG_MAX (256 * 1024)

#endif /* NM_L2TP_TIMELINE_H */
