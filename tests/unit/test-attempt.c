/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The attempt as an orchestrator, with FAKE layers (tests/unit/fake-layer.h)
 * in place of IPsec and the link: the order of things, what ends up in
 * the report, the one verdict line, cancellation in every stage and a new
 * password after a rejected one.  Runs in milliseconds, no root. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake-layer.h"
#include "nm-l2tp-attempt.h"
#include "nm-l2tp-resources.h"
#include "nm-l2tp-report.h"

#define UUID "7b0e1c52-7f3a-4d1e-9a55-0c1d2e3f4a5b"

static guint verdict_lines;

/* Counts the verdict lines ("l2tp "NAME": ...") the attempt logs. */
static GLogWriterOutput
count_verdicts(GLogLevelFlags level, const GLogField *fields, gsize n, gpointer user_data)
{
    gsize i;

    for (i = 0; i < n; i++) {
        if (g_str_equal(fields[i].key, "MESSAGE") && fields[i].length < 0
            && g_str_has_prefix(fields[i].value, "l2tp \"test\": "))
            verdict_lines++;
    }
    return g_log_writer_default(level, fields, n, user_data);
}

typedef struct {
    char              *run_base;
    GString           *journal;
    FakeLayer         *ipsec;
    FakeLayer         *link;
    NML2tpAttempt     *attempt;
    guint              connected, failed, lost;
    NML2tpStageRecord *verdict;
    gboolean           stopped;
} Fixture;

static NML2tpLayer *
new_ipsec(const NML2tpSettings *s, const NML2tpWriterParams *p, gpointer data)
{
    Fixture *f = data;

    g_assert_true(g_file_test(p->run_dir, G_FILE_TEST_IS_DIR));
    f->ipsec = fake_layer_new("ipsec", f->journal);
    return NM_L2TP_LAYER(g_object_ref(f->ipsec));
}

static NML2tpLayer *
new_link(const NML2tpSettings *s, const NML2tpWriterParams *p, gpointer data)
{
    Fixture *f = data;

    f->link = fake_layer_new("link", f->journal);
    return NM_L2TP_LAYER(g_object_ref(f->link));
}

static void
on_connected(NML2tpAttempt *a, GVariant *general, GVariant *ip4, GVariant *ip6, gpointer user_data)
{
    Fixture *f = user_data;

    g_assert_true(g_variant_lookup(general, "tundev", "&s", &(const char *){ NULL }));
    f->connected++;
}

static void
on_failed(NML2tpAttempt *a, NML2tpStageRecord *verdict, gpointer user_data)
{
    Fixture *f = user_data;

    f->failed++;
    g_clear_pointer(&f->verdict, nm_l2tp_stage_record_free);
    f->verdict = nm_l2tp_stage_record_copy(verdict);
}

static void
on_lost(NML2tpAttempt *a, NML2tpStageRecord *verdict, gpointer user_data)
{
    Fixture *f = user_data;

    f->lost++;
    g_clear_pointer(&f->verdict, nm_l2tp_stage_record_free);
    f->verdict = nm_l2tp_stage_record_copy(verdict);
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
    const char *gateway                = data ? data : "192.0.2.1";
    g_autoptr(GHashTable) vpn          = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GHashTable) secrets      = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GError) error            = NULL;
    static const NML2tpLayerFactory fl = { new_ipsec, new_link, NULL };
    NML2tpLayerFactory             *factory;
    NML2tpAttemptOptions            options;
    NML2tpSettings                 *settings;

    f->run_base = g_dir_make_tmp("attempt-XXXXXX", NULL);
    f->journal  = g_string_new(NULL);
    g_hash_table_insert(vpn, "gateway", (gpointer)gateway);
    g_hash_table_insert(vpn, "user", "alice");
    g_hash_table_insert(vpn, "ipsec-enabled", "yes");
    g_hash_table_insert(secrets, "password", "secret-1");
    g_hash_table_insert(secrets, "ipsec-psk", "psk-1");
    settings = nm_l2tp_settings_new_from_hash(vpn, secrets, NM_L2TP_VALIDATE_FOR_CONNECT, &error);
    g_assert_no_error(error);
    factory       = g_memdup2(&fl, sizeof fl);
    factory->data = f;
    options       = (NML2tpAttemptOptions){
              .uuid     = UUID,
              .name     = "test",
              .run_base = f->run_base,
              .factory  = factory,
    };
    f->attempt = nm_l2tp_attempt_new(settings, &options);
    g_free(factory); /* copied by the attempt */
    g_signal_connect(f->attempt, "connected", G_CALLBACK(on_connected), f);
    g_signal_connect(f->attempt, "failed", G_CALLBACK(on_failed), f);
    g_signal_connect(f->attempt, "lost", G_CALLBACK(on_lost), f);
    verdict_lines = 0;
}

