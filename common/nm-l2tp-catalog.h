/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_CATALOG_H
#define NM_L2TP_CATALOG_H

#include <glib-object.h>

/* The stage and failure catalog: the words of every verdict.  The service,
 * the editor, the auth dialog and the diag tool all say what this file
 * says, so a failure reads the same wherever the user meets it.
 *
 * Stage and cause ids are stable strings (they are written to the
 * last-attempt report and parsed back): never rename one, only add.  Texts
 * are kept in English (N_) and translated where they are shown. */

typedef enum {
    NM_L2TP_STAGE_RESOLVE,
    NM_L2TP_STAGE_IKE_PHASE1,
    NM_L2TP_STAGE_IKE_PHASE2,
    NM_L2TP_STAGE_L2TP_TUNNEL,
    NM_L2TP_STAGE_L2TP_SESSION,
    NM_L2TP_STAGE_PPP_LCP,
    NM_L2TP_STAGE_PPP_AUTH,
    NM_L2TP_STAGE_PPP_NETWORK,
    NM_L2TP_STAGE_CONNECTED,
    NM_L2TP_STAGE_N,
} NML2tpStage;

typedef enum {
    NM_L2TP_CAUSE_NONE, /* no failure: the stage passed */
    NM_L2TP_CAUSE_UNKNOWN,
    NM_L2TP_CAUSE_INTERNAL, /* a bug or an unexpected local error */
    NM_L2TP_CAUSE_TIMEOUT,  /* the stage did not finish in time, no better guess */

    /* resolve */
    NM_L2TP_CAUSE_RESOLVE_FAILED,

    /* IPsec, both phases */
    NM_L2TP_CAUSE_CHARON_UNAVAILABLE,     /* could neither reach nor start charon */
    NM_L2TP_CAUSE_CONFIG_REJECTED,        /* charon refused our connection or secret */
    NM_L2TP_CAUSE_NO_RESPONSE,            /* nothing came back on UDP 500/4500 */
    NM_L2TP_CAUSE_NO_PROPOSAL_CHOSEN,     /* no common algorithms */
    NM_L2TP_CAUSE_PSK_REJECTED,           /* pre-shared key differs */
    NM_L2TP_CAUSE_CERT_REJECTED,          /* certificate authentication failed */
    NM_L2TP_CAUSE_AUTH_FAILED,            /* authentication failed, reason unclear */
    NM_L2TP_CAUSE_INVALID_ID,             /* INVALID_ID_INFORMATION: identity or selectors */
    NM_L2TP_CAUSE_REMOTE_ID_MISMATCH,     /* the server's identity is not the configured one */
    NM_L2TP_CAUSE_IKEV1_DISABLED,         /* the peer (or charon) does not speak IKEv1 */
    NM_L2TP_CAUSE_ESP_UNSUPPORTED_KERNEL, /* SA negotiated, kernel could not install it */
    NM_L2TP_CAUSE_PEER_DELETED,           /* the server deleted the SA */
    NM_L2TP_CAUSE_DPD_TIMEOUT,            /* dead peer detection gave up */
    NM_L2TP_CAUSE_REKEY_FAILED,

    /* L2TP */
    NM_L2TP_CAUSE_L2TP_NO_RESPONSE,    /* no answer to SCCRQ */
    NM_L2TP_CAUSE_L2TP_STOPCCN,        /* the server closed the tunnel */
    NM_L2TP_CAUSE_L2TP_KERNEL_MISSING, /* no l2tp_ppp in the kernel */
    NM_L2TP_CAUSE_L2TP_CDN,            /* the server refused the session */

    /* PPP */
    NM_L2TP_CAUSE_LCP_TIMEOUT,
    NM_L2TP_CAUSE_LCP_TERMINATED,
    NM_L2TP_CAUSE_NO_DEV_PPP,
    NM_L2TP_CAUSE_PPP_AUTH_REJECTED, /* user name or password rejected */
    NM_L2TP_CAUSE_PPP_AUTH_METHOD_REFUSED,
    NM_L2TP_CAUSE_PPP_CERT_REJECTED, /* EAP-TLS: certificate or key not usable or not accepted */
    NM_L2TP_CAUSE_IPCP_REFUSED,
    NM_L2TP_CAUSE_IPCP_NO_ADDRESS,
    NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT, /* the link died after it was up */

    /* after it was up */
    NM_L2TP_CAUSE_L2TP_HELLO_TIMEOUT, /* the server stopped answering L2TP's keepalives */
    NM_L2TP_CAUSE_PROCESS_DIED,       /* charon, xl2tpd or pppd ended on its own */

    /* before anything starts */
    NM_L2TP_CAUSE_FILE_REFUSED, /* a certificate or key file cannot be used (as its owner) */

    NM_L2TP_CAUSE_N,
} NML2tpCause;

