/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_CHARON_AHEAD_H
#define NM_L2TP_CHARON_AHEAD_H

#include "nm-l2tp-charon.h"

/* A charon started ahead of the connect.
 *
 * NetworkManager starts one service process per connection, and once the
 * service is on the bus it gathers the secrets and asks NeedSecrets before
 * it says Connect.  A private charon needs nothing from the connection and
 * takes a few hundred milliseconds to start on a slow machine, so the
 * service makes one of these as soon as it is on the bus and hands it to
 * the attempt (through its options), whose IPsec takes the charon over
 * instead of starting its own.
 *
 * Its charon is taken at most once.  The service drops it (stops it and
 * removes its directory) when the connection it was meant for ends without
 * taking it: no IPsec, refused settings, a failure before IPsec, secrets
 * that never came.  It is started before any setting is known and its
 * strongswan.conf holds none: what a connection's settings reach is still
 * written and started only after they are validated. */

#define NM_L2TP_TYPE_CHARON_AHEAD (nm_l2tp_charon_ahead_get_type())
G_DECLARE_FINAL_TYPE(NML2tpCharonAhead, nm_l2tp_charon_ahead, NM_L2TP, CHARON_AHEAD, GObject)

/* Starts acquiring a charon, as nm_l2tp_charon_acquire_async() would with
 * the default charon and sockets, in RUN_BASE/charon-PID, after removing
 * the directories of such charons whose service is gone. */
NML2tpCharonAhead *nm_l2tp_charon_ahead_new(const char *run_base);

/* nm_l2tp_charon_acquire_async(), except that the charon of @ahead (may
 * be NULL) is taken over when it fits @params (waiting for it if it is
 * still starting): the same program and sockets, and a private charon
 * when @params does not allow the system one.  The result is returned
 * even after @cancellable was cancelled: it is a running charon that the
 * caller must release. */
void          nm_l2tp_charon_take_async(NML2tpCharonAhead        *ahead,
                                        const NML2tpCharonParams *params,
                                        GCancellable             *cancellable,
                                        GAsyncReadyCallback       callback,
                                        gpointer                  user_data);
NML2tpCharon *nm_l2tp_charon_take_finish(GAsyncResult *result, GError **error);

/* Stops the charon if nobody took it.  Returns FALSE when there is none
 * to stop; otherwise @callback runs once it is gone. */
gboolean nm_l2tp_charon_ahead_drop_async(NML2tpCharonAhead  *ahead,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);

#endif /* NM_L2TP_CHARON_AHEAD_H */
