/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_IMPORT_H
#define NM_L2TP_IMPORT_H

#include <NetworkManager.h>

/* Importers for the profile formats people bring from other systems, and
 * the exporter.  All of it is GTK-free: it runs inside nmcli as well as in
 * the GUI editors.
 *
 * Every importer takes the whole file as bytes and returns a connection
 * with connection.id, connection.type, vpn.service-type, vpn.data,
 * vpn.secrets and ipv4 (ipv6 when the file has one) set, and no UUID: the
 * caller gives the new profile its own.  Each value has passed the key
 * table's validation (nm_l2tp_validate_value()) and the finished vpn setting
 * nm_l2tp_settings_new_from_vpn().
 *
 * What a file says that cannot be carried over is not an error: the
 * importer appends a translated sentence per item to @notes (a GPtrArray of
 * char *, may be NULL).  The plugin prints them on stderr (nmcli shows
 * that) and attaches them to the returned connection, see
 * nm_l2tp_import_get_notes(). */

/* Files larger than this are refused before they are parsed: no real
 * profile comes near it, and it bounds the parsers' memory use. */
#define NM_L2TP_IMPORT_MAX_SIZE (1024 * 1024)

typedef enum {
    NM_L2TP_IMPORT_FORMAT_UNKNOWN,
    NM_L2TP_IMPORT_FORMAT_CONF,         /* NetworkManager-l2tp's exported keyfile */
    NM_L2TP_IMPORT_FORMAT_PCF,          /* Cisco VPN Client profile */
    NM_L2TP_IMPORT_FORMAT_PBK,          /* Windows phonebook (rasphone.pbk) */
    NM_L2TP_IMPORT_FORMAT_MOBILECONFIG, /* Apple configuration profile */
} NML2tpImportFormat;

NML2tpImportFormat nm_l2tp_import_detect(const guint8 *data, gsize len);

/* @name_hint: the file's base name, used for connection.id when the file
 * names no connection. */
NMConnection *nm_l2tp_import_data(
    const guint8 *data, gsize len, const char *name_hint, GPtrArray *notes, GError **error);
NMConnection *nm_l2tp_import_file(const char *path, GPtrArray *notes, GError **error);

NMConnection *nm_l2tp_import_conf(
    const guint8 *data, gsize len, const char *name_hint, GPtrArray *notes, GError **error);
NMConnection *nm_l2tp_import_pcf(
    const guint8 *data, gsize len, const char *name_hint, GPtrArray *notes, GError **error);
NMConnection *nm_l2tp_import_pbk(
    const guint8 *data, gsize len, const char *name_hint, GPtrArray *notes, GError **error);
NMConnection *nm_l2tp_import_mobileconfig(
    const guint8 *data, gsize len, const char *name_hint, GPtrArray *notes, GError **error);

/* The Cisco "enc_" password scrambling, exposed for the tests. */
char *nm_l2tp_pcf_decrypt(const char *hex, GError **error);
char *nm_l2tp_pcf_encrypt(const char *plain, const guint8 seed[20]);

/* Notes attached to a connection returned by the plugin's import. */
void               nm_l2tp_import_set_notes(NMConnection *connection, GPtrArray *notes);
const char *const *nm_l2tp_import_get_notes(NMConnection *connection);

/* The export format: NetworkManager-l2tp's .conf keyfile.  Secrets are not
 * written, their flags are. */
char    *nm_l2tp_export_to_data(NMConnection *connection, gsize *out_len, GError **error);
gboolean nm_l2tp_export_to_file(NMConnection *connection, const char *path, GError **error);
char    *nm_l2tp_export_suggested_filename(NMConnection *connection);

#endif /* NM_L2TP_IMPORT_H */
