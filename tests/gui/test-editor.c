/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The editor as NetworkManager's clients use it: loaded through
 * libnm-vpn-plugin-l2tp.so with nm_vpn_editor_plugin_load_from_file(),
 * which picks the GTK 3 or GTK 4 editor by the GTK this program links.
 * Built once per toolkit; run under Xvfb.
 *
 * Environment: NM_L2TP_TEST_PLUGIN (the built plugin), NM_L2TP_TEST_SHOTS
 * (directory for PNG screenshots), NM_L2TP_TEST_MO (a built .mo; with
 * LANGUAGE=xx the UI is shown in that language), NM_L2TP_TEST_LANG (suffix
 * of the screenshot names). */
#include "config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <nma-ui-utils.h>
#include <NetworkManager.h>

#include "nm-l2tp-catalog.h"
#include "nm-l2tp-keys.h"
#include "nm-l2tp-report.h"
#include "nm-l2tp-settings.h"
#include "test-gui-util.h"

#define SERVICE   "org.freedesktop.NetworkManager.l2tp"
#define TEST_UUID "3f0b5c1e-8c52-4a7e-9a53-2f1c0a6f3b11"

static NMVpnEditorPlugin *plugin;

static NMConnection *
connection_new(const char *const *data)
{
    NMConnection *connection = nm_simple_connection_new();
    NMSetting    *s_con      = nm_setting_connection_new();
    NMSetting    *s_vpn      = nm_setting_vpn_new();

    g_object_set(s_con,
                 NM_SETTING_CONNECTION_ID,
                 "office",
                 NM_SETTING_CONNECTION_UUID,
                 TEST_UUID,
                 NM_SETTING_CONNECTION_TYPE,
                 NM_SETTING_VPN_SETTING_NAME,
                 NULL);
    g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, SERVICE, NULL);
    for (guint i = 0; data && data[i]; i += 2)
        nm_setting_vpn_add_data_item(NM_SETTING_VPN(s_vpn), data[i], data[i + 1]);
    nm_connection_add_setting(connection, s_con);
    nm_connection_add_setting(connection, s_vpn);
    return connection;
}

typedef struct {
    NMVpnEditor *editor;
    GtkWidget   *window;
    GtkWidget   *root;
} Fixture;

static void
fixture_open(Fixture *f, NMConnection *connection)
{
    g_autoptr(GError) error = NULL;

    f->editor = nm_vpn_editor_plugin_get_editor(plugin, connection, &error);
    g_assert_no_error(error);
    g_assert_nonnull(f->editor);
    f->root = GTK_WIDGET(nm_vpn_editor_get_widget(f->editor));
    g_assert_nonnull(f->root);
    f->window = test_window_new(f->root);
}

static void
fixture_close(Fixture *f)
{
    test_window_destroy(f->window);
    g_clear_object(&f->editor);
}

static GtkWidget *
field(Fixture *f, const char *name)
{
    GtkWidget *w = test_find_widget(f->root, name);

    if (!w)
        g_error("no widget named %s", name);
    return w;
}

static const char *const text_fields[] = {
    NM_L2TP_KEY_GATEWAY,
    "vpn.example.com",
    NM_L2TP_KEY_USER,
    "alice",
    NM_L2TP_KEY_DOMAIN,
    "CORP",
    NM_L2TP_KEY_IPSEC_REMOTE_ID,
    "@vpn.example.com",
    NM_L2TP_KEY_IPSEC_IKE,
    "aes256-sha256-modp2048,aes128-sha1-modp2048",
    NM_L2TP_KEY_IPSEC_ESP,
    "aes256-sha256,aes128-sha1",
    NM_L2TP_KEY_IPSEC_IKELIFETIME,
    "28800",
    NM_L2TP_KEY_IPSEC_SALIFETIME,
    "7200",
    NM_L2TP_KEY_IPSEC_DPD_DELAY,
    "15",
    NM_L2TP_KEY_IPSEC_DPD_TIMEOUT,
    "60",
    NM_L2TP_KEY_MTU,
    "1380",
    NM_L2TP_KEY_MRU,
    "1360",
    NM_L2TP_KEY_LCP_ECHO_INTERVAL,
    "20",
    NM_L2TP_KEY_LCP_ECHO_FAILURE,
    "4",
    NM_L2TP_KEY_TIMEOUT_IKE,
    "25",
    NM_L2TP_KEY_TIMEOUT_L2TP,
    "15",
    NM_L2TP_KEY_TIMEOUT_PPP,
    "40",
    NULL,
};

