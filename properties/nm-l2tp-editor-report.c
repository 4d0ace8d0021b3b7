/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-editor-report.h"

#include <glib/gi18n-lib.h>

#include "nm-l2tp-editor-compat.h"
#include "nm-l2tp-escape.h"
#include "nm-l2tp-report.h"

#define COLOR_PASSED "#26a269"
#define COLOR_FAILED "#c01c28"

/* Every text shown here that came from a report (a stage's detail, the
 * server's words in a message, a stage this build does not know) is
 * shown with its control characters and bidirectional overrides escaped:
 * a label would otherwise display text that reads differently from what
 * it is. */
static GtkWidget *
label_new(const char *name, const char *text, gboolean wrap)
{
    g_autofree char *shown = nm_l2tp_escape_text(text, -1, NM_L2TP_ESCAPE_KEEP_NEWLINES);
    GtkWidget       *label = gtk_label_new(shown);

    if (name)
        gtk_widget_set_name(label, name);
    gtk_label_set_xalign(GTK_LABEL(label), 0.0);
    if (wrap)
        nm_l2tp_label_set_wrap(label);
    gtk_label_set_selectable(GTK_LABEL(label), wrap);
    return label;
}

static GtkWidget *
markup_label_new(const char *name, const char *markup)
{
    GtkWidget *label = label_new(name, NULL, TRUE);

    gtk_label_set_markup(GTK_LABEL(label), markup);
    return label;
}

static char *
format_time(GDateTime *when)
{
    g_autoptr(GDateTime) local = NULL;

    if (!when)
        return NULL;
    local = g_date_time_to_local(when);
    /* TRANSLATORS: date and time of a connection attempt, see strftime(3). */
    return g_date_time_format(local, _("%Y-%m-%d %H:%M:%S"));
}

static char *
summary_text(const NML2tpReport *report)
{
    g_autofree char *when = format_time(report->started);
    g_autofree char *stage =
        report->verdict_stage ?
            nm_l2tp_escape_text(nm_l2tp_report_stage_label(report->verdict_stage), -1, 0) :
            g_strdup(_("an unknown stage"));

    switch (report->outcome) {
    case NM_L2TP_OUTCOME_CONNECTED:
        return when ? g_strdup_printf(_("Connected successfully (%s)."), when) :
                      g_strdup(_("Connected successfully."));
    case NM_L2TP_OUTCOME_FAILED:
        if (nm_l2tp_report_is_lost(report) && nm_l2tp_report_get_connected_for(report) >= 0) {
            g_autofree char *up = nm_l2tp_format_duration(nm_l2tp_report_get_connected_for(report));

            /* TRANSLATORS: first %s is a duration such as "12 min",
             * second the date and time the attempt started. */
            return when ? g_strdup_printf(_("Connected, then lost after %s (%s)."), up, when) :
                          g_strdup_printf(_("Connected, then lost after %s."), up);
        }
        /* TRANSLATORS: first %s is a stage such as "PPP authentication",
         * second the date and time. */
        return when ? g_strdup_printf(_("Failed at %s (%s)."), stage, when) :
                      g_strdup_printf(_("Failed at %s."), stage);
    case NM_L2TP_OUTCOME_CANCELLED:
        /* TRANSLATORS: first %s is a stage such as "IPsec phase 1", second
         * the date and time. */
        return when ? g_strdup_printf(_("Disconnected by the user during %s (%s)."), stage, when) :
                      g_strdup_printf(_("Disconnected by the user during %s."), stage);
    case NM_L2TP_OUTCOME_IN_PROGRESS:
    default:
        return when ? g_strdup_printf(_("In progress since %s."), when) :
                      g_strdup(_("In progress."));
    }
}

static GtkWidget *
state_label_new(const char *stage_id, NML2tpStageState state)
{
    g_autofree char *name   = g_strconcat("report-stage-", stage_id, NULL);
    g_autofree char *markup = NULL;
    GtkWidget       *label;

    switch (state) {
    case NM_L2TP_STAGE_STATE_PASSED:
        markup = g_markup_printf_escaped("<span foreground=\"" COLOR_PASSED "\">✔ %s</span>",
                                         _("Passed"));
        break;
    case NM_L2TP_STAGE_STATE_FAILED:
        markup = g_markup_printf_escaped("<span foreground=\"" COLOR_FAILED "\"><b>✘ %s</b></span>",
                                         _("Failed"));
        break;
    case NM_L2TP_STAGE_STATE_NOT_REACHED:
    default:
        markup = g_markup_printf_escaped("– %s", _("Not reached"));
        break;
    }
    label = label_new(name, NULL, FALSE);
    gtk_label_set_markup(GTK_LABEL(label), markup);
    if (state == NM_L2TP_STAGE_STATE_NOT_REACHED)
        nm_l2tp_widget_add_class(label, "dim-label");
    return label;
}

static void
add_stage_row(GtkGrid *grid, int row, const char *stage_id, const NML2tpReportStage *stage)
{
    NML2tpStageState state = stage ? stage->state : NM_L2TP_STAGE_STATE_NOT_REACHED;
    GtkWidget       *name  = label_new(NULL, nm_l2tp_report_stage_label(stage_id), FALSE);
    GtkWidget       *time;

    if (state == NM_L2TP_STAGE_STATE_NOT_REACHED)
        nm_l2tp_widget_add_class(name, "dim-label");
    gtk_grid_attach(grid, name, 0, row, 1, 1);
    gtk_grid_attach(grid, state_label_new(stage_id, state), 1, row, 1, 1);

    if (stage && stage->seconds >= 0 && state != NM_L2TP_STAGE_STATE_NOT_REACHED) {
        /* TRANSLATORS: when a stage ended, in seconds since the start. */
        g_autofree char *text = g_strdup_printf(_("after %.1f s"), stage->seconds);

        time = label_new(NULL, text, FALSE);
        gtk_label_set_xalign(GTK_LABEL(time), 1.0);
        gtk_grid_attach(grid, time, 2, row, 1, 1);
    }
    if (stage && stage->detail) {
        GtkWidget *detail = label_new(NULL, stage->detail, FALSE);

        nm_l2tp_widget_add_class(detail, "dim-label");
        gtk_grid_attach(grid, detail, 3, row, 1, 1);
    }
}

