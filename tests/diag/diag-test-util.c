/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "diag-test-util.h"

#include <glib/gstdio.h>
#include <grp.h>
#include <string.h>
#include <unistd.h>

char *
diag_test_make_tmpdir(void)
{
    g_autoptr(GError) error = NULL;
    char *dir               = g_dir_make_tmp("nm-l2tp-diag-test-XXXXXX", &error);

    g_assert_no_error(error);
    return dir;
}

void
diag_test_rm_rf(const char *path)
{
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *child = g_build_filename(path, name, NULL);

        if (g_file_test(child, G_FILE_TEST_IS_DIR) && !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
            diag_test_rm_rf(child);
        else
            g_unlink(child);
    }
    g_rmdir(path);
}

void
diag_test_write(const char *dir, const char *name, const char *content, int mode)
{
    g_autofree char *path   = g_build_filename(dir, name, NULL);
    g_autofree char *parent = g_path_get_dirname(path);
    g_autoptr(GError) error = NULL;

    g_mkdir_with_parents(parent, 0755);
    g_file_set_contents_full(path, content, -1, G_FILE_SET_CONTENTS_NONE, mode, &error);
    g_assert_no_error(error);
}

NML2tpReport *
diag_test_report_psk_rejected(void)
{
    NML2tpReport *r                  = nm_l2tp_report_new(DIAG_TEST_UUID_PSK, "office");
    g_autoptr(NML2tpStageRecord) rec = nm_l2tp_stage_record_new(
        NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_PSK_REJECTED, "AUTHENTICATION_FAILED", 1.25);

    r->started = g_date_time_new_utc(2026, 11, 27, 7, 57, 4);
    nm_l2tp_report_set_stage(r, "resolve", NM_L2TP_STAGE_STATE_PASSED, 0.02, NULL);
    nm_l2tp_report_set_verdict_from_record(r, rec);
    for (guint s = NM_L2TP_STAGE_IKE_PHASE2; s < NM_L2TP_STAGE_N; s++)
        nm_l2tp_report_set_stage(
            r, nm_l2tp_stage_to_string(s), NM_L2TP_STAGE_STATE_NOT_REACHED, -1, NULL);
    return r;
}

NML2tpReport *
diag_test_report_connected(void)
{
    static const double ends[] = { 0.01, 1.1, 1.5, 1.7, 1.8, 2.0, 2.3, 2.6, 2.6 };
    NML2tpReport       *r      = nm_l2tp_report_new(DIAG_TEST_UUID_OK, "lab");

    r->started = g_date_time_new_utc(2026, 11, 27, 8, 0, 0);
    for (guint s = 0; s < NM_L2TP_STAGE_N; s++)
        nm_l2tp_report_set_stage(
            r, nm_l2tp_stage_to_string(s), NM_L2TP_STAGE_STATE_PASSED, ends[s], NULL);
    nm_l2tp_report_set_verdict(r, NM_L2TP_OUTCOME_CONNECTED, NULL, NULL, NULL, NULL, NULL);
    return r;
}