/* key, state of its check box, the value expected in vpn.data (NULL:
 * absent, the default). */
static const struct {
    const char *key;
    gboolean    active;
    const char *expect;
} check_fields[] = {
    { NM_L2TP_KEY_IPSEC_ENABLE, TRUE, "yes" },
    { NM_L2TP_KEY_IPSEC_PFS, TRUE, "yes" },
    { NM_L2TP_KEY_IPSEC_FORCEENCAPS, TRUE, "yes" },
    { NM_L2TP_KEY_IPSEC_IKEV2, FALSE, NULL },
    { NM_L2TP_KEY_REFUSE_PAP, FALSE, "yes" }, /* "Allow PAP" unchecked */
    { NM_L2TP_KEY_REFUSE_CHAP, FALSE, "yes" },
    { NM_L2TP_KEY_REFUSE_MSCHAP, TRUE, NULL },
    { NM_L2TP_KEY_REFUSE_MSCHAPV2, TRUE, NULL },
    { NM_L2TP_KEY_REFUSE_EAP, TRUE, "no" }, /* refused by default */
    { NM_L2TP_KEY_REQUIRE_MPPE, TRUE, "yes" },
    { NM_L2TP_KEY_REQUIRE_MPPE_128, TRUE, "yes" },
    { NM_L2TP_KEY_REQUIRE_MPPE_40, FALSE, NULL },
    { NM_L2TP_KEY_MPPE_STATEFUL, FALSE, NULL },
    { NM_L2TP_KEY_NOBSDCOMP, FALSE, "yes" },
    { NM_L2TP_KEY_NODEFLATE, FALSE, "yes" },
    { NM_L2TP_KEY_NO_VJ_COMP, FALSE, "yes" },
    { NM_L2TP_KEY_NO_PCOMP, TRUE, NULL },
    { NM_L2TP_KEY_NO_ACCOMP, TRUE, NULL },
    { NM_L2TP_KEY_DHCP_INFORM, FALSE, "no" }, /* on by default */
    { NM_L2TP_KEY_CLASSFUL_ROUTE, TRUE, "yes" },
};

static void
fill_every_field(Fixture *f)
{
    for (guint i = 0; text_fields[i]; i += 2)
        test_entry_set_text(field(f, text_fields[i]), text_fields[i + 1]);
    for (guint i = 0; i < G_N_ELEMENTS(check_fields); i++)
        test_check_set_active(field(f, check_fields[i].key), check_fields[i].active);
    g_assert_true(gtk_combo_box_set_active_id(GTK_COMBO_BOX(field(f, NM_L2TP_KEY_IPV6)),
                                              NM_L2TP_IPV6_IGNORE));

    test_entry_set_text(field(f, NM_L2TP_KEY_PASSWORD), "s3cret pass");
    nma_utils_update_password_storage(
        field(f, NM_L2TP_KEY_PASSWORD), NM_SETTING_SECRET_FLAG_AGENT_OWNED, NULL, NULL);
    test_entry_set_text(field(f, NM_L2TP_KEY_IPSEC_PSK), "Pre shared Key!");
    nma_utils_update_password_storage(
        field(f, NM_L2TP_KEY_IPSEC_PSK), NM_SETTING_SECRET_FLAG_NONE, NULL, NULL);
}

static void
assert_flags(NMSettingVpn *s_vpn, const char *key, NMSettingSecretFlags expect)
{
    NMSettingSecretFlags flags = 0xff;

    g_assert_true(nm_setting_get_secret_flags(NM_SETTING(s_vpn), key, &flags, NULL));
    g_assert_cmpint(flags, ==, expect);
}

