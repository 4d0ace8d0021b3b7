/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_WRITERS_H
#define NM_L2TP_WRITERS_H

#include "nm-l2tp-settings.h"

/* What the writers need beyond the settings: facts only known at connect
 * time.  All strings are produced by the service itself, not the user. */
typedef struct {
    const char *uuid;            /* connection UUID, names the IKE and CHILD config */
    const char *gateway_address; /* the gateway after name resolution */
    guint       local_port;      /* UDP source port for L2TP; 1701 unless ephemeral */
    const char *run_dir;         /* the connection's private 0700 directory */
    const char *ppp_plugin;      /* path of nm-l2tp-pppd-plugin.so, NULL: none */
    const char *bus_name;        /* service bus name handed to the pppd plugin */
} NML2tpWriterParams;

/* The child of the strongSwan connection that holds its fail-closed drop
 * policy: "<uuid>" NM_L2TP_FAIL_CLOSED_SUFFIX. */
#define NM_L2TP_FAIL_CLOSED_SUFFIX "-fail-closed"

/* The strongSwan connection as a VICI message tree: a GVariant of type
 * a{sv} whose values are "s" (key = value), "as" (a list) or "a{sv}" (a
 * section), in insertion order.  It is the top level of a load-conn request:
 * one section named after the UUID.  Certificates appear as file paths
 * under "certs"/"cacerts"; the VICI layer loads their contents.  Secrets
 * are never part of the tree. */
GVariant *nm_l2tp_swanctl_conn_build(const NML2tpSettings     *settings,
                                     const NML2tpWriterParams *params);

/* Prints such a tree in swanctl.conf syntax, under "connections { }". */
char *nm_l2tp_swanctl_tree_to_conf(GVariant *tree);

char *nm_l2tp_xl2tpd_conf_build(const NML2tpSettings *settings, const NML2tpWriterParams *params);

char *nm_l2tp_pppd_options_build(const NML2tpSettings *settings, const NML2tpWriterParams *params);

#endif /* NM_L2TP_WRITERS_H */
