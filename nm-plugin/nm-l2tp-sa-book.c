/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Our SAs by identity.  See nm-l2tp-sa-book.h. */
#include "config.h"

#include "nm-l2tp-sa-book.h"

#include <string.h>

#include "nm-l2tp-vici-wire.h"

typedef struct {
    char   *id; /* the CHILD_SA's unique id */
    char   *local;
    char   *remote;
    guint32 spi_in;
    guint32 spi_out;
} Esp;

struct _NML2tpSaBook {
    GQueue      esp; /* of Esp, newest last */
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

static void
esp_free(gpointer data)
{
    Esp *esp = data;

    g_free(esp->id);
    g_free(esp->local);
    g_free(esp->remote);
    g_free(esp);
}

void
nm_l2tp_sa_book_free(NML2tpSaBook *book)
{
    if (!book)
        return;
    g_queue_clear_full(&book->esp, esp_free);
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

static guint32
spi_of(GVariant *child, const char *key)
{
    const char *hex = nm_l2tp_vici_message_get_string(child, key);
    guint64     v   = 0;

    if (!hex || !g_ascii_string_to_unsigned(hex, 16, 1, G_MAXUINT32, &v, NULL))
        return 0;
    return (guint32)v;
}

static gint
esp_has_id(gconstpointer data, gconstpointer id)
{
    return g_strcmp0(((const Esp *)data)->id, id);
}

/* An ESP SA of ours came up (keep its SPIs) or went (charon deleted it). */
static void
track_esp(NML2tpSaBook *book, GVariant *ike, GVariant *child, gboolean up)
{
    const char *id = uniqueid(child);
    GList      *l  = id ? g_queue_find_custom(&book->esp, id, esp_has_id) : NULL;
    Esp        *esp;

    if (l) {
        esp_free(l->data);
        g_queue_delete_link(&book->esp, l);
    }
    if (!up || !id || !spi_of(child, "spi-in") || !spi_of(child, "spi-out"))
        return;
    esp          = g_new0(Esp, 1);
    esp->id      = g_strdup(id);
    esp->local   = g_strdup(nm_l2tp_vici_message_get_string(ike, "local-host"));
    esp->remote  = g_strdup(nm_l2tp_vici_message_get_string(ike, "remote-host"));
    esp->spi_in  = spi_of(child, "spi-in");
    esp->spi_out = spi_of(child, "spi-out");
    g_queue_push_tail(&book->esp, esp);
    while (g_queue_get_length(&book->esp) > NM_L2TP_SA_BOOK_ESP_KEPT)
        esp_free(g_queue_pop_head(&book->esp));
}

void
nm_l2tp_sa_book_foreach_esp(NML2tpSaBook *book, NML2tpSaBookEspFunc func, gpointer user_data)
{
    GList *l;

    for (l = book->esp.head; l; l = l->next) {
        Esp *esp = l->data;

        if (esp->local && esp->remote)
            func(esp->local, esp->remote, esp->spi_in, esp->spi_out, user_data);
    }
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
        if (child)
            track_esp(book, ours, child, up);
    } else if (g_str_equal(name, "child-rekey")) {
        children = nm_l2tp_vici_message_get_section(ours, "child-sas");
        child    = children ? nm_l2tp_vici_message_get_section(children, book->child) : NULL;
        if (child) {
            g_autoptr(GVariant) old = nm_l2tp_vici_message_get_section(child, "old");
            g_autoptr(GVariant) new = nm_l2tp_vici_message_get_section(child, "new");

            replace(book->childs, child, &book->child_rekeys);
            /* charon deletes the old one once the rekey is done. */
            if (old)
                track_esp(book, ours, old, FALSE);
            if (new)
                track_esp(book, ours, new, TRUE);
        }
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
