/* SPDX-License-Identifier: GPL-2.0-or-later */
/* L2TP and PPP events to stages and causes.  See nm-l2tp-link-diag.h. */
#include "config.h"

#include "nm-l2tp-link-diag.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nm-l2tp-ppp-dbus.h"

/* pppd's exit codes (pppd.h EXIT_*) that name a cause. */
#define PPPD_EXIT_NO_KERNEL_SUPPORT  4
#define PPPD_EXIT_USER_REQUEST       5
#define PPPD_EXIT_NEGOTIATION_FAILED 10
#define PPPD_EXIT_PEER_DEAD          15
#define PPPD_EXIT_HANGUP             16
#define PPPD_EXIT_AUTH_TOPEER_FAILED 19

struct _NML2tpLinkDiag {
    char       *gateway;
    gboolean    eap_tls;
    gboolean    refuses_methods;
    NML2tpStage stage;
    gboolean    connected;
    gboolean    has_verdict;
    NML2tpCause cause;
    char       *detail;
    char       *auth_method;     /* from the plugin's auth result */
    char       *words;           /* pppd's words about an authentication failure */
    gboolean    auth_failed;     /* the verdict waits for pppd's words */
    gboolean    lcp_echo_failed; /* pppd said the server stopped answering echoes */
    gboolean    terminating;     /* the plugin reported PPP's terminate phase */
    char       *terminate_words; /* the server ended LCP with these words */
    char       *session_words;   /* the server closed the session during PPP */
};

NML2tpLinkDiag *
nm_l2tp_link_diag_new(const NML2tpLinkDiagParams *params)
{
    NML2tpLinkDiag *diag = g_new0(NML2tpLinkDiag, 1);

    diag->gateway         = g_strdup(params->gateway);
    diag->eap_tls         = params->eap_tls;
    diag->refuses_methods = params->refuses_methods;
    diag->stage           = NM_L2TP_STAGE_L2TP_TUNNEL;
    return diag;
}

void
nm_l2tp_link_diag_free(NML2tpLinkDiag *diag)
{
    if (!diag)
        return;
    g_free(diag->gateway);
    g_free(diag->detail);
    g_free(diag->auth_method);
    g_free(diag->words);
    g_free(diag->terminate_words);
    g_free(diag->session_words);
    g_free(diag);
}

void
nm_l2tp_link_diag_reset(NML2tpLinkDiag *diag)
{
    diag->stage       = NM_L2TP_STAGE_L2TP_TUNNEL;
    diag->has_verdict = FALSE;
    diag->cause       = NM_L2TP_CAUSE_NONE;
    diag->auth_failed = FALSE;
    diag->terminating = FALSE;
    g_clear_pointer(&diag->detail, g_free);
    g_clear_pointer(&diag->words, g_free);
    g_clear_pointer(&diag->session_words, g_free);
}

static NML2tpLinkDiagResult
verdict(NML2tpLinkDiag *diag, NML2tpStage stage, NML2tpCause cause, const char *detail)
{
    if (diag->has_verdict)
        return NM_L2TP_LINK_DIAG_NOTHING;
    diag->has_verdict = TRUE;
    diag->stage       = stage;
    diag->cause       = cause;
    diag->detail      = g_strdup(detail);
    return NM_L2TP_LINK_DIAG_VERDICT;
}

static void
enter(NML2tpLinkDiag *diag, NML2tpStage stage)
{
    if (!diag->has_verdict && stage > diag->stage)
        diag->stage = stage;
}

static NML2tpStage
at_least(NML2tpLinkDiag *diag, NML2tpStage stage)
{
    return MAX(diag->stage, stage);
}

/* The verdict of a rejected authentication, with pppd's words when they
 * came.  With EAP-TLS there is no password to ask again: the certificate,
 * its key or the CA is what to look at. */
static NML2tpLinkDiagResult
auth_verdict(NML2tpLinkDiag *diag)
{
    g_autofree char *detail = NULL;

    if (diag->words && diag->auth_method)
        detail = g_strdup_printf("%s, %s", diag->auth_method, diag->words);
    else
        detail = g_strdup(diag->words ? diag->words : diag->auth_method);
    return verdict(diag,
                   NM_L2TP_STAGE_PPP_AUTH,
                   diag->eap_tls ? NM_L2TP_CAUSE_PPP_CERT_REJECTED :
                                   NM_L2TP_CAUSE_PPP_AUTH_REJECTED,
                   detail);
}

