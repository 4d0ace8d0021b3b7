/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nm-l2tp-auth-dialog as NetworkManager's agents run it: arguments, the
 * connection's data and secrets on stdin, the answer on stdout (classic:
 * "key\nvalue\n...\n\n" then QUIT; external UI: GNOME Shell's keyfile).
 * The interactive cases show the real window under Xvfb, take a screenshot
 * of it and type into it with xdotool, so that what the user types must
 * land in the field the dialog focused.
 *
 * Environment: NM_L2TP_TEST_AUTH_DIALOG (the built program),
 * NM_L2TP_TEST_SHOTS (directory for screenshots). */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include <gdk/gdkx.h>
#include <glib/gi18n-lib.h>
#include <gtk/gtk.h>
#include <NetworkManager.h>

#include "nm-l2tp-catalog.h"
#include "nm-l2tp-report.h"
#include "test-gui-util.h"

#define SERVICE   "org.freedesktop.NetworkManager.l2tp"
#define TEST_UUID "9d6c3a52-0f5e-4f6b-8f0e-2b7a4f1c9e01"

static const char *dialog_path;
static char       *report_dir;

/* DATA_KEY/DATA_VAL and SECRET_KEY/SECRET_VAL lines, then DONE. */
static char *
vpn_details(const char *const *data, const char *const *secrets)
{
    GString *str = g_string_new(NULL);

    for (guint i = 0; data && data[i]; i += 2)
        g_string_append_printf(str, "DATA_KEY=%s\nDATA_VAL=%s\n\n", data[i], data[i + 1]);
    for (guint i = 0; secrets && secrets[i]; i += 2)
        g_string_append_printf(str, "SECRET_KEY=%s\nSECRET_VAL=%s\n\n", secrets[i], secrets[i + 1]);
    g_string_append(str, "DONE\n\n");
    return g_string_free(str, FALSE);
}

static const char *const ipsec_data[] = {
    "gateway", "vpn.example.com", "user", "alice", "ipsec-enabled", "yes", NULL,
};
static const char *const both_secrets[] = { "password", "pw1", "ipsec-psk", "psk1", NULL };

typedef struct {
    GSubprocess *proc;
    GString     *out;
} Dialog;

static void
dialog_start(Dialog *d, const char *const *extra_args, const char *input)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autoptr(GError) error   = NULL;
    GOutputStream *in;

    g_ptr_array_add(argv, (char *)dialog_path);
    g_ptr_array_add(argv, "-u");
    g_ptr_array_add(argv, TEST_UUID);
    g_ptr_array_add(argv, "-n");
    g_ptr_array_add(argv, "office");
    g_ptr_array_add(argv, "-s");
    g_ptr_array_add(argv, SERVICE);
    for (guint i = 0; extra_args && extra_args[i]; i++)
        g_ptr_array_add(argv, (char *)extra_args[i]);
    g_ptr_array_add(argv, NULL);

    d->proc = g_subprocess_newv((const char *const *)argv->pdata,
                                G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                &error);
    g_assert_no_error(error);
    d->out = g_string_new(NULL);
    in     = g_subprocess_get_stdin_pipe(d->proc);
    g_assert_true(g_output_stream_write_all(in, input, strlen(input), NULL, NULL, &error));
    g_assert_no_error(error);
}

/* Reads the classic answer up to its empty line. */
static void
dialog_read_classic(Dialog *d)
{
    GInputStream *out = g_subprocess_get_stdout_pipe(d->proc);

    while (!strstr(d->out->str, "\n\n")) {
        char buf[256];
        g_autoptr(GError) error = NULL;
        gssize n                = g_input_stream_read(out, buf, sizeof(buf), NULL, &error);

        g_assert_no_error(error);
        if (n <= 0)
            g_error("the dialog ended its answer early: \"%s\"", d->out->str);
        g_string_append_len(d->out, buf, n);
    }
}

