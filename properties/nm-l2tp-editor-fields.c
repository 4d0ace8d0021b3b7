/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-editor-fields.h"

#include <glib/gi18n-lib.h>
#include <nma-ui-utils.h>

#include "nm-l2tp-editor-compat.h"
#include "nm-l2tp-editor-file.h"
#include "nm-l2tp-keys.h"
#include "nm-l2tp-settings.h"

typedef enum {
    KIND_TEXT,           /* free text; empty: key unset */
    KIND_NUMBER,         /* decimal number; empty: the key's default */
    KIND_SECRET,         /* password entry with libnma's storage menu */
    KIND_CHECK,          /* checked: "yes" */
    KIND_CHECK_INVERTED, /* checked: "no" ("Allow PAP" shows refuse-pap) */
    KIND_CHOICE,         /* one of the key's enum values, with the labels below */
    KIND_FILE,           /* a path, typed or chosen; empty: key unset */
} FieldKind;

/* A field that applies only in one mode (a certificate only when
 * authenticating with certificates) is shown only in that mode, and only
 * a shown field is validated and saved. */
typedef struct {
    const char *key;
    const char *value;
} FieldCondition;

typedef struct {
    const char    *key;
    NML2tpPage     page;
    const char    *section; /* a heading starts where this changes */
    FieldKind      kind;
    const char    *label;
    const char    *unit;
    const char    *tooltip;
    FieldCondition shown_when;    /* key NULL: always shown */
    FieldCondition required_when; /* key NULL: never required */
    gboolean       needs_ipsec;   /* insensitive while IPsec is off */
} FieldInfo;

/* The words for the values of the KIND_CHOICE keys. */
static const struct {
    const char *key;
    const char *value;
    const char *label;
} choice_labels[] = {
    { NM_L2TP_KEY_USER_AUTH_TYPE, NM_L2TP_AUTHTYPE_PASSWORD, N_("Password") },
    { NM_L2TP_KEY_USER_AUTH_TYPE, NM_L2TP_AUTHTYPE_TLS, N_("Certificate (EAP-TLS)") },
    { NM_L2TP_KEY_MACHINE_AUTH_TYPE, NM_L2TP_AUTHTYPE_PSK, N_("Pre-shared key") },
    { NM_L2TP_KEY_MACHINE_AUTH_TYPE, NM_L2TP_AUTHTYPE_TLS, N_("Certificate") },
    { NM_L2TP_KEY_IPV6, NM_L2TP_IPV6_AUTO, N_("When the server offers it") },
    { NM_L2TP_KEY_IPV6, NM_L2TP_IPV6_IGNORE, N_("Off") },
};

#define USER_PASSWORD                                         \
    {                                                         \
        NM_L2TP_KEY_USER_AUTH_TYPE, NM_L2TP_AUTHTYPE_PASSWORD \
    }
#define USER_TLS                                         \
    {                                                    \
        NM_L2TP_KEY_USER_AUTH_TYPE, NM_L2TP_AUTHTYPE_TLS \
    }
#define MACHINE_PSK                                         \
    {                                                       \
        NM_L2TP_KEY_MACHINE_AUTH_TYPE, NM_L2TP_AUTHTYPE_PSK \
    }
#define MACHINE_TLS                                         \
    {                                                       \
        NM_L2TP_KEY_MACHINE_AUTH_TYPE, NM_L2TP_AUTHTYPE_TLS \
    }

