/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Importer for NetworkManager-l2tp's own export format: a GKeyFile with
 *   [connection] id=...
 *   [vpn]        the vpn.data keys (booleans written as true/false)
 *   [vpn-secrets] secrets, as NetworkManager's keyfile plugin writes them
 *   [ipv4]/[ipv6] (older releases: [ip4]/[ip6]) method, dns, dns-search,
 *                routes ("10.0.0.0/8 via 10.0.0.1 metric 5;..." or the
 *                keyfile's "route1=10.0.0.0/8,10.0.0.1,5") and the other
 *                scalar properties of NMSettingIPConfig.
 * Files written by NetworkManager's keyfile plugin have the same shape and
 * are read too. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-import-private.h"
#include "nm-l2tp-settings.h"

/* Scalar NMSettingIPConfig properties taken over unchanged. */
static const char *const ip_scalar_keys[] = {
    NM_SETTING_IP_CONFIG_METHOD,          NM_SETTING_IP_CONFIG_IGNORE_AUTO_ROUTES,
    NM_SETTING_IP_CONFIG_IGNORE_AUTO_DNS, NM_SETTING_IP_CONFIG_DHCP_SEND_HOSTNAME,
    NM_SETTING_IP_CONFIG_NEVER_DEFAULT,   NM_SETTING_IP_CONFIG_MAY_FAIL,
    NM_SETTING_IP_CONFIG_ROUTE_METRIC,    NM_SETTING_IP_CONFIG_ROUTE_TABLE,
    NM_SETTING_IP_CONFIG_DNS_PRIORITY,    NULL,
};

static gboolean
fail(GError **error, const char *group, const char *key, const char *reason)
{
    g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT, _("[%s] %s: %s"), group, key, reason);
    return FALSE;
}

/* GKeyFile keeps the last of two equal keys silently; a profile that says
 * two things about one setting is refused instead. */
static gboolean
check_duplicates(const char *text, GError **error)
{
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_auto(GStrv) lines        = g_strsplit(text, "\n", -1);
    g_autofree char *group     = g_strdup("");
    guint            i;

    for (i = 0; lines[i]; i++) {
        char *line = g_strstrip(lines[i]);
        char *eq;

        if (!line[0] || line[0] == '#')
            continue;
        if (line[0] == '[') {
            g_free(group);
            group = g_strdup(line);
            continue;
        }
        eq = strchr(line, '=');
        if (!eq)
            continue; /* GKeyFile reports it */
        *eq = '\0';
        g_strchomp(line);
        if (!g_hash_table_add(seen, g_strdup_printf("%s\n%s", group, line))) {
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_IMPORT,
                        _("line %u: “%s” is set a second time in %s"),
                        i + 1,
                        line,
                        group);
            return FALSE;
        }
    }
    return TRUE;
}

static gboolean
import_vpn_group(GKeyFile     *kf,
                 const char   *group,
                 gboolean      secrets_group,
                 NMConnection *connection,
                 GPtrArray    *notes,
                 GError      **error)
{
    g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
    guint i;

    for (i = 0; keys && keys[i]; i++) {
        const char          *key    = keys[i];
        const NML2tpKeyInfo *ki     = nm_l2tp_key_lookup(key);
        g_autofree char     *value  = NULL;
        g_autofree char     *source = NULL;
        const char          *name;
        g_autoptr(GError) local = NULL;

        if (!secrets_group && g_str_equal(key, NM_SETTING_VPN_SERVICE_TYPE)) {
            g_autofree char *st = g_key_file_get_string(kf, group, key, NULL);

            if (!st || (!g_str_equal(st, NM_L2TP_VPN_SERVICE) && !g_str_equal(st, "l2tp")))
                return fail(error, group, key, _("the profile is not an L2TP VPN connection"));
            continue;
        }
        if (!ki) {
            nm_l2tp_import_note(notes, _("Ignored the unknown setting “%s” in [%s]."), key, group);
            continue;
        }
        if (secrets_group && !(ki->flags & NM_L2TP_KEY_FLAG_SECRET)) {
            nm_l2tp_import_note(notes, _("Ignored “%s” in [%s]: it is not a secret."), key, group);
            continue;
        }
        value = g_key_file_get_string(kf, group, key, &local);
        if (!value)
            return fail(error, group, key, local->message);
        /* Old profiles name ipsec-remote-id ipsec-gateway-id; the profile
         * gets the current name. */
        name = (ki->flags & NM_L2TP_KEY_FLAG_ALIAS) ? ki->alias_of : key;
        if (ki->type == NM_L2TP_KEY_TYPE_BOOL) {
            int b = nm_l2tp_import_parse_bool(value);

            if (b < 0)
                return fail(error, group, key, _("the value must be true or false"));
            g_free(value);
            value = g_strdup(b ? "yes" : "no");
        }
        if (name != key && g_key_file_has_key(kf, group, name, NULL)) {
            nm_l2tp_import_note(
                notes, _("Ignored the old setting “%s”: “%s” is set as well."), key, name);
            continue;
        }
        source = g_strdup_printf("[%s] %s", group, key);
        if (!nm_l2tp_import_set(connection, source, name, value, error))
            return FALSE;
    }
    return TRUE;
}

