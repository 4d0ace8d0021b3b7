/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The timeline of nm-l2tp-diag from fixture reports written with the
 * report API: text, JSON (the lab's interface), and finding the report by
 * UUID, by name and as the most recent one. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <utime.h>

#include "diag-test-util.h"
#include "nm-l2tp-diag-timeline.h"
#include "nm-l2tp-error.h"

typedef struct {
    char *dir;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) psk = diag_test_report_psk_rejected();
    g_autoptr(NML2tpReport) ok  = diag_test_report_connected();
    g_autoptr(GError) error     = NULL;
    g_autofree char *older      = NULL;
    struct utimbuf   times      = { .actime = 1000000, .modtime = 1000000 };

    f->dir = diag_test_make_tmpdir();
    nm_l2tp_report_save(psk, f->dir, &error);
    g_assert_no_error(error);
    nm_l2tp_report_save(ok, f->dir, &error);
    g_assert_no_error(error);
    /* The connected one is older: the PSK failure is the most recent. */
    older = g_build_filename(f->dir, DIAG_TEST_UUID_OK ".report", NULL);
    g_assert_cmpint(utime(older, &times), ==, 0);
    /* Things in the directory that are not reports are ignored. */
    diag_test_write(f->dir, "not-a-uuid.report", "[attempt]\nversion=1\n", 0644);
    diag_test_write(f->dir, DIAG_TEST_UUID_PSK ".log", diag_test_planted_log(), 0600);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
    diag_test_rm_rf(f->dir);
    g_free(f->dir);
}

static JsonObject *parse_object(const char *text, JsonParser *parser);

static void
test_text(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r = diag_test_report_psk_rejected();
    g_autofree char *text     = nm_l2tp_diag_timeline_to_text(r);

    g_test_message("%s", text);
    g_assert_nonnull(strstr(text, "Connection: office (" DIAG_TEST_UUID_PSK ")"));
    g_assert_nonnull(strstr(text, "Outcome: failed at IPsec phase 1 after 1.2 s"));
    /* Each stage with its state; durations from the end times. */
    g_assert_true(g_regex_match_simple(
        "\\[ok\\] Gateway name lookup +passed +0.02 s +at 0.02 s\n", text, 0, 0));
    g_assert_true(g_regex_match_simple(
        "\\[!!\\] IPsec phase 1 +FAILED +1.23 s +at 1.25 s +AUTHENTICATION_FAILED\n", text, 0, 0));
    g_assert_true(g_regex_match_simple("\\[--\\] IPsec phase 2 +not reached\n", text, 0, 0));
    g_assert_true(g_regex_match_simple("\\[--\\] Connected +not reached\n", text, 0, 0));
    g_assert_nonnull(strstr(text,
                            "What went wrong: Pre-shared key rejected: the IPsec pre-shared key "
                            "differs from the server's (AUTHENTICATION_FAILED).\n"));
    g_assert_nonnull(strstr(
        text, "What to check: Check the IPsec pre-shared key (it is not the user password).\n"));
    g_assert_nonnull(strstr(text, "Cause: psk-rejected\n"));
    g_assert_nonnull(strstr(text, "Secret to enter again: ipsec-psk\n"));
}

static void
test_text_connected(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r = diag_test_report_connected();
    g_autofree char *text     = nm_l2tp_diag_timeline_to_text(r);

    g_assert_nonnull(strstr(text, "Outcome: connected after 2.6 s"));
    g_assert_true(
        g_regex_match_simple("\\[ok\\] IPsec phase 1 +passed +1.09 s +at 1.10 s\n", text, 0, 0));
    g_assert_null(strstr(text, "What went wrong"));
    g_assert_null(strstr(text, "[!!]"));
}

