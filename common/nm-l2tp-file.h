/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_FILE_H
#define NM_L2TP_FILE_H

#include <glib.h>

/* Reading a file whose path came from someone else: a profile's
 * certificate or key, a file to import, a report.  Such a path may name a
 * FIFO (open() and read() would wait for a writer forever), a device
 * (/dev/zero never ends, /dev/tty waits for a key) or a huge file.  So the
 * file is opened with O_NONBLOCK and O_NOCTTY, fstat() must say it is a
 * regular file before a byte is read, and no more than a cap is read
 * (one byte over the cap is read to notice a file that grew since
 * fstat()).
 *
 * Errors: G_FILE_ERROR from open() or read() (the message is
 * g_strerror()'s), NM_L2TP_ERROR_NOT_REGULAR or NM_L2TP_ERROR_TOO_LARGE.
 * The messages are the bare reason ("not a regular file", "larger than
 * 64 KiB"), translated; callers say which file. */

/* The cap for certificates and keys: several times a long chain, and
 * still nothing a service would mind holding in memory. */
#define NM_L2TP_CERT_FILE_MAX_SIZE (1024 * 1024)

typedef enum {
    NM_L2TP_FILE_READ_NONE = 0,
    /* Refuse a symbolic link as the last path component (ELOOP). */
    NM_L2TP_FILE_READ_NOFOLLOW = 1 << 0,
} NML2tpFileReadFlags;

/* Opens @path read-only, O_NONBLOCK | O_NOCTTY | O_CLOEXEC.  Returns the
 * fd or -1 with @error set. */
int nm_l2tp_file_open(const char *path, NML2tpFileReadFlags flags, GError **error);

/* Checks that @fd is a regular file of at most @max_size bytes and reads
 * it whole; does not close @fd. */
GBytes *nm_l2tp_file_read_fd(int fd, gsize max_size, GError **error);

/* nm_l2tp_file_open() and nm_l2tp_file_read_fd() in one. */
GBytes *nm_l2tp_file_read(const char         *path,
                          gsize               max_size,
                          NML2tpFileReadFlags flags,
                          GError            **error);

/* Writes all of @data to @fd, retrying after EINTR and short writes.
 * Returns 0 or an errno. */
int nm_l2tp_file_write_all(int fd, const void *data, gsize len);

/* A GBytes holding a copy of @data that is wiped (explicit_bzero) when
 * the last reference goes: for private keys. */
GBytes *nm_l2tp_bytes_new_wiped(gconstpointer data, gsize len);

/* The translated reasons, for code that learns of the problem another way
 * (a child process's status) and must word it the same. */
char *nm_l2tp_file_reason_not_regular(void);
char *nm_l2tp_file_reason_too_large(gsize max_size);

#endif /* NM_L2TP_FILE_H */
