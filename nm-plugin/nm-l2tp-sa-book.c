/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Our SAs by identity.  See nm-l2tp-sa-book.h. */
#include "config.h"

#include "nm-l2tp-sa-book.h"

#include <string.h>

#include "nm-l2tp-vici-wire.h"

struct _NML2tpSaBook {
    char       *conn;
    char       *child;
    GHashTable *ike;    /* unique ids of our IKE SAs that are up */
    GHashTable *childs; /* the unique id of our newest CHILD_SA, if up */
    guint       ike_rekeys;
    guint       child_rekeys;
};

NML2tpSaBook *
nm_l2tp_sa_book_new(const char *conn, const char *child)
{
    NML2tpSaBook *book = g_new0(NML2tpSaBook, 1);

    book->conn   = g_strdup(conn);
    book->child  = g_strdup(child);
    book->ike    = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    book->childs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return book;
}

void
nm_l2tp_sa_book_free(NML2tpSaBook *book)
{
    if (!book)
        return;
    g_hash_table_unref(book->ike);
    g_hash_table_unref(book->childs);
    g_free(book->conn);
    g_free(book->child);
    g_free(book);
}

static const char *
uniqueid(GVariant *section)
{
    return section ? nm_l2tp_vici_message_get_string(section, "uniqueid") : NULL;
}

/* The one CHILD_SA section of a child-updown, if it is our child's:
 * sections are named "<child name>-<unique id>" and carry "name". */
static GVariant *
our_child(NML2tpSaBook *book, GVariant *children)
{
    GVariantIter iter;
    const char  *key;
    GVariant    *value;

    if (!children)
        return NULL;
    g_variant_iter_init(&iter, children);
    while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
        g_autoptr(GVariant) v = value;

        if (g_variant_is_of_type(v, G_VARIANT_TYPE_VARDICT)
            && g_strcmp0(nm_l2tp_vici_message_get_string(v, "name"), book->child) == 0)
            return g_steal_pointer(&v);
    }
    return NULL;
}

static void
replace(GHashTable *set, GVariant *section, guint *rekeys)
{
    g_autoptr(GVariant) old = nm_l2tp_vici_message_get_section(section, "old");
    g_autoptr(GVariant) new = nm_l2tp_vici_message_get_section(section, "new");

    if (uniqueid(old))
        g_hash_table_remove(set, uniqueid(old));
    if (uniqueid(new))
        g_hash_table_add(set, g_strdup(uniqueid(new)));
    (*rekeys)++;
}

static void
record(NML2tpSaBook *book, GHashTable *set, const char *id, gboolean up)
{
    if (!id)
        return;
    if (!up) {
        g_hash_table_remove(set, id);
        return;
    }
    if (g_hash_table_size(set) > 0 && !g_hash_table_contains(set, id)) {
        if (set == book->ike) {
            /* IKEv1's replacement of the IKE SA: a second one comes up
             * while the first still is; the first's deletion follows. */
            book->ike_rekeys++;
        } else {
            /* Our connection has one CHILD_SA; a second one that comes up
             * replaces the first.  charon says so with child-rekey when it
             * knows, but an IKEv1 rekey by the server can arrive as a new
             * CHILD_SA whose predecessor is later deleted without any event
             * (recorded in the lab, see tests/unit/sa-events).  Keeping the
             * predecessor would hide the loss of the newest one. */
            book->child_rekeys++;
            g_hash_table_remove_all(set);
        }
    }
    g_hash_table_add(set, g_strdup(id));
}

NML2tpSaBookAction
nm_l2tp_sa_book_feed(NML2tpSaBook *book, const char *name, GVariant *msg)
{
    g_autoptr(GVariant) ours     = nm_l2tp_vici_message_get_section(msg, book->conn);
    g_autoptr(GVariant) children = NULL;
    g_autoptr(GVariant) child    = NULL;
    gboolean up = g_strcmp0(nm_l2tp_vici_message_get_string(msg, "up"), "yes") == 0;
    guint    before;

    if (!ours)
        return NM_L2TP_SA_BOOK_NOTHING;
    before = g_hash_table_size(book->childs);
    if (g_str_equal(name, "ike-updown")) {
        record(book, book->ike, uniqueid(ours), up);
    } else if (g_str_equal(name, "ike-rekey")) {
        replace(book->ike, ours, &book->ike_rekeys);
    } else if (g_str_equal(name, "child-updown")) {
        children = nm_l2tp_vici_message_get_section(ours, "child-sas");
        child    = our_child(book, children);
        record(book, book->childs, uniqueid(child), up);
    } else if (g_str_equal(name, "child-rekey")) {
        children = nm_l2tp_vici_message_get_section(ours, "child-sas");
        child    = children ? nm_l2tp_vici_message_get_section(children, book->child) : NULL;
        if (child)
            replace(book->childs, child, &book->child_rekeys);
    }
    /* The last CHILD_SA went: L2TP has no way to the server any more. */
    if (before > 0 && g_hash_table_size(book->childs) == 0)
        return NM_L2TP_SA_BOOK_NO_CHILD;
    return NM_L2TP_SA_BOOK_NOTHING;
}

guint
nm_l2tp_sa_book_ike_count(NML2tpSaBook *book)
{
    return g_hash_table_size(book->ike);
}

guint
nm_l2tp_sa_book_child_count(NML2tpSaBook *book)
{
    return g_hash_table_size(book->childs);
}

guint
nm_l2tp_sa_book_ike_rekeys(NML2tpSaBook *book)
{
    return book->ike_rekeys;
}

guint
nm_l2tp_sa_book_child_rekeys(NML2tpSaBook *book)
{
    return book->child_rekeys;
}
