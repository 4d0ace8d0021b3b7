/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IPv6 inside the tunnel, the pppd side: when IPv6CP is up, the interface
 * identifiers both ends agreed on go to the service (SetIp6Config), and
 * before that the kernel is told to take addresses, not a default route,
 * from the server's router advertisements.
 *
 * pppd only negotiates IPv6CP when the service's options say "+ipv6"
 * (ipv6=auto); with "noipv6" nothing here runs.  IPCP's report does not
 * wait for any of this: pppd runs the two NCPs side by side and calls
 * ip_up_notifier and ipv6_up_notifier each when its own protocol is up. */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <pppd/pppd.h>
#include <pppd/fsm.h>
#include <pppd/ipv6cp.h>

#include "nm-l2tp-pppd-bus.h"
#include "nm-l2tp-pppd-ipv6.h"

/* Writes @value into the interface's IPv6 setting @name.  Logged, not
 * fatal: without it the link works, only RAs may add a default route. */
static void
nm_l2tp_ipv6_sysctl(const char *name, const char *value)
{
    char path[128];
    int  fd;

    snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", ifname, name);
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, value, strlen(value)) != (ssize_t)strlen(value)) {
        warn("nm-l2tp: cannot set %s to %s: %m", path, value);
        if (fd >= 0)
            close(fd);
        return;
    }
    close(fd);
}

static void
nm_l2tp_ipv6_phase_changed(void *data, int arg)
{
    if (arg != PHASE_ESTABLISH || !ipv6cp_protent.enabled_flag || !ifname[0])
        return;
    /* The interface exists from here on (pppd names it before LCP
     * starts), and IPv6CP has not run: no router advertisement can have
     * come yet.  The kernel adds the addresses RAs hand out (SLAAC, with
     * the interface identifier of the link-local address pppd sets), but
     * not their default route: whether IPv6 traffic goes into the tunnel
     * is NetworkManager's decision (ipv6.never-default), made on the
     * configuration the service hands it. */
    nm_l2tp_ipv6_sysctl("accept_ra_defrtr", "0");
}

static GVariant *
nm_l2tp_iid_variant(const eui64_t *id)
{
    return g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, id->e8, sizeof(id->e8), 1);
}

/* fe80::ID, for the log. */
static void
nm_l2tp_link_local(const eui64_t *id, char buf[INET6_ADDRSTRLEN])
{
    struct in6_addr a = { .s6_addr = { 0xfe, 0x80 } };

    memcpy(a.s6_addr + 8, id->e8, 8);
    inet_ntop(AF_INET6, &a, buf, INET6_ADDRSTRLEN);
}

static void
nm_l2tp_ipv6_up(void *data, int arg)
{
    const eui64_t  *ours = &ipv6cp_gotoptions[0].ourid;
    const eui64_t  *peer = &ipv6cp_hisoptions[0].hisid;
    char            ours_ll[INET6_ADDRSTRLEN];
    char            peer_ll[INET6_ADDRSTRLEN];
    GVariantBuilder dict;

    g_variant_builder_init(&dict, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&dict, "{sv}", NM_L2TP_PPP_IP6_IFACE, g_variant_new_string(ifname));
    g_variant_builder_add(&dict, "{sv}", NM_L2TP_PPP_IP6_OUR_IID, nm_l2tp_iid_variant(ours));
    g_variant_builder_add(&dict, "{sv}", NM_L2TP_PPP_IP6_PEER_IID, nm_l2tp_iid_variant(peer));
    nm_l2tp_link_local(ours, ours_ll);
    nm_l2tp_link_local(peer, peer_ll);
    info("nm-l2tp: IPv6 up on %s: local %s, peer %s", ifname, ours_ll, peer_ll);
    nm_l2tp_bus_report_nowait("SetIp6Config", g_variant_new("(a{sv})", &dict));
}

void
nm_l2tp_ipv6_init(void)
{
    add_notifier(&phasechange, nm_l2tp_ipv6_phase_changed, NULL);
    add_notifier(&ipv6_up_notifier, nm_l2tp_ipv6_up, NULL);
}
