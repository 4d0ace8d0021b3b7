/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fixture tests: every file in fixtures/ is imported and the result
 * (the whole connection, or the error) compared with FILE.expected
 * exactly; every fixture that imports is exported and imported again and
 * must give the same connection.  Plus the plugin object itself.
 *
 * NM_L2TP_UPDATE_EXPECTED=1 rewrites the .expected files instead of
 * comparing: review the diff before committing it. */

#include "config.h"

#include <dlfcn.h>
#include <glib/gstdio.h>
#include <string.h>

#include "import-dump.h"
#include "nm-l2tp-error.h"
#include "nm-l2tp-import.h"
#include "nm-l2tp-keys.h"

static char *
fixture_path(const char *name)
{
    return g_build_filename(NM_L2TP_FIXTURES_DIR, name, NULL);
}

static NMConnection *
import_with_notes(const char *path, GError **error)
{
    g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
    NMConnection *c            = nm_l2tp_import_file(path, notes, error);

    if (c)
        nm_l2tp_import_set_notes(c, notes);
    return c;
}

static void
test_fixture(gconstpointer data)
{
    const char      *name     = data;
    g_autofree char *path     = fixture_path(name);
    g_autofree char *exp_path = g_strconcat(path, ".expected", NULL);
    g_autofree char *expected = NULL;
    g_autofree char *actual   = NULL;
    g_autoptr(GError) error   = NULL;
    g_autoptr(NMConnection) c = import_with_notes(path, &error);

    if (c) {
        g_assert_no_error(error);
        if (g_str_has_prefix(name, "bad-"))
            g_error("%s must be refused, but was imported", name);
        actual = nm_l2tp_test_dump_connection(c);
    } else {
        /* Every failure is a clear import error, never a crash or a
         * silent NULL. */
        g_assert_nonnull(error);
        g_assert_true(error->domain == NM_L2TP_ERROR);
        g_assert_cmpstr(error->message, !=, "");
        actual = nm_l2tp_test_dump_error(error);
    }
    if (g_getenv("NM_L2TP_UPDATE_EXPECTED")) {
        g_assert_true(g_file_set_contents(exp_path, actual, -1, NULL));
        return;
    }
    if (!g_file_get_contents(exp_path, &expected, NULL, NULL))
        g_error("%s is missing; this run gives:\n%s", exp_path, actual);
    g_assert_cmpstr(actual, ==, expected);
}

static void
test_roundtrip(gconstpointer data)
{
    const char      *name     = data;
    g_autofree char *path     = fixture_path(name);
    g_autoptr(NMConnection) a = NULL, b = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *out1   = NULL;
    g_autofree char *out2   = NULL;
    gsize            len1, len2;

    a = nm_l2tp_import_file(path, NULL, NULL);
    if (!a) {
        g_test_skip("the fixture does not import");
        return;
    }
    out1 = nm_l2tp_export_to_data(a, &len1, &error);
    g_assert_no_error(error);
    b = nm_l2tp_import_data((const guint8 *)out1, len1, "exported.conf", NULL, &error);
    g_assert_no_error(error);
    g_assert_nonnull(b);
    if (!nm_connection_compare(
            a, b, NM_SETTING_COMPARE_FLAG_EXACT | NM_SETTING_COMPARE_FLAG_IGNORE_SECRETS)) {
        g_autofree char *da = nm_l2tp_test_dump_connection(a);
        g_autofree char *db = nm_l2tp_test_dump_connection(b);

        g_error(
            "round trip differs:\n--- imported\n%s--- re-imported\n%s--- export\n%s", da, db, out1);
    }
    /* Exporting again gives the same bytes. */
    out2 = nm_l2tp_export_to_data(b, &len2, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(out1, ==, out2);
}

/* Exports through a file, as the plugin does, with the file's mode. */
static void
test_export_file(void)
{
    g_autofree char *path     = fixture_path("conf-basic.conf");
    g_autofree char *tmpdir   = g_dir_make_tmp("nm-l2tp-export-XXXXXX", NULL);
    g_autofree char *out      = g_build_filename(tmpdir, "x.conf", NULL);
    g_autoptr(NMConnection) c = nm_l2tp_import_file(path, NULL, NULL);
    g_autoptr(GError) error   = NULL;
    g_autofree char *content  = NULL;
    GStatBuf         st;

    g_assert_nonnull(c);
    g_assert_true(nm_l2tp_export_to_file(c, out, &error));
    g_assert_no_error(error);
    g_assert_cmpint(g_stat(out, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    g_assert_true(g_file_get_contents(out, &content, NULL, NULL));
    g_assert_nonnull(strstr(content, "[vpn]\n"));
    g_assert_null(strstr(content, "secret-psk-value"));
    g_unlink(out);
    g_rmdir(tmpdir);
}

static void
test_export_rejects(void)
{
    g_autoptr(NMConnection) c = nm_simple_connection_new();
    NMSetting *s_con          = nm_setting_connection_new();
    NMSetting *s_vpn          = nm_setting_vpn_new();
    g_autoptr(GError) error   = NULL;
    gsize len;

    g_object_set(s_con, NM_SETTING_CONNECTION_ID, "x", NULL);
    g_object_set(
        s_vpn, NM_SETTING_VPN_SERVICE_TYPE, "org.freedesktop.NetworkManager.openvpn", NULL);
    nm_connection_add_setting(c, s_con);
    nm_connection_add_setting(c, s_vpn);
    g_assert_null(nm_l2tp_export_to_data(c, &len, &error));
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED);
    g_clear_error(&error);

    g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, "org.freedesktop.NetworkManager.l2tp", NULL);
    nm_setting_vpn_add_data_item(NM_SETTING_VPN(s_vpn), "gateway", "bad\nhost");
    g_assert_null(nm_l2tp_export_to_data(c, &len, &error));
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_INVALID_VALUE);
}