static void
stopped_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Fixture *f = user_data;

    g_assert_true(nm_l2tp_attempt_stop_finish(NM_L2TP_ATTEMPT(source), result, NULL));
    f->stopped = TRUE;
}

static void
spin_until(gboolean *flag)
{
    while (!*flag)
        g_main_context_iteration(NULL, TRUE);
}

static void
spin(void)
{
    while (g_main_context_iteration(NULL, FALSE))
        ;
}

/* The attempt copies the settings' files in a thread first. */
static void
start(Fixture *f, const char *until)
{
    nm_l2tp_attempt_start(f->attempt);
    while (!strstr(f->journal->str, until))
        g_main_context_iteration(NULL, TRUE);
    spin();
}

static void
stop(Fixture *f)
{
    nm_l2tp_attempt_stop_async(f->attempt, stopped_cb, f);
    spin_until(&f->stopped);
}

static NML2tpReport *
report(Fixture *f)
{
    g_autoptr(GError) error = NULL;
    NML2tpReport *r         = nm_l2tp_report_load(f->run_base, UUID, &error);

    g_assert_no_error(error);
    return r;
}

static const char *
stage_state(NML2tpReport *r, const char *stage)
{
    const NML2tpReportStage *s = nm_l2tp_report_get_stage(r, stage);

    return s ? nm_l2tp_stage_state_to_string(s->state) : "absent";
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
    g_autofree char *run_dir = nm_l2tp_run_dir_for(f->run_base, UUID);

    /* Whatever the case did, nothing of the attempt's stays but the
     * report and the log. */
    g_assert_false(g_file_test(run_dir, G_FILE_TEST_EXISTS));
    g_clear_object(&f->attempt);
    g_clear_object(&f->ipsec);
    g_clear_object(&f->link);
    g_clear_pointer(&f->verdict, nm_l2tp_stage_record_free);
    g_string_free(f->journal, TRUE);
    nm_l2tp_remove_tree(f->run_base);
    g_free(f->run_base);
}

static void
test_connects_ipsec_then_link_and_stops_top_down(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r = NULL;

    start(f, "link:prepare");
    /* xl2tpd starts (prepare) while IKE runs; L2TP waits for IPsec. */
    g_assert_cmpstr(f->journal->str, ==, "ipsec:new ipsec:connect link:new link:prepare");
    fake_layer_emit_stage(f->ipsec, NM_L2TP_STAGE_IKE_PHASE2);
    fake_layer_finish_connect(f->ipsec, TRUE, 0, 0);
    spin();
    g_assert_true(g_str_has_suffix(f->journal->str, "link:prepare link:connect"));
    fake_layer_emit_stage(f->link, NM_L2TP_STAGE_L2TP_TUNNEL);
    fake_layer_emit_stage(f->link, NM_L2TP_STAGE_PPP_AUTH);
    fake_layer_finish_connect(f->link, TRUE, 0, 0);
    spin();
    g_assert_cmpuint(f->connected, ==, 1);
    g_assert_cmpuint(f->failed + f->lost, ==, 0);
    g_assert_cmpuint(verdict_lines, ==, 1);

    r = report(f);
    g_assert_cmpint(r->outcome, ==, NM_L2TP_OUTCOME_CONNECTED);
    g_assert_cmpstr(stage_state(r, "ike-phase1"), ==, "passed");
    g_assert_cmpstr(stage_state(r, "ppp-lcp"), ==, "passed");
    g_assert_cmpstr(stage_state(r, "connected"), ==, "passed");
    g_assert_cmpstr(nm_l2tp_report_get_stage(r, "connected")->detail, ==, "MS-CHAPv2");

    /* Slow link teardown: IPsec still waits for it. */
    fake_layer_set_disconnect_ms(f->link, 50);
    g_string_truncate(f->journal, 0);
    stop(f);
    g_assert_cmpstr(f->journal->str,
                    ==,
                    "link:disconnect link:disconnected ipsec:disconnect ipsec:disconnected");
    g_clear_pointer(&r, nm_l2tp_report_free);
    r = report(f);
    g_assert_cmpint(r->outcome, ==, NM_L2TP_OUTCOME_CONNECTED);
}

