/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What NetworkManager's VPN IPv4 and IPv6 configurations get from a
 * DHCPINFORM answer and from IPv6CP (nm-plugin/nm-l2tp-ip-config.c). */

#include "config.h"

#include <arpa/inet.h>
#include <NetworkManager.h>
#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-ip-config.h"
#include "nm-l2tp-ppp-dbus.h"

static guint32
addr(const char *s)
{
    struct in_addr a;

    g_assert_cmpint(inet_pton(AF_INET, s, &a), ==, 1);
    return a.s_addr;
}

/* The IPv4 configuration the service builds at IPCP time. */
static GVariant *
ipcp_config(const char *address, const char *dns)
{
    GVariantBuilder b;

    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(
        &b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_ADDRESS, g_variant_new_uint32(addr(address)));
    g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_PREFIX, g_variant_new_uint32(32));
    g_variant_builder_add(
        &b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_PTP, g_variant_new_uint32(addr("203.0.113.1")));
    if (dns) {
        GVariantBuilder d;

        g_variant_builder_init(&d, G_VARIANT_TYPE("au"));
        g_variant_builder_add(&d, "u", addr(dns));
        g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_DNS, g_variant_builder_end(&d));
    }
    return g_variant_ref_sink(g_variant_builder_end(&b));
}

static NML2tpDhcpResult *
dhcp_result(const char *const *routes, const char *const *domains, const char *const *dns)
{
    NML2tpDhcpResult *r = nm_l2tp_dhcp_result_new();
    guint             i;

    for (i = 0; routes && routes[i]; i++) {
        g_auto(GStrv) parts   = g_strsplit(routes[i], "/", 2);
        NML2tpDhcpRoute route = { .network = addr(parts[0]),
                                  .prefix  = atoi(parts[1]),
                                  .gateway = addr("192.0.2.1") };

        g_array_append_val(r->routes, route);
        r->routes_option = NM_L2TP_DHCP_OPT_CLASSLESS_ROUTES;
    }
    for (i = 0; domains && domains[i]; i++)
        g_ptr_array_add(r->domains, g_strdup(domains[i]));
    for (i = 0; dns && dns[i]; i++) {
        guint32 a = addr(dns[i]);

        g_array_append_val(r->dns, a);
    }
    return r;
}

/* The routes of @config as "NET/PREFIX via GW" joined by spaces. */
static char *
routes_text(GVariant *config)
{
    g_autoptr(GVariant) routes =
        g_variant_lookup_value(config, NM_VPN_PLUGIN_IP4_CONFIG_ROUTES, G_VARIANT_TYPE("aau"));
    GString     *s = g_string_new(NULL);
    GVariantIter iter;
    GVariant    *r;

    if (!routes)
        return g_string_free(s, FALSE);
    g_variant_iter_init(&iter, routes);
    while ((r = g_variant_iter_next_value(&iter))) {
        gsize          n;
        const guint32 *v = g_variant_get_fixed_array(r, &n, sizeof(guint32));
        char           net[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN];

        g_assert_cmpuint(n, ==, 4);
        inet_ntop(AF_INET, &v[0], net, sizeof(net));
        inet_ntop(AF_INET, &v[2], gw, sizeof(gw));
        g_string_append_printf(s, "%s%s/%u via %s", s->len ? " " : "", net, v[1], gw);
        g_variant_unref(r);
    }
    return g_string_free(s, FALSE);
}

static char *
strv_text(GVariant *config, const char *key)
{
    g_autoptr(GVariant) v        = g_variant_lookup_value(config, key, G_VARIANT_TYPE_STRING_ARRAY);
    g_autofree const char **strv = v ? g_variant_get_strv(v, NULL) : NULL;

    return strv ? g_strjoinv(" ", (char **)strv) : g_strdup("");
}

static char *
dns_text(GVariant *config)
{
    g_autoptr(GVariant) v =
        g_variant_lookup_value(config, NM_VPN_PLUGIN_IP4_CONFIG_DNS, G_VARIANT_TYPE("au"));
    GString       *s = g_string_new(NULL);
    gsize          n = 0, i;
    const guint32 *a = v ? g_variant_get_fixed_array(v, &n, sizeof(guint32)) : NULL;

    for (i = 0; i < n; i++) {
        char buf[INET_ADDRSTRLEN];

        inet_ntop(AF_INET, &a[i], buf, sizeof(buf));
        g_string_append_printf(s, "%s%s", i ? " " : "", buf);
    }
    return g_string_free(s, FALSE);
}

