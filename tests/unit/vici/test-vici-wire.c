/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VICI codec: the protocol document's example byte for byte, round
 * trips, and one test per class of malformed input. */

#include "config.h"

#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-vici-wire.h"

/* The encoding example of strongSwan's vici README. */
static const guint8 readme_example[] = {
    3,   4,   'k', 'e', 'y', '1', 0,   6,   'v', 'a', 'l', 'u', 'e', '1', 1,   8,
    's', 'e', 'c', 't', 'i', 'o', 'n', '1', 1,   11,  's', 'u', 'b', '-', 's', 'e',
    'c', 't', 'i', 'o', 'n', 3,   4,   'k', 'e', 'y', '2', 0,   6,   'v', 'a', 'l',
    'u', 'e', '2', 2,   4,   5,   'l', 'i', 's', 't', '1', 5,   0,   5,   'i', 't',
    'e', 'm', '1', 5,   0,   5,   'i', 't', 'e', 'm', '2', 6,   2,
};

static GVariant *
parse(const char *text)
{
    g_autoptr(GError) error = NULL;
    GVariant *v             = g_variant_parse(G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

    g_assert_no_error(error);
    return g_variant_ref_sink(v);
}

static void
test_readme_example(void)
{
    g_autoptr(GVariant) tree =
        parse("{'key1': <'value1'>, 'section1': <{'sub-section': <{'key2': <'value2'>}>,"
              " 'list1': <['item1', 'item2']>}>}");
    g_autoptr(GError) error  = NULL;
    g_autoptr(GBytes) out    = nm_l2tp_vici_message_encode(tree, &error);
    g_autoptr(GVariant) back = NULL;

    g_assert_no_error(error);
    g_assert_cmpmem(
        g_bytes_get_data(out, NULL), g_bytes_get_size(out), readme_example, sizeof readme_example);

    back = nm_l2tp_vici_message_decode(readme_example, sizeof readme_example, &error);
    g_assert_no_error(error);
    g_assert_true(g_variant_equal(back, tree));
}

static void
roundtrip(GVariant *tree)
{
    g_autoptr(GError) error  = NULL;
    g_autoptr(GBytes) out    = nm_l2tp_vici_message_encode(tree, &error);
    g_autoptr(GVariant) back = NULL;

    g_assert_no_error(error);
    back = nm_l2tp_vici_message_decode(g_bytes_get_data(out, NULL), g_bytes_get_size(out), &error);
    g_assert_no_error(error);
    if (!g_variant_equal(back, tree)) {
        g_autofree char *a = g_variant_print(tree, TRUE);
        g_autofree char *b = g_variant_print(back, TRUE);

        g_error("round trip changed %s into %s", a, b);
    }
}

static void
test_roundtrip(void)
{
    g_autoptr(GVariant) empty = parse("@a{sv} {}");
    g_autoptr(GVariant) tree  = NULL;
    g_autoptr(GVariant) blobs = NULL;
    GVariantBuilder     b;
    g_autofree char    *long_value = g_strnfill(G_MAXUINT16, 'x');
    g_autofree char    *long_name  = g_strnfill(G_MAXUINT8, 'n');
    static const guint8 binary[]   = { 0x00, 0xff, 0xfe, 0x80, 'a' };

    roundtrip(empty);
    tree = parse("{'c1': <{'version': <'1'>, 'remote_addrs': <['192.0.2.1']>, 'empty': <@as []>,"
                 " 'no-items': <@a{sv} {}>, 'local': <{'auth': <'psk'>, 'id': <'grüße'>}>,"
                 " 'children': <{'c1': <{'esp_proposals': <['aes256-sha256', 'aes128-sha1']>,"
                 " 'a': <{'b': <{'c': <{'d': <''>}>}>}>}>}>}>, 'last': <'x'>}");
    roundtrip(tree);

    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&b, "{sv}", long_name, g_variant_new_string(long_value));
    g_variant_builder_add(&b,
                          "{sv}",
                          "data",
                          g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, binary, sizeof binary, 1));
    blobs = g_variant_ref_sink(g_variant_builder_end(&b));
    roundtrip(blobs);
}

