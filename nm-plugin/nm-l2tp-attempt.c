/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-attempt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <NetworkManager.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-ipsec.h"
#include "nm-l2tp-ppp-dbus.h"
#include "nm-l2tp-ppp-manager.h"
#include "nm-l2tp-report.h"
#include "nm-l2tp-writers.h"
#include "nm-l2tp-xl2tpd.h"

/* pppd's exit codes (pppd.h EXIT_*) that name a cause. */
#define PPPD_EXIT_NO_KERNEL_SUPPORT  4
#define PPPD_EXIT_USER_REQUEST       5
#define PPPD_EXIT_NEGOTIATION_FAILED 10
#define PPPD_EXIT_PEER_DEAD          15
#define PPPD_EXIT_HANGUP             16
#define PPPD_EXIT_AUTH_TOPEER_FAILED 19

/* Charon's own start may take a while on a slow machine; the IKE timeout
 * proper is enforced by the IPsec code, this only catches a hang. */
#define IKE_SAFETY_MARGIN_S 20

struct _NML2tpAttempt {
    GObject           parent;
    NML2tpSettings   *settings;
    GDBusConnection  *bus;
    char             *uuid;
    char             *name;
    char             *bus_name;
    char             *run_base;
    char             *run_dir;
    char             *ppp_plugin;
    char             *xl2tpd_path;
    char             *charon_path;
    gboolean          allow_system_charon;
    char             *gateway_address;
    guint             local_port;
    GTimer           *timer;
    NML2tpStage       stage;
    double            stage_started;
    NML2tpReport     *report;
    NML2tpIpsec      *ipsec;
    gboolean          ipsec_connecting;
    gboolean          ipsec_up;
    NML2tpXl2tpd     *xl2tpd;
    NML2tpPppManager *ppp;
    GCancellable     *cancellable;
    guint             timeout_id;
    NML2tpStageRecord *verdict;
    gboolean          connected;
    gboolean          stopping;
    GTask            *stop_task;   /* the caller's stop request */
    GTask            *settle_task; /* waits for a cancelled IPsec connect */
    char             *auth_method;
    char             *ppp_detail;
};

G_DEFINE_FINAL_TYPE(NML2tpAttempt, nm_l2tp_attempt, G_TYPE_OBJECT)

enum { SIGNAL_CONNECTED, SIGNAL_FAILED, SIGNAL_LOST, N_SIGNALS };
static guint signals[N_SIGNALS];

static void after_resolve(NML2tpAttempt *self);
static void start_l2tp(NML2tpAttempt *self);

double
nm_l2tp_attempt_get_elapsed(NML2tpAttempt *self)
{
    return g_timer_elapsed(self->timer, NULL);
}

const NML2tpStageRecord *
nm_l2tp_attempt_get_verdict(NML2tpAttempt *self)
{
    return self->verdict;
}

static void
save_report(NML2tpAttempt *self)
{
    g_autoptr(GError) error = NULL;

    if (!nm_l2tp_report_save(self->report, self->run_base, &error))
        g_warning("nm-l2tp: cannot write the last-attempt report: %s", error->message);
}

/* Each line of charon, xl2tpd and pppd goes to the service's stderr,
 * which NetworkManager puts in its log when it runs with --debug. */
static void
log_line(NML2tpAttempt *self, const char *source, const char *line)
{
    g_printerr("nm-l2tp[%s] %s: %s\n", self->name, source, line);
}

/* The one line per attempt that names connection, stage, cause and time.
 * NM_CONNECTION lets `journalctl NM_CONNECTION=<uuid>` find it. */
static void
log_verdict(NML2tpAttempt *self, const NML2tpStageRecord *record)
{
    g_autofree char *what = NULL;

    if (record->cause == NM_L2TP_CAUSE_NONE)
        what = g_strdup_printf("connected after %.1f s", record->seconds);
    else
        what = nm_l2tp_stage_record_to_string(record);
    g_log_structured(G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "NM_CONNECTION", self->uuid, "MESSAGE", "l2tp \"%s\": %s",
                     self->name, what);
}

static void
clear_timeout(NML2tpAttempt *self)
{
    g_clear_handle_id(&self->timeout_id, g_source_remove);
}

static void fail(NML2tpAttempt *self, NML2tpStage stage, NML2tpCause cause, const char *detail);

