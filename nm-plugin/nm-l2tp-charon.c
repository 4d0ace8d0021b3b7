/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Finding or starting charon.  See nm-l2tp-charon.h for the why. */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* unshare(), CLONE_NEWNS */
#endif
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>
#include <gio/gnetworking.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-charon.h"
#include "nm-l2tp-deadline.h"
#include "nm-l2tp-resources.h"
#include "nm-l2tp-vici-client.h"

#define PROBE_TIMEOUT_MS   2000
#define POLL_INTERVAL_MS   25
#define STOP_GRACE_MS      3000
#define DEFAULT_TIMEOUT_MS 10000

struct _NML2tpCharon {
    GObject      parent;
    char        *socket_path;
    char        *dir; /* private charon's directory, NULL for the system one */
    char        *log_path;
    GSubprocess *process;
    int          pidfd; /* of the private charon, -1: none */
    double       startup_seconds;
};

G_DEFINE_FINAL_TYPE(NML2tpCharon, nm_l2tp_charon, G_TYPE_OBJECT)

/* ---- probing a socket: connect and ask for the version ------------------ */

typedef struct {
    NML2tpDeadline   *deadline;
    NML2tpViciClient *client;
} ProbeData;

static void
probe_data_free(ProbeData *d)
{
    if (d->client)
        nm_l2tp_vici_client_close(d->client);
    g_clear_object(&d->client);
    nm_l2tp_deadline_free(d->deadline);
    g_free(d);
}

static void
probe_version_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task   = user_data;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) response =
        nm_l2tp_vici_client_call_finish(NM_L2TP_VICI_CLIENT(source), result, &error);

    if (!response)
        g_task_return_error(task, g_steal_pointer(&error));
    else
        g_task_return_boolean(task, TRUE);
}

static void
probe_connect_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task   = user_data;
    g_autoptr(GError) error = NULL;
    ProbeData *d            = g_task_get_task_data(task);

    d->client = nm_l2tp_vici_client_new_finish(result, &error);
    if (!d->client) {
        g_task_return_error(task, g_steal_pointer(&error));
        return;
    }
    nm_l2tp_vici_client_call_async(d->client,
                                   "version",
                                   NULL,
                                   nm_l2tp_deadline_get_cancellable(d->deadline),
                                   probe_version_cb,
                                   g_steal_pointer(&task));
}

/* Does a charon answer on @path within @timeout_ms? */
static void
probe_async(const char         *path,
            guint               timeout_ms,
            GCancellable       *cancellable,
            GAsyncReadyCallback cb,
            gpointer            data)
{
    GTask     *task = g_task_new(NULL, cancellable, cb, data);
    ProbeData *d    = g_new0(ProbeData, 1);

    d->deadline = nm_l2tp_deadline_new(cancellable, timeout_ms);
    g_task_set_task_data(task, d, (GDestroyNotify)probe_data_free);
    nm_l2tp_vici_client_new_async(
        path, nm_l2tp_deadline_get_cancellable(d->deadline), probe_connect_cb, task);
}

