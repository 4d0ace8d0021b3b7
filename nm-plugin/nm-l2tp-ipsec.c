/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The IPsec half of a connection: a chain of asynchronous steps over two
 * VICI connections to charon.
 *
 * Two connections, because initiate blocks its connection's request queue
 * until the SA is up or failed, and a disconnect must be able to send
 * terminate meanwhile.  The "init" connection carries initiate and its
 * control-log stream; the "ctl" connection everything else and the
 * ike-updown/child-updown events. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-charon.h"
#include "nm-l2tp-ipsec-diag.h"
#include "nm-l2tp-ipsec.h"
#include "nm-l2tp-charon-ahead.h"
#include "nm-l2tp-ipsec-private.h"
#include "nm-l2tp-ipsec-tree.h"
#include "nm-l2tp-secret-memory.h"
#include "nm-l2tp-vici-client.h"
#include "nm-l2tp-vici-wire.h"
#include "nm-l2tp-wiped.h"

static void nm_l2tp_ipsec_layer_init(NML2tpLayerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(NML2tpIpsec,
                              nm_l2tp_ipsec,
                              G_TYPE_OBJECT,
                              G_IMPLEMENT_INTERFACE(NM_L2TP_TYPE_LAYER, nm_l2tp_ipsec_layer_init))

static double
since(NML2tpIpsec *self, gint64 t)
{
    return t ? (g_get_monotonic_time() - t) / 1e6 : 0.0;
}

/* ---- ending connect ---------------------------------------------------- */

GTask *
nm_l2tp_ipsec_take_connect_task(NML2tpIpsec *self)
{
    g_clear_handle_id(&self->guard_timer, g_source_remove);
    return g_steal_pointer(&self->connect_task);
}

static void
set_record(NML2tpIpsec *self, NML2tpStage stage, NML2tpCause cause, const char *detail)
{
    g_clear_pointer(&self->record, nm_l2tp_stage_record_free);
    self->record    = nm_l2tp_stage_record_new(stage, cause, detail, since(self, self->t_start));
    self->t_verdict = g_get_monotonic_time();
}

/* Ends connect with a failure, once; later verdicts are ignored. */
void
nm_l2tp_ipsec_fail_connect(NML2tpIpsec *self,
                           NML2tpStage  stage,
                           NML2tpCause  cause,
                           const char  *detail)
{
    g_autoptr(GTask) task = nm_l2tp_ipsec_take_connect_task(self);

    if (!task)
        return;
    g_clear_handle_id(&self->ike_timer, g_source_remove);
    /* No line in the log here: the attempt's timeline writes the one
     * verdict line. */
    set_record(self, stage, cause, detail);
    g_task_return_new_error(task, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "%s", self->record->message);
}

static void
fail_from_diag(NML2tpIpsec *self)
{
    nm_l2tp_ipsec_fail_connect(self,
                               nm_l2tp_ipsec_diag_get_stage(self->diag),
                               nm_l2tp_ipsec_diag_get_cause(self->diag),
                               nm_l2tp_ipsec_diag_get_detail(self->diag));
}

static void
succeed_connect(NML2tpIpsec *self)
{
    g_autoptr(GTask) task = nm_l2tp_ipsec_take_connect_task(self);

    if (!task)
        return;
    g_clear_handle_id(&self->ike_timer, g_source_remove);
    self->established = TRUE;
    set_record(self, NM_L2TP_STAGE_IKE_PHASE2, NM_L2TP_CAUSE_NONE, NULL);
    g_debug("l2tp %s: IPsec up after %.1f s", self->uuid, self->record->seconds);
    g_task_return_boolean(task, TRUE);
}

/* ---- events ------------------------------------------------------------ */

/* Phase 1 is over once the IKE SA is up, whichever says so first: its log
 * line or its event. */
static void
announce_phase2(NML2tpIpsec *self)
{
    if (self->phase2_announced || !self->connect_task || !nm_l2tp_ipsec_diag_ike_is_up(self->diag))
        return;
    self->phase2_announced = TRUE;
    nm_l2tp_layer_emit_stage(NM_L2TP_LAYER(self), NM_L2TP_STAGE_IKE_PHASE2);
}

static void
on_control_log(NML2tpViciClient *client, const char *name, GVariant *msg, gpointer user_data)
{
    NML2tpIpsec *self  = user_data;
    const char  *ike   = nm_l2tp_vici_message_get_string(msg, "ikesa-name");
    const char  *group = nm_l2tp_vici_message_get_string(msg, "group");
    const char  *text  = nm_l2tp_vici_message_get_string(msg, "msg");

    /* Lines of other IKE_SAs can appear on a shared system charon. */
    if (!text || (ike && !g_str_equal(ike, self->uuid)))
        return;
    nm_l2tp_layer_emit_log(NM_L2TP_LAYER(self), "ike", text);
    if (self->established)
        nm_l2tp_ipsec_live_log(self, text);
    if (!self->diag || self->established)
        return;
    if (nm_l2tp_ipsec_diag_feed(self->diag, group, text))
        fail_from_diag(self);
    else
        announce_phase2(self);
}

/* ike-updown, child-updown, ike-rekey, child-rekey.  While connecting,
 * the up events tell the diagnosis how far IKE got; all of them keep the
 * book of our SAs, from which a connection that is up learns that it lost
 * its ESP SA (nm-l2tp-ipsec-live.c). */
static void
on_sa_event(NML2tpViciClient *client, const char *name, GVariant *msg, gpointer user_data)
{
    NML2tpIpsec *self        = user_data;
    g_autoptr(GVariant) ours = nm_l2tp_vici_message_get_section(msg, self->uuid);
    gboolean up              = g_strcmp0(nm_l2tp_vici_message_get_string(msg, "up"), "yes") == 0;

    if (!ours || !self->diag)
        return;
    nm_l2tp_ipsec_live_event(self, name, msg);
    if (!up || self->established)
        return;
    if (g_str_equal(name, "child-updown"))
        nm_l2tp_ipsec_diag_child_up(self->diag);
    else if (g_str_equal(name, "ike-updown"))
        nm_l2tp_ipsec_diag_ike_up(self->diag);
    announce_phase2(self);
}

static void
on_closed(NML2tpViciClient *client, GError *error, gpointer user_data)
{
    NML2tpIpsec *self = user_data;

    if (self->disconnecting)
        return;
    self->charon_died = TRUE;
    if (self->book)
        nm_l2tp_ipsec_live_charon_died(self);
    nm_l2tp_ipsec_fail_connect(self,
                               nm_l2tp_ipsec_diag_get_stage(self->diag),
                               NM_L2TP_CAUSE_CHARON_UNAVAILABLE,
                               error ? error->message : NULL);
    if (self->established) {
        g_autoptr(NML2tpStageRecord) r = nm_l2tp_stage_record_new(
            NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_PROCESS_DIED, "charon", 0);

        self->established = FALSE;
        nm_l2tp_layer_emit_down(NM_L2TP_LAYER(self), r);
    }
}

/* Charon's own start may take a while on a slow machine, and the IKE
 * timeout proper starts with initiate; this only catches a hang of charon
 * or of a step before it. */
#define GUARD_MARGIN_S 20

static gboolean
guard_cb(gpointer user_data)
{
    NML2tpIpsec     *self = user_data;
    g_autofree char *detail =
        g_strdup_printf(_("no progress after %.0f s"), since(self, self->t_start));

    self->guard_timer = 0;
    nm_l2tp_ipsec_fail_connect(
        self, nm_l2tp_ipsec_diag_get_stage(self->diag), NM_L2TP_CAUSE_TIMEOUT, detail);
    return G_SOURCE_REMOVE;
}

/* ---- the steps of connect ---------------------------------------------- */

typedef struct {
    NML2tpIpsec *self;
    StepFunc     next;
    const char  *what;
    gboolean     check_success;
} Step;

static void
step_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Step *step                   = user_data;
    g_autoptr(NML2tpIpsec) self  = step->self;
    g_autoptr(GError) error      = NULL;
    g_autoptr(GVariant) response = NULL;
    StepFunc    next             = step->next;
    const char *what             = step->what;
    gboolean    check            = step->check_success;

    g_free(step);
    if (g_task_get_source_tag(G_TASK(result)) == nm_l2tp_vici_client_call_async) {
        response = nm_l2tp_vici_client_call_finish(NM_L2TP_VICI_CLIENT(source), result, &error);
        if (response && check)
            nm_l2tp_vici_check_success(response, what, &error);
    } else {
        nm_l2tp_vici_client_register_event_finish(NM_L2TP_VICI_CLIENT(source), result, &error);
    }
    if (!self->connect_task)
        return; /* disconnecting, or a verdict came first */
    if (error) {
        nm_l2tp_ipsec_fail_connect(
            self, NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_CONFIG_REJECTED, error->message);
        return;
    }
    if (next)
        next(self, response);
}

