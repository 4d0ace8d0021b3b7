/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_EDITOR_H
#define NM_L2TP_EDITOR_H

#include <gmodule.h>
#include <NetworkManager.h>

/* The connection editor of the L2TP/IPsec plugin.  The same source builds
 * libnm-vpn-plugin-l2tp-editor.so (GTK 3, nm-connection-editor) and
 * libnm-gtk4-vpn-plugin-l2tp-editor.so (GTK 4, GNOME Settings).  The
 * GTK-free libnm-vpn-plugin-l2tp.so loads the one that matches the GTK of
 * the calling program and calls nm_vpn_editor_factory_l2tp(). */

#define NM_L2TP_TYPE_EDITOR (nm_l2tp_editor_get_type())
G_DECLARE_FINAL_TYPE(NML2tpEditor, nm_l2tp_editor, NM_L2TP, EDITOR, GObject)

/* The entry point the plugin looks up with dlsym(). */
typedef NMVpnEditor *(*NML2tpEditorFactory)(NMVpnEditorPlugin *editor_plugin,
                                            NMConnection      *connection,
                                            GError           **error);

G_MODULE_EXPORT NMVpnEditor *nm_vpn_editor_factory_l2tp(NMVpnEditorPlugin *editor_plugin,
                                                        NMConnection      *connection,
                                                        GError           **error);

#endif /* NM_L2TP_EDITOR_H */