/* Non-UTF-8 values come back as "ay", lists with such items as "aay";
 * "s" wrapped in an extra "v" is accepted by the encoder. */
static void
test_types(void)
{
    static const guint8 msg[] = {
        3, 1, 'k', 0, 2, 0xff, 0xfe,                   /* k = binary */
        4, 1, 'l', 5, 0, 1,    'a',  5, 0, 1, 0x80, 6, /* l = [a, binary] */
        3, 1, 'z', 0, 2, 'a',  0,                      /* embedded NUL */
    };
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) v   = nm_l2tp_vici_message_decode(msg, sizeof msg, &error);
    g_autoptr(GVariant) k = NULL, l = NULL, z = NULL;
    g_autoptr(GBytes) out = NULL;
    GVariantBuilder b;
    g_autoptr(GVariant) wrapped = NULL;

    g_assert_no_error(error);
    k = g_variant_lookup_value(v, "k", NULL);
    l = g_variant_lookup_value(v, "l", NULL);
    z = g_variant_lookup_value(v, "z", NULL);
    g_assert_cmpstr(g_variant_get_type_string(k), ==, "ay");
    g_assert_cmpstr(g_variant_get_type_string(l), ==, "aay");
    g_assert_cmpstr(g_variant_get_type_string(z), ==, "ay");
    g_assert_null(nm_l2tp_vici_message_get_string(v, "k"));

    /* and they encode back to the same bytes */
    out = nm_l2tp_vici_message_encode(v, &error);
    g_assert_no_error(error);
    g_assert_cmpmem(g_bytes_get_data(out, NULL), g_bytes_get_size(out), msg, sizeof msg);

    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&b, "{sv}", "w", g_variant_new_variant(g_variant_new_string("x")));
    wrapped = g_variant_ref_sink(g_variant_builder_end(&b));
    g_clear_pointer(&out, g_bytes_unref);
    out = nm_l2tp_vici_message_encode(wrapped, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(g_bytes_get_size(out), ==, 6); /* 3, 1, w, 0, 1, x */
}

static void
expect_encode_error(GVariant *tree)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) out   = nm_l2tp_vici_message_encode(tree, &error);

    g_assert_null(out);
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL);
}

static void
test_encode_errors(void)
{
    g_autofree char *long_name  = g_strnfill(256, 'n');
    g_autofree char *long_value = g_strnfill(65536, 'v');
    GVariantBuilder  b;
    g_autoptr(GVariant) t1 = NULL, t2 = NULL, t3 = NULL, t4 = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) big   = NULL;
    guint i;

    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&b, "{sv}", long_name, g_variant_new_string("x"));
    t1 = g_variant_ref_sink(g_variant_builder_end(&b));
    expect_encode_error(t1);

    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&b, "{sv}", "k", g_variant_new_string(long_value));
    t2 = g_variant_ref_sink(g_variant_builder_end(&b));
    expect_encode_error(t2);

    t3 = parse("{'n': <int32 5>}");
    expect_encode_error(t3);

    /* Eight values of 64 KiB exceed the 512 KiB packet limit. */
    g_free(long_value);
    long_value = g_strnfill(65535, 'v');
    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    for (i = 0; i < 9; i++) {
        char key[8];

        g_snprintf(key, sizeof key, "k%u", i);
        g_variant_builder_add(&b, "{sv}", key, g_variant_new_string(long_value));
    }
    t4  = g_variant_ref_sink(g_variant_builder_end(&b));
    big = nm_l2tp_vici_packet_encode(NM_L2TP_VICI_CMD_REQUEST, "load-conn", t4, &error);
    g_assert_null(big);
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL);
}

typedef struct {
    const char *name;
    guint8      bytes[16];
    gsize       len;
} Bad;

