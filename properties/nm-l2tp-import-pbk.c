/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Importer for Windows phonebooks (rasphone.pbk): one [Entry name] per
 * connection; an entry's links follow as MEDIA=/DEVICE= groups whose keys
 * (PhoneNumber: the server) sit in the same section.  Windows writes the
 * file in UTF-8, with or without BOM, older versions in the ANSI code page,
 * and some tools in UTF-16LE.
 *
 * Only VPN entries (Type=2) set to L2TP (VpnStrategy 3 "L2TP only" or 4
 * "L2TP first") are imported.  Windows keeps the user's password and the
 * pre-shared key in its credential store, never in the phonebook, so both
 * are marked agent-owned (NM_SETTING_SECRET_FLAG_AGENT_OWNED): the desktop's
 * secret agent, or nmcli --ask, asks for them on the first connection and
 * may keep them in the user's keyring. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-import-private.h"
#include "nm-l2tp-settings.h"

/* Flags of AuthRestrictions (Windows' AR_F_Auth*) */
#define AR_PAP       0x008
#define AR_SPAP      0x010
#define AR_MD5CHAP   0x020
#define AR_MSCHAP    0x040
#define AR_EAP       0x080
#define AR_MSCHAP2   0x200
#define AR_W95MSCHAP 0x400

/* DataEncryption values */
#define DE_REQUIRE     0x100
#define DE_REQUIRE_MAX 0x200

typedef struct {
    char       *name;
    GHashTable *values; /* key -> first value */
    GHashTable *lines;  /* key -> line of first value */
} PbkEntry;

static void
entry_free(gpointer p)
{
    PbkEntry *e = p;

    g_free(e->name);
    g_hash_table_unref(e->values);
    g_hash_table_unref(e->lines);
    g_free(e);
}

/* Keys the importer reads: these must not say two different things. */
static const char *const mapped_keys[] = {
    "Type",           "VpnStrategy",   "PhoneNumber",        "AuthRestrictions",
    "DataEncryption", "IpSecFlags",    "IpPrioritizeRemote", "IpNameAssign",
    "IpDnsAddress",   "IpDns2Address", "IpDnsSuffix",        NULL,
};

static GPtrArray *
read_entries(const char *text, GError **error)
{
    g_autoptr(GPtrArray) items   = nm_l2tp_ini_parse(text, error);
    g_autoptr(GPtrArray) entries = NULL;
    PbkEntry *cur                = NULL;
    guint     i;

    if (!items)
        return NULL;
    entries = g_ptr_array_new_with_free_func(entry_free);
    for (i = 0; i < items->len; i++) {
        NML2tpIniItem *it = items->pdata[i];
        const char    *old;

        if (!it->section)
            continue;
        if (!cur || !g_str_equal(cur->name, it->section)) {
            guint j;

            for (j = 0; j < entries->len; j++) {
                if (g_str_equal(((PbkEntry *)entries->pdata[j])->name, it->section)) {
                    g_set_error(error,
                                NM_L2TP_ERROR,
                                NM_L2TP_ERROR_IMPORT,
                                _("line %u: the entry [%s] appears a second time"),
                                it->line,
                                it->section);
                    return NULL;
                }
            }
            cur         = g_new0(PbkEntry, 1);
            cur->name   = g_strdup(it->section);
            cur->values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
            cur->lines  = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
            g_ptr_array_add(entries, cur);
        }
        old = g_hash_table_lookup(cur->values, it->key);
        if (old) {
            if (g_strv_contains(mapped_keys, it->key) && !g_str_equal(old, it->value)) {
                g_set_error(
                    error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("line %u: “%s” of entry [%s] is set a second time, to a different value "
                      "(first on line %u)"),
                    it->line,
                    it->key,
                    cur->name,
                    GPOINTER_TO_UINT(g_hash_table_lookup(cur->lines, it->key)));
                return NULL;
            }
            continue;
        }
        g_hash_table_insert(cur->values, g_strdup(it->key), g_strdup(it->value));
        g_hash_table_insert(cur->lines, g_strdup(it->key), GUINT_TO_POINTER(it->line));
    }
    return g_steal_pointer(&entries);
}

static gboolean
get_uint(PbkEntry *e, const char *key, guint64 *out, GError **error)
{
    const char *v = g_hash_table_lookup(e->values, key);

    if (!v || !*v)
        return FALSE;
    if (!g_ascii_string_to_unsigned(v, 10, 0, G_MAXUINT32, out, NULL)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("[%s] %s: “%s” is not a number"),
                    e->name,
                    key,
                    v);
        return FALSE;
    }
    return TRUE;
}

/* Reads an optional number: FALSE only on a malformed value. */
static gboolean
opt_uint(PbkEntry *e, const char *key, gint64 *out, GError **error)
{
    guint64 v;

    *out = -1;
    if (!get_uint(e, key, &v, error))
        return !(error && *error);
    *out = (gint64)v;
    return TRUE;
}

