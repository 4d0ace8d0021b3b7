/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Another user sees nothing private: nm-l2tp-diag shows a user the
 * reports of system connections and of that user's own connections, root
 * all of them; and whatever it prints from a report or a log (names, the
 * server's words) has its control characters escaped. */
#include "config.h"

#include <glib/gstdio.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include "diag-test-util.h"

#define UUID_SYSTEM  "1c0e8a36-5d1c-4f6e-9a7b-c2d4e6f80a01"
#define UUID_NOBODY  "1c0e8a36-5d1c-4f6e-9a7b-c2d4e6f80a02"
#define UUID_DAEMON  "1c0e8a36-5d1c-4f6e-9a7b-c2d4e6f80a03"
#define UUID_OPENED  "1c0e8a36-5d1c-4f6e-9a7b-c2d4e6f80a04"
#define UUID_HOSTILE "1c0e8a36-5d1c-4f6e-9a7b-c2d4e6f80a05"

/* ---- escaping --------------------------------------------------------------- */

/* A report and a log as an older version, a server or the report's owner
 * could have left them. */
static const char hostile_report[] =
    "[attempt]\nversion=1\nuuid=" UUID_HOSTILE "\nname=office\x1b]0;pwned\x07\n"
    "outcome=failed\nverdict-stage=ppp-auth\nverdict-cause=ppp-auth-rejected\n\n"
    "[stage ppp-auth]\nstate=failed\nseconds=2.0\n"
    "detail=E=691 M=\x1b[2J\xe2\x80\xae"
    "evil\xc2\x9b"
    "1m\n";
static const char hostile_log[] = "   0.100 ppp: rcvd [LCP TermReq] \x1b[31mred\x1b[0m\n"
                                  "   0.200 ppp: Remote message: \xe2\x80\xae"
                                  "gnp.exe\x7f\n";

static void
assert_escaped(const char *what, const char *text)
{
    if (strchr(text, '\x1b') || strchr(text, '\x7f') || strstr(text, "\xc2\x9b")
        || strstr(text, "\xe2\x80\xae"))
        g_error("%s prints a raw control character:\n%s", what, text);
}

static void
test_escaped(void)
{
    g_autofree char  *dir         = diag_test_make_tmpdir();
    g_autofree char  *out         = NULL;
    g_autofree char  *err         = NULL;
    g_autofree char  *json        = NULL;
    g_autofree char  *logs        = NULL;
    const char *const text_args[] = { UUID_HOSTILE, NULL };
    const char *const json_args[] = { "--json", UUID_HOSTILE, NULL };
    const char *const logs_args[] = { "--logs", UUID_HOSTILE, NULL };

    diag_test_write(dir, UUID_HOSTILE ".report", hostile_report, 0644);
    diag_test_write(dir, UUID_HOSTILE ".log", hostile_log, 0600);

    g_assert_cmpint(diag_test_run(dir, text_args, &out, &err), ==, 0);
    g_test_message("%s", out);
    assert_escaped("the timeline", out);
    g_assert_nonnull(strstr(out, "Connection: office\\x1b]0;pwned\\x07 ("));
    g_assert_nonnull(strstr(out, "E=691 M=\\x1b[2J\\u202eevil\\u009b1m"));

    g_assert_cmpint(diag_test_run(dir, json_args, &json, NULL), ==, 0);
    assert_escaped("the JSON timeline", json);
    g_assert_nonnull(strstr(json, "office\\\\x1b]0;pwned\\\\x07"));

    g_assert_cmpint(diag_test_run(dir, logs_args, &logs, NULL), ==, 0);
    g_test_message("%s", logs);
    assert_escaped("the logs", logs);
    /* Line by line as they were, only the control characters escaped. */
    g_assert_nonnull(strstr(logs, "[LCP TermReq] \\x1b[31mred\\x1b[0m\n"));
    g_assert_nonnull(strstr(logs, "Remote message: \\u202egnp.exe\\x7f\n"));
    diag_test_rm_rf(dir);
}

/* ---- whose reports ------------------------------------------------------------ */

static void
save_report(const char *dir, const char *uuid, const char *name, uid_t uid, gid_t gid, time_t when)
{
    g_autoptr(NML2tpReport) r = nm_l2tp_report_new(uuid, name);
    g_autoptr(GError) error   = NULL;
    g_autofree char *path     = g_build_filename(dir, uuid, NULL);
    g_autofree char *file     = g_strconcat(path, ".report", NULL);
    struct utimbuf   times    = { .actime = when, .modtime = when };

    nm_l2tp_report_set_stage(r, "resolve", NM_L2TP_STAGE_STATE_PASSED, 0.01, NULL);
    nm_l2tp_report_set_verdict(r, NM_L2TP_OUTCOME_CONNECTED, NULL, NULL, NULL, NULL, NULL);
    if (uid != (uid_t)-1)
        nm_l2tp_report_set_owner(r, uid, gid);
    g_assert_true(nm_l2tp_report_save(r, dir, &error));
    g_assert_no_error(error);
    g_assert_cmpint(utime(file, &times), ==, 0);
}

static void
test_other_users(void)
{
    g_autofree char  *dir    = NULL;
    g_autofree char  *out    = NULL;
    g_autofree char  *err    = NULL;
    g_autofree char  *opened = NULL;
    struct passwd    *pw;
    const char *const newest[]   = { NULL };
    const char *const daemons[]  = { UUID_DAEMON, NULL };
    const char *const by_name[]  = { "daemon-vpn", NULL };
    const char *const opened_a[] = { UUID_OPENED, NULL };
    const char *const version[]  = { "--version", NULL };
    uid_t             nb_uid, dm_uid;
    gid_t             nb_gid, dm_gid;

    if (geteuid() != 0) {
        g_test_skip("needs root: runs nm-l2tp-diag as other users");
        return;
    }
    /* getpwnam() reuses its buffer: copy each answer at once. */
    pw = getpwnam("nobody");
    g_assert_nonnull(pw);
    nb_uid = pw->pw_uid;
    nb_gid = pw->pw_gid;
    pw     = getpwnam("daemon");
    g_assert_nonnull(pw);
    dm_uid = pw->pw_uid;
    dm_gid = pw->pw_gid;
    if (diag_test_run_as(nb_uid, nb_gid, NULL, version, NULL, NULL) != 0) {
        g_test_skip("nobody cannot run the built nm-l2tp-diag (a directory of the build is "
                    "closed to other users)");
        return;
    }
    dir = diag_test_make_tmpdir();
    g_assert_cmpint(chmod(dir, 0755), ==, 0);
    /* Oldest to newest: a system connection, nobody's, daemon's (private)
     * and daemon's made world-readable by daemon. */
    save_report(dir, UUID_SYSTEM, "office-system", (uid_t)-1, 0, 1000000);
    save_report(dir, UUID_NOBODY, "nobody-vpn", nb_uid, nb_gid, 2000000);
    save_report(dir, UUID_DAEMON, "daemon-vpn", dm_uid, dm_gid, 3000000);
    save_report(dir, UUID_OPENED, "daemon-open", dm_uid, dm_gid, 4000000);
    opened = g_build_filename(dir, UUID_OPENED ".report", NULL);
    g_assert_cmpint(chmod(opened, 0444), ==, 0);

    /* nobody: the newest report it may see is its own. */
    g_assert_cmpint(diag_test_run_as(nb_uid, nb_gid, dir, newest, &out, &err), ==, 0);
    g_assert_nonnull(strstr(out, "Connection: nobody-vpn (" UUID_NOBODY ")"));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);
    /* daemon's, by UUID or name, private or world-readable: not there. */
    g_assert_cmpint(diag_test_run_as(nb_uid, nb_gid, dir, daemons, &out, &err), ==, 1);
    g_assert_null(strstr(out, "daemon-vpn"));
    g_assert_nonnull(strstr(err, "shown only to root"));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(diag_test_run_as(nb_uid, nb_gid, dir, by_name, &out, &err), ==, 1);
    g_assert_null(strstr(out, "daemon-vpn ("));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(diag_test_run_as(nb_uid, nb_gid, dir, opened_a, &out, &err), ==, 1);
    g_assert_null(strstr(out, "daemon-open"));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);
    /* The system connection's report is everybody's. */
    {
        const char *const sys[] = { UUID_SYSTEM, NULL };

        g_assert_cmpint(diag_test_run_as(nb_uid, nb_gid, dir, sys, &out, NULL), ==, 0);
        g_assert_nonnull(strstr(out, "office-system"));
        g_clear_pointer(&out, g_free);
    }

    /* root sees every report. */
    g_assert_cmpint(diag_test_run(dir, newest, &out, NULL), ==, 0);
    g_assert_nonnull(strstr(out, "daemon-open"));
    g_clear_pointer(&out, g_free);
    g_assert_cmpint(diag_test_run(dir, daemons, &out, NULL), ==, 0);
    g_assert_nonnull(strstr(out, "daemon-vpn"));
    diag_test_rm_rf(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/diag/private/escaped", test_escaped);
    g_test_add_func("/diag/private/other-users", test_other_users);
    return g_test_run();
}
