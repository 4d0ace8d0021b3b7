/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-attempt-private.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <NetworkManager.h>
#include <string.h>
#include <sys/socket.h>
#include <glib-unix.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-ipsec.h"
#include "nm-l2tp-ppp-dbus.h"
#include "nm-l2tp-ppp-manager.h"
#include "nm-l2tp-report.h"
#include "nm-l2tp-writers.h"
#include "nm-l2tp-xl2tpd.h"

/* Charon's own start may take a while on a slow machine; the IKE timeout
 * proper is enforced by the IPsec code, this only catches a hang. */
#define IKE_SAFETY_MARGIN_S 20

G_DEFINE_FINAL_TYPE(NML2tpAttempt, nm_l2tp_attempt, G_TYPE_OBJECT)

guint nm_l2tp_attempt_signals[NM_L2TP_ATTEMPT_N_SIGNALS];
#define signals nm_l2tp_attempt_signals

static void after_resolve(NML2tpAttempt *self);

double
nm_l2tp_attempt_get_elapsed(NML2tpAttempt *self)
{
    return g_timer_elapsed(self->timer, NULL);
}

const NML2tpStageRecord *
nm_l2tp_attempt_get_verdict(NML2tpAttempt *self)
{
    return self->verdict;
}

/* The report (world-readable: no secrets, only stages and words from the
 * catalog) and the attempt's log (root only) stay under /run after the
 * attempt, as "the last attempt" for the editor, the auth dialog and
 * nm-l2tp-diag; the next attempt of the connection replaces them.  They are
 * written when the timeline changes its outcome, not per line. */