void
nm_l2tp_ipsec_call_step(
    NML2tpIpsec *self, NML2tpViciClient *client, const char *cmd, GVariant *req, StepFunc next)
{
    Step *step = g_new0(Step, 1);

    step->self          = g_object_ref(self);
    step->next          = next;
    step->what          = cmd;
    step->check_success = TRUE;
    nm_l2tp_vici_client_call_async(client, cmd, req, self->cancellable, step_cb, step);
}

static void
register_step(NML2tpIpsec *self, NML2tpViciClient *client, const char *event, StepFunc next)
{
    Step *step = g_new0(Step, 1);

    step->self = g_object_ref(self);
    step->next = next;
    step->what = event;
    nm_l2tp_vici_client_register_event_async(client, event, self->cancellable, step_cb, step);
}

static gboolean
ike_timeout(gpointer user_data)
{
    NML2tpIpsec *self = user_data;

    self->ike_timer = 0;
    nm_l2tp_ipsec_diag_finish(self->diag, NULL, TRUE);
    fail_from_diag(self);
    return G_SOURCE_REMOVE;
}

/* charon forwards control-log lines only once it has tied the IKE_SA to
 * our initiate, and on a fast network the server's answer can come before
 * that: the lines that explain the failure are then missing.  A private
 * charon also wrote them to its log file ("08:17:32 12[IKE] text"), so
 * read them from there (a small file on tmpfs, read once per failure). */