static void
test_merge_routes_and_domains(void)
{
    static const char *const routes[]  = { "198.51.100.0/24", "0.0.0.0/0", NULL };
    static const char *const domains[] = { "corp.example.com", "lab.example.com", NULL };
    static const char *const dns[]     = { "192.0.2.54", NULL };
    g_autoptr(GVariant) ip4            = ipcp_config("203.0.113.10", "192.0.2.53");
    g_autoptr(NML2tpDhcpResult) r      = dhcp_result(routes, domains, dns);
    g_autoptr(GVariant) out            = nm_l2tp_ip4_config_merge_dhcp(ip4, r, TRUE, TRUE);
    g_autofree char *rt                = routes_text(out);
    g_autofree char *dm                = strv_text(out, NM_VPN_PLUGIN_IP4_CONFIG_DOMAINS);
    g_autofree char *ns                = dns_text(out);
    guint32          u;

    /* Device routes (no next hop); the default route goes in too, and
     * NetworkManager drops it when never-default is set. */
    g_assert_cmpstr(rt, ==, "198.51.100.0/24 via 0.0.0.0 0.0.0.0/0 via 0.0.0.0");
    g_assert_cmpstr(dm, ==, "corp.example.com lab.example.com");
    /* IPCP's DNS servers stand. */
    g_assert_cmpstr(ns, ==, "192.0.2.53");
    /* Everything else is kept. */
    g_assert_true(g_variant_lookup(out, NM_VPN_PLUGIN_IP4_CONFIG_ADDRESS, "u", &u));
    g_assert_cmphex(u, ==, addr("203.0.113.10"));
    g_assert_true(g_variant_lookup(out, NM_VPN_PLUGIN_IP4_CONFIG_PTP, "u", &u));
    g_assert_cmphex(u, ==, addr("203.0.113.1"));
    g_assert_true(g_variant_lookup(out, NM_VPN_PLUGIN_IP4_CONFIG_PREFIX, "u", &u));
    g_assert_cmpuint(u, ==, 32);
    g_assert_false(g_variant_is_floating(out));
}

static void
test_merge_dns_fallback(void)
{
    static const char *const dns[] = { "192.0.2.54", "192.0.2.55", NULL };
    g_autoptr(GVariant) ip4        = ipcp_config("203.0.113.10", NULL);
    g_autoptr(NML2tpDhcpResult) r  = dhcp_result(NULL, NULL, dns);
    g_autoptr(GVariant) out        = nm_l2tp_ip4_config_merge_dhcp(ip4, r, FALSE, FALSE);
    g_autofree char *ns            = dns_text(out);

    g_assert_cmpstr(ns, ==, "192.0.2.54 192.0.2.55");
}

static void
test_merge_classful(void)
{
    static const char *const routes[] = { "198.51.100.0/24", NULL };
    g_autoptr(GVariant) ip4           = ipcp_config("203.0.113.10", NULL);
    g_autoptr(NML2tpDhcpResult) none  = dhcp_result(NULL, NULL, NULL);
    g_autoptr(NML2tpDhcpResult) some  = dhcp_result(routes, NULL, NULL);
    struct {
        NML2tpDhcpResult *dhcp;
        gboolean          classful, never_default;
        const char       *expect;
    } cases[] = {
        /* No answer at all, or an answer without routes: the class C
         * network of 203.0.113.10 when both are set. */
        { NULL, TRUE, TRUE, "203.0.113.0/24 via 0.0.0.0" },
        { none, TRUE, TRUE, "203.0.113.0/24 via 0.0.0.0" },
        { none, FALSE, TRUE, "" },
        { none, TRUE, FALSE, "" },
        /* Routes from the server: no classful route. */
        { some, TRUE, TRUE, "198.51.100.0/24 via 0.0.0.0" },
    };
    guint i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GVariant) out = nm_l2tp_ip4_config_merge_dhcp(
            ip4, cases[i].dhcp, cases[i].classful, cases[i].never_default);
        g_autofree char *rt = routes_text(out);

        g_assert_cmpstr(rt, ==, cases[i].expect);
        if (!*cases[i].expect)
            g_assert_false(g_variant_lookup(out, NM_VPN_PLUGIN_IP4_CONFIG_ROUTES, "*", NULL));
    }
}

static void
test_merge_filters_and_keeps(void)
{
    static const char *const routes[]  = { "127.0.0.0/8", "224.0.0.0/4", "198.51.100.0/24", NULL };
    static const char *const domains[] = { "corp.example.com", "new.example.com", NULL };
    GVariantBuilder          b, rb;
    guint32                  old_route[4]  = { addr("192.0.2.128"), 25, 0, 0 };
    const char *const        old_domains[] = { "corp.example.com", NULL };
    g_autoptr(GVariant) ip4                = NULL;
    g_autoptr(NML2tpDhcpResult) r          = dhcp_result(routes, domains, NULL);
    g_autoptr(GVariant) out                = NULL;
    g_autofree char *rt                    = NULL;
    g_autofree char *dm                    = NULL;

    /* A configuration that already has a route and a domain (a second
     * merge, or a future IPCP that brings some): both are kept. */
    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(
        &b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_ADDRESS, g_variant_new_uint32(addr("203.0.113.10")));
    g_variant_builder_init(&rb, G_VARIANT_TYPE("aau"));
    g_variant_builder_add_value(
        &rb, g_variant_new_fixed_array(G_VARIANT_TYPE_UINT32, old_route, 4, sizeof(guint32)));
    g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_ROUTES, g_variant_builder_end(&rb));
    g_variant_builder_add(
        &b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_DOMAINS, g_variant_new_strv(old_domains, -1));
    ip4 = g_variant_ref_sink(g_variant_builder_end(&b));

    out = nm_l2tp_ip4_config_merge_dhcp(ip4, r, TRUE, TRUE);
    rt  = routes_text(out);
    dm  = strv_text(out, NM_VPN_PLUGIN_IP4_CONFIG_DOMAINS);
    /* Loopback and multicast destinations are dropped. */
    g_assert_cmpstr(rt, ==, "192.0.2.128/25 via 0.0.0.0 198.51.100.0/24 via 0.0.0.0");
    g_assert_cmpstr(dm, ==, "corp.example.com new.example.com");
}

