/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The diagnosis rules, replaying charon 5.9.8 log lines recorded by the
 * netns tests (tests/netns/run-ipsec-tests -v), and the catalog's
 * consistency. */

#include "config.h"

#include <string.h>

#include "nm-l2tp-catalog.h"
#include "nm-l2tp-ipsec-diag.h"

typedef struct {
    const char        *name;
    const char *const *lines; /* "GRP message" */
    NML2tpStage        stage;
    NML2tpCause        cause;
    const char        *detail_part; /* substring of the detail, NULL: no check */
} Case;

static const char *const psk_mismatch[] = {
    "IKE initiating Main Mode IKE_SA c1[1] to 10.99.0.1",
    "ENC generating ID_PROT request 0 [ SA V V V V V ]",
    "NET received packet: from 10.99.0.1[500] to 10.99.0.2[500] (160 bytes)",
    "CFG selected proposal: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048",
    "ENC generating ID_PROT request 0 [ KE No NAT-D NAT-D ]",
    "NET received packet: from 10.99.0.1[500] to 10.99.0.2[500] (372 bytes)",
    "ENC generating ID_PROT request 0 [ ID HASH ]",
    "NET received packet: from 10.99.0.1[500] to 10.99.0.2[500] (92 bytes)",
    "ENC invalid HASH_V1 payload length, decryption failed?",
    "ENC could not decrypt payloads",
    NULL,
};

static const char *const ike_no_proposal[] = {
    "ENC generating ID_PROT request 0 [ SA V V V V V ]",
    "NET received packet: from 192.0.2.17[500] to 192.0.2.18[500] (56 bytes)",
    "ENC parsed INFORMATIONAL_V1 request 752135095 [ N(NO_PROP) ]",
    "IKE received NO_PROPOSAL_CHOSEN error notify",
    NULL,
};

#define MAIN_MODE_OK                                                                             \
    "ENC generating ID_PROT request 0 [ SA V V V V V ]",                                         \
        "NET received packet: from 192.0.2.17[500] to 192.0.2.18[500] (160 bytes)",              \
        "ENC parsed ID_PROT response 0 [ SA V V V V ]",                                          \
        "CFG received proposals: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048", \
        "ENC generating ID_PROT request 0 [ KE No NAT-D NAT-D ]",                                \
        "NET received packet: from 192.0.2.17[500] to 192.0.2.18[500] (396 bytes)",              \
        "ENC parsed ID_PROT response 0 [ KE No NAT-D NAT-D ]",                                   \
        "ENC generating ID_PROT request 0 [ ID HASH ]",                                          \
        "NET received packet: from 192.0.2.17[500] to 192.0.2.18[500] (92 bytes)",               \
        "ENC parsed ID_PROT response 0 [ ID HASH ]",                                             \
        "IKE IKE_SA 4ca1ab45-c528-49c9-9341-480d724ef29a[1] established between "                \
        "192.0.2.18[192.0.2.18]...192.0.2.17[192.0.2.17]",                                       \
        "ENC generating QUICK_MODE request 2674039059 [ HASH SA No ID ID ]"

static const char *const esp_no_proposal[] = {
    MAIN_MODE_OK,
    "NET received packet: from 192.0.2.17[500] to 192.0.2.18[500] (92 bytes)",
    "ENC parsed INFORMATIONAL_V1 request 1485588421 [ HASH N(NO_PROP) ]",
    "IKE received NO_PROPOSAL_CHOSEN error notify",
    NULL,
};

static const char *const invalid_id[] = {
    MAIN_MODE_OK,
    "NET received packet: from 192.0.2.17[500] to 192.0.2.18[500] (92 bytes)",
    "IKE received INVALID_ID_INFORMATION error notify",
    NULL,
};

static const char *const remote_id_mismatch[] = {
    "ENC generating ID_PROT request 0 [ ID HASH N(INITIAL_CONTACT) ]",
    "NET received packet: from 192.0.2.17[500] to 192.0.2.18[500] (92 bytes)",
    "ENC parsed ID_PROT response 0 [ ID HASH ]",
    "IKE IDir '192.0.2.17' does not match to 'vpn.example.com'",
    NULL,
};

static const char *const untrusted_cert[] = {
    "ENC parsed ID_PROT response 0 [ ID CERT SIG ]",
    "IKE received end entity cert \"CN=server.example.com\"",
    "CFG no issuer certificate found for \"CN=server.example.com\"",
    "CFG   issuer is \"CN=Test CA\"",
    "IKE no trusted ECDSA public key found for 'server.example.com'",
    NULL,
};

static const char *const no_response[] = {
    "IKE initiating Main Mode IKE_SA c1[1] to 10.99.0.9",
    "IKE sending retransmit 1 of request message ID 0, seq 1",
    "IKE giving up after 5 retransmits",
    NULL,
};

