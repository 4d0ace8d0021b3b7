/* SPDX-License-Identifier: GPL-2.0-or-later */
/* DHCPINFORM packets and the parsing of their answers (RFC 2131, 2132,
 * 3396, 3397, 3442).  Everything here reads bytes a server sent, so each
 * length is checked before it is used, and the answer is taken only when
 * it is entirely well-formed in its structure; a malformed option inside
 * an otherwise sound answer is left out on its own. */

#include "config.h"

#include "nm-l2tp-dhcp.h"

#include <string.h>

#include "nm-l2tp-error.h"

/* BOOTP's fixed part (RFC 951, RFC 2131 section 2). */
#define OFF_OP         0
#define OFF_HTYPE      1
#define OFF_HLEN       2
#define OFF_XID        4
#define OFF_CIADDR     12
#define OFF_CHADDR     28
#define OFF_SNAME      44
#define LEN_SNAME      64
#define OFF_FILE       108
#define LEN_FILE       128
#define OFF_COOKIE     236
#define OFF_OPTIONS    240
#define BOOTP_MIN_SIZE 300 /* what BOOTP relays and old servers expect */

#define BOOTREQUEST    1
#define BOOTREPLY      2
#define HTYPE_ETHERNET 1

static const guint8 magic_cookie[4] = { 99, 130, 83, 99 };

#define fail(error, ...) g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL, __VA_ARGS__)

/* ------------------------------------------------------------------------
 * Building
 */

static void
put_option(GByteArray *p, guint8 code, const guint8 *data, guint8 len)
{
    g_byte_array_append(p, &code, 1);
    g_byte_array_append(p, &len, 1);
    g_byte_array_append(p, data, len);
}

GBytes *
nm_l2tp_dhcp_inform_build(const NML2tpDhcpInform *inform)
{
    /* The order Windows asks in: routes (both codes), domain, DNS servers;
     * 119 last, for servers that send search lists. */
    static const guint8 request[] = { NM_L2TP_DHCP_OPT_CLASSLESS_ROUTES,
                                      NM_L2TP_DHCP_OPT_MS_ROUTES,
                                      NM_L2TP_DHCP_OPT_DOMAIN_NAME,
                                      NM_L2TP_DHCP_OPT_DNS,
                                      NM_L2TP_DHCP_OPT_DOMAIN_SEARCH };
    GByteArray         *p         = g_byte_array_sized_new(BOOTP_MIN_SIZE);
    guint8              fixed[OFF_OPTIONS];
    guint32             xid  = g_htonl(inform->xid);
    guint8              type = NM_L2TP_DHCP_INFORM;
    guint8              client_id[7];
    static const guint8 end = NM_L2TP_DHCP_OPT_END;

    memset(fixed, 0, sizeof(fixed));
    fixed[OFF_OP]    = BOOTREQUEST;
    fixed[OFF_HTYPE] = HTYPE_ETHERNET;
    fixed[OFF_HLEN]  = sizeof(inform->hwaddr);
    memcpy(fixed + OFF_XID, &xid, 4);
    /* ciaddr says both who we are and where the answer goes: the server
     * unicasts a DHCPACK for an INFORM to it (RFC 2131 4.3.5), so the
     * broadcast flag stays clear. */
    memcpy(fixed + OFF_CIADDR, &inform->ciaddr, 4);
    memcpy(fixed + OFF_CHADDR, inform->hwaddr, sizeof(inform->hwaddr));
    memcpy(fixed + OFF_COOKIE, magic_cookie, sizeof(magic_cookie));
    g_byte_array_append(p, fixed, sizeof(fixed));

    put_option(p, NM_L2TP_DHCP_OPT_MESSAGE_TYPE, &type, 1);
    client_id[0] = HTYPE_ETHERNET;
    memcpy(client_id + 1, inform->hwaddr, sizeof(inform->hwaddr));
    put_option(p, NM_L2TP_DHCP_OPT_CLIENT_ID, client_id, sizeof(client_id));
    if (inform->max_message_size) {
        /* RFC 3442 asks for it: a long route list does not fit in 576
         * bytes. */
        guint16 size = g_htons(MAX(inform->max_message_size, 576));

        put_option(p, NM_L2TP_DHCP_OPT_MAX_MESSAGE_SIZE, (const guint8 *)&size, 2);
    }
    put_option(p, NM_L2TP_DHCP_OPT_PARAM_REQUEST, request, sizeof(request));
    g_byte_array_append(p, &end, 1);
    if (p->len < BOOTP_MIN_SIZE) {
        guint old = p->len;

        g_byte_array_set_size(p, BOOTP_MIN_SIZE);
        memset(p->data + old, 0, BOOTP_MIN_SIZE - old);
    }
    return g_byte_array_free_to_bytes(p);
}