/* clang-format off */
static const FieldInfo field_infos[] = {
    { NM_L2TP_KEY_GATEWAY, NM_L2TP_PAGE_GENERAL, N_("Server"), KIND_TEXT, N_("_Gateway"), NULL,
      N_("Host name or IP address of the L2TP/IPsec server.") },
    { NM_L2TP_KEY_USER_AUTH_TYPE, NM_L2TP_PAGE_GENERAL, N_("User authentication"), KIND_CHOICE, N_("_Authenticate with"), NULL,
      N_("How you log in to the server inside the tunnel (PPP).") },
    { NM_L2TP_KEY_USER, NM_L2TP_PAGE_GENERAL, N_("User authentication"), KIND_TEXT, N_("User _name"), NULL,
      N_("The user name for PPP authentication; with a certificate, the identity the server expects.") , {}, USER_TLS },
    { NM_L2TP_KEY_PASSWORD, NM_L2TP_PAGE_GENERAL, N_("User authentication"), KIND_SECRET, N_("_Password"), NULL,
      N_("The password for PPP authentication."), USER_PASSWORD },
    { NM_L2TP_KEY_DOMAIN, NM_L2TP_PAGE_GENERAL, N_("User authentication"), KIND_TEXT, N_("NT _domain"), NULL,
      N_("Windows domain; sent as DOMAIN\\user. Leave empty when the server does not need one."), USER_PASSWORD },
    { NM_L2TP_KEY_USER_CA, NM_L2TP_PAGE_GENERAL, N_("User authentication"), KIND_FILE, N_("CA certificate"), NULL,
      N_("The certificate (PEM) of the authority that signed the server's certificate. pppd needs it to check the server."), USER_TLS, USER_TLS },
    { NM_L2TP_KEY_USER_CERT, NM_L2TP_PAGE_GENERAL, N_("User authentication"), KIND_FILE, N_("User certificate"), NULL,
      N_("Your certificate (PEM)."), USER_TLS, USER_TLS },
    { NM_L2TP_KEY_USER_KEY, NM_L2TP_PAGE_GENERAL, N_("User authentication"), KIND_FILE, N_("Private _key"), NULL,
      N_("The private key (PEM) of your certificate."), USER_TLS, USER_TLS },
    { NM_L2TP_KEY_USER_CERTPASS, NM_L2TP_PAGE_GENERAL, N_("User authentication"), KIND_SECRET, N_("Private key pass_word"), NULL,
      N_("The password that protects the private key. Leave empty when the key has none."), USER_TLS },
    { NM_L2TP_KEY_MACHINE_AUTH_TYPE, NM_L2TP_PAGE_GENERAL, N_("Machine authentication"), KIND_CHOICE, N_("Authenticate _with"), NULL,
      N_("How this computer proves itself to the server in IPsec."), {}, {}, TRUE },
    { NM_L2TP_KEY_IPSEC_PSK, NM_L2TP_PAGE_GENERAL, N_("Machine authentication"), KIND_SECRET, N_("Pre-_shared key"), NULL,
      N_("The IPsec pre-shared key (PSK) of the server."), MACHINE_PSK, {}, TRUE },
    { NM_L2TP_KEY_MACHINE_CA, NM_L2TP_PAGE_GENERAL, N_("Machine authentication"), KIND_FILE, N_("C_A certificate"), NULL,
      N_("The certificate (PEM or DER) of the authority that signed the server's IPsec certificate."), MACHINE_TLS, {}, TRUE },
    { NM_L2TP_KEY_MACHINE_CERT, NM_L2TP_PAGE_GENERAL, N_("Machine authentication"), KIND_FILE, N_("_Certificate"), NULL,
      N_("This computer's IPsec certificate (PEM or DER)."), MACHINE_TLS, MACHINE_TLS, TRUE },
    { NM_L2TP_KEY_MACHINE_KEY, NM_L2TP_PAGE_GENERAL, N_("Machine authentication"), KIND_FILE, N_("Private _key"), NULL,
      N_("The private key of this computer's certificate, not protected by a password."), MACHINE_TLS, MACHINE_TLS, TRUE },

    { NM_L2TP_KEY_IPSEC_ENABLE, NM_L2TP_PAGE_IPSEC, N_("IPsec"), KIND_CHECK, N_("Protect the L2TP tunnel with _IPsec"), NULL,
      N_("Without IPsec, L2TP and PPP travel unencrypted. Disable only for testing.") },
    { NM_L2TP_KEY_IPSEC_REMOTE_ID, NM_L2TP_PAGE_IPSEC, N_("IPsec"), KIND_TEXT, N_("_Remote ID"), NULL,
      N_("The identity the server presents in IKE, when it differs from its address.") },
    { NM_L2TP_KEY_IPSEC_IKE, NM_L2TP_PAGE_IPSEC, N_("Algorithms"), KIND_TEXT, N_("Phase _1 (IKE)"), NULL,
      N_("Comma-separated IKE proposals, e.g. aes256-sha256-modp2048. Empty: a list that suits common servers.") },
    { NM_L2TP_KEY_IPSEC_ESP, NM_L2TP_PAGE_IPSEC, N_("Algorithms"), KIND_TEXT, N_("Phase _2 (ESP)"), NULL,
      N_("Comma-separated ESP proposals, e.g. aes256-sha256. Empty: a list that suits common servers.") },
    { NM_L2TP_KEY_IPSEC_IKELIFETIME, NM_L2TP_PAGE_IPSEC, N_("Algorithms"), KIND_NUMBER, N_("Phase 1 _lifetime"), N_("seconds"), NULL },
    { NM_L2TP_KEY_IPSEC_SALIFETIME, NM_L2TP_PAGE_IPSEC, N_("Algorithms"), KIND_NUMBER, N_("Phase 2 li_fetime"), N_("seconds"), NULL },
    { NM_L2TP_KEY_IPSEC_PFS, NM_L2TP_PAGE_IPSEC, N_("Algorithms"), KIND_CHECK, N_("Perfect _forward secrecy (PFS)"), NULL,
      N_("Negotiate fresh Diffie-Hellman keys for phase 2.") },
    { NM_L2TP_KEY_IPSEC_FORCEENCAPS, NM_L2TP_PAGE_IPSEC, N_("Network"), KIND_CHECK, N_("Always use _UDP encapsulation"), NULL,
      N_("Wrap ESP in UDP port 4500 even when no NAT is detected.") },
    { NM_L2TP_KEY_IPSEC_IKEV2, NM_L2TP_PAGE_IPSEC, N_("Network"), KIND_CHECK, N_("Use IKEv_2"), NULL,
      N_("Most L2TP servers only speak IKEv1.") },
    { NM_L2TP_KEY_IPSEC_DPD_DELAY, NM_L2TP_PAGE_IPSEC, N_("Network"), KIND_NUMBER, N_("Dead peer _detection interval"), N_("seconds"),
      N_("0 turns dead peer detection off.") },
    { NM_L2TP_KEY_IPSEC_DPD_TIMEOUT, NM_L2TP_PAGE_IPSEC, N_("Network"), KIND_NUMBER, N_("Dead peer detection _timeout"), N_("seconds"), NULL },

    { NM_L2TP_KEY_REFUSE_PAP, NM_L2TP_PAGE_PPP, N_("Allowed authentication methods"), KIND_CHECK_INVERTED, N_("_PAP"), NULL,
      N_("PAP sends the password in clear text inside the tunnel.") },
    { NM_L2TP_KEY_REFUSE_CHAP, NM_L2TP_PAGE_PPP, N_("Allowed authentication methods"), KIND_CHECK_INVERTED, N_("_CHAP"), NULL, NULL },
    { NM_L2TP_KEY_REFUSE_MSCHAP, NM_L2TP_PAGE_PPP, N_("Allowed authentication methods"), KIND_CHECK_INVERTED, N_("_MSCHAP"), NULL, NULL },
    { NM_L2TP_KEY_REFUSE_MSCHAPV2, NM_L2TP_PAGE_PPP, N_("Allowed authentication methods"), KIND_CHECK_INVERTED, N_("MSCHAP_v2"), NULL, NULL },
    { NM_L2TP_KEY_REFUSE_EAP, NM_L2TP_PAGE_PPP, N_("Allowed authentication methods"), KIND_CHECK_INVERTED, N_("_EAP"), NULL, NULL },
    { NM_L2TP_KEY_REQUIRE_MPPE, NM_L2TP_PAGE_PPP, N_("Encryption"), KIND_CHECK, N_("Use Point-to-Point _encryption (MPPE)"), NULL, NULL },
    { NM_L2TP_KEY_REQUIRE_MPPE_128, NM_L2TP_PAGE_PPP, N_("Encryption"), KIND_CHECK, N_("Require _128-bit MPPE"), NULL, NULL },
    { NM_L2TP_KEY_REQUIRE_MPPE_40, NM_L2TP_PAGE_PPP, N_("Encryption"), KIND_CHECK, N_("Require _40-bit MPPE"), NULL, NULL },
    { NM_L2TP_KEY_MPPE_STATEFUL, NM_L2TP_PAGE_PPP, N_("Encryption"), KIND_CHECK, N_("Allow _stateful encryption"), NULL, NULL },
    { NM_L2TP_KEY_NOBSDCOMP, NM_L2TP_PAGE_PPP, N_("Compression"), KIND_CHECK_INVERTED, N_("Allow _BSD data compression"), NULL, NULL },
    { NM_L2TP_KEY_NODEFLATE, NM_L2TP_PAGE_PPP, N_("Compression"), KIND_CHECK_INVERTED, N_("Allow _Deflate data compression"), NULL, NULL },
    { NM_L2TP_KEY_NO_VJ_COMP, NM_L2TP_PAGE_PPP, N_("Compression"), KIND_CHECK_INVERTED, N_("Use TCP _header compression"), NULL, NULL },
    { NM_L2TP_KEY_NO_PCOMP, NM_L2TP_PAGE_PPP, N_("Compression"), KIND_CHECK_INVERTED, N_("Use protocol _field compression"), NULL, NULL },
    { NM_L2TP_KEY_NO_ACCOMP, NM_L2TP_PAGE_PPP, N_("Compression"), KIND_CHECK_INVERTED, N_("Use _address/control compression"), NULL, NULL },
    { NM_L2TP_KEY_MTU, NM_L2TP_PAGE_PPP, N_("Link"), KIND_NUMBER, N_("M_TU"), N_("bytes"), NULL },
    { NM_L2TP_KEY_MRU, NM_L2TP_PAGE_PPP, N_("Link"), KIND_NUMBER, N_("M_RU"), N_("bytes"), NULL },
    { NM_L2TP_KEY_LCP_ECHO_INTERVAL, NM_L2TP_PAGE_PPP, N_("Link"), KIND_NUMBER, N_("LCP echo _interval"), N_("seconds"),
      N_("How often to check that the server still answers. 0 turns the check off.") },
    { NM_L2TP_KEY_LCP_ECHO_FAILURE, NM_L2TP_PAGE_PPP, N_("Link"), KIND_NUMBER, N_("Unanswered LCP _echoes"), NULL,
      N_("Disconnect after this many echo requests go unanswered.") },
    { NM_L2TP_KEY_DHCP_INFORM, NM_L2TP_PAGE_PPP, N_("Routes, DNS and IPv6"), KIND_CHECK, N_("As_k the server for routes and the DNS domain (DHCPINFORM)"), NULL,
      N_("As Windows does: a server such as Windows RRAS answers with the networks to reach through the VPN and the DNS domain. The connection does not wait for the answer.") },
    { NM_L2TP_KEY_CLASSFUL_ROUTE, NM_L2TP_PAGE_PPP, N_("Routes, DNS and IPv6"), KIND_CHECK, N_("Route the class _network of the address when the server gives no routes"), NULL,
      N_("Only when the connection is used only for resources on its network (IPv4 never-default): the network of the assigned address by its class (A: /8, B: /16, C: /24) goes through the VPN, as on Windows.") },
    { NM_L2TP_KEY_IPV6, NM_L2TP_PAGE_PPP, N_("Routes, DNS and IPv6"), KIND_CHOICE, N_("IPv_6 inside the tunnel"), NULL,
      N_("IPv4 never waits for IPv6: a server without IPv6 connects as fast either way.") },

    { NM_L2TP_KEY_TIMEOUT_IKE, NM_L2TP_PAGE_TIMEOUTS, N_("Give up when a stage takes longer than"), KIND_NUMBER, N_("_IPsec negotiation"), N_("seconds"), NULL },
    { NM_L2TP_KEY_TIMEOUT_L2TP, NM_L2TP_PAGE_TIMEOUTS, N_("Give up when a stage takes longer than"), KIND_NUMBER, N_("_L2TP tunnel and session"), N_("seconds"), NULL },
    { NM_L2TP_KEY_TIMEOUT_PPP, NM_L2TP_PAGE_TIMEOUTS, N_("Give up when a stage takes longer than"), KIND_NUMBER, N_("_PPP negotiation and login"), N_("seconds"), NULL },
};
/* clang-format on */