/* Reads everything until the dialog exits. */
static void
dialog_read_all(Dialog *d)
{
    GInputStream *out = g_subprocess_get_stdout_pipe(d->proc);
    char          buf[256];
    gssize        n;

    while ((n = g_input_stream_read(out, buf, sizeof(buf), NULL, NULL)) > 0)
        g_string_append_len(d->out, buf, n);
}

static int
dialog_finish(Dialog *d, gboolean send_quit)
{
    g_autoptr(GError) error = NULL;
    GOutputStream *in       = g_subprocess_get_stdin_pipe(d->proc);
    int            status;

    if (send_quit) {
        /* It must still be waiting for QUIT. */
        test_pump(50);
        g_assert_nonnull(g_subprocess_get_identifier(d->proc));
        g_assert_true(g_output_stream_write_all(in, "QUIT\n\n", 6, NULL, NULL, NULL));
    }
    g_output_stream_close(in, NULL, NULL);
    g_assert_true(g_subprocess_wait(d->proc, NULL, &error));
    g_assert_no_error(error);
    status = g_subprocess_get_exit_status(d->proc);
    g_clear_object(&d->proc);
    g_string_free(d->out, TRUE);
    return status;
}

static GHashTable *
parse_classic(const char *text)
{
    GHashTable *table   = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

    for (guint i = 0; lines[i] && *lines[i]; i += 2) {
        g_assert_nonnull(lines[i + 1]);
        g_hash_table_insert(table, g_strdup(lines[i]), g_strdup(lines[i + 1]));
    }
    return table;
}

static int
run_classic(const char *const *args, const char *input, GHashTable **out_answer)
{
    Dialog d = { 0 };

    dialog_start(&d, args, input);
    dialog_read_classic(&d);
    *out_answer = parse_classic(d.out->str);
    return dialog_finish(&d, TRUE);
}

static GKeyFile *
run_external(const char *const *args, const char *input)
{
    Dialog d                = { 0 };
    g_autoptr(GError) error = NULL;
    GKeyFile *kf            = g_key_file_new();

    dialog_start(&d, args, input);
    g_output_stream_close(g_subprocess_get_stdin_pipe(d.proc), NULL, NULL);
    dialog_read_all(&d);
    g_assert_true(g_subprocess_wait(d.proc, NULL, NULL));
    g_assert_cmpint(g_subprocess_get_exit_status(d.proc), ==, 0);
    g_test_message("external UI answer:\n%s", d.out->str);
    g_assert_true(g_key_file_load_from_data(kf, d.out->str, d.out->len, G_KEY_FILE_NONE, &error));
    g_assert_no_error(error);
    g_assert_cmpint(g_key_file_get_integer(kf, "VPN Plugin UI", "Version", NULL), ==, 2);
    g_clear_object(&d.proc);
    g_string_free(d.out, TRUE);
    return kf;
}

static gboolean
should_ask(GKeyFile *kf, const char *key)
{
    g_autoptr(GError) error = NULL;
    gboolean ask            = g_key_file_get_boolean(kf, key, "ShouldAsk", &error);

    g_assert_no_error(error);
    return ask;
}

static char *
first_secret_group(GKeyFile *kf)
{
    g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);

    g_assert_cmpstr(groups[0], ==, "VPN Plugin UI");
    return g_strdup(groups[1]);
}

static void
write_report(NML2tpStage stage, NML2tpCause cause)
{
    g_autoptr(NML2tpReport) report       = nm_l2tp_report_new(TEST_UUID, "office");
    g_autoptr(NML2tpStageRecord) failure = nm_l2tp_stage_record_new(stage, cause, NULL, 1.5);
    g_autoptr(GError) error              = NULL;

    report->started = g_date_time_new_now_utc();
    for (guint s = 0; s < stage; s++)
        nm_l2tp_report_set_stage(
            report, nm_l2tp_stage_to_string(s), NM_L2TP_STAGE_STATE_PASSED, 0.2 * (s + 1), NULL);
    nm_l2tp_report_set_verdict_from_record(report, failure);
    g_assert_true(nm_l2tp_report_save(report, report_dir, &error));
    g_assert_no_error(error);
}

