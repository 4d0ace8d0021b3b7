/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_PREFLIGHT_H
#define NM_L2TP_PREFLIGHT_H

#include <gio/gio.h>
#include <sys/types.h>

#include "nm-l2tp-catalog.h"
#include "nm-l2tp-settings.h"

/* What must hold before anything of a connection starts:
 *
 *   - its private run directory exists, empty;
 *   - the certificates and keys its settings name are copied there, read
 *     with the rights of the connection's owners (nm-l2tp-user-files.h),
 *     and the settings name the copies;
 *   - the gateway has an IPv4 address (xl2tpd speaks L2TP over IPv4 only).
 *
 * A refused file fails at the stage that would have used it: machine-* at
 * IPsec phase 1, user-* at PPP authentication; the name at the lookup. */

typedef struct {
    char              *address;   /* the gateway's IPv4 address */
    gboolean           has_owner; /* the report belongs to uid/gid */
    uid_t              uid;
    gid_t              gid;
    NML2tpStageRecord *failure; /* or why not (seconds: 0) */
} NML2tpPreflightResult;

/* @settings must stay until the callback; its file paths are rewritten to
 * the copies.  @owners: NULL or empty for a system connection. */
void nm_l2tp_preflight_async(NML2tpSettings     *settings,
                             const char *const  *owners,
                             const char         *run_dir,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data);
/* FALSE only when cancelled; otherwise @out says what came of it. */
gboolean nm_l2tp_preflight_finish(GAsyncResult *result, NML2tpPreflightResult *out);
void     nm_l2tp_preflight_result_clear(NML2tpPreflightResult *result);

#endif /* NM_L2TP_PREFLIGHT_H */
