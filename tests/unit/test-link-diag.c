/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What xl2tpd's events, pppd's exit codes and words and the plugin's calls
 * mean: event sequences as the lab recorded them, replayed into
 * NML2tpLinkDiag, and the verdict each must give. */
#include "config.h"

#include <string.h>

#include "nm-l2tp-link-diag.h"
#include "nm-l2tp-ppp-dbus.h"
#include "nm-l2tp-xl2tpd.h"

static NML2tpLinkDiag *
diag_new(gboolean eap_tls, gboolean refuses)
{
    NML2tpLinkDiagParams p = { .gateway         = "198.51.100.1",
                               .eap_tls         = eap_tls,
                               .refuses_methods = refuses };

    return nm_l2tp_link_diag_new(&p);
}

/* Tunnel, session, LCP and authentication up to where a case starts. */
static void
up_to_auth(NML2tpLinkDiag *d)
{
    g_assert_cmpint(nm_l2tp_link_diag_xl2tpd_event(d, NM_L2TP_XL2TPD_EVENT_TUNNEL_UP, NULL),
                    ==,
                    NM_L2TP_LINK_DIAG_NOTHING);
    nm_l2tp_link_diag_xl2tpd_event(d, NM_L2TP_XL2TPD_EVENT_SESSION_UP, NULL);
    nm_l2tp_link_diag_phase(d, NM_L2TP_PPP_PHASE_ESTABLISH);
    nm_l2tp_link_diag_phase(d, NM_L2TP_PPP_PHASE_AUTHENTICATE);
    g_assert_cmpint(nm_l2tp_link_diag_get_stage(d), ==, NM_L2TP_STAGE_PPP_AUTH);
    g_assert_false(nm_l2tp_link_diag_has_verdict(d));
}

static void
assert_verdict(NML2tpLinkDiag *d, NML2tpStage stage, NML2tpCause cause, const char *detail)
{
    g_assert_true(nm_l2tp_link_diag_has_verdict(d));
    g_assert_cmpstr(nm_l2tp_stage_to_string(nm_l2tp_link_diag_get_stage(d)),
                    ==,
                    nm_l2tp_stage_to_string(stage));
    g_assert_cmpstr(nm_l2tp_cause_to_string(nm_l2tp_link_diag_get_cause(d)),
                    ==,
                    nm_l2tp_cause_to_string(cause));
    if (detail)
        g_assert_nonnull(strstr(nm_l2tp_link_diag_get_detail(d), detail));
}

/* pppd's exit codes, in the stage they came in. */
static const struct {
    guint       status;
    NML2tpStage stage_before;
    gboolean    echo_failed; /* pppd said "No response to N echo-requests" */
    gboolean    connected;
    NML2tpStage stage;
    NML2tpCause cause;
} exit_cases[] = {
    { 4, NM_L2TP_STAGE_PPP_LCP, FALSE, FALSE, NM_L2TP_STAGE_PPP_LCP, NM_L2TP_CAUSE_NO_DEV_PPP },
    { 10,
      NM_L2TP_STAGE_PPP_NETWORK,
      FALSE,
      FALSE,
      NM_L2TP_STAGE_PPP_NETWORK,
      NM_L2TP_CAUSE_IPCP_REFUSED },
    { 10,
      NM_L2TP_STAGE_PPP_LCP,
      FALSE,
      FALSE,
      NM_L2TP_STAGE_PPP_LCP,
      NM_L2TP_CAUSE_PPP_AUTH_METHOD_REFUSED },
    { 15,
      NM_L2TP_STAGE_CONNECTED,
      FALSE,
      TRUE,
      NM_L2TP_STAGE_CONNECTED,
      NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT },
    { 16,
      NM_L2TP_STAGE_CONNECTED,
      TRUE,
      TRUE,
      NM_L2TP_STAGE_CONNECTED,
      NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT },
    { 16,
      NM_L2TP_STAGE_CONNECTED,
      FALSE,
      TRUE,
      NM_L2TP_STAGE_CONNECTED,
      NM_L2TP_CAUSE_LCP_TERMINATED },
    { 16,
      NM_L2TP_STAGE_PPP_LCP,
      FALSE,
      FALSE,
      NM_L2TP_STAGE_PPP_LCP,
      NM_L2TP_CAUSE_LCP_TERMINATED },
    { 8,
      NM_L2TP_STAGE_PPP_AUTH,
      FALSE,
      FALSE,
      NM_L2TP_STAGE_PPP_AUTH,
      NM_L2TP_CAUSE_LCP_TERMINATED },
};

