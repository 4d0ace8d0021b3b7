/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-user-files.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-escape.h"
#include "nm-l2tp-file.h"
#include "nm-l2tp-owner.h"
#include "nm-l2tp-read-as-user.h"

typedef struct {
    const NML2tpKeyInfo *ki;
    char                *path;
    GBytes              *bytes; /* the first owner's read */
    char                *copy;
    gboolean             written;
} UserFile;

typedef struct {
    char      **owners;
    char       *dest_dir;
    GPtrArray  *files; /* of UserFile */
    gboolean    is_private;
    const char *failed_key; /* the key whose file was refused */
    uid_t       report_uid; /* the owner, or 0 for several owners */
    gid_t       report_gid;
} CopyJob;

static void
user_file_free(gpointer data)
{
    UserFile *file = data;

    g_free(file->path);
    g_clear_pointer(&file->bytes, g_bytes_unref);
    g_free(file->copy);
    g_free(file);
}

static void
copy_job_free(gpointer data)
{
    CopyJob *job = data;

    g_strfreev(job->owners);
    g_free(job->dest_dir);
    g_ptr_array_unref(job->files);
    g_free(job);
}

static char **
path_field(NML2tpSettings *settings, const NML2tpKeyInfo *ki)
{
    return G_STRUCT_MEMBER_P(settings, ki->offset);
}

static void
add_file(CopyJob *job, const NML2tpSettings *settings, const char *key)
{
    const NML2tpKeyInfo *ki    = nm_l2tp_key_lookup(key);
    const char          *value = *path_field((NML2tpSettings *)settings, ki);
    UserFile            *file;

    if (!value)
        return;
    file       = g_new0(UserFile, 1);
    file->ki   = ki;
    file->path = g_strdup(value);
    g_ptr_array_add(job->files, file);
}

/* ---- reading ------------------------------------------------------------- */

static void
set_file_error(GError                **error,
               const UserFile         *file,
               const NML2tpOwner      *owner,
               const NML2tpReadResult *res)
{
    g_autofree char *who    = nm_l2tp_escape_text(owner ? owner->name : "root", -1, 0);
    g_autofree char *path   = nm_l2tp_escape_text(file->path, -1, 0);
    g_autofree char *reason = NULL;
    int              code   = NM_L2TP_ERROR_FAILED;

    switch (res->status) {
    case NM_L2TP_READ_OPEN_FAILED:
        if (res->err == EACCES || res->err == EPERM) {
            /* TRANSLATORS: why a certificate or key file cannot be used;
             * %s is a user name. */
            reason = g_strdup_printf(_("not readable by %s"), who);
            code   = NM_L2TP_ERROR_NOT_READABLE;
        } else {
            reason = g_strdup(g_strerror(res->err));
        }
        break;
    case NM_L2TP_READ_NOT_REGULAR:
        reason = nm_l2tp_file_reason_not_regular();
        code   = NM_L2TP_ERROR_NOT_REGULAR;
        break;
    case NM_L2TP_READ_TOO_LARGE:
        reason = nm_l2tp_file_reason_too_large(NM_L2TP_CERT_FILE_MAX_SIZE);
        code   = NM_L2TP_ERROR_TOO_LARGE;
        break;
    case NM_L2TP_READ_READ_FAILED:
    case NM_L2TP_READ_OK:
    default:
        reason = g_strdup(g_strerror(res->err));
        break;
    }
    /* TRANSLATORS: first %s is a key such as "machine-key", second its
     * file, third why, e.g. "not readable by bob". */
    g_set_error(
        error, NM_L2TP_ERROR, code, _("cannot use “%s” (%s): %s"), file->ki->name, path, reason);
}

#ifdef HAVE_NM_UTILS_COPY_CERT_AS_USER
/* libnm's reader (nm-libnm-helper) opens with a plain open() and reads to
 * the end: only after our own reader found a regular file within the cap
 * is it given the path, and its copy is checked the same way again. */