static void
remove_report(void)
{
    g_autofree char *path = nm_l2tp_report_build_path(report_dir, TEST_UUID, NULL);

    g_unlink(path);
}

/* Stored secrets, no interaction: answered at once, then it waits for QUIT. */
static void
test_classic_stored(void)
{
    g_autofree char *input       = vpn_details(ipsec_data, both_secrets);
    g_autoptr(GHashTable) answer = NULL;

    g_assert_cmpint(run_classic(NULL, input, &answer), ==, 0);
    g_assert_cmpstr(g_hash_table_lookup(answer, "password"), ==, "pw1");
    g_assert_cmpstr(g_hash_table_lookup(answer, "ipsec-psk"), ==, "psk1");
    g_assert_cmpuint(g_hash_table_size(answer), ==, 2);
}

/* -i with every secret stored: nothing to ask, no window. */
static void
test_classic_interactive_nothing_to_ask(void)
{
    static const char *const args[] = { "-i", NULL };
    g_autofree char         *input  = vpn_details(ipsec_data, both_secrets);
    g_autoptr(GHashTable) answer    = NULL;

    g_assert_cmpint(run_classic(args, input, &answer), ==, 0);
    g_assert_cmpuint(g_hash_table_size(answer), ==, 2);
}

/* Without IPsec no PSK is needed, so none is answered. */
static void
test_classic_no_ipsec(void)
{
    static const char *const data[] = { "gateway", "vpn.example.com", "ipsec-enabled", "no", NULL };
    g_autofree char         *input  = vpn_details(data, both_secrets);
    g_autoptr(GHashTable) answer    = NULL;

    g_assert_cmpint(run_classic(NULL, input, &answer), ==, 0);
    g_assert_cmpstr(g_hash_table_lookup(answer, "password"), ==, "pw1");
    g_assert_null(g_hash_table_lookup(answer, "ipsec-psk"));
}

static void
test_wrong_service(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GSubprocess) proc =
        g_subprocess_new(G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                             | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                         &error,
                         dialog_path,
                         "-u",
                         TEST_UUID,
                         "-s",
                         "org.freedesktop.NetworkManager.openvpn",
                         NULL);

    g_assert_no_error(error);
    g_assert_true(g_subprocess_wait(proc, NULL, NULL));
    g_assert_cmpint(g_subprocess_get_exit_status(proc), !=, 0);
}

/* An "always ask" password is asked for; the stored PSK is passed on. */
static void
test_external_not_saved(void)
{
    static const char *const args[] = { "-i", "--external-ui-mode", NULL };
    static const char *const data[] = {
        "gateway", "vpn.example.com", "ipsec-enabled", "yes", "password-flags", "2", NULL,
    };
    static const char *const secrets[] = { "ipsec-psk", "psk1", NULL };
    g_autofree char         *input     = vpn_details(data, secrets);
    g_autoptr(GKeyFile) kf             = run_external(args, input);
    g_autofree char *title             = g_key_file_get_string(kf, "VPN Plugin UI", "Title", NULL);

    g_assert_true(strstr(title, "office") != NULL);
    g_assert_true(should_ask(kf, "password"));
    g_assert_true(g_key_file_get_boolean(kf, "password", "IsSecret", NULL));
    g_assert_false(should_ask(kf, "ipsec-psk"));
    g_assert_cmpstr(g_key_file_get_string(kf, "ipsec-psk", "Value", NULL), ==, "psk1");
}

