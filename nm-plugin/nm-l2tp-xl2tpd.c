/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-xl2tpd.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "nm-l2tp-resources.h"
#include "nm-l2tp-error.h"

/* After the hang-up request, how long xl2tpd gets to send StopCCN before
 * SIGTERM, and after SIGTERM, before SIGKILL. */
#define HANGUP_GRACE_MS 1000
#define TERM_GRACE_MS   2000
#define OUTPUT_DRAIN_MS 500

struct _NML2tpXl2tpd {
    GObject           parent;
    char             *run_dir;
    char             *lac_name;
    char             *control_path;
    GSubprocess      *process;
    GDataInputStream *output;
    GCancellable     *cancellable;
    gboolean          exited;
    gboolean          dialed;
    gboolean          output_done;
    gboolean          exit_reported;
    guint             drain_timer;
    char             *exit_detail;
    GTask            *stop_task;
    int               pidfd;
    NML2tpXl2tpdLines lines;
};

G_DEFINE_FINAL_TYPE(NML2tpXl2tpd, nm_l2tp_xl2tpd, G_TYPE_OBJECT)

enum { SIGNAL_EVENT, SIGNAL_LINE, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *const created_files[] = {
    "xl2tpd.conf", "pppd-options", "xl2tpd-control", "xl2tpd.pid"
};

/* Copies the text after @prefix up to @end (exclusive). */
static char *
between(const char *line, const char *prefix, const char *end)
{
    const char *start = strstr(line, prefix);
    const char *stop;

    if (!start)
        return NULL;
    start += strlen(prefix);
    stop = end ? strstr(start, end) : NULL;
    return stop ? g_strndup(start, stop - start) : g_strdup(start);
}

/* xl2tpd prefixes some messages with the function that logs them
 * ("control_finish: ", "child_handler : "). */
static const char *
skip_function_name(const char *text)
{
    const char *p = text;

    while (g_ascii_isalnum(*p) || *p == '_')
        p++;
    if (p > text && g_str_has_prefix(p, ": "))
        return p + 2;
    if (p > text && g_str_has_prefix(p, " : "))
        return p + 3;
    return text;
}

gboolean
nm_l2tp_xl2tpd_parse_line(const char *line, NML2tpXl2tpdEvent *event, char **detail)
{
    const char *text = skip_function_name(line);

    *detail = NULL;
    if (g_str_has_prefix(text, "Listening on IP address ")) {
        *event = NM_L2TP_XL2TPD_EVENT_READY;
    } else if (g_str_has_prefix(text, "Connection established to ")) {
        *event = NM_L2TP_XL2TPD_EVENT_TUNNEL_UP;
    } else if (g_str_has_prefix(text, "Call established with ")) {
        *event = NM_L2TP_XL2TPD_EVENT_SESSION_UP;
    } else if (g_str_has_prefix(text, "Maximum retries exceeded for tunnel ")
               || g_str_has_prefix(text, "maximum retries exceeded")) {
        *event = NM_L2TP_XL2TPD_EVENT_NO_RESPONSE;
    } else if (g_str_has_prefix(text, "Connection closed to ") && strstr(text, ", serial ")) {
        /* "…: Connection closed to 192.0.2.1, serial 1 (words)": the
         * server's Call-Disconnect-Notify, i.e. it ended our session. */
        *event  = NM_L2TP_XL2TPD_EVENT_SESSION_CLOSED;
        *detail = between(text, " (", ")");
        if (*detail && !**detail)
            g_clear_pointer(detail, g_free);
    } else if (g_str_has_prefix(text, "Connection closed to ")) {
        /* "…: Connection closed to 192.0.2.1, port 1701 (Goodbye), Local: …":
         * the words in parentheses are the server's. */
        *event  = NM_L2TP_XL2TPD_EVENT_TUNNEL_CLOSED;
        *detail = between(text, " (", "), Local");
    } else if (g_str_has_prefix(text, "Call-Disconnect-Notify")
               || g_regex_match_simple("^Call [0-9]+ to .* disconnected$", text, 0, 0)) {
        *event  = NM_L2TP_XL2TPD_EVENT_SESSION_CLOSED;
        *detail = g_strdup(line);
    } else if (g_str_has_prefix(text, "L2TP kernel support not detected")) {
        *event = NM_L2TP_XL2TPD_EVENT_NO_KERNEL;
    } else if (g_str_has_prefix(text, "pppd exited for call ")) {
        *event  = NM_L2TP_XL2TPD_EVENT_PPPD_EXITED;
        *detail = between(text, "with code ", NULL);
    } else if (g_str_has_prefix(text, "pppd terminated for call ")) {
        *event  = NM_L2TP_XL2TPD_EVENT_PPPD_EXITED;
        *detail = g_strdup("signal");
    } else {
        return FALSE;
    }
    return TRUE;
}

/* Which program said @line.  xl2tpd prints its own messages as
 * "xl2tpd[PID]: text"; pppd, its child, writes to the same pipe without
 * a prefix.  A server's words reach the pipe inside messages of either
 * (a StopCCN's reason, pppd's "Remote message: "), never at the start of
 * a line of their own, except when the server put a line break into its
 * reason: xl2tpd copies it raw, so the rest of that message, up to the
 * end xl2tpd gave it, is the server's too. */
NML2tpXl2tpdOrigin
nm_l2tp_xl2tpd_classify_line(NML2tpXl2tpdLines *lines, const char *line, const char **text)
{
    gboolean own = lines->prefix && g_str_has_prefix(line, lines->prefix);

    *text = own ? line + strlen(lines->prefix) : line;
    if (lines->in_server_text) {
        if (own) {
            lines->in_server_text = FALSE;
        } else {
            /* The end xl2tpd gave the message closes the server's text. */
            if (strstr(line, "), Local: ") || g_str_has_suffix(line, ")"))
                lines->in_server_text = FALSE;
            return NM_L2TP_XL2TPD_ORIGIN_SERVER;
        }
    }
    if (!own)
        return NM_L2TP_XL2TPD_ORIGIN_PPPD;
    if (g_str_has_prefix(skip_function_name(*text), "Connection closed to ") && strstr(*text, " (")
        && !strstr(*text, "), Local: ") && !g_str_has_suffix(*text, ")"))
        lines->in_server_text = TRUE;
    return NM_L2TP_XL2TPD_ORIGIN_XL2TPD;
}

static void read_next_line(NML2tpXl2tpd *self);
static void maybe_report_exit(NML2tpXl2tpd *self);

static void
line_read_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpXl2tpd) self = user_data;
    g_autoptr(GError) error      = NULL;
    g_autofree char   *line      = NULL;
    g_autofree char   *detail    = NULL;
    const char        *text;
    NML2tpXl2tpdOrigin origin;
    NML2tpXl2tpdEvent  event;

    line = g_data_input_stream_read_line_finish_utf8(
        G_DATA_INPUT_STREAM(source), result, NULL, &error);
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
    if (!line) {
        /* End of output: xl2tpd is gone or going. */
        self->output_done = TRUE;
        maybe_report_exit(self);
        return;
    }
    g_strchomp(line);
    origin = nm_l2tp_xl2tpd_classify_line(&self->lines, line, &text);
    g_signal_emit(self, signals[SIGNAL_LINE], 0, line, (int)origin);
    if (origin == NM_L2TP_XL2TPD_ORIGIN_XL2TPD && nm_l2tp_xl2tpd_parse_line(text, &event, &detail))
        g_signal_emit(self, signals[SIGNAL_EVENT], 0, (int)event, detail);
    read_next_line(self);
}

