/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_DIAG_CHECK_H
#define NM_L2TP_DIAG_CHECK_H

#include <json-glib/json-glib.h>

/* The preflight of nm-l2tp-diag --check: is this machine able to make an
 * L2TP/IPsec connection at all?  Each check gives OK, INFO (worth knowing,
 * nothing to fix) or PROBLEM (a connection will fail, or fail for some
 * servers) with a hint how to fix it.  Where a problem is one that the
 * service would report as a verdict, the check names the catalog's cause
 * and says the catalog's words.
 *
 * Check ids are stable (scripts match on them): kernel-l2tp_ppp,
 * kernel-l2tp_netlink, kernel-ppp_generic, kernel-esp4, kernel-xfrm_user,
 * dev-ppp, charon, charon-ikev1, charon-plugins, xl2tpd, pppd,
 * pppd-plugin, udp-500, udp-4500, udp-1701, system-charon. */

typedef enum {
    NM_L2TP_CHECK_OK,
    NM_L2TP_CHECK_INFO,
    NM_L2TP_CHECK_PROBLEM,
} NML2tpCheckStatus;

typedef struct {
    char             *id;
    NML2tpCheckStatus status;
    char             *title;  /* what was checked */
    char             *result; /* what was found, one or two sentences */
    char             *hint;   /* what to do; NULL when nothing */
    char             *cause;  /* the catalog's cause id of this problem; NULL */
} NML2tpCheck;

typedef struct {
    /* Where the checked system's files are: "/" (NULL) for the running
     * system; the tests point it at a fixture tree holding proc/, sys/,
     * lib/modules/, etc/modprobe.d/, dev/ and usr/. */
    const char *root;
    /* The running kernel's release; NULL: uname(2). */
    const char *kernel_release;
    /* May read other users' /proc/PID/fd and root-only sockets. */
    gboolean is_root;
    /* Connect to a system charon's VICI socket (off in fixture tests). */
    gboolean probe_vici;
} NML2tpCheckContext;

/* All checks, in the order they are shown.  Array of NML2tpCheck. */
GPtrArray *nm_l2tp_diag_check_run(const NML2tpCheckContext *ctx);

guint        nm_l2tp_diag_check_count(GPtrArray *checks, NML2tpCheckStatus status);
NML2tpCheck *nm_l2tp_diag_check_find(GPtrArray *checks, const char *id);
const char  *nm_l2tp_diag_check_status_to_string(
     NML2tpCheckStatus status); /* "ok", "info", "problem" */

char     *nm_l2tp_diag_check_to_text(const NML2tpCheckContext *ctx, GPtrArray *checks);
JsonNode *nm_l2tp_diag_check_to_json(const NML2tpCheckContext *ctx, GPtrArray *checks);

/* ---- for the parts of the preflight (nm-l2tp-diag-check-*.c) ---------- */

/* Adds a check; takes @result. */
NML2tpCheck *nm_l2tp_diag_check_add(GPtrArray        *checks,
                                    const char       *id,
                                    NML2tpCheckStatus status,
                                    const char       *title,
                                    char             *result,
                                    const char       *hint,
                                    const char       *cause);

/* @path (absolute) inside the checked system. */
char *nm_l2tp_diag_check_path(const NML2tpCheckContext *ctx, const char *path);
/* A regular file that someone may execute (not necessarily we). */
gboolean nm_l2tp_diag_check_is_program(const char *path);
/* The kernel release of the checked system. */
char *nm_l2tp_diag_check_kernel_release(const NML2tpCheckContext *ctx);

/* Adds the strongSwan checks; TRUE when a system charon answers. */
gboolean nm_l2tp_diag_check_charon(const NML2tpCheckContext *ctx, GPtrArray *checks);
void     nm_l2tp_diag_check_kernel(const NML2tpCheckContext *ctx, GPtrArray *checks);
void     nm_l2tp_diag_check_ports(const NML2tpCheckContext *ctx,
                                  GPtrArray                *checks,
                                  gboolean                  vici_answers);

/* Asks the VICI socket at @path for charon's version: TRUE when it
 * answered, with "strongSwan 5.9.8 (Linux ...)" in @out_version. */
gboolean nm_l2tp_diag_vici_probe(const char *path, char **out_version, GError **error);

#endif /* NM_L2TP_DIAG_CHECK_H */
