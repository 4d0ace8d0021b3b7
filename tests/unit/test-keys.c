/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The key table's own consistency, and that the manual documents exactly
 * the keys the table holds. */

#include "config.h"

#include <string.h>

#include "nm-l2tp-settings.h"

/* Every key of NetworkManager-l2tp that existing profiles carry. */
static const char *const compat_keys[] = {
    "gateway",
    "user",
    "password",
    "domain",
    "user-auth-type",
    "ipsec-enabled",
    "machine-auth-type",
    "ipsec-psk",
    "ipsec-remote-id",
    "ipsec-gateway-id",
    "ipsec-group-name",
    "ipsec-ike",
    "ipsec-esp",
    "ipsec-ikelifetime",
    "ipsec-salifetime",
    "ipsec-pfs",
    "ipsec-forceencaps",
    "ipsec-ipcomp",
    "ipsec-ikev2",
    "machine-ca",
    "machine-cert",
    "machine-key",
    "machine-certpass",
    "user-ca",
    "user-cert",
    "user-key",
    "user-certpass",
    "refuse-eap",
    "refuse-pap",
    "refuse-chap",
    "refuse-mschap",
    "refuse-mschapv2",
    "require-mppe",
    "require-mppe-40",
    "require-mppe-128",
    "mppe-stateful",
    "nobsdcomp",
    "nodeflate",
    "no-vj-comp",
    "nopcomp",
    "noaccomp",
    "mtu",
    "mru",
    "mrru",
    "lcp-echo-failure",
    "lcp-echo-interval",
    "ephemeral-port",
    "ipcp-peer-ip",
    "unit",
    "password-flags",
    "ipsec-psk-flags",
    "user-certpass-flags",
    "machine-certpass-flags",
};

static void
test_compat_keys_present(void)
{
    guint i;

    for (i = 0; i < G_N_ELEMENTS(compat_keys); i++) {
        if (!nm_l2tp_key_lookup(compat_keys[i]))
            g_error("key table lacks %s", compat_keys[i]);
    }
}

static void
test_table_consistent(void)
{
    const NML2tpKeyInfo *table;
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    guint n, i, timeouts = 0;

    table = nm_l2tp_keys_get_table(&n);
    for (i = 0; i < n; i++) {
        const NML2tpKeyInfo *ki = &table[i];

        g_assert_false(g_hash_table_contains(seen, ki->name));
        g_hash_table_add(seen, (gpointer)ki->name);
        g_assert_nonnull(ki->doc);
        g_assert_cmpuint(strlen(ki->doc), >, 10);
        /* Defaults must pass the key's own validation. */
        if (ki->default_value && !nm_l2tp_validate_value(ki->name, ki->default_value, NULL))
            g_error("default of %s fails validation", ki->name);
        if (ki->type == NM_L2TP_KEY_TYPE_SECRET) {
            g_autofree char *flags = g_strdup_printf("%s-flags", ki->name);

            g_assert_true(ki->flags & NM_L2TP_KEY_FLAG_SECRET);
            if (!g_str_equal(ki->name, NM_L2TP_KEY_NOSECRET) && !nm_l2tp_key_lookup(flags))
                g_error("secret %s has no %s key", ki->name, flags);
        }
        if (ki->flags & NM_L2TP_KEY_FLAG_ALIAS)
            g_assert_nonnull(nm_l2tp_key_lookup(ki->alias_of));
        if (ki->type == NM_L2TP_KEY_TYPE_INT)
            g_assert_cmpint(ki->min, <=, ki->max);
        if (g_str_has_prefix(ki->name, "timeout-"))
            timeouts++;
    }
    /* One timeout per stage group: IKE, L2TP, PPP. */
    g_assert_cmpuint(timeouts, ==, 3);
    g_assert_nonnull(nm_l2tp_key_lookup(NM_L2TP_KEY_IPSEC_DPD_DELAY));
}

static char *
unroff(const char *s)
{
    GString    *out = g_string_new(NULL);
    const char *p;

    for (p = s; *p; p++) {
        if (p[0] == '\\' && p[1] == '-') {
            g_string_append_c(out, '-');
            p++;
        } else if (p[0] == '\\' && p[1] == '&') {
            p++;
        } else {
            g_string_append_c(out, *p);
        }
    }
    return g_string_free(out, FALSE);
}

static void
test_man_page_matches_table(void)
{
    const char      *path        = g_getenv("NM_L2TP_MAN_PAGE");
    g_autofree char *contents    = NULL;
    g_auto(GStrv) lines          = NULL;
    g_autoptr(GHashTable) in_man = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GError) error      = NULL;
    const NML2tpKeyInfo *table;
    guint                n, i;
    GHashTableIter       iter;
    const char          *key;

    g_assert_nonnull(path);
    g_file_get_contents(path, &contents, NULL, &error);
    g_assert_no_error(error);
    lines = g_strsplit(contents, "\n", -1);
    for (i = 0; lines[i] && lines[i + 1]; i++) {
        if (g_str_equal(lines[i], ".TP") && g_str_has_prefix(lines[i + 1], ".B "))
            g_hash_table_add(in_man, unroff(lines[i + 1] + 3));
    }

    table = nm_l2tp_keys_get_table(&n);
    for (i = 0; i < n; i++) {
        if (!g_hash_table_contains(in_man, table[i].name))
            g_error("key %s is missing from the man page", table[i].name);
    }
    g_hash_table_iter_init(&iter, in_man);
    while (g_hash_table_iter_next(&iter, (gpointer *)&key, NULL)) {
        if (!nm_l2tp_key_lookup(key))
            g_error("the man page documents %s, which is not in the key table", key);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/keys/compat-keys-present", test_compat_keys_present);
    g_test_add_func("/keys/table-consistent", test_table_consistent);
    g_test_add_func("/keys/man-page-matches-table", test_man_page_matches_table);
    return g_test_run();
}