static void
replay_private_log(NML2tpIpsec *self)
{
    const char      *path = self->charon ? nm_l2tp_charon_get_log_path(self->charon) : NULL;
    g_autofree char *text = NULL;
    g_auto(GStrv) lines   = NULL;
    guint i;

    if (!path || !nm_l2tp_charon_is_private(self->charon)
        || !g_file_get_contents(path, &text, NULL, NULL))
        return;
    lines = g_strsplit(text, "\n", -1);
    for (i = 0; lines[i] && !nm_l2tp_ipsec_diag_has_verdict(self->diag); i++) {
        char *open  = strchr(lines[i], '[');
        char *close = open ? strchr(open, ']') : NULL;

        if (!close || close[1] != ' ')
            continue;
        *close = '\0';
        nm_l2tp_ipsec_diag_feed(self->diag, open + 1, close + 2);
    }
}

static void
initiate_done(NML2tpIpsec *self, GVariant *response)
{
    g_autoptr(GError) error = NULL;

    if (!self->connect_task)
        return;
    if (nm_l2tp_vici_check_success(response, "initiate", &error)
        && !nm_l2tp_ipsec_diag_has_verdict(self->diag)) {
        succeed_connect(self);
        return;
    }
    replay_private_log(self);
    nm_l2tp_ipsec_diag_finish(
        self->diag, nm_l2tp_vici_message_get_string(response, "errmsg"), FALSE);
    fail_from_diag(self);
}

