/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Ending processes by pidfd, and removing directories: the one way the
 * service ends charon, xl2tpd and pppd.  Real processes. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "nm-l2tp-deadline.h"
#include "nm-l2tp-report.h"
#include "nm-l2tp-resources.h"

typedef struct {
    gboolean done;
} Wait;

static void
stopped_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Wait *w = user_data;

    g_assert_true(nm_l2tp_process_stop_finish(result, NULL));
    w->done = TRUE;
}

static void
stop_and_wait(int pidfd, guint delay_ms, guint grace_ms)
{
    Wait w = { 0 };

    nm_l2tp_process_stop_async(pidfd, delay_ms, grace_ms, stopped_cb, &w);
    while (!w.done)
        g_main_context_iteration(NULL, TRUE);
}

static GSubprocess *
spawn(const char *script)
{
    g_autoptr(GError) error = NULL;
    GSubprocess *p =
        g_subprocess_new(G_SUBPROCESS_FLAGS_NONE, &error, "/bin/sh", "-c", script, NULL);

    g_assert_no_error(error);
    return p;
}

static void
test_sigterm_ends_a_willing_process(void)
{
    g_autoptr(GSubprocess) p = spawn("exec sleep 60");
    int fd                   = nm_l2tp_pidfd_of_subprocess(p);

    g_assert_cmpint(fd, >=, 0);
    stop_and_wait(fd, 0, 5000);
    g_assert_true(g_subprocess_wait(p, NULL, NULL));
    g_assert_false(g_subprocess_get_if_exited(p));
    g_assert_cmpint(g_subprocess_get_term_sig(p), ==, SIGTERM);
    close(fd);
}

static void
test_sigkill_after_the_grace(void)
{
    /* Ignores SIGTERM and keeps running (no child that could outlive it). */
    g_autoptr(GSubprocess) p = spawn("trap '' TERM; while :; do :; done");
    int    fd                = nm_l2tp_pidfd_of_subprocess(p);
    gint64 t0                = g_get_monotonic_time();

    g_usleep(100000); /* let the shell set its trap */
    stop_and_wait(fd, 0, 300);
    g_assert_cmpint(g_get_monotonic_time() - t0, >=, 300000);
    g_assert_true(g_subprocess_wait(p, NULL, NULL));
    g_assert_cmpint(g_subprocess_get_term_sig(p), ==, SIGKILL);
    close(fd);
}

static void
test_delay_lets_it_leave_on_its_own(void)
{
    g_autoptr(GSubprocess) p = spawn("sleep 0.1; exit 3");
    int fd                   = nm_l2tp_pidfd_of_subprocess(p);

    stop_and_wait(fd, 2000, 2000);
    g_assert_true(g_subprocess_wait(p, NULL, NULL));
    g_assert_true(g_subprocess_get_if_exited(p));
    g_assert_cmpint(g_subprocess_get_exit_status(p), ==, 3);
    close(fd);
}

/* Starts /bin/sleep as our child with the pid @want, by setting the pid
 * counter just below it; other processes may take it first, hence tries. */
