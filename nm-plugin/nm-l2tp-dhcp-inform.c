/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One DHCPINFORM exchange on the PPP interface, on the main loop. */

#include "config.h"

#include "nm-l2tp-dhcp-inform.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nm-l2tp-error.h"

/* Three sends: at 0, T/3 and 2T/3; the deadline at T. */
#define N_SENDS 3

typedef struct {
    char            *iface;
    GSocket         *socket;
    GSocketAddress  *to;
    GBytes          *packet;
    NML2tpDhcpInform inform;
    GSource         *read_source;
    GSource         *timer;
    GSource         *cancel_source;
    guint            timeout_ms;
    guint            sent;
    guint            received; /* packets that were not our answer */
    char            *last_refusal;
} Inform;

static void
inform_free(Inform *d)
{
    if (d->read_source) {
        g_source_destroy(d->read_source);
        g_source_unref(d->read_source);
    }
    if (d->timer) {
        g_source_destroy(d->timer);
        g_source_unref(d->timer);
    }
    if (d->cancel_source) {
        g_source_destroy(d->cancel_source);
        g_source_unref(d->cancel_source);
    }
    if (d->socket)
        g_socket_close(d->socket, NULL);
    g_clear_object(&d->socket);
    g_clear_object(&d->to);
    g_clear_pointer(&d->packet, g_bytes_unref);
    g_free(d->iface);
    g_free(d->last_refusal);
    g_free(d);
}

void
nm_l2tp_dhcp_inform_hwaddr(const char *client_seed, guint8 hwaddr[6])
{
    g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
    guint8 digest[32];
    gsize  len = sizeof(digest);

    g_checksum_update(sum, (const guchar *)"nm-l2tp-dhcp:", -1);
    g_checksum_update(sum, (const guchar *)(client_seed ? client_seed : ""), -1);
    g_checksum_get_digest(sum, digest, &len);
    memcpy(hwaddr, digest, 6);
    hwaddr[0] = (hwaddr[0] & ~0x01) | 0x02;
}

/* Ends the exchange: every source goes before the task returns, so
 * nothing of it runs afterwards. */
static void
complete(GTask *task, NML2tpDhcpResult *result, GError *error)
{
    Inform *d = g_task_get_task_data(task);

    if (d->read_source)
        g_source_destroy(d->read_source);
    if (d->timer)
        g_source_destroy(d->timer);
    if (d->cancel_source)
        g_source_destroy(d->cancel_source);
    if (d->socket)
        g_socket_close(d->socket, NULL);
    if (result)
        g_task_return_pointer(task, result, (GDestroyNotify)nm_l2tp_dhcp_result_free);
    else
        g_task_return_error(task, error);
    g_object_unref(task);
}

static gboolean
send_inform(Inform *d, GError **error)
{
    gsize         len;
    const guint8 *data = g_bytes_get_data(d->packet, &len);
    gssize        n;

    n = g_socket_send_to(d->socket, d->to, (const char *)data, len, NULL, error);
    if (n < 0)
        return FALSE;
    d->sent++;
    return TRUE;
}

static gboolean timer_cb(gpointer user_data);

static void
arm_timer(GTask *task)
{
    Inform *d = g_task_get_task_data(task);

    if (d->timer) {
        g_source_destroy(d->timer);
        g_source_unref(d->timer);
    }
    d->timer = g_timeout_source_new(MAX(d->timeout_ms / N_SENDS, 1));
    g_source_set_callback(d->timer, timer_cb, task, NULL);
    g_source_attach(d->timer, g_task_get_context(task));
}

static gboolean
timer_cb(gpointer user_data)
{
    GTask  *task            = user_data;
    Inform *d               = g_task_get_task_data(task);
    g_autoptr(GError) error = NULL;

    if (d->sent >= N_SENDS) {
        if (d->last_refusal)
            error = g_error_new(G_IO_ERROR,
                                G_IO_ERROR_TIMED_OUT,
                                "no usable DHCP answer on %s within %u ms (%u packets ignored, "
                                "the last: %s)",
                                d->iface,
                                d->timeout_ms,
                                d->received,
                                d->last_refusal);
        else
            error = g_error_new(G_IO_ERROR,
                                G_IO_ERROR_TIMED_OUT,
                                "no DHCP answer on %s within %u ms",
                                d->iface,
                                d->timeout_ms);
        complete(task, NULL, g_steal_pointer(&error));
        return G_SOURCE_REMOVE;
    }
    /* A failed retransmission (the link went away) ends it at once. */
    if (!send_inform(d, &error)) {
        g_prefix_error(&error, "sending the DHCPINFORM again on %s: ", d->iface);
        complete(task, NULL, g_steal_pointer(&error));
        return G_SOURCE_REMOVE;
    }
    arm_timer(task);
    return G_SOURCE_REMOVE;
}

