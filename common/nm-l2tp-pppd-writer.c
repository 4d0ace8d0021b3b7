/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pppd options file that xl2tpd hands to pppd.  Secrets are not in it:
 * the password reaches pppd through the helper plugin's D-Bus call. */

#include "config.h"

#include "nm-l2tp-writers.h"

/* pppd reads words in double quotes with backslash escapes; validation has
 * already refused quotes and control characters, so escaping the one
 * backslash a user name may carry (DOMAIN\user) is all that is left. */
static void
append_quoted(GString *out, const char *option, const char *value)
{
    const char *p;

    g_string_append_printf(out, "%s \"", option);
    for (p = value; *p; p++) {
        if (*p == '\\')
            g_string_append_c(out, '\\');
        g_string_append_c(out, *p);
    }
    g_string_append(out, "\"\n");
}

static void
append_flag(GString *out, gboolean on, const char *option)
{
    if (on)
        g_string_append_printf(out, "%s\n", option);
}

char *
nm_l2tp_pppd_options_build(const NML2tpSettings *s, const NML2tpWriterParams *p)
{
    GString         *out;
    g_autofree char *user = NULL;

    g_return_val_if_fail(nm_l2tp_uuid_is_plain(p->uuid), NULL);
    out  = g_string_new(NULL);
    user = nm_l2tp_settings_dup_ppp_user(s);

    g_string_append_printf(
        out, "# pppd options for connection %s, written by nm-l2tp-service\n", p->uuid);
    if (p->ppp_plugin) {
        g_string_append_printf(out, "plugin %s\n", p->ppp_plugin);
        if (p->bus_name)
            g_string_append_printf(out, "nm-l2tp-service %s\n", p->bus_name);
    }
    /* We authenticate to the server; the server need not to us. Routes
     * and DNS are NetworkManager's business, not pppd's. */
    g_string_append(out, "noauth\nnodefaultroute\nnoipdefault\nusepeerdns\nnoproxyarp\n");
    /* IPv6CP runs beside IPCP, not before it: pppd reports IPCP up (and
     * the service hands NetworkManager the IPv4 configuration) whether
     * IPv6CP is still negotiating, was rejected by an IPv4-only server, or
     * gave up after its retries, so auto costs such a server nothing.
     * ipv6cp-accept-local takes the interface identifier the server
     * suggests instead of trying random ones until it agrees. */
    if (s->ipv6 == NM_L2TP_IPV6_MODE_AUTO)
        g_string_append(out, "+ipv6\nipv6cp-accept-local\n");
    else
        g_string_append(out, "noipv6\n");
    /* pppd hands the ipparam to the ip-up and ip-down scripts.  Debian's
     * 0000usepeerdns would otherwise write the server's DNS servers into
     * /etc/resolv.conf behind NetworkManager's back (and leave a backup
     * file beside it); it leaves alone a link whose ipparam has the form
     * nm-*-service-*, which says that NetworkManager handles DNS. */
    g_string_append_printf(out, "ipparam nm-l2tp-service-%s\n", p->uuid);
    g_string_append(out, "ipcp-accept-local\nipcp-accept-remote\n");
    /* pppd's messages on stderr, which xl2tpd passes on to the service: its
     * words (MS-CHAP's E=691, unanswered LCP echoes) name causes that its
     * exit code cannot. */
    g_string_append(out, "logfd 2\n");
    /* With EAP-TLS the user name is the EAP identity; a pppd server
     * compares it with the CN of the user's certificate.  pppd would send
     * its host name without it, so validation requires it. */
    if (user)
        append_quoted(out, "user", user);
    if (s->user_auth_type == NM_L2TP_USER_AUTH_TLS) {
        /* pppd takes ca, cert and key from the options only when all three
         * are given; otherwise it looks in /etc/ppp/eaptls-client, which
         * is not ours.  Validation requires all three. */
        if (s->user_ca)
            append_quoted(out, "ca", s->user_ca);
        append_quoted(out, "cert", s->user_cert);
        append_quoted(out, "key", s->user_key);
        /* EAP-TLS is the only way in: there is no password to send, and a
         * server that asked for one would only get an empty one.  The
         * refuse-* keys are about password methods and do not apply. */
        g_string_append(out, "refuse-pap\nrefuse-chap\nrefuse-mschap\nrefuse-mschap-v2\n");
    } else {
        append_flag(out, s->refuse_eap, "refuse-eap");
        append_flag(out, s->refuse_pap, "refuse-pap");
        append_flag(out, s->refuse_chap, "refuse-chap");
        append_flag(out, s->refuse_mschap, "refuse-mschap");
        append_flag(out, s->refuse_mschapv2, "refuse-mschap-v2");
    }
    append_flag(out, s->require_mppe, "require-mppe");
    append_flag(out, s->require_mppe_40, "require-mppe-40");
    append_flag(out, s->require_mppe_128, "require-mppe-128");
    append_flag(out, s->mppe_stateful, "mppe-stateful");
    append_flag(out, s->nobsdcomp, "nobsdcomp");
    append_flag(out, s->nodeflate, "nodeflate");
    append_flag(out, s->no_vj_comp, "novj");
    append_flag(out, s->nopcomp, "nopcomp");
    append_flag(out, s->noaccomp, "noaccomp");
    g_string_append_printf(out, "mtu %" G_GINT64_FORMAT "\n", s->mtu);
    g_string_append_printf(out, "mru %" G_GINT64_FORMAT "\n", s->mru);
    if (s->mrru > 0)
        g_string_append_printf(out, "multilink\nmrru %" G_GINT64_FORMAT "\n", s->mrru);
    g_string_append_printf(out, "lcp-echo-failure %" G_GINT64_FORMAT "\n", s->lcp_echo_failure);
    g_string_append_printf(out, "lcp-echo-interval %" G_GINT64_FORMAT "\n", s->lcp_echo_interval);
    /* Echo only when the server has been quiet: no extra packets while
     * data flows, and a dead server still noticed within
     * (failure + 1) x interval of its last packet (defaults: 20 s). */
    if (s->lcp_echo_interval > 0 && s->lcp_echo_failure > 0)
        g_string_append(out, "lcp-echo-adaptive\n");
    if (s->unit >= 0)
        g_string_append_printf(out, "unit %" G_GINT64_FORMAT "\n", s->unit);
    if (s->ipcp_peer_ip)
        g_string_append_printf(out, ":%s\n", s->ipcp_peer_ip);
    return g_string_free(out, FALSE);
}