static void
reach(NML2tpLinkDiag *d, NML2tpStage stage)
{
    nm_l2tp_link_diag_xl2tpd_event(d, NM_L2TP_XL2TPD_EVENT_TUNNEL_UP, NULL);
    nm_l2tp_link_diag_xl2tpd_event(d, NM_L2TP_XL2TPD_EVENT_SESSION_UP, NULL);
    if (stage >= NM_L2TP_STAGE_PPP_AUTH)
        nm_l2tp_link_diag_phase(d, NM_L2TP_PPP_PHASE_AUTHENTICATE);
    if (stage >= NM_L2TP_STAGE_PPP_NETWORK) {
        nm_l2tp_link_diag_auth_result(d, "MS-CHAPv2", TRUE);
        nm_l2tp_link_diag_phase(d, NM_L2TP_PPP_PHASE_NETWORK);
    }
    if (stage >= NM_L2TP_STAGE_CONNECTED)
        nm_l2tp_link_diag_ip_config(d, TRUE);
    g_assert_cmpint(nm_l2tp_link_diag_get_stage(d), ==, stage);
}

static void
test_pppd_exit_codes_name_their_cause(void)
{
    guint i;

    for (i = 0; i < G_N_ELEMENTS(exit_cases); i++) {
        g_autoptr(NML2tpLinkDiag) d = diag_new(FALSE, FALSE);

        reach(d, exit_cases[i].stage_before);
        g_assert_cmpint(nm_l2tp_link_diag_is_connected(d), ==, exit_cases[i].connected);
        if (exit_cases[i].echo_failed)
            nm_l2tp_link_diag_pppd_line(d, "No response to 3 echo-requests");
        g_assert_cmpint(
            nm_l2tp_link_diag_exit_status(d, exit_cases[i].status), ==, NM_L2TP_LINK_DIAG_VERDICT);
        assert_verdict(d, exit_cases[i].stage, exit_cases[i].cause, NULL);
    }
}

static void
test_user_request_exit_is_no_failure(void)
{
    g_autoptr(NML2tpLinkDiag) d = diag_new(FALSE, FALSE);

    reach(d, NM_L2TP_STAGE_CONNECTED);
    g_assert_cmpint(nm_l2tp_link_diag_exit_status(d, 5), ==, NM_L2TP_LINK_DIAG_NOTHING);
    g_assert_false(nm_l2tp_link_diag_has_verdict(d));
}

/* The server asked for a method our settings refuse: nothing but the
 * sequence (no method agreed, PPP ended past authentication) names it. */
static void
test_refused_method_is_named(void)
{
    g_autoptr(NML2tpLinkDiag) d = diag_new(FALSE, TRUE);

    up_to_auth(d);
    nm_l2tp_link_diag_exit_status(d, 16);
    assert_verdict(d, NM_L2TP_STAGE_PPP_AUTH, NM_L2TP_CAUSE_PPP_AUTH_METHOD_REFUSED, "16");
}

/* MS-CHAP's failure: the plugin's call comes first; the verdict waits for
 * pppd's words (the server's "M=" text) on the slower channel. */
static void
test_auth_failure_waits_for_the_servers_words(void)
{
    g_autoptr(NML2tpLinkDiag) d = diag_new(FALSE, FALSE);

    up_to_auth(d);
    g_assert_cmpint(
        nm_l2tp_link_diag_auth_result(d, "MS-CHAPv2", FALSE), ==, NM_L2TP_LINK_DIAG_WAIT_WORDS);
    g_assert_false(nm_l2tp_link_diag_has_verdict(d));
    g_assert_cmpint(nm_l2tp_link_diag_pppd_line(d, "MS-CHAP authentication failed: Access denied"),
                    ==,
                    NM_L2TP_LINK_DIAG_NOTHING);
    g_assert_cmpint(nm_l2tp_link_diag_pppd_line(d, "CHAP authentication failed"),
                    ==,
                    NM_L2TP_LINK_DIAG_VERDICT);
    assert_verdict(
        d, NM_L2TP_STAGE_PPP_AUTH, NM_L2TP_CAUSE_PPP_AUTH_REJECTED, "MS-CHAPv2, Access denied");
}

