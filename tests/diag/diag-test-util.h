/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_DIAG_TEST_UTIL_H
#define NM_L2TP_DIAG_TEST_UTIL_H

#include <gio/gio.h>
#include <sys/types.h>

#include "nm-l2tp-report.h"

/* Fixture UUIDs and secrets planted in logs and connections: no output of
 * nm-l2tp-diag may contain any of the secrets. */
#define DIAG_TEST_UUID_PSK  "6a1d3c52-0b8e-4f6e-9a7b-c2d4e6f80a1b"
#define DIAG_TEST_UUID_OK   "0b8e2a36-5d1c-4f6e-9a7b-c2d4e6f80a1c"
#define DIAG_TEST_PASSWORD  "Pl4nted-Passw0rd"
#define DIAG_TEST_PSK       "Pl4nted-PSK-9z"
#define DIAG_TEST_CERTPASS  "Pl4nted-Certpass"
#define DIAG_TEST_OTHER_PSK "another-secret-Qq7" /* in shapes only, unknown to NM */

char *diag_test_make_tmpdir(void);
void  diag_test_rm_rf(const char *path);
void  diag_test_write(const char *dir, const char *name, const char *content, int mode);

/* A failed attempt: PSK rejected in IPsec phase 1 after 1.25 s. */
NML2tpReport *diag_test_report_psk_rejected(void);
/* A successful attempt of another connection. */
NML2tpReport *diag_test_report_connected(void);

/* The attempt's log of the PSK fixture with secrets planted in every
 * shape the redactor must recognise, and in bare form. */
const char *diag_test_planted_log(void);

/* Runs the built nm-l2tp-diag with NM_L2TP_REPORT_DIR=@report_dir (NULL:
 * unchanged) and returns its exit status; stdout and stderr separately. */
int diag_test_run(const char *report_dir, const char *const *args, char **out, char **err);

/* The same, run as the user @uid with group @gid and no supplementary
 * groups (the caller must be root). */
int diag_test_run_as(
    uid_t uid, gid_t gid, const char *report_dir, const char *const *args, char **out, char **err);

/* Fails the test when @text contains a planted secret in any encoding. */
void diag_test_assert_no_secret(const char *what, const char *text, gsize len);

#endif
