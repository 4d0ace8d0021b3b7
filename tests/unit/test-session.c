/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The session (what the service does for NetworkManager) with FAKE layers:
 * what NetworkManager is told, which secret is asked again, and that a new
 * attempt never overlaps the teardown of the last one, in this service or
 * in the last service of the same connection. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fake-layer.h"
#include "nm-l2tp-resources.h"
#include "nm-l2tp-session.h"

#define UUID "3f0b3c1e-55aa-4e0c-8d21-6a7b8c9d0e1f"

typedef struct {
    char          *run_base;
    GString       *journal;
    guint          n_ipsec, n_link;
    GPtrArray     *layers;
    NML2tpSession *session;
    GArray        *failures;
    char          *asked_for;
    guint          stopped, idle, configs;
} Fixture;

static NML2tpLayer *
new_layer(Fixture *f, const char *kind, guint *n, const NML2tpWriterParams *p)
{
    g_autofree char *name = g_strdup_printf("%s%u", kind, ++*n);
    FakeLayer       *l    = fake_layer_new(name, f->journal);

    /* The run directory a new attempt works in exists, whatever the last
     * attempt's teardown did. */
    g_assert_true(g_file_test(p->run_dir, G_FILE_TEST_IS_DIR));
    g_ptr_array_add(f->layers, l);
    return NM_L2TP_LAYER(g_object_ref(l));
}

static NML2tpLayer *
new_ipsec(const NML2tpSettings *s, const NML2tpWriterParams *p, gpointer data)
{
    Fixture     *f = data;
    NML2tpLayer *l = new_layer(f, "ipsec", &f->n_ipsec, p);

    /* IPsec's teardown takes a while, on purpose. */
    fake_layer_set_disconnect_ms(FAKE_LAYER(l), 150);
    return l;
}

static NML2tpLayer *
new_link(const NML2tpSettings *s, const NML2tpWriterParams *p, gpointer data)
{
    Fixture *f = data;

    return new_layer(f, "link", &f->n_link, p);
}

static FakeLayer *
layer(Fixture *f, const char *name)
{
    guint i;

    for (i = 0; i < f->layers->len; i++) {
        if (g_str_equal(fake_layer_get_name(f->layers->pdata[i]), name))
            return f->layers->pdata[i];
    }
    g_assert_not_reached();
}

static void
on_failure(NML2tpSession *s, guint failure, gpointer user_data)
{
    Fixture *f = user_data;

    g_array_append_val(f->failures, failure);
}

static void
on_secrets(NML2tpSession *s, const char *message, const char *key, gpointer user_data)
{
    Fixture *f = user_data;

    g_assert_true(strstr(message, "IPsec phase 1") || strstr(message, "PPP authentication"));
    g_free(f->asked_for);
    f->asked_for = g_strdup(key);
}

static void
on_stopped(NML2tpSession *s, gpointer user_data)
{
    ((Fixture *)user_data)->stopped++;
}

static void
on_idle(NML2tpSession *s, gpointer user_data)
{
    ((Fixture *)user_data)->idle++;
}

static void
on_config(NML2tpSession *s, GVariant *general, GVariant *ip4, GVariant *ip6, gpointer user_data)
{
    ((Fixture *)user_data)->configs++;
}

static void
setup(Fixture *f, gconstpointer data)
{
    static NML2tpLayerFactory factory = { new_ipsec, new_link, NULL };
    NML2tpSessionOptions      options;

    f->run_base  = g_dir_make_tmp("session-XXXXXX", NULL);
    f->journal   = g_string_new(NULL);
    f->layers    = g_ptr_array_new_with_free_func(g_object_unref);
    f->failures  = g_array_new(FALSE, FALSE, sizeof(guint));
    factory.data = f;
    options      = (NML2tpSessionOptions){ .run_base = f->run_base, .factory = &factory };
    f->session   = nm_l2tp_session_new(&options);
    g_signal_connect(f->session, "failure", G_CALLBACK(on_failure), f);
    g_signal_connect(f->session, "secrets-required", G_CALLBACK(on_secrets), f);
    g_signal_connect(f->session, "stopped", G_CALLBACK(on_stopped), f);
    g_signal_connect(f->session, "idle", G_CALLBACK(on_idle), f);
    g_signal_connect(f->session, "config", G_CALLBACK(on_config), f);
}

