/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Encoder and decoder of the VICI wire format.  The decoder reads bytes that
 * come from another process over a socket, so it trusts nothing: every
 * length is checked against what is left, nesting is bounded, and every
 * problem becomes a GError of NM_L2TP_ERROR_PROTOCOL. */

#include "config.h"

#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-vici-wire.h"
#include "nm-l2tp-wiped.h"

#define PROTO_ERROR(error, ...) \
    g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL, __VA_ARGS__)

void
nm_l2tp_vici_packet_free(NML2tpViciPacket *packet)
{
    if (!packet)
        return;
    g_free(packet->name);
    g_clear_pointer(&packet->message, g_variant_unref);
    g_free(packet);
}

gboolean
nm_l2tp_vici_packet_type_is_named(NML2tpViciPacketType type)
{
    return type == NM_L2TP_VICI_CMD_REQUEST || type == NM_L2TP_VICI_EVENT_REGISTER
           || type == NM_L2TP_VICI_EVENT_UNREGISTER || type == NM_L2TP_VICI_EVENT;
}

gboolean
nm_l2tp_vici_packet_type_has_message(NML2tpViciPacketType type)
{
    return type == NM_L2TP_VICI_CMD_REQUEST || type == NM_L2TP_VICI_CMD_RESPONSE
           || type == NM_L2TP_VICI_EVENT;
}

const char *
nm_l2tp_vici_packet_type_to_string(NML2tpViciPacketType type)
{
    static const char *const names[] = {
        "CMD_REQUEST",      "CMD_RESPONSE",  "CMD_UNKNOWN",   "EVENT_REGISTER",
        "EVENT_UNREGISTER", "EVENT_CONFIRM", "EVENT_UNKNOWN", "EVENT",
    };

    if ((guint)type < G_N_ELEMENTS(names))
        return names[type];
    return "invalid";
}

/* ---- encoder ---------------------------------------------------------- */

/* The encoding grows in a buffer of our own rather than a GByteArray,
 * whose realloc() may move the bytes and leave the old block unwiped. */
typedef struct {
    guint8 *data;
    gsize   len;
    gsize   size;
} Buffer;

static void
buffer_put(Buffer *b, const void *data, gsize len)
{
    if (b->size - b->len < len) {
        gsize   size  = MAX(MAX(b->size * 2, b->len + len), 256);
        guint8 *grown = g_malloc(size);

        if (b->len)
            memcpy(grown, b->data, b->len);
        if (b->data)
            explicit_bzero(b->data, b->len);
        g_free(b->data);
        b->data = grown;
        b->size = size;
    }
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
}

static void
buffer_clear(Buffer *b)
{
    if (b->data)
        explicit_bzero(b->data, b->len);
    g_clear_pointer(&b->data, g_free);
    b->len = b->size = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Buffer, buffer_clear)

static GBytes *
buffer_steal_bytes(Buffer *b)
{
    GBytes *bytes = nm_l2tp_wiped_bytes_new_take(b->data, b->len);

    b->data = NULL;
    b->len = b->size = 0;
    return bytes;
}

static void
put_byte(Buffer *out, guint8 byte)
{
    buffer_put(out, &byte, 1);
}

static gboolean
put_name(Buffer *out, const char *name, GError **error)
{
    gsize len = strlen(name);

    if (len > G_MAXUINT8) {
        PROTO_ERROR(error, "VICI name too long (%" G_GSIZE_FORMAT " bytes)", len);
        return FALSE;
    }
    put_byte(out, (guint8)len);
    buffer_put(out, name, len);
    return TRUE;
}

static gboolean
put_value(Buffer *out, const guint8 *data, gsize len, const char *key, GError **error)
{
    guint8 hdr[2];

    if (len > G_MAXUINT16) {
        PROTO_ERROR(error, "VICI value of \"%s\" too long (%" G_GSIZE_FORMAT " bytes)", key, len);
        return FALSE;
    }
    hdr[0] = (guint8)(len >> 8);
    hdr[1] = (guint8)len;
    buffer_put(out, hdr, 2);
    buffer_put(out, data, len);
    return TRUE;
}

