/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_IP_CONFIG_H
#define NM_L2TP_IP_CONFIG_H

#include <gio/gio.h>

/* NetworkManager's configuration of the VPN, built from what the pppd
 * plugin reported (SetIp4Config, nm-l2tp-ppp-dbus.h). */

typedef struct {
    GVariant *general; /* a{sv}: NM_VPN_PLUGIN_CONFIG_* */
    GVariant *ip4;     /* a{sv}: NM_VPN_PLUGIN_IP4_CONFIG_* */
} NML2tpIpConfig;

/* Builds both dictionaries (floating references sunk, owned by @out) from
 * pppd's IPv4 report and the gateway's address, which NetworkManager keeps
 * routed through the underlying device.  FALSE when the report holds no
 * address or no interface. */
gboolean nm_l2tp_ip_config_build(GVariant       *ppp_ip4,
                                 const char     *gateway_address,
                                 NML2tpIpConfig *out);
void     nm_l2tp_ip_config_clear(NML2tpIpConfig *config);

#endif /* NM_L2TP_IP_CONFIG_H */