void
nm_l2tp_attempt_save_report(NML2tpAttempt *self)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *name   = g_strdup_printf("%s.log", self->uuid);
    g_autofree char *path   = g_build_filename(self->run_base, name, NULL);

    if (!nm_l2tp_report_save(self->report, self->run_base, &error))
        g_warning("nm-l2tp: cannot write the last-attempt report: %s", error->message);
    g_clear_error(&error);
    if (!g_file_set_contents_full(
            path, self->log->str, self->log->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        g_warning("nm-l2tp: cannot write the attempt's log: %s", error->message);
}

/* Each line of charon, xl2tpd and pppd goes to the attempt's log, and to
 * the service's stderr, which NetworkManager puts in its log when it runs
 * with --debug.  None of these programs is given a secret to print. */
void
nm_l2tp_attempt_log_line(NML2tpAttempt *self, const char *source, const char *line)
{
    g_string_append_printf(
        self->log, "%8.3f %s: %s\n", nm_l2tp_attempt_get_elapsed(self), source, line);
    g_printerr("nm-l2tp[%s] %s: %s\n", self->name, source, line);
}

/* The one line per attempt that names connection, stage, cause and time.
 * NM_CONNECTION lets `journalctl NM_CONNECTION=<uuid>` find it. */
void
nm_l2tp_attempt_log_verdict(NML2tpAttempt *self, const NML2tpStageRecord *record)
{
    g_autofree char *what = NULL;

    if (record->cause == NM_L2TP_CAUSE_NONE)
        what = g_strdup_printf("connected after %.1f s", record->seconds);
    else
        what = nm_l2tp_stage_record_to_string(record);
    g_log_structured(G_LOG_DOMAIN,
                     G_LOG_LEVEL_MESSAGE,
                     "NM_CONNECTION",
                     self->uuid,
                     "MESSAGE",
                     "l2tp \"%s\": %s",
                     self->name,
                     what);
}

void
nm_l2tp_attempt_clear_timeout(NML2tpAttempt *self)
{
    g_clear_handle_id(&self->timeout_id, g_source_remove);
}

static gboolean
stage_timeout_cb(gpointer user_data)
{
    NML2tpAttempt   *self   = user_data;
    g_autofree char *detail = NULL;
    NML2tpCause      cause  = NM_L2TP_CAUSE_TIMEOUT;

    self->timeout_id = 0;
    switch (self->stage) {
    case NM_L2TP_STAGE_L2TP_TUNNEL:
        cause  = NM_L2TP_CAUSE_L2TP_NO_RESPONSE;
        detail = g_strdup(self->gateway_address);
        break;
    case NM_L2TP_STAGE_PPP_LCP:
        cause = NM_L2TP_CAUSE_LCP_TIMEOUT;
        break;
    default:
        detail = g_strdup_printf(_("no progress after %.0f s"),
                                 nm_l2tp_attempt_get_elapsed(self) - self->stage_started);
        break;
    }
    nm_l2tp_attempt_fail(self, self->stage, cause, detail);
    return G_SOURCE_REMOVE;
}

void
nm_l2tp_attempt_arm_timeout(NML2tpAttempt *self, gint64 seconds)
{
    nm_l2tp_attempt_clear_timeout(self);
    self->timeout_id = g_timeout_add_seconds((guint)seconds, stage_timeout_cb, self);
}

/* Moves the timeline on: every stage before @stage that was entered is
 * passed, @stage starts now. */
void
nm_l2tp_attempt_enter_stage(NML2tpAttempt *self, NML2tpStage stage)
{
    double now = nm_l2tp_attempt_get_elapsed(self);

    if (stage <= self->stage && self->stage_started >= 0)
        return;
    if (self->stage_started >= 0) {
        NML2tpStage s;

        nm_l2tp_report_set_stage(self->report,
                                 nm_l2tp_stage_to_string(self->stage),
                                 NM_L2TP_STAGE_STATE_PASSED,
                                 now,
                                 NULL);
        /* Stages the events skipped (a session up without a separate tunnel
         * event) passed in no measurable time. */
        for (s = self->stage + 1; s < stage; s++) {
            /* Without IPsec its stages are not part of the timeline. */
            if (!self->settings->ipsec_enabled
                && (s == NM_L2TP_STAGE_IKE_PHASE1 || s == NM_L2TP_STAGE_IKE_PHASE2))
                continue;
            nm_l2tp_report_set_stage(
                self->report, nm_l2tp_stage_to_string(s), NM_L2TP_STAGE_STATE_PASSED, now, NULL);
        }
    }
    self->stage         = stage;
    self->stage_started = now;
    g_debug("nm-l2tp[%s]: stage %s at %.2f s", self->name, nm_l2tp_stage_to_string(stage), now);
}

static void
finish_with(NML2tpAttempt *self, NML2tpStageRecord *record)
{
    NML2tpStage s;

    nm_l2tp_attempt_clear_timeout(self);
    g_clear_pointer(&self->verdict, nm_l2tp_stage_record_free);
    self->verdict = record;
    nm_l2tp_report_set_stage(self->report,
                             nm_l2tp_stage_to_string(record->stage),
                             NM_L2TP_STAGE_STATE_FAILED,
                             record->seconds,
                             record->detail);
    for (s = record->stage + 1; s < NM_L2TP_STAGE_N; s++)
        nm_l2tp_report_set_stage(
            self->report, nm_l2tp_stage_to_string(s), NM_L2TP_STAGE_STATE_NOT_REACHED, -1, NULL);
    nm_l2tp_report_set_verdict(self->report,
                               NM_L2TP_OUTCOME_FAILED,
                               nm_l2tp_stage_to_string(record->stage),
                               nm_l2tp_cause_to_string(record->cause),
                               record->message,
                               record->hint,
                               record->wrong_secret == NM_L2TP_SECRET_NONE ?
                                   NULL :
                                   nm_l2tp_wrong_secret_to_string(record->wrong_secret));
    nm_l2tp_attempt_save_report(self);
    nm_l2tp_attempt_log_verdict(self, record);
    g_signal_emit(
        self,
        signals[self->connected ? NM_L2TP_ATTEMPT_SIGNAL_LOST : NM_L2TP_ATTEMPT_SIGNAL_FAILED],
        0,
        record);
}

void
nm_l2tp_attempt_fail(NML2tpAttempt *self, NML2tpStage stage, NML2tpCause cause, const char *detail)
{
    /* The first failure is the verdict; what follows is its consequence
     * (pppd exiting after an authentication failure, and so on). */
    if (self->stopping || self->verdict)
        return;
    finish_with(self,
                nm_l2tp_stage_record_new(stage, cause, detail, nm_l2tp_attempt_get_elapsed(self)));
}

/* ---- Resolve ---------------------------------------------------------- */

static void
resolved_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GError) error = NULL;
    GList         *addresses;
    GList         *l;
    NML2tpAttempt *self;

    addresses = g_resolver_lookup_by_name_finish(G_RESOLVER(source), result, &error);
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
    self = user_data;
    for (l = addresses; l; l = l->next) {
        if (g_inet_address_get_family(l->data) == G_SOCKET_FAMILY_IPV4) {
            self->gateway_address = g_inet_address_to_string(l->data);
            break;
        }
    }
    g_resolver_free_addresses(addresses);
    if (!self->gateway_address) {
        /* xl2tpd speaks L2TP over IPv4 only. */
        nm_l2tp_attempt_fail(
            self, NM_L2TP_STAGE_RESOLVE, NM_L2TP_CAUSE_RESOLVE_FAILED, self->settings->gateway);
        return;
    }
    after_resolve(self);
}

