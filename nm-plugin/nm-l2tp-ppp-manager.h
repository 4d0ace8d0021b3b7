/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_PPP_MANAGER_H
#define NM_L2TP_PPP_MANAGER_H

#include <gio/gio.h>

/* The service's end of the pppd plugin's D-Bus calls: it exports
 * org.freedesktop.NetworkManager.l2tp.ppp on the service's bus connection,
 * answers NeedSecrets and NeedCertPassword from the credentials it was
 * given, and turns the
 * other calls into signals:
 *   "phase"       (guint phase)                 NML2tpPppPhase
 *   "auth-result" (const char *method, gboolean success)
 *   "ip4-config"  (GVariant *config)            a{sv}, see nm-l2tp-ppp-dbus.h
 *   "ip6-config"  (GVariant *config)            a{sv}: IPv6CP is up (ipv6=auto);
 *                                               nm_l2tp_ip6_config_build() makes
 *                                               NetworkManager's config of it
 *   "exit-status" (guint status)                pppd's EXIT_* code */

#define NM_L2TP_TYPE_PPP_MANAGER (nm_l2tp_ppp_manager_get_type())
G_DECLARE_FINAL_TYPE(NML2tpPppManager, nm_l2tp_ppp_manager, NM_L2TP, PPP_MANAGER, GObject)

NML2tpPppManager *nm_l2tp_ppp_manager_new(GDBusConnection *bus, GError **error);

/* What NeedSecrets answers.  The password is kept only in memory and wiped
 * when replaced or when the manager goes. */
void nm_l2tp_ppp_manager_set_credentials(NML2tpPppManager *self,
                                         const char       *user,
                                         const char       *password);

/* What NeedCertPassword answers (EAP-TLS: the password of user-key);
 * NULL answers "".  Kept and wiped like the password. */
void nm_l2tp_ppp_manager_set_cert_password(NML2tpPppManager *self, const char *cert_password);

/* A pidfd of the pppd that called us (-1 until it has), taken while that
 * caller was still on the bus, so that teardown can end pppd first, and
 * only pppd, even when xl2tpd would leave it behind.  Owned by the
 * manager. */
int nm_l2tp_ppp_manager_get_pidfd(NML2tpPppManager *self);

/* A new pppd will call (a new password over the same tunnel): forget the
 * last one and its pidfd. */
void nm_l2tp_ppp_manager_forget_caller(NML2tpPppManager *self);

#endif /* NM_L2TP_PPP_MANAGER_H */
