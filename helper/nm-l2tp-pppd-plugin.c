/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nm-l2tp-pppd-plugin.so: the part of the L2TP VPN that lives inside pppd.
 *
 * pppd loads it through "plugin .../nm-l2tp-pppd-plugin.so" in the options
 * file that nm-l2tp-service writes, followed by "nm-l2tp-service BUS-NAME".
 * From then on the plugin
 *   - hands pppd the user name and password for PAP, CHAP, MS-CHAP and
 *     MS-CHAPv2, fetched from the service with NeedSecrets, and for EAP-TLS
 *     the password of the private key (NeedCertPassword), so that no secret
 *     ever touches a file, a command line or the environment;
 *   - reports every phase change, the authentication result and method, the
 *     IPv4 configuration and pppd's exit status, which is what lets the
 *     service name the PPP stage that failed (see docs/design.md);
 *   - reports IPv6CP's interface identifiers (nm-l2tp-pppd-ipv6.c).
 * The contract is common/nm-l2tp-ppp-dbus.h and
 * data/org.freedesktop.NetworkManager.l2tp.ppp.xml.
 *
 * The calls to the service are in nm-l2tp-pppd-bus.c.
 */

#include <errno.h>
#include <string.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

/* pppd's headers come before GLib's: they declare "bool" themselves and
 * expect the BSD types of <sys/types.h>. */
#include <pppd/pppd.h>
#include <pppd/fsm.h>
#include <pppd/ipcp.h>
#include <pppd/lcp.h>
#include <pppd/chap-new.h>
#include <pppd/upap.h>
#include <pppd/eap.h>

#include "nm-l2tp-pppd-bus.h"
#include "nm-l2tp-pppd-ipv6.h"
#include "nm-l2tp-pppd-keyfile.h"

/* pppd.h declares the EAP-TLS hook only under USE_EAPTLS, a define of
 * pppd's own build that also changes pppd's EAP structures, so it is not
 * set here.  Weak: a pppd built without EAP-TLS lacks the symbol, and the
 * plugin must still load there (the address is then NULL). */
extern int (*eaptls_passwd_hook)(char *keyfile, char *passwd) __attribute__((weak));
/* pppd's "key" option (EAP-TLS private key), for the same reason weak. */
extern char *privkey_file __attribute__((weak));

/* Whether this link authenticates with EAP-TLS: pppd was given a "key". */
static gboolean
nm_l2tp_uses_eaptls(void)
{
    return &privkey_file && privkey_file;
}

/* pppd refuses plugins built for another version: it compares this string
 * with its own before calling plugin_init(). */
char pppd_version[] = VERSION;

int plugin_init(void);

static struct {
    int         phase;          /* last phase seen */
    gboolean    saw_phase;      /* a phase change was reported before */
    gboolean    authenticating; /* PHASE_AUTHENTICATE seen, result not yet reported */
    gboolean    auth_reported;
    const char *auth_method;    /* method the peer asked us for, if any */
    gboolean    eaptls_failure; /* an EAP-TLS failure was named already */
} gl = {
    .phase = PHASE_DEAD,
};

/* ------------------------------------------------------------------------
 * Authentication
 */

/* Which method the peer asked us to authenticate with, from what LCP
 * agreed to (lcp_hisoptions: the peer's requests to us).  pppd prefers EAP,
 * then CHAP, then PAP (auth.c, link_established), so do we. */
static const char *
nm_l2tp_auth_method(void)
{
    const lcp_options *ho = &lcp_hisoptions[0];

    if (ho->neg_eap)
        return "eap";
    if (ho->neg_chap) {
        /* pppd 2.4.9 stores the digest as an MDTYPE_* bit here; older and
         * patched pppds kept the CHAP algorithm code.  The two sets of
         * values do not overlap, so accept both. */
        switch (ho->chap_mdtype) {
        case MDTYPE_MICROSOFT_V2:
        case CHAP_MICROSOFT_V2:
            return "mschap-v2";
        case MDTYPE_MICROSOFT:
        case CHAP_MICROSOFT:
            return "mschap";
        case MDTYPE_MD5:
        case CHAP_MD5:
            return "chap";
        default:
            return "chap";
        }
    }
    if (ho->neg_upap)
        return "pap";
    return NULL;
}