static gboolean
stage_timeout_cb(gpointer user_data)
{
    NML2tpAttempt   *self   = user_data;
    g_autofree char *detail = NULL;
    NML2tpCause      cause  = NM_L2TP_CAUSE_TIMEOUT;

    self->timeout_id = 0;
    switch (self->stage) {
    case NM_L2TP_STAGE_L2TP_TUNNEL:
        cause  = NM_L2TP_CAUSE_L2TP_NO_RESPONSE;
        detail = g_strdup(self->gateway_address);
        break;
    case NM_L2TP_STAGE_PPP_LCP:
        cause = NM_L2TP_CAUSE_LCP_TIMEOUT;
        break;
    default:
        detail = g_strdup_printf(_("no progress after %.0f s"), nm_l2tp_attempt_get_elapsed(self) - self->stage_started);
        break;
    }
    fail(self, self->stage, cause, detail);
    return G_SOURCE_REMOVE;
}

static void
arm_timeout(NML2tpAttempt *self, gint64 seconds)
{
    clear_timeout(self);
    self->timeout_id = g_timeout_add_seconds((guint) seconds, stage_timeout_cb, self);
}

/* Moves the timeline on: every stage before @stage that was entered is
 * passed, @stage starts now. */
static void
enter_stage(NML2tpAttempt *self, NML2tpStage stage)
{
    double now = nm_l2tp_attempt_get_elapsed(self);

    if (stage <= self->stage && self->stage_started >= 0)
        return;
    if (self->stage_started >= 0) {
        NML2tpStage s;

        nm_l2tp_report_set_stage(self->report, nm_l2tp_stage_to_string(self->stage), NM_L2TP_STAGE_STATE_PASSED,
                                 now - self->stage_started, NULL);
        /* Stages the events skipped (a session up without a separate tunnel
         * event) passed in no measurable time. */
        for (s = self->stage + 1; s < stage; s++) {
            /* Without IPsec its stages are not part of the timeline. */
            if (!self->settings->ipsec_enabled && (s == NM_L2TP_STAGE_IKE_PHASE1 || s == NM_L2TP_STAGE_IKE_PHASE2))
                continue;
            nm_l2tp_report_set_stage(self->report, nm_l2tp_stage_to_string(s), NM_L2TP_STAGE_STATE_PASSED, 0, NULL);
        }
    }
    self->stage         = stage;
    self->stage_started = now;
    g_debug("nm-l2tp[%s]: stage %s at %.2f s", self->name, nm_l2tp_stage_to_string(stage), now);
}

static void
finish_with(NML2tpAttempt *self, NML2tpStageRecord *record)
{
    NML2tpStage s;

    clear_timeout(self);
    g_clear_pointer(&self->verdict, nm_l2tp_stage_record_free);
    self->verdict = record;
    nm_l2tp_report_set_stage(self->report, nm_l2tp_stage_to_string(record->stage), NM_L2TP_STAGE_STATE_FAILED,
                             self->stage_started >= 0 ? record->seconds - self->stage_started : 0, record->detail);
    for (s = record->stage + 1; s < NM_L2TP_STAGE_N; s++)
        nm_l2tp_report_set_stage(self->report, nm_l2tp_stage_to_string(s), NM_L2TP_STAGE_STATE_NOT_REACHED, -1, NULL);
    nm_l2tp_report_set_verdict(self->report, NM_L2TP_OUTCOME_FAILED, nm_l2tp_stage_to_string(record->stage),
                               nm_l2tp_cause_to_string(record->cause), record->message, record->hint,
                               record->wrong_secret == NM_L2TP_SECRET_NONE
                                   ? NULL
                                   : nm_l2tp_wrong_secret_to_string(record->wrong_secret));
    save_report(self);
    log_verdict(self, record);
    g_signal_emit(self, signals[self->connected ? SIGNAL_LOST : SIGNAL_FAILED], 0, record);
}

static void
fail(NML2tpAttempt *self, NML2tpStage stage, NML2tpCause cause, const char *detail)
{
    /* The first failure is the verdict; what follows is its consequence
     * (pppd exiting after an authentication failure, and so on). */
    if (self->stopping || (self->verdict && !self->connected) || (self->connected && self->verdict))
        return;
    finish_with(self, nm_l2tp_stage_record_new(stage, cause, detail, nm_l2tp_attempt_get_elapsed(self)));
}

/* ---- Resolve ---------------------------------------------------------- */

static void
resolved_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GError) error = NULL;
    GList         *addresses;
    GList         *l;
    NML2tpAttempt *self;

    addresses = g_resolver_lookup_by_name_finish(G_RESOLVER(source), result, &error);
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
    self = user_data;
    for (l = addresses; l; l = l->next) {
        if (g_inet_address_get_family(l->data) == G_SOCKET_FAMILY_IPV4) {
            self->gateway_address = g_inet_address_to_string(l->data);
            break;
        }
    }
    g_resolver_free_addresses(addresses);
    if (!self->gateway_address) {
        /* xl2tpd speaks L2TP over IPv4 only. */
        fail(self, NM_L2TP_STAGE_RESOLVE, NM_L2TP_CAUSE_RESOLVE_FAILED, self->settings->gateway);
        return;
    }
    after_resolve(self);
}

