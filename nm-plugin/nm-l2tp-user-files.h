/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_USER_FILES_H
#define NM_L2TP_USER_FILES_H

#include <gio/gio.h>
#include <sys/types.h>

#include "nm-l2tp-settings.h"

/* The root service is nobody's deputy: the certificates and keys a
 * connection uses are read with the rights of the connection's owners
 * (common/nm-l2tp-owner.h), never with root's, and pppd and charon get
 * root-owned copies, never the user's paths.
 *
 * The files are those the connection uses: user-ca, user-cert and
 * user-key with user-auth-type tls; machine-ca, machine-cert and
 * machine-key with IPsec and machine-auth-type tls.  For each, a child
 * process (which, for a private connection, has dropped to the owner's
 * uid, primary group and supplementary groups before it opens anything)
 * opens the file with O_NONBLOCK | O_NOCTTY, checks with fstat() that it
 * is a regular file of at most NM_L2TP_CERT_FILE_MAX_SIZE bytes, and hands
 * the bytes back over a socket.  A FIFO, a device or a directory is
 * refused at once, and so is a file one of the owners cannot read.  A
 * system connection's files are read the same way, as root.  Where libnm
 * has nm_utils_copy_cert_as_user(), it reads each file after these checks
 * passed, and its copy goes through the same checks again.
 *
 * Each file then goes to DEST_DIR/KEY (e.g. DEST_DIR/machine-key), mode
 * 0600, owned by the service (root), and the settings' path is rewritten
 * to it.  Path keys the connection does not use are cleared from the
 * settings, so that nothing reads them later.
 *
 * Errors are NM_L2TP_ERROR: NOT_READABLE, NOT_REGULAR, TOO_LARGE,
 * UNKNOWN_USER or FAILED, and name the key, the path and the reason, e.g.
 * "cannot use “machine-key” (/root/k.pem): not readable by bob".
 * G_IO_ERROR_CANCELLED when @cancellable was cancelled (the child is
 * killed, copies already written are removed). */

/* Starts the copy.  @owners: the names from
 * nm_l2tp_connection_dup_owner_names(); NULL or empty for a system
 * connection.  @dest_dir: an existing directory only root can write to
 * (the attempt's run directory).  @settings is read now and not kept. */
void nm_l2tp_user_files_copy_async(const NML2tpSettings *settings,
                                   const char *const    *owners,
                                   const char           *dest_dir,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);

/* On success rewrites @settings' path fields to the copies (and clears
 * the unused ones).  On failure @settings is left as it was. */
gboolean nm_l2tp_user_files_copy_finish(GAsyncResult   *result,
                                        NML2tpSettings *settings,
                                        GError        **error);

/* After a successful nm_l2tp_user_files_copy_finish(): whom the
 * connection's last-attempt report belongs to, for
 * nm_l2tp_report_set_owner().  FALSE for a system connection (the report
 * stays world-readable).  One owner: that user; several: root (uid 0),
 * so that none of them sees the others' attempts.  The owners were looked
 * up in the copy's thread, off the main loop. */
gboolean nm_l2tp_user_files_get_report_owner(GAsyncResult *result, uid_t *out_uid, gid_t *out_gid);

/* After a failed copy: the key whose file was refused (NULL when the
 * failure was not about one file, e.g. an unknown owner). */
const char *nm_l2tp_user_files_get_failed_key(GAsyncResult *result);

#endif /* NM_L2TP_USER_FILES_H */
