/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_EDITOR_PLUGIN_H
#define NM_L2TP_EDITOR_PLUGIN_H

#include <NetworkManager.h>

#define NM_L2TP_TYPE_EDITOR_PLUGIN (nm_l2tp_editor_plugin_get_type())
G_DECLARE_FINAL_TYPE(NML2tpEditorPlugin, nm_l2tp_editor_plugin, NM_L2TP, EDITOR_PLUGIN, GObject)

/* The editor modules this plugin loads from its own directory. */
#define NM_L2TP_EDITOR_MODULE_GTK3 "libnm-vpn-plugin-l2tp-editor.so"
#define NM_L2TP_EDITOR_MODULE_GTK4 "libnm-gtk4-vpn-plugin-l2tp-editor.so"
#define NM_L2TP_EDITOR_FACTORY     "nm_vpn_editor_factory_l2tp"

/* What such a module exports. */
typedef NMVpnEditor *(*NML2tpEditorFactory)(NMVpnEditorPlugin *plugin,
                                            NMConnection      *connection,
                                            GError           **error);

/* The module get_editor() would load for the calling process (GTK 4 when
 * the process has GTK 4 loaded), and whether it is installed.  When it is
 * not, the capabilities include NM_VPN_EDITOR_PLUGIN_CAPABILITY_NO_EDITOR
 * (0x08, libnm 1.52) and get_editor() fails with NM_VPN_PLUGIN_ERROR_FAILED. */
const char *nm_l2tp_editor_plugin_get_editor_module(NML2tpEditorPlugin *self);
gboolean    nm_l2tp_editor_plugin_has_editor(NML2tpEditorPlugin *self);

/* The entry point libnm looks up in libnm-vpn-plugin-l2tp.so. */
G_MODULE_EXPORT NMVpnEditorPlugin *nm_vpn_editor_plugin_factory(GError **error);

#endif /* NM_L2TP_EDITOR_PLUGIN_H */