/* ---- Local port and run directory ------------------------------------- */

static guint
pick_local_port(gboolean ephemeral)
{
    g_autoptr(GSocket) sock        = NULL;
    g_autoptr(GInetAddress) any    = g_inet_address_new_any(G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) addr = NULL;
    g_autoptr(GSocketAddress) got  = NULL;

    sock = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
    if (!sock)
        return 1701;
    /* 1701 when it is free; when another L2TP client holds it (a system
     * xl2tpd), a port the kernel picks, and the IPsec selectors follow. */
    if (!ephemeral) {
        addr = g_inet_socket_address_new(any, 1701);
        if (g_socket_bind(sock, addr, FALSE, NULL))
            return 1701;
        g_clear_object(&addr);
    }
    addr = g_inet_socket_address_new(any, 0);
    if (!g_socket_bind(sock, addr, FALSE, NULL))
        return 1701;
    got = g_socket_get_local_address(sock, NULL);
    return got ? g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(got)) : 1701;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    if (remove(path) != 0 && errno != ENOENT)
        g_warning("nm-l2tp: cannot remove %s: %s", path, g_strerror(errno));
    return 0;
}

static void
remove_run_dir(NML2tpAttempt *self)
{
    if (self->run_dir && g_file_test(self->run_dir, G_FILE_TEST_IS_DIR))
        nftw(self->run_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static gboolean
make_run_dir(NML2tpAttempt *self, GError **error)
{
    int errsv;

    if (g_mkdir_with_parents(self->run_base, 0755) != 0) {
        errsv = errno;
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, _("cannot create %s: %s"), self->run_base,
                    g_strerror(errsv));
        return FALSE;
    }
    /* Left over from a service that crashed: it was ours, start clean. */
    remove_run_dir(self);
    if (g_mkdir(self->run_dir, 0700) != 0) {
        errsv = errno;
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, _("cannot create %s: %s"), self->run_dir,
                    g_strerror(errsv));
        return FALSE;
    }
    return TRUE;
}

static void
fill_writer_params(NML2tpAttempt *self, NML2tpWriterParams *p)
{
    *p = (NML2tpWriterParams){
        .uuid            = self->uuid,
        .gateway_address = self->gateway_address,
        .local_port      = self->local_port,
        .run_dir         = self->run_dir,
        .ppp_plugin      = self->ppp_plugin,
        .bus_name        = self->bus_name,
    };
}

/* ---- IPsec ------------------------------------------------------------ */

static void
ipsec_log_cb(NML2tpIpsec *ipsec, const char *group, const char *msg, gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    log_line(self, "ike", msg);
    /* The IPsec code reports only its final stage; the IKE SA coming up
     * is the end of phase 1 on the timeline. */
    if (self->stage == NM_L2TP_STAGE_IKE_PHASE1 && strstr(msg, "IKE_SA") && strstr(msg, "established"))
        enter_stage(self, NM_L2TP_STAGE_IKE_PHASE2);
}

static void
ipsec_down_cb(NML2tpIpsec *ipsec, NML2tpStageRecord *record, gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    self->ipsec_up = FALSE;
    fail(self, record->stage, record->cause, record->detail);
}

static void
ipsec_connected_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpAttempt) self = user_data;
    g_autoptr(GError) error       = NULL;
    const NML2tpStageRecord *record;

    self->ipsec_connecting = FALSE;
    if (self->stopping) {
        /* Stop waited for us; it continues with the IPsec teardown. */
        if (self->settle_task)
            g_task_return_boolean(g_steal_pointer(&self->settle_task), TRUE);
        return;
    }
    if (!nm_l2tp_ipsec_connect_finish(NM_L2TP_IPSEC(source), result, &error)) {
        record = nm_l2tp_ipsec_get_record(NM_L2TP_IPSEC(source));
        if (record)
            fail(self, record->stage, record->cause, record->detail);
        else
            fail(self, self->stage, NM_L2TP_CAUSE_INTERNAL, error->message);
        return;
    }
    self->ipsec_up = TRUE;
    enter_stage(self, NM_L2TP_STAGE_IKE_PHASE2);
    enter_stage(self, NM_L2TP_STAGE_L2TP_TUNNEL);
    start_l2tp(self);
}