static void
nm_l2tp_report_auth(gboolean success)
{
    const char *method = gl.auth_method ? gl.auth_method : nm_l2tp_auth_method();

    gl.authenticating = FALSE;
    if (gl.auth_reported)
        return;
    gl.auth_reported = TRUE;
    if (!method) {
        /* The peer never asked us to authenticate: nothing to judge. */
        return;
    }
    info(
        "nm-l2tp: authentication to the peer with %s %s", method, success ? "succeeded" : "failed");
    /* pppd's own words for a failed EAP-TLS are only "EAP: peer reports
     * authentication failure" (and debug lines): say what it means.  Its
     * certificate checks go both ways, and the server's reasons stay on
     * the server. */
    if (!success && g_str_equal(method, "eap") && nm_l2tp_uses_eaptls() && !gl.eaptls_failure)
        error("nm-l2tp: EAP-TLS authentication failed: the server did not accept our "
              "certificate, or user-ca did not verify the server's");
    nm_l2tp_bus_report_nowait("SetAuthResult", g_variant_new("(sb)", method, success));
}

/* Called when pppd decides whether it could authenticate to the peer at
 * all (and again when LCP negotiates).  The service always has the
 * credentials, so say yes without asking it yet: the real request happens
 * once the peer has chosen a method. */
static int
nm_l2tp_check_hook(void)
{
    return 1;
}

/* Fills pppd's user[MAXNAMELEN] and passwd[MAXSECRETLEN] buffers (both
 * hooks get buffers of those sizes).  Returns 1 with the credentials in
 * place.  When the service cannot give them, there is no sensible way to
 * go on: returning 0 or -1 would make pppd send an empty password (or look
 * in its pap-secrets or chap-secrets file), the peer would reject it, and
 * the attempt would be misreported as a wrong password.  So pppd ends
 * here, with a logged reason and EXIT_FATAL_ERROR, which is also what it
 * does for its own fatal errors. */
static int
nm_l2tp_get_credentials(char *username, char *password)
{
    GError     *err = NULL;
    GVariant   *ret;
    const char *u    = NULL;
    const char *p    = NULL;
    gsize       ulen = 0;
    gsize       plen = 0;

    /* Newer pppds call the PAP hook with neither buffer to say they gave
     * up; there is nothing to hand over. */
    if (!username)
        return 0;
    /* pppd calls the PAP hook with no password buffer whenever LCP starts
     * (auth_reset: "could we do PAP at all?"); the answer is yes, and the
     * service is not asked until the peer really wants the password. */
    if (!password)
        return 1;
    /* With EAP-TLS the password methods are refused in LCP, but inside EAP
     * a server may still offer MD5-Challenge, which comes here.  There is
     * no password: decline (pppd NAKs it) instead of ending pppd. */
    if (nm_l2tp_uses_eaptls()) {
        warn("nm-l2tp: the server asked for a password, but this connection authenticates "
             "with a certificate (EAP-TLS)");
        return -1;
    }

    ret = nm_l2tp_bus_call(
        "NeedSecrets", NULL, G_VARIANT_TYPE("(ss)"), NM_L2TP_SECRETS_TIMEOUT_MS, &err);
    if (!ret) {
        if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
            fatal("nm-l2tp: cannot ask nm-l2tp-service for the credentials (see above)");
        else
            fatal(
                "nm-l2tp: NeedSecrets to %s failed: %s", nm_l2tp_bus_service_name(), err->message);
        g_error_free(err); /* not reached: fatal() exits */
        return -1;
    }

    g_variant_get(ret, "(&s&s)", &u, &p);
    ulen = strlen(u);
    plen = strlen(p);
    /* pppd's buffers hold MAXNAMELEN/MAXSECRETLEN bytes including the NUL;
     * a longer value truncated would be a different (wrong) credential, so
     * refuse it instead of sending it. */
    if (ulen >= MAXNAMELEN || plen >= MAXSECRETLEN) {
        /* The variant owns the only copy of the password: wipe it before
         * dropping it.  Its data is ours (we hold the last reference). */
        explicit_bzero((char *)p, plen);
        g_variant_unref(ret);
        fatal("nm-l2tp: the %s from nm-l2tp-service is too long for pppd (%zu bytes, at most "
              "%d)",
              ulen >= MAXNAMELEN ? "user name" : "password",
              ulen >= MAXNAMELEN ? ulen : plen,
              (ulen >= MAXNAMELEN ? MAXNAMELEN : MAXSECRETLEN) - 1);
        return -1;
    }
    if (ulen == 0)
        warn("nm-l2tp: nm-l2tp-service has no user name for this connection");

    memcpy(username, u, ulen + 1);
    memcpy(password, p, plen + 1);
    /* pppd's buffer is now the only copy: wipe the reply's. */
    explicit_bzero((char *)p, plen);
    g_variant_unref(ret);

    /* The user name is no secret, the password is never logged.  %q:
     * pppd quotes anything unprintable, so a name cannot forge log lines. */
    info("nm-l2tp: credentials for user %q received from nm-l2tp-service", username);
    return 1;
}