static NML2tpLinkDiagResult
auth_failed(NML2tpLinkDiag *diag)
{
    diag->auth_failed = TRUE;
    if (diag->words)
        return auth_verdict(diag);
    return diag->has_verdict ? NM_L2TP_LINK_DIAG_NOTHING : NM_L2TP_LINK_DIAG_WAIT_WORDS;
}

/* PPP ended: with the server's own words when it ended LCP with some. */
static NML2tpLinkDiagResult
terminated(NML2tpLinkDiag *diag, const char *detail)
{
    return verdict(diag,
                   at_least(diag, NM_L2TP_STAGE_PPP_LCP),
                   NM_L2TP_CAUSE_LCP_TERMINATED,
                   diag->terminate_words ? diag->terminate_words : detail);
}

NML2tpLinkDiagResult
nm_l2tp_link_diag_xl2tpd_event(NML2tpLinkDiag *diag, NML2tpXl2tpdEvent event, const char *detail)
{
    switch (event) {
    case NM_L2TP_XL2TPD_EVENT_READY:
    case NM_L2TP_XL2TPD_EVENT_NO_KERNEL:
        break;
    case NM_L2TP_XL2TPD_EVENT_TUNNEL_UP:
        enter(diag, NM_L2TP_STAGE_L2TP_SESSION);
        break;
    case NM_L2TP_XL2TPD_EVENT_SESSION_UP:
        enter(diag, NM_L2TP_STAGE_PPP_LCP);
        break;
    case NM_L2TP_XL2TPD_EVENT_NO_RESPONSE:
        /* Up for a while: xl2tpd's hellos went unanswered. */
        if (diag->connected)
            return verdict(
                diag, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_L2TP_HELLO_TIMEOUT, diag->gateway);
        return verdict(
            diag, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_L2TP_NO_RESPONSE, diag->gateway);
    case NM_L2TP_XL2TPD_EVENT_TUNNEL_CLOSED:
        if (diag->stage <= NM_L2TP_STAGE_L2TP_TUNNEL)
            return verdict(diag, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_L2TP_STOPCCN, detail);
        if (diag->stage == NM_L2TP_STAGE_L2TP_SESSION)
            return verdict(diag, NM_L2TP_STAGE_L2TP_SESSION, NM_L2TP_CAUSE_L2TP_CDN, detail);
        if (diag->connected)
            return verdict(diag, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_L2TP_STOPCCN, detail);
        /* During PPP, pppd's exit that follows names it better. */
        break;
    case NM_L2TP_XL2TPD_EVENT_SESSION_CLOSED:
        if (diag->stage <= NM_L2TP_STAGE_L2TP_SESSION)
            return verdict(diag, NM_L2TP_STAGE_L2TP_SESSION, NM_L2TP_CAUSE_L2TP_CDN, detail);
        /* Connected, pppd's end names it (LCP words, echo timeout). */
        if (diag->connected || diag->has_verdict)
            break;
        /* During PPP: the server's pppd ended (or never started) and its
         * LNS closed the call.  pppd's exit and words name it better (a
         * refused method, a rejected password), so these words wait for
         * it; they are the verdict's when pppd exits without words of its
         * own, or never spoke before the PPP timeout (xl2tpd may kill it
         * before the plugin says anything). */
        g_free(diag->session_words);
        diag->session_words = detail ?
                                  g_strdup_printf(_("it closed the L2TP session: %s"), detail) :
                                  g_strdup(_("it closed the L2TP session"));
        break;
    case NM_L2TP_XL2TPD_EVENT_PPPD_EXITED:
        if (diag->auth_failed)
            return auth_verdict(diag);
        /* Killed: nothing of the server's ended it. */
        if (diag->connected && g_strcmp0(detail, "signal") == 0)
            return verdict(diag, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_PROCESS_DIED, "pppd");
        /* The plugin's exit status came first and named the cause; this
         * covers a pppd that died before the plugin could speak. */
        return terminated(diag, diag->session_words ? diag->session_words : detail);
    case NM_L2TP_XL2TPD_EVENT_EXITED:
        if (diag->connected) {
            g_autofree char *what = g_strdup_printf("xl2tpd, %s", detail ? detail : "");

            return verdict(diag, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_PROCESS_DIED, what);
        }
        return verdict(
            diag, at_least(diag, NM_L2TP_STAGE_L2TP_TUNNEL), NM_L2TP_CAUSE_INTERNAL, detail);
    }
    return NM_L2TP_LINK_DIAG_NOTHING;
}

/* A connected link whose LCP echoes went unanswered: pppd said so, and
 * the plugin reported that PPP is terminating (in either order).  The
 * verdict comes now, not when pppd exits: it first sends Terminate-Requests
 * to the dead server and waits for their answer (about 6 s more). */