static gboolean
probe_finish(GAsyncResult *result, GError **error)
{
    return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- the private charon's configuration ------------------------------ */

char *
nm_l2tp_charon_build_conf(guint port, guint port_nat_t)
{
    g_autofree char *plugins = nm_l2tp_charon_private_plugins_load_line();

    /* Paths are as the charon sees them inside its namespace: /run is its
     * own directory there.  The log file is read back when charon's
     * control-log events missed the lines that explain a failure (see
     * replay_private_log()), and those carry level 1 too.  Level 2 would
     * add dozens of lines per connect (every setting of load-conn, every
     * state change), each one written and flushed while the connect
     * waits; level 4 would dump key material. */
    return g_strdup_printf("# Written by nm-l2tp for a private charon; removed when it stops.\n"
                           "charon {\n"
                           "    load_modular = no\n"
                           "    load = %s\n"
                           "    port = %u\n"
                           "    port_nat_t = %u\n"
                           "    install_routes = no\n"
                           "    install_virtual_ip = no\n"
                           "    plugins {\n"
                           "        vici {\n"
                           "            socket = unix:///run/charon.vici\n"
                           "        }\n"
                           "    }\n"
                           "    syslog {\n"
                           "        identifier = charon-nm-l2tp\n"
                           "    }\n"
                           "    filelog {\n"
                           "        nm-l2tp {\n"
                           "            path = /run/charon.log\n"
                           "            time_format = %%T\n"
                           "            default = 1\n"
                           "            flush_line = yes\n"
                           "        }\n"
                           "    }\n"
                           "}\n",
                           plugins,
                           port,
                           port_nat_t);
}

/* Is UDP @port free on this network namespace?  Probing by binding is racy
 * but good enough: if another daemon takes the port in between, charon
 * logs a bind failure and the probe of its socket fails. */
static gboolean
udp_port_free(guint16 port)
{
    g_autoptr(GSocket) sock        = NULL;
    g_autoptr(GInetAddress) any    = g_inet_address_new_any(G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(any, port);

    sock = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
    return sock && g_socket_bind(sock, addr, FALSE, NULL);
}

/* Runs in the child between fork and exec: only async-signal-safe calls. */
static void
child_setup(gpointer user_data)
{
    const char       *dir   = user_data;
    static const char msg[] = "nm-l2tp: cannot set up the private mount namespace for charon\n";

    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0
        || mount(dir, "/run", NULL, MS_BIND, NULL) != 0) {
        if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
            /* nothing left to report to */
        }
        _exit(126);
    }
}

/* ---- acquiring ------------------------------------------------------- */

typedef struct {
    char         *run_dir;
    char         *dir_name;
    char        **sockets;
    char         *charon_path;
    gboolean      allow_system;
    guint         timeout_ms;
    guint         index;
    NML2tpCharon *charon;
    gint64        spawned_at;
    guint         poll_timer;
    guint         deadline_timer;
    gboolean      probing;
    gboolean      exited;
    gboolean      done;         /* the task has returned (its callback may still be pending) */
    gboolean      random_ports; /* 500/4500 were taken: start again with random ones */
    gboolean      restarting;
    GCancellable *wait_cancellable;
} AcquireData;

static void
acquire_data_free(AcquireData *d)
{
    g_clear_handle_id(&d->poll_timer, g_source_remove);
    g_clear_handle_id(&d->deadline_timer, g_source_remove);
    if (d->wait_cancellable)
        g_cancellable_cancel(d->wait_cancellable);
    g_clear_object(&d->wait_cancellable);
    g_free(d->run_dir);
    g_free(d->dir_name);
    g_strfreev(d->sockets);
    g_free(d->charon_path);
    g_clear_object(&d->charon);
    g_free(d);
}

static void try_next_system(GTask *task);
static void start_private(GTask *task);

/* Reads the last lines of the private charon's stderr and log to explain
 * why it did not start; they carry no secrets (none was sent yet). */
static char *
startup_failure_detail(NML2tpCharon *charon)
{
    g_autofree char *err_path = g_build_filename(charon->dir, "charon.stderr", NULL);
    g_autofree char *text     = NULL;
    char            *last;

    if (!g_file_get_contents(err_path, &text, NULL, NULL) || !*g_strstrip(text)) {
        g_clear_pointer(&text, g_free);
        g_file_get_contents(charon->log_path, &text, NULL, NULL);
    }
    if (!text || !*g_strstrip(text))
        return g_strdup("no output");
    last = strrchr(text, '\n');
    return g_strdup(last ? last + 1 : text);
}