/* ---- Local port and run directory ------------------------------------- */

static guint
pick_local_port(gboolean ephemeral)
{
    g_autoptr(GSocket) sock        = NULL;
    g_autoptr(GInetAddress) any    = g_inet_address_new_any(G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) addr = NULL;
    g_autoptr(GSocketAddress) got  = NULL;

    sock = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
    if (!sock)
        return 1701;
    /* 1701 when it is free; when another L2TP client holds it (a system
     * xl2tpd), a port the kernel picks, and the IPsec selectors follow. */
    if (!ephemeral) {
        addr = g_inet_socket_address_new(any, 1701);
        if (g_socket_bind(sock, addr, FALSE, NULL))
            return 1701;
        g_clear_object(&addr);
    }
    addr = g_inet_socket_address_new(any, 0);
    if (!g_socket_bind(sock, addr, FALSE, NULL))
        return 1701;
    got = g_socket_get_local_address(sock, NULL);
    return got ? g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(got)) : 1701;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    if (remove(path) != 0 && errno != ENOENT)
        g_warning("nm-l2tp: cannot remove %s: %s", path, g_strerror(errno));
    return 0;
}

static void
remove_run_dir(NML2tpAttempt *self)
{
    if (self->run_dir && g_file_test(self->run_dir, G_FILE_TEST_IS_DIR))
        nftw(self->run_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static gboolean
make_run_dir(NML2tpAttempt *self, GError **error)
{
    int errsv;

    if (g_mkdir_with_parents(self->run_base, 0755) != 0) {
        errsv = errno;
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    _("cannot create %s: %s"),
                    self->run_base,
                    g_strerror(errsv));
        return FALSE;
    }
    /* Left over from a service that crashed: it was ours, start clean. */
    remove_run_dir(self);
    if (g_mkdir(self->run_dir, 0700) != 0) {
        errsv = errno;
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    _("cannot create %s: %s"),
                    self->run_dir,
                    g_strerror(errsv));
        return FALSE;
    }
    return TRUE;
}

void
nm_l2tp_attempt_fill_writer_params(NML2tpAttempt *self, NML2tpWriterParams *p)
{
    *p = (NML2tpWriterParams){
        .uuid            = self->uuid,
        .gateway_address = self->gateway_address,
        .local_port      = self->local_port,
        .run_dir         = self->run_dir,
        .ppp_plugin      = self->ppp_plugin,
        .bus_name        = self->bus_name,
    };
}

/* ---- IPsec ------------------------------------------------------------ */

static void
ipsec_log_cb(NML2tpIpsec *ipsec, const char *group, const char *msg, gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    nm_l2tp_attempt_log_line(self, "ike", msg);
    /* The IPsec code reports only its final stage; the IKE SA coming up
     * is the end of phase 1 on the timeline. */
    if (self->stage == NM_L2TP_STAGE_IKE_PHASE1 && strstr(msg, "IKE_SA")
        && strstr(msg, "established"))
        nm_l2tp_attempt_enter_stage(self, NM_L2TP_STAGE_IKE_PHASE2);
}

static void
ipsec_down_cb(NML2tpIpsec *ipsec, NML2tpStageRecord *record, gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    self->ipsec_up = FALSE;
    nm_l2tp_attempt_fail(self, record->stage, record->cause, record->detail);
}

