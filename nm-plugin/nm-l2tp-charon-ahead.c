/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A charon started ahead of the connect.  See nm-l2tp-charon-ahead.h. */

#include "config.h"

#include <stdlib.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "nm-l2tp-charon-ahead.h"

typedef struct {
    gboolean      done;    /* the acquisition ended */
    NML2tpCharon *charon;  /* its charon, until taken or dropped */
    GError       *error;   /* or why there is none */
    GTask        *taker;   /* a connect waiting for it */
    GTask        *dropper; /* a drop waiting for it */
} Ahead;

static Ahead *ahead;

static void
ahead_free(Ahead *a)
{
    g_clear_object(&a->charon);
    g_clear_error(&a->error);
    g_clear_object(&a->taker);
    g_clear_object(&a->dropper);
    g_free(a);
}

/* Hands the charon (or the error) to @task and forgets it. */
static void
ahead_give(GTask *task)
{
    Ahead *a = g_steal_pointer(&ahead);

    if (a->charon)
        g_task_return_pointer(task, g_steal_pointer(&a->charon), g_object_unref);
    else
        g_task_return_error(task, g_steal_pointer(&a->error));
    ahead_free(a);
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
ahead_drop(GTask *task)
{
    Ahead *a = g_steal_pointer(&ahead);

    if (a->charon)
        nm_l2tp_charon_release_async(a->charon, NULL, dropped_cb, g_object_ref(task));
    else
        g_task_return_boolean(task, TRUE);
    ahead_free(a);
}

static void
acquired_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Ahead *a = ahead;

    a->done   = TRUE;
    a->charon = nm_l2tp_charon_acquire_finish(result, &a->error);
    if (a->dropper)
        ahead_drop(a->dropper);
    else if (a->taker)
        ahead_give(a->taker);
}

/* Directories of charons started ahead by services that are gone (a
 * crash): their charon died with them (PR_SET_PDEATHSIG). */
static void
remove_stale_dirs(const char *run_base)
{
    g_autoptr(GDir) dir = g_dir_open(run_base, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *proc = NULL;
        g_autofree char *path = NULL;
        char            *end  = NULL;
        long             pid;

        if (!g_str_has_prefix(name, "charon-"))
            continue;
        pid = strtol(name + 7, &end, 10);
        if (pid <= 0 || *end != '\0' || pid == (long)getpid())
            continue;
        proc = g_strdup_printf("/proc/%ld", pid);
        if (g_file_test(proc, G_FILE_TEST_EXISTS))
            continue;
        path = g_build_filename(run_base, name, NULL);
        nm_l2tp_charon_remove_private_dir(path);
    }
}

void
nm_l2tp_charon_ahead_start(const char *run_base)
{
    g_autofree char   *dir_name = g_strdup_printf("charon-%ld", (long)getpid());
    NML2tpCharonParams params   = {
          .run_dir      = run_base,
          .dir_name     = dir_name,
          .allow_system = TRUE,
    };

    if (ahead)
        return;
    /* The base directory holds the public reports: 0755. */
    if (g_mkdir_with_parents(run_base, 0755) != 0)
        return; /* the connect will say why */
    remove_stale_dirs(run_base);
    ahead = g_new0(Ahead, 1);
    nm_l2tp_charon_acquire_async(&params, NULL, acquired_cb, NULL);
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

void
nm_l2tp_charon_take_async(const NML2tpCharonParams *params,
                          GCancellable             *cancellable,
                          GAsyncReadyCallback       callback,
                          gpointer                  user_data)
{
    g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);

    g_task_set_source_tag(task, nm_l2tp_charon_take_async);
    /* A charon must reach the caller even after a cancel: it is running. */
    g_task_set_check_cancellable(task, FALSE);
    /* Started ahead with the defaults: it fits a connect that uses them. */
    if (ahead && !ahead->taker && !ahead->dropper && params->allow_system && !params->system_sockets
        && (!params->charon_path
            || g_str_equal(params->charon_path, NM_L2TP_CHARON_PATH_DEFAULT))) {
        if (ahead->done)
            ahead_give(task);
        else
            ahead->taker = g_object_ref(task);
        return;
    }
    nm_l2tp_charon_acquire_async(params, cancellable, acquire_fallback_cb, g_object_ref(task));
}

NML2tpCharon *
nm_l2tp_charon_take_finish(GAsyncResult *result, GError **error)
{
    return g_task_propagate_pointer(G_TASK(result), error);
}

gboolean
nm_l2tp_charon_ahead_drop_async(GAsyncReadyCallback callback, gpointer user_data)
{
    g_autoptr(GTask) task = NULL;

    if (!ahead || ahead->taker || ahead->dropper)
        return FALSE;
    task = g_task_new(NULL, NULL, callback, user_data);
    g_task_set_source_tag(task, nm_l2tp_charon_ahead_drop_async);
    if (ahead->done)
        ahead_drop(task);
    else
        ahead->dropper = g_object_ref(task);
    return TRUE;
}
