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

#endif /* NM_L2TP_XFRM_H */