static void
assert_every_field(NMSettingVpn *s_vpn)
{
    guint expected_items = 2; /* password-flags, ipsec-psk-flags */

    g_assert_cmpstr(nm_setting_vpn_get_service_type(s_vpn), ==, SERVICE);
    for (guint i = 0; text_fields[i]; i += 2) {
        g_assert_cmpstr(
            nm_setting_vpn_get_data_item(s_vpn, text_fields[i]), ==, text_fields[i + 1]);
        expected_items++;
    }
    for (guint i = 0; i < G_N_ELEMENTS(check_fields); i++) {
        if (g_strcmp0(nm_setting_vpn_get_data_item(s_vpn, check_fields[i].key),
                      check_fields[i].expect)
            != 0)
            g_error("%s: expected %s, got %s",
                    check_fields[i].key,
                    check_fields[i].expect,
                    nm_setting_vpn_get_data_item(s_vpn, check_fields[i].key));
        if (check_fields[i].expect)
            expected_items++;
    }
    g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, NM_L2TP_KEY_IPV6), ==, NM_L2TP_IPV6_IGNORE);
    expected_items++;
    g_assert_cmpuint(nm_setting_vpn_get_num_data_items(s_vpn), ==, expected_items);

    g_assert_cmpstr(nm_setting_vpn_get_secret(s_vpn, NM_L2TP_KEY_PASSWORD), ==, "s3cret pass");
    g_assert_cmpstr(nm_setting_vpn_get_secret(s_vpn, NM_L2TP_KEY_IPSEC_PSK), ==, "Pre shared Key!");
    g_assert_cmpuint(nm_setting_vpn_get_num_secrets(s_vpn), ==, 2);
    assert_flags(s_vpn, NM_L2TP_KEY_PASSWORD, NM_SETTING_SECRET_FLAG_AGENT_OWNED);
    assert_flags(s_vpn, NM_L2TP_KEY_IPSEC_PSK, NM_SETTING_SECRET_FLAG_NONE);
}

/* Every field set through its widget ends up in the connection. */
static void
test_every_field(void)
{
    g_autoptr(NMConnection) connection = connection_new(NULL);
    g_autoptr(NMConnection) result     = connection_new(NULL);
    g_autoptr(GError) error            = NULL;
    Fixture f                          = { 0 };

    fixture_open(&f, connection);
    fill_every_field(&f);
    test_pump(50);
    g_assert_true(nm_vpn_editor_update_connection(f.editor, result, &error));
    g_assert_no_error(error);
    assert_every_field(nm_connection_get_setting_vpn(result));
    fixture_close(&f);

    /* And a profile saved so reads back into the same widgets. */
    fixture_open(&f, result);
    for (guint i = 0; text_fields[i]; i += 2)
        g_assert_cmpstr(test_entry_get_text(field(&f, text_fields[i])), ==, text_fields[i + 1]);
    for (guint i = 0; i < G_N_ELEMENTS(check_fields); i++)
        g_assert_cmpint(
            test_check_get_active(field(&f, check_fields[i].key)), ==, check_fields[i].active);
    g_assert_cmpstr(gtk_combo_box_get_active_id(GTK_COMBO_BOX(field(&f, NM_L2TP_KEY_IPV6))),
                    ==,
                    NM_L2TP_IPV6_IGNORE);
    g_assert_cmpint(nma_utils_menu_to_secret_flags(field(&f, NM_L2TP_KEY_PASSWORD)),
                    ==,
                    NM_SETTING_SECRET_FLAG_AGENT_OWNED);
    {
        g_autoptr(NMConnection) again = connection_new(NULL);

        g_assert_true(nm_vpn_editor_update_connection(f.editor, again, &error));
        assert_every_field(nm_connection_get_setting_vpn(again));
    }
    fixture_close(&f);
}

/* "Ask every time" keeps the secret out of the profile. */
static void
test_secret_not_saved(void)
{
    static const char *const data[]    = { NM_L2TP_KEY_GATEWAY, "192.0.2.1", NULL };
    g_autoptr(NMConnection) connection = connection_new(data);
    g_autoptr(GError) error            = NULL;
    Fixture f                          = { 0 };

    fixture_open(&f, connection);
    test_entry_set_text(field(&f, NM_L2TP_KEY_PASSWORD), "typed");
    nma_utils_update_password_storage(
        field(&f, NM_L2TP_KEY_PASSWORD), NM_SETTING_SECRET_FLAG_NOT_SAVED, NULL, NULL);
    g_assert_true(nm_vpn_editor_update_connection(f.editor, connection, &error));
    g_assert_null(
        nm_setting_vpn_get_secret(nm_connection_get_setting_vpn(connection), NM_L2TP_KEY_PASSWORD));
    assert_flags(nm_connection_get_setting_vpn(connection),
                 NM_L2TP_KEY_PASSWORD,
                 NM_SETTING_SECRET_FLAG_NOT_SAVED);
    fixture_close(&f);
}

/* Keys the editor has no field for survive an edit; the old name of the
 * remote ID is written under the new one. */