static void
fail_private(GTask *task, const char *what)
{
    AcquireData     *d      = g_task_get_task_data(task);
    g_autofree char *detail = startup_failure_detail(d->charon);

    d->done = TRUE;
    if (d->charon->process && !d->exited)
        nm_l2tp_subprocess_kill_now(d->charon->process);
    nm_l2tp_remove_tree(d->charon->dir);
    g_task_return_new_error(
        task, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "private charon %s (%s)", what, detail);
}

/* socket-default logs this when it cannot bind its ports. */
static gboolean
ports_were_taken(NML2tpCharon *charon)
{
    g_autofree char *log = NULL;

    if (!g_file_get_contents(charon->log_path, &log, NULL, NULL))
        return FALSE;
    return strstr(log, "unable to bind socket") != NULL
           || strstr(log, "could not create any sockets") != NULL;
}

static void
private_probe_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task = user_data;
    AcquireData *d        = g_task_get_task_data(task);

    d->probing = FALSE;
    if (!probe_finish(result, NULL) || d->done || d->restarting)
        return; /* the poll timer tries again, or it is over */
    if (!d->random_ports && ports_were_taken(d->charon)) {
        /* Another daemon bound 500/4500 between our check and charon's
         * start (e.g. a second connection starting at the same time).
         * Once more with random ports; the exit watch respawns. */
        d->random_ports = TRUE;
        d->restarting   = TRUE;
        g_clear_handle_id(&d->poll_timer, g_source_remove);
        g_subprocess_send_signal(d->charon->process, SIGTERM);
        return;
    }
    d->done = TRUE;
    g_clear_handle_id(&d->poll_timer, g_source_remove);
    g_clear_handle_id(&d->deadline_timer, g_source_remove);
    /* The exit watch holds a reference to the task: end it. */
    g_cancellable_cancel(d->wait_cancellable);
    d->charon->startup_seconds = (g_get_monotonic_time() - d->spawned_at) / 1e6;
    g_task_return_pointer(task, g_steal_pointer(&d->charon), g_object_unref);
}

static gboolean
private_poll(gpointer user_data)
{
    GTask       *task = user_data;
    AcquireData *d    = g_task_get_task_data(task);

    if (d->probing || !g_file_test(d->charon->socket_path, G_FILE_TEST_EXISTS))
        return G_SOURCE_CONTINUE;
    d->probing = TRUE;
    probe_async(d->charon->socket_path,
                PROBE_TIMEOUT_MS,
                g_task_get_cancellable(task),
                private_probe_cb,
                g_object_ref(task));
    return G_SOURCE_CONTINUE;
}

static gboolean
private_deadline(gpointer user_data)
{
    GTask       *task = user_data;
    AcquireData *d    = g_task_get_task_data(task);

    d->deadline_timer = 0;
    g_clear_handle_id(&d->poll_timer, g_source_remove);
    fail_private(task, "did not answer in time");
    return G_SOURCE_REMOVE;
}

static void
private_exited_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task   = user_data;
    g_autoptr(GError) error = NULL;
    AcquireData *d          = g_task_get_task_data(task);

    if (!g_subprocess_wait_finish(G_SUBPROCESS(source), result, &error))
        return; /* cancelled: it started, or the attempt ended */
    d->exited = TRUE;
    if (d->done)
        return;
    if (d->restarting) {
        d->restarting = FALSE;
        d->exited     = FALSE;
        g_clear_handle_id(&d->deadline_timer, g_source_remove);
        g_clear_object(&d->wait_cancellable);
        g_clear_object(&d->charon->process);
        nm_l2tp_remove_tree(d->charon->dir);
        g_clear_object(&d->charon);
        start_private(task);
        return;
    }
    g_clear_handle_id(&d->poll_timer, g_source_remove);
    g_clear_handle_id(&d->deadline_timer, g_source_remove);
    fail_private(task, "exited during start-up");
}

