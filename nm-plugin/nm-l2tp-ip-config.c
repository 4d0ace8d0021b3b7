/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-ip-config.h"

#include <arpa/inet.h>
#include <NetworkManager.h>

#include "nm-l2tp-ppp-dbus.h"

static void
add_array(GVariantBuilder *b, const char *nm_key, GVariant *ppp, const char *ppp_key)
{
    g_autoptr(GVariant) v = g_variant_lookup_value(ppp, ppp_key, G_VARIANT_TYPE("au"));

    if (v)
        g_variant_builder_add(b, "{sv}", nm_key, v);
}

gboolean
nm_l2tp_ip_config_build(GVariant *ppp, const char *gateway_address, NML2tpIpConfig *out)
{
    GVariantBuilder general, ip4;
    guint32         address = 0, peer = 0, mtu = 0;
    struct in_addr  gw    = { 0 };
    const char     *iface = NULL;

    *out = (NML2tpIpConfig){ NULL };
    g_variant_lookup(ppp, NM_L2TP_PPP_IP4_ADDRESS, "u", &address);
    g_variant_lookup(ppp, NM_L2TP_PPP_IP4_PEER, "u", &peer);
    g_variant_lookup(ppp, NM_L2TP_PPP_IP4_MTU, "u", &mtu);
    g_variant_lookup(ppp, NM_L2TP_PPP_IP4_IFACE, "&s", &iface);
    if (!address || !iface || !*iface)
        return FALSE;

    g_variant_builder_init(&general, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(
        &general, "{sv}", NM_VPN_PLUGIN_CONFIG_TUNDEV, g_variant_new_string(iface));
    /* NetworkManager keeps a host route to this address through the
     * underlying device, so IKE and L2TP packets do not enter the tunnel. */
    if (gateway_address)
        inet_pton(AF_INET, gateway_address, &gw);
    g_variant_builder_add(
        &general, "{sv}", NM_VPN_PLUGIN_CONFIG_EXT_GATEWAY, g_variant_new_uint32(gw.s_addr));
    g_variant_builder_add(
        &general, "{sv}", NM_VPN_PLUGIN_CONFIG_HAS_IP4, g_variant_new_boolean(TRUE));
    if (mtu)
        g_variant_builder_add(
            &general, "{sv}", NM_VPN_PLUGIN_CONFIG_MTU, g_variant_new_uint32(mtu));

    g_variant_builder_init(&ip4, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(
        &ip4, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_ADDRESS, g_variant_new_uint32(address));
    g_variant_builder_add(&ip4, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_PREFIX, g_variant_new_uint32(32));
    if (peer)
        g_variant_builder_add(
            &ip4, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_PTP, g_variant_new_uint32(peer));
    add_array(&ip4, NM_VPN_PLUGIN_IP4_CONFIG_DNS, ppp, NM_L2TP_PPP_IP4_DNS);
    add_array(&ip4, NM_VPN_PLUGIN_IP4_CONFIG_NBNS, ppp, NM_L2TP_PPP_IP4_WINS);

    out->general = g_variant_ref_sink(g_variant_builder_end(&general));
    out->ip4     = g_variant_ref_sink(g_variant_builder_end(&ip4));
    return TRUE;
}

void
nm_l2tp_ip_config_clear(NML2tpIpConfig *config)
{
    g_clear_pointer(&config->general, g_variant_unref);
    g_clear_pointer(&config->ip4, g_variant_unref);
}