static GBytes *
read_with_libnm(const UserFile *file, const NML2tpOwner *owner, GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autofree char *copy   = nm_utils_copy_cert_as_user(file->path, owner->name, &local);
    g_autofree char *path   = nm_l2tp_escape_text(file->path, -1, 0);
    GBytes          *bytes;

    if (!copy) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_NOT_READABLE,
                    _("cannot use “%s” (%s): %s"),
                    file->ki->name,
                    path,
                    local->message);
        return NULL;
    }
    bytes = nm_l2tp_file_read(copy, NM_L2TP_CERT_FILE_MAX_SIZE, NM_L2TP_FILE_READ_NOFOLLOW, &local);
    unlink(copy);
    if (!bytes)
        g_set_error(error,
                    NM_L2TP_ERROR,
                    g_error_matches(local, NM_L2TP_ERROR, NM_L2TP_ERROR_TOO_LARGE) ?
                        NM_L2TP_ERROR_TOO_LARGE :
                        NM_L2TP_ERROR_NOT_REGULAR,
                    _("cannot use “%s” (%s): %s"),
                    file->ki->name,
                    path,
                    local->message);
    return bytes;
}
#endif

/* Reads every file as @owner (as the service when NULL); keeps the bytes
 * when @keep, else only proves that @owner may read them. */
static gboolean
read_as(CopyJob *job, const NML2tpOwner *owner, gboolean keep, GCancellable *c, GError **error)
{
    guint                        n       = job->files->len;
    g_autofree const char      **paths   = g_new0(const char *, n + 1);
    g_autofree NML2tpReadResult *results = g_new0(NML2tpReadResult, n);
    gboolean                     ok      = TRUE;

    for (guint i = 0; i < n; i++)
        paths[i] = ((UserFile *)job->files->pdata[i])->path;
    if (!nm_l2tp_read_as_user(owner, paths, n, NM_L2TP_CERT_FILE_MAX_SIZE, results, c, error))
        return FALSE;
    for (guint i = 0; i < n && ok; i++) {
        UserFile *file = job->files->pdata[i];

        job->failed_key = file->ki->name;
        if (results[i].status != NM_L2TP_READ_OK) {
            set_file_error(error, file, owner, &results[i]);
            ok = FALSE;
            break;
        }
#ifdef HAVE_NM_UTILS_COPY_CERT_AS_USER
        if (owner) {
            GBytes *bytes = read_with_libnm(file, owner, error);

            if (!bytes) {
                ok = FALSE;
                break;
            }
            g_bytes_unref(results[i].bytes);
            results[i].bytes = bytes;
        }
#endif
        if (keep)
            file->bytes = g_steal_pointer(&results[i].bytes);
        job->failed_key = NULL;
    }
    nm_l2tp_read_results_clear(results, n);
    return ok;
}

static gboolean
read_all(CopyJob *job, GCancellable *cancellable, GError **error)
{
    g_autoptr(GPtrArray) owners =
        g_ptr_array_new_with_free_func((GDestroyNotify)nm_l2tp_owner_free);

    for (guint i = 0; job->owners && job->owners[i]; i++) {
        NML2tpOwner *owner = nm_l2tp_owner_lookup(job->owners[i], error);

        if (!owner)
            return FALSE;
        g_ptr_array_add(owners, owner);
    }
    if (owners->len > 0) {
        const NML2tpOwner *first = owners->pdata[0];

        /* One owner reads the report; with several, none sees the
         * others' attempts, so it stays root's. */
        job->is_private = TRUE;
        job->report_uid = owners->len == 1 ? first->uid : 0;
        job->report_gid = owners->len == 1 ? first->gid : 0;
    }
    if (job->files->len == 0)
        return TRUE;
    if (owners->len == 0)
        return read_as(job, NULL, TRUE, cancellable, error);
    /* Any owner may activate the connection: every one must be able to
     * read every file. */
    for (guint i = 0; i < owners->len; i++) {
        if (!read_as(job, owners->pdata[i], i == 0, cancellable, error))
            return FALSE;
    }
    return TRUE;
}

/* ---- the copies ------------------------------------------------------------ */

static gboolean
write_copy(CopyJob *job, UserFile *file, GError **error)
{
    gsize         len;
    const guint8 *data  = g_bytes_get_data(file->bytes, &len);
    int           errsv = 0;
    int           fd    = -1;

    file->copy = g_build_filename(job->dest_dir, file->ki->name, NULL);
    if (unlink(file->copy) != 0 && errno != ENOENT)
        errsv = errno;
    if (!errsv) {
        fd = open(file->copy, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            errsv = errno;
    }
    if (fd >= 0) {
        file->written = TRUE;
        if (fchmod(fd, 0600) != 0)
            errsv = errno;
        if (!errsv)
            errsv = nm_l2tp_file_write_all(fd, data, len);
        if (close(fd) != 0 && !errsv)
            errsv = errno;
    }
    if (errsv) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    _("cannot write the copy of “%s” to %s: %s"),
                    file->ki->name,
                    job->dest_dir,
                    g_strerror(errsv));
        return FALSE;
    }
    g_clear_pointer(&file->bytes, g_bytes_unref);
    return TRUE;
}

