/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A charon started ahead of the connect.  See nm-l2tp-charon-ahead.h. */

#include "config.h"

#include "nm-l2tp-charon-ahead.h"
#include "nm-l2tp-resources.h"

#include <stdlib.h>
#include <unistd.h>
#include <glib/gstdio.h>

struct _NML2tpCharonAhead {
    GObject       parent;
    gboolean      done;    /* the acquisition ended */
    gboolean      used;    /* taken or dropped: there is nothing more to give */
    NML2tpCharon *charon;  /* its charon, until taken or dropped */
    GError       *error;   /* or why there is none */
    GTask        *taker;   /* a connect waiting for it */
    GTask        *dropper; /* a drop waiting for it */
};

G_DEFINE_FINAL_TYPE(NML2tpCharonAhead, nm_l2tp_charon_ahead, G_TYPE_OBJECT)

typedef struct {
    NML2tpCharonParams params;
    char              *run_dir;
    char              *dir_name;
    char             **sockets;
    char              *charon_path;
} TakeData;

static void
take_data_free(TakeData *d)
{
    g_free(d->run_dir);
    g_free(d->dir_name);
    g_strfreev(d->sockets);
    g_free(d->charon_path);
    g_free(d);
}

static void
acquire_fallback_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task = user_data;
    GError       *error   = NULL;
    NML2tpCharon *charon  = nm_l2tp_charon_acquire_finish(result, &error);

    if (charon)
        g_task_return_pointer(task, charon, g_object_unref);
    else
        g_task_return_error(task, error);
}

/* Acquires a charon of the taker's own. */
static void
acquire_own(GTask *task)
{
    TakeData *d = g_task_get_task_data(task);

    nm_l2tp_charon_acquire_async(
        &d->params, g_task_get_cancellable(task), acquire_fallback_cb, g_object_ref(task));
}

/* Hands the charon to @task when it fits; otherwise the task gets one of
 * its own, and ours is left for the drop. */
static void
give(NML2tpCharonAhead *self, GTask *task)
{
    TakeData *d = g_task_get_task_data(task);

    if (self->charon && !d->params.allow_system && !nm_l2tp_charon_is_private(self->charon)) {
        acquire_own(task);
        return;
    }
    self->used = TRUE;
    if (self->charon)
        g_task_return_pointer(task, g_steal_pointer(&self->charon), g_object_unref);
    else if (self->error)
        g_task_return_error(task, g_steal_pointer(&self->error));
    else
        g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_FAILED, "no charon");
}

static void
dropped_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task = user_data;

    nm_l2tp_charon_release_finish(NM_L2TP_CHARON(source), result, NULL);
    g_task_return_boolean(task, TRUE);
}

/* Stops the charon, if there is one, and forgets it. */
static void
drop(NML2tpCharonAhead *self, GTask *task)
{
    g_autoptr(NML2tpCharon) charon = g_steal_pointer(&self->charon);

    self->used = TRUE;
    if (charon)
        nm_l2tp_charon_release_async(charon, NULL, dropped_cb, g_object_ref(task));
    else
        g_task_return_boolean(task, TRUE);
}

static void
acquired_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpCharonAhead) self = user_data;
    g_autoptr(GTask) taker            = NULL;
    g_autoptr(GTask) dropper          = NULL;

    self->done   = TRUE;
    self->charon = nm_l2tp_charon_acquire_finish(result, &self->error);
    taker        = g_steal_pointer(&self->taker);
    dropper      = g_steal_pointer(&self->dropper);
    if (taker)
        give(self, taker);
    if (dropper)
        drop(self, dropper);
}

NML2tpCharonAhead *
nm_l2tp_charon_ahead_new(const char *run_base)
{
    NML2tpCharonAhead *self     = g_object_new(NM_L2TP_TYPE_CHARON_AHEAD, NULL);
    g_autofree char   *dir_name = g_strdup_printf("charon-%ld", (long)getpid());
    NML2tpCharonParams params   = {
          .run_dir      = run_base,
          .dir_name     = dir_name,
          .allow_system = TRUE,
    };

    /* The base directory holds the public reports: 0755. */
    if (g_mkdir_with_parents(run_base, 0755) != 0) {
        /* The connect will say why. */
        self->done = self->used = TRUE;
        return self;
    }
    nm_l2tp_remove_stale_dirs(run_base);
    nm_l2tp_charon_acquire_async(&params, NULL, acquired_cb, g_object_ref(self));
    return self;
}

void
nm_l2tp_charon_take_async(NML2tpCharonAhead        *ahead,
                          const NML2tpCharonParams *params,
                          GCancellable             *cancellable,
                          GAsyncReadyCallback       callback,
                          gpointer                  user_data)
{
    g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
    TakeData *d           = g_new0(TakeData, 1);

    g_task_set_source_tag(task, nm_l2tp_charon_take_async);
    /* A charon must reach the caller even after a cancel: it is running. */
    g_task_set_check_cancellable(task, FALSE);
    d->params                = *params;
    d->run_dir               = g_strdup(params->run_dir);
    d->dir_name              = g_strdup(params->dir_name);
    d->sockets               = g_strdupv((char **)params->system_sockets);
    d->charon_path           = g_strdup(params->charon_path);
    d->params.run_dir        = d->run_dir;
    d->params.dir_name       = d->dir_name;
    d->params.system_sockets = (const char *const *)d->sockets;
    d->params.charon_path    = d->charon_path;
    g_task_set_task_data(task, d, (GDestroyNotify)take_data_free);

    /* Started ahead with the defaults: it fits a connect that uses them. */
    if (ahead && !ahead->used && !ahead->taker && !ahead->dropper && !params->system_sockets
        && (!params->charon_path
            || g_str_equal(params->charon_path, NM_L2TP_CHARON_PATH_DEFAULT))) {
        if (ahead->done)
            give(ahead, task);
        else
            ahead->taker = g_steal_pointer(&task);
        return;
    }
    acquire_own(task);
}

NML2tpCharon *
nm_l2tp_charon_take_finish(GAsyncResult *result, GError **error)
{
    return g_task_propagate_pointer(G_TASK(result), error);
}

gboolean
nm_l2tp_charon_ahead_drop_async(NML2tpCharonAhead  *self,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
    g_autoptr(GTask) task = NULL;

    /* A connect waiting for it has taken it. */
    if (!self || self->used || self->dropper || self->taker || (self->done && !self->charon))
        return FALSE;
    task = g_task_new(self, NULL, callback, user_data);
    g_task_set_source_tag(task, nm_l2tp_charon_ahead_drop_async);
    if (self->done)
        drop(self, task);
    else
        self->dropper = g_steal_pointer(&task);
    return TRUE;
}

static void
nm_l2tp_charon_ahead_init(NML2tpCharonAhead *self)
{
}

static void
finalize(GObject *object)
{
    NML2tpCharonAhead *self = NM_L2TP_CHARON_AHEAD(object);

    /* A charon nobody took nor dropped still goes (NML2tpCharon's finalize
     * kills it). */
    g_clear_object(&self->charon);
    g_clear_error(&self->error);
    G_OBJECT_CLASS(nm_l2tp_charon_ahead_parent_class)->finalize(object);
}

static void
nm_l2tp_charon_ahead_class_init(NML2tpCharonAheadClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = finalize;
}