static gboolean
is_l2tp(PbkEntry *e)
{
    const char *type = g_hash_table_lookup(e->values, "Type");
    const char *vs   = g_hash_table_lookup(e->values, "VpnStrategy");

    return type && g_str_equal(type, "2") && vs && (g_str_equal(vs, "3") || g_str_equal(vs, "4"));
}

static const char *
describe(PbkEntry *e)
{
    const char *type = g_hash_table_lookup(e->values, "Type");
    const char *vs   = g_hash_table_lookup(e->values, "VpnStrategy");

    if (!type)
        return _("unknown type");
    if (g_str_equal(type, "1"))
        return _("dial-up");
    if (g_str_equal(type, "3"))
        return _("direct");
    if (g_str_equal(type, "4") || g_str_equal(type, "5"))
        return _("broadband");
    if (!g_str_equal(type, "2"))
        return _("unknown type");
    if (!vs || g_str_equal(vs, "0"))
        return _("VPN, automatic type");
    if (g_str_equal(vs, "1") || g_str_equal(vs, "2"))
        return _("VPN, PPTP");
    if (g_str_equal(vs, "5") || g_str_equal(vs, "6"))
        return _("VPN, SSTP");
    if (g_str_equal(vs, "7") || g_str_equal(vs, "8"))
        return _("VPN, IKEv2");
    return _("VPN, unknown type");
}

static gboolean
import_auth(NMConnection *c, PbkEntry *e, GPtrArray *notes, GError **error)
{
    const char *src = "AuthRestrictions";
    gint64      ar, de;
    gboolean    mschap;

    if (!opt_uint(e, src, &ar, error) || !opt_uint(e, "DataEncryption", &de, error))
        return FALSE;
    if (ar > 0 && ar < AR_PAP) {
        /* Old scalar values of Windows NT 4: all methods allowed. */
        nm_l2tp_import_note(notes,
                            _("AuthRestrictions has an old-style value; all authentication "
                              "methods stay allowed."));
        ar = -1;
    }
    if (ar > 0) {
        if ((!(ar & AR_PAP) && !nm_l2tp_import_set(c, src, NM_L2TP_KEY_REFUSE_PAP, "yes", error))
            || (!(ar & AR_MD5CHAP)
                && !nm_l2tp_import_set(c, src, NM_L2TP_KEY_REFUSE_CHAP, "yes", error))
            || (!(ar & (AR_MSCHAP | AR_W95MSCHAP))
                && !nm_l2tp_import_set(c, src, NM_L2TP_KEY_REFUSE_MSCHAP, "yes", error))
            || (!(ar & AR_MSCHAP2)
                && !nm_l2tp_import_set(c, src, NM_L2TP_KEY_REFUSE_MSCHAPV2, "yes", error))
            || ((ar & AR_EAP) && !nm_l2tp_import_set(c, src, NM_L2TP_KEY_REFUSE_EAP, "no", error)))
            return FALSE;
        if (ar & AR_EAP)
            nm_l2tp_import_note(notes,
                                _("The entry allows EAP; Windows' EAP method settings were not "
                                  "imported."));
        if ((ar & AR_SPAP)
            && !(ar & (AR_PAP | AR_MD5CHAP | AR_MSCHAP | AR_W95MSCHAP | AR_MSCHAP2 | AR_EAP)))
            nm_l2tp_import_note(notes, _("SPAP is not supported."));
    }
    mschap = ar <= 0 || (ar & (AR_MSCHAP | AR_W95MSCHAP | AR_MSCHAP2));
    if (de > 0 && (de & (DE_REQUIRE | DE_REQUIRE_MAX))) {
        if (!mschap) {
            nm_l2tp_import_note(notes,
                                _("Windows requires data encryption, but MPPE needs MS-CHAP, which "
                                  "the entry does not allow; MPPE was not required."));
        } else {
            if (!nm_l2tp_import_set(c, "DataEncryption", NM_L2TP_KEY_REQUIRE_MPPE, "yes", error))
                return FALSE;
            if ((de & DE_REQUIRE_MAX)
                && !nm_l2tp_import_set(
                    c, "DataEncryption", NM_L2TP_KEY_REQUIRE_MPPE_128, "yes", error))
                return FALSE;
            nm_l2tp_import_note(
                notes,
                _("Windows required data encryption; it was mapped to MPPE. If the "
                  "server does not offer MPPE (many L2TP servers rely on IPsec alone), "
                  "turn MPPE off in the editor."));
        }
    }
    return TRUE;
}

