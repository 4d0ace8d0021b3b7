/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-secret-memory.h"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "nm-l2tp-error.h"

#define MAX_SECRET_FILE G_MAXUINT16

gboolean
nm_l2tp_harden_process(GError **error)
{
    const struct rlimit no_core = { 0, 0 };

    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 || setrlimit(RLIMIT_CORE, &no_core) != 0) {
        int errsv = errno;

        g_set_error(error,
                    G_IO_ERROR,
                    g_io_error_from_errno(errsv),
                    "cannot turn off core dumps: %s",
                    g_strerror(errsv));
        return FALSE;
    }
    return TRUE;
}

/* ---- reading a secret file ------------------------------------------- */

typedef struct {
    GFileInputStream *stream;
    char             *data;
    gsize             size; /* the file's size when it was opened */
} Load;

static void
load_free(Load *l)
{
    g_clear_object(&l->stream);
    if (l->data)
        explicit_bzero(l->data, l->size + 1);
    g_free(l->data);
    g_free(l);
}

static void
load_read_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task = user_data;
    GError *error         = NULL;
    Load   *l             = g_task_get_task_data(task);
    gsize   got;

    if (!g_input_stream_read_all_finish(G_INPUT_STREAM(source), result, &got, &error)) {
        g_task_return_error(task, error);
        return;
    }
    /* One byte more than the size was asked for: getting it means the file
     * grew in between, and what was read is not the whole file. */
    if (got != l->size) {
        g_task_return_new_error(task,
                                NM_L2TP_ERROR,
                                NM_L2TP_ERROR_FAILED,
                                "%s changed while it was read",
                                g_file_peek_path(g_task_get_source_object(task)));
        return;
    }
    l->data[got] = '\0';
    g_task_return_boolean(task, TRUE);
}

static void
load_info_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task     = user_data;
    g_autoptr(GFileInfo) info = NULL;
    GError       *error       = NULL;
    Load         *l           = g_task_get_task_data(task);
    GCancellable *cancellable = g_task_get_cancellable(task);
    goffset       size;

    info = g_file_input_stream_query_info_finish(G_FILE_INPUT_STREAM(source), result, &error);
    if (!info) {
        g_task_return_error(task, error);
        return;
    }
    size = g_file_info_get_size(info);
    if (size < 0 || size > MAX_SECRET_FILE) {
        g_task_return_new_error(task,
                                NM_L2TP_ERROR,
                                NM_L2TP_ERROR_FAILED,
                                "%s is larger than %u bytes, too large for a key",
                                g_file_peek_path(g_task_get_source_object(task)),
                                MAX_SECRET_FILE);
        return;
    }
    l->size = (gsize)size;
    l->data = g_malloc(l->size + 1);
    g_input_stream_read_all_async(G_INPUT_STREAM(l->stream),
                                  l->data,
                                  l->size + 1,
                                  G_PRIORITY_DEFAULT,
                                  cancellable,
                                  load_read_cb,
                                  g_steal_pointer(&task));
}

static void
load_open_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task     = user_data;
    GError       *error       = NULL;
    Load         *l           = g_task_get_task_data(task);
    GCancellable *cancellable = g_task_get_cancellable(task);

    l->stream = g_file_read_finish(G_FILE(source), result, &error);
    if (!l->stream) {
        g_task_return_error(task, error);
        return;
    }
    g_file_input_stream_query_info_async(l->stream,
                                         G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                         G_PRIORITY_DEFAULT,
                                         cancellable,
                                         load_info_cb,
                                         g_steal_pointer(&task));
}

void
nm_l2tp_secret_file_load_async(GFile              *file,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
    GTask *task = g_task_new(file, cancellable, callback, user_data);

    g_task_set_source_tag(task, nm_l2tp_secret_file_load_async);
    g_task_set_task_data(task, g_new0(Load, 1), (GDestroyNotify)load_free);
    g_file_read_async(file, G_PRIORITY_DEFAULT, cancellable, load_open_cb, task);
}

gboolean
nm_l2tp_secret_file_load_finish(
    GFile *file, GAsyncResult *result, char **contents, gsize *length, GError **error)
{
    Load *l;

    g_return_val_if_fail(g_task_is_valid(result, file), FALSE);
    if (!g_task_propagate_boolean(G_TASK(result), error))
        return FALSE;
    l         = g_task_get_task_data(G_TASK(result));
    *contents = g_steal_pointer(&l->data);
    *length   = l->size;
    return TRUE;
}
