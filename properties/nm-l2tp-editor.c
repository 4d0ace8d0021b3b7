/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-editor.h"

#include <glib/gi18n-lib.h>
#include <gtk/gtk.h>

#include "nm-l2tp-editor-compat.h"
#include "nm-l2tp-editor-fields.h"
#include "nm-l2tp-editor-report.h"
#include "nm-l2tp-settings.h"

#ifndef NM_L2TP_SERVICE_TYPE
#define NM_L2TP_SERVICE_TYPE "org.freedesktop.NetworkManager.l2tp"
#endif

struct _NML2tpEditor {
    GObject       parent;
    GtkWidget    *widget; /* the editor's top widget, owned */
    GtkWidget    *notebook;
    GtkWidget    *banner; /* errors that concern several fields */
    NML2tpFields *fields;
    NMSettingVpn *orig; /* the profile as it was loaded; NULL: new */
};

static void nm_l2tp_editor_interface_init(NMVpnEditorInterface *iface);

G_DEFINE_TYPE_WITH_CODE(NML2tpEditor,
                        nm_l2tp_editor,
                        G_TYPE_OBJECT,
                        G_IMPLEMENT_INTERFACE(NM_TYPE_VPN_EDITOR, nm_l2tp_editor_interface_init))

static void
show_banner(NML2tpEditor *self, const char *message)
{
    gtk_label_set_text(GTK_LABEL(self->banner), message ? message : "");
    gtk_widget_set_visible(self->banner, message != NULL);
}

/* A page with an invalid field says so on its tab, so that an error on a
 * page the user is not looking at is not missed. */
static void
update_tabs(NML2tpEditor *self)
{
    for (int page = 0; page < NM_L2TP_N_PAGES; page++) {
        GtkWidget       *child  = gtk_notebook_get_nth_page(GTK_NOTEBOOK(self->notebook), page);
        GtkWidget       *tab    = gtk_notebook_get_tab_label(GTK_NOTEBOOK(self->notebook), child);
        const char      *title  = nm_l2tp_fields_page_title(page);
        g_autofree char *markup = NULL;

        if (nm_l2tp_fields_page_has_error(self->fields, page))
            markup = g_markup_printf_escaped("<span foreground=\"#c01c28\">%s ⚠</span>", title);
        else
            markup = g_markup_escape_text(title, -1);
        gtk_label_set_markup(GTK_LABEL(tab), markup);
    }
}

static void
fields_changed_cb(gpointer user_data)
{
    NML2tpEditor *self = user_data;

    update_tabs(self);
    g_signal_emit_by_name(self, "changed");
}

static GObject *
get_widget(NMVpnEditor *iface)
{
    return G_OBJECT(NM_L2TP_EDITOR(iface)->widget);
}

static gboolean
update_connection(NMVpnEditor *iface, NMConnection *connection, GError **error)
{
    NML2tpEditor *self                = NM_L2TP_EDITOR(iface);
    g_autoptr(NMSettingVpn) s_vpn     = NULL;
    g_autoptr(NML2tpSettings) checked = NULL;
    g_autoptr(GError) local           = NULL;

    /* Each field shows its own error; nothing reaches the connection. */
    if (!nm_l2tp_fields_validate(self->fields, error)) {
        show_banner(self, NULL);
        update_tabs(self);
        return FALSE;
    }
    update_tabs(self);

    if (self->orig)
        s_vpn = NM_SETTING_VPN(nm_setting_duplicate(NM_SETTING(self->orig)));
    else
        s_vpn = NM_SETTING_VPN(nm_setting_vpn_new());
    g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, NM_L2TP_SERVICE_TYPE, NULL);
    nm_l2tp_fields_store(self->fields, s_vpn);

    /* What one field cannot tell: combinations, and keys the editor has
     * no field for. */
    checked = nm_l2tp_settings_new_from_vpn(s_vpn, NM_L2TP_VALIDATE_NONE, &local);
    if (!checked) {
        show_banner(self, local->message);
        g_propagate_error(error, g_steal_pointer(&local));
        return FALSE;
    }
    show_banner(self, NULL);
    nm_connection_add_setting(connection, NM_SETTING(g_steal_pointer(&s_vpn)));
    return TRUE;
}