#define N_FIELDS G_N_ELEMENTS(field_infos)

static const char *const page_titles[NM_L2TP_N_PAGES] = {
    [NM_L2TP_PAGE_GENERAL]  = N_("General"),
    [NM_L2TP_PAGE_IPSEC]    = N_("IPsec"),
    [NM_L2TP_PAGE_PPP]      = N_("PPP"),
    [NM_L2TP_PAGE_TIMEOUTS] = N_("Timeouts"),
};

typedef struct {
    const FieldInfo *info;
    GtkWidget       *widget;      /* entry, check box or combo box */
    GtkWidget       *label;       /* NULL for check boxes */
    GtkWidget       *container;   /* what goes into the grid: widget, or widget and button */
    GtkWidget       *error_label; /* NULL for check boxes */
    gboolean         invalid;
    gboolean         shown;
} Field;

struct _NML2tpFields {
    Field                   fields[N_FIELDS];
    GtkWidget              *show_secrets;
    NML2tpFieldsChangedFunc changed;
    gpointer                user_data;
};

const char *
nm_l2tp_fields_page_title(NML2tpPage page)
{
    g_return_val_if_fail(page < NM_L2TP_N_PAGES, NULL);
    return _(page_titles[page]);
}

static Field *
find_field(NML2tpFields *fields, const char *key)
{
    for (guint i = 0; i < N_FIELDS; i++) {
        if (g_strcmp0(fields->fields[i].info->key, key) == 0)
            return &fields->fields[i];
    }
    return NULL;
}

