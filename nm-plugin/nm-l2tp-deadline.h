/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_DEADLINE_H
#define NM_L2TP_DEADLINE_H

#include <gio/gio.h>

/* A cancellable for one asynchronous step that must not outlast either
 * its caller or a time limit: it is cancelled when the caller's
 * cancellable is, or when the time is up, whichever comes first.  The
 * step's callback tells the two apart with nm_l2tp_deadline_expired(), so
 * that "no answer in time" is not reported as the user's cancel. */
typedef struct _NML2tpDeadline NML2tpDeadline;

NML2tpDeadline *nm_l2tp_deadline_new(GCancellable *caller, guint timeout_ms);
GCancellable   *nm_l2tp_deadline_get_cancellable(NML2tpDeadline *deadline);
gboolean        nm_l2tp_deadline_expired(const NML2tpDeadline *deadline);
void            nm_l2tp_deadline_free(NML2tpDeadline *deadline);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpDeadline, nm_l2tp_deadline_free)

#endif
