/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-resources.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <ftw.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "nm-l2tp-deadline.h"
#include "nm-l2tp-error.h"
#include "nm-l2tp-report.h"

#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif

int
nm_l2tp_pidfd_open(GPid pid)
{
    if (pid <= 0) {
        errno = ESRCH;
        return -1;
    }
    /* pidfds are close-on-exec from the start. */
    return (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
}

int
nm_l2tp_pidfd_of_subprocess(GSubprocess *process)
{
    const char *id = g_subprocess_get_identifier(process);

    if (!id) {
        errno = ESRCH;
        return -1;
    }
    return nm_l2tp_pidfd_open((GPid)atoi(id));
}

static gboolean
pidfd_signal(int pidfd, int sig)
{
    return syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) == 0;
}

void
nm_l2tp_subprocess_kill_now(GSubprocess *process)
{
    int fd = nm_l2tp_pidfd_of_subprocess(process);

    if (fd < 0)
        return;
    pidfd_signal(fd, SIGKILL);
    close(fd);
}

/* Whether the process behind @pidfd has exited (a pidfd polls readable
 * then, reaped or not). */
static gboolean
pidfd_exited(int pidfd)
{
    GPollFD pfd = { .fd = pidfd, .events = G_IO_IN };

    return g_poll(&pfd, 1, 0) == 1;
}

typedef struct {
    int   pidfd;
    guint grace_ms;
    guint watch;
    guint timer;
} StopData;

static void
stop_data_free(StopData *d)
{
    g_clear_handle_id(&d->watch, g_source_remove);
    g_clear_handle_id(&d->timer, g_source_remove);
    g_free(d);
}

static gboolean
stop_exited_cb(int fd, GIOCondition condition, gpointer user_data)
{
    GTask    *task = user_data;
    StopData *d    = g_task_get_task_data(task);

    d->watch = 0;
    g_clear_handle_id(&d->timer, g_source_remove);
    g_task_return_boolean(task, TRUE);
    g_object_unref(task);
    return G_SOURCE_REMOVE;
}

static gboolean
stop_kill_cb(gpointer user_data)
{
    StopData *d = g_task_get_task_data(user_data);

    d->timer = 0;
    /* It hangs in a kernel call or ignores SIGTERM; the watch completes
     * once SIGKILL took effect. */
    pidfd_signal(d->pidfd, SIGKILL);
    return G_SOURCE_REMOVE;
}

static gboolean
stop_term_cb(gpointer user_data)
{
    StopData *d = g_task_get_task_data(user_data);

    d->timer = 0;
    if (pidfd_signal(d->pidfd, SIGTERM))
        d->timer = g_timeout_add(d->grace_ms, stop_kill_cb, user_data);
    return G_SOURCE_REMOVE;
}

void
nm_l2tp_process_stop_async(
    int pidfd, guint delay_ms, guint grace_ms, GAsyncReadyCallback callback, gpointer user_data)
{
    GTask    *task = g_task_new(NULL, NULL, callback, user_data);
    StopData *d;

    g_task_set_source_tag(task, nm_l2tp_process_stop_async);
    if (pidfd < 0 || pidfd_exited(pidfd)) {
        g_task_return_boolean(task, TRUE);
        g_object_unref(task);
        return;
    }
    d           = g_new0(StopData, 1);
    d->pidfd    = pidfd;
    d->grace_ms = grace_ms;
    g_task_set_task_data(task, d, (GDestroyNotify)stop_data_free);
    /* The task holds itself until the process has exited. */
    d->watch = g_unix_fd_add(pidfd, G_IO_IN, stop_exited_cb, task);
    if (delay_ms)
        d->timer = g_timeout_add(delay_ms, stop_term_cb, task);
    else
        stop_term_cb(task);
}

gboolean
nm_l2tp_process_stop_finish(GAsyncResult *result, GError **error)
{
    return g_task_propagate_boolean(G_TASK(result), error);
}

typedef struct {
    GSourceFunc func;
    gpointer    user_data;
} WatchData;

static gboolean
watch_cb(int fd, GIOCondition condition, gpointer user_data)
{
    WatchData *w = user_data;

    w->func(w->user_data);
    return G_SOURCE_REMOVE;
}

guint
nm_l2tp_pidfd_watch(int pidfd, GSourceFunc func, gpointer user_data)
{
    WatchData *w = g_new0(WatchData, 1);

    w->func      = func;
    w->user_data = user_data;
    return g_unix_fd_add_full(G_PRIORITY_DEFAULT, pidfd, G_IO_IN, watch_cb, w, g_free);
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    if (remove(path) != 0 && errno != ENOENT)
        g_warning("nm-l2tp: cannot remove %s: %s", path, g_strerror(errno));
    return 0;
}

