/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_KEYS_H
#define NM_L2TP_KEYS_H

#include <glib.h>

/* Names of the vpn.data and vpn.secrets keys.  The first block is the
 * compatibility contract with NetworkManager-l2tp: existing profiles carry
 * these and must keep working unchanged. */
#define NM_L2TP_KEY_GATEWAY           "gateway"
#define NM_L2TP_KEY_USER_AUTH_TYPE    "user-auth-type"
#define NM_L2TP_KEY_USER              "user"
#define NM_L2TP_KEY_PASSWORD          "password"
#define NM_L2TP_KEY_DOMAIN            "domain"
#define NM_L2TP_KEY_EPHEMERAL_PORT    "ephemeral-port"
#define NM_L2TP_KEY_USER_CA           "user-ca"
#define NM_L2TP_KEY_USER_CERT         "user-cert"
#define NM_L2TP_KEY_USER_KEY          "user-key"
#define NM_L2TP_KEY_USER_CERTPASS     "user-certpass"
#define NM_L2TP_KEY_REFUSE_EAP        "refuse-eap"
#define NM_L2TP_KEY_REFUSE_PAP        "refuse-pap"
#define NM_L2TP_KEY_REFUSE_CHAP       "refuse-chap"
#define NM_L2TP_KEY_REFUSE_MSCHAP     "refuse-mschap"
#define NM_L2TP_KEY_REFUSE_MSCHAPV2   "refuse-mschapv2"
#define NM_L2TP_KEY_REQUIRE_MPPE      "require-mppe"
#define NM_L2TP_KEY_REQUIRE_MPPE_40   "require-mppe-40"
#define NM_L2TP_KEY_REQUIRE_MPPE_128  "require-mppe-128"
#define NM_L2TP_KEY_MPPE_STATEFUL     "mppe-stateful"
#define NM_L2TP_KEY_NOBSDCOMP         "nobsdcomp"
#define NM_L2TP_KEY_NODEFLATE         "nodeflate"
#define NM_L2TP_KEY_NO_VJ_COMP        "no-vj-comp"
#define NM_L2TP_KEY_NO_PCOMP          "nopcomp"
#define NM_L2TP_KEY_NO_ACCOMP         "noaccomp"
#define NM_L2TP_KEY_MRRU              "mrru"
#define NM_L2TP_KEY_MTU               "mtu"
#define NM_L2TP_KEY_MRU               "mru"
#define NM_L2TP_KEY_LCP_ECHO_FAILURE  "lcp-echo-failure"
#define NM_L2TP_KEY_LCP_ECHO_INTERVAL "lcp-echo-interval"
#define NM_L2TP_KEY_UNIT              "unit"
#define NM_L2TP_KEY_IPCP_PEER_IP      "ipcp-peer-ip"
#define NM_L2TP_KEY_MACHINE_AUTH_TYPE "machine-auth-type"
#define NM_L2TP_KEY_MACHINE_CA        "machine-ca"
#define NM_L2TP_KEY_MACHINE_CERT      "machine-cert"
#define NM_L2TP_KEY_MACHINE_KEY       "machine-key"
#define NM_L2TP_KEY_MACHINE_CERTPASS  "machine-certpass"
#define NM_L2TP_KEY_IPSEC_ENABLE      "ipsec-enabled"
#define NM_L2TP_KEY_IPSEC_REMOTE_ID   "ipsec-remote-id"
#define NM_L2TP_KEY_IPSEC_GATEWAY_ID  "ipsec-gateway-id" /* old name of ipsec-remote-id */
#define NM_L2TP_KEY_IPSEC_GROUP_NAME  "ipsec-group-name"
#define NM_L2TP_KEY_IPSEC_PSK         "ipsec-psk"
#define NM_L2TP_KEY_IPSEC_IKE         "ipsec-ike"
#define NM_L2TP_KEY_IPSEC_ESP         "ipsec-esp"
#define NM_L2TP_KEY_IPSEC_IKELIFETIME "ipsec-ikelifetime"
#define NM_L2TP_KEY_IPSEC_SALIFETIME  "ipsec-salifetime"
#define NM_L2TP_KEY_IPSEC_FORCEENCAPS "ipsec-forceencaps"
#define NM_L2TP_KEY_IPSEC_IPCOMP      "ipsec-ipcomp"
#define NM_L2TP_KEY_IPSEC_IKEV2       "ipsec-ikev2"
#define NM_L2TP_KEY_IPSEC_PFS         "ipsec-pfs"
#define NM_L2TP_KEY_NOSECRET          "no-secret"

