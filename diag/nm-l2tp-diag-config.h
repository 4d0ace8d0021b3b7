/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_DIAG_CONFIG_H
#define NM_L2TP_DIAG_CONFIG_H

#include <NetworkManager.h>

#include "nm-l2tp-settings.h"

/* What the service would hand to strongSwan, xl2tpd and pppd for a
 * connection, regenerated with the service's own writers: for
 * nm-l2tp-diag --show-config and the bundle.  None of it holds a secret:
 * the pre-shared key goes to charon and the password to pppd separately. */

typedef struct {
    char *run_dir; /* where the service would write the files */
    char *swanctl; /* the connection sent to charon over VICI, as swanctl.conf text */
    char *xl2tpd;  /* xl2tpd.conf */
    char *pppd;    /* pppd's options file */
} NML2tpDiagConfig;

void nm_l2tp_diag_config_free(NML2tpDiagConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpDiagConfig, nm_l2tp_diag_config_free)

/* The configuration for the connection @uuid with the settings @s_vpn,
 * whose run directory would be under @run_base (NULL: NM_L2TP_RUNDIR).
 * NULL with the reason when the settings do not pass @flags' validation.
 * The gateway stays a name: the service resolves it first. */
NML2tpDiagConfig *nm_l2tp_diag_config_build(NMSettingVpn       *s_vpn,
                                            const char         *uuid,
                                            const char         *run_base,
                                            NML2tpValidateFlags flags,
                                            GError            **error);

/* A connection stored as a NetworkManager keyfile (a .nmconnection file
 * under /etc/NetworkManager/system-connections/, or an exported one). */
NMConnection *nm_l2tp_diag_config_read_keyfile(const char *path, GError **error);

#endif /* NM_L2TP_DIAG_CONFIG_H */
