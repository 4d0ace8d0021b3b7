/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Importer for Cisco VPN Client profiles (.pcf): an INI file with one
 * [main] section.  A key written as "!Key" is locked against editing in
 * the Cisco client; the lock means nothing here and is dropped.
 *
 * A .pcf describes a Cisco IPsec (EzVPN, IKE aggressive mode with XAuth)
 * connection, not L2TP.  Many gateways (Cisco ASA, routers) offer both
 * with the same group name, group key and accounts, so the parts that
 * carry over are imported and the rest is reported in the notes. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-import-private.h"
#include "nm-l2tp-settings.h"

/* Keys that say nothing an L2TP/IPsec profile can use, or whose effect
 * NetworkManager provides anyway; they are dropped without a note. */
static const char *const silent_keys[] = {
    "EnableISPConnect",
    "ISPConnectType",
    "ISPConnect",
    "ISPCommand",
    "ISPPhonebook",
    "CertStore",
    "CertSerialHash",
    "SendCertChain",
    "DHGroup",
    "ForceKeepAlives",
    "PeerTimeout",
    "EnableMSLogon",
    "MSLogonType",
    "TcpTunnelingPort",
    "EnableSplitDNS",
    "EnableNat",
    "UseLegacyIKEPort",
    "SaveUserPassword",
    "VerifyCertDN",
    "CertName",
    "CertPath",
    "CertSubjectName",
    "EnableBackup",
    "BackupServer",
    "SingleDES",
    "AuthType",
    "TunnelingMode",
    "EnableLocalLAN",
    NULL,
};

typedef struct {
    GHashTable *values; /* lower-case key -> value */
    GHashTable *lines;  /* lower-case key -> line number */
    GHashTable *names;  /* lower-case key -> the key as written */
} PcfFile;

static const char *
get(PcfFile *f, const char *key)
{
    g_autofree char *lower = g_ascii_strdown(key, -1);

    return g_hash_table_lookup(f->values, lower);
}

static gboolean
is_set(PcfFile *f, const char *key)
{
    const char *v = get(f, key);

    return v && *v;
}

static gboolean
read_items(const char *text, PcfFile *f, GPtrArray *notes, GError **error)
{
    g_autoptr(GPtrArray) items = nm_l2tp_ini_parse(text, error);
    gboolean other_section     = FALSE;
    guint    i;

    if (!items)
        return FALSE;
    for (i = 0; i < items->len; i++) {
        NML2tpIniItem   *it    = items->pdata[i];
        const char      *key   = it->key[0] == '!' ? it->key + 1 : it->key;
        g_autofree char *lower = NULL;

        if (it->section && g_ascii_strcasecmp(it->section, "main") != 0) {
            other_section = TRUE;
            continue;
        }
        if (!*key) {
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_IMPORT,
                        _("line %u: a key name is missing"),
                        it->line);
            return FALSE;
        }
        lower = g_ascii_strdown(key, -1);
        if (g_hash_table_contains(f->values, lower)) {
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_IMPORT,
                        _("line %u: “%s” is set a second time (first on line %u)"),
                        it->line,
                        key,
                        GPOINTER_TO_UINT(g_hash_table_lookup(f->lines, lower)));
            return FALSE;
        }
        g_hash_table_insert(f->lines, g_strdup(lower), GUINT_TO_POINTER(it->line));
        g_hash_table_insert(f->names, g_strdup(lower), g_strdup(key));
        g_hash_table_insert(f->values, g_steal_pointer(&lower), g_strdup(it->value));
    }
    if (other_section)
        nm_l2tp_import_note(notes, _("Ignored the sections other than [main]."));
    return TRUE;
}

/* The plain value, or the decrypted "enc_" value, or NULL. */
static gboolean
get_secret(PcfFile *f, const char *key, char **out, GError **error)
{
    g_autofree char *enc_key = g_strconcat("enc_", key, NULL);
    g_autofree char *plain   = NULL;
    g_autoptr(GError) local  = NULL;

    *out = NULL;
    if (is_set(f, key)) {
        *out = g_strdup(get(f, key));
        return TRUE;
    }
    if (!is_set(f, enc_key))
        return TRUE;
    plain = nm_l2tp_pcf_decrypt(get(f, enc_key), &local);
    if (!plain) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT, "%s: %s", enc_key, local->message);
        return FALSE;
    }
    /* The Cisco client encrypts the ANSI bytes of the password. */
    if (!g_utf8_validate(plain, -1, NULL)) {
        char *utf8 = nm_l2tp_import_decode_text((const guint8 *)plain, strlen(plain), &local);

        if (!utf8) {
            g_set_error(
                error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT, "%s: %s", enc_key, local->message);
            return FALSE;
        }
        g_free(plain);
        plain = utf8;
    }
    *out = g_steal_pointer(&plain);
    return TRUE;
}

static gboolean
set_if(NMConnection *connection, PcfFile *f, const char *pcf_key, const char *key, GError **error)
{
    if (!is_set(f, pcf_key))
        return TRUE;
    return nm_l2tp_import_set(connection, pcf_key, key, get(f, pcf_key), error);
}

