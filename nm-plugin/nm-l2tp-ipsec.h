/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_IPSEC_H
#define NM_L2TP_IPSEC_H

#include <gio/gio.h>

#include "nm-l2tp-catalog.h"
#include "nm-l2tp-charon-ahead.h"
#include "nm-l2tp-layer.h"
#include "nm-l2tp-settings.h"
#include "nm-l2tp-writers.h"

/* The IPsec half of one L2TP/IPsec connection, over VICI, an NML2tpLayer:
 *
 *   connect:    find or start charon; load-shared (the PSK, with an id and
 *               owned by our local identity only), load-conn (the writer's
 *               tree, certificate files sent as data), initiate while
 *               following control-log, ike-updown and child-updown; the
 *               stage record is derived from them as they arrive;
 *   disconnect: terminate, unload-conn, unload-shared, and if we started
 *               charon, stop it and remove its directory.
 *
 * Everything loaded is named after the connection UUID, so nothing of a
 * system charon's own configuration is touched.  The PSK goes to charon
 * over the socket only, never to a file, argv, the environment or a log. */

#define NM_L2TP_TYPE_IPSEC (nm_l2tp_ipsec_get_type())
G_DECLARE_FINAL_TYPE(NML2tpIpsec, nm_l2tp_ipsec, NM_L2TP, IPSEC, GObject)

typedef struct {
    NML2tpCharonAhead *charon_ahead;        /* NULL: none; taken when it fits */
    gboolean           allow_system_charon; /* FALSE: always a private charon */
    const char *const *system_sockets;      /* NULL: the standard paths */
    const char        *charon_path;         /* NULL: the standard path */
    guint              charon_timeout_ms;   /* 0: 10 s */
} NML2tpIpsecOptions;

/* @settings and @params are copied where needed; params->run_dir must
 * exist (0700).  params->gateway_address is the resolved address. */
NML2tpIpsec *nm_l2tp_ipsec_new(const NML2tpSettings     *settings,
                               const NML2tpWriterParams *params,
                               const NML2tpIpsecOptions *options);

/* Connect brings up the ESP SA; on failure the record
 * (nm_l2tp_layer_get_record()) says where and why.  Disconnect afterwards
 * in every case; it also ends a connect that is still running
 * (G_IO_ERROR_CANCELLED).  Connect's cancellable is not watched:
 * disconnect is the one way to stop. */

/* Timing, for the benchmark and the log: seconds the private charon took
 * to start (0 for the system charon) and from initiate to the verdict. */
double   nm_l2tp_ipsec_get_charon_startup_seconds(NML2tpIpsec *ipsec);
double   nm_l2tp_ipsec_get_initiate_seconds(NML2tpIpsec *ipsec);
gboolean nm_l2tp_ipsec_uses_private_charon(NML2tpIpsec *ipsec);
/* Rekeys survived so far (IKE, ESP, and renegotiations after the server
 * deleted our last ESP SA). */
guint nm_l2tp_ipsec_get_rekeys(NML2tpIpsec *ipsec);

/* Signals (NML2tpLayer): "stage" IKE_PHASE2 once the IKE SA is up;
 * "log" each charon control-log line of our IKE SA ("ike"); "down" when
 * the SA went away after it was up (the server deleted it, DPD, charon
 * died). */

#endif /* NM_L2TP_IPSEC_H */