static void
test_keeps_other_keys(void)
{
    static const char *const data[] = {
        NM_L2TP_KEY_GATEWAY,
        "192.0.2.1",
        NM_L2TP_KEY_MRRU,
        "1600",
        NM_L2TP_KEY_IPSEC_ENABLE,
        "yes",
        NM_L2TP_KEY_IPSEC_GATEWAY_ID,
        "gw.example.com",
        NULL,
    };
    g_autoptr(NMConnection) connection = connection_new(data);
    g_autoptr(NMConnection) result     = connection_new(NULL);
    g_autoptr(GError) error            = NULL;
    Fixture       f                    = { 0 };
    NMSettingVpn *s_vpn;

    fixture_open(&f, connection);
    g_assert_cmpstr(
        test_entry_get_text(field(&f, NM_L2TP_KEY_IPSEC_REMOTE_ID)), ==, "gw.example.com");
    g_assert_true(nm_vpn_editor_update_connection(f.editor, result, &error));
    s_vpn = nm_connection_get_setting_vpn(result);
    g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, NM_L2TP_KEY_MRRU), ==, "1600");
    g_assert_cmpstr(
        nm_setting_vpn_get_data_item(s_vpn, NM_L2TP_KEY_IPSEC_REMOTE_ID), ==, "gw.example.com");
    g_assert_null(nm_setting_vpn_get_data_item(s_vpn, NM_L2TP_KEY_IPSEC_GATEWAY_ID));
    g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, NM_L2TP_KEY_IPSEC_ENABLE), ==, "yes");
    fixture_close(&f);
}

static const char *const invalid_fields[] = {
    NM_L2TP_KEY_GATEWAY,
    "bad host name!",
    NM_L2TP_KEY_MTU,
    "99999",
    NM_L2TP_KEY_IPSEC_IKE,
    "aes256;reboot",
    NM_L2TP_KEY_LCP_ECHO_INTERVAL,
    "often",
    NM_L2TP_KEY_TIMEOUT_PPP,
    "0",
    NULL,
};

/* Invalid values show an error beside their field, and nothing of the edit
 * reaches the connection. */
