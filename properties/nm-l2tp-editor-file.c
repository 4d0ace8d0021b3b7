/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-editor-file.h"

#include <glib/gi18n-lib.h>

#include "nm-l2tp-editor-compat.h"

static GtkWindow *
window_of(GtkWidget *widget)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    GtkRoot *root = gtk_widget_get_root(widget);

    return GTK_IS_WINDOW(root) ? GTK_WINDOW(root) : NULL;
#else
    GtkWidget *top = gtk_widget_get_toplevel(widget);

    return GTK_IS_WINDOW(top) ? GTK_WINDOW(top) : NULL;
#endif
}

static void
chooser_response_cb(GtkNativeDialog *dialog, int response, gpointer user_data)
{
    GtkWidget *entry = user_data;

    if (response == GTK_RESPONSE_ACCEPT) {
        g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(dialog));
        g_autofree char *path = file ? g_file_get_path(file) : NULL;

        /* A file without a local path (a remote location) cannot be read
         * by the service; leave the entry as it was. */
        if (path)
            nm_l2tp_entry_set_text(entry, path);
    }
    g_object_unref(entry);
    g_object_unref(dialog);
}

static void
choose_clicked_cb(GtkWidget *button, gpointer user_data)
{
    GtkWidget            *entry = user_data;
    const char           *title = g_object_get_data(G_OBJECT(button), "nm-l2tp-title");
    GtkFileChooserNative *dialog;
    const char           *current;

    dialog = gtk_file_chooser_native_new(
        title, window_of(button), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Select"), _("_Cancel"));
    gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(dialog), TRUE);
    current = nm_l2tp_entry_get_text(entry);
    if (current && g_path_is_absolute(current)) {
        g_autoptr(GFile) file = g_file_new_for_path(current);

        gtk_file_chooser_set_file(GTK_FILE_CHOOSER(dialog), file, NULL);
    }
    g_signal_connect(dialog, "response", G_CALLBACK(chooser_response_cb), g_object_ref(entry));
    gtk_native_dialog_show(GTK_NATIVE_DIALOG(dialog));
}

GtkWidget *
nm_l2tp_file_button_new(GtkWidget *entry, const char *title)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    GtkWidget *button = gtk_button_new_from_icon_name("document-open-symbolic");
#else
    GtkWidget *button =
        gtk_button_new_from_icon_name("document-open-symbolic", GTK_ICON_SIZE_BUTTON);
#endif

    gtk_widget_set_tooltip_text(button, _("Choose a file…"));
    g_object_set_data_full(G_OBJECT(button), "nm-l2tp-title", g_strdup(title), g_free);
    g_signal_connect(button, "clicked", G_CALLBACK(choose_clicked_cb), entry);
    return button;
}
