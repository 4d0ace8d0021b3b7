/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What all importers share: charset guessing, the new connection, the
 * one path by which an imported value enters vpn.data or vpn.secrets
 * (through the key table's validation), and the final checks. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-import-private.h"
#include "nm-l2tp-settings.h"

/* Longest connection name accepted from a file; NetworkManager has no
 * limit, but a name longer than this is not a name. */
#define MAX_ID_LEN 255

static gboolean
text_has_nul(const char *s, gsize len)
{
    return memchr(s, '\0', len) != NULL;
}

/* Counts the characters that make a CP932 reading plausible (kana, kanji,
 * full-width forms) against half-width katakana, which is what Western
 * Windows-1252 letters such as "ß" or "°" turn into when misread. */
static gboolean
reads_as_japanese(const char *utf8)
{
    guint       japanese = 0, halfwidth = 0;
    const char *p;

    for (p = utf8; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);

        if ((c >= 0x3000 && c <= 0x30ff) || (c >= 0x4e00 && c <= 0x9fff)
            || (c >= 0xff01 && c <= 0xff60))
            japanese++;
        else if (c >= 0xff61 && c <= 0xff9f)
            halfwidth++;
    }
    return japanese > 0 && japanese >= halfwidth;
}

static char *
convert_strict(const guint8 *data, gsize len, const char *from)
{
    g_autoptr(GError) local = NULL;
    gsize            read = 0, written = 0;
    g_autofree char *out =
        g_convert((const char *)data, len, "UTF-8", from, &read, &written, &local);

    if (!out || read != len || text_has_nul(out, written))
        return NULL;
    return g_steal_pointer(&out);
}

char *
nm_l2tp_import_decode_text(const guint8 *data, gsize len, GError **error)
{
    char *out;

    if (len >= 2
        && ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff))) {
        const char *cs = data[0] == 0xff ? "UTF-16LE" : "UTF-16BE";

        out = convert_strict(data + 2, len - 2, cs);
        if (!out) {
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_IMPORT,
                        _("the file starts like UTF-16 text but is not valid UTF-16"));
        }
        return out;
    }
    if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf) {
        data += 3;
        len -= 3;
    }
    if (text_has_nul((const char *)data, len)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the file contains NUL bytes: it is binary data, not a text profile"));
        return NULL;
    }
    if (g_utf8_validate_len((const char *)data, len, NULL))
        return g_strndup((const char *)data, len);

    out = convert_strict(data, len, "CP932");
    if (out && reads_as_japanese(out))
        return out;
    g_free(out);
    out = convert_strict(data, len, "WINDOWS-1252");
    if (out)
        return out;
    g_set_error(error,
                NM_L2TP_ERROR,
                NM_L2TP_ERROR_IMPORT,
                _("the file's text is neither UTF-8 (or UTF-16) nor Windows-1252 nor Shift_JIS; "
                  "save it as UTF-8 and import it again"));
    return NULL;
}

void
nm_l2tp_import_note(GPtrArray *notes, const char *fmt, ...)
{
    va_list ap;

    if (!notes)
        return;
    va_start(ap, fmt);
    g_ptr_array_add(notes, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

static gboolean
check_name(const char *id, GError **error)
{
    const char *p;

    if (!g_utf8_validate(id, -1, NULL)) {
        g_set_error(
            error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT, _("the connection name is not valid text"));
        return FALSE;
    }
    if (g_utf8_strlen(id, -1) > MAX_ID_LEN) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the connection name is too long (more than %d characters)"),
                    MAX_ID_LEN);
        return FALSE;
    }
    for (p = id; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);

        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
            g_set_error(
                error,
                NM_L2TP_ERROR,
                NM_L2TP_ERROR_IMPORT,
                _("the connection name contains a line break or another control character"));
            return FALSE;
        }
    }
    return TRUE;
}

/* The file name becomes the connection name only when it is a sensible
 * one: it comes from the file system, not from the profile's author. */
static char *
id_from_hint(const char *name_hint)
{
    g_autofree char *base = NULL;
    char            *dot;

    if (!name_hint || !*name_hint)
        return g_strdup(_("L2TP VPN"));
    base = g_path_get_basename(name_hint);
    dot  = strrchr(base, '.');
    if (dot && dot != base)
        *dot = '\0';
    if (!*base || !check_name(base, NULL))
        return g_strdup(_("L2TP VPN"));
    return g_steal_pointer(&base);
}