static gboolean
import_ip(NMConnection *c, PbkEntry *e, GError **error)
{
    NMSettingIPConfig *s_ip4 = nm_connection_get_setting_ip4_config(c);
    gint64             prio, assign;
    const char *const  dns_keys[] = { "IpDnsAddress", "IpDns2Address", NULL };
    const char        *suffix;
    guint              i;

    if (!opt_uint(e, "IpPrioritizeRemote", &prio, error)
        || !opt_uint(e, "IpNameAssign", &assign, error))
        return FALSE;
    /* "Use default gateway on remote network" unchecked: split tunnel. */
    if (prio == 0)
        g_object_set(s_ip4, NM_SETTING_IP_CONFIG_NEVER_DEFAULT, TRUE, NULL);
    /* IpNameAssign 1: the server assigns DNS; 2: the entry's servers,
     * which then replace the server's. */
    if (assign != 1) {
        for (i = 0; dns_keys[i]; i++) {
            const char *v = g_hash_table_lookup(e->values, dns_keys[i]);

            if (v && *v && !g_str_equal(v, "0.0.0.0")
                && !nm_l2tp_import_add_dns(s_ip4, dns_keys[i], v, error))
                return FALSE;
        }
        if (assign == 2 && nm_setting_ip_config_get_num_dns(s_ip4) > 0)
            g_object_set(s_ip4, NM_SETTING_IP_CONFIG_IGNORE_AUTO_DNS, TRUE, NULL);
    }
    suffix = g_hash_table_lookup(e->values, "IpDnsSuffix");
    if (suffix && *suffix && !nm_l2tp_import_add_dns_search(s_ip4, "IpDnsSuffix", suffix, error))
        return FALSE;
    return TRUE;
}

static NMConnection *
import_entry(PbkEntry *e, GPtrArray *notes, GError **error)
{
    g_autoptr(NMConnection) c = NULL;
    const char *gw            = g_hash_table_lookup(e->values, "PhoneNumber");
    gint64      ipsec;

    if (!gw || !*gw) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the entry [%s] has no PhoneNumber (the server's address)"),
                    e->name);
        return NULL;
    }
    c = nm_l2tp_import_connection_new(e->name, NULL, error);
    if (!c)
        return NULL;
    if (!opt_uint(e, "IpSecFlags", &ipsec, error)
        || !nm_l2tp_import_set(c, "PhoneNumber", NM_L2TP_KEY_GATEWAY, gw, error)
        || !nm_l2tp_import_set(c, "VpnStrategy", NM_L2TP_KEY_IPSEC_ENABLE, "yes", error)
        || !nm_l2tp_import_set(c, "IpSecFlags", NM_L2TP_KEY_PASSWORD "-flags", "1", error))
        return NULL;
    if (ipsec > 0 && (ipsec & 1)) {
        if (!nm_l2tp_import_set(c, "IpSecFlags", NM_L2TP_KEY_IPSEC_PSK "-flags", "1", error))
            return NULL;
        nm_l2tp_import_note(notes,
                            _("Windows keeps the pre-shared key and the password in its credential "
                              "store; they will be asked for on the first connection."));
    } else {
        if (!nm_l2tp_import_set(
                c, "IpSecFlags", NM_L2TP_KEY_MACHINE_AUTH_TYPE, NM_L2TP_AUTHTYPE_TLS, error))
            return NULL;
        nm_l2tp_import_note(notes,
                            _("The entry authenticates IPsec with a certificate from the Windows "
                              "certificate store; choose the certificate in the editor."));
    }
    if (!import_auth(c, e, notes, error) || !import_ip(c, e, error))
        return NULL;
    if (!nm_l2tp_import_finish(c, error))
        return NULL;
    return g_steal_pointer(&c);
}

NMConnection *
nm_l2tp_import_pbk(
    const guint8 *data, gsize len, const char *name_hint, GPtrArray *notes, GError **error)
{
    g_autoptr(GPtrArray) entries = NULL;
    g_autofree char *text        = NULL;
    g_autoptr(GString) others    = NULL;
    NMConnection *c;
    PbkEntry     *chosen = NULL;
    guint         i;

    text = nm_l2tp_import_decode_text(data, len, error);
    if (!text)
        return NULL;
    entries = read_entries(text, error);
    if (!entries)
        return NULL;
    if (entries->len == 0) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT, _("the phonebook has no entries"));
        return NULL;
    }
    for (i = 0; i < entries->len; i++) {
        PbkEntry *e = entries->pdata[i];

        if (!is_l2tp(e))
            continue;
        if (!chosen) {
            chosen = e;
            continue;
        }
        if (!others)
            others = g_string_new(NULL);
        else
            g_string_append(others, ", ");
        g_string_append_printf(others, "“%s”", e->name);
    }
    if (!chosen) {
        g_autoptr(GString) list = g_string_new(NULL);

        for (i = 0; i < entries->len; i++) {
            PbkEntry *e = entries->pdata[i];

            g_string_append_printf(list, "%s“%s” (%s)", i ? ", " : "", e->name, describe(e));
        }
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the phonebook has no L2TP/IPsec entry; its entries are: %s"),
                    list->str);
        return NULL;
    }
    c = import_entry(chosen, notes, error);
    if (c && others)
        nm_l2tp_import_note(
            notes,
            _("Imported the entry “%s”. The phonebook has more L2TP entries, which were "
              "not imported: %s."),
            chosen->name,
            others->str);
    return c;
}