const char *
diag_test_planted_log(void)
{
    return "   0.010 ike: initiating Main Mode IKE_SA " DIAG_TEST_UUID_PSK "[1] to 198.51.100.1\n"
           "   0.020 ike: loaded IKE shared key with id 'psk' for: %any: " DIAG_TEST_PSK "\n"
           "   0.030 ike: secret = \"" DIAG_TEST_OTHER_PSK "\"\n"
           "   0.040 ike: ipsec-psk=" DIAG_TEST_OTHER_PSK "\n"
           "   0.050 ike: PSK as strongSwan encodes it: 0sUGw0bnRlZC1QU0stOXo=\n"
           "   0.060 ike: and as hex 0x506c346e7465642d50534b2d397a\n"
           "   0.070 ike: : PSK \"" DIAG_TEST_OTHER_PSK "\"\n"
           "   0.080 ike: received AUTHENTICATION_FAILED notify error\n"
           "   1.100 l2tp: Connecting to host 198.51.100.1, port 1701\n"
           "   1.200 ppp: password " DIAG_TEST_OTHER_PSK "\n"
           "   1.300 ppp: sent [PAP AuthReq id=0x1 user=\"labuser\" password=\"" DIAG_TEST_PASSWORD
           "\"]\n"
           "   1.400 ppp: rcvd [CHAP Challenge id=0x1 <5e2c7a1b9d3f4e60a1b2c3d4e5f60718>, name = "
           "\"labsrv\"]\n"
           "   1.500 ppp: sent [CHAP Response id=0x1 "
           "<00112233445566778899aabbccddeeff0011223344556677>, name = \"labuser\"]\n"
           "   1.600 ppp: rcvd [LCP ConfReq id=0x1 <mru 1400> <magic 0x5e4e2c1a>]\n"
           "   1.700 ppp: user-certpass: " DIAG_TEST_CERTPASS "\n"
           "   1.800 ppp: the password was " DIAG_TEST_PASSWORD " all along\n";
}

typedef struct {
    uid_t uid;
    gid_t gid;
} RunAs;

/* Between fork and exec in the test's child: only system calls. */
static void
drop_to(gpointer data)
{
    const RunAs *as = data;

    if (setgroups(0, NULL) != 0 || setgid(as->gid) != 0 || setuid(as->uid) != 0)
        _exit(126);
}

static int
run_diag(const RunAs *as, const char *report_dir, const char *const *args, char **out, char **err)
{
    g_autoptr(GSubprocessLauncher) l =
        g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_autoptr(GSubprocess) p  = NULL;
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autoptr(GError) error   = NULL;
    const char *bin           = g_getenv("NM_L2TP_DIAG_BIN");

    g_assert_nonnull(bin);
    g_ptr_array_add(argv, (gpointer)bin);
    for (guint i = 0; args && args[i]; i++)
        g_ptr_array_add(argv, (gpointer)args[i]);
    g_ptr_array_add(argv, NULL);
    if (report_dir)
        g_subprocess_launcher_setenv(l, "NM_L2TP_REPORT_DIR", report_dir, TRUE);
    g_subprocess_launcher_setenv(l, "LC_ALL", "C.UTF-8", TRUE);
    if (as)
        g_subprocess_launcher_set_child_setup(l, drop_to, (gpointer)as, NULL);
    p = g_subprocess_launcher_spawnv(l, (const char *const *)argv->pdata, &error);
    g_assert_no_error(error);
    g_subprocess_communicate_utf8(p, NULL, NULL, out, err, &error);
    g_assert_no_error(error);
    g_assert_true(g_subprocess_get_if_exited(p));
    return g_subprocess_get_exit_status(p);
}

int
diag_test_run(const char *report_dir, const char *const *args, char **out, char **err)
{
    return run_diag(NULL, report_dir, args, out, err);
}

int
diag_test_run_as(
    uid_t uid, gid_t gid, const char *report_dir, const char *const *args, char **out, char **err)
{
    RunAs as = { .uid = uid, .gid = gid };

    return run_diag(&as, report_dir, args, out, err);
}

static void
assert_absent(const char *what, const char *text, gsize len, const char *needle)
{
    if (memmem(text, len, needle, strlen(needle)))
        g_error("%s contains the planted secret '%s':\n%.*s", what, needle, (int)len, text);
}

void
diag_test_assert_no_secret(const char *what, const char *text, gsize len)
{
    static const char *const secrets[] = {
        DIAG_TEST_PASSWORD,
        DIAG_TEST_PSK,
        DIAG_TEST_CERTPASS,
        DIAG_TEST_OTHER_PSK,
        "UGw0bnRlZC1QU0stOXo",              /* base64 of the PSK */
        "506c346e7465642d50534b2d397a",     /* hex of the PSK */
        "00112233445566778899aabbccddeeff", /* the CHAP response */
    };

    for (guint i = 0; i < G_N_ELEMENTS(secrets); i++)
        assert_absent(what, text, len, secrets[i]);
}
