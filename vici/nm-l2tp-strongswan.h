/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_STRONGSWAN_H
#define NM_L2TP_STRONGSWAN_H

#include <glib.h>

/* Where strongSwan is on this system and which charon nm-l2tp-service
 * starts: one place for the service (nm-plugin/nm-l2tp-charon.c) and for
 * nm-l2tp-diag --check, so that the preflight checks exactly what the
 * service uses. */

/* The charon binary (Debian's strongswan-charon). */
#define NM_L2TP_CHARON_PATH_DEFAULT "/usr/lib/ipsec/charon"

/* Where a system charon listens for VICI, in the order the service tries
 * them; NULL-terminated.  /var/run is usually a link to /run, but not on
 * every system. */
extern const char *const nm_l2tp_charon_system_sockets[];

/* A plugin of the private charon. */
typedef struct {
    const char *name;    /* as strongswan.conf's "load" names it */
    const char *package; /* the Debian package with libstrongswan-NAME.so */
} NML2tpCharonPlugin;

/* The plugins the private charon loads (and only these: load_modular =
 * no), in load order; @n_plugins gets their number. */
const NML2tpCharonPlugin *nm_l2tp_charon_private_plugins(guint *n_plugins);

/* The same as strongswan.conf's value: "random nonce openssl ...". */
char *nm_l2tp_charon_private_plugins_load_line(void);

#endif /* NM_L2TP_STRONGSWAN_H */
