/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_IP6_WATCH_H
#define NM_L2TP_IP6_WATCH_H

#include <gio/gio.h>

/* Watches one interface for global IPv6 addresses, from the kernel's
 * routing socket on the main loop.  On the PPP interface those come from
 * the server's router advertisements (SLAAC in the kernel) once IPv6CP is
 * up; the service then tells NetworkManager that a default route through
 * the tunnel makes sense (nm_l2tp_ip6_config_build()).
 *
 * Signal "global-address" (const char *address, guint prefix): a global
 * address on the interface that has finished duplicate address detection,
 * once for each, including those already there when the watch starts. */

#define NM_L2TP_TYPE_IP6_WATCH (nm_l2tp_ip6_watch_get_type())
G_DECLARE_FINAL_TYPE(NML2tpIp6Watch, nm_l2tp_ip6_watch, NM_L2TP, IP6_WATCH, GObject)

/* NULL with an error when @iface does not exist or the routing socket
 * cannot be opened. */
NML2tpIp6Watch *nm_l2tp_ip6_watch_new(const char *iface, GError **error);

#endif /* NM_L2TP_IP6_WATCH_H */
