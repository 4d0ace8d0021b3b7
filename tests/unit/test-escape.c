/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nm_l2tp_escape_text(): what a terminal, a label or a report shows of
 * text from profiles, servers and logs. */
#include "config.h"

#include "nm-l2tp-escape.h"

static void
check(const char *in, gssize len, NML2tpEscapeFlags flags, const char *expected)
{
    g_autofree char *out   = nm_l2tp_escape_text(in, len, flags);
    g_autofree char *again = nm_l2tp_escape_text(out, -1, flags);

    g_assert_cmpstr(out, ==, expected);
    g_assert_true(g_utf8_validate(out, -1, NULL));
    /* Idempotent: escaping what was escaped changes nothing. */
    g_assert_cmpstr(again, ==, out);
    g_assert_false(nm_l2tp_text_needs_escape(out, -1, flags));
    g_assert_cmpint(nm_l2tp_text_needs_escape(in, len, flags), ==, g_strcmp0(in, out) != 0);
}

static void
test_controls(void)
{
    check("plain text, ünïcödé, 日本語", -1, 0, "plain text, ünïcödé, 日本語");
    check("a\x1b[2Jb", -1, 0, "a\\x1b[2Jb");
    check("bell\x07", -1, 0, "bell\\x07");
    check("del\x7f", -1, 0, "del\\x7f");
    check("line\nbreak\r\ttab", -1, 0, "line\\nbreak\\r\\ttab");
    check("nul\0after", 9, 0, "nul\\x00after");
    /* C1 controls, as characters. */
    check("csi\xc2\x9b"
          "31m nel\xc2\x85",
          -1,
          0,
          "csi\\u009b31m nel\\u0085");
    /* Backslashes stay: DOMAIN\user reads as it is. */
    check("CORP\\alice", -1, 0, "CORP\\alice");
}

static void
test_bidi(void)
{
    check("\xe2\x80\xae"
          "gnp.exe",
          -1,
          0,
          "\\u202egnp.exe");
    check("\xe2\x81\xa6x\xe2\x81\xa9 \xe2\x80\x8f \xd8\x9c \xe2\x80\xa8",
          -1,
          0,
          "\\u2066x\\u2069 \\u200f \\u061c \\u2028");
}

static void
test_invalid_utf8(void)
{
    check("bad\xff\xfe end", -1, 0, "bad\\xff\\xfe end");
    /* A truncated sequence, then valid text again. */
    check("cut\xe2\x80 ok \xc3\xa9", -1, 0, "cut\\xe2\\x80 ok é");
}

static void
test_keep_newlines(void)
{
    check("one\n\ttwo\x1b[0m\n", -1, NM_L2TP_ESCAPE_KEEP_NEWLINES, "one\n\ttwo\\x1b[0m\n");
    check("cr\r\n", -1, NM_L2TP_ESCAPE_KEEP_NEWLINES, "cr\\r\n");
    g_assert_null(nm_l2tp_escape_text(NULL, -1, 0));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/escape/controls", test_controls);
    g_test_add_func("/escape/bidi", test_bidi);
    g_test_add_func("/escape/invalid-utf8", test_invalid_utf8);
    g_test_add_func("/escape/keep-newlines", test_keep_newlines);
    return g_test_run();
}
