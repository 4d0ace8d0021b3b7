/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nm-l2tp-diag --show-config FILE: what the service would hand to
 * strongSwan, xl2tpd and pppd for a stored profile, through the built
 * command.  No secret in the output; a profile the service would refuse
 * gives the service's error and prints nothing. */
#include "config.h"

#include <string.h>

#include "diag-test-util.h"

#define UUID "3e1f6a2c-7d4b-4c1e-9b2a-5f6d7e8c9a0b"

/* A keyfile as NetworkManager stores it, with the user name @user (as the
 * keyfile spells it) and @extra added to [vpn]. */
static char *
write_profile(const char *dir, const char *service_type, const char *user, const char *extra)
{
    g_autofree char *text = g_strdup_printf("[connection]\n"
                                            "id=office\n"
                                            "uuid=" UUID "\n"
                                            "type=vpn\n"
                                            "\n"
                                            "[vpn]\n"
                                            "service-type=%s\n"
                                            "gateway=vpn.example.com\n"
                                            "user=%s\n"
                                            "domain=CORP\n"
                                            "ipsec-enabled=yes\n"
                                            "ipsec-psk-flags=0\n"
                                            "password-flags=0\n"
                                            "user-certpass-flags=0\n"
                                            "%s"
                                            "\n"
                                            "[vpn-secrets]\n"
                                            "password=" DIAG_TEST_PASSWORD "\n"
                                            "ipsec-psk=" DIAG_TEST_PSK "\n"
                                            "user-certpass=" DIAG_TEST_CERTPASS "\n"
                                            "\n"
                                            "[ipv4]\n"
                                            "method=auto\n",
                                            service_type,
                                            user,
                                            extra);

    diag_test_write(dir, "office.nmconnection", text, 0600);
    return g_build_filename(dir, "office.nmconnection", NULL);
}

static int
show_config(const char *path, char **out, char **err)
{
    const char *args[] = { "--show-config", path, NULL };
    int         status = diag_test_run(NULL, args, out, err);

    g_test_message("exit %d\n--- stdout\n%s--- stderr\n%s", status, *out, *err);
    return status;
}

static void
test_profile(void)
{
    g_autofree char *dir = diag_test_make_tmpdir();
    g_autofree char *path =
        write_profile(dir, "org.freedesktop.NetworkManager.l2tp", "alice", "mtu=1350\n");
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint(show_config(path, &out, &err), ==, 0);
    /* The connection charon gets, named after the UUID. */
    g_assert_nonnull(strstr(out, "connections {\n    " UUID " {\n"));
    g_assert_nonnull(strstr(out, "        remote_addrs = vpn.example.com\n"));
    g_assert_nonnull(strstr(out, "            auth = psk\n"));
    /* xl2tpd's and pppd's files where the service would write them. */
    g_assert_nonnull(strstr(out, "==> " NM_L2TP_RUNDIR "/" UUID "/xl2tpd.conf\n"));
    g_assert_nonnull(strstr(out, "lns = vpn.example.com\n"));
    g_assert_nonnull(strstr(out, "==> " NM_L2TP_RUNDIR "/" UUID "/pppd-options"));
    g_assert_nonnull(strstr(out, "user \"CORP\\\\alice\"\n"));
    g_assert_nonnull(strstr(out, "\nmtu 1350\n"));
    diag_test_assert_no_secret("stdout", out, strlen(out));
    diag_test_assert_no_secret("stderr", err, strlen(err));
    diag_test_rm_rf(dir);
}

/* The example profile of the README and scripts/demo. */
static void
test_example(void)
{
    g_autofree char *path =
        g_build_filename(g_getenv("NM_L2TP_SRCDIR"), "tests", "diag", "office.nmconnection", NULL);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint(show_config(path, &out, &err), ==, 0);
    g_assert_nonnull(strstr(out, "refuse-pap\n"));
    g_assert_null(strstr(out, "not-printed"));
}

/* What the service would refuse, --show-config refuses with the service's
 * words, before printing anything. */
static void
test_refused(void)
{
    static const struct {
        const char *user;
        const char *extra;
        const char *error;
    } cases[] = {
        { "alice", "mtu=1400x\n", "invalid value for “mtu”: the value is not a whole number" },
        /* A keyfile's \n is a line break in the value: an injected pppd
         * option. */
        { "alice\\nplugin /tmp/evil.so",
          "",
          "invalid value for “user”: the value contains a line break" },
        { "alice",
          "ipsec-ike=aes256-sha1\"-modp1024\n",
          "invalid value for “ipsec-ike”: the value contains a quote character" },
        { "alice", "no-such-key=1\n", "no-such-key" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *dir  = diag_test_make_tmpdir();
        g_autofree char *path = NULL;
        g_autofree char *out  = NULL;
        g_autofree char *err  = NULL;
        g_autofree char *text = NULL;

        path = write_profile(
            dir, "org.freedesktop.NetworkManager.l2tp", cases[i].user, cases[i].extra);
        g_assert_cmpint(show_config(path, &out, &err), ==, 1);
        g_assert_cmpstr(out, ==, "");
        g_assert_nonnull(strstr(err, cases[i].error));
        diag_test_assert_no_secret("stderr", err, strlen(err));
        diag_test_rm_rf(dir);
    }
}

static void
test_not_l2tp(void)
{
    g_autofree char *dir = diag_test_make_tmpdir();
    g_autofree char *path =
        write_profile(dir, "org.freedesktop.NetworkManager.openvpn", "alice", "");
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint(show_config(path, &out, &err), ==, 1);
    g_assert_cmpstr(out, ==, "");
    g_assert_nonnull(strstr(err, "not an L2TP VPN connection"));
    diag_test_rm_rf(dir);
}

static void
test_missing_file(void)
{
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint(show_config("/nonexistent/office.nmconnection", &out, &err), ==, 1);
    g_assert_cmpstr(out, ==, "");
    g_assert_nonnull(strstr(err, "/nonexistent/office.nmconnection: "));
}

static void
test_usage(void)
{
    /* With --json, with another mode, with a connection argument. */
    static const char *const others[] = { "--json", "--check", "office" };

    for (guint i = 0; i < G_N_ELEMENTS(others); i++) {
        const char      *args[] = { "--show-config", "x.nmconnection", others[i], NULL };
        g_autofree char *out    = NULL;
        g_autofree char *err    = NULL;

        g_assert_cmpint(diag_test_run(NULL, args, &out, &err), ==, 2);
        g_assert_nonnull(strstr(err, "--show-config"));
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/diag/show-config/profile", test_profile);
    g_test_add_func("/diag/show-config/example", test_example);
    g_test_add_func("/diag/show-config/refused", test_refused);
    g_test_add_func("/diag/show-config/not-l2tp", test_not_l2tp);
    g_test_add_func("/diag/show-config/missing-file", test_missing_file);
    g_test_add_func("/diag/show-config/usage", test_usage);
    return g_test_run();
}