/* With hints exactly the hinted secret is asked for, with the message. */
static void
test_external_hints(void)
{
    static const char *const args[] = {
        "-i", "--external-ui-mode", "-t", "ipsec-psk", "-t", "x-vpn-message:Wrong key", NULL,
    };
    g_autofree char *input = vpn_details(ipsec_data, both_secrets);
    g_autoptr(GKeyFile) kf = NULL;
    g_autofree char *desc  = NULL;
    g_autofree char *first = NULL;

    remove_report();
    kf    = run_external(args, input);
    desc  = g_key_file_get_string(kf, "VPN Plugin UI", "Description", NULL);
    first = first_secret_group(kf);
    g_assert_cmpstr(desc, ==, "Wrong key");
    g_assert_true(should_ask(kf, "ipsec-psk"));
    g_assert_false(should_ask(kf, "password"));
    g_assert_cmpstr(first, ==, "ipsec-psk");
}

/* A re-prompt after a rejected PSK names the stage and puts the PSK first;
 * after a rejected password, the password. */
static void
test_external_reprompt(void)
{
    static const char *const args[] = { "-i", "-r", "--external-ui-mode", NULL };
    g_autofree char         *input  = vpn_details(ipsec_data, both_secrets);

    for (int round = 0; round < 2; round++) {
        NML2tpStage stage = round == 0 ? NM_L2TP_STAGE_IKE_PHASE1 : NM_L2TP_STAGE_PPP_AUTH;
        NML2tpCause cause =
            round == 0 ? NM_L2TP_CAUSE_PSK_REJECTED : NM_L2TP_CAUSE_PPP_AUTH_REJECTED;
        const char *expect     = round == 0 ? "ipsec-psk" : "password";
        g_autoptr(GKeyFile) kf = NULL;
        g_autofree char *desc  = NULL;
        g_autofree char *first = NULL;

        write_report(stage, cause);
        kf    = run_external(args, input);
        desc  = g_key_file_get_string(kf, "VPN Plugin UI", "Description", NULL);
        first = first_secret_group(kf);
        g_assert_true(strstr(desc, nm_l2tp_stage_get_label(stage)) != NULL);
        g_assert_true(should_ask(kf, "ipsec-psk"));
        g_assert_true(should_ask(kf, "password"));
        g_assert_cmpstr(first, ==, expect);
    }
    remove_report();
}

/* The connection's name, the service's message (quoting the server) and
 * the report's words reach the dialog and GNOME Shell escaped. */
static void
test_external_escaped(void)
{
    static const char *const args[] = {
        "-i",
        "-r",
        "--external-ui-mode",
        "-n",
        "office\x1b]0;pwned\x07",
        "-t",
        "password",
        "-t",
        "x-vpn-message:The server said: \x1b[2J\xe2\x80\xae"
        "evil",
        NULL,
    };
    g_autofree char *input = vpn_details(ipsec_data, both_secrets);
    g_autofree char *path  = nm_l2tp_report_build_path(report_dir, TEST_UUID, NULL);
    g_autofree char *data  = g_strdup_printf(TEST_HOSTILE_REPORT, TEST_UUID);
    g_autoptr(GKeyFile) kf = NULL;
    g_autofree char *title = NULL;
    g_autofree char *desc  = NULL;

    g_assert_true(g_file_set_contents(path, data, -1, NULL));
    kf    = run_external(args, input);
    title = g_key_file_get_string(kf, "VPN Plugin UI", "Title", NULL);
    desc  = g_key_file_get_string(kf, "VPN Plugin UI", "Description", NULL);
    g_assert_nonnull(strstr(title, "office\\x1b]0;pwned\\x07"));
    g_assert_null(strchr(title, '\x1b'));
    test_assert_shown_escaped("the auth dialog's message", desc);
    g_assert_nonnull(strstr(desc, "The server said: \\x1b[2J\\u202eevil"));
    g_assert_nonnull(strstr(desc, "M=\\x1b[2J\\u202eevil\\u009b1m"));
    remove_report();
}

static gboolean
run_xdotool(const char *const *argv, char **out)
{
    g_autoptr(GError) error = NULL;
    int status;

    if (!g_spawn_sync(
            NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, NULL, &status, &error))
        g_error("xdotool: %s", error->message);
    return g_spawn_check_wait_status(status, NULL);
}

