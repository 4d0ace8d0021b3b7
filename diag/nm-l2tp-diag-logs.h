/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_DIAG_LOGS_H
#define NM_L2TP_DIAG_LOGS_H

#include "nm-l2tp-diag-redact.h"

/* The attempt's log, <dir>/<uuid>.log: the IKE, L2TP and PPP lines the
 * service collected, one "SECONDS SOURCE: text" per line (SOURCE ike, l2tp
 * or ppp).  Mode 0600, root's: the lines may name addresses and users.
 *
 * Returns the log with every secret @redactor knows or recognises
 * replaced; there is no way to get it unredacted through this tool.  The
 * error says how to get access when the file is not readable. */
char *nm_l2tp_diag_logs_read(const char           *dir,
                             const char           *uuid,
                             const NML2tpRedactor *redactor,
                             GError              **error);

#endif /* NM_L2TP_DIAG_LOGS_H */
