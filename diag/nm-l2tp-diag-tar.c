/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-diag-tar.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nm-l2tp-error.h"

#define BLOCK 512
/* tar's default record: 20 blocks.  Archives are padded to it, as tar
 * itself does, so that every reader is content. */
#define RECORD (20 * BLOCK)

struct _NML2tpTar {
    GByteArray *data;
};

/* The ustar header's fields: offset and length. */
enum {
    H_NAME     = 0,
    H_MODE     = 100,
    H_UID      = 108,
    H_GID      = 116,
    H_SIZE     = 124,
    H_MTIME    = 136,
    H_CHKSUM   = 148,
    H_TYPE     = 156,
    H_MAGIC    = 257,
    H_VERSION  = 263,
    H_UNAME    = 265,
    H_GNAME    = 297,
    H_PREFIX   = 345,
    NAME_LEN   = 100,
    PREFIX_LEN = 155,
};

NML2tpTar *
nm_l2tp_tar_new(void)
{
    NML2tpTar *tar = g_new0(NML2tpTar, 1);

    tar->data = g_byte_array_new();
    return tar;
}

void
nm_l2tp_tar_free(NML2tpTar *tar)
{
    if (!tar)
        return;
    g_byte_array_unref(tar->data);
    g_free(tar);
}

/* A number in octal, zero-padded to width - 1 digits and NUL-terminated,
 * as ustar wants it. */
static void
put_octal(guint8 *field, gsize width, guint64 value)
{
    g_autofree char *s = g_strdup_printf("%0*" G_GINT64_MODIFIER "o", (int)(width - 1), value);

    memcpy(field, s, width - 1);
    field[width - 1] = '\0';
}

/* Splits @name into ustar's prefix and name fields at a '/'. */
static gboolean
split_name(const char *name, gsize *prefix_len)
{
    gsize len = strlen(name);

    if (len <= NAME_LEN) {
        *prefix_len = 0;
        return TRUE;
    }
    for (gsize i = MIN(len - 1, (gsize)PREFIX_LEN); i > 0; i--) {
        if (name[i] == '/' && len - i - 1 <= NAME_LEN && len - i - 1 > 0) {
            *prefix_len = i;
            return TRUE;
        }
    }
    return FALSE;
}

static gboolean
add_entry(NML2tpTar  *tar,
          const char *name,
          char        type,
          const void *data,
          gsize       len,
          guint       mode,
          gint64      mtime,
          GError    **error)
{
    guint8 h[BLOCK] = { 0 };
    gsize  prefix_len;
    guint  sum = 0;
    gsize  pad;

    if (!name || !*name || name[0] == '/' || strstr(name, "..") || !split_name(name, &prefix_len)) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_INVALID_VALUE,
                    _("cannot store '%s' in a tar archive"),
                    name ? name : "");
        return FALSE;
    }
    if (prefix_len) {
        memcpy(h + H_PREFIX, name, prefix_len);
        memcpy(h + H_NAME, name + prefix_len + 1, strlen(name) - prefix_len - 1);
    } else {
        memcpy(h + H_NAME, name, strlen(name));
    }
    put_octal(h + H_MODE, 8, mode & 07777);
    put_octal(h + H_UID, 8, 0);
    put_octal(h + H_GID, 8, 0);
    put_octal(h + H_SIZE, 12, len);
    put_octal(h + H_MTIME, 12, (guint64)MAX(mtime, 0));
    h[H_TYPE] = (guint8)type;
    memcpy(h + H_MAGIC, "ustar", 6);
    memcpy(h + H_VERSION, "00", 2);
    memcpy(h + H_UNAME, "root", 4);
    memcpy(h + H_GNAME, "root", 4);
    /* The checksum is taken with its own field as spaces. */
    memset(h + H_CHKSUM, ' ', 8);
    for (guint i = 0; i < BLOCK; i++)
        sum += h[i];
    put_octal(h + H_CHKSUM, 7, sum);
    h[H_CHKSUM + 7] = ' ';

    g_byte_array_append(tar->data, h, BLOCK);
    if (len) {
        static const guint8 zeros[BLOCK] = { 0 };

        g_byte_array_append(tar->data, data, len);
        pad = (BLOCK - len % BLOCK) % BLOCK;
        g_byte_array_append(tar->data, zeros, pad);
    }
    return TRUE;
}

