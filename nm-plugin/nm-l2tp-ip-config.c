/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-ip-config.h"

#include <arpa/inet.h>
#include <NetworkManager.h>
#include <string.h>

#include "nm-l2tp-error.h"
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
    g_clear_pointer(&config->ip6, g_variant_unref);
}

/* ------------------------------------------------------------------------
 * IPv4
 */

static void
add_route(GVariantBuilder *routes, guint32 network, guint32 prefix)
{
    /* network, prefix, next hop, metric: NetworkManager's aau form.  No
     * next hop and no metric: a route through the interface, with the
     * VPN's metric. */
    guint32 entry[4] = { network, prefix, 0, 0 };

    g_variant_builder_add_value(
        routes, g_variant_new_fixed_array(G_VARIANT_TYPE_UINT32, entry, 4, sizeof(guint32)));
}

/* Destinations that no server has any business routing into the tunnel:
 * loopback, and class D/E except as part of a default route. */
static gboolean
route_is_sane(const NML2tpDhcpRoute *r)
{
    guint8 first = g_ntohl(r->network) >> 24;

    if (r->prefix == 0)
        return TRUE;
    return first != 127 && first < 224;
}

GVariant *
nm_l2tp_ip4_config_merge_dhcp(GVariant               *ip4,
                              const NML2tpDhcpResult *dhcp,
                              gboolean                classful_route,
                              gboolean                never_default)
{
    GVariantBuilder out, routes, domains;
    g_autoptr(GVariant) old_routes      = NULL;
    g_autoptr(GVariant) old_domains     = NULL;
    g_autoptr(GVariant) old_dns         = NULL;
    g_autofree const char **had_domains = NULL;
    GVariantIter            iter;
    const char             *key;
    GVariant               *value;
    guint32                 address  = 0;
    guint                   n_routes = 0, n_domains = 0, i;

    g_return_val_if_fail(g_variant_is_of_type(ip4, G_VARIANT_TYPE_VARDICT), NULL);

    g_variant_builder_init(&out, G_VARIANT_TYPE_VARDICT);
    g_variant_iter_init(&iter, ip4);
    while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
        if (g_str_equal(key, NM_VPN_PLUGIN_IP4_CONFIG_ROUTES)
            && g_variant_is_of_type(value, G_VARIANT_TYPE("aau")))
            old_routes = g_variant_ref(value);
        else if (g_str_equal(key, NM_VPN_PLUGIN_IP4_CONFIG_DOMAINS)
                 && g_variant_is_of_type(value, G_VARIANT_TYPE_STRING_ARRAY))
            old_domains = g_variant_ref(value);
        else if (g_str_equal(key, NM_VPN_PLUGIN_IP4_CONFIG_DNS)
                 && g_variant_is_of_type(value, G_VARIANT_TYPE("au")))
            old_dns = g_variant_ref(value);
        else
            g_variant_builder_add(&out, "{sv}", key, value);
        if (g_str_equal(key, NM_VPN_PLUGIN_IP4_CONFIG_ADDRESS)
            && g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32))
            address = g_variant_get_uint32(value);
        g_variant_unref(value);
    }

    g_variant_builder_init(&routes, G_VARIANT_TYPE("aau"));
    if (old_routes) {
        g_variant_iter_init(&iter, old_routes);
        while ((value = g_variant_iter_next_value(&iter))) {
            g_variant_builder_add_value(&routes, value);
            g_variant_unref(value);
            n_routes++;
        }
    }
    for (i = 0; dhcp && i < dhcp->routes->len; i++) {
        const NML2tpDhcpRoute *r = &g_array_index(dhcp->routes, NML2tpDhcpRoute, i);

        if (!route_is_sane(r))
            continue;
        add_route(&routes, r->network, r->prefix);
        n_routes++;
    }
    /* Windows' "class-based route": without a default route through the
     * tunnel, and with nothing from the server, the network the assigned
     * address belongs to is still reached through it. */
    if (n_routes == 0 && classful_route && never_default && address) {
        guint32 network;
        guint8  prefix;

        if (nm_l2tp_dhcp_classful_network(address, &network, &prefix)) {
            add_route(&routes, network, prefix);
            n_routes++;
        }
    }
    if (n_routes)
        g_variant_builder_add(
            &out, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_ROUTES, g_variant_builder_end(&routes));
    else
        g_variant_builder_clear(&routes);

    g_variant_builder_init(&domains, G_VARIANT_TYPE_STRING_ARRAY);
    had_domains = old_domains ? g_variant_get_strv(old_domains, NULL) : NULL;
    for (i = 0; had_domains && had_domains[i]; i++) {
        g_variant_builder_add(&domains, "s", had_domains[i]);
        n_domains++;
    }
    for (i = 0; dhcp && i < dhcp->domains->len; i++) {
        const char *d = dhcp->domains->pdata[i];

        if (had_domains && g_strv_contains(had_domains, d))
            continue;
        g_variant_builder_add(&domains, "s", d);
        n_domains++;
    }
    if (n_domains)
        g_variant_builder_add(
            &out, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_DOMAINS, g_variant_builder_end(&domains));
    else
        g_variant_builder_clear(&domains);

    /* IPCP's DNS servers stand as they are; the answer's are a fallback
     * for a server that hands them out only by DHCP. */
    if (old_dns && g_variant_n_children(old_dns) > 0) {
        g_variant_builder_add(&out, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_DNS, old_dns);
    } else if (dhcp && dhcp->dns->len > 0) {
        GVariantBuilder dns;

        g_variant_builder_init(&dns, G_VARIANT_TYPE("au"));
        for (i = 0; i < dhcp->dns->len; i++)
            g_variant_builder_add(&dns, "u", g_array_index(dhcp->dns, guint32, i));
        g_variant_builder_add(
            &out, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_DNS, g_variant_builder_end(&dns));
    } else if (old_dns) {
        g_variant_builder_add(&out, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_DNS, old_dns);
    }

    return g_variant_ref_sink(g_variant_builder_end(&out));
}