/* Old profiles may carry secrets in vpn.data.  The export's header says
 * passwords and the pre-shared key are not included: no secret-typed key
 * of the key table is, whatever setting holds it; their -flags are. */
static void
test_export_no_secrets(void)
{
    const NML2tpKeyInfo *table;
    guint                n, checked = 0;

    table = nm_l2tp_keys_get_table(&n);
    for (guint i = 0; i < n; i++) {
        const NML2tpKeyInfo *ki   = &table[i];
        g_autoptr(NMConnection) c = nm_simple_connection_new();
        NMSetting *s_con          = nm_setting_connection_new();
        NMSetting *s_vpn          = nm_setting_vpn_new();
        g_autoptr(GError) error   = NULL;
        g_autofree char *value    = NULL;
        g_autofree char *line     = NULL;
        g_autofree char *flags    = NULL;
        g_autofree char *out      = NULL;
        gsize            len;

        if (!(ki->flags & NM_L2TP_KEY_FLAG_SECRET) || ki->type != NM_L2TP_KEY_TYPE_SECRET)
            continue;
        value = g_strdup_printf("old-profile-secret-%s", ki->name);
        line  = g_strdup_printf("\n%s=", ki->name);
        flags = g_strdup_printf("%s-flags", ki->name);
        g_object_set(s_con, NM_SETTING_CONNECTION_ID, "old", NULL);
        g_object_set(
            s_vpn, NM_SETTING_VPN_SERVICE_TYPE, "org.freedesktop.NetworkManager.l2tp", NULL);
        nm_setting_vpn_add_data_item(NM_SETTING_VPN(s_vpn), "gateway", "vpn.example.com");
        nm_setting_vpn_add_data_item(NM_SETTING_VPN(s_vpn), ki->name, value);
        if (nm_l2tp_key_lookup(flags))
            nm_setting_vpn_add_data_item(NM_SETTING_VPN(s_vpn), flags, "1");
        nm_setting_vpn_add_secret(NM_SETTING_VPN(s_vpn), ki->name, value);
        nm_connection_add_setting(c, s_con);
        nm_connection_add_setting(c, s_vpn);

        out = nm_l2tp_export_to_data(c, &len, &error);
        g_assert_no_error(error);
        if (strstr(out, value) || strstr(out, line))
            g_error("the export carries the secret %s:\n%s", ki->name, out);
        if (nm_l2tp_key_lookup(flags)) {
            g_autofree char *flags_line = g_strdup_printf("\n%s=1\n", flags);

            g_assert_nonnull(strstr(out, flags_line));
        }
        checked++;
    }
    /* password, user-certpass, ipsec-psk, machine-certpass, no-secret */
    g_assert_cmpuint(checked, >=, 5);
}

/* --- the plugin object, loaded as NetworkManager's clients load it --- */

