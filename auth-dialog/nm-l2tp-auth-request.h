/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_AUTH_REQUEST_H
#define NM_L2TP_AUTH_REQUEST_H

#include <NetworkManager.h>

#include "nm-l2tp-report.h"

/* What the auth dialog was asked for and what it will answer: which
 * secrets the connection needs, which of them must be asked for, why, and
 * which field is the one to fix.  GTK-free, so the protocol can be tested
 * without a display. */

typedef struct {
    const char          *key; /* NM_L2TP_KEY_PASSWORD or NM_L2TP_KEY_IPSEC_PSK */
    char                *value;
    NMSettingSecretFlags flags;
    gboolean             needed; /* the configuration uses it */
    gboolean             ask;    /* show it in the dialog */
} NML2tpAuthSecret;

#define NM_L2TP_AUTH_N_SECRETS 2

typedef struct {
    char            *uuid;
    char            *name;
    gboolean         interactive;
    gboolean         reprompt;
    gboolean         hinted;      /* -t named secrets: ask only those */
    char            *vpn_message; /* from an x-vpn-message: hint */
    char            *message;     /* what the dialog says, translated */
    const char      *focus_key;   /* the secret to fix first; NULL: none */
    NML2tpAuthSecret secrets[NM_L2TP_AUTH_N_SECRETS];
} NML2tpAuthRequest;

/* data and secrets as read from stdin; hints from -t; report: the last
 * attempt of this connection, or NULL. */
NML2tpAuthRequest *nm_l2tp_auth_request_new(const char         *uuid,
                                            const char         *name,
                                            GHashTable         *data,
                                            GHashTable         *secrets,
                                            const char *const  *hints,
                                            gboolean            interactive,
                                            gboolean            reprompt,
                                            const NML2tpReport *report);
void               nm_l2tp_auth_request_free(NML2tpAuthRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpAuthRequest, nm_l2tp_auth_request_free)

NML2tpAuthSecret *nm_l2tp_auth_request_get_secret(NML2tpAuthRequest *request, const char *key);

/* Fills needed secrets that stdin did not carry from the keyring (when
 * built with libsecret), then decides which ones to ask for.  Called once,
 * after nm_l2tp_auth_request_new(). */
void     nm_l2tp_auth_request_resolve(NML2tpAuthRequest *request, gboolean use_keyring);
gboolean nm_l2tp_auth_request_needs_prompt(const NML2tpAuthRequest *request);

/* The label of a secret's entry, translated, with a mnemonic. */
const char *nm_l2tp_auth_secret_label(const char *key);

/* Answers: NetworkManager's classic "key\nvalue\n...\n\n" and GNOME
 * Shell's external UI keyfile. */
char *nm_l2tp_auth_request_to_classic(const NML2tpAuthRequest *request);
char *nm_l2tp_auth_request_to_external_ui(const NML2tpAuthRequest *request);

/* Keyring lookup; returns NULL when not found or not built with
 * libsecret. */
char *nm_l2tp_auth_keyring_lookup(const char *uuid, const char *key);

#endif /* NM_L2TP_AUTH_REQUEST_H */
