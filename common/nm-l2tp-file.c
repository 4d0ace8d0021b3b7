/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "nm-l2tp-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nm-l2tp-error.h"

char *
nm_l2tp_file_reason_not_regular(void)
{
    return g_strdup(_("not a regular file"));
}

char *
nm_l2tp_file_reason_too_large(gsize max_size)
{
    return g_strdup_printf(_("larger than %zu KiB"), max_size / 1024);
}

int
nm_l2tp_file_open(const char *path, NML2tpFileReadFlags flags, GError **error)
{
    int oflags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
    int fd;

    if (flags & NM_L2TP_FILE_READ_NOFOLLOW)
        oflags |= O_NOFOLLOW;
    do
        fd = open(path, oflags);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        int errsv = errno;

        g_set_error_literal(error, G_FILE_ERROR, g_file_error_from_errno(errsv), g_strerror(errsv));
    }
    return fd;
}

static void
set_error_take(GError **error, int code, char *message)
{
    g_set_error_literal(error, NM_L2TP_ERROR, code, message);
    g_free(message);
}

/* The buffer may hold a private key: wiped before it is freed, on every
 * path. */
static void
free_wiped(guint8 *buf, gsize len)
{
    if (buf) {
        explicit_bzero(buf, len);
        g_free(buf);
    }
}

typedef struct {
    gsize  len;
    guint8 data[];
} WipedBlock;

static void
wiped_block_free(gpointer data)
{
    WipedBlock *block = data;

    explicit_bzero(block->data, block->len);
    g_free(block);
}

GBytes *
nm_l2tp_bytes_new_wiped(gconstpointer data, gsize len)
{
    WipedBlock *block = g_malloc(sizeof(WipedBlock) + len);

    block->len = len;
    if (len)
        memcpy(block->data, data, len);
    return g_bytes_new_with_free_func(block->data, len, wiped_block_free, block);
}

GBytes *
nm_l2tp_file_read_fd(int fd, gsize max_size, GError **error)
{
    guint8     *buf;
    GBytes     *bytes;
    struct stat st;
    gsize       have = 0;

    if (fstat(fd, &st) != 0) {
        int errsv = errno;

        g_set_error_literal(error, G_FILE_ERROR, g_file_error_from_errno(errsv), g_strerror(errsv));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        set_error_take(error, NM_L2TP_ERROR_NOT_REGULAR, nm_l2tp_file_reason_not_regular());
        return NULL;
    }
    if ((guint64)st.st_size > max_size) {
        set_error_take(error, NM_L2TP_ERROR_TOO_LARGE, nm_l2tp_file_reason_too_large(max_size));
        return NULL;
    }
    buf = g_malloc(max_size + 1);
    while (have < max_size + 1) {
        ssize_t n = read(fd, buf + have, max_size + 1 - have);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int errsv = errno;

            free_wiped(buf, have);
            g_set_error_literal(
                error, G_FILE_ERROR, g_file_error_from_errno(errsv), g_strerror(errsv));
            return NULL;
        }
        if (n == 0)
            break;
        have += n;
    }
    if (have > max_size) {
        free_wiped(buf, have);
        set_error_take(error, NM_L2TP_ERROR_TOO_LARGE, nm_l2tp_file_reason_too_large(max_size));
        return NULL;
    }
    /* Copied rather than g_realloc()ed, which could free the old block
     * unwiped. */
    bytes = nm_l2tp_bytes_new_wiped(buf, have);
    free_wiped(buf, have);
    return bytes;
}

GBytes *
nm_l2tp_file_read(const char *path, gsize max_size, NML2tpFileReadFlags flags, GError **error)
{
    GBytes *bytes;
    int     fd = nm_l2tp_file_open(path, flags, error);

    if (fd < 0)
        return NULL;
    bytes = nm_l2tp_file_read_fd(fd, max_size, error);
    close(fd);
    return bytes;
}

int
nm_l2tp_file_write_all(int fd, const void *data, gsize len)
{
    const guint8 *p = data;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        if (n == 0)
            return EIO;
        p += n;
        len -= (gsize)n;
    }
    return 0;
}