static void
start_ipsec(NML2tpAttempt *self)
{
    NML2tpWriterParams params;
    NML2tpIpsecOptions options = {
        .allow_system_charon = self->allow_system_charon,
        .charon_path         = self->charon_path,
    };

    fill_writer_params(self, &params);
    arm_timeout(self, self->settings->timeout_ike * 2 + IKE_SAFETY_MARGIN_S);
    self->ipsec = nm_l2tp_ipsec_new(self->settings, &params, &options);
    g_signal_connect(self->ipsec, "log", G_CALLBACK(ipsec_log_cb), self);
    g_signal_connect(self->ipsec, "down", G_CALLBACK(ipsec_down_cb), self);
    self->ipsec_connecting = TRUE;
    nm_l2tp_ipsec_connect_async(self->ipsec, self->cancellable, ipsec_connected_cb, g_object_ref(self));
}

/* ---- L2TP and PPP ----------------------------------------------------- */

static void
xl2tpd_line_cb(NML2tpXl2tpd *xl2tpd, const char *line, gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    log_line(self, "l2tp", line);
    /* pppd's own words carry what its exit code cannot: MS-CHAP's error
     * number, or the missing kernel support. */
    if (strstr(line, "E=691") || strstr(line, "authentication failed")) {
        g_free(self->ppp_detail);
        self->ppp_detail = g_strdup(strstr(line, "E=691") ? "E=691" : line);
    }
    if (strstr(line, "lacks kernel support for PPP") || strstr(line, "/dev/ppp"))
        fail(self, NM_L2TP_STAGE_PPP_LCP, NM_L2TP_CAUSE_NO_DEV_PPP, NULL);
}

static void
xl2tpd_event_cb(NML2tpXl2tpd *xl2tpd, int event, const char *detail, gpointer user_data)
{
    NML2tpAttempt *self    = user_data;
    g_autoptr(GError) error = NULL;

    switch ((NML2tpXl2tpdEvent) event) {
    case NM_L2TP_XL2TPD_EVENT_READY:
        if (!nm_l2tp_xl2tpd_dial(xl2tpd, &error))
            fail(self, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_INTERNAL, error->message);
        break;
    case NM_L2TP_XL2TPD_EVENT_TUNNEL_UP:
        enter_stage(self, NM_L2TP_STAGE_L2TP_SESSION);
        break;
    case NM_L2TP_XL2TPD_EVENT_SESSION_UP:
        enter_stage(self, NM_L2TP_STAGE_PPP_LCP);
        arm_timeout(self, self->settings->timeout_ppp);
        break;
    case NM_L2TP_XL2TPD_EVENT_NO_RESPONSE:
        fail(self, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_L2TP_NO_RESPONSE, self->gateway_address);
        break;
    case NM_L2TP_XL2TPD_EVENT_TUNNEL_CLOSED:
        if (self->stage <= NM_L2TP_STAGE_L2TP_TUNNEL)
            fail(self, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_L2TP_STOPCCN, detail);
        else if (self->stage == NM_L2TP_STAGE_L2TP_SESSION)
            fail(self, NM_L2TP_STAGE_L2TP_SESSION, NM_L2TP_CAUSE_L2TP_CDN, detail);
        else if (self->connected)
            fail(self, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_L2TP_STOPCCN, detail);
        break;
    case NM_L2TP_XL2TPD_EVENT_SESSION_CLOSED:
        if (self->stage <= NM_L2TP_STAGE_L2TP_SESSION)
            fail(self, NM_L2TP_STAGE_L2TP_SESSION, NM_L2TP_CAUSE_L2TP_CDN, detail);
        break;
    case NM_L2TP_XL2TPD_EVENT_NO_KERNEL:
        log_line(self, "l2tp", "no kernel L2TP support; xl2tpd uses its user-space mode");
        break;
    case NM_L2TP_XL2TPD_EVENT_PPPD_EXITED:
        /* The plugin's SetExitStatus came first and named the cause; this
         * covers a pppd that died before the plugin could speak. */
        fail(self, MAX(self->stage, NM_L2TP_STAGE_PPP_LCP), NM_L2TP_CAUSE_LCP_TERMINATED, detail);
        break;
    case NM_L2TP_XL2TPD_EVENT_EXITED:
        fail(self, MAX(self->stage, NM_L2TP_STAGE_L2TP_TUNNEL), NM_L2TP_CAUSE_INTERNAL, detail);
        break;
    }
}

static void
ppp_phase_cb(NML2tpPppManager *ppp, guint phase, gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    switch ((NML2tpPppPhase) phase) {
    case NM_L2TP_PPP_PHASE_ESTABLISH:
        enter_stage(self, NM_L2TP_STAGE_PPP_LCP);
        break;
    case NM_L2TP_PPP_PHASE_AUTHENTICATE:
        enter_stage(self, NM_L2TP_STAGE_PPP_AUTH);
        break;
    case NM_L2TP_PPP_PHASE_NETWORK:
        enter_stage(self, NM_L2TP_STAGE_PPP_NETWORK);
        break;
    default:
        break;
    }
}