static char **
split_list(const char *value)
{
    g_auto(GStrv) parts = g_strsplit_set(value, ";,", -1);
    GPtrArray *out      = g_ptr_array_new();
    guint      i;

    for (i = 0; parts[i]; i++) {
        char *p = g_strstrip(parts[i]);

        if (*p)
            g_ptr_array_add(out, g_strdup(p));
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

static gboolean
parse_metric(const char *s, gint64 *out)
{
    guint64 v;

    if (!g_ascii_string_to_unsigned(s, 10, 0, G_MAXUINT32, &v, NULL))
        return FALSE;
    *out = (gint64)v;
    return TRUE;
}

/* One route, either "dest/prefix [via gw] [metric n]" (NetworkManager-l2tp)
 * or "dest/prefix[,gw[,metric]]" (NetworkManager keyfile). */
static gboolean
add_route(NMSettingIPConfig *s_ip, int family, const char *source, const char *spec, GError **error)
{
    g_auto(GStrv) tok     = NULL;
    g_autofree char *dest = NULL;
    const char      *gw   = NULL;
    const char      *slash;
    gint64           metric = -1;
    guint64          prefix;
    NMIPRoute       *route;
    g_autoptr(GError) local = NULL;
    guint n, i;

    if (strchr(spec, ','))
        tok = g_strsplit(spec, ",", -1);
    else
        tok = g_strsplit_set(spec, " \t", -1);
    /* Drop the empty tokens that runs of blanks leave. */
    for (i = n = 0; tok[i]; i++) {
        if (*g_strstrip(tok[i]))
            tok[n++] = tok[i];
        else
            g_free(tok[i]);
    }
    tok[n] = NULL;
    if (n == 0)
        goto bad;

    slash = strchr(tok[0], '/');
    if (!slash
        || !g_ascii_string_to_unsigned(
            slash + 1, 10, 0, family == AF_INET ? 32 : 128, &prefix, NULL))
        goto bad;
    dest = g_strndup(tok[0], slash - tok[0]);

    if (strchr(spec, ',')) {
        if (n > 3)
            goto bad;
        if (n >= 2 && *tok[1] && !g_str_equal(tok[1], "0.0.0.0") && !g_str_equal(tok[1], "::"))
            gw = tok[1];
        if (n == 3 && !parse_metric(tok[2], &metric))
            goto bad;
    } else {
        for (i = 1; i < n; i += 2) {
            if (!tok[i + 1])
                goto bad;
            if (g_str_equal(tok[i], "via") && !gw)
                gw = tok[i + 1];
            else if (g_str_equal(tok[i], "metric") && metric < 0) {
                if (!parse_metric(tok[i + 1], &metric))
                    goto bad;
            } else
                goto bad;
        }
    }
    route = nm_ip_route_new(family, dest, (guint)prefix, gw, metric, &local);
    if (!route) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("%s: invalid route “%s”: %s"),
                    source,
                    spec,
                    local->message);
        return FALSE;
    }
    nm_setting_ip_config_add_route(s_ip, route);
    nm_ip_route_unref(route);
    return TRUE;
bad:
    g_set_error(error,
                NM_L2TP_ERROR,
                NM_L2TP_ERROR_IMPORT,
                _("%s: “%s” is not a route (expected e.g. 10.0.0.0/8 via 10.0.0.1 metric 10)"),
                source,
                spec);
    return FALSE;
}