static GPid
spawn_with_pid(GPid want)
{
    int tries;

    for (tries = 0; tries < 50; tries++) {
        FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");
        GPid  pid;

        if (!f)
            return 0;
        fprintf(f, "%d", want - 1);
        fclose(f);
        pid = fork();
        if (pid == 0) {
            execl("/bin/sleep", "sleep", "30", NULL);
            _exit(127);
        }
        if (pid == want)
            return pid;
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    return 0;
}

/* pppd died on its own and its pid went to somebody else: a teardown
 * through the old pidfd signals nobody. */
static void
test_reused_pid_is_never_signalled(void)
{
    GPid victim, other;
    int  fd, status = 0;

    if (getuid() != 0) {
        g_test_skip("setting the next pid needs root");
        return;
    }
    victim = fork();
    if (victim == 0) {
        execl("/bin/sleep", "sleep", "30", NULL);
        _exit(127);
    }
    fd = nm_l2tp_pidfd_open(victim);
    g_assert_cmpint(fd, >=, 0);
    /* Killed from outside, and gone. */
    kill(victim, SIGKILL);
    g_assert_cmpint(waitpid(victim, NULL, 0), ==, victim);
    other = spawn_with_pid(victim);
    if (!other) {
        g_test_skip("could not start a process with the same pid");
        close(fd);
        return;
    }
    stop_and_wait(fd, 0, 100);
    /* The newcomer with that pid is untouched: still running. */
    g_assert_cmpint(waitpid(other, &status, WNOHANG), ==, 0);
    kill(other, SIGKILL);
    waitpid(other, &status, 0);
    g_assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    close(fd);
}

static void
test_remove_tree_does_not_follow_links(void)
{
    g_autofree char *outside = g_dir_make_tmp("outside-XXXXXX", NULL);
    g_autofree char *dir     = g_dir_make_tmp("tree-XXXXXX", NULL);
    g_autofree char *keep    = g_build_filename(outside, "keep", NULL);
    g_autofree char *sub     = g_build_filename(dir, "charon", NULL);
    g_autofree char *file    = g_build_filename(sub, "charon.log", NULL);
    g_autofree char *link    = g_build_filename(dir, "link", NULL);

    g_assert_true(g_file_set_contents(keep, "x", -1, NULL));
    g_assert_cmpint(g_mkdir(sub, 0700), ==, 0);
    g_assert_true(g_file_set_contents(file, "x", -1, NULL));
    g_assert_cmpint(symlink(outside, link), ==, 0);
    nm_l2tp_remove_tree(dir);
    g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
    g_assert_true(g_file_test(keep, G_FILE_TEST_EXISTS));
    nm_l2tp_remove_tree(dir); /* not there: fine */
    nm_l2tp_remove_tree(outside);
}

/* The next service for a connection may start while the last tears down:
 * their directories differ, and what a crashed service left goes. */
static void
test_stale_dirs_of_gone_services_go(void)
{
    g_autofree char *base = g_dir_make_tmp("run-XXXXXX", NULL);
    g_autofree char *mine = nm_l2tp_run_dir_for(base, "6e7bd4f2-0000-4000-8000-000000000001");
    GPid             gone;
    int              status;
    g_autofree char *suffix        = g_strdup_printf(".%d", (int)getpid());
    g_autoptr(GPtrArray) gone_dirs = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) live_dirs = g_ptr_array_new_with_free_func(g_free);

    /* A pid that is no process any more. */
    gone = fork();
    if (gone == 0)
        _exit(0);
    g_assert_cmpint(waitpid(gone, &status, 0), ==, gone);

    /* A crashed service's and its charon's; a live process's, another. */
    g_ptr_array_add(gone_dirs,
                    g_strdup_printf("%s/6e7bd4f2-0000-4000-8000-000000000001.%d", base, (int)gone));
    g_ptr_array_add(gone_dirs, g_strdup_printf("%s/charon-%d", base, (int)gone));
    g_ptr_array_add(live_dirs, g_strdup_printf("%s/6e7bd4f2-0000-4000-8000-000000000001.1", base));
    g_ptr_array_add(live_dirs, g_build_filename(base, "other", NULL));

    g_assert_true(nm_l2tp_make_private_dir(mine, NULL));
    g_assert_true(g_str_has_suffix(mine, suffix));
    for (guint i = 0; i < gone_dirs->len; i++)
        g_assert_cmpint(g_mkdir(gone_dirs->pdata[i], 0700), ==, 0);
    for (guint i = 0; i < live_dirs->len; i++)
        g_assert_cmpint(g_mkdir(live_dirs->pdata[i], 0700), ==, 0);
    nm_l2tp_remove_stale_dirs(base);
    g_assert_true(g_file_test(mine, G_FILE_TEST_IS_DIR));
    for (guint i = 0; i < gone_dirs->len; i++)
        g_assert_false(g_file_test(gone_dirs->pdata[i], G_FILE_TEST_EXISTS));
    for (guint i = 0; i < live_dirs->len; i++)
        g_assert_true(g_file_test(live_dirs->pdata[i], G_FILE_TEST_IS_DIR));
    nm_l2tp_remove_tree(base);
}

/* A new service of a connection finds the last one while that one still
 * has its directory: never itself, a process that is gone, or another
 * connection's service. */