static gboolean
key_default_is_yes(const char *key)
{
    const NML2tpKeyInfo *ki = nm_l2tp_key_lookup(key);

    return ki && g_strcmp0(ki->default_value, "yes") == 0;
}

static gboolean
is_check(const Field *field)
{
    return field->info->kind == KIND_CHECK || field->info->kind == KIND_CHECK_INVERTED;
}

/* The field's value as it would go into vpn.data; NULL: leave unset. */
static char *
field_dup_value(const Field *field)
{
    const char *text;

    if (is_check(field)) {
        gboolean on = nm_l2tp_check_get_active(field->widget);

        if (field->info->kind == KIND_CHECK_INVERTED)
            on = !on;
        return g_strdup(on ? "yes" : "no");
    }
    if (field->info->kind == KIND_CHOICE)
        return g_strdup(gtk_combo_box_get_active_id(GTK_COMBO_BOX(field->widget)));
    text = nm_l2tp_entry_get_text(field->widget);
    if (field->info->kind == KIND_SECRET)
        return text && *text ? g_strdup(text) : NULL;
    {
        g_autofree char *copy = g_strstrip(g_strdup(text ? text : ""));

        return *copy ? g_steal_pointer(&copy) : NULL;
    }
}

static gboolean condition_holds(NML2tpFields *fields, const FieldCondition *condition);

