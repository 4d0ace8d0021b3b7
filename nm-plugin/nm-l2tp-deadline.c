/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-deadline.h"

struct _NML2tpDeadline {
    GCancellable *cancellable; /* ours, handed to the step */
    GCancellable *caller;
    gulong        caller_id;
    guint         timer;
    gboolean      expired;
};

static gboolean
time_up_cb(gpointer user_data)
{
    NML2tpDeadline *d = user_data;

    d->timer   = 0;
    d->expired = TRUE;
    g_cancellable_cancel(d->cancellable);
    return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb(GCancellable *caller, gpointer ours)
{
    g_cancellable_cancel(ours);
}

NML2tpDeadline *
nm_l2tp_deadline_new(GCancellable *caller, guint timeout_ms)
{
    NML2tpDeadline *d = g_new0(NML2tpDeadline, 1);

    d->cancellable = g_cancellable_new();
    if (caller) {
        d->caller = g_object_ref(caller);
        /* Runs at once when the caller is already cancelled. */
        d->caller_id =
            g_cancellable_connect(caller, G_CALLBACK(caller_cancelled_cb), d->cancellable, NULL);
    }
    d->timer = g_timeout_add(timeout_ms, time_up_cb, d);
    return d;
}

GCancellable *
nm_l2tp_deadline_get_cancellable(NML2tpDeadline *deadline)
{
    return deadline->cancellable;
}

gboolean
nm_l2tp_deadline_expired(const NML2tpDeadline *deadline)
{
    return deadline->expired;
}

void
nm_l2tp_deadline_free(NML2tpDeadline *deadline)
{
    if (!deadline)
        return;
    g_clear_handle_id(&deadline->timer, g_source_remove);
    if (deadline->caller_id)
        g_cancellable_disconnect(deadline->caller, deadline->caller_id);
    g_clear_object(&deadline->caller);
    g_clear_object(&deadline->cancellable);
    g_free(deadline);
}
