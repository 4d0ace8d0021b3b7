/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_EDITOR_FILE_H
#define NM_L2TP_EDITOR_FILE_H

#include <gtk/gtk.h>

/* A "Choose…" button beside @entry: it opens the desktop's file chooser
 * (a portal one where there is a portal) and puts the chosen file's path
 * into @entry, where it is validated like a typed one.  The entry stays
 * the one place the value lives, so a path can also be typed or pasted. */
GtkWidget *nm_l2tp_file_button_new(GtkWidget *entry, const char *title);

#endif /* NM_L2TP_EDITOR_FILE_H */
