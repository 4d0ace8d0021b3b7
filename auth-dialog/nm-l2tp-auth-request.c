/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-auth-request.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "nm-l2tp-escape.h"
#include "nm-l2tp-keys.h"

#define VPN_MESSAGE_HINT "x-vpn-message:"
#define UI_GROUP         "VPN Plugin UI"

static const char *const secret_keys[NM_L2TP_AUTH_N_SECRETS] = {
    NM_L2TP_KEY_PASSWORD,
    NM_L2TP_KEY_IPSEC_PSK,
};

const char *
nm_l2tp_auth_secret_label(const char *key)
{
    if (g_strcmp0(key, NM_L2TP_KEY_PASSWORD) == 0)
        return _("_Password:");
    if (g_strcmp0(key, NM_L2TP_KEY_IPSEC_PSK) == 0)
        return _("Pre-_shared key:");
    return key;
}

NML2tpAuthSecret *
nm_l2tp_auth_request_get_secret(NML2tpAuthRequest *request, const char *key)
{
    for (guint i = 0; i < NM_L2TP_AUTH_N_SECRETS; i++) {
        if (g_strcmp0(request->secrets[i].key, key) == 0)
            return &request->secrets[i];
    }
    return NULL;
}

/* A vpn.data value, or the key table's default when it is unset. */
static const char *
data_value(GHashTable *data, const char *key)
{
    const char          *value = data ? g_hash_table_lookup(data, key) : NULL;
    const NML2tpKeyInfo *ki;

    if (value)
        return value;
    ki = nm_l2tp_key_lookup(key);
    return ki ? ki->default_value : NULL;
}

static gboolean
secret_is_needed(GHashTable *data, const char *key)
{
    const char *auth;

    if (g_strcmp0(key, NM_L2TP_KEY_PASSWORD) == 0) {
        auth = data_value(data, NM_L2TP_KEY_USER_AUTH_TYPE);
        return !auth || g_strcmp0(auth, NM_L2TP_AUTHTYPE_PASSWORD) == 0;
    }
    if (g_strcmp0(key, NM_L2TP_KEY_IPSEC_PSK) == 0) {
        if (g_strcmp0(data_value(data, NM_L2TP_KEY_IPSEC_ENABLE), "yes") != 0)
            return FALSE;
        auth = data_value(data, NM_L2TP_KEY_MACHINE_AUTH_TYPE);
        return !auth || g_strcmp0(auth, NM_L2TP_AUTHTYPE_PSK) == 0;
    }
    return FALSE;
}

/* Which secret a failed attempt says is wrong. */
static const char *
report_wrong_secret(const NML2tpReport *report)
{
    const char *wrong;

    if (!report || report->outcome != NM_L2TP_OUTCOME_FAILED)
        return NULL;
    wrong = nm_l2tp_report_get_wrong_secret(report);
    if (!wrong && g_strcmp0(report->verdict_stage, "ppp-auth") == 0)
        return NM_L2TP_KEY_PASSWORD;
    return wrong;
}

static char *
report_message(const NML2tpReport *report)
{
    g_autofree char *message  = NULL;
    g_autofree char *hint     = NULL;
    g_autofree char *escaped  = NULL;
    g_autofree char *escaped2 = NULL;
    g_autofree char *m_sent   = NULL;
    g_autofree char *h_sent   = NULL;
    g_autofree char *stage    = NULL;
    GString         *str;

    if (!report || report->outcome != NM_L2TP_OUTCOME_FAILED)
        return NULL;
    stage = report->verdict_stage ?
                nm_l2tp_escape_text(nm_l2tp_report_stage_label(report->verdict_stage), -1, 0) :
                g_strdup(_("an unknown stage"));
    str   = g_string_new(NULL);
    /* TRANSLATORS: %s is a stage such as "IPsec phase 1". */
    g_string_append_printf(str, _("The last connection attempt failed at %s."), stage);
    message = nm_l2tp_report_dup_message(report);
    escaped = nm_l2tp_escape_text(message, -1, NM_L2TP_ESCAPE_NONE);
    m_sent  = nm_l2tp_report_to_sentence(escaped);
    if (m_sent) {
        g_string_append_c(str, ' ');
        g_string_append(str, m_sent);
    }
    hint     = nm_l2tp_report_dup_hint(report);
    escaped2 = nm_l2tp_escape_text(hint, -1, NM_L2TP_ESCAPE_NONE);
    h_sent   = nm_l2tp_report_to_sentence(escaped2);
    if (h_sent) {
        g_string_append_c(str, '\n');
        g_string_append(str, h_sent);
    }
    return g_string_free(str, FALSE);
}

