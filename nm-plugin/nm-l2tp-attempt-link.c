/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The L2TP and PPP half of an attempt: xl2tpd's events and the pppd
 * plugin's calls move the timeline on, name failures, and end in
 * NetworkManager's IP configuration. */

#include "config.h"

#include <arpa/inet.h>
#include <glib/gi18n-lib.h>
#include <NetworkManager.h>
#include <string.h>

#include "nm-l2tp-attempt-private.h"
#include "nm-l2tp-ppp-dbus.h"
#include "nm-l2tp-writers.h"

/* pppd's exit codes (pppd.h EXIT_*) that name a cause. */
#define PPPD_EXIT_NO_KERNEL_SUPPORT  4
#define PPPD_EXIT_USER_REQUEST       5
#define PPPD_EXIT_NEGOTIATION_FAILED 10
#define PPPD_EXIT_PEER_DEAD          15
#define PPPD_EXIT_HANGUP             16
#define PPPD_EXIT_AUTH_TOPEER_FAILED 19

/* How long an authentication failure waits for pppd's own words. */
#define AUTH_WORDS_GRACE_MS 1000

/* ---- L2TP and PPP ----------------------------------------------------- */

static void auth_fail_now(NML2tpAttempt *self);
static void dial_when_ready(NML2tpAttempt *self);

static void
xl2tpd_line_cb(NML2tpXl2tpd *xl2tpd, const char *line, gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    nm_l2tp_attempt_log_line(self, "l2tp", line);
    /* pppd's own words carry what its exit code cannot.  MS-CHAP's failure
     * carries the server's words ("M=", shown by pppd after "MS-CHAP
     * authentication failed: ") or only its code ("E=691 Authentication
     * failure"); either is better than the generic line that follows. */
    if (strstr(line, "MS-CHAP authentication failed: ")
        || g_regex_match_simple("^E=[0-9]+ ", line, 0, 0)) {
        const char *words = strstr(line, "failed: ");

        g_free(self->ppp_detail);
        self->ppp_detail = g_strdup(words ? words + strlen("failed: ") : line);
    } else if (strstr(line, "authentication failed")) {
        /* pppd's last word before it gives up: the verdict can be named. */
        if (!self->ppp_detail)
            self->ppp_detail = g_strdup(line);
        if (self->auth_failed)
            auth_fail_now(self);
    }
    if (strstr(line, "No response to") && strstr(line, "echo-requests"))
        self->lcp_echo_failed = TRUE;
    if (strstr(line, "lacks kernel support for PPP") || strstr(line, "/dev/ppp"))
        nm_l2tp_attempt_fail(self, NM_L2TP_STAGE_PPP_LCP, NM_L2TP_CAUSE_NO_DEV_PPP, NULL);
}