static void
ipsec_connected_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpAttempt) self = user_data;
    g_autoptr(GError) error       = NULL;
    const NML2tpStageRecord *record;

    self->ipsec_connecting = FALSE;
    if (self->stopping) {
        /* Stop waited for us; it continues with the IPsec teardown. */
        if (self->settle_task)
            g_task_return_boolean(g_steal_pointer(&self->settle_task), TRUE);
        return;
    }
    if (!nm_l2tp_ipsec_connect_finish(NM_L2TP_IPSEC(source), result, &error)) {
        record = nm_l2tp_ipsec_get_record(NM_L2TP_IPSEC(source));
        if (record)
            nm_l2tp_attempt_fail(self, record->stage, record->cause, record->detail);
        else
            nm_l2tp_attempt_fail(self, self->stage, NM_L2TP_CAUSE_INTERNAL, error->message);
        return;
    }
    self->ipsec_up = TRUE;
    nm_l2tp_attempt_enter_stage(self, NM_L2TP_STAGE_IKE_PHASE2);
    nm_l2tp_attempt_enter_stage(self, NM_L2TP_STAGE_L2TP_TUNNEL);
    nm_l2tp_attempt_start_l2tp(self);
}

static void
start_ipsec(NML2tpAttempt *self)
{
    NML2tpWriterParams params;
    NML2tpIpsecOptions options = {
        .allow_system_charon = self->allow_system_charon,
        .charon_path         = self->charon_path,
    };

    nm_l2tp_attempt_fill_writer_params(self, &params);
    nm_l2tp_attempt_arm_timeout(self, self->settings->timeout_ike * 2 + IKE_SAFETY_MARGIN_S);
    self->ipsec = nm_l2tp_ipsec_new(self->settings, &params, &options);
    g_signal_connect(self->ipsec, "log", G_CALLBACK(ipsec_log_cb), self);
    g_signal_connect(self->ipsec, "down", G_CALLBACK(ipsec_down_cb), self);
    self->ipsec_connecting = TRUE;
    nm_l2tp_ipsec_connect_async(
        self->ipsec, self->cancellable, ipsec_connected_cb, g_object_ref(self));
}

/* After the gateway's address is known: the run directory, the port,
 * IPsec, then xl2tpd (listening, not dialing), or straight to L2TP for the
 * rare profile without IPsec.  IPsec goes first because a private charon
 * takes a few hundred milliseconds to start on a slow machine and xl2tpd a
 * fraction of that: spawning xl2tpd first would only delay the charon.
 * Neither can report back before this function returns. */
static void
after_resolve(NML2tpAttempt *self)
{
    g_autoptr(GError) error = NULL;

    if (self->settings->ipsec_enabled)
        nm_l2tp_attempt_enter_stage(self, NM_L2TP_STAGE_IKE_PHASE1);
    if (!make_run_dir(self, &error)) {
        nm_l2tp_attempt_fail(self, self->stage, NM_L2TP_CAUSE_INTERNAL, error->message);
        return;
    }
    self->local_port = pick_local_port(self->settings->ephemeral_port);
    if (self->settings->ipsec_enabled)
        start_ipsec(self);
    if (!nm_l2tp_attempt_prepare_l2tp(self))
        return;
    if (!self->settings->ipsec_enabled)
        nm_l2tp_attempt_start_l2tp(self);
}

/* ---- Public API ------------------------------------------------------- */

void
nm_l2tp_attempt_start(NML2tpAttempt *self)
{
    g_autoptr(GInetAddress) literal = g_inet_address_new_from_string(self->settings->gateway);

    g_timer_start(self->timer);
    /* The report directory is public (0755): reports are world-readable. */
    if (g_mkdir_with_parents(self->run_base, 0755) != 0)
        g_warning("nm-l2tp: cannot create %s: %s", self->run_base, g_strerror(errno));
    self->stage         = NM_L2TP_STAGE_RESOLVE;
    self->stage_started = 0;
    nm_l2tp_report_set_verdict(
        self->report, NM_L2TP_OUTCOME_IN_PROGRESS, NULL, NULL, NULL, NULL, NULL);
    nm_l2tp_attempt_save_report(self);
    if (literal) {
        if (g_inet_address_get_family(literal) != G_SOCKET_FAMILY_IPV4) {
            nm_l2tp_attempt_fail(
                self, NM_L2TP_STAGE_RESOLVE, NM_L2TP_CAUSE_RESOLVE_FAILED, self->settings->gateway);
            return;
        }
        self->gateway_address = g_strdup(self->settings->gateway);
        after_resolve(self);
        return;
    }
    nm_l2tp_attempt_arm_timeout(self, self->settings->timeout_ike);
    g_resolver_lookup_by_name_async(
        g_resolver_get_default(), self->settings->gateway, self->cancellable, resolved_cb, self);
}