static void
test_auth_failure_without_words_after_the_grace(void)
{
    g_autoptr(NML2tpLinkDiag) d = diag_new(FALSE, FALSE);

    up_to_auth(d);
    g_assert_cmpint(
        nm_l2tp_link_diag_auth_result(d, "PAP", FALSE), ==, NM_L2TP_LINK_DIAG_WAIT_WORDS);
    g_assert_cmpint(nm_l2tp_link_diag_words_timeout(d), ==, NM_L2TP_LINK_DIAG_VERDICT);
    assert_verdict(d, NM_L2TP_STAGE_PPP_AUTH, NM_L2TP_CAUSE_PPP_AUTH_REJECTED, "PAP");
}

static void
test_auth_failure_words_first(void)
{
    g_autoptr(NML2tpLinkDiag) d = diag_new(FALSE, FALSE);

    up_to_auth(d);
    nm_l2tp_link_diag_pppd_line(d, "E=691 R=0 V=3");
    /* pppd's exit code 19 after its words: named at once. */
    g_assert_cmpint(nm_l2tp_link_diag_exit_status(d, 19), ==, NM_L2TP_LINK_DIAG_VERDICT);
    assert_verdict(d, NM_L2TP_STAGE_PPP_AUTH, NM_L2TP_CAUSE_PPP_AUTH_REJECTED, "E=691");
}

static void
test_auth_failure_when_pppd_exits_first(void)
{
    g_autoptr(NML2tpLinkDiag) d = diag_new(TRUE, FALSE);

    up_to_auth(d);
    nm_l2tp_link_diag_auth_result(d, "EAP-TLS", FALSE);
    g_assert_cmpint(nm_l2tp_link_diag_xl2tpd_event(d, NM_L2TP_XL2TPD_EVENT_PPPD_EXITED, "19"),
                    ==,
                    NM_L2TP_LINK_DIAG_VERDICT);
    /* EAP-TLS: the certificate, not a password. */
    assert_verdict(d, NM_L2TP_STAGE_PPP_AUTH, NM_L2TP_CAUSE_PPP_CERT_REJECTED, "EAP-TLS");
}

/* Our own pppd plugin names what failed with EAP-TLS. */
static void
test_eap_tls_failure_in_the_plugins_words(void)
{
    g_autoptr(NML2tpLinkDiag) d = diag_new(TRUE, FALSE);

    up_to_auth(d);
    nm_l2tp_link_diag_pppd_line(d,
                                "nm-l2tp: EAP-TLS authentication failed: the private key /k is "
                                "encrypted, but no password for it (user-certpass) is set");
    /* The words came first: the plugin's call names it at once. */
    g_assert_cmpint(nm_l2tp_link_diag_auth_result(d, "eap", FALSE), ==, NM_L2TP_LINK_DIAG_VERDICT);
    assert_verdict(d,
                   NM_L2TP_STAGE_PPP_AUTH,
                   NM_L2TP_CAUSE_PPP_CERT_REJECTED,
                   "EAP-TLS authentication failed: the private key /k is encrypted");
}