static GtkWidget *
timeline_new(const NML2tpReport *report)
{
    GtkWidget         *grid = gtk_grid_new();
    const char *const *ids  = nm_l2tp_report_stage_ids();
    int                row  = 0;

    gtk_widget_set_name(grid, "report-timeline");
    gtk_grid_set_row_spacing(GTK_GRID(grid), 4);
    gtk_grid_set_column_spacing(GTK_GRID(grid), 18);
    gtk_widget_set_margin_start(grid, 12);

    for (guint i = 0; ids[i]; i++)
        add_stage_row(GTK_GRID(grid), row++, ids[i], nm_l2tp_report_get_stage(report, ids[i]));
    /* Stages this build does not know yet still get a row. */
    for (guint i = 0; i < report->stages->len; i++) {
        const NML2tpReportStage *stage = report->stages->pdata[i];

        if (!g_strv_contains(ids, stage->id))
            add_stage_row(GTK_GRID(grid), row++, stage->id, stage);
    }
    return grid;
}

static void
add_explanation(GtkWidget *box, const char *name, const char *title, char *phrase)
{
    g_autofree char *owned    = phrase;
    g_autofree char *escaped  = nm_l2tp_escape_text(phrase, -1, NM_L2TP_ESCAPE_NONE);
    g_autofree char *sentence = nm_l2tp_report_to_sentence(escaped);
    g_autofree char *markup   = NULL;

    if (!sentence)
        return;
    markup = g_markup_printf_escaped("<b>%s</b> %s", title, sentence);
    nm_l2tp_box_append(box, markup_label_new(name, markup));
}

static void
fill_content(GtkWidget *box, const char *uuid)
{
    g_autoptr(GError) error        = NULL;
    g_autoptr(NML2tpReport) report = NULL;
    g_autofree char *summary       = NULL;

    nm_l2tp_box_clear(box);

    report = uuid ? nm_l2tp_report_load(NULL, uuid, &error) : NULL;
    if (!report) {
        const char *text;

        if (!uuid || g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            text = _("No connection attempt has been recorded since the computer started.");
        else
            text = error->message;
        nm_l2tp_box_append(box, label_new("report-summary", text, TRUE));
        return;
    }

    summary = summary_text(report);
    nm_l2tp_box_append(box, label_new("report-summary", summary, TRUE));
    nm_l2tp_box_append(box, timeline_new(report));
    if (report->outcome == NM_L2TP_OUTCOME_FAILED) {
        add_explanation(
            box, "report-message", _("What happened:"), nm_l2tp_report_dup_message(report));
        add_explanation(box, "report-hint", _("What to check:"), nm_l2tp_report_dup_hint(report));
    }
#if !GTK_CHECK_VERSION(4, 0, 0)
    gtk_widget_show_all(box);
#endif
}

static void
reload_clicked_cb(GtkButton *button, gpointer user_data)
{
    GtkWidget *content = user_data;

    fill_content(content, g_object_get_data(G_OBJECT(content), "uuid"));
}

GtkWidget *
nm_l2tp_editor_report_page_new(const char *uuid)
{
    GtkWidget *page    = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12);
    GtkWidget *content = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12);
    GtkWidget *button  = gtk_button_new_with_mnemonic(_("_Read again"));

    gtk_widget_set_name(page, "report-page");
    nm_l2tp_widget_set_margins(page, 12);
    g_object_set_data_full(G_OBJECT(content), "uuid", g_strdup(uuid), g_free);

    {
        GtkWidget       *heading = gtk_label_new(NULL);
        g_autofree char *markup =
            g_markup_printf_escaped("<b>%s</b>", _("Last connection attempt"));

        gtk_label_set_markup(GTK_LABEL(heading), markup);
        gtk_label_set_xalign(GTK_LABEL(heading), 0.0);
        nm_l2tp_box_append(page, heading);
    }
    nm_l2tp_box_append(page, content);
    gtk_widget_set_halign(button, GTK_ALIGN_START);
    gtk_widget_set_tooltip_text(button,
                                _("Show the report of a connection attempt made since this "
                                  "window was opened."));
    nm_l2tp_box_append(page, button);
    g_signal_connect(button, "clicked", G_CALLBACK(reload_clicked_cb), content);

    fill_content(content, uuid);
    return page;
}

GtkWidget *
nm_l2tp_editor_report_summary_new(const char *uuid)
{
    g_autoptr(NML2tpReport) report = uuid ? nm_l2tp_report_load(NULL, uuid, NULL) : NULL;
    g_autofree char *summary       = NULL;
    g_autofree char *markup        = NULL;

    if (!report || report->outcome != NM_L2TP_OUTCOME_FAILED)
        return NULL;
    summary = summary_text(report);
    /* TRANSLATORS: %s says where the last attempt failed; the tab is
     * called "Last attempt". */
    markup = g_markup_printf_escaped(_("<b>Last connection attempt:</b> %s See the “Last attempt” "
                                       "tab for what to check."),
                                     summary);
    return markup_label_new("report-general-summary", markup);
}
