/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_CHARON_H
#define NM_L2TP_CHARON_H

#include <gio/gio.h>

#include "nm-l2tp-strongswan.h"

/* Which charon a connection talks to.
 *
 * The system charon, when its VICI socket answers: the administrator runs
 * it, we only add and remove our own connection and secret.  Otherwise a
 * private charon that we start for this connection and stop afterwards:
 *
 *  - its strongswan.conf, VICI socket, pid file and log live in
 *    <run_dir>/charon/ (0700);
 *  - it loads only the plugins L2TP/IPsec needs (nm-l2tp-strongswan.h),
 *    so it starts in well under a second instead of many (no plugin
 *    probing);
 *  - it runs in its own mount namespace where /run is a bind mount of
 *    that directory: the stock charon writes /run/charon.pid (a
 *    compile-time path) and refuses to start while another charon's pid
 *    file exists, and this way neither sees the other's file;
 *  - it uses UDP 500/4500 when free and random ports otherwise, so it
 *    coexists with a charon that holds them;
 *  - it gets SIGTERM when the service dies (PR_SET_PDEATHSIG). */

typedef struct {
    const char        *run_dir;        /* exists, owned by us */
    const char        *dir_name;       /* the private charon's directory in it; NULL: "charon" */
    const char *const *system_sockets; /* NULL: nm_l2tp_charon_system_sockets */
    const char        *charon_path;    /* NULL: NM_L2TP_CHARON_PATH_DEFAULT */
    gboolean           allow_system;   /* FALSE: always start a private charon */
    guint              timeout_ms;     /* for the private charon's start; 0: 10 s */
} NML2tpCharonParams;

#define NM_L2TP_TYPE_CHARON (nm_l2tp_charon_get_type())
G_DECLARE_FINAL_TYPE(NML2tpCharon, nm_l2tp_charon, NM_L2TP, CHARON, GObject)

void          nm_l2tp_charon_acquire_async(const NML2tpCharonParams *params,
                                           GCancellable             *cancellable,
                                           GAsyncReadyCallback       callback,
                                           gpointer                  user_data);
NML2tpCharon *nm_l2tp_charon_acquire_finish(GAsyncResult *result, GError **error);

const char *nm_l2tp_charon_get_socket_path(NML2tpCharon *charon);
gboolean    nm_l2tp_charon_is_private(NML2tpCharon *charon);
/* The private charon's log file (NULL for the system charon). */
const char *nm_l2tp_charon_get_log_path(NML2tpCharon *charon);
/* Seconds from spawning the private charon until its socket answered. */
double nm_l2tp_charon_get_startup_seconds(NML2tpCharon *charon);

/* Stops a private charon (SIGTERM, SIGKILL after a grace period) and
 * removes its directory.  For the system charon: does nothing. */
void     nm_l2tp_charon_release_async(NML2tpCharon       *charon,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
gboolean nm_l2tp_charon_release_finish(NML2tpCharon *charon, GAsyncResult *result, GError **error);

/* Writes the private charon's strongswan.conf text (exposed for tests). */
char *nm_l2tp_charon_build_conf(guint port, guint port_nat_t);

#endif /* NM_L2TP_CHARON_H */
