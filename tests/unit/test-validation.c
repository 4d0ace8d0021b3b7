/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Validation of whole connections: what is accepted, what is refused and
 * how the refusal reads. */

#include "config.h"

#include <string.h>

#include "nm-l2tp-error.h"
#include "test-util.h"

static NML2tpSettings *
validate(GError **error, NML2tpValidateFlags flags, ...)
{
    g_autoptr(GHashTable) data    = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GHashTable) secrets = g_hash_table_new(g_str_hash, g_str_equal);
    va_list     ap;
    const char *k;

    va_start(ap, flags);
    while ((k = va_arg(ap, const char *))) {
        const char *v = va_arg(ap, const char *);

        if (g_str_has_prefix(k, "secret:"))
            g_hash_table_insert(secrets, (gpointer)(k + 7), (gpointer)v);
        else
            g_hash_table_insert(data, (gpointer)k, (gpointer)v);
    }
    va_end(ap);
    return nm_l2tp_settings_new_from_hash(data, secrets, flags, error);
}

static void
assert_error_mentions(GError *error, int code, const char *text)
{
    g_assert_error(error, NM_L2TP_ERROR, code);
    if (!strstr(error->message, text))
        g_error("error \"%s\" does not mention \"%s\"", error->message, text);
}

static void
test_defaults(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(NML2tpSettings) s =
        validate(&error, NM_L2TP_VALIDATE_FOR_CONNECT, "gateway", "192.0.2.1", NULL);

    g_assert_no_error(error);
    g_assert_cmpstr(s->gateway, ==, "192.0.2.1");
    g_assert_cmpint(s->mtu, ==, 1400);
    g_assert_cmpint(s->mru, ==, 1400);
    g_assert_cmpint(s->mrru, ==, -1);
    g_assert_cmpint(s->unit, ==, -1);
    /* A server that stopped answering is noticed within 30 s of its last
     * packet: pppd declares it gone at the (failure + 1)th idle interval. */
    g_assert_cmpint(s->lcp_echo_failure, >, 0);
    g_assert_cmpint(s->lcp_echo_interval, >, 0);
    g_assert_cmpint((s->lcp_echo_failure + 1) * s->lcp_echo_interval, <=, 30);
    g_assert_cmpint(s->timeout_ike, <=, 10);
    g_assert_cmpint(s->ipsec_dpd_delay, >, 0);
    g_assert_cmpstr(s->ipsec_ike, ==, NM_L2TP_DEFAULT_IKE_PROPOSALS);
    g_assert_cmpstr(s->ipsec_esp, ==, NM_L2TP_DEFAULT_ESP_PROPOSALS);
    g_assert_false(s->ipsec_enabled);
    g_assert_true(s->refuse_eap);
    g_assert_false(s->refuse_pap);
    g_assert_cmpint(s->user_auth_type, ==, NM_L2TP_USER_AUTH_PASSWORD);
    g_assert_cmpint(s->machine_auth_type, ==, NM_L2TP_MACHINE_AUTH_PSK);
    g_assert_null(s->password);
    /* Issue #16: routes and domains by DHCPINFORM on, Windows' classful
     * route off, IPv6 negotiated when the server offers it. */
    g_assert_true(s->dhcp_inform);
    g_assert_false(s->classful_route);
    g_assert_cmpint(s->ipv6, ==, NM_L2TP_IPV6_MODE_AUTO);
}

/* The keys of issue #16: their values, and nothing else. */
static void
test_ip_keys(void)
{
    static const char *const refused[][2] = {
        { "dhcp-inform", "true" }, { "dhcp-inform", "Yes" },    { "dhcp-inform", "" },
        { "classful-route", "1" }, { "classful-route", "no " }, { "ipv6", "AUTO" },
        { "ipv6", "yes" },         { "ipv6", "auto\n" },        { "ipv6", "disabled" },
    };
    g_autoptr(GError) error = NULL;
    g_autoptr(NML2tpSettings) s =
        validate(&error, 0, "dhcp-inform", "no", "classful-route", "yes", "ipv6", "ignore", NULL);
    guint i;

    g_assert_no_error(error);
    g_assert_false(s->dhcp_inform);
    g_assert_true(s->classful_route);
    g_assert_cmpint(s->ipv6, ==, NM_L2TP_IPV6_MODE_IGNORE);

    for (i = 0; i < G_N_ELEMENTS(refused); i++) {
        g_autoptr(GError) e = NULL;

        g_assert_false(nm_l2tp_validate_value(refused[i][0], refused[i][1], &e));
        assert_error_mentions(e, NM_L2TP_ERROR_INVALID_VALUE, refused[i][0]);
    }
}

