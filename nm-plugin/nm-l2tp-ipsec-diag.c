/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rules that read charon's log.  Each rule is a substring of a
 * strongSwan 5.9 log line and what it means; the comments say in which
 * situation charon writes it (as initiator, which we always are). */

#include "config.h"

#include <string.h>

#include "nm-l2tp-ipsec-diag.h"

struct _NML2tpIpsecDiag {
    NML2tpIpsecDiagParams p;
    char                 *gateway, *ike, *esp;
    NML2tpStage           stage;
    gboolean              ike_up, child_up;
    gboolean              got_reply;
    gboolean              sent_auth; /* IKEv1 main mode: sent [ ID HASH ] */
    gboolean              reply_after_auth;
    gboolean              verdict;
    NML2tpCause           cause;
    char                 *detail;
    char                 *netlink_error; /* the last one kernel-netlink logged */
    char                 *issuer;        /* of the last certificate we could not verify */
};

NML2tpIpsecDiag *
nm_l2tp_ipsec_diag_new(const NML2tpIpsecDiagParams *params)
{
    NML2tpIpsecDiag *d = g_new0(NML2tpIpsecDiag, 1);

    d->p       = *params;
    d->gateway = g_strdup(params->gateway);
    d->ike     = g_strdup(params->ike_proposals);
    d->esp     = g_strdup(params->esp_proposals);
    d->stage   = NM_L2TP_STAGE_IKE_PHASE1;
    d->cause   = NM_L2TP_CAUSE_NONE;
    return d;
}

void
nm_l2tp_ipsec_diag_free(NML2tpIpsecDiag *diag)
{
    if (!diag)
        return;
    g_free(diag->gateway);
    g_free(diag->ike);
    g_free(diag->esp);
    g_free(diag->detail);
    g_free(diag->netlink_error);
    g_free(diag->issuer);
    g_free(diag);
}

static gboolean
decide(NML2tpIpsecDiag *d, NML2tpCause cause, const char *detail)
{
    if (d->verdict)
        return FALSE;
    d->verdict = TRUE;
    d->cause   = cause;
    d->detail  = g_strdup(detail);
    return TRUE;
}

static gboolean
has(const char *msg, const char *needle)
{
    return strstr(msg, needle) != NULL;
}

/* What we offered in the stage that failed, for "no proposal chosen". */
static const char *
offered(NML2tpIpsecDiag *d)
{
    return d->stage == NM_L2TP_STAGE_IKE_PHASE1 ? d->ike : d->esp;
}

static char *
offered_detail(NML2tpIpsecDiag *d)
{
    const char *o = offered(d);

    if (!o)
        return NULL;
    return g_strdup_printf("%s %s", d->stage == NM_L2TP_STAGE_IKE_PHASE1 ? "IKE" : "ESP", o);
}

static gboolean
auth_failure(NML2tpIpsecDiag *d, const char *what)
{
    if (d->p.psk)
        return decide(d, NM_L2TP_CAUSE_PSK_REJECTED, what);
    return decide(d, NM_L2TP_CAUSE_CERT_REJECTED, what);
}

/* The server went quiet.  Before any answer: nobody there.  Right after
 * our IKEv1 [ ID HASH ] with a PSK: the server could not decrypt it, and
 * many (Windows RRAS, Cisco) drop such a packet silently instead of saying
 * so; a wrong pre-shared key is by far the likeliest reason. */
static gboolean
decide_silence(NML2tpIpsecDiag *d)
{
    if (!d->got_reply)
        return decide(d, NM_L2TP_CAUSE_NO_RESPONSE, d->gateway);
    if (d->p.psk && !d->p.ikev2 && d->sent_auth && !d->reply_after_auth && !d->ike_up)
        return decide(d,
                      NM_L2TP_CAUSE_PSK_REJECTED,
                      "the server stopped answering when we authenticated with it");
    return decide(d, NM_L2TP_CAUSE_TIMEOUT, "the server stopped answering");
}