NML2tpAuthRequest *
nm_l2tp_auth_request_new(const char         *uuid,
                         const char         *name,
                         GHashTable         *data,
                         GHashTable         *secrets,
                         const char *const  *hints,
                         gboolean            interactive,
                         gboolean            reprompt,
                         const NML2tpReport *report)
{
    NML2tpAuthRequest *request = g_new0(NML2tpAuthRequest, 1);
    gboolean           hinted  = FALSE;
    g_autofree char   *why     = NULL;

    request->uuid = g_strdup(uuid);
    /* The name, the service's message (which may quote the server) and
     * the report's words are shown in the dialog and GNOME Shell's
     * prompt: with their control characters escaped. */
    request->name        = nm_l2tp_escape_text(name ? name : uuid, -1, NM_L2TP_ESCAPE_NONE);
    request->interactive = interactive;
    request->reprompt    = reprompt;

    for (guint i = 0; i < NM_L2TP_AUTH_N_SECRETS; i++) {
        NML2tpAuthSecret *secret = &request->secrets[i];
        const char       *value  = secrets ? g_hash_table_lookup(secrets, secret_keys[i]) : NULL;

        secret->key = secret_keys[i];
        if (data)
            nm_vpn_service_plugin_get_secret_flags(data, secret->key, &secret->flags);
        secret->needed = secret_is_needed(data, secret->key)
                         && !(secret->flags & NM_SETTING_SECRET_FLAG_NOT_REQUIRED);
        if (value && *value && !(secret->flags & NM_SETTING_SECRET_FLAG_NOT_SAVED))
            secret->value = g_strdup(value);
    }

    /* With hints, the service says exactly what to ask for. */
    for (guint i = 0; hints && hints[i]; i++) {
        NML2tpAuthSecret *secret;

        if (g_str_has_prefix(hints[i], VPN_MESSAGE_HINT)) {
            g_free(request->vpn_message);
            request->vpn_message =
                nm_l2tp_escape_text(hints[i] + strlen(VPN_MESSAGE_HINT), -1, NM_L2TP_ESCAPE_NONE);
            continue;
        }
        secret = nm_l2tp_auth_request_get_secret(request, hints[i]);
        if (secret) {
            secret->ask = secret->needed = TRUE;
            hinted                       = TRUE;
            if (!request->focus_key)
                request->focus_key = secret->key;
        }
    }
    request->hinted = hinted;

    if (reprompt || hinted) {
        const char       *wrong  = report_wrong_secret(report);
        NML2tpAuthSecret *secret = wrong ? nm_l2tp_auth_request_get_secret(request, wrong) : NULL;

        if (!request->focus_key && secret && secret->needed)
            request->focus_key = secret->key;
        why = report_message(report);
    }

    if (request->vpn_message && why)
        request->message = g_strdup_printf("%s\n%s", request->vpn_message, why);
    else if (request->vpn_message)
        request->message = g_strdup(request->vpn_message);
    else if (why)
        request->message = g_steal_pointer(&why);
    else
        request->message =
            g_strdup_printf(_("Secrets are required to connect to the VPN “%s”."), request->name);
    return request;
}

void
nm_l2tp_auth_request_free(NML2tpAuthRequest *request)
{
    if (!request)
        return;
    for (guint i = 0; i < NM_L2TP_AUTH_N_SECRETS; i++) {
        if (request->secrets[i].value) {
            memset(request->secrets[i].value, 0, strlen(request->secrets[i].value));
            g_free(request->secrets[i].value);
        }
    }
    g_free(request->uuid);
    g_free(request->name);
    g_free(request->vpn_message);
    g_free(request->message);
    g_free(request);
}

