/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The DHCPINFORM packet and the routes of its answer, on hand-made bytes:
 * every malformed form a server (or anyone on port 68) could send. */

#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "dhcp-reply.h"
#include "nm-l2tp-error.h"

/* ------------------------------------------------------------------------
 * The DHCPINFORM
 */

static void
test_inform_layout(void)
{
    NML2tpDhcpInform in   = inform;
    g_autoptr(GBytes) pkt = NULL;
    const guint8       *p;
    gsize               len;
    static const guint8 options[] = {
        53,  1, 8,                                        /* DHCPINFORM */
        61,  7, 1,    0x02, 0x11, 0x22, 0x33, 0x44, 0x55, /* client id: type 1 + chaddr */
        57,  2, 0x05, 0xdc,                               /* max message size 1500 */
        55,  5, 121,  249,  15,   6,    119,              /* what Windows asks for, and 119 */
        255,
    };
    gsize i;

    in.ciaddr = addr("203.0.113.10");
    pkt       = nm_l2tp_dhcp_inform_build(&in);
    p         = g_bytes_get_data(pkt, &len);
    g_assert_cmpuint(len, ==, 300);
    g_assert_cmpuint(p[0], ==, 1); /* BOOTREQUEST */
    g_assert_cmpuint(p[1], ==, 1);
    g_assert_cmpuint(p[2], ==, 6);
    g_assert_cmpuint(p[3], ==, 0);
    g_assert_cmpmem(p + 4, 4, "\x1a\x2b\x3c\x4d", 4);
    g_assert_cmpmem(p + 8, 4, "\0\0\0\0", 4);          /* secs, flags: no broadcast bit */
    g_assert_cmpmem(p + 12, 4, "\xcb\x00\x71\x0a", 4); /* ciaddr */
    for (i = 16; i < 28; i++)
        g_assert_cmpuint(p[i], ==, 0); /* yiaddr, siaddr, giaddr */
    g_assert_cmpmem(p + 28, 6, inform.hwaddr, 6);
    for (i = 34; i < 236; i++)
        g_assert_cmpuint(p[i], ==, 0); /* rest of chaddr, sname, file */
    g_assert_cmpmem(p + 236, 4, "\x63\x82\x53\x63", 4);
    g_assert_cmpmem(p + 240, sizeof(options), options, sizeof(options));
    for (i = 240 + sizeof(options); i < len; i++)
        g_assert_cmpuint(p[i], ==, 0);
}

static void
test_inform_max_size(void)
{
    NML2tpDhcpInform in = inform;
    g_autoptr(GBytes) a = NULL;
    g_autoptr(GBytes) b = NULL;
    const guint8 *p;

    in.ciaddr           = addr("203.0.113.10");
    in.max_message_size = 100;
    a                   = nm_l2tp_dhcp_inform_build(&in);
    p                   = g_bytes_get_data(a, NULL);
    g_assert_cmpmem(p + 252, 4, "\x39\x02\x02\x40", 4); /* raised to 576 */
    in.max_message_size = 0;
    b                   = nm_l2tp_dhcp_inform_build(&in);
    p                   = g_bytes_get_data(b, NULL);
    g_assert_cmpuint(p[252], ==, 55); /* no option 57 */
}

/* The packet we send must parse as ours when a server echoes it back
 * turned into an ACK: xid and chaddr are where the parser looks. */
static void
test_inform_round_trip(void)
{
    NML2tpDhcpInform in     = inform;
    g_autoptr(GBytes) pkt   = NULL;
    g_autoptr(GError) error = NULL;
    guint8 buf[300];
    g_autoptr(NML2tpDhcpResult) res = NULL;

    in.ciaddr = addr("203.0.113.10");
    pkt       = nm_l2tp_dhcp_inform_build(&in);
    memcpy(buf, g_bytes_get_data(pkt, NULL), sizeof(buf));
    buf[0]   = 2;
    buf[242] = 5;
    res      = nm_l2tp_dhcp_parse_ack(buf, sizeof(buf), &in, &error);
    g_assert_no_error(error);
    g_assert_nonnull(res);
    g_assert_cmpuint(res->routes->len, ==, 0);
}

/* ------------------------------------------------------------------------
 * Routes (RFC 3442)
 */

