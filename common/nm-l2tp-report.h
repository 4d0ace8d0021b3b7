/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_REPORT_H
#define NM_L2TP_REPORT_H

#include <glib.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "nm-l2tp-catalog.h"

/* The last-attempt report: what happened the last time a connection was
 * made.  The service writes one file per connection UUID when an attempt
 * ends (and may rewrite it while the attempt runs); the editor, the auth
 * dialog and the diag tool read it.  No secret is ever part of it.
 *
 * Location: $dir/<uuid>.report, where $dir is NM_L2TP_RUNDIR (/run/nm-l2tp).
 * Readers may point nm_l2tp_report_default_dir() elsewhere with the
 * environment variable NM_L2TP_REPORT_DIR (used by the tests).  The file is
 * written atomically (write to a temporary file, then rename).
 *
 * Who may read it: a system connection's report is world-readable (mode
 * 0644, root's).  A private connection's report (the service calls
 * nm_l2tp_report_set_owner() with the owner from connection.permissions)
 * belongs to that user, mode 0400: only root and the owner can read it,
 * and it is never world-readable, not even while it is being written.
 * Readers (nm_l2tp_report_load()) show a report only to root, to its
 * owner, and everybody a root-owned world-readable one
 * (nm_l2tp_report_is_visible_to()).
 *
 * Every text in it that came from a profile, a server or a program (the
 * connection's name, stage details, message and hint) is stored escaped
 * (common/nm-l2tp-escape.h), and escaped again when read: a report written
 * by an older version or edited by its owner shows no control character
 * either.
 *
 * Format: a GKeyFile, UTF-8.
 *
 *   [attempt]
 *   version=1                      # format version; readers reject > 1
 *   uuid=<connection UUID>
 *   name=<connection id>           # as shown to the user
 *   started=2026-11-27T07:57:04Z   # ISO 8601, UTC
 *   outcome=connected|failed|cancelled|in-progress
 *                                  # cancelled: disconnected by the user
 *                                  # before it connected
 *   verdict-stage=<stage id>       # where it failed, or the stage it was
 *                                  # in when cancelled (absent when connected)
 *   verdict-cause=<cause id>       # catalog word, e.g. ppp-auth-rejected
 *   verdict-message=<text>         # one sentence: what went wrong
 *   verdict-hint=<text>            # one sentence: what to check
 *   wrong-secret=<key>             # ipsec-psk or password: the secret that
 *                                  # was rejected (absent when none)
 *   connected-seconds=2.10         # when it connected (absent if it did
 *                                  # not); with outcome=failed and
 *                                  # verdict-stage=connected the connection
 *                                  # was up and then lost
 *
 *   [stage resolve]                # one group per stage, in timeline order
 *   state=passed|failed|not-reached
 *   seconds=0.02                   # when the stage ended, in seconds since
 *                                  # the attempt started (absent when not
 *                                  # reached)
 *   detail=<text>                  # optional, e.g. "NO_PROPOSAL_CHOSEN"; on
 *                                  # the failed stage it fills the "%s" of
 *                                  # the cause's message_detail
 *
 * Stage and cause ids are the catalog's (common/nm-l2tp-catalog.h):
 * resolve, ike-phase1, ike-phase2, l2tp-tunnel, l2tp-session, ppp-lcp,
 * ppp-auth, ppp-network, connected.  The report stores them as plain
 * strings, so a reader copes with ids it does not know.  Message and hint
 * are written in the catalog's source language (English, untranslated);
 * readers show them in the user's language: by cause id through the
 * catalog, else the stored text through gettext.  wrong-secret is "none"
 * or absent when the failure blames no secret. */

#define NM_L2TP_REPORT_VERSION 1

typedef enum {
    NM_L2TP_STAGE_STATE_NOT_REACHED,
    NM_L2TP_STAGE_STATE_PASSED,
    NM_L2TP_STAGE_STATE_FAILED,
} NML2tpStageState;

typedef enum {
    NM_L2TP_OUTCOME_IN_PROGRESS,
    NM_L2TP_OUTCOME_CONNECTED,
    NM_L2TP_OUTCOME_FAILED,
    NM_L2TP_OUTCOME_CANCELLED,
} NML2tpOutcome;

typedef struct {
    char            *id; /* stage id, e.g. "ike-phase1" */
    NML2tpStageState state;
    double           seconds; /* since the attempt started; < 0: unknown */
    char            *detail;  /* NULL: none */
} NML2tpReportStage;