static void
test_l2tp_events_by_stage(void)
{
    g_autoptr(NML2tpLinkDiag) a = diag_new(FALSE, FALSE);
    g_autoptr(NML2tpLinkDiag) b = diag_new(FALSE, FALSE);
    g_autoptr(NML2tpLinkDiag) c = diag_new(FALSE, FALSE);
    g_autoptr(NML2tpLinkDiag) e = diag_new(FALSE, FALSE);

    nm_l2tp_link_diag_xl2tpd_event(a, NM_L2TP_XL2TPD_EVENT_TUNNEL_CLOSED, "No Authorization");
    assert_verdict(a, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_L2TP_STOPCCN, "No Authorization");
    nm_l2tp_link_diag_xl2tpd_event(b, NM_L2TP_XL2TPD_EVENT_TUNNEL_UP, NULL);
    nm_l2tp_link_diag_xl2tpd_event(b, NM_L2TP_XL2TPD_EVENT_SESSION_CLOSED, "busy");
    assert_verdict(b, NM_L2TP_STAGE_L2TP_SESSION, NM_L2TP_CAUSE_L2TP_CDN, "busy");
    nm_l2tp_link_diag_xl2tpd_event(c, NM_L2TP_XL2TPD_EVENT_NO_RESPONSE, NULL);
    assert_verdict(c, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_L2TP_NO_RESPONSE, "198.51.100.1");
    reach(e, NM_L2TP_STAGE_CONNECTED);
    nm_l2tp_link_diag_xl2tpd_event(e, NM_L2TP_XL2TPD_EVENT_TUNNEL_CLOSED, "Goodbye");
    assert_verdict(e, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_L2TP_STOPCCN, "Goodbye");
}

/* Recorded in the lab: the server closed the session during PPP.  With a
 * refused method pppd's exit names it (the lab's pap-refused); when pppd
 * exits without words, or never speaks before the PPP timeout (xl2tpd
 * killed it first), the server's closing is named. */
static void
test_session_closed_during_ppp(void)
{
    g_autoptr(NML2tpLinkDiag) refused = diag_new(FALSE, TRUE);
    g_autoptr(NML2tpLinkDiag) silent  = diag_new(FALSE, FALSE);
    g_autoptr(NML2tpLinkDiag) exited  = diag_new(FALSE, FALSE);
    NML2tpXl2tpdEvent event;
    g_autofree char  *detail = NULL;

    g_assert_true(nm_l2tp_xl2tpd_parse_line(
        "control_finish: Connection closed to 198.51.100.1, serial 1 ()", &event, &detail));
    g_assert_cmpint(event, ==, NM_L2TP_XL2TPD_EVENT_SESSION_CLOSED);
    g_assert_null(detail);

    up_to_auth(refused);
    g_assert_cmpint(
        nm_l2tp_link_diag_xl2tpd_event(refused, NM_L2TP_XL2TPD_EVENT_SESSION_CLOSED, NULL),
        ==,
        NM_L2TP_LINK_DIAG_NOTHING);
    nm_l2tp_link_diag_exit_status(refused, 16);
    assert_verdict(refused, NM_L2TP_STAGE_PPP_AUTH, NM_L2TP_CAUSE_PPP_AUTH_METHOD_REFUSED, "16");

    reach(silent, NM_L2TP_STAGE_PPP_LCP);
    nm_l2tp_link_diag_xl2tpd_event(silent, NM_L2TP_XL2TPD_EVENT_SESSION_CLOSED, NULL);
    g_assert_false(nm_l2tp_link_diag_has_verdict(silent));
    g_assert_cmpint(nm_l2tp_link_diag_stage_timeout(silent, 20), ==, NM_L2TP_LINK_DIAG_VERDICT);
    assert_verdict(
        silent, NM_L2TP_STAGE_PPP_LCP, NM_L2TP_CAUSE_LCP_TERMINATED, "closed the L2TP session");

    reach(exited, NM_L2TP_STAGE_PPP_LCP);
    nm_l2tp_link_diag_xl2tpd_event(exited, NM_L2TP_XL2TPD_EVENT_SESSION_CLOSED, "Goodbye");
    g_assert_cmpint(
        nm_l2tp_link_diag_xl2tpd_event(exited, NM_L2TP_XL2TPD_EVENT_PPPD_EXITED, "signal"),
        ==,
        NM_L2TP_LINK_DIAG_VERDICT);
    assert_verdict(exited,
                   NM_L2TP_STAGE_PPP_LCP,
                   NM_L2TP_CAUSE_LCP_TERMINATED,
                   "closed the L2TP session: Goodbye");
}

