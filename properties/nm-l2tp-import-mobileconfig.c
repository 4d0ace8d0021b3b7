/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Importer for Apple configuration profiles (.mobileconfig): an XML
 * property list whose PayloadContent array holds payloads; the VPN payload
 * has PayloadType com.apple.vpn.managed and VPNType L2TP, with the
 * dictionaries PPP (server, account, MPPE), IPSec (pre-shared key as
 * base64 <data>, or certificate) and IPv4 (OverridePrimary: all traffic
 * through the VPN).
 *
 * A signed profile is a CMS (PKCS#7) SignedData in DER around the plist.
 * It is unwrapped with OpenSSL after checking that the signature matches
 * the content; the signer is not checked against trusted CAs (there are
 * none to check against here), which the notes say. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-import-plist.h"
#include "nm-l2tp-import-private.h"
#include "nm-l2tp-settings.h"

#define VPN_PAYLOAD "com.apple.vpn.managed"

gboolean
nm_l2tp_import_looks_like_cms(const guint8 *data, gsize len)
{
    /* DER SEQUENCE, then within the first bytes the OID
     * 1.2.840.113549.1.7.2 (signedData). */
    static const guint8 oid[] = {
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02
    };
    gsize i;

    if (len < 16 || data[0] != 0x30)
        return FALSE;
    for (i = 1; i + sizeof(oid) <= len && i < 24; i++) {
        if (memcmp(data + i, oid, sizeof(oid)) == 0)
            return TRUE;
    }
    return FALSE;
}

static GBytes *
cms_unwrap(const guint8 *data, gsize len, char **out_signer, GError **error)
{
    BIO             *in  = BIO_new_mem_buf(data, (int)len);
    BIO             *out = BIO_new(BIO_s_mem());
    CMS_ContentInfo *cms = NULL;
    GBytes          *res = NULL;
    char            *mem;
    long             mlen;

    if (!in || !out)
        goto out;
    cms = d2i_CMS_bio(in, NULL);
    if (!cms || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the signed profile is damaged: it is not a valid CMS signed message"));
        goto out;
    }
    if (CMS_verify(cms, NULL, NULL, NULL, out, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) != 1) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the profile's signature does not match its content (or the signer's "
                      "certificate is missing): the file was altered or damaged"));
        goto out;
    }
    {
        STACK_OF(X509) *signers = CMS_get0_signers(cms);

        if (signers && sk_X509_num(signers) > 0) {
            char buf[256];

            X509_NAME_oneline(X509_get_subject_name(sk_X509_value(signers, 0)), buf, sizeof(buf));
            *out_signer = g_strdup(g_utf8_validate(buf, -1, NULL) ? buf : "?");
        }
        sk_X509_free(signers);
    }
    mlen = BIO_get_mem_data(out, &mem);
    res  = g_bytes_new(mem, mlen > 0 ? (gsize)mlen : 0);
out:
    ERR_clear_error();
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    BIO_free(out);
    return res;
}

static gboolean
set_string(NMConnection *c,
           NML2tpPlist  *dict,
           const char   *dict_name,
           const char   *pkey,
           const char   *key,
           GError      **error)
{
    NML2tpPlist     *n      = nm_l2tp_plist_get(dict, pkey);
    g_autofree char *source = g_strdup_printf("%s.%s", dict_name, pkey);

    if (!n)
        return TRUE;
    if (n->type != NM_L2TP_PLIST_STRING) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("%s: the value must be a <string>"),
                    source);
        return FALSE;
    }
    if (!*n->text)
        return TRUE;
    return nm_l2tp_import_set(c, source, key, n->text, error);
}

static int
get_bool(NML2tpPlist *dict, const char *dict_name, const char *key, GError **error)
{
    int b = nm_l2tp_plist_get_bool(dict, key);

    if (b == -2)
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("%s.%s: the value must be <true/>, <false/>, 0 or 1"),
                    dict_name,
                    key);
    return b;
}

