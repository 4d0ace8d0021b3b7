/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "test-gui-util.h"

#include <string.h>

#include <libintl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#if GTK_CHECK_VERSION(4, 0, 0)
#define TOOLKIT "gtk4"
#else
#define TOOLKIT "gtk3"
#endif

void
test_gtk_init(void)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    if (!gtk_init_check())
        g_error("cannot open a display; run under xvfb-run");
#else
    if (!gtk_init_check(NULL, NULL))
        g_error("cannot open a display; run under xvfb-run");
#endif
}

void
test_pump(guint ms)
{
    gint64 until = g_get_monotonic_time() + (gint64)ms * 1000;

    while (g_get_monotonic_time() < until) {
        while (g_main_context_pending(NULL))
            g_main_context_iteration(NULL, FALSE);
        g_usleep(5000);
    }
}

GtkWidget *
test_window_new(GtkWidget *child)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    GtkWidget *window = gtk_window_new();

    gtk_window_set_child(GTK_WINDOW(window), child);
    gtk_window_set_default_size(GTK_WINDOW(window), 640, -1);
    gtk_window_present(GTK_WINDOW(window));
#else
    GtkWidget *window = gtk_window_new(GTK_WINDOW_TOPLEVEL);

    gtk_container_add(GTK_CONTAINER(window), child);
    gtk_window_set_default_size(GTK_WINDOW(window), 640, -1);
    gtk_widget_show(window);
#endif
    test_pump(100);
    return window;
}

void
test_window_destroy(GtkWidget *window)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    gtk_window_set_child(GTK_WINDOW(window), NULL);
    gtk_window_destroy(GTK_WINDOW(window));
#else
    gtk_container_remove(GTK_CONTAINER(window), gtk_bin_get_child(GTK_BIN(window)));
    gtk_widget_destroy(window);
#endif
    test_pump(20);
}

#if !GTK_CHECK_VERSION(4, 0, 0)
typedef struct {
    const char *name;
    GtkWidget  *found;
} FindData;

static void
find_cb(GtkWidget *widget, gpointer user_data)
{
    FindData *data = user_data;

    if (!data->found)
        data->found = test_find_widget(widget, data->name);
}
#endif

GtkWidget *
test_find_widget(GtkWidget *root, const char *name)
{
    if (g_strcmp0(gtk_widget_get_name(root), name) == 0)
        return root;
#if GTK_CHECK_VERSION(4, 0, 0)
    for (GtkWidget *child = gtk_widget_get_first_child(root); child;
         child            = gtk_widget_get_next_sibling(child)) {
        GtkWidget *found = test_find_widget(child, name);

        if (found)
            return found;
    }
    return NULL;
#else
    {
        FindData data = { name, NULL };

        if (GTK_IS_CONTAINER(root))
            gtk_container_forall(GTK_CONTAINER(root), find_cb, &data);
        return data.found;
    }
#endif
}

#if !GTK_CHECK_VERSION(4, 0, 0)
static void
collect_cb(GtkWidget *widget, gpointer user_data)
{
    test_collect_label_texts(widget, user_data);
}
#endif

void
test_collect_label_texts(GtkWidget *root, GString *out)
{
    if (GTK_IS_LABEL(root)) {
        g_string_append(out, gtk_label_get_text(GTK_LABEL(root)));
        g_string_append_c(out, '\n');
    }
#if GTK_CHECK_VERSION(4, 0, 0)
    for (GtkWidget *child = gtk_widget_get_first_child(root); child;
         child            = gtk_widget_get_next_sibling(child))
        test_collect_label_texts(child, out);
#else
    if (GTK_IS_CONTAINER(root))
        gtk_container_forall(GTK_CONTAINER(root), collect_cb, out);
#endif
}

void
test_assert_shown_escaped(const char *what, const char *text)
{
    /* ESC, the C1 CSI and RIGHT-TO-LEFT OVERRIDE must not be there raw... */
    if (strchr(text, '\x1b') || strstr(text, "\xc2\x9b") || strstr(text, "\xe2\x80\xae"))
        g_error("%s shows a raw control character:\n%s", what, text);
    /* ...but escaped, so that the user sees what was there. */
    if (!strstr(text, "\\x1b") || !strstr(text, "\\u202e"))
        g_error("%s does not show the escaped control characters:\n%s", what, text);
}

void
test_entry_set_text(GtkWidget *entry, const char *text)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    gtk_editable_set_text(GTK_EDITABLE(entry), text);
#else
    gtk_entry_set_text(GTK_ENTRY(entry), text);
#endif
}

