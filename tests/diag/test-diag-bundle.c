/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The bundle: open the tar.gz, list its entries, and look for the planted
 * secrets in every file.  Once through the API with a connection that
 * carries the secrets (as root with NetworkManager), once through the
 * command without NetworkManager. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "diag-test-util.h"
#include "nm-l2tp-diag-bundle.h"
#include "nm-l2tp-diag-tar.h"
#include "nm-l2tp-ppp-dbus.h"

/* A connection as libnm would hand it to root: data and secrets. */
static NMConnection *
make_connection(void)
{
    NMConnection *c     = nm_simple_connection_new();
    NMSetting    *s_con = nm_setting_connection_new();
    NMSetting    *s_vpn = nm_setting_vpn_new();
    NMSettingVpn *vpn   = NM_SETTING_VPN(s_vpn);

    g_object_set(s_con,
                 NM_SETTING_CONNECTION_ID,
                 "office",
                 NM_SETTING_CONNECTION_UUID,
                 DIAG_TEST_UUID_PSK,
                 NM_SETTING_CONNECTION_TYPE,
                 NM_SETTING_VPN_SETTING_NAME,
                 NULL);
    g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, NM_DBUS_SERVICE_L2TP, NULL);
    nm_setting_vpn_add_data_item(vpn, "gateway", "vpn.example.com");
    nm_setting_vpn_add_data_item(vpn, "user", "alice");
    nm_setting_vpn_add_data_item(vpn, "ipsec-enabled", "yes");
    nm_setting_vpn_add_data_item(vpn, "password-flags", "0");
    nm_setting_vpn_add_data_item(vpn, "ipsec-psk-flags", "0");
    nm_setting_vpn_add_data_item(vpn, "machine-certpass-flags", "0");
    nm_setting_vpn_add_secret(vpn, "password", DIAG_TEST_PASSWORD);
    nm_setting_vpn_add_secret(vpn, "ipsec-psk", DIAG_TEST_PSK);
    nm_setting_vpn_add_secret(vpn, "machine-certpass", DIAG_TEST_CERTPASS);
    nm_connection_add_setting(c, s_con);
    nm_connection_add_setting(c, s_vpn);
    return c;
}

static GPtrArray *
open_bundle(GBytes *gz)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) tar   = nm_l2tp_gunzip(gz, &error);
    GPtrArray *entries;

    g_assert_no_error(error);
    /* A tar archive is a whole number of 512-byte blocks. */
    g_assert_cmpuint(g_bytes_get_size(tar) % 512, ==, 0);
    entries = nm_l2tp_tar_parse(tar, &error);
    g_assert_no_error(error);
    return entries;
}

static const NML2tpTarEntry *
find_entry(GPtrArray *entries, const char *suffix)
{
    for (guint i = 0; i < entries->len; i++) {
        const NML2tpTarEntry *e = entries->pdata[i];

        if (g_str_has_suffix(e->name, suffix))
            return e;
    }
    return NULL;
}

static char *
entry_text(const NML2tpTarEntry *e)
{
    gsize       len;
    const char *d = g_bytes_get_data(e->data, &len);

    return g_strndup(d, len);
}

static void
check_every_file(GPtrArray *entries)
{
    for (guint i = 0; i < entries->len; i++) {
        const NML2tpTarEntry *e = entries->pdata[i];
        gsize                 len;
        const char           *d = g_bytes_get_data(e->data, &len);

        g_test_message(
            "entry %s (%c, %o, %" G_GSIZE_FORMAT " bytes)", e->name, e->type, e->mode, len);
        g_assert_true(g_str_has_prefix(e->name, "nm-l2tp-diag-"));
        g_assert_true(e->type == '0' || e->type == '5');
        diag_test_assert_no_secret(e->name, d ? d : "", len);
    }
}

