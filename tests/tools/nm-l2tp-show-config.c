/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prints what the service would hand to charon, xl2tpd and pppd for a
 * connection stored as a NetworkManager keyfile: the developer's and the
 * administrator's view of the writers.  Secrets are validated but never
 * printed.
 * Usage: nm-l2tp-show-config FILE.nmconnection [GATEWAY-ADDRESS] */

#include "config.h"

#include "nm-l2tp-settings.h"
#include "nm-l2tp-writers.h"

static GHashTable *
read_group(GKeyFile *kf, const char *group, const char *skip)
{
    GHashTable *h      = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
    guint i;

    for (i = 0; keys && keys[i]; i++) {
        if (skip && g_str_equal(keys[i], skip))
            continue;
        g_hash_table_insert(h, g_strdup(keys[i]), g_key_file_get_string(kf, group, keys[i], NULL));
    }
    return h;
}

int
main(int argc, char **argv)
{
    g_autoptr(GKeyFile) kf        = g_key_file_new();
    g_autoptr(GError) error       = NULL;
    g_autoptr(GHashTable) data    = NULL;
    g_autoptr(GHashTable) secrets = NULL;
    g_autoptr(NML2tpSettings) s   = NULL;
    g_autoptr(GVariant) tree      = NULL;
    g_autofree char   *uuid       = NULL;
    g_autofree char   *run_dir    = NULL;
    g_autofree char   *swanctl    = NULL;
    g_autofree char   *xl2tpd     = NULL;
    g_autofree char   *pppd       = NULL;
    NML2tpWriterParams params;

    if (argc < 2 || argc > 3) {
        g_printerr("usage: %s FILE.nmconnection [GATEWAY-ADDRESS]\n", argv[0]);
        return 2;
    }
    if (!g_key_file_load_from_file(kf, argv[1], G_KEY_FILE_NONE, &error)) {
        g_printerr("%s: %s\n", argv[1], error->message);
        return 1;
    }
    uuid    = g_key_file_get_string(kf, "connection", "uuid", NULL);
    data    = read_group(kf, "vpn", "service-type");
    secrets = read_group(kf, "vpn-secrets", NULL);
    s       = nm_l2tp_settings_new_from_hash(data, secrets, NM_L2TP_VALIDATE_FOR_CONNECT, &error);
    if (!s) {
        g_printerr("%s: %s\n", argv[1], error->message);
        return 1;
    }
    run_dir = g_strdup_printf("%s/%s", NM_L2TP_RUNDIR, uuid ? uuid : "unknown");
    params  = (NML2tpWriterParams){
         .uuid            = uuid ? uuid : "unknown",
         .gateway_address = argc > 2 ? argv[2] : s->gateway,
         .local_port      = 1701,
         .run_dir         = run_dir,
         .ppp_plugin      = NM_L2TP_PPPD_PLUGIN_DIR "/nm-l2tp-pppd-plugin.so",
         .bus_name        = "org.freedesktop.NetworkManager.l2tp",
    };
    tree    = nm_l2tp_swanctl_conn_build(s, &params);
    swanctl = nm_l2tp_swanctl_tree_to_conf(tree);
    xl2tpd  = nm_l2tp_xl2tpd_conf_build(s, &params);
    pppd    = nm_l2tp_pppd_options_build(s, &params);
    g_print("==> strongSwan connection (sent to charon over VICI; the PSK goes separately)\n%s\n",
            swanctl);
    g_print("==> %s/xl2tpd.conf\n%s\n", run_dir, xl2tpd);
    g_print("==> %s/pppd-options (the password goes to pppd over D-Bus)\n%s", run_dir, pppd);
    return 0;
}
