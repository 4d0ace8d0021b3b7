/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Export in NetworkManager-l2tp's .conf format (see nm-l2tp-import-conf.c),
 * so that a profile can move to a machine with either plugin.  Booleans are
 * written as true/false and routes as "dest/prefix via gw metric n", as
 * NetworkManager-l2tp writes them.  Secrets are not exported: the file is
 * meant to be shared; their -flags are, so the importer knows to ask. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-import-private.h"
#include "nm-l2tp-settings.h"

/* NetworkManager-l2tp up to at least 1.20.8 (Debian 12) reads the IP
 * settings only from [ip4] and refuses a file without [ip4] method=; its
 * keyfile-style [ipv4] is read by our importer but not by it.  So the
 * export writes the old names, which both plugins import. */
#define EXPORT_IP4_GROUP "ip4"
#define EXPORT_IP6_GROUP "ip6"

typedef struct {
    GKeyFile     *kf;
    NMSettingVpn *s_vpn;
} ExportCtx;

static void
export_item(const char *key, const char *value, gpointer user_data)
{
    ExportCtx           *ctx  = user_data;
    const NML2tpKeyInfo *ki   = nm_l2tp_key_lookup(key);
    const char          *name = key;

    /* Old profiles kept secrets in vpn.data; the file is meant to be
     * shared, and its header promises they are not in it. */
    if (ki && (ki->flags & NM_L2TP_KEY_FLAG_SECRET))
        return;
    if (ki && (ki->flags & NM_L2TP_KEY_FLAG_ALIAS)) {
        /* Written under the current name, unless that is set too. */
        if (nm_setting_vpn_get_data_item(ctx->s_vpn, ki->alias_of))
            return;
        name = ki->alias_of;
    }
    if (ki && ki->type == NM_L2TP_KEY_TYPE_BOOL)
        g_key_file_set_string(ctx->kf, "vpn", name, g_str_equal(value, "yes") ? "true" : "false");
    else
        g_key_file_set_string(ctx->kf, "vpn", name, value);
}

static void
export_ip(GKeyFile *kf, const char *group, NMSettingIPConfig *s_ip)
{
    guint n, i;

    g_key_file_set_string(
        kf, group, NM_SETTING_IP_CONFIG_METHOD, nm_setting_ip_config_get_method(s_ip));

    n = nm_setting_ip_config_get_num_dns(s_ip);
    if (n) {
        g_autofree const char **list = g_new0(const char *, n + 1);

        for (i = 0; i < n; i++)
            list[i] = nm_setting_ip_config_get_dns(s_ip, i);
        g_key_file_set_string_list(kf, group, NM_SETTING_IP_CONFIG_DNS, list, n);
    }
    n = nm_setting_ip_config_get_num_dns_searches(s_ip);
    if (n) {
        g_autofree const char **list = g_new0(const char *, n + 1);

        for (i = 0; i < n; i++)
            list[i] = nm_setting_ip_config_get_dns_search(s_ip, i);
        g_key_file_set_string_list(kf, group, NM_SETTING_IP_CONFIG_DNS_SEARCH, list, n);
    }
    n = nm_setting_ip_config_get_num_routes(s_ip);
    if (n) {
        g_auto(GStrv) list = g_new0(char *, n + 1);

        for (i = 0; i < n; i++) {
            NMIPRoute *r = nm_setting_ip_config_get_route(s_ip, i);
            GString   *s = g_string_new(NULL);

            g_string_append_printf(s, "%s/%u", nm_ip_route_get_dest(r), nm_ip_route_get_prefix(r));
            if (nm_ip_route_get_next_hop(r))
                g_string_append_printf(s, " via %s", nm_ip_route_get_next_hop(r));
            if (nm_ip_route_get_metric(r) >= 0)
                g_string_append_printf(s, " metric %" G_GINT64_FORMAT, nm_ip_route_get_metric(r));
            list[i] = g_string_free(s, FALSE);
        }
        g_key_file_set_string_list(
            kf, group, NM_SETTING_IP_CONFIG_ROUTES, (const char *const *)list, n);
    }
    /* Defaults are left out; the importer leaves absent keys at their
     * defaults, which keeps the round trip exact. */
    if (nm_setting_ip_config_get_ignore_auto_routes(s_ip))
        g_key_file_set_boolean(kf, group, NM_SETTING_IP_CONFIG_IGNORE_AUTO_ROUTES, TRUE);
    if (nm_setting_ip_config_get_ignore_auto_dns(s_ip))
        g_key_file_set_boolean(kf, group, NM_SETTING_IP_CONFIG_IGNORE_AUTO_DNS, TRUE);
    if (!nm_setting_ip_config_get_dhcp_send_hostname(s_ip))
        g_key_file_set_boolean(kf, group, NM_SETTING_IP_CONFIG_DHCP_SEND_HOSTNAME, FALSE);
    if (nm_setting_ip_config_get_never_default(s_ip))
        g_key_file_set_boolean(kf, group, NM_SETTING_IP_CONFIG_NEVER_DEFAULT, TRUE);
    if (!nm_setting_ip_config_get_may_fail(s_ip))
        g_key_file_set_boolean(kf, group, NM_SETTING_IP_CONFIG_MAY_FAIL, FALSE);
    if (nm_setting_ip_config_get_route_metric(s_ip) != -1)
        g_key_file_set_int64(kf,
                             group,
                             NM_SETTING_IP_CONFIG_ROUTE_METRIC,
                             nm_setting_ip_config_get_route_metric(s_ip));
    if (nm_setting_ip_config_get_route_table(s_ip) != 0)
        g_key_file_set_uint64(kf,
                              group,
                              NM_SETTING_IP_CONFIG_ROUTE_TABLE,
                              nm_setting_ip_config_get_route_table(s_ip));
    if (nm_setting_ip_config_get_dns_priority(s_ip) != 0)
        g_key_file_set_integer(kf,
                               group,
                               NM_SETTING_IP_CONFIG_DNS_PRIORITY,
                               nm_setting_ip_config_get_dns_priority(s_ip));
}