static void
initiate_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpIpsec) self = user_data;
    g_autoptr(GError) error     = NULL;
    g_autoptr(GVariant) response =
        nm_l2tp_vici_client_call_finish(NM_L2TP_VICI_CLIENT(source), result, &error);

    if (!response) {
        if (self->connect_task && !self->disconnecting)
            nm_l2tp_ipsec_fail_connect(self,
                                       nm_l2tp_ipsec_diag_get_stage(self->diag),
                                       NM_L2TP_CAUSE_CHARON_UNAVAILABLE,
                                       error->message);
        return;
    }
    initiate_done(self, response);
}

GVariant *
nm_l2tp_ipsec_initiate_request(NML2tpIpsec *self)
{
    GVariantDict req;

    g_variant_dict_init(&req, NULL);
    g_variant_dict_insert(&req, "child", "s", self->uuid);
    g_variant_dict_insert(&req, "ike", "s", self->uuid);
    g_variant_dict_insert(&req, "timeout", "s", "0");
    g_variant_dict_insert(&req, "init-limits", "s", "no");
    /* Level 1 carries every line the diagnosis reads (packets sent and
     * received, notifies, proposals chosen, kernel errors); level 2 adds
     * thousands of lines of message encoding per attempt, each one a VICI
     * event to forward, and made a connect measurably slower. */
    g_variant_dict_insert(&req, "loglevel", "s", "1");
    return g_variant_dict_end(&req);
}

static void
step_initiate(NML2tpIpsec *self, GVariant *unused)
{
    self->initiated  = TRUE;
    self->t_initiate = g_get_monotonic_time();
    self->ike_timer  = g_timeout_add((guint)self->timeout_ike * 1000, ike_timeout, self);
    nm_l2tp_vici_client_call_async(self->init,
                                   "initiate",
                                   nm_l2tp_ipsec_initiate_request(self),
                                   self->cancellable,
                                   initiate_cb,
                                   g_object_ref(self));
}

/* The two halves of the set-up run side by side, each on its own
 * connection: the connection and its secrets on ctl, the log subscription
 * on init.  Whichever ends last initiates. */
static void
step_half_ready(NML2tpIpsec *self, GVariant *unused)
{
    if (++self->halves_ready == 2)
        step_initiate(self, NULL);
}

static void
init_client_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpIpsec) self = user_data;
    g_autoptr(GError) error     = NULL;

    self->init = nm_l2tp_vici_client_new_finish(result, &error);
    if (!self->connect_task)
        return;
    if (!self->init) {
        nm_l2tp_ipsec_fail_connect(
            self, NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_CHARON_UNAVAILABLE, error->message);
        return;
    }
    g_signal_connect(self->init, "event::control-log", G_CALLBACK(on_control_log), self);
    g_signal_connect(self->init, "closed", G_CALLBACK(on_closed), self);
    register_step(self, self->init, "control-log", step_half_ready);
}

/* The fail-closed drop policy goes in before the SA is negotiated and
 * stays until teardown has ended (see nm_l2tp_swanctl_conn_build()). */
static void
step_install_block(NML2tpIpsec *self, GVariant *unused)
{
    g_autofree char *name = g_strdup_printf("%s" NM_L2TP_FAIL_CLOSED_SUFFIX, self->uuid);
    GVariantDict     req;

    g_variant_dict_init(&req, NULL);
    g_variant_dict_insert(&req, "child", "s", name);
    g_variant_dict_insert(&req, "ike", "s", self->uuid);
    self->block_installed = TRUE; /* as with load-conn: see below */
    nm_l2tp_ipsec_call_step(self, self->ctl, "install", g_variant_dict_end(&req), step_half_ready);
}

void
nm_l2tp_ipsec_step_load_conn(NML2tpIpsec *self, GVariant *unused)
{
    /* Set before the answer: a disconnect meanwhile queues unload-conn
     * behind this request on the same connection, so it cannot miss it. */
    self->conn_loaded = TRUE;
    nm_l2tp_ipsec_call_step(self,
                            self->ctl,
                            "load-conn",
                            nm_l2tp_ipsec_tree_with_cert_data(self->tree, self->cert_data),
                            step_install_block);
}