static void
ppp_auth_result_cb(NML2tpPppManager *ppp, const char *method, gboolean success, gpointer user_data)
{
    NML2tpAttempt   *self   = user_data;
    g_autofree char *detail = NULL;

    g_free(self->auth_method);
    self->auth_method = g_strdup(method);
    if (success)
        return;
    detail = self->ppp_detail ? g_strdup_printf("%s, %s", method, self->ppp_detail) : g_strdup(method);
    fail(self, NM_L2TP_STAGE_PPP_AUTH, NM_L2TP_CAUSE_PPP_AUTH_REJECTED, detail);
}

static void
ppp_exit_status_cb(NML2tpPppManager *ppp, guint status, gpointer user_data)
{
    NML2tpAttempt   *self   = user_data;
    g_autofree char *detail = g_strdup_printf(_("pppd exit code %u"), status);

    switch (status) {
    case PPPD_EXIT_USER_REQUEST:
        break;
    case PPPD_EXIT_NO_KERNEL_SUPPORT:
        fail(self, NM_L2TP_STAGE_PPP_LCP, NM_L2TP_CAUSE_NO_DEV_PPP, NULL);
        break;
    case PPPD_EXIT_AUTH_TOPEER_FAILED:
        fail(self, NM_L2TP_STAGE_PPP_AUTH, NM_L2TP_CAUSE_PPP_AUTH_REJECTED,
             self->ppp_detail ? self->ppp_detail : self->auth_method);
        break;
    case PPPD_EXIT_PEER_DEAD:
        fail(self, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT, NULL);
        break;
    case PPPD_EXIT_NEGOTIATION_FAILED:
        if (self->stage == NM_L2TP_STAGE_PPP_NETWORK)
            fail(self, NM_L2TP_STAGE_PPP_NETWORK, NM_L2TP_CAUSE_IPCP_REFUSED, detail);
        else if (self->stage == NM_L2TP_STAGE_PPP_AUTH || self->stage == NM_L2TP_STAGE_PPP_LCP)
            fail(self, self->stage, NM_L2TP_CAUSE_PPP_AUTH_METHOD_REFUSED, detail);
        else
            fail(self, MAX(self->stage, NM_L2TP_STAGE_PPP_LCP), NM_L2TP_CAUSE_LCP_TERMINATED, detail);
        break;
    default:
        fail(self, MAX(self->stage, NM_L2TP_STAGE_PPP_LCP), NM_L2TP_CAUSE_LCP_TERMINATED, detail);
        break;
    }
}

static GVariant *
ipv4_array(GVariant *config, const char *key)
{
    g_autoptr(GVariant) v = g_variant_lookup_value(config, key, G_VARIANT_TYPE("au"));

    return v ? g_variant_ref(v) : NULL;
}

