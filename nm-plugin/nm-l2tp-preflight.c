/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Before anything starts.  See nm-l2tp-preflight.h. */
#include "config.h"

#include "nm-l2tp-preflight.h"

#include <glib/gi18n-lib.h>

#include "nm-l2tp-resources.h"
#include "nm-l2tp-user-files.h"

typedef struct {
    NML2tpSettings       *settings;
    NML2tpPreflightResult r;
} Preflight;

static void
preflight_free(Preflight *p)
{
    nm_l2tp_preflight_result_clear(&p->r);
    g_free(p);
}

static void
fail(GTask *task, NML2tpStage stage, NML2tpCause cause, const char *detail)
{
    Preflight *p = g_task_get_task_data(task);

    p->r.failure = nm_l2tp_stage_record_new(stage, cause, detail, 0);
    g_task_return_boolean(task, TRUE);
}

static void
resolved_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task   = user_data;
    Preflight *p            = g_task_get_task_data(task);
    g_autoptr(GError) error = NULL;
    g_autofree char *detail = NULL;

    p->r.address = nm_l2tp_resolve_ipv4_finish(result, &error);
    if (p->r.address) {
        g_task_return_boolean(task, TRUE);
    } else if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
        g_task_return_error(task, g_steal_pointer(&error));
    } else if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)) {
        detail = g_strdup_printf(_("no progress after %.0f s"), (double)p->settings->timeout_ike);
        fail(task, NM_L2TP_STAGE_RESOLVE, NM_L2TP_CAUSE_TIMEOUT, detail);
    } else {
        fail(task, NM_L2TP_STAGE_RESOLVE, NM_L2TP_CAUSE_RESOLVE_FAILED, p->settings->gateway);
    }
}

static void
copied_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GTask) task   = user_data;
    Preflight *p            = g_task_get_task_data(task);
    g_autoptr(GError) error = NULL;
    const char *key;

    p->r.has_owner = nm_l2tp_user_files_get_report_owner(result, &p->r.uid, &p->r.gid);
    if (!nm_l2tp_user_files_copy_finish(result, p->settings, &error)) {
        if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
            g_task_return_error(task, g_steal_pointer(&error));
            return;
        }
        key = nm_l2tp_user_files_get_failed_key(result);
        fail(task,
             !key                              ? NM_L2TP_STAGE_RESOLVE :
             g_str_has_prefix(key, "machine-") ? NM_L2TP_STAGE_IKE_PHASE1 :
                                                 NM_L2TP_STAGE_PPP_AUTH,
             NM_L2TP_CAUSE_FILE_REFUSED,
             error->message);
        return;
    }
    nm_l2tp_resolve_ipv4_async(p->settings->gateway,
                               (guint)p->settings->timeout_ike,
                               g_task_get_cancellable(task),
                               resolved_cb,
                               g_object_ref(task));
}

void
nm_l2tp_preflight_async(NML2tpSettings     *settings,
                        const char *const  *owners,
                        const char         *run_dir,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
    g_autoptr(GTask) task   = g_task_new(NULL, cancellable, callback, user_data);
    g_autoptr(GError) error = NULL;
    Preflight *p            = g_new0(Preflight, 1);

    p->settings = settings;
    g_task_set_source_tag(task, nm_l2tp_preflight_async);
    g_task_set_task_data(task, p, (GDestroyNotify)preflight_free);
    if (!nm_l2tp_make_private_dir(run_dir, &error)) {
        fail(task, NM_L2TP_STAGE_RESOLVE, NM_L2TP_CAUSE_INTERNAL, error->message);
        return;
    }
    nm_l2tp_user_files_copy_async(
        settings, owners, run_dir, cancellable, copied_cb, g_steal_pointer(&task));
}

gboolean
nm_l2tp_preflight_finish(GAsyncResult *result, NML2tpPreflightResult *out)
{
    Preflight *p = g_task_get_task_data(G_TASK(result));

    if (!g_task_propagate_boolean(G_TASK(result), NULL))
        return FALSE;
    *out = p->r;
    p->r = (NML2tpPreflightResult){ 0 };
    return TRUE;
}

void
nm_l2tp_preflight_result_clear(NML2tpPreflightResult *result)
{
    g_clear_pointer(&result->address, g_free);
    g_clear_pointer(&result->failure, nm_l2tp_stage_record_free);
}
