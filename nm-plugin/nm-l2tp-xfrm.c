/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Deleting an ESP SA by netlink.  See nm-l2tp-xfrm.h. */
#include "config.h"

#include "nm-l2tp-xfrm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nm-l2tp-error.h"

typedef struct {
    struct nlmsghdr       hdr;
    struct xfrm_usersa_id id;
} DelsaRequest;

typedef struct {
    struct nlmsghdr hdr;
    struct nlmsgerr err;
} AckReply;

static gboolean
fill_address(DelsaRequest *req, const char *daddr)
{
    if (inet_pton(AF_INET, daddr, &req->id.daddr.a4) == 1) {
        req->id.family = AF_INET;
        return TRUE;
    }
    if (inet_pton(AF_INET6, daddr, req->id.daddr.a6) == 1) {
        req->id.family = AF_INET6;
        return TRUE;
    }
    return FALSE;
}

gboolean
nm_l2tp_xfrm_delete_esp(const char *daddr, guint32 spi, GError **error)
{
    struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
    DelsaRequest       req    = { 0 };
    AckReply           reply  = { 0 };
    ssize_t            n;
    int                fd, saved;

    if (!daddr || !fill_address(&req, daddr)) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "not an address: %s", daddr);
        return FALSE;
    }
    req.hdr.nlmsg_len   = sizeof(req);
    req.hdr.nlmsg_type  = XFRM_MSG_DELSA;
    req.hdr.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    req.hdr.nlmsg_seq   = 1;
    req.id.spi          = htonl(spi);
    req.id.proto        = IPPROTO_ESP;

    fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_XFRM);
    if (fd < 0) {
        saved = errno;
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "netlink: %s", g_strerror(saved));
        return FALSE;
    }
    n = sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel));
    if (n == (ssize_t)sizeof(req))
        n = recv(fd, &reply, sizeof(reply), 0);
    saved = errno;
    close(fd);
    if (n < (ssize_t)sizeof(struct nlmsghdr)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    "netlink: %s",
                    n < 0 ? g_strerror(saved) : "short answer");
        return FALSE;
    }
    /* The ack is an NLMSG_ERROR with error 0; ESRCH: no such SA. */
    if (reply.hdr.nlmsg_type == NLMSG_ERROR && reply.err.error != 0 && reply.err.error != -ESRCH
        && reply.err.error != -ENOENT) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    "deleting SA %08x to %s: %s",
                    spi,
                    daddr,
                    g_strerror(-reply.err.error));
        return FALSE;
    }
    return TRUE;
}
