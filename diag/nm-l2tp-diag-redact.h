/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_DIAG_REDACT_H
#define NM_L2TP_DIAG_REDACT_H

#include <NetworkManager.h>

/* Removes secrets from text before nm-l2tp-diag shows or bundles it.
 *
 * Two kinds of redaction, applied to every text that leaves the tool:
 * - exact values: the connection's secrets (those of the key table that are
 *   secrets: password, ipsec-psk, *-certpass), wherever they appear, also
 *   hex- and base64-encoded as strongSwan would write them;
 * - shapes: "secret = ...", "ipsec-psk=...", "password ...", ipsec.secrets
 *   entries, strongSwan's 0s/0x encoded keys, and the CHAP/MS-CHAP values
 *   in pppd's debug output (which allow offline guessing of the password).
 *
 * What is removed is replaced by NM_L2TP_REDACTED. */

#define NM_L2TP_REDACTED "<redacted>"

typedef struct _NML2tpRedactor NML2tpRedactor;

NML2tpRedactor *nm_l2tp_redactor_new(void);
void            nm_l2tp_redactor_free(NML2tpRedactor *redactor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpRedactor, nm_l2tp_redactor_free)

/* Adds one exact value to remove.  Empty values are ignored. */
void nm_l2tp_redactor_add_secret(NML2tpRedactor *redactor, const char *value);

/* Adds the values of every secret key of the key table found in the
 * setting's secrets or (old profiles) its data. */
void nm_l2tp_redactor_add_setting(NML2tpRedactor *redactor, NMSettingVpn *s_vpn);

guint nm_l2tp_redactor_get_n_secrets(const NML2tpRedactor *redactor);

/* Returns @text with every secret replaced.  NULL gives NULL. */
char *nm_l2tp_redactor_redact(const NML2tpRedactor *redactor, const char *text);

/* TRUE when @key names a secret in the key table (password, ipsec-psk,
 * user-certpass, machine-certpass). */
gboolean nm_l2tp_redact_is_secret_key(const char *key);

#endif /* NM_L2TP_DIAG_REDACT_H */
