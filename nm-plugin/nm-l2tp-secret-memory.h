/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_SECRET_MEMORY_H
#define NM_L2TP_SECRET_MEMORY_H

#include <gio/gio.h>

/* Keeping the service's secrets (pre-shared key, machine key, passwords)
 * out of core dumps and out of freed memory.  See also nm-l2tp-wiped.h
 * (vici/) for values that wipe themselves. */

/* The service calls this first thing in main(): no core dump of this
 * process (PR_SET_DUMPABLE 0, which also keeps other users' debuggers
 * out, and a core size limit of 0 for dump handlers that go by it).
 * Programs it starts get their own settings back when they exec. */
gboolean nm_l2tp_harden_process(GError **error);

/* Reads a file that holds a secret (a private key) as
 * g_file_load_contents_async() does, but into one buffer sized from the
 * file's size: GIO's loader grows its buffer as it reads and frees the
 * smaller one unwiped.  The contents are NUL-terminated; the caller
 * wipes them.  Files above 64 KiB (the largest VICI value) are refused. */
void     nm_l2tp_secret_file_load_async(GFile              *file,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
gboolean nm_l2tp_secret_file_load_finish(
    GFile *file, GAsyncResult *result, char **contents, gsize *length, GError **error);

#endif /* NM_L2TP_SECRET_MEMORY_H */
