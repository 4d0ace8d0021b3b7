/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The NMVpnEditorPlugin of libnm-vpn-plugin-l2tp.so: the object nmcli,
 * nm-connection-editor and GNOME Settings load through the .name file.  It
 * links no GTK: import and export run here, and the editor, which needs
 * GTK 3 or GTK 4 depending on the caller, is loaded from a separate module
 * only when asked for. */

/* dladdr() */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "config.h"

#include "nm-l2tp-editor-plugin.h"

#include <dlfcn.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-import.h"

#define L2TP_PLUGIN_NAME N_("Layer 2 Tunneling Protocol (L2TP)")
#define L2TP_PLUGIN_DESC \
    N_("L2TP/IPsec, compatible with Windows, macOS, iOS, Android and most VPN gateways.")
#define L2TP_SERVICE "org.freedesktop.NetworkManager.l2tp"

enum {
    PROP_0,
    PROP_NAME,
    PROP_DESC,
    PROP_SERVICE,
};

struct _NML2tpEditorPlugin {
    GObject parent;
    /* The editor module stays loaded once used: editors it created hold
     * pointers into its code. */
    void *editor_module;
};

static void nm_l2tp_editor_plugin_interface_init(NMVpnEditorPluginInterface *iface);

G_DEFINE_TYPE_EXTENDED(NML2tpEditorPlugin,
                       nm_l2tp_editor_plugin,
                       G_TYPE_OBJECT,
                       G_TYPE_FLAG_FINAL,
                       G_IMPLEMENT_INTERFACE(NM_TYPE_VPN_EDITOR_PLUGIN,
                                             nm_l2tp_editor_plugin_interface_init))

/* The directory this shared object was loaded from: the editor modules
 * are installed beside it (and built beside it in the build tree). */
static char *
own_directory(void)
{
    Dl_info info;

    if (!dladdr((void *)own_directory, &info) || !info.dli_fname)
        return NULL;
    return g_path_get_dirname(info.dli_fname);
}

/* Which GTK the calling process uses.  A library already loaded answers
 * dlopen(RTLD_NOLOAD) without loading anything; as a fallback the global
 * symbol table is asked for gtk_get_major_version(), which both GTKs
 * export. */
static gboolean
caller_uses_gtk4(void)
{
    void *h;
    guint (*major)(void);
    gboolean gtk4 = FALSE;

    h = dlopen("libgtk-4.so.1", RTLD_LAZY | RTLD_NOLOAD);
    if (h) {
        dlclose(h);
        return TRUE;
    }
    h = dlopen("libgtk-3.so.0", RTLD_LAZY | RTLD_NOLOAD);
    if (h) {
        dlclose(h);
        return FALSE;
    }
    h = dlopen(NULL, RTLD_LAZY);
    if (h) {
        *(void **)(&major) = dlsym(h, "gtk_get_major_version");
        gtk4               = major && major() == 4;
        dlclose(h);
    }
    return gtk4;
}

const char *
nm_l2tp_editor_plugin_get_editor_module(NML2tpEditorPlugin *self)
{
    return caller_uses_gtk4() ? NM_L2TP_EDITOR_MODULE_GTK4 : NM_L2TP_EDITOR_MODULE_GTK3;
}

static char *
editor_module_path(NML2tpEditorPlugin *self)
{
    g_autofree char *dir = own_directory();

    if (!dir)
        return NULL;
    return g_build_filename(dir, nm_l2tp_editor_plugin_get_editor_module(self), NULL);
}

gboolean
nm_l2tp_editor_plugin_has_editor(NML2tpEditorPlugin *self)
{
    g_autofree char *path = editor_module_path(self);

    return path && g_file_test(path, G_FILE_TEST_IS_REGULAR);
}

static NMVpnEditor *
get_editor(NMVpnEditorPlugin *iface, NMConnection *connection, GError **error)
{
    NML2tpEditorPlugin *self = NM_L2TP_EDITOR_PLUGIN(iface);
    g_autofree char    *path = editor_module_path(self);
    NML2tpEditorFactory factory;

    g_return_val_if_fail(NM_IS_CONNECTION(connection), NULL);
    if (!path || !g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        g_set_error(error,
                    NM_VPN_PLUGIN_ERROR,
                    NM_VPN_PLUGIN_ERROR_FAILED,
                    _("The L2TP connection editor is not installed (%s is missing); the connection "
                      "can still be edited with nmcli."),
                    nm_l2tp_editor_plugin_get_editor_module(self));
        return NULL;
    }
    if (!self->editor_module) {
        self->editor_module = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
        if (!self->editor_module) {
            g_set_error(error,
                        NM_VPN_PLUGIN_ERROR,
                        NM_VPN_PLUGIN_ERROR_FAILED,
                        _("Cannot load the L2TP connection editor: %s"),
                        dlerror());
            return NULL;
        }
    }
    *(void **)(&factory) = dlsym(self->editor_module, NM_L2TP_EDITOR_FACTORY);
    if (!factory) {
        g_set_error(error,
                    NM_VPN_PLUGIN_ERROR,
                    NM_VPN_PLUGIN_ERROR_FAILED,
                    _("The L2TP connection editor %s is broken: it lacks %s()"),
                    path,
                    NM_L2TP_EDITOR_FACTORY);
        return NULL;
    }
    return factory(iface, connection, error);
}

