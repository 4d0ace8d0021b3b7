/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ports part of the preflight: who holds UDP 500 and 4500 (IKE, NAT-T)
 * and 1701 (L2TP) on this machine.  The service copes with most of it (it
 * uses a system charon over VICI, moves its own charon to other ports and
 * L2TP to an ephemeral port), but some of those ways out only work with
 * some servers, and another IKE daemon on the machine gets in the way of
 * any. */
#include "config.h"

#include "nm-l2tp-diag-check.h"

#include <glib/gi18n-lib.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    guint   port;
    guint   uid;
    guint64 inode;
} UdpSocket;

typedef struct {
    int   pid; /* 0: not visible to us */
    char *comm;
    char *parent_comm;
    guint uid;
} Owner;

static void
owner_clear(Owner *o)
{
    g_free(o->comm);
    g_free(o->parent_comm);
}

static void
read_udp_table(const NML2tpCheckContext *ctx, const char *file, GArray *out)
{
    g_autofree char *path = nm_l2tp_diag_check_path(ctx, file);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines   = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return;
    lines = g_strsplit(text, "\n", -1);
    /* The first line names the columns. */
    for (guint i = 1; lines[i]; i++) {
        g_auto(GStrv) f             = g_strsplit_set(g_strstrip(lines[i]), " \t", -1);
        g_autoptr(GPtrArray) fields = g_ptr_array_new();
        const char *colon;
        UdpSocket   s;

        for (guint j = 0; f[j]; j++) {
            if (*f[j])
                g_ptr_array_add(fields, f[j]);
        }
        /* sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode */
        if (fields->len < 10)
            continue;
        colon = strrchr(fields->pdata[1], ':');
        if (!colon)
            continue;
        s.port  = (guint)g_ascii_strtoull(colon + 1, NULL, 16);
        s.uid   = (guint)g_ascii_strtoull(fields->pdata[7], NULL, 10);
        s.inode = g_ascii_strtoull(fields->pdata[9], NULL, 10);
        g_array_append_val(out, s);
    }
}

static char *
read_proc_text(const NML2tpCheckContext *ctx, int pid, const char *what)
{
    g_autofree char *rel  = g_strdup_printf("/proc/%d/%s", pid, what);
    g_autofree char *path = nm_l2tp_diag_check_path(ctx, rel);
    char            *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    return g_strstrip(text);
}

/* The parent's pid from /proc/PID/stat: "PID (COMM) STATE PPID ...", where
 * COMM may itself contain spaces and parentheses. */
static int
parent_pid(const NML2tpCheckContext *ctx, int pid)
{
    g_autofree char *stat = read_proc_text(ctx, pid, "stat");
    const char      *end  = stat ? strrchr(stat, ')') : NULL;
    int              ppid = 0;

    if (end && sscanf(end + 1, " %*c %d", &ppid) != 1)
        ppid = 0;
    return ppid;
}

/* Maps socket inodes to the processes that hold them, by the
 * "socket:[INODE]" links in /proc/PID/fd.  Without root only our own
 * processes can be looked at; the others stay unknown. */
static void
find_owners(const NML2tpCheckContext *ctx, GArray *sockets, Owner *owners)
{
    g_autofree char *proc = nm_l2tp_diag_check_path(ctx, "/proc");
    g_autoptr(GDir) dir   = g_dir_open(proc, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *fd_path = NULL;
        g_autoptr(GDir) fds      = NULL;
        const char *fd;
        int         pid;

        if (strspn(name, "0123456789") != strlen(name))
            continue;
        pid     = atoi(name);
        fd_path = g_build_filename(proc, name, "fd", NULL);
        fds     = g_dir_open(fd_path, 0, NULL);
        while (fds && (fd = g_dir_read_name(fds))) {
            g_autofree char *link   = g_build_filename(fd_path, fd, NULL);
            g_autofree char *target = g_file_read_link(link, NULL);
            guint64          inode;

            if (!target || !g_str_has_prefix(target, "socket:["))
                continue;
            inode = g_ascii_strtoull(target + strlen("socket:["), NULL, 10);
            for (guint i = 0; i < sockets->len; i++) {
                int ppid;

                if (g_array_index(sockets, UdpSocket, i).inode != inode || owners[i].pid)
                    continue;
                owners[i].pid  = pid;
                owners[i].comm = read_proc_text(ctx, pid, "comm");
                ppid           = parent_pid(ctx, pid);
                if (ppid > 0)
                    owners[i].parent_comm = read_proc_text(ctx, ppid, "comm");
            }
        }
    }
}

static char *
describe_owner(const Owner *o)
{
    if (o->pid)
        return g_strdup_printf("%s (pid %d)", o->comm ? o->comm : "?", o->pid);
    {
        struct passwd *pw = getpwuid(o->uid);

        /* TRANSLATORS: a socket's owner that only root may see. */
        if (pw)
            return g_strdup_printf(_("a process of user %s"), pw->pw_name);
        return g_strdup_printf(_("a process of user %u"), o->uid);
    }
}

static gboolean
is_ours(const Owner *o)
{
    /* comm is cut to 15 characters: "nm-l2tp-service" just fits. */
    return o->pid
           && (g_strcmp0(o->comm, "nm-l2tp-service") == 0
               || (o->parent_comm && g_str_has_prefix(o->parent_comm, "nm-l2tp-servic")));
}