static void
step_shared_loaded(NML2tpIpsec *self, GVariant *unused)
{
    nm_l2tp_ipsec_step_read_certs(self, NULL);
}

static void
step_load_shared(NML2tpIpsec *self, GVariant *unused)
{
    g_autofree char *owner = NULL;
    GVariantBuilder  req;
    const char      *owners[2];

    if (!self->psk) {
        nm_l2tp_ipsec_step_read_certs(self, NULL);
        return;
    }
    owner = self->local_id ? g_strdup(self->local_id) :
                             nm_l2tp_ipsec_local_address_towards(self->gateway);
    if (!owner) {
        nm_l2tp_ipsec_fail_connect(self,
                                   NM_L2TP_STAGE_IKE_PHASE1,
                                   NM_L2TP_CAUSE_INTERNAL,
                                   "no local address towards the gateway");
        return;
    }
    owners[0] = owner;
    owners[1] = NULL;
    g_variant_builder_init(&req, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&req, "{sv}", "id", g_variant_new_string(self->shared_id));
    g_variant_builder_add(&req, "{sv}", "type", g_variant_new_string("IKE"));
    /* As bytes: a PSK may be any octets; "s" would be the same on the wire.
     * In memory that is wiped when the request is freed. */
    g_variant_builder_add(
        &req, "{sv}", "data", nm_l2tp_wiped_bytestring_new(self->psk, strlen(self->psk)));
    g_variant_builder_add(&req, "{sv}", "owners", g_variant_new_strv(owners, 1));
    self->shared_loaded = TRUE; /* see step_load_conn() */
    nm_l2tp_ipsec_call_step(
        self, self->ctl, "load-shared", g_variant_builder_end(&req), step_shared_loaded);
}

static void
ctl_client_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpIpsec) self = user_data;
    g_autoptr(GError) error     = NULL;

    self->ctl = nm_l2tp_vici_client_new_finish(result, &error);
    if (!self->connect_task)
        return;
    if (!self->ctl) {
        nm_l2tp_ipsec_fail_connect(
            self, NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_CHARON_UNAVAILABLE, error->message);
        return;
    }
    g_signal_connect(self->ctl, "event::ike-updown", G_CALLBACK(on_sa_event), self);
    g_signal_connect(self->ctl, "event::child-updown", G_CALLBACK(on_sa_event), self);
    g_signal_connect(self->ctl, "event::ike-rekey", G_CALLBACK(on_sa_event), self);
    g_signal_connect(self->ctl, "event::child-rekey", G_CALLBACK(on_sa_event), self);
    g_signal_connect(self->ctl, "closed", G_CALLBACK(on_closed), self);
    /* The client pipelines these: all three are on the wire before the
     * first answer, and the answers come back in order, so a failed
     * subscription is seen before load-shared's answer moves on. */
    register_step(self, self->ctl, "ike-updown", NULL);
    register_step(self, self->ctl, "child-updown", NULL);
    register_step(self, self->ctl, "ike-rekey", NULL);
    register_step(self, self->ctl, "child-rekey", NULL);
    step_load_shared(self, NULL);
}

static void
charon_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpIpsec) self = user_data;
    g_autoptr(GError) error     = NULL;

    self->charon         = nm_l2tp_charon_take_finish(result, &error);
    self->charon_pending = FALSE;
    if (!self->connect_task) {
        /* Disconnect came first and waits for this charon, to stop it. */
        nm_l2tp_ipsec_teardown_resume(self);
        return;
    }
    if (!self->charon) {
        nm_l2tp_ipsec_fail_connect(
            self, NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_CHARON_UNAVAILABLE, error->message);
        return;
    }
    {
        /* In the attempt's log: a slow machine shows here first. */
        g_autofree char *line =
            nm_l2tp_charon_is_private(self->charon) ?
                g_strdup_printf("private charon ready after %.3f s",
                                nm_l2tp_charon_get_startup_seconds(self->charon)) :
                g_strdup_printf("using the system charon at %s",
                                nm_l2tp_charon_get_socket_path(self->charon));

        nm_l2tp_layer_emit_log(NM_L2TP_LAYER(self), "ike", line);
    }
    nm_l2tp_vici_client_new_async(nm_l2tp_charon_get_socket_path(self->charon),
                                  self->cancellable,
                                  ctl_client_cb,
                                  g_object_ref(self));
    nm_l2tp_vici_client_new_async(nm_l2tp_charon_get_socket_path(self->charon),
                                  self->cancellable,
                                  init_client_cb,
                                  g_object_ref(self));
}