gboolean
nm_l2tp_ipsec_diag_feed(NML2tpIpsecDiag *d, const char *group, const char *msg)
{
    if (!msg || d->verdict)
        return FALSE;

    /* Progress. */
    if (has(msg, "received packet: from")) {
        d->got_reply        = TRUE;
        d->reply_after_auth = d->sent_auth;
    }
    if (has(msg, "generating ID_PROT request 0 [ ID HASH")
        || has(msg, "generating ID_PROT request 0 [ ID CERT"))
        d->sent_auth = TRUE;
    if (has(msg, "IKE_SA ") && has(msg, " established between")) {
        d->ike_up = TRUE;
        d->stage  = NM_L2TP_STAGE_IKE_PHASE2;
    }
    if (has(msg, "CHILD_SA ") && has(msg, " established with SPIs"))
        d->child_up = TRUE;
    /* "received netlink error: Protocol not supported (93)": what the
     * kernel said when it refused an SA; the next line says which. */
    if (has(msg, "received netlink error: ")) {
        g_free(d->netlink_error);
        d->netlink_error = g_strdup(strstr(msg, "error: ") + 7);
    }

    /* The server found no common algorithms.  IKEv1 and IKEv2 alike log
     * the notify by name; which phase follows from where we are. */
    if (has(msg, "NO_PROPOSAL_CHOSEN")) {
        g_autofree char *detail = offered_detail(d);

        return decide(d, NM_L2TP_CAUSE_NO_PROPOSAL_CHOSEN, detail);
    }
    /* The reply carried a proposal we did not offer (a broken server). */
    if (has(msg, "no acceptable proposal found") || has(msg, "received invalid proposal")) {
        g_autofree char *detail = offered_detail(d);

        return decide(d, NM_L2TP_CAUSE_NO_PROPOSAL_CHOSEN, detail);
    }

    /* IKEv1 main mode with the wrong PSK: the server cannot decrypt our
     * [ ID HASH ] and answers with an encrypted notify that we cannot
     * decrypt either (its key differs), or, depending on the server, with
     * INVALID_HASH_INFORMATION / AUTHENTICATION_FAILED / PAYLOAD_MALFORMED. */
    if (!d->ike_up && d->sent_auth
        && (has(msg, "decryption failed") || has(msg, "could not decrypt payloads")
            || has(msg, "INVALID_HASH_INFORMATION") || has(msg, "PAYLOAD_MALFORMED")))
        return auth_failure(d, NULL);
    if (has(msg, "AUTHENTICATION_FAILED") || has(msg, "INVALID_HASH_INFORMATION")
        || has(msg, "received invalid HASH_V1") || has(msg, "calculated HASH does not match")
        || (has(msg, "authentication of") && has(msg, "failed")))
        return auth_failure(d, NULL);
    /* Certificates: the server's does not chain to the CA we were given.
     * charon logs the issuer first: issuer is "CN=Some CA". */
    if (has(msg, "issuer is \"")) {
        g_auto(GStrv) q = g_strsplit(msg, "\"", -1);

        if (g_strv_length(q) >= 3) {
            g_free(d->issuer);
            d->issuer = g_strdup(q[1]);
        }
    }
    if (has(msg, "no trusted") && has(msg, "public key found for")) {
        g_auto(GStrv) q         = g_strsplit(msg, "'", -1);
        g_autofree char *detail = NULL;

        detail = g_strdup_printf(
            "the server's certificate%s%s%s is not signed by the configured CA%s%s%s",
            g_strv_length(q) >= 3 ? " for '" : "",
            g_strv_length(q) >= 3 ? q[1] : "",
            g_strv_length(q) >= 3 ? "'" : "",
            d->issuer ? " (its issuer is " : "",
            d->issuer ? d->issuer : "",
            d->issuer ? ")" : "");
        return decide(d, NM_L2TP_CAUSE_CERT_REJECTED, detail);
    }
    if (has(msg, "no shared key found"))
        return decide(d, NM_L2TP_CAUSE_CONFIG_REJECTED, msg);

    /* Identity (phase 1) or traffic selectors (quick mode) refused. */
    if (has(msg, "INVALID_ID_INFORMATION") || has(msg, "TS_UNACCEPTABLE"))
        return decide(d, NM_L2TP_CAUSE_INVALID_ID, NULL);

    /* The server authenticated as someone else than the remote ID we were
     * told: IKEv1 "IDir '10.0.0.1' does not match to 'vpn.example.com'",
     * IKEv2 "constraint check failed: identity 'vpn.example.com' required". */
    if (has(msg, "does not match to '") || has(msg, "constraint check failed: identity")) {
        g_auto(GStrv) q         = g_strsplit(msg, "'", -1);
        g_autofree char *detail = NULL;

        if (has(msg, "does not match to '") && g_strv_length(q) >= 5)
            detail = g_strdup_printf("the server sent '%s', expected '%s'", q[1], q[3]);
        return decide(d, NM_L2TP_CAUSE_REMOTE_ID_MISMATCH, detail);
    }

    /* The peer speaks only IKEv2 (or only IKEv1 when we asked for v2). */
    if (has(msg, "INVALID_MAJOR_VERSION") || has(msg, "IKEv1 disabled")
        || has(msg, "IKEv1 not supported"))
        return decide(d, NM_L2TP_CAUSE_IKEV1_DISABLED, NULL);

    /* Quick mode done, but the kernel refused the SA: without esp4 the
     * netlink answer is "Protocol not supported (93)", then kernel-netlink
     * logs "unable to add SAD entry", the CHILD_SA code "unable to install
     * inbound and outbound IPsec SA".  Name what the kernel said. */
    if (has(msg, "unable to add SAD entry")
        || has(msg, "unable to install inbound and outbound IPsec SA")
        || has(msg, "unable to install IPsec policies")) {
        g_autofree char *detail =
            d->netlink_error ? g_strdup_printf("the kernel answered \"%s\"", d->netlink_error) :
                               NULL;

        d->stage = NM_L2TP_STAGE_IKE_PHASE2;
        return decide(d, NM_L2TP_CAUSE_ESP_UNSUPPORTED_KERNEL, detail);
    }

    if (has(msg, "received DELETE for") || has(msg, "received DELETE for IKE_SA"))
        return decide(d, NM_L2TP_CAUSE_PEER_DELETED, NULL);

    /* charon gave up retransmitting. */
    if (has(msg, "giving up after") || has(msg, "peer not responding"))
        return decide_silence(d);
    return FALSE;
}