static gboolean
readable_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
    GTask  *task = user_data;
    Inform *d    = g_task_get_task_data(task);
    /* An IPv4 datagram cannot be larger; anything longer is cut and then
     * fails the option checks. */
    guint8 buf[65536];

    for (;;) {
        g_autoptr(GError) error       = NULL;
        g_autoptr(GError) parse_error = NULL;
        NML2tpDhcpResult *result;
        gssize            n;

        n = g_socket_receive_from(socket, NULL, (char *)buf, sizeof(buf), NULL, &error);
        if (n < 0) {
            if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
                return G_SOURCE_CONTINUE;
            g_prefix_error(&error, "reading the DHCP answer on %s: ", d->iface);
            complete(task, NULL, g_steal_pointer(&error));
            return G_SOURCE_REMOVE;
        }
        result = nm_l2tp_dhcp_parse_ack(buf, n, &d->inform, &parse_error);
        if (result) {
            complete(task, result, NULL);
            return G_SOURCE_REMOVE;
        }
        /* Someone else's packet on port 68, or a broken answer: keep
         * waiting for ours until the deadline. */
        d->received++;
        g_free(d->last_refusal);
        d->last_refusal = g_strdup(parse_error->message);
    }
}

static gboolean
cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
    GTask  *task  = user_data;
    GError *error = NULL;

    g_cancellable_set_error_if_cancelled(cancellable, &error);
    complete(task, NULL, error);
    return G_SOURCE_REMOVE;
}

/* A UDP socket on the client port that only @iface's packets reach. */
static GSocket *
open_socket(const char *iface, GError **error)
{
    struct sockaddr_in sin = {
        .sin_family = AF_INET,
        .sin_port   = htons(NM_L2TP_DHCP_CLIENT_PORT),
        /* The wildcard address, held to the device: the answer is
         * unicast to our address, but a relay may broadcast it, and a
         * socket bound to one address does not see broadcasts. */
        .sin_addr.s_addr = htonl(INADDR_ANY),
    };
    int      one = 1;
    int      fd;
    GSocket *sock;

    fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        goto fail;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0
        || setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0
        || setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, iface, strlen(iface) + 1) < 0
        || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
        goto fail;
    sock = g_socket_new_from_fd(fd, error);
    if (!sock) {
        close(fd);
        return NULL;
    }
    g_socket_set_blocking(sock, FALSE);
    return sock;

fail:
    g_set_error(error,
                G_IO_ERROR,
                g_io_error_from_errno(errno),
                "cannot open the DHCP client port %d on %s: %s",
                NM_L2TP_DHCP_CLIENT_PORT,
                iface,
                g_strerror(errno));
    if (fd >= 0)
        close(fd);
    return NULL;
}

void
nm_l2tp_dhcp_inform_async(const char         *iface,
                          guint32             address,
                          guint32             server,
                          const char         *client_seed,
                          guint               timeout_ms,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
    GTask  *task               = g_task_new(NULL, cancellable, callback, user_data);
    Inform *d                  = g_new0(Inform, 1);
    g_autoptr(GError) error    = NULL;
    g_autoptr(GInetAddress) to = NULL;

    g_task_set_source_tag(task, nm_l2tp_dhcp_inform_async);
    g_task_set_task_data(task, d, (GDestroyNotify)inform_free);
    d->iface      = g_strdup(iface);
    d->timeout_ms = timeout_ms ? timeout_ms : NM_L2TP_DHCP_INFORM_TIMEOUT_MS;

    if (g_cancellable_set_error_if_cancelled(cancellable, &error)) {
        complete(task, NULL, g_steal_pointer(&error));
        return;
    }
    if (!iface || !*iface || strlen(iface) >= IFNAMSIZ || !address) {
        complete(task,
                 NULL,
                 g_error_new(NM_L2TP_ERROR,
                             NM_L2TP_ERROR_FAILED,
                             "DHCPINFORM needs an interface and our address"));
        return;
    }

    d->inform.xid              = g_random_int();
    d->inform.ciaddr           = address;
    d->inform.max_message_size = 1500;
    nm_l2tp_dhcp_inform_hwaddr(client_seed, d->inform.hwaddr);
    d->packet = nm_l2tp_dhcp_inform_build(&d->inform);

    to    = server ? g_inet_address_new_from_bytes((const guint8 *)&server, G_SOCKET_FAMILY_IPV4) :
                     g_inet_address_new_from_string("255.255.255.255");
    d->to = g_inet_socket_address_new(to, NM_L2TP_DHCP_SERVER_PORT);

    d->socket = open_socket(iface, &error);
    if (!d->socket || !send_inform(d, &error)) {
        complete(task, NULL, g_steal_pointer(&error));
        return;
    }

    d->read_source = g_socket_create_source(d->socket, G_IO_IN, NULL);
    g_source_set_callback(d->read_source, (GSourceFunc)(void (*)(void))readable_cb, task, NULL);
    g_source_attach(d->read_source, g_task_get_context(task));
    if (cancellable) {
        d->cancel_source = g_cancellable_source_new(cancellable);
        g_source_set_callback(
            d->cancel_source, (GSourceFunc)(void (*)(void))cancelled_cb, task, NULL);
        g_source_attach(d->cancel_source, g_task_get_context(task));
    }
    arm_timer(task);
}

NML2tpDhcpResult *
nm_l2tp_dhcp_inform_finish(GAsyncResult *result, GError **error)
{
    g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
    g_return_val_if_fail(g_task_get_source_tag(G_TASK(result)) == nm_l2tp_dhcp_inform_async, NULL);
    return g_task_propagate_pointer(G_TASK(result), error);
}