static int
nm_l2tp_pap_passwd_hook(char *username, char *password)
{
    return nm_l2tp_get_credentials(username, password);
}

/* The CHAP hook is also used for MS-CHAP and MS-CHAPv2; for those pppd
 * hashes the password itself. */
static int
nm_l2tp_chap_passwd_hook(char *username, char *password)
{
    return nm_l2tp_get_credentials(username, password);
}

/* PPP's protocol number for EAP (RFC 3748); pppd's headers keep it to
 * pppd's own build. */
#define NM_L2TP_PPP_EAP 0xc227

/* EAP-TLS cannot go on: name why (the line says "authentication failed",
 * which the service takes as pppd's words for the verdict) and end the
 * link the way pppd does when it cannot authenticate itself, so that it
 * exits with EXIT_AUTH_TOPEER_FAILED at once rather than after the
 * server's retries. */
static void
nm_l2tp_eaptls_fail(const char *why)
{
    error("nm-l2tp: EAP-TLS authentication failed: %s", why);
    gl.eaptls_failure = TRUE;
    auth_withpeer_fail(0, NM_L2TP_PPP_EAP);
}

/* EAP-TLS: pppd asks for the password of its "key" file (into its
 * passwd[MAXSECRETLEN], which its OpenSSL password callback reads) each
 * time the server starts EAP-TLS, whether or not the key has one.
 * Returns 0 with the password (or "") in place, or -1 after ending the
 * link with a named failure. */
static int
nm_l2tp_eaptls_passwd_hook(char *keyfile, char *passwd)
{
    GError          *err = NULL;
    GVariant        *ret;
    const char      *p   = NULL;
    gsize            len = 0;
    g_autofree char *why = NULL;

    ret = nm_l2tp_bus_call(
        "NeedCertPassword", NULL, G_VARIANT_TYPE("(s)"), NM_L2TP_SECRETS_TIMEOUT_MS, &err);
    if (!ret) {
        why =
            g_strdup_printf("cannot ask nm-l2tp-service for the password of the private key %s: %s",
                            keyfile,
                            err->message);
        g_error_free(err);
        nm_l2tp_eaptls_fail(why);
        return -1;
    }
    g_variant_get(ret, "(&s)", &p);
    len = strlen(p);
    if (len >= MAXSECRETLEN) {
        explicit_bzero((char *)p, len);
        g_variant_unref(ret);
        why = g_strdup_printf(
            "the password of the private key is too long for pppd (%zu bytes, at most %d)",
            len,
            MAXSECRETLEN - 1);
        nm_l2tp_eaptls_fail(why);
        return -1;
    }
    if (len == 0) {
        g_variant_unref(ret);
        if (nm_l2tp_pppd_key_is_encrypted(keyfile)) {
            why = g_strdup_printf(
                "the private key %s is encrypted, but no password for it (user-certpass) is set",
                keyfile);
            nm_l2tp_eaptls_fail(why);
            return -1;
        }
        passwd[0] = '\0';
        return 0;
    }
    memcpy(passwd, p, len + 1);
    explicit_bzero((char *)p, len);
    g_variant_unref(ret);
    info("nm-l2tp: password of the private key %s received from nm-l2tp-service", keyfile);
    return 0;
}

