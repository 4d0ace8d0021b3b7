/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Replays inputs through a libFuzzer target without libFuzzer: every file
 * named on the command line, or every file in a directory named there, is
 * passed to LLVMFuzzerTestOneInput() once.  Non-fuzzing builds link the
 * targets with this main() so that the seed corpus and any crash
 * reproducer run as a plain test (also under ASan/UBSan). */

#include <glib.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

static void
run_file(const char *path, guint *count)
{
    g_autofree char *data = NULL;
    gsize            len;

    if (!g_file_get_contents(path, &data, &len, NULL)) {
        fprintf(stderr, "cannot read %s\n", path);
        return;
    }
    LLVMFuzzerTestOneInput((const guint8 *)data, len);
    (*count)++;
}

int
main(int argc, char **argv)
{
    guint count = 0;
    int   i;

    for (i = 1; i < argc; i++) {
        if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
            g_autoptr(GDir) dir = g_dir_open(argv[i], 0, NULL);
            const char *name;

            while (dir && (name = g_dir_read_name(dir))) {
                g_autofree char *path = g_build_filename(argv[i], name, NULL);

                if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
                    run_file(path, &count);
            }
        } else {
            run_file(argv[i], &count);
        }
    }
    printf("replayed %u inputs\n", count);
    return count > 0 ? 0 : 1;
}
