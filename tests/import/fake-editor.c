/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A stand-in editor module for the plugin's loading tests: it exports the
 * factory the plugin looks up and answers with a recognisable error, so a
 * test can tell that the plugin found, loaded and called it without
 * needing GTK or a display. */

#include <NetworkManager.h>

G_MODULE_EXPORT NMVpnEditor *nm_vpn_editor_factory_l2tp(NMVpnEditorPlugin *plugin,
                                                        NMConnection      *connection,
                                                        GError           **error);

G_MODULE_EXPORT NMVpnEditor *
nm_vpn_editor_factory_l2tp(NMVpnEditorPlugin *plugin, NMConnection *connection, GError **error)
{
    g_set_error(error,
                NM_VPN_PLUGIN_ERROR,
                NM_VPN_PLUGIN_ERROR_BAD_ARGUMENTS,
                "fake editor: %s",
                NM_IS_VPN_EDITOR_PLUGIN(plugin) && NM_IS_CONNECTION(connection) ? "called" :
                                                                                  "bad arguments");
    return NULL;
}
