/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Watches an interface with nm-plugin/nm-l2tp-ip6-watch.c until the first
 * global IPv6 address is reported or TIMEOUT ms pass, for
 * tests/netns/run-ip-config-tests:
 *
 *   nm-l2tp-ip6-watch-probe IFACE TIMEOUT
 *
 * Output: elapsed-ms=N, then global-address=ADDR/PREFIX, or result=timeout,
 * or result=error with message=TEXT. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "nm-l2tp-ip6-watch.h"

static GMainLoop *loop;
static char      *found;

static void
global_address_cb(NML2tpIp6Watch *watch, const char *address, guint prefix, gpointer user_data)
{
    if (!found)
        found = g_strdup_printf("%s/%u", address, prefix);
    g_main_loop_quit(loop);
}

static gboolean
timeout_cb(gpointer user_data)
{
    g_main_loop_quit(loop);
    return G_SOURCE_REMOVE;
}

int
main(int argc, char **argv)
{
    g_autoptr(NML2tpIp6Watch) watch = NULL;
    g_autoptr(GError) error         = NULL;
    gint64 start;

    if (argc != 3) {
        fprintf(stderr, "usage: %s IFACE TIMEOUT-MS\n", argv[0]);
        return 2;
    }
    loop  = g_main_loop_new(NULL, FALSE);
    start = g_get_monotonic_time();
    watch = nm_l2tp_ip6_watch_new(argv[1], &error);
    if (!watch) {
        printf("elapsed-ms=%" G_GINT64_FORMAT "\nresult=error\nmessage=%s\n",
               (g_get_monotonic_time() - start) / 1000,
               error->message);
        return 0;
    }
    g_signal_connect(watch, "global-address", G_CALLBACK(global_address_cb), NULL);
    g_timeout_add(atoi(argv[2]), timeout_cb, NULL);
    /* The probe tells the script it is watching: addresses added after
     * this line arrive as notifications, not in the first dump. */
    printf("watching\n");
    fflush(stdout);
    g_main_loop_run(loop);
    printf("elapsed-ms=%" G_GINT64_FORMAT "\n", (g_get_monotonic_time() - start) / 1000);
    if (found)
        printf("global-address=%s\n", found);
    else
        printf("result=timeout\n");
    g_free(found);
    return 0;
}
