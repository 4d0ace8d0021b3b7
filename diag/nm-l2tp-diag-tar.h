/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_DIAG_TAR_H
#define NM_L2TP_DIAG_TAR_H

#include <gio/gio.h>

/* A minimal tar (POSIX ustar) writer and reader for the diagnosis bundle,
 * compressed with gzip through GIO's zlib converter.  The writer makes
 * regular files and directories, owned by root:root, with the given mode
 * and time; the reader understands what the writer makes (and plain
 * ustar in general), which is what the tests and --bundle's own check
 * need. */

typedef struct _NML2tpTar NML2tpTar;

NML2tpTar *nm_l2tp_tar_new(void);
void       nm_l2tp_tar_free(NML2tpTar *tar);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpTar, nm_l2tp_tar_free)

/* Names are relative paths of at most 255 bytes ("dir/file"); a name that
 * cannot be stored is refused. */
gboolean nm_l2tp_tar_add_dir(
    NML2tpTar *tar, const char *name, guint mode, gint64 mtime, GError **error);
gboolean nm_l2tp_tar_add_file(NML2tpTar  *tar,
                              const char *name,
                              const void *data,
                              gsize       len,
                              guint       mode,
                              gint64      mtime,
                              GError    **error);

/* The archive so far, closed with its end-of-archive blocks, gzip
 * compressed. */
GBytes *nm_l2tp_tar_to_gzip(NML2tpTar *tar, GError **error);

/* Reading back. */
typedef struct {
    char   *name;
    char    type; /* '0' file, '5' directory, as in the header */
    guint   mode;
    GBytes *data; /* empty for directories */
} NML2tpTarEntry;

GBytes    *nm_l2tp_gunzip(GBytes *gz, GError **error);
GPtrArray *nm_l2tp_tar_parse(GBytes *tar, GError **error); /* of NML2tpTarEntry */

#endif /* NM_L2TP_DIAG_TAR_H */
