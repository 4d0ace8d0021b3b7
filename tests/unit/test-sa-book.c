/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The book of our SAs against charon's event sequences: each file in
 * tests/unit/sa-events holds one sequence ("event NAME MESSAGE" lines, as
 * tests/netns/nm-l2tp-vici-call listen prints them; recorded ones say so
 * in their first line) and what must come of it ("# expect: ..."; for
 * the recorded ones also "# expect-esp: IN/OUT ...": the ESP SAs, by SPI,
 * that the service would delete if charon died then, or "none"). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "nm-l2tp-sa-book.h"

#define CONN "5e0c3c2a-1b7d-4a4e-9a3f-0d1e2f3a4b5c"

typedef struct {
    guint no_child, ike, child, ike_rekeys, child_rekeys;
} Expect;

static void
add_esp(const char *local, const char *remote, guint32 spi_in, guint32 spi_out, gpointer data)
{
    GString *esp = data;

    /* Both ends of the connection are known: the SAs can be deleted. */
    g_assert_cmpstr(local, ==, "192.0.2.2");
    g_assert_cmpstr(remote, ==, "198.51.100.1");
    g_string_append_printf(esp, "%s%08x/%08x", esp->len ? " " : "", spi_in, spi_out);
}

static void
replay(gconstpointer data)
{
    const char      *path        = data;
    g_autofree char *text        = NULL;
    g_auto(GStrv) lines          = NULL;
    g_autoptr(NML2tpSaBook) book = nm_l2tp_sa_book_new(CONN, CONN);
    Expect           want = { 0 }, got = { 0 };
    gboolean         have_expect = FALSE;
    g_autofree char *want_esp    = NULL;
    g_autoptr(GString) got_esp   = g_string_new(NULL);

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        const char *l = lines[i];

        if (g_str_has_prefix(l, "# expect: ")) {
            g_assert_cmpint(sscanf(l,
                                   "# expect: no-child=%u ike=%u child=%u ike-rekeys=%u "
                                   "child-rekeys=%u",
                                   &want.no_child,
                                   &want.ike,
                                   &want.child,
                                   &want.ike_rekeys,
                                   &want.child_rekeys),
                            ==,
                            5);
            have_expect = TRUE;
        } else if (g_str_has_prefix(l, "# expect-esp: ")) {
            want_esp = g_strdup(l + strlen("# expect-esp: "));
        } else if (g_str_has_prefix(l, "event ")) {
            g_autofree char *name   = g_strndup(l + 6, strcspn(l + 6, " "));
            g_autoptr(GError) error = NULL;
            g_autoptr(GVariant) msg =
                g_variant_parse(G_VARIANT_TYPE_VARDICT, l + 7 + strlen(name), NULL, NULL, &error);

            g_assert_no_error(error);
            if (nm_l2tp_sa_book_feed(book, name, msg) == NM_L2TP_SA_BOOK_NO_CHILD)
                got.no_child++;
        }
    }
    g_assert_true(have_expect);
    got.ike          = nm_l2tp_sa_book_ike_count(book);
    got.child        = nm_l2tp_sa_book_child_count(book);
    got.ike_rekeys   = nm_l2tp_sa_book_ike_rekeys(book);
    got.child_rekeys = nm_l2tp_sa_book_child_rekeys(book);
    g_assert_cmpuint(got.no_child, ==, want.no_child);
    g_assert_cmpuint(got.ike, ==, want.ike);
    g_assert_cmpuint(got.child, ==, want.child);
    g_assert_cmpuint(got.ike_rekeys, ==, want.ike_rekeys);
    g_assert_cmpuint(got.child_rekeys, ==, want.child_rekeys);
    if (want_esp) {
        nm_l2tp_sa_book_foreach_esp(book, add_esp, got_esp);
        g_assert_cmpstr(got_esp->len ? got_esp->str : "none", ==, want_esp);
    }
}

static gint
by_name(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
    g_autofree char *dir =
        g_build_filename(g_getenv("NM_L2TP_SRCDIR"), "tests", "unit", "sa-events", NULL);
    g_autoptr(GDir) d          = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    g_test_init(&argc, &argv, NULL);
    d = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(d);
    while ((name = g_dir_read_name(d))) {
        if (g_str_has_suffix(name, ".events"))
            g_ptr_array_add(names, g_strdup(name));
    }
    g_ptr_array_sort(names, by_name);
    for (guint i = 0; i < names->len; i++) {
        char *n    = names->pdata[i];
        char *path = g_build_filename(dir, n, NULL);
        char *test = g_strdup_printf("/sa-book/%.*s", (int)(strlen(n) - 7), n);

        g_test_add_data_func_full(test, path, replay, g_free);
        g_free(test);
    }
    return g_test_run();
}
