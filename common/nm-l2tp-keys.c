/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The key table: the single description of every vpn.data and vpn.secrets
 * key.  Validation, defaults, the config writers' inputs, the editor's field
 * checks and the nm-settings-l2tp(5) man page are all driven from here, so a
 * key cannot be accepted without being documented, or documented without
 * being checked. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nm-l2tp-keys.h"
#include "nm-l2tp-settings.h"

#define OFF(field) G_STRUCT_OFFSET(NML2tpSettings, field)

static const char *const user_auth_values[]    = { NM_L2TP_AUTHTYPE_PASSWORD,
                                                   NM_L2TP_AUTHTYPE_TLS,
                                                   NULL };
static const char *const machine_auth_values[] = { NM_L2TP_AUTHTYPE_PSK,
                                                   NM_L2TP_AUTHTYPE_TLS,
                                                   NULL };
/* In the order of NML2tpIpv6Mode. */
static const char *const ipv6_values[] = { NM_L2TP_IPV6_AUTO, NM_L2TP_IPV6_IGNORE, NULL };

#define STR(n, f, len, d)                                                                  \
    {                                                                                      \
        .name = n, .type = NM_L2TP_KEY_TYPE_STRING, .max = len, .offset = OFF(f), .doc = d \
    }
#define BOOL(n, f, def, d)                                                                         \
    {                                                                                              \
        .name = n, .type = NM_L2TP_KEY_TYPE_BOOL, .default_value = def, .offset = OFF(f), .doc = d \
    }
#define NEW_BOOL(n, f, def, d)                                                   \
    {                                                                            \
        .name = n, .type = NM_L2TP_KEY_TYPE_BOOL, .flags = NM_L2TP_KEY_FLAG_NEW, \
        .default_value = def, .offset = OFF(f), .doc = d                         \
    }
#define PATH(n, f, d)                                                                     \
    {                                                                                     \
        .name = n, .type = NM_L2TP_KEY_TYPE_PATH, .max = 4095, .offset = OFF(f), .doc = d \
    }
#define INT(n, f, def, lo, hi, u, d)                                                         \
    {                                                                                        \
        .name = n, .type = NM_L2TP_KEY_TYPE_INT, .default_value = def, .min = lo, .max = hi, \
        .offset = OFF(f), .unit = u, .doc = d                                                \
    }
#define NEW_INT(n, f, def, lo, hi, u, d)                                                  \
    {                                                                                     \
        .name = n, .type = NM_L2TP_KEY_TYPE_INT, .flags = NM_L2TP_KEY_FLAG_NEW,           \
        .default_value = def, .min = lo, .max = hi, .offset = OFF(f), .unit = u, .doc = d \
    }
#define SECRET(n, f, d)                                                                            \
    {                                                                                              \
        .name = n, .type = NM_L2TP_KEY_TYPE_SECRET, .flags = NM_L2TP_KEY_FLAG_SECRET, .max = 1024, \
        .offset = OFF(f), .doc = d                                                                 \
    }
/* One translatable text for every -flags key: gettext cannot extract a
 * string pieced together from the macro argument. */
#define FLAGS(n, f)                                                                               \
    {                                                                                             \
        .name = n "-flags", .type = NM_L2TP_KEY_TYPE_FLAGS, .min = 0, .max = 7, .offset = OFF(f), \
        .doc = N_("How NetworkManager stores the secret of the same name: 0 saved by "            \
                  "NetworkManager, 1 saved by the user's agent, 2 never saved (asked each "       \
                  "time), 4 not required; values add up.")                                        \
    }

