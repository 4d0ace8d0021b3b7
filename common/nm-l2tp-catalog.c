/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The catalog's tables.  Messages say what went wrong in words a user who
 * is not a network engineer understands; hints say what to check, usually
 * something to compare with the server's administrator. */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "nm-l2tp-catalog.h"

static const struct {
    const char *id;
    const char *label;
} stages[NM_L2TP_STAGE_N] = {
    [NM_L2TP_STAGE_RESOLVE]      = { "resolve", N_("Gateway name lookup") },
    [NM_L2TP_STAGE_IKE_PHASE1]   = { "ike-phase1", N_("IPsec phase 1") },
    [NM_L2TP_STAGE_IKE_PHASE2]   = { "ike-phase2", N_("IPsec phase 2") },
    [NM_L2TP_STAGE_L2TP_TUNNEL]  = { "l2tp-tunnel", N_("L2TP tunnel") },
    [NM_L2TP_STAGE_L2TP_SESSION] = { "l2tp-session", N_("L2TP session") },
    [NM_L2TP_STAGE_PPP_LCP]      = { "ppp-lcp", N_("PPP link") },
    [NM_L2TP_STAGE_PPP_AUTH]     = { "ppp-auth", N_("PPP authentication") },
    [NM_L2TP_STAGE_PPP_NETWORK]  = { "ppp-network", N_("PPP network configuration") },
    [NM_L2TP_STAGE_CONNECTED]    = { "connected", N_("Connected") },
};

