/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_XFRM_H
#define NM_L2TP_XFRM_H

#include <glib.h>

/* The kernel's IPsec SAs, for the one case charon cannot clean up after
 * itself: it died.  Its ESP SAs stay in the kernel until their hard
 * lifetime (hours) and carry nothing any more; the service deletes the
 * ones charon told it about, by destination and SPI, so that no other
 * SA on the machine is touched. */

/* Deletes the ESP SA with @spi (host order) whose destination is @daddr
 * (an IPv4 or IPv6 address in text).  An SA that is not there (charon
 * deleted it, or it expired) is no error.  A netlink request to the
 * kernel: it does not wait on the network. */
gboolean nm_l2tp_xfrm_delete_esp(const char *daddr, guint32 spi, GError **error);

/* After a dead charon's connection has been torn down: removes what that
 * charon had installed for L2TP to @gateway (an address in text) and can
 * no longer remove itself.  The policies whose selector is UDP 1701 to or
 * from @gateway (the SA's own and the fail-closed drop policy, which held
 * until now), and the ESP SAs to or from @gateway (with the larval ones
 * the kernel made for packets the policies held back).  Called only when
 * charon died: another IPsec daemon's SAs with the same server would be
 * removed too, but one cannot run beside ours for the same server. */
gboolean nm_l2tp_xfrm_flush_gateway(const char *gateway, GError **error);

#endif /* NM_L2TP_XFRM_H */