/* ------------------------------------------------------------------------
 * Notifiers
 */

static const char *
nm_l2tp_phase_name(int phase)
{
    static const char *const names[] = {
        [PHASE_DEAD]         = "dead",
        [PHASE_INITIALIZE]   = "initialize",
        [PHASE_SERIALCONN]   = "serial connection",
        [PHASE_DORMANT]      = "dormant",
        [PHASE_ESTABLISH]    = "establish",
        [PHASE_AUTHENTICATE] = "authenticate",
        [PHASE_CALLBACK]     = "callback",
        [PHASE_NETWORK]      = "network",
        [PHASE_RUNNING]      = "running",
        [PHASE_TERMINATE]    = "terminate",
        [PHASE_DISCONNECT]   = "disconnect",
        [PHASE_HOLDOFF]      = "holdoff",
        [PHASE_MASTER]       = "master",
    };

    if (phase >= 0 && phase < (int)G_N_ELEMENTS(names) && names[phase])
        return names[phase];
    return "unknown";
}

static void
nm_l2tp_phase_changed(void *data, int arg)
{
    /* The contract numbers phases as pppd does; a mismatch would silently
     * misreport every stage, so catch it at compile time. */
    G_STATIC_ASSERT(NM_L2TP_PPP_PHASE_AUTHENTICATE == PHASE_AUTHENTICATE);
    G_STATIC_ASSERT(NM_L2TP_PPP_PHASE_NETWORK == PHASE_NETWORK);
    G_STATIC_ASSERT(NM_L2TP_PPP_PHASE_RUNNING == PHASE_RUNNING);
    G_STATIC_ASSERT(NM_L2TP_PPP_PHASE_MASTER == PHASE_MASTER);

    gl.phase = arg;
    info("nm-l2tp: phase %s", nm_l2tp_phase_name(arg));

    switch (arg) {
    case PHASE_ESTABLISH:
        /* A new link (first one, or again with "persist"): its
         * authentication is yet to be judged. */
        gl.authenticating = FALSE;
        gl.auth_reported  = FALSE;
        gl.auth_method    = NULL;
        break;
    case PHASE_AUTHENTICATE:
        /* LCP is open, so what the peer asked for is settled; remember it
         * now, since LCP's state is reset once the link goes down. */
        gl.authenticating = TRUE;
        gl.auth_method    = nm_l2tp_auth_method();
        break;
    default:
        break;
    }

    if (gl.saw_phase) {
        nm_l2tp_bus_report_nowait("SetState", g_variant_new("(u)", (guint32)arg));
    } else {
        nm_l2tp_bus_report_first((guint32)arg);
    }
    gl.saw_phase = TRUE;

    /* pppd goes from AUTHENTICATE (perhaps through CALLBACK) to NETWORK
     * only when every authentication in both directions succeeded. */
    if (arg == PHASE_NETWORK && gl.authenticating)
        nm_l2tp_report_auth(TRUE);
}

static void
nm_l2tp_add_addresses(GVariantBuilder *dict, const char *key, const u_int32_t addrs[2])
{
    GVariantBuilder list;
    gboolean        any = FALSE;

    g_variant_builder_init(&list, G_VARIANT_TYPE("au"));
    for (int i = 0; i < 2; i++) {
        if (addrs[i]) {
            g_variant_builder_add(&list, "u", (guint32)addrs[i]);
            any = TRUE;
        }
    }
    if (any)
        g_variant_builder_add(dict, "{sv}", key, g_variant_builder_end(&list));
    else
        g_variant_builder_clear(&list);
}

