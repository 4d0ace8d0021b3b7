/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_LINK_DIAG_H
#define NM_L2TP_LINK_DIAG_H

#include "nm-l2tp-catalog.h"
#include "nm-l2tp-xl2tpd.h"

/* Turns what xl2tpd, pppd and the pppd plugin say during the L2TP and PPP
 * stages into a stage and, when something failed, a cause: the L2TP/PPP
 * counterpart of NML2tpIpsecDiag.  Pure logic, no I/O, no clock: NML2tpLink
 * feeds it and owns the timers, the unit tests replay sequences.
 *
 * What it trusts: xl2tpd's events (recognised from xl2tpd's own lines, see
 * nm-l2tp-xl2tpd.h) and the plugin's calls over D-Bus (phases, the
 * authentication result, pppd's exit code, the IP configuration) decide;
 * pppd's words (its log lines, which carry the server's messages) only add
 * detail to a verdict, with one exception that pppd prints before it has
 * talked to any server (no kernel PPP support).
 *
 * The first verdict counts; later input does not change it until reset. */

typedef struct _NML2tpLinkDiag NML2tpLinkDiag;

typedef struct {
    const char *gateway;         /* the address in "no answer from ..." */
    gboolean    eap_tls;         /* the user authenticates with EAP-TLS */
    gboolean    refuses_methods; /* some refuse-* key is set */
} NML2tpLinkDiagParams;

typedef enum {
    NM_L2TP_LINK_DIAG_NOTHING,    /* no verdict (the stage may have moved on) */
    NM_L2TP_LINK_DIAG_WAIT_WORDS, /* authentication failed: wait briefly for pppd's words */
    NM_L2TP_LINK_DIAG_VERDICT,    /* a verdict, see get_stage/get_cause/get_detail */
} NML2tpLinkDiagResult;

/* How long an authentication failure waits for pppd's own words (the
 * server's MS-CHAP message), which travel through xl2tpd's output, a
 * channel slower than the plugin's call. */
#define NM_L2TP_LINK_DIAG_WORDS_GRACE_MS 1000

NML2tpLinkDiag *nm_l2tp_link_diag_new(const NML2tpLinkDiagParams *params);
void            nm_l2tp_link_diag_free(NML2tpLinkDiag *diag);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpLinkDiag, nm_l2tp_link_diag_free)

/* Back to the start of the L2TP tunnel stage, for a new password over the
 * same xl2tpd.  The authentication method seen so far is kept. */
void nm_l2tp_link_diag_reset(NML2tpLinkDiag *diag);

NML2tpLinkDiagResult nm_l2tp_link_diag_xl2tpd_event(NML2tpLinkDiag   *diag,
                                                    NML2tpXl2tpdEvent event,
                                                    const char       *detail);
/* One line pppd printed (not one of xl2tpd's own). */
NML2tpLinkDiagResult nm_l2tp_link_diag_pppd_line(NML2tpLinkDiag *diag, const char *line);
NML2tpLinkDiagResult nm_l2tp_link_diag_phase(NML2tpLinkDiag *diag, guint phase);
NML2tpLinkDiagResult nm_l2tp_link_diag_auth_result(NML2tpLinkDiag *diag,
                                                   const char     *method,
                                                   gboolean        success);
NML2tpLinkDiagResult nm_l2tp_link_diag_exit_status(NML2tpLinkDiag *diag, guint status);
/* The IP configuration arrived: connected, or failed when it holds no
 * address. */
NML2tpLinkDiagResult nm_l2tp_link_diag_ip_config(NML2tpLinkDiag *diag, gboolean has_address);
/* The grace for pppd's words is over. */
NML2tpLinkDiagResult nm_l2tp_link_diag_words_timeout(NML2tpLinkDiag *diag);
/* The current stage made no progress for @seconds (the stage's timeout). */
NML2tpLinkDiagResult nm_l2tp_link_diag_stage_timeout(NML2tpLinkDiag *diag, double seconds);

NML2tpStage nm_l2tp_link_diag_get_stage(NML2tpLinkDiag *diag);
gboolean    nm_l2tp_link_diag_is_connected(NML2tpLinkDiag *diag);
gboolean    nm_l2tp_link_diag_has_verdict(NML2tpLinkDiag *diag);
NML2tpCause nm_l2tp_link_diag_get_cause(NML2tpLinkDiag *diag);
/* The verdict's stage is get_stage(); its detail (NULL: none). */
const char *nm_l2tp_link_diag_get_detail(NML2tpLinkDiag *diag);
/* The PPP authentication method the server and pppd agreed on, if any. */
const char *nm_l2tp_link_diag_get_auth_method(NML2tpLinkDiag *diag);

#endif /* NM_L2TP_LINK_DIAG_H */
