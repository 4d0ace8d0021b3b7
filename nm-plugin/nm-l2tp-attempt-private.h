/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_ATTEMPT_PRIVATE_H
#define NM_L2TP_ATTEMPT_PRIVATE_H

/* Shared by the two halves of NML2tpAttempt: nm-l2tp-attempt.c (the
 * timeline, resolve, IPsec, teardown) and nm-l2tp-attempt-link.c (L2TP
 * and PPP, up to NetworkManager's IP configuration). */

#include "nm-l2tp-attempt.h"
#include "nm-l2tp-ipsec.h"
#include "nm-l2tp-ppp-manager.h"
#include "nm-l2tp-report.h"
#include "nm-l2tp-xl2tpd.h"

struct _NML2tpAttempt {
    GObject            parent;
    NML2tpSettings    *settings;
    GDBusConnection   *bus;
    char              *uuid;
    char              *name;
    char              *bus_name;
    char              *run_base;
    char              *run_dir;
    char              *ppp_plugin;
    char              *xl2tpd_path;
    char              *charon_path;
    gboolean           allow_system_charon;
    char              *gateway_address;
    guint              local_port;
    GTimer            *timer;
    NML2tpStage        stage;
    double             stage_started;
    NML2tpReport      *report;
    NML2tpIpsec       *ipsec;
    gboolean           ipsec_connecting;
    gboolean           ipsec_up;
    NML2tpXl2tpd      *xl2tpd;
    gboolean           xl2tpd_ready; /* listening, may dial */
    gboolean           l2tp_wanted;  /* IPsec is up (or off): dial when ready */
    guint              dial_timer;   /* IKEv1: the server's SA is not in yet */
    NML2tpPppManager  *ppp;
    GCancellable      *cancellable;
    guint              timeout_id;
    NML2tpStageRecord *verdict;
    gboolean           connected;
    gboolean           stopping;
    GTask             *stop_task;   /* the caller's stop request */
    GTask             *settle_task; /* waits for a cancelled IPsec connect */
    char              *auth_method;
    char              *ppp_detail;
    GString           *log;     /* the attempt's IKE, L2TP and PPP lines */
    int                pppd_fd; /* pidfd of pppd while it is being stopped */
    guint              pppd_watch;
    guint              pppd_timer;
    gboolean           pppd_done;
    gboolean           lcp_echo_failed; /* pppd said the server stopped answering */
    gboolean           auth_failed;     /* the verdict waits for pppd's words */
    guint              auth_fail_timer;
};

enum {
    NM_L2TP_ATTEMPT_SIGNAL_CONNECTED,
    NM_L2TP_ATTEMPT_SIGNAL_FAILED,
    NM_L2TP_ATTEMPT_SIGNAL_LOST,
    NM_L2TP_ATTEMPT_N_SIGNALS
};
extern guint nm_l2tp_attempt_signals[NM_L2TP_ATTEMPT_N_SIGNALS];

void     nm_l2tp_attempt_save_report(NML2tpAttempt *self);
void     nm_l2tp_attempt_log_line(NML2tpAttempt *self, const char *source, const char *line);
void     nm_l2tp_attempt_log_verdict(NML2tpAttempt *self, const NML2tpStageRecord *record);
void     nm_l2tp_attempt_clear_timeout(NML2tpAttempt *self);
void     nm_l2tp_attempt_arm_timeout(NML2tpAttempt *self, gint64 seconds);
void     nm_l2tp_attempt_enter_stage(NML2tpAttempt *self, NML2tpStage stage);
void     nm_l2tp_attempt_fail(NML2tpAttempt *self,
                              NML2tpStage    stage,
                              NML2tpCause    cause,
                              const char    *detail);
void     nm_l2tp_attempt_fill_writer_params(NML2tpAttempt *self, NML2tpWriterParams *params);
gboolean nm_l2tp_attempt_prepare_l2tp(NML2tpAttempt *self);
void     nm_l2tp_attempt_start_l2tp(NML2tpAttempt *self);

#endif /* NM_L2TP_ATTEMPT_PRIVATE_H */
