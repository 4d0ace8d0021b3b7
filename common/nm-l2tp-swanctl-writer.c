/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The strongSwan side of an L2TP/IPsec connection, as the tree that goes to
 * charon in a VICI load-conn request.  The same tree prints as swanctl.conf
 * so that users and administrators can read what was sent. */

#include "config.h"

#include <string.h>

#include "nm-l2tp-writers.h"

static void
add_str(GVariantBuilder *b, const char *key, const char *value)
{
    g_variant_builder_add(b, "{sv}", key, g_variant_new_string(value));
}

static void add_printf(GVariantBuilder *b, const char *key, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void
add_printf(GVariantBuilder *b, const char *key, const char *fmt, ...)
{
    g_autofree char *v = NULL;
    va_list          ap;

    va_start(ap, fmt);
    v = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    add_str(b, key, v);
}

static void
add_list(GVariantBuilder *b, const char *key, const char *const *items)
{
    g_variant_builder_add(b, "{sv}", key, g_variant_new_strv(items, -1));
}

static void
add_list1(GVariantBuilder *b, const char *key, const char *item)
{
    const char *items[] = { item, NULL };

    add_list(b, key, items);
}

static void
add_section(GVariantBuilder *b, const char *key, GVariantBuilder *section)
{
    g_variant_builder_add(b, "{sv}", key, g_variant_builder_end(section));
}

static gboolean
is_dh_group(const char *algo)
{
    return g_str_has_prefix(algo, "modp") || g_str_has_prefix(algo, "ecp")
           || g_str_has_prefix(algo, "curve") || g_str_has_prefix(algo, "x25519")
           || g_str_has_prefix(algo, "x448");
}

static const char *
last_algo(const char *proposal)
{
    const char *dash = strrchr(proposal, '-');

    return dash ? dash + 1 : proposal;
}

/* IKEv1 quick mode uses PFS when the ESP proposal names a Diffie-Hellman
 * group.  With PFS asked for, each ESP proposal that names none is offered
 * with each group of the IKE proposals: a server that insists on PFS then
 * finds the group it already agreed to in phase 1. */
static char **
esp_proposals(const NML2tpSettings *s)
{
    g_auto(GStrv) esp           = g_strsplit(s->ipsec_esp, ",", -1);
    g_auto(GStrv) ike           = NULL;
    g_autoptr(GPtrArray) groups = NULL;
    g_autoptr(GPtrArray) out    = NULL;
    guint i, j;

    if (!s->ipsec_pfs)
        return g_steal_pointer(&esp);

    ike    = g_strsplit(s->ipsec_ike, ",", -1);
    groups = g_ptr_array_new();
    for (i = 0; ike[i]; i++) {
        const char *group = last_algo(ike[i]);

        if (is_dh_group(group)
            && !g_ptr_array_find_with_equal_func(groups, group, g_str_equal, NULL))
            g_ptr_array_add(groups, (gpointer)group);
    }
    out = g_ptr_array_new();
    for (i = 0; esp[i]; i++) {
        if (is_dh_group(last_algo(esp[i])) || groups->len == 0) {
            g_ptr_array_add(out, g_strdup(esp[i]));
            continue;
        }
        for (j = 0; j < groups->len; j++)
            g_ptr_array_add(out, g_strdup_printf("%s-%s", esp[i], (char *)groups->pdata[j]));
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&out), FALSE);
}

/* An SA that lives @life seconds is renewed between 80 % and 90 % of
 * its life (charon renews at the renewal time minus a random part of
 * rand_time), and ends at its life's end if the renewal did not succeed.
 * A server that never renews its SAs and uses the same lifetime (Windows:
 * 1 h for ESP, 8 h for IKE) is thus always renewed by us before it
 * deletes them; one with a shorter lifetime deletes them first, and the
 * service negotiates new ones.  A CHILD_SA's end is its life_time; an IKE
 * SA's is over_time, counted from the renewal time. */
static void
add_lifetimes(GVariantBuilder *b, const char *renew_key, gint64 life, gboolean child)
{
    gint64 margin = life / 10;

    add_printf(b, renew_key, "%" G_GINT64_FORMAT "s", life - margin);
    add_printf(b, "rand_time", "%" G_GINT64_FORMAT "s", margin);
    if (child)
        add_printf(b, "life_time", "%" G_GINT64_FORMAT "s", life);
    else
        add_printf(b, "over_time", "%" G_GINT64_FORMAT "s", margin);
}

static GVariant *
build_auth(const char *auth, const char *id, const char *certs_key, const char *cert)
{
    GVariantBuilder b;

    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    add_str(&b, "auth", auth);
    if (id)
        add_str(&b, "id", id);
    if (cert)
        add_list1(&b, certs_key, cert);
    return g_variant_builder_end(&b);
}