/* ------------------------------------------------------------------------
 * IPv6
 */

static gboolean
lookup_iid(GVariant *report, const char *key, guint8 iid[8], GError **error)
{
    g_autoptr(GVariant) v = g_variant_lookup_value(report, key, G_VARIANT_TYPE_BYTESTRING);
    gsize         n       = 0;
    const guint8 *bytes   = v ? g_variant_get_fixed_array(v, &n, 1) : NULL;

    if (!bytes || n != 8) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_PROTOCOL,
                    "the IPv6 report of pppd has no valid “%s”",
                    key);
        return FALSE;
    }
    memcpy(iid, bytes, 8);
    /* An all-zero identifier is what IPv6CP must never agree on. */
    if (!memcmp(iid, "\0\0\0\0\0\0\0\0", 8)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_PROTOCOL,
                    "the IPv6 report of pppd has a zero “%s”",
                    key);
        return FALSE;
    }
    return TRUE;
}

static GVariant *
link_local(const guint8 iid[8])
{
    guint8 a[16] = { 0xfe, 0x80 };

    memcpy(a + 8, iid, 8);
    return g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, a, 16, 1);
}

GVariant *
nm_l2tp_ip6_config_build(GVariant *ppp_ip6, gboolean have_global_address, GError **error)
{
    GVariantBuilder b;
    guint8          ours[8], peer[8];

    g_return_val_if_fail(g_variant_is_of_type(ppp_ip6, G_VARIANT_TYPE_VARDICT), NULL);

    if (!lookup_iid(ppp_ip6, NM_L2TP_PPP_IP6_OUR_IID, ours, error)
        || !lookup_iid(ppp_ip6, NM_L2TP_PPP_IP6_PEER_IID, peer, error))
        return NULL;

    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP6_CONFIG_ADDRESS, link_local(ours));
    g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP6_CONFIG_PREFIX, g_variant_new_uint32(128));
    g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP6_CONFIG_PTP, link_local(peer));
    if (!have_global_address)
        g_variant_builder_add(
            &b, "{sv}", NM_VPN_PLUGIN_IP6_CONFIG_NEVER_DEFAULT, g_variant_new_boolean(TRUE));
    return g_variant_ref_sink(g_variant_builder_end(&b));
}