static const char *const kernel_no_esp[] = {
    MAIN_MODE_OK,
    "NET received packet: from 192.0.2.17[500] to 192.0.2.18[500] (188 bytes)",
    "ENC parsed QUICK_MODE response 3885810348 [ HASH SA No ID ID ]",
    "KNL got SPI c1dd437b",
    "CHD CHILD_SA 3660416d-0976-4a05-9dfc-c6b9099f2ccf{1} state change: CREATED => INSTALLING",
    "KNL adding SAD entry with SPI c1dd437b and reqid {1}",
    "KNL received netlink error: Protocol not supported (93)",
    "KNL unable to add SAD entry with SPI c1dd437b (FAILED)",
    NULL,
};

static const Case cases[] = {
    { "psk-mismatch", psk_mismatch, NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_PSK_REJECTED, NULL },
    { "ike-no-proposal",
      ike_no_proposal,
      NM_L2TP_STAGE_IKE_PHASE1,
      NM_L2TP_CAUSE_NO_PROPOSAL_CHOSEN,
      "IKE aes" },
    { "esp-no-proposal",
      esp_no_proposal,
      NM_L2TP_STAGE_IKE_PHASE2,
      NM_L2TP_CAUSE_NO_PROPOSAL_CHOSEN,
      "ESP aes" },
    { "invalid-id", invalid_id, NM_L2TP_STAGE_IKE_PHASE2, NM_L2TP_CAUSE_INVALID_ID, NULL },
    { "remote-id-mismatch",
      remote_id_mismatch,
      NM_L2TP_STAGE_IKE_PHASE1,
      NM_L2TP_CAUSE_REMOTE_ID_MISMATCH,
      "the server sent '192.0.2.17', expected 'vpn.example.com'" },
    { "untrusted-cert",
      untrusted_cert,
      NM_L2TP_STAGE_IKE_PHASE1,
      NM_L2TP_CAUSE_CERT_REJECTED,
      "certificate for 'server.example.com' is not signed by the configured CA (its issuer is "
      "CN=Test CA)" },
    { "no-response",
      no_response,
      NM_L2TP_STAGE_IKE_PHASE1,
      NM_L2TP_CAUSE_NO_RESPONSE,
      "10.99.0.1" },
    { "kernel-no-esp",
      kernel_no_esp,
      NM_L2TP_STAGE_IKE_PHASE2,
      NM_L2TP_CAUSE_ESP_UNSUPPORTED_KERNEL,
      "Protocol not supported" },
};

static NML2tpIpsecDiag *
new_diag(void)
{
    NML2tpIpsecDiagParams p = {
        .gateway       = "10.99.0.1",
        .ike_proposals = "aes256-sha256-modp2048",
        .esp_proposals = "aes256-sha256",
        .psk           = TRUE,
    };

    return nm_l2tp_ipsec_diag_new(&p);
}

static void
feed(NML2tpIpsecDiag *d, const char *line)
{
    g_autofree char *group = g_strndup(line, strcspn(line, " "));

    nm_l2tp_ipsec_diag_feed(d, group, line + strlen(group) + 1);
}

static void
test_case(gconstpointer data)
{
    const Case *c                = data;
    g_autoptr(NML2tpIpsecDiag) d = new_diag();
    guint i;

    for (i = 0; c->lines[i]; i++)
        feed(d, c->lines[i]);
    /* the no-response case also ends by our timer */
    nm_l2tp_ipsec_diag_finish(d, NULL, TRUE);
    g_assert_true(nm_l2tp_ipsec_diag_has_verdict(d));
    g_assert_cmpstr(nm_l2tp_stage_to_string(nm_l2tp_ipsec_diag_get_stage(d)),
                    ==,
                    nm_l2tp_stage_to_string(c->stage));
    g_assert_cmpstr(nm_l2tp_cause_to_string(nm_l2tp_ipsec_diag_get_cause(d)),
                    ==,
                    nm_l2tp_cause_to_string(c->cause));
    if (c->detail_part)
        g_assert_nonnull(strstr(nm_l2tp_ipsec_diag_get_detail(d), c->detail_part));
}

/* The verdict comes with the line that settles it, not at the end. */
static void
test_early_verdict(void)
{
    g_autoptr(NML2tpIpsecDiag) d = new_diag();

    g_assert_false(nm_l2tp_ipsec_diag_feed(d, "ENC", "generating ID_PROT request 0 [ ID HASH ]"));
    g_assert_true(
        nm_l2tp_ipsec_diag_feed(d, "ENC", "invalid HASH_V1 payload length, decryption failed?"));
    /* later lines do not change it */
    g_assert_false(nm_l2tp_ipsec_diag_feed(d, "IKE", "giving up after 5 retransmits"));
    g_assert_cmpint(nm_l2tp_ipsec_diag_get_cause(d), ==, NM_L2TP_CAUSE_PSK_REJECTED);
}