/* A value of type "s" or "ay" as bytes. */
static const guint8 *
blob_of(GVariant *v, gsize *len)
{
    if (g_variant_is_of_type(v, G_VARIANT_TYPE_STRING)) {
        const char *s = g_variant_get_string(v, len);
        return (const guint8 *)s;
    }
    return g_variant_get_fixed_array(v, len, 1);
}

static gboolean encode_section(GVariant *dict, Buffer *out, guint depth, GError **error);

static gboolean
encode_entry(const char *key, GVariant *value, Buffer *out, guint depth, GError **error)
{
    const guint8 *data;
    gsize         len;

    /* A "v" inside the dictionary's value would be a double wrap; unwrap it
     * so that builders using g_variant_new_variant() work too. */
    if (g_variant_is_of_type(value, G_VARIANT_TYPE_VARIANT)) {
        g_autoptr(GVariant) inner = g_variant_get_variant(value);
        return encode_entry(key, inner, out, depth, error);
    }

    if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)
        || g_variant_is_of_type(value, G_VARIANT_TYPE_BYTESTRING)) {
        put_byte(out, NM_L2TP_VICI_KEY_VALUE);
        if (!put_name(out, key, error))
            return FALSE;
        data = blob_of(value, &len);
        return put_value(out, data, len, key, error);
    }
    if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING_ARRAY)
        || g_variant_is_of_type(value, G_VARIANT_TYPE_BYTESTRING_ARRAY)) {
        gsize i, n = g_variant_n_children(value);

        put_byte(out, NM_L2TP_VICI_LIST_START);
        if (!put_name(out, key, error))
            return FALSE;
        for (i = 0; i < n; i++) {
            g_autoptr(GVariant) item = g_variant_get_child_value(value, i);

            put_byte(out, NM_L2TP_VICI_LIST_ITEM);
            data = blob_of(item, &len);
            if (!put_value(out, data, len, key, error))
                return FALSE;
        }
        put_byte(out, NM_L2TP_VICI_LIST_END);
        return TRUE;
    }
    if (g_variant_is_of_type(value, G_VARIANT_TYPE_VARDICT)) {
        put_byte(out, NM_L2TP_VICI_SECTION_START);
        if (!put_name(out, key, error))
            return FALSE;
        if (!encode_section(value, out, depth + 1, error))
            return FALSE;
        put_byte(out, NM_L2TP_VICI_SECTION_END);
        return TRUE;
    }
    PROTO_ERROR(error,
                "VICI value of \"%s\" has unsupported type %s",
                key,
                g_variant_get_type_string(value));
    return FALSE;
}

static gboolean
encode_section(GVariant *dict, Buffer *out, guint depth, GError **error)
{
    GVariantIter iter;
    const char  *key;
    GVariant    *value;

    if (depth > NM_L2TP_VICI_MAX_DEPTH) {
        PROTO_ERROR(error, "VICI message nested deeper than %d sections", NM_L2TP_VICI_MAX_DEPTH);
        return FALSE;
    }
    g_variant_iter_init(&iter, dict);
    while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
        gboolean ok = encode_entry(key, value, out, depth, error);

        g_variant_unref(value);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

GBytes *
nm_l2tp_vici_message_encode(GVariant *message, GError **error)
{
    g_auto(Buffer) out = { 0 };

    g_return_val_if_fail(message && g_variant_is_of_type(message, G_VARIANT_TYPE_VARDICT), NULL);
    if (!encode_section(message, &out, 0, error))
        return NULL;
    return buffer_steal_bytes(&out);
}

GBytes *
nm_l2tp_vici_packet_encode(NML2tpViciPacketType type,
                           const char          *name,
                           GVariant            *message,
                           GError             **error)
{
    g_auto(Buffer) out               = { 0 };
    static const guint8 no_length[4] = { 0, 0, 0, 0 };
    gsize               len;

    g_return_val_if_fail(type <= NM_L2TP_VICI_EVENT, NULL);
    g_return_val_if_fail(!nm_l2tp_vici_packet_type_is_named(type) == !name, NULL);
    g_return_val_if_fail(!message || nm_l2tp_vici_packet_type_has_message(type), NULL);

    buffer_put(&out, no_length, 4); /* patched below */
    put_byte(&out, (guint8)type);
    if (name && !put_name(&out, name, error))
        return NULL;
    if (message) {
        g_return_val_if_fail(g_variant_is_of_type(message, G_VARIANT_TYPE_VARDICT), NULL);
        if (!encode_section(message, &out, 0, error))
            return NULL;
    }
    len = out.len - 4;
    if (len > NM_L2TP_VICI_MAX_PACKET) {
        PROTO_ERROR(error, "VICI packet too large (%" G_GSIZE_FORMAT " bytes)", len);
        return NULL;
    }
    out.data[0] = (guint8)(len >> 24);
    out.data[1] = (guint8)(len >> 16);
    out.data[2] = (guint8)(len >> 8);
    out.data[3] = (guint8)len;
    return buffer_steal_bytes(&out);
}

/* ---- decoder ---------------------------------------------------------- */

typedef struct {
    const guint8 *p;
    gsize         left;
} Cursor;

static gboolean
take(Cursor *c, gsize n, const guint8 **out, const char *what, GError **error)
{
    if (c->left < n) {
        PROTO_ERROR(error,
                    "truncated VICI %s (%" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes)",
                    what,
                    c->left,
                    n);
        return FALSE;
    }
    *out = c->p;
    c->p += n;
    c->left -= n;
    return TRUE;
}

