/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "test-util.h"

static GHashTable *
group_to_hash(GKeyFile *kf, const char *group)
{
    GHashTable *h      = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
    guint i;

    for (i = 0; keys && keys[i]; i++)
        g_hash_table_insert(h, g_strdup(keys[i]), g_key_file_get_string(kf, group, keys[i], NULL));
    return h;
}

NML2tpTestConnection *
nm_l2tp_test_connection_load(const char *path, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    NML2tpTestConnection *c;
    g_autoptr(GError) local = NULL;
    gint port;

    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, error))
        return NULL;
    c                  = g_new0(NML2tpTestConnection, 1);
    c->data            = group_to_hash(kf, "vpn");
    c->secrets         = group_to_hash(kf, "secrets");
    c->gateway_address = g_key_file_get_string(kf, "params", "gateway-address", NULL);
    if (!c->gateway_address)
        c->gateway_address = g_strdup("192.0.2.1");
    port          = g_key_file_get_integer(kf, "params", "local-port", &local);
    c->local_port = local ? 1701 : (guint)port;
    return c;
}

void
nm_l2tp_test_connection_free(NML2tpTestConnection *c)
{
    if (!c)
        return;
    g_hash_table_unref(c->data);
    g_hash_table_unref(c->secrets);
    g_free(c->gateway_address);
    g_free(c);
}

void
nm_l2tp_test_writer_params(NML2tpWriterParams *p, const NML2tpTestConnection *c)
{
    *p = (NML2tpWriterParams){
        .uuid            = NM_L2TP_TEST_UUID,
        .gateway_address = c->gateway_address,
        .local_port      = c->local_port,
        .run_dir         = "/run/nm-l2tp/" NM_L2TP_TEST_UUID,
        .ppp_plugin      = "/usr/lib/pppd/2.4.9/nm-l2tp-pppd-plugin.so",
        .bus_name        = "org.freedesktop.NetworkManager.l2tp.Connection_1",
    };
}

char *
nm_l2tp_test_srcdir_path(const char *relative)
{
    const char *top = g_getenv("NM_L2TP_SRCDIR");

    g_assert_nonnull(top);
    return g_build_filename(top, relative, NULL);
}