static void
test_invalid_values(void)
{
    static const char *const data[] = {
        NM_L2TP_KEY_GATEWAY, "vpn.example.com", NM_L2TP_KEY_IPSEC_ENABLE, "yes", NULL,
    };
    g_autoptr(NMConnection) connection = connection_new(data);
    g_autoptr(NMConnection) before     = nm_simple_connection_new_clone(connection);
    g_autoptr(GError) error            = NULL;
    Fixture f                          = { 0 };

    fixture_open(&f, connection);
    for (guint i = 0; invalid_fields[i]; i += 2) {
        g_autofree char *name = g_strconcat(invalid_fields[i], "-error", NULL);

        g_assert_false(gtk_widget_get_visible(field(&f, name)));
    }

    test_entry_set_text(field(&f, NM_L2TP_KEY_USER), "bob");
    for (guint i = 0; invalid_fields[i]; i += 2)
        test_entry_set_text(field(&f, invalid_fields[i]), invalid_fields[i + 1]);
    test_pump(50);

    for (guint i = 0; invalid_fields[i]; i += 2) {
        g_autofree char *name  = g_strconcat(invalid_fields[i], "-error", NULL);
        GtkWidget       *label = field(&f, name);

        g_assert_true(gtk_widget_get_visible(label));
        g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(label)), !=, "");
        g_test_message("%s: %s", invalid_fields[i], gtk_label_get_text(GTK_LABEL(label)));
    }
    /* Valid fields show no error. */
    g_assert_false(gtk_widget_get_visible(field(&f, "user-error")));

    g_assert_false(nm_vpn_editor_update_connection(f.editor, connection, &error));
    g_assert_nonnull(error);
    g_clear_error(&error);
    g_assert_true(nm_connection_compare(connection, before, NM_SETTING_COMPARE_FLAG_EXACT));

    test_notebook_show_page(f.root, "page-general");
    test_save_screenshot(f.root, "editor-invalid");
    test_notebook_show_page(f.root, "page-ppp");
    test_save_screenshot(f.root, "editor-invalid-ppp");

    /* Corrected, the edit goes through and the errors disappear. */
    test_entry_set_text(field(&f, NM_L2TP_KEY_GATEWAY), "vpn2.example.com");
    test_entry_set_text(field(&f, NM_L2TP_KEY_MTU), "1400");
    test_entry_set_text(field(&f, NM_L2TP_KEY_IPSEC_IKE), "");
    test_entry_set_text(field(&f, NM_L2TP_KEY_LCP_ECHO_INTERVAL), "10");
    test_entry_set_text(field(&f, NM_L2TP_KEY_TIMEOUT_PPP), "30");
    g_assert_false(gtk_widget_get_visible(field(&f, "gateway-error")));
    g_assert_true(nm_vpn_editor_update_connection(f.editor, connection, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(nm_setting_vpn_get_data_item(nm_connection_get_setting_vpn(connection),
                                                 NM_L2TP_KEY_GATEWAY),
                    ==,
                    "vpn2.example.com");
    fixture_close(&f);
}

/* What no single field can tell (every PPP method refused) is shown above
 * the pages, and nothing is saved either. */
static void
test_combination_error(void)
{
    static const char *const data[] = {
        NM_L2TP_KEY_GATEWAY, "vpn.example.com", NM_L2TP_KEY_IPSEC_ENABLE, "yes", NULL,
    };
    static const char *const methods[] = {
        NM_L2TP_KEY_REFUSE_PAP,      NM_L2TP_KEY_REFUSE_CHAP, NM_L2TP_KEY_REFUSE_MSCHAP,
        NM_L2TP_KEY_REFUSE_MSCHAPV2, NM_L2TP_KEY_REFUSE_EAP,  NULL,
    };
    g_autoptr(NMConnection) connection = connection_new(data);
    g_autoptr(NMConnection) before     = nm_simple_connection_new_clone(connection);
    g_autoptr(GError) error            = NULL;
    Fixture    f                       = { 0 };
    GtkWidget *banner;

    fixture_open(&f, connection);
    banner = field(&f, "editor-error");
    g_assert_false(gtk_widget_get_visible(banner));
    for (guint i = 0; methods[i]; i++)
        test_check_set_active(field(&f, methods[i]), FALSE);
    g_assert_false(nm_vpn_editor_update_connection(f.editor, connection, &error));
    g_assert_nonnull(error);
    g_test_message("combination error: %s", error->message);
    g_assert_true(gtk_widget_get_visible(banner));
    g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(banner)), ==, error->message);
    g_assert_true(nm_connection_compare(connection, before, NM_SETTING_COMPARE_FLAG_EXACT));
    g_clear_error(&error);

    test_check_set_active(field(&f, NM_L2TP_KEY_REFUSE_MSCHAPV2), TRUE);
    g_assert_true(nm_vpn_editor_update_connection(f.editor, connection, &error));
    g_assert_no_error(error);
    g_assert_false(gtk_widget_get_visible(banner));
    fixture_close(&f);
}

static void
combo_set(Fixture *f, const char *key, const char *value)
{
    g_assert_true(gtk_combo_box_set_active_id(GTK_COMBO_BOX(field(f, key)), value));
    test_pump(20);
}

static gboolean
shown(Fixture *f, const char *key)
{
    return gtk_widget_get_visible(field(f, key)) && gtk_widget_get_mapped(field(f, key));
}

/* Certificates, for IPsec and for EAP-TLS in PPP: each mode shows only its
 * own fields, a missing certificate or key is named beside its field and
 * nothing is saved, and what is saved is what the service accepts. */