/* clang-format off */
static const NML2tpKeyInfo key_table[] = {
    {.name = NM_L2TP_KEY_GATEWAY, .type = NM_L2TP_KEY_TYPE_HOST, .max = 253, .offset = OFF(gateway),
     .doc = N_("The L2TP/IPsec server: a host name, an IPv4 or an IPv6 address. Required.")},
    {.name = NM_L2TP_KEY_USER_AUTH_TYPE, .type = NM_L2TP_KEY_TYPE_ENUM, .default_value = NM_L2TP_AUTHTYPE_PASSWORD,
     .enum_values = user_auth_values, .offset = OFF(user_auth_type),
     .doc = N_("How the user authenticates in PPP: \"password\" (PAP, CHAP, MS-CHAP, MS-CHAPv2) or \"tls\" (EAP-TLS with user-ca, user-cert and user-key, and user as the EAP identity; the password methods are then refused).")},
    {.name = NM_L2TP_KEY_USER, .type = NM_L2TP_KEY_TYPE_STRING, .flags = NM_L2TP_KEY_FLAG_BACKSLASH_OK, .max = 255, .offset = OFF(user),
     .doc = N_("The PPP user name. A backslash is allowed for the DOMAIN\\user form, but prefer the domain key. With EAP-TLS it is the identity sent to the server, usually the common name (CN) of user-cert.")},
    STR(NM_L2TP_KEY_DOMAIN, domain, 255,
        N_("The Windows (NT) domain; the user name is sent as DOMAIN\\user.")),
    PATH(NM_L2TP_KEY_USER_CA, user_ca, N_("CA certificate (PEM) that signed the server's certificate for EAP-TLS in PPP.")),
    PATH(NM_L2TP_KEY_USER_CERT, user_cert, N_("The user's certificate (PEM) for EAP-TLS in PPP.")),
    PATH(NM_L2TP_KEY_USER_KEY, user_key, N_("The private key (PEM) of user-cert.")),
    SECRET(NM_L2TP_KEY_PASSWORD, password, N_("The PPP password. Secret.")),
    FLAGS(NM_L2TP_KEY_PASSWORD, password_flags),
    SECRET(NM_L2TP_KEY_USER_CERTPASS, user_certpass, N_("The password that protects user-key; pppd gets it from the service over D-Bus, never from a file. Secret.")),
    FLAGS(NM_L2TP_KEY_USER_CERTPASS, user_certpass_flags),
    BOOL(NM_L2TP_KEY_EPHEMERAL_PORT, ephemeral_port, "no",
         N_("Use a random UDP source port for L2TP instead of 1701, so that it works while another L2TP client holds port 1701.")),

    BOOL(NM_L2TP_KEY_REFUSE_EAP, refuse_eap, "yes", N_("Do not authenticate with EAP.")),
    BOOL(NM_L2TP_KEY_REFUSE_PAP, refuse_pap, "no", N_("Do not authenticate with PAP. PAP sends the password unencrypted inside the tunnel.")),
    BOOL(NM_L2TP_KEY_REFUSE_CHAP, refuse_chap, "no", N_("Do not authenticate with CHAP.")),
    BOOL(NM_L2TP_KEY_REFUSE_MSCHAP, refuse_mschap, "no", N_("Do not authenticate with MS-CHAP.")),
    BOOL(NM_L2TP_KEY_REFUSE_MSCHAPV2, refuse_mschapv2, "no", N_("Do not authenticate with MS-CHAPv2.")),
    BOOL(NM_L2TP_KEY_REQUIRE_MPPE, require_mppe, "no", N_("Require MPPE encryption of the PPP link (needs MS-CHAP or MS-CHAPv2).")),
    BOOL(NM_L2TP_KEY_REQUIRE_MPPE_40, require_mppe_40, "no", N_("Require 40-bit MPPE.")),
    BOOL(NM_L2TP_KEY_REQUIRE_MPPE_128, require_mppe_128, "no", N_("Require 128-bit MPPE.")),
    BOOL(NM_L2TP_KEY_MPPE_STATEFUL, mppe_stateful, "no", N_("Allow stateful MPPE.")),
    BOOL(NM_L2TP_KEY_NOBSDCOMP, nobsdcomp, "no", N_("Disable BSD-Compress compression.")),
    BOOL(NM_L2TP_KEY_NODEFLATE, nodeflate, "no", N_("Disable Deflate compression.")),
    BOOL(NM_L2TP_KEY_NO_VJ_COMP, no_vj_comp, "no", N_("Disable Van Jacobson TCP/IP header compression.")),
    BOOL(NM_L2TP_KEY_NO_PCOMP, nopcomp, "no", N_("Disable protocol field compression.")),
    BOOL(NM_L2TP_KEY_NO_ACCOMP, noaccomp, "no", N_("Disable address/control field compression.")),
    INT(NM_L2TP_KEY_MTU, mtu, "1400", 128, 16384, N_("bytes"), N_("The PPP interface's MTU.")),
    INT(NM_L2TP_KEY_MRU, mru, "1400", 128, 16384, N_("bytes"), N_("The largest packet the peer may send us (PPP MRU).")),
    INT(NM_L2TP_KEY_MRRU, mrru, NULL, 128, 16384, N_("bytes"), N_("Enable PPP multilink with this MRRU. Unset: multilink off.")),
    INT(NM_L2TP_KEY_LCP_ECHO_FAILURE, lcp_echo_failure, "3", 0, 100, NULL,
        N_("Declare the server gone after this many unanswered LCP echo requests; 0 disables.")),
    INT(NM_L2TP_KEY_LCP_ECHO_INTERVAL, lcp_echo_interval, "5", 0, 3600, N_("seconds"),
        N_("Send an LCP echo request after this many idle seconds; 0 disables.")),
    INT(NM_L2TP_KEY_UNIT, unit, NULL, 0, 65535, NULL, N_("Use pppN as the interface name. Unset: the first free unit.")),
    {.name = NM_L2TP_KEY_IPCP_PEER_IP, .type = NM_L2TP_KEY_TYPE_IPV4, .offset = OFF(ipcp_peer_ip),
     .doc = N_("Ask the server to use this IPv4 address for its end of the PPP link. Unset: accept what the server chooses.")},

    BOOL(NM_L2TP_KEY_IPSEC_ENABLE, ipsec_enabled, "no",
         N_("Protect L2TP with IPsec. Without it L2TP and PPP travel unencrypted; L2TP/IPsec servers require yes.")),
    {.name = NM_L2TP_KEY_MACHINE_AUTH_TYPE, .type = NM_L2TP_KEY_TYPE_ENUM, .default_value = NM_L2TP_AUTHTYPE_PSK,
     .enum_values = machine_auth_values, .offset = OFF(machine_auth_type),
     .doc = N_("How this machine authenticates in IKE: \"psk\" (ipsec-psk) or \"tls\" (machine-cert and machine-key).")},
    SECRET(NM_L2TP_KEY_IPSEC_PSK, ipsec_psk,
           N_("The IPsec pre-shared key. A value starting with 0s is base64, 0x is hex. Secret; sent to strongSwan only over its control socket.")),
    FLAGS(NM_L2TP_KEY_IPSEC_PSK, ipsec_psk_flags),
    PATH(NM_L2TP_KEY_MACHINE_CA, machine_ca, N_("CA certificate (PEM or DER) that signed the server's IKE certificate.")),
    PATH(NM_L2TP_KEY_MACHINE_CERT, machine_cert, N_("This machine's IKE certificate (PEM or DER).")),
    PATH(NM_L2TP_KEY_MACHINE_KEY, machine_key, N_("The private key of machine-cert.")),
    SECRET(NM_L2TP_KEY_MACHINE_CERTPASS, machine_certpass, N_("The password that protects machine-key. Secret.")),
    FLAGS(NM_L2TP_KEY_MACHINE_CERTPASS, machine_certpass_flags),
    STR(NM_L2TP_KEY_IPSEC_REMOTE_ID, ipsec_remote_id, 255,
        N_("The IKE identity the server must present (an address, @fqdn or a certificate DN). Unset: any.")),
    {.name = NM_L2TP_KEY_IPSEC_GATEWAY_ID, .type = NM_L2TP_KEY_TYPE_STRING, .flags = NM_L2TP_KEY_FLAG_ALIAS,
     .max = 255, .alias_of = NM_L2TP_KEY_IPSEC_REMOTE_ID, .offset = OFF(ipsec_remote_id),
     .doc = N_("Old name of ipsec-remote-id, accepted when reading profiles.")},
    STR(NM_L2TP_KEY_IPSEC_GROUP_NAME, ipsec_group_name, 255,
        N_("This machine's IKE identity (for example the group name of a Cisco profile). Unset: its IP address.")),
    {.name = NM_L2TP_KEY_IPSEC_IKE, .type = NM_L2TP_KEY_TYPE_PROPOSALS, .default_value = NM_L2TP_DEFAULT_IKE_PROPOSALS,
     .max = 1024, .offset = OFF(ipsec_ike),
     .doc = N_("IKE (phase 1) proposals, comma separated, each encryption-integrity-dhgroup, e.g. aes256-sha1-modp2048.")},
    {.name = NM_L2TP_KEY_IPSEC_ESP, .type = NM_L2TP_KEY_TYPE_PROPOSALS, .default_value = NM_L2TP_DEFAULT_ESP_PROPOSALS,
     .max = 1024, .offset = OFF(ipsec_esp),
     .doc = N_("ESP (phase 2) proposals, comma separated, each encryption-integrity[-dhgroup], e.g. aes128-sha1.")},
    INT(NM_L2TP_KEY_IPSEC_IKELIFETIME, ipsec_ikelifetime, "10800", 60, 86400, N_("seconds"),
        N_("Lifetime of the IKE SA. It is renewed after 80 to 90 percent of it and ends with it if renewing failed.")),
    INT(NM_L2TP_KEY_IPSEC_SALIFETIME, ipsec_salifetime, "3600", 60, 86400, N_("seconds"),
        N_("Lifetime of the ESP SA. It is renewed after 80 to 90 percent of it and ends with it if renewing failed.")),
    BOOL(NM_L2TP_KEY_IPSEC_FORCEENCAPS, ipsec_forceencaps, "no",
         N_("Encapsulate ESP in UDP even when no NAT is detected (helps with firewalls that drop ESP).")),
    BOOL(NM_L2TP_KEY_IPSEC_IPCOMP, ipsec_ipcomp, "no", N_("Offer IPComp compression of the ESP payload.")),
    BOOL(NM_L2TP_KEY_IPSEC_IKEV2, ipsec_ikev2, "no", N_("Use IKEv2 instead of IKEv1 (few L2TP servers support it).")),
    BOOL(NM_L2TP_KEY_IPSEC_PFS, ipsec_pfs, "no",
         N_("Perfect forward secrecy in phase 2: ESP proposals that name no Diffie-Hellman group are offered with each group of the IKE proposals.")),
    SECRET(NM_L2TP_KEY_NOSECRET, no_secret, N_("Internal marker from the auth dialog that no secret is needed.")),

    NEW_INT(NM_L2TP_KEY_IPSEC_DPD_DELAY, ipsec_dpd_delay, "10", 0, 3600, N_("seconds"),
            N_("Check that the server is alive (dead peer detection) after this many idle seconds; 0 disables.")),
    NEW_INT(NM_L2TP_KEY_IPSEC_DPD_TIMEOUT, ipsec_dpd_timeout, "30", 10, 3600, N_("seconds"),
            N_("Declare the server dead when dead peer detection gets no answer for this long (IKEv1).")),
    NEW_INT(NM_L2TP_KEY_TIMEOUT_IKE, timeout_ike, "10", 1, 300, N_("seconds"),
            N_("Give up IPsec phase 1 and phase 2 when they have not completed after this long.")),
    NEW_INT(NM_L2TP_KEY_TIMEOUT_L2TP, timeout_l2tp, "10", 1, 300, N_("seconds"),
            N_("Give up when the L2TP tunnel and session are not up after this long.")),
    NEW_INT(NM_L2TP_KEY_TIMEOUT_PPP, timeout_ppp, "20", 1, 300, N_("seconds"),
            N_("Give up when PPP (LCP, authentication and IPCP) has not completed after this long.")),

    NEW_BOOL(NM_L2TP_KEY_DHCP_INFORM, dhcp_inform, "yes",
             N_("Once IPCP is up, ask the server for routes (DHCP options 121 and 249) and DNS domains (options 15 and 119) with a DHCPINFORM, as Windows does. The connection does not wait for the answer: what it brings is added when it comes. ipv4.ignore-auto-routes and ipv4.ignore-auto-dns still apply.")),
    NEW_BOOL(NM_L2TP_KEY_CLASSFUL_ROUTE, classful_route, "no",
             N_("When ipv4.never-default is set and the server hands out no routes, route the network of the assigned address by its class (A: /8, B: /16, C: /24) through the tunnel, as Windows does unless its class-based route is disabled.")),
    {.name = NM_L2TP_KEY_IPV6, .type = NM_L2TP_KEY_TYPE_ENUM, .flags = NM_L2TP_KEY_FLAG_NEW,
     .default_value = NM_L2TP_IPV6_AUTO, .enum_values = ipv6_values, .offset = OFF(ipv6),
     .doc = N_("IPv6 inside the tunnel: \"auto\" negotiates IPv6CP when the server offers it (link-local addresses, then the addresses the server's router advertisements give), \"ignore\" refuses it. IPv4 never waits for IPv6: a server without IPv6 connects as fast either way.")},
};
/* clang-format on */

