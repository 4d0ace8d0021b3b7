/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_PPPD_IPV6_H
#define NM_L2TP_PPPD_IPV6_H

#include <glib.h>

/* Registers the IPv6 notifiers (nm-l2tp-pppd-ipv6.c); from plugin_init. */
G_GNUC_INTERNAL void nm_l2tp_ipv6_init(void);

#endif /* NM_L2TP_PPPD_IPV6_H */