static gboolean
field_check(NML2tpFields *fields, const Field *field, GError **error)
{
    g_autofree char *value = NULL;

    if (!field->shown)
        return TRUE;
    value = field_dup_value(field);
    if (!value) {
        if (field->info->required_when.key
            && condition_holds(fields, &field->info->required_when)) {
            g_set_error_literal(
                error,
                NM_CONNECTION_ERROR,
                NM_CONNECTION_ERROR_MISSING_PROPERTY,
                field->info->kind == KIND_FILE ?
                    _("Choose a file: it is needed with this kind of authentication.") :
                    _("Enter the name the server knows you by; with a certificate it is "
                      "usually the certificate's common name."));
            return FALSE;
        }
        if (g_strcmp0(field->info->key, NM_L2TP_KEY_GATEWAY) == 0) {
            g_set_error_literal(error,
                                NM_CONNECTION_ERROR,
                                NM_CONNECTION_ERROR_MISSING_PROPERTY,
                                _("Enter the address of the VPN server."));
            return FALSE;
        }
        return TRUE;
    }
    return nm_l2tp_validate_value(field->info->key, value, error);
}

static void
field_show_error(Field *field, const GError *error)
{
    field->invalid = error != NULL;
    if (!field->error_label)
        return;
    if (error) {
        gtk_label_set_text(GTK_LABEL(field->error_label), error->message);
        gtk_widget_set_visible(field->error_label, TRUE);
        nm_l2tp_widget_add_class(field->widget, "error");
    } else {
        gtk_label_set_text(GTK_LABEL(field->error_label), "");
        gtk_widget_set_visible(field->error_label, FALSE);
        nm_l2tp_widget_remove_class(field->widget, "error");
    }
}

static gboolean
field_validate(NML2tpFields *fields, Field *field, GError **error)
{
    g_autoptr(GError) local = NULL;
    gboolean ok             = field_check(fields, field, &local);

    field_show_error(field, local);
    if (!ok && error)
        *error = g_steal_pointer(&local);
    return ok;
}

gboolean
nm_l2tp_fields_validate(NML2tpFields *fields, GError **error)
{
    gboolean ok = TRUE;

    for (guint i = 0; i < N_FIELDS; i++) {
        g_autoptr(GError) local = NULL;

        if (!field_validate(fields, &fields->fields[i], &local) && ok) {
            ok = FALSE;
            g_propagate_error(error, g_steal_pointer(&local));
        }
    }
    return ok;
}

gboolean
nm_l2tp_fields_page_has_error(NML2tpFields *fields, NML2tpPage page)
{
    for (guint i = 0; i < N_FIELDS; i++) {
        if (fields->fields[i].info->page == page && fields->fields[i].invalid)
            return TRUE;
    }
    return FALSE;
}

static void
update_ipsec_sensitivity(NML2tpFields *fields)
{
    Field   *enable = find_field(fields, NM_L2TP_KEY_IPSEC_ENABLE);
    gboolean on     = nm_l2tp_check_get_active(enable->widget);

    for (guint i = 0; i < N_FIELDS; i++) {
        Field *field = &fields->fields[i];

        if (field == enable)
            continue;
        if (field->info->page == NM_L2TP_PAGE_IPSEC || field->info->needs_ipsec)
            gtk_widget_set_sensitive(field->container, on);
    }
}

static gboolean
condition_holds(NML2tpFields *fields, const FieldCondition *condition)
{
    g_autofree char *mode = field_dup_value(find_field(fields, condition->key));

    return g_strcmp0(mode, condition->value) == 0;
}

/* Shows the fields of the chosen modes and hides the others, with their
 * errors. */
