/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_RESOURCES_H
#define NM_L2TP_RESOURCES_H

#include <gio/gio.h>

/* What a connection holds on this machine, and the one way each is let
 * go: its processes, its private directory, its L2TP port.
 *
 * Processes are held by pidfd, never by pid: a pidfd names one process,
 * and a signal sent through it after that process is gone fails instead of
 * reaching whoever got the same pid since.  The service takes the pidfd
 * when it learns of a process (at spawn, or when pppd first calls) and
 * signals only through it. */

/* A pidfd for @pid, close-on-exec; -1 with errno set when the process is
 * gone (or the kernel has no pidfds). */
int nm_l2tp_pidfd_open(GPid pid);
/* A pidfd for a child we spawned, taken before the main loop can reap it. */
int nm_l2tp_pidfd_of_subprocess(GSubprocess *process);

/* SIGKILL to a child we spawned, sent now: the last resort of a dispose
 * or a failed start.  (g_subprocess_force_exit() only queues the signal
 * for GLib's worker thread, and a service on its way out may never send
 * it.)  A child that is gone already is fine. */
void nm_l2tp_subprocess_kill_now(GSubprocess *process);

/* Ends the process behind @pidfd: SIGTERM after @delay_ms (time the caller
 * gave it to leave on its own, e.g. after a hang-up request), SIGKILL
 * @grace_ms later, and completes once the process has exited.  A process
 * that is already gone completes at once.  @pidfd is borrowed: it must
 * stay open until the callback has run. */
void nm_l2tp_process_stop_async(
    int pidfd, guint delay_ms, guint grace_ms, GAsyncReadyCallback callback, gpointer user_data);
gboolean nm_l2tp_process_stop_finish(GAsyncResult *result, GError **error);

/* Calls @func once the process behind @pidfd has exited; returns the
 * source id. */
guint nm_l2tp_pidfd_watch(int pidfd, GSourceFunc func, gpointer user_data);

/* Removes @dir and everything below it, without following symbolic links;
 * a directory that is not there is fine.  Problems are logged. */
void nm_l2tp_remove_tree(const char *dir);

/* The private directory of a connection's attempt: @run_base/UUID.PID.
 * The service's pid is part of it because NetworkManager may start the
 * next service for the same connection while the last one still tears
 * down: each removes only its own. */
char *nm_l2tp_run_dir_for(const char *run_base, const char *uuid);

/* Removes the directories in @run_base of services that are gone (a
 * crash): "UUID.PID" and "charon-PID" (a charon started ahead) whose PID
 * is no process any more.  Their children died with them
 * (PR_SET_PDEATHSIG). */
void nm_l2tp_remove_stale_dirs(const char *run_base);

/* The pid of another live service that still has a run directory for
 * connection @uuid in @run_base (it is tearing that connection down), or 0. */
long nm_l2tp_other_service_of(const char *run_base, const char *uuid);

/* Creates the private (0700) directory @dir, after removing what a
 * service that crashed left there: it was ours. */
gboolean nm_l2tp_make_private_dir(const char *dir, GError **error);

/* The UDP source port for L2TP: 1701 when it is free and @ephemeral is
 * not asked for; otherwise (another L2TP client, such as a system xl2tpd,
 * holds it) a port the kernel picks, and the IPsec selectors follow. */
guint nm_l2tp_pick_l2tp_port(gboolean ephemeral);

/* The gateway's IPv4 address (xl2tpd speaks L2TP over IPv4 only): a
 * literal at once, a name through the resolver, which gets @timeout_s.
 * Errors: G_RESOLVER_ERROR_NOT_FOUND when there is no IPv4 address,
 * G_IO_ERROR_TIMED_OUT, G_IO_ERROR_CANCELLED. */
void  nm_l2tp_resolve_ipv4_async(const char         *name,
                                 guint               timeout_s,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data);
char *nm_l2tp_resolve_ipv4_finish(GAsyncResult *result, GError **error);

/* Whether the last attempt of connection @uuid (its report in @run_base)
 * had an L2TP tunnel and ended moments ago.  If it could not say goodbye (this machine's link went
 * down, or charon died and the drop policy held the StopCCN back), the
 * server keeps that tunnel until it notices, and a new one from the same
 * UDP ports gets no PPP through meanwhile.  Another source port avoids
 * that: servers accept any, as NAT and macOS clients need. */
gboolean nm_l2tp_last_tunnel_is_recent(const char *run_base, const char *uuid);

#endif /* NM_L2TP_RESOURCES_H */