void
nm_l2tp_remove_tree(const char *dir)
{
    struct stat st;

    if (!dir || lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return;
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *
nm_l2tp_run_dir_for(const char *run_base, const char *uuid)
{
    return g_strdup_printf("%s/%s.%ld", run_base, uuid, (long)getpid());
}

/* The pid in a directory name of ours ("charon-PID", "UUID.PID"), or 0;
 * also 0 for this service's own: only other services' are of interest. */
static long
other_pid_of_dir(const char *name)
{
    const char *digits = g_str_has_prefix(name, "charon-") ? name + strlen("charon-") : NULL;
    char       *end    = NULL;
    long        pid;

    if (!digits && (digits = strrchr(name, '.')))
        digits++;
    if (!digits)
        return 0;
    pid = strtol(digits, &end, 10);
    return pid > 0 && end != digits && *end == '\0' && pid != (long)getpid() ? pid : 0;
}

static gboolean
process_is_alive(long pid)
{
    g_autofree char *proc = g_strdup_printf("/proc/%ld", pid);

    return g_file_test(proc, G_FILE_TEST_EXISTS);
}

void
nm_l2tp_remove_stale_dirs(const char *run_base)
{
    g_autoptr(GDir) dir = g_dir_open(run_base, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        long             pid  = other_pid_of_dir(name);

        if (pid == 0 || process_is_alive(pid))
            continue;
        path = g_build_filename(run_base, name, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_DIR))
            nm_l2tp_remove_tree(path);
    }
}

long
nm_l2tp_other_service_of(const char *run_base, const char *uuid)
{
    g_autoptr(GDir) dir     = g_dir_open(run_base, 0, NULL);
    g_autofree char *prefix = g_strconcat(uuid, ".", NULL);
    const char      *name;

    while (dir && (name = g_dir_read_name(dir))) {
        long pid = g_str_has_prefix(name, prefix) ? other_pid_of_dir(name) : 0;

        if (pid != 0 && process_is_alive(pid))
            return pid;
    }
    return 0;
}

gboolean
nm_l2tp_make_private_dir(const char *dir, GError **error)
{
    int errsv;

    nm_l2tp_remove_tree(dir);
    if (g_mkdir(dir, 0700) == 0)
        return TRUE;
    errsv = errno;
    g_set_error(error,
                NM_L2TP_ERROR,
                NM_L2TP_ERROR_FAILED,
                _("cannot create %s: %s"),
                dir,
                g_strerror(errsv));
    return FALSE;
}

#define FRESH_PORT_WITHIN_S 90

gboolean
nm_l2tp_last_tunnel_is_recent(const char *run_base, const char *uuid)
{
    g_autofree char *path         = nm_l2tp_report_build_path(run_base, uuid, NULL);
    g_autoptr(NML2tpReport) last  = NULL;
    const NML2tpReportStage *l2tp = NULL;
    GStatBuf                 st;

    /* The file's age first: an old report is not worth parsing. */
    if (!path || g_stat(path, &st) != 0 || time(NULL) - st.st_mtime > FRESH_PORT_WITHIN_S)
        return FALSE;
    last = nm_l2tp_report_load(run_base, uuid, NULL);
    l2tp = last ? nm_l2tp_report_get_stage(last, "l2tp-tunnel") : NULL;
    return l2tp && l2tp->state == NM_L2TP_STAGE_STATE_PASSED;
}

guint
nm_l2tp_pick_l2tp_port(gboolean ephemeral)
{
    g_autoptr(GInetAddress) any = g_inet_address_new_any(G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocket) sock =
        g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
    g_autoptr(GSocketAddress) addr = NULL;
    g_autoptr(GSocketAddress) got  = NULL;

    if (!sock)
        return 1701;
    if (!ephemeral) {
        addr = g_inet_socket_address_new(any, 1701);
        if (g_socket_bind(sock, addr, FALSE, NULL))
            return 1701;
        g_clear_object(&addr);
    }
    addr = g_inet_socket_address_new(any, 0);
    if (!g_socket_bind(sock, addr, FALSE, NULL))
        return 1701;
    got = g_socket_get_local_address(sock, NULL);
    return got ? g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(got)) : 1701;
}

static void
resolved_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task    = user_data;
    NML2tpDeadline *deadline = g_task_get_task_data(task);
    g_autoptr(GError) error  = NULL;
    GList *addresses         = g_resolver_lookup_by_name_finish(G_RESOLVER(source), result, &error);
    GList *l;

    if (nm_l2tp_deadline_expired(deadline)) {
        g_resolver_free_addresses(addresses);
        g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "no answer in time");
        return;
    }
    if (error) {
        g_task_return_error(task, g_steal_pointer(&error));
        return;
    }
    for (l = addresses; l; l = l->next) {
        if (g_inet_address_get_family(l->data) == G_SOCKET_FAMILY_IPV4)
            break;
    }
    if (l)
        g_task_return_pointer(task, g_inet_address_to_string(l->data), g_free);
    else
        g_task_return_new_error(
            task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "no IPv4 address");
    g_resolver_free_addresses(addresses);
}

void
nm_l2tp_resolve_ipv4_async(const char         *name,
                           guint               timeout_s,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
    g_autoptr(GTask) task           = g_task_new(NULL, cancellable, callback, user_data);
    g_autoptr(GInetAddress) literal = g_inet_address_new_from_string(name);
    NML2tpDeadline *deadline;

    g_task_set_source_tag(task, nm_l2tp_resolve_ipv4_async);
    if (literal) {
        if (g_inet_address_get_family(literal) == G_SOCKET_FAMILY_IPV4)
            g_task_return_pointer(task, g_strdup(name), g_free);
        else
            g_task_return_new_error(
                task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "not an IPv4 address");
        return;
    }
    deadline = nm_l2tp_deadline_new(cancellable, timeout_s * 1000);
    g_task_set_task_data(task, deadline, (GDestroyNotify)nm_l2tp_deadline_free);
    g_resolver_lookup_by_name_async(g_resolver_get_default(),
                                    name,
                                    nm_l2tp_deadline_get_cancellable(deadline),
                                    resolved_cb,
                                    g_steal_pointer(&task));
}

char *
nm_l2tp_resolve_ipv4_finish(GAsyncResult *result, GError **error)
{
    return g_task_propagate_pointer(G_TASK(result), error);
}