/* Names become GVariant dictionary keys ("s"), so they must be UTF-8
 * without NUL; the protocol says ASCII anyway. */
static char *
take_name(Cursor *c, GError **error)
{
    const guint8 *p;
    guint8        len;

    if (!take(c, 1, &p, "name length", error))
        return NULL;
    len = p[0];
    if (!take(c, len, &p, "name", error))
        return NULL;
    if (!g_utf8_validate_len((const char *)p, len, NULL)) {
        PROTO_ERROR(error, "VICI name is not valid UTF-8 or contains NUL");
        return NULL;
    }
    return g_strndup((const char *)p, len);
}

static GBytes *
take_value(Cursor *c, GError **error)
{
    const guint8 *p;
    gsize         len;

    if (!take(c, 2, &p, "value length", error))
        return NULL;
    len = ((gsize)p[0] << 8) | p[1];
    if (!take(c, len, &p, "value", error))
        return NULL;
    return g_bytes_new(p, len);
}

static gboolean
blob_is_text(GBytes *b)
{
    gsize       len;
    const char *d = g_bytes_get_data(b, &len);

    return len == 0 || g_utf8_validate_len(d, len, NULL);
}

static GVariant *
blob_to_variant(GBytes *b)
{
    gsize       len;
    const char *d = g_bytes_get_data(b, &len);

    if (blob_is_text(b))
        return g_variant_new_take_string(g_strndup(d ? d : "", len));
    return g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, d, len, 1);
}

static GVariant *
list_to_variant(GPtrArray *items)
{
    GVariantBuilder b;
    gboolean        text = TRUE;
    guint           i;

    for (i = 0; i < items->len; i++)
        text = text && blob_is_text(items->pdata[i]);
    g_variant_builder_init(&b,
                           text ? G_VARIANT_TYPE_STRING_ARRAY : G_VARIANT_TYPE_BYTESTRING_ARRAY);
    for (i = 0; i < items->len; i++) {
        gsize       len;
        const char *d = g_bytes_get_data(items->pdata[i], &len);

        if (text)
            g_variant_builder_add_value(&b, g_variant_new_take_string(g_strndup(d ? d : "", len)));
        else
            g_variant_builder_add_value(&b,
                                        g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, d, len, 1));
    }
    return g_variant_builder_end(&b);
}

typedef struct {
    GVariantBuilder *builders[NM_L2TP_VICI_MAX_DEPTH + 1];
    char            *names[NM_L2TP_VICI_MAX_DEPTH + 1];
    guint            depth; /* builders[0] is the root */
    char            *list_name;
    GPtrArray       *list_items; /* non-NULL while a list is open */
} Decoder;