/* libnm 1.52 added this bit; its value is fixed by the ABI, so older
 * headers get it here and newer clients still understand it. */
#if !NM_CHECK_VERSION(1, 52, 0)
#define NM_VPN_EDITOR_PLUGIN_CAPABILITY_NO_EDITOR 0x08
#endif

static NMVpnEditorPluginCapability
get_capabilities(NMVpnEditorPlugin *iface)
{
    guint caps = NM_VPN_EDITOR_PLUGIN_CAPABILITY_IMPORT | NM_VPN_EDITOR_PLUGIN_CAPABILITY_EXPORT
                 | NM_VPN_EDITOR_PLUGIN_CAPABILITY_IPV6;

    /* Without the editor module for this caller's GTK, clients offer
     * editing through nmcli only, instead of failing in get_editor(). */
    if (!nm_l2tp_editor_plugin_has_editor(NM_L2TP_EDITOR_PLUGIN(iface)))
        caps |= NM_VPN_EDITOR_PLUGIN_CAPABILITY_NO_EDITOR;
    return (NMVpnEditorPluginCapability)caps;
}

static NMConnection *
import_from_file(NMVpnEditorPlugin *iface, const char *path, GError **error)
{
    g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
    NMConnection        *connection;
    NMSettingConnection *s_con;
    guint                i;

    connection = nm_l2tp_import_file(path, notes, error);
    if (!connection)
        return NULL;
    /* Each import is a new profile. */
    s_con = nm_connection_get_setting_connection(connection);
    if (!nm_setting_connection_get_uuid(s_con)) {
        g_autofree char *uuid = nm_utils_uuid_generate();

        g_object_set(s_con, NM_SETTING_CONNECTION_UUID, uuid, NULL);
    }
    nm_l2tp_import_set_notes(connection, notes);
    /* libnm's import interface has no channel for warnings; stderr is
     * what nmcli shows, and what lands in the journal for GUI callers. */
    if (!g_getenv("NM_L2TP_IMPORT_QUIET")) {
        for (i = 0; i < notes->len; i++)
            g_printerr("%s: %s\n", path, (const char *)notes->pdata[i]);
    }
    return connection;
}

static gboolean
export_to_file(NMVpnEditorPlugin *iface, const char *path, NMConnection *connection, GError **error)
{
    return nm_l2tp_export_to_file(connection, path, error);
}

static char *
get_suggested_filename(NMVpnEditorPlugin *iface, NMConnection *connection)
{
    return nm_l2tp_export_suggested_filename(connection);
}

static void
get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
    switch (prop_id) {
    case PROP_NAME:
        g_value_set_string(value, _(L2TP_PLUGIN_NAME));
        break;
    case PROP_DESC:
        g_value_set_string(value, _(L2TP_PLUGIN_DESC));
        break;
    case PROP_SERVICE:
        g_value_set_string(value, L2TP_SERVICE);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
        break;
    }
}

static void
nm_l2tp_editor_plugin_init(NML2tpEditorPlugin *self)
{
}

static void
nm_l2tp_editor_plugin_class_init(NML2tpEditorPluginClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);

    object_class->get_property = get_property;
    g_object_class_override_property(object_class, PROP_NAME, NM_VPN_EDITOR_PLUGIN_NAME);
    g_object_class_override_property(object_class, PROP_DESC, NM_VPN_EDITOR_PLUGIN_DESCRIPTION);
    g_object_class_override_property(object_class, PROP_SERVICE, NM_VPN_EDITOR_PLUGIN_SERVICE);
}

static void
nm_l2tp_editor_plugin_interface_init(NMVpnEditorPluginInterface *iface)
{
    iface->get_editor             = get_editor;
    iface->get_capabilities       = get_capabilities;
    iface->import_from_file       = import_from_file;
    iface->export_to_file         = export_to_file;
    iface->get_suggested_filename = get_suggested_filename;
}

G_MODULE_EXPORT NMVpnEditorPlugin *
nm_vpn_editor_plugin_factory(GError **error)
{
    g_return_val_if_fail(!error || !*error, NULL);
    bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    return g_object_new(NM_L2TP_TYPE_EDITOR_PLUGIN, NULL);
}