/* The default proposals must carry the suites the big vendors' L2TP servers
 * accept; losing one silently breaks connections to that vendor. */
static void
test_default_proposals_cover_vendors(void)
{
    g_auto(GStrv) ike      = g_strsplit(NM_L2TP_DEFAULT_IKE_PROPOSALS, ",", -1);
    g_auto(GStrv) esp      = g_strsplit(NM_L2TP_DEFAULT_ESP_PROPOSALS, ",", -1);
    const char *need_ike[] = {
        "3des-sha1-modp1024",     /* Meraki MX, old Windows and Cisco IOS */
        "aes256-sha1-modp1024",   /* Windows Server RRAS, MikroTik */
        "aes128-sha1-modp2048",   /* MikroTik default, Cisco IOS group 14 */
        "aes256-sha256-modp2048", /* iOS/macOS, strongSwan/libreswan */
    };
    const char *need_esp[] = { "3des-sha1", "aes128-sha1", "aes256-sha1", "aes256-sha256" };
    guint       i;

    for (i = 0; i < G_N_ELEMENTS(need_ike); i++)
        g_assert_true(g_strv_contains((const char *const *)ike, need_ike[i]));
    for (i = 0; i < G_N_ELEMENTS(need_esp); i++)
        g_assert_true(g_strv_contains((const char *const *)esp, need_esp[i]));
}

