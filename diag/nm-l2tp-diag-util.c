/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-diag-util.h"

#include <string.h>
#include <unistd.h>

typedef struct {
    GBytes  *out;
    GError  *error;
    gboolean done;
    gboolean timed_out;
} RunData;

static void
communicate_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    RunData *d = user_data;

    g_subprocess_communicate_finish(G_SUBPROCESS(source), result, &d->out, NULL, &d->error);
    d->done = TRUE;
}

static gboolean
run_timeout_cb(gpointer user_data)
{
    GSubprocess *proc = user_data;

    g_object_set_data(G_OBJECT(proc), "nm-l2tp-timed-out", GINT_TO_POINTER(1));
    g_subprocess_force_exit(proc);
    return G_SOURCE_REMOVE;
}

char *
nm_l2tp_diag_run(const char *const *argv, guint timeout_ms, int *out_status, GError **error)
{
    g_autoptr(GSubprocessLauncher) launcher = NULL;
    g_autoptr(GSubprocess) proc             = NULL;
    RunData     d                           = { 0 };
    guint       timeout_id;
    gsize       len;
    const char *data;

    g_return_val_if_fail(argv && argv[0], NULL);

    /* stdin stays /dev/null (GSubprocess's default): a program that
     * reads it gets EOF instead of waiting for a terminal. */
    launcher =
        g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
    /* Untranslated output, the same on every machine, for the bundle. */
    g_subprocess_launcher_setenv(launcher, "LC_ALL", "C", TRUE);
    proc = g_subprocess_launcher_spawnv(launcher, argv, error);
    if (!proc)
        return NULL;
    timeout_id = g_timeout_add(timeout_ms, run_timeout_cb, proc);
    g_subprocess_communicate_async(proc, NULL, NULL, communicate_cb, &d);
    while (!d.done)
        g_main_context_iteration(NULL, TRUE);
    if (!g_object_get_data(G_OBJECT(proc), "nm-l2tp-timed-out"))
        g_source_remove(timeout_id);
    else
        d.timed_out = TRUE;
    if (d.error) {
        g_propagate_error(error, d.error);
        g_clear_pointer(&d.out, g_bytes_unref);
        return NULL;
    }
    /* Reap it, so that the exit status is known. */
    g_subprocess_wait(proc, NULL, NULL);
    if (out_status)
        *out_status = d.timed_out ? -1 : g_subprocess_get_status(proc);
    data = d.out ? g_bytes_get_data(d.out, &len) : NULL;
    {
        char *text = data ? g_utf8_make_valid(data, len) : g_strdup("");

        g_clear_pointer(&d.out, g_bytes_unref);
        return text;
    }
}

char *
nm_l2tp_diag_find_program(const char *name)
{
    static const char *const dirs[] = {
        "/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin"
    };

    for (guint i = 0; i < G_N_ELEMENTS(dirs); i++) {
        g_autofree char *path = g_build_filename(dirs[i], name, NULL);

        if (g_file_test(path, G_FILE_TEST_IS_EXECUTABLE) && !g_file_test(path, G_FILE_TEST_IS_DIR))
            return g_steal_pointer(&path);
    }
    return g_find_program_in_path(name);
}

gboolean
nm_l2tp_diag_is_root(void)
{
    return geteuid() == 0;
}

char *
nm_l2tp_diag_first_line(const char *text)
{
    const char *nl;

    if (!text)
        return g_strdup("");
    while (*text == '\n' || *text == '\r' || *text == ' ')
        text++;
    nl = strchr(text, '\n');
    return g_strstrip(nl ? g_strndup(text, nl - text) : g_strdup(text));
}