static void
test_routes_widths(void)
{
    /* One entry per width class: 0, 1-8, 9-16, 17-24, 25-32 octets. */
    static const guint8 opt[] = {
        0,  192, 0,   2,   1,                 /* default via 192.0.2.1 */
        1,  128, 192, 0,   2,   1,            /* 128.0.0.0/1 */
        8,  10,  192, 0,   2,   1,            /* 10.0.0.0/8 */
        12, 172, 16,  192, 0,   2,   1,       /* 172.16.0.0/12 */
        24, 198, 51,  100, 0,   0,   0, 0,    /* 198.51.100.0/24 on the link */
        25, 203, 0,   113, 128, 192, 0, 2, 1, /* 203.0.113.128/25 */
        32, 203, 0,   113, 7,   192, 0, 2, 1, /* host route */
    };
    g_autoptr(GArray) routes = g_array_new(FALSE, FALSE, sizeof(NML2tpDhcpRoute));
    NML2tpDhcpResult res     = { .routes = routes };

    g_assert_true(nm_l2tp_dhcp_decode_classless_routes(opt, sizeof(opt), routes));
    g_assert_cmpuint(routes->len, ==, 7);
    assert_route(&res, 0, "0.0.0.0", 0, "192.0.2.1");
    assert_route(&res, 1, "128.0.0.0", 1, "192.0.2.1");
    assert_route(&res, 2, "10.0.0.0", 8, "192.0.2.1");
    assert_route(&res, 3, "172.16.0.0", 12, "192.0.2.1");
    assert_route(&res, 4, "198.51.100.0", 24, "0.0.0.0");
    assert_route(&res, 5, "203.0.113.128", 25, "192.0.2.1");
    assert_route(&res, 6, "203.0.113.7", 32, "192.0.2.1");
}

/* RFC 3442: bits of the subnet number beyond the mask are cleared, not
 * a reason to refuse the route (its own example: 129.210.177.132/25). */
static void
test_routes_host_bits(void)
{
    static const guint8 opt[] = {
        25, 129, 210, 177, 132, 192, 0, 2, 1, 9, 10, 255, 192, 0, 2, 1, 1, 255, 192, 0, 2, 1,
    };
    g_autoptr(GArray) routes = g_array_new(FALSE, FALSE, sizeof(NML2tpDhcpRoute));
    NML2tpDhcpResult res     = { .routes = routes };

    g_assert_true(nm_l2tp_dhcp_decode_classless_routes(opt, sizeof(opt), routes));
    assert_route(&res, 0, "129.210.177.128", 25, "192.0.2.1");
    assert_route(&res, 1, "10.128.0.0", 9, "192.0.2.1");
    assert_route(&res, 2, "128.0.0.0", 1, "192.0.2.1");
}

static void
test_routes_duplicate(void)
{
    /* The same destination twice, and again once written with a host
     * bit (198.51.101.0/23 is 198.51.100.0/23): the first of each wins. */
    static const guint8 opt[] = {
        24, 198, 51, 100, 192, 0, 2, 1, 24, 198, 51, 100, 192, 0, 2, 99,
        23, 198, 51, 101, 192, 0, 2, 1, 23, 198, 51, 100, 192, 0, 2, 7,
    };
    g_autoptr(GArray) routes = g_array_new(FALSE, FALSE, sizeof(NML2tpDhcpRoute));
    NML2tpDhcpResult res     = { .routes = routes };

    g_assert_true(nm_l2tp_dhcp_decode_classless_routes(opt, sizeof(opt), routes));
    g_assert_cmpuint(routes->len, ==, 2);
    assert_route(&res, 0, "198.51.100.0", 24, "192.0.2.1");
    assert_route(&res, 1, "198.51.100.0", 23, "192.0.2.1");
}

static void
test_routes_malformed(void)
{
    static const struct {
        const char  *what;
        const guint8 bytes[16];
        gsize        len;
    } bad[] = {
        { "empty", { 0 }, 0 },
        { "shorter than one default route", { 0, 192, 0, 2 }, 4 },
        { "width 33", { 33, 198, 51, 100, 0, 7, 192, 0, 2, 1 }, 10 },
        { "width 255", { 255, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 16 },
        { "width 33 after a good route", { 0, 192, 0, 2, 1, 33, 1, 2, 3, 4, 5 }, 11 },
        { "destination cut", { 24, 198, 51 }, 3 },
        { "router cut", { 24, 198, 51, 100, 192, 0, 2 }, 7 },
        { "one byte too many", { 24, 198, 51, 100, 192, 0, 2, 1, 0 }, 9 },
        { "second entry cut", { 0, 192, 0, 2, 1, 8, 10, 192, 0, 2 }, 10 },
    };
    guint i;

    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GArray) routes = g_array_new(FALSE, FALSE, sizeof(NML2tpDhcpRoute));
        NML2tpDhcpRoute keep     = { .network = addr("192.0.2.0"), .prefix = 24 };

        /* What was there before stays, and nothing of the option does. */
        g_array_append_val(routes, keep);
        if (nm_l2tp_dhcp_decode_classless_routes(bad[i].bytes, bad[i].len, routes))
            g_error("accepted: %s", bad[i].what);
        g_assert_cmpuint(routes->len, ==, 1);
    }
}

