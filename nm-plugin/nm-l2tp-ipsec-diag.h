/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_IPSEC_DIAG_H
#define NM_L2TP_IPSEC_DIAG_H

#include "nm-l2tp-catalog.h"

/* Turns what charon says during an IPsec attempt into a stage and a cause.
 *
 * It reads charon's log lines (VICI control-log events) one at a time, as
 * they arrive, and decides as soon as a line settles the matter, e.g. a
 * NO_PROPOSAL_CHOSEN notify or an SA the kernel refused: the user should
 * not wait for a timeout when the packets already told.  What the lines
 * mean was learnt from strongSwan 5.9 talking to real peers (see
 * tests/netns/run-ipsec-tests); the unit tests replay such lines.
 *
 * Pure logic, no I/O, no clock: the caller passes the time. */

typedef struct _NML2tpIpsecDiag NML2tpIpsecDiag;

typedef struct {
    const char *gateway;       /* the address we talk to */
    const char *ike_proposals; /* what we offered, for the message */
    const char *esp_proposals;
    gboolean    psk; /* authenticating with a pre-shared key */
    gboolean    ikev2;
} NML2tpIpsecDiagParams;

NML2tpIpsecDiag *nm_l2tp_ipsec_diag_new(const NML2tpIpsecDiagParams *params);
void             nm_l2tp_ipsec_diag_free(NML2tpIpsecDiag *diag);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpIpsecDiag, nm_l2tp_ipsec_diag_free)

/* One log line; @group is charon's subsystem ("IKE", "ENC", "KNL", ...).
 * Returns TRUE when this line produced the verdict (only the first
 * verdict counts; later lines do not change it). */
gboolean nm_l2tp_ipsec_diag_feed(NML2tpIpsecDiag *diag, const char *group, const char *msg);

/* From ike-updown / child-updown events. */
void nm_l2tp_ipsec_diag_ike_up(NML2tpIpsecDiag *diag);
void nm_l2tp_ipsec_diag_child_up(NML2tpIpsecDiag *diag);

/* charon's initiate returned "success = no" with @errmsg, or our timer for
 * the IKE stages ran out (@timed_out): settle on a verdict if none yet. */
void nm_l2tp_ipsec_diag_finish(NML2tpIpsecDiag *diag, const char *errmsg, gboolean timed_out);

gboolean nm_l2tp_ipsec_diag_has_verdict(NML2tpIpsecDiag *diag);
/* Stage reached so far (the failing one once there is a verdict). */
NML2tpStage nm_l2tp_ipsec_diag_get_stage(NML2tpIpsecDiag *diag);
NML2tpCause nm_l2tp_ipsec_diag_get_cause(NML2tpIpsecDiag *diag);
const char *nm_l2tp_ipsec_diag_get_detail(NML2tpIpsecDiag *diag);
gboolean    nm_l2tp_ipsec_diag_is_established(NML2tpIpsecDiag *diag);
/* The IKE SA is up (phase 1 is over), from its log line or its event. */
gboolean nm_l2tp_ipsec_diag_ike_is_up(NML2tpIpsecDiag *diag);
gboolean nm_l2tp_ipsec_diag_got_reply(NML2tpIpsecDiag *diag);

#endif /* NM_L2TP_IPSEC_DIAG_H */