gboolean
nm_l2tp_attempt_can_retry_password(NML2tpAttempt *self)
{
    return self->verdict && !self->connected && !self->stopping
           && self->verdict->wrong_secret == NM_L2TP_SECRET_PASSWORD && self->xl2tpd
           && nm_l2tp_xl2tpd_is_running(self->xl2tpd)
           && (!self->settings->ipsec_enabled || self->ipsec_up);
}

gboolean
nm_l2tp_attempt_retry_password(NML2tpAttempt *self, const char *password, GError **error)
{
    g_autofree char *user = NULL;
    NML2tpStage      s;

    if (!nm_l2tp_attempt_can_retry_password(self)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    _("the connection cannot try a new password now"));
        return FALSE;
    }
    g_free(self->settings->password);
    self->settings->password = g_strdup(password);
    user                     = nm_l2tp_settings_dup_ppp_user(self->settings);
    nm_l2tp_ppp_manager_set_credentials(self->ppp, user, password);
    g_clear_pointer(&self->verdict, nm_l2tp_stage_record_free);
    g_clear_pointer(&self->ppp_detail, g_free);
    self->auth_failed = FALSE;

    /* The IPsec SA stays; the timeline continues from L2TP. */
    for (s = NM_L2TP_STAGE_L2TP_TUNNEL; s < NM_L2TP_STAGE_N; s++)
        nm_l2tp_report_set_stage(
            self->report, nm_l2tp_stage_to_string(s), NM_L2TP_STAGE_STATE_NOT_REACHED, -1, NULL);
    nm_l2tp_report_set_verdict(
        self->report, NM_L2TP_OUTCOME_IN_PROGRESS, NULL, NULL, NULL, NULL, NULL);
    self->stage         = NM_L2TP_STAGE_L2TP_TUNNEL;
    self->stage_started = nm_l2tp_attempt_get_elapsed(self);
    nm_l2tp_attempt_arm_timeout(self, self->settings->timeout_l2tp);
    return nm_l2tp_xl2tpd_dial(self->xl2tpd, error);
}

static void stop_step(NML2tpAttempt *self);

#define PPPD_TERM_GRACE_MS 3000

static void
pppd_watch_clear(NML2tpAttempt *self)
{
    g_clear_handle_id(&self->pppd_watch, g_source_remove);
    g_clear_handle_id(&self->pppd_timer, g_source_remove);
    if (self->pppd_fd >= 0) {
        close(self->pppd_fd);
        self->pppd_fd = -1;
    }
}

static void
pppd_gone(NML2tpAttempt *self)
{
    pppd_watch_clear(self);
    self->pppd_done = TRUE;
    stop_step(self);
}

static gboolean
pppd_exited_cb(int fd, GIOCondition condition, gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    self->pppd_watch = 0;
    pppd_gone(self);
    return G_SOURCE_REMOVE;
}

static gboolean
pppd_kill_cb(gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    self->pppd_timer = 0;
    syscall(SYS_pidfd_send_signal, self->pppd_fd, SIGKILL, NULL, 0);
    return G_SOURCE_REMOVE;
}

/* pppd goes first, by SIGTERM, so that it ends PPP with an LCP
 * Terminate-Request while L2TP and the SA still carry it.  It is xl2tpd's
 * child, not ours: a pidfd tells when it is gone. */
static gboolean
stop_pppd(NML2tpAttempt *self)
{
    GPid pid = self->ppp ? nm_l2tp_ppp_manager_get_pid(self->ppp) : 0;

    if (self->pppd_done || pid <= 0)
        return FALSE;
    self->pppd_fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (self->pppd_fd < 0 || syscall(SYS_pidfd_send_signal, self->pppd_fd, SIGTERM, NULL, 0) != 0) {
        pppd_gone(self);
        return TRUE;
    }
    self->pppd_watch = g_unix_fd_add(self->pppd_fd, G_IO_IN, pppd_exited_cb, self);
    self->pppd_timer = g_timeout_add(PPPD_TERM_GRACE_MS, pppd_kill_cb, self);
    return TRUE;
}

