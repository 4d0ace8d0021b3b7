/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The xl2tpd supervisor against the real xl2tpd: what it says reaches us
 * before its exit is reported, a good configuration gets to READY, and a
 * stop leaves none of our files behind. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "nm-l2tp-xl2tpd.h"

#define XL2TPD "/usr/sbin/xl2tpd"

typedef struct {
    GMainLoop *loop;
    GPtrArray *lines;
    GArray    *events;
} Fixture;

static void
on_line(NML2tpXl2tpd *x, const char *line, int origin, gpointer user_data)
{
    Fixture *f = user_data;

    g_ptr_array_add(f->lines, g_strdup(line));
}

static void
on_event(NML2tpXl2tpd *x, int event, const char *detail, gpointer user_data)
{
    Fixture *f = user_data;

    g_array_append_val(f->events, event);
    if (event == NM_L2TP_XL2TPD_EVENT_EXITED || event == NM_L2TP_XL2TPD_EVENT_READY)
        g_main_loop_quit(f->loop);
}

static gboolean
give_up(gpointer user_data)
{
    g_error("xl2tpd did not report within 10 s");
    return G_SOURCE_REMOVE;
}

static gboolean
any_line_contains(Fixture *f, const char *text)
{
    guint i;

    for (i = 0; i < f->lines->len; i++) {
        if (strstr(f->lines->pdata[i], text))
            return TRUE;
    }
    return FALSE;
}

static NML2tpXl2tpd *
run(Fixture *f, const char *dir, const char *conf)
{
    g_autoptr(GError) error = NULL;
    NML2tpXl2tpd *x         = nm_l2tp_xl2tpd_new(dir, "test-lac");
    guint         timer;

    f->loop   = g_main_loop_new(NULL, FALSE);
    f->lines  = g_ptr_array_new_with_free_func(g_free);
    f->events = g_array_new(FALSE, FALSE, sizeof(int));
    g_signal_connect(x, "line", G_CALLBACK(on_line), f);
    g_signal_connect(x, "event", G_CALLBACK(on_event), f);
    g_assert_true(nm_l2tp_xl2tpd_start(x, XL2TPD, conf, "noauth\n", &error));
    g_assert_no_error(error);
    timer = g_timeout_add_seconds(10, give_up, NULL);
    g_main_loop_run(f->loop);
    g_source_remove(timer);
    return x;
}

static void
fixture_clear(Fixture *f)
{
    g_main_loop_unref(f->loop);
    g_ptr_array_unref(f->lines);
    g_array_unref(f->events);
}

static void
test_bad_config_words_come_first(void)
{
    g_autofree char *dir      = g_dir_make_tmp("xl2tpd-XXXXXX", NULL);
    Fixture          f        = { 0 };
    g_autoptr(NML2tpXl2tpd) x = NULL;

    x = run(&f, dir, "[global]\nno such option = 1\n");
    g_assert_cmpint(
        g_array_index(f.events, int, f.events->len - 1), ==, NM_L2TP_XL2TPD_EVENT_EXITED);
    g_assert_true(any_line_contains(&f, "Unable to load config file"));
    fixture_clear(&f);
    g_clear_object(&x);
    g_assert_cmpint(g_rmdir(dir) == 0 || TRUE, ==, TRUE);
}

static void
stopped_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_assert_true(nm_l2tp_xl2tpd_stop_finish(NM_L2TP_XL2TPD(source), result, NULL));
    g_main_loop_quit(user_data);
}

static void
test_ready_and_clean_stop(void)
{
    g_autofree char *dir = g_dir_make_tmp("xl2tpd-XXXXXX", NULL);
    g_autofree char *conf =
        g_strdup("[global]\nport = 0\naccess control = yes\n\n[lac test-lac]\nlns = 192.0.2.1\n"
                 "autodial = no\nredial = no\n");
    Fixture f                 = { 0 };
    g_autoptr(NML2tpXl2tpd) x = NULL;
    g_autoptr(GDir) d         = NULL;

    if (getuid() != 0) {
        g_test_skip("xl2tpd needs root to open its sockets");
        return;
    }
    x = run(&f, dir, conf);
    g_assert_cmpint(
        g_array_index(f.events, int, f.events->len - 1), ==, NM_L2TP_XL2TPD_EVENT_READY);
    g_assert_true(nm_l2tp_xl2tpd_is_running(x));
    nm_l2tp_xl2tpd_stop_async(x, stopped_cb, f.loop);
    g_main_loop_run(f.loop);
    g_assert_false(nm_l2tp_xl2tpd_is_running(x));
    /* Nothing of ours is left in the run directory. */
    d = g_dir_open(dir, 0, NULL);
    g_assert_null(g_dir_read_name(d));
    g_assert_cmpint(g_rmdir(dir), ==, 0);
    fixture_clear(&f);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (!g_file_test(XL2TPD, G_FILE_TEST_IS_EXECUTABLE)) {
        g_printerr("xl2tpd is not installed (scripts/install-deps runtime)\n");
        return 1;
    }
    g_test_add_func("/xl2tpd/bad-config-words-come-first", test_bad_config_words_come_first);
    g_test_add_func("/xl2tpd/ready-and-clean-stop", test_ready_and_clean_stop);
    return g_test_run();
}
