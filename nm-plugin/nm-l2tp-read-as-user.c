/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-read-as-user.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-escape.h"
#include "nm-l2tp-file.h"

/* The child's answer is a stream of frames: a header, then @len bytes for
 * DATA.  First DROPPED or DROP_FAILED; then, per file in order, DATA
 * frames and one final frame (END or a refusal). */
typedef enum {
    FRAME_DROPPED = 1,
    FRAME_DROP_FAILED,
    FRAME_DATA,
    FRAME_END,
    FRAME_OPEN_FAILED,
    FRAME_NOT_REGULAR,
    FRAME_TOO_LARGE,
    FRAME_READ_FAILED,
} FrameKind;

typedef struct {
    guint32 kind;
    gint32  err;
    guint32 len;
} Frame;

#define CHILD_CHUNK 16384

/* Everything the child needs, prepared before fork(): after it, the child
 * of a threaded process may call only async-signal-safe functions (no
 * malloc, no locks, no GLib). */
typedef struct {
    gboolean           drop;
    uid_t              uid;
    gid_t              gid;
    const gid_t       *groups;
    size_t             n_groups;
    const char *const *paths;
    guint              n;
    gsize              max_size;
} ChildPlan;

/* ---- the child ---------------------------------------------------------- */

static gboolean
child_send(int sock, const void *data, size_t len)
{
    const char *p = data;

    while (len > 0) {
        ssize_t n = send(sock, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        p += n;
        len -= (size_t)n;
    }
    return TRUE;
}

static gboolean
child_frame(int sock, FrameKind kind, int err, const void *data, guint32 len)
{
    Frame f = { .kind = kind, .err = err, .len = len };

    return child_send(sock, &f, sizeof(f)) && (len == 0 || child_send(sock, data, len));
}

/* Raw system calls, not the libc wrappers: glibc's setuid() family
 * signals every thread of the process to change them all, which in the
 * child of a threaded process is not something to rely on. */
#ifdef SYS_setresuid32
#define NM_SYS_SETGROUPS SYS_setgroups32
#define NM_SYS_SETRESGID SYS_setresgid32
#define NM_SYS_SETRESUID SYS_setresuid32
#else
#define NM_SYS_SETGROUPS SYS_setgroups
#define NM_SYS_SETRESGID SYS_setresgid
#define NM_SYS_SETRESUID SYS_setresuid
#endif

/* Returns 0 once the child has the user's uid, gid and groups and no
 * capability left (which could let it read what the user cannot), else an
 * errno. */
static int
child_drop(const ChildPlan *plan)
{
    struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct   caps[_LINUX_CAPABILITY_U32S_3];

    if (syscall(NM_SYS_SETGROUPS, plan->n_groups, plan->groups) != 0)
        return errno;
    if (syscall(NM_SYS_SETRESGID, plan->gid, plan->gid, plan->gid) != 0)
        return errno;
    if (syscall(NM_SYS_SETRESUID, plan->uid, plan->uid, plan->uid) != 0)
        return errno;
    if (getuid() != plan->uid || geteuid() != plan->uid || getgid() != plan->gid
        || getegid() != plan->gid)
        return EPERM;
    if (syscall(SYS_capget, &hdr, caps) != 0)
        return errno;
    for (guint i = 0; i < _LINUX_CAPABILITY_U32S_3; i++) {
        if (caps[i].effective || caps[i].permitted)
            return EPERM;
    }
    return 0;
}

static gboolean
child_read_one(int sock, const char *path, gsize max_size, char *buf)
{
    struct stat st;
    gsize       total = 0;
    gboolean    ok    = TRUE;
    int         fd;

    do
        fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return child_frame(sock, FRAME_OPEN_FAILED, errno, NULL, 0);
    if (fstat(fd, &st) != 0) {
        ok = child_frame(sock, FRAME_READ_FAILED, errno, NULL, 0);
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        ok = child_frame(sock, FRAME_NOT_REGULAR, 0, NULL, 0);
        goto out;
    }
    if ((guint64)st.st_size > max_size) {
        ok = child_frame(sock, FRAME_TOO_LARGE, 0, NULL, 0);
        goto out;
    }
    for (;;) {
        ssize_t n = read(fd, buf, CHILD_CHUNK);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ok = child_frame(sock, FRAME_READ_FAILED, errno, NULL, 0);
            break;
        }
        if (n == 0) {
            ok = child_frame(sock, FRAME_END, 0, NULL, 0);
            break;
        }
        total += (gsize)n;
        if (total > max_size) {
            ok = child_frame(sock, FRAME_TOO_LARGE, 0, NULL, 0);
            break;
        }
        if (!child_frame(sock, FRAME_DATA, 0, buf, (guint32)n)) {
            ok = FALSE;
            break;
        }
    }
    explicit_bzero(buf, CHILD_CHUNK);
out:
    close(fd);
    return ok;
}

