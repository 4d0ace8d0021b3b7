/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The last-attempt report (common/nm-l2tp-report.h): what the service
 * writes is what the editor and the auth dialog read back. */
#include "config.h"

#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "nm-l2tp-catalog.h"
#include "nm-l2tp-report.h"

#define TEST_UUID "3f0b5c1e-8c52-4a7e-9a53-2f1c0a6f3b11"

static NML2tpReport *
failed_psk_report(void)
{
    NML2tpReport *report                 = nm_l2tp_report_new(TEST_UUID, "office");
    g_autoptr(NML2tpStageRecord) failure = NULL;

    report->started = g_date_time_new_utc(2026, 11, 27, 7, 57, 4);
    nm_l2tp_report_set_stage(report, "resolve", NM_L2TP_STAGE_STATE_PASSED, 0.02, NULL);
    failure = nm_l2tp_stage_record_new(
        NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_PSK_REJECTED, "AUTHENTICATION_FAILED", 1.25);
    nm_l2tp_report_set_verdict_from_record(report, failure);
    nm_l2tp_report_set_stage(report, "ike-phase2", NM_L2TP_STAGE_STATE_NOT_REACHED, -1, NULL);
    return report;
}

static void
test_round_trip(void)
{
    g_autoptr(NML2tpReport) report   = failed_psk_report();
    g_autoptr(NML2tpReport) back     = NULL;
    g_autoptr(GError) error          = NULL;
    g_autofree char         *data    = nm_l2tp_report_to_data(report, NULL);
    g_autofree char         *started = NULL;
    g_autofree char         *message = NULL;
    const NML2tpReportStage *stage;

    g_test_message("%s", data);
    back = nm_l2tp_report_new_from_data(data, -1, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(back->uuid, ==, TEST_UUID);
    g_assert_cmpstr(back->name, ==, "office");
    started = g_date_time_format_iso8601(back->started);
    g_assert_cmpstr(started, ==, "2026-11-27T07:57:04Z");
    g_assert_cmpint(back->outcome, ==, NM_L2TP_OUTCOME_FAILED);
    g_assert_cmpstr(back->verdict_stage, ==, "ike-phase1");
    g_assert_cmpstr(back->verdict_cause, ==, nm_l2tp_cause_to_string(NM_L2TP_CAUSE_PSK_REJECTED));
    g_assert_cmpstr(back->wrong_secret, ==, "ipsec-psk");
    g_assert_cmpstr(nm_l2tp_report_get_wrong_secret(back), ==, "ipsec-psk");
    g_assert_cmpuint(back->stages->len, ==, 3);

    stage = nm_l2tp_report_get_stage(back, "ike-phase1");
    g_assert_nonnull(stage);
    g_assert_cmpint(stage->state, ==, NM_L2TP_STAGE_STATE_FAILED);
    g_assert_cmpfloat_with_epsilon(stage->seconds, 1.25, 0.001);
    g_assert_cmpstr(stage->detail, ==, "AUTHENTICATION_FAILED");
    stage = nm_l2tp_report_get_stage(back, "ike-phase2");
    g_assert_cmpint(stage->state, ==, NM_L2TP_STAGE_STATE_NOT_REACHED);
    g_assert_cmpfloat(stage->seconds, <, 0);

    /* The reader's message is the catalog's, with the detail filled in. */
    message = nm_l2tp_report_dup_message(back);
    g_assert_true(strstr(message, "AUTHENTICATION_FAILED") != NULL);
}

static void
test_files(void)
{
    g_autoptr(GError) error        = NULL;
    g_autofree char *dir           = g_dir_make_tmp("nm-l2tp-report-XXXXXX", &error);
    g_autoptr(NML2tpReport) report = failed_psk_report();
    g_autoptr(NML2tpReport) back   = NULL;
    g_autofree char *path          = NULL;

    g_assert_no_error(error);
    g_assert_true(nm_l2tp_report_save(report, dir, &error));
    g_assert_no_error(error);
    back = nm_l2tp_report_load(dir, TEST_UUID, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(back->verdict_stage, ==, "ike-phase1");

    /* Another connection's UUID finds nothing. */
    g_clear_pointer(&back, nm_l2tp_report_free);
    back = nm_l2tp_report_load(dir, "00000000-0000-0000-0000-000000000000", &error);
    g_assert_null(back);
    g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    g_clear_error(&error);

    path = nm_l2tp_report_build_path(dir, TEST_UUID, NULL);
    g_unlink(path);
    g_rmdir(dir);
}

/* Names and details come from profiles and servers: the file holds them
 * escaped, and what is read back is escaped even when the file was not. */
static void
test_escaped(void)
{
    g_autoptr(NML2tpReport) report = nm_l2tp_report_new(TEST_UUID, "office\x1b]0;x\x07");
    g_autoptr(NML2tpReport) back   = NULL;
    g_autoptr(GError) error        = NULL;
    g_autofree char *data          = NULL;
    const char      *raw = "[attempt]\nversion=1\nuuid=" TEST_UUID "\nname=a\x1b[2Jb\xe2\x80\xae"
                           "c\noutcome=failed\n";

    nm_l2tp_report_set_stage(report,
                             "ppp-auth",
                             NM_L2TP_STAGE_STATE_FAILED,
                             1.0,
                             "M=\x1b[31mred\xc2\x9b\xe2\x80\xae"
                             "evil\x7f");
    data = nm_l2tp_report_to_data(report, NULL);
    g_test_message("%s", data);
    g_assert_null(strchr(data, '\x1b'));
    g_assert_null(strchr(data, '\x7f'));
    g_assert_null(strstr(data, "\xe2\x80\xae"));
    g_assert_nonnull(strstr(data, "name=office\\\\x1b]0;x\\\\x07"));
    back = nm_l2tp_report_new_from_data(data, -1, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(back->name, ==, "office\\x1b]0;x\\x07");
    g_assert_cmpstr(nm_l2tp_report_get_stage(back, "ppp-auth")->detail,
                    ==,
                    "M=\\x1b[31mred\\u009b\\u202eevil\\x7f");

    g_clear_pointer(&back, nm_l2tp_report_free);
    back = nm_l2tp_report_new_from_data(raw, -1, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(back->name, ==, "a\\x1b[2Jb\\u202ec");
}

static void
assert_mode(const char *dir, uid_t uid, gid_t gid, mode_t mode)
{
    g_autofree char *path = nm_l2tp_report_build_path(dir, TEST_UUID, NULL);
    struct stat      st;

    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_uid, ==, uid);
    g_assert_cmpint(st.st_gid, ==, gid);
    g_assert_cmpint(st.st_mode & 07777, ==, mode);
}

/* A private connection's report is its owner's, 0400; a connection of
 * several owners gets root's 0600; a system connection's is 0644. */
static void
test_owner(void)
{
    g_autoptr(GError) error        = NULL;
    g_autofree char *dir           = g_dir_make_tmp("nm-l2tp-report-XXXXXX", &error);
    g_autoptr(NML2tpReport) report = failed_psk_report();
    g_autofree char *path          = nm_l2tp_report_build_path(dir, TEST_UUID, NULL);
    struct passwd   *nobody        = getpwnam("nobody");
    uid_t            me            = geteuid();
    gid_t            my_gid        = getegid();

    g_assert_true(nm_l2tp_report_save(report, dir, &error));
    g_assert_no_error(error);
    assert_mode(dir, me, my_gid, 0644);
    if (me != 0) {
        g_test_message("not root: the reports given to other users are not tested");
    } else {
        nm_l2tp_report_set_owner(report, nobody->pw_uid, nobody->pw_gid);
        g_assert_true(nm_l2tp_report_save(report, dir, &error));
        g_assert_no_error(error);
        assert_mode(dir, nobody->pw_uid, nobody->pw_gid, 0400);
        nm_l2tp_report_set_owner(report, 0, 0);
        g_assert_true(nm_l2tp_report_save(report, dir, &error));
        assert_mode(dir, 0, 0, 0600);
    }
    /* No temporary file is left beside it. */
    {
        g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
        guint n           = 0;

        while (g_dir_read_name(d))
            n++;
        g_assert_cmpuint(n, ==, 1);
    }
    g_unlink(path);
    g_rmdir(dir);
}

static void
test_visibility(void)
{
    struct stat system = { .st_uid = 0, .st_mode = S_IFREG | 0644 };
    struct stat shared = { .st_uid = 0, .st_mode = S_IFREG | 0600 };
    struct stat bobs   = { .st_uid = 1000, .st_mode = S_IFREG | 0400 };
    struct stat opened = { .st_uid = 1000, .st_mode = S_IFREG | 0644 };

    g_assert_true(nm_l2tp_report_is_visible_to(&system, 1001));
    g_assert_false(nm_l2tp_report_is_visible_to(&shared, 1001));
    g_assert_true(nm_l2tp_report_is_visible_to(&bobs, 1000));
    g_assert_false(nm_l2tp_report_is_visible_to(&bobs, 1001));
    /* Bob made his report world-readable: still not shown to others. */
    g_assert_false(nm_l2tp_report_is_visible_to(&opened, 1001));
    g_assert_true(nm_l2tp_report_is_visible_to(&bobs, 0));
    g_assert_true(nm_l2tp_report_is_visible_to(&shared, 0));
}

/* A FIFO where the report should be does not hold the reader. */
static void
test_not_regular(void)
{
    g_autoptr(GError) error      = NULL;
    g_autofree char *dir         = g_dir_make_tmp("nm-l2tp-report-XXXXXX", &error);
    g_autofree char *path        = nm_l2tp_report_build_path(dir, TEST_UUID, NULL);
    g_autoptr(NML2tpReport) back = NULL;

    g_assert_cmpint(mkfifo(path, 0644), ==, 0);
    back = nm_l2tp_report_load(dir, TEST_UUID, &error);
    g_assert_null(back);
    g_assert_nonnull(error);
    g_assert_nonnull(strstr(error->message, "not a regular file"));
    g_unlink(path);
    g_rmdir(dir);
}

static void
test_bad_input(void)
{
    static const char *const bad[] = {
        "",
        "[attempt]\nversion=2\noutcome=failed\n",
        "[attempt]\nversion=1\noutcome=exploded\n",
        "[attempt]\nversion=1\noutcome=failed\n[stage ike-phase1]\nstate=maybe\n",
        "[attempt]\nversion=1\noutcome=failed\n[stage ike-phase1]\nstate=failed\nseconds=-3\n",
        "[attempt]\nversion=1\noutcome=failed\n[stage ../etc]\nstate=failed\n",
        "not a key file at all",
    };
    static const char *const bad_uuids[] = { "../../etc/passwd", "", "abc/def", NULL };

    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error        = NULL;
        g_autoptr(NML2tpReport) report = nm_l2tp_report_new_from_data(bad[i], -1, &error);

        g_assert_null(report);
        g_assert_nonnull(error);
    }
    for (guint i = 0; bad_uuids[i]; i++) {
        g_autoptr(GError) error = NULL;
        g_autofree char *path   = nm_l2tp_report_build_path("/tmp", bad_uuids[i], &error);

        g_assert_null(path);
        g_assert_nonnull(error);
    }
}

static void
test_unknown_stage_kept(void)
{
    static const char data[]       = "[attempt]\nversion=1\noutcome=connected\n"
                                     "[stage resolve]\nstate=passed\nseconds=0.1\n"
                                     "[stage future-stage]\nstate=passed\n";
    g_autoptr(GError) error        = NULL;
    g_autoptr(NML2tpReport) report = nm_l2tp_report_new_from_data(data, -1, &error);

    g_assert_no_error(error);
    g_assert_nonnull(nm_l2tp_report_get_stage(report, "future-stage"));
    g_assert_cmpstr(nm_l2tp_report_stage_label("future-stage"), ==, "future-stage");
    g_assert_null(nm_l2tp_report_get_wrong_secret(report));
}

static void
test_sentence(void)
{
    g_autofree char *a = nm_l2tp_report_to_sentence("the key was rejected");
    g_autofree char *b = nm_l2tp_report_to_sentence("Done.");

    g_assert_cmpstr(a, ==, "The key was rejected.");
    g_assert_cmpstr(b, ==, "Done.");
    g_assert_null(nm_l2tp_report_to_sentence(""));
}

int
main(int argc, char **argv)
{
    g_setenv("LANGUAGE", "C", TRUE);
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/round-trip", test_round_trip);
    g_test_add_func("/report/files", test_files);
    g_test_add_func("/report/escaped", test_escaped);
    g_test_add_func("/report/owner", test_owner);
    g_test_add_func("/report/visibility", test_visibility);
    g_test_add_func("/report/not-regular", test_not_regular);
    g_test_add_func("/report/bad-input", test_bad_input);
    g_test_add_func("/report/unknown-stage", test_unknown_stage_kept);
    g_test_add_func("/report/sentence", test_sentence);
    return g_test_run();
}
