/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_IMPORT_PRIVATE_H
#define NM_L2TP_IMPORT_PRIVATE_H

/* Helpers shared by the importers.  Not part of the plugin's interface. */

#include "nm-l2tp-import.h"

#ifndef NM_L2TP_VPN_SERVICE
#define NM_L2TP_VPN_SERVICE "org.freedesktop.NetworkManager.l2tp"
#endif

/* Turns the bytes of a text profile into UTF-8.  Windows tools write
 * UTF-16 with a byte order mark, or the ANSI code page of the machine that
 * saved the file (Windows-1252 in the west, Shift_JIS (CP932) in Japan);
 * none of these formats declares its charset, so it is guessed: BOM, then
 * UTF-8, then CP932 when the result reads as Japanese, then Windows-1252.
 * Binary data (NUL bytes) and text in none of these is refused. */
char *nm_l2tp_import_decode_text(const guint8 *data, gsize len, GError **error);

void nm_l2tp_import_note(GPtrArray *notes, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* A new L2TP connection with an ipv4 setting (method auto).  @id may be
 * NULL: the name hint, then a generic name is used.  Fails when @id is
 * not a usable name (control characters, too long). */
NMConnection *nm_l2tp_import_connection_new(const char *id, const char *name_hint, GError **error);

/* Validates @value for @key with the key table and stores it in vpn.data,
 * or vpn.secrets for a secret key.  @source names where the value came
 * from in the file (e.g. "Host" or "[vpn] gateway") and prefixes the
 * error. */
gboolean nm_l2tp_import_set(NMConnection *connection,
                            const char   *source,
                            const char   *key,
                            const char   *value,
                            GError      **error);

/* Adds a DNS server / search domain to the ipv4 or ipv6 setting after
 * checking it. */
gboolean nm_l2tp_import_add_dns(NMSettingIPConfig *s_ip,
                                const char        *source,
                                const char        *value,
                                GError           **error);
gboolean nm_l2tp_import_add_dns_search(NMSettingIPConfig *s_ip,
                                       const char        *source,
                                       const char        *value,
                                       GError           **error);

/* Last step of every importer: the vpn setting as a whole must pass
 * nm_l2tp_settings_new_from_vpn(), a gateway must be set, and the IP
 * settings must verify. */
gboolean nm_l2tp_import_finish(NMConnection *connection, GError **error);

/* "yes"/"true"/"1" and "no"/"false"/"0"; -1 for anything else. */
int nm_l2tp_import_parse_bool(const char *value);

/* A line-based INI reader for the Windows formats, which GKeyFile cannot
 * read: keys repeat, names carry '!' and non-ASCII, no escapes exist. */
typedef struct {
    char *section; /* NULL before the first [section] */
    char *key;
    char *value;
    guint line;
} NML2tpIniItem;

GPtrArray *nm_l2tp_ini_parse(const char *text, GError **error);

/* A DER CMS (PKCS#7) SignedData: how signed .mobileconfig files look. */
gboolean nm_l2tp_import_looks_like_cms(const guint8 *data, gsize len);

#endif /* NM_L2TP_IMPORT_PRIVATE_H */
