/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_TEST_IMPORT_DUMP_H
#define NM_L2TP_TEST_IMPORT_DUMP_H

#include <NetworkManager.h>

char *nm_l2tp_test_dump_connection(NMConnection *connection);
char *nm_l2tp_test_dump_error(const GError *error);

#endif
