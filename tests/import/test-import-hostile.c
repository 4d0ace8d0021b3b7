/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hostile input: every value each importer maps is replaced, one at a
 * time, by payloads that try to smuggle a line break plus a directive,
 * quotes, control characters or escapes into the profile (and from there
 * into strongSwan's, xl2tpd's or pppd's configuration).  Each import must
 * either fail with a clear NM_L2TP_ERROR_IMPORT, or succeed with none of
 * the dangerous characters in any value and no key the file did not map.
 * Also: oversized input, and the Cisco password scrambling. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-import.h"

static const char *const payloads[] = {
    "x\nrefuse-pap=yes",
    "x\r\nipsec-enabled=no",
    "x\n[ipv4]\nmethod=disabled",
    "x\"; conn evil",
    "x'quoted'",
    "x\001ctl",
    "x\033[31mred",
    "x\\back\\slash",
    "x\x7f",
    "x\xc2\x85nel",
    "x\tTab",
    "x }\n}\nconnections { evil {",
    "plugin /tmp/evil.so",
    "x&lt;&amp;<",
    "",
};

typedef struct {
    const char *format; /* file name used as hint */
    const char *tmpl;   /* @FIELD@ placeholders */
    const char *fields[16];
    const char *safe[16]; /* a harmless value per field */
} Template;

static const Template templates[] = {
    { "t.pcf",
      "[main]\r\nDescription=@id@\r\nHost=@host@\r\nGroupName=@group@\r\nGroupPwd=@psk@"
      "\r\nUsername=@user@\r\n"
      "UserPassword=@pw@\r\nNTDomain=@dom@\r\nEnableLocalLAN=@lan@\r\nAuthType=@auth@\r\n",
      { "id", "host", "group", "psk", "user", "pw", "dom", "lan", "auth" },
      { "Office", "vpn.example.com", "grp", "secret", "alice", "pw", "CORP", "1", "1" } },
    { "t.pcf",
      "[main]\nHost=vpn.example.com\nenc_GroupPwd=@enc@\n",
      { "enc" },
      { "F992230153F51928672DF6C7B9C61EF8437252CFBE28C1101EF1A119D077E93CCCEEE4FE72E8A2DF5EC384E005"
        "F77577CCA7CCCA"
        "231FE9D8" } },
    { "t.pbk",
      "[@id@]\r\nEncoding=1\r\nType=@type@\r\nVpnStrategy=@vs@\r\nIpSecFlags=@ipsec@"
      "\r\nAuthRestrictions=@ar@\r\n"
      "DataEncryption=@de@\r\nIpPrioritizeRemote=@prio@\r\nIpNameAssign=@assign@\r\nIpDnsAddress=@"
      "dns@\r\n"
      "IpDns2Address=0.0.0.0\r\nIpDnsSuffix=@suffix@\r\nMEDIA=rastapi\r\nDEVICE=vpn\r\nPhoneNumber="
      "@host@\r\n",
      { "id", "type", "vs", "ipsec", "ar", "de", "prio", "assign", "dns", "suffix", "host" },
      { "Office",
        "2",
        "3",
        "1",
        "544",
        "256",
        "0",
        "2",
        "10.0.0.53",
        "corp.example",
        "vpn.example.com" } },
    { "t.mobileconfig",
      "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>PayloadContent</key><array><dict>"
      "<key>PayloadType</key><string>com.apple.vpn.managed</string><key>VPNType</key><string>L2TP</"
      "string>"
      "<key>UserDefinedName</key><string>@id@</string><key>PPP</key><dict>"
      "<key>CommRemoteAddress</key><string>@host@</string><key>AuthName</key><string>@user@</"
      "string>"
      "<key>AuthPassword</key><string>@pw@</string></dict><key>IPSec</key><dict>"
      "<key>AuthenticationMethod</key><string>SharedSecret</string><key>LocalIdentifier</key>"
      "<string>@group@</string><key>SharedSecret</key><data>@psk@</data></dict>"
      "<key>IPv4</key><dict><key>OverridePrimary</key><integer>@prio@</integer></dict>"
      "<key>DNS</key><dict><key>ServerAddresses</key><array><string>@dns@</string></array>"
      "<key>SearchDomains</key><array><string>@suffix@</string></array></dict>"
      "</dict></array></dict></plist>",
      { "id", "host", "user", "pw", "group", "psk", "prio", "dns", "suffix" },
      { "Office",
        "vpn.example.com",
        "alice",
        "pw",
        "grp",
        "c2VjcmV0",
        "1",
        "10.0.0.53",
        "corp.example" } },
    { "t.conf",
      "[connection]\nid=@id@\n[vpn]\ngateway=@host@\nuser=@user@\ndomain=@dom@\nipsec-enabled=@"
      "bool@\n"
      "ipsec-group-name=@group@\nipsec-remote-id=@rid@\nipsec-ike=@ike@\nmtu=@mtu@\nipsec-psk=@psk@"
      "\n"
      "[vpn-secrets]\npassword=@pw@\n[ipv4]\nmethod=@method@\ndns=@dns@\ndns-search=@suffix@\n"
      "routes=@route@\nnever-default=@bool@\n",
      { "id",
        "host",
        "user",
        "dom",
        "bool",
        "group",
        "rid",
        "ike",
        "mtu",
        "psk",
        "pw",
        "method",
        "dns",
        "suffix",
        "route" },
      { "Office",
        "vpn.example.com",
        "alice",
        "CORP",
        "true",
        "grp",
        "@vpn",
        "aes256-sha1-modp2048",
        "1400",
        "secret",
        "pw",
        "auto",
        "10.0.0.53",
        "corp.example",
        "10.1.0.0/16 via 10.0.0.1 metric 5" } },
};

/* Keyfile values are escaped: the payload must arrive as the value. */
static char *
escape_for(const Template *t, const char *field, const char *value)
{
    if (g_str_has_suffix(t->format, ".conf")) {
        GString    *s = g_string_new(NULL);
        const char *p;

        for (p = value; *p; p++) {
            if (*p == '\n')
                g_string_append(s, "\\n");
            else if (*p == '\r')
                g_string_append(s, "\\r");
            else if (*p == '\\')
                g_string_append(s, "\\\\");
            else
                g_string_append_c(s, *p);
        }
        return g_string_free(s, FALSE);
    }
    if (g_str_has_suffix(t->format, ".mobileconfig")) {
        if (g_str_equal(field, "psk"))
            return g_base64_encode((const guchar *)value, strlen(value));
        return g_markup_escape_text(value, -1);
    }
    return g_strdup(value);
}

static char *
fill(const Template *t, guint hostile, const char *payload)
{
    GString *s = g_string_new(t->tmpl);
    guint    i;

    for (i = 0; t->fields[i]; i++) {
        g_autofree char *ph  = g_strdup_printf("@%s@", t->fields[i]);
        g_autofree char *val = escape_for(t, t->fields[i], i == hostile ? payload : t->safe[i]);

        g_string_replace(s, ph, val, 0);
    }
    return g_string_free(s, FALSE);
}

static gboolean
bad_char(const char *v, gboolean secret, gboolean backslash_ok)
{
    const char *p;

    for (p = v; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);

        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
            return TRUE;
        if (!secret && (c == '"' || c == '\''))
            return TRUE;
        if (!secret && !backslash_ok && c == '\\')
            return TRUE;
    }
    return FALSE;
}