static void
start_private(GTask *task)
{
    AcquireData *d                          = g_task_get_task_data(task);
    g_autoptr(GSubprocessLauncher) launcher = NULL;
    g_autoptr(GError) error                 = NULL;
    g_autofree char *conf                   = NULL;
    g_autofree char *conf_path              = NULL;
    g_autofree char *err_path               = NULL;
    gboolean         std_ports = !d->random_ports && udp_port_free(500) && udp_port_free(4500);
    NML2tpCharon    *charon;

    charon              = g_object_new(NM_L2TP_TYPE_CHARON, NULL);
    d->charon           = charon;
    charon->dir         = g_build_filename(d->run_dir, d->dir_name, NULL);
    charon->socket_path = g_build_filename(charon->dir, "charon.vici", NULL);
    charon->log_path    = g_build_filename(charon->dir, "charon.log", NULL);
    conf_path           = g_build_filename(charon->dir, "strongswan.conf", NULL);
    err_path            = g_build_filename(charon->dir, "charon.stderr", NULL);

    if (g_mkdir(charon->dir, 0700) != 0 && errno != EEXIST) {
        int errsv = errno;

        g_task_return_new_error(task,
                                G_IO_ERROR,
                                g_io_error_from_errno(errsv),
                                "cannot create %s: %s",
                                charon->dir,
                                g_strerror(errsv));
        return;
    }
    conf = nm_l2tp_charon_build_conf(std_ports ? 500 : 0, std_ports ? 4500 : 0);
    if (!g_file_set_contents_full(
            conf_path, conf, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error)) {
        nm_l2tp_remove_tree(charon->dir);
        g_task_return_error(task, g_steal_pointer(&error));
        return;
    }

    launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_INHERIT);
    g_subprocess_launcher_set_cwd(launcher, charon->dir);
    g_subprocess_launcher_setenv(launcher, "STRONGSWAN_CONF", "/run/strongswan.conf", TRUE);
    g_subprocess_launcher_set_stdout_file_path(launcher, err_path);
    g_subprocess_launcher_set_stderr_file_path(launcher, err_path);
    g_subprocess_launcher_set_child_setup(launcher, child_setup, g_strdup(charon->dir), g_free);

    d->spawned_at   = g_get_monotonic_time();
    charon->process = g_subprocess_launcher_spawn(launcher, &error, d->charon_path, NULL);
    if (!charon->process) {
        nm_l2tp_remove_tree(charon->dir);
        g_task_return_error(task, g_steal_pointer(&error));
        return;
    }
    charon->pidfd       = nm_l2tp_pidfd_of_subprocess(charon->process);
    d->wait_cancellable = g_cancellable_new();
    g_subprocess_wait_async(
        charon->process, d->wait_cancellable, private_exited_cb, g_object_ref(task));
    d->poll_timer = g_timeout_add_full(
        G_PRIORITY_DEFAULT, POLL_INTERVAL_MS, private_poll, g_object_ref(task), g_object_unref);
    d->deadline_timer = g_timeout_add_full(
        G_PRIORITY_DEFAULT, d->timeout_ms, private_deadline, g_object_ref(task), g_object_unref);
}

static void
system_probe_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task = user_data;
    AcquireData *d        = g_task_get_task_data(task);

    if (probe_finish(result, NULL)) {
        NML2tpCharon *charon = g_object_new(NM_L2TP_TYPE_CHARON, NULL);

        charon->socket_path = g_strdup(d->sockets[d->index]);
        g_task_return_pointer(task, charon, g_object_unref);
        return;
    }
    if (g_task_return_error_if_cancelled(task))
        return;
    d->index++;
    try_next_system(task);
}

static void
try_next_system(GTask *task)
{
    AcquireData *d = g_task_get_task_data(task);

    for (; d->allow_system && d->sockets[d->index]; d->index++) {
        /* A stat, not a connect: most machines run no system charon. */
        if (g_file_test(d->sockets[d->index], G_FILE_TEST_EXISTS)) {
            probe_async(d->sockets[d->index],
                        PROBE_TIMEOUT_MS,
                        g_task_get_cancellable(task),
                        system_probe_cb,
                        g_object_ref(task));
            return;
        }
    }
    start_private(task);
}