static void
update_visibility(NML2tpFields *fields)
{
    for (guint i = 0; i < N_FIELDS; i++) {
        Field                *field = &fields->fields[i];
        const FieldCondition *when  = &field->info->shown_when;

        if (!when->key)
            continue;
        field->shown = condition_holds(fields, when);
        gtk_widget_set_visible(field->container, field->shown);
        if (field->label)
            gtk_widget_set_visible(field->label, field->shown);
        if (!field->shown)
            field_show_error(field, NULL);
    }
}

static void
field_changed_cb(GtkWidget *widget, gpointer user_data)
{
    NML2tpFields *fields = g_object_get_data(G_OBJECT(widget), "nm-l2tp-fields");
    Field        *field  = user_data;

    if (g_strcmp0(field->info->key, NM_L2TP_KEY_IPSEC_ENABLE) == 0)
        update_ipsec_sensitivity(fields);
    if (field->info->kind == KIND_CHOICE) {
        update_visibility(fields);
        /* Fields that just appeared show at once what they lack. */
        nm_l2tp_fields_validate(fields, NULL);
    } else {
        field_validate(fields, field, NULL);
    }
    if (fields->changed)
        fields->changed(fields->user_data);
}

static void
show_secrets_cb(GtkWidget *check, gpointer user_data)
{
    NML2tpFields *fields = user_data;
    gboolean      show   = nm_l2tp_check_get_active(check);

    for (guint i = 0; i < N_FIELDS; i++) {
        if (fields->fields[i].info->kind == KIND_SECRET)
            gtk_entry_set_visibility(GTK_ENTRY(fields->fields[i].widget), show);
    }
}

static void
field_load(NML2tpFields *fields, Field *field, NMSettingVpn *s_vpn)
{
    const NML2tpKeyInfo *ki    = nm_l2tp_key_lookup(field->info->key);
    const char          *value = NULL;

    if (s_vpn) {
        value = field->info->kind == KIND_SECRET ?
                    nm_setting_vpn_get_secret(s_vpn, field->info->key) :
                    nm_setting_vpn_get_data_item(s_vpn, field->info->key);
    }
    /* Old profiles name the remote ID ipsec-gateway-id. */
    if (!value && s_vpn && g_strcmp0(field->info->key, NM_L2TP_KEY_IPSEC_REMOTE_ID) == 0)
        value = nm_setting_vpn_get_data_item(s_vpn, NM_L2TP_KEY_IPSEC_GATEWAY_ID);

    if (is_check(field)) {
        gboolean on = value ? g_strcmp0(value, "yes") == 0 : key_default_is_yes(field->info->key);

        nm_l2tp_check_set_active(field->widget,
                                 field->info->kind == KIND_CHECK_INVERTED ? !on : on);
        return;
    }
    if (field->info->kind == KIND_CHOICE) {
        /* An unknown value selects nothing; validation then names it. */
        gtk_combo_box_set_active_id(GTK_COMBO_BOX(field->widget),
                                    value ? value : (ki ? ki->default_value : NULL));
        return;
    }

    nm_l2tp_entry_set_text(field->widget, value);
    if (ki && ki->default_value && field->info->kind != KIND_SECRET)
        gtk_entry_set_placeholder_text(GTK_ENTRY(field->widget), ki->default_value);

    if (field->info->kind == KIND_SECRET) {
        NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;

        gtk_entry_set_visibility(GTK_ENTRY(field->widget), FALSE);
        if (s_vpn)
            nm_setting_get_secret_flags(NM_SETTING(s_vpn), field->info->key, &flags, NULL);
        nma_utils_setup_password_storage(field->widget, flags, NULL, NULL, TRUE, FALSE);
    }
}

static GtkWidget *
choice_new(const FieldInfo *info)
{
    GtkWidget *combo = gtk_combo_box_text_new();

    for (guint i = 0; i < G_N_ELEMENTS(choice_labels); i++) {
        if (g_strcmp0(choice_labels[i].key, info->key) == 0)
            gtk_combo_box_text_append(
                GTK_COMBO_BOX_TEXT(combo), choice_labels[i].value, _(choice_labels[i].label));
    }
    return combo;
}

static GtkWidget *
error_label_new(const FieldInfo *info)
{
    g_autofree char *name  = g_strconcat(info->key, "-error", NULL);
    GtkWidget       *label = gtk_label_new(NULL);

    gtk_widget_set_name(label, name);
    nm_l2tp_label_set_wrap(label);
    nm_l2tp_widget_add_class(label, "error");
    gtk_widget_set_visible(label, FALSE);
#if !GTK_CHECK_VERSION(4, 0, 0)
    gtk_widget_set_no_show_all(label, TRUE);
#endif
    return g_object_ref_sink(label);
}