typedef struct {
    const char *ctx;
} CheckCtx;

static void
check_data(const char *key, const char *value, gpointer user_data)
{
    static const char *const allowed[] = {
        "gateway",
        "user",
        "domain",
        "ipsec-enabled",
        "ipsec-group-name",
        "ipsec-remote-id",
        "ipsec-ike",
        "mtu",
        "ipsec-psk-flags",
        "password-flags",
        "machine-auth-type",
        "refuse-pap",
        "refuse-chap",
        "refuse-mschap",
        "refuse-mschapv2",
        "refuse-eap",
        "require-mppe",
        "require-mppe-128",
        NULL,
    };
    const CheckCtx *ctx = user_data;

    if (!g_strv_contains(allowed, key))
        g_error("%s: unexpected key %s=%s", ctx->ctx, key, value);
    if (bad_char(value, FALSE, g_str_equal(key, "user")))
        g_error("%s: unsafe value %s=%s", ctx->ctx, key, value);
}

static void
check_secret(const char *key, const char *value, gpointer user_data)
{
    const CheckCtx *ctx = user_data;

    if (!g_str_equal(key, "ipsec-psk") && !g_str_equal(key, "password"))
        g_error("%s: unexpected secret %s", ctx->ctx, key);
    if (bad_char(value, TRUE, TRUE))
        g_error("%s: unsafe secret %s", ctx->ctx, key);
}

