/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_PPP_DBUS_H
#define NM_L2TP_PPP_DBUS_H

/* The D-Bus contract between nm-l2tp-service and the pppd plugin
 * (helper/nm-l2tp-pppd-plugin.so).  The service exports the object on its
 * own bus name, which the options file hands to the plugin with
 * "nm-l2tp-service BUS-NAME"; the plugin calls it synchronously, since
 * pppd has no main loop.  Full description:
 * data/org.freedesktop.NetworkManager.l2tp.ppp.xml */

#define NM_DBUS_SERVICE_L2TP       "org.freedesktop.NetworkManager.l2tp"
#define NM_DBUS_INTERFACE_L2TP_PPP "org.freedesktop.NetworkManager.l2tp.ppp"
#define NM_DBUS_PATH_L2TP_PPP      "/org/freedesktop/NetworkManager/l2tp/ppp"

/* The pppd option the plugin adds, naming the service's bus name. */
#define NM_L2TP_PPPD_OPTION_SERVICE "nm-l2tp-service"

/* Keys of the SetIp4Config dictionary. */
#define NM_L2TP_PPP_IP4_ADDRESS "address" /* u, network byte order */
#define NM_L2TP_PPP_IP4_PEER    "peer"    /* u, network byte order */
#define NM_L2TP_PPP_IP4_DNS     "dns"     /* au, network byte order */
#define NM_L2TP_PPP_IP4_WINS    "wins"    /* au, network byte order */
#define NM_L2TP_PPP_IP4_MTU     "mtu"     /* u */
#define NM_L2TP_PPP_IP4_IFACE   "iface"   /* s, e.g. ppp0 */

/* Keys of the SetIp6Config dictionary, sent when IPv6CP is up: the
 * interface identifiers IPv6CP agreed on, from which both ends' link-local
 * addresses (fe80::IID) follow. */
#define NM_L2TP_PPP_IP6_IFACE    "iface"    /* s */
#define NM_L2TP_PPP_IP6_OUR_IID  "our-iid"  /* ay, 8 bytes as on the wire */
#define NM_L2TP_PPP_IP6_PEER_IID "peer-iid" /* ay, 8 bytes as on the wire */

/* pppd's phases as SetState reports them (pppd.h PHASE_*). */
typedef enum {
    NM_L2TP_PPP_PHASE_DEAD         = 0,
    NM_L2TP_PPP_PHASE_INITIALIZE   = 1,
    NM_L2TP_PPP_PHASE_SERIALCONN   = 2,
    NM_L2TP_PPP_PHASE_DORMANT      = 3,
    NM_L2TP_PPP_PHASE_ESTABLISH    = 4,
    NM_L2TP_PPP_PHASE_AUTHENTICATE = 5,
    NM_L2TP_PPP_PHASE_CALLBACK     = 6,
    NM_L2TP_PPP_PHASE_NETWORK      = 7,
    NM_L2TP_PPP_PHASE_RUNNING      = 8,
    NM_L2TP_PPP_PHASE_TERMINATE    = 9,
    NM_L2TP_PPP_PHASE_DISCONNECT   = 10,
    NM_L2TP_PPP_PHASE_HOLDOFF      = 11,
    NM_L2TP_PPP_PHASE_MASTER       = 12,
} NML2tpPppPhase;

#endif /* NM_L2TP_PPP_DBUS_H */