typedef struct {
    char         *uuid;
    char         *name;
    GDateTime    *started; /* NULL: unknown */
    NML2tpOutcome outcome;
    char         *verdict_stage;
    char         *verdict_cause;
    char         *verdict_message;
    char         *verdict_hint;
    char         *wrong_secret;
    double        connected_seconds; /* when it connected; < 0: it did not */
    GPtrArray    *stages;            /* of NML2tpReportStage, timeline order */
    gboolean      has_owner;         /* nm_l2tp_report_set_owner() was called */
    uid_t         owner_uid;
    gid_t         owner_gid;
} NML2tpReport;

NML2tpReport *nm_l2tp_report_new(const char *uuid, const char *name);
void          nm_l2tp_report_free(NML2tpReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpReport, nm_l2tp_report_free)

/* For a private connection: the report file is given to @uid:@gid, mode
 * 0400, readable by root and that user only.  With uid 0 it is root's,
 * mode 0600 (a connection several users own: none of them sees the
 * others' attempts).  Without this call the report is world-readable. */
void nm_l2tp_report_set_owner(NML2tpReport *report, uid_t uid, gid_t gid);

/* Whether a report file with @st may be shown to the user @reader: root
 * sees every report, a user sees their own and the world-readable reports
 * of root (system connections). */
gboolean nm_l2tp_report_is_visible_to(const struct stat *st, uid_t reader);

/* Adds the stage or, when it is already there, updates it. */
void                     nm_l2tp_report_set_stage(NML2tpReport    *report,
                                                  const char      *stage_id,
                                                  NML2tpStageState state,
                                                  double           seconds,
                                                  const char      *detail);
const NML2tpReportStage *nm_l2tp_report_get_stage(const NML2tpReport *report, const char *stage_id);
void                     nm_l2tp_report_set_verdict(NML2tpReport *report,
                                                    NML2tpOutcome outcome,
                                                    const char   *stage_id,
                                                    const char   *cause,
                                                    const char   *message,
                                                    const char   *hint,
                                                    const char   *wrong_secret);

const char *nm_l2tp_stage_state_to_string(NML2tpStageState state);
gboolean    nm_l2tp_stage_state_from_string(const char *str, NML2tpStageState *out);
const char *nm_l2tp_outcome_to_string(NML2tpOutcome outcome);

/* The catalog's stages in timeline order (NULL terminated) and a stage's
 * name for people, translated; an id the catalog does not know is returned
 * as it is. */
const char *const *nm_l2tp_report_stage_ids(void);
const char        *nm_l2tp_report_stage_label(const char *stage_id);

/* For the service: records how a stage ended (passed, or the verdict with
 * the catalog's words and the blamed secret). */
void nm_l2tp_report_set_verdict_from_record(NML2tpReport *report, const NML2tpStageRecord *record);

/* For readers: the verdict in the reader's language (from the catalog by
 * cause id, with the failed stage's detail; else the stored English text
 * through gettext), and the secret the failure blames ("ipsec-psk",
 * "password" or NULL). */
char       *nm_l2tp_report_dup_message(const NML2tpReport *report);
char       *nm_l2tp_report_dup_hint(const NML2tpReport *report);
const char *nm_l2tp_report_get_wrong_secret(const NML2tpReport *report);

/* A connection that was up and then went away (outcome failed in the
 * connected stage). */
gboolean nm_l2tp_report_is_lost(const NML2tpReport *report);
/* How long it was up before it was lost; < 0 when unknown. */
double nm_l2tp_report_get_connected_for(const NML2tpReport *report);
/* A duration for people, translated: "45 s", "12 min", "3.5 h". */
char *nm_l2tp_format_duration(double seconds);

/* The catalog's phrases start in lower case and have no full stop: this
 * makes a sentence of one ("the key was rejected" -> "The key was
 * rejected."), with the full stop of the user's language. */
char *nm_l2tp_report_to_sentence(const char *phrase);

/* Serialisation. */
char         *nm_l2tp_report_to_data(const NML2tpReport *report, gsize *out_len);
NML2tpReport *nm_l2tp_report_new_from_data(const char *data, gssize len, GError **error);

/* Files.  dir NULL means nm_l2tp_report_default_dir().  The UUID must
 * consist of hex digits and dashes only; anything else is refused before a
 * path is built from it. */
const char *nm_l2tp_report_default_dir(void);
char       *nm_l2tp_report_build_path(const char *dir, const char *uuid, GError **error);
gboolean    nm_l2tp_report_save(const NML2tpReport *report, const char *dir, GError **error);
/* Reads the report as the calling user sees it: G_FILE_ERROR_NOENT when
 * there is none, G_FILE_ERROR_ACCES when it is not for this user (see
 * nm_l2tp_report_is_visible_to()).  A FIFO, a device or a symbolic link in
 * its place is refused at once. */
NML2tpReport *nm_l2tp_report_load(const char *dir, const char *uuid, GError **error);

#endif /* NM_L2TP_REPORT_H */