static gboolean
import_ppp(NMConnection *c, NML2tpPlist *ppp, GPtrArray *notes, GError **error)
{
    int token, ccp, m40, m128;

    if (!set_string(c, ppp, "PPP", "CommRemoteAddress", NM_L2TP_KEY_GATEWAY, error)
        || !set_string(c, ppp, "PPP", "AuthName", NM_L2TP_KEY_USER, error)
        || !set_string(c, ppp, "PPP", "AuthPassword", NM_L2TP_KEY_PASSWORD, error))
        return FALSE;
    if ((token = get_bool(ppp, "PPP", "TokenCard", error)) == -2
        || (ccp = get_bool(ppp, "PPP", "CCPEnabled", error)) == -2
        || (m40 = get_bool(ppp, "PPP", "CCPMPPE40Enabled", error)) == -2
        || (m128 = get_bool(ppp, "PPP", "CCPMPPE128Enabled", error)) == -2)
        return FALSE;
    /* A one-time password (RSA SecurID) must never be stored. */
    if (token == 1) {
        if (!nm_l2tp_import_set(c, "PPP.TokenCard", NM_L2TP_KEY_PASSWORD "-flags", "2", error))
            return FALSE;
    } else if (!nm_setting_vpn_get_secret(nm_connection_get_setting_vpn(c), NM_L2TP_KEY_PASSWORD)) {
        if (!nm_l2tp_import_set(c, "PPP.AuthPassword", NM_L2TP_KEY_PASSWORD "-flags", "1", error))
            return FALSE;
    }
    if (ccp == 1) {
        if (!nm_l2tp_import_set(c, "PPP.CCPEnabled", NM_L2TP_KEY_REQUIRE_MPPE, "yes", error))
            return FALSE;
        if (m40 == 1 && m128 != 1
            && !nm_l2tp_import_set(
                c, "PPP.CCPMPPE40Enabled", NM_L2TP_KEY_REQUIRE_MPPE_40, "yes", error))
            return FALSE;
        if (m128 == 1 && m40 != 1
            && !nm_l2tp_import_set(
                c, "PPP.CCPMPPE128Enabled", NM_L2TP_KEY_REQUIRE_MPPE_128, "yes", error))
            return FALSE;
    }
    if (nm_l2tp_plist_get(ppp, "AuthEAPPlugins"))
        nm_l2tp_import_note(notes,
                            _("The profile's EAP plugins (PPP.AuthEAPPlugins) were not imported."));
    return TRUE;
}

/* The pre-shared key is a <data> (base64 of the key's bytes).  A key that
 * is not text is kept in base64 with the "0s" prefix that ipsec-psk
 * understands. */
static gboolean
import_psk(NMConnection *c, NML2tpPlist *n, GError **error)
{
    g_autofree guchar *raw  = NULL;
    g_autofree char   *psk  = NULL;
    gsize              rlen = 0;
    gsize              i;
    gboolean           text = TRUE;
    gboolean           ok;

    if (n->type == NM_L2TP_PLIST_STRING)
        return !*n->text
               || nm_l2tp_import_set(
                   c, "IPSec.SharedSecret", NM_L2TP_KEY_IPSEC_PSK, n->text, error);
    if (n->type != NM_L2TP_PLIST_DATA) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("IPSec.SharedSecret: the value must be <data>"));
        return FALSE;
    }
    for (i = 0; n->text[i]; i++) {
        char ch = n->text[i];

        if (!g_ascii_isalnum(ch) && ch != '+' && ch != '/' && ch != '=' && !g_ascii_isspace(ch)) {
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_IMPORT,
                        _("IPSec.SharedSecret: the value is not base64"));
            return FALSE;
        }
    }
    raw = g_base64_decode(n->text, &rlen);
    if (rlen == 0)
        return TRUE;
    for (i = 0; i < rlen; i++)
        text = text && raw[i] >= 0x20 && raw[i] != 0x7f;
    if (text && g_utf8_validate((const char *)raw, rlen, NULL)) {
        psk = g_strndup((const char *)raw, rlen);
    } else {
        g_autofree char *b64 = g_base64_encode(raw, rlen);

        psk = g_strconcat("0s", b64, NULL);
    }
    ok = nm_l2tp_import_set(c, "IPSec.SharedSecret", NM_L2TP_KEY_IPSEC_PSK, psk, error);
    explicit_bzero(raw, rlen);
    explicit_bzero(psk, strlen(psk));
    return ok;
}

