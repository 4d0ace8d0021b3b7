/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "nm-l2tp-owner.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-escape.h"

char **
nm_l2tp_connection_dup_owner_names(NMConnection *connection, GError **error)
{
    NMSettingConnection *s_con = nm_connection_get_setting_connection(connection);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    guint n                    = s_con ? nm_setting_connection_get_num_permissions(s_con) : 0;

    for (guint i = 0; i < n; i++) {
        const char *type = NULL;
        const char *item = NULL;

        if (!nm_setting_connection_get_permission(s_con, i, &type, &item, NULL))
            continue;
        if (g_strcmp0(type, "user") != 0 || !item || !*item) {
            g_autofree char *shown = nm_l2tp_escape_text(type ? type : "", -1, 0);

            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_INVALID_VALUE,
                        _("connection.permissions has an entry of type “%s”; only “user:NAME” "
                          "entries say whose files the connection may read"),
                        shown);
            return NULL;
        }
        if (!g_ptr_array_find_with_equal_func(names, item, g_str_equal, NULL))
            g_ptr_array_add(names, g_strdup(item));
    }
    g_ptr_array_add(names, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&names), FALSE);
}

NML2tpOwner *
nm_l2tp_owner_lookup(const char *name, GError **error)
{
    g_autoptr(NML2tpOwner) owner = g_new0(NML2tpOwner, 1);
    g_autofree char *buf         = NULL;
    g_autofree char *shown       = nm_l2tp_escape_text(name, -1, 0);
    long             size        = sysconf(_SC_GETPW_R_SIZE_MAX);
    struct passwd    pw;
    struct passwd   *found = NULL;
    int              r;
    int              n = 32;

    if (size <= 0)
        size = 16384;
    for (;;) {
        buf = g_malloc(size);
        r   = getpwnam_r(name, &pw, buf, size, &found);
        if (r != ERANGE || size > 1024 * 1024)
            break;
        g_clear_pointer(&buf, g_free);
        size *= 2;
    }
    if (!found) {
        if (r == 0 || r == ENOENT || r == ESRCH || r == EBADF || r == EPERM)
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_UNKNOWN_USER,
                        _("connection.permissions names the user “%s”, who does not exist on "
                          "this machine"),
                        shown);
        else
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_UNKNOWN_USER,
                        _("cannot look up the user “%s” of connection.permissions: %s"),
                        shown,
                        g_strerror(r));
        return NULL;
    }
    owner->name   = g_strdup(pw.pw_name);
    owner->uid    = pw.pw_uid;
    owner->gid    = pw.pw_gid;
    owner->groups = g_new(gid_t, n);
    while (getgrouplist(pw.pw_name, pw.pw_gid, owner->groups, &n) < 0) {
        if (n > 65536) {
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_UNKNOWN_USER,
                        _("the user “%s” of connection.permissions is in too many groups"),
                        shown);
            return NULL;
        }
        owner->groups = g_renew(gid_t, owner->groups, n);
    }
    owner->n_groups = n;
    return g_steal_pointer(&owner);
}

void
nm_l2tp_owner_free(NML2tpOwner *owner)
{
    if (!owner)
        return;
    g_free(owner->name);
    g_free(owner->groups);
    g_free(owner);
}
