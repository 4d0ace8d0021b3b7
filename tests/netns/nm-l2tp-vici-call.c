/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nm-l2tp-vici-call SOCKET COMMAND [KEY=VALUE]... [--stream EVENT]
 * nm-l2tp-vici-call SOCKET listen EVENT...
 *
 * Sends one VICI command through our own client and prints the response
 * (and, with --stream, the events streamed before it) as GVariant text.
 * The netns tests use it to look into a charon: get-conns, get-shared,
 * list-sas.  Exit status 0 when the command was answered.  "listen"
 * prints the named events as they come, until the socket closes or the
 * tool is killed: the lab records charon's SA events with it. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "nm-l2tp-vici-client.h"

typedef struct {
    GMainLoop        *loop;
    NML2tpViciClient *client;
    const char       *command;
    GVariant         *request;
    const char       *stream;
    char            **events; /* "listen" */
    int               status;
} Call;

static void
on_event(NML2tpViciClient *client, const char *name, GVariant *msg, gpointer user_data)
{
    g_autofree char *text = g_variant_print(msg, FALSE);

    printf("event %s %s\n", name, text);
    fflush(stdout);
}

static void
listening_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Call *c                 = user_data;
    g_autoptr(GError) error = NULL;

    if (!nm_l2tp_vici_client_register_event_finish(c->client, result, &error)) {
        fprintf(stderr, "listen: %s\n", error->message);
        g_main_loop_quit(c->loop);
    }
}

static void
closed_cb(NML2tpViciClient *client, GError *error, gpointer user_data)
{
    Call *c = user_data;

    c->status = 0;
    g_main_loop_quit(c->loop);
}

static void
call_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Call *c                 = user_data;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) response =
        nm_l2tp_vici_client_call_finish(NM_L2TP_VICI_CLIENT(source), result, &error);

    if (response) {
        g_autofree char *text = g_variant_print(response, FALSE);

        printf("response %s\n", text);
        c->status = 0;
    } else {
        fprintf(stderr, "%s: %s\n", c->command, error->message);
    }
    g_main_loop_quit(c->loop);
}

static void
registered_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Call *c                 = user_data;
    g_autoptr(GError) error = NULL;

    if (!nm_l2tp_vici_client_register_event_finish(c->client, result, &error)) {
        fprintf(stderr, "%s: %s\n", c->stream, error->message);
        g_main_loop_quit(c->loop);
        return;
    }
    nm_l2tp_vici_client_call_async(c->client, c->command, c->request, NULL, call_cb, c);
}

static void
connected_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    Call *c                 = user_data;
    g_autoptr(GError) error = NULL;

    c->client = nm_l2tp_vici_client_new_finish(result, &error);
    if (!c->client) {
        fprintf(stderr, "connect: %s\n", error->message);
        g_main_loop_quit(c->loop);
        return;
    }
    g_signal_connect(c->client, "event", G_CALLBACK(on_event), c);
    if (g_str_equal(c->command, "listen")) {
        g_signal_connect(c->client, "closed", G_CALLBACK(closed_cb), c);
        for (guint i = 0; c->events && c->events[i]; i++)
            nm_l2tp_vici_client_register_event_async(
                c->client, c->events[i], NULL, listening_cb, c);
        return;
    }
    if (c->stream)
        nm_l2tp_vici_client_register_event_async(c->client, c->stream, NULL, registered_cb, c);
    else
        nm_l2tp_vici_client_call_async(c->client, c->command, c->request, NULL, call_cb, c);
}

int
main(int argc, char **argv)
{
    Call            c = { .status = 1 };
    GVariantBuilder b;
    int             i;

    if (argc < 3) {
        fprintf(stderr, "usage: %s SOCKET COMMAND [KEY=VALUE]... [--stream EVENT]\n", argv[0]);
        return 2;
    }
    c.command = argv[2];
    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    if (g_str_equal(c.command, "listen"))
        c.events = g_strdupv(argv + 3);
    for (i = 3; i < argc && !c.events; i++) {
        char *eq = strchr(argv[i], '=');

        if (g_str_equal(argv[i], "--stream") && i + 1 < argc) {
            c.stream = argv[++i];
            continue;
        }
        if (!eq) {
            fprintf(stderr, "expected KEY=VALUE: %s\n", argv[i]);
            return 2;
        }
        *eq = '\0';
        g_variant_builder_add(&b, "{sv}", argv[i], g_variant_new_string(eq + 1));
    }
    c.request = g_variant_ref_sink(g_variant_builder_end(&b));
    c.loop    = g_main_loop_new(NULL, FALSE);
    nm_l2tp_vici_client_new_async(argv[1], NULL, connected_cb, &c);
    g_main_loop_run(c.loop);
    g_clear_object(&c.client);
    g_variant_unref(c.request);
    g_strfreev(c.events);
    g_main_loop_unref(c.loop);
    return c.status;
}