static void
test_bundle_api(void)
{
    g_autofree char *dir           = diag_test_make_tmpdir();
    g_autoptr(NML2tpReport) report = diag_test_report_psk_rejected();
    g_autoptr(NMConnection) conn   = make_connection();
    g_autoptr(NML2tpRedactor) r    = nm_l2tp_redactor_new();
    g_autoptr(GError) error        = NULL;
    g_autoptr(GBytes) gz           = NULL;
    g_autoptr(GPtrArray) entries   = NULL;
    g_autofree char   *settings    = NULL;
    g_autofree char   *pppd        = NULL;
    g_autofree char   *readme      = NULL;
    NML2tpCheckContext check       = { .probe_vici = FALSE };
    NML2tpBundleParams params      = {
             .report     = report,
             .report_dir = dir,
             .connection = conn,
             .redactor   = r,
             .check      = &check,
             .versions   = TRUE,
    };
    static const char *const expected[] = {
        "/README.txt",
        "/last-attempt.report",
        "/timeline.txt",
        "/timeline.json",
        "/logs.txt",
        "/settings.txt",
        "/config/swanctl.conf",
        "/config/xl2tpd.conf",
        "/config/pppd-options",
        "/run-dir/xl2tpd.conf",
        "/run-dir/charon/charon.log",
        "/versions.txt",
        "/preflight.txt",
        "/preflight.json",
    };

    nm_l2tp_report_save(report, dir, &error);
    g_assert_no_error(error);
    diag_test_write(dir, DIAG_TEST_UUID_PSK ".log", diag_test_planted_log(), 0600);
    /* A connection that is up has its run directory. */
    diag_test_write(dir, DIAG_TEST_UUID_PSK "/xl2tpd.conf", "[global]\nport = 1701\n", 0600);
    diag_test_write(dir,
                    DIAG_TEST_UUID_PSK "/charon/charon.log",
                    "08:00:00 00[CFG] loaded IKE shared key " DIAG_TEST_PSK "\n"
                    "08:00:01 00[CFG] secret: " DIAG_TEST_OTHER_PSK "\n",
                    0600);
    nm_l2tp_redactor_add_setting(r, nm_connection_get_setting_vpn(conn));

    gz = nm_l2tp_diag_bundle_build(&params, &error);
    g_assert_no_error(error);
    entries = open_bundle(gz);
    check_every_file(entries);
    for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
        if (!find_entry(entries, expected[i]))
            g_error("the bundle lacks %s", expected[i]);
    }

    settings = entry_text(find_entry(entries, "/settings.txt"));
    g_assert_nonnull(strstr(settings, "gateway=vpn.example.com\n"));
    g_assert_nonnull(strstr(settings, "ipsec-psk=<redacted>\n"));
    g_assert_nonnull(strstr(settings, "password=<redacted>\n"));
    pppd = entry_text(find_entry(entries, "/config/pppd-options"));
    g_assert_nonnull(strstr(pppd, "alice"));
    readme = entry_text(find_entry(entries, "/README.txt"));
    g_assert_nonnull(strstr(readme, "connection \"office\""));
    g_assert_null(strstr(readme, "secrets were not available"));
    diag_test_rm_rf(dir);
}

/* The command, without NetworkManager: report, logs, versions and
 * preflight; the README says what is missing. */