/* Details come from peers and programs: redacted like everything else. */
static void
test_redacted(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r     = diag_test_report_psk_rejected();
    g_autoptr(NML2tpRedactor) red = nm_l2tp_redactor_new();
    g_autoptr(NML2tpReport) shown = NULL;
    g_autoptr(JsonNode) node      = NULL;
    g_autoptr(JsonParser) parser  = json_parser_new();
    g_autofree char *text         = NULL;
    g_autofree char *json         = NULL;

    nm_l2tp_report_set_stage(
        r, "resolve", NM_L2TP_STAGE_STATE_PASSED, 0.02, "secret = \"" DIAG_TEST_OTHER_PSK "\"");
    nm_l2tp_redactor_add_secret(red, DIAG_TEST_PSK);
    nm_l2tp_report_set_stage(
        r, "ike-phase1", NM_L2TP_STAGE_STATE_FAILED, 1.25, "key " DIAG_TEST_PSK);
    shown = nm_l2tp_diag_report_redact(r, red);
    text  = nm_l2tp_diag_timeline_to_text(shown);
    node  = nm_l2tp_diag_timeline_to_json(shown);
    json  = nm_l2tp_diag_json_to_string(node);
    diag_test_assert_no_secret("timeline", text, strlen(text));
    diag_test_assert_no_secret("timeline JSON", json, strlen(json));
    g_assert_nonnull(strstr(text, "secret = <redacted>"));
    g_assert_nonnull(strstr(text, "key <redacted>"));
    parse_object(json, parser);
}

static JsonObject *
parse_object(const char *text, JsonParser *parser)
{
    g_autoptr(GError) error = NULL;

    json_parser_load_from_data(parser, text, -1, &error);
    g_assert_no_error(error);
    g_assert_true(JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)));
    return json_node_get_object(json_parser_get_root(parser));
}

static void
check_psk_json(JsonObject *o)
{
    JsonObject *verdict;
    JsonArray  *stages;
    JsonObject *s;

    g_assert_cmpint(json_object_get_int_member(o, "format"), ==, 1);
    g_assert_cmpstr(json_object_get_string_member(o, "uuid"), ==, DIAG_TEST_UUID_PSK);
    g_assert_cmpstr(json_object_get_string_member(o, "name"), ==, "office");
    g_assert_cmpstr(json_object_get_string_member(o, "started"), ==, "2026-11-27T07:57:04Z");
    g_assert_cmpstr(json_object_get_string_member(o, "outcome"), ==, "failed");
    g_assert_cmpfloat_with_epsilon(json_object_get_double_member(o, "seconds"), 1.25, 1e-9);

    verdict = json_object_get_object_member(o, "verdict");
    g_assert_cmpstr(json_object_get_string_member(verdict, "stage"), ==, "ike-phase1");
    g_assert_cmpstr(json_object_get_string_member(verdict, "cause"), ==, "psk-rejected");
    g_assert_cmpstr(json_object_get_string_member(verdict, "wrong-secret"), ==, "ipsec-psk");
    g_assert_nonnull(
        strstr(json_object_get_string_member(verdict, "message"), "Pre-shared key rejected"));
    g_assert_cmpstr(json_object_get_string_member(verdict, "hint"),
                    ==,
                    "Check the IPsec pre-shared key (it is not the user password).");

    stages = json_object_get_array_member(o, "stages");
    g_assert_cmpuint(json_array_get_length(stages), ==, NM_L2TP_STAGE_N);
    for (guint i = 0; i < NM_L2TP_STAGE_N; i++) {
        s = json_array_get_object_element(stages, i);
        g_assert_cmpstr(json_object_get_string_member(s, "id"), ==, nm_l2tp_stage_to_string(i));
    }
    s = json_array_get_object_element(stages, 0);
    g_assert_cmpstr(json_object_get_string_member(s, "state"), ==, "passed");
    g_assert_cmpfloat_with_epsilon(json_object_get_double_member(s, "duration"), 0.02, 1e-9);
    g_assert_true(json_object_get_null_member(s, "detail"));
    s = json_array_get_object_element(stages, 1);
    g_assert_cmpstr(json_object_get_string_member(s, "state"), ==, "failed");
    g_assert_cmpstr(json_object_get_string_member(s, "label"), ==, "IPsec phase 1");
    g_assert_cmpfloat_with_epsilon(json_object_get_double_member(s, "seconds"), 1.25, 1e-9);
    g_assert_cmpfloat_with_epsilon(json_object_get_double_member(s, "duration"), 1.23, 1e-9);
    g_assert_cmpstr(json_object_get_string_member(s, "detail"), ==, "AUTHENTICATION_FAILED");
    s = json_array_get_object_element(stages, 2);
    g_assert_cmpstr(json_object_get_string_member(s, "state"), ==, "not-reached");
    g_assert_true(json_object_get_null_member(s, "seconds"));
    g_assert_true(json_object_get_null_member(s, "duration"));
}