const NML2tpKeyInfo *
nm_l2tp_keys_get_table(guint *out_len)
{
    *out_len = G_N_ELEMENTS(key_table);
    return key_table;
}

const NML2tpKeyInfo *
nm_l2tp_key_lookup(const char *name)
{
    guint i;

    if (!name)
        return NULL;
    for (i = 0; i < G_N_ELEMENTS(key_table); i++) {
        if (g_str_equal(key_table[i].name, name))
            return &key_table[i];
    }
    return NULL;
}

const char *
nm_l2tp_key_type_to_string(NML2tpKeyType type)
{
    switch (type) {
    case NM_L2TP_KEY_TYPE_STRING:
        return "string";
    case NM_L2TP_KEY_TYPE_BOOL:
        return "yes|no";
    case NM_L2TP_KEY_TYPE_INT:
        return "integer";
    case NM_L2TP_KEY_TYPE_ENUM:
        return "enum";
    case NM_L2TP_KEY_TYPE_HOST:
        return "host";
    case NM_L2TP_KEY_TYPE_PROPOSALS:
        return "proposals";
    case NM_L2TP_KEY_TYPE_PATH:
        return "path";
    case NM_L2TP_KEY_TYPE_IPV4:
        return "ipv4-address";
    case NM_L2TP_KEY_TYPE_SECRET:
        return "secret";
    case NM_L2TP_KEY_TYPE_FLAGS:
        return "secret-flags";
    }
    return "?";
}