GVariant *
nm_l2tp_swanctl_conn_build(const NML2tpSettings *s, const NML2tpWriterParams *p)
{
    GVariantBuilder top, conn, children, child, block;
    g_auto(GStrv) ike    = g_strsplit(s->ipsec_ike, ",", -1);
    g_auto(GStrv) esp    = esp_proposals(s);
    g_autofree char *lts = g_strdup_printf("dynamic[udp/%u]", p->local_port);
    g_autofree char *rts = g_strdup_printf("%s/32[udp/1701]", p->gateway_address);
    g_autofree char *fcn = g_strdup_printf("%s" NM_L2TP_FAIL_CLOSED_SUFFIX, p->uuid);
    gboolean         tls = s->machine_auth_type == NM_L2TP_MACHINE_AUTH_TLS;

    g_return_val_if_fail(nm_l2tp_uuid_is_plain(p->uuid) && p->gateway_address, NULL);

    g_variant_builder_init(&conn, G_VARIANT_TYPE_VARDICT);
    add_str(&conn, "version", s->ipsec_ikev2 ? "2" : "1");
    add_list1(&conn, "remote_addrs", p->gateway_address);
    add_list(&conn, "proposals", (const char *const *)ike);
    /* The lifetimes are the SAs' whole lives: renewed between 80 % and
     * 90 % of them (see add_lifetimes()), gone at their end.  IKEv1 cannot
     * rekey an IKE SA in place; strongSwan reauthenticates. */
    add_lifetimes(
        &conn, s->ipsec_ikev2 ? "rekey_time" : "reauth_time", s->ipsec_ikelifetime, FALSE);
    add_str(&conn, "encap", s->ipsec_forceencaps ? "yes" : "no");
    if (s->ipsec_ikev2)
        add_str(&conn, "mobike", "no");
    add_str(&conn, "fragmentation", "yes");
    /* The service decides about retries: one attempt gives one verdict. */
    add_str(&conn, "keyingtries", "1");
    add_printf(&conn, "dpd_delay", "%" G_GINT64_FORMAT "s", s->ipsec_dpd_delay);
    if (!s->ipsec_ikev2 && s->ipsec_dpd_delay > 0)
        add_printf(&conn, "dpd_timeout", "%" G_GINT64_FORMAT "s", s->ipsec_dpd_timeout);
    g_variant_builder_add(
        &conn,
        "{sv}",
        "local",
        build_auth(
            tls ? "pubkey" : "psk", s->ipsec_group_name, "certs", tls ? s->machine_cert : NULL));
    g_variant_builder_add(
        &conn,
        "{sv}",
        "remote",
        build_auth(
            tls ? "pubkey" : "psk", s->ipsec_remote_id, "cacerts", tls ? s->machine_ca : NULL));

    /* Transport mode for L2TP only: the selectors name UDP 1701 on the
     * server and the port xl2tpd really uses here, so nothing else of this
     * machine's traffic is diverted into the SA. */
    g_variant_builder_init(&child, G_VARIANT_TYPE_VARDICT);
    add_str(&child, "mode", "transport");
    add_list1(&child, "local_ts", lts);
    add_list1(&child, "remote_ts", "dynamic[udp/1701]");
    add_list(&child, "esp_proposals", (const char *const *)esp);
    add_lifetimes(&child, "rekey_time", s->ipsec_salifetime, TRUE);
    add_str(&child, "ipcomp", s->ipsec_ipcomp ? "yes" : "no");
    add_str(&child, "dpd_action", "clear");
    add_str(&child, "close_action", "none");
    add_str(&child, "start_action", "none");

    /* Fail closed: a drop policy for the same traffic, installed with the
     * connection and below the SA's policies in priority (strongSwan
     * installs drop shunts as fallbacks).  While an SA is up its policy
     * wins; when the SA goes first (the server's DELETE, dead peer
     * detection, a rekey gone wrong), L2TP is dropped instead of leaving
     * in clear text, until teardown removes this policy. */
    g_variant_builder_init(&block, G_VARIANT_TYPE_VARDICT);
    add_str(&block, "mode", "drop");
    add_list1(&block, "local_ts", lts);
    add_list1(&block, "remote_ts", rts);
    add_str(&block, "start_action", "none");

    g_variant_builder_init(&children, G_VARIANT_TYPE_VARDICT);
    add_section(&children, p->uuid, &child);
    add_section(&children, fcn, &block);
    add_section(&conn, "children", &children);

    g_variant_builder_init(&top, G_VARIANT_TYPE_VARDICT);
    add_section(&top, p->uuid, &conn);
    return g_variant_ref_sink(g_variant_builder_end(&top));
}

/* swanctl.conf needs quotes around values with spaces or its own syntax
 * characters.  Validation already refused quotes, backslashes and line
 * breaks, so quoting is all that is needed. */
static void
print_value(GString *out, const char *v)
{
    const char *p;
    gboolean    plain = *v != '\0';

    for (p = v; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr(".-_:/@%[]*+=", *p))
            plain = FALSE;
    }
    if (plain)
        g_string_append(out, v);
    else
        g_string_append_printf(out, "\"%s\"", v);
}

static void
print_section(GString *out, GVariant *dict, guint depth)
{
    GVariantIter iter;
    const char  *key;
    GVariant    *value;

    g_variant_iter_init(&iter, dict);
    while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
        g_string_append_printf(out, "%*s%s", depth * 4, "", key);
        if (g_variant_is_of_type(value, G_VARIANT_TYPE_VARDICT)) {
            g_string_append(out, " {\n");
            print_section(out, value, depth + 1);
            g_string_append_printf(out, "%*s}\n", depth * 4, "");
        } else if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING_ARRAY)) {
            g_autofree const char **items = g_variant_get_strv(value, NULL);
            guint                   i;

            g_string_append(out, " = ");
            for (i = 0; items[i]; i++) {
                if (i > 0)
                    g_string_append(out, ",");
                print_value(out, items[i]);
            }
            g_string_append(out, "\n");
        } else {
            g_string_append(out, " = ");
            print_value(out, g_variant_get_string(value, NULL));
            g_string_append(out, "\n");
        }
        g_variant_unref(value);
    }
}

char *
nm_l2tp_swanctl_tree_to_conf(GVariant *tree)
{
    GString *out = g_string_new("connections {\n");

    g_return_val_if_fail(g_variant_is_of_type(tree, G_VARIANT_TYPE_VARDICT), NULL);
    print_section(out, tree, 1);
    g_string_append(out, "}\n");
    return g_string_free(out, FALSE);
}