static gboolean
set_scalar(
    NMSettingIPConfig *s_ip, const char *group, const char *key, const char *value, GError **error)
{
    GParamSpec *pspec = g_object_class_find_property(G_OBJECT_GET_CLASS(s_ip), key);
    GValue      v     = G_VALUE_INIT;

    g_return_val_if_fail(pspec, FALSE);
    g_value_init(&v, pspec->value_type);
    if (pspec->value_type == G_TYPE_BOOLEAN) {
        int b = nm_l2tp_import_parse_bool(value);

        if (b < 0)
            return fail(error, group, key, _("the value must be true or false"));
        g_value_set_boolean(&v, b);
    } else if (pspec->value_type == G_TYPE_STRING) {
        const char *const methods4[] = {
            "auto", "manual", "link-local", "shared", "disabled", NULL
        };
        const char *const methods6[] = { "auto",   "dhcp",   "manual",   "link-local",
                                         "shared", "ignore", "disabled", NULL };

        if (!g_strv_contains(NM_IS_SETTING_IP4_CONFIG(s_ip) ? methods4 : methods6, value))
            return fail(error, group, key, _("unknown method"));
        g_value_set_string(&v, value);
    } else {
        gint64 n;

        if (!g_ascii_string_to_signed(value, 10, G_MININT32, G_MAXINT64, &n, NULL))
            return fail(error, group, key, _("the value is not a number"));
        if (pspec->value_type == G_TYPE_INT) {
            GParamSpecInt *ps = G_PARAM_SPEC_INT(pspec);

            if (n < ps->minimum || n > ps->maximum)
                return fail(error, group, key, _("the number is out of range"));
            g_value_set_int(&v, (int)n);
        } else if (pspec->value_type == G_TYPE_UINT) {
            if (n < 0 || n > G_MAXUINT32)
                return fail(error, group, key, _("the number is out of range"));
            g_value_set_uint(&v, (guint)n);
        } else if (pspec->value_type == G_TYPE_INT64) {
            GParamSpecInt64 *ps = G_PARAM_SPEC_INT64(pspec);

            if (n < ps->minimum || n > ps->maximum)
                return fail(error, group, key, _("the number is out of range"));
            g_value_set_int64(&v, n);
        } else {
            g_value_unset(&v);
            return fail(error, group, key, _("unsupported setting"));
        }
    }
    g_object_set_property(G_OBJECT(s_ip), key, &v);
    g_value_unset(&v);
    return TRUE;
}

static gboolean
import_ip_group(
    GKeyFile *kf, const char *group, NMSettingIPConfig *s_ip, GPtrArray *notes, GError **error)
{
    int family         = NM_IS_SETTING_IP4_CONFIG(s_ip) ? AF_INET : AF_INET6;
    g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
    guint i, j;

    for (i = 0; keys && keys[i]; i++) {
        const char      *key    = keys[i];
        g_autofree char *value  = g_key_file_get_string(kf, group, key, NULL);
        g_autofree char *source = g_strdup_printf("[%s] %s", group, key);
        g_auto(GStrv) list      = NULL;

        if (!value)
            return fail(error, group, key, _("the value is not valid text"));
        if (g_strv_contains(ip_scalar_keys, key)) {
            if (!set_scalar(s_ip, group, key, value, error))
                return FALSE;
            continue;
        }
        list = split_list(value);
        if (g_str_equal(key, NM_SETTING_IP_CONFIG_DNS)) {
            for (j = 0; list[j]; j++) {
                if (!nm_l2tp_import_add_dns(s_ip, source, list[j], error))
                    return FALSE;
            }
        } else if (g_str_equal(key, NM_SETTING_IP_CONFIG_DNS_SEARCH)) {
            for (j = 0; list[j]; j++) {
                if (!nm_l2tp_import_add_dns_search(s_ip, source, list[j], error))
                    return FALSE;
            }
        } else if (g_str_equal(key, NM_SETTING_IP_CONFIG_ROUTES)) {
            /* Routes are separated by ';' only: ',' is part of the
             * keyfile route syntax. */
            g_auto(GStrv) routes = g_strsplit(value, ";", -1);

            for (j = 0; routes[j]; j++) {
                if (*g_strstrip(routes[j]) && !add_route(s_ip, family, source, routes[j], error))
                    return FALSE;
            }
        } else if (g_str_has_prefix(key, "route") && g_ascii_isdigit(key[5])
                   && strspn(key + 5, "0123456789") == strlen(key + 5)) {
            if (!add_route(s_ip, family, source, value, error))
                return FALSE;
        } else {
            nm_l2tp_import_note(notes, _("Ignored the setting “%s” in [%s]."), key, group);
        }
    }
    return TRUE;
}

