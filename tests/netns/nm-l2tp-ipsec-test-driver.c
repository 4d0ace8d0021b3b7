/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nm-l2tp-ipsec-test-driver: brings up the IPsec half of a connection with
 * the same code the service uses, prints the stage record, disconnects.
 *
 *   nm-l2tp-ipsec-test-driver [--keyfile FILE] [--set KEY=VALUE]...
 *                             [--uuid UUID] [--run-dir DIR] [--private]
 *                             [--system-socket PATH] [--hold SECONDS]
 *                             [--cancel-after MS] [-v]
 *
 * Settings are vpn.data keys: from the [vpn] group of a keyfile (as
 * NetworkManager stores connections) and/or --set.  Secrets are read from
 * stdin as KEY=VALUE lines (e.g. "ipsec-psk=..."), never from argv.
 * Output: KEY=VALUE lines (stage, cause, secret, seconds, ...).
 * Exit status: 0 connected, 1 failed, 2 usage or setting error. */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "nm-l2tp-ipsec.h"

typedef struct {
    GMainLoop    *loop;
    NML2tpIpsec  *ipsec;
    gboolean      connected;
    guint         hold;
    gboolean      verbose;
    gboolean      disconnecting;
    GCancellable *cancellable;
    int           status;
} Driver;

static void
on_log(NML2tpIpsec *ipsec, const char *source, const char *msg, gpointer user_data)
{
    Driver *d = user_data;

    if (d->verbose)
        fprintf(stderr, "charon: [%s] %s\n", source, msg);
}

static void
disconnected_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Driver *d = user_data;

    nm_l2tp_layer_disconnect_finish(NM_L2TP_LAYER(source), result, NULL);
    g_main_loop_quit(d->loop);
}

static gboolean
hold_over(gpointer user_data)
{
    Driver *d = user_data;

    if (d->disconnecting)
        return G_SOURCE_REMOVE;
    d->disconnecting = TRUE;
    nm_l2tp_layer_disconnect_async(NM_L2TP_LAYER(d->ipsec), NULL, disconnected_cb, d);
    return G_SOURCE_REMOVE;
}

static void
print_record(Driver *d)
{
    const NML2tpStageRecord *r = nm_l2tp_layer_get_record(NM_L2TP_LAYER(d->ipsec));

    if (!r) {
        printf("stage=none\n");
        return;
    }
    printf("stage=%s\n", nm_l2tp_stage_to_string(r->stage));
    printf("cause=%s\n", nm_l2tp_cause_to_string(r->cause));
    printf("secret=%s\n", nm_l2tp_wrong_secret_to_string(r->wrong_secret));
    printf("message=%s\n", r->message);
    printf("hint=%s\n", r->hint);
    printf("seconds=%.3f\n", r->seconds);
    printf("initiate-seconds=%.3f\n", nm_l2tp_ipsec_get_initiate_seconds(d->ipsec));
    printf("charon=%s\n", nm_l2tp_ipsec_uses_private_charon(d->ipsec) ? "private" : "system");
    printf("charon-startup-seconds=%.3f\n", nm_l2tp_ipsec_get_charon_startup_seconds(d->ipsec));
    fflush(stdout);
}

static void
connected_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Driver *d               = user_data;
    g_autoptr(GError) error = NULL;

    d->connected = nm_l2tp_layer_connect_finish(NM_L2TP_LAYER(source), result, &error);
    d->status    = d->connected ? 0 : 1;
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        printf("cancelled=yes\n");
    print_record(d);
    if (d->hold)
        g_timeout_add_seconds(d->hold, hold_over, d);
    else
        hold_over(d);
}

static gboolean
cancel_now(gpointer user_data)
{
    /* Disconnect is the one way to stop a connect. */
    return hold_over(user_data);
}

static gboolean
on_signal(gpointer user_data)
{
    Driver *d = user_data;

    /* Interrupted: still tear down cleanly. */
    hold_over(d);
    return G_SOURCE_REMOVE;
}

static void
wipe_free(gpointer secret)
{
    explicit_bzero(secret, strlen(secret));
    g_free(secret);
}

/* Secrets come as KEY=VALUE lines on stdin, so they never appear in argv
 * or the environment of this process; unbuffered, so that stdio keeps no
 * copy, and wiped when freed, as the service's copies are (the IPsec tests
 * look for them in freed memory). */
static GHashTable *
read_secrets(void)
{
    GHashTable *secrets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, wipe_free);
    char        line[4096];

    if (isatty(STDIN_FILENO))
        return secrets;
    setvbuf(stdin, NULL, _IONBF, 0);
    while (fgets(line, sizeof line, stdin)) {
        char *eq = strchr(line, '=');

        line[strcspn(line, "\r\n")] = '\0';
        if (!eq || !line[0] || line[0] == '#')
            continue;
        *eq = '\0';
        g_hash_table_insert(secrets, g_strdup(line), g_strdup(eq + 1));
    }
    explicit_bzero(line, sizeof line);
    return secrets;
}

static gboolean
load_keyfile(const char *path, GHashTable *data, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_auto(GStrv) keys     = NULL;
    guint i;

    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, error))
        return FALSE;
    keys = g_key_file_get_keys(kf, "vpn", NULL, error);
    if (!keys)
        return FALSE;
    for (i = 0; keys[i]; i++) {
        if (g_str_equal(keys[i], "service-type"))
            continue;
        g_hash_table_insert(
            data, g_strdup(keys[i]), g_key_file_get_string(kf, "vpn", keys[i], NULL));
    }
    return TRUE;
}