static gboolean
import_secrets(NMConnection *connection, PcfFile *f, gboolean with_psk, GError **error)
{
    g_autofree char *psk      = NULL;
    g_autofree char *password = NULL;
    gboolean         ok       = TRUE;

    if (!get_secret(f, "GroupPwd", &psk, error) || !get_secret(f, "UserPassword", &password, error))
        return FALSE;
    /* A secret the file does not carry is left to the user's agent, which
     * asks for it on the first connection and may keep it. */
    if (!with_psk)
        ok = TRUE;
    else if (psk)
        ok = nm_l2tp_import_set(connection, "GroupPwd", NM_L2TP_KEY_IPSEC_PSK, psk, error);
    else
        ok = nm_l2tp_import_set(connection, "GroupPwd", NM_L2TP_KEY_IPSEC_PSK "-flags", "1", error);
    if (ok && password)
        ok = nm_l2tp_import_set(connection, "UserPassword", NM_L2TP_KEY_PASSWORD, password, error);
    else if (ok)
        ok = nm_l2tp_import_set(
            connection, "UserPassword", NM_L2TP_KEY_PASSWORD "-flags", "1", error);
    if (psk)
        explicit_bzero(psk, strlen(psk));
    if (password)
        explicit_bzero(password, strlen(password));
    return ok;
}

static int
compare_strp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
note_unsupported(PcfFile *f, GPtrArray *notes)
{
    g_autoptr(GPtrArray) other = g_ptr_array_new_with_free_func(g_free);
    const char    *v;
    GHashTableIter iter;
    gpointer       k;

    nm_l2tp_import_note(notes,
                        _("A Cisco .pcf profile describes a Cisco IPsec (EzVPN) connection, not "
                          "L2TP: the gateway must also offer L2TP/IPsec with the same group "
                          "name and key."));
    v = get(f, "AuthType");
    if (v && !g_str_equal(v, "1"))
        nm_l2tp_import_note(
            notes,
            _("The profile uses certificate authentication (AuthType=%s); certificates are "
              "not part of a .pcf file: choose them in the editor."),
            v);
    v = get(f, "TunnelingMode");
    if (v && g_str_equal(v, "1"))
        nm_l2tp_import_note(notes,
                            _("IPsec over TCP (TunnelingMode=1) is not supported; the connection "
                              "uses UDP with NAT traversal."));
    v = get(f, "EnableBackup");
    if (v && g_str_equal(v, "1") && is_set(f, "BackupServer"))
        nm_l2tp_import_note(notes,
                            _("Backup servers (BackupServer) are not supported and were not "
                              "imported."));
    v = get(f, "EnableLocalLAN");
    if (v && g_str_equal(v, "0"))
        nm_l2tp_import_note(notes,
                            _("EnableLocalLAN=0 (no access to the local network while connected) "
                              "cannot be enforced; the local network stays reachable."));
    v = get(f, "SingleDES");
    if (v && g_str_equal(v, "1"))
        nm_l2tp_import_note(notes, _("Single DES (SingleDES=1) is not supported."));

    g_hash_table_iter_init(&iter, f->values);
    while (g_hash_table_iter_next(&iter, &k, (gpointer *)&v)) {
        const char *const mapped[] = {
            "description", "host",         "groupname",        "grouppwd", "enc_grouppwd",
            "username",    "userpassword", "enc_userpassword", "ntdomain", NULL
        };
        gboolean silent = FALSE;
        guint    i;

        if (!*v || g_strv_contains(mapped, k))
            continue;
        for (i = 0; silent_keys[i]; i++)
            silent = silent || g_ascii_strcasecmp(silent_keys[i], k) == 0;
        if (!silent)
            g_ptr_array_add(other, g_strdup(g_hash_table_lookup(f->names, k)));
    }
    if (other->len) {
        g_autofree char *list = NULL;

        g_ptr_array_sort(other, compare_strp);
        g_ptr_array_add(other, NULL);
        list = g_strjoinv(", ", (char **)other->pdata);
        nm_l2tp_import_note(notes, _("Not carried over: %s."), list);
    }
}

NMConnection *
nm_l2tp_import_pcf(
    const guint8 *data, gsize len, const char *name_hint, GPtrArray *notes, GError **error)
{
    g_autoptr(NMConnection) connection = NULL;
    g_autofree char *text              = NULL;
    PcfFile          f;
    const char      *auth;
    gboolean         ok = FALSE;

    text = nm_l2tp_import_decode_text(data, len, error);
    if (!text)
        return NULL;
    f.values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    f.lines  = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    f.names  = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    if (!read_items(text, &f, notes, error))
        goto out;
    if (!is_set(&f, "Host")) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("not a usable Cisco profile: it has no Host"));
        goto out;
    }
    connection = nm_l2tp_import_connection_new(get(&f, "Description"), name_hint, error);
    if (!connection)
        goto out;
    if (!set_if(connection, &f, "Host", NM_L2TP_KEY_GATEWAY, error)
        || !nm_l2tp_import_set(connection, "Host", NM_L2TP_KEY_IPSEC_ENABLE, "yes", error)
        || !set_if(connection, &f, "GroupName", NM_L2TP_KEY_IPSEC_GROUP_NAME, error)
        || !set_if(connection, &f, "Username", NM_L2TP_KEY_USER, error)
        || !set_if(connection, &f, "NTDomain", NM_L2TP_KEY_DOMAIN, error))
        goto out;
    /* AuthType 3 is mutual certificate authentication: no group key. */
    auth = get(&f, "AuthType");
    if (auth && g_str_equal(auth, "3")
        && !nm_l2tp_import_set(
            connection, "AuthType", NM_L2TP_KEY_MACHINE_AUTH_TYPE, NM_L2TP_AUTHTYPE_TLS, error))
        goto out;
    if (!import_secrets(connection, &f, !(auth && g_str_equal(auth, "3")), error))
        goto out;
    note_unsupported(&f, notes);
    ok = nm_l2tp_import_finish(connection, error);
out:
    g_hash_table_unref(f.values);
    g_hash_table_unref(f.lines);
    g_hash_table_unref(f.names);
    return ok ? g_steal_pointer(&connection) : NULL;
}