static void
append_page(NML2tpEditor *self, GtkWidget *content, const char *title, const char *name)
{
    GtkWidget *tab = gtk_label_new(title);

    gtk_widget_set_name(content, name);
    gtk_notebook_append_page(GTK_NOTEBOOK(self->notebook), content, tab);
}

static void
build_ui(NML2tpEditor *self, const char *uuid)
{
    static const char *const page_names[NM_L2TP_N_PAGES] = {
        [NM_L2TP_PAGE_GENERAL]  = "page-general",
        [NM_L2TP_PAGE_IPSEC]    = "page-ipsec",
        [NM_L2TP_PAGE_PPP]      = "page-ppp",
        [NM_L2TP_PAGE_TIMEOUTS] = "page-timeouts",
    };

    self->widget = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6);
    gtk_widget_set_name(self->widget, "nm-l2tp-editor");
    g_object_ref_sink(self->widget);

    self->banner = gtk_label_new(NULL);
    gtk_widget_set_name(self->banner, "editor-error");
    nm_l2tp_label_set_wrap(self->banner);
    nm_l2tp_widget_add_class(self->banner, "error");
    gtk_widget_set_visible(self->banner, FALSE);
#if !GTK_CHECK_VERSION(4, 0, 0)
    gtk_widget_set_no_show_all(self->banner, TRUE);
#endif
    nm_l2tp_box_append(self->widget, self->banner);

    self->notebook = gtk_notebook_new();
    gtk_widget_set_name(self->notebook, "editor-notebook");
    gtk_widget_set_vexpand(self->notebook, TRUE);
    nm_l2tp_box_append(self->widget, self->notebook);

    for (int page = 0; page < NM_L2TP_N_PAGES; page++) {
        GtkWidget *content = nm_l2tp_fields_build_page(self->fields, page);
        GtkWidget *summary;

        if (page == NM_L2TP_PAGE_GENERAL && (summary = nm_l2tp_editor_report_summary_new(uuid))) {
            GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12);

            nm_l2tp_box_append(box, content);
            gtk_widget_set_margin_start(summary, 12);
            gtk_widget_set_margin_end(summary, 12);
            nm_l2tp_box_append(box, summary);
            content = box;
        }
        append_page(self, content, nm_l2tp_fields_page_title(page), page_names[page]);
    }
    append_page(self, nm_l2tp_editor_report_page_new(uuid), _("Last attempt"), "page-report");
    update_tabs(self);

#if !GTK_CHECK_VERSION(4, 0, 0)
    gtk_widget_show_all(self->widget);
#endif
}

static void
nm_l2tp_editor_init(NML2tpEditor *self)
{
}

static void
nm_l2tp_editor_dispose(GObject *object)
{
    NML2tpEditor *self = NM_L2TP_EDITOR(object);

    g_clear_pointer(&self->fields, nm_l2tp_fields_free);
    g_clear_object(&self->widget);
    g_clear_object(&self->orig);
    G_OBJECT_CLASS(nm_l2tp_editor_parent_class)->dispose(object);
}

static void
nm_l2tp_editor_class_init(NML2tpEditorClass *klass)
{
    G_OBJECT_CLASS(klass)->dispose = nm_l2tp_editor_dispose;
}

static void
nm_l2tp_editor_interface_init(NMVpnEditorInterface *iface)
{
    iface->get_widget        = get_widget;
    iface->update_connection = update_connection;
}

NMVpnEditor *
nm_vpn_editor_factory_l2tp(NMVpnEditorPlugin *editor_plugin,
                           NMConnection      *connection,
                           GError           **error)
{
    NML2tpEditor *self;
    NMSettingVpn *s_vpn;

    g_return_val_if_fail(!error || !*error, NULL);

    self  = g_object_new(NM_L2TP_TYPE_EDITOR, NULL);
    s_vpn = connection ? nm_connection_get_setting_vpn(connection) : NULL;
    if (s_vpn)
        self->orig = NM_SETTING_VPN(nm_setting_duplicate(NM_SETTING(s_vpn)));

    self->fields = nm_l2tp_fields_new(self->orig, fields_changed_cb, self);
    build_ui(self, connection ? nm_connection_get_uuid(connection) : NULL);
    return NM_VPN_EDITOR(self);
}
