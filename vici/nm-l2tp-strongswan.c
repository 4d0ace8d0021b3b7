/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-strongswan.h"

const char *const nm_l2tp_charon_system_sockets[] = {
    "/run/charon.vici",
    "/var/run/charon.vici",
    NULL,
};

/* What L2TP/IPsec needs and nothing else: random and nonce for key
 * material; openssl for every algorithm of the default and common
 * proposals (AES, 3DES, SHA1/SHA2/MD5, HMAC, the MODP groups including
 * modp1024); kdf for IKEv2's prf+; pem, pkcs1, pkcs8, x509 and pubkey for
 * certificate authentication; kernel-netlink to install SAs;
 * socket-default for UDP 500/4500 with NAT-T; vici.  The aes, sha1, sha2,
 * md5, hmac and gmp plugins would only duplicate openssl: each plugin is
 * one more library to load at start-up, and openssl's Diffie-Hellman is the
 * faster one. */
static const NML2tpCharonPlugin private_plugins[] = {
    { "random", "libstrongswan" },
    { "nonce", "libstrongswan" },
    { "openssl", "libstrongswan-standard-plugins" },
    { "kdf", "libstrongswan" },
    { "pem", "libstrongswan" },
    { "pkcs1", "libstrongswan" },
    { "pkcs8", "libstrongswan" },
    { "x509", "libstrongswan" },
    { "pubkey", "libstrongswan" },
    { "kernel-netlink", "libstrongswan" },
    { "socket-default", "strongswan-libcharon" },
    { "vici", "strongswan-swanctl" },
};

const NML2tpCharonPlugin *
nm_l2tp_charon_private_plugins(guint *n_plugins)
{
    *n_plugins = G_N_ELEMENTS(private_plugins);
    return private_plugins;
}

char *
nm_l2tp_charon_private_plugins_load_line(void)
{
    GString *line = g_string_new(NULL);

    for (guint i = 0; i < G_N_ELEMENTS(private_plugins); i++)
        g_string_append_printf(line, "%s%s", i ? " " : "", private_plugins[i].name);
    return g_string_free(line, FALSE);
}
