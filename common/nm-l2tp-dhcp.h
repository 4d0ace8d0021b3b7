/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_DHCP_H
#define NM_L2TP_DHCP_H

#include <glib.h>

/* DHCPINFORM over the PPP link, as Windows' RAS client sends it once IPCP
 * is up: the server (Windows RRAS through its DHCP relay, or any DHCP
 * server on the PPP side) answers with routes for a split tunnel and the
 * DNS domain.  Pure functions on byte arrays; the socket is in
 * nm-plugin/nm-l2tp-dhcp-inform.c. */

#define NM_L2TP_DHCP_SERVER_PORT 67
#define NM_L2TP_DHCP_CLIENT_PORT 68

/* The option codes read or written here (RFC 2132 unless noted). */
#define NM_L2TP_DHCP_OPT_PAD              0
#define NM_L2TP_DHCP_OPT_DNS              6
#define NM_L2TP_DHCP_OPT_DOMAIN_NAME      15
#define NM_L2TP_DHCP_OPT_OVERLOAD         52
#define NM_L2TP_DHCP_OPT_MESSAGE_TYPE     53
#define NM_L2TP_DHCP_OPT_SERVER_ID        54
#define NM_L2TP_DHCP_OPT_PARAM_REQUEST    55
#define NM_L2TP_DHCP_OPT_MAX_MESSAGE_SIZE 57
#define NM_L2TP_DHCP_OPT_CLIENT_ID        61
#define NM_L2TP_DHCP_OPT_DOMAIN_SEARCH    119 /* RFC 3397 */
#define NM_L2TP_DHCP_OPT_CLASSLESS_ROUTES 121 /* RFC 3442 */
#define NM_L2TP_DHCP_OPT_MS_ROUTES        249 /* Microsoft's code for the same format */
#define NM_L2TP_DHCP_OPT_END              255

#define NM_L2TP_DHCP_ACK    5
#define NM_L2TP_DHCP_INFORM 8

/* Limits on what one answer may hand us; more is refused, not cut. */
#define NM_L2TP_DHCP_MAX_ROUTES  256
#define NM_L2TP_DHCP_MAX_DOMAINS 32
#define NM_L2TP_DHCP_MAX_DNS     16

typedef struct {
    guint32 xid;              /* transaction id, chosen by the caller */
    guint32 ciaddr;           /* our PPP address, network byte order */
    guint8  hwaddr[6];        /* chaddr, and the client identifier (type 1) */
    guint16 max_message_size; /* option 57 (at least 576); 0 leaves it out */
} NML2tpDhcpInform;

/* The DHCPINFORM for @inform: BOOTREQUEST, ciaddr set, options 53 (8), 61,
 * 57 and the parameter request list 121, 249, 15, 6, 119, padded to
 * BOOTP's 300 bytes.  Never NULL. */
GBytes *nm_l2tp_dhcp_inform_build(const NML2tpDhcpInform *inform);

typedef struct {
    guint32 network; /* network byte order, the bits beyond the prefix cleared */
    guint8  prefix;  /* 0 to 32 */
    guint32 gateway; /* network byte order; 0.0.0.0: on the link (RFC 3442) */
} NML2tpDhcpRoute;

/* Options that were present in the answer but malformed, and so ignored
 * (the rest of the answer is still used). */
typedef enum {
    NM_L2TP_DHCP_BAD_NONE             = 0,
    NM_L2TP_DHCP_BAD_CLASSLESS_ROUTES = 1 << 0, /* 121 */
    NM_L2TP_DHCP_BAD_MS_ROUTES        = 1 << 1, /* 249 */
    NM_L2TP_DHCP_BAD_DOMAIN_NAME      = 1 << 2, /* 15 */
    NM_L2TP_DHCP_BAD_DOMAIN_SEARCH    = 1 << 3, /* 119 */
    NM_L2TP_DHCP_BAD_DNS              = 1 << 4, /* 6 */
} NML2tpDhcpBadOptions;

typedef struct {
    guint32              server_id;     /* option 54, network byte order; 0: absent */
    guint                routes_option; /* 121, 249, or 0 when neither gave routes */
    GArray              *routes;        /* NML2tpDhcpRoute, no two with the same destination */
    GPtrArray           *domains;       /* char *: 15 first, then 119; lower case, no duplicates */
    GArray              *dns;           /* guint32, network byte order */
    NML2tpDhcpBadOptions bad;
} NML2tpDhcpResult;

/* Parses @len bytes received on the client port as the answer to
 * @inform.  NULL with NM_L2TP_ERROR_PROTOCOL when it is not a well-formed
 * BOOTREPLY/DHCPACK for our xid and chaddr (a receiver keeps waiting
 * then).  A malformed option that does not break the packet's structure
 * is left out and named in ->bad.  Routes come from option 121, or from
 * 249 when 121 is absent or malformed. */
NML2tpDhcpResult *nm_l2tp_dhcp_parse_ack(const guint8           *packet,
                                         gsize                   len,
                                         const NML2tpDhcpInform *inform,
                                         GError                **error);

/* The RFC 3442 encoding (shared by 121 and 249) on its own: appends to
 * @routes (NML2tpDhcpRoute) and returns TRUE, or returns FALSE and leaves
 * @routes as it was when any entry is malformed. */
gboolean nm_l2tp_dhcp_decode_classless_routes(const guint8 *data, gsize len, GArray *routes);

/* RFC 3397's list of names (RFC 1035 labels with compression pointers
 * relative to the start of @data): appends to @domains, or returns FALSE
 * and leaves it as it was. */
gboolean nm_l2tp_dhcp_decode_domain_search(const guint8 *data, gsize len, GPtrArray *domains);

/* Whether @name is a host or domain name fit for resolv.conf: labels of
 * letters, digits, '-' and '_', 1 to 63 bytes, at most 253 in all. */
gboolean nm_l2tp_dhcp_domain_is_valid(const char *name);

NML2tpDhcpResult *nm_l2tp_dhcp_result_new(void);
void              nm_l2tp_dhcp_result_free(NML2tpDhcpResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpDhcpResult, nm_l2tp_dhcp_result_free)

/* A one-line summary for the log: "2 routes from option 121, domain
 * corp.example.com". */
char *nm_l2tp_dhcp_result_to_string(const NML2tpDhcpResult *result);

/* The network of @address (network byte order) by its class, as Windows
 * routes it when the server pushes nothing: A /8, B /16, C /24.  FALSE for
 * class D and E addresses and 0.0.0.0, which have none. */
gboolean nm_l2tp_dhcp_classful_network(guint32 address, guint32 *network, guint8 *prefix);

#endif /* NM_L2TP_DHCP_H */
