/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-made DHCP answers for the parser tests: a DHCPACK for our
 * DHCPINFORM with whatever options (or garbage) a test puts in it. */
#ifndef DHCP_REPLY_H
#define DHCP_REPLY_H

#include "nm-l2tp-dhcp.h"

#define XID 0x1a2b3c4du

extern const NML2tpDhcpInform inform;

guint32 addr(const char *s);

typedef struct {
    guint8 bytes[1024];
    gsize  len;
} Reply;

/* A DHCPACK for our xid and chaddr with @opts (without the message type
 * and the end, which are added unless @raw) in the options field. */
void reply_init(Reply *r, const guint8 *opts, gsize opts_len, gboolean raw);

NML2tpDhcpResult *parse_ok(const Reply *r);
void              parse_fails(const Reply *r, const char *why);
void              assert_route(
                 const NML2tpDhcpResult *res, guint i, const char *net, guint prefix, const char *gw);

#define OPTS(...) (const guint8[]){ __VA_ARGS__ }, sizeof((const guint8[]){ __VA_ARGS__ })

#endif
