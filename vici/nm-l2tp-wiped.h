/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_WIPED_H
#define NM_L2TP_WIPED_H

#include <glib.h>

/* Memory for secrets that is wiped before it goes back to the allocator,
 * so that a secret does not linger in freed memory, from where it would
 * reach a core dump or the next user of the block.  GLib frees its own
 * copies (a GVariant's string, a GByteArray's old block when it grows)
 * unwiped; these give the same types with wiped storage. */

/* Takes @data (g_malloc()ed); its first @len bytes are wiped when the last
 * reference goes. */
GBytes *nm_l2tp_wiped_bytes_new_take(gpointer data, gsize len);

/* A string value ("s") of a copy of @text (valid UTF-8), wiped when the
 * value is freed, e.g. for a password in a D-Bus reply.  Floating. */
GVariant *nm_l2tp_wiped_string_new(const char *text);

/* A byte-array value ("ay") of a copy of @data, wiped when freed.
 * Floating. */
GVariant *nm_l2tp_wiped_bytestring_new(gconstpointer data, gsize len);

/* The same without a copy: takes @data (g_malloc()ed, @len bytes). */
GVariant *nm_l2tp_wiped_bytestring_new_take(gpointer data, gsize len);

#endif /* NM_L2TP_WIPED_H */
