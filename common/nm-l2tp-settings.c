/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Validation of vpn.data and vpn.secrets against the key table, producing
 * NML2tpSettings.  Values end up in strongswan/xl2tpd/pppd configuration,
 * whose parsers treat newlines, quotes, semicolons and backslashes as
 * syntax; rather than trusting every writer to escape perfectly, such
 * characters are refused here, once, for every key that could reach a file. */

#include "config.h"

#include <arpa/inet.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-settings.h"

#define FIELD(settings, ki) ((gpointer)(((guint8 *)(settings)) + (ki)->offset))

static gboolean
fail(GError **error, NML2tpError code, const char *key, const char *reason)
{
    g_set_error(error, NM_L2TP_ERROR, code, _("invalid value for “%s”: %s"), key, reason);
    return FALSE;
}

/* Characters that no key may carry into a file.  C1 controls (U+0080 to
 * U+009F) are included: some terminals and log viewers act on them. */
static gboolean
check_text(const NML2tpKeyInfo *ki, const char *v, gsize len, gboolean allow_quotes, GError **error)
{
    const char *p;

    if (len == 0)
        return fail(error, NM_L2TP_ERROR_INVALID_VALUE, ki->name, _("the value is empty"));
    if (ki->max > 0 && len > (gsize)ki->max) {
        g_autofree char *r = g_strdup_printf(
            _("the value is too long (%zu bytes, at most %lld)"), len, (long long)ki->max);
        return fail(error, NM_L2TP_ERROR_OUT_OF_RANGE, ki->name, r);
    }
    if (memchr(v, '\0', len))
        return fail(
            error, NM_L2TP_ERROR_UNSAFE_VALUE, ki->name, _("the value contains a NUL byte"));
    if (!g_utf8_validate_len(v, len, NULL))
        return fail(
            error, NM_L2TP_ERROR_INVALID_VALUE, ki->name, _("the value is not valid UTF-8 text"));
    for (p = v; p < v + len; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);

        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
            return fail(error,
                        NM_L2TP_ERROR_UNSAFE_VALUE,
                        ki->name,
                        _("the value contains a line break or another control character"));
        if (!allow_quotes && (c == '"' || c == '\''))
            return fail(error,
                        NM_L2TP_ERROR_UNSAFE_VALUE,
                        ki->name,
                        _("the value contains a quote character"));
        if (!allow_quotes && c == '\\' && !(ki->flags & NM_L2TP_KEY_FLAG_BACKSLASH_OK))
            return fail(
                error, NM_L2TP_ERROR_UNSAFE_VALUE, ki->name, _("the value contains a backslash"));
    }
    return TRUE;
}

static gboolean
parse_int(const NML2tpKeyInfo *ki, const char *v, gsize len, gint64 *out, GError **error)
{
    gsize  i;
    gint64 n;

    if (len == 0)
        return fail(error, NM_L2TP_ERROR_INVALID_VALUE, ki->name, _("the value is empty"));
    /* Only plain decimal digits: "10s", " 5", "+5", "0x10" and "1e3" are
     * all refused, so that what the user sees is what the daemons get. */
    for (i = 0; i < len; i++) {
        if (!g_ascii_isdigit(v[i]) && !(i == 0 && v[i] == '-' && ki->min < 0)) {
            return fail(error,
                        NM_L2TP_ERROR_INVALID_VALUE,
                        ki->name,
                        _("the value is not a whole number (only the digits 0 to 9 are allowed)"));
        }
    }
    if (len > 18) {
        n = G_MAXINT64;
    } else {
        n = g_ascii_strtoll(v, NULL, 10);
    }
    if (n < ki->min || n > ki->max) {
        g_autofree char *r = g_strdup_printf(
            _("the number must be between %lld and %lld"), (long long)ki->min, (long long)ki->max);
        return fail(error, NM_L2TP_ERROR_OUT_OF_RANGE, ki->name, r);
    }
    *out = n;
    return TRUE;
}

static gboolean
is_dns_name(const char *v)
{
    g_auto(GStrv) labels = g_strsplit(v, ".", -1);
    guint n              = g_strv_length(labels);
    guint i;

    /* One trailing dot (a fully qualified name) leaves an empty last label. */
    if (n > 1 && labels[n - 1][0] == '\0')
        n--;
    for (i = 0; i < n; i++) {
        gsize l = strlen(labels[i]);
        gsize j;

        if (l == 0 || l > 63 || labels[i][0] == '-' || labels[i][l - 1] == '-')
            return FALSE;
        for (j = 0; j < l; j++) {
            if (!g_ascii_isalnum(labels[i][j]) && labels[i][j] != '-' && labels[i][j] != '_')
                return FALSE;
        }
    }
    return n > 0;
}