/* GTK 3: the editor's final show_all must leave a hidden field hidden. */
static void
keep_hidden_state(GtkWidget *widget)
{
#if !GTK_CHECK_VERSION(4, 0, 0)
    if (!widget)
        return;
    gtk_widget_show_all(widget);
    gtk_widget_set_no_show_all(widget, TRUE);
#endif
}

static void
field_create(NML2tpFields *fields, Field *field, NMSettingVpn *s_vpn)
{
    const FieldInfo *info = field->info;

    field->shown = TRUE;
    if (is_check(field)) {
        field->widget = gtk_check_button_new_with_mnemonic(_(info->label));
    } else if (info->kind == KIND_CHOICE) {
        field->widget = choice_new(info);
    } else {
        field->widget = gtk_entry_new();
        gtk_widget_set_hexpand(field->widget, TRUE);
        gtk_entry_set_activates_default(GTK_ENTRY(field->widget), TRUE);
    }
    field->container = field->widget;
    if (info->kind == KIND_FILE) {
        field->container = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
        nm_l2tp_box_append_expanding(field->container, field->widget);
        nm_l2tp_box_append(field->container,
                           nm_l2tp_file_button_new(field->widget, _(info->label)));
    }
    if (!is_check(field)) {
        field->error_label = error_label_new(info);
        field->label       = gtk_label_new_with_mnemonic(_(info->label));
        gtk_label_set_mnemonic_widget(GTK_LABEL(field->label), field->widget);
        gtk_label_set_xalign(GTK_LABEL(field->label), 1.0);
        gtk_widget_set_margin_start(field->label, 12);
        g_object_ref_sink(field->label);
    }
    gtk_widget_set_name(field->widget, info->key);
    if (info->tooltip)
        gtk_widget_set_tooltip_text(field->widget, _(info->tooltip));
    g_object_ref_sink(field->widget);
    if (field->container != field->widget)
        g_object_ref_sink(field->container);
    if (info->shown_when.key) {
        keep_hidden_state(field->container);
        keep_hidden_state(field->label);
    }
    g_object_set_data(G_OBJECT(field->widget), "nm-l2tp-fields", fields);

    field_load(fields, field, s_vpn);

    g_signal_connect(field->widget,
                     is_check(field) ? "toggled" : "changed",
                     G_CALLBACK(field_changed_cb),
                     field);
}

NML2tpFields *
nm_l2tp_fields_new(NMSettingVpn *s_vpn, NML2tpFieldsChangedFunc changed, gpointer user_data)
{
    NML2tpFields *fields = g_new0(NML2tpFields, 1);

    for (guint i = 0; i < N_FIELDS; i++) {
        fields->fields[i].info = &field_infos[i];
        field_create(fields, &fields->fields[i], s_vpn);
    }
    fields->show_secrets = gtk_check_button_new_with_mnemonic(_("Sho_w passwords"));
    gtk_widget_set_name(fields->show_secrets, "show-secrets");
    g_object_ref_sink(fields->show_secrets);
    g_signal_connect(fields->show_secrets, "toggled", G_CALLBACK(show_secrets_cb), fields);

    /* A new profile is an L2TP/IPsec one; an existing profile without the
     * key keeps meaning "no", as in NetworkManager-l2tp. */
    if (!s_vpn || nm_setting_vpn_get_num_data_items(s_vpn) == 0)
        nm_l2tp_check_set_active(find_field(fields, NM_L2TP_KEY_IPSEC_ENABLE)->widget, TRUE);
    update_ipsec_sensitivity(fields);
    update_visibility(fields);
    /* Show what is wrong with a loaded profile right away; changes are
     * reported only from now on. */
    nm_l2tp_fields_validate(fields, NULL);
    fields->changed   = changed;
    fields->user_data = user_data;
    return fields;
}

void
nm_l2tp_fields_free(NML2tpFields *fields)
{
    if (!fields)
        return;
    for (guint i = 0; i < N_FIELDS; i++) {
        Field *field = &fields->fields[i];

        g_signal_handlers_disconnect_by_data(field->widget, field);
        if (field->container != field->widget)
            g_clear_object(&field->container);
        g_clear_object(&field->widget);
        g_clear_object(&field->label);
        g_clear_object(&field->error_label);
    }
    g_signal_handlers_disconnect_by_data(fields->show_secrets, fields);
    g_clear_object(&fields->show_secrets);
    g_free(fields);
}

static GtkWidget *
section_heading_new(const char *title)
{
    GtkWidget       *label  = gtk_label_new(NULL);
    g_autofree char *markup = g_markup_printf_escaped("<b>%s</b>", title);

    gtk_label_set_markup(GTK_LABEL(label), markup);
    gtk_label_set_xalign(GTK_LABEL(label), 0.0);
    gtk_widget_set_margin_top(label, 6);
    return label;
}