static void
test_unknown_key(void)
{
    g_autoptr(GError) error = NULL;

    g_assert_null(validate(&error, 0, "gateway", "a.example", "ipsec-fancy", "yes", NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_UNKNOWN_KEY, "ipsec-fancy");
}

static void
test_wrong_type(void)
{
    g_autoptr(GError) error = NULL;

    g_assert_null(validate(&error, 0, "ipsec-enabled", "true", NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_INVALID_VALUE, "ipsec-enabled");
    g_clear_error(&error);
    g_assert_null(validate(&error, 0, "mtu", "big", NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_INVALID_VALUE, "mtu");
    g_clear_error(&error);
    g_assert_null(validate(&error, 0, "machine-auth-type", "kerberos", NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_INVALID_VALUE, "psk, tls");
    g_clear_error(&error);
    g_assert_null(validate(&error, 0, "ipcp-peer-ip", "10.0.0.256", NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_INVALID_VALUE, "ipcp-peer-ip");
    g_clear_error(&error);
    g_assert_null(validate(&error, 0, "machine-cert", "relative/cert.pem", NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_INVALID_VALUE, "absolute");
}

static void
test_out_of_range(void)
{
    g_autoptr(GError) error = NULL;

    g_assert_null(validate(&error, 0, "mtu", "99999", NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_OUT_OF_RANGE, "between 128 and 16384");
    g_clear_error(&error);
    g_assert_null(validate(&error, 0, "mtu", "127", NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_OUT_OF_RANGE, "mtu");
    g_clear_error(&error);
    g_assert_null(validate(&error, 0, "timeout-ike", "0", NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_OUT_OF_RANGE, "timeout-ike");
    g_clear_error(&error);
    g_assert_null(validate(&error, 0, "password-flags", "8", NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_OUT_OF_RANGE, "password-flags");
    g_clear_error(&error);
    g_assert_null(validate(&error, 0, "lcp-echo-interval", "99999999999999999999999", NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_OUT_OF_RANGE, "lcp-echo-interval");
}

static void
test_numbers_are_plain(void)
{
    const char *bad[] = { "1400abc", "1400 ", " 1400", "+1400", "0x578",
                          "1.4e3",   "-1400", "14 00", "" };
    guint       i;

    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;

        g_assert_false(nm_l2tp_validate_value("mtu", bad[i], &error));
        assert_error_mentions(error, error->code, "mtu");
    }
    g_assert_true(nm_l2tp_validate_value("mtu", "01400", NULL));
}

static void
test_hosts(void)
{
    const char *good[] = { "vpn.example.com", "vpn.example.com.", "192.0.2.1", "2001:db8::1",
                           "a-b.example",     "xn--r8jz45g.jp",   "例え.jp" };
    const char *bad[]  = { "a..b",        "-vpn.example", "vpn-.example", "vpn example",
                           "vpn;example", "fe80::1%eth0", "a/b",          "." };
    guint       i;

    for (i = 0; i < G_N_ELEMENTS(good); i++)
        g_assert_true(nm_l2tp_validate_value("gateway", good[i], NULL));
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;

        if (nm_l2tp_validate_value("gateway", bad[i], &error))
            g_error("gateway \"%s\" accepted", bad[i]);
        assert_error_mentions(error, error->code, "gateway");
    }
}

static void
test_idn_gateway_goes_ascii(void)
{
    g_autoptr(GError) error     = NULL;
    g_autoptr(NML2tpSettings) s = validate(&error, 0, "gateway", "例え.jp", NULL);

    g_assert_no_error(error);
    g_assert_true(g_str_has_prefix(s->gateway, "xn--"));
}

static void
test_proposals(void)
{
    g_autoptr(GError) error     = NULL;
    g_autoptr(NML2tpSettings) s = validate(&error,
                                           0,
                                           "ipsec-ike",
                                           "AES256-SHA1-MODP2048,3des-sha1-modp1024!",
                                           "ipsec-esp",
                                           "aes128gcm16",
                                           NULL);

    g_assert_no_error(error);
    g_assert_cmpstr(s->ipsec_ike, ==, "aes256-sha1-modp2048,3des-sha1-modp1024");
    g_assert_cmpstr(s->ipsec_esp, ==, "aes128gcm16");
    g_assert_false(nm_l2tp_validate_value("ipsec-ike", "aes256-sha1,,3des", NULL));
    g_assert_false(nm_l2tp_validate_value("ipsec-ike", "aes256 sha1", NULL));
    g_assert_false(nm_l2tp_validate_value("ipsec-esp", "aes256-sha1;", NULL));
    g_assert_false(nm_l2tp_validate_value("ipsec-esp", "aes--sha1", NULL));
    g_assert_false(nm_l2tp_validate_value("ipsec-esp", "!", NULL));
}

static void
test_alias(void)
{
    g_autoptr(GError) error      = NULL;
    g_autoptr(NML2tpSettings) s  = validate(&error, 0, "ipsec-gateway-id", "@old.example", NULL);
    g_autoptr(NML2tpSettings) s2 = NULL;

    g_assert_no_error(error);
    g_assert_cmpstr(s->ipsec_remote_id, ==, "@old.example");
    s2 = validate(
        &error, 0, "ipsec-gateway-id", "@a.example", "ipsec-remote-id", "@a.example", NULL);
    g_assert_no_error(error);
    g_assert_null(validate(
        &error, 0, "ipsec-gateway-id", "@a.example", "ipsec-remote-id", "@b.example", NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_INVALID_VALUE, "ipsec-gateway-id");
}

static void
test_secrets_placement(void)
{
    g_autoptr(GError) error     = NULL;
    g_autoptr(NML2tpSettings) s = NULL;

    /* Old profiles kept the PSK in vpn.data; a real secret overrides it. */
    s = validate(
        &error, 0, "ipsec-psk", "old", "secret:ipsec-psk", "new", "secret:password", "pw", NULL);
    g_assert_no_error(error);
    g_assert_cmpstr(s->ipsec_psk, ==, "new");
    g_assert_cmpstr(s->password, ==, "pw");
    g_assert_null(validate(&error, 0, "secret:gateway", "192.0.2.1", NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_UNKNOWN_KEY, "gateway");
}

static void
test_combinations(void)
{
    g_autoptr(GError) error = NULL;

    g_assert_null(validate(&error,
                           0,
                           "refuse-eap",
                           "yes",
                           "refuse-pap",
                           "yes",
                           "refuse-chap",
                           "yes",
                           "refuse-mschap",
                           "yes",
                           "refuse-mschapv2",
                           "yes",
                           NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_INVALID_VALUE, "refuse");
    g_clear_error(&error);
    g_assert_null(validate(
        &error, 0, "require-mppe", "yes", "refuse-mschap", "yes", "refuse-mschapv2", "yes", NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_INVALID_VALUE, "require-mppe");
    g_clear_error(&error);
    g_assert_null(validate(&error, NM_L2TP_VALIDATE_FOR_CONNECT, "user", "u", NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_MISSING, "gateway");
    g_clear_error(&error);
    g_assert_null(validate(&error,
                           NM_L2TP_VALIDATE_FOR_CONNECT,
                           "gateway",
                           "192.0.2.1",
                           "ipsec-enabled",
                           "yes",
                           "machine-auth-type",
                           "tls",
                           NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_MISSING, "machine-cert");
    g_clear_error(&error);
    /* EAP-TLS: pppd needs the CA with the certificate and key, and the
     * user name is the identity the server checks against the certificate. */
    g_assert_null(validate(&error,
                           NM_L2TP_VALIDATE_FOR_CONNECT,
                           "gateway",
                           "192.0.2.1",
                           "user-auth-type",
                           "tls",
                           "user",
                           "bob",
                           "user-cert",
                           "/etc/ssl/l2tp/bob.pem",
                           "user-key",
                           "/etc/ssl/l2tp/bob.key",
                           NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_MISSING, "user-ca");
    g_clear_error(&error);
    g_assert_null(validate(&error,
                           NM_L2TP_VALIDATE_FOR_CONNECT,
                           "gateway",
                           "192.0.2.1",
                           "user-auth-type",
                           "tls",
                           "user-ca",
                           "/etc/ssl/l2tp/ca.pem",
                           "user-cert",
                           "/etc/ssl/l2tp/bob.pem",
                           "user-key",
                           "/etc/ssl/l2tp/bob.key",
                           NULL));
    assert_error_mentions(error, NM_L2TP_ERROR_MISSING, "EAP identity");
    g_clear_error(&error);
    /* Every password method refused is fine with EAP-TLS. */
    {
        g_autoptr(NML2tpSettings) s = validate(&error,
                                               NM_L2TP_VALIDATE_FOR_CONNECT,
                                               "gateway",
                                               "192.0.2.1",
                                               "user-auth-type",
                                               "tls",
                                               "user",
                                               "bob",
                                               "user-ca",
                                               "/etc/ssl/l2tp/ca.pem",
                                               "user-cert",
                                               "/etc/ssl/l2tp/bob.pem",
                                               "user-key",
                                               "/etc/ssl/l2tp/bob.key",
                                               "refuse-pap",
                                               "yes",
                                               "refuse-chap",
                                               "yes",
                                               "refuse-mschap",
                                               "yes",
                                               "refuse-mschapv2",
                                               "yes",
                                               NULL);
        g_assert_no_error(error);
        g_assert_nonnull(s);
    }
}

static void
test_from_setting_vpn(void)
{
    g_autoptr(NMSettingVpn) s_vpn = NM_SETTING_VPN(nm_setting_vpn_new());
    g_autoptr(GError) error       = NULL;
    g_autoptr(NML2tpSettings) s   = NULL;
    g_autofree char *user         = NULL;

    g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, "org.freedesktop.NetworkManager.l2tp", NULL);
    nm_setting_vpn_add_data_item(s_vpn, "gateway", "vpn.example.com");
    nm_setting_vpn_add_data_item(s_vpn, "user", "alice");
    nm_setting_vpn_add_data_item(s_vpn, "domain", "CORP");
    nm_setting_vpn_add_secret(s_vpn, "password", "pw");
    s = nm_l2tp_settings_new_from_vpn(s_vpn, NM_L2TP_VALIDATE_FOR_CONNECT, &error);
    g_assert_no_error(error);
    user = nm_l2tp_settings_dup_ppp_user(s);
    g_assert_cmpstr(user, ==, "CORP\\alice");
    g_assert_cmpstr(s->password, ==, "pw");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/validation/defaults", test_defaults);
    g_test_add_func("/validation/default-proposals-cover-vendors",
                    test_default_proposals_cover_vendors);
    g_test_add_func("/validation/unknown-key", test_unknown_key);
    g_test_add_func("/validation/ip-keys", test_ip_keys);
    g_test_add_func("/validation/wrong-type", test_wrong_type);
    g_test_add_func("/validation/out-of-range", test_out_of_range);
    g_test_add_func("/validation/numbers-are-plain", test_numbers_are_plain);
    g_test_add_func("/validation/hosts", test_hosts);
    g_test_add_func("/validation/idn-gateway", test_idn_gateway_goes_ascii);
    g_test_add_func("/validation/proposals", test_proposals);
    g_test_add_func("/validation/alias", test_alias);
    g_test_add_func("/validation/secrets-placement", test_secrets_placement);
    g_test_add_func("/validation/combinations", test_combinations);
    g_test_add_func("/validation/from-setting-vpn", test_from_setting_vpn);
    return g_test_run();
}
