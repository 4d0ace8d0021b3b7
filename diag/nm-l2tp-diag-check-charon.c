/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The strongSwan part of the preflight: the charon the service starts,
 * whether it speaks IKEv1 (L2TP/IPsec is IKEv1 almost everywhere), the
 * plugins the service's private charon loads, and a system charon the
 * service would use instead. */
#include "config.h"

#include "nm-l2tp-diag-check.h"

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "nm-l2tp-catalog.h"
#include "nm-l2tp-error.h"

/* The same as NM_L2TP_CHARON_PATH_DEFAULT of the service
 * (nm-plugin/nm-l2tp-charon.h), which has no fallback: this is the charon
 * that matters. */
#define CHARON_PATH "/usr/lib/ipsec/charon"

/* The plugins of the service's private charon (PRIVATE_PLUGINS in
 * nm-plugin/nm-l2tp-charon.c; keep the two in step) and the Debian package
 * that ships each one outside libstrongswan. */
static const struct {
    const char *name;
    const char *package;
} plugins[] = {
    { "random", "libstrongswan" },
    { "nonce", "libstrongswan" },
    { "aes", "libstrongswan" },
    { "sha1", "libstrongswan" },
    { "sha2", "libstrongswan" },
    { "md5", "libstrongswan" },
    { "hmac", "libstrongswan" },
    { "gmp", "libstrongswan" },
    { "openssl", "libstrongswan-standard-plugins" },
    { "kdf", "libstrongswan" },
    { "pem", "libstrongswan" },
    { "pkcs1", "libstrongswan" },
    { "pkcs8", "libstrongswan" },
    { "x509", "libstrongswan" },
    { "pubkey", "libstrongswan" },
    { "kernel-netlink", "libstrongswan" },
    { "socket-default", "strongswan-libcharon" },
    { "vici", "strongswan-swanctl" },
};

/* Where the service looks for a system charon (nm-plugin/nm-l2tp-charon.c). */
static const char *const vici_sockets[] = { "/run/charon.vici", "/var/run/charon.vici" };

#define VICI_TIMEOUT_S 2
#define VICI_MAX       (64 * 1024)

/* ---- VICI ------------------------------------------------------------ */

/* The VICI wire format, as far as a version request needs it: a packet is
 * a 32-bit big-endian length and that many bytes; a command request is
 * type 0, a one-byte name length and the name, then a message (empty
 * here); the answer is type 1 and a message of key-value elements (type
 * 3: one-byte key length, key, two-byte value length, value). */
enum { VICI_CMD_REQUEST = 0, VICI_CMD_RESPONSE = 1, VICI_KEY_VALUE = 3 };

static char *
vici_value(const guint8 *msg, gsize len, const char *key)
{
    gsize pos = 0;

    while (pos < len) {
        guint8 type = msg[pos++];
        guint  klen, vlen;

        if (type != VICI_KEY_VALUE || pos >= len)
            return NULL;
        klen = msg[pos++];
        if (pos + klen + 2 > len)
            return NULL;
        vlen = (msg[pos + klen] << 8) | msg[pos + klen + 1];
        if (pos + klen + 2 + vlen > len)
            return NULL;
        if (klen == strlen(key) && memcmp(msg + pos, key, klen) == 0)
            return g_strndup((const char *)msg + pos + klen + 2, vlen);
        pos += klen + 2 + vlen;
    }
    return NULL;
}

static gboolean
read_exactly(GSocket *sock, guint8 *buf, gsize len, GError **error)
{
    gsize got = 0;

    while (got < len) {
        gssize n = g_socket_receive(sock, (char *)buf + got, len - got, NULL, error);

        if (n < 0)
            return FALSE;
        if (n == 0) {
            g_set_error(
                error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL, _("the connection was closed"));
            return FALSE;
        }
        got += n;
    }
    return TRUE;
}

gboolean
nm_l2tp_diag_vici_probe(const char *path, char **out_version, GError **error)
{
    static const guint8 request[]  = { 0,   0,   0,   9,  VICI_CMD_REQUEST, 7, 'v', 'e', 'r',
                                       's', 'i', 'o', 'n' };
    g_autoptr(GSocket) sock        = NULL;
    g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);
    g_autofree guint8 *body        = NULL;
    guint8             head[4];
    guint32            len;
    gsize              sent = 0;

    sock =
        g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
    if (!sock)
        return FALSE;
    /* A charon that accepts but never answers must not hang the tool. */
    g_socket_set_timeout(sock, VICI_TIMEOUT_S);
    if (!g_socket_connect(sock, addr, NULL, error))
        return FALSE;
    while (sent < sizeof(request)) {
        gssize n =
            g_socket_send(sock, (const char *)request + sent, sizeof(request) - sent, NULL, error);

        if (n < 0)
            return FALSE;
        sent += n;
    }
    if (!read_exactly(sock, head, 4, error))
        return FALSE;
    len = ((guint32)head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3];
    if (len < 1 || len > VICI_MAX) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL, _("not a VICI answer"));
        return FALSE;
    }
    body = g_malloc(len);
    if (!read_exactly(sock, body, len, error))
        return FALSE;
    if (body[0] != VICI_CMD_RESPONSE) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL, _("not a VICI answer"));
        return FALSE;
    }
    if (out_version) {
        g_autofree char *daemon  = vici_value(body + 1, len - 1, "daemon");
        g_autofree char *version = vici_value(body + 1, len - 1, "version");

        *out_version =
            g_strdup_printf("%s %s", daemon ? daemon : "charon", version ? version : "?");
    }
    return TRUE;
}

