/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_IP_TRACKER_H
#define NM_L2TP_IP_TRACKER_H

#include <gio/gio.h>

#include "nm-l2tp-ip-config.h"

/* NetworkManager's configuration of the VPN as it grows after IPCP:
 *
 *   - IPCP: the address, the peer, DNS and WINS servers; NetworkManager
 *     gets these at once, the connect waits for nothing else;
 *   - then, with dhcp-inform, the server's answer to a DHCPINFORM sent
 *     over the PPP link (what Windows does): split-tunnel routes (options
 *     121/249) and DNS domains, merged in when they come, within a bound;
 *   - IPv6CP, which runs beside IPCP and never holds it up: the link-local
 *     addresses, and once the server's router advertisements gave the
 *     interface a global address, a configuration that may carry IPv6
 *     traffic.
 *
 * Signals: "changed": the configuration grew after IPCP; send it again;
 * "log" (const char *line): for the attempt's log. */

#define NM_L2TP_TYPE_IP_TRACKER (nm_l2tp_ip_tracker_get_type())
G_DECLARE_FINAL_TYPE(NML2tpIpTracker, nm_l2tp_ip_tracker, NM_L2TP, IP_TRACKER, GObject)

typedef struct {
    const char *gateway_address; /* kept routed outside the tunnel */
    const char *client_seed;     /* the connection's UUID: DHCP's client id */
    gboolean    dhcp_inform;
    gboolean classful_route; /* Windows' class-based route, see nm_l2tp_ip4_config_merge_dhcp() */
    gboolean never_default;  /* the connection's ipv4.never-default */
} NML2tpIpTrackerParams;

NML2tpIpTracker *nm_l2tp_ip_tracker_new(const NML2tpIpTrackerParams *params);

/* pppd's IPCP report (SetIp4Config).  FALSE when it holds no address. */
gboolean nm_l2tp_ip_tracker_set_ipcp(NML2tpIpTracker *self, GVariant *ppp_ip4);
/* pppd's IPv6CP report (SetIp6Config). */
void nm_l2tp_ip_tracker_set_ipv6cp(NML2tpIpTracker *self, GVariant *ppp_ip6);

/* NULL before IPCP. */
const NML2tpIpConfig *nm_l2tp_ip_tracker_get(NML2tpIpTracker *self);

#endif /* NM_L2TP_IP_TRACKER_H */
