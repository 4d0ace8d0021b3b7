/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Runs one DHCPINFORM exchange (nm-plugin/nm-l2tp-dhcp-inform.c) on the
 * main loop and prints what came back, for tests/netns/run-dhcp-tests:
 *
 *   nm-l2tp-dhcp-probe [--timeout MS] [--cancel-after MS] [--server ADDR]
 *                      [--classful] [--never-default] IFACE ADDRESS
 *
 * Output, one item a line: elapsed-ms=N, then either result=ok with
 * option=121|249|0, route=NET/PREFIX via GW, domain=NAME, dns=ADDR,
 * bad=CODE and nm-route=NET/PREFIX (what NetworkManager's IPv4 config
 * would get), or result=error with error=timed-out|cancelled|other and
 * message=TEXT.  Exit status 0 either way; 2 for bad arguments. */

#include "config.h"

#include <arpa/inet.h>
#include <NetworkManager.h>
#include <stdio.h>
#include <stdlib.h>

#include "nm-l2tp-dhcp-inform.h"
#include "nm-l2tp-ip-config.h"

static GMainLoop        *loop;
static NML2tpDhcpResult *result;
static GError           *error;

static void
done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
    result = nm_l2tp_dhcp_inform_finish(res, &error);
    g_main_loop_quit(loop);
}

static gboolean
cancel_cb(gpointer user_data)
{
    g_cancellable_cancel(user_data);
    return G_SOURCE_REMOVE;
}

static const char *
ip4(guint32 a)
{
    static char buf[4][INET_ADDRSTRLEN];
    static int  n;

    n = (n + 1) % 4;
    inet_ntop(AF_INET, &a, buf[n], sizeof(buf[n]));
    return buf[n];
}

static void
print_nm_routes(guint32 address, gboolean classful, gboolean never_default)
{
    GVariantBuilder b;
    g_autoptr(GVariant) ipcp    = NULL;
    g_autoptr(GVariant) merged  = NULL;
    g_autoptr(GVariant) routes  = NULL;
    g_autoptr(GVariant) domains = NULL;
    GVariantIter iter;
    GVariant    *r;

    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(
        &b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_ADDRESS, g_variant_new_uint32(address));
    ipcp   = g_variant_ref_sink(g_variant_builder_end(&b));
    merged = nm_l2tp_ip4_config_merge_dhcp(ipcp, result, classful, never_default);
    routes = g_variant_lookup_value(merged, NM_VPN_PLUGIN_IP4_CONFIG_ROUTES, G_VARIANT_TYPE("aau"));
    if (routes) {
        g_variant_iter_init(&iter, routes);
        while ((r = g_variant_iter_next_value(&iter))) {
            gsize          n;
            const guint32 *v = g_variant_get_fixed_array(r, &n, sizeof(guint32));

            if (n >= 2)
                printf("nm-route=%s/%u\n", ip4(v[0]), v[1]);
            g_variant_unref(r);
        }
    }
    domains = g_variant_lookup_value(
        merged, NM_VPN_PLUGIN_IP4_CONFIG_DOMAINS, G_VARIANT_TYPE_STRING_ARRAY);
    if (domains) {
        g_autofree const char **v = g_variant_get_strv(domains, NULL);

        for (guint i = 0; v[i]; i++)
            printf("nm-domain=%s\n", v[i]);
    }
}

int
main(int argc, char **argv)
{
    gint         timeout_ms = 0, cancel_after = -1;
    char        *server_str = NULL;
    gboolean     classful = FALSE, never_default = FALSE;
    GOptionEntry entries[] = {
        { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_ms, "Bound in ms", "MS" },
        { "cancel-after", 0, 0, G_OPTION_ARG_INT, &cancel_after, "Cancel after MS", "MS" },
        { "server", 0, 0, G_OPTION_ARG_STRING, &server_str, "Unicast to ADDR", "ADDR" },
        { "classful", 0, 0, G_OPTION_ARG_NONE, &classful, "classful-route=yes", NULL },
        { "never-default", 0, 0, G_OPTION_ARG_NONE, &never_default, "ipv4.never-default", NULL },
        { NULL },
    };
    g_autoptr(GOptionContext) ctx       = g_option_context_new("IFACE ADDRESS");
    g_autoptr(GCancellable) cancellable = g_cancellable_new();
    g_autoptr(GError) opt_error         = NULL;
    struct in_addr address, server = { 0 };
    gint64         start;
    guint          i;

    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, &opt_error) || argc != 3
        || inet_pton(AF_INET, argv[2], &address) != 1
        || (server_str && inet_pton(AF_INET, server_str, &server) != 1)) {
        fprintf(stderr, "usage: %s [options] IFACE ADDRESS\n", g_get_prgname());
        return 2;
    }

    loop  = g_main_loop_new(NULL, FALSE);
    start = g_get_monotonic_time();
    if (cancel_after >= 0)
        g_timeout_add(cancel_after, cancel_cb, cancellable);
    nm_l2tp_dhcp_inform_async(argv[1],
                              address.s_addr,
                              server.s_addr,
                              "3f1b7c52-8d0e-4a6b-9c1d-2e5f6a7b8c9d",
                              timeout_ms,
                              cancellable,
                              done_cb,
                              NULL);
    g_main_loop_run(loop);
    printf("elapsed-ms=%" G_GINT64_FORMAT "\n", (g_get_monotonic_time() - start) / 1000);

    if (!result) {
        printf("result=error\nerror=%s\nmessage=%s\n",
               g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ? "timed-out" :
               g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? "cancelled" :
                                                                          "other",
               error->message);
        g_clear_error(&error);
        if (never_default)
            print_nm_routes(address.s_addr, classful, never_default);
        return 0;
    }
    printf("result=ok\noption=%u\n", result->routes_option);
    if (result->server_id)
        printf("server-id=%s\n", ip4(result->server_id));
    for (i = 0; i < result->routes->len; i++) {
        const NML2tpDhcpRoute *r = &g_array_index(result->routes, NML2tpDhcpRoute, i);

        printf("route=%s/%u via %s\n", ip4(r->network), r->prefix, ip4(r->gateway));
    }
    for (i = 0; i < result->domains->len; i++)
        printf("domain=%s\n", (char *)result->domains->pdata[i]);
    for (i = 0; i < result->dns->len; i++)
        printf("dns=%s\n", ip4(g_array_index(result->dns, guint32, i)));
    {
        g_autofree char *summary = nm_l2tp_dhcp_result_to_string(result);

        printf("summary=%s\n", summary);
    }
    if (result->bad & NM_L2TP_DHCP_BAD_CLASSLESS_ROUTES)
        printf("bad=121\n");
    if (result->bad & NM_L2TP_DHCP_BAD_MS_ROUTES)
        printf("bad=249\n");
    if (result->bad & NM_L2TP_DHCP_BAD_DOMAIN_NAME)
        printf("bad=15\n");
    if (result->bad & NM_L2TP_DHCP_BAD_DOMAIN_SEARCH)
        printf("bad=119\n");
    print_nm_routes(address.s_addr, classful, never_default);
    nm_l2tp_dhcp_result_free(result);
    return 0;
}