static void
test_json(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r    = diag_test_report_psk_rejected();
    g_autoptr(JsonNode) node     = nm_l2tp_diag_timeline_to_json(r);
    g_autofree char *text        = nm_l2tp_diag_json_to_string(node);
    g_autoptr(JsonParser) parser = json_parser_new();

    check_psk_json(parse_object(text, parser));
}

static void
test_json_connected(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r    = diag_test_report_connected();
    g_autoptr(JsonNode) node     = nm_l2tp_diag_timeline_to_json(r);
    g_autofree char *text        = nm_l2tp_diag_json_to_string(node);
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonObject *o                = parse_object(text, parser);
    JsonObject *verdict          = json_object_get_object_member(o, "verdict");

    g_assert_cmpstr(json_object_get_string_member(o, "outcome"), ==, "connected");
    g_assert_true(json_object_get_null_member(verdict, "stage"));
    g_assert_true(json_object_get_null_member(verdict, "cause"));
    g_assert_true(json_object_get_null_member(verdict, "wrong-secret"));
    g_assert_cmpfloat_with_epsilon(json_object_get_double_member(o, "seconds"), 2.6, 1e-9);
}

static void
test_find(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) error    = NULL;
    g_autoptr(NML2tpReport) r1 = nm_l2tp_diag_report_find(f->dir, NULL, NULL, &error);
    g_autoptr(NML2tpReport) r2 = NULL;
    g_autoptr(NML2tpReport) r3 = NULL;
    g_autoptr(NML2tpReport) r4 = NULL;

    g_assert_no_error(error);
    g_assert_cmpstr(r1->uuid, ==, DIAG_TEST_UUID_PSK);
    r2 = nm_l2tp_diag_report_find(f->dir, "lab", NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(r2->uuid, ==, DIAG_TEST_UUID_OK);
    r3 = nm_l2tp_diag_report_find(f->dir, DIAG_TEST_UUID_OK, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(r3->name, ==, "lab");
    r4 = nm_l2tp_diag_report_find(f->dir, "nowhere", NULL, &error);
    g_assert_null(r4);
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_MISSING);
}

static void
test_find_empty(Fixture *f, gconstpointer data)
{
    g_autofree char *empty  = diag_test_make_tmpdir();
    g_autofree char *gone   = g_build_filename(empty, "gone", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_null(nm_l2tp_diag_report_find(empty, NULL, NULL, &error));
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_MISSING);
    g_clear_error(&error);
    g_assert_null(nm_l2tp_diag_report_find(gone, NULL, NULL, &error));
    g_assert_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_MISSING);
    diag_test_rm_rf(empty);
}