#define C(c, i, m, md, h, s) \
    [NM_L2TP_CAUSE_##c] = { NM_L2TP_CAUSE_##c, i, m, md, h, NM_L2TP_SECRET_##s }

static const NML2tpCauseInfo causes[NM_L2TP_CAUSE_N] = {
    C(NONE, "none", N_("no error"), NULL, N_("nothing to check"), NONE),
    C(UNKNOWN,
      "unknown",
      N_("the connection failed for an unknown reason"),
      N_("the connection failed: %s"),
      N_("look at the logs of the last attempt"),
      NONE),
    C(INTERNAL,
      "internal-error",
      N_("an internal error stopped the connection"),
      N_("an internal error stopped the connection: %s"),
      N_("this is a bug; please report it with the logs of the last attempt"),
      NONE),
    C(TIMEOUT,
      "timeout",
      N_("the step did not finish in time"),
      N_("the step did not finish in time: %s"),
      N_("check that the server is reachable and the timeouts are long enough"),
      NONE),
    C(RESOLVE_FAILED,
      "resolve-failed",
      N_("the gateway name could not be resolved"),
      N_("the gateway name %s could not be resolved"),
      N_("check the gateway name and this computer's DNS settings"),
      NONE),
    C(CHARON_UNAVAILABLE,
      "charon-unavailable",
      N_("the IPsec service (strongSwan charon) could not be reached or started"),
      N_("the IPsec service (strongSwan charon) could not be reached or started: %s"),
      N_("check that strongSwan (strongswan-charon, strongswan-swanctl) is installed"),
      NONE),
    C(CONFIG_REJECTED,
      "config-rejected",
      N_("strongSwan refused the connection settings"),
      N_("strongSwan refused the connection settings: %s"),
      N_("check the IPsec settings, such as the proposals and certificate files"),
      NONE),
    C(NO_RESPONSE,
      "no-response",
      N_("no response from the VPN server"),
      N_("no response from %s"),
      N_("check the gateway address, that the server runs, and that no firewall blocks UDP ports "
         "500 and 4500"),
      NONE),
    C(NO_PROPOSAL_CHOSEN,
      "no-proposal-chosen",
      N_("the server accepted none of the encryption proposals we offered"),
      N_("the server accepted none of the encryption proposals we offered (%s)"),
      N_("ask the server's administrator which algorithms it allows and set them under the IPsec "
         "proposals"),
      NONE),
    C(PSK_REJECTED,
      "psk-rejected",
      N_("pre-shared key rejected: the IPsec pre-shared key differs from the server's"),
      N_("pre-shared key rejected: the IPsec pre-shared key differs from the server's (%s)"),
      N_("check the IPsec pre-shared key (it is not the user password)"),
      IPSEC_PSK),
    C(CERT_REJECTED,
      "cert-rejected",
      N_("the certificate was rejected"),
      N_("the certificate was rejected: %s"),
      N_("check the machine certificate, its key and the CA certificate"),
      NONE),
    C(AUTH_FAILED,
      "ike-auth-failed",
      N_("IPsec authentication failed"),
      N_("IPsec authentication failed: %s"),
      N_("check the pre-shared key or certificates and the remote ID"),
      NONE),
    C(INVALID_ID,
      "invalid-id",
      N_("the server refused our identity or traffic selectors (INVALID_ID_INFORMATION)"),
      N_("the server refused our identity or traffic selectors (INVALID_ID_INFORMATION): %s"),
      N_("check the remote ID and group name; the server may expect other ports or addresses for "
         "L2TP"),
      NONE),
    C(REMOTE_ID_MISMATCH,
      "remote-id-mismatch",
      N_("the server's identity does not match the configured remote ID"),
      N_("the server's identity does not match the configured remote ID (%s)"),
      N_("check the remote ID setting against the identity the server uses (often its address or "
         "host name)"),
      NONE),
    C(IKEV1_DISABLED,
      "ikev1-disabled",
      N_("IKEv1, which L2TP/IPsec uses, is not available"),
      N_("IKEv1, which L2TP/IPsec uses, is not available: %s"),
      N_("check that IKEv1 is enabled on the server and in strongSwan (charon.ikev1 or the "
         "version setting)"),
      NONE),
    C(ESP_UNSUPPORTED_KERNEL,
      "esp-unsupported-kernel",
      N_("this kernel lacks IPsec ESP support (esp4)"),
      N_("this kernel lacks IPsec ESP support (esp4): %s"),
      N_("load the esp4 and xfrm modules (modprobe esp4) or use a kernel with IPsec support"),
      NONE),
    C(PEER_DELETED,
      "peer-deleted",
      N_("the server closed the IPsec connection"),
      N_("the server closed the IPsec connection: %s"),
      N_("check the server's log; it may limit connections or have been restarted"),
      NONE),
    C(DPD_TIMEOUT,
      "dpd-timeout",
      N_("the server stopped answering (dead peer detection)"),
      N_("the server %s stopped answering (dead peer detection)"),
      N_("check the network connection to the server"),
      NONE),
    C(REKEY_FAILED,
      "rekey-failed",
      N_("renewing the IPsec keys failed"),
      N_("renewing the IPsec keys failed: %s"),
      N_("check the lifetimes and proposals against the server's"),
      NONE),
    C(L2TP_NO_RESPONSE,
      "l2tp-no-response",
      N_("the server did not answer the L2TP tunnel request"),
      N_("the server %s did not answer the L2TP tunnel request"),
      N_("IPsec is up but L2TP got no answer: check that the server runs L2TP (UDP 1701)"),
      NONE),
    C(L2TP_STOPCCN,
      "l2tp-stopccn",
      N_("the server closed the L2TP tunnel"),
      N_("the server closed the L2TP tunnel (%s)"),
      N_("check the server's L2TP log for the result code"),
      NONE),
    C(L2TP_KERNEL_MISSING,
      "l2tp-kernel-missing",
      N_("this kernel lacks L2TP support (l2tp_ppp)"),
      N_("this kernel lacks L2TP support (l2tp_ppp): %s"),
      N_("load the l2tp_ppp module (modprobe l2tp_ppp) or use a kernel with L2TP support"),
      NONE),
    C(L2TP_CDN,
      "l2tp-cdn",
      N_("the server refused the L2TP session"),
      N_("the server refused the L2TP session (%s)"),
      N_("check the server's L2TP log for the result code"),
      NONE),
    C(LCP_TIMEOUT,
      "ppp-lcp-timeout",
      N_("the PPP link could not be negotiated in time"),
      N_("the PPP link could not be negotiated in time: %s"),
      N_("check the MTU/MRU settings and the server's PPP options"),
      NONE),
    C(LCP_TERMINATED,
      "ppp-lcp-terminated",
      N_("the server ended the PPP link"),
      N_("the server ended the PPP link: %s"),
      N_("check the server's PPP log"),
      NONE),
    C(NO_DEV_PPP,
      "ppp-no-dev-ppp",
      N_("this system lacks PPP support (/dev/ppp)"),
      N_("this system lacks PPP support (/dev/ppp): %s"),
      N_("load the ppp_generic module (modprobe ppp_generic)"),
      NONE),
    C(PPP_AUTH_REJECTED,
      "ppp-auth-rejected",
      N_("the user name or password was rejected"),
      N_("the user name or password was rejected (%s)"),
      N_("check the user name, the password and the domain"),
      PASSWORD),
    C(PPP_AUTH_METHOD_REFUSED,
      "ppp-auth-method-refused",
      N_("the server refused every authentication method we allow"),
      N_("the server refused every authentication method we allow (%s)"),
      N_("check which authentication methods are refused in the PPP settings"),
      NONE),
    C(PPP_CERT_REJECTED,
      "ppp-cert-rejected",
      N_("the certificate login (EAP-TLS) failed"),
      N_("the certificate login (EAP-TLS) failed: %s"),
      N_("check the user certificate, its private key and the key's password, and that the CA "
         "certificate is the one that signed the server's certificate"),
      NONE),
    C(IPCP_REFUSED,
      "ppp-ipcp-refused",
      N_("the server refused our IP configuration"),
      N_("the server refused our IP configuration: %s"),
      N_("check the PPP IP settings against the server's address pool"),
      NONE),
    C(IPCP_NO_ADDRESS,
      "ppp-ipcp-no-address",
      N_("the server assigned no IP address"),
      N_("the server assigned no IP address: %s"),
      N_("the server's address pool may be exhausted; ask its administrator"),
      NONE),
    C(LCP_ECHO_TIMEOUT,
      "ppp-lcp-echo-timeout",
      N_("the connection was lost: the server stopped answering"),
      N_("the connection was lost: the server stopped answering (%s)"),
      N_("check the network connection and the LCP echo settings"),
      NONE),
    C(L2TP_HELLO_TIMEOUT,
      "l2tp-hello-timeout",
      N_("the connection was lost: the server stopped answering L2TP keepalives"),
      N_("the connection was lost: %s stopped answering L2TP keepalives"),
      N_("check the network connection to the server"),
      NONE),
    C(PROCESS_DIED,
      "process-died",
      N_("a program the connection needs ended unexpectedly"),
      N_("a program the connection needs ended unexpectedly: %s"),
      N_("look at the logs of the last attempt (nm-l2tp-diag --logs); connect again"),
      NONE),
    C(FILE_REFUSED,
      "file-refused",
      N_("a file named in the connection's settings cannot be used"),
      N_("a file named in the connection's settings cannot be used: %s"),
      N_("check that the file exists, is a regular file, and that the owner of the connection "
         "may read it"),
      NONE),
};

#undef C

const char *
nm_l2tp_stage_to_string(NML2tpStage stage)
{
    g_return_val_if_fail(stage < NM_L2TP_STAGE_N, NULL);
    return stages[stage].id;
}

NML2tpStage
nm_l2tp_stage_from_string(const char *id)
{
    guint i;

    for (i = 0; id && i < NM_L2TP_STAGE_N; i++) {
        if (g_str_equal(stages[i].id, id))
            return i;
    }
    return NM_L2TP_STAGE_N;
}

const char *
nm_l2tp_stage_get_label(NML2tpStage stage)
{
    g_return_val_if_fail(stage < NM_L2TP_STAGE_N, NULL);
    return _(stages[stage].label);
}

const NML2tpCauseInfo *
nm_l2tp_cause_get_info(NML2tpCause cause)
{
    g_return_val_if_fail(cause < NM_L2TP_CAUSE_N, &causes[NM_L2TP_CAUSE_UNKNOWN]);
    return &causes[cause];
}

const char *
nm_l2tp_cause_to_string(NML2tpCause cause)
{
    return nm_l2tp_cause_get_info(cause)->id;
}

NML2tpCause
nm_l2tp_cause_from_string(const char *id)
{
    guint i;

    for (i = 0; id && i < NM_L2TP_CAUSE_N; i++) {
        if (g_str_equal(causes[i].id, id))
            return i;
    }
    return NM_L2TP_CAUSE_N;
}

const char *
nm_l2tp_wrong_secret_to_string(NML2tpWrongSecret secret)
{
    switch (secret) {
    case NM_L2TP_SECRET_IPSEC_PSK:
        return "ipsec-psk";
    case NM_L2TP_SECRET_PASSWORD:
        return "password";
    default:
        return "none";
    }
}

/* Fills the first "%s" of @tmpl with @detail.  Not printf: a translation
 * with a stray conversion must not be able to crash the service. */
static char *
fill(const char *tmpl, const char *detail)
{
    const char *at = strstr(tmpl, "%s");

    if (!at)
        return g_strdup(tmpl);
    return g_strdup_printf("%.*s%s%s", (int)(at - tmpl), tmpl, detail, at + 2);
}

G_DEFINE_BOXED_TYPE(NML2tpStageRecord,
                    nm_l2tp_stage_record,
                    nm_l2tp_stage_record_copy,
                    nm_l2tp_stage_record_free)

NML2tpStageRecord *
nm_l2tp_stage_record_new(NML2tpStage stage, NML2tpCause cause, const char *detail, double seconds)
{
    const NML2tpCauseInfo *info = nm_l2tp_cause_get_info(cause);
    NML2tpStageRecord     *r    = g_new0(NML2tpStageRecord, 1);

    r->stage        = stage;
    r->cause        = info->cause;
    r->detail       = detail && *detail ? g_strdup(detail) : NULL;
    r->message      = r->detail && info->message_detail ? fill(info->message_detail, r->detail) :
                                                          g_strdup(info->message);
    r->hint         = g_strdup(info->hint);
    r->wrong_secret = info->wrong_secret;
    r->seconds      = seconds;
    return r;
}

NML2tpStageRecord *
nm_l2tp_stage_record_copy(const NML2tpStageRecord *record)
{
    NML2tpStageRecord *r =
        nm_l2tp_stage_record_new(record->stage, record->cause, record->detail, record->seconds);

    return r;
}

void
nm_l2tp_stage_record_free(NML2tpStageRecord *record)
{
    if (!record)
        return;
    g_free(record->detail);
    g_free(record->message);
    g_free(record->hint);
    g_free(record);
}

char *
nm_l2tp_stage_record_get_localized_message(const NML2tpStageRecord *record)
{
    const NML2tpCauseInfo *info = nm_l2tp_cause_get_info(record->cause);

    if (record->detail && info->message_detail)
        return fill(_(info->message_detail), record->detail);
    return g_strdup(_(info->message));
}

char *
nm_l2tp_stage_record_to_string(const NML2tpStageRecord *record)
{
    if (record->cause == NM_L2TP_CAUSE_NONE)
        return g_strdup_printf(
            "reached %s after %.1f s", nm_l2tp_stage_to_string(record->stage), record->seconds);
    return g_strdup_printf("failed at %s after %.1f s: %s",
                           nm_l2tp_stage_get_label(record->stage),
                           record->seconds,
                           record->message);
}
