/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-diag-redact.h"

#include <string.h>

#include "nm-l2tp-keys.h"

/* Values shorter than this are removed only where they stand alone (not
 * inside a longer word): a one-letter password must not turn every "a" of a
 * log into NM_L2TP_REDACTED, and a short value inside a word tells a
 * reader nothing about the secret. */
#define SHORT_VALUE 4

struct _NML2tpRedactor {
    /* Exact strings to remove: each secret in every encoding it may
     * appear in; longest first, so that a secret containing another is
     * removed whole. */
    GPtrArray *needles;
    guint      n_secrets;
    GRegex    *key_value;   /* key = value, key: value */
    GRegex    *key_space;   /* key value, at the start of a line */
    GRegex    *secrets_ent; /* ipsec.secrets: ": PSK value" */
    GRegex    *encoded;     /* 0s<base64>, 0x<hex> */
    GRegex    *chap;        /* pppd's CHAP/EAP challenge and response values */
    GRegex    *mschap_ok;   /* MS-CHAPv2 authenticator response "S=<40 hex>" */
};

gboolean
nm_l2tp_redact_is_secret_key(const char *key)
{
    const NML2tpKeyInfo *info = key ? nm_l2tp_key_lookup(key) : NULL;

    /* no-secret is typed as a secret in the key table but only carries the
     * auth dialog's "true": treating it as one would redact every "true". */
    return info && info->type == NM_L2TP_KEY_TYPE_SECRET
           && g_strcmp0(key, NM_L2TP_KEY_NOSECRET) != 0;
}

/* The names a secret goes by: the key table's secret keys and the words
 * strongSwan, pppd and xl2tpd use for theirs, as an alternation for a
 * regular expression. */
static char *
build_key_alternation(void)
{
    static const char *const words[] = {
        "password",      "passwd",     "secret",   "psk", "pre-shared-key",
        "preshared-key", "passphrase", "certpass", "pin",
    };
    g_autoptr(GString) alt = g_string_new(NULL);
    const NML2tpKeyInfo *table;
    guint                n;

    table = nm_l2tp_keys_get_table(&n);
    for (guint i = 0; i < n; i++) {
        g_autofree char *esc = NULL;

        if (!nm_l2tp_redact_is_secret_key(table[i].name))
            continue;
        esc = g_regex_escape_string(table[i].name, -1);
        g_string_append_printf(alt, "%s%s", alt->len ? "|" : "", esc);
    }
    for (guint i = 0; i < G_N_ELEMENTS(words); i++)
        g_string_append_printf(alt, "%s%s", alt->len ? "|" : "", words[i]);
    return g_string_free(g_steal_pointer(&alt), FALSE);
}

static GRegex *
compile(const char *pattern, GRegexCompileFlags flags)
{
    g_autoptr(GError) error = NULL;
    GRegex *re = g_regex_new(pattern, flags | G_REGEX_MULTILINE | G_REGEX_OPTIMIZE, 0, &error);

    /* The patterns are constants of this file: a failure is a bug. */
    if (!re)
        g_error("nm-l2tp-diag: bad redaction pattern: %s", error->message);
    return re;
}

NML2tpRedactor *
nm_l2tp_redactor_new(void)
{
    NML2tpRedactor  *self = g_new0(NML2tpRedactor, 1);
    g_autofree char *keys = build_key_alternation();
    g_autofree char *kv   = NULL;
    g_autofree char *ks   = NULL;

    self->needles = g_ptr_array_new_with_free_func(g_free);
    /* A value is a quoted string (to its closing quote, escapes allowed)
     * or the rest of the line: a secret may contain spaces. */
    kv = g_strdup_printf("(?<![A-Za-z0-9_-])(%s)(\"?[ \\t]*[=:][ \\t]*)"
                         "(?:\"(?:[^\"\\\\\\n]|\\\\.)*\"?|'[^'\\n]*'?|[^\\n]*)",
                         keys);
    /* "password value" as pppd's options and chap-secrets-like files have
     * it, also behind the "SECONDS SOURCE: " of the attempt's log. */
    ks = g_strdup_printf(
        "^([ \\t]*(?:[0-9.]+[ \\t]+(?:ike|l2tp|ppp):[ \\t]*)?)(%s)([ \\t]+)(?![=:])\\S[^\\n]*",
        keys);
    self->key_value = compile(kv, G_REGEX_CASELESS);
    self->key_space = compile(ks, G_REGEX_CASELESS);
    self->secrets_ent =
        compile("(:[ \\t]*(?:PSK|XAUTH|EAP|NTLM|P12|PKCS12|RSA|ECDSA|PKCS8|PIN)[ \\t]+)[^\\n]+", 0);
    /* strongSwan writes binary keys as 0s<base64> or 0x<hex>.  Short hex
     * numbers are everywhere in these logs (SPIs, LCP magic numbers, ids),
     * so 0x needs 16 digits or more; a known secret is removed in any
     * length by its exact encodings. */
    self->encoded   = compile("(?<![A-Za-z0-9_.])(0s)[A-Za-z0-9+/]{6,}={0,2}"
                              "|(?<![A-Za-z0-9_.])(0x)[0-9A-Fa-f]{16,}",
                            0);
    self->chap      = compile("(\\[(?:CHAP|EAP) [^<\\]\\n]*<)[0-9A-Fa-f]{8,}(>)", 0);
    self->mschap_ok = compile("(?<![A-Za-z0-9])(S=)[0-9A-Fa-f]{40}", 0);
    return self;
}