static void
read_next_line(NML2tpXl2tpd *self)
{
    g_data_input_stream_read_line_async(
        self->output, G_PRIORITY_DEFAULT, self->cancellable, line_read_cb, g_object_ref(self));
}

static void
remove_files(NML2tpXl2tpd *self)
{
    guint i;

    for (i = 0; i < G_N_ELEMENTS(created_files); i++) {
        g_autofree char *path = g_build_filename(self->run_dir, created_files[i], NULL);

        if (g_unlink(path) != 0 && errno != ENOENT)
            g_warning("nm-l2tp: cannot remove %s: %s", path, g_strerror(errno));
    }
}

static void
finish_stop(NML2tpXl2tpd *self)
{
    g_autoptr(GTask) task = g_steal_pointer(&self->stop_task);

    remove_files(self);
    if (task)
        g_task_return_boolean(task, TRUE);
}

static gboolean
drain_timeout_cb(gpointer user_data)
{
    NML2tpXl2tpd *self = user_data;

    self->drain_timer = 0;
    self->output_done = TRUE;
    maybe_report_exit(self);
    return G_SOURCE_REMOVE;
}

/* The exit is reported once both the process has ended and its last
 * words have been read, so that what it said before dying is in the log
 * and can name the cause first. */
static void
maybe_report_exit(NML2tpXl2tpd *self)
{
    if (!self->exited || !self->output_done || self->exit_reported)
        return;
    self->exit_reported = TRUE;
    g_clear_handle_id(&self->drain_timer, g_source_remove);
    g_signal_emit(
        self, signals[SIGNAL_EVENT], 0, (int)NM_L2TP_XL2TPD_EVENT_EXITED, self->exit_detail);
}