static NML2tpLinkDiagResult
echo_timeout(NML2tpLinkDiag *diag)
{
    if (!diag->connected || !diag->lcp_echo_failed || !diag->terminating)
        return NM_L2TP_LINK_DIAG_NOTHING;
    return verdict(diag, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT, NULL);
}

/* pppd's lines are matched whole, from their start: the server's words
 * reach pppd's output only after a prefix of pppd's own ("Remote
 * message: ", "MS-CHAP authentication failed: "), so text a server chose
 * can add detail but never pass for one of pppd's own statements. */
NML2tpLinkDiagResult
nm_l2tp_link_diag_pppd_line(NML2tpLinkDiag *diag, const char *line)
{
    static const char mschap[] = "MS-CHAP authentication failed: ";
    /* Our pppd plugin's own statements (EAP-TLS: which key or certificate
     * failed) are ours to trust. */
    static const char plugin[] = "nm-l2tp: ";

    if (g_str_has_prefix(line, mschap)) {
        /* The server's words ("M=") or only its code ("E=691 ..."); either
         * is better than the generic line that follows. */
        g_free(diag->words);
        diag->words = g_strdup(line + strlen(mschap));
    } else if (g_regex_match_simple("^E=[0-9]+ ", line, 0, 0)) {
        g_free(diag->words);
        diag->words = g_strdup(line);
    } else if (g_regex_match_simple("^([A-Za-z0-9-]+ )+authentication failed$", line, 0, 0)
               || (g_str_has_prefix(line, plugin) && strstr(line, "authentication failed"))) {
        /* pppd's last word before it gives up: the verdict can be named. */
        if (!diag->words)
            diag->words = g_strdup(g_str_has_prefix(line, plugin) ? line + strlen(plugin) : line);
        if (diag->auth_failed)
            return auth_verdict(diag);
    } else if (g_regex_match_simple("^No response to [0-9]+ echo-requests$", line, 0, 0)) {
        diag->lcp_echo_failed = TRUE;
        return echo_timeout(diag);
    } else if (g_str_has_prefix(line, "LCP terminated by peer")) {
        /* "LCP terminated by peer (Goodbye)": the words are the server's. */
        const char *open = strchr(line, '(');

        g_free(diag->terminate_words);
        diag->terminate_words =
            open && g_str_has_suffix(open, ")") ? g_strndup(open + 1, strlen(open) - 2) : NULL;
    } else if (diag->stage <= NM_L2TP_STAGE_PPP_LCP
               && (g_str_has_prefix(line, "This system lacks kernel support for PPP")
                   || g_str_has_prefix(line, "Couldn't open the /dev/ppp device"))) {
        /* Said at pppd's start, before any packet of the server. */
        return verdict(diag, NM_L2TP_STAGE_PPP_LCP, NM_L2TP_CAUSE_NO_DEV_PPP, NULL);
    }
    return NM_L2TP_LINK_DIAG_NOTHING;
}

NML2tpLinkDiagResult
nm_l2tp_link_diag_phase(NML2tpLinkDiag *diag, guint phase)
{
    switch ((NML2tpPppPhase)phase) {
    case NM_L2TP_PPP_PHASE_TERMINATE:
        diag->terminating = TRUE;
        return echo_timeout(diag);
    case NM_L2TP_PPP_PHASE_ESTABLISH:
        enter(diag, NM_L2TP_STAGE_PPP_LCP);
        break;
    case NM_L2TP_PPP_PHASE_AUTHENTICATE:
        enter(diag, NM_L2TP_STAGE_PPP_AUTH);
        break;
    case NM_L2TP_PPP_PHASE_NETWORK:
        enter(diag, NM_L2TP_STAGE_PPP_NETWORK);
        break;
    default:
        break;
    }
    return NM_L2TP_LINK_DIAG_NOTHING;
}

NML2tpLinkDiagResult
nm_l2tp_link_diag_auth_result(NML2tpLinkDiag *diag, const char *method, gboolean success)
{
    g_free(diag->auth_method);
    diag->auth_method = g_strdup(method);
    return success ? NM_L2TP_LINK_DIAG_NOTHING : auth_failed(diag);
}

/* The server asked for an authentication method that the settings refuse:
 * pppd declines it in LCP, no method is agreed, and the server ends the
 * link once PPP is past authentication.  Nothing names it on our side but
 * that sequence, so it is recognised from it. */
static gboolean
declined_server_auth(NML2tpLinkDiag *diag)
{
    return !diag->connected && !diag->auth_method && diag->stage >= NM_L2TP_STAGE_PPP_AUTH
           && diag->refuses_methods;
}