static void
connect_async(NML2tpLayer        *layer,
              GCancellable       *cancellable,
              GAsyncReadyCallback callback,
              gpointer            user_data)
{
    NML2tpIpsec       *self   = NM_L2TP_IPSEC(layer);
    NML2tpCharonParams params = {
        .run_dir        = self->run_dir,
        .system_sockets = (const char *const *)self->system_sockets,
        .charon_path    = self->charon_path,
        .allow_system   = self->allow_system,
        .timeout_ms     = self->charon_timeout_ms,
    };
    NML2tpIpsecDiagParams dp = {
        .gateway       = self->gateway,
        .ike_proposals = self->ike_proposals,
        .esp_proposals = self->esp_proposals,
        .psk           = self->psk != NULL,
        .ikev2         = self->ikev2,
    };

    g_return_if_fail(!self->connect_task && !self->t_start);
    self->connect_task = g_task_new(self, cancellable, callback, user_data);
    g_task_set_source_tag(self->connect_task, connect_async);
    self->t_start = g_get_monotonic_time();
    self->diag    = nm_l2tp_ipsec_diag_new(&dp);
    self->guard_timer =
        g_timeout_add_seconds((guint)(self->timeout_ike * 2 + GUARD_MARGIN_S), guard_cb, self);
    self->charon_pending = TRUE;
    nm_l2tp_charon_take_async(
        self->charon_ahead, &params, self->cancellable, charon_cb, g_object_ref(self));
}

static gboolean
connect_finish(NML2tpLayer *layer, GAsyncResult *result, GError **error)
{
    return g_task_propagate_boolean(G_TASK(result), error);
}

/* ---- accessors and construction ---------------------------------------- */

static const NML2tpStageRecord *
get_record(NML2tpLayer *layer)
{
    return NM_L2TP_IPSEC(layer)->record;
}

double
nm_l2tp_ipsec_get_charon_startup_seconds(NML2tpIpsec *self)
{
    return self->charon ? nm_l2tp_charon_get_startup_seconds(self->charon) : 0.0;
}

double
nm_l2tp_ipsec_get_initiate_seconds(NML2tpIpsec *self)
{
    if (!self->t_initiate || !self->t_verdict)
        return 0.0;
    return (self->t_verdict - self->t_initiate) / 1e6;
}

gboolean
nm_l2tp_ipsec_uses_private_charon(NML2tpIpsec *self)
{
    return self->charon && nm_l2tp_charon_is_private(self->charon);
}