static void
xl2tpd_event_cb(NML2tpXl2tpd *xl2tpd, int event, const char *detail, gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    switch ((NML2tpXl2tpdEvent)event) {
    case NM_L2TP_XL2TPD_EVENT_READY:
        self->xl2tpd_ready = TRUE;
        dial_when_ready(self);
        break;
    case NM_L2TP_XL2TPD_EVENT_TUNNEL_UP:
        nm_l2tp_attempt_enter_stage(self, NM_L2TP_STAGE_L2TP_SESSION);
        break;
    case NM_L2TP_XL2TPD_EVENT_SESSION_UP:
        nm_l2tp_attempt_enter_stage(self, NM_L2TP_STAGE_PPP_LCP);
        nm_l2tp_attempt_arm_timeout(self, self->settings->timeout_ppp);
        break;
    case NM_L2TP_XL2TPD_EVENT_NO_RESPONSE:
        nm_l2tp_attempt_fail(
            self, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_L2TP_NO_RESPONSE, self->gateway_address);
        break;
    case NM_L2TP_XL2TPD_EVENT_TUNNEL_CLOSED:
        if (self->stage <= NM_L2TP_STAGE_L2TP_TUNNEL)
            nm_l2tp_attempt_fail(
                self, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_L2TP_STOPCCN, detail);
        else if (self->stage == NM_L2TP_STAGE_L2TP_SESSION)
            nm_l2tp_attempt_fail(self, NM_L2TP_STAGE_L2TP_SESSION, NM_L2TP_CAUSE_L2TP_CDN, detail);
        else if (self->connected)
            nm_l2tp_attempt_fail(self, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_L2TP_STOPCCN, detail);
        break;
    case NM_L2TP_XL2TPD_EVENT_SESSION_CLOSED:
        if (self->stage <= NM_L2TP_STAGE_L2TP_SESSION)
            nm_l2tp_attempt_fail(self, NM_L2TP_STAGE_L2TP_SESSION, NM_L2TP_CAUSE_L2TP_CDN, detail);
        break;
    case NM_L2TP_XL2TPD_EVENT_NO_KERNEL:
        nm_l2tp_attempt_log_line(
            self, "l2tp", "no kernel L2TP support; xl2tpd uses its user-space mode");
        break;
    case NM_L2TP_XL2TPD_EVENT_PPPD_EXITED:
        if (self->auth_failed) {
            auth_fail_now(self);
            break;
        }
        /* The plugin's SetExitStatus came first and named the cause; this
         * covers a pppd that died before the plugin could speak. */
        nm_l2tp_attempt_fail(
            self, MAX(self->stage, NM_L2TP_STAGE_PPP_LCP), NM_L2TP_CAUSE_LCP_TERMINATED, detail);
        break;
    case NM_L2TP_XL2TPD_EVENT_EXITED:
        nm_l2tp_attempt_fail(
            self, MAX(self->stage, NM_L2TP_STAGE_L2TP_TUNNEL), NM_L2TP_CAUSE_INTERNAL, detail);
        break;
    }
}

static void
ppp_phase_cb(NML2tpPppManager *ppp, guint phase, gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    switch ((NML2tpPppPhase)phase) {
    case NM_L2TP_PPP_PHASE_ESTABLISH:
        nm_l2tp_attempt_enter_stage(self, NM_L2TP_STAGE_PPP_LCP);
        break;
    case NM_L2TP_PPP_PHASE_AUTHENTICATE:
        nm_l2tp_attempt_enter_stage(self, NM_L2TP_STAGE_PPP_AUTH);
        break;
    case NM_L2TP_PPP_PHASE_NETWORK:
        nm_l2tp_attempt_enter_stage(self, NM_L2TP_STAGE_PPP_NETWORK);
        break;
    default:
        break;
    }
}

static void
auth_fail_now(NML2tpAttempt *self)
{
    g_autofree char *detail = NULL;

    g_clear_handle_id(&self->auth_fail_timer, g_source_remove);
    if (self->ppp_detail && self->auth_method)
        detail = g_strdup_printf("%s, %s", self->auth_method, self->ppp_detail);
    else
        detail = g_strdup(self->ppp_detail ? self->ppp_detail : self->auth_method);
    /* With EAP-TLS there is no password to ask again: the certificate,
     * its key or the CA is what to look at. */
    nm_l2tp_attempt_fail(self,
                         NM_L2TP_STAGE_PPP_AUTH,
                         self->settings->user_auth_type == NM_L2TP_USER_AUTH_TLS ?
                             NM_L2TP_CAUSE_PPP_CERT_REJECTED :
                             NM_L2TP_CAUSE_PPP_AUTH_REJECTED,
                         detail);
}

static gboolean
auth_fail_timeout_cb(gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    self->auth_fail_timer = 0;
    auth_fail_now(self);
    return G_SOURCE_REMOVE;
}

/* pppd's words (the server's MS-CHAP message) travel through xl2tpd's
 * output, a different channel than the plugin's calls: the verdict waits
 * for them (xl2tpd_line_cb), for pppd's exit, or for a short grace. */