/* Keys new in this project. */
#define NM_L2TP_KEY_TIMEOUT_IKE       "timeout-ike"
#define NM_L2TP_KEY_TIMEOUT_L2TP      "timeout-l2tp"
#define NM_L2TP_KEY_TIMEOUT_PPP       "timeout-ppp"
#define NM_L2TP_KEY_IPSEC_DPD_DELAY   "ipsec-dpd-delay"
#define NM_L2TP_KEY_IPSEC_DPD_TIMEOUT "ipsec-dpd-timeout"
#define NM_L2TP_KEY_DHCP_INFORM       "dhcp-inform"
#define NM_L2TP_KEY_CLASSFUL_ROUTE    "classful-route"
#define NM_L2TP_KEY_IPV6              "ipv6"

#define NM_L2TP_AUTHTYPE_PASSWORD "password"
#define NM_L2TP_AUTHTYPE_TLS      "tls"
#define NM_L2TP_AUTHTYPE_PSK      "psk"

#define NM_L2TP_IPV6_AUTO   "auto"
#define NM_L2TP_IPV6_IGNORE "ignore"

/* Proposals used when ipsec-ike / ipsec-esp are unset.  Together they cover
 * what common L2TP servers accept: Windows Server RRAS and Windows clients'
 * peers (AES/3DES with SHA1 and modp1024/2048), iOS/macOS profiles
 * (AES256-SHA256-modp2048), MikroTik (AES-SHA1/SHA256, modp1024/2048),
 * Meraki MX (3DES-SHA1-modp1024), Cisco IOS (AES or 3DES, SHA1, group 2/14)
 * and strongSwan/libreswan (AES-SHA2-modp2048). */
#define NM_L2TP_DEFAULT_IKE_PROPOSALS                                                          \
    "aes256-sha256-modp2048,aes128-sha256-modp2048,aes256-sha1-modp2048,aes128-sha1-modp2048," \
    "aes256-sha1-modp1024,aes128-sha1-modp1024,3des-sha1-modp2048,3des-sha1-modp1024"
#define NM_L2TP_DEFAULT_ESP_PROPOSALS \
    "aes256-sha256,aes128-sha256,aes256-sha1,aes128-sha1,3des-sha1"

typedef enum {
    NM_L2TP_KEY_TYPE_STRING,    /* free text, printable, single line */
    NM_L2TP_KEY_TYPE_BOOL,      /* "yes" or "no" */
    NM_L2TP_KEY_TYPE_INT,       /* decimal integer within [min, max] */
    NM_L2TP_KEY_TYPE_ENUM,      /* one of enum_values */
    NM_L2TP_KEY_TYPE_HOST,      /* DNS name or IPv4/IPv6 literal */
    NM_L2TP_KEY_TYPE_PROPOSALS, /* comma separated algo-algo-group list, optional '!' */
    NM_L2TP_KEY_TYPE_PATH,      /* absolute file path */
    NM_L2TP_KEY_TYPE_IPV4,      /* dotted quad IPv4 address */
    NM_L2TP_KEY_TYPE_SECRET,    /* a secret: anything but NUL, never written to a file */
    NM_L2TP_KEY_TYPE_FLAGS,     /* NMSettingSecretFlags as a decimal number */
} NML2tpKeyType;

typedef enum {
    NM_L2TP_KEY_FLAG_NONE = 0,
    /* Lives in vpn.secrets (and may, for old profiles, appear in vpn.data). */
    NM_L2TP_KEY_FLAG_SECRET = 1 << 0,
    /* Another name for alias_of; accepted on input, never written. */
    NM_L2TP_KEY_FLAG_ALIAS = 1 << 1,
    /* Added by this project (not in NetworkManager-l2tp). */
    NM_L2TP_KEY_FLAG_NEW = 1 << 2,
    /* A backslash is allowed (and escaped by the writer that uses it). */
    NM_L2TP_KEY_FLAG_BACKSLASH_OK = 1 << 3,
} NML2tpKeyFlags;

typedef struct {
    const char        *name;
    NML2tpKeyType      type;
    NML2tpKeyFlags     flags;
    const char        *default_value; /* as it would appear in vpn.data; NULL: none */
    gint64             min;           /* INT only */
    gint64             max;           /* INT only; for text types the maximal length */
    const char *const *enum_values;   /* ENUM only, NULL terminated */
    const char        *alias_of;      /* ALIAS only */
    gsize              offset;        /* where the parsed value goes in NML2tpSettings */
    const char        *unit;          /* shown in documentation, e.g. "seconds" */
    const char        *doc;           /* one documentation line, translatable (N_) */
} NML2tpKeyInfo;

const NML2tpKeyInfo *nm_l2tp_keys_get_table(guint *out_len);
const NML2tpKeyInfo *nm_l2tp_key_lookup(const char *name);
const char          *nm_l2tp_key_type_to_string(NML2tpKeyType type);

#endif /* NM_L2TP_KEYS_H */
