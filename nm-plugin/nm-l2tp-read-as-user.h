/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_READ_AS_USER_H
#define NM_L2TP_READ_AS_USER_H

#include <gio/gio.h>

#include "nm-l2tp-owner.h"

/* The part of nm-l2tp-user-files.c that reads files with another user's
 * rights: a forked child drops to the user's uid and groups, opens each
 * file (O_NONBLOCK | O_NOCTTY), checks that it is a regular file within
 * the cap and streams its bytes back over a socket.  Every blocking call
 * on the user's file (open, read) happens in the child, which is killed
 * when @cancellable is cancelled: a FUSE mount of the user's cannot hold
 * the service.
 *
 * Blocks the calling thread until the child is done: call it from a
 * worker thread (GTask), not the main loop. */

typedef enum {
    NM_L2TP_READ_OK,
    NM_L2TP_READ_OPEN_FAILED, /* err: open()'s errno */
    NM_L2TP_READ_NOT_REGULAR,
    NM_L2TP_READ_TOO_LARGE,
    NM_L2TP_READ_READ_FAILED, /* err: read()'s errno */
} NML2tpReadStatus;

typedef struct {
    NML2tpReadStatus status;
    int              err;
    GBytes          *bytes; /* NM_L2TP_READ_OK only; wiped when freed */
} NML2tpReadResult;

/* Reads @paths (@n of them) as @owner, or as the calling process when
 * @owner is NULL, filling @results[i] for each.  Returns FALSE (and sets
 * @error) only when the reading itself failed: the child could not be
 * started or could not drop its rights, or @cancellable was cancelled.
 * Per-file problems are in @results. */
gboolean nm_l2tp_read_as_user(const NML2tpOwner *owner,
                              const char *const *paths,
                              guint              n,
                              gsize              max_size,
                              NML2tpReadResult  *results,
                              GCancellable      *cancellable,
                              GError           **error);

void nm_l2tp_read_results_clear(NML2tpReadResult *results, guint n);

#endif /* NM_L2TP_READ_AS_USER_H */
