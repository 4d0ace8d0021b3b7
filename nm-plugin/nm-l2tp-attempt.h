/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_ATTEMPT_H
#define NM_L2TP_ATTEMPT_H

#include <gio/gio.h>

#include "nm-l2tp-catalog.h"
#include "nm-l2tp-settings.h"

/* One connection attempt and, once connected, the live connection: the
 * state machine over the stages of DESIGN.md (resolve, IPsec phase 1 and
 * 2, L2TP tunnel and session, PPP LCP, authentication and network).  Each
 * stage has a timeout from the key table; the first failure becomes the
 * verdict, a stage record from the catalog.
 *
 * Signals:
 *   "connected" (GVariant *config, GVariant *ip4_config): NetworkManager's
 *               general and IPv4 configuration dictionaries;
 *   "failed"    (NML2tpStageRecord *verdict): the attempt failed; the
 *               caller may retry with new secrets (retry_*) or stop;
 *   "lost"      (NML2tpStageRecord *verdict): the connection went down
 *               after it was up (LCP echo, DPD, StopCCN). */

typedef struct {
    const char *uuid;
    const char *name;        /* the connection's id, for messages */
    const char *bus_name;    /* the service's bus name, for the pppd plugin */
    const char *run_base;    /* NULL: NM_L2TP_RUNDIR */
    const char *ppp_plugin;  /* NULL: the installed plugin */
    const char *xl2tpd_path; /* NULL: /usr/sbin/xl2tpd */
    const char *charon_path; /* NULL: the standard path */
    gboolean    allow_system_charon;
} NML2tpAttemptOptions;

#define NM_L2TP_TYPE_ATTEMPT (nm_l2tp_attempt_get_type())
G_DECLARE_FINAL_TYPE(NML2tpAttempt, nm_l2tp_attempt, NM_L2TP, ATTEMPT, GObject)

/* Takes @settings.  @bus is where the pppd plugin's object is exported. */
NML2tpAttempt *nm_l2tp_attempt_new(NML2tpSettings             *settings,
                                   GDBusConnection            *bus,
                                   const NML2tpAttemptOptions *options);

void nm_l2tp_attempt_start(NML2tpAttempt *self);

/* After a "failed" whose verdict blames the password: dial L2TP and PPP
 * again over the IPsec SA that is still up. */
gboolean nm_l2tp_attempt_retry_password(NML2tpAttempt *self, const char *password, GError **error);
gboolean nm_l2tp_attempt_can_retry_password(NML2tpAttempt *self);

/* Teardown top-down (PPP, L2TP, then IPsec), removing every process, SA,
 * loaded VICI object and file the attempt created. */
void     nm_l2tp_attempt_stop_async(NML2tpAttempt      *self,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data);
gboolean nm_l2tp_attempt_stop_finish(NML2tpAttempt *self, GAsyncResult *result, GError **error);

const NML2tpStageRecord *nm_l2tp_attempt_get_verdict(NML2tpAttempt *self);
double                   nm_l2tp_attempt_get_elapsed(NML2tpAttempt *self);

#endif /* NM_L2TP_ATTEMPT_H */