void
nm_l2tp_charon_acquire_async(const NML2tpCharonParams *params,
                             GCancellable             *cancellable,
                             GAsyncReadyCallback       callback,
                             gpointer                  user_data)
{
    g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
    AcquireData *d        = g_new0(AcquireData, 1);

    g_return_if_fail(params && params->run_dir);

    d->run_dir  = g_strdup(params->run_dir);
    d->dir_name = g_strdup(params->dir_name ? params->dir_name : "charon");
    d->sockets  = g_strdupv(
        (char **)(params->system_sockets ? params->system_sockets : nm_l2tp_charon_system_sockets));
    d->charon_path =
        g_strdup(params->charon_path ? params->charon_path : NM_L2TP_CHARON_PATH_DEFAULT);
    d->allow_system = params->allow_system;
    d->timeout_ms   = params->timeout_ms ? params->timeout_ms : DEFAULT_TIMEOUT_MS;
    g_task_set_source_tag(task, nm_l2tp_charon_acquire_async);
    g_task_set_task_data(task, d, (GDestroyNotify)acquire_data_free);
    try_next_system(task);
}

NML2tpCharon *
nm_l2tp_charon_acquire_finish(GAsyncResult *result, GError **error)
{
    return g_task_propagate_pointer(G_TASK(result), error);
}

const char *
nm_l2tp_charon_get_socket_path(NML2tpCharon *charon)
{
    return charon->socket_path;
}

gboolean
nm_l2tp_charon_is_private(NML2tpCharon *charon)
{
    return charon->process != NULL;
}

const char *
nm_l2tp_charon_get_log_path(NML2tpCharon *charon)
{
    return charon->log_path;
}

double
nm_l2tp_charon_get_startup_seconds(NML2tpCharon *charon)
{
    return charon->startup_seconds;
}

/* ---- releasing -------------------------------------------------------- */

static void
released_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task = user_data;
    NML2tpCharon *charon  = g_task_get_source_object(task);

    nm_l2tp_process_stop_finish(result, NULL);
    nm_l2tp_remove_tree(charon->dir);
    g_clear_object(&charon->process);
    g_task_return_boolean(task, TRUE);
}

void
nm_l2tp_charon_release_async(NML2tpCharon       *charon,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
    g_autoptr(GTask) task = g_task_new(charon, cancellable, callback, user_data);

    g_task_set_source_tag(task, nm_l2tp_charon_release_async);
    if (!charon->process) {
        g_task_return_boolean(task, TRUE);
        return;
    }
    /* SIGTERM, then SIGKILL if charon hangs in a kernel call. */
    nm_l2tp_process_stop_async(
        charon->pidfd, 0, STOP_GRACE_MS, released_cb, g_steal_pointer(&task));
}

gboolean
nm_l2tp_charon_release_finish(NML2tpCharon *charon, GAsyncResult *result, GError **error)
{
    return g_task_propagate_boolean(G_TASK(result), error);
}

static void
nm_l2tp_charon_init(NML2tpCharon *self)
{
    self->pidfd = -1;
}

static void
finalize(GObject *object)
{
    NML2tpCharon *self = NM_L2TP_CHARON(object);

    /* Dropped without release: do not leave a charon behind. */
    if (self->process) {
        nm_l2tp_subprocess_kill_now(self->process);
        nm_l2tp_remove_tree(self->dir);
    }
    if (self->pidfd >= 0)
        close(self->pidfd);
    g_clear_object(&self->process);
    g_free(self->socket_path);
    g_free(self->dir);
    g_free(self->log_path);
    G_OBJECT_CLASS(nm_l2tp_charon_parent_class)->finalize(object);
}

static void
nm_l2tp_charon_class_init(NML2tpCharonClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = finalize;
}