/* ------------------------------------------------------------------------
 * Option parts
 */

gboolean
nm_l2tp_dhcp_decode_classless_routes(const guint8 *data, gsize len, GArray *routes)
{
    guint start = routes->len;
    gsize off   = 0;

    /* The shortest option is one default route: width 0 and a router. */
    if (len < 5)
        return FALSE;
    while (off < len) {
        guint8          width = data[off++];
        gsize           octets;
        guint8          net[4] = { 0, 0, 0, 0 };
        NML2tpDhcpRoute r;
        guint32         mask;
        guint           i;

        /* A width beyond 32 is no IPv4 mask, and the entry's length
         * cannot be known: nothing after it can be trusted. */
        if (width > 32)
            goto bad;
        octets = (width + 7) / 8;
        if (len - off < octets + 4)
            goto bad;
        memcpy(net, data + off, octets);
        off += octets;
        memcpy(&r.gateway, data + off, 4);
        off += 4;
        /* RFC 3442: the client zeroes the bits of the subnet number
         * beyond the mask; such a route is not refused. */
        mask = width ? g_htonl(0xffffffffu << (32 - width)) : 0;
        memcpy(&r.network, net, 4);
        r.network &= mask;
        r.prefix = width;

        for (i = start; i < routes->len; i++) {
            const NML2tpDhcpRoute *o = &g_array_index(routes, NML2tpDhcpRoute, i);

            if (o->network == r.network && o->prefix == r.prefix)
                break;
        }
        if (i < routes->len)
            continue; /* the first of two routes to one destination wins */
        if (routes->len - start >= NM_L2TP_DHCP_MAX_ROUTES)
            goto bad;
        g_array_append_val(routes, r);
    }
    return TRUE;

bad:
    g_array_set_size(routes, start);
    return FALSE;
}

gboolean
nm_l2tp_dhcp_domain_is_valid(const char *name)
{
    gsize total = strlen(name);
    gsize label = 0;
    gsize i;

    if (total == 0 || total > 253)
        return FALSE;
    for (i = 0; i <= total; i++) {
        char c = name[i];

        if (c == '.' || c == '\0') {
            if (label == 0 || label > 63)
                return FALSE;
            if (name[i - 1] == '-' || name[i - label] == '-')
                return FALSE;
            label = 0;
            continue;
        }
        if (!g_ascii_isalnum(c) && c != '-' && c != '_')
            return FALSE;
        label++;
    }
    return TRUE;
}

static gboolean
add_domain(GPtrArray *domains, char *name)
{
    guint i;

    for (i = 0; i < domains->len; i++) {
        if (g_str_equal(domains->pdata[i], name)) {
            g_free(name);
            return TRUE;
        }
    }
    if (domains->len >= NM_L2TP_DHCP_MAX_DOMAINS) {
        g_free(name);
        return FALSE;
    }
    g_ptr_array_add(domains, name);
    return TRUE;
}

/* One name at @off; on success @off moves past it (past its first
 * pointer, when it has one). */
static gboolean
decode_one_name(const guint8 *data, gsize len, gsize *off, GString *name)
{
    gsize    pos    = *off;
    gboolean jumped = FALSE;

    g_string_truncate(name, 0);
    for (;;) {
        guint8 l;

        if (pos >= len)
            return FALSE;
        l = data[pos];
        if (l == 0) {
            if (!jumped)
                *off = pos + 1;
            return TRUE;
        }
        if ((l & 0xc0) == 0xc0) {
            gsize target;

            if (pos + 1 >= len)
                return FALSE;
            target = ((gsize)(l & 0x3f) << 8) | data[pos + 1];
            /* Only backwards: every pointer then lands strictly earlier
             * than the last, so no chain of them can loop. */
            if (target >= pos)
                return FALSE;
            if (!jumped)
                *off = pos + 2;
            jumped = TRUE;
            pos    = target;
            continue;
        }
        if (l & 0xc0)
            return FALSE; /* 0x40 and 0x80: label types RFC 1035 never defined */
        if (len - pos - 1 < l)
            return FALSE;
        /* A dot inside a label would read as two labels once written
         * out: another name than the one sent. */
        if (memchr(data + pos + 1, '.', l))
            return FALSE;
        if (name->len)
            g_string_append_c(name, '.');
        g_string_append_len(name, (const char *)data + pos + 1, l);
        if (name->len > 253)
            return FALSE;
        pos += 1 + l;
    }
}

