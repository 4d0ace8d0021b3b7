/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Global IPv6 addresses of one interface, from rtnetlink (RTM_NEWADDR),
 * read on the main loop. */

#include "config.h"

#include "nm-l2tp-ip6-watch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib-unix.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct _NML2tpIp6Watch {
    GObject     parent;
    char       *iface;
    guint       ifindex;
    int         fd;
    guint       source;
    GHashTable *seen; /* addresses already reported */
};

G_DEFINE_FINAL_TYPE(NML2tpIp6Watch, nm_l2tp_ip6_watch, G_TYPE_OBJECT)

enum { SIGNAL_GLOBAL_ADDRESS, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Asks for every IPv6 address the kernel has; the answers come in like
 * the notifications. */
static gboolean
request_dump(NML2tpIp6Watch *self)
{
    struct {
        struct nlmsghdr  nh;
        struct ifaddrmsg ifa;
    } req = {
        .nh  = { .nlmsg_len   = NLMSG_LENGTH(sizeof(struct ifaddrmsg)),
                 .nlmsg_type  = RTM_GETADDR,
                 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
        .ifa = { .ifa_family = AF_INET6 },
    };
    struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

    return sendto(self->fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel))
           >= 0;
}

static void
handle_address(NML2tpIp6Watch *self, const struct nlmsghdr *nh)
{
    const struct ifaddrmsg *ifa   = NLMSG_DATA(nh);
    int                     len   = IFA_PAYLOAD(nh);
    guint32                 flags = ifa->ifa_flags;
    const struct in6_addr  *addr  = NULL;
    const struct rtattr    *rta;
    char                    text[INET6_ADDRSTRLEN];

    if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)) || ifa->ifa_family != AF_INET6
        || ifa->ifa_index != self->ifindex || ifa->ifa_scope != RT_SCOPE_UNIVERSE)
        return;
    for (rta = IFA_RTA(ifa); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
        if ((rta->rta_type == IFA_ADDRESS || rta->rta_type == IFA_LOCAL)
            && RTA_PAYLOAD(rta) >= sizeof(struct in6_addr))
            addr = RTA_DATA(rta);
        else if (rta->rta_type == IFA_FLAGS && RTA_PAYLOAD(rta) >= sizeof(guint32))
            memcpy(&flags, RTA_DATA(rta), sizeof(guint32));
    }
    /* A tentative address cannot be used as a source yet. */
    if (!addr || (flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)))
        return;
    inet_ntop(AF_INET6, addr, text, sizeof(text));
    if (!g_hash_table_add(self->seen, g_strdup(text)))
        return;
    g_signal_emit(self, signals[SIGNAL_GLOBAL_ADDRESS], 0, text, (guint)ifa->ifa_prefixlen);
}

static gboolean
readable_cb(int fd, GIOCondition condition, gpointer user_data)
{
    NML2tpIp6Watch *self = user_data;
    /* A dump of a busy machine's addresses comes in several reads. */
    guint8 buf[32768] __attribute__((aligned(NLMSG_ALIGNTO)));

    for (;;) {
        ssize_t                n = recv(fd, buf, sizeof(buf), 0);
        const struct nlmsghdr *nh;
        int                    left;

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == ENOBUFS) {
            /* Notifications were lost: ask again for the whole list. */
            request_dump(self);
            continue;
        }
        if (n <= 0)
            return G_SOURCE_CONTINUE; /* EAGAIN: all read */
        left = (int)n;
        for (nh = (const struct nlmsghdr *)buf; NLMSG_OK(nh, left); nh = NLMSG_NEXT(nh, left)) {
            if (nh->nlmsg_type == RTM_NEWADDR)
                handle_address(self, nh);
        }
    }
}

NML2tpIp6Watch *
nm_l2tp_ip6_watch_new(const char *iface, GError **error)
{
    g_autoptr(NML2tpIp6Watch) self = g_object_new(NM_L2TP_TYPE_IP6_WATCH, NULL);
    struct sockaddr_nl local       = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_IPV6_IFADDR };

    self->iface   = g_strdup(iface);
    self->ifindex = iface ? if_nametoindex(iface) : 0;
    if (!self->ifindex) {
        g_set_error(error,
                    G_IO_ERROR,
                    G_IO_ERROR_NOT_FOUND,
                    "no interface %s to watch for IPv6 addresses",
                    iface ? iface : "(null)");
        return NULL;
    }
    self->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
    if (self->fd < 0 || bind(self->fd, (struct sockaddr *)&local, sizeof(local)) < 0
        || !request_dump(self)) {
        int e = errno;

        g_set_error(error,
                    G_IO_ERROR,
                    g_io_error_from_errno(e),
                    "cannot watch %s for IPv6 addresses: %s",
                    iface,
                    g_strerror(e));
        return NULL;
    }
    self->source = g_unix_fd_add(self->fd, G_IO_IN, readable_cb, self);
    return g_steal_pointer(&self);
}

static void
nm_l2tp_ip6_watch_init(NML2tpIp6Watch *self)
{
    self->fd   = -1;
    self->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

static void
dispose(GObject *object)
{
    NML2tpIp6Watch *self = NM_L2TP_IP6_WATCH(object);

    g_clear_handle_id(&self->source, g_source_remove);
    if (self->fd >= 0) {
        close(self->fd);
        self->fd = -1;
    }
    G_OBJECT_CLASS(nm_l2tp_ip6_watch_parent_class)->dispose(object);
}

static void
finalize(GObject *object)
{
    NML2tpIp6Watch *self = NM_L2TP_IP6_WATCH(object);

    g_hash_table_unref(self->seen);
    g_free(self->iface);
    G_OBJECT_CLASS(nm_l2tp_ip6_watch_parent_class)->finalize(object);
}

static void
nm_l2tp_ip6_watch_class_init(NML2tpIp6WatchClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);

    object_class->dispose  = dispose;
    object_class->finalize = finalize;

    signals[SIGNAL_GLOBAL_ADDRESS] = g_signal_new("global-address",
                                                  G_TYPE_FROM_CLASS(klass),
                                                  G_SIGNAL_RUN_LAST,
                                                  0,
                                                  NULL,
                                                  NULL,
                                                  NULL,
                                                  G_TYPE_NONE,
                                                  2,
                                                  G_TYPE_STRING,
                                                  G_TYPE_UINT);
}
