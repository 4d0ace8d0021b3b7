/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_LINK_H
#define NM_L2TP_LINK_H

#include <gio/gio.h>

#include "nm-l2tp-layer.h"
#include "nm-l2tp-settings.h"
#include "nm-l2tp-writers.h"

/* L2TP and PPP of one connection, an NML2tpLayer: xl2tpd (the LAC, its
 * configuration and pppd's options in the run directory), the D-Bus object
 * the pppd plugin calls (NML2tpPppManager), and pppd's whole life: started
 * by xl2tpd, known by pidfd from its first call, ended first at teardown
 * so that its LCP Terminate-Request still goes through L2TP and the SA.
 *
 *   prepare:    writes the files and starts xl2tpd, listening only (it
 *               may run while IKE is still negotiating);
 *   connect:    dials once xl2tpd listens, and follows tunnel, session,
 *               LCP, authentication and IPCP to the IP configuration; the
 *               stage timeouts are the settings' timeout-l2tp and
 *               timeout-ppp;
 *   reconnect:  after a rejected password, connect again with a new one
 *               (update_secret "password") over the same xl2tpd;
 *   disconnect: pppd (SIGTERM by pidfd), then xl2tpd (hang-up: StopCCN;
 *               then SIGTERM), each with a grace before SIGKILL.
 *
 * What each event means is decided by NML2tpLinkDiag. */

#define NM_L2TP_TYPE_LINK (nm_l2tp_link_get_type())
G_DECLARE_FINAL_TYPE(NML2tpLink, nm_l2tp_link, NM_L2TP, LINK, GObject)

typedef struct {
    GDBusConnection *bus;           /* where the pppd plugin's object is exported */
    const char      *xl2tpd_path;   /* NULL: the standard path */
    gboolean         never_default; /* the connection's ipv4.never-default */
} NML2tpLinkOptions;

/* @settings is borrowed and must outlive the link; @params is copied.
 * params->run_dir must exist (0700). */
NML2tpLink *nm_l2tp_link_new(const NML2tpSettings     *settings,
                             const NML2tpWriterParams *params,
                             const NML2tpLinkOptions  *options);

#endif /* NM_L2TP_LINK_H */
