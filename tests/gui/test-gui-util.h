/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TEST_GUI_UTIL_H
#define TEST_GUI_UTIL_H

#include <gtk/gtk.h>

/* Helpers for the GUI tests that hide the GTK 3 / GTK 4 differences. */

void        test_gtk_init(void);
GtkWidget  *test_window_new(GtkWidget *child);
void        test_window_destroy(GtkWidget *window);
void        test_pump(guint ms);
GtkWidget  *test_find_widget(GtkWidget *root, const char *name);
void        test_entry_set_text(GtkWidget *entry, const char *text);
const char *test_entry_get_text(GtkWidget *entry);
void        test_check_set_active(GtkWidget *check, gboolean active);
gboolean    test_check_get_active(GtkWidget *check);
void        test_notebook_show_page(GtkWidget *root, const char *page_name);

/* Appends the text of every label under @root, one per line. */
void test_collect_label_texts(GtkWidget *root, GString *out);

/* Fails unless @text shows the control characters of
 * TEST_HOSTILE_REPORT escaped (\x1b, \u202e) and none of them raw. */
void test_assert_shown_escaped(const char *what, const char *text);

/* A last-attempt report as an older version or its owner could have left
 * it: the connection's name and the server's words (in the failed stage's
 * detail) carry an escape sequence, a C1 control and a right-to-left
 * override.  printf format: %s is the connection's UUID. */
#define TEST_HOSTILE_REPORT                                                         \
    "[attempt]\nversion=1\nuuid=%s\nname=office\x1b]0;pwned\x07\noutcome=failed\n"  \
    "verdict-stage=ppp-auth\nverdict-cause=ppp-auth-rejected\n\n[stage ppp-auth]\n" \
    "state=failed\nseconds=2.0\ndetail=E=691 M=\x1b[2J\xe2\x80\xae"                 \
    "evil\xc2\x9b"                                                                  \
    "1m\n"

/* Saves the toplevel of widget as $NM_L2TP_TEST_SHOTS/NAME-gtkN[-LANG].png
 * (nothing when NM_L2TP_TEST_SHOTS is unset). */
void test_save_screenshot(GtkWidget *widget, const char *name);

/* With NM_L2TP_TEST_MO and NM_L2TP_TEST_LANG set, makes gettext find that
 * catalog for that language under a locale tree in dir. */
void test_bind_built_catalog(const char *dir);
void test_remove_tree(const char *dir);

#endif /* TEST_GUI_UTIL_H */