static void
test_routes_too_many(void)
{
    g_autoptr(GByteArray) opt = g_byte_array_new();
    g_autoptr(GArray) routes  = g_array_new(FALSE, FALSE, sizeof(NML2tpDhcpRoute));
    guint i;

    for (i = 0; i <= NM_L2TP_DHCP_MAX_ROUTES; i++) {
        guint8 e[8] = { 24, 10, i >> 8, i & 0xff, 192, 0, 2, 1 };

        g_byte_array_append(opt, e, sizeof(e));
    }
    g_assert_false(nm_l2tp_dhcp_decode_classless_routes(opt->data, opt->len, routes));
    g_assert_cmpuint(routes->len, ==, 0);
    /* One fewer is fine. */
    g_assert_true(nm_l2tp_dhcp_decode_classless_routes(opt->data, opt->len - 8, routes));
    g_assert_cmpuint(routes->len, ==, NM_L2TP_DHCP_MAX_ROUTES);
}

/* ------------------------------------------------------------------------
 * Whole answers
 */

static void
test_ack_121_over_249(void)
{
    Reply r;
    g_autoptr(NML2tpDhcpResult) res = NULL;
    g_autofree char *text           = NULL;

    reply_init(&r,
               OPTS(54,
                    4,
                    192,
                    0,
                    2,
                    1, /* server id */
                    249,
                    8,
                    24,
                    10,
                    1,
                    2,
                    192,
                    0,
                    2,
                    1, /* 10.1.2.0/24 */
                    121,
                    8,
                    24,
                    198,
                    51,
                    100,
                    192,
                    0,
                    2,
                    1, /* 198.51.100.0/24 */
                    15,
                    16,
                    'c',
                    'o',
                    'r',
                    'p',
                    '.',
                    'e',
                    'x',
                    'a',
                    'm',
                    'p',
                    'l',
                    'e',
                    '.',
                    'c',
                    'o',
                    'm',
                    6,
                    4,
                    192,
                    0,
                    2,
                    53),
               FALSE);
    res = parse_ok(&r);
    g_assert_cmpuint(res->routes_option, ==, 121);
    g_assert_cmpuint(res->routes->len, ==, 1);
    assert_route(res, 0, "198.51.100.0", 24, "192.0.2.1");
    g_assert_cmphex(res->server_id, ==, addr("192.0.2.1"));
    g_assert_cmpuint(res->domains->len, ==, 1);
    g_assert_cmpstr(res->domains->pdata[0], ==, "corp.example.com");
    g_assert_cmpuint(res->dns->len, ==, 1);
    g_assert_cmphex(g_array_index(res->dns, guint32, 0), ==, addr("192.0.2.53"));
    g_assert_cmpuint(res->bad, ==, 0);
    text = nm_l2tp_dhcp_result_to_string(res);
    g_assert_cmpstr(text, ==, "1 route from option 121, domain corp.example.com, 1 DNS server");
}

static void
test_ack_249_only(void)
{
    Reply r;
    g_autoptr(NML2tpDhcpResult) res = NULL;

    reply_init(&r, OPTS(249, 8, 24, 10, 1, 2, 192, 0, 2, 1), FALSE);
    res = parse_ok(&r);
    g_assert_cmpuint(res->routes_option, ==, 249);
    assert_route(res, 0, "10.1.2.0", 24, "192.0.2.1");
}

