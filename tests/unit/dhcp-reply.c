/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "dhcp-reply.h"
#include "nm-l2tp-error.h"

const NML2tpDhcpInform inform = {
    .xid              = XID,
    .hwaddr           = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 },
    .max_message_size = 1500,
};

guint32
addr(const char *s)
{
    struct in_addr a;

    g_assert_cmpint(inet_pton(AF_INET, s, &a), ==, 1);
    return a.s_addr;
}

void
reply_init(Reply *r, const guint8 *opts, gsize opts_len, gboolean raw)
{
    guint32 xid = htonl(XID);

    memset(r, 0, sizeof(*r));
    r->bytes[0] = 2;
    r->bytes[1] = 1;
    r->bytes[2] = 6;
    memcpy(r->bytes + 4, &xid, 4);
    memcpy(r->bytes + 28, inform.hwaddr, 6);
    memcpy(r->bytes + 236, "\x63\x82\x53\x63", 4);
    r->len = 240;
    if (!raw) {
        memcpy(r->bytes + r->len, "\x35\x01\x05", 3);
        r->len += 3;
    }
    if (opts_len)
        memcpy(r->bytes + r->len, opts, opts_len);
    r->len += opts_len;
    if (!raw)
        r->bytes[r->len++] = 255;
}

NML2tpDhcpResult *
parse_ok(const Reply *r)
{
    g_autoptr(GError) error = NULL;
    NML2tpDhcpResult *res   = nm_l2tp_dhcp_parse_ack(r->bytes, r->len, &inform, &error);

    g_assert_no_error(error);
    g_assert_nonnull(res);
    return res;
}

void
parse_fails(const Reply *r, const char *why)
{
    g_autoptr(GError) error = NULL;
    NML2tpDhcpResult *res   = nm_l2tp_dhcp_parse_ack(r->bytes, r->len, &inform, &error);

    g_assert_null(res);
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL);
    if (!strstr(error->message, why))
        g_error("“%s” does not say “%s”", error->message, why);
}

void
assert_route(const NML2tpDhcpResult *res, guint i, const char *net, guint prefix, const char *gw)
{
    const NML2tpDhcpRoute *r;

    g_assert_cmpuint(i, <, res->routes->len);
    r = &g_array_index(res->routes, NML2tpDhcpRoute, i);
    g_assert_cmphex(r->network, ==, addr(net));
    g_assert_cmpuint(r->prefix, ==, prefix);
    g_assert_cmphex(r->gateway, ==, addr(gw));
}