NML2tpIpsec *
nm_l2tp_ipsec_new(const NML2tpSettings *s, const NML2tpWriterParams *p, const NML2tpIpsecOptions *o)
{
    NML2tpIpsec *self;

    g_return_val_if_fail(s && p && p->uuid && p->gateway_address && p->run_dir, NULL);

    self                = g_object_new(NM_L2TP_TYPE_IPSEC, NULL);
    self->uuid          = g_strdup(p->uuid);
    self->gateway       = g_strdup(p->gateway_address);
    self->run_dir       = g_strdup(p->run_dir);
    self->tree          = nm_l2tp_swanctl_conn_build(s, p);
    self->ike_proposals = g_strdup(s->ipsec_ike);
    self->esp_proposals = g_strdup(s->ipsec_esp);
    self->timeout_ike   = s->timeout_ike > 0 ? s->timeout_ike : 10;
    self->ikev2         = s->ipsec_ikev2;
    self->local_id      = nm_l2tp_ipsec_tree_get_local_id(self->tree, self->uuid);
    self->shared_id     = g_strdup_printf("nm-l2tp-%s", p->uuid);
    self->book          = nm_l2tp_sa_book_new(p->uuid, p->uuid);
    if (s->machine_auth_type == NM_L2TP_MACHINE_AUTH_PSK && s->ipsec_psk)
        self->psk = g_strdup(s->ipsec_psk);
    if (s->machine_auth_type == NM_L2TP_MACHINE_AUTH_TLS && s->machine_key)
        self->key_path = g_strdup(s->machine_key);
    if (o) {
        self->charon_ahead      = o->charon_ahead ? g_object_ref(o->charon_ahead) : NULL;
        self->allow_system      = o->allow_system_charon;
        self->system_sockets    = g_strdupv((char **)o->system_sockets);
        self->charon_path       = g_strdup(o->charon_path);
        self->charon_timeout_ms = o->charon_timeout_ms;
    } else {
        self->allow_system = TRUE;
    }
    nm_l2tp_ipsec_tree_collect_cert_paths(self->tree, self->cert_paths);
    return self;
}

static void
nm_l2tp_ipsec_init(NML2tpIpsec *self)
{
    self->cancellable = g_cancellable_new();
    self->cert_data =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
    self->cert_paths = g_ptr_array_new_with_free_func(g_free);
}

static void
dispose(GObject *object)
{
    NML2tpIpsec *self = NM_L2TP_IPSEC(object);

    g_clear_handle_id(&self->ike_timer, g_source_remove);
    g_clear_handle_id(&self->guard_timer, g_source_remove);
    nm_l2tp_ipsec_live_stop(self);
    if (self->init) {
        g_signal_handlers_disconnect_by_data(self->init, self);
        nm_l2tp_vici_client_close(self->init);
    }
    if (self->ctl) {
        g_signal_handlers_disconnect_by_data(self->ctl, self);
        nm_l2tp_vici_client_close(self->ctl);
    }
    g_clear_object(&self->init);
    g_clear_object(&self->ctl);
    g_clear_object(&self->charon);
    g_clear_object(&self->charon_ahead);
    G_OBJECT_CLASS(nm_l2tp_ipsec_parent_class)->dispose(object);
}

static void
finalize(GObject *object)
{
    NML2tpIpsec *self = NM_L2TP_IPSEC(object);

    if (self->psk) {
        memset(self->psk, 0, strlen(self->psk));
        g_free(self->psk);
    }
    g_free(self->uuid);
    g_free(self->gateway);
    g_free(self->run_dir);
    g_free(self->ike_proposals);
    g_free(self->esp_proposals);
    g_free(self->key_path);
    g_free(self->key_id);
    g_free(self->local_id);
    g_free(self->shared_id);
    g_clear_pointer(&self->tree, g_variant_unref);
    g_strfreev(self->system_sockets);
    g_free(self->charon_path);
    g_clear_pointer(&self->diag, nm_l2tp_ipsec_diag_free);
    g_clear_pointer(&self->book, nm_l2tp_sa_book_free);
    g_clear_pointer(&self->record, nm_l2tp_stage_record_free);
    g_clear_object(&self->cancellable);
    g_hash_table_unref(self->cert_data);
    g_ptr_array_unref(self->cert_paths);
    G_OBJECT_CLASS(nm_l2tp_ipsec_parent_class)->finalize(object);
}

static void
nm_l2tp_ipsec_class_init(NML2tpIpsecClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);

    object_class->dispose  = dispose;
    object_class->finalize = finalize;
}

static void
nm_l2tp_ipsec_layer_init(NML2tpLayerInterface *iface)
{
    iface->connect_async     = connect_async;
    iface->connect_finish    = connect_finish;
    iface->disconnect_async  = nm_l2tp_ipsec_disconnect_async;
    iface->disconnect_finish = nm_l2tp_ipsec_disconnect_finish;
    iface->get_record        = get_record;
}