static void
test_ipsec_failure_is_the_one_verdict(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r = NULL;

    start(f, "link:prepare");
    fake_layer_finish_connect(
        f->ipsec, FALSE, NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_PSK_REJECTED);
    spin();
    g_assert_cmpuint(f->failed, ==, 1);
    g_assert_cmpint(f->verdict->stage, ==, NM_L2TP_STAGE_IKE_PHASE1);
    g_assert_cmpint(f->verdict->cause, ==, NM_L2TP_CAUSE_PSK_REJECTED);
    g_assert_cmpint(f->verdict->wrong_secret, ==, NM_L2TP_SECRET_IPSEC_PSK);
    /* What follows a failure is its consequence, not a second verdict. */
    fake_layer_emit_down(f->link, NM_L2TP_STAGE_L2TP_TUNNEL, NM_L2TP_CAUSE_INTERNAL);
    g_assert_cmpuint(f->failed, ==, 1);
    g_assert_cmpuint(verdict_lines, ==, 1);
    g_assert_false(nm_l2tp_attempt_can_retry_password(f->attempt));
    g_assert_null(strstr(f->journal->str, "link:connect"));

    r = report(f);
    g_assert_cmpint(r->outcome, ==, NM_L2TP_OUTCOME_FAILED);
    g_assert_cmpstr(r->verdict_stage, ==, "ike-phase1");
    g_assert_cmpstr(r->verdict_cause, ==, "psk-rejected");
    g_assert_cmpstr(r->wrong_secret, ==, "ipsec-psk");
    g_assert_cmpstr(stage_state(r, "ike-phase1"), ==, "failed");
    g_assert_cmpstr(stage_state(r, "l2tp-tunnel"), ==, "not-reached");
    stop(f);
    g_assert_true(fake_layer_is_disconnected(f->ipsec));
    g_assert_true(fake_layer_is_disconnected(f->link));
}

static void
test_new_password_redials_over_the_same_ipsec(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r = NULL;
    g_autoptr(GError) error   = NULL;

    start(f, "link:prepare");
    fake_layer_finish_connect(f->ipsec, TRUE, 0, 0);
    spin();
    fake_layer_emit_stage(f->link, NM_L2TP_STAGE_PPP_AUTH);
    fake_layer_finish_connect(
        f->link, FALSE, NM_L2TP_STAGE_PPP_AUTH, NM_L2TP_CAUSE_PPP_AUTH_REJECTED);
    spin();
    g_assert_cmpuint(f->failed, ==, 1);
    g_assert_cmpint(f->verdict->wrong_secret, ==, NM_L2TP_SECRET_PASSWORD);
    g_assert_true(nm_l2tp_attempt_can_retry_password(f->attempt));

    g_string_truncate(f->journal, 0);
    g_assert_true(nm_l2tp_attempt_retry_password(f->attempt, "secret-2", &error));
    g_assert_no_error(error);
    /* IPsec is not touched; the link gets the new password and dials. */
    g_assert_cmpstr(f->journal->str, ==, "link:secret link:connect");
    g_assert_cmpstr(fake_layer_get_password(f->link), ==, "secret-2");
    r = report(f);
    g_assert_cmpint(r->outcome, ==, NM_L2TP_OUTCOME_IN_PROGRESS);
    g_assert_cmpstr(stage_state(r, "ike-phase2"), ==, "passed");
    g_assert_cmpstr(stage_state(r, "ppp-auth"), ==, "not-reached");

    fake_layer_finish_connect(f->link, TRUE, 0, 0);
    spin();
    g_assert_cmpuint(f->connected, ==, 1);
    g_assert_cmpuint(verdict_lines, ==, 2); /* the rejection, then the success */
    stop(f);
}

static void
test_password_retry_refused_without_ipsec(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;

    start(f, "link:prepare");
    fake_layer_finish_connect(f->ipsec, TRUE, 0, 0);
    spin();
    fake_layer_emit_down(f->ipsec, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_PEER_DELETED);
    g_assert_cmpuint(f->failed, ==, 1);
    g_assert_false(nm_l2tp_attempt_can_retry_password(f->attempt));
    g_assert_false(nm_l2tp_attempt_retry_password(f->attempt, "x", &error));
    g_assert_nonnull(error);
    stop(f);
}

static void
test_loss_after_connect_is_lost_not_failed(Fixture *f, gconstpointer data)
{
    start(f, "link:prepare");
    fake_layer_finish_connect(f->ipsec, TRUE, 0, 0);
    spin();
    fake_layer_finish_connect(f->link, TRUE, 0, 0);
    spin();
    fake_layer_emit_down(f->link, NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT);
    g_assert_cmpuint(f->lost, ==, 1);
    g_assert_cmpuint(f->failed, ==, 0);
    g_assert_cmpint(f->verdict->cause, ==, NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT);
    stop(f);
}

