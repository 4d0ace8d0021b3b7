/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the DHCP answer parser (common/nm-l2tp-dhcp.c):
 * bytes from anyone on UDP port 68 must never crash us, and what it
 * accepts must be what NetworkManager can take as it is.
 *
 * Input: the first byte chooses the mode.  Even: the rest is a packet,
 * parsed as the answer to a DHCPINFORM whose xid and chaddr are taken
 * from the packet itself, so that mutations get past the header.  Odd:
 * the rest is the body of one option, decoded as RFC 3442 routes (bit 1
 * clear) or an RFC 3397 search list (bit 1 set).
 * Seeds: tests/fuzz/corpus/dhcp/.  Non-fuzzing builds link this with
 * fuzz-import-replay.c's main() and replay the seeds as a test. */

#include "config.h"

#include <string.h>

#include "nm-l2tp-dhcp.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static void
check_routes(GArray *routes)
{
    guint i, j;

    g_assert(routes->len <= NM_L2TP_DHCP_MAX_ROUTES);
    for (i = 0; i < routes->len; i++) {
        const NML2tpDhcpRoute *r    = &g_array_index(routes, NML2tpDhcpRoute, i);
        guint32                mask = r->prefix ? g_htonl(0xffffffffu << (32 - r->prefix)) : 0;

        g_assert(r->prefix <= 32);
        /* RFC 3442: no bits beyond the prefix reach the routing table. */
        g_assert((r->network & ~mask) == 0);
        for (j = 0; j < i; j++) {
            const NML2tpDhcpRoute *o = &g_array_index(routes, NML2tpDhcpRoute, j);

            g_assert(o->network != r->network || o->prefix != r->prefix);
        }
    }
}

static void
check_domains(GPtrArray *domains)
{
    guint i;

    g_assert(domains->len <= NM_L2TP_DHCP_MAX_DOMAINS);
    for (i = 0; i < domains->len; i++) {
        const char *d = domains->pdata[i];

        /* Whatever reaches resolv.conf through NetworkManager is a plain
         * name: no spaces, line breaks or other bytes. */
        g_assert(nm_l2tp_dhcp_domain_is_valid(d));
        g_assert(strlen(d) <= 253);
    }
}

static void
fuzz_packet(const guint8 *data, size_t size)
{
    NML2tpDhcpInform inform       = { 0 };
    g_autoptr(NML2tpDhcpResult) r = NULL;
    g_autoptr(GError) error       = NULL;
    g_autofree char *text         = NULL;

    if (size >= 34) {
        memcpy(&inform.xid, data + 4, 4);
        inform.xid = g_ntohl(inform.xid);
        memcpy(inform.hwaddr, data + 28, 6);
    }
    r = nm_l2tp_dhcp_parse_ack(data, size, &inform, &error);
    g_assert((r == NULL) != (error == NULL));
    if (!r)
        return;
    check_routes(r->routes);
    g_assert(r->routes->len == 0 || r->routes_option == NM_L2TP_DHCP_OPT_CLASSLESS_ROUTES
             || r->routes_option == NM_L2TP_DHCP_OPT_MS_ROUTES);
    check_domains(r->domains);
    g_assert(r->dns->len <= NM_L2TP_DHCP_MAX_DNS);
    text = nm_l2tp_dhcp_result_to_string(r);
    g_assert(g_utf8_validate(text, -1, NULL));
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
    if (size == 0)
        return 0;
    if ((data[0] & 1) == 0) {
        fuzz_packet(data + 1, size - 1);
    } else if ((data[0] & 2) == 0) {
        g_autoptr(GArray) routes = g_array_new(FALSE, FALSE, sizeof(NML2tpDhcpRoute));

        if (!nm_l2tp_dhcp_decode_classless_routes(data + 1, size - 1, routes))
            g_assert(routes->len == 0);
        check_routes(routes);
    } else {
        g_autoptr(GPtrArray) domains = g_ptr_array_new_with_free_func(g_free);

        if (!nm_l2tp_dhcp_decode_domain_search(data + 1, size - 1, domains))
            g_assert(domains->len == 0);
        check_domains(domains);
    }
    return 0;
}