static void
test_timeout_after_reply(void)
{
    g_autoptr(NML2tpIpsecDiag) d = new_diag();

    feed(d, "NET received packet: from 10.99.0.1[500] to 10.99.0.2[500] (160 bytes)");
    nm_l2tp_ipsec_diag_finish(d, NULL, TRUE);
    g_assert_cmpint(nm_l2tp_ipsec_diag_get_cause(d), ==, NM_L2TP_CAUSE_TIMEOUT);
}

/* A server that drops our [ ID HASH ] silently (wrong PSK, Windows style). */
static void
test_silent_after_auth(void)
{
    g_autoptr(NML2tpIpsecDiag) d = new_diag();

    feed(d, "ENC generating ID_PROT request 0 [ SA V V V V V ]");
    feed(d, "NET received packet: from 10.99.0.1[500] to 10.99.0.2[500] (160 bytes)");
    feed(d, "ENC generating ID_PROT request 0 [ KE No NAT-D NAT-D ]");
    feed(d, "NET received packet: from 10.99.0.1[500] to 10.99.0.2[500] (372 bytes)");
    feed(d, "ENC generating ID_PROT request 0 [ ID HASH ]");
    feed(d, "IKE sending retransmit 1 of request message ID 0, seq 3");
    nm_l2tp_ipsec_diag_finish(d, NULL, TRUE);
    g_assert_cmpint(nm_l2tp_ipsec_diag_get_cause(d), ==, NM_L2TP_CAUSE_PSK_REJECTED);
    g_assert_cmpint(nm_l2tp_ipsec_diag_get_stage(d), ==, NM_L2TP_STAGE_IKE_PHASE1);
}

static void
test_catalog(void)
{
    guint i, j;

    for (i = 0; i < NM_L2TP_STAGE_N; i++) {
        g_assert_nonnull(nm_l2tp_stage_to_string(i));
        g_assert_cmpint(nm_l2tp_stage_from_string(nm_l2tp_stage_to_string(i)), ==, i);
        g_assert_nonnull(nm_l2tp_stage_get_label(i));
    }
    g_assert_cmpint(nm_l2tp_stage_from_string("nope"), ==, NM_L2TP_STAGE_N);
    for (i = 0; i < NM_L2TP_CAUSE_N; i++) {
        const NML2tpCauseInfo *info = nm_l2tp_cause_get_info(i);

        g_assert_cmpint(info->cause, ==, i);
        g_assert_nonnull(info->id);
        g_assert_nonnull(info->message);
        g_assert_nonnull(info->hint);
        g_assert_cmpint(nm_l2tp_cause_from_string(info->id), ==, i);
        if (info->message_detail)
            g_assert_nonnull(strstr(info->message_detail, "%s"));
        for (j = 0; j < i; j++)
            g_assert_cmpstr(nm_l2tp_cause_get_info(j)->id, !=, info->id);
    }
    g_assert_cmpint(nm_l2tp_cause_from_string("nope"), ==, NM_L2TP_CAUSE_N);
}

static void
test_record(void)
{
    g_autoptr(NML2tpStageRecord) r = nm_l2tp_stage_record_new(
        NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_NO_RESPONSE, "192.0.2.1", 10.25);
    g_autoptr(NML2tpStageRecord) r2 = nm_l2tp_stage_record_copy(r);
    g_autoptr(NML2tpStageRecord) r3 =
        nm_l2tp_stage_record_new(NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_PSK_REJECTED, NULL, 1.0);
    g_autofree char *line = nm_l2tp_stage_record_to_string(r);

    g_assert_cmpstr(r->message, ==, "no response from 192.0.2.1");
    g_assert_cmpstr(r2->message, ==, r->message);
    g_assert_cmpint(r->wrong_secret, ==, NM_L2TP_SECRET_NONE);
    g_assert_cmpint(r3->wrong_secret, ==, NM_L2TP_SECRET_IPSEC_PSK);
    g_assert_nonnull(strstr(r3->message, "pre-shared key rejected"));
    g_assert_cmpstr(line, ==, "failed at IPsec phase 1 after 10.2 s: no response from 192.0.2.1");
}

int
main(int argc, char **argv)
{
    guint i;

    g_test_init(&argc, &argv, NULL);
    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/ipsec-diag/%s", cases[i].name);

        g_test_add_data_func(path, &cases[i], test_case);
    }
    g_test_add_func("/ipsec-diag/early-verdict", test_early_verdict);
    g_test_add_func("/ipsec-diag/timeout-after-reply", test_timeout_after_reply);
    g_test_add_func("/ipsec-diag/silent-after-auth", test_silent_after_auth);
    g_test_add_func("/catalog/consistency", test_catalog);
    g_test_add_func("/catalog/record", test_record);
    return g_test_run();
}