/* IPCP is up: what we got (our address, DNS and WINS servers the peer
 * gave us) and the peer's address, all in network byte order as the
 * contract wants. */
static void
nm_l2tp_ip_up(void *data, int arg)
{
    const ipcp_options *got = &ipcp_gotoptions[0];
    const ipcp_options *his = &ipcp_hisoptions[0];
    GVariantBuilder     dict;
    char                ours[INET_ADDRSTRLEN] = "";
    char                peer[INET_ADDRSTRLEN] = "";
    int                 mtu;

    g_variant_builder_init(&dict, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&dict, "{sv}", NM_L2TP_PPP_IP4_IFACE, g_variant_new_string(ifname));
    g_variant_builder_add(
        &dict, "{sv}", NM_L2TP_PPP_IP4_ADDRESS, g_variant_new_uint32(got->ouraddr));
    if (his->hisaddr)
        g_variant_builder_add(
            &dict, "{sv}", NM_L2TP_PPP_IP4_PEER, g_variant_new_uint32(his->hisaddr));
    nm_l2tp_add_addresses(&dict, NM_L2TP_PPP_IP4_DNS, got->dnsaddr);
    nm_l2tp_add_addresses(&dict, NM_L2TP_PPP_IP4_WINS, got->winsaddr);

    /* The kernel's value is what pppd finally set on the interface (the
     * peer's MRU capped by our "mtu" option); fall back to what LCP agreed
     * should the ioctl fail. */
    mtu = netif_get_mtu(ifunit);
    if (mtu <= 0)
        mtu = lcp_hisoptions[0].neg_mru ? lcp_hisoptions[0].mru : PPP_MRU;
    g_variant_builder_add(&dict, "{sv}", NM_L2TP_PPP_IP4_MTU, g_variant_new_uint32(mtu));

    inet_ntop(AF_INET, &got->ouraddr, ours, sizeof(ours));
    inet_ntop(AF_INET, &his->hisaddr, peer, sizeof(peer));
    info("nm-l2tp: IPv4 up on %s: local %s, peer %s, mtu %d", ifname, ours, peer, mtu);

    nm_l2tp_bus_report_nowait("SetIp4Config", g_variant_new("(a{sv})", &dict));
}

static void
nm_l2tp_exit(void *data, int arg)
{
    /* "dryrun" only checks the options; there is no attempt to report. */
    if (dryrun)
        return;
    nm_l2tp_bus_exiting();

    /* arg is the status die() passes to exit(): the "status" global in the
     * normal case, 1 when pppd ends through fatal(). */
    /* Also when no credentials were asked for: an EAP peer can reject the
     * identity (pppd's "user" option) before any secret is needed. */
    if (arg == EXIT_AUTH_TOPEER_FAILED)
        nm_l2tp_report_auth(FALSE);

    info("nm-l2tp: pppd exits with status %d", arg);
    nm_l2tp_bus_report("SetExitStatus", g_variant_new("(u)", (guint32)arg));

    nm_l2tp_bus_close();
}

/* ------------------------------------------------------------------------
 * Entry point
 */

int
plugin_init(void)
{
    add_options(nm_l2tp_bus_options);

    pap_check_hook   = nm_l2tp_check_hook;
    pap_passwd_hook  = nm_l2tp_pap_passwd_hook;
    chap_check_hook  = nm_l2tp_check_hook;
    chap_passwd_hook = nm_l2tp_chap_passwd_hook;
    if (&eaptls_passwd_hook)
        eaptls_passwd_hook = nm_l2tp_eaptls_passwd_hook;

    add_notifier(&phasechange, nm_l2tp_phase_changed, NULL);
    add_notifier(&ip_up_notifier, nm_l2tp_ip_up, NULL);
    add_notifier(&exitnotify, nm_l2tp_exit, NULL);
    nm_l2tp_ipv6_init();

    info("nm-l2tp: plugin initialized");
    return 0;
}