static void
decoder_clear(Decoder *d)
{
    guint i;

    for (i = 0; i <= d->depth; i++) {
        if (d->builders[i])
            g_variant_builder_unref(d->builders[i]);
        g_free(d->names[i]);
    }
    g_free(d->list_name);
    if (d->list_items)
        g_ptr_array_unref(d->list_items);
}

static gboolean
decode_element(Decoder *d, Cursor *c, GError **error)
{
    const guint8 *tp;
    char         *name;
    GBytes       *value;

    if (!take(c, 1, &tp, "element type", error))
        return FALSE;

    if (d->list_items && tp[0] != NM_L2TP_VICI_LIST_ITEM && tp[0] != NM_L2TP_VICI_LIST_END) {
        PROTO_ERROR(error, "VICI element type %u inside a list", tp[0]);
        return FALSE;
    }

    switch (tp[0]) {
    case NM_L2TP_VICI_SECTION_START:
        if (d->depth >= NM_L2TP_VICI_MAX_DEPTH) {
            PROTO_ERROR(
                error, "VICI message nested deeper than %d sections", NM_L2TP_VICI_MAX_DEPTH);
            return FALSE;
        }
        if (!(name = take_name(c, error)))
            return FALSE;
        d->depth++;
        d->names[d->depth]    = name;
        d->builders[d->depth] = g_variant_builder_new(G_VARIANT_TYPE_VARDICT);
        return TRUE;
    case NM_L2TP_VICI_SECTION_END: {
        GVariant *section;

        if (d->depth == 0) {
            PROTO_ERROR(error, "VICI SECTION_END without an open section");
            return FALSE;
        }
        section = g_variant_builder_end(d->builders[d->depth]);
        g_variant_builder_unref(d->builders[d->depth]);
        d->builders[d->depth] = NULL;
        g_variant_builder_add(d->builders[d->depth - 1], "{sv}", d->names[d->depth], section);
        g_clear_pointer(&d->names[d->depth], g_free);
        d->depth--;
        return TRUE;
    }
    case NM_L2TP_VICI_KEY_VALUE:
        if (!(name = take_name(c, error)))
            return FALSE;
        if (!(value = take_value(c, error))) {
            g_free(name);
            return FALSE;
        }
        g_variant_builder_add(d->builders[d->depth], "{sv}", name, blob_to_variant(value));
        g_free(name);
        g_bytes_unref(value);
        return TRUE;
    case NM_L2TP_VICI_LIST_START:
        if (!(d->list_name = take_name(c, error)))
            return FALSE;
        d->list_items = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
        return TRUE;
    case NM_L2TP_VICI_LIST_ITEM:
        if (!d->list_items) {
            PROTO_ERROR(error, "VICI LIST_ITEM outside a list");
            return FALSE;
        }
        if (!(value = take_value(c, error)))
            return FALSE;
        g_ptr_array_add(d->list_items, value);
        return TRUE;
    case NM_L2TP_VICI_LIST_END:
        if (!d->list_items) {
            PROTO_ERROR(error, "VICI LIST_END without an open list");
            return FALSE;
        }
        g_variant_builder_add(
            d->builders[d->depth], "{sv}", d->list_name, list_to_variant(d->list_items));
        g_clear_pointer(&d->list_name, g_free);
        g_clear_pointer(&d->list_items, g_ptr_array_unref);
        return TRUE;
    default:
        PROTO_ERROR(error, "unknown VICI element type %u", tp[0]);
        return FALSE;
    }
}

GVariant *
nm_l2tp_vici_message_decode(const guint8 *data, gsize len, GError **error)
{
    Decoder   d = { { 0 } };
    Cursor    c = { data, len };
    GVariant *result;

    g_return_val_if_fail(data || len == 0, NULL);

    d.builders[0] = g_variant_builder_new(G_VARIANT_TYPE_VARDICT);
    while (c.left > 0) {
        if (!decode_element(&d, &c, error)) {
            decoder_clear(&d);
            return NULL;
        }
    }
    if (d.list_items || d.depth > 0) {
        PROTO_ERROR(
            error, "VICI message ends inside an open %s", d.list_items ? "list" : "section");
        decoder_clear(&d);
        return NULL;
    }
    result = g_variant_ref_sink(g_variant_builder_end(d.builders[0]));
    decoder_clear(&d);
    return result;
}