static void
screenshot_window(gulong xid, const char *name)
{
    const char      *dir  = g_getenv("NM_L2TP_TEST_SHOTS");
    g_autofree char *file = NULL;
    g_autofree char *path = NULL;
    GdkWindow       *win;
    int              width, height;
    g_autoptr(GdkPixbuf) pixbuf = NULL;

    if (!dir)
        return;
    g_mkdir_with_parents(dir, 0755);
    file = g_strconcat(name, ".png", NULL);
    path = g_build_filename(dir, file, NULL);
    win  = gdk_x11_window_foreign_new_for_display(gdk_display_get_default(), xid);
    g_assert_nonnull(win);
    /* Ask the X server: X window ids are reused and GDK caches sizes. */
    gdk_window_get_geometry(win, NULL, NULL, &width, &height);
    pixbuf = gdk_pixbuf_get_from_window(win, 0, 0, width, height);
    g_assert_nonnull(pixbuf);
    g_assert_true(gdk_pixbuf_save(pixbuf, path, "png", NULL, NULL));
    g_object_unref(win);
    g_test_message("screenshot: %s", path);
}

/* Runs the dialog interactively: waits for its window, takes a screenshot,
 * types text into whatever field has the focus and presses Enter. */
static GHashTable *
run_interactive(const char *const *args, const char *input, const char *type, const char *shot)
{
    Dialog           d       = { 0 };
    g_autofree char *xid_str = NULL;
    g_autofree char *xid_arg = NULL;
    GHashTable      *answer;
    gulong           xid;

    dialog_start(&d, args, input);
    {
        const char *const search[] = {
            "timeout",       "20",     "xdotool",          "search", "--sync",
            "--onlyvisible", "--name", "Authenticate VPN", NULL
        };

        g_assert_true(run_xdotool(search, &xid_str));
    }
    xid = strtoul(xid_str, NULL, 10);
    g_assert_cmpuint(xid, !=, 0);
    xid_arg = g_strdup_printf("%lu", xid);
    test_pump(800);
    if (shot)
        screenshot_window(xid, shot);
    {
        /* Separate runs: chained after windowfocus, xdotool would send
         * synthetic events to that window, which GTK ignores. */
        const char *const focus[]  = { "timeout", "20", "xdotool", "windowfocus", xid_arg, NULL };
        const char *const typing[] = { "timeout", "20", "xdotool", "type",
                                       "--delay", "40", type,      NULL };
        const char *const enter[]  = { "timeout", "20", "xdotool", "key", "Return", NULL };

        g_assert_true(run_xdotool(focus, NULL));
        test_pump(300);
        g_assert_true(run_xdotool(typing, NULL));
        g_assert_true(run_xdotool(enter, NULL));
    }
    dialog_read_classic(&d);
    answer = parse_classic(d.out->str);
    g_assert_cmpint(dialog_finish(&d, TRUE), ==, 0);
    return answer;
}

/* -r after the server rejected the PSK: the dialog says IPsec phase 1
 * failed and the PSK field has the focus (typing replaces it). */
static void
test_gui_reprompt_psk(void)
{
    static const char *const args[] = { "-i", "-r", NULL };
    g_autofree char         *input  = vpn_details(ipsec_data, both_secrets);
    g_autoptr(GHashTable) answer    = NULL;

    write_report(NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_PSK_REJECTED);
    answer = run_interactive(args, input, "new-psk", "auth-dialog-psk-reprompt-gtk3");
    g_assert_cmpstr(g_hash_table_lookup(answer, "ipsec-psk"), ==, "new-psk");
    g_assert_cmpstr(g_hash_table_lookup(answer, "password"), ==, "pw1");
    remove_report();
}

