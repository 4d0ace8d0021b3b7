/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_OWNER_H
#define NM_L2TP_OWNER_H

#include <NetworkManager.h>
#include <sys/types.h>

/* Whose rights a connection's files are read with.
 *
 * connection.permissions lists the users who may activate a connection
 * ("user:NAME[:]" entries).  Empty, it is a system connection: any user may
 * activate it, root (an administrator) wrote it, and its files are read
 * as root.  Otherwise it is private, and the service reads its
 * certificates and keys only with the rights of the users it names:
 *
 *   - several users: NetworkManager lets any of them activate the
 *     connection and does not tell the plugin which one did, so every
 *     named user must be able to read every file; if one cannot, the
 *     connection is refused, naming that user;
 *   - a name this machine does not know (no passwd entry) is refused,
 *     naming it: there is nobody whose rights to read with;
 *   - an entry of another type than "user" is refused as well: it would
 *     say something about ownership that the plugin does not understand.
 *
 * The report of a private connection's last attempt is readable only by
 * root and its owner (see nm_l2tp_report_set_owner()). */

/* The user names of @connection's permissions, in order, without
 * duplicates; an empty vector for a system connection.  NULL with @error
 * set when an entry is not of type "user". */
char **nm_l2tp_connection_dup_owner_names(NMConnection *connection, GError **error);

typedef struct {
    char  *name;
    uid_t  uid;
    gid_t  gid;    /* the primary group */
    gid_t *groups; /* every group of the user, the primary one included */
    int    n_groups;
} NML2tpOwner;

/* Looks @name up in the user database (getpwnam_r, getgrouplist).  May
 * block on a network user database: call it off the main loop.
 * Thread-safe.  NM_L2TP_ERROR_UNKNOWN_USER when there is no such user. */
NML2tpOwner *nm_l2tp_owner_lookup(const char *name, GError **error);
void         nm_l2tp_owner_free(NML2tpOwner *owner);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpOwner, nm_l2tp_owner_free)

#endif /* NM_L2TP_OWNER_H */