static void
test_certificates(void)
{
    static const char *const data[] = {
        NM_L2TP_KEY_GATEWAY, "vpn.example.com", NM_L2TP_KEY_IPSEC_ENABLE, "yes", NULL,
    };
    static const char *const files[] = {
        NM_L2TP_KEY_MACHINE_CA,
        "/etc/ipsec.d/cacerts/corp-ca.pem",
        NM_L2TP_KEY_MACHINE_CERT,
        "/etc/ipsec.d/certs/laptop.pem",
        NM_L2TP_KEY_MACHINE_KEY,
        "/etc/ipsec.d/private/laptop.key",
        NM_L2TP_KEY_USER_CA,
        "/home/alice/.cert/corp-ca.pem",
        NM_L2TP_KEY_USER_CERT,
        "/home/alice/.cert/alice.pem",
        NM_L2TP_KEY_USER_KEY,
        "/home/alice/.cert/alice.key",
        NULL,
    };
    g_autoptr(NMConnection) connection = connection_new(data);
    g_autoptr(NMConnection) before     = nm_simple_connection_new_clone(connection);
    g_autoptr(NMConnection) result     = connection_new(NULL);
    g_autoptr(NML2tpSettings) accepted = NULL;
    g_autoptr(GError) error            = NULL;
    NMSettingVpn *s_vpn;
    Fixture       f = { 0 };

    fixture_open(&f, connection);
    test_notebook_show_page(f.root, "page-general");
    test_pump(50);
    /* A pre-shared key and a password by default; no certificate fields. */
    g_assert_true(shown(&f, NM_L2TP_KEY_IPSEC_PSK));
    g_assert_true(shown(&f, NM_L2TP_KEY_PASSWORD));
    for (guint i = 0; files[i]; i += 2)
        g_assert_false(shown(&f, files[i]));

    combo_set(&f, NM_L2TP_KEY_MACHINE_AUTH_TYPE, NM_L2TP_AUTHTYPE_TLS);
    combo_set(&f, NM_L2TP_KEY_USER_AUTH_TYPE, NM_L2TP_AUTHTYPE_TLS);
    g_assert_false(shown(&f, NM_L2TP_KEY_IPSEC_PSK));
    g_assert_false(shown(&f, NM_L2TP_KEY_PASSWORD));
    g_assert_false(shown(&f, NM_L2TP_KEY_DOMAIN));
    for (guint i = 0; files[i]; i += 2)
        g_assert_true(shown(&f, files[i]));

    /* Certificate and key are needed; for IPsec the CA is not (a system
     * charon may already trust it), for EAP-TLS pppd needs it. */
    g_assert_true(gtk_widget_get_visible(field(&f, "machine-cert-error")));
    g_assert_true(gtk_widget_get_visible(field(&f, "machine-key-error")));
    g_assert_false(gtk_widget_get_visible(field(&f, "machine-ca-error")));
    g_assert_true(gtk_widget_get_visible(field(&f, "user-cert-error")));
    g_assert_true(gtk_widget_get_visible(field(&f, "user-key-error")));
    g_assert_true(gtk_widget_get_visible(field(&f, "user-ca-error")));
    /* EAP-TLS needs the identity the server expects. */
    g_assert_true(gtk_widget_get_visible(field(&f, "user-error")));
    g_assert_false(nm_vpn_editor_update_connection(f.editor, connection, &error));
    g_assert_nonnull(error);
    g_test_message("missing certificate: %s", error->message);
    g_clear_error(&error);
    g_assert_true(nm_connection_compare(connection, before, NM_SETTING_COMPARE_FLAG_EXACT));
    test_save_screenshot(f.root, "editor-certificates-missing");

    /* A relative path is refused by the key table. */
    test_entry_set_text(field(&f, NM_L2TP_KEY_MACHINE_CERT), "laptop.pem");
    g_assert_true(gtk_widget_get_visible(field(&f, "machine-cert-error")));
    g_test_message("relative path: %s",
                   gtk_label_get_text(GTK_LABEL(field(&f, "machine-cert-error"))));

    for (guint i = 0; files[i]; i += 2)
        test_entry_set_text(field(&f, files[i]), files[i + 1]);
    test_entry_set_text(field(&f, NM_L2TP_KEY_USER), "alice");
    test_pump(50);
    g_assert_false(gtk_widget_get_visible(field(&f, "user-error")));
    g_assert_false(gtk_widget_get_visible(field(&f, "machine-cert-error")));
    test_save_screenshot(f.root, "editor-certificates");
    g_assert_true(nm_vpn_editor_update_connection(f.editor, result, &error));
    g_assert_no_error(error);
    fixture_close(&f);

    s_vpn = nm_connection_get_setting_vpn(result);
    g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, NM_L2TP_KEY_MACHINE_AUTH_TYPE), ==, "tls");
    g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, NM_L2TP_KEY_USER_AUTH_TYPE), ==, "tls");
    for (guint i = 0; files[i]; i += 2)
        g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, files[i]), ==, files[i + 1]);
    g_assert_null(nm_setting_vpn_get_secret(s_vpn, NM_L2TP_KEY_IPSEC_PSK));
    g_assert_null(nm_setting_vpn_get_data_item(s_vpn, NM_L2TP_KEY_DOMAIN));
    /* What the editor saves, the service takes for a connection. */
    accepted = nm_l2tp_settings_new_from_vpn(s_vpn, NM_L2TP_VALIDATE_FOR_CONNECT, &error);
    g_assert_no_error(error);
    g_assert_nonnull(accepted);

    /* Read back, and back to a pre-shared key: the machine certificate
     * fields go away and are not saved. */
    fixture_open(&f, result);
    test_notebook_show_page(f.root, "page-general");
    test_pump(50);
    g_assert_true(shown(&f, NM_L2TP_KEY_MACHINE_CERT));
    g_assert_cmpstr(test_entry_get_text(field(&f, NM_L2TP_KEY_MACHINE_KEY)),
                    ==,
                    "/etc/ipsec.d/private/laptop.key");
    combo_set(&f, NM_L2TP_KEY_MACHINE_AUTH_TYPE, NM_L2TP_AUTHTYPE_PSK);
    g_assert_false(shown(&f, NM_L2TP_KEY_MACHINE_CERT));
    g_assert_true(shown(&f, NM_L2TP_KEY_IPSEC_PSK));
    g_assert_true(nm_vpn_editor_update_connection(f.editor, result, &error));
    g_assert_no_error(error);
    s_vpn = nm_connection_get_setting_vpn(result);
    g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, NM_L2TP_KEY_MACHINE_AUTH_TYPE), ==, "psk");
    g_assert_null(nm_setting_vpn_get_data_item(s_vpn, NM_L2TP_KEY_MACHINE_CERT));
    g_assert_null(nm_setting_vpn_get_data_item(s_vpn, NM_L2TP_KEY_MACHINE_KEY));
    g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, NM_L2TP_KEY_USER_CERT),
                    ==,
                    "/home/alice/.cert/alice.pem");
    fixture_close(&f);
}

