/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_VICI_WIRE_H
#define NM_L2TP_VICI_WIRE_H

#include <glib.h>

/* The VICI wire format (strongSwan's src/libcharon/plugins/vici/README.md):
 *
 *   transport: u32 big-endian length, then that many bytes (a packet);
 *   packet:    u8 type, for named types u8 name length + name, then for
 *              types carrying one a message;
 *   message:   a sequence of elements, each u8 type, then for SECTION_START,
 *              KEY_VALUE and LIST_START a u8-length name, and for KEY_VALUE
 *              and LIST_ITEM a u16 big-endian-length value.
 *
 * A message is represented as a GVariant of type a{sv}, insertion-ordered,
 * whose values are "s" (key = value, valid UTF-8 without NUL) or "ay" (any
 * other blob), "as" (a list; "aay" when an item is not valid UTF-8) and
 * "a{sv}" (a sub-section).  The encoder accepts exactly these types; the
 * decoder produces them.  Nothing here does I/O, so the decoder can be
 * fuzzed and unit-tested on plain byte arrays.
 *
 * Requests carry secrets (load-shared's pre-shared key, load-key's private
 * key), so no encoding leaves a copy of them in freed memory: the encoder's
 * buffer is wiped whenever it grows into a new one, and the encoded bytes
 * it returns are wiped when the last reference goes.  A secret value
 * itself is made with nm_l2tp_wiped_bytestring_new() (nm-l2tp-wiped.h),
 * whose bytes are wiped when the request is freed. */

typedef enum {
    NM_L2TP_VICI_CMD_REQUEST      = 0,
    NM_L2TP_VICI_CMD_RESPONSE     = 1,
    NM_L2TP_VICI_CMD_UNKNOWN      = 2,
    NM_L2TP_VICI_EVENT_REGISTER   = 3,
    NM_L2TP_VICI_EVENT_UNREGISTER = 4,
    NM_L2TP_VICI_EVENT_CONFIRM    = 5,
    NM_L2TP_VICI_EVENT_UNKNOWN    = 6,
    NM_L2TP_VICI_EVENT            = 7,
} NML2tpViciPacketType;

typedef enum {
    NM_L2TP_VICI_SECTION_START = 1,
    NM_L2TP_VICI_SECTION_END   = 2,
    NM_L2TP_VICI_KEY_VALUE     = 3,
    NM_L2TP_VICI_LIST_START    = 4,
    NM_L2TP_VICI_LIST_ITEM     = 5,
    NM_L2TP_VICI_LIST_END      = 6,
} NML2tpViciElementType;

/* charon refuses segments above 512 KiB; so do we, in both directions. */
#define NM_L2TP_VICI_MAX_PACKET (512u * 1024u)
/* Sections nest; a peer could send a million SECTION_STARTs.  charon's own
 * messages never go deeper than a handful of levels. */
#define NM_L2TP_VICI_MAX_DEPTH 32

typedef struct {
    NML2tpViciPacketType type;
    char                *name;    /* NULL for unnamed packet types */
    GVariant            *message; /* NULL for types without a message */
} NML2tpViciPacket;

void nm_l2tp_vici_packet_free(NML2tpViciPacket *packet);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpViciPacket, nm_l2tp_vici_packet_free)

gboolean    nm_l2tp_vici_packet_type_is_named(NML2tpViciPacketType type);
gboolean    nm_l2tp_vici_packet_type_has_message(NML2tpViciPacketType type);
const char *nm_l2tp_vici_packet_type_to_string(NML2tpViciPacketType type);

/* The elements of @message (a{sv}, see above), wiped when freed. */
GBytes *nm_l2tp_vici_message_encode(GVariant *message, GError **error);

/* Decodes a whole message; returns a floating-free (full) reference. */
GVariant *nm_l2tp_vici_message_decode(const guint8 *data, gsize len, GError **error);

/* A complete transport segment: length prefix, type, name, message;
 * wiped when freed.  @message may be NULL for an empty message. */
GBytes *nm_l2tp_vici_packet_encode(NML2tpViciPacketType type,
                                   const char          *name,
                                   GVariant            *message,
                                   GError             **error);

/* Decodes one packet, without its length prefix. */
NML2tpViciPacket *nm_l2tp_vici_packet_decode(const guint8 *data, gsize len, GError **error);

/* Reassembles packets from a byte stream that arrives in arbitrary pieces.
 * Feed what was read, then take packets until _next() returns NULL.  A
 * framing error (length 0 or above the maximum) poisons the reader: the
 * stream cannot be resynchronised. */
typedef struct _NML2tpViciReader NML2tpViciReader;

NML2tpViciReader *nm_l2tp_vici_reader_new(void);
void              nm_l2tp_vici_reader_free(NML2tpViciReader *reader);
void              nm_l2tp_vici_reader_feed(NML2tpViciReader *reader, const guint8 *data, gsize len);
/* Returns the next complete packet, or NULL with @error unset when more
 * bytes are needed, or NULL with @error set when the stream is broken. */
NML2tpViciPacket *nm_l2tp_vici_reader_next(NML2tpViciReader *reader, GError **error);
/* TRUE after a framing error: no packet will ever come out again. */
gboolean nm_l2tp_vici_reader_is_broken(NML2tpViciReader *reader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpViciReader, nm_l2tp_vici_reader_free)

/* Convenience accessors for decoded messages: a key's value as a string
 * (NULL when absent or not a string) and as a section. */
const char *nm_l2tp_vici_message_get_string(GVariant *message, const char *key);
GVariant   *nm_l2tp_vici_message_get_section(GVariant *message, const char *key);

#endif /* NM_L2TP_VICI_WIRE_H */
