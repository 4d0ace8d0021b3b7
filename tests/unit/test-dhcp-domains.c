/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The DNS domains and servers of a DHCP answer, on hand-made bytes: what
 * a server may send as a domain, and what could end up in resolv.conf. */

#include "config.h"

#include <string.h>

#include "dhcp-reply.h"

/* ------------------------------------------------------------------------
 * Domains and DNS servers
 */

static void
test_domain_name(void)
{
    static const struct {
        const char *bytes;
        gsize       len;
        const char *expect; /* NULL: refused */
    } cases[] = {
        { "corp.example.com", 16, "corp.example.com" },
        { "corp.example.com\0", 17, "corp.example.com" },
        { "Corp.Example.COM.", 17, "corp.example.com" },
        { "_sites.example.com", 18, "_sites.example.com" },
        { "a.example.com b.example.com", 27, NULL },
        { "corp.example.com\nnameserver 203.0.113.9", 39, NULL },
        { "a..b", 4, NULL },
        { ".example.com", 12, NULL },
        { "-a.example.com", 14, NULL },
        { "a-.example.com", 14, NULL },
        { "a\0b", 3, NULL },
        { "\0", 1, NULL },
        { "..", 2, NULL },
        { "caf\xc3\xa9.example", 13, NULL },
        { "a\"b", 3, NULL },
    };
    guint i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        Reply  r;
        guint8 opt[64]                  = { 15, cases[i].len };
        g_autoptr(NML2tpDhcpResult) res = NULL;

        memcpy(opt + 2, cases[i].bytes, cases[i].len);
        reply_init(&r, opt, cases[i].len + 2, FALSE);
        res = parse_ok(&r);
        if (cases[i].expect) {
            g_assert_cmpuint(res->domains->len, ==, 1);
            g_assert_cmpstr(res->domains->pdata[0], ==, cases[i].expect);
            g_assert_cmpuint(res->bad, ==, 0);
        } else {
            if (res->domains->len)
                g_error("accepted domain %u: %s", i, (char *)res->domains->pdata[0]);
            g_assert_cmpuint(res->bad, ==, NM_L2TP_DHCP_BAD_DOMAIN_NAME);
        }
    }
}

static void
test_domain_lengths(void)
{
    GString *name = g_string_new(NULL);
    guint    i;

    for (i = 0; i < 63; i++)
        g_string_append_c(name, 'a');
    g_assert_true(nm_l2tp_dhcp_domain_is_valid(name->str));
    g_string_append_c(name, 'a');
    g_assert_false(nm_l2tp_dhcp_domain_is_valid(name->str)); /* a label of 64 */
    g_string_truncate(name, 0);
    while (name->len < 253)
        g_string_append(name, name->len ? ".a" : "a");
    g_string_truncate(name, 253);
    g_assert_true(nm_l2tp_dhcp_domain_is_valid(name->str));
    g_string_append(name, "a");
    g_assert_false(nm_l2tp_dhcp_domain_is_valid(name->str)); /* 254 in all */
    g_assert_false(nm_l2tp_dhcp_domain_is_valid(""));
    g_string_free(name, TRUE);
}

static void
test_domain_search(void)
{
    /* "a.example.com", "b.example.com" (pointer to offset 2), and
     * "example.com" (a pointer alone). */
    static const guint8 ok[] = {
        1, 'a', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 1, 'b', 0xc0, 2, 0xc0, 2,
    };
    g_autoptr(GPtrArray) d = g_ptr_array_new_with_free_func(g_free);

    g_assert_true(nm_l2tp_dhcp_decode_domain_search(ok, sizeof(ok), d));
    g_assert_cmpuint(d->len, ==, 3);
    g_assert_cmpstr(d->pdata[0], ==, "a.example.com");
    g_assert_cmpstr(d->pdata[1], ==, "b.example.com");
    g_assert_cmpstr(d->pdata[2], ==, "example.com");

    /* Duplicates of names already there are dropped; the root is
     * skipped. */
    {
        static const guint8 dup[] = { 0,   1,   'b', 7, 'e', 'x', 'a', 'm',
                                      'p', 'l', 'e', 3, 'c', 'o', 'm', 0 };

        g_assert_true(nm_l2tp_dhcp_decode_domain_search(dup, sizeof(dup), d));
        g_assert_cmpuint(d->len, ==, 3);
    }
}

static void
test_domain_search_malformed(void)
{
    static const struct {
        const char  *what;
        const guint8 bytes[24];
        gsize        len;
    } bad[] = {
        { "empty", { 0 }, 0 },
        { "no terminating zero", { 1, 'a' }, 2 },
        { "label past the end", { 5, 'a', 'b' }, 3 },
        { "pointer forwards", { 0xc0, 2, 1, 'a', 0 }, 5 },
        { "pointer to itself", { 1, 'a', 0, 0xc0, 3 }, 5 },
        { "pointer loop", { 1, 'a', 0xc0, 4, 0xc0, 2 }, 6 },
        { "pointer cut", { 1, 'a', 0, 0xc0 }, 4 },
        { "label type 0x40", { 0x41, 'a', 0 }, 3 },
        { "label type 0x80", { 0x81, 'a', 0 }, 3 },
        { "space in a label", { 3, 'a', ' ', 'b', 0 }, 5 },
        { "NUL in a label", { 3, 'a', 0, 'b', 0 }, 5 },
        { "newline in a label", { 3, 'a', '\n', 'b', 0 }, 5 },
        { "dot in a label", { 3, 'a', '.', 'b', 0 }, 5 },
        { "hyphen first", { 2, '-', 'a', 0 }, 4 },
    };
    guint i;

    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GPtrArray) d = g_ptr_array_new_with_free_func(g_free);

        g_ptr_array_add(d, g_strdup("kept.example"));
        if (nm_l2tp_dhcp_decode_domain_search(bad[i].bytes, bad[i].len, d))
            g_error("accepted: %s", bad[i].what);
        g_assert_cmpuint(d->len, ==, 1);
    }
}