static void
write_failed_ppp_auth_report(void)
{
    g_autoptr(NML2tpReport) report       = nm_l2tp_report_new(TEST_UUID, "office");
    g_autoptr(NML2tpStageRecord) failure = NULL;
    g_autoptr(GError) error              = NULL;
    static const struct {
        const char *id;
        double      seconds;
    } passed[] = {
        { "resolve", 0.02 },     { "ike-phase1", 0.84 },  { "ike-phase2", 1.12 },
        { "l2tp-tunnel", 1.31 }, { "l2tp-session", 1.4 }, { "ppp-lcp", 1.62 },
    };

    report->started = g_date_time_new_utc(2026, 11, 27, 7, 57, 4);
    for (guint i = 0; i < G_N_ELEMENTS(passed); i++)
        nm_l2tp_report_set_stage(
            report, passed[i].id, NM_L2TP_STAGE_STATE_PASSED, passed[i].seconds, NULL);
    failure = nm_l2tp_stage_record_new(
        NM_L2TP_STAGE_PPP_AUTH, NM_L2TP_CAUSE_PPP_AUTH_REJECTED, NULL, 2.38);
    nm_l2tp_report_set_verdict_from_record(report, failure);
    nm_l2tp_report_set_stage(report, "ppp-network", NM_L2TP_STAGE_STATE_NOT_REACHED, -1, NULL);
    g_assert_true(nm_l2tp_report_save(report, NULL, &error));
    g_assert_no_error(error);
}

static void
assert_label_contains(Fixture *f, const char *name, const char *text)
{
    const char *shown = gtk_label_get_text(GTK_LABEL(field(f, name)));

    if (!strstr(shown, text))
        g_error("%s shows \"%s\", expected it to contain \"%s\"", name, shown, text);
}

/* The "Last attempt" page shows the report of this connection. */
static void
test_last_attempt(void)
{
    g_autoptr(NMConnection) connection = NULL;
    Fixture f                          = { 0 };

    write_failed_ppp_auth_report();
    connection = connection_new((const char *const[]){
        NM_L2TP_KEY_GATEWAY, "vpn.example.com", NM_L2TP_KEY_USER, "alice", NULL });
    fixture_open(&f, connection);
    assert_label_contains(&f, "report-stage-ike-phase1", g_dgettext(GETTEXT_PACKAGE, "Passed"));
    assert_label_contains(&f, "report-stage-ppp-lcp", g_dgettext(GETTEXT_PACKAGE, "Passed"));
    assert_label_contains(&f, "report-stage-ppp-auth", g_dgettext(GETTEXT_PACKAGE, "Failed"));
    assert_label_contains(
        &f, "report-stage-ppp-network", g_dgettext(GETTEXT_PACKAGE, "Not reached"));
    assert_label_contains(&f, "report-stage-connected", g_dgettext(GETTEXT_PACKAGE, "Not reached"));
    assert_label_contains(&f, "report-summary", nm_l2tp_stage_get_label(NM_L2TP_STAGE_PPP_AUTH));
    g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(field(&f, "report-message"))), !=, "");
    g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(field(&f, "report-hint"))), !=, "");

    /* The first page points to it. */
    assert_label_contains(
        &f, "report-general-summary", nm_l2tp_stage_get_label(NM_L2TP_STAGE_PPP_AUTH));
    test_notebook_show_page(f.root, "page-general");
    test_save_screenshot(f.root, "editor-general-after-failure");

    test_notebook_show_page(f.root, "page-report");
    test_save_screenshot(f.root, "editor-last-attempt");
    fixture_close(&f);
}