/* A disconnect in each stage: the report ends "cancelled" in that stage,
 * no verdict is given, and every layer that exists is taken down. */
typedef enum { AT_IKE1, AT_IKE2, AT_L2TP, AT_PPP_LCP, AT_PPP_AUTH, AT_PPP_NETWORK } CancelAt;

static const struct {
    CancelAt    at;
    const char *stage;
} cancel_cases[] = {
    { AT_IKE1, "ike-phase1" }, { AT_IKE2, "ike-phase2" },   { AT_L2TP, "l2tp-tunnel" },
    { AT_PPP_LCP, "ppp-lcp" }, { AT_PPP_AUTH, "ppp-auth" }, { AT_PPP_NETWORK, "ppp-network" },
};

static void
test_cancel_in_every_stage(void)
{
    guint i;

    for (i = 0; i < G_N_ELEMENTS(cancel_cases); i++) {
        Fixture f                 = { 0 };
        g_autoptr(NML2tpReport) r = NULL;
        CancelAt at               = cancel_cases[i].at;

        fixture_setup(&f, NULL);
        start(&f, "link:prepare");
        if (at >= AT_IKE2)
            fake_layer_emit_stage(f.ipsec, NM_L2TP_STAGE_IKE_PHASE2);
        if (at >= AT_L2TP) {
            fake_layer_finish_connect(f.ipsec, TRUE, 0, 0);
            spin();
            fake_layer_emit_stage(f.link, NM_L2TP_STAGE_L2TP_TUNNEL);
        }
        if (at >= AT_PPP_LCP)
            fake_layer_emit_stage(f.link, NM_L2TP_STAGE_PPP_LCP);
        if (at >= AT_PPP_AUTH)
            fake_layer_emit_stage(f.link, NM_L2TP_STAGE_PPP_AUTH);
        if (at >= AT_PPP_NETWORK)
            fake_layer_emit_stage(f.link, NM_L2TP_STAGE_PPP_NETWORK);
        stop(&f);
        g_assert_cmpuint(f.failed + f.lost + f.connected, ==, 0);
        g_assert_cmpuint(verdict_lines, ==, 0);
        g_assert_true(fake_layer_is_disconnected(f.link));
        g_assert_true(fake_layer_is_disconnected(f.ipsec));
        g_assert_false(fake_layer_is_connecting(f.ipsec));
        g_assert_false(fake_layer_is_connecting(f.link));
        r = report(&f);
        g_assert_cmpint(r->outcome, ==, NM_L2TP_OUTCOME_CANCELLED);
        g_assert_cmpstr(r->verdict_stage, ==, cancel_cases[i].stage);
        fixture_teardown(&f, NULL);
    }
}

/* A resolver that never answers, so that the attempt sits in the lookup. */
typedef struct {
    GResolver parent;
} SlowResolver;
typedef struct {
    GResolverClass parent;
} SlowResolverClass;
G_DEFINE_TYPE(SlowResolver, slow_resolver, G_TYPE_RESOLVER)

static void
slow_cancelled(GCancellable *cancellable, gpointer task)
{
    g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
}

static void
slow_lookup_async(GResolver          *resolver,
                  const char         *name,
                  GCancellable       *cancellable,
                  GAsyncReadyCallback callback,
                  gpointer            user_data)
{
    GTask *task = g_task_new(resolver, cancellable, callback, user_data);

    g_cancellable_connect(cancellable, G_CALLBACK(slow_cancelled), task, g_object_unref);
}

static GList *
slow_lookup_finish(GResolver *resolver, GAsyncResult *result, GError **error)
{
    return g_task_propagate_pointer(G_TASK(result), error);
}

static void
slow_resolver_init(SlowResolver *self)
{
}

static void
slow_resolver_class_init(SlowResolverClass *klass)
{
    GResolverClass *rc = G_RESOLVER_CLASS(klass);

    rc->lookup_by_name_async  = slow_lookup_async;
    rc->lookup_by_name_finish = slow_lookup_finish;
}

static void
test_cancel_during_name_lookup(Fixture *f, gconstpointer data)
{
    g_autoptr(GResolver) old  = g_resolver_get_default();
    g_autoptr(GResolver) slow = g_object_new(slow_resolver_get_type(), NULL);
    g_autoptr(NML2tpReport) r = NULL;

    g_resolver_set_default(slow);
    nm_l2tp_attempt_start(f->attempt);
    /* In the lookup once the report says "in progress". */
    while (!(r = nm_l2tp_report_load(f->run_base, UUID, NULL)))
        g_main_context_iteration(NULL, TRUE);
    g_clear_pointer(&r, nm_l2tp_report_free);
    g_assert_cmpstr(f->journal->str, ==, "");
    stop(f);
    g_resolver_set_default(old);
    r = report(f);
    g_assert_cmpint(r->outcome, ==, NM_L2TP_OUTCOME_CANCELLED);
    g_assert_cmpstr(r->verdict_stage, ==, "resolve");
    g_assert_cmpuint(verdict_lines, ==, 0);
}