static gboolean
parse_host(const NML2tpKeyInfo *ki, const char *v, gsize len, char **out, GError **error)
{
    g_autofree char *ascii = NULL;

    if (!check_text(ki, v, len, FALSE, error))
        return FALSE;
    if (g_hostname_is_ip_address(v) && !strchr(v, '%')) {
        *out = g_strdup(v);
        return TRUE;
    }
    /* Internationalised names go to the daemons in their ASCII (punycode)
     * form, which is what the resolver understands. */
    ascii = g_hostname_is_non_ascii(v) ? g_hostname_to_ascii(v) : g_strdup(v);
    if (!ascii || strlen(ascii) > 253 || !is_dns_name(ascii))
        return fail(error,
                    NM_L2TP_ERROR_INVALID_VALUE,
                    ki->name,
                    _("the value is neither a host name nor an IP address"));
    *out = g_steal_pointer(&ascii);
    return TRUE;
}

static gboolean
parse_proposals(const NML2tpKeyInfo *ki, const char *v, gsize len, char **out, GError **error)
{
    g_autofree char *copy = NULL;
    g_auto(GStrv) items   = NULL;
    guint i;

    if (!check_text(ki, v, len, FALSE, error))
        return FALSE;
    copy = g_ascii_strdown(v, len);
    /* NetworkManager-l2tp profiles end strict lists with '!' (an ipsec.conf
     * convention).  strongSwan's proposals are always strict, so the mark
     * carries no meaning and is dropped. */
    if (copy[strlen(copy) - 1] == '!')
        copy[strlen(copy) - 1] = '\0';
    items = g_strsplit(copy, ",", -1);
    if (!items[0])
        return fail(error, NM_L2TP_ERROR_INVALID_VALUE, ki->name, _("the proposal list is empty"));
    for (i = 0; items[i]; i++) {
        const char *it = items[i];
        gsize       l  = strlen(it);
        gsize       j;

        if (l == 0 || it[0] == '-' || it[l - 1] == '-' || strstr(it, "--"))
            return fail(
                error,
                NM_L2TP_ERROR_INVALID_VALUE,
                ki->name,
                _("each proposal must look like aes256-sha1-modp2048, separated by commas"));
        for (j = 0; j < l; j++) {
            if (!g_ascii_isalnum(it[j]) && it[j] != '-' && it[j] != '_')
                return fail(error,
                            NM_L2TP_ERROR_INVALID_VALUE,
                            ki->name,
                            _("proposals may contain only letters, digits, '-' and '_'"));
        }
    }
    *out = g_strjoinv(",", items);
    return TRUE;
}

/* Frees a value, wiping it first when it is a secret. */
static void
value_free(const NML2tpKeyInfo *ki, char *text)
{
    if (text && ki->type == NM_L2TP_KEY_TYPE_SECRET)
        explicit_bzero(text, strlen(text));
    g_free(text);
}

static void
wipe_free(gpointer text)
{
    explicit_bzero(text, strlen(text));
    g_free(text);
}