static void G_GNUC_NORETURN
child_main(int sock, const ChildPlan *plan)
{
    char buf[CHILD_CHUNK];
    int  err;

    /* Nothing of the service's stays open while the child has the
     * user's rights: the socket goes to fd 3, everything above it is
     * closed. */
    if (sock != 3) {
        if (dup2(sock, 3) < 0)
            _exit(1);
        sock = 3;
    }
#ifdef SYS_close_range
    syscall(SYS_close_range, 4U, ~0U, 0U);
#endif
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (plan->drop) {
        err = child_drop(plan);
        if (err != 0) {
            child_frame(sock, FRAME_DROP_FAILED, err, NULL, 0);
            _exit(1);
        }
    }
    if (!child_frame(sock, FRAME_DROPPED, 0, NULL, 0))
        _exit(1);
    for (guint i = 0; i < plan->n; i++) {
        if (!child_read_one(sock, plan->paths[i], plan->max_size, buf))
            _exit(1);
    }
    _exit(0);
}

/* ---- the parent ----------------------------------------------------------- */

typedef struct {
    int           sock;
    int           cancel_fd;
    GCancellable *cancellable;
    const char   *who;
} Reader;

static gboolean
reader_read(Reader *r, void *data, gsize len, GError **error)
{
    char *p = data;

    while (len > 0) {
        struct pollfd fds[2] = { { .fd = r->sock, .events = POLLIN },
                                 { .fd = r->cancel_fd, .events = POLLIN } };
        ssize_t       n;

        if (poll(fds, r->cancel_fd >= 0 ? 2 : 1, -1) < 0 && errno != EINTR) {
            int errsv = errno;

            g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "poll: %s", g_strerror(errsv));
            return FALSE;
        }
        if (g_cancellable_set_error_if_cancelled(r->cancellable, error))
            return FALSE;
        if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        n = read(r->sock, p, len);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0) {
            g_set_error(error,
                        NM_L2TP_ERROR,
                        NM_L2TP_ERROR_FAILED,
                        _("the process that reads the connection's files as %s ended early"),
                        r->who);
            return FALSE;
        }
        p += n;
        len -= (gsize)n;
    }
    return TRUE;
}

static gboolean
protocol_error(Reader *r, GError **error)
{
    g_set_error(error,
                NM_L2TP_ERROR,
                NM_L2TP_ERROR_FAILED,
                _("the process that reads the connection's files as %s sent something "
                  "unexpected"),
                r->who);
    return FALSE;
}