/* ---- the checks -------------------------------------------------------- */

static void
add_charon_missing(GPtrArray *checks, const char *why)
{
    const NML2tpCauseInfo *info    = nm_l2tp_cause_get_info(NM_L2TP_CAUSE_CHARON_UNAVAILABLE);
    g_autoptr(NML2tpStageRecord) r = nm_l2tp_stage_record_new(
        NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_CHARON_UNAVAILABLE, why, 0);

    nm_l2tp_diag_check_add(checks,
                           "charon",
                           NM_L2TP_CHECK_PROBLEM,
                           _("strongSwan charon"),
                           nm_l2tp_stage_record_get_localized_message(r),
                           _(info->hint),
                           info->id);
}

/* Does the file contain @needle?  For a symbol name in a shared library. */
static gboolean
file_contains(const char *path, const char *needle)
{
    g_autoptr(GMappedFile) map = g_mapped_file_new(path, FALSE, NULL);
    const char *data;
    gsize       len, nlen = strlen(needle);

    if (!map)
        return FALSE;
    data = g_mapped_file_get_contents(map);
    len  = g_mapped_file_get_length(map);
    return data && len >= nlen && memmem(data, len, needle, nlen) != NULL;
}

/* IKEv1 is a build option of strongSwan.  Debian builds it in; a charon
 * built without it has no IKEv1 Main Mode task, whose constructor
 * main_mode_create is an exported symbol of libcharon. */
static void
check_ikev1(const NML2tpCheckContext *ctx, GPtrArray *checks, const char *charon_dir)
{
    const NML2tpCauseInfo *info  = nm_l2tp_cause_get_info(NM_L2TP_CAUSE_IKEV1_DISABLED);
    const char            *title = _("strongSwan IKEv1 support");
    g_autoptr(GDir) dir          = g_dir_open(charon_dir, 0, NULL);
    g_autofree char *lib         = NULL;
    const char      *name;

    while (dir && (name = g_dir_read_name(dir))) {
        if (g_str_has_prefix(name, "libcharon.so")) {
            g_free(lib);
            lib = g_build_filename(charon_dir, name, NULL);
            if (file_contains(lib, "main_mode_create")) {
                nm_l2tp_diag_check_add(checks,
                                       "charon-ikev1",
                                       NM_L2TP_CHECK_OK,
                                       title,
                                       g_strdup_printf(_("built in (%s has IKEv1 Main Mode)"), lib),
                                       NULL,
                                       NULL);
                return;
            }
        }
    }
    if (!lib) {
        nm_l2tp_diag_check_add(
            checks,
            "charon-ikev1",
            NM_L2TP_CHECK_INFO,
            title,
            g_strdup_printf(_("could not tell: no libcharon.so in %s"), charon_dir),
            NULL,
            NULL);
        return;
    }
    nm_l2tp_diag_check_add(
        checks,
        "charon-ikev1",
        NM_L2TP_CHECK_PROBLEM,
        title,
        g_strdup_printf(_("this strongSwan was built without IKEv1 (%s has no IKEv1 "
                          "Main Mode), which L2TP/IPsec servers use"),
                        lib),
        _(info->hint),
        info->id);
}