static void
stop_ipsec_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
    NML2tpAttempt *self     = user_data;
    g_autoptr(GError) error = NULL;

    if (!nm_l2tp_ipsec_disconnect_finish(NM_L2TP_IPSEC(source), result, &error))
        g_warning("nm-l2tp[%s]: IPsec teardown: %s", self->name, error->message);
    g_signal_handlers_disconnect_by_data(self->ipsec, self);
    g_clear_object(&self->ipsec);
    stop_step(self);
}

static void
stop_xl2tpd_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
    NML2tpAttempt *self = user_data;

    nm_l2tp_xl2tpd_stop_finish(NM_L2TP_XL2TPD(source), result, NULL);
    g_signal_handlers_disconnect_by_data(self->xl2tpd, self);
    g_clear_object(&self->xl2tpd);
    stop_step(self);
}

static void
ipsec_settled_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    stop_step(user_data);
}

/* Top-down: PPP and L2TP first (xl2tpd sends StopCCN and ends pppd, still
 * through the SA), then IPsec, then the files. */
static void
stop_step(NML2tpAttempt *self)
{
    g_autoptr(GTask) task = NULL;

    if (!self->pppd_done && self->pppd_fd >= 0)
        return; /* waiting for pppd */
    if (stop_pppd(self))
        return;
    if (self->xl2tpd) {
        nm_l2tp_xl2tpd_stop_async(self->xl2tpd, stop_xl2tpd_done, self);
        return;
    }
    if (self->ppp) {
        g_signal_handlers_disconnect_by_data(self->ppp, self);
        g_clear_object(&self->ppp);
    }
    if (self->ipsec && self->ipsec_connecting) {
        /* Wait for the cancelled connect to return before unloading. */
        self->settle_task = g_task_new(self, NULL, ipsec_settled_cb, self);
        return;
    }
    if (self->ipsec) {
        nm_l2tp_ipsec_disconnect_async(self->ipsec, NULL, stop_ipsec_done, self);
        return;
    }
    remove_run_dir(self);
    task = g_steal_pointer(&self->stop_task);
    if (task)
        g_task_return_boolean(task, TRUE);
}

/* Every timer that could still move the attempt on. */
static void
clear_timers(NML2tpAttempt *self)
{
    nm_l2tp_attempt_clear_timeout(self);
    g_clear_handle_id(&self->auth_fail_timer, g_source_remove);
    g_clear_handle_id(&self->dial_timer, g_source_remove);
}

void
nm_l2tp_attempt_stop_async(NML2tpAttempt *self, GAsyncReadyCallback callback, gpointer user_data)
{
    GTask *task = g_task_new(self, NULL, callback, user_data);

    if (self->stopping) {
        g_task_return_new_error(task, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "already stopping");
        g_object_unref(task);
        return;
    }
    self->stopping = TRUE;
    if (!self->verdict && !self->connected) {
        /* Disconnected while connecting: the report says where it was
         * instead of staying "in progress" for ever. */
        nm_l2tp_report_set_verdict(self->report,
                                   NM_L2TP_OUTCOME_CANCELLED,
                                   nm_l2tp_stage_to_string(self->stage),
                                   NULL,
                                   NULL,
                                   NULL,
                                   NULL);
        nm_l2tp_attempt_save_report(self);
    }
    clear_timers(self);
    g_cancellable_cancel(self->cancellable);
    /* The task keeps the attempt alive until the teardown is complete. */
    self->stop_task = task;
    stop_step(self);
}

gboolean
nm_l2tp_attempt_stop_finish(NML2tpAttempt *self, GAsyncResult *result, GError **error)
{
    return g_task_propagate_boolean(G_TASK(result), error);
}