static void
test_stage_timeouts(void)
{
    g_autoptr(NML2tpLinkDiag) a = diag_new(FALSE, FALSE);
    g_autoptr(NML2tpLinkDiag) b = diag_new(FALSE, FALSE);
    g_autoptr(NML2tpLinkDiag) c = diag_new(FALSE, FALSE);

    nm_l2tp_link_diag_stage_timeout(a, 30);
    assert_verdict(a, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_L2TP_NO_RESPONSE, "198.51.100.1");
    reach(b, NM_L2TP_STAGE_PPP_LCP);
    nm_l2tp_link_diag_stage_timeout(b, 30);
    assert_verdict(b, NM_L2TP_STAGE_PPP_LCP, NM_L2TP_CAUSE_LCP_TIMEOUT, NULL);
    reach(c, NM_L2TP_STAGE_PPP_NETWORK);
    nm_l2tp_link_diag_stage_timeout(c, 30);
    assert_verdict(c, NM_L2TP_STAGE_PPP_NETWORK, NM_L2TP_CAUSE_TIMEOUT, "30");
}

static void
test_no_address_fails_ppp_network(void)
{
    g_autoptr(NML2tpLinkDiag) d = diag_new(FALSE, FALSE);

    reach(d, NM_L2TP_STAGE_PPP_NETWORK);
    g_assert_cmpint(nm_l2tp_link_diag_ip_config(d, FALSE), ==, NM_L2TP_LINK_DIAG_VERDICT);
    assert_verdict(d, NM_L2TP_STAGE_PPP_NETWORK, NM_L2TP_CAUSE_IPCP_NO_ADDRESS, NULL);
}

static void
test_first_verdict_counts_until_reset(void)
{
    g_autoptr(NML2tpLinkDiag) d = diag_new(FALSE, FALSE);

    up_to_auth(d);
    nm_l2tp_link_diag_auth_result(d, "MS-CHAPv2", FALSE);
    nm_l2tp_link_diag_words_timeout(d);
    g_assert_cmpint(nm_l2tp_link_diag_exit_status(d, 19), ==, NM_L2TP_LINK_DIAG_NOTHING);
    g_assert_cmpint(nm_l2tp_link_diag_xl2tpd_event(d, NM_L2TP_XL2TPD_EVENT_PPPD_EXITED, "19"),
                    ==,
                    NM_L2TP_LINK_DIAG_NOTHING);
    assert_verdict(d, NM_L2TP_STAGE_PPP_AUTH, NM_L2TP_CAUSE_PPP_AUTH_REJECTED, NULL);
    /* A new password over the same tunnel starts afresh. */
    nm_l2tp_link_diag_reset(d);
    g_assert_false(nm_l2tp_link_diag_has_verdict(d));
    g_assert_cmpint(nm_l2tp_link_diag_get_stage(d), ==, NM_L2TP_STAGE_L2TP_TUNNEL);
    reach(d, NM_L2TP_STAGE_CONNECTED);
    g_assert_true(nm_l2tp_link_diag_is_connected(d));
}

/* A server's words reach pppd's output after a prefix of pppd's own; none
 * of pppd's statements may be recognised inside them (issue: a server
 * cannot forge a verdict).  Every trigger phrase, as a server would send
 * it. */
static const char *const server_words[] = {
    "This system lacks kernel support for PPP",
    "Couldn't open the /dev/ppp device: No such file",
    "/dev/ppp",
    "CHAP authentication failed",
    "No response to 3 echo-requests",
    "E=691 R=0",
    "MS-CHAP authentication failed: Access denied",
};

static void
test_server_words_forge_no_verdict(void)
{
    guint i;

    for (i = 0; i < G_N_ELEMENTS(server_words); i++) {
        g_autoptr(NML2tpLinkDiag) d = diag_new(FALSE, FALSE);
        g_autofree char *remote     = g_strdup_printf("Remote message: %s", server_words[i]);
        g_autofree char *pap = g_strdup_printf("PAP authentication succeeded: %s", server_words[i]);

        reach(d, NM_L2TP_STAGE_PPP_LCP);
        g_assert_cmpint(nm_l2tp_link_diag_pppd_line(d, remote), ==, NM_L2TP_LINK_DIAG_NOTHING);
        g_assert_cmpint(nm_l2tp_link_diag_pppd_line(d, pap), ==, NM_L2TP_LINK_DIAG_NOTHING);
        g_assert_false(nm_l2tp_link_diag_has_verdict(d));
        /* Nor do they change what an ordinary end is called. */
        nm_l2tp_link_diag_exit_status(d, 16);
        assert_verdict(d, NM_L2TP_STAGE_PPP_LCP, NM_L2TP_CAUSE_LCP_TERMINATED, NULL);
    }
}