/* Validates one value and, when @settings is given, stores it there. */
static gboolean
parse_value(
    const NML2tpKeyInfo *ki, const char *v, gsize len, NML2tpSettings *settings, GError **error)
{
    char    *text = NULL;
    gint64   n    = 0;
    gboolean b    = FALSE;
    int      e    = 0;

    switch (ki->type) {
    case NM_L2TP_KEY_TYPE_STRING:
        if (!check_text(ki, v, len, FALSE, error))
            return FALSE;
        text = g_strndup(v, len);
        break;
    case NM_L2TP_KEY_TYPE_PATH:
        if (!check_text(ki, v, len, FALSE, error))
            return FALSE;
        if (v[0] != '/')
            return fail(error,
                        NM_L2TP_ERROR_INVALID_VALUE,
                        ki->name,
                        _("the path must be absolute (start with /)"));
        {
            g_autofree char *raw = g_strndup(v, len);

            /* Every consumer gets the same, canonical path ("//" and
             * "." and ".." resolved by name, as GFile does): the IPsec
             * code finds a certificate's bytes by the path it read it
             * from, and pppd and charon must not disagree about which
             * file "/etc/x/../ssl/ca.pem" is. */
            text = g_canonicalize_filename(raw, "/");
            /* POSIX leaves a leading "//" to the system; on Linux it is "/". */
            if (text[1] == '/')
                memmove(text, text + 1, strlen(text));
        }
        break;
    case NM_L2TP_KEY_TYPE_SECRET:
        /* Secrets never reach a file, so quotes, backslashes and even line
         * breaks are fine; only what no transport (D-Bus, VICI) can carry is
         * refused. */
        {
            g_autoptr(GError) local = NULL;

            if (!check_text(ki, v, len, TRUE, &local)
                && (!g_error_matches(local, NM_L2TP_ERROR, NM_L2TP_ERROR_UNSAFE_VALUE)
                    || memchr(v, '\0', len))) {
                g_propagate_error(error, g_steal_pointer(&local));
                return FALSE;
            }
            text = g_strndup(v, len);
            break;
        }
    case NM_L2TP_KEY_TYPE_HOST:
        if (!parse_host(ki, v, len, &text, error))
            return FALSE;
        break;
    case NM_L2TP_KEY_TYPE_PROPOSALS:
        if (!parse_proposals(ki, v, len, &text, error))
            return FALSE;
        break;
    case NM_L2TP_KEY_TYPE_IPV4: {
        struct in_addr   a;
        g_autofree char *s = NULL;

        if (!check_text(ki, v, len, FALSE, error))
            return FALSE;
        s = g_strndup(v, len);
        if (inet_pton(AF_INET, s, &a) != 1)
            return fail(error,
                        NM_L2TP_ERROR_INVALID_VALUE,
                        ki->name,
                        _("the value is not an IPv4 address"));
        text = g_steal_pointer(&s);
        break;
    }
    case NM_L2TP_KEY_TYPE_BOOL:
        if (len == 3 && memcmp(v, "yes", 3) == 0)
            b = TRUE;
        else if (len == 2 && memcmp(v, "no", 2) == 0)
            b = FALSE;
        else
            return fail(
                error, NM_L2TP_ERROR_INVALID_VALUE, ki->name, _("the value must be “yes” or “no”"));
        break;
    case NM_L2TP_KEY_TYPE_INT:
    case NM_L2TP_KEY_TYPE_FLAGS:
        if (!parse_int(ki, v, len, &n, error))
            return FALSE;
        break;
    case NM_L2TP_KEY_TYPE_ENUM:
        for (e = 0; ki->enum_values[e]; e++) {
            if (strlen(ki->enum_values[e]) == len && memcmp(ki->enum_values[e], v, len) == 0)
                break;
        }
        if (!ki->enum_values[e]) {
            g_autofree char *list = g_strjoinv(", ", (char **)ki->enum_values);
            g_autofree char *r    = g_strdup_printf(_("the value must be one of: %s"), list);
            return fail(error, NM_L2TP_ERROR_INVALID_VALUE, ki->name, r);
        }
        break;
    }

    if (!settings) {
        value_free(ki, text);
        return TRUE;
    }
    switch (ki->type) {
    case NM_L2TP_KEY_TYPE_BOOL:
        *(gboolean *)FIELD(settings, ki) = b;
        break;
    case NM_L2TP_KEY_TYPE_INT:
    case NM_L2TP_KEY_TYPE_FLAGS:
        *(gint64 *)FIELD(settings, ki) = n;
        break;
    case NM_L2TP_KEY_TYPE_ENUM:
        *(int *)FIELD(settings, ki) = e;
        break;
    default:
        value_free(ki, *(char **)FIELD(settings, ki));
        *(char **)FIELD(settings, ki) = text;
        break;
    }
    return TRUE;
}

gboolean
nm_l2tp_validate_bytes(const char *key, const char *value, gsize len, GError **error)
{
    const NML2tpKeyInfo *ki = nm_l2tp_key_lookup(key);

    if (!ki) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_UNKNOWN_KEY,
                    _("unknown key “%s”"),
                    key ? key : "(null)");
        return FALSE;
    }
    return parse_value(ki, value, len, NULL, error);
}

gboolean
nm_l2tp_validate_value(const char *key, const char *value, GError **error)
{
    g_return_val_if_fail(value != NULL, FALSE);
    return nm_l2tp_validate_bytes(key, value, strlen(value), error);
}

