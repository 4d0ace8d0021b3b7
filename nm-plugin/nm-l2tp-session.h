/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_SESSION_H
#define NM_L2TP_SESSION_H

#include <NetworkManager.h>

#include "nm-l2tp-attempt.h"
#include "nm-l2tp-charon-ahead.h"

/* What the service does for NetworkManager, without the D-Bus glue: one
 * session per service process (NetworkManager starts one per connection).
 * It validates the connection, runs attempts one at a time, decides what
 * a failure means for NetworkManager (login-failed, so that it asks again;
 * or, during an interactive connect, a request for exactly the secret that
 * was wrong), and tears every attempt down.
 *
 * An attempt that follows another (the re-asked pre-shared key) starts
 * only once the previous attempt's teardown has ended: both use the same
 * run directory, D-Bus object and charon names.
 *
 * Signals (the service forwards them to NetworkManager):
 *   "config"           (GVariant *general, GVariant *ip4, GVariant *ip6):
 *                      again when it grows after connect; ip6 may be NULL
 *   "failure"          (guint NMVpnPluginFailure)
 *   "secrets-required" (const char *message, const char *secret_key)
 *   "stopped"          the connection is over and everything it started is
 *                      gone: NetworkManager may be told
 *   "idle"             no teardown is pending any more */

#define NM_L2TP_TYPE_SESSION (nm_l2tp_session_get_type())
G_DECLARE_FINAL_TYPE(NML2tpSession, nm_l2tp_session, NM_L2TP, SESSION, GObject)

typedef struct {
    GDBusConnection          *bus;          /* for the pppd plugin's object */
    const char               *bus_name;     /* the service's name on it */
    const char               *run_base;     /* NULL: NM_L2TP_RUNDIR */
    NML2tpCharonAhead        *charon_ahead; /* NULL: none */
    const NML2tpLayerFactory *factory;      /* NULL: the real layers */
} NML2tpSessionOptions;

NML2tpSession *nm_l2tp_session_new(const NML2tpSessionOptions *options);

/* NetworkManager's Connect / ConnectInteractive. */
gboolean nm_l2tp_session_connect(NML2tpSession *self,
                                 NMConnection  *connection,
                                 gboolean       interactive,
                                 GError       **error);
/* NewSecrets: the secret asked for has come. */
gboolean nm_l2tp_session_new_secrets(NML2tpSession *self, NMConnection *connection, GError **error);
/* Disconnect, or the service is told to quit: tear everything down. */
void     nm_l2tp_session_disconnect(NML2tpSession *self);
gboolean nm_l2tp_session_is_idle(NML2tpSession *self);
/* The failure reported last (-1: none), said again before a disconnect:
 * NetworkManager keeps the last reason it heard. */
int nm_l2tp_session_get_failure(NML2tpSession *self);

/* NeedSecrets: TRUE and the setting's name when a secret the connection
 * needs is missing.  FALSE with @error when the connection is refused;
 * then nothing started for it stays. */
gboolean nm_l2tp_session_need_secrets(NML2tpSession *self,
                                      NMConnection  *connection,
                                      const char   **setting_name,
                                      GError       **error);

#endif /* NM_L2TP_SESSION_H */