/* The real "no kernel PPP" words come before PPP talked to anyone. */
static void
test_no_kernel_ppp_from_pppd_itself(void)
{
    g_autoptr(NML2tpLinkDiag) early = diag_new(FALSE, FALSE);
    g_autoptr(NML2tpLinkDiag) late  = diag_new(FALSE, FALSE);

    reach(early, NM_L2TP_STAGE_PPP_LCP);
    g_assert_cmpint(nm_l2tp_link_diag_pppd_line(
                        early, "This system lacks kernel support for PPP.  This could be because"),
                    ==,
                    NM_L2TP_LINK_DIAG_VERDICT);
    assert_verdict(early, NM_L2TP_STAGE_PPP_LCP, NM_L2TP_CAUSE_NO_DEV_PPP, NULL);
    /* Past LCP, pppd has been talking to the server: such a line can only
     * be a server's text that lost its prefix. */
    reach(late, NM_L2TP_STAGE_PPP_AUTH);
    g_assert_cmpint(nm_l2tp_link_diag_pppd_line(late, "This system lacks kernel support for PPP."),
                    ==,
                    NM_L2TP_LINK_DIAG_NOTHING);
}

/* A connection that was up and went away is named for what it is. */
static void
test_losses_after_connect(void)
{
    g_autoptr(NML2tpLinkDiag) hello = diag_new(FALSE, FALSE);
    g_autoptr(NML2tpLinkDiag) xl    = diag_new(FALSE, FALSE);
    g_autoptr(NML2tpLinkDiag) pppd  = diag_new(FALSE, FALSE);
    g_autoptr(NML2tpLinkDiag) bye   = diag_new(FALSE, FALSE);

    /* xl2tpd's hellos went unanswered: not "no answer to SCCRQ". */
    reach(hello, NM_L2TP_STAGE_CONNECTED);
    nm_l2tp_link_diag_xl2tpd_event(hello, NM_L2TP_XL2TPD_EVENT_NO_RESPONSE, NULL);
    assert_verdict(
        hello, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_L2TP_HELLO_TIMEOUT, "198.51.100.1");
    /* xl2tpd itself ended. */
    reach(xl, NM_L2TP_STAGE_CONNECTED);
    nm_l2tp_link_diag_xl2tpd_event(xl, NM_L2TP_XL2TPD_EVENT_EXITED, "signal 9");
    assert_verdict(xl, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_PROCESS_DIED, "xl2tpd, signal 9");
    /* pppd was killed. */
    reach(pppd, NM_L2TP_STAGE_CONNECTED);
    nm_l2tp_link_diag_xl2tpd_event(pppd, NM_L2TP_XL2TPD_EVENT_PPPD_EXITED, "signal");
    assert_verdict(pppd, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_PROCESS_DIED, "pppd");
    /* The server ended PPP, with its words. */
    reach(bye, NM_L2TP_STAGE_CONNECTED);
    nm_l2tp_link_diag_pppd_line(bye, "LCP terminated by peer (Maintenance at 22:00)");
    nm_l2tp_link_diag_exit_status(bye, 16);
    assert_verdict(
        bye, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_LCP_TERMINATED, "Maintenance at 22:00");
}

/* The echo timeout is named as soon as pppd said it and PPP terminates,
 * whichever comes first over its channel, not after the Terminate-Requests
 * to the dead server have timed out and pppd exited. */