static void
test_injection(void)
{
    guint t, f, p, failed = 0, passed = 0;

    for (t = 0; t < G_N_ELEMENTS(templates); t++) {
        for (f = 0; templates[t].fields[f]; f++) {
            for (p = 0; p < G_N_ELEMENTS(payloads); p++) {
                g_autofree char *text = fill(&templates[t], f, payloads[p]);
                g_autofree char *ctx  = g_strdup_printf(
                    "%s field %s payload %u", templates[t].format, templates[t].fields[f], p);
                g_autoptr(GError) error   = NULL;
                g_autoptr(NMConnection) c = NULL;
                NMSettingVpn      *s_vpn;
                NMSettingIPConfig *s_ip4;
                CheckCtx           cc = { ctx };

                c = nm_l2tp_import_data(
                    (const guint8 *)text, strlen(text), templates[t].format, NULL, &error);
                if (!c) {
                    g_assert_nonnull(error);
                    if (!g_error_matches(error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT)
                        || !*error->message)
                        g_error("%s: unclear error %s", ctx, error->message);
                    failed++;
                    continue;
                }
                passed++;
                g_assert_no_error(error);
                if (bad_char(nm_connection_get_id(c), TRUE, TRUE)) /* names may quote */
                    g_error("%s: unsafe connection name", ctx);
                s_vpn = nm_connection_get_setting_vpn(c);
                nm_setting_vpn_foreach_data_item(s_vpn, check_data, &cc);
                nm_setting_vpn_foreach_secret(s_vpn, check_secret, &cc);
                s_ip4 = nm_connection_get_setting_ip4_config(c);
                g_assert_cmpstr(nm_setting_ip_config_get_method(s_ip4), ==, "auto");
                if (nm_setting_vpn_get_data_item(s_vpn, "ipsec-enabled"))
                    g_assert_cmpstr(
                        nm_setting_vpn_get_data_item(s_vpn, "ipsec-enabled"), ==, "yes");
            }
        }
    }
    g_test_message("hostile imports: %u refused, %u accepted safely", failed, passed);
    g_assert_cmpuint(failed, >, 50);
}

static void
test_huge(void)
{
    g_autofree char *tmpdir = g_dir_make_tmp("nm-l2tp-huge-XXXXXX", NULL);
    g_autofree char *path   = g_build_filename(tmpdir, "huge.conf", NULL);
    gsize            len    = 3 * 1024 * 1024;
    g_autofree char *big    = g_malloc(len);
    g_autoptr(GError) error = NULL;
    NMConnection *c;

    /* A valid start, then megabytes of a comment. */
    memset(big, '#', len);
    memcpy(big, "[vpn]\ngateway=a\n#", 17);
    g_assert_true(g_file_set_contents(path, big, len, NULL));
    c = nm_l2tp_import_file(path, NULL, &error);
    g_assert_null(c);
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT);
    g_assert_nonnull(strstr(error->message, "too large"));
    g_clear_error(&error);

    c = nm_l2tp_import_data((const guint8 *)big, NM_L2TP_IMPORT_MAX_SIZE + 1, "x", NULL, &error);
    g_assert_null(c);
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT);
    g_clear_error(&error);

    /* Not a regular file. */
    c = nm_l2tp_import_file(tmpdir, NULL, &error);
    g_assert_null(c);
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT);
    g_unlink(path);
    g_rmdir(tmpdir);
}

typedef struct {
    GMutex        lock;
    GCond         cond;
    const char   *path;
    gboolean      done;
    NMConnection *connection;
    GError       *error;
} ImportCall;

static gpointer
import_thread(gpointer data)
{
    ImportCall   *call  = data;
    GError       *error = NULL;
    NMConnection *c     = nm_l2tp_import_file(call->path, NULL, &error);

    g_mutex_lock(&call->lock);
    call->connection = c;
    call->error      = error;
    call->done       = TRUE;
    g_cond_signal(&call->cond);
    g_mutex_unlock(&call->lock);
    return NULL;
}

/* Imports @path in a thread and fails the test unless it answers within
 * 5 s: the editor calls the importer on its main loop. */
static void
assert_import_refused_at_once(const char *path, const char *reason)
{
    ImportCall *call = g_new0(ImportCall, 1);
    gint64      end  = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    call->path = path;
    g_mutex_init(&call->lock);
    g_cond_init(&call->cond);
    g_thread_unref(g_thread_new("import", import_thread, call));
    g_mutex_lock(&call->lock);
    while (!call->done) {
        if (!g_cond_wait_until(&call->cond, &call->lock, end))
            g_error("importing %s did not return within 5 s", path);
    }
    g_mutex_unlock(&call->lock);
    g_assert_null(call->connection);
    g_assert_error(call->error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT);
    if (!strstr(call->error->message, reason) || !strstr(call->error->message, path))
        g_error("error \"%s\" does not name %s and \"%s\"", call->error->message, path, reason);
    g_clear_error(&call->error);
    g_free(call);
}

