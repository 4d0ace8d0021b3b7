/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Config injection: every key whose value reaches a config file is tried
 * with each hostile value, both through the per-field check the editor
 * uses and through whole-connection validation the service uses.  Each
 * must be refused with a message that names the key. */

#include "config.h"

#include <string.h>

#include "nm-l2tp-error.h"
#include "test-util.h"

typedef struct {
    const char *what;
    const char *suffix; /* appended to a valid value */
    gsize       suffix_len;
    gboolean    numbers_only;
} Hostile;

#define H(w, s)                    \
    {                              \
        w, s, sizeof(s) - 1, FALSE \
    }
#define HN(w, s)                  \
    {                             \
        w, s, sizeof(s) - 1, TRUE \
    }

static const Hostile hostile[] = {
    H("newline plus directive", "\nplugin /tmp/evil.so"),
    H("carriage return plus directive", "\r\nleftupdown=/tmp/evil"),
    H("newline plus section", "\n[global]\nport = 1"),
    H("double quote", "\" evil \""),
    H("single quote", "' evil"),
    H("NUL byte", "\0plugin evil.so"),
    H("escape character", "\x1b[2J"),
    H("tab", "\tevil"),
    H("delete character", "\x7f"),
    H("C1 control", "\xc2\x85"),
    H("invalid UTF-8", "\xff\xfe"),
    HN("number with trailing text", "abc"),
    HN("number with trailing space", " "),
    HN("number with unit", "s"),
};

/* A valid value for each key, to which hostile text is appended. */
static const char *
valid_sample(const NML2tpKeyInfo *ki)
{
    if (ki->default_value)
        return ki->default_value;
    switch (ki->type) {
    case NM_L2TP_KEY_TYPE_HOST:
        return "vpn.example.com";
    case NM_L2TP_KEY_TYPE_PATH:
        return "/etc/ssl/cert.pem";
    case NM_L2TP_KEY_TYPE_IPV4:
        return "192.0.2.1";
    case NM_L2TP_KEY_TYPE_INT:
        return "1500";
    case NM_L2TP_KEY_TYPE_FLAGS:
        return "0";
    case NM_L2TP_KEY_TYPE_PROPOSALS:
        return "aes128-sha1";
    default:
        return "value";
    }
}

static gboolean
reaches_a_file(const NML2tpKeyInfo *ki)
{
    return ki->type != NM_L2TP_KEY_TYPE_SECRET;
}

static gboolean
is_number(const NML2tpKeyInfo *ki)
{
    return ki->type == NM_L2TP_KEY_TYPE_INT || ki->type == NM_L2TP_KEY_TYPE_FLAGS;
}

static void
assert_rejected(const NML2tpKeyInfo *ki, const char *value, gsize len, const char *what)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *quoted = g_strdup_printf("“%s”", ki->name);

    if (nm_l2tp_validate_bytes(ki->name, value, len, &error))
        g_error("key %s accepted hostile value (%s)", ki->name, what);
    g_assert_error(error, NM_L2TP_ERROR, error->code);
    if (!strstr(error->message, quoted))
        g_error("error for %s (%s) does not name the key: %s", ki->name, what, error->message);

    /* Whole-connection validation refuses it too (values without NUL:
     * vpn.data cannot carry NUL at all). */
    if (!memchr(value, '\0', len)) {
        g_autoptr(GHashTable) data  = g_hash_table_new(g_str_hash, g_str_equal);
        g_autoptr(GError) error2    = NULL;
        g_autoptr(NML2tpSettings) s = NULL;

        g_hash_table_insert(data, NM_L2TP_KEY_GATEWAY, "192.0.2.1");
        g_hash_table_insert(data, (gpointer)ki->name, (gpointer)value);
        s = nm_l2tp_settings_new_from_hash(data, NULL, NM_L2TP_VALIDATE_NONE, &error2);
        g_assert_null(s);
        g_assert_nonnull(error2);
        if (!strstr(error2->message, quoted))
            g_error("settings error for %s (%s) does not name the key: %s",
                    ki->name,
                    what,
                    error2->message);
    }
}

