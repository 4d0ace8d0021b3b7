/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_DIAG_TIMELINE_H
#define NM_L2TP_DIAG_TIMELINE_H

#include <json-glib/json-glib.h>
#include <NetworkManager.h>

#include "nm-l2tp-diag-redact.h"
#include "nm-l2tp-report.h"

/* Finding the last-attempt report of a connection and showing its stage
 * timeline, as text for people and as JSON for scripts.
 *
 * The JSON is an interface (the lab runs the tool after every scenario):
 * field names, stage ids (the catalog's), state words and cause ids are
 * stable; only "label", "message" and "hint" are in the user's language.
 * NM_L2TP_DIAG_JSON_FORMAT grows when a field changes meaning. */

#define NM_L2TP_DIAG_JSON_FORMAT 1

/* The report of @connection (a UUID or a name; NULL: the most recently
 * written report in @dir).  A name is looked up through @client when
 * given (NetworkManager knows names of connections never attempted), else
 * among the names stored in the reports. */
NML2tpReport *nm_l2tp_diag_report_find(const char *dir,
                                       const char *connection,
                                       NMClient   *client,
                                       GError    **error);

/* A copy of @report with every text redacted.  The report holds no
 * secret by contract, but its details come from peers and programs, and
 * nothing leaves the tool unredacted. */
NML2tpReport *nm_l2tp_diag_report_redact(const NML2tpReport   *report,
                                         const NML2tpRedactor *redactor);

/* How long each stage took: its end minus the end of the stage before it
 * (the report stores when each stage ended, counted from the start of the
 * attempt).  < 0: unknown. */
double nm_l2tp_diag_stage_duration(const NML2tpReport *report, guint index);

/* When the attempt ended, or the last moment it is known to have reached;
 * < 0: unknown. */
double nm_l2tp_diag_report_total_seconds(const NML2tpReport *report);

char     *nm_l2tp_diag_timeline_to_text(const NML2tpReport *report);
JsonNode *nm_l2tp_diag_timeline_to_json(const NML2tpReport *report);

/* Pretty-printed JSON with a final newline. */
char *nm_l2tp_diag_json_to_string(JsonNode *node);

#endif /* NM_L2TP_DIAG_TIMELINE_H */