static void
settings_init_defaults(NML2tpSettings *s)
{
    const NML2tpKeyInfo *table;
    guint                n, i;

    table = nm_l2tp_keys_get_table(&n);
    for (i = 0; i < n; i++) {
        const NML2tpKeyInfo *ki = &table[i];

        if (ki->flags & NM_L2TP_KEY_FLAG_ALIAS)
            continue;
        if (ki->type == NM_L2TP_KEY_TYPE_INT || ki->type == NM_L2TP_KEY_TYPE_FLAGS)
            *(gint64 *)FIELD(s, ki) = ki->type == NM_L2TP_KEY_TYPE_FLAGS ? 0 : -1;
        if (ki->default_value) {
            gboolean ok = parse_value(ki, ki->default_value, strlen(ki->default_value), s, NULL);

            /* The table's own defaults are checked by the unit tests. */
            g_assert(ok);
        }
    }
}

static int
compare_keys(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Applies one hash of items; keys are taken in sorted order so that the
 * same bad profile always gives the same error. */
static gboolean
apply_items(NML2tpSettings *s, GHashTable *items, gboolean are_secrets, GError **error)
{
    g_autofree gpointer *keys = NULL;
    guint                n, i;

    if (!items)
        return TRUE;
    keys = g_hash_table_get_keys_as_array(items, &n);
    qsort(keys, n, sizeof(gpointer), compare_keys);
    for (i = 0; i < n; i++) {
        const char          *key   = keys[i];
        const char          *value = g_hash_table_lookup(items, key);
        const NML2tpKeyInfo *ki    = nm_l2tp_key_lookup(key);

        if (!ki) {
            g_set_error(
                error, NM_L2TP_ERROR, NM_L2TP_ERROR_UNKNOWN_KEY, _("unknown key “%s”"), key);
            return FALSE;
        }
        if (are_secrets && !(ki->flags & NM_L2TP_KEY_FLAG_SECRET)) {
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_UNKNOWN_KEY,
                        _("“%s” is not a secret and does not belong in vpn.secrets"),
                        key);
            return FALSE;
        }
        if (ki->flags & NM_L2TP_KEY_FLAG_ALIAS) {
            const char *canonical = g_hash_table_lookup(items, ki->alias_of);

            /* The canonical key wins when both are set; both set to
             * different values is a contradiction, not a preference. */
            if (canonical) {
                if (!g_str_equal(canonical, value)) {
                    g_set_error(error,
                                NM_L2TP_ERROR,
                                NM_L2TP_ERROR_INVALID_VALUE,
                                _("“%s” and its old name “%s” are both set, to different values"),
                                ki->alias_of,
                                key);
                    return FALSE;
                }
                continue;
            }
        }
        if (!parse_value(ki, value, strlen(value), s, error))
            return FALSE;
    }
    return TRUE;
}

/* EAP-TLS needs, besides the certificate and its key, the CA: pppd 2.4.9
 * uses its ca, cert and key options only all together, and without a CA it
 * cannot check the server at all.  And the user name, the EAP identity:
 * without it pppd would send this machine's host name, which a server
 * matches against the certificate's name. */
static gboolean
check_eap_tls(const NML2tpSettings *s, GError **error)
{
    const char *missing = NULL;

    if (s->user_auth_type != NM_L2TP_USER_AUTH_TLS)
        return TRUE;
    if (!s->user_cert || !s->user_key)
        missing = _("user-auth-type is tls, but user-cert or user-key is not set");
    else if (!s->user_ca)
        missing = _("user-auth-type is tls, but user-ca (the CA of the server's certificate) "
                    "is not set");
    else if (!s->user)
        missing = _("user-auth-type is tls, but user (the EAP identity, usually the common "
                    "name of user-cert) is not set");
    if (missing)
        g_set_error_literal(error, NM_L2TP_ERROR, NM_L2TP_ERROR_MISSING, missing);
    return !missing;
}