static void
teardown(Fixture *f, gconstpointer data)
{
    g_autofree char *run_dir = nm_l2tp_run_dir_for(f->run_base, UUID);

    g_assert_true(nm_l2tp_session_is_idle(f->session));
    g_assert_false(g_file_test(run_dir, G_FILE_TEST_EXISTS));
    g_clear_object(&f->session);
    g_ptr_array_unref(f->layers);
    g_array_unref(f->failures);
    g_string_free(f->journal, TRUE);
    g_free(f->asked_for);
    nm_l2tp_remove_tree(f->run_base);
    g_free(f->run_base);
}

/* A connection as NetworkManager hands it over; the PSK is kept by the
 * user's agent (not saved) when @agent_psk. */
static NMConnection *
connection(const char *psk, gboolean agent_psk, const char *extra_key)
{
    NMConnection        *c     = nm_simple_connection_new();
    NMSettingConnection *s_con = NM_SETTING_CONNECTION(nm_setting_connection_new());
    NMSettingVpn        *s_vpn = NM_SETTING_VPN(nm_setting_vpn_new());

    g_object_set(s_con,
                 NM_SETTING_CONNECTION_ID,
                 "office",
                 NM_SETTING_CONNECTION_UUID,
                 UUID,
                 NM_SETTING_CONNECTION_TYPE,
                 NM_SETTING_VPN_SETTING_NAME,
                 NULL);
    g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, "org.freedesktop.NetworkManager.l2tp", NULL);
    nm_setting_vpn_add_data_item(s_vpn, "gateway", "192.0.2.1");
    nm_setting_vpn_add_data_item(s_vpn, "user", "alice");
    nm_setting_vpn_add_data_item(s_vpn, "ipsec-enabled", "yes");
    nm_setting_vpn_add_data_item(s_vpn, "ipsec-psk-flags", agent_psk ? "2" : "0");
    if (extra_key)
        nm_setting_vpn_add_data_item(s_vpn, extra_key, "yes");
    nm_setting_vpn_add_secret(s_vpn, "password", "pw");
    if (psk)
        nm_setting_vpn_add_secret(s_vpn, "ipsec-psk", psk);
    nm_connection_add_setting(c, NM_SETTING(s_con));
    nm_connection_add_setting(c, NM_SETTING(s_vpn));
    return c;
}

static void
spin_until(guint *counter, guint value)
{
    while (*counter < value)
        g_main_context_iteration(NULL, TRUE);
}

/* The attempt copies the settings' files in a thread first. */
static void
wait_for(Fixture *f, const char *text)
{
    while (!strstr(f->journal->str, text))
        g_main_context_iteration(NULL, TRUE);
}

static void
spin(void)
{
    while (g_main_context_iteration(NULL, FALSE))
        ;
}

/* The re-asked PSK: the second attempt starts only once the first one's
 * slow teardown has ended, and that teardown never touches it. */
