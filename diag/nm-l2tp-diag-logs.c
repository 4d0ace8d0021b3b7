/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-diag-logs.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-report.h"

/* The service keeps one attempt's lines; anything much larger is not its
 * log, and would not be read by a person anyway. */
#define MAX_LOG_SIZE (32 * 1024 * 1024)

char *
nm_l2tp_diag_logs_read(const char           *dir,
                       const char           *uuid,
                       const NML2tpRedactor *redactor,
                       GError              **error)
{
    g_autofree char *report_path = NULL;
    g_autofree char *path        = NULL;
    g_autofree char *data        = NULL;
    g_autoptr(GError) local      = NULL;
    gsize len;

    g_return_val_if_fail(redactor, NULL);

    /* The report's path check refuses UUIDs that could leave the
     * directory; the log sits beside the report. */
    report_path = nm_l2tp_report_build_path(dir, uuid, error);
    if (!report_path)
        return NULL;
    path = g_strdup_printf("%.*s.log", (int)(strlen(report_path) - strlen(".report")), report_path);
    if (!g_file_get_contents(path, &data, &len, &local)) {
        if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_ACCES))
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_FAILED,
                        _("the logs of the last attempt (%s) are readable by root only; run "
                          "nm-l2tp-diag as root"),
                        path);
        else if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_MISSING,
                        _("there is no log of the last attempt (%s)"),
                        path);
        else
            g_propagate_error(error, g_steal_pointer(&local));
        return NULL;
    }
    if (len > MAX_LOG_SIZE) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_PROTOCOL, _("%s is too large"), path);
        return NULL;
    }
    return nm_l2tp_redactor_redact(redactor, data);
}