const char *
test_entry_get_text(GtkWidget *entry)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    return gtk_editable_get_text(GTK_EDITABLE(entry));
#else
    return gtk_entry_get_text(GTK_ENTRY(entry));
#endif
}

void
test_check_set_active(GtkWidget *check, gboolean active)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    gtk_check_button_set_active(GTK_CHECK_BUTTON(check), active);
#else
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(check), active);
#endif
}

gboolean
test_check_get_active(GtkWidget *check)
{
#if GTK_CHECK_VERSION(4, 0, 0)
    return gtk_check_button_get_active(GTK_CHECK_BUTTON(check));
#else
    return gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(check));
#endif
}

void
test_notebook_show_page(GtkWidget *root, const char *page_name)
{
    GtkWidget *notebook = test_find_widget(root, "editor-notebook");
    GtkWidget *page     = test_find_widget(root, page_name);
    int        num;

    g_assert_nonnull(notebook);
    g_assert_nonnull(page);
    num = gtk_notebook_page_num(GTK_NOTEBOOK(notebook), page);
    g_assert_cmpint(num, >=, 0);
    gtk_notebook_set_current_page(GTK_NOTEBOOK(notebook), num);
    test_pump(150);
}

static char *
screenshot_path(const char *name)
{
    const char      *dir  = g_getenv("NM_L2TP_TEST_SHOTS");
    const char      *lang = g_getenv("NM_L2TP_TEST_LANG");
    g_autofree char *file = NULL;

    if (!dir || !*dir)
        return NULL;
    g_mkdir_with_parents(dir, 0755);
    file = g_strdup_printf("%s-%s%s%s.png", name, TOOLKIT, lang ? "-" : "", lang ? lang : "");
    return g_build_filename(dir, file, NULL);
}

void
test_save_screenshot(GtkWidget *widget, const char *name)
{
    g_autofree char *path = screenshot_path(name);

    if (!path)
        return;
    test_pump(100);
#if GTK_CHECK_VERSION(4, 0, 0)
    {
        GtkWidget *window                 = GTK_WIDGET(gtk_widget_get_native(widget));
        int        w                      = gtk_widget_get_width(window);
        int        h                      = gtk_widget_get_height(window);
        g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new(window);
        GtkSnapshot *snapshot             = gtk_snapshot_new();
        g_autoptr(GskRenderNode) node     = NULL;
        g_autoptr(GdkTexture) texture     = NULL;
        GskRenderer *renderer             = gtk_native_get_renderer(GTK_NATIVE(window));

        gdk_paintable_snapshot(paintable, snapshot, w, h);
        node = gtk_snapshot_free_to_node(snapshot);
        g_assert_nonnull(node);
        texture = gsk_renderer_render_texture(renderer, node, &GRAPHENE_RECT_INIT(0, 0, w, h));
        g_assert_true(gdk_texture_save_to_png(texture, path));
    }
#else
    {
        GtkWidget       *window  = gtk_widget_get_toplevel(widget);
        int              w       = gtk_widget_get_allocated_width(window);
        int              h       = gtk_widget_get_allocated_height(window);
        cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
        cairo_t         *cr      = cairo_create(surface);

        gtk_widget_draw(window, cr);
        cairo_destroy(cr);
        g_assert_cmpint(cairo_surface_write_to_png(surface, path), ==, CAIRO_STATUS_SUCCESS);
        cairo_surface_destroy(surface);
    }
#endif
    g_test_message("screenshot: %s", path);
}

void
test_bind_built_catalog(const char *dir)
{
    const char      *mo   = g_getenv("NM_L2TP_TEST_MO");
    const char      *lang = g_getenv("NM_L2TP_TEST_LANG");
    g_autofree char *root = NULL;
    g_autofree char *msgs = NULL;
    g_autofree char *link = NULL;
    g_autofree char *file = NULL;

    if (!mo || !lang)
        return;
    root = g_build_filename(dir, "locale", NULL);
    msgs = g_build_filename(root, lang, "LC_MESSAGES", NULL);
    file = g_strconcat(GETTEXT_PACKAGE, ".mo", NULL);
    link = g_build_filename(msgs, file, NULL);
    g_assert_cmpint(g_mkdir_with_parents(msgs, 0755), ==, 0);
    g_assert_cmpint(symlink(mo, link), ==, 0);
    bindtextdomain(GETTEXT_PACKAGE, root);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
}

void
test_remove_tree(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    if (!d)
        return;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);

        if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
            test_remove_tree(path);
        else
            g_unlink(path);
    }
    g_rmdir(dir);
}
