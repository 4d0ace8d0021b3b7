/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_EDITOR_REPORT_H
#define NM_L2TP_EDITOR_REPORT_H

#include <gtk/gtk.h>

/* The "Last connection attempt" page: the stage timeline of the
 * last-attempt report of the connection with this UUID, the cause in plain
 * words and what to check.  It has a button to read the report again. */
GtkWidget *nm_l2tp_editor_report_page_new(const char *uuid);

/* One line for the first page when the last attempt failed; NULL when it
 * did not (or there is no report). */
GtkWidget *nm_l2tp_editor_report_summary_new(const char *uuid);

#endif /* NM_L2TP_EDITOR_REPORT_H */