static NMVpnEditorPlugin *
load_plugin(const char *so_path, void **out_handle)
{
    NMVpnEditorPlugin *(*factory)(GError **);
    g_autoptr(GError) error = NULL;
    void              *h    = dlopen(so_path, RTLD_NOW | RTLD_LOCAL);
    NMVpnEditorPlugin *plugin;

    if (!h)
        g_error("dlopen %s: %s", so_path, dlerror());
    *(void **)(&factory) = dlsym(h, "nm_vpn_editor_plugin_factory");
    g_assert_nonnull(factory);
    plugin = factory(&error);
    g_assert_no_error(error);
    g_assert_true(NM_IS_VPN_EDITOR_PLUGIN(plugin));
    *out_handle = h;
    return plugin;
}

static void
test_plugin(void)
{
    g_autofree char *fixture            = fixture_path("pcf-cert-auth.pcf");
    g_autofree char *tmpdir             = g_dir_make_tmp("nm-l2tp-plugin-XXXXXX", NULL);
    g_autofree char *out                = g_build_filename(tmpdir, "out.conf", NULL);
    g_autofree char *service            = NULL;
    g_autofree char *name               = NULL;
    g_autofree char *filename           = NULL;
    g_autoptr(GError) error             = NULL;
    g_autoptr(NMConnection) c           = NULL;
    g_autoptr(NMVpnEditorPlugin) plugin = NULL;
    const char *const *notes;
    void              *handle;

    plugin = load_plugin(NM_L2TP_PLUGIN_PATH, &handle);
    g_object_get(
        plugin, NM_VPN_EDITOR_PLUGIN_SERVICE, &service, NM_VPN_EDITOR_PLUGIN_NAME, &name, NULL);
    g_assert_cmpstr(service, ==, "org.freedesktop.NetworkManager.l2tp");
    g_assert_cmpstr(name, !=, "");
    /* NO_EDITOR (0x08, libnm 1.52) unless the GTK 3 editor (this test
     * process has no GTK 4) was built beside the plugin. */
    {
        g_autofree char *dir    = g_path_get_dirname(NM_L2TP_PLUGIN_PATH);
        g_autofree char *editor = g_build_filename(dir, "libnm-vpn-plugin-l2tp-editor.so", NULL);
        guint caps = NM_VPN_EDITOR_PLUGIN_CAPABILITY_IMPORT | NM_VPN_EDITOR_PLUGIN_CAPABILITY_EXPORT
                     | NM_VPN_EDITOR_PLUGIN_CAPABILITY_IPV6;

        if (!g_file_test(editor, G_FILE_TEST_EXISTS))
            caps |= 0x08;
        g_assert_cmpint(nm_vpn_editor_plugin_get_capabilities(plugin), ==, caps);
    }

    g_setenv("NM_L2TP_IMPORT_QUIET", "1", TRUE);
    c = nm_vpn_editor_plugin_import(plugin, fixture, &error);
    g_assert_no_error(error);
    g_assert_nonnull(c);
    /* The plugin gives each import a fresh UUID, so the result verifies as
     * a complete connection. */
    g_assert_nonnull(nm_connection_get_uuid(c));
    g_assert_true(nm_connection_verify(c, NULL));
    notes = nm_l2tp_import_get_notes(c);
    g_assert_nonnull(notes);
    g_assert_cmpuint(g_strv_length((char **)notes), >=, 2);

    filename = nm_vpn_editor_plugin_get_suggested_filename(plugin, c);
    g_assert_cmpstr(filename, ==, "Cert Office (l2tp).conf");
    g_assert_true(nm_vpn_editor_plugin_export(plugin, out, c, &error));
    g_assert_no_error(error);

    g_clear_object(&c);
    c = nm_vpn_editor_plugin_import(plugin, "/nonexistent/file.pcf", &error);
    g_assert_null(c);
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT);

    g_unlink(out);
    g_rmdir(tmpdir);
}

/* In a subprocess, so that only the copy of the plugin is loaded there:
 * a directory without editor modules gives a clear get_editor() error. */