NMConnection *
nm_l2tp_import_connection_new(const char *id, const char *name_hint, GError **error)
{
    g_autoptr(NMConnection) connection = NULL;
    g_autofree char *name              = NULL;
    NMSetting       *s_con, *s_vpn, *s_ip4;

    if (id) {
        g_autofree char *trimmed = g_strstrip(g_strdup(id));

        if (*trimmed && !check_name(trimmed, error))
            return NULL;
        if (*trimmed)
            name = g_steal_pointer(&trimmed);
    }
    if (!name)
        name = id_from_hint(name_hint);

    connection = nm_simple_connection_new();
    s_con      = nm_setting_connection_new();
    g_object_set(s_con,
                 NM_SETTING_CONNECTION_ID,
                 name,
                 NM_SETTING_CONNECTION_TYPE,
                 NM_SETTING_VPN_SETTING_NAME,
                 NULL);
    nm_connection_add_setting(connection, s_con);

    s_vpn = nm_setting_vpn_new();
    g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, NM_L2TP_VPN_SERVICE, NULL);
    nm_connection_add_setting(connection, s_vpn);

    s_ip4 = nm_setting_ip4_config_new();
    g_object_set(s_ip4, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP4_CONFIG_METHOD_AUTO, NULL);
    nm_connection_add_setting(connection, s_ip4);
    return g_steal_pointer(&connection);
}

gboolean
nm_l2tp_import_set(NMConnection *connection,
                   const char   *source,
                   const char   *key,
                   const char   *value,
                   GError      **error)
{
    NMSettingVpn        *s_vpn = nm_connection_get_setting_vpn(connection);
    const NML2tpKeyInfo *ki    = nm_l2tp_key_lookup(key);
    g_autoptr(GError) local    = NULL;

    g_return_val_if_fail(ki != NULL, FALSE);
    if (!nm_l2tp_validate_value(key, value, &local)) {
        g_set_error(
            error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT, _("%s: %s"), source, local->message);
        return FALSE;
    }
    if (ki->flags & NM_L2TP_KEY_FLAG_SECRET) {
        const char *p;

        /* The key table lets secrets carry any character because they
         * never reach a file; a secret in a profile file with a line
         * break or control character is however always a broken or
         * hostile file, so it is refused here. */
        for (p = value; *p; p = g_utf8_next_char(p)) {
            gunichar c = g_utf8_get_char(p);

            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
                g_set_error(error,
                            NM_L2TP_ERROR,
                            NM_L2TP_ERROR_IMPORT,
                            _("%s: the secret contains a line break or another control character"),
                            source);
                return FALSE;
            }
        }
        nm_setting_vpn_add_secret(s_vpn, key, value);
    } else {
        nm_setting_vpn_add_data_item(s_vpn, key, value);
    }
    return TRUE;
}

gboolean
nm_l2tp_import_add_dns(NMSettingIPConfig *s_ip,
                       const char        *source,
                       const char        *value,
                       GError           **error)
{
    int family = NM_IS_SETTING_IP4_CONFIG(s_ip) ? AF_INET : AF_INET6;

    if (!nm_utils_ipaddr_valid(family, value)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    family == AF_INET ? _("%s: “%s” is not an IPv4 address") :
                                        _("%s: “%s” is not an IPv6 address"),
                    source,
                    value);
        return FALSE;
    }
    nm_setting_ip_config_add_dns(s_ip, value);
    return TRUE;
}

gboolean
nm_l2tp_import_add_dns_search(NMSettingIPConfig *s_ip,
                              const char        *source,
                              const char        *value,
                              GError           **error)
{
    const char *p = value;

    /* NetworkManager's "~" prefix marks a routing-only domain. */
    if (*p == '~')
        p++;
    if (!*p || strlen(p) > 253)
        goto bad;
    for (; *p; p++) {
        if (!g_ascii_isalnum(*p) && *p != '.' && *p != '-' && *p != '_' && !((guchar)*p & 0x80))
            goto bad;
    }
    if (!g_utf8_validate(value, -1, NULL))
        goto bad;
    nm_setting_ip_config_add_dns_search(s_ip, value);
    return TRUE;
bad:
    g_set_error(error,
                NM_L2TP_ERROR,
                NM_L2TP_ERROR_IMPORT,
                _("%s: “%s” is not a DNS domain"),
                source,
                value);
    return FALSE;
}