static gboolean
import_ipsec(NMConnection *c, NML2tpPlist *ipsec, GPtrArray *notes, GError **error)
{
    const char  *method = nm_l2tp_plist_get_string(ipsec, "AuthenticationMethod");
    NML2tpPlist *secret = nm_l2tp_plist_get(ipsec, "SharedSecret");

    if (!nm_l2tp_import_set(c, "VPNType", NM_L2TP_KEY_IPSEC_ENABLE, "yes", error)
        || !set_string(c, ipsec, "IPSec", "LocalIdentifier", NM_L2TP_KEY_IPSEC_GROUP_NAME, error))
        return FALSE;
    if (method && g_str_equal(method, "Certificate")) {
        nm_l2tp_import_note(notes,
                            _("The profile authenticates IPsec with a certificate (a separate "
                              "payload of the profile); save it and choose it in the editor."));
        return nm_l2tp_import_set(c,
                                  "IPSec.AuthenticationMethod",
                                  NM_L2TP_KEY_MACHINE_AUTH_TYPE,
                                  NM_L2TP_AUTHTYPE_TLS,
                                  error);
    }
    if (method && !g_str_equal(method, "SharedSecret")) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("IPSec.AuthenticationMethod: unknown method “%s”"),
                    method);
        return FALSE;
    }
    if (secret && !import_psk(c, secret, error))
        return FALSE;
    if (!nm_setting_vpn_get_secret(nm_connection_get_setting_vpn(c), NM_L2TP_KEY_IPSEC_PSK))
        return nm_l2tp_import_set(
            c, "IPSec.SharedSecret", NM_L2TP_KEY_IPSEC_PSK "-flags", "1", error);
    return TRUE;
}

static gboolean
import_ip(NMConnection *c, NML2tpPlist *payload, GError **error)
{
    NMSettingIPConfig *s_ip4   = nm_connection_get_setting_ip4_config(c);
    NML2tpPlist       *dns     = nm_l2tp_plist_get_dict(payload, "DNS");
    const char *const  lists[] = { "ServerAddresses", "SearchDomains", NULL };
    int                override;
    guint              i, j;

    override = get_bool(nm_l2tp_plist_get_dict(payload, "IPv4"), "IPv4", "OverridePrimary", error);
    if (override == -2)
        return FALSE;
    if (override == 0)
        g_object_set(s_ip4, NM_SETTING_IP_CONFIG_NEVER_DEFAULT, TRUE, NULL);
    for (i = 0; dns && lists[i]; i++) {
        NML2tpPlist     *arr    = nm_l2tp_plist_get(dns, lists[i]);
        g_autofree char *source = g_strdup_printf("DNS.%s", lists[i]);

        for (j = 0; arr && arr->type == NM_L2TP_PLIST_ARRAY && j < arr->items->len; j++) {
            NML2tpPlist *s = arr->items->pdata[j];

            if (s->type != NM_L2TP_PLIST_STRING) {
                g_set_error(error,
                            NM_L2TP_ERROR,
                            NM_L2TP_ERROR_IMPORT,
                            _("%s: the value must be a <string>"),
                            source);
                return FALSE;
            }
            if (i == 0 ? !nm_l2tp_import_add_dns(s_ip4, source, s->text, error) :
                         !nm_l2tp_import_add_dns_search(s_ip4, source, s->text, error))
                return FALSE;
        }
    }
    return TRUE;
}