void
nm_l2tp_redactor_free(NML2tpRedactor *self)
{
    if (!self)
        return;
    g_ptr_array_unref(self->needles);
    g_regex_unref(self->key_value);
    g_regex_unref(self->key_space);
    g_regex_unref(self->secrets_ent);
    g_regex_unref(self->encoded);
    g_regex_unref(self->chap);
    g_regex_unref(self->mschap_ok);
    g_free(self);
}

static gint
longest_first(gconstpointer a, gconstpointer b)
{
    gsize la = strlen(*(const char *const *)a);
    gsize lb = strlen(*(const char *const *)b);

    return la < lb ? 1 : la > lb ? -1 : 0;
}

static void
add_needle(NML2tpRedactor *self, char *needle)
{
    for (guint i = 0; i < self->needles->len; i++) {
        if (g_str_equal(self->needles->pdata[i], needle)) {
            g_free(needle);
            return;
        }
    }
    g_ptr_array_add(self->needles, needle);
}

static char *
to_hex(const char *value, gboolean upper)
{
    GString *s = g_string_new(NULL);

    for (const guchar *p = (const guchar *)value; *p; p++)
        g_string_append_printf(s, upper ? "%02X" : "%02x", *p);
    return g_string_free(s, FALSE);
}

void
nm_l2tp_redactor_add_secret(NML2tpRedactor *self, const char *value)
{
    g_autofree char *escaped = NULL;

    g_return_if_fail(self);
    if (!value || !*value)
        return;
    self->n_secrets++;
    /* As it is; with C-style escapes as a quoted config value has it; and
     * in strongSwan's encodings (0x<hex>, 0s<base64>). */
    add_needle(self, g_strdup(value));
    escaped = g_strescape(value, NULL);
    if (!g_str_equal(escaped, value))
        add_needle(self, g_steal_pointer(&escaped));
    add_needle(self, to_hex(value, FALSE));
    add_needle(self, to_hex(value, TRUE));
    add_needle(self, g_base64_encode((const guchar *)value, strlen(value)));
    g_ptr_array_sort(self->needles, longest_first);
}

static void
add_secret_cb(const char *key, const char *value, gpointer user_data)
{
    if (nm_l2tp_redact_is_secret_key(key))
        nm_l2tp_redactor_add_secret(user_data, value);
}

void
nm_l2tp_redactor_add_setting(NML2tpRedactor *self, NMSettingVpn *s_vpn)
{
    g_return_if_fail(self);
    if (!s_vpn)
        return;
    nm_setting_vpn_foreach_secret(s_vpn, add_secret_cb, self);
    /* Profiles of old plugin versions kept secrets in vpn.data. */
    nm_setting_vpn_foreach_data_item(s_vpn, add_secret_cb, self);
}

guint
nm_l2tp_redactor_get_n_secrets(const NML2tpRedactor *self)
{
    return self->n_secrets;
}

static gboolean
is_word_char(char c)
{
    return g_ascii_isalnum(c) || c == '_';
}

/* Replaces every occurrence of @needle; a short one only where it is not
 * part of a longer word. */
static char *
replace_exact(const char *text, const char *needle)
{
    gsize       len    = strlen(needle);
    gboolean    short_ = len < SHORT_VALUE;
    GString    *out    = g_string_sized_new(strlen(text));
    const char *from   = text;
    const char *at;

    while ((at = strstr(from, needle))) {
        gboolean alone = (at == text || !is_word_char(at[-1])) && !is_word_char(at[len]);

        g_string_append_len(out, from, at - from);
        if (!short_ || alone)
            g_string_append(out, NM_L2TP_REDACTED);
        else
            g_string_append_len(out, at, len);
        from = at + len;
    }
    g_string_append(out, from);
    return g_string_free(out, FALSE);
}

static char *
replace_re(GRegex *re, const char *text, const char *replacement)
{
    g_autoptr(GError) error = NULL;
    char *out               = g_regex_replace(re, text, -1, 0, replacement, 0, &error);

    /* Only a resource limit of the regex engine can fail here; then the
     * text must not leave the tool unredacted. */
    if (!out)
        return g_strdup(NM_L2TP_REDACTED "\n");
    return out;
}

char *
nm_l2tp_redactor_redact(const NML2tpRedactor *self, const char *text)
{
    g_autofree char *cur = NULL;
    char            *next;

    g_return_val_if_fail(self, NULL);
    if (!text)
        return NULL;
    /* Invalid UTF-8 (a log line of a peer) cannot go through the regex
     * engine; make it valid first. */
    cur = g_utf8_make_valid(text, -1);

    /* Exact values first: afterwards the shapes also catch values the
     * connection does not know of (another profile's, a config's). */
    for (guint i = 0; i < self->needles->len; i++) {
        next = replace_exact(cur, self->needles->pdata[i]);
        g_free(cur);
        cur = next;
    }

#define APPLY(re, repl)                   \
    G_STMT_START                          \
    {                                     \
        next = replace_re(re, cur, repl); \
        g_free(cur);                      \
        cur = next;                       \
    }                                     \
    G_STMT_END

    APPLY(self->key_value, "\\1\\2" NM_L2TP_REDACTED);
    APPLY(self->key_space, "\\1\\2\\3" NM_L2TP_REDACTED);
    APPLY(self->secrets_ent, "\\1" NM_L2TP_REDACTED);
    APPLY(self->encoded, "\\1\\2" NM_L2TP_REDACTED);
    APPLY(self->chap, "\\1" NM_L2TP_REDACTED "\\2");
    APPLY(self->mschap_ok, "\\1" NM_L2TP_REDACTED);
#undef APPLY

    return g_steal_pointer(&cur);
}