static void
test_echo_timeout_before_exit(void)
{
    g_autoptr(NML2tpLinkDiag) words_first = diag_new(FALSE, FALSE);
    g_autoptr(NML2tpLinkDiag) phase_first = diag_new(FALSE, FALSE);
    g_autoptr(NML2tpLinkDiag) forged      = diag_new(FALSE, FALSE);
    g_autoptr(NML2tpLinkDiag) early       = diag_new(FALSE, FALSE);

    reach(words_first, NM_L2TP_STAGE_CONNECTED);
    g_assert_cmpint(nm_l2tp_link_diag_pppd_line(words_first, "No response to 3 echo-requests"),
                    ==,
                    NM_L2TP_LINK_DIAG_NOTHING);
    g_assert_cmpint(nm_l2tp_link_diag_phase(words_first, NM_L2TP_PPP_PHASE_TERMINATE),
                    ==,
                    NM_L2TP_LINK_DIAG_VERDICT);
    assert_verdict(words_first, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT, NULL);

    reach(phase_first, NM_L2TP_STAGE_CONNECTED);
    g_assert_cmpint(nm_l2tp_link_diag_phase(phase_first, NM_L2TP_PPP_PHASE_TERMINATE),
                    ==,
                    NM_L2TP_LINK_DIAG_NOTHING);
    g_assert_cmpint(nm_l2tp_link_diag_pppd_line(phase_first, "No response to 3 echo-requests"),
                    ==,
                    NM_L2TP_LINK_DIAG_VERDICT);
    assert_verdict(phase_first, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT, NULL);

    /* The server's words behind pppd's prefix are no echo timeout: the
     * server ending PPP stays what it is. */
    reach(forged, NM_L2TP_STAGE_CONNECTED);
    nm_l2tp_link_diag_pppd_line(forged, "LCP terminated by peer (No response to 3 echo-requests)");
    g_assert_cmpint(nm_l2tp_link_diag_phase(forged, NM_L2TP_PPP_PHASE_TERMINATE),
                    ==,
                    NM_L2TP_LINK_DIAG_NOTHING);
    nm_l2tp_link_diag_exit_status(forged, 16);
    assert_verdict(forged,
                   NM_L2TP_STAGE_CONNECTED,
                   NM_L2TP_CAUSE_LCP_TERMINATED,
                   "No response to 3 echo-requests");

    /* Before the link was up, it is no loss of a connection. */
    reach(early, NM_L2TP_STAGE_PPP_AUTH);
    nm_l2tp_link_diag_pppd_line(early, "No response to 3 echo-requests");
    g_assert_cmpint(
        nm_l2tp_link_diag_phase(early, NM_L2TP_PPP_PHASE_TERMINATE), ==, NM_L2TP_LINK_DIAG_NOTHING);
    g_assert_false(nm_l2tp_link_diag_has_verdict(early));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/link-diag/pppd-exit-codes-name-their-cause",
                    test_pppd_exit_codes_name_their_cause);
    g_test_add_func("/link-diag/user-request-exit-is-no-failure",
                    test_user_request_exit_is_no_failure);
    g_test_add_func("/link-diag/refused-method-is-named", test_refused_method_is_named);
    g_test_add_func("/link-diag/auth-failure-waits-for-the-servers-words",
                    test_auth_failure_waits_for_the_servers_words);
    g_test_add_func("/link-diag/auth-failure-without-words-after-the-grace",
                    test_auth_failure_without_words_after_the_grace);
    g_test_add_func("/link-diag/auth-failure-words-first", test_auth_failure_words_first);
    g_test_add_func("/link-diag/auth-failure-when-pppd-exits-first",
                    test_auth_failure_when_pppd_exits_first);
    g_test_add_func("/link-diag/l2tp-events-by-stage", test_l2tp_events_by_stage);
    g_test_add_func("/link-diag/session-closed-during-ppp", test_session_closed_during_ppp);
    g_test_add_func("/link-diag/stage-timeouts", test_stage_timeouts);
    g_test_add_func("/link-diag/no-address-fails-ppp-network", test_no_address_fails_ppp_network);
    g_test_add_func("/link-diag/first-verdict-counts-until-reset",
                    test_first_verdict_counts_until_reset);
    g_test_add_func("/link-diag/server-words-forge-no-verdict", test_server_words_forge_no_verdict);
    g_test_add_func("/link-diag/no-kernel-ppp-from-pppd-itself",
                    test_no_kernel_ppp_from_pppd_itself);
    g_test_add_func("/link-diag/losses-after-connect", test_losses_after_connect);
    g_test_add_func("/link-diag/echo-timeout-before-exit", test_echo_timeout_before_exit);
    g_test_add_func("/link-diag/eap-tls-failure-in-the-plugins-words",
                    test_eap_tls_failure_in_the_plugins_words);
    return g_test_run();
}