/* ------------------------------------------------------------------------
 * IPv6
 */

static GVariant *
ip6_report(const guint8 *ours, gsize ours_len, const guint8 *peer, gsize peer_len)
{
    GVariantBuilder b;

    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&b, "{sv}", NM_L2TP_PPP_IP6_IFACE, g_variant_new_string("ppp0"));
    if (ours)
        g_variant_builder_add(&b,
                              "{sv}",
                              NM_L2TP_PPP_IP6_OUR_IID,
                              g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, ours, ours_len, 1));
    if (peer)
        g_variant_builder_add(&b,
                              "{sv}",
                              NM_L2TP_PPP_IP6_PEER_IID,
                              g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, peer, peer_len, 1));
    return g_variant_ref_sink(g_variant_builder_end(&b));
}

static char *
ip6_text(GVariant *config, const char *key)
{
    g_autoptr(GVariant) v = g_variant_lookup_value(config, key, G_VARIANT_TYPE_BYTESTRING);
    gsize         n;
    const guint8 *a;
    char          buf[INET6_ADDRSTRLEN];

    if (!v)
        return NULL;
    a = g_variant_get_fixed_array(v, &n, 1);
    g_assert_cmpuint(n, ==, 16);
    inet_ntop(AF_INET6, a, buf, sizeof(buf));
    return g_strdup(buf);
}

static void
test_ip6_config(void)
{
    static const guint8 ours[8] = { 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55 };
    static const guint8 peer[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };
    g_autoptr(GVariant) report  = ip6_report(ours, 8, peer, 8);
    g_autoptr(GError) error     = NULL;
    g_autoptr(GVariant) a       = nm_l2tp_ip6_config_build(report, FALSE, &error);
    g_autoptr(GVariant) b       = NULL;
    g_autofree char *address    = NULL;
    g_autofree char *ptp        = NULL;
    guint32          prefix     = 0;
    gboolean         never      = FALSE;

    g_assert_no_error(error);
    address = ip6_text(a, NM_VPN_PLUGIN_IP6_CONFIG_ADDRESS);
    ptp     = ip6_text(a, NM_VPN_PLUGIN_IP6_CONFIG_PTP);
    g_assert_cmpstr(address, ==, "fe80::211:22ff:fe33:4455");
    g_assert_cmpstr(ptp, ==, "fe80::1");
    g_assert_true(g_variant_lookup(a, NM_VPN_PLUGIN_IP6_CONFIG_PREFIX, "u", &prefix));
    g_assert_cmpuint(prefix, ==, 128);
    /* Link-local only: no default route into the tunnel. */
    g_assert_true(g_variant_lookup(a, NM_VPN_PLUGIN_IP6_CONFIG_NEVER_DEFAULT, "b", &never));
    g_assert_true(never);

    b = nm_l2tp_ip6_config_build(report, TRUE, &error);
    g_assert_no_error(error);
    g_assert_false(g_variant_lookup(b, NM_VPN_PLUGIN_IP6_CONFIG_NEVER_DEFAULT, "b", &never));
}

static void
test_ip6_config_bad(void)
{
    static const guint8 iid[8]  = { 1, 2, 3, 4, 5, 6, 7, 8 };
    static const guint8 zero[8] = { 0 };
    struct {
        const guint8 *ours;
        gsize         ours_len;
        const guint8 *peer;
        gsize         peer_len;
        const char   *why;
    } cases[] = {
        { NULL, 0, iid, 8, "our-iid" },        { iid, 8, NULL, 0, "peer-iid" },
        { iid, 7, iid, 8, "our-iid" },         { iid, 8, iid, 16, "peer-iid" },
        { zero, 8, iid, 8, "zero “our-iid”" },
    };
    guint i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GVariant) report =
            ip6_report(cases[i].ours, cases[i].ours_len, cases[i].peer, cases[i].peer_len);
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) out = nm_l2tp_ip6_config_build(report, FALSE, &error);

        g_assert_null(out);
        g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL);
        g_assert_nonnull(strstr(error->message, cases[i].why));
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ip-config/ip4/routes-and-domains", test_merge_routes_and_domains);
    g_test_add_func("/ip-config/ip4/dns-fallback", test_merge_dns_fallback);
    g_test_add_func("/ip-config/ip4/classful", test_merge_classful);
    g_test_add_func("/ip-config/ip4/filters-and-keeps", test_merge_filters_and_keeps);
    g_test_add_func("/ip-config/ip6/config", test_ip6_config);
    g_test_add_func("/ip-config/ip6/bad-report", test_ip6_config_bad);
    return g_test_run();
}
