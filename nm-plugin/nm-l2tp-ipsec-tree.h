/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_IPSEC_TREE_H
#define NM_L2TP_IPSEC_TREE_H

#include <gio/gio.h>

/* What nm-l2tp-ipsec.c needs to know about, and do to, the writer's
 * connection tree (nm_l2tp_swanctl_conn_build()) before it goes to charon
 * in load-conn and load-shared.  Pure functions, apart from one routing
 * lookup that sends nothing. */

/* Appends the certificate file paths the tree names (lists "certs" and
 * "cacerts" at any depth) to @out (of char*). */
void nm_l2tp_ipsec_tree_collect_cert_paths(GVariant *tree, GPtrArray *out);

/* A copy of @tree whose certificate lists carry the files' contents (from
 * @data: path -> GBytes) instead of their paths, as VICI wants them. */
GVariant *nm_l2tp_ipsec_tree_with_cert_data(GVariant *tree, GHashTable *data);

/* The local identity configured in the tree's connection @uuid, or NULL. */
char *nm_l2tp_ipsec_tree_get_local_id(GVariant *tree, const char *uuid);

/* The local address the kernel routes from towards @gateway: charon's
 * default IKEv1 identity, and so the owner of our PSK.  NULL if none. */
char *nm_l2tp_ipsec_local_address_towards(const char *gateway);

#endif /* NM_L2TP_IPSEC_TREE_H */
