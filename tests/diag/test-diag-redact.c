/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Redaction: secrets planted in every shape the redactor must know, in a
 * fixture log, through the API and through nm-l2tp-diag --logs. */
#include "config.h"

#include <string.h>

#include "diag-test-util.h"
#include "nm-l2tp-diag-logs.h"
#include "nm-l2tp-diag-redact.h"
#include "nm-l2tp-error.h"

static char *
redact(const char *text, const char *secret)
{
    g_autoptr(NML2tpRedactor) r = nm_l2tp_redactor_new();

    nm_l2tp_redactor_add_secret(r, secret);
    return nm_l2tp_redactor_redact(r, text);
}

static void
assert_redacted(const char *input, const char *secret, const char *expected)
{
    g_autofree char *out = redact(input, secret);

    g_assert_cmpstr(out, ==, expected);
}

static void
test_exact(void)
{
    /* Anywhere, in every encoding. */
    assert_redacted("key Pl4nted-PSK-9z here", DIAG_TEST_PSK, "key <redacted> here");
    assert_redacted("x" DIAG_TEST_PSK "y", DIAG_TEST_PSK, "x<redacted>y");
    assert_redacted("hex 506c346e7465642d50534b2d397a.", DIAG_TEST_PSK, "hex <redacted>.");
    assert_redacted("HEX 506C346E7465642D50534B2D397A.", DIAG_TEST_PSK, "HEX <redacted>.");
    assert_redacted("b64 UGw0bnRlZC1QU0stOXo= end", DIAG_TEST_PSK, "b64 <redacted> end");
    /* With the escapes of a quoted config value. */
    assert_redacted("v \"a\\\"b\\\\c-long\"", "a\"b\\c-long", "v \"<redacted>\"");
    /* A short secret only where it stands alone. */
    assert_redacted("abc: the abcd of abc.", "abc", "<redacted>: the abcd of <redacted>.");
    /* Nothing to do. */
    assert_redacted("nothing here", DIAG_TEST_PSK, "nothing here");
    assert_redacted("", DIAG_TEST_PSK, "");
}

static void
test_shapes(void)
{
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        { "secret = \"s3cr3t value\"\n", "secret = <redacted>\n" },
        { "    secret = s3cr3t # tail\n", "    secret = <redacted>\n" },
        { "ipsec-psk=s3cr3t\n", "ipsec-psk=<redacted>\n" },
        { "vpn.secrets: password = one, ipsec-psk = two\n",
          "vpn.secrets: password = <redacted>\n" },
        { "\"password\": \"x y\", \"user\": \"u\"\n",
          "\"password\": <redacted>, \"user\": \"u\"\n" },
        { "user-certpass=abc\nmachine-certpass: def\n",
          "user-certpass=<redacted>\nmachine-certpass: <redacted>\n" },
        { "password hunter2\n", "password <redacted>\n" },
        { "  password \"hunter 2\"\n", "  password <redacted>\n" },
        { "   1.200 ppp: password hunter2\n", "   1.200 ppp: password <redacted>\n" },
        { ": PSK \"v\"\n@me : XAUTH pw\n", ": PSK <redacted>\n@me : XAUTH <redacted>\n" },
        { "key 0sYWJjZGVmZ2hpams=\n", "key 0s<redacted>\n" },
        { "key 0x00112233445566778899\n", "key 0x<redacted>\n" },
        { "rcvd [CHAP Challenge id=0x1 <0a0b0c0d0e0f>, name = \"srv\"]\n",
          "rcvd [CHAP Challenge id=0x1 <<redacted>>, name = \"srv\"]\n" },
        { "rcvd [CHAP Success id=0x1 \"S=0123456789ABCDEF0123456789ABCDEF01234567 M=ok\"]\n",
          "rcvd [CHAP Success id=0x1 \"S=<redacted> M=ok\"]\n" },
    };
    /* What must stay: diagnosis needs these lines. */
    static const char *const keep[] = {
        "rcvd [LCP ConfReq id=0x1 <mru 1400> <magic 0x5e4e2c1a>]\n",
        "CHILD_SA l2tp{1} established with SPIs c1a2b3c4_i c5d6e7f8_o\n",
        "password-flags=1\n",
        "PAP authentication failed\n",
        "MS-CHAP authentication failed: E=691 Authentication failure\n",
        "check the IPsec pre-shared key (it is not the user password)\n",
        "wrong-secret=ipsec-psk\n",
        "timeout 10s, retransmit 0s\n",
        "no-secret=true\n",
    };
    g_autoptr(NML2tpRedactor) r = nm_l2tp_redactor_new();

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *out = nm_l2tp_redactor_redact(r, cases[i].in);

        g_assert_cmpstr(out, ==, cases[i].out);
    }
    for (guint i = 0; i < G_N_ELEMENTS(keep); i++) {
        g_autofree char *out = nm_l2tp_redactor_redact(r, keep[i]);

        g_assert_cmpstr(out, ==, keep[i]);
    }
}

