/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_ESCAPE_H
#define NM_L2TP_ESCAPE_H

#include <glib.h>

/* Text that came from a profile, a server or a log (a connection's name,
 * pppd's "Remote message", MS-CHAP's M= words, a log line) is shown to
 * people in a terminal, the editor, the auth dialog and a report.  Raw, an
 * escape sequence could rewrite the terminal, and a bidirectional override
 * could make the text read differently from what it is.  Every such text
 * goes through nm_l2tp_escape_text() before it is shown or written:
 *
 *   C0 controls and DEL          \x1b, \x7f (\n, \r and \t as such)
 *   C1 controls (U+0080-U+009F)  \u009b
 *   bidirectional controls       \u202e (U+061C, U+200E, U+200F,
 *                                U+202A-U+202E, U+2066-U+2069) and the
 *                                line and paragraph separators U+2028,
 *                                U+2029
 *   bytes that are not UTF-8     \xff
 *
 * A backslash is left as it is, so the function is idempotent: text
 * escaped twice reads as text escaped once, and a reader may escape what a
 * writer already escaped.  The result is valid UTF-8. */

typedef enum {
    NM_L2TP_ESCAPE_NONE = 0,
    /* Multi-line text (a log): line feeds and tabs stay as they are. */
    NM_L2TP_ESCAPE_KEEP_NEWLINES = 1 << 0,
} NML2tpEscapeFlags;

/* @len < 0: @text is NUL-terminated.  NULL gives NULL. */
char *nm_l2tp_escape_text(const char *text, gssize len, NML2tpEscapeFlags flags);

/* Whether @text would change. */
gboolean nm_l2tp_text_needs_escape(const char *text, gssize len, NML2tpEscapeFlags flags);

#endif /* NM_L2TP_ESCAPE_H */