void
nm_l2tp_auth_request_resolve(NML2tpAuthRequest *request, gboolean use_keyring)
{
    for (guint i = 0; i < NM_L2TP_AUTH_N_SECRETS; i++) {
        NML2tpAuthSecret *secret = &request->secrets[i];

        if (!secret->needed)
            continue;
        if (!secret->value && use_keyring && !(secret->flags & NM_SETTING_SECRET_FLAG_NOT_SAVED))
            secret->value = nm_l2tp_auth_keyring_lookup(request->uuid, secret->key);
        /* With hints, exactly the hinted secrets are asked for. */
        if (!request->interactive || request->hinted)
            continue;
        if (!secret->value || (secret->flags & NM_SETTING_SECRET_FLAG_NOT_SAVED)
            || request->reprompt)
            secret->ask = TRUE;
    }
    if (!request->interactive) {
        for (guint i = 0; i < NM_L2TP_AUTH_N_SECRETS; i++)
            request->secrets[i].ask = FALSE;
    }
    /* Focus the wrong secret, or else the first one asked for. */
    if (request->focus_key && !nm_l2tp_auth_request_get_secret(request, request->focus_key)->ask)
        request->focus_key = NULL;
    for (guint i = 0; i < NM_L2TP_AUTH_N_SECRETS && !request->focus_key; i++) {
        if (request->secrets[i].ask)
            request->focus_key = request->secrets[i].key;
    }
}

gboolean
nm_l2tp_auth_request_needs_prompt(const NML2tpAuthRequest *request)
{
    for (guint i = 0; i < NM_L2TP_AUTH_N_SECRETS; i++) {
        if (request->secrets[i].ask)
            return TRUE;
    }
    return FALSE;
}

char *
nm_l2tp_auth_request_to_classic(const NML2tpAuthRequest *request)
{
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < NM_L2TP_AUTH_N_SECRETS; i++) {
        const NML2tpAuthSecret *secret = &request->secrets[i];

        if (secret->needed && secret->value && *secret->value)
            g_string_append_printf(out, "%s\n%s\n", secret->key, secret->value);
    }
    g_string_append(out, "\n\n");
    return g_string_free(out, FALSE);
}

static char *
strip_mnemonic(const char *label)
{
    GString *str = g_string_new(NULL);

    for (const char *p = label; *p; p++) {
        if (*p == '_' && p[1] != '_')
            continue;
        g_string_append_c(str, *p);
    }
    /* The shell shows labels as placeholders: no trailing colon. */
    if (str->len && str->str[str->len - 1] == ':')
        g_string_truncate(str, str->len - 1);
    else if (g_str_has_suffix(str->str, "："))
        g_string_truncate(str, str->len - strlen("："));
    return g_string_free(str, FALSE);
}

char *
nm_l2tp_auth_request_to_external_ui(const NML2tpAuthRequest *request)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *title = g_strdup_printf(_("Authenticate VPN “%s”"), request->name);

    g_key_file_set_integer(kf, UI_GROUP, "Version", 2);
    g_key_file_set_string(kf, UI_GROUP, "Description", request->message);
    g_key_file_set_string(kf, UI_GROUP, "Title", title);

    /* GNOME Shell focuses the first entry: put the wrong secret first. */
    for (guint n = 0; n < 2 * NM_L2TP_AUTH_N_SECRETS; n++) {
        const NML2tpAuthSecret *secret   = &request->secrets[n % NM_L2TP_AUTH_N_SECRETS];
        gboolean                is_focus = g_strcmp0(secret->key, request->focus_key) == 0;
        g_autofree char        *label    = NULL;

        if (!secret->needed || is_focus != (n < NM_L2TP_AUTH_N_SECRETS))
            continue;
        label = strip_mnemonic(nm_l2tp_auth_secret_label(secret->key));
        g_key_file_set_string(kf, secret->key, "Value", secret->value ? secret->value : "");
        g_key_file_set_string(kf, secret->key, "Label", label);
        g_key_file_set_boolean(kf, secret->key, "IsSecret", TRUE);
        g_key_file_set_boolean(kf, secret->key, "ShouldAsk", secret->ask);
    }
    return g_key_file_to_data(kf, NULL, NULL);
}
