/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Cisco VPN Client's "enc_GroupPwd"/"enc_UserPassword" scrambling.
 *
 * The value is hex.  Its bytes 0-19 are a random seed, 20-39 the SHA-1 of
 * the ciphertext, the rest is the ciphertext: the password encrypted with
 * 3DES in CBC mode.  The 24-byte key is SHA-1(seed with its last byte
 * incremented by 1) followed by the first 4 bytes of SHA-1(seed with its
 * last byte incremented by 3); the IV is the seed's first 8 bytes; the
 * padding is PKCS#7 style.  The key derives from the file itself, so this
 * hides the password from a glance, nothing more.
 *
 * OpenSSL's libcrypto does the SHA-1 and 3DES; it is asked for the legacy
 * cipher through the EVP interface, which OpenSSL 3 still provides in its
 * default provider. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-import-private.h"

#define SEED_LEN 20
#define HASH_LEN 20
#define HDR_LEN  (SEED_LEN + HASH_LEN)
#define BLOCK    8
/* Longer than any password the Cisco client accepts. */
#define MAX_CIPHER_LEN 1024

static void
derive_key(const guint8 seed[SEED_LEN], guint8 key[24])
{
    guint8 tmp[SEED_LEN];
    guint8 h[SHA_DIGEST_LENGTH];

    memcpy(tmp, seed, SEED_LEN);
    tmp[SEED_LEN - 1] = (guint8)(tmp[SEED_LEN - 1] + 1);
    SHA1(tmp, SEED_LEN, key);
    tmp[SEED_LEN - 1] = (guint8)(tmp[SEED_LEN - 1] + 2);
    SHA1(tmp, SEED_LEN, h);
    memcpy(key + 20, h, 4);
    OPENSSL_cleanse(h, sizeof(h));
}

static gboolean
run_3des(gboolean      encrypt,
         const guint8  key[24],
         const guint8 *iv,
         const guint8 *in,
         int           in_len,
         guint8       *out)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int             l1 = 0, l2 = 0;
    gboolean        ok;

    if (!ctx)
        return FALSE;
    ok = EVP_CipherInit_ex(ctx, EVP_des_ede3_cbc(), NULL, key, iv, encrypt ? 1 : 0) == 1
         && EVP_CIPHER_CTX_set_padding(ctx, 0) == 1
         && EVP_CipherUpdate(ctx, out, &l1, in, in_len) == 1
         && EVP_CipherFinal_ex(ctx, out + l1, &l2) == 1 && l1 + l2 == in_len;
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = g_ascii_tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

char *
nm_l2tp_pcf_decrypt(const char *hex, GError **error)
{
    gsize              hlen = strlen(hex);
    g_autofree guint8 *bin  = NULL;
    g_autofree guint8 *out  = NULL;
    guint8             key[24];
    guint8             digest[SHA_DIGEST_LENGTH];
    gsize              blen, clen, i;
    guint8             pad;
    char              *plain;

    if (hlen % 2 != 0 || hlen / 2 < HDR_LEN + BLOCK || hlen / 2 > HDR_LEN + MAX_CIPHER_LEN) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the encrypted password has the wrong length"));
        return NULL;
    }
    blen = hlen / 2;
    bin  = g_malloc(blen);
    for (i = 0; i < blen; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_IMPORT,
                        _("the encrypted password is not a hexadecimal string"));
            return NULL;
        }
        bin[i] = (guint8)(hi << 4 | lo);
    }
    clen = blen - HDR_LEN;
    if (clen % BLOCK != 0) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the encrypted password has the wrong length"));
        return NULL;
    }
    /* The checksum first: a damaged value must not be decrypted into
     * a wrong password that then fails much later, at the server. */
    SHA1(bin + HDR_LEN, clen, digest);
    if (CRYPTO_memcmp(digest, bin + SEED_LEN, HASH_LEN) != 0) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the encrypted password is damaged (its checksum does not match)"));
        return NULL;
    }
    derive_key(bin, key);
    out = g_malloc(clen + 1);
    if (!run_3des(FALSE, key, bin, bin + HDR_LEN, (int)clen, out)) {
        OPENSSL_cleanse(key, sizeof(key));
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the encrypted password could not be decrypted (3DES is not available)"));
        return NULL;
    }
    OPENSSL_cleanse(key, sizeof(key));
    pad = out[clen - 1];
    for (i = 0; pad >= 1 && pad <= BLOCK && i < pad; i++) {
        if (out[clen - 1 - i] != pad)
            break;
    }
    if (pad < 1 || pad > BLOCK || i != pad) {
        OPENSSL_cleanse(out, clen);
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_IMPORT,
                    _("the encrypted password has invalid padding"));
        return NULL;
    }
    out[clen - pad] = '\0';
    /* Some writers include the C string's terminating NUL before the
     * padding; the password ends there. */
    plain = g_strdup((const char *)out);
    OPENSSL_cleanse(out, clen);
    return plain;
}

char *
nm_l2tp_pcf_encrypt(const char *plain, const guint8 seed[SEED_LEN])
{
    gsize              plen = strlen(plain);
    gsize              clen = (plen / BLOCK + 1) * BLOCK;
    g_autofree guint8 *in   = g_malloc(clen);
    g_autofree guint8 *bin  = g_malloc(HDR_LEN + clen);
    guint8             key[24];
    GString           *hex;
    gsize              i;

    memcpy(in, plain, plen);
    memset(in + plen, (int)(clen - plen), clen - plen);
    memcpy(bin, seed, SEED_LEN);
    derive_key(seed, key);
    if (!run_3des(TRUE, key, seed, in, (int)clen, bin + HDR_LEN))
        return NULL;
    OPENSSL_cleanse(key, sizeof(key));
    SHA1(bin + HDR_LEN, clen, bin + SEED_LEN);
    hex = g_string_sized_new(2 * (HDR_LEN + clen));
    for (i = 0; i < HDR_LEN + clen; i++)
        g_string_append_printf(hex, "%02X", bin[i]);
    return g_string_free(hex, FALSE);
}