static void
process_exited_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpXl2tpd) self = user_data;

    g_subprocess_wait_finish(G_SUBPROCESS(source), result, NULL);
    self->exited = TRUE;
    if (g_subprocess_get_if_exited(G_SUBPROCESS(source)))
        self->exit_detail =
            g_strdup_printf("exit status %d", g_subprocess_get_exit_status(G_SUBPROCESS(source)));
    else
        self->exit_detail =
            g_strdup_printf("signal %d", g_subprocess_get_term_sig(G_SUBPROCESS(source)));
    if (self->stop_task) {
        finish_stop(self);
        return;
    }
    /* A pppd that outlives xl2tpd keeps the pipe open: do not wait for the
     * end of output longer than it takes to read what is already there. */
    if (!self->output_done)
        self->drain_timer = g_timeout_add(OUTPUT_DRAIN_MS, drain_timeout_cb, self);
    maybe_report_exit(self);
}

/* Runs in the child between fork and exec: if the service dies, xl2tpd
 * (and with it pppd) must not outlive it. */
static void
child_setup(gpointer user_data)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
write_private_file(const char *dir, const char *name, const char *contents, GError **error)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);

    return g_file_set_contents_full(
        path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

gboolean
nm_l2tp_xl2tpd_start(NML2tpXl2tpd *self,
                     const char   *xl2tpd_path,
                     const char   *xl2tpd_conf,
                     const char   *pppd_options,
                     GError      **error)
{
    g_autoptr(GSubprocessLauncher) launcher = NULL;
    g_autofree char *conf_path              = g_build_filename(self->run_dir, "xl2tpd.conf", NULL);
    g_autofree char *pid_path               = g_build_filename(self->run_dir, "xl2tpd.pid", NULL);
    GInputStream    *stdout_pipe;

    g_return_val_if_fail(!self->process, FALSE);

    if (!write_private_file(self->run_dir, "xl2tpd.conf", xl2tpd_conf, error)
        || !write_private_file(self->run_dir, "pppd-options", pppd_options, error))
        return FALSE;

    launcher =
        g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE
                                  | G_SUBPROCESS_FLAGS_STDIN_INHERIT);
    g_subprocess_launcher_set_cwd(launcher, self->run_dir);
    g_subprocess_launcher_set_child_setup(launcher, child_setup, NULL, NULL);
    /* -D: foreground, logging to stderr, which we read. */
    self->process =
        g_subprocess_launcher_spawn(launcher,
                                    error,
                                    xl2tpd_path ? xl2tpd_path : NM_L2TP_XL2TPD_PATH_DEFAULT,
                                    "-D",
                                    "-c",
                                    conf_path,
                                    "-C",
                                    self->control_path,
                                    "-p",
                                    pid_path,
                                    NULL);
    if (!self->process) {
        g_prefix_error(error, _("cannot start xl2tpd: "));
        return FALSE;
    }
    self->pidfd = nm_l2tp_pidfd_of_subprocess(self->process);
    self->lines.prefix =
        g_strdup_printf("xl2tpd[%s]: ", g_subprocess_get_identifier(self->process));
    stdout_pipe  = g_subprocess_get_stdout_pipe(self->process);
    self->output = g_data_input_stream_new(stdout_pipe);
    g_data_input_stream_set_newline_type(self->output, G_DATA_STREAM_NEWLINE_TYPE_ANY);
    read_next_line(self);
    g_subprocess_wait_async(self->process, NULL, process_exited_cb, g_object_ref(self));
    return TRUE;
}

/* The control pipe is a FIFO xl2tpd reads; opening it non-blocking for
 * writing fails at once (ENXIO) rather than hanging when xl2tpd is not
 * reading, and a write below PIPE_BUF is atomic. */
static gboolean
send_control(NML2tpXl2tpd *self, const char *command, GError **error)
{
    g_autofree char *text = g_strdup_printf("%s %s\n", command, self->lac_name);
    int              fd   = open(self->control_path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    gssize           n;
    int              errsv;

    if (fd < 0) {
        errsv = errno;
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    _("cannot open xl2tpd's control pipe: %s"),
                    g_strerror(errsv));
        return FALSE;
    }
    n     = write(fd, text, strlen(text));
    errsv = errno;
    close(fd);
    if (n != (gssize)strlen(text)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    _("cannot write to xl2tpd's control pipe: %s"),
                    n < 0 ? g_strerror(errsv) : "short write");
        return FALSE;
    }
    return TRUE;
}