int
nm_l2tp_import_parse_bool(const char *value)
{
    if (!g_ascii_strcasecmp(value, "yes") || !g_ascii_strcasecmp(value, "true")
        || !strcmp(value, "1"))
        return 1;
    if (!g_ascii_strcasecmp(value, "no") || !g_ascii_strcasecmp(value, "false")
        || !strcmp(value, "0"))
        return 0;
    return -1;
}

gboolean
nm_l2tp_import_finish(NMConnection *connection, GError **error)
{
    NMSettingVpn *s_vpn                = nm_connection_get_setting_vpn(connection);
    g_autoptr(NML2tpSettings) settings = NULL;
    g_autoptr(GError) local            = NULL;
    NMSetting *s_ip;

    settings = nm_l2tp_settings_new_from_vpn(s_vpn, NM_L2TP_VALIDATE_NONE, &local);
    if (!settings) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the imported settings are not valid: %s"),
                    local->message);
        return FALSE;
    }
    if (!settings->gateway) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the file names no VPN server (gateway)"));
        return FALSE;
    }
    s_ip = NM_SETTING(nm_connection_get_setting_ip4_config(connection));
    if (s_ip && !nm_setting_verify(s_ip, NULL, &local)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("invalid IPv4 settings: %s"),
                    local->message);
        return FALSE;
    }
    s_ip = NM_SETTING(nm_connection_get_setting_ip6_config(connection));
    if (s_ip && !nm_setting_verify(s_ip, NULL, &local)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("invalid IPv6 settings: %s"),
                    local->message);
        return FALSE;
    }
    return TRUE;
}

static void
ini_item_free(gpointer p)
{
    NML2tpIniItem *it = p;

    g_free(it->section);
    g_free(it->key);
    g_free(it->value);
    g_free(it);
}

GPtrArray *
nm_l2tp_ini_parse(const char *text, GError **error)
{
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(ini_item_free);
    g_auto(GStrv) lines        = g_strsplit(text, "\n", -1);
    g_autofree char *section   = NULL;
    guint            i;

    for (i = 0; lines[i]; i++) {
        char          *line = g_strstrip(lines[i]);
        char          *eq;
        gsize          l = strlen(line);
        NML2tpIniItem *it;

        if (l == 0 || line[0] == ';' || line[0] == '#')
            continue;
        if (line[0] == '[') {
            if (line[l - 1] != ']' || l < 3) {
                g_set_error(error,
                            NM_L2TP_ERROR,
                            NM_L2TP_ERROR_IMPORT,
                            _("line %u: a section header must look like [name]"),
                            i + 1);
                return NULL;
            }
            g_free(section);
            section = g_strndup(line + 1, l - 2);
            continue;
        }
        eq = strchr(line, '=');
        if (!eq || eq == line) {
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_IMPORT,
                        _("line %u is neither a [section] nor a key=value line"),
                        i + 1);
            return NULL;
        }
        *eq         = '\0';
        it          = g_new0(NML2tpIniItem, 1);
        it->section = g_strdup(section);
        it->key     = g_strdup(g_strstrip(line));
        it->value   = g_strdup(g_strstrip(eq + 1));
        it->line    = i + 1;
        g_ptr_array_add(items, it);
    }
    return g_steal_pointer(&items);
}

#define NOTES_KEY "nm-l2tp-import-notes"

void
nm_l2tp_import_set_notes(NMConnection *connection, GPtrArray *notes)
{
    char **strv = NULL;

    if (notes && notes->len) {
        guint i;

        strv = g_new0(char *, notes->len + 1);
        for (i = 0; i < notes->len; i++)
            strv[i] = g_strdup(notes->pdata[i]);
    }
    g_object_set_data_full(G_OBJECT(connection), NOTES_KEY, strv, (GDestroyNotify)g_strfreev);
}

const char *const *
nm_l2tp_import_get_notes(NMConnection *connection)
{
    return g_object_get_data(G_OBJECT(connection), NOTES_KEY);
}