/* -r after PPP rejected the password: the password field has the focus. */
static void
test_gui_reprompt_password(void)
{
    static const char *const args[] = { "-i", "-r", NULL };
    g_autofree char         *input  = vpn_details(ipsec_data, both_secrets);
    g_autoptr(GHashTable) answer    = NULL;

    write_report(NM_L2TP_STAGE_PPP_AUTH, NM_L2TP_CAUSE_PPP_AUTH_REJECTED);
    answer = run_interactive(args, input, "new-pw", "auth-dialog-password-reprompt-gtk3");
    g_assert_cmpstr(g_hash_table_lookup(answer, "password"), ==, "new-pw");
    g_assert_cmpstr(g_hash_table_lookup(answer, "ipsec-psk"), ==, "psk1");
    remove_report();
}

/* Hinted: only the PSK entry, with the service's message. */
static void
test_gui_hint(void)
{
    static const char *const args[] = {
        "-i", "-t", "ipsec-psk", "-t", "x-vpn-message:The server rejected the pre-shared key.",
        NULL,
    };
    static const char *const secrets[] = { "password", "pw1", NULL };
    g_autofree char         *input     = vpn_details(ipsec_data, secrets);
    g_autoptr(GHashTable) answer       = NULL;

    remove_report();
    answer = run_interactive(args, input, "hinted-psk", "auth-dialog-hint-gtk3");
    g_assert_cmpstr(g_hash_table_lookup(answer, "ipsec-psk"), ==, "hinted-psk");
    g_assert_cmpstr(g_hash_table_lookup(answer, "password"), ==, "pw1");
}

/* A missing password is asked for on a first connect. */
static void
test_gui_missing_password(void)
{
    static const char *const args[]    = { "-i", NULL };
    static const char *const secrets[] = { "ipsec-psk", "psk1", NULL };
    g_autofree char         *input     = vpn_details(ipsec_data, secrets);
    g_autoptr(GHashTable) answer       = NULL;

    remove_report();
    answer = run_interactive(args, input, "typed-pw", NULL);
    g_assert_cmpstr(g_hash_table_lookup(answer, "password"), ==, "typed-pw");
    g_assert_cmpstr(g_hash_table_lookup(answer, "ipsec-psk"), ==, "psk1");
}

int
main(int argc, char **argv)
{
    g_autoptr(GError) error = NULL;
    int ret;

    setlocale(LC_ALL, "");
    g_test_init(&argc, &argv, NULL);
    test_gtk_init();

    dialog_path = g_getenv("NM_L2TP_TEST_AUTH_DIALOG");
    if (!dialog_path)
        g_error("NM_L2TP_TEST_AUTH_DIALOG is not set");
    report_dir = g_dir_make_tmp("nm-l2tp-auth-XXXXXX", &error);
    g_assert_no_error(error);
    /* The dialog reads the report from here. */
    g_setenv("NM_L2TP_REPORT_DIR", report_dir, TRUE);

    g_test_add_func("/auth-dialog/classic/stored", test_classic_stored);
    g_test_add_func("/auth-dialog/classic/nothing-to-ask", test_classic_interactive_nothing_to_ask);
    g_test_add_func("/auth-dialog/classic/no-ipsec", test_classic_no_ipsec);
    g_test_add_func("/auth-dialog/wrong-service", test_wrong_service);
    g_test_add_func("/auth-dialog/external/not-saved", test_external_not_saved);
    g_test_add_func("/auth-dialog/external/hints", test_external_hints);
    g_test_add_func("/auth-dialog/external/reprompt", test_external_reprompt);
    g_test_add_func("/auth-dialog/external/escaped", test_external_escaped);
    g_test_add_func("/auth-dialog/gui/reprompt-psk", test_gui_reprompt_psk);
    g_test_add_func("/auth-dialog/gui/reprompt-password", test_gui_reprompt_password);
    g_test_add_func("/auth-dialog/gui/hint", test_gui_hint);
    g_test_add_func("/auth-dialog/gui/missing-password", test_gui_missing_password);
    ret = g_test_run();

    test_remove_tree(report_dir);
    return ret;
}
