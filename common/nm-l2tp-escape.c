/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "nm-l2tp-escape.h"

#include <string.h>

static gboolean
is_shown_escaped(gunichar c)
{
    return (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f
           || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* Appends the escaped form of the character at @p (at most @left bytes)
 * to @out, or when @out is NULL only says whether it needs one.  Returns
 * the bytes consumed. */
static gsize
escape_one(GString *out, const char *p, gsize left, NML2tpEscapeFlags flags, gboolean *changed)
{
    guchar   b = (guchar)*p;
    gunichar c;
    gsize    n;

    if (b < 0x20 || b == 0x7f) {
        gboolean keep = (flags & NM_L2TP_ESCAPE_KEEP_NEWLINES) && (b == '\n' || b == '\t');

        if (keep) {
            if (out)
                g_string_append_c(out, (char)b);
            return 1;
        }
        *changed = TRUE;
        if (!out)
            return 1;
        if (b == '\n')
            g_string_append(out, "\\n");
        else if (b == '\r')
            g_string_append(out, "\\r");
        else if (b == '\t')
            g_string_append(out, "\\t");
        else
            g_string_append_printf(out, "\\x%02x", b);
        return 1;
    }
    if (b < 0x80) {
        if (out)
            g_string_append_c(out, (char)b);
        return 1;
    }
    c = g_utf8_get_char_validated(p, left);
    if (c == (gunichar)-1 || c == (gunichar)-2) {
        /* One byte at a time: what follows may be valid again. */
        *changed = TRUE;
        if (out)
            g_string_append_printf(out, "\\x%02x", b);
        return 1;
    }
    n = g_utf8_next_char(p) - p;
    if (is_shown_escaped(c)) {
        *changed = TRUE;
        if (out)
            g_string_append_printf(out, "\\u%04x", c);
        return n;
    }
    if (out)
        g_string_append_len(out, p, n);
    return n;
}

char *
nm_l2tp_escape_text(const char *text, gssize len, NML2tpEscapeFlags flags)
{
    GString *out;
    gsize    i = 0;
    gsize    total;
    gboolean changed = FALSE;

    if (!text)
        return NULL;
    total = len < 0 ? strlen(text) : (gsize)len;
    out   = g_string_sized_new(total + 1);
    while (i < total)
        i += escape_one(out, text + i, total - i, flags, &changed);
    return g_string_free(out, FALSE);
}

gboolean
nm_l2tp_text_needs_escape(const char *text, gssize len, NML2tpEscapeFlags flags)
{
    gsize    i = 0;
    gsize    total;
    gboolean changed = FALSE;

    if (!text)
        return FALSE;
    total = len < 0 ? strlen(text) : (gsize)len;
    while (i < total && !changed)
        i += escape_one(NULL, text + i, total - i, flags, &changed);
    return changed;
}
