/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_DIAG_NM_H
#define NM_L2TP_DIAG_NM_H

#include <NetworkManager.h>

/* nm-l2tp-diag's use of NetworkManager: optional everywhere.  The tool
 * must work on a machine where NetworkManager is stopped or the system
 * bus is missing (a rescue shell, a container), so every call has a
 * short timeout and a NULL result means "not available". */

#define NM_L2TP_DIAG_NM_TIMEOUT_MS 5000

/* A client when NetworkManager runs; NULL (and the reason in @error)
 * otherwise. */
NMClient *nm_l2tp_diag_nm_client_new(guint timeout_ms, GError **error);

/* The L2TP connection with this UUID or this name (id); NULL when none. */
NMRemoteConnection *nm_l2tp_diag_nm_find_connection(NMClient *client, const char *name_or_uuid);

/* A copy of the connection with its vpn secrets filled in, as far as
 * NetworkManager hands them out (system-owned secrets, to root).  Only for
 * redaction: the values are never shown.  NULL on failure. */
NMConnection *nm_l2tp_diag_nm_get_with_secrets(NMRemoteConnection *connection,
                                               guint               timeout_ms,
                                               GError            **error);

#endif /* NM_L2TP_DIAG_NM_H */