/* Every class of malformed message the decoder must refuse. */
static const Bad bad_messages[] = {
    { "unknown element type 0", { 0 }, 1 },
    { "unknown element type 7", { 7 }, 1 },
    { "unknown element type 255", { 255 }, 1 },
    { "truncated name length", { 3 }, 1 },
    { "truncated name", { 3, 4, 'k', 'e' }, 4 },
    { "truncated value length", { 3, 1, 'k', 0 }, 4 },
    { "truncated value", { 3, 1, 'k', 0, 5, 'a', 'b' }, 7 },
    { "section end without section", { 2 }, 1 },
    { "list end without list", { 6 }, 1 },
    { "list item outside list", { 5, 0, 1, 'a' }, 4 },
    { "key/value inside list", { 4, 1, 'l', 3, 1, 'k', 0, 0, 6 }, 9 },
    { "section inside list", { 4, 1, 'l', 1, 1, 's', 2, 6 }, 8 },
    { "list inside list", { 4, 1, 'l', 4, 1, 'm', 6, 6 }, 8 },
    { "unterminated section", { 1, 1, 's' }, 3 },
    { "unterminated list", { 4, 1, 'l', 5, 0, 0 }, 6 },
    { "truncated list item", { 4, 1, 'l', 5, 0 }, 5 },
    { "name not UTF-8", { 3, 1, 0xff, 0, 0 }, 5 },
    { "name with NUL", { 3, 2, 'a', 0, 0, 0 }, 6 },
    { "section name truncated", { 1, 9, 's' }, 3 },
};

static void
test_decode_errors(void)
{
    guint i;

    for (i = 0; i < G_N_ELEMENTS(bad_messages); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) v =
            nm_l2tp_vici_message_decode(bad_messages[i].bytes, bad_messages[i].len, &error);

        g_test_message("%s", bad_messages[i].name);
        g_assert_null(v);
        g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL);
    }
}

static void
test_depth_limit(void)
{
    g_autoptr(GByteArray) msg  = g_byte_array_new();
    g_autoptr(GError) error    = NULL;
    g_autoptr(GVariant) ok     = NULL;
    g_autoptr(GVariant) bad    = NULL;
    static const guint8 open[] = { 1, 1, 's' };
    static const guint8 close  = 2;
    guint               i;

    /* exactly the limit: fine */
    for (i = 0; i < NM_L2TP_VICI_MAX_DEPTH; i++)
        g_byte_array_append(msg, open, sizeof open);
    for (i = 0; i < NM_L2TP_VICI_MAX_DEPTH; i++)
        g_byte_array_append(msg, &close, 1);
    ok = nm_l2tp_vici_message_decode(msg->data, msg->len, &error);
    g_assert_no_error(error);
    g_assert_nonnull(ok);

    /* one more: refused, and 100000 levels do not blow the stack */
    g_byte_array_set_size(msg, 0);
    for (i = 0; i < 100000; i++)
        g_byte_array_append(msg, open, sizeof open);
    bad = nm_l2tp_vici_message_decode(msg->data, msg->len, &error);
    g_assert_null(bad);
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL);
}

static void
test_packets(void)
{
    static const guint8 confirm[]       = { 5 };
    static const guint8 confirm_extra[] = { 5, 1 };
    static const guint8 unknown_type[]  = { 8 };
    static const guint8 event_no_name[] = { 7 };
    static const guint8 event[]         = { 7, 3, 'l', 'o', 'g', 3, 1, 'k', 0, 1, 'v' };
    static const guint8 response_bad[]  = { 1, 2 };
    struct {
        const guint8 *data;
        gsize         len;
        gboolean      ok;
    } cases[] = {
        { confirm, sizeof confirm, TRUE },
        { confirm_extra, sizeof confirm_extra, FALSE },
        { unknown_type, sizeof unknown_type, FALSE },
        { event_no_name, sizeof event_no_name, FALSE },
        { event, sizeof event, TRUE },
        { response_bad, sizeof response_bad, FALSE },
        { confirm, 0, FALSE },
    };
    guint i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(NML2tpViciPacket) packet =
            nm_l2tp_vici_packet_decode(cases[i].data, cases[i].len, &error);

        if (cases[i].ok) {
            g_assert_no_error(error);
            g_assert_nonnull(packet);
        } else {
            g_assert_null(packet);
            g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL);
        }
    }
}