NMConnection *
nm_l2tp_import_conf(
    const guint8 *data, gsize len, const char *name_hint, GPtrArray *notes, GError **error)
{
    g_autoptr(NMConnection) connection = NULL;
    g_autoptr(GKeyFile) kf             = g_key_file_new();
    g_autofree char *text              = NULL;
    g_autofree char *id                = NULL;
    g_auto(GStrv) groups               = NULL;
    g_autoptr(GError) local            = NULL;
    guint i;

    text = nm_l2tp_import_decode_text(data, len, error);
    if (!text)
        return NULL;
    if (!check_duplicates(text, error))
        return NULL;
    if (!g_key_file_load_from_data(kf, text, -1, G_KEY_FILE_NONE, &local)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("not a valid NetworkManager-l2tp profile: %s"),
                    local->message);
        return NULL;
    }
    if (!g_key_file_has_group(kf, "vpn")) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("not a valid NetworkManager-l2tp profile: it has no [vpn] section"));
        return NULL;
    }

    if (g_key_file_has_key(kf, "connection", "type", NULL)) {
        g_autofree char *type = g_key_file_get_string(kf, "connection", "type", NULL);

        if (!type || !g_str_equal(type, NM_SETTING_VPN_SETTING_NAME)) {
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_IMPORT,
                        _("[connection] type: the profile is not a VPN connection"));
            return NULL;
        }
    }
    id = g_key_file_get_string(kf, "connection", "id", NULL);
    if (!id)
        id = g_key_file_get_string(kf, "connection", "name", NULL);
    connection = nm_l2tp_import_connection_new(id, name_hint, error);
    if (!connection)
        return NULL;

    if (!import_vpn_group(kf, "vpn", FALSE, connection, notes, error))
        return NULL;
    if (g_key_file_has_group(kf, "vpn-secrets")
        && !import_vpn_group(kf, "vpn-secrets", TRUE, connection, notes, error))
        return NULL;

    groups = g_key_file_get_groups(kf, NULL);
    for (i = 0; groups[i]; i++) {
        const char        *g = groups[i];
        NMSettingIPConfig *s_ip;

        if (g_str_equal(g, "connection")) {
            g_auto(GStrv) keys = g_key_file_get_keys(kf, g, NULL, NULL);
            guint k;

            for (k = 0; keys && keys[k]; k++) {
                const char *const known[] = { "id", "name", "uuid", "type", "timestamp", NULL };

                if (!g_strv_contains(known, keys[k]))
                    nm_l2tp_import_note(notes, _("Ignored the setting “%s” in [%s]."), keys[k], g);
            }
        } else if (g_str_equal(g, "vpn") || g_str_equal(g, "vpn-secrets")) {
            /* done above */
        } else if (g_str_equal(g, "ipv4") || g_str_equal(g, "ip4")) {
            if (g_str_equal(g, "ip4") && g_key_file_has_group(kf, "ipv4")) {
                nm_l2tp_import_note(notes, _("Ignored the old section [ip4]: [ipv4] is present."));
                continue;
            }
            s_ip = nm_connection_get_setting_ip4_config(connection);
            if (!import_ip_group(kf, g, s_ip, notes, error))
                return NULL;
        } else if (g_str_equal(g, "ipv6") || g_str_equal(g, "ip6")) {
            if (g_str_equal(g, "ip6") && g_key_file_has_group(kf, "ipv6")) {
                nm_l2tp_import_note(notes, _("Ignored the old section [ip6]: [ipv6] is present."));
                continue;
            }
            s_ip = NM_SETTING_IP_CONFIG(nm_setting_ip6_config_new());
            g_object_set(
                s_ip, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP6_CONFIG_METHOD_AUTO, NULL);
            nm_connection_add_setting(connection, NM_SETTING(s_ip));
            if (!import_ip_group(kf, g, s_ip, notes, error))
                return NULL;
        } else if (!g_str_equal(g, "proxy")) {
            nm_l2tp_import_note(notes, _("Ignored the section [%s]."), g);
        }
    }

    if (!nm_l2tp_import_finish(connection, error))
        return NULL;
    return g_steal_pointer(&connection);
}
