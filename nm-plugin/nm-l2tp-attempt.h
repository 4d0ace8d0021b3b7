/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_ATTEMPT_H
#define NM_L2TP_ATTEMPT_H

#include <gio/gio.h>

#include "nm-l2tp-catalog.h"
#include "nm-l2tp-layer.h"
#include "nm-l2tp-settings.h"
#include "nm-l2tp-writers.h"

/* One connection attempt and, once connected, the live connection.  It
 * only orchestrates: copies of the files the settings name, read as the
 * connection's owners; the gateway's name lookup; then IPsec (an NML2tpLayer,
 * NML2tpIpsec), then L2TP and PPP (NML2tpLink), with the run directory and
 * the L2TP source port they share; the stages, the report and the one
 * verdict line are NML2tpTimeline's.  Stop is the link's disconnect, then
 * IPsec's, then the run directory: top-down, so that the last LCP and
 * StopCCN still go through the SA.  See docs/design.md.
 *
 * Signals:
 *   "connected" (GVariant *config, GVariant *ip4_config, GVariant
 *               *ip6_config): NetworkManager's general, IPv4 and IPv6 (or
 *               NULL) configuration dictionaries; emitted again when they
 *               grow after connect (the server's routes, IPv6);
 *   "failed"    (NML2tpStageRecord *verdict): the attempt failed; the
 *               caller may retry with a new password (retry_password) or
 *               stop;
 *   "lost"      (NML2tpStageRecord *verdict): the connection went down
 *               after it was up (LCP echo, DPD, StopCCN). */

/* How the attempt makes its layers: the service's real ones (which know
 * where the pppd plugin's object lives, which charon may be used), or the
 * unit tests' fakes.  params->local_port and run_dir are the attempt's. */
typedef struct {
    NML2tpLayer *(*new_ipsec)(const NML2tpSettings     *settings,
                              const NML2tpWriterParams *params,
                              gpointer                  data);
    NML2tpLayer *(*new_link)(const NML2tpSettings     *settings,
                             const NML2tpWriterParams *params,
                             gpointer                  data);
    gpointer data;
} NML2tpLayerFactory;

typedef struct {
    const char               *uuid;
    const char               *name;     /* the connection's id, for messages */
    const char               *run_base; /* NULL: NM_L2TP_RUNDIR */
    const char *const        *owners;   /* the users it belongs to; NULL: a system connection */
    const NML2tpLayerFactory *factory;
} NML2tpAttemptOptions;

#define NM_L2TP_TYPE_ATTEMPT (nm_l2tp_attempt_get_type())
G_DECLARE_FINAL_TYPE(NML2tpAttempt, nm_l2tp_attempt, NM_L2TP, ATTEMPT, GObject)

/* Takes @settings. */
NML2tpAttempt *nm_l2tp_attempt_new(NML2tpSettings *settings, const NML2tpAttemptOptions *options);

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

#endif /* NM_L2TP_ATTEMPT_H */
