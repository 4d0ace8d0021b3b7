/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_SETTINGS_H
#define NM_L2TP_SETTINGS_H

#include <NetworkManager.h>

#include "nm-l2tp-keys.h"

typedef enum {
    NM_L2TP_USER_AUTH_PASSWORD,
    NM_L2TP_USER_AUTH_TLS,
} NML2tpUserAuth;

typedef enum {
    NM_L2TP_MACHINE_AUTH_PSK,
    NM_L2TP_MACHINE_AUTH_TLS,
} NML2tpMachineAuth;

typedef enum {
    NM_L2TP_IPV6_MODE_AUTO,
    NM_L2TP_IPV6_MODE_IGNORE,
} NML2tpIpv6Mode;

/* The validated form of a connection's vpn.data and vpn.secrets.  Every
 * field has been checked against the key table; defaults from the table are
 * filled in.  Writers and the service read only this, never the raw
 * NMSettingVpn, so a value that could break a config file cannot reach one.
 * Text fields are NULL and numbers -1 when the key is unset and has no
 * default. */
typedef struct {
    char    *gateway;
    int      user_auth_type; /* NML2tpUserAuth */
    char    *user;
    char    *domain;
    char    *user_ca;
    char    *user_cert;
    char    *user_key;
    gboolean ephemeral_port;
    gboolean refuse_eap;
    gboolean refuse_pap;
    gboolean refuse_chap;
    gboolean refuse_mschap;
    gboolean refuse_mschapv2;
    gboolean require_mppe;
    gboolean require_mppe_40;
    gboolean require_mppe_128;
    gboolean mppe_stateful;
    gboolean nobsdcomp;
    gboolean nodeflate;
    gboolean no_vj_comp;
    gboolean nopcomp;
    gboolean noaccomp;
    gint64   mtu;
    gint64   mru;
    gint64   mrru; /* -1: multilink off */
    gint64   lcp_echo_failure;
    gint64   lcp_echo_interval;
    gint64   unit; /* -1: let pppd choose */
    char    *ipcp_peer_ip;
    gboolean ipsec_enabled;
    int      machine_auth_type; /* NML2tpMachineAuth */
    char    *machine_ca;
    char    *machine_cert;
    char    *machine_key;
    char    *ipsec_remote_id;
    char    *ipsec_group_name;
    char    *ipsec_ike;
    char    *ipsec_esp;
    gint64   ipsec_ikelifetime;
    gint64   ipsec_salifetime;
    gboolean ipsec_forceencaps;
    gboolean ipsec_ipcomp;
    gboolean ipsec_ikev2;
    gboolean ipsec_pfs;
    gint64   ipsec_dpd_delay; /* 0: DPD off */
    gint64   ipsec_dpd_timeout;
    gint64   timeout_ike;
    gint64   timeout_l2tp;
    gint64   timeout_ppp;
    gboolean dhcp_inform;    /* DHCPINFORM after IPCP for routes and domains */
    gboolean classful_route; /* Windows' class-based route when nothing else comes */
    int      ipv6;           /* NML2tpIpv6Mode */

    /* Secrets (NULL when not supplied) and their flags. */
    char  *password;
    char  *ipsec_psk;
    char  *user_certpass;
    char  *machine_certpass;
    char  *no_secret;
    gint64 password_flags;
    gint64 ipsec_psk_flags;
    gint64 user_certpass_flags;
    gint64 machine_certpass_flags;
} NML2tpSettings;

typedef enum {
    NM_L2TP_VALIDATE_NONE = 0,
    /* The connection is about to be made: gateway and the secrets that
     * the chosen authentication needs must be present. */
    NM_L2TP_VALIDATE_FOR_CONNECT = 1 << 0,
} NML2tpValidateFlags;

/* Checks one value for one key against the key table: the building block of
 * nm_l2tp_settings_new_from_vpn(), and what the editor and the importers call
 * per field.  The error names the key and the reason. */
gboolean nm_l2tp_validate_value(const char *key, const char *value, GError **error);
/* The same for a value of known length that may hold NUL bytes, as read
 * from a file by an importer. */
gboolean nm_l2tp_validate_bytes(const char *key, const char *value, gsize len, GError **error);

NML2tpSettings *nm_l2tp_settings_new_from_vpn(NMSettingVpn       *s_vpn,
                                              NML2tpValidateFlags flags,
                                              GError            **error);
NML2tpSettings *nm_l2tp_settings_new_from_hash(GHashTable         *data,
                                               GHashTable         *secrets,
                                               NML2tpValidateFlags flags,
                                               GError            **error);
void            nm_l2tp_settings_free(NML2tpSettings *settings);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpSettings, nm_l2tp_settings_free)

/* The connection's UUID names its run directory and appears in the
 * config files and pppd's options: accept only what a UUID is made of
 * (hex digits and dashes), whatever NetworkManager let through. */
gboolean nm_l2tp_uuid_is_plain(const char *uuid);

/* The user name as pppd sends it: "DOMAIN\user" when a domain is set. */
char *nm_l2tp_settings_dup_ppp_user(const NML2tpSettings *settings);

#endif /* NM_L2TP_SETTINGS_H */