static void
check_plugins(GPtrArray *checks, const char *charon_dir, gboolean vici_answers)
{
    g_autoptr(GString) missing  = g_string_new(NULL);
    g_autoptr(GString) packages = g_string_new(NULL);
    gboolean no_vici            = FALSE;

    for (guint i = 0; i < G_N_ELEMENTS(plugins); i++) {
        g_autofree char *file = g_strdup_printf("libstrongswan-%s.so", plugins[i].name);
        g_autofree char *path = g_build_filename(charon_dir, "plugins", file, NULL);

        if (g_file_test(path, G_FILE_TEST_EXISTS))
            continue;
        g_string_append_printf(missing, "%s%s", missing->len ? " " : "", plugins[i].name);
        if (!strstr(packages->str, plugins[i].package))
            g_string_append_printf(packages, "%s%s", packages->len ? " " : "", plugins[i].package);
        no_vici = no_vici || g_str_equal(plugins[i].name, "vici");
    }
    if (!missing->len) {
        nm_l2tp_diag_check_add(checks,
                               "charon-plugins",
                               NM_L2TP_CHECK_OK,
                               _("strongSwan plugins"),
                               g_strdup(_("all plugins nm-l2tp's own charon loads are installed")),
                               NULL,
                               NULL);
        return;
    }
    {
        g_autofree char *hint = g_strdup_printf(_("install %s"), packages->str);

        /* With a system charon that answers, the service does not start its
         * own: then the missing plugins matter only if that one goes. */
        nm_l2tp_diag_check_add(
            checks,
            "charon-plugins",
            vici_answers ? NM_L2TP_CHECK_INFO : NM_L2TP_CHECK_PROBLEM,
            _("strongSwan plugins"),
            g_strdup_printf(_("plugins nm-l2tp's own charon loads are missing: %s"), missing->str),
            hint,
            no_vici ? "charon-unavailable" : NULL);
    }
}

/* The system charon: TRUE when one answers on its VICI socket. */
static gboolean
check_system_charon(const NML2tpCheckContext *ctx, GPtrArray *checks)
{
    const char      *title  = _("System charon (VICI)");
    g_autofree char *stale  = NULL;
    g_autofree char *denied = NULL;
    g_autofree char *seen   = NULL;

    for (guint i = 0; i < G_N_ELEMENTS(vici_sockets); i++) {
        g_autofree char *path    = nm_l2tp_diag_check_path(ctx, vici_sockets[i]);
        g_autofree char *real    = realpath(path, NULL);
        g_autofree char *version = NULL;
        g_autoptr(GError) error  = NULL;

        /* /var/run is usually a link to /run: probe each socket once. */
        if (!real || g_strcmp0(seen, real) == 0)
            continue;
        g_free(seen);
        seen = g_strdup(real);
        if (!ctx->probe_vici)
            continue;
        if (nm_l2tp_diag_vici_probe(path, &version, &error)) {
            nm_l2tp_diag_check_add(checks,
                                   "system-charon",
                                   NM_L2TP_CHECK_OK,
                                   title,
                                   g_strdup_printf(_("%s answers on %s; nm-l2tp uses it instead of "
                                                     "starting its own"),
                                                   version,
                                                   vici_sockets[i]),
                                   NULL,
                                   NULL);
            return TRUE;
        }
        if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
            denied = g_strdup(vici_sockets[i]);
        else if (!stale)
            stale = g_strdup_printf("%s: %s", vici_sockets[i], error->message);
    }
    if (denied) {
        nm_l2tp_diag_check_add(
            checks,
            "system-charon",
            NM_L2TP_CHECK_INFO,
            title,
            g_strdup_printf(_("%s exists but only root may connect to it"), denied),
            _("run nm-l2tp-diag --check as root to see whether it answers"),
            NULL);
        return FALSE;
    }
    if (stale) {
        nm_l2tp_diag_check_add(checks,
                               "system-charon",
                               NM_L2TP_CHECK_INFO,
                               title,
                               g_strdup_printf(_("a VICI socket exists but no charon answers (%s); "
                                                 "nm-l2tp starts its own charon"),
                                               stale),
                               NULL,
                               NULL);
        return FALSE;
    }
    nm_l2tp_diag_check_add(
        checks,
        "system-charon",
        NM_L2TP_CHECK_INFO,
        title,
        g_strdup(_("none runs; nm-l2tp starts its own charon for each connection")),
        NULL,
        NULL);
    return FALSE;
}

gboolean
nm_l2tp_diag_check_charon(const NML2tpCheckContext *ctx, GPtrArray *checks)
{
    g_autofree char *charon     = nm_l2tp_diag_check_path(ctx, CHARON_PATH);
    g_autofree char *charon_dir = g_path_get_dirname(charon);
    gboolean         vici_answers;

    if (!nm_l2tp_diag_check_is_program(charon)) {
        g_autofree char *why = g_strdup_printf(_("%s is not installed"), CHARON_PATH);

        add_charon_missing(checks, why);
    } else {
        nm_l2tp_diag_check_add(checks,
                               "charon",
                               NM_L2TP_CHECK_OK,
                               _("strongSwan charon"),
                               g_strdup_printf(_("installed (%s)"), CHARON_PATH),
                               NULL,
                               NULL);
    }
    check_ikev1(ctx, checks, charon_dir);
    vici_answers = check_system_charon(ctx, checks);
    check_plugins(checks, charon_dir, vici_answers);
    return vici_answers;
}
