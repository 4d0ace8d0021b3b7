/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the VICI decoder: bytes from charon's socket must
 * never crash us, and what decodes must encode back to the same bytes.
 *
 * Input: the first byte chooses the mode.  Even: the rest is one message.
 * Odd: the rest is a stream of packets fed to the reassembling reader in
 * pieces of (byte >> 1) + 1 bytes, as a socket might deliver them.
 * Seeds: tests/fuzz/corpus/vici/.  Non-fuzzing builds link this with
 * fuzz-import-replay.c's main() and replay the seeds as a test. */

#include "config.h"

#include <string.h>

#include "nm-l2tp-vici-wire.h"

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static void
fuzz_message(const guint8 *data, size_t size)
{
    g_autoptr(GVariant) msg = nm_l2tp_vici_message_decode(data, size, NULL);
    g_autoptr(GBytes) out   = NULL;

    if (!msg)
        return;
    /* Decoding is lossless: the same bytes come back. */
    out = nm_l2tp_vici_message_encode(msg, NULL);
    if (!out)
        g_error("decoded message does not encode");
    if (g_bytes_get_size(out) != size
        || (size > 0 && memcmp(g_bytes_get_data(out, NULL), data, size) != 0))
        g_error("round trip changed the message");
}

static void
fuzz_stream(const guint8 *data, size_t size, size_t chunk)
{
    g_autoptr(NML2tpViciReader) reader = nm_l2tp_vici_reader_new();
    size_t off;

    for (off = 0; off < size; off += chunk) {
        size_t n = MIN(chunk, size - off);

        nm_l2tp_vici_reader_feed(reader, data + off, n);
        for (;;) {
            g_autoptr(GError) error            = NULL;
            g_autoptr(NML2tpViciPacket) packet = nm_l2tp_vici_reader_next(reader, &error);

            if (!packet && !error)
                break; /* needs more bytes */
            if (!packet && nm_l2tp_vici_reader_is_broken(reader))
                return; /* framing lost: nothing more can come */
            if (!packet)
                continue; /* a malformed packet, skipped; the next may be fine */
            if (nm_l2tp_vici_packet_type_has_message(packet->type) && !packet->message)
                g_error("packet without its message");
        }
    }
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
    if (size == 0)
        return 0;
    if ((data[0] & 1) == 0)
        fuzz_message(data + 1, size - 1);
    else
        fuzz_stream(data + 1, size - 1, (data[0] >> 1) + 1);
    return 0;
}