/* Packets split at every possible point, and several in one piece. */
static void
test_reader(void)
{
    g_autoptr(GVariant) msg = parse("{'success': <'yes'>, 'list': <['a', 'b']>}");
    g_autoptr(GBytes) p1 = nm_l2tp_vici_packet_encode(NM_L2TP_VICI_CMD_RESPONSE, NULL, msg, NULL);
    g_autoptr(GBytes) p2 = nm_l2tp_vici_packet_encode(NM_L2TP_VICI_EVENT, "control-log", msg, NULL);
    g_autoptr(GByteArray) all = g_byte_array_new();
    gsize         len1, len2, split;
    const guint8 *d1 = g_bytes_get_data(p1, &len1);
    const guint8 *d2 = g_bytes_get_data(p2, &len2);

    g_byte_array_append(all, d1, len1);
    g_byte_array_append(all, d2, len2);
    for (split = 0; split <= all->len; split++) {
        g_autoptr(NML2tpViciReader) r = nm_l2tp_vici_reader_new();
        g_autoptr(GError) error       = NULL;
        GPtrArray *got = g_ptr_array_new_with_free_func((GDestroyNotify)nm_l2tp_vici_packet_free);
        NML2tpViciPacket *p;

        nm_l2tp_vici_reader_feed(r, all->data, split);
        while ((p = nm_l2tp_vici_reader_next(r, &error)))
            g_ptr_array_add(got, p);
        g_assert_no_error(error);
        nm_l2tp_vici_reader_feed(r, all->data + split, all->len - split);
        while ((p = nm_l2tp_vici_reader_next(r, &error)))
            g_ptr_array_add(got, p);
        g_assert_no_error(error);
        g_assert_cmpuint(got->len, ==, 2);
        g_assert_cmpint(((NML2tpViciPacket *)got->pdata[0])->type, ==, NM_L2TP_VICI_CMD_RESPONSE);
        g_assert_cmpstr(((NML2tpViciPacket *)got->pdata[1])->name, ==, "control-log");
        g_assert_true(g_variant_equal(((NML2tpViciPacket *)got->pdata[1])->message, msg));
        g_ptr_array_unref(got);
    }
}

static void
test_reader_framing_errors(void)
{
    static const guint8 zero[]    = { 0, 0, 0, 0, 5 };
    static const guint8 huge[]    = { 0, 8, 0, 1, 5 };
    static const guint8 garbage[] = { 0, 0, 0, 2, 1, 9, 0, 0, 0, 1, 5 };
    const guint8       *inputs[]  = { zero, huge };
    guint               i;

    for (i = 0; i < G_N_ELEMENTS(inputs); i++) {
        g_autoptr(NML2tpViciReader) r = nm_l2tp_vici_reader_new();
        g_autoptr(GError) error       = NULL;
        g_autoptr(GError) error2      = NULL;

        nm_l2tp_vici_reader_feed(r, inputs[i], 5);
        g_assert_null(nm_l2tp_vici_reader_next(r, &error));
        g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL);
        /* poisoned: stays broken */
        g_assert_null(nm_l2tp_vici_reader_next(r, &error2));
        g_assert_error(error2, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL);
    }

    /* a malformed packet inside a good frame: error, then the next one */
    {
        g_autoptr(NML2tpViciReader) r      = nm_l2tp_vici_reader_new();
        g_autoptr(GError) error            = NULL;
        g_autoptr(NML2tpViciPacket) packet = NULL;

        nm_l2tp_vici_reader_feed(r, garbage, sizeof garbage);
        g_assert_null(nm_l2tp_vici_reader_next(r, &error));
        g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL);
        g_clear_error(&error);
        packet = nm_l2tp_vici_reader_next(r, &error);
        g_assert_no_error(error);
        g_assert_nonnull(packet);
        g_assert_cmpint(packet->type, ==, NM_L2TP_VICI_EVENT_CONFIRM);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vici/wire/readme-example", test_readme_example);
    g_test_add_func("/vici/wire/roundtrip", test_roundtrip);
    g_test_add_func("/vici/wire/types", test_types);
    g_test_add_func("/vici/wire/encode-errors", test_encode_errors);
    g_test_add_func("/vici/wire/decode-errors", test_decode_errors);
    g_test_add_func("/vici/wire/depth-limit", test_depth_limit);
    g_test_add_func("/vici/wire/packets", test_packets);
    g_test_add_func("/vici/wire/reader", test_reader);
    g_test_add_func("/vici/wire/reader-framing-errors", test_reader_framing_errors);
    return g_test_run();
}
