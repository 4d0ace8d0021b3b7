/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_IP_CONFIG_H
#define NM_L2TP_IP_CONFIG_H

#include <gio/gio.h>

#include "nm-l2tp-dhcp.h"

/* NetworkManager's configuration of the VPN, built from what the pppd
 * plugin reported (SetIp4Config, nm-l2tp-ppp-dbus.h). */

typedef struct {
    GVariant *general; /* a{sv}: NM_VPN_PLUGIN_CONFIG_* */
    GVariant *ip4;     /* a{sv}: NM_VPN_PLUGIN_IP4_CONFIG_* */
    GVariant *ip6;     /* a{sv}: NM_VPN_PLUGIN_IP6_CONFIG_*, NULL: none (yet) */
} NML2tpIpConfig;

/* Builds both dictionaries (floating references sunk, owned by @out) from
 * pppd's IPv4 report and the gateway's address, which NetworkManager keeps
 * routed through the underlying device.  FALSE when the report holds no
 * address or no interface. */
gboolean nm_l2tp_ip_config_build(GVariant       *ppp_ip4,
                                 const char     *gateway_address,
                                 NML2tpIpConfig *out);
void     nm_l2tp_ip_config_clear(NML2tpIpConfig *config);

/* What the service hands NetworkManager beyond what IPCP gave, built from
 * the DHCPINFORM answer and IPv6CP.  Pure functions on GVariants.
 *
 * NetworkManager itself applies the user's ipv4/ipv6 settings to a VPN's
 * configuration (NetworkManager 1.42, src/core/vpn/nm-vpn-connection.c,
 * _l3cfg_get_merge_flags(), and nm-l3-config-data.c's merge):
 * ignore-auto-routes drops every route the plugin sends, never-default
 * drops its default routes (a 0.0.0.0/0 entry of option 121 included),
 * ignore-auto-dns drops its DNS servers and domains.  So the routes and
 * domains go in unfiltered, and those settings keep their meaning. */

/* The IPv4 configuration @ip4 (a{sv} as sent to NetworkManager at IPCP
 * time) with what @dhcp adds (NULL: no answer, or dhcp-inform=no):
 *  - its routes, as device routes through the PPP interface: the router
 *    an option names sits on the server's side of a point-to-point link
 *    and is not a next hop the kernel could use;
 *  - its domains (option 15, then 119) after any already there;
 *  - its DNS servers, only when IPCP gave none;
 *  - when @classful_route and @never_default are set and no route came
 *    from the server, the route Windows adds: the class A/B/C network of
 *    the assigned address.
 * The address and everything else of @ip4 are kept.  NetworkManager
 * replaces a VPN's IPv4 configuration as a whole when a new one comes, so
 * this is the complete configuration to send.  Returns a new reference. */
GVariant *nm_l2tp_ip4_config_merge_dhcp(GVariant               *ip4,
                                        const NML2tpDhcpResult *dhcp,
                                        gboolean                classful_route,
                                        gboolean                never_default);

/* NetworkManager's IPv6 configuration of the VPN from the pppd plugin's
 * SetIp6Config report (a{sv}, NM_L2TP_PPP_IP6_* keys): our link-local
 * address fe80::OUR-IID/128 with the peer's fe80::PEER-IID, as pppd sets
 * them on the interface.  Router advertisements on the link give the
 * global address by SLAAC, in the kernel.  Until @have_global_address, the
 * configuration says never-default: a default route into a tunnel that
 * has only link-local addresses would take every IPv6 packet of the
 * machine away from a working network.  NULL with NM_L2TP_ERROR_PROTOCOL
 * when the report lacks an identifier.  Returns a new reference. */
GVariant *nm_l2tp_ip6_config_build(GVariant *ppp_ip6, gboolean have_global_address, GError **error);

#endif /* NM_L2TP_IP_CONFIG_H */
