/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_IPSEC_PRIVATE_H
#define NM_L2TP_IPSEC_PRIVATE_H

/* NML2tpIpsec's instance, shared by its two halves: nm-l2tp-ipsec.c
 * (bringing the SA up, following events) and nm-l2tp-ipsec-teardown.c
 * (taking down what was loaded).  Not for other users. */

#include "nm-l2tp-charon-ahead.h"
#include "nm-l2tp-charon.h"
#include "nm-l2tp-ipsec-diag.h"
#include "nm-l2tp-ipsec.h"
#include "nm-l2tp-sa-book.h"
#include "nm-l2tp-vici-client.h"

struct _NML2tpIpsec {
    GObject parent;

    /* What to load, fixed at construction. */
    char     *uuid;
    char     *gateway;
    char     *run_dir;
    char     *psk; /* wiped at finalize */
    char     *ike_proposals;
    char     *esp_proposals;
    char     *key_path; /* machine private key (certificate authentication) */
    char     *local_id; /* from the tree; NULL: our address */
    char     *shared_id;
    gint64    timeout_ike;
    gboolean  ikev2;
    GVariant *tree;

    gboolean allow_system;
    char   **system_sockets;
    char    *charon_path;
    guint    charon_timeout_ms;

    /* State. */
    NML2tpCharon      *charon;
    NML2tpViciClient  *ctl;
    NML2tpViciClient  *init;
    NML2tpIpsecDiag   *diag;
    NML2tpStageRecord *record;
    GTask             *connect_task;
    GCancellable      *cancellable; /* cancelled when disconnecting */
    NML2tpCharonAhead *charon_ahead;
    gboolean           charon_pending; /* asked for a charon, none came yet */
    GTask             *release_task;   /* disconnect, waiting for that charon */
    gboolean           phase2_announced;
    GHashTable        *cert_data; /* path -> GBytes */
    GPtrArray         *cert_paths;
    char              *key_id; /* what load-key returned, for unload-key */
    guint              ike_timer;
    guint              guard_timer; /* the whole connect's */
    gint64             t_start, t_initiate, t_verdict;
    gboolean shared_loaded, conn_loaded, block_installed, initiated, established, disconnecting;
    gboolean charon_died;  /* its kernel state is ours to remove at teardown's end */
    guint    halves_ready; /* of the set-up: see step_half_ready() */

    /* Once up (nm-l2tp-ipsec-live.c). */
    NML2tpSaBook *book;
    guint         renegotiate_timer;
    gboolean      renegotiating;
    guint         renegotiated;
    NML2tpCause   loss_cause;   /* what took our SAs away, as charon said */
    gboolean      log_followed; /* charon's "log" event, see follow_log() */
};

/* Takes connect's task, to return it: from then on connect is over. */
GTask *nm_l2tp_ipsec_take_connect_task(NML2tpIpsec *self);

/* The steps of connect (nm-l2tp-ipsec.c): each is called with the answer
 * of the request before it. */
typedef void (*StepFunc)(NML2tpIpsec *self, GVariant *response);
void nm_l2tp_ipsec_call_step(
    NML2tpIpsec *self, NML2tpViciClient *client, const char *cmd, GVariant *req, StepFunc next);
void nm_l2tp_ipsec_fail_connect(NML2tpIpsec *self,
                                NML2tpStage  stage,
                                NML2tpCause  cause,
                                const char  *detail);
void nm_l2tp_ipsec_step_load_conn(NML2tpIpsec *self, GVariant *unused);
/* Certificate authentication (nm-l2tp-ipsec-certs.c); goes on with
 * load-conn. */
void nm_l2tp_ipsec_step_read_certs(NML2tpIpsec *self, GVariant *unused);

/* What initiate asks charon for: our CHILD_SA, over our IKE SA (an
 * existing one is reused), its control log at level 1. */
GVariant *nm_l2tp_ipsec_initiate_request(NML2tpIpsec *self);

/* Staying up: every SA event, and our IKE SA's log lines once up. */
void nm_l2tp_ipsec_live_event(NML2tpIpsec *self, const char *name, GVariant *msg);
void nm_l2tp_ipsec_live_log(NML2tpIpsec *self, const char *text);
/* charon died: delete the kernel's ESP SAs it left behind. */
void nm_l2tp_ipsec_live_charon_died(NML2tpIpsec *self);
void nm_l2tp_ipsec_live_stop(NML2tpIpsec *self);

/* NML2tpLayer's disconnect (nm-l2tp-ipsec-teardown.c). */
void     nm_l2tp_ipsec_disconnect_async(NML2tpLayer        *layer,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
gboolean nm_l2tp_ipsec_disconnect_finish(NML2tpLayer *layer, GAsyncResult *result, GError **error);

/* The charon that a disconnect waited for has come (or failed to). */
void nm_l2tp_ipsec_teardown_resume(NML2tpIpsec *self);

#endif /* NM_L2TP_IPSEC_PRIVATE_H */
