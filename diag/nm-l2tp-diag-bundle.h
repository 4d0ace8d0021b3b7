/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_DIAG_BUNDLE_H
#define NM_L2TP_DIAG_BUNDLE_H

#include <NetworkManager.h>

#include "nm-l2tp-diag-check.h"
#include "nm-l2tp-diag-redact.h"
#include "nm-l2tp-report.h"

/* nm-l2tp-diag --bundle: everything an administrator needs to judge a
 * failed attempt, in one tar.gz, without a secret in it.  Every file goes
 * through the redactor on its way into the archive.
 *
 *   nm-l2tp-diag-DATE/README.txt        what is inside, and what is not and why
 *   nm-l2tp-diag-DATE/last-attempt.report   the report as the service wrote it
 *   nm-l2tp-diag-DATE/timeline.txt, timeline.json
 *   nm-l2tp-diag-DATE/logs.txt          the attempt's IKE, L2TP and PPP lines
 *   nm-l2tp-diag-DATE/settings.txt      vpn.data; secrets only by name
 *   nm-l2tp-diag-DATE/config/...        swanctl.conf, xl2tpd.conf, pppd-options
 *                                       regenerated from the settings
 *   nm-l2tp-diag-DATE/run-dir/...       the files of a connection that is up
 *   nm-l2tp-diag-DATE/versions.txt      nm-l2tp, kernel, charon, xl2tpd, pppd
 *   nm-l2tp-diag-DATE/preflight.txt, preflight.json */

typedef struct {
    const NML2tpReport       *report;
    const char               *report_dir; /* holds <uuid>.log and <uuid>/ */
    NMConnection             *connection; /* NULL: NetworkManager not reachable */
    const NML2tpRedactor     *redactor;
    const NML2tpCheckContext *check;
    /* Run charon, xl2tpd, pppd for their versions. */
    gboolean versions;
} NML2tpBundleParams;

GBytes *nm_l2tp_diag_bundle_build(const NML2tpBundleParams *params, GError **error);
/* Writes the bundle to @path, mode 0600 (the logs are root's). */
gboolean nm_l2tp_diag_bundle_write(const NML2tpBundleParams *params,
                                   const char               *path,
                                   GError                  **error);

/* The versions part, also for tests: one "name: version" line each. */
char *nm_l2tp_diag_versions(void);

#endif /* NM_L2TP_DIAG_BUNDLE_H */