static void
test_psk_retry_starts_after_the_last_teardown(Fixture *f, gconstpointer data)
{
    g_autoptr(NMConnection) first  = connection("wrong", TRUE, NULL);
    g_autoptr(NMConnection) second = connection("right", TRUE, NULL);
    g_autoptr(GError) error        = NULL;
    const char *end_of_first, *start_of_second;

    g_assert_true(nm_l2tp_session_connect(f->session, first, TRUE, &error));
    g_assert_no_error(error);
    wait_for(f, "link1:prepare");
    fake_layer_finish_connect(
        layer(f, "ipsec1"), FALSE, NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_PSK_REJECTED);
    spin();
    /* Only the PSK is asked for, and NetworkManager hears no failure. */
    g_assert_cmpstr(f->asked_for, ==, "ipsec-psk");
    g_assert_cmpuint(f->failures->len, ==, 0);
    /* The new key comes at once, while IPsec is still going down. */
    g_assert_true(nm_l2tp_session_new_secrets(f->session, second, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(f->n_ipsec, ==, 1);
    wait_for(f, "link2:prepare");
    end_of_first    = strstr(f->journal->str, "ipsec1:disconnected");
    start_of_second = strstr(f->journal->str, "ipsec2:new");
    g_assert_nonnull(end_of_first);
    g_assert_nonnull(start_of_second);
    g_assert_true(end_of_first < start_of_second);
    fake_layer_finish_connect(layer(f, "ipsec2"), TRUE, 0, 0);
    spin();
    fake_layer_finish_connect(layer(f, "link2"), TRUE, 0, 0);
    spin();
    g_assert_cmpuint(f->configs, ==, 1);
    nm_l2tp_session_disconnect(f->session);
    spin_until(&f->idle, 1);
}

static void
test_stored_secret_rejected_is_login_failed(Fixture *f, gconstpointer data)
{
    g_autoptr(NMConnection) c = connection("wrong", FALSE, NULL);

    g_assert_true(nm_l2tp_session_connect(f->session, c, TRUE, NULL));
    wait_for(f, "link1:prepare");
    fake_layer_finish_connect(
        layer(f, "ipsec1"), FALSE, NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_PSK_REJECTED);
    spin();
    /* Saved by NetworkManager: a wrong profile, not a question. */
    g_assert_null(f->asked_for);
    g_assert_cmpuint(f->failures->len, ==, 1);
    g_assert_cmpuint(g_array_index(f->failures, guint, 0), ==, NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED);
    /* NetworkManager hears the stop only once everything is gone. */
    g_assert_cmpuint(f->stopped, ==, 0);
    spin_until(&f->stopped, 1);
    g_assert_true(nm_l2tp_session_is_idle(f->session));
    g_assert_nonnull(strstr(f->journal->str, "ipsec1:disconnected"));
}

/* A connection both fake layers bring up. */
static void
connect_fully(Fixture *f)
{
    g_autoptr(NMConnection) c = connection("psk", FALSE, NULL);

    g_assert_true(nm_l2tp_session_connect(f->session, c, FALSE, NULL));
    wait_for(f, "link1:prepare");
    fake_layer_finish_connect(layer(f, "ipsec1"), TRUE, 0, 0);
    spin();
    fake_layer_finish_connect(layer(f, "link1"), TRUE, 0, 0);
    spin();
    g_assert_cmpuint(f->configs, ==, 1);
}

/* charon died under a live connection: NetworkManager hears of it only
 * once the teardown (which removes what charon left in the kernel) is
 * over, so that a reconnect cannot start beside it. */
static void
test_dead_process_is_reported_after_the_teardown(Fixture *f, gconstpointer data)
{
    connect_fully(f);
    fake_layer_emit_down(layer(f, "ipsec1"), NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_PROCESS_DIED);
    spin();
    /* IPsec's teardown takes 150 ms: nothing said yet. */
    g_assert_null(strstr(f->journal->str, "ipsec1:disconnected"));
    g_assert_cmpuint(f->failures->len, ==, 0);
    spin_until(&f->stopped, 1);
    g_assert_nonnull(strstr(f->journal->str, "ipsec1:disconnected"));
    g_assert_cmpuint(f->failures->len, ==, 1);
    g_assert_cmpuint(
        g_array_index(f->failures, guint, 0), ==, NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
}

/* Any other loss is reported at once, the stop once all is gone. */
static void
test_loss_is_reported_at_once(Fixture *f, gconstpointer data)
{
    connect_fully(f);
    fake_layer_emit_down(
        layer(f, "link1"), NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_LCP_ECHO_TIMEOUT);
    spin();
    g_assert_cmpuint(f->failures->len, ==, 1);
    g_assert_cmpuint(f->stopped, ==, 0);
    spin_until(&f->stopped, 1);
}

/* The last service of this connection (pid 1 stands for it: a process
 * that lives) still has its directory. */
static char *
other_service_dir(Fixture *f)
{
    char *dir = g_strdup_printf("%s/%s.1", f->run_base, UUID);

    g_assert_cmpint(g_mkdir(dir, 0700), ==, 0);
    return dir;
}

static void
set_flag(gpointer flag)
{
    *(gboolean *)flag = TRUE;
}

static void
let_time_pass(guint ms)
{
    gboolean over = FALSE;

    g_timeout_add_once(ms, set_flag, &over);
    while (!over)
        g_main_context_iteration(NULL, TRUE);
}

/* The attempt starts only once that service is done. */
static void
test_waits_for_the_last_service(Fixture *f, gconstpointer data)
{
    g_autoptr(NMConnection) c = connection("psk", FALSE, NULL);
    g_autofree char *other    = other_service_dir(f);

    g_assert_true(nm_l2tp_session_connect(f->session, c, FALSE, NULL));
    let_time_pass(400);
    g_assert_cmpuint(f->layers->len, ==, 0);
    /* A second Connect meanwhile is still refused. */
    g_assert_false(nm_l2tp_session_connect(f->session, c, FALSE, NULL));
    nm_l2tp_remove_tree(other);
    wait_for(f, "link1:prepare");
    nm_l2tp_session_disconnect(f->session);
    spin_until(&f->idle, 1);
}

/* A disconnect while waiting ends it: nothing starts later. */
static void
test_disconnect_while_waiting_starts_nothing(Fixture *f, gconstpointer data)
{
    g_autoptr(NMConnection) c = connection("psk", FALSE, NULL);
    g_autofree char *other    = other_service_dir(f);

    g_assert_true(nm_l2tp_session_connect(f->session, c, FALSE, NULL));
    nm_l2tp_session_disconnect(f->session);
    g_assert_cmpuint(f->idle, ==, 1);
    nm_l2tp_remove_tree(other);
    let_time_pass(300);
    g_assert_cmpuint(f->layers->len, ==, 0);
    g_assert_cmpuint(f->failures->len, ==, 0);
}

static void
test_refused_settings_start_nothing(Fixture *f, gconstpointer data)
{
    g_autoptr(NMConnection) c = connection("psk", FALSE, "no-such-key");
    g_autoptr(GError) error   = NULL;

    g_assert_false(nm_l2tp_session_connect(f->session, c, FALSE, &error));
    g_assert_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_BAD_ARGUMENTS);
    g_assert_nonnull(strstr(error->message, "no-such-key"));
    g_assert_cmpuint(f->layers->len, ==, 0);
}

static void
test_second_connect_is_refused(Fixture *f, gconstpointer data)
{
    g_autoptr(NMConnection) c = connection("psk", FALSE, NULL);
    g_autoptr(GError) error   = NULL;

    g_assert_true(nm_l2tp_session_connect(f->session, c, FALSE, NULL));
    wait_for(f, "link1:prepare");
    g_assert_false(nm_l2tp_session_connect(f->session, c, FALSE, &error));
    g_assert_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_WRONG_STATE);
    nm_l2tp_session_disconnect(f->session);
    spin_until(&f->idle, 1);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_log_set_writer_func(g_log_writer_default, NULL, NULL);
#define ADD(path, fn) g_test_add("/session/" path, Fixture, NULL, setup, fn, teardown)
    ADD("psk-retry-starts-after-the-last-teardown", test_psk_retry_starts_after_the_last_teardown);
    ADD("stored-secret-rejected-is-login-failed", test_stored_secret_rejected_is_login_failed);
    ADD("refused-settings-start-nothing", test_refused_settings_start_nothing);
    ADD("dead-process-is-reported-after-the-teardown",
        test_dead_process_is_reported_after_the_teardown);
    ADD("loss-is-reported-at-once", test_loss_is_reported_at_once);
    ADD("second-connect-is-refused", test_second_connect_is_refused);
    ADD("waits-for-the-last-service", test_waits_for_the_last_service);
    ADD("disconnect-while-waiting-starts-nothing", test_disconnect_while_waiting_starts_nothing);
    return g_test_run();
}