NML2tpAttempt *
nm_l2tp_attempt_new(NML2tpSettings             *settings,
                    GDBusConnection            *bus,
                    const NML2tpAttemptOptions *options)
{
    NML2tpAttempt *self = g_object_new(NM_L2TP_TYPE_ATTEMPT, NULL);

    self->settings = settings;
    self->bus      = g_object_ref(bus);
    self->uuid     = g_strdup(options->uuid);
    self->name     = g_strdup(options->name ? options->name : options->uuid);
    self->bus_name = g_strdup(options->bus_name);
    self->run_base = g_strdup(options->run_base ? options->run_base : NM_L2TP_RUNDIR);
    self->run_dir  = g_build_filename(self->run_base, self->uuid, NULL);
    self->ppp_plugin =
        g_strdup(options->ppp_plugin ? options->ppp_plugin :
                                       NM_L2TP_PPPD_PLUGIN_DIR "/nm-l2tp-pppd-plugin.so");
    self->xl2tpd_path         = g_strdup(options->xl2tpd_path);
    self->charon_path         = g_strdup(options->charon_path);
    self->allow_system_charon = options->allow_system_charon;
    self->report              = nm_l2tp_report_new(self->uuid, self->name);
    return self;
}

static void
nm_l2tp_attempt_init(NML2tpAttempt *self)
{
    self->timer         = g_timer_new();
    self->cancellable   = g_cancellable_new();
    self->stage_started = -1;
    self->log           = g_string_new(NULL);
    self->pppd_fd       = -1;
}

static void
dispose(GObject *object)
{
    NML2tpAttempt *self = NM_L2TP_ATTEMPT(object);

    clear_timers(self);
    g_cancellable_cancel(self->cancellable);
    pppd_watch_clear(self);
    if (self->ppp)
        g_signal_handlers_disconnect_by_data(self->ppp, self);
    if (self->xl2tpd)
        g_signal_handlers_disconnect_by_data(self->xl2tpd, self);
    if (self->ipsec)
        g_signal_handlers_disconnect_by_data(self->ipsec, self);
    g_clear_object(&self->ppp);
    g_clear_object(&self->xl2tpd);
    g_clear_object(&self->ipsec);
    G_OBJECT_CLASS(nm_l2tp_attempt_parent_class)->dispose(object);
}

static void
finalize(GObject *object)
{
    NML2tpAttempt *self = NM_L2TP_ATTEMPT(object);

    nm_l2tp_settings_free(self->settings);
    g_clear_object(&self->bus);
    g_clear_object(&self->cancellable);
    g_timer_destroy(self->timer);
    g_clear_pointer(&self->report, nm_l2tp_report_free);
    g_clear_pointer(&self->verdict, nm_l2tp_stage_record_free);
    g_string_free(self->log, TRUE);
    g_free(self->uuid);
    g_free(self->name);
    g_free(self->bus_name);
    g_free(self->run_base);
    g_free(self->run_dir);
    g_free(self->ppp_plugin);
    g_free(self->xl2tpd_path);
    g_free(self->charon_path);
    g_free(self->gateway_address);
    g_free(self->auth_method);
    g_free(self->ppp_detail);
    G_OBJECT_CLASS(nm_l2tp_attempt_parent_class)->finalize(object);
}

static void
nm_l2tp_attempt_class_init(NML2tpAttemptClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);

    object_class->dispose  = dispose;
    object_class->finalize = finalize;

    signals[NM_L2TP_ATTEMPT_SIGNAL_CONNECTED] = g_signal_new("connected",
                                                             G_TYPE_FROM_CLASS(klass),
                                                             G_SIGNAL_RUN_LAST,
                                                             0,
                                                             NULL,
                                                             NULL,
                                                             NULL,
                                                             G_TYPE_NONE,
                                                             2,
                                                             G_TYPE_VARIANT,
                                                             G_TYPE_VARIANT);
    signals[NM_L2TP_ATTEMPT_SIGNAL_FAILED]    = g_signal_new("failed",
                                                          G_TYPE_FROM_CLASS(klass),
                                                          G_SIGNAL_RUN_LAST,
                                                          0,
                                                          NULL,
                                                          NULL,
                                                          NULL,
                                                          G_TYPE_NONE,
                                                          1,
                                                          G_TYPE_POINTER);
    signals[NM_L2TP_ATTEMPT_SIGNAL_LOST]      = g_signal_new("lost",
                                                        G_TYPE_FROM_CLASS(klass),
                                                        G_SIGNAL_RUN_LAST,
                                                        0,
                                                        NULL,
                                                        NULL,
                                                        NULL,
                                                        G_TYPE_NONE,
                                                        1,
                                                        G_TYPE_POINTER);
}