static gboolean
check_combination(const NML2tpSettings *s, NML2tpValidateFlags flags, GError **error)
{
    if (s->refuse_eap && s->refuse_pap && s->refuse_chap && s->refuse_mschap && s->refuse_mschapv2
        && s->user_auth_type == NM_L2TP_USER_AUTH_PASSWORD) {
        g_set_error(
            error,
            NM_L2TP_ERROR,
            NM_L2TP_ERROR_INVALID_VALUE,
            _("every PPP authentication method is refused (refuse-eap, refuse-pap, refuse-chap, "
              "refuse-mschap, refuse-mschapv2): allow at least one"));
        return FALSE;
    }
    if ((s->require_mppe || s->require_mppe_40 || s->require_mppe_128) && s->refuse_mschap
        && s->refuse_mschapv2) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_INVALID_VALUE,
                    _("require-mppe needs MS-CHAP or MS-CHAPv2, but refuse-mschap and "
                      "refuse-mschapv2 are both set"));
        return FALSE;
    }
    if (s->mru > 0 && s->mtu > 0 && s->mrru > 0 && s->mrru < s->mru) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_OUT_OF_RANGE,
                    _("invalid value for “%s”: it must not be smaller than mru"),
                    NM_L2TP_KEY_MRRU);
        return FALSE;
    }
    if (!(flags & NM_L2TP_VALIDATE_FOR_CONNECT))
        return TRUE;
    if (!s->gateway) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_MISSING,
                    _("the gateway (key “%s”) is not set"),
                    NM_L2TP_KEY_GATEWAY);
        return FALSE;
    }
    if (s->ipsec_enabled && s->machine_auth_type == NM_L2TP_MACHINE_AUTH_TLS
        && (!s->machine_cert || !s->machine_key)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_MISSING,
                    _("machine-auth-type is tls, but machine-cert or machine-key is not set"));
        return FALSE;
    }
    return check_eap_tls(s, error);
}

NML2tpSettings *
nm_l2tp_settings_new_from_hash(GHashTable         *data,
                               GHashTable         *secrets,
                               NML2tpValidateFlags flags,
                               GError            **error)
{
    g_autoptr(NML2tpSettings) s = g_new0(NML2tpSettings, 1);

    settings_init_defaults(s);
    if (!apply_items(s, data, FALSE, error))
        return NULL;
    if (!apply_items(s, secrets, TRUE, error))
        return NULL;
    if (!check_combination(s, flags, error))
        return NULL;
    return g_steal_pointer(&s);
}

/* The foreach functions hand out copies that die after the callback. */
static void
collect_item(const char *key, const char *value, gpointer user_data)
{
    g_hash_table_insert(user_data, g_strdup(key), g_strdup(value));
}

NML2tpSettings *
nm_l2tp_settings_new_from_vpn(NMSettingVpn *s_vpn, NML2tpValidateFlags flags, GError **error)
{
    g_autoptr(GHashTable) data = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autoptr(GHashTable) secrets =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, wipe_free);

    g_return_val_if_fail(NM_IS_SETTING_VPN(s_vpn), NULL);
    nm_setting_vpn_foreach_data_item(s_vpn, collect_item, data);
    nm_setting_vpn_foreach_secret(s_vpn, collect_item, secrets);
    return nm_l2tp_settings_new_from_hash(data, secrets, flags, error);
}

void
nm_l2tp_settings_free(NML2tpSettings *s)
{
    const NML2tpKeyInfo *table;
    guint                n, i;

    if (!s)
        return;
    table = nm_l2tp_keys_get_table(&n);
    for (i = 0; i < n; i++) {
        const NML2tpKeyInfo *ki = &table[i];

        switch (ki->type) {
        case NM_L2TP_KEY_TYPE_BOOL:
        case NM_L2TP_KEY_TYPE_INT:
        case NM_L2TP_KEY_TYPE_FLAGS:
        case NM_L2TP_KEY_TYPE_ENUM:
            break;
        default:
            /* Secrets are wiped before the memory goes back to the
             * allocator. */
            value_free(ki, *(char **)FIELD(s, ki));
            *(char **)FIELD(s, ki) = NULL;
            break;
        }
    }
    g_free(s);
}

gboolean
nm_l2tp_uuid_is_plain(const char *uuid)
{
    gsize len = uuid ? strlen(uuid) : 0;

    if (len == 0 || len > 64)
        return FALSE;
    for (; *uuid; uuid++) {
        if (!g_ascii_isxdigit(*uuid) && *uuid != '-')
            return FALSE;
    }
    return TRUE;
}

char *
nm_l2tp_settings_dup_ppp_user(const NML2tpSettings *s)
{
    if (!s->user)
        return NULL;
    if (s->domain)
        return g_strdup_printf("%s\\%s", s->domain, s->user);
    return g_strdup(s->user);
}