/* A report whose texts carry control characters (an older version wrote
 * it, or its owner edited it): the page shows them escaped, not raw. */
static void
test_last_attempt_escaped(void)
{
    g_autoptr(NMConnection) connection = NULL;
    g_autoptr(GString) shown           = g_string_new(NULL);
    g_autofree char *path              = nm_l2tp_report_build_path(NULL, TEST_UUID, NULL);
    g_autofree char *data              = g_strdup_printf(TEST_HOSTILE_REPORT, TEST_UUID);
    Fixture          f                 = { 0 };

    g_assert_true(g_file_set_contents(path, data, -1, NULL));
    connection = connection_new((const char *const[]){
        NM_L2TP_KEY_GATEWAY, "vpn.example.com", NM_L2TP_KEY_USER, "alice", NULL });
    fixture_open(&f, connection);
    test_collect_label_texts(f.root, shown);
    test_assert_shown_escaped("the editor", shown->str);
    assert_label_contains(&f, "report-message", "E=691 M=\\x1b[2J\\u202eevil\\u009b1m");
    test_notebook_show_page(f.root, "page-report");
    test_save_screenshot(f.root, "editor-last-attempt-escaped");
    fixture_close(&f);
    g_unlink(path);
}

/* One screenshot per page of a filled-in profile. */
static void
test_screenshots(void)
{
    static const char *const pages[] = {
        "page-general", "page-ipsec", "page-ppp", "page-timeouts", NULL,
    };
    g_autoptr(NMConnection) connection = connection_new(NULL);
    Fixture f                          = { 0 };

    fixture_open(&f, connection);
    fill_every_field(&f);
    for (guint i = 0; pages[i]; i++) {
        g_autofree char *name = g_strconcat("editor-", pages[i] + strlen("page-"), NULL);

        test_notebook_show_page(f.root, pages[i]);
        test_save_screenshot(f.root, name);
    }
    fixture_close(&f);
}

int
main(int argc, char **argv)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *tmp    = NULL;
    const char      *path   = g_getenv("NM_L2TP_TEST_PLUGIN");
    int              ret;

    setlocale(LC_ALL, "");
    g_test_init(&argc, &argv, NULL);
    test_gtk_init();

    tmp = g_dir_make_tmp("nm-l2tp-gui-XXXXXX", &error);
    g_assert_no_error(error);
    g_setenv("NM_L2TP_REPORT_DIR", tmp, TRUE);

    if (!path)
        g_error("NM_L2TP_TEST_PLUGIN is not set");
    plugin = nm_vpn_editor_plugin_load_from_file(path, SERVICE, -1, NULL, NULL, &error);
    g_assert_no_error(error);
    g_assert_nonnull(plugin);
    /* After the plugin bound its text domain to the installed catalogs. */
    test_bind_built_catalog(tmp);

    g_test_add_func("/editor/every-field", test_every_field);
    g_test_add_func("/editor/secret-not-saved", test_secret_not_saved);
    g_test_add_func("/editor/keeps-other-keys", test_keeps_other_keys);
    g_test_add_func("/editor/invalid-values", test_invalid_values);
    g_test_add_func("/editor/combination-error", test_combination_error);
    g_test_add_func("/editor/certificates", test_certificates);
    g_test_add_func("/editor/last-attempt", test_last_attempt);
    g_test_add_func("/editor/last-attempt-escaped", test_last_attempt_escaped);
    g_test_add_func("/editor/screenshots", test_screenshots);
    ret = g_test_run();

    g_clear_object(&plugin);
    test_remove_tree(tmp);
    return ret;
}