gboolean
nm_l2tp_dhcp_decode_domain_search(const guint8 *data, gsize len, GPtrArray *domains)
{
    g_autoptr(GString) name = g_string_new(NULL);
    guint start             = domains->len;
    gsize off               = 0;

    if (len == 0)
        return FALSE;
    while (off < len) {
        if (!decode_one_name(data, len, &off, name))
            goto bad;
        if (name->len == 0)
            continue; /* the root: nothing to search */
        if (memchr(name->str, '\0', name->len) || !nm_l2tp_dhcp_domain_is_valid(name->str))
            goto bad;
        if (!add_domain(domains, g_ascii_strdown(name->str, name->len)))
            goto bad;
    }
    return TRUE;

bad:
    /* add_domain() may have skipped duplicates of earlier entries, so
     * this removes exactly what the option added. */
    g_ptr_array_set_size(domains, start);
    return FALSE;
}

/* Option 15: one name.  Some servers end it with NUL bytes (it is a C
 * string to them); anything else that is not a name refuses it. */
static gboolean
decode_domain_name(const guint8 *data, gsize len, GPtrArray *domains)
{
    g_autofree char *name = NULL;

    while (len > 0 && data[len - 1] == '\0')
        len--;
    if (len > 0 && data[len - 1] == '.')
        len--;
    if (len == 0 || memchr(data, '\0', len))
        return FALSE;
    name = g_ascii_strdown((const char *)data, len);
    if (!nm_l2tp_dhcp_domain_is_valid(name))
        return FALSE;
    return add_domain(domains, g_steal_pointer(&name));
}

static gboolean
decode_dns(const guint8 *data, gsize len, GArray *dns)
{
    gsize off;

    if (len == 0 || len % 4 != 0 || len / 4 > NM_L2TP_DHCP_MAX_DNS)
        return FALSE;
    for (off = 0; off < len; off += 4) {
        guint32 a;
        guint8  first = data[off];

        memcpy(&a, data + off, 4);
        /* No resolver lives at 0.0.0.0, on loopback, on a multicast or a
         * reserved address: such an entry is dropped, the others kept. */
        if (first == 0 || first == 127 || first >= 224)
            continue;
        g_array_append_val(dns, a);
    }
    return TRUE;
}

/* ------------------------------------------------------------------------
 * The packet
 */

/* The options this parser uses, concatenated over their instances in
 * RFC 3396's order: the options field, then file, then sname. */
static const guint8 wanted[] = { NM_L2TP_DHCP_OPT_DNS,
                                 NM_L2TP_DHCP_OPT_DOMAIN_NAME,
                                 NM_L2TP_DHCP_OPT_OVERLOAD,
                                 NM_L2TP_DHCP_OPT_MESSAGE_TYPE,
                                 NM_L2TP_DHCP_OPT_SERVER_ID,
                                 NM_L2TP_DHCP_OPT_DOMAIN_SEARCH,
                                 NM_L2TP_DHCP_OPT_CLASSLESS_ROUTES,
                                 NM_L2TP_DHCP_OPT_MS_ROUTES };

typedef struct {
    GByteArray *data[G_N_ELEMENTS(wanted)];
} Options;

static void
options_clear(Options *o)
{
    guint i;

    for (i = 0; i < G_N_ELEMENTS(wanted); i++)
        g_clear_pointer(&o->data[i], g_byte_array_unref);
}

static GByteArray *
options_get(const Options *o, guint8 code)
{
    guint i;

    for (i = 0; i < G_N_ELEMENTS(wanted); i++) {
        if (wanted[i] == code)
            return o->data[i];
    }
    return NULL;
}

static gboolean
scan_field(const guint8 *p, gsize len, const char *field, Options *o, GError **error)
{
    gsize i = 0;

    while (i < len) {
        guint8 code = p[i];
        guint8 olen;
        guint  w;

        if (code == NM_L2TP_DHCP_OPT_PAD) {
            i++;
            continue;
        }
        if (code == NM_L2TP_DHCP_OPT_END)
            return TRUE;
        if (len - i < 2) {
            fail(error, "DHCP option %u in the %s field has no length", code, field);
            return FALSE;
        }
        olen = p[i + 1];
        if (len - i - 2 < olen) {
            fail(error, "DHCP option %u runs past the end of the %s field", code, field);
            return FALSE;
        }
        /* RFC 2131: the overload option lives in the options field only. */
        if (code == NM_L2TP_DHCP_OPT_OVERLOAD && !g_str_equal(field, "options")) {
            fail(error, "DHCP option overload inside the overloaded %s field", field);
            return FALSE;
        }
        for (w = 0; w < G_N_ELEMENTS(wanted); w++) {
            if (wanted[w] != code)
                continue;
            if (!o->data[w])
                o->data[w] = g_byte_array_new();
            g_byte_array_append(o->data[w], p + i + 2, olen);
        }
        i += 2 + (gsize)olen;
    }
    fail(error, "the DHCP %s field ends without an end option", field);
    return FALSE;
}