static void
ppp_ip4_config_cb(NML2tpPppManager *ppp, GVariant *config, gpointer user_data)
{
    NML2tpAttempt  *self = user_data;
    GVariantBuilder general, ip4;
    guint32         address = 0, peer = 0, mtu = 0;
    struct in_addr  gw;
    const char     *iface = NULL;
    GVariant       *dns, *wins;
    NML2tpStageRecord *record;

    g_variant_lookup(config, NM_L2TP_PPP_IP4_ADDRESS, "u", &address);
    g_variant_lookup(config, NM_L2TP_PPP_IP4_PEER, "u", &peer);
    g_variant_lookup(config, NM_L2TP_PPP_IP4_MTU, "u", &mtu);
    g_variant_lookup(config, NM_L2TP_PPP_IP4_IFACE, "&s", &iface);
    if (!address || !iface) {
        fail(self, NM_L2TP_STAGE_PPP_NETWORK, NM_L2TP_CAUSE_IPCP_NO_ADDRESS, NULL);
        return;
    }

    g_variant_builder_init(&general, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&general, "{sv}", NM_VPN_PLUGIN_CONFIG_TUNDEV, g_variant_new_string(iface));
    /* NetworkManager keeps a host route to this address through the
     * underlying device, so IKE and L2TP packets do not enter the tunnel. */
    inet_pton(AF_INET, self->gateway_address, &gw);
    g_variant_builder_add(&general, "{sv}", NM_VPN_PLUGIN_CONFIG_EXT_GATEWAY, g_variant_new_uint32(gw.s_addr));
    g_variant_builder_add(&general, "{sv}", NM_VPN_PLUGIN_CONFIG_HAS_IP4, g_variant_new_boolean(TRUE));
    if (mtu)
        g_variant_builder_add(&general, "{sv}", NM_VPN_PLUGIN_CONFIG_MTU, g_variant_new_uint32(mtu));

    g_variant_builder_init(&ip4, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&ip4, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_ADDRESS, g_variant_new_uint32(address));
    g_variant_builder_add(&ip4, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_PREFIX, g_variant_new_uint32(32));
    if (peer)
        g_variant_builder_add(&ip4, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_PTP, g_variant_new_uint32(peer));
    if ((dns = ipv4_array(config, NM_L2TP_PPP_IP4_DNS)))
        g_variant_builder_add(&ip4, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_DNS, dns);
    if ((wins = ipv4_array(config, NM_L2TP_PPP_IP4_WINS)))
        g_variant_builder_add(&ip4, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_NBNS, wins);

    enter_stage(self, NM_L2TP_STAGE_CONNECTED);
    clear_timeout(self);
    self->connected = TRUE;
    record          = nm_l2tp_stage_record_new(NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_NONE,
                                               self->auth_method, nm_l2tp_attempt_get_elapsed(self));
    nm_l2tp_report_set_stage(self->report, "connected", NM_L2TP_STAGE_STATE_PASSED, 0, NULL);
    nm_l2tp_report_set_verdict(self->report, NM_L2TP_OUTCOME_CONNECTED, NULL, NULL, NULL, NULL, NULL);
    save_report(self);
    log_verdict(self, record);
    nm_l2tp_stage_record_free(record);
    g_signal_emit(self, signals[SIGNAL_CONNECTED], 0, g_variant_builder_end(&general), g_variant_builder_end(&ip4));
}

static void
start_l2tp(NML2tpAttempt *self)
{
    g_autoptr(GError) error    = NULL;
    g_autoptr(GVariant) unused = NULL;
    g_autofree char *conf      = NULL;
    g_autofree char *options   = NULL;
    g_autofree char *user      = NULL;
    NML2tpWriterParams params;

    enter_stage(self, NM_L2TP_STAGE_L2TP_TUNNEL);
    arm_timeout(self, self->settings->timeout_l2tp);
    fill_writer_params(self, &params);
    conf    = nm_l2tp_xl2tpd_conf_build(self->settings, &params);
    options = nm_l2tp_pppd_options_build(self->settings, &params);

    self->ppp = nm_l2tp_ppp_manager_new(self->bus, &error);
    if (!self->ppp) {
        fail(self, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_INTERNAL, error->message);
        return;
    }
    user = nm_l2tp_settings_dup_ppp_user(self->settings);
    nm_l2tp_ppp_manager_set_credentials(self->ppp, user, self->settings->password);
    g_signal_connect(self->ppp, "phase", G_CALLBACK(ppp_phase_cb), self);
    g_signal_connect(self->ppp, "auth-result", G_CALLBACK(ppp_auth_result_cb), self);
    g_signal_connect(self->ppp, "ip4-config", G_CALLBACK(ppp_ip4_config_cb), self);
    g_signal_connect(self->ppp, "exit-status", G_CALLBACK(ppp_exit_status_cb), self);

    self->xl2tpd = nm_l2tp_xl2tpd_new(self->run_dir, self->uuid);
    g_signal_connect(self->xl2tpd, "line", G_CALLBACK(xl2tpd_line_cb), self);
    g_signal_connect(self->xl2tpd, "event", G_CALLBACK(xl2tpd_event_cb), self);
    if (!nm_l2tp_xl2tpd_start(self->xl2tpd, self->xl2tpd_path, conf, options, &error))
        fail(self, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_INTERNAL, error->message);
}

/* After the gateway's address is known: the run directory, the port, then
 * IPsec (or straight to L2TP for the rare profile without IPsec). */
static void
after_resolve(NML2tpAttempt *self)
{
    g_autoptr(GError) error = NULL;

    if (self->settings->ipsec_enabled)
        enter_stage(self, NM_L2TP_STAGE_IKE_PHASE1);
    if (!make_run_dir(self, &error)) {
        fail(self, self->stage, NM_L2TP_CAUSE_INTERNAL, error->message);
        return;
    }
    self->local_port = pick_local_port(self->settings->ephemeral_port);
    if (self->settings->ipsec_enabled)
        start_ipsec(self);
    else
        start_l2tp(self);
}

/* ---- Public API ------------------------------------------------------- */