static void
test_bundle_command(void)
{
    g_autofree char *dir           = diag_test_make_tmpdir();
    g_autofree char *file          = g_build_filename(dir, "out.tar.gz", NULL);
    g_autoptr(NML2tpReport) report = diag_test_report_psk_rejected();
    g_autoptr(GError) error        = NULL;
    g_autofree char *out = NULL, *err = NULL;
    g_autofree char *data        = NULL;
    g_autofree char *readme      = NULL;
    g_autofree char *versions    = NULL;
    g_autofree char *tar_path    = g_find_program_in_path("tar");
    g_autoptr(GBytes) gz         = NULL;
    g_autoptr(GPtrArray) entries = NULL;
    gsize       len;
    const char *args[] = { "--bundle", file, "office", NULL };
    GStatBuf    st;

    nm_l2tp_report_save(report, dir, &error);
    g_assert_no_error(error);
    /* Only the shaped secrets: without NetworkManager, bare values are
     * unknown to the tool. */
    diag_test_write(
        dir,
        DIAG_TEST_UUID_PSK ".log",
        "   0.030 ike: secret = \"" DIAG_TEST_OTHER_PSK "\"\n"
        "   0.050 ike: 0sUGw0bnRlZC1QU0stOXo=\n"
        "   1.300 ppp: sent [PAP AuthReq id=0x1 user=\"labuser\" password=\"" DIAG_TEST_PASSWORD
        "\"]\n"
        "   1.500 ppp: sent [CHAP Response id=0x1 <00112233445566778899aabbccddeeff0011>, name = "
        "\"u\"]\n",
        0600);

    g_assert_cmpint(diag_test_run(dir, args, &out, &err), ==, 0);
    g_test_message("%s%s", out, err);
    g_assert_nonnull(strstr(out, "Wrote "));
    g_assert_cmpint(g_stat(file, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);

    g_file_get_contents(file, &data, &len, &error);
    g_assert_no_error(error);
    diag_test_assert_no_secret("bundle file", data, len);
    gz      = g_bytes_new_take(g_steal_pointer(&data), len);
    entries = open_bundle(gz);
    check_every_file(entries);
    g_assert_nonnull(find_entry(entries, "/logs.txt"));
    g_assert_nonnull(find_entry(entries, "/preflight.json"));
    readme   = entry_text(find_entry(entries, "/README.txt"));
    versions = entry_text(find_entry(entries, "/versions.txt"));
    g_test_message("%s\n%s", readme, versions);
    g_assert_nonnull(strstr(versions, "kernel: Linux "));
    g_assert_nonnull(strstr(versions, "charon: "));
    g_assert_nonnull(strstr(versions, "pppd: "));
    g_assert_nonnull(strstr(versions, "xl2tpd: "));

    /* An independent reader agrees with ours. */
    if (tar_path) {
        g_autofree char *listing    = NULL;
        const char      *tar_args[] = { "tar", "-tzf", file, NULL };
        g_autoptr(GSubprocess) p    = g_subprocess_newv(
            tar_args, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);

        g_assert_no_error(error);
        g_subprocess_communicate_utf8(p, NULL, NULL, &listing, NULL, &error);
        g_assert_no_error(error);
        g_test_message("tar -tzf:\n%s", listing);
        g_assert_true(g_subprocess_get_successful(p));
        g_assert_nonnull(strstr(listing, "/timeline.json\n"));
    }
    diag_test_rm_rf(dir);
}

/* Long names go into ustar's prefix field; a name that cannot be stored
 * is refused, not cut. */
static void
test_tar_names(void)
{
    g_autoptr(NML2tpTar) tar     = nm_l2tp_tar_new();
    g_autoptr(GError) error      = NULL;
    g_autoptr(GBytes) gz         = NULL;
    g_autoptr(GPtrArray) entries = NULL;
    g_autofree char *dir         = g_strnfill(120, 'd');
    g_autofree char *longname    = g_strconcat(dir, "/file.txt", NULL);
    g_autofree char *toolong     = g_strnfill(300, 'x');

    g_assert_true(nm_l2tp_tar_add_file(tar, longname, "x", 1, 0644, 0, &error));
    g_assert_no_error(error);
    g_assert_false(nm_l2tp_tar_add_file(tar, toolong, "x", 1, 0644, 0, &error));
    g_assert_nonnull(error);
    g_clear_error(&error);
    g_assert_false(nm_l2tp_tar_add_file(tar, "../escape", "x", 1, 0644, 0, &error));
    g_clear_error(&error);
    gz      = nm_l2tp_tar_to_gzip(tar, &error);
    entries = open_bundle(gz);
    g_assert_cmpuint(entries->len, ==, 1);
    g_assert_cmpstr(((NML2tpTarEntry *)entries->pdata[0])->name, ==, longname);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/diag/bundle/api", test_bundle_api);
    g_test_add_func("/diag/bundle/command", test_bundle_command);
    g_test_add_func("/diag/bundle/tar-names", test_tar_names);
    return g_test_run();
}