/* The command: default report, by name, --json, and a missing one. */
static void
test_command(Fixture *f, gconstpointer data)
{
    g_autofree char *out = NULL, *err = NULL;
    g_autoptr(JsonParser) parser = json_parser_new();
    const char *json_args[]      = { "--json", NULL };
    const char *name_args[]      = { "lab", NULL };
    const char *bad_args[]       = { "no-such-connection", NULL };
    const char *usage_args[]     = { "--check", "--logs", NULL };

    g_assert_cmpint(diag_test_run(f->dir, NULL, &out, &err), ==, 0);
    g_assert_nonnull(strstr(out, "Connection: office"));
    g_assert_nonnull(strstr(out, "What to check: Check the IPsec pre-shared key"));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);

    g_assert_cmpint(diag_test_run(f->dir, json_args, &out, &err), ==, 0);
    check_psk_json(parse_object(out, parser));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);

    g_assert_cmpint(diag_test_run(f->dir, name_args, &out, &err), ==, 0);
    g_assert_nonnull(strstr(out, "Outcome: connected after 2.6 s"));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);

    g_assert_cmpint(diag_test_run(f->dir, bad_args, &out, &err), ==, 1);
    g_assert_nonnull(strstr(err, "no-such-connection"));
    g_clear_pointer(&out, g_free);
    g_clear_pointer(&err, g_free);

    g_assert_cmpint(diag_test_run(f->dir, usage_args, &out, &err), ==, 2);
}

/* A disconnect while connecting: the report, written and read back, says
 * cancelled and where, and the timeline says so in words. */
static void
test_cancelled(Fixture *f, gconstpointer data)
{
    g_autoptr(NML2tpReport) r      = nm_l2tp_report_new(DIAG_TEST_UUID_OK, "lab");
    g_autoptr(NML2tpReport) loaded = NULL;
    g_autoptr(GError) error        = NULL;
    g_autofree char *text          = NULL;
    g_autofree char *json          = NULL;
    g_autoptr(JsonNode) node       = NULL;
    g_autoptr(JsonParser) parser   = json_parser_new();
    JsonObject *o;

    r->started = g_date_time_new_utc(2026, 11, 27, 8, 0, 0);
    nm_l2tp_report_set_stage(r, "resolve", NM_L2TP_STAGE_STATE_PASSED, 0.01, NULL);
    nm_l2tp_report_set_stage(r, "ike-phase1", NM_L2TP_STAGE_STATE_PASSED, 1.1, NULL);
    nm_l2tp_report_set_stage(r, "ike-phase2", NM_L2TP_STAGE_STATE_PASSED, 1.5, NULL);
    nm_l2tp_report_set_verdict(r, NM_L2TP_OUTCOME_CANCELLED, "l2tp-tunnel", NULL, NULL, NULL, NULL);
    g_assert_true(nm_l2tp_report_save(r, f->dir, &error));
    g_assert_no_error(error);
    loaded = nm_l2tp_report_load(f->dir, DIAG_TEST_UUID_OK, &error);
    g_assert_no_error(error);
    g_assert_cmpint(loaded->outcome, ==, NM_L2TP_OUTCOME_CANCELLED);
    g_assert_cmpstr(loaded->verdict_stage, ==, "l2tp-tunnel");

    text = nm_l2tp_diag_timeline_to_text(loaded);
    g_test_message("%s", text);
    g_assert_nonnull(strstr(text, "Outcome: disconnected by the user during L2TP tunnel"));
    g_assert_null(strstr(text, "in progress"));
    g_assert_null(strstr(text, "What went wrong"));

    node = nm_l2tp_diag_timeline_to_json(loaded);
    json = nm_l2tp_diag_json_to_string(node);
    o    = parse_object(json, parser);
    g_assert_cmpstr(json_object_get_string_member(o, "outcome"), ==, "cancelled");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
    ADD("/diag/timeline/text", test_text);
    ADD("/diag/timeline/text-connected", test_text_connected);
    ADD("/diag/timeline/json", test_json);
    ADD("/diag/timeline/json-connected", test_json_connected);
    ADD("/diag/timeline/cancelled", test_cancelled);
    ADD("/diag/timeline/redacted", test_redacted);
    ADD("/diag/timeline/find", test_find);
    ADD("/diag/timeline/find-empty", test_find_empty);
    ADD("/diag/timeline/command", test_command);
    return g_test_run();
}