static void
test_plugin_no_editor(void)
{
    if (g_test_subprocess()) {
        g_autofree char *tmpdir   = g_dir_make_tmp("nm-l2tp-noeditor-XXXXXX", NULL);
        g_autofree char *copy     = g_build_filename(tmpdir, "libnm-vpn-plugin-l2tp.so", NULL);
        g_autofree char *bytes    = NULL;
        g_autoptr(GError) error   = NULL;
        g_autoptr(NMConnection) c = nm_simple_connection_new();
        gsize              len;
        void              *handle;
        NMVpnEditorPlugin *plugin;
        NMVpnEditor       *editor;

        g_assert_true(g_file_get_contents(NM_L2TP_PLUGIN_PATH, &bytes, &len, NULL));
        g_assert_true(g_file_set_contents(copy, bytes, len, NULL));
        plugin = load_plugin(copy, &handle);
        g_assert_cmpint(nm_vpn_editor_plugin_get_capabilities(plugin) & 0x08, ==, 0x08);
        editor = nm_vpn_editor_plugin_get_editor(plugin, c, &error);
        g_assert_null(editor);
        g_assert_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_FAILED);
        g_assert_nonnull(strstr(error->message, "libnm-vpn-plugin-l2tp-editor.so"));
        g_object_unref(plugin);
        g_unlink(copy);
        g_rmdir(tmpdir);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}

/* Copies the plugin into a new directory, with @editor_name (if given) as a
 * copy of the fake editor module beside it, and loads that copy. */
static NMVpnEditorPlugin *
load_plugin_copy(const char *editor_name, char **out_dir)
{
    g_autofree char *tmpdir = g_dir_make_tmp("nm-l2tp-plugin-copy-XXXXXX", NULL);
    g_autofree char *copy   = g_build_filename(tmpdir, "libnm-vpn-plugin-l2tp.so", NULL);
    g_autofree char *bytes  = NULL;
    gsize            len;
    void            *handle;

    g_assert_true(g_file_get_contents(NM_L2TP_PLUGIN_PATH, &bytes, &len, NULL));
    g_assert_true(g_file_set_contents(copy, bytes, len, NULL));
    if (editor_name) {
        g_autofree char *fake   = NULL;
        g_autofree char *target = g_build_filename(tmpdir, editor_name, NULL);

        g_assert_true(g_file_get_contents(NM_L2TP_FAKE_EDITOR_PATH, &fake, &len, NULL));
        g_assert_true(g_file_set_contents(target, fake, len, NULL));
    }
    *out_dir = g_steal_pointer(&tmpdir);
    return load_plugin(copy, &handle);
}