static gboolean
collect(Reader *r, const ChildPlan *plan, NML2tpReadResult *results, GError **error)
{
    g_autofree char *buf = g_malloc(plan->max_size + 1);
    gsize            have;
    Frame            f;
    gboolean         ok = TRUE;

    if (!reader_read(r, &f, sizeof(f), error))
        return FALSE;
    if (f.kind == FRAME_DROP_FAILED) {
        g_set_error(error,
                    NM_L2TP_ERROR,
                    NM_L2TP_ERROR_FAILED,
                    _("cannot take the rights of %s to read the connection's files: %s"),
                    r->who,
                    g_strerror(f.err));
        return FALSE;
    }
    if (f.kind != FRAME_DROPPED)
        return protocol_error(r, error);

    for (guint i = 0; i < plan->n && ok; i++) {
        NML2tpReadResult *res = &results[i];

        have = 0;
        for (;;) {
            if (!(ok = reader_read(r, &f, sizeof(f), error)))
                break;
            if (f.kind == FRAME_DATA) {
                if (f.len > plan->max_size - have) {
                    ok = protocol_error(r, error);
                    break;
                }
                if (!(ok = reader_read(r, buf + have, f.len, error)))
                    break;
                have += f.len;
                continue;
            }
            res->err = f.err;
            if (f.kind == FRAME_END) {
                res->status = NM_L2TP_READ_OK;
                res->bytes  = nm_l2tp_bytes_new_wiped(buf, have);
            } else if (f.kind == FRAME_OPEN_FAILED) {
                res->status = NM_L2TP_READ_OPEN_FAILED;
            } else if (f.kind == FRAME_NOT_REGULAR) {
                res->status = NM_L2TP_READ_NOT_REGULAR;
            } else if (f.kind == FRAME_TOO_LARGE) {
                res->status = NM_L2TP_READ_TOO_LARGE;
            } else if (f.kind == FRAME_READ_FAILED) {
                res->status = NM_L2TP_READ_READ_FAILED;
            } else {
                ok = protocol_error(r, error);
            }
            break;
        }
        explicit_bzero(buf, have);
    }
    return ok;
}

gboolean
nm_l2tp_read_as_user(const NML2tpOwner *owner,
                     const char *const *paths,
                     guint              n,
                     gsize              max_size,
                     NML2tpReadResult  *results,
                     GCancellable      *cancellable,
                     GError           **error)
{
    g_autofree char *who  = owner ? nm_l2tp_escape_text(owner->name, -1, 0) : g_strdup("root");
    ChildPlan        plan = {
               .drop     = owner != NULL,
               .uid      = owner ? owner->uid : 0,
               .gid      = owner ? owner->gid : 0,
               .groups   = owner ? owner->groups : NULL,
               .n_groups = owner ? (size_t)owner->n_groups : 0,
               .paths    = paths,
               .n        = n,
               .max_size = max_size,
    };
    Reader   r = { .cancellable = cancellable, .who = who, .cancel_fd = -1 };
    int      sv[2];
    pid_t    pid;
    gboolean ok;

    memset(results, 0, n * sizeof(*results));
    if (g_cancellable_set_error_if_cancelled(cancellable, error))
        return FALSE;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        int errsv = errno;

        g_set_error(
            error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "socketpair: %s", g_strerror(errsv));
        return FALSE;
    }
    pid = fork();
    if (pid < 0) {
        int errsv = errno;

        close(sv[0]);
        close(sv[1]);
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_FAILED, "fork: %s", g_strerror(errsv));
        return FALSE;
    }
    if (pid == 0) {
        close(sv[0]);
        child_main(sv[1], &plan);
    }
    close(sv[1]);
    r.sock      = sv[0];
    r.cancel_fd = cancellable ? g_cancellable_get_fd(cancellable) : -1;
    ok          = collect(&r, &plan, results, error);
    if (r.cancel_fd >= 0)
        g_cancellable_release_fd(cancellable);
    close(sv[0]);
    /* Done or given up: either way the child has nothing left to do. */
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    if (!ok)
        nm_l2tp_read_results_clear(results, n);
    return ok;
}

void
nm_l2tp_read_results_clear(NML2tpReadResult *results, guint n)
{
    for (guint i = 0; i < n; i++) {
        g_clear_pointer(&results[i].bytes, g_bytes_unref);
        results[i].status = NM_L2TP_READ_OK;
        results[i].err    = 0;
    }
}