static gboolean
is_charon(const Owner *o)
{
    return o->pid
           && (g_strcmp0(o->comm, "charon") == 0 || g_strcmp0(o->comm, "charon-systemd") == 0);
}

static void
check_port(const NML2tpCheckContext *ctx,
           GPtrArray                *checks,
           guint                     port,
           GArray                   *sockets,
           Owner                    *owners,
           gboolean                  vici_answers)
{
    g_autofree char *id    = g_strdup_printf("udp-%u", port);
    g_autofree char *title = g_strdup_printf(_("UDP port %u (%s)"),
                                             port,
                                             port == 1701 ? "L2TP" :
                                             port == 500  ? "IKE" :
                                                            "IKE NAT-T");
    gboolean         ike   = port != 1701;
    const Owner     *found = NULL;
    g_autofree char *who   = NULL;

    /* One owner is enough to judge: an IPv4 and an IPv6 socket of the same
     * port belong to the same daemon in practice.  Prefer one we can name. */
    for (guint i = 0; i < sockets->len; i++) {
        if (g_array_index(sockets, UdpSocket, i).port != port
            || g_array_index(sockets, UdpSocket, i).inode == 0)
            continue;
        if (!found || (!found->pid && owners[i].pid))
            found = &owners[i];
    }
    if (!found) {
        nm_l2tp_diag_check_add(
            checks, id, NM_L2TP_CHECK_OK, title, g_strdup(_("free")), NULL, NULL);
        return;
    }
    who = describe_owner(found);

    if (is_ours(found)) {
        nm_l2tp_diag_check_add(
            checks,
            id,
            NM_L2TP_CHECK_INFO,
            title,
            g_strdup_printf(_("used by %s of nm-l2tp, for a connection that is up"), who),
            NULL,
            NULL);
        return;
    }
    if (!found->pid) {
        nm_l2tp_diag_check_add(checks,
                               id,
                               NM_L2TP_CHECK_INFO,
                               title,
                               g_strdup_printf(_("used by %s"), who),
                               _("run nm-l2tp-diag --check as root to see which program it is"),
                               NULL);
        return;
    }
    if (ike && is_charon(found) && vici_answers) {
        nm_l2tp_diag_check_add(
            checks,
            id,
            NM_L2TP_CHECK_OK,
            title,
            g_strdup_printf(_("used by the system's charon, %s, which nm-l2tp uses "
                              "through its VICI socket"),
                            who),
            NULL,
            NULL);
        return;
    }
    if (ike && is_charon(found)) {
        nm_l2tp_diag_check_add(
            checks,
            id,
            NM_L2TP_CHECK_PROBLEM,
            title,
            g_strdup_printf(
                _("used by %s, whose VICI socket does not answer: nm-l2tp cannot use that "
                  "charon, and its own must take other ports, which some servers do not "
                  "accept"),
                who),
            _("enable the vici plugin of the system's strongSwan (package strongswan-swanctl) or "
              "stop "
              "it (systemctl disable --now strongswan-starter)"),
            "charon-unavailable");
        return;
    }
    if (ike) {
        g_autofree char *hint = g_strdup_printf(_("stop %s (for example: systemctl disable --now "
                                                  "%s); two IKE daemons on one machine get "
                                                  "in each other's way"),
                                                found->comm,
                                                found->comm);

        nm_l2tp_diag_check_add(checks,
                               id,
                               NM_L2TP_CHECK_PROBLEM,
                               title,
                               g_strdup_printf(_("used by %s, another IKE daemon"), who),
                               hint,
                               NULL);
        return;
    }
    {
        g_autofree char *hint = g_strdup_printf(
            _("if the server accepts L2TP only from port 1701, stop %s (for example: systemctl "
              "disable --now %s)"),
            found->comm,
            found->comm);

        nm_l2tp_diag_check_add(checks,
                               id,
                               NM_L2TP_CHECK_INFO,
                               title,
                               g_strdup_printf(_("used by %s: nm-l2tp sends L2TP from another port "
                                                 "instead"),
                                               who),
                               hint,
                               NULL);
    }
}

void
nm_l2tp_diag_check_ports(const NML2tpCheckContext *ctx, GPtrArray *checks, gboolean vici_answers)
{
    static const guint ports[] = { 500, 4500, 1701 };
    g_autoptr(GArray) all      = g_array_new(FALSE, FALSE, sizeof(UdpSocket));
    g_autoptr(GArray) sockets  = g_array_new(FALSE, FALSE, sizeof(UdpSocket));
    Owner *owners;

    read_udp_table(ctx, "/proc/net/udp", all);
    read_udp_table(ctx, "/proc/net/udp6", all);
    for (guint i = 0; i < all->len; i++) {
        UdpSocket *s = &g_array_index(all, UdpSocket, i);

        for (guint p = 0; p < G_N_ELEMENTS(ports); p++) {
            if (s->port == ports[p])
                g_array_append_val(sockets, *s);
        }
    }
    owners = g_new0(Owner, MAX(sockets->len, 1));
    for (guint i = 0; i < sockets->len; i++)
        owners[i].uid = g_array_index(sockets, UdpSocket, i).uid;
    if (sockets->len)
        find_owners(ctx, sockets, owners);
    for (guint p = 0; p < G_N_ELEMENTS(ports); p++)
        check_port(ctx, checks, ports[p], sockets, owners, vici_answers);
    for (guint i = 0; i < sockets->len; i++)
        owner_clear(&owners[i]);
    g_free(owners);
}
