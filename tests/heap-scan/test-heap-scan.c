/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The test allocator itself (run under it, see meson.build): it must see a
 * pattern in a freed block, in the old block of a realloc(), in GLib's
 * memory, and not in a block that was wiped before it was freed.  Without
 * this, a heap-scan test that finds nothing proves nothing. */
#include <dlfcn.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#define PATTERN "heap-scan-fixture-7Qx"

static unsigned long (*scan_hits)(void);
static unsigned long (*scan_frees)(void);

/* A block holding the pattern in its middle. */
static char *
planted(gsize size)
{
    char *p = g_malloc0(size);

    memcpy(p + size / 2, PATTERN, strlen(PATTERN));
    /* The compiler must not drop the copy as a store into memory that is
     * only freed. */
    __asm__ volatile("" : : "r"(p) : "memory");
    return p;
}

static void
test_free(void)
{
    unsigned long before = scan_hits();

    free(planted(100));
    g_assert_cmpuint(scan_hits(), ==, before + 1);
}

static void
test_wiped(void)
{
    unsigned long before = scan_hits();
    unsigned long frees  = scan_frees();
    char         *p      = planted(100);

    explicit_bzero(p, 100);
    g_free(p);
    g_assert_cmpuint(scan_hits(), ==, before);
    g_assert_cmpuint(scan_frees(), >, frees);
}

/* Growing a block leaves the pattern in the old one, even if the new one
 * is wiped and freed properly. */
static void
test_realloc(void)
{
    unsigned long before = scan_hits();
    char         *p      = planted(64);

    p = g_realloc(p, 4096);
    g_assert_cmpuint(scan_hits(), ==, before + 1);
    explicit_bzero(p, 4096);
    g_free(p);
    g_assert_cmpuint(scan_hits(), ==, before + 1);
}

/* A GByteArray that grows, and a GVariant's copy of a string. */
static void
test_glib(void)
{
    unsigned long before = scan_hits();
    GByteArray   *a      = g_byte_array_new();
    GVariant     *v      = g_variant_ref_sink(g_variant_new_string(PATTERN));

    g_byte_array_append(a, (const guint8 *)PATTERN, strlen(PATTERN));
    for (int i = 0; i < 100; i++)
        g_byte_array_append(a, (const guint8 *)"..........", 10);
    g_assert_cmpuint(scan_hits(), >, before);
    before = scan_hits();
    g_variant_unref(v);
    g_assert_cmpuint(scan_hits(), ==, before + 1);
    explicit_bzero(a->data, a->len);
    g_byte_array_unref(a);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    scan_hits  = (unsigned long (*)(void))dlsym(RTLD_DEFAULT, "nm_l2tp_heap_scan_hits");
    scan_frees = (unsigned long (*)(void))dlsym(RTLD_DEFAULT, "nm_l2tp_heap_scan_frees");
    if (!scan_hits || !scan_frees) {
        g_printerr("Bail out! not running under nm-l2tp-heap-scan.so (LD_PRELOAD)\n");
        return 1;
    }
    g_test_add_func("/heap-scan/free", test_free);
    g_test_add_func("/heap-scan/wiped", test_wiped);
    g_test_add_func("/heap-scan/realloc", test_realloc);
    g_test_add_func("/heap-scan/glib", test_glib);
    return g_test_run();
}