static void
test_setting(void)
{
    g_autoptr(NMSetting) s      = nm_setting_vpn_new();
    g_autoptr(NML2tpRedactor) r = nm_l2tp_redactor_new();
    g_autofree char *out        = NULL;
    NMSettingVpn    *s_vpn      = NM_SETTING_VPN(s);

    nm_setting_vpn_add_data_item(s_vpn, "gateway", "vpn.example.com");
    nm_setting_vpn_add_data_item(s_vpn, "user", "alice");
    /* An old profile with the PSK in vpn.data. */
    nm_setting_vpn_add_data_item(s_vpn, "ipsec-psk", DIAG_TEST_PSK);
    nm_setting_vpn_add_secret(s_vpn, "password", DIAG_TEST_PASSWORD);
    nm_setting_vpn_add_secret(s_vpn, "machine-certpass", DIAG_TEST_CERTPASS);
    nm_setting_vpn_add_secret(s_vpn, "no-secret", "true");
    nm_l2tp_redactor_add_setting(r, s_vpn);
    g_assert_cmpuint(nm_l2tp_redactor_get_n_secrets(r), ==, 3);

    out = nm_l2tp_redactor_redact(r, diag_test_planted_log());
    g_test_message("%s", out);
    diag_test_assert_no_secret("redacted log", out, strlen(out));
    /* The user name and the gateway stay: they are needed to diagnose. */
    g_assert_nonnull(strstr(out, "user=\"labuser\""));
    g_assert_nonnull(strstr(out, "<magic 0x5e4e2c1a>"));
    g_assert_nonnull(strstr(out, "received AUTHENTICATION_FAILED notify error"));
    /* no-secret's value is a marker, not a secret. */
    g_clear_pointer(&out, g_free);
    out = nm_l2tp_redactor_redact(r, "enabled: true\n");
    g_assert_cmpstr(out, ==, "enabled: true\n");
}

static void
test_invalid_utf8(void)
{
    g_autoptr(NML2tpRedactor) r = nm_l2tp_redactor_new();
    g_autofree char *out        = NULL;

    nm_l2tp_redactor_add_secret(r, DIAG_TEST_PSK);
    out = nm_l2tp_redactor_redact(
        r, "bad \xff\xfe byte then secret=" DIAG_TEST_OTHER_PSK " " DIAG_TEST_PSK "\n");
    diag_test_assert_no_secret("invalid UTF-8", out, strlen(out));
}

/* The log of an attempt, read through the API that --logs uses: shapes
 * and the exact values the connection knows. */
static void
test_logs_read(void)
{
    g_autofree char *dir        = diag_test_make_tmpdir();
    g_autoptr(NML2tpRedactor) r = nm_l2tp_redactor_new();
    g_autoptr(GError) error     = NULL;
    g_autofree char *logs       = NULL;
    g_autofree char *none       = NULL;

    diag_test_write(dir, DIAG_TEST_UUID_PSK ".log", diag_test_planted_log(), 0600);
    nm_l2tp_redactor_add_secret(r, DIAG_TEST_PSK);
    nm_l2tp_redactor_add_secret(r, DIAG_TEST_PASSWORD);
    nm_l2tp_redactor_add_secret(r, DIAG_TEST_CERTPASS);
    logs = nm_l2tp_diag_logs_read(dir, DIAG_TEST_UUID_PSK, r, &error);
    g_assert_no_error(error);
    diag_test_assert_no_secret("--logs", logs, strlen(logs));
    g_assert_nonnull(strstr(logs, "l2tp: Connecting to host 198.51.100.1, port 1701"));

    none = nm_l2tp_diag_logs_read(dir, DIAG_TEST_UUID_OK, r, &error);
    g_assert_null(none);
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_MISSING);
    g_clear_error(&error);
    g_assert_null(nm_l2tp_diag_logs_read(dir, "../../etc/passwd", r, &error));
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_INVALID_VALUE);
    diag_test_rm_rf(dir);
}

/* nm-l2tp-diag --logs without NetworkManager: only the shapes are known,
 * which the planted log is made to need. */
static void
test_logs_command(void)
{
    g_autofree char *dir        = diag_test_make_tmpdir();
    g_autoptr(NML2tpReport) rep = diag_test_report_psk_rejected();
    g_autoptr(GError) error     = NULL;
    g_autofree char *out = NULL, *err = NULL;
    const char      *args[] = { "--logs", DIAG_TEST_UUID_PSK, NULL };
    /* Only the lines whose secret has a recognisable shape: the bare ones
     * need the connection's secrets (test_logs_read). */
    g_autofree char *shaped = NULL;
    g_auto(GStrv) lines     = g_strsplit(diag_test_planted_log(), "\n", -1);
    g_autoptr(GString) log  = g_string_new(NULL);

    for (guint i = 0; lines[i]; i++) {
        if (strstr(lines[i], "shared key with id") || strstr(lines[i], "all along"))
            continue;
        g_string_append_printf(log, "%s\n", lines[i]);
    }
    shaped = g_string_free(g_steal_pointer(&log), FALSE);
    nm_l2tp_report_save(rep, dir, &error);
    g_assert_no_error(error);
    diag_test_write(dir, DIAG_TEST_UUID_PSK ".log", shaped, 0600);

    g_assert_cmpint(diag_test_run(dir, args, &out, &err), ==, 0);
    g_test_message("%s", out);
    diag_test_assert_no_secret("nm-l2tp-diag --logs", out, strlen(out));
    diag_test_assert_no_secret("nm-l2tp-diag --logs (stderr)", err, strlen(err));
    g_assert_nonnull(strstr(out, "ike: received AUTHENTICATION_FAILED notify error"));
    g_assert_nonnull(strstr(out, "ipsec-psk=<redacted>"));
    diag_test_rm_rf(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/diag/redact/exact", test_exact);
    g_test_add_func("/diag/redact/shapes", test_shapes);
    g_test_add_func("/diag/redact/setting", test_setting);
    g_test_add_func("/diag/redact/invalid-utf8", test_invalid_utf8);
    g_test_add_func("/diag/redact/logs-read", test_logs_read);
    g_test_add_func("/diag/redact/logs-command", test_logs_command);
    return g_test_run();
}