static void
auth_fail_soon(NML2tpAttempt *self)
{
    self->auth_failed = TRUE;
    if (self->ppp_detail) {
        auth_fail_now(self);
        return;
    }
    if (!self->auth_fail_timer)
        self->auth_fail_timer = g_timeout_add(AUTH_WORDS_GRACE_MS, auth_fail_timeout_cb, self);
}

static void
ppp_auth_result_cb(NML2tpPppManager *ppp, const char *method, gboolean success, gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    g_free(self->auth_method);
    self->auth_method = g_strdup(method);
    if (!success)
        auth_fail_soon(self);
}

/* The server asked for an authentication method that the settings refuse:
 * pppd declines it in LCP, no method is agreed, and the server ends the
 * link once PPP is past authentication.  Nothing names it on our side but
 * that sequence, so it is recognised from it. */
static gboolean
declined_server_auth(NML2tpAttempt *self)
{
    const NML2tpSettings *s = self->settings;

    return !self->connected && !self->auth_method && self->stage >= NM_L2TP_STAGE_PPP_AUTH
           && (s->refuse_pap || s->refuse_chap || s->refuse_mschap || s->refuse_mschapv2
               || s->refuse_eap);
}

static void
ppp_exit_status_cb(NML2tpPppManager *ppp, guint status, gpointer user_data)
{
    NML2tpAttempt   *self   = user_data;
    g_autofree char *detail = g_strdup_printf(_("pppd exit code %u"), status);

    if ((status == PPPD_EXIT_HANGUP || status == PPPD_EXIT_NEGOTIATION_FAILED)
        && declined_server_auth(self)) {
        nm_l2tp_attempt_fail(
            self, NM_L2TP_STAGE_PPP_AUTH, NM_L2TP_CAUSE_PPP_AUTH_METHOD_REFUSED, detail);
        return;
    }
    switch (status) {
    case PPPD_EXIT_USER_REQUEST:
        break;
    case PPPD_EXIT_NO_KERNEL_SUPPORT:
        nm_l2tp_attempt_fail(self, NM_L2TP_STAGE_PPP_LCP, NM_L2TP_CAUSE_NO_DEV_PPP, NULL);
        break;
    case PPPD_EXIT_AUTH_TOPEER_FAILED:
        auth_fail_soon(self);
        break;
    case PPPD_EXIT_PEER_DEAD:
        nm_l2tp_attempt_fail(self, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT, NULL);
        break;
    case PPPD_EXIT_HANGUP:
        /* Over kernel L2TP, pppd that gave up on LCP echoes exits with
         * "hangup"; its own message said why. */
        if (self->lcp_echo_failed) {
            nm_l2tp_attempt_fail(
                self, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT, NULL);
            break;
        }
        nm_l2tp_attempt_fail(
            self, MAX(self->stage, NM_L2TP_STAGE_PPP_LCP), NM_L2TP_CAUSE_LCP_TERMINATED, detail);
        break;
    case PPPD_EXIT_NEGOTIATION_FAILED:
        if (self->stage == NM_L2TP_STAGE_PPP_NETWORK)
            nm_l2tp_attempt_fail(
                self, NM_L2TP_STAGE_PPP_NETWORK, NM_L2TP_CAUSE_IPCP_REFUSED, detail);
        else if (self->stage == NM_L2TP_STAGE_PPP_AUTH || self->stage == NM_L2TP_STAGE_PPP_LCP)
            nm_l2tp_attempt_fail(self, self->stage, NM_L2TP_CAUSE_PPP_AUTH_METHOD_REFUSED, detail);
        else
            nm_l2tp_attempt_fail(self,
                                 MAX(self->stage, NM_L2TP_STAGE_PPP_LCP),
                                 NM_L2TP_CAUSE_LCP_TERMINATED,
                                 detail);
        break;
    default:
        nm_l2tp_attempt_fail(
            self, MAX(self->stage, NM_L2TP_STAGE_PPP_LCP), NM_L2TP_CAUSE_LCP_TERMINATED, detail);
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
    NML2tpAttempt     *self = user_data;
    GVariantBuilder    general, ip4;
    guint32            address = 0, peer = 0, mtu = 0;
    struct in_addr     gw;
    const char        *iface = NULL;
    GVariant          *dns, *wins;
    NML2tpStageRecord *record;

    g_variant_lookup(config, NM_L2TP_PPP_IP4_ADDRESS, "u", &address);
    g_variant_lookup(config, NM_L2TP_PPP_IP4_PEER, "u", &peer);
    g_variant_lookup(config, NM_L2TP_PPP_IP4_MTU, "u", &mtu);
    g_variant_lookup(config, NM_L2TP_PPP_IP4_IFACE, "&s", &iface);
    if (!address || !iface) {
        nm_l2tp_attempt_fail(self, NM_L2TP_STAGE_PPP_NETWORK, NM_L2TP_CAUSE_IPCP_NO_ADDRESS, NULL);
        return;
    }

    g_variant_builder_init(&general, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(
        &general, "{sv}", NM_VPN_PLUGIN_CONFIG_TUNDEV, g_variant_new_string(iface));
    /* NetworkManager keeps a host route to this address through the
     * underlying device, so IKE and L2TP packets do not enter the tunnel. */
    inet_pton(AF_INET, self->gateway_address, &gw);
    g_variant_builder_add(
        &general, "{sv}", NM_VPN_PLUGIN_CONFIG_EXT_GATEWAY, g_variant_new_uint32(gw.s_addr));
    g_variant_builder_add(
        &general, "{sv}", NM_VPN_PLUGIN_CONFIG_HAS_IP4, g_variant_new_boolean(TRUE));
    if (mtu)
        g_variant_builder_add(
            &general, "{sv}", NM_VPN_PLUGIN_CONFIG_MTU, g_variant_new_uint32(mtu));

    g_variant_builder_init(&ip4, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(
        &ip4, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_ADDRESS, g_variant_new_uint32(address));
    g_variant_builder_add(&ip4, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_PREFIX, g_variant_new_uint32(32));
    if (peer)
        g_variant_builder_add(
            &ip4, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_PTP, g_variant_new_uint32(peer));
    if ((dns = ipv4_array(config, NM_L2TP_PPP_IP4_DNS)))
        g_variant_builder_add(&ip4, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_DNS, dns);
    if ((wins = ipv4_array(config, NM_L2TP_PPP_IP4_WINS)))
        g_variant_builder_add(&ip4, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_NBNS, wins);

    nm_l2tp_attempt_enter_stage(self, NM_L2TP_STAGE_CONNECTED);
    nm_l2tp_attempt_clear_timeout(self);
    self->connected = TRUE;
    record          = nm_l2tp_stage_record_new(NM_L2TP_STAGE_CONNECTED,
                                      NM_L2TP_CAUSE_NONE,
                                      self->auth_method,
                                      nm_l2tp_attempt_get_elapsed(self));
    nm_l2tp_report_set_stage(self->report,
                             "connected",
                             NM_L2TP_STAGE_STATE_PASSED,
                             nm_l2tp_attempt_get_elapsed(self),
                             NULL);
    nm_l2tp_report_set_verdict(
        self->report, NM_L2TP_OUTCOME_CONNECTED, NULL, NULL, NULL, NULL, NULL);
    nm_l2tp_attempt_save_report(self);
    nm_l2tp_attempt_log_verdict(self, record);
    nm_l2tp_stage_record_free(record);
    g_signal_emit(self,
                  nm_l2tp_attempt_signals[NM_L2TP_ATTEMPT_SIGNAL_CONNECTED],
                  0,
                  g_variant_builder_end(&general),
                  g_variant_builder_end(&ip4));
}

/* xl2tpd starts while IPsec is still negotiating: it only binds its port
 * and waits to be told to dial, and its start-up then costs no time on
 * the timeline. */
gboolean
nm_l2tp_attempt_prepare_l2tp(NML2tpAttempt *self)
{
    g_autoptr(GError) error    = NULL;
    g_autofree char   *conf    = NULL;
    g_autofree char   *options = NULL;
    g_autofree char   *user    = NULL;
    NML2tpWriterParams params;

    nm_l2tp_attempt_fill_writer_params(self, &params);
    conf    = nm_l2tp_xl2tpd_conf_build(self->settings, &params);
    options = nm_l2tp_pppd_options_build(self->settings, &params);

    self->ppp = nm_l2tp_ppp_manager_new(self->bus, &error);
    if (!self->ppp) {
        nm_l2tp_attempt_fail(self, self->stage, NM_L2TP_CAUSE_INTERNAL, error->message);
        return FALSE;
    }
    user = nm_l2tp_settings_dup_ppp_user(self->settings);
    nm_l2tp_ppp_manager_set_credentials(self->ppp, user, self->settings->password);
    nm_l2tp_ppp_manager_set_cert_password(self->ppp, self->settings->user_certpass);
    g_signal_connect(self->ppp, "phase", G_CALLBACK(ppp_phase_cb), self);
    g_signal_connect(self->ppp, "auth-result", G_CALLBACK(ppp_auth_result_cb), self);
    g_signal_connect(self->ppp, "ip4-config", G_CALLBACK(ppp_ip4_config_cb), self);
    g_signal_connect(self->ppp, "exit-status", G_CALLBACK(ppp_exit_status_cb), self);

    self->xl2tpd = nm_l2tp_xl2tpd_new(self->run_dir, self->uuid);
    g_signal_connect(self->xl2tpd, "line", G_CALLBACK(xl2tpd_line_cb), self);
    g_signal_connect(self->xl2tpd, "event", G_CALLBACK(xl2tpd_event_cb), self);
    if (!nm_l2tp_xl2tpd_start(self->xl2tpd, self->xl2tpd_path, conf, options, &error)) {
        nm_l2tp_attempt_fail(self, self->stage, NM_L2TP_CAUSE_INTERNAL, error->message);
        return FALSE;
    }
    return TRUE;
}

/* Dials once both are true: xl2tpd listens, and the path to the server
 * is open. */
static void
dial_when_ready(NML2tpAttempt *self)
{
    g_autoptr(GError) error = NULL;

    if (!self->xl2tpd_ready || !self->l2tp_wanted)
        return;
    if (!nm_l2tp_xl2tpd_dial(self->xl2tpd, &error))
        nm_l2tp_attempt_fail(
            self, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_INTERNAL, error->message);
}

static gboolean
dial_delay_cb(gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    self->dial_timer  = 0;
    self->l2tp_wanted = TRUE;
    dial_when_ready(self);
    return G_SOURCE_REMOVE;
}

/* The path to the server is open (IPsec is up, or not wanted): dial as
 * soon as xl2tpd listens.
 *
 * In IKEv1 the CHILD_SA is up here once we sent the last Quick Mode
 * message, but the server installs its SAs only when that message
 * arrives.  An SCCRQ that overtakes it is dropped by the server's kernel,
 * and xl2tpd sends it again only a second later; in the lab that happened
 * to one connect in five.  A short pause is far cheaper.  IKEv2 has no
 * such gap: the server installs the SA before it answers. */
#define IKEV1_DIAL_DELAY_MS 80

void
nm_l2tp_attempt_start_l2tp(NML2tpAttempt *self)
{
    nm_l2tp_attempt_enter_stage(self, NM_L2TP_STAGE_L2TP_TUNNEL);
    nm_l2tp_attempt_arm_timeout(self, self->settings->timeout_l2tp);
    if (self->settings->ipsec_enabled && !self->settings->ipsec_ikev2) {
        self->dial_timer = g_timeout_add(IKEV1_DIAL_DELAY_MS, dial_delay_cb, self);
        return;
    }
    self->l2tp_wanted = TRUE;
    dial_when_ready(self);
}