char *
nm_l2tp_export_to_data(NMConnection *connection, gsize *out_len, GError **error)
{
    NMSettingConnection *s_con         = nm_connection_get_setting_connection(connection);
    NMSettingVpn        *s_vpn         = nm_connection_get_setting_vpn(connection);
    g_autoptr(GKeyFile) kf             = g_key_file_new();
    g_autoptr(NML2tpSettings) settings = NULL;
    g_autoptr(GError) local            = NULL;
    NMSettingIPConfig *s_ip;
    ExportCtx          ctx;

    if (!s_con || !s_vpn
        || g_strcmp0(nm_setting_vpn_get_service_type(s_vpn), NM_L2TP_VPN_SERVICE) != 0) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    _("the connection is not an L2TP VPN connection"));
        return NULL;
    }
    /* An invalid profile is not passed on to another machine. */
    settings = nm_l2tp_settings_new_from_vpn(s_vpn, NM_L2TP_VALIDATE_NONE, &local);
    if (!settings) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_INVALID_VALUE,
                    _("cannot export an invalid profile: %s"),
                    local->message);
        return NULL;
    }
    g_key_file_set_comment(
        kf,
        NULL,
        NULL,
        " L2TP/IPsec VPN profile for NetworkManager (NetworkManager-l2tp format).\n"
        " Passwords and the pre-shared key are not included.",
        NULL);
    g_key_file_set_string(kf, "connection", "id", nm_setting_connection_get_id(s_con));
    g_key_file_set_string(kf, "vpn", NM_SETTING_VPN_SERVICE_TYPE, NM_L2TP_VPN_SERVICE);
    ctx.kf    = kf;
    ctx.s_vpn = s_vpn;
    /* foreach visits the items sorted by key: stable, diffable output. */
    nm_setting_vpn_foreach_data_item(s_vpn, export_item, &ctx);

    if ((s_ip = nm_connection_get_setting_ip4_config(connection)))
        export_ip(kf, EXPORT_IP4_GROUP, s_ip);
    if ((s_ip = nm_connection_get_setting_ip6_config(connection)))
        export_ip(kf, EXPORT_IP6_GROUP, s_ip);
    return g_key_file_to_data(kf, out_len, error);
}

gboolean
nm_l2tp_export_to_file(NMConnection *connection, const char *path, GError **error)
{
    g_autofree char *data   = NULL;
    g_autoptr(GError) local = NULL;
    gsize len;

    data = nm_l2tp_export_to_data(connection, &len, error);
    if (!data)
        return FALSE;
    if (!g_file_set_contents_full(path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    _("cannot write “%s”: %s"),
                    path,
                    local->message);
        return FALSE;
    }
    return TRUE;
}

char *
nm_l2tp_export_suggested_filename(NMConnection *connection)
{
    NMSettingConnection *s_con = nm_connection_get_setting_connection(connection);
    const char          *id    = s_con ? nm_setting_connection_get_id(s_con) : NULL;
    g_autofree char     *safe  = g_strdup(id && *id ? id : "l2tp");

    /* A connection name may contain '/', which a file name cannot. */
    g_strdelimit(safe, "/\\", '_');
    return g_strdup_printf("%s (l2tp).conf", safe);
}
