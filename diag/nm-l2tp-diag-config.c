/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-diag-config.h"

#include <glib/gi18n-lib.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-ppp-dbus.h"
#include "nm-l2tp-writers.h"

void
nm_l2tp_diag_config_free(NML2tpDiagConfig *config)
{
    if (!config)
        return;
    g_free(config->run_dir);
    g_free(config->swanctl);
    g_free(config->xl2tpd);
    g_free(config->pppd);
    g_free(config);
}

NML2tpDiagConfig *
nm_l2tp_diag_config_build(NMSettingVpn       *s_vpn,
                          const char         *uuid,
                          const char         *run_base,
                          NML2tpValidateFlags flags,
                          GError            **error)
{
    g_autoptr(NML2tpSettings) settings = NULL;
    g_autoptr(NML2tpDiagConfig) config = NULL;
    g_autoptr(GVariant) tree           = NULL;
    NML2tpWriterParams params;

    settings = nm_l2tp_settings_new_from_vpn(s_vpn, flags, error);
    if (!settings)
        return NULL;
    config          = g_new0(NML2tpDiagConfig, 1);
    config->run_dir = g_build_filename(run_base ? run_base : NM_L2TP_RUNDIR, uuid, NULL);
    params          = (NML2tpWriterParams){
                 .uuid            = uuid,
                 .gateway_address = settings->gateway ? settings->gateway : "unknown",
                 .local_port      = 1701,
                 .run_dir         = config->run_dir,
                 .ppp_plugin      = NM_L2TP_PPPD_PLUGIN_DIR "/nm-l2tp-pppd-plugin.so",
                 .bus_name        = NM_DBUS_SERVICE_L2TP,
    };
    tree            = nm_l2tp_swanctl_conn_build(settings, &params);
    config->swanctl = nm_l2tp_swanctl_tree_to_conf(tree);
    config->xl2tpd  = nm_l2tp_xl2tpd_conf_build(settings, &params);
    config->pppd    = nm_l2tp_pppd_options_build(settings, &params);
    return g_steal_pointer(&config);
}

NMConnection *
nm_l2tp_diag_config_read_keyfile(const char *path, GError **error)
{
    g_autoptr(GKeyFile) kf    = g_key_file_new();
    g_autofree char *absolute = g_canonicalize_filename(path, NULL);
    g_autofree char *base_dir = g_path_get_dirname(absolute);
    g_autoptr(GError) local   = NULL;
    NMConnection *connection;
    NMSettingVpn *s_vpn;

    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &local)) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "%s: %s", path, local->message);
        return NULL;
    }
    /* Relative certificate paths in the file are relative to its folder. */
    connection = nm_keyfile_read(kf, base_dir, NM_KEYFILE_HANDLER_FLAGS_NONE, NULL, NULL, &local);
    if (!connection) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "%s: %s", path, local->message);
        return NULL;
    }
    s_vpn = nm_connection_get_setting_vpn(connection);
    if (!s_vpn || g_strcmp0(nm_setting_vpn_get_service_type(s_vpn), NM_DBUS_SERVICE_L2TP) != 0) {
        g_set_error(
            error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, _("%s: not an L2TP VPN connection"), path);
        g_object_unref(connection);
        return NULL;
    }
    if (!nm_l2tp_uuid_is_plain(nm_connection_get_uuid(connection))) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    _("%s: the connection has no valid UUID"),
                    path);
        g_object_unref(connection);
        return NULL;
    }
    return connection;
}