/* Which secret a failure blames, so that only that one is asked again. */
typedef enum {
    NM_L2TP_SECRET_NONE,
    NM_L2TP_SECRET_IPSEC_PSK,
    NM_L2TP_SECRET_PASSWORD,
} NML2tpWrongSecret;

typedef struct {
    NML2tpCause cause;
    const char *id;      /* stable, e.g. "psk-rejected" */
    const char *message; /* N_(): one sentence, what went wrong */
    /* N_(): the same with one "%s" for a detail (an address, what we
     * offered); NULL when the cause takes no detail. */
    const char       *message_detail;
    const char       *hint; /* N_(): what to check */
    NML2tpWrongSecret wrong_secret;
} NML2tpCauseInfo;

const char *nm_l2tp_stage_to_string(NML2tpStage stage);
NML2tpStage nm_l2tp_stage_from_string(const char *id); /* NM_L2TP_STAGE_N if unknown */
/* Translated, e.g. "IPsec phase 1". */
const char *nm_l2tp_stage_get_label(NML2tpStage stage);

const NML2tpCauseInfo *nm_l2tp_cause_get_info(NML2tpCause cause);
const char            *nm_l2tp_cause_to_string(NML2tpCause cause);
NML2tpCause            nm_l2tp_cause_from_string(const char *id); /* NM_L2TP_CAUSE_N if unknown */

const char *nm_l2tp_wrong_secret_to_string(
    NML2tpWrongSecret secret); /* "ipsec-psk", "password", "none" */

/* What one stage ended with.  @message and @hint are English (the
 * catalog's source text, @detail filled in): the last-attempt report keeps
 * them so, and readers translate.  Use _get_localized_message() to show. */
typedef struct {
    NML2tpStage       stage;
    NML2tpCause       cause;
    char             *detail; /* NULL: none */
    char             *message;
    char             *hint;
    NML2tpWrongSecret wrong_secret;
    double            seconds; /* since the attempt started */
} NML2tpStageRecord;

NML2tpStageRecord *nm_l2tp_stage_record_new(NML2tpStage stage,
                                            NML2tpCause cause,
                                            const char *detail,
                                            double      seconds);
NML2tpStageRecord *nm_l2tp_stage_record_copy(const NML2tpStageRecord *record);
void               nm_l2tp_stage_record_free(NML2tpStageRecord *record);
char              *nm_l2tp_stage_record_get_localized_message(const NML2tpStageRecord *record);
/* One line for a log: "failed at IPsec phase 1 after 1.2 s: ..." */
char *nm_l2tp_stage_record_to_string(const NML2tpStageRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpStageRecord, nm_l2tp_stage_record_free)

/* A boxed type, so that records travel through signals typed. */
#define NM_L2TP_TYPE_STAGE_RECORD (nm_l2tp_stage_record_get_type())
GType nm_l2tp_stage_record_get_type(void);

#endif /* NM_L2TP_CATALOG_H */