NML2tpLinkDiagResult
nm_l2tp_link_diag_exit_status(NML2tpLinkDiag *diag, guint status)
{
    g_autofree char *detail = g_strdup_printf(_("pppd exit code %u"), status);

    if ((status == PPPD_EXIT_HANGUP || status == PPPD_EXIT_NEGOTIATION_FAILED)
        && declined_server_auth(diag))
        return verdict(diag, NM_L2TP_STAGE_PPP_AUTH, NM_L2TP_CAUSE_PPP_AUTH_METHOD_REFUSED, detail);
    switch (status) {
    case PPPD_EXIT_USER_REQUEST:
        return NM_L2TP_LINK_DIAG_NOTHING;
    case PPPD_EXIT_NO_KERNEL_SUPPORT:
        return verdict(diag, NM_L2TP_STAGE_PPP_LCP, NM_L2TP_CAUSE_NO_DEV_PPP, NULL);
    case PPPD_EXIT_AUTH_TOPEER_FAILED:
        return auth_failed(diag);
    case PPPD_EXIT_PEER_DEAD:
        return verdict(diag, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT, NULL);
    case PPPD_EXIT_HANGUP:
        /* Over kernel L2TP, pppd that gave up on LCP echoes exits with
         * "hangup"; its own message said why. */
        if (diag->lcp_echo_failed)
            return verdict(diag, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT, NULL);
        break;
    case PPPD_EXIT_NEGOTIATION_FAILED:
        if (diag->stage == NM_L2TP_STAGE_PPP_NETWORK)
            return verdict(diag, NM_L2TP_STAGE_PPP_NETWORK, NM_L2TP_CAUSE_IPCP_REFUSED, detail);
        if (diag->stage == NM_L2TP_STAGE_PPP_AUTH || diag->stage == NM_L2TP_STAGE_PPP_LCP)
            return verdict(diag, diag->stage, NM_L2TP_CAUSE_PPP_AUTH_METHOD_REFUSED, detail);
        break;
    default:
        break;
    }
    return terminated(diag, detail);
}

NML2tpLinkDiagResult
nm_l2tp_link_diag_ip_config(NML2tpLinkDiag *diag, gboolean has_address)
{
    if (!has_address)
        return verdict(diag, NM_L2TP_STAGE_PPP_NETWORK, NM_L2TP_CAUSE_IPCP_NO_ADDRESS, NULL);
    if (diag->has_verdict)
        return NM_L2TP_LINK_DIAG_NOTHING;
    enter(diag, NM_L2TP_STAGE_CONNECTED);
    diag->connected = TRUE;
    return NM_L2TP_LINK_DIAG_NOTHING;
}

NML2tpLinkDiagResult
nm_l2tp_link_diag_words_timeout(NML2tpLinkDiag *diag)
{
    return diag->auth_failed ? auth_verdict(diag) : NM_L2TP_LINK_DIAG_NOTHING;
}

NML2tpLinkDiagResult
nm_l2tp_link_diag_stage_timeout(NML2tpLinkDiag *diag, double seconds)
{
    g_autofree char *detail = NULL;

    if (diag->session_words)
        return terminated(diag, diag->session_words);
    switch (diag->stage) {
    case NM_L2TP_STAGE_L2TP_TUNNEL:
        return verdict(
            diag, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_L2TP_NO_RESPONSE, diag->gateway);
    case NM_L2TP_STAGE_PPP_LCP:
        return verdict(diag, NM_L2TP_STAGE_PPP_LCP, NM_L2TP_CAUSE_LCP_TIMEOUT, NULL);
    default:
        detail = g_strdup_printf(_("no progress after %.0f s"), seconds);
        return verdict(diag, diag->stage, NM_L2TP_CAUSE_TIMEOUT, detail);
    }
}

NML2tpStage
nm_l2tp_link_diag_get_stage(NML2tpLinkDiag *diag)
{
    return diag->stage;
}

gboolean
nm_l2tp_link_diag_is_connected(NML2tpLinkDiag *diag)
{
    return diag->connected;
}

gboolean
nm_l2tp_link_diag_has_verdict(NML2tpLinkDiag *diag)
{
    return diag->has_verdict;
}

NML2tpCause
nm_l2tp_link_diag_get_cause(NML2tpLinkDiag *diag)
{
    return diag->cause;
}

const char *
nm_l2tp_link_diag_get_detail(NML2tpLinkDiag *diag)
{
    return diag->detail;
}

const char *
nm_l2tp_link_diag_get_auth_method(NML2tpLinkDiag *diag)
{
    return diag->auth_method;
}
