/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A certificate named by a path that is not canonical ("/etc//ssl/ca.pem",
 * "/etc/x/../ssl/ca.pem") is the same certificate as under its canonical
 * path: the settings carry the canonical path, and the IPsec code, which
 * finds a file's bytes by the path GFile read it from, hands charon those
 * bytes and not an empty blob. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "nm-l2tp-ipsec-tree.h"
#include "nm-l2tp-writers.h"

static char *dir;

static NML2tpSettings *
cert_settings(const char *ca, const char *cert)
{
    g_autoptr(GHashTable) data = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GError) error    = NULL;
    NML2tpSettings *s;

    g_hash_table_insert(data, "gateway", "192.0.2.1");
    g_hash_table_insert(data, "ipsec-enabled", "yes");
    g_hash_table_insert(data, "machine-auth-type", "tls");
    g_hash_table_insert(data, "machine-ca", (gpointer)ca);
    g_hash_table_insert(data, "machine-cert", (gpointer)cert);
    g_hash_table_insert(data, "machine-key", "/etc/l2tp/client.key");
    s = nm_l2tp_settings_new_from_hash(data, NULL, NM_L2TP_VALIDATE_FOR_CONNECT, &error);
    g_assert_no_error(error);
    return s;
}

static void
test_settings_canonical(void)
{
    static const char *const variants[] = {
        "/etc//ssl/ca.pem",
        "/etc/x/../ssl/ca.pem",
        "/etc/./ssl/ca.pem",
        "//etc/ssl//ca.pem",
    };

    for (guint i = 0; i < G_N_ELEMENTS(variants); i++) {
        g_autoptr(NML2tpSettings) s = cert_settings(variants[i], "/etc/ssl/./client.pem");

        g_assert_cmpstr(s->machine_ca, ==, "/etc/ssl/ca.pem");
        g_assert_cmpstr(s->machine_cert, ==, "/etc/ssl/client.pem");
    }
}

/* Reads the tree's files the way nm-l2tp-ipsec.c does: GFile, keyed by
 * g_file_get_path(). */
static GHashTable *
read_like_ipsec(GVariant *tree)
{
    GHashTable *data =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
    g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);

    nm_l2tp_ipsec_tree_collect_cert_paths(tree, paths);
    for (guint i = 0; i < paths->len; i++) {
        g_autoptr(GFile) file = g_file_new_for_path(paths->pdata[i]);
        char *contents        = NULL;
        gsize len             = 0;

        if (g_file_load_contents(file, NULL, &contents, &len, NULL, NULL))
            g_hash_table_insert(data, g_file_get_path(file), g_bytes_new_take(contents, len));
    }
    return data;
}

static GBytes *
blob_of(GVariant *tree, const char *side, const char *list)
{
    g_autoptr(GVariant) conn =
        g_variant_lookup_value(tree, "3f1b7c52-8d0e-4a6b-9c1d-2e5f6a7b8c9d", NULL);
    g_autoptr(GVariant) auth  = g_variant_lookup_value(conn, side, NULL);
    g_autoptr(GVariant) blobs = g_variant_lookup_value(auth, list, NULL);
    g_autoptr(GVariant) first = NULL;

    g_assert_nonnull(blobs);
    g_assert_cmpuint(g_variant_n_children(blobs), ==, 1);
    first = g_variant_get_child_value(blobs, 0);
    return g_variant_get_data_as_bytes(first);
}

static void
assert_loads_same(const char *ca, const char *cert, gboolean via_settings)
{
    g_autofree char *ca_path   = g_build_filename(dir, "ssl", "ca.pem", NULL);
    g_autofree char *cert_path = g_build_filename(dir, "ssl", "client.pem", NULL);
    g_autoptr(NML2tpSettings) s =
        via_settings ? cert_settings(ca, cert) : cert_settings(ca_path, cert_path);
    NML2tpWriterParams p = {
        .uuid            = "3f1b7c52-8d0e-4a6b-9c1d-2e5f6a7b8c9d",
        .gateway_address = "192.0.2.1",
        .local_port      = 1701,
        .run_dir         = "/run/nm-l2tp/test",
    };
    g_autoptr(GVariant) tree   = NULL;
    g_autoptr(GHashTable) data = NULL;
    g_autoptr(GVariant) loaded = NULL;
    g_autoptr(GBytes) ca_blob  = NULL;
    g_autoptr(GBytes) crt_blob = NULL;

    if (!via_settings) {
        /* A tree whose paths did not come through the settings. */
        g_free(s->machine_ca);
        s->machine_ca = g_strdup(ca);
        g_free(s->machine_cert);
        s->machine_cert = g_strdup(cert);
    }
    tree     = nm_l2tp_swanctl_conn_build(s, &p);
    data     = read_like_ipsec(tree);
    loaded   = g_variant_ref_sink(nm_l2tp_ipsec_tree_with_cert_data(tree, data));
    ca_blob  = blob_of(loaded, "remote", "cacerts");
    crt_blob = blob_of(loaded, "local", "certs");
    g_assert_cmpmem(g_bytes_get_data(ca_blob, NULL), g_bytes_get_size(ca_blob), "CA\n", 3);
    g_assert_cmpmem(g_bytes_get_data(crt_blob, NULL), g_bytes_get_size(crt_blob), "CLIENT\n", 7);
}

static void
test_same_certificate(void)
{
    g_autofree char *ssl  = g_build_filename(dir, "ssl", NULL);
    g_autofree char *x    = g_build_filename(dir, "x", NULL);
    g_autofree char *ca   = g_build_filename(ssl, "ca.pem", NULL);
    g_autofree char *cert = g_build_filename(ssl, "client.pem", NULL);
    g_autofree char *ca2  = g_strdup_printf("%s//ssl/ca.pem", dir);
    g_autofree char *crt2 = g_strdup_printf("%s/x/../ssl/./client.pem", dir);
    g_autofree char *crt3 = g_strdup_printf("%s/no-such-dir/../ssl/client.pem", dir);

    g_assert_cmpint(g_mkdir(ssl, 0755), ==, 0);
    g_assert_cmpint(g_mkdir(x, 0755), ==, 0);
    g_assert_true(g_file_set_contents(ca, "CA\n", -1, NULL));
    g_assert_true(g_file_set_contents(cert, "CLIENT\n", -1, NULL));

    assert_loads_same(ca, cert, TRUE);
    assert_loads_same(ca2, crt2, TRUE);
    assert_loads_same(ca2, crt3, TRUE);
    assert_loads_same(ca2, crt2, FALSE);

    g_unlink(ca);
    g_unlink(cert);
    g_rmdir(ssl);
    g_rmdir(x);
}

int
main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    dir = g_dir_make_tmp("nm-l2tp-cert-paths-XXXXXX", NULL);
    g_test_add_func("/cert-paths/settings-canonical", test_settings_canonical);
    g_test_add_func("/cert-paths/same-certificate", test_same_certificate);
    ret = g_test_run();
    g_rmdir(dir);
    g_free(dir);
    return ret;
}