gboolean
nm_l2tp_tar_add_dir(NML2tpTar *tar, const char *name, guint mode, gint64 mtime, GError **error)
{
    g_autofree char *slashed =
        g_str_has_suffix(name, "/") ? g_strdup(name) : g_strconcat(name, "/", NULL);

    return add_entry(tar, slashed, '5', NULL, 0, mode, mtime, error);
}

gboolean
nm_l2tp_tar_add_file(NML2tpTar  *tar,
                     const char *name,
                     const void *data,
                     gsize       len,
                     guint       mode,
                     gint64      mtime,
                     GError    **error)
{
    return add_entry(tar, name, '0', data, len, mode, mtime, error);
}

static GBytes *
convert(GConverter *converter, GBytes *input, GError **error)
{
    g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable();
    g_autoptr(GOutputStream) out = g_converter_output_stream_new(mem, converter);
    gsize written;

    if (!g_output_stream_write_all(
            out, g_bytes_get_data(input, NULL), g_bytes_get_size(input), &written, NULL, error))
        return NULL;
    if (!g_output_stream_close(out, NULL, error))
        return NULL;
    return g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(mem));
}

GBytes *
nm_l2tp_tar_to_gzip(NML2tpTar *tar, GError **error)
{
    g_autoptr(GZlibCompressor) gz = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
    g_autoptr(GByteArray) whole   = g_byte_array_new();
    g_autoptr(GBytes) plain       = NULL;
    gsize  end;
    guint8 zero = 0;

    g_byte_array_append(whole, tar->data->data, tar->data->len);
    /* End of archive: two zero blocks, then up to a full record. */
    end = whole->len + 2 * BLOCK;
    end = (end + RECORD - 1) / RECORD * RECORD;
    while (whole->len < end)
        g_byte_array_append(whole, &zero, 1);
    plain = g_byte_array_free_to_bytes(g_steal_pointer(&whole));
    return convert(G_CONVERTER(gz), plain, error);
}

GBytes *
nm_l2tp_gunzip(GBytes *gz, GError **error)
{
    g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP);

    return convert(G_CONVERTER(z), gz, error);
}

static void
entry_free(gpointer data)
{
    NML2tpTarEntry *e = data;

    g_free(e->name);
    g_bytes_unref(e->data);
    g_free(e);
}

static guint64
get_octal(const guint8 *field, gsize width)
{
    g_autofree char *s = g_strndup((const char *)field, width);

    return g_ascii_strtoull(s, NULL, 8);
}

static gboolean
bad_archive(GError **error, const char *why)
{
    g_set_error(
        error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL, _("not a valid tar archive: %s"), why);
    return FALSE;
}

GPtrArray *
nm_l2tp_tar_parse(GBytes *tar, GError **error)
{
    g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(entry_free);
    gsize         len;
    const guint8 *d   = g_bytes_get_data(tar, &len);
    gsize         pos = 0;

    while (pos + BLOCK <= len) {
        const guint8    *h = d + pos;
        NML2tpTarEntry  *e;
        guint            sum = 0;
        guint64          size;
        g_autofree char *name   = NULL;
        g_autofree char *prefix = NULL;

        if (h[0] == 0)
            break; /* end of archive */
        for (guint i = 0; i < BLOCK; i++)
            sum += (i >= H_CHKSUM && i < H_CHKSUM + 8) ? ' ' : h[i];
        if (sum != get_octal(h + H_CHKSUM, 8)) {
            bad_archive(error, "checksum");
            return NULL;
        }
        if (memcmp(h + H_MAGIC, "ustar", 5) != 0) {
            bad_archive(error, "magic");
            return NULL;
        }
        size = get_octal(h + H_SIZE, 12);
        if (size > len - pos - BLOCK) {
            bad_archive(error, "size");
            return NULL;
        }
        name    = g_strndup((const char *)h + H_NAME, NAME_LEN);
        prefix  = g_strndup((const char *)h + H_PREFIX, PREFIX_LEN);
        e       = g_new0(NML2tpTarEntry, 1);
        e->name = *prefix ? g_strconcat(prefix, "/", name, NULL) : g_steal_pointer(&name);
        e->type = (char)h[H_TYPE];
        e->mode = (guint)get_octal(h + H_MODE, 8);
        e->data = g_bytes_new(h + BLOCK, size);
        g_ptr_array_add(entries, e);
        pos += BLOCK + (size + BLOCK - 1) / BLOCK * BLOCK;
    }
    return g_steal_pointer(&entries);
}