/* A FIFO or a device is refused at once, without waiting for a writer or
 * reading without end. */
static void
test_special_files(void)
{
    g_autofree char *tmpdir = g_dir_make_tmp("nm-l2tp-fifo-XXXXXX", NULL);
    g_autofree char *fifo   = g_build_filename(tmpdir, "office.conf", NULL);

    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    assert_import_refused_at_once(fifo, "not a regular file");
    assert_import_refused_at_once("/dev/zero", "not a regular file");
    assert_import_refused_at_once(tmpdir, "not a regular file");
    g_unlink(fifo);
    g_rmdir(tmpdir);
}

/* The published example: a university's .pcf whose vpnc configuration,
 * posted beside it, gives the group password in clear. */
static void
test_pcf_published(void)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *plain =
        nm_l2tp_pcf_decrypt("F992230153F51928672DF6C7B9C61EF8437252CFBE28C1101EF1A119D077E93CCCEEE4"
                            "FE72E8A2DF5EC384E005F77577CCA7CCCA"
                            "231FE9D8",
                            &error);

    g_assert_no_error(error);
    g_assert_cmpstr(plain, ==, "student.uit.no");
}

static void
test_pcf_roundtrip(void)
{
    static const char *const pw[] = {
        "", "a", "1234567", "12345678", "p@ss w0rd with spaces!", "пароль-日本語", NULL
    };
    guint8 seed[20];
    guint  i, j;

    for (i = 0; pw[i]; i++) {
        g_autofree char *enc    = NULL;
        g_autofree char *plain  = NULL;
        g_autoptr(GError) error = NULL;

        for (j = 0; j < sizeof(seed); j++)
            seed[j] = (guint8)(i * 37 + j * 11 + (j == 19 ? 0xfe : 0));
        enc   = nm_l2tp_pcf_encrypt(pw[i], seed);
        plain = nm_l2tp_pcf_decrypt(enc, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(plain, ==, pw[i]);
    }
}

static void
test_pcf_damaged(void)
{
    static const char *const bad[] = {
        "",
        "ABC",
        "F992230153F51928672DF6C7B9C61EF8437252CFBE28C1101EF1A119D077E93CCCEEE4FE72E8A2DF5EC384E005"
        "F77577CCA7CCCA"
        "231FE9D9", /* last byte changed: checksum */
        "F992230153F51928672DF6C7B9C61EF8437252CFBE28C1101EF1A119D077E93CCCEEE4FE72E8A2DF5EC384E005"
        "F77577CCA7CCCA"
        "231FE9", /* truncated: not whole blocks */
        "G992230153F51928672DF6C7B9C61EF8437252CFBE28C1101EF1A119D077E93CCCEEE4FE72E8A2DF5EC384E005"
        "F77577CCA7CCCA"
        "231FE9D8", /* not hex */
        NULL,
    };
    guint i;

    for (i = 0; bad[i]; i++) {
        g_autoptr(GError) error = NULL;
        g_autofree char *plain  = nm_l2tp_pcf_decrypt(bad[i], &error);

        g_assert_null(plain);
        g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT);
    }
}

static void
test_detect(void)
{
    static const struct {
        const char        *text;
        NML2tpImportFormat fmt;
    } cases[] = {
        { "[main]\nHost=a\n", NM_L2TP_IMPORT_FORMAT_PCF },
        { "[MAIN]\r\n!Host=a\r\n", NM_L2TP_IMPORT_FORMAT_PCF },
        { "[connection]\nid=x\n[vpn]\ngateway=a\n", NM_L2TP_IMPORT_FORMAT_CONF },
        { "[Office]\nType=2\nVpnStrategy=3\n", NM_L2TP_IMPORT_FORMAT_PBK },
        { "  <?xml version=\"1.0\"?><plist/>", NM_L2TP_IMPORT_FORMAT_MOBILECONFIG },
        { "hello world\n", NM_L2TP_IMPORT_FORMAT_UNKNOWN },
    };
    guint i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++)
        g_assert_cmpint(nm_l2tp_import_detect((const guint8 *)cases[i].text, strlen(cases[i].text)),
                        ==,
                        cases[i].fmt);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/import/hostile/injection", test_injection);
    g_test_add_func("/import/hostile/huge", test_huge);
    g_test_add_func("/import/hostile/special-files", test_special_files);
    g_test_add_func("/import/pcf/published-vector", test_pcf_published);
    g_test_add_func("/import/pcf/encrypt-roundtrip", test_pcf_roundtrip);
    g_test_add_func("/import/pcf/damaged", test_pcf_damaged);
    g_test_add_func("/import/detect", test_detect);
    return g_test_run();
}