static void
test_ack_bad_121_uses_249(void)
{
    Reply r;
    g_autoptr(NML2tpDhcpResult) res  = NULL;
    g_autoptr(NML2tpDhcpResult) res2 = NULL;
    g_autofree char *text            = NULL;

    reply_init(&r, OPTS(121, 5, 33, 1, 2, 3, 4, 249, 8, 24, 10, 1, 2, 192, 0, 2, 1), FALSE);
    res = parse_ok(&r);
    g_assert_cmpuint(res->routes_option, ==, 249);
    g_assert_cmpuint(res->bad, ==, NM_L2TP_DHCP_BAD_CLASSLESS_ROUTES);
    assert_route(res, 0, "10.1.2.0", 24, "192.0.2.1");

    /* Both bad: no routes, both named. */
    reply_init(&r, OPTS(121, 5, 33, 1, 2, 3, 4, 249, 3, 24, 10, 1), FALSE);
    res2 = parse_ok(&r);
    g_assert_cmpuint(res2->routes_option, ==, 0);
    g_assert_cmpuint(res2->routes->len, ==, 0);
    g_assert_cmpuint(res2->bad, ==, NM_L2TP_DHCP_BAD_CLASSLESS_ROUTES | NM_L2TP_DHCP_BAD_MS_ROUTES);
    text = nm_l2tp_dhcp_result_to_string(res2);
    g_assert_cmpstr(text, ==, "no routes; malformed and ignored: option 121, 249");
}

/* RFC 3396: an option split into several instances is one option. */
static void
test_ack_concatenated(void)
{
    Reply r;
    g_autoptr(NML2tpDhcpResult) res = NULL;

    /* Split in the middle of the second entry's destination. */
    reply_init(&r,
               OPTS(121,
                    10,
                    24,
                    198,
                    51,
                    100,
                    192,
                    0,
                    2,
                    1,
                    16,
                    10,
                    15,
                    4,
                    'c',
                    'o',
                    'r',
                    'p',
                    121,
                    5,
                    20,
                    192,
                    0,
                    2,
                    1),
               FALSE);
    res = parse_ok(&r);
    g_assert_cmpuint(res->routes->len, ==, 2);
    assert_route(res, 0, "198.51.100.0", 24, "192.0.2.1");
    assert_route(res, 1, "10.20.0.0", 16, "192.0.2.1");
    g_assert_cmpstr(res->domains->pdata[0], ==, "corp");
}

/* Option overload: options continue in file (1), sname (2) or both (3),
 * in the order options, file, sname. */
static void
test_ack_overload(void)
{
    guint v;

    for (v = 1; v <= 3; v++) {
        Reply r;
        g_autoptr(NML2tpDhcpResult) res = NULL;
        guint8 overload[]               = { 52, 1, v, 121, 4, 8, 10, 192, 0 };

        reply_init(&r, overload, sizeof(overload), FALSE);
        /* The rest of the first route, and a second one, in the field(s). */
        if (v & 1)
            memcpy(r.bytes + 108, "\x79\x02\x02\x01\xff", 5);
        if (v == 2)
            memcpy(r.bytes + 44, "\x79\x02\x02\x01\xff", 5);
        if (v == 3)
            memcpy(r.bytes + 44, "\x79\x05\x00\xc0\x00\x02\x01\xff", 8);
        res = parse_ok(&r);
        g_assert_cmpuint(res->routes->len, ==, v == 3 ? 2 : 1);
        assert_route(res, 0, "10.0.0.0", 8, "192.0.2.1");
        if (v == 3)
            assert_route(res, 1, "0.0.0.0", 0, "192.0.2.1");
    }
}