NML2tpViciPacket *
nm_l2tp_vici_packet_decode(const guint8 *data, gsize len, GError **error)
{
    g_autoptr(NML2tpViciPacket) packet = g_new0(NML2tpViciPacket, 1);
    Cursor        c                    = { data, len };
    const guint8 *tp;

    if (!take(&c, 1, &tp, "packet type", error))
        return NULL;
    if (tp[0] > NM_L2TP_VICI_EVENT) {
        PROTO_ERROR(error, "unknown VICI packet type %u", tp[0]);
        return NULL;
    }
    packet->type = tp[0];
    if (nm_l2tp_vici_packet_type_is_named(packet->type) && !(packet->name = take_name(&c, error)))
        return NULL;
    if (nm_l2tp_vici_packet_type_has_message(packet->type)) {
        packet->message = nm_l2tp_vici_message_decode(c.p, c.left, error);
        if (!packet->message)
            return NULL;
    } else if (c.left > 0) {
        PROTO_ERROR(error,
                    "VICI %s packet with %" G_GSIZE_FORMAT " unexpected trailing bytes",
                    nm_l2tp_vici_packet_type_to_string(packet->type),
                    c.left);
        return NULL;
    }
    return g_steal_pointer(&packet);
}

/* ---- stream reassembly ------------------------------------------------- */

struct _NML2tpViciReader {
    GByteArray *buf;
    gboolean    broken;
};

NML2tpViciReader *
nm_l2tp_vici_reader_new(void)
{
    NML2tpViciReader *r = g_new0(NML2tpViciReader, 1);

    r->buf = g_byte_array_new();
    return r;
}

void
nm_l2tp_vici_reader_free(NML2tpViciReader *reader)
{
    if (!reader)
        return;
    g_byte_array_unref(reader->buf);
    g_free(reader);
}

void
nm_l2tp_vici_reader_feed(NML2tpViciReader *reader, const guint8 *data, gsize len)
{
    if (reader->broken || len == 0)
        return;
    g_byte_array_append(reader->buf, data, (guint)len);
}

NML2tpViciPacket *
nm_l2tp_vici_reader_next(NML2tpViciReader *reader, GError **error)
{
    NML2tpViciPacket *packet;
    guint32           len;
    const guint8     *p = reader->buf->data;

    if (reader->broken) {
        PROTO_ERROR(error, "VICI stream already broken");
        return NULL;
    }
    if (reader->buf->len < 4)
        return NULL;
    len = ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
    if (len == 0 || len > NM_L2TP_VICI_MAX_PACKET) {
        reader->broken = TRUE;
        PROTO_ERROR(error, "invalid VICI segment length %u", len);
        return NULL;
    }
    if (reader->buf->len - 4 < len)
        return NULL;
    packet = nm_l2tp_vici_packet_decode(p + 4, len, error);
    /* A malformed packet is framed correctly, so the stream stays usable;
     * the caller decides whether to go on. */
    g_byte_array_remove_range(reader->buf, 0, len + 4);
    return packet;
}

gboolean
nm_l2tp_vici_reader_is_broken(NML2tpViciReader *reader)
{
    return reader->broken;
}

/* ---- accessors ---------------------------------------------------------- */

const char *
nm_l2tp_vici_message_get_string(GVariant *message, const char *key)
{
    g_autoptr(GVariant) v = NULL;

    if (!message)
        return NULL;
    v = g_variant_lookup_value(message, key, G_VARIANT_TYPE_STRING);
    /* The string lives in @message, which the caller holds. */
    return v ? g_variant_get_string(v, NULL) : NULL;
}

GVariant *
nm_l2tp_vici_message_get_section(GVariant *message, const char *key)
{
    if (!message)
        return NULL;
    return g_variant_lookup_value(message, key, G_VARIANT_TYPE_VARDICT);
}
