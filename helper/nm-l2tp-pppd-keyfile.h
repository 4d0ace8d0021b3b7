/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_PPPD_KEYFILE_H
#define NM_L2TP_PPPD_KEYFILE_H

#include <glib.h>

/* Whether the PEM private key in @path (pppd's "key" option) is
 * encrypted: PKCS#8's "BEGIN ENCRYPTED PRIVATE KEY" or the traditional
 * "Proc-Type: 4,ENCRYPTED" header.  Only to name a failure; a file that
 * cannot be read counts as not encrypted, and pppd says what is wrong
 * with it.  GLib only, apart from pppd, so that tests/helper can run it. */
gboolean nm_l2tp_pppd_key_is_encrypted(const char *path);

#endif /* NM_L2TP_PPPD_KEYFILE_H */