/* A private profile of user "nobody" names a key only root may read: the
 * attempt refuses it before any layer exists, naming the key and why. */
static void
test_unreadable_key_refused_before_anything_starts(void)
{
    g_autofree char *dir          = g_dir_make_tmp("attempt-XXXXXX", NULL);
    g_autofree char *key          = g_build_filename(dir, "root-only.key", NULL);
    g_autofree char *cert         = g_build_filename(dir, "cert.pem", NULL);
    g_autoptr(GHashTable) vpn     = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GError) error       = NULL;
    const char *const    owners[] = { "nobody", NULL };
    Fixture              f        = { 0 };
    NML2tpLayerFactory   factory  = { new_ipsec, new_link, &f };
    NML2tpAttemptOptions options;
    g_autoptr(NML2tpReport) r = NULL;

    if (getuid() != 0) {
        g_test_skip("reading as another user needs root");
        return;
    }
    g_assert_true(g_file_set_contents_full(key, "KEY", -1, 0, 0600, NULL));
    g_assert_true(g_file_set_contents_full(cert, "CERT", -1, 0, 0644, NULL));
    g_assert_cmpint(chmod(dir, 0755), ==, 0);
    g_hash_table_insert(vpn, "gateway", "192.0.2.1");
    g_hash_table_insert(vpn, "user", "alice");
    g_hash_table_insert(vpn, "ipsec-enabled", "yes");
    g_hash_table_insert(vpn, "machine-auth-type", "tls");
    g_hash_table_insert(vpn, "machine-ca", cert);
    g_hash_table_insert(vpn, "machine-cert", cert);
    g_hash_table_insert(vpn, "machine-key", key);
    f.run_base = g_dir_make_tmp("attempt-XXXXXX", NULL);
    f.journal  = g_string_new(NULL);
    options    = (NML2tpAttemptOptions){
           .uuid = UUID, .name = "test", .run_base = f.run_base, .owners = owners, .factory = &factory
    };
    f.attempt = nm_l2tp_attempt_new(
        nm_l2tp_settings_new_from_hash(vpn, NULL, NM_L2TP_VALIDATE_NONE, &error), &options);
    g_assert_no_error(error);
    g_signal_connect(f.attempt, "failed", G_CALLBACK(on_failed), &f);
    nm_l2tp_attempt_start(f.attempt);
    while (!f.failed)
        g_main_context_iteration(NULL, TRUE);
    g_assert_cmpstr(f.journal->str, ==, "");
    g_assert_cmpint(f.verdict->stage, ==, NM_L2TP_STAGE_IKE_PHASE1);
    g_assert_cmpint(f.verdict->cause, ==, NM_L2TP_CAUSE_FILE_REFUSED);
    g_assert_nonnull(strstr(f.verdict->detail, "machine-key"));
    g_assert_nonnull(strstr(f.verdict->detail, "not readable by nobody"));
    stop(&f);
    r = report(&f);
    g_assert_cmpstr(r->verdict_cause, ==, "file-refused");
    fixture_teardown(&f, NULL);
    nm_l2tp_remove_tree(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_log_set_writer_func(count_verdicts, NULL, NULL);
#define ADD(path, fn, data) \
    g_test_add("/attempt/" path, Fixture, data, fixture_setup, fn, fixture_teardown)
    ADD("connects-ipsec-then-link-and-stops-top-down",
        test_connects_ipsec_then_link_and_stops_top_down,
        NULL);
    ADD("ipsec-failure-is-the-one-verdict", test_ipsec_failure_is_the_one_verdict, NULL);
    ADD("new-password-redials-over-the-same-ipsec",
        test_new_password_redials_over_the_same_ipsec,
        NULL);
    ADD("password-retry-refused-without-ipsec", test_password_retry_refused_without_ipsec, NULL);
    ADD("loss-after-connect-is-lost-not-failed", test_loss_after_connect_is_lost_not_failed, NULL);
    ADD("cancel-during-name-lookup", test_cancel_during_name_lookup, "vpn.lab.invalid");
    g_test_add_func("/attempt/cancel-in-every-stage", test_cancel_in_every_stage);
    g_test_add_func("/attempt/unreadable-key-refused-before-anything-starts",
                    test_unreadable_key_refused_before_anything_starts);
    return g_test_run();
}