static NMConnection *
import_payload(NML2tpPlist *root,
               NML2tpPlist *payload,
               const char  *name_hint,
               GPtrArray   *notes,
               GError     **error)
{
    g_autoptr(NMConnection) c = NULL;
    NML2tpPlist *ppp          = nm_l2tp_plist_get_dict(payload, "PPP");
    NML2tpPlist *ipsec        = nm_l2tp_plist_get_dict(payload, "IPSec");
    const char  *id           = nm_l2tp_plist_get_string(payload, "UserDefinedName");

    if (!id || !*id)
        id = nm_l2tp_plist_get_string(payload, "PayloadDisplayName");
    if (!id || !*id)
        id = nm_l2tp_plist_get_string(root, "PayloadDisplayName");
    if (!ppp || !nm_l2tp_plist_get_string(ppp, "CommRemoteAddress")) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the L2TP payload has no server address (PPP.CommRemoteAddress)"));
        return NULL;
    }
    c = nm_l2tp_import_connection_new(id, name_hint, error);
    if (!c || !import_ppp(c, ppp, notes, error) || !import_ipsec(c, ipsec, notes, error)
        || !import_ip(c, payload, error))
        return NULL;
    if (nm_l2tp_plist_get(payload, "Proxies"))
        nm_l2tp_import_note(notes, _("The profile's proxy settings were not imported."));
    if (!nm_l2tp_import_finish(c, error))
        return NULL;
    return g_steal_pointer(&c);
}

static NMConnection *
import_plist(const guint8 *data, gsize len, const char *name_hint, GPtrArray *notes, GError **error)
{
    g_autoptr(NML2tpPlist) root = NULL;
    g_autoptr(GString) found    = g_string_new(NULL);
    g_autofree char *text       = NULL;
    NML2tpPlist     *content, *chosen = NULL;
    guint            i, more          = 0;
    NMConnection    *c;

    text = nm_l2tp_import_decode_text(data, len, error);
    if (!text)
        return NULL;
    root = nm_l2tp_plist_parse(text, strlen(text), error);
    if (!root) {
        g_prefix_error(error, _("not a valid Apple configuration profile: "));
        return NULL;
    }
    content = nm_l2tp_plist_get(root, "PayloadContent");
    if (root->type != NM_L2TP_PLIST_DICT || !content || content->type != NM_L2TP_PLIST_ARRAY) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("not a valid Apple configuration profile: it has no PayloadContent array"));
        return NULL;
    }
    for (i = 0; i < content->items->len; i++) {
        NML2tpPlist *p     = content->items->pdata[i];
        const char  *ptype = nm_l2tp_plist_get_string(p, "PayloadType");
        const char  *vtype = nm_l2tp_plist_get_string(p, "VPNType");
        gboolean     l2tp =
            ptype && g_str_equal(ptype, VPN_PAYLOAD) && vtype && g_str_equal(vtype, "L2TP");

        if (l2tp && !chosen)
            chosen = p;
        else if (l2tp)
            more++;
        g_string_append_printf(found,
                               "%s%s%s%s%s",
                               i ? ", " : "",
                               ptype ? ptype : "?",
                               vtype ? " (" : "",
                               vtype ? vtype : "",
                               vtype ? ")" : "");
    }
    if (!chosen) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the profile has no L2TP VPN payload; it contains: %s"),
                    found->len ? found->str : _("no payloads"));
        return NULL;
    }
    c = import_payload(root, chosen, name_hint, notes, error);
    if (c && more)
        nm_l2tp_import_note(
            notes,
            _("The profile has further L2TP payloads (%u); only the first was imported."),
            more);
    return c;
}

NMConnection *
nm_l2tp_import_mobileconfig(
    const guint8 *data, gsize len, const char *name_hint, GPtrArray *notes, GError **error)
{
    g_autoptr(GBytes) inner = NULL;
    g_autofree char *signer = NULL;
    NMConnection    *c;
    gsize            ilen;
    const guint8    *idata;

    if (!nm_l2tp_import_looks_like_cms(data, len))
        return import_plist(data, len, name_hint, notes, error);
    inner = cms_unwrap(data, len, &signer, error);
    if (!inner)
        return NULL;
    idata = g_bytes_get_data(inner, &ilen);
    if (ilen == 0 || nm_l2tp_import_looks_like_cms(idata, ilen)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the signed profile has no usable content"));
        return NULL;
    }
    c = import_plist(idata, ilen, name_hint, notes, error);
    if (c)
        nm_l2tp_import_note(
            notes,
            _("The profile is signed by “%s”. The signature matches the content, but "
              "the signer was not checked against trusted certificates."),
            signer ? signer : "?");
    return c;
}
