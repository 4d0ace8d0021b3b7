/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Golden-file tests of the three writers.  Each folder under golden/ holds
 * an input connection and the swanctl.conf, xl2tpd.conf and pppd-options
 * the service must produce for it.  NM_L2TP_UPDATE_GOLDEN=1 rewrites the
 * expected files; review the diff before committing. */

#include "config.h"

#include <string.h>

#include "test-util.h"

static void
compare_or_update(const char *dir, const char *name, const char *actual)
{
    g_autofree char *path     = g_build_filename(dir, name, NULL);
    g_autofree char *expected = NULL;
    g_autoptr(GError) error   = NULL;

    if (g_getenv("NM_L2TP_UPDATE_GOLDEN")) {
        g_file_set_contents(path, actual, -1, &error);
        g_assert_no_error(error);
        return;
    }
    g_file_get_contents(path, &expected, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(actual, ==, expected);
}

static void
test_golden(gconstpointer user_data)
{
    const char      *dir                 = user_data;
    g_autofree char *input               = g_build_filename(dir, "input.conf", NULL);
    g_autoptr(GError) error              = NULL;
    g_autoptr(NML2tpTestConnection) conn = nm_l2tp_test_connection_load(input, &error);
    g_autoptr(NML2tpSettings) settings   = NULL;
    g_autoptr(GVariant) tree             = NULL;
    g_autofree char   *swanctl           = NULL;
    g_autofree char   *xl2tpd            = NULL;
    g_autofree char   *pppd              = NULL;
    NML2tpWriterParams params;

    g_assert_no_error(error);
    settings = nm_l2tp_settings_new_from_hash(
        conn->data, conn->secrets, NM_L2TP_VALIDATE_FOR_CONNECT, &error);
    g_assert_no_error(error);
    nm_l2tp_test_writer_params(&params, conn);

    tree    = nm_l2tp_swanctl_conn_build(settings, &params);
    swanctl = nm_l2tp_swanctl_tree_to_conf(tree);
    xl2tpd  = nm_l2tp_xl2tpd_conf_build(settings, &params);
    pppd    = nm_l2tp_pppd_options_build(settings, &params);

    compare_or_update(dir, "swanctl.conf", swanctl);
    compare_or_update(dir, "xl2tpd.conf", xl2tpd);
    compare_or_update(dir, "pppd-options", pppd);

    /* Secrets never appear in anything written. */
    if (settings->password) {
        g_assert_null(strstr(swanctl, settings->password));
        g_assert_null(strstr(xl2tpd, settings->password));
        g_assert_null(strstr(pppd, settings->password));
    }
    if (settings->ipsec_psk) {
        g_assert_null(strstr(swanctl, settings->ipsec_psk));
        g_assert_null(strstr(pppd, settings->ipsec_psk));
    }
}

/* The tree is what goes over VICI: check its shape, not only its print. */
static void
test_tree_shape(void)
{
    g_autofree char *input  = nm_l2tp_test_srcdir_path("tests/unit/golden/psk-default/input.conf");
    g_autoptr(GError) error = NULL;
    g_autoptr(NML2tpTestConnection) conn = nm_l2tp_test_connection_load(input, &error);
    g_autoptr(NML2tpSettings) settings   = NULL;
    g_autoptr(GVariant) tree             = NULL;
    g_autoptr(GVariant) conn_v           = NULL;
    g_autoptr(GVariant) children         = NULL;
    g_autoptr(GVariant) child            = NULL;
    g_autoptr(GVariant) local            = NULL;
    g_autofree const char **lts          = NULL;
    const char             *s;
    NML2tpWriterParams      params;

    g_assert_no_error(error);
    settings = nm_l2tp_settings_new_from_hash(
        conn->data, conn->secrets, NM_L2TP_VALIDATE_FOR_CONNECT, &error);
    g_assert_no_error(error);
    nm_l2tp_test_writer_params(&params, conn);
    tree = nm_l2tp_swanctl_conn_build(settings, &params);

    g_assert_true(g_variant_is_of_type(tree, G_VARIANT_TYPE_VARDICT));
    g_assert_cmpuint(g_variant_n_children(tree), ==, 1);
    conn_v = g_variant_lookup_value(tree, NM_L2TP_TEST_UUID, G_VARIANT_TYPE_VARDICT);
    g_assert_nonnull(conn_v);
    g_assert_true(g_variant_lookup(conn_v, "version", "&s", &s));
    g_assert_cmpstr(s, ==, "1");
    local = g_variant_lookup_value(conn_v, "local", G_VARIANT_TYPE_VARDICT);
    g_assert_true(g_variant_lookup(local, "auth", "&s", &s));
    g_assert_cmpstr(s, ==, "psk");
    children = g_variant_lookup_value(conn_v, "children", G_VARIANT_TYPE_VARDICT);
    child    = g_variant_lookup_value(children, NM_L2TP_TEST_UUID, G_VARIANT_TYPE_VARDICT);
    g_assert_true(g_variant_lookup(child, "mode", "&s", &s));
    g_assert_cmpstr(s, ==, "transport");
    g_assert_true(g_variant_lookup(child, "local_ts", "^a&s", &lts));
    g_assert_cmpstr(lts[0], ==, "dynamic[udp/1701]");
}

static int
compare_names(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
    g_autofree char *root      = NULL;
    g_autoptr(GDir) dir        = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    guint       i;

    g_test_init(&argc, &argv, NULL);
    root = nm_l2tp_test_srcdir_path("tests/unit/golden");
    dir  = g_dir_open(root, 0, NULL);
    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir)))
        g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, compare_names);
    for (i = 0; i < names->len; i++) {
        g_autofree char *path = g_strdup_printf("/writers/golden/%s", (char *)names->pdata[i]);

        g_test_add_data_func_full(
            path, g_build_filename(root, names->pdata[i], NULL), test_golden, g_free);
    }
    g_test_add_func("/writers/tree-shape", test_tree_shape);
    return g_test_run();
}
