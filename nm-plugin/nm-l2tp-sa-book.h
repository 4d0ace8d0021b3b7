/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_SA_BOOK_H
#define NM_L2TP_SA_BOOK_H

#include <glib.h>

/* Which IKE SAs and CHILD_SAs of our connection are up, followed by
 * identity (charon's unique ids) through charon's events, so that an SA
 * that goes away while a newer one is up is no loss.
 *
 * Rekeys arrive as ike-rekey / child-rekey (old id replaced by the new).
 * IKEv1 has no rekey of the IKE SA in place: a new ISAKMP SA comes up
 * (ike-updown up, another id), then the old one is deleted (ike-updown
 * down), by either side.  A server that never rekeys lets its SAs expire
 * and deletes them: then nothing of ours is up any more, and the book says
 * so; the caller negotiates again while L2TP and PPP stay up.  Our
 * connection has one CHILD_SA config, so a CHILD_SA that comes up replaces
 * the one before it, whether or not charon said so.
 *
 * Pure bookkeeping on decoded VICI messages (vici/nm-l2tp-vici-wire.h):
 * no I/O, no clock; the unit tests replay recorded event sequences. */

typedef struct _NML2tpSaBook NML2tpSaBook;

typedef enum {
    NM_L2TP_SA_BOOK_NOTHING,  /* still up (or not ours) */
    NM_L2TP_SA_BOOK_NO_CHILD, /* no CHILD_SA left: renegotiate it (over the IKE SA if any) */
} NML2tpSaBookAction;

/* @conn: the IKE SA config name, @child: the CHILD_SA config name of ours. */
NML2tpSaBook *nm_l2tp_sa_book_new(const char *conn, const char *child);
void          nm_l2tp_sa_book_free(NML2tpSaBook *book);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpSaBook, nm_l2tp_sa_book_free)

/* One event: @name is "ike-updown", "child-updown", "ike-rekey" or
 * "child-rekey"; @msg its message. */
NML2tpSaBookAction nm_l2tp_sa_book_feed(NML2tpSaBook *book, const char *name, GVariant *msg);

guint nm_l2tp_sa_book_ike_count(NML2tpSaBook *book);
guint nm_l2tp_sa_book_child_count(NML2tpSaBook *book);

/* The ESP SAs charon installed for us, newest last, as far as its events
 * said (a replaced SA whose deletion came without an event stays listed):
 * what the service deletes itself when charon died and cannot.  At most
 * NM_L2TP_SA_BOOK_ESP_KEPT; SPIs in host order. */
#define NM_L2TP_SA_BOOK_ESP_KEPT 8
typedef void (*NML2tpSaBookEspFunc)(
    const char *local, const char *remote, guint32 spi_in, guint32 spi_out, gpointer user_data);
void nm_l2tp_sa_book_foreach_esp(NML2tpSaBook *book, NML2tpSaBookEspFunc func, gpointer user_data);

/* For the log and the soak: rekeys seen (replacements of an SA by a newer
 * one, either side, IKEv1 reauthentication included). */
guint nm_l2tp_sa_book_ike_rekeys(NML2tpSaBook *book);
guint nm_l2tp_sa_book_child_rekeys(NML2tpSaBook *book);

#endif /* NM_L2TP_SA_BOOK_H */