void
nm_l2tp_ipsec_diag_ike_up(NML2tpIpsecDiag *d)
{
    d->ike_up = TRUE;
    if (!d->verdict)
        d->stage = NM_L2TP_STAGE_IKE_PHASE2;
}

void
nm_l2tp_ipsec_diag_child_up(NML2tpIpsecDiag *d)
{
    d->child_up = TRUE;
}

void
nm_l2tp_ipsec_diag_finish(NML2tpIpsecDiag *d, const char *errmsg, gboolean timed_out)
{
    if (d->verdict)
        return;
    /* Without our timer or charon's "giving up", silence is not proven: the
     * lines that would explain the failure may simply not have reached us. */
    if (timed_out)
        decide_silence(d);
    else
        decide(d, NM_L2TP_CAUSE_UNKNOWN, errmsg);
}

gboolean
nm_l2tp_ipsec_diag_has_verdict(NML2tpIpsecDiag *diag)
{
    return diag->verdict;
}

NML2tpStage
nm_l2tp_ipsec_diag_get_stage(NML2tpIpsecDiag *diag)
{
    return diag->stage;
}

NML2tpCause
nm_l2tp_ipsec_diag_get_cause(NML2tpIpsecDiag *diag)
{
    return diag->cause;
}

const char *
nm_l2tp_ipsec_diag_get_detail(NML2tpIpsecDiag *diag)
{
    return diag->detail;
}

gboolean
nm_l2tp_ipsec_diag_is_established(NML2tpIpsecDiag *diag)
{
    return diag->ike_up && diag->child_up && !diag->verdict;
}

gboolean
nm_l2tp_ipsec_diag_ike_is_up(NML2tpIpsecDiag *diag)
{
    return diag->ike_up;
}

gboolean
nm_l2tp_ipsec_diag_got_reply(NML2tpIpsecDiag *diag)
{
    return diag->got_reply;
}
