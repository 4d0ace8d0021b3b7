/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading a profile file and choosing its importer by what it contains:
 * file name extensions are unreliable (a .conf may be anything, Windows
 * users rename .pbk files, mail clients append .txt). */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-file.h"
#include "nm-l2tp-import-private.h"

static gboolean
starts_with_ci(const char *s, const char *prefix)
{
    return g_ascii_strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static NML2tpImportFormat
detect_text(const char *text)
{
    g_auto(GStrv) lines  = NULL;
    const char *p        = text;
    gboolean    pbk_keys = FALSE;
    gboolean    pcf_keys = FALSE;
    guint       i;

    while (g_ascii_isspace(*p))
        p++;
    if (starts_with_ci(p, "<?xml") || starts_with_ci(p, "<!DOCTYPE plist")
        || starts_with_ci(p, "<plist"))
        return NM_L2TP_IMPORT_FORMAT_MOBILECONFIG;

    lines = g_strsplit(text, "\n", -1);
    for (i = 0; lines[i]; i++) {
        char *line = g_strstrip(lines[i]);

        if (line[0] == '[') {
            const char *name = line + 1;

            /* The first section decides for the keyfile and Cisco
             * formats; a phonebook's sections are entry names. */
            if (starts_with_ci(name, "main]"))
                return NM_L2TP_IMPORT_FORMAT_PCF;
            if (g_str_has_prefix(name, "connection]") || g_str_has_prefix(name, "vpn]")
                || g_str_has_prefix(name, "ipv4]") || g_str_has_prefix(name, "ip4]")
                || g_str_has_prefix(name, "vpn-secrets]"))
                return NM_L2TP_IMPORT_FORMAT_CONF;
            continue;
        }
        if (starts_with_ci(line, "VpnStrategy=") || starts_with_ci(line, "PhoneNumber=")
            || starts_with_ci(line, "MEDIA=") || starts_with_ci(line, "IpPrioritizeRemote="))
            pbk_keys = TRUE;
        if (starts_with_ci(line, "GroupName=") || starts_with_ci(line, "enc_GroupPwd=")
            || starts_with_ci(line, "!Host=") || starts_with_ci(line, "Host="))
            pcf_keys = TRUE;
    }
    if (pbk_keys)
        return NM_L2TP_IMPORT_FORMAT_PBK;
    if (pcf_keys)
        return NM_L2TP_IMPORT_FORMAT_PCF;
    return NM_L2TP_IMPORT_FORMAT_UNKNOWN;
}

NML2tpImportFormat
nm_l2tp_import_detect(const guint8 *data, gsize len)
{
    g_autofree char *text = NULL;

    if (!data || len == 0 || len > NM_L2TP_IMPORT_MAX_SIZE)
        return NM_L2TP_IMPORT_FORMAT_UNKNOWN;
    if (nm_l2tp_import_looks_like_cms(data, len))
        return NM_L2TP_IMPORT_FORMAT_MOBILECONFIG;
    text = nm_l2tp_import_decode_text(data, len, NULL);
    if (!text)
        return NM_L2TP_IMPORT_FORMAT_UNKNOWN;
    return detect_text(text);
}

NMConnection *
nm_l2tp_import_data(
    const guint8 *data, gsize len, const char *name_hint, GPtrArray *notes, GError **error)
{
    g_autofree char *text   = NULL;
    g_autoptr(GError) local = NULL;

    if (len == 0) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT, _("the file is empty"));
        return NULL;
    }
    if (len > NM_L2TP_IMPORT_MAX_SIZE) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the file is too large for a VPN profile (%zu bytes, at most %d)"),
                    len,
                    NM_L2TP_IMPORT_MAX_SIZE);
        return NULL;
    }
    if (nm_l2tp_import_looks_like_cms(data, len))
        return nm_l2tp_import_mobileconfig(data, len, name_hint, notes, error);

    text = nm_l2tp_import_decode_text(data, len, &local);
    if (!text) {
        g_propagate_error(error, g_steal_pointer(&local));
        return NULL;
    }
    switch (detect_text(text)) {
    case NM_L2TP_IMPORT_FORMAT_CONF:
        return nm_l2tp_import_conf(data, len, name_hint, notes, error);
    case NM_L2TP_IMPORT_FORMAT_PCF:
        return nm_l2tp_import_pcf(data, len, name_hint, notes, error);
    case NM_L2TP_IMPORT_FORMAT_PBK:
        return nm_l2tp_import_pbk(data, len, name_hint, notes, error);
    case NM_L2TP_IMPORT_FORMAT_MOBILECONFIG:
        return nm_l2tp_import_mobileconfig(data, len, name_hint, notes, error);
    case NM_L2TP_IMPORT_FORMAT_UNKNOWN:
        break;
    }
    g_set_error(error,
                NM_L2TP_ERROR,
                NM_L2TP_ERROR_IMPORT,
                _("not a VPN profile this plugin can import; it reads NetworkManager-l2tp .conf "
                  "files, Cisco VPN Client .pcf files, Windows rasphone.pbk phonebooks and Apple "
                  ".mobileconfig profiles"));
    return NULL;
}

NMConnection *
nm_l2tp_import_file(const char *path, GPtrArray *notes, GError **error)
{
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) local = NULL;
    gconstpointer data;
    gsize         len;

    /* A FIFO, a device or a huge file is refused at once: the editors
     * call this on their main loop, and a FIFO opened without O_NONBLOCK
     * waits for a writer forever. */
    bytes = nm_l2tp_file_read(path, NM_L2TP_IMPORT_MAX_SIZE, NM_L2TP_FILE_READ_NONE, &local);
    if (!bytes) {
        if (g_error_matches(local, NM_L2TP_ERROR, NM_L2TP_ERROR_TOO_LARGE))
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_IMPORT,
                        _("the file is too large for a VPN profile (at most %d bytes)"),
                        NM_L2TP_IMPORT_MAX_SIZE);
        else
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_IMPORT,
                        _("cannot import “%s”: %s"),
                        path,
                        local->message);
        return NULL;
    }
    data = g_bytes_get_data(bytes, &len);
    return nm_l2tp_import_data(data, len, path, notes, error);
}