static void
test_every_key(void)
{
    const NML2tpKeyInfo *table;
    guint                n, i, j, tried = 0;

    table = nm_l2tp_keys_get_table(&n);
    for (i = 0; i < n; i++) {
        const NML2tpKeyInfo *ki = &table[i];
        const char          *base;

        if (!reaches_a_file(ki))
            continue;
        base = valid_sample(ki);
        /* The sample itself must pass, or the test proves nothing. */
        g_assert_true(nm_l2tp_validate_value(ki->name, base, NULL));
        for (j = 0; j < G_N_ELEMENTS(hostile); j++) {
            const Hostile *h = &hostile[j];
            GString       *v;

            if (h->numbers_only && !is_number(ki))
                continue;
            v = g_string_new(base);
            g_string_append_len(v, h->suffix, h->suffix_len);
            assert_rejected(ki, v->str, v->len, h->what);
            g_string_free(v, TRUE);
            tried++;
        }
        /* Overlong: far past any key's limit. */
        {
            g_autofree char *longv = g_strnfill(5000, is_number(ki) ? '9' : 'a');

            assert_rejected(ki, longv, 5000, "overlong value");
            tried++;
        }
    }
    g_test_message("%u hostile values refused", tried);
    g_assert_cmpuint(tried, >, 400);
}

/* Secrets never reach a file, so quotes and line breaks are legitimate
 * password characters; NUL and overlong values are still refused. */
static void
test_secrets(void)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *longv  = g_strnfill(5000, 'x');

    g_assert_true(nm_l2tp_validate_value(NM_L2TP_KEY_PASSWORD, "pa\"ss'wo\\rd\nx", &error));
    g_assert_no_error(error);
    g_assert_false(nm_l2tp_validate_bytes(NM_L2TP_KEY_IPSEC_PSK, "ab\0cd", 5, &error));
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_UNSAFE_VALUE);
    g_assert_nonnull(strstr(error->message, NM_L2TP_KEY_IPSEC_PSK));
    g_clear_error(&error);
    g_assert_false(nm_l2tp_validate_value(NM_L2TP_KEY_PASSWORD, longv, &error));
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_OUT_OF_RANGE);
}

/* The UUID is not a VPN key, but it names the run directory and goes into
 * every config file: the writers refuse anything but hex digits and
 * dashes. */
static void
test_uuid(void)
{
    static const char *const bad[] = {
        "",
        "../../etc",
        "1b4e28ba-2fa1-11d2-883f-0016d3cca427\nplugin /tmp/evil.so",
        "1b4e28ba 2fa1",
        "1b4e28ba-2fa1-11d2-883f-0016d3cca427;x",
        "zzzzzzzz-2fa1-11d2-883f-0016d3cca427",
    };
    g_autofree char *input = nm_l2tp_test_srcdir_path("tests/unit/golden/psk-default/input.conf");
    g_autoptr(NML2tpTestConnection) c = nm_l2tp_test_connection_load(input, NULL);
    g_autoptr(NML2tpSettings) s       = NULL;
    g_autofree char   *longv          = g_strnfill(65, 'a');
    NML2tpWriterParams p;
    guint              i;

    g_assert_true(nm_l2tp_uuid_is_plain(NM_L2TP_TEST_UUID));
    g_assert_true(nm_l2tp_uuid_is_plain("1B4E28BA-2FA1-11D2-883F-0016D3CCA427"));
    g_assert_false(nm_l2tp_uuid_is_plain(NULL));
    g_assert_false(nm_l2tp_uuid_is_plain(longv));
    s = nm_l2tp_settings_new_from_hash(c->data, c->secrets, NM_L2TP_VALIDATE_FOR_CONNECT, NULL);
    g_assert_nonnull(s);
    nm_l2tp_test_writer_params(&p, c);
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *pppd = NULL;
        g_autofree char *l2tp = NULL;

        g_assert_false(nm_l2tp_uuid_is_plain(bad[i]));
        p.uuid = bad[i];
        g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*uuid_is_plain*");
        pppd = nm_l2tp_pppd_options_build(s, &p);
        g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*uuid_is_plain*");
        l2tp = nm_l2tp_xl2tpd_conf_build(s, &p);
        g_test_assert_expected_messages();
        g_assert_null(pppd);
        g_assert_null(l2tp);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hostile/every-key", test_every_key);
    g_test_add_func("/hostile/secrets", test_secrets);
    g_test_add_func("/hostile/uuid", test_uuid);
    return g_test_run();
}