static void
attach_field(GtkGrid *grid, Field *field, int *row)
{
    const FieldInfo *info = field->info;

    if (is_check(field)) {
        gtk_widget_set_margin_start(field->widget, 12);
        gtk_grid_attach(grid, field->widget, 0, (*row)++, 3, 1);
        return;
    }
    gtk_grid_attach(grid, field->label, 0, *row, 1, 1);
    gtk_grid_attach(grid, field->container, 1, *row, info->unit ? 1 : 2, 1);
    if (info->unit) {
        GtkWidget *unit = gtk_label_new(_(info->unit));

        gtk_label_set_xalign(GTK_LABEL(unit), 0.0);
        gtk_grid_attach(grid, unit, 2, *row, 1, 1);
    }
    (*row)++;
    gtk_grid_attach(grid, field->error_label, 1, (*row)++, 2, 1);
}

GtkWidget *
nm_l2tp_fields_build_page(NML2tpFields *fields, NML2tpPage page)
{
    GtkWidget  *grid    = gtk_grid_new();
    const char *section = NULL;
    int         row     = 0;

    gtk_grid_set_row_spacing(GTK_GRID(grid), 6);
    gtk_grid_set_column_spacing(GTK_GRID(grid), 12);
    nm_l2tp_widget_set_margins(grid, 12);

    for (guint i = 0; i < N_FIELDS; i++) {
        Field *field = &fields->fields[i];

        if (field->info->page != page)
            continue;
        if (g_strcmp0(section, field->info->section) != 0) {
            section = field->info->section;
            gtk_grid_attach(GTK_GRID(grid), section_heading_new(_(section)), 0, row++, 3, 1);
        }
        attach_field(GTK_GRID(grid), field, &row);
    }
    if (page == NM_L2TP_PAGE_GENERAL) {
        gtk_widget_set_margin_start(fields->show_secrets, 12);
        gtk_grid_attach(GTK_GRID(grid), fields->show_secrets, 1, row++, 2, 1);
    }
    return grid;
}

static void
store_secret(const Field *field, NMSettingVpn *s_vpn)
{
    NMSettingSecretFlags flags = nma_utils_menu_to_secret_flags(field->widget);
    g_autofree char     *value = field_dup_value(field);

    nm_setting_set_secret_flags(NM_SETTING(s_vpn), field->info->key, flags, NULL);
    if (value
        && !(flags & (NM_SETTING_SECRET_FLAG_NOT_SAVED | NM_SETTING_SECRET_FLAG_NOT_REQUIRED)))
        nm_setting_vpn_add_secret(s_vpn, field->info->key, value);
    else
        nm_setting_vpn_remove_secret(s_vpn, field->info->key);
}

/* Check boxes and choices: a value equal to the default stays implicit
 * unless the profile already spelled it out. */
static void
store_check(const Field *field, NMSettingVpn *s_vpn)
{
    g_autofree char     *value = field_dup_value(field);
    const char          *key   = field->info->key;
    const NML2tpKeyInfo *ki    = nm_l2tp_key_lookup(key);
    /* Every boolean and enum key in the table has its default. */
    gboolean is_default = ki && g_strcmp0(value, ki->default_value) == 0;

    if (is_default && !nm_setting_vpn_get_data_item(s_vpn, key))
        return;
    nm_setting_vpn_add_data_item(s_vpn, key, value);
}

void
nm_l2tp_fields_store(NML2tpFields *fields, NMSettingVpn *s_vpn)
{
    for (guint i = 0; i < N_FIELDS; i++) {
        const Field     *field = &fields->fields[i];
        g_autofree char *value = NULL;

        /* What the user cannot see is not saved: a certificate path typed
         * before switching to a pre-shared key does not linger. */
        if (!field->shown) {
            nm_setting_vpn_remove_data_item(s_vpn, field->info->key);
            nm_setting_vpn_remove_secret(s_vpn, field->info->key);
            continue;
        }
        if (field->info->kind == KIND_SECRET) {
            store_secret(field, s_vpn);
            continue;
        }
        if (is_check(field) || field->info->kind == KIND_CHOICE) {
            store_check(field, s_vpn);
            continue;
        }
        value = field_dup_value(field);
        if (value)
            nm_setting_vpn_add_data_item(s_vpn, field->info->key, value);
        else
            nm_setting_vpn_remove_data_item(s_vpn, field->info->key);
    }
    /* The remote ID is written under its current name only. */
    nm_setting_vpn_remove_data_item(s_vpn, NM_L2TP_KEY_IPSEC_GATEWAY_ID);
}
