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
#include "nm-l2tp-strongswan.h"
#include "nm-l2tp-vici-wire.h"

/* A charon that accepts but never answers, or answers a byte at a time,
 * must not hang the tool: each socket call waits at most this long, and
 * the whole probe not much longer. */
#define VICI_TIMEOUT_S 2

/* ---- VICI ------------------------------------------------------------ */

static gboolean
send_all(GSocket *sock, GBytes *bytes, GError **error)
{
    gsize         len;
    const guint8 *data = g_bytes_get_data(bytes, &len);

    while (len > 0) {
        gssize n = g_socket_send(sock, (const char *)data, len, NULL, error);

        if (n < 0)
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}

/* The first packet charon sends on @sock; with no event registered that
 * is the answer to our request. */
static NML2tpViciPacket *
receive_packet(GSocket *sock, GError **error)
{
    g_autoptr(NML2tpViciReader) reader = nm_l2tp_vici_reader_new();
    gint64 deadline = g_get_monotonic_time() + 2 * VICI_TIMEOUT_S * G_USEC_PER_SEC;
    guint8 buf[4096];

    for (;;) {
        GError           *local  = NULL;
        NML2tpViciPacket *packet = nm_l2tp_vici_reader_next(reader, &local);
        gssize            n;

        if (packet)
            return packet;
        if (local) {
            g_propagate_error(error, local);
            return NULL;
        }
        if (g_get_monotonic_time() > deadline) {
            g_set_error_literal(
                error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("no complete answer in time"));
            return NULL;
        }
        n = g_socket_receive(sock, (char *)buf, sizeof buf, NULL, error);
        if (n < 0)
            return NULL;
        if (n == 0) {
            g_set_error_literal(
                error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL, _("the connection was closed"));
            return NULL;
        }
        nm_l2tp_vici_reader_feed(reader, buf, n);
    }
}

gboolean
nm_l2tp_diag_vici_probe(const char *path, char **out_version, GError **error)
{
    g_autoptr(GSocket) sock           = NULL;
    g_autoptr(GSocketAddress) addr    = g_unix_socket_address_new(path);
    g_autoptr(GBytes) request         = NULL;
    g_autoptr(NML2tpViciPacket) reply = NULL;

    request = nm_l2tp_vici_packet_encode(NM_L2TP_VICI_CMD_REQUEST, "version", NULL, error);
    if (!request)
        return FALSE;
    sock =
        g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
    if (!sock)
        return FALSE;
    g_socket_set_timeout(sock, VICI_TIMEOUT_S);
    if (!g_socket_connect(sock, addr, NULL, error) || !send_all(sock, request, error))
        return FALSE;
    reply = receive_packet(sock, error);
    if (!reply)
        return FALSE;
    if (reply->type != NM_L2TP_VICI_CMD_RESPONSE) {
        g_set_error_literal(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL, _("not a VICI answer"));
        return FALSE;
    }
    if (out_version) {
        const char *daemon  = nm_l2tp_vici_message_get_string(reply->message, "daemon");
        const char *version = nm_l2tp_vici_message_get_string(reply->message, "version");

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
    g_autoptr(GString) missing        = g_string_new(NULL);
    g_autoptr(GString) packages       = g_string_new(NULL);
    gboolean                  no_vici = FALSE;
    guint                     n_plugins;
    const NML2tpCharonPlugin *plugins = nm_l2tp_charon_private_plugins(&n_plugins);

    for (guint i = 0; i < n_plugins; i++) {
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

    for (guint i = 0; nm_l2tp_charon_system_sockets[i]; i++) {
        const char      *sock_path = nm_l2tp_charon_system_sockets[i];
        g_autofree char *path      = nm_l2tp_diag_check_path(ctx, sock_path);
        g_autofree char *real      = realpath(path, NULL);
        g_autofree char *version   = NULL;
        g_autoptr(GError) error    = NULL;

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
                                                   sock_path),
                                   NULL,
                                   NULL);
            return TRUE;
        }
        if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
            denied = g_strdup(sock_path);
        else if (!stale)
            stale = g_strdup_printf("%s: %s", sock_path, error->message);
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
    g_autofree char *charon     = nm_l2tp_diag_check_path(ctx, NM_L2TP_CHARON_PATH_DEFAULT);
    g_autofree char *charon_dir = g_path_get_dirname(charon);
    gboolean         vici_answers;

    if (!nm_l2tp_diag_check_is_program(charon)) {
        g_autofree char *why =
            g_strdup_printf(_("%s is not installed"), NM_L2TP_CHARON_PATH_DEFAULT);

        add_charon_missing(checks, why);
    } else {
        nm_l2tp_diag_check_add(checks,
                               "charon",
                               NM_L2TP_CHECK_OK,
                               _("strongSwan charon"),
                               g_strdup_printf(_("installed (%s)"), NM_L2TP_CHARON_PATH_DEFAULT),
                               NULL,
                               NULL);
    }
    check_ikev1(ctx, checks, charon_dir);
    vici_answers = check_system_charon(ctx, checks);
    check_plugins(checks, charon_dir, vici_answers);
    return vici_answers;
}