/* Pointers may only go back, but a chain of them can still build a name
 * longer than DNS allows. */
static void
test_domain_search_too_long(void)
{
    g_autoptr(GByteArray) opt = g_byte_array_new();
    g_autoptr(GPtrArray) d    = g_ptr_array_new_with_free_func(g_free);
    guint8 label[64]          = { 63 };
    guint  prev               = 0;
    guint  i;

    memset(label + 1, 'a', 63);
    g_byte_array_append(opt, label, 64);
    g_byte_array_append(opt, (const guint8 *)"\0", 1);
    for (i = 0; i < 4; i++) {
        guint8 step[66] = { 63 };
        guint  here     = opt->len;

        memset(step + 1, 'a', 63);
        step[64] = 0xc0 | (prev >> 8);
        step[65] = prev & 0xff;
        g_byte_array_append(opt, step, sizeof(step));
        prev = here;
    }
    g_assert_false(nm_l2tp_dhcp_decode_domain_search(opt->data, opt->len, d));
    g_assert_cmpuint(d->len, ==, 0);
}

static void
test_domain_too_many(void)
{
    g_autoptr(GByteArray) opt = g_byte_array_new();
    g_autoptr(GPtrArray) d    = g_ptr_array_new_with_free_func(g_free);
    guint i;

    for (i = 0; i <= NM_L2TP_DHCP_MAX_DOMAINS; i++) {
        guint8 name[5] = { 2, 'a' + i / 26, 'a' + i % 26, 0 };

        g_byte_array_append(opt, name, 4);
    }
    g_assert_false(nm_l2tp_dhcp_decode_domain_search(opt->data, opt->len, d));
    g_assert_cmpuint(d->len, ==, 0);
}

static void
test_ack_domains_merge(void)
{
    Reply r;
    g_autoptr(NML2tpDhcpResult) res = NULL;

    reply_init(
        &r,
        OPTS(119, 12, 4, 'c', 'o', 'r', 'p', 0, 3, 'l', 'a', 'b', 0, 0, 15, 4, 'C', 'O', 'R', 'P'),
        FALSE);
    res = parse_ok(&r);
    /* 15 first, 119 after it, without the duplicate. */
    g_assert_cmpuint(res->domains->len, ==, 2);
    g_assert_cmpstr(res->domains->pdata[0], ==, "corp");
    g_assert_cmpstr(res->domains->pdata[1], ==, "lab");
}

static void
test_dns(void)
{
    Reply r;
    g_autoptr(NML2tpDhcpResult) a = NULL;
    g_autoptr(NML2tpDhcpResult) b = NULL;
    g_autoptr(GByteArray) many    = g_byte_array_new();
    g_autoptr(NML2tpDhcpResult) c = NULL;
    guint8 hdr[2]                 = { 6, (NM_L2TP_DHCP_MAX_DNS + 1) * 4 };
    guint  i;

    reply_init(&r, OPTS(6, 16, 0, 0, 0, 0, 127, 0, 0, 1, 192, 0, 2, 53, 224, 0, 0, 1), FALSE);
    a = parse_ok(&r);
    g_assert_cmpuint(a->dns->len, ==, 1);
    g_assert_cmphex(g_array_index(a->dns, guint32, 0), ==, addr("192.0.2.53"));
    g_assert_cmpuint(a->bad, ==, 0);

    reply_init(&r, OPTS(6, 5, 192, 0, 2, 53, 1), FALSE);
    b = parse_ok(&r);
    g_assert_cmpuint(b->dns->len, ==, 0);
    g_assert_cmpuint(b->bad, ==, NM_L2TP_DHCP_BAD_DNS);

    g_byte_array_append(many, hdr, 2);
    for (i = 0; i <= NM_L2TP_DHCP_MAX_DNS; i++)
        g_byte_array_append(many, (const guint8 *)"\xc0\x00\x02\x35", 4);
    reply_init(&r, many->data, many->len, FALSE);
    c = parse_ok(&r);
    g_assert_cmpuint(c->dns->len, ==, 0);
    g_assert_cmpuint(c->bad, ==, NM_L2TP_DHCP_BAD_DNS);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/dhcp/ack/domains-merge", test_ack_domains_merge);
    g_test_add_func("/dhcp/domain/name", test_domain_name);
    g_test_add_func("/dhcp/domain/lengths", test_domain_lengths);
    g_test_add_func("/dhcp/domain/search", test_domain_search);
    g_test_add_func("/dhcp/domain/search-malformed", test_domain_search_malformed);
    g_test_add_func("/dhcp/domain/search-too-long", test_domain_search_too_long);
    g_test_add_func("/dhcp/domain/too-many", test_domain_too_many);
    g_test_add_func("/dhcp/dns", test_dns);
    return g_test_run();
}