static gboolean
check_header(const guint8 *p, gsize len, const NML2tpDhcpInform *inform, GError **error)
{
    guint32 xid;

    if (len < OFF_OPTIONS) {
        fail(error, "a DHCP packet of %zu bytes is too short (at least %d)", len, OFF_OPTIONS);
        return FALSE;
    }
    if (p[OFF_OP] != BOOTREPLY) {
        fail(error, "the DHCP packet is not a reply (op %u)", p[OFF_OP]);
        return FALSE;
    }
    memcpy(&xid, p + OFF_XID, 4);
    if (g_ntohl(xid) != inform->xid) {
        fail(error, "the DHCP reply is for another transaction (xid 0x%08x)", g_ntohl(xid));
        return FALSE;
    }
    if (p[OFF_HTYPE] != HTYPE_ETHERNET || p[OFF_HLEN] != sizeof(inform->hwaddr)
        || memcmp(p + OFF_CHADDR, inform->hwaddr, sizeof(inform->hwaddr)) != 0) {
        fail(error, "the DHCP reply is for another client (chaddr differs)");
        return FALSE;
    }
    if (memcmp(p + OFF_COOKIE, magic_cookie, sizeof(magic_cookie)) != 0) {
        fail(error, "the DHCP reply lacks the magic cookie");
        return FALSE;
    }
    return TRUE;
}

static gboolean
scan_options(const guint8 *p, gsize len, Options *o, GError **error)
{
    GByteArray *overload;
    guint8      fields = 0;

    if (!scan_field(p + OFF_OPTIONS, len - OFF_OPTIONS, "options", o, error))
        return FALSE;
    overload = options_get(o, NM_L2TP_DHCP_OPT_OVERLOAD);
    if (overload) {
        if (overload->len != 1 || overload->data[0] < 1 || overload->data[0] > 3) {
            fail(error, "the DHCP option overload is malformed");
            return FALSE;
        }
        fields = overload->data[0];
    }
    if ((fields & 1) && !scan_field(p + OFF_FILE, LEN_FILE, "file", o, error))
        return FALSE;
    if ((fields & 2) && !scan_field(p + OFF_SNAME, LEN_SNAME, "sname", o, error))
        return FALSE;
    return TRUE;
}

NML2tpDhcpResult *
nm_l2tp_dhcp_parse_ack(const guint8           *packet,
                       gsize                   len,
                       const NML2tpDhcpInform *inform,
                       GError                **error)
{
    g_autoptr(NML2tpDhcpResult) r = NULL;
    Options     o                 = { { NULL } };
    GByteArray *v;
    gboolean    ok = FALSE;

    if (!check_header(packet, len, inform, error))
        return NULL;
    if (!scan_options(packet, len, &o, error))
        goto out;

    v = options_get(&o, NM_L2TP_DHCP_OPT_MESSAGE_TYPE);
    if (!v || v->len != 1) {
        fail(error, "the DHCP reply has no valid message type");
        goto out;
    }
    if (v->data[0] != NM_L2TP_DHCP_ACK) {
        fail(error, "the DHCP reply is of type %u, not a DHCPACK", v->data[0]);
        goto out;
    }

    r = nm_l2tp_dhcp_result_new();
    if ((v = options_get(&o, NM_L2TP_DHCP_OPT_SERVER_ID)) && v->len == 4)
        memcpy(&r->server_id, v->data, 4);

    /* RFC 3442 prefers 121 over 249's older Microsoft form; a 121 that
     * is malformed counts as absent, so a sound 249 is still used. */
    if ((v = options_get(&o, NM_L2TP_DHCP_OPT_CLASSLESS_ROUTES))) {
        if (nm_l2tp_dhcp_decode_classless_routes(v->data, v->len, r->routes))
            r->routes_option = NM_L2TP_DHCP_OPT_CLASSLESS_ROUTES;
        else
            r->bad |= NM_L2TP_DHCP_BAD_CLASSLESS_ROUTES;
    }
    if (!r->routes_option && (v = options_get(&o, NM_L2TP_DHCP_OPT_MS_ROUTES))) {
        if (nm_l2tp_dhcp_decode_classless_routes(v->data, v->len, r->routes))
            r->routes_option = NM_L2TP_DHCP_OPT_MS_ROUTES;
        else
            r->bad |= NM_L2TP_DHCP_BAD_MS_ROUTES;
    }
    if (r->routes->len == 0)
        r->routes_option = 0;

    if ((v = options_get(&o, NM_L2TP_DHCP_OPT_DOMAIN_NAME))
        && !decode_domain_name(v->data, v->len, r->domains))
        r->bad |= NM_L2TP_DHCP_BAD_DOMAIN_NAME;
    if ((v = options_get(&o, NM_L2TP_DHCP_OPT_DOMAIN_SEARCH))
        && !nm_l2tp_dhcp_decode_domain_search(v->data, v->len, r->domains))
        r->bad |= NM_L2TP_DHCP_BAD_DOMAIN_SEARCH;
    if ((v = options_get(&o, NM_L2TP_DHCP_OPT_DNS)) && !decode_dns(v->data, v->len, r->dns))
        r->bad |= NM_L2TP_DHCP_BAD_DNS;
    ok = TRUE;

out:
    options_clear(&o);
    return ok ? g_steal_pointer(&r) : NULL;
}