void
nm_l2tp_attempt_start(NML2tpAttempt *self)
{
    g_autoptr(GInetAddress) literal = g_inet_address_new_from_string(self->settings->gateway);

    g_timer_start(self->timer);
    self->stage         = NM_L2TP_STAGE_RESOLVE;
    self->stage_started = 0;
    nm_l2tp_report_set_verdict(self->report, NM_L2TP_OUTCOME_IN_PROGRESS, NULL, NULL, NULL, NULL, NULL);
    save_report(self);
    if (literal) {
        if (g_inet_address_get_family(literal) != G_SOCKET_FAMILY_IPV4) {
            fail(self, NM_L2TP_STAGE_RESOLVE, NM_L2TP_CAUSE_RESOLVE_FAILED, self->settings->gateway);
            return;
        }
        self->gateway_address = g_strdup(self->settings->gateway);
        after_resolve(self);
        return;
    }
    arm_timeout(self, self->settings->timeout_ike);
    g_resolver_lookup_by_name_async(g_resolver_get_default(), self->settings->gateway, self->cancellable, resolved_cb,
                                    self);
}

gboolean
nm_l2tp_attempt_can_retry_password(NML2tpAttempt *self)
{
    return self->verdict && !self->connected && !self->stopping
           && self->verdict->wrong_secret == NM_L2TP_SECRET_PASSWORD && self->xl2tpd
           && nm_l2tp_xl2tpd_is_running(self->xl2tpd) && (!self->settings->ipsec_enabled || self->ipsec_up);
}

gboolean
nm_l2tp_attempt_retry_password(NML2tpAttempt *self, const char *password, GError **error)
{
    g_autofree char *user = NULL;
    NML2tpStage      s;

    if (!nm_l2tp_attempt_can_retry_password(self)) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, _("the connection cannot try a new password now"));
        return FALSE;
    }
    g_free(self->settings->password);
    self->settings->password = g_strdup(password);
    user                     = nm_l2tp_settings_dup_ppp_user(self->settings);
    nm_l2tp_ppp_manager_set_credentials(self->ppp, user, password);
    g_clear_pointer(&self->verdict, nm_l2tp_stage_record_free);
    g_clear_pointer(&self->ppp_detail, g_free);

    /* The IPsec SA stays; the timeline continues from L2TP. */
    for (s = NM_L2TP_STAGE_L2TP_TUNNEL; s < NM_L2TP_STAGE_N; s++)
        nm_l2tp_report_set_stage(self->report, nm_l2tp_stage_to_string(s), NM_L2TP_STAGE_STATE_NOT_REACHED, -1, NULL);
    nm_l2tp_report_set_verdict(self->report, NM_L2TP_OUTCOME_IN_PROGRESS, NULL, NULL, NULL, NULL, NULL);
    self->stage         = NM_L2TP_STAGE_L2TP_TUNNEL;
    self->stage_started = nm_l2tp_attempt_get_elapsed(self);
    arm_timeout(self, self->settings->timeout_l2tp);
    return nm_l2tp_xl2tpd_dial(self->xl2tpd, error);
}

static void stop_step(NML2tpAttempt *self);

static void
stop_ipsec_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
    NML2tpAttempt *self     = user_data;
    g_autoptr(GError) error = NULL;

    if (!nm_l2tp_ipsec_disconnect_finish(NM_L2TP_IPSEC(source), result, &error))
        g_warning("nm-l2tp[%s]: IPsec teardown: %s", self->name, error->message);
    g_signal_handlers_disconnect_by_data(self->ipsec, self);
    g_clear_object(&self->ipsec);
    stop_step(self);
}

static void
stop_xl2tpd_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    nm_l2tp_xl2tpd_stop_finish(NM_L2TP_XL2TPD(source), result, NULL);
    g_signal_handlers_disconnect_by_data(self->xl2tpd, self);
    g_clear_object(&self->xl2tpd);
    stop_step(self);
}

static void
ipsec_settled_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    stop_step(user_data);
}

/* Top-down: PPP and L2TP first (xl2tpd sends StopCCN and ends pppd, still
 * through the SA), then IPsec, then the files. */
static void
stop_step(NML2tpAttempt *self)
{
    g_autoptr(GTask) task = NULL;

    if (self->xl2tpd) {
        nm_l2tp_xl2tpd_stop_async(self->xl2tpd, stop_xl2tpd_done, self);
        return;
    }
    if (self->ppp) {
        g_signal_handlers_disconnect_by_data(self->ppp, self);
        g_clear_object(&self->ppp);
    }
    if (self->ipsec && self->ipsec_connecting) {
        /* Wait for the cancelled connect to return before unloading. */
        self->settle_task = g_task_new(self, NULL, ipsec_settled_cb, self);
        return;
    }
    if (self->ipsec) {
        nm_l2tp_ipsec_disconnect_async(self->ipsec, NULL, stop_ipsec_done, self);
        return;
    }
    remove_run_dir(self);
    task = g_steal_pointer(&self->stop_task);
    if (task)
        g_task_return_boolean(task, TRUE);
}