static void
test_other_service_of_the_connection(void)
{
    const char      *uuid  = "6e7bd4f2-0000-4000-8000-000000000002";
    g_autofree char *base  = g_dir_make_tmp("run-XXXXXX", NULL);
    g_autofree char *mine  = nm_l2tp_run_dir_for(base, uuid);
    g_autofree char *other = g_strdup_printf("%s/6e7bd4f2-0000-4000-8000-000000000003.1", base);
    g_autofree char *last  = g_strdup_printf("%s/%s.1", base, uuid);
    g_autofree char *dead  = NULL;
    GPid             gone;
    int              status;

    gone = fork();
    if (gone == 0)
        _exit(0);
    g_assert_cmpint(waitpid(gone, &status, 0), ==, gone);
    dead = g_strdup_printf("%s/%s.%d", base, uuid, (int)gone);

    g_assert_cmpint(nm_l2tp_other_service_of(base, uuid), ==, 0);
    g_assert_true(nm_l2tp_make_private_dir(mine, NULL));
    g_assert_cmpint(g_mkdir(dead, 0700), ==, 0);
    g_assert_cmpint(g_mkdir(other, 0700), ==, 0);
    g_assert_cmpint(nm_l2tp_other_service_of(base, uuid), ==, 0);
    /* pid 1 lives as long as this test does. */
    g_assert_cmpint(g_mkdir(last, 0700), ==, 0);
    g_assert_cmpint(nm_l2tp_other_service_of(base, uuid), ==, 1);
    nm_l2tp_remove_tree(base);
}

/* A reconnect moments after a tunnel (which may not have said goodbye)
 * takes another source port; later, or after an attempt that never had a
 * tunnel, 1701 as usual. */
static void
report_with_tunnel(const char *dir, const char *uuid, NML2tpStageState l2tp, time_t age)
{
    g_autoptr(NML2tpReport) r = nm_l2tp_report_new(uuid, "office");
    g_autofree char *path     = g_strdup_printf("%s/%s.report", dir, uuid);
    struct utimbuf   then     = { .actime = time(NULL) - age, .modtime = time(NULL) - age };

    nm_l2tp_report_set_stage(r, "l2tp-tunnel", l2tp, 1.0, NULL);
    g_assert_true(nm_l2tp_report_save(r, dir, NULL));
    g_assert_cmpint(utime(path, &then), ==, 0);
}

static void
test_last_tunnel_recent_takes_another_port(void)
{
    g_autofree char *dir = g_dir_make_tmp("reports-XXXXXX", NULL);
    const char      *a   = "6e7bd4f2-0000-4000-8000-00000000000a";
    const char      *b   = "6e7bd4f2-0000-4000-8000-00000000000b";
    const char      *c   = "6e7bd4f2-0000-4000-8000-00000000000c";

    report_with_tunnel(dir, a, NM_L2TP_STAGE_STATE_PASSED, 5);
    report_with_tunnel(dir, b, NM_L2TP_STAGE_STATE_PASSED, 600);
    report_with_tunnel(dir, c, NM_L2TP_STAGE_STATE_NOT_REACHED, 5);
    g_assert_true(nm_l2tp_last_tunnel_is_recent(dir, a));
    g_assert_false(nm_l2tp_last_tunnel_is_recent(dir, b));
    g_assert_false(nm_l2tp_last_tunnel_is_recent(dir, c));
    g_assert_false(nm_l2tp_last_tunnel_is_recent(dir, "6e7bd4f2-0000-4000-8000-00000000000d"));
    nm_l2tp_remove_tree(dir);
}

/* A service that kills its charon on the way out and exits at once leaves
 * no charon behind: the signal is sent before kill_now returns. */