/* ------------------------------------------------------------------------
 * The result
 */

NML2tpDhcpResult *
nm_l2tp_dhcp_result_new(void)
{
    NML2tpDhcpResult *r = g_new0(NML2tpDhcpResult, 1);

    r->routes  = g_array_new(FALSE, FALSE, sizeof(NML2tpDhcpRoute));
    r->domains = g_ptr_array_new_with_free_func(g_free);
    r->dns     = g_array_new(FALSE, FALSE, sizeof(guint32));
    return r;
}

void
nm_l2tp_dhcp_result_free(NML2tpDhcpResult *r)
{
    if (!r)
        return;
    g_array_unref(r->routes);
    g_ptr_array_unref(r->domains);
    g_array_unref(r->dns);
    g_free(r);
}

char *
nm_l2tp_dhcp_result_to_string(const NML2tpDhcpResult *r)
{
    GString *s = g_string_new(NULL);
    guint    i;

    if (r->routes->len)
        g_string_append_printf(s,
                               "%u route%s from option %u",
                               r->routes->len,
                               r->routes->len == 1 ? "" : "s",
                               r->routes_option);
    else
        g_string_append(s, "no routes");
    for (i = 0; i < r->domains->len; i++)
        g_string_append_printf(s, "%s%s", i ? " " : ", domain ", (char *)r->domains->pdata[i]);
    if (r->dns->len)
        g_string_append_printf(s, ", %u DNS server%s", r->dns->len, r->dns->len == 1 ? "" : "s");
    if (r->bad) {
        static const struct {
            NML2tpDhcpBadOptions bit;
            guint                code;
        } names[] = {
            { NM_L2TP_DHCP_BAD_CLASSLESS_ROUTES, NM_L2TP_DHCP_OPT_CLASSLESS_ROUTES },
            { NM_L2TP_DHCP_BAD_MS_ROUTES, NM_L2TP_DHCP_OPT_MS_ROUTES },
            { NM_L2TP_DHCP_BAD_DOMAIN_NAME, NM_L2TP_DHCP_OPT_DOMAIN_NAME },
            { NM_L2TP_DHCP_BAD_DOMAIN_SEARCH, NM_L2TP_DHCP_OPT_DOMAIN_SEARCH },
            { NM_L2TP_DHCP_BAD_DNS, NM_L2TP_DHCP_OPT_DNS },
        };
        const char *sep = "; malformed and ignored: option ";

        for (i = 0; i < G_N_ELEMENTS(names); i++) {
            if (r->bad & names[i].bit) {
                g_string_append_printf(s, "%s%u", sep, names[i].code);
                sep = ", ";
            }
        }
    }
    return g_string_free(s, FALSE);
}

gboolean
nm_l2tp_dhcp_classful_network(guint32 address, guint32 *network, guint8 *prefix)
{
    guint32 a     = g_ntohl(address);
    guint8  first = a >> 24;
    guint8  p;

    if (first == 0 || first == 127)
        return FALSE; /* "this network" and loopback: no network to route */
    if (first < 128)
        p = 8;
    else if (first < 192)
        p = 16;
    else if (first < 224)
        p = 24;
    else
        return FALSE; /* class D (multicast) and E */
    *prefix  = p;
    *network = g_htonl(a & (0xffffffffu << (32 - p)));
    return TRUE;
}
