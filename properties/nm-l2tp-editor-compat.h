/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_EDITOR_COMPAT_H
#define NM_L2TP_EDITOR_COMPAT_H

/* The few calls that differ between GTK 3 and GTK 4, so that the editor's
 * sources compile against both.  Everything else is common API. */

#include <gtk/gtk.h>

static inline void
nm_l2tp_box_append(GtkWidget *box, GtkWidget *child)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    gtk_box_append(GTK_BOX(box), child);
#else
    gtk_box_pack_start(GTK_BOX(box), child, FALSE, FALSE, 0);
#endif
}

/* The child takes the space the box has to spare. */
static inline void
nm_l2tp_box_append_expanding(GtkWidget *box, GtkWidget *child)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    gtk_widget_set_hexpand(child, TRUE);
    gtk_box_append(GTK_BOX(box), child);
#else
    gtk_box_pack_start(GTK_BOX(box), child, TRUE, TRUE, 0);
#endif
}

static inline const char *
nm_l2tp_entry_get_text(GtkWidget *entry)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    return gtk_editable_get_text(GTK_EDITABLE(entry));
#else
    return gtk_entry_get_text(GTK_ENTRY(entry));
#endif
}

static inline void
nm_l2tp_entry_set_text(GtkWidget *entry, const char *text)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    gtk_editable_set_text(GTK_EDITABLE(entry), text ? text : "");
#else
    gtk_entry_set_text(GTK_ENTRY(entry), text ? text : "");
#endif
}

static inline gboolean
nm_l2tp_check_get_active(GtkWidget *check)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    return gtk_check_button_get_active(GTK_CHECK_BUTTON(check));
#else
    return gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(check));
#endif
}

static inline void
nm_l2tp_check_set_active(GtkWidget *check, gboolean active)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    gtk_check_button_set_active(GTK_CHECK_BUTTON(check), active);
#else
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(check), active);
#endif
}

static inline void
nm_l2tp_label_set_wrap(GtkWidget *label)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    gtk_label_set_wrap(GTK_LABEL(label), TRUE);
#else
    gtk_label_set_line_wrap(GTK_LABEL(label), TRUE);
#endif
    gtk_label_set_xalign(GTK_LABEL(label), 0.0);
}

static inline void
nm_l2tp_widget_add_class(GtkWidget *widget, const char *css_class)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    gtk_widget_add_css_class(widget, css_class);
#else
    gtk_style_context_add_class(gtk_widget_get_style_context(widget), css_class);
#endif
}

static inline void
nm_l2tp_widget_remove_class(GtkWidget *widget, const char *css_class)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    gtk_widget_remove_css_class(widget, css_class);
#else
    gtk_style_context_remove_class(gtk_widget_get_style_context(widget), css_class);
#endif
}

static inline GtkWidget *
nm_l2tp_scrolled_new(GtkWidget *child)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    GtkWidget *sw = gtk_scrolled_window_new();

    gtk_scrolled_window_set_child(GTK_SCROLLED_WINDOW(sw), child);
#else
    GtkWidget *sw = gtk_scrolled_window_new(NULL, NULL);

    gtk_container_add(GTK_CONTAINER(sw), child);
#endif
    gtk_scrolled_window_set_policy(GTK_SCROLLED_WINDOW(sw), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
    gtk_scrolled_window_set_propagate_natural_height(GTK_SCROLLED_WINDOW(sw), TRUE);
    return sw;
}

static inline void
nm_l2tp_widget_set_margins(GtkWidget *widget, int margin)
{
    gtk_widget_set_margin_start(widget, margin);
    gtk_widget_set_margin_end(widget, margin);
    gtk_widget_set_margin_top(widget, margin);
    gtk_widget_set_margin_bottom(widget, margin);
}

/* Removes every child of a GtkBox. */
static inline void
nm_l2tp_box_clear(GtkWidget *box)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child(box)))
        gtk_box_remove(GTK_BOX(box), child);
#else
    GList *children = gtk_container_get_children(GTK_CONTAINER(box));

    for (GList *l = children; l; l = l->next)
        gtk_widget_destroy(l->data);
    g_list_free(children);
#endif
}

#endif /* NM_L2TP_EDITOR_COMPAT_H */