int
main(int argc, char **argv)
{
    g_autofree char *keyfile        = NULL;
    g_auto(GStrv) sets              = NULL;
    g_auto(GStrv) system_sockets    = NULL;
    g_autofree char *uuid           = NULL;
    g_autofree char *run_dir        = NULL;
    g_autofree char *charon_path    = NULL;
    gboolean         private_charon = FALSE;
    int              hold           = 0;
    int              cancel_after   = 0;
    gboolean         verbose        = FALSE;
    g_autoptr(GError) error         = NULL;
    g_autoptr(GHashTable) data    = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autoptr(GHashTable) secrets = NULL;
    g_autoptr(NML2tpSettings) s   = NULL;
    g_autoptr(GOptionContext) ctx = NULL;
    gboolean     made_run_dir     = FALSE;
    Driver       d                = { 0 };
    guint        i;
    GOptionEntry entries[] = {
        { "keyfile",
          'k',
          0,
          G_OPTION_ARG_FILENAME,
          &keyfile,
          "NetworkManager keyfile with a [vpn] group",
          "FILE" },
        { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets, "a vpn.data setting", "KEY=VALUE" },
        { "uuid", 'u', 0, G_OPTION_ARG_STRING, &uuid, "connection UUID (default: random)", "UUID" },
        { "run-dir", 'r', 0, G_OPTION_ARG_FILENAME, &run_dir, "private run directory", "DIR" },
        { "private",
          'p',
          0,
          G_OPTION_ARG_NONE,
          &private_charon,
          "never use the system charon",
          NULL },
        { "system-socket",
          0,
          0,
          G_OPTION_ARG_FILENAME_ARRAY,
          &system_sockets,
          "system charon VICI socket",
          "PATH" },
        { "charon", 0, 0, G_OPTION_ARG_FILENAME, &charon_path, "charon binary", "PATH" },
        { "hold",
          0,
          0,
          G_OPTION_ARG_INT,
          &hold,
          "seconds to wait before disconnecting",
          "SECONDS" },
        { "cancel-after", 0, 0, G_OPTION_ARG_INT, &cancel_after, "cancel connecting after", "MS" },
        { "verbose",
          'v',
          0,
          G_OPTION_ARG_NONE,
          &verbose,
          "print charon's log lines to stderr",
          NULL },
        { NULL },
    };
    NML2tpIpsecOptions opts;
    NML2tpWriterParams params;

    ctx = g_option_context_new("- bring up the IPsec half of an L2TP connection");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
        fprintf(stderr, "%s\n", error->message);
        return 2;
    }
    if (keyfile && !load_keyfile(keyfile, data, &error)) {
        fprintf(stderr, "%s: %s\n", keyfile, error->message);
        return 2;
    }
    for (i = 0; sets && sets[i]; i++) {
        char *eq = strchr(sets[i], '=');

        if (!eq) {
            fprintf(stderr, "--set %s: expected KEY=VALUE\n", sets[i]);
            return 2;
        }
        g_hash_table_insert(data, g_strndup(sets[i], eq - sets[i]), g_strdup(eq + 1));
    }
    if (!g_hash_table_contains(data, "ipsec-enabled"))
        g_hash_table_insert(data, g_strdup("ipsec-enabled"), g_strdup("yes"));
    secrets = read_secrets();
    s       = nm_l2tp_settings_new_from_hash(data, secrets, NM_L2TP_VALIDATE_NONE, &error);
    g_hash_table_remove_all(secrets);
    if (!s) {
        fprintf(stderr, "invalid settings: %s\n", error->message);
        return 2;
    }
    if (!s->gateway || !g_hostname_is_ip_address(s->gateway)) {
        /* Name resolution is the service's stage; here only addresses. */
        fprintf(stderr, "the gateway must be an IP address\n");
        return 2;
    }
    if (!uuid)
        uuid = g_uuid_string_random();
    if (!run_dir)
        run_dir = g_build_filename(NM_L2TP_RUNDIR, uuid, NULL);
    if (!g_file_test(run_dir, G_FILE_TEST_IS_DIR)) {
        if (g_mkdir_with_parents(run_dir, 0700) != 0) {
            fprintf(stderr, "cannot create %s\n", run_dir);
            return 2;
        }
        made_run_dir = TRUE;
    }

    opts = (NML2tpIpsecOptions){
        .allow_system_charon = !private_charon,
        .system_sockets      = (const char *const *)system_sockets,
        .charon_path         = charon_path,
    };
    params = (NML2tpWriterParams){
        .uuid            = uuid,
        .gateway_address = s->gateway,
        .local_port      = 1701,
        .run_dir         = run_dir,
    };

    d.loop    = g_main_loop_new(NULL, FALSE);
    d.hold    = hold > 0 ? (guint)hold : 0;
    d.verbose = verbose;
    d.status  = 1;
    d.ipsec   = nm_l2tp_ipsec_new(s, &params, &opts);
    g_signal_connect(d.ipsec, "log", G_CALLBACK(on_log), &d);
    g_unix_signal_add(SIGINT, on_signal, &d);
    g_unix_signal_add(SIGTERM, on_signal, &d);
    d.cancellable = g_cancellable_new();
    if (cancel_after > 0)
        g_timeout_add((guint)cancel_after, cancel_now, &d);
    nm_l2tp_layer_connect_async(NM_L2TP_LAYER(d.ipsec), d.cancellable, connected_cb, &d);
    g_main_loop_run(d.loop);
    g_clear_object(&d.cancellable);

    g_clear_object(&d.ipsec);
    g_main_loop_unref(d.loop);
    if (made_run_dir)
        g_rmdir(run_dir);
    return d.status;
}