static void
remove_copies(CopyJob *job)
{
    for (guint i = 0; i < job->files->len; i++) {
        UserFile *file = job->files->pdata[i];

        if (file->written)
            unlink(file->copy);
        file->written = FALSE;
    }
}

static void
copy_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
    CopyJob *job   = task_data;
    GError  *error = NULL;
    gboolean ok    = read_all(job, cancellable, &error);

    for (guint i = 0; ok && i < job->files->len; i++) {
        job->failed_key = ((UserFile *)job->files->pdata[i])->ki->name;
        ok              = write_copy(job, job->files->pdata[i], &error);
    }
    if (ok)
        job->failed_key = NULL;
    if (!ok) {
        remove_copies(job);
        g_task_return_error(task, error);
        return;
    }
    g_task_return_boolean(task, TRUE);
}

void
nm_l2tp_user_files_copy_async(const NML2tpSettings *settings,
                              const char *const    *owners,
                              const char           *dest_dir,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data)
{
    g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
    CopyJob *job          = g_new0(CopyJob, 1);

    g_return_if_fail(settings && dest_dir);

    g_task_set_source_tag(task, nm_l2tp_user_files_copy_async);
    job->owners   = g_strdupv((char **)owners);
    job->dest_dir = g_strdup(dest_dir);
    job->files    = g_ptr_array_new_with_free_func(user_file_free);
    if (settings->user_auth_type == NM_L2TP_USER_AUTH_TLS) {
        add_file(job, settings, NM_L2TP_KEY_USER_CA);
        add_file(job, settings, NM_L2TP_KEY_USER_CERT);
        add_file(job, settings, NM_L2TP_KEY_USER_KEY);
    }
    if (settings->ipsec_enabled && settings->machine_auth_type == NM_L2TP_MACHINE_AUTH_TLS) {
        add_file(job, settings, NM_L2TP_KEY_MACHINE_CA);
        add_file(job, settings, NM_L2TP_KEY_MACHINE_CERT);
        add_file(job, settings, NM_L2TP_KEY_MACHINE_KEY);
    }
    g_task_set_task_data(task, job, copy_job_free);
    g_task_run_in_thread(task, copy_thread);
}

gboolean
nm_l2tp_user_files_copy_finish(GAsyncResult *result, NML2tpSettings *settings, GError **error)
{
    const NML2tpKeyInfo *table;
    CopyJob             *job;
    guint                n;

    g_return_val_if_fail(g_task_is_valid(result, NULL), FALSE);
    g_return_val_if_fail(g_task_get_source_tag(G_TASK(result)) == nm_l2tp_user_files_copy_async,
                         FALSE);

    if (!g_task_propagate_boolean(G_TASK(result), error))
        return FALSE;
    job   = g_task_get_task_data(G_TASK(result));
    table = nm_l2tp_keys_get_table(&n);
    for (guint i = 0; i < n; i++) {
        if (table[i].type == NM_L2TP_KEY_TYPE_PATH && !(table[i].flags & NM_L2TP_KEY_FLAG_ALIAS))
            g_clear_pointer(path_field(settings, &table[i]), g_free);
    }
    for (guint i = 0; i < job->files->len; i++) {
        UserFile *file = job->files->pdata[i];

        *path_field(settings, file->ki) = g_strdup(file->copy);
    }
    return TRUE;
}

gboolean
nm_l2tp_user_files_get_report_owner(GAsyncResult *result, uid_t *out_uid, gid_t *out_gid)
{
    CopyJob *job;

    g_return_val_if_fail(g_task_is_valid(result, NULL), FALSE);
    job = g_task_get_task_data(G_TASK(result));
    if (!job->is_private)
        return FALSE;
    *out_uid = job->report_uid;
    *out_gid = job->report_gid;
    return TRUE;
}

const char *
nm_l2tp_user_files_get_failed_key(GAsyncResult *result)
{
    CopyJob *job;

    g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
    job = g_task_get_task_data(G_TASK(result));
    return job->failed_key;
}
