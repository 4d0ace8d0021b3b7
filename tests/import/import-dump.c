/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prints an imported connection (or the import error) as sorted
 * "setting.property=value" lines: the form of the .expected files beside
 * the fixtures.  Every property that differs from its default appears
 * (NetworkManager's own D-Bus serialization decides which those are), with
 * vpn.data and vpn.secrets expanded one item per line and the IP
 * settings' DNS servers and routes in their text form; then the import
 * notes.  Values are escaped C-style so that every line stays one line. */

#include "config.h"

#include <string.h>

#include "import-dump.h"
#include "nm-l2tp-error.h"
#include "nm-l2tp-import.h"

static int
cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Control characters and backslashes escaped, UTF-8 text kept readable. */
static char *
escape(const char *value)
{
    GString    *s = g_string_new(NULL);
    const char *p;

    for (p = value; *p; p++) {
        guchar c = (guchar)*p;

        if (c == '\\')
            g_string_append(s, "\\\\");
        else if (c < 0x20 || c == 0x7f)
            g_string_append_printf(s, "\\x%02x", c);
        else
            g_string_append_c(s, *p);
    }
    return g_string_free(s, FALSE);
}

static void
add_line(GPtrArray *lines, const char *setting, const char *prop, const char *value)
{
    g_autofree char *esc = escape(value);

    g_ptr_array_add(lines, g_strdup_printf("%s.%s=%s", setting, prop, esc));
}

static void
dump_ip(GPtrArray *lines, const char *name, NMSettingIPConfig *s_ip)
{
    guint i;

    for (i = 0; i < nm_setting_ip_config_get_num_dns(s_ip); i++) {
        g_autofree char *p = g_strdup_printf("dns[%u]", i);

        add_line(lines, name, p, nm_setting_ip_config_get_dns(s_ip, i));
    }
    for (i = 0; i < nm_setting_ip_config_get_num_routes(s_ip); i++) {
        NMIPRoute       *r = nm_setting_ip_config_get_route(s_ip, i);
        g_autofree char *p = g_strdup_printf("routes[%u]", i);
        g_autofree char *v =
            g_strdup_printf("%s/%u via %s metric %" G_GINT64_FORMAT,
                            nm_ip_route_get_dest(r),
                            nm_ip_route_get_prefix(r),
                            nm_ip_route_get_next_hop(r) ? nm_ip_route_get_next_hop(r) : "-",
                            nm_ip_route_get_metric(r));

        add_line(lines, name, p, v);
    }
}

char *
nm_l2tp_test_dump_connection(NMConnection *connection)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GVariant) dict   = nm_connection_to_dbus(connection, NM_CONNECTION_SERIALIZE_ALL);
    const char *const *notes   = nm_l2tp_import_get_notes(connection);
    GVariantIter       iter;
    const char        *sname;
    GVariant          *sdict;
    GString           *out;
    guint              i;

    g_variant_iter_init(&iter, dict);
    while (g_variant_iter_next(&iter, "{&s@a{sv}}", &sname, &sdict)) {
        GVariantIter piter;
        const char  *pname;
        GVariant    *val;

        g_variant_iter_init(&piter, sdict);
        while (g_variant_iter_next(&piter, "{&sv}", &pname, &val)) {
            gboolean is_ip = g_str_equal(sname, "ipv4") || g_str_equal(sname, "ipv6");

            if (g_str_equal(sname, "vpn")
                && (g_str_equal(pname, "data") || g_str_equal(pname, "secrets"))) {
                GVariantIter diter;
                const char  *k, *v;

                g_variant_iter_init(&diter, val);
                while (g_variant_iter_next(&diter, "{&s&s}", &k, &v)) {
                    g_autofree char *p = g_strdup_printf("%s.%s", pname, k);

                    add_line(lines, sname, p, v);
                }
            } else if (is_ip
                       && (g_str_equal(pname, "dns") || g_str_equal(pname, "routes")
                           || g_str_equal(pname, "route-data") || g_str_equal(pname, "addresses")
                           || g_str_equal(pname, "address-data")
                           || g_str_equal(pname, "dns-data"))) {
                /* printed in text form by dump_ip() */
            } else if (g_variant_is_of_type(val, G_VARIANT_TYPE_STRING)) {
                add_line(lines, sname, pname, g_variant_get_string(val, NULL));
            } else {
                g_autofree char *v = g_variant_print(val, FALSE);

                add_line(lines, sname, pname, v);
            }
            g_variant_unref(val);
        }
        g_variant_unref(sdict);
    }
    if (nm_connection_get_setting_ip4_config(connection))
        dump_ip(lines, "ipv4", nm_connection_get_setting_ip4_config(connection));
    if (nm_connection_get_setting_ip6_config(connection))
        dump_ip(lines, "ipv6", nm_connection_get_setting_ip6_config(connection));
    g_ptr_array_sort(lines, cmp_str);

    out = g_string_new(NULL);
    for (i = 0; i < lines->len; i++)
        g_string_append_printf(out, "%s\n", (const char *)lines->pdata[i]);
    for (i = 0; notes && notes[i]; i++) {
        g_autofree char *esc = escape(notes[i]);

        g_string_append_printf(out, "note: %s\n", esc);
    }
    return g_string_free(out, FALSE);
}

char *
nm_l2tp_test_dump_error(const GError *error)
{
    g_autofree char *esc = escape(error->message);

    return g_strdup_printf("error: %s %d: %s\n",
                           error->domain == NM_L2TP_ERROR ? "nm-l2tp-error" :
                                                            g_quark_to_string(error->domain),
                           error->code,
                           esc);
}