gboolean
nm_l2tp_xl2tpd_dial(NML2tpXl2tpd *self, GError **error)
{
    if (!send_control(self, "c", error))
        return FALSE;
    self->dialed = TRUE;
    return TRUE;
}

gboolean
nm_l2tp_xl2tpd_is_running(NML2tpXl2tpd *self)
{
    return self->process && !self->exited;
}

static void
stopped_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpXl2tpd) self = user_data;

    nm_l2tp_process_stop_finish(result, NULL);
    /* Its exit watch reaps it and finishes the stop; this only covers an
     * exit it saw before we asked. */
    if (self->exited && self->stop_task)
        finish_stop(self);
}

void
nm_l2tp_xl2tpd_stop_async(NML2tpXl2tpd *self, GAsyncReadyCallback callback, gpointer user_data)
{
    GTask *task = g_task_new(self, NULL, callback, user_data);
    guint  hangup_ms;

    g_task_set_source_tag(task, nm_l2tp_xl2tpd_stop_async);
    if (self->stop_task) {
        g_task_return_new_error(task, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "already stopping");
        g_object_unref(task);
        return;
    }
    self->stop_task = task;
    if (!self->process || self->exited) {
        finish_stop(self);
        return;
    }
    /* "d LAC" makes xl2tpd send StopCCN and end pppd, and it gets a moment
     * for that before SIGTERM; if the pipe is not there, or nothing was
     * dialed yet (the attempt ended during IPsec), SIGTERM at once. */
    hangup_ms = self->dialed && send_control(self, "d", NULL) ? HANGUP_GRACE_MS : 0;
    nm_l2tp_process_stop_async(
        self->pidfd, hangup_ms, TERM_GRACE_MS, stopped_cb, g_object_ref(self));
}

gboolean
nm_l2tp_xl2tpd_stop_finish(NML2tpXl2tpd *self, GAsyncResult *result, GError **error)
{
    return g_task_propagate_boolean(G_TASK(result), error);
}

NML2tpXl2tpd *
nm_l2tp_xl2tpd_new(const char *run_dir, const char *lac_name)
{
    NML2tpXl2tpd *self = g_object_new(NM_L2TP_TYPE_XL2TPD, NULL);

    self->run_dir      = g_strdup(run_dir);
    self->lac_name     = g_strdup(lac_name);
    self->control_path = g_build_filename(run_dir, "xl2tpd-control", NULL);
    return self;
}

static void
nm_l2tp_xl2tpd_init(NML2tpXl2tpd *self)
{
    self->cancellable = g_cancellable_new();
    self->pidfd       = -1;
}

static void
dispose(GObject *object)
{
    NML2tpXl2tpd *self = NM_L2TP_XL2TPD(object);

    g_cancellable_cancel(self->cancellable);
    g_clear_handle_id(&self->drain_timer, g_source_remove);
    /* Never leave xl2tpd behind, even when the owner forgot to stop it. */
    if (self->process && !self->exited)
        nm_l2tp_subprocess_kill_now(self->process);
    G_OBJECT_CLASS(nm_l2tp_xl2tpd_parent_class)->dispose(object);
}

static void
finalize(GObject *object)
{
    NML2tpXl2tpd *self = NM_L2TP_XL2TPD(object);

    g_clear_object(&self->output);
    g_clear_object(&self->process);
    g_clear_object(&self->cancellable);
    g_free(self->run_dir);
    g_free(self->lac_name);
    g_free(self->control_path);
    g_free(self->exit_detail);
    g_free(self->lines.prefix);
    if (self->pidfd >= 0)
        close(self->pidfd);
    G_OBJECT_CLASS(nm_l2tp_xl2tpd_parent_class)->finalize(object);
}

static void
nm_l2tp_xl2tpd_class_init(NML2tpXl2tpdClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);

    object_class->dispose  = dispose;
    object_class->finalize = finalize;

    signals[SIGNAL_EVENT] = g_signal_new("event",
                                         G_TYPE_FROM_CLASS(klass),
                                         G_SIGNAL_RUN_LAST,
                                         0,
                                         NULL,
                                         NULL,
                                         NULL,
                                         G_TYPE_NONE,
                                         2,
                                         G_TYPE_INT,
                                         G_TYPE_STRING);
    signals[SIGNAL_LINE]  = g_signal_new("line",
                                        G_TYPE_FROM_CLASS(klass),
                                        G_SIGNAL_RUN_LAST,
                                        0,
                                        NULL,
                                        NULL,
                                        NULL,
                                        G_TYPE_NONE,
                                        2,
                                        G_TYPE_STRING,
                                        G_TYPE_INT);
}