static void
test_ack_structure(void)
{
    Reply r;

    reply_init(&r, NULL, 0, FALSE);
    r.len = 239;
    parse_fails(&r, "too short");

    reply_init(&r, NULL, 0, FALSE);
    r.bytes[0] = 1;
    parse_fails(&r, "not a reply");

    reply_init(&r, NULL, 0, FALSE);
    r.bytes[7] ^= 1;
    parse_fails(&r, "another transaction");

    reply_init(&r, NULL, 0, FALSE);
    r.bytes[33] ^= 1;
    parse_fails(&r, "another client");

    reply_init(&r, NULL, 0, FALSE);
    r.bytes[2] = 16;
    parse_fails(&r, "another client");

    reply_init(&r, NULL, 0, FALSE);
    r.bytes[239] = 0;
    parse_fails(&r, "magic cookie");

    reply_init(&r, OPTS(255), TRUE);
    parse_fails(&r, "no valid message type");

    reply_init(&r, OPTS(53, 1, 6, 255), TRUE);
    parse_fails(&r, "type 6, not a DHCPACK");

    reply_init(&r, OPTS(53, 1, 5, 53, 1, 5, 255), TRUE);
    parse_fails(&r, "no valid message type");

    reply_init(&r, OPTS(53, 0, 255), TRUE);
    parse_fails(&r, "no valid message type");

    /* Lengths that run out of the packet or the field. */
    reply_init(&r, OPTS(53, 1, 5, 121, 200, 1, 2, 3), TRUE);
    parse_fails(&r, "runs past the end of the options field");

    reply_init(&r, OPTS(53, 1, 5, 121), TRUE);
    parse_fails(&r, "has no length");

    reply_init(&r, OPTS(53, 1, 5), TRUE);
    parse_fails(&r, "without an end option");

    /* Overload values and places. */
    reply_init(&r, OPTS(52, 1, 0), FALSE);
    parse_fails(&r, "overload is malformed");
    reply_init(&r, OPTS(52, 1, 4), FALSE);
    parse_fails(&r, "overload is malformed");
    reply_init(&r, OPTS(52, 2, 1, 1), FALSE);
    parse_fails(&r, "overload is malformed");
    reply_init(&r, OPTS(52, 1, 1, 52, 1, 1), FALSE);
    parse_fails(&r, "overload is malformed");

    reply_init(&r, OPTS(52, 1, 1), FALSE);
    memcpy(r.bytes + 108, "\x34\x01\x02\xff", 4);
    parse_fails(&r, "overload inside the overloaded file field");

    reply_init(&r, OPTS(52, 1, 1), FALSE);
    memset(r.bytes + 108, 0, 128); /* all pad, no end */
    parse_fails(&r, "the DHCP file field ends without an end option");

    reply_init(&r, OPTS(52, 1, 2), FALSE);
    memcpy(r.bytes + 44 + 60, "\x0f\x05\x61\x62", 4); /* option 15 past sname's end */
    parse_fails(&r, "runs past the end of the sname field");

    /* Without overload, file and sname are not looked at. */
    reply_init(&r, NULL, 0, FALSE);
    memcpy(r.bytes + 108, "\x79\xff", 2);
    memcpy(r.bytes + 44, "garbage", 7);
    {
        g_autoptr(NML2tpDhcpResult) res = parse_ok(&r);

        g_assert_cmpuint(res->routes->len, ==, 0);
    }
}

/* ------------------------------------------------------------------------
 * Classful networks
 */

static void
test_classful(void)
{
    static const struct {
        const char *address;
        const char *network; /* NULL: none */
        guint       prefix;
    } cases[] = {
        { "10.1.2.3", "10.0.0.0", 8 },
        { "126.255.0.1", "126.0.0.0", 8 },
        { "172.16.5.4", "172.16.0.0", 16 },
        { "128.0.0.1", "128.0.0.0", 16 },
        { "191.255.1.1", "191.255.0.0", 16 },
        { "192.0.2.10", "192.0.2.0", 24 },
        { "203.0.113.140", "203.0.113.0", 24 },
        { "223.1.2.3", "223.1.2.0", 24 },
        { "224.0.0.1", NULL, 0 },
        { "240.0.0.1", NULL, 0 },
        { "0.1.2.3", NULL, 0 },
        { "127.0.0.1", NULL, 0 },
    };
    guint i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        guint32  net    = 0;
        guint8   prefix = 0;
        gboolean has    = nm_l2tp_dhcp_classful_network(addr(cases[i].address), &net, &prefix);

        g_assert_cmpint(has, ==, cases[i].network != NULL);
        if (has) {
            g_assert_cmphex(net, ==, addr(cases[i].network));
            g_assert_cmpuint(prefix, ==, cases[i].prefix);
        }
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/dhcp/inform/layout", test_inform_layout);
    g_test_add_func("/dhcp/inform/max-size", test_inform_max_size);
    g_test_add_func("/dhcp/inform/round-trip", test_inform_round_trip);
    g_test_add_func("/dhcp/routes/widths", test_routes_widths);
    g_test_add_func("/dhcp/routes/host-bits", test_routes_host_bits);
    g_test_add_func("/dhcp/routes/duplicate", test_routes_duplicate);
    g_test_add_func("/dhcp/routes/malformed", test_routes_malformed);
    g_test_add_func("/dhcp/routes/too-many", test_routes_too_many);
    g_test_add_func("/dhcp/ack/121-over-249", test_ack_121_over_249);
    g_test_add_func("/dhcp/ack/249-only", test_ack_249_only);
    g_test_add_func("/dhcp/ack/bad-121-uses-249", test_ack_bad_121_uses_249);
    g_test_add_func("/dhcp/ack/concatenated", test_ack_concatenated);
    g_test_add_func("/dhcp/ack/overload", test_ack_overload);
    g_test_add_func("/dhcp/ack/structure", test_ack_structure);
    g_test_add_func("/dhcp/classful", test_classful);
    return g_test_run();
}
