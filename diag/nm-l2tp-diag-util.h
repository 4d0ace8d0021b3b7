/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_DIAG_UTIL_H
#define NM_L2TP_DIAG_UTIL_H

#include <gio/gio.h>

/* Small helpers shared by the parts of nm-l2tp-diag. */

/* How long a program asked for its version may take. */
#define NM_L2TP_DIAG_RUN_TIMEOUT_MS 5000

/* Runs @argv (argv[0] an absolute path) with LC_ALL=C, stdin closed, and
 * returns what it wrote to stdout and stderr together, as valid UTF-8.  A
 * program still running after @timeout_ms is killed and counts as failed.
 * @out_status: its wait status as g_spawn_check_wait_status() takes it,
 * or -1 when it was killed for the timeout. */
char *nm_l2tp_diag_run(const char *const *argv, guint timeout_ms, int *out_status, GError **error);

/* The absolute path of a system program, also where an ordinary user's
 * PATH does not look (/usr/sbin, /sbin); NULL when not installed. */
char *nm_l2tp_diag_find_program(const char *name);

gboolean nm_l2tp_diag_is_root(void);

/* The first line of @text, without surrounding white space. */
char *nm_l2tp_diag_first_line(const char *text);

#endif /* NM_L2TP_DIAG_UTIL_H */
