/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_DHCP_INFORM_H
#define NM_L2TP_DHCP_INFORM_H

#include <gio/gio.h>

#include "nm-l2tp-dhcp.h"

/* How long a connect may wait for the answer by default, in ms.  The
 * service hands NetworkManager the IPv4 configuration at IPCP time and
 * adds what the answer brings afterwards, so this bounds only how long
 * the socket stays open, not the connect. */
#define NM_L2TP_DHCP_INFORM_TIMEOUT_MS 1500

/* Sends a DHCPINFORM for @address (our PPP address, network byte order)
 * out of @iface and waits at most @timeout_ms for the DHCPACK, sending
 * it again at a third and two thirds of that time (a lost packet on a
 * fresh link is the common case).  The socket is bound to @iface and the
 * client port 68 with SO_REUSEADDR: strongSwan's dhcp plugin, which
 * Debian's charon loads, holds that port on the wildcard address.  @server
 * is where to send (network byte order); 0 broadcasts, which is what a
 * Windows client does and what RRAS's DHCP relay listens for.  @client_seed
 * (the connection's UUID) makes the client's hardware address and client
 * identifier, stable per connection.  Nothing blocks: the socket is read
 * on the thread-default main context. */
void nm_l2tp_dhcp_inform_async(const char         *iface,
                               guint32             address,
                               guint32             server,
                               const char         *client_seed,
                               guint               timeout_ms,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data);

/* The parsed answer, or NULL with G_IO_ERROR_TIMED_OUT when nothing
 * usable came in time (its message says what, if anything, was
 * received), G_IO_ERROR_CANCELLED, or the socket's error. */
NML2tpDhcpResult *nm_l2tp_dhcp_inform_finish(GAsyncResult *result, GError **error);

/* The hardware address a connection uses: SHA-256 of @client_seed, cut
 * to 6 bytes, marked locally administered and unicast. */
void nm_l2tp_dhcp_inform_hwaddr(const char *client_seed, guint8 hwaddr[6]);

#endif /* NM_L2TP_DHCP_INFORM_H */
