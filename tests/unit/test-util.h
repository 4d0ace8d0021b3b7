/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_TEST_UTIL_H
#define NM_L2TP_TEST_UTIL_H

#include "nm-l2tp-settings.h"
#include "nm-l2tp-writers.h"

/* A test connection: [vpn] and [secrets] groups of a keyfile become
 * vpn.data and vpn.secrets; [params] holds the connect-time facts the
 * writers need (gateway-address, local-port). */
typedef struct {
    GHashTable *data;
    GHashTable *secrets;
    char       *gateway_address;
    guint       local_port;
} NML2tpTestConnection;

NML2tpTestConnection *nm_l2tp_test_connection_load(const char *path, GError **error);
void                  nm_l2tp_test_connection_free(NML2tpTestConnection *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpTestConnection, nm_l2tp_test_connection_free)

/* Fixed writer parameters so that golden files do not depend on the run. */
#define NM_L2TP_TEST_UUID "3f1b7c52-8d0e-4a6b-9c1d-2e5f6a7b8c9d"
void nm_l2tp_test_writer_params(NML2tpWriterParams *p, const NML2tpTestConnection *c);

char *nm_l2tp_test_srcdir_path(const char *relative);

#endif