static void
test_kill_now_outlives_no_exit(void)
{
    g_autofree char *pid_file = NULL;
    g_autofree char *pid_text = NULL;
    GPid             pid;
    int              tries;

    if (g_test_subprocess()) {
        g_autoptr(GError) error = NULL;
        g_autoptr(GSubprocess) p =
            g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             &error,
                             "/bin/sleep",
                             "60",
                             NULL);

        g_assert_no_error(error);
        pid_file = g_strdup_printf("%s/nm-l2tp-kill-now-%d", g_get_tmp_dir(), (int)getppid());
        g_assert_true(g_file_set_contents(pid_file, g_subprocess_get_identifier(p), -1, NULL));
        nm_l2tp_subprocess_kill_now(p);
        _exit(0);
    }
    g_test_trap_subprocess(NULL, 10 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    pid_file = g_strdup_printf("%s/nm-l2tp-kill-now-%d", g_get_tmp_dir(), (int)getpid());
    g_assert_true(g_file_get_contents(pid_file, &pid_text, NULL, NULL));
    g_unlink(pid_file);
    pid = (GPid)atoi(pid_text);
    g_assert_cmpint(pid, >, 0);
    /* Gone, or a zombie waiting for whoever inherited it. */
    for (tries = 0; tries < 100; tries++) {
        g_autofree char *path = g_strdup_printf("/proc/%d/stat", pid);
        g_autofree char *stat = NULL;
        const char      *end;

        if (!g_file_get_contents(path, &stat, NULL, NULL))
            return;
        end = strrchr(stat, ')');
        if (end && end[1] == ' ' && end[2] == 'Z')
            return;
        g_usleep(20000);
    }
    g_assert_not_reached();
}

/* A step under a deadline ends either way, and says which: a charon that
 * does not answer in time is "no answer", a user's disconnect is a cancel. */
static void
waited_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    GError **error = user_data;

    g_assert_false(g_subprocess_wait_finish(G_SUBPROCESS(source), result, error));
}

static void
wait_under_deadline(NML2tpDeadline *deadline, GSubprocess *p)
{
    g_autoptr(GError) error = NULL;

    g_subprocess_wait_async(p, nm_l2tp_deadline_get_cancellable(deadline), waited_cb, &error);
    while (!error)
        g_main_context_iteration(NULL, TRUE);
    g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_deadline_tells_time_up_from_cancel(void)
{
    g_autoptr(GSubprocess) p          = spawn("exec sleep 60");
    g_autoptr(GCancellable) caller    = g_cancellable_new();
    g_autoptr(NML2tpDeadline) timed   = nm_l2tp_deadline_new(caller, 50);
    g_autoptr(NML2tpDeadline) by_user = NULL;

    wait_under_deadline(timed, p);
    g_assert_true(nm_l2tp_deadline_expired(timed));
    g_assert_false(g_cancellable_is_cancelled(caller));

    /* The user's disconnect comes while the step runs. */
    by_user = nm_l2tp_deadline_new(caller, 60000);
    g_timeout_add_once(50, (GSourceOnceFunc)g_cancellable_cancel, caller);
    wait_under_deadline(by_user, p);
    g_assert_false(nm_l2tp_deadline_expired(by_user));
    /* force_exit only queues the signal for GLib's worker thread: wait,
     * or the sleep outlives the test and holds the runner's pipe. */
    g_subprocess_force_exit(p);
    g_assert_true(g_subprocess_wait(p, NULL, NULL));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cleanup/sigterm-ends-a-willing-process", test_sigterm_ends_a_willing_process);
    g_test_add_func("/cleanup/sigkill-after-the-grace", test_sigkill_after_the_grace);
    g_test_add_func("/cleanup/delay-lets-it-leave-on-its-own", test_delay_lets_it_leave_on_its_own);
    g_test_add_func("/cleanup/reused-pid-is-never-signalled", test_reused_pid_is_never_signalled);
    g_test_add_func("/cleanup/remove-tree-does-not-follow-links",
                    test_remove_tree_does_not_follow_links);
    g_test_add_func("/cleanup/stale-dirs-of-gone-services-go", test_stale_dirs_of_gone_services_go);
    g_test_add_func("/cleanup/other-service-of-the-connection",
                    test_other_service_of_the_connection);
    g_test_add_func("/cleanup/last-tunnel-recent-takes-another-port",
                    test_last_tunnel_recent_takes_another_port);
    g_test_add_func("/cleanup/kill-now-outlives-no-exit", test_kill_now_outlives_no_exit);
    g_test_add_func("/cleanup/deadline-tells-time-up-from-cancel",
                    test_deadline_tells_time_up_from_cancel);
    return g_test_run();
}