void
nm_l2tp_attempt_stop_async(NML2tpAttempt *self, GAsyncReadyCallback callback, gpointer user_data)
{
    GTask *task = g_task_new(self, NULL, callback, user_data);

    if (self->stopping) {
        g_task_return_new_error(task, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "already stopping");
        g_object_unref(task);
        return;
    }
    self->stopping = TRUE;
    clear_timeout(self);
    g_cancellable_cancel(self->cancellable);
    /* The task keeps the attempt alive until the teardown is complete. */
    self->stop_task = task;
    stop_step(self);
}

gboolean
nm_l2tp_attempt_stop_finish(NML2tpAttempt *self, GAsyncResult *result, GError **error)
{
    return g_task_propagate_boolean(G_TASK(result), error);
}

NML2tpAttempt *
nm_l2tp_attempt_new(NML2tpSettings *settings, GDBusConnection *bus, const NML2tpAttemptOptions *options)
{
    NML2tpAttempt *self = g_object_new(NM_L2TP_TYPE_ATTEMPT, NULL);

    self->settings            = settings;
    self->bus                 = g_object_ref(bus);
    self->uuid                = g_strdup(options->uuid);
    self->name                = g_strdup(options->name ? options->name : options->uuid);
    self->bus_name            = g_strdup(options->bus_name);
    self->run_base            = g_strdup(options->run_base ? options->run_base : NM_L2TP_RUNDIR);
    self->run_dir             = g_build_filename(self->run_base, self->uuid, NULL);
    self->ppp_plugin          = g_strdup(options->ppp_plugin ? options->ppp_plugin
                                                             : NM_L2TP_PPPD_PLUGIN_DIR "/nm-l2tp-pppd-plugin.so");
    self->xl2tpd_path         = g_strdup(options->xl2tpd_path);
    self->charon_path         = g_strdup(options->charon_path);
    self->allow_system_charon = options->allow_system_charon;
    self->report              = nm_l2tp_report_new(self->uuid, self->name);
    return self;
}

static void
nm_l2tp_attempt_init(NML2tpAttempt *self)
{
    self->timer         = g_timer_new();
    self->cancellable   = g_cancellable_new();
    self->stage_started = -1;
}

static void
dispose(GObject *object)
{
    NML2tpAttempt *self = NM_L2TP_ATTEMPT(object);

    clear_timeout(self);
    g_cancellable_cancel(self->cancellable);
    if (self->ppp)
        g_signal_handlers_disconnect_by_data(self->ppp, self);
    if (self->xl2tpd)
        g_signal_handlers_disconnect_by_data(self->xl2tpd, self);
    if (self->ipsec)
        g_signal_handlers_disconnect_by_data(self->ipsec, self);
    g_clear_object(&self->ppp);
    g_clear_object(&self->xl2tpd);
    g_clear_object(&self->ipsec);
    G_OBJECT_CLASS(nm_l2tp_attempt_parent_class)->dispose(object);
}

static void
finalize(GObject *object)
{
    NML2tpAttempt *self = NM_L2TP_ATTEMPT(object);

    nm_l2tp_settings_free(self->settings);
    g_clear_object(&self->bus);
    g_clear_object(&self->cancellable);
    g_timer_destroy(self->timer);
    g_clear_pointer(&self->report, nm_l2tp_report_free);
    g_clear_pointer(&self->verdict, nm_l2tp_stage_record_free);
    g_free(self->uuid);
    g_free(self->name);
    g_free(self->bus_name);
    g_free(self->run_base);
    g_free(self->run_dir);
    g_free(self->ppp_plugin);
    g_free(self->xl2tpd_path);
    g_free(self->charon_path);
    g_free(self->gateway_address);
    g_free(self->auth_method);
    g_free(self->ppp_detail);
    G_OBJECT_CLASS(nm_l2tp_attempt_parent_class)->finalize(object);
}

static void
nm_l2tp_attempt_class_init(NML2tpAttemptClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);

    object_class->dispose  = dispose;
    object_class->finalize = finalize;

    signals[SIGNAL_CONNECTED] = g_signal_new("connected", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                             NULL, G_TYPE_NONE, 2, G_TYPE_VARIANT, G_TYPE_VARIANT);
    signals[SIGNAL_FAILED]    = g_signal_new("failed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                             NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
    signals[SIGNAL_LOST]      = g_signal_new("lost", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 1, G_TYPE_POINTER);
}
