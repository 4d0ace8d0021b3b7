/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fills the key sections of nm-settings-l2tp(5) from the key table, so the
 * manual documents exactly the keys the service accepts.
 * Usage: nm-l2tp-gen-man TEMPLATE OUTPUT */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nm-l2tp-keys.h"

/* troff treats a leading '.' or '\'' as a request and '\' as an escape.  A
 * comma gets an invisible break point (\:) after it: a default proposal list
 * is one long word that troff could not otherwise fit on a line. */
static void
append_roff(GString *out, const char *text)
{
    const char *p;

    if (text[0] == '.' || text[0] == '\'')
        g_string_append(out, "\\&");
    for (p = text; *p; p++) {
        if (*p == '\\')
            g_string_append(out, "\\e");
        else if (*p == '-')
            g_string_append(out, "\\-");
        else if (*p == ',')
            g_string_append(out, ",\\:");
        else
            g_string_append_c(out, *p);
    }
}

static void
append_key(GString *out, const NML2tpKeyInfo *ki)
{
    g_string_append(out, ".TP\n.B ");
    append_roff(out, ki->name);
    g_string_append(out, "\n");
    g_string_append(out, "Type: ");
    if (ki->type == NM_L2TP_KEY_TYPE_ENUM) {
        g_autofree char *values = g_strjoinv("|", (char **)ki->enum_values);
        append_roff(out, values);
    } else {
        append_roff(out, nm_l2tp_key_type_to_string(ki->type));
    }
    if (ki->type == NM_L2TP_KEY_TYPE_INT || ki->type == NM_L2TP_KEY_TYPE_FLAGS)
        g_string_append_printf(
            out, ", %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, ki->min, ki->max);
    if (ki->unit) {
        g_string_append(out, " ");
        append_roff(out, ki->unit);
    }
    if (ki->default_value) {
        g_string_append(out, "; default: ");
        append_roff(out, ki->default_value);
    }
    if (ki->flags & NM_L2TP_KEY_FLAG_NEW)
        g_string_append(out, "; new in this plugin");
    g_string_append(out, ".\n.br\n");
    append_roff(out, ki->doc);
    g_string_append(out, "\n");
}

int
main(int argc, char **argv)
{
    const NML2tpKeyInfo *table;
    guint                n, i;
    g_autofree char *template  = NULL;
    g_autoptr(GString) data    = g_string_new(NULL);
    g_autoptr(GString) secrets = g_string_new(NULL);
    g_autoptr(GString) page    = NULL;
    g_autoptr(GError) error    = NULL;

    if (argc != 3) {
        g_printerr("usage: %s TEMPLATE OUTPUT\n", argv[0]);
        return 2;
    }
    if (!g_file_get_contents(argv[1], &template, NULL, &error)) {
        g_printerr("%s\n", error->message);
        return 1;
    }
    table = nm_l2tp_keys_get_table(&n);
    for (i = 0; i < n; i++)
        append_key(table[i].flags & NM_L2TP_KEY_FLAG_SECRET ? secrets : data, &table[i]);

    page = g_string_new(template);
    if (g_string_replace(page, "@DATA_KEYS@\n", data->str, 1) != 1
        || g_string_replace(page, "@SECRET_KEYS@\n", secrets->str, 1) != 1) {
        g_printerr("template lacks @DATA_KEYS@ or @SECRET_KEYS@\n");
        return 1;
    }
    if (!g_file_set_contents(argv[2], page->str, page->len, &error)) {
        g_printerr("%s\n", error->message);
        return 1;
    }
    return 0;
}