static void
remove_dir(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *n;

    while (d && (n = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(dir, n, NULL);

        g_unlink(p);
    }
    g_rmdir(dir);
}

/* The editor module is found beside the plugin, loaded and its factory
 * called; a process with GTK 4 loaded gets the GTK 4 module.  Each case in
 * a subprocess, so that only that copy of the plugin is loaded there. */
static void
test_plugin_loads_editor(void)
{
    if (g_test_subprocess()) {
        g_autofree char *dir      = NULL;
        g_autoptr(GError) error   = NULL;
        g_autoptr(NMConnection) c = nm_simple_connection_new();
        NMVpnEditorPlugin *plugin = load_plugin_copy("libnm-vpn-plugin-l2tp-editor.so", &dir);

        g_assert_cmpint(nm_vpn_editor_plugin_get_capabilities(plugin) & 0x08, ==, 0);
        g_assert_null(nm_vpn_editor_plugin_get_editor(plugin, c, &error));
        g_assert_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_BAD_ARGUMENTS);
        g_assert_cmpstr(error->message, ==, "fake editor: called");
        g_object_unref(plugin);
        remove_dir(dir);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}

static void
test_plugin_gtk4(void)
{
    if (g_test_subprocess()) {
        g_autofree char *dir      = NULL;
        g_autoptr(GError) error   = NULL;
        g_autoptr(NMConnection) c = nm_simple_connection_new();
        NMVpnEditorPlugin *plugin;

        /* GTK 4 loaded (not initialised), as in GNOME Settings. */
        if (!dlopen("libgtk-4.so.1", RTLD_NOW | RTLD_GLOBAL)) {
            g_test_skip("GTK 4 is not installed");
            return;
        }
        plugin = load_plugin_copy("libnm-gtk4-vpn-plugin-l2tp-editor.so", &dir);
        g_assert_cmpint(nm_vpn_editor_plugin_get_capabilities(plugin) & 0x08, ==, 0);
        g_assert_null(nm_vpn_editor_plugin_get_editor(plugin, c, &error));
        g_assert_cmpstr(error->message, ==, "fake editor: called");
        g_object_unref(plugin);
        remove_dir(dir);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}

/* NetworkManager-l2tp's own plugin (1.20.8 in Debian 12), when installed,
 * must import every export of ours.  In a subprocess: only that plugin is
 * loaded there. */
#define SYSTEM_PLUGIN "/usr/lib/" NM_L2TP_MULTIARCH "/NetworkManager/libnm-vpn-plugin-l2tp.so"

static void
test_interop_nm_l2tp(void)
{
    if (g_test_subprocess()) {
        g_autoptr(GError) error             = NULL;
        g_autoptr(NMVpnEditorPlugin) plugin = NULL;
        g_autoptr(GDir) dir                 = g_dir_open(NM_L2TP_FIXTURES_DIR, 0, NULL);
        g_autofree char *tmpdir             = g_dir_make_tmp("nm-l2tp-interop-XXXXXX", NULL);
        g_autofree char *out                = g_build_filename(tmpdir, "x.conf", NULL);
        const char      *n;
        guint            count = 0;

        plugin = nm_vpn_editor_plugin_load_from_file(
            SYSTEM_PLUGIN, "org.freedesktop.NetworkManager.l2tp", 0, NULL, NULL, &error);
        g_assert_no_error(error);
        if (g_str_equal(G_OBJECT_TYPE_NAME(plugin), "NML2tpEditorPlugin")) {
            g_test_skip("the installed plugin is this project's");
            return;
        }
        while ((n = g_dir_read_name(dir))) {
            g_autofree char *path     = fixture_path(n);
            g_autoptr(NMConnection) a = NULL;
            g_autoptr(NMConnection) b = NULL;

            if (g_str_has_suffix(n, ".expected") || !(a = nm_l2tp_import_file(path, NULL, NULL)))
                continue;
            g_assert_true(nm_l2tp_export_to_file(a, out, NULL));
            b = nm_vpn_editor_plugin_import(plugin, out, &error);
            if (!b)
                g_error(
                    "NetworkManager-l2tp cannot import the export of %s: %s", n, error->message);
            g_assert_cmpstr(nm_connection_get_id(a), ==, nm_connection_get_id(b));
            g_assert_cmpstr(
                nm_setting_vpn_get_data_item(nm_connection_get_setting_vpn(a), "gateway"),
                ==,
                nm_setting_vpn_get_data_item(nm_connection_get_setting_vpn(b), "gateway"));
            count++;
        }
        g_assert_cmpuint(count, >, 30);
        g_unlink(out);
        g_rmdir(tmpdir);
        return;
    }
    if (!g_file_test(SYSTEM_PLUGIN, G_FILE_TEST_EXISTS)) {
        g_test_skip("NetworkManager-l2tp is not installed");
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}

static int
cmp_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
main(int argc, char **argv)
{
    g_autoptr(GDir) dir        = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *n;
    guint       i;

    g_test_init(&argc, &argv, NULL);
    dir = g_dir_open(NM_L2TP_FIXTURES_DIR, 0, NULL);
    g_assert_nonnull(dir);
    while ((n = g_dir_read_name(dir))) {
        if (g_str_has_suffix(n, ".expected") || g_str_has_prefix(n, "README"))
            continue;
        g_ptr_array_add(names, g_strdup(n));
    }
    g_ptr_array_sort(names, cmp_name);
    for (i = 0; i < names->len; i++) {
        g_autofree char *t1 = g_strdup_printf("/import/fixture/%s", (char *)names->pdata[i]);
        g_autofree char *t2 = g_strdup_printf("/import/roundtrip/%s", (char *)names->pdata[i]);

        g_test_add_data_func(t1, names->pdata[i], test_fixture);
        if (!g_str_has_prefix(names->pdata[i], "bad-"))
            g_test_add_data_func(t2, names->pdata[i], test_roundtrip);
    }
    g_test_add_func("/import/export/file", test_export_file);
    g_test_add_func("/import/export/rejects", test_export_rejects);
    g_test_add_func("/import/export/no-secrets", test_export_no_secrets);
    g_test_add_func("/import/plugin/object", test_plugin);
    g_test_add_func("/import/plugin/no-editor", test_plugin_no_editor);
    g_test_add_func("/import/plugin/loads-editor", test_plugin_loads_editor);
    g_test_add_func("/import/plugin/gtk4-editor", test_plugin_gtk4);
    g_test_add_func("/import/interop/networkmanager-l2tp", test_interop_nm_l2tp);
    return g_test_run();
}
