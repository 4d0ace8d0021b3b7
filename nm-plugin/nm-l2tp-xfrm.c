/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel's SAs and policies over netlink.  See nm-l2tp-xfrm.h. */
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
    int    family;
    guint8 bytes[16];
    gsize  len;
} Address;

static gboolean
parse_address(const char *text, Address *a)
{
    memset(a, 0, sizeof(*a));
    if (inet_pton(AF_INET, text, a->bytes) == 1) {
        a->family = AF_INET;
        a->len    = 4;
        return TRUE;
    }
    if (inet_pton(AF_INET6, text, a->bytes) == 1) {
        a->family = AF_INET6;
        a->len    = 16;
        return TRUE;
    }
    return FALSE;
}

static gboolean
is_address(const Address *a, guint16 family, const xfrm_address_t *x)
{
    return family == a->family && memcmp(x, a->bytes, a->len) == 0;
}

/* L2TP to or from the gateway: the selectors of our policies. */
static gboolean
l2tp_selector(const Address *gw, const struct xfrm_selector *sel)
{
    if (sel->proto != IPPROTO_UDP)
        return FALSE;
    return (is_address(gw, sel->family, &sel->daddr) && sel->dport == htons(1701))
           || (is_address(gw, sel->family, &sel->saddr) && sel->sport == htons(1701));
}

/* Sends one request; with @dump, hands every answer of @type to @each
 * until the dump is done.  Without, waits for the ack. */
static gboolean
request(void    *msg,
        gsize    len,
        gboolean dump,
        guint16  type,
        void (*each)(const void *payload, gpointer data),
        gpointer data,
        GError **error)
{
    struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
    struct nlmsghdr   *hdr    = msg;
    g_autofree guint8 *buf    = g_malloc(32768);
    gboolean           done   = FALSE;
    int                fd, err = 0;

    hdr->nlmsg_len   = len;
    hdr->nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK);
    hdr->nlmsg_seq   = 1;
    fd               = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_XFRM);
    if (fd < 0
        || sendto(fd, msg, len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) != (ssize_t)len)
        err = errno;
    while (!err && !done) {
        ssize_t          n = recv(fd, buf, 32768, 0);
        struct nlmsghdr *h;

        if (n < 0) {
            err = errno;
            break;
        }
        for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (guint)n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE) {
                done = TRUE;
            } else if (h->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = NLMSG_DATA(h);

                /* An ack (0), or an SA or policy gone meanwhile. */
                if (e->error != 0 && e->error != -ENOENT && e->error != -ESRCH)
                    err = -e->error;
                done = TRUE;
            } else if (h->nlmsg_type == type && each) {
                each(NLMSG_DATA(h), data);
            }
        }
    }
    if (fd >= 0)
        close(fd);
    if (err) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "netlink: %s", g_strerror(err));
        return FALSE;
    }
    return TRUE;
}

/* ---- after a dead charon -------------------------------------------------- */

typedef struct {
    Address gw;
    GArray *found; /* of xfrm_usersa_id or xfrm_userpolicy_id */
} Sweep;

static void
each_sa(const void *payload, gpointer data)
{
    const struct xfrm_usersa_info *sa = payload;
    Sweep                         *s  = data;
    struct xfrm_usersa_id          id = { 0 };

    if (sa->id.proto != IPPROTO_ESP
        || !(is_address(&s->gw, sa->family, &sa->id.daddr)
             || is_address(&s->gw, sa->family, &sa->saddr)))
        return;
    id.daddr  = sa->id.daddr;
    id.spi    = sa->id.spi;
    id.family = sa->family;
    id.proto  = sa->id.proto;
    g_array_append_val(s->found, id);
}

static void
each_policy(const void *payload, gpointer data)
{
    const struct xfrm_userpolicy_info *p  = payload;
    Sweep                             *s  = data;
    struct xfrm_userpolicy_id          id = { 0 };

    if (!l2tp_selector(&s->gw, &p->sel))
        return;
    id.sel   = p->sel;
    id.index = p->index;
    id.dir   = p->dir;
    g_array_append_val(s->found, id);
}

/* Dumps the kernel's policies or SAs (@get, answered by @got), picks ours
 * with @each, then deletes each (@del with its id of @id_size bytes). */
static gboolean
sweep(Sweep  *s,
      guint16 get,
      gsize   get_len,
      guint16 got,
      void (*each)(const void *payload, gpointer data),
      guint16  del,
      gsize    id_size,
      GError **error)
{
    struct {
        struct nlmsghdr hdr;
        guint8 payload[sizeof(struct xfrm_usersa_info) + sizeof(struct xfrm_userpolicy_id)];
    } req;
    g_autoptr(GArray) found = g_array_new(FALSE, TRUE, id_size);
    guint i;

    s->found = found;
    memset(&req, 0, sizeof(req));
    req.hdr.nlmsg_type = get;
    if (!request(&req, get_len, TRUE, got, each, s, error))
        return FALSE;
    for (i = 0; i < found->len; i++) {
        memset(&req, 0, sizeof(req));
        req.hdr.nlmsg_type = del;
        memcpy(req.payload, found->data + i * id_size, id_size);
        if (!request(&req, NLMSG_LENGTH(id_size), FALSE, 0, NULL, NULL, error))
            return FALSE;
    }
    return TRUE;
}

gboolean
nm_l2tp_xfrm_flush_gateway(const char *gateway, GError **error)
{
    Sweep s = { 0 };

    if (!gateway || !parse_address(gateway, &s.gw)) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "not an address: %s", gateway);
        return FALSE;
    }
    /* Policies first: once they are gone, no new larval SA appears.  (A
     * policy dump request is the header alone, as ip-xfrm sends it.) */
    return sweep(&s,
                 XFRM_MSG_GETPOLICY,
                 NLMSG_HDRLEN,
                 XFRM_MSG_NEWPOLICY,
                 each_policy,
                 XFRM_MSG_DELPOLICY,
                 sizeof(struct xfrm_userpolicy_id),
                 error)
           && sweep(&s,
                    XFRM_MSG_GETSA,
                    NLMSG_LENGTH(sizeof(struct xfrm_usersa_info)),
                    XFRM_MSG_NEWSA,
                    each_sa,
                    XFRM_MSG_DELSA,
                    sizeof(struct xfrm_usersa_id),
                    error);
}

gboolean
nm_l2tp_xfrm_delete_esp(const char *daddr, guint32 spi, GError **error)
{
    struct {
        struct nlmsghdr       hdr;
        struct xfrm_usersa_id id;
    } req = { 0 };
    Address a;

    if (!daddr || !parse_address(daddr, &a)) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "not an address: %s", daddr);
        return FALSE;
    }
    req.hdr.nlmsg_type = XFRM_MSG_DELSA;
    memcpy(&req.id.daddr, a.bytes, a.len);
    req.id.family = a.family;
    req.id.spi    = htonl(spi);
    req.id.proto  = IPPROTO_ESP;
    return request(&req, sizeof(req), FALSE, 0, NULL, NULL, error);
}
