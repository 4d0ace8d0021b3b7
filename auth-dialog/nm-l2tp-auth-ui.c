/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-auth-ui.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <nma-vpn-password-dialog.h>

/* NMAVpnPasswordDialog has up to three entries; the request has at most
 * two secrets.  Slot 0 is the primary entry, slot 1 the secondary. */
typedef struct {
    void (*set_label)(NMAVpnPasswordDialog *dialog, const char *label);
    void (*set_value)(NMAVpnPasswordDialog *dialog, const char *value);
    void (*show)(NMAVpnPasswordDialog *dialog, gboolean show);
    void (*focus)(NMAVpnPasswordDialog *dialog);
    const char *(*get_value)(NMAVpnPasswordDialog *dialog);
} Slot;

static const Slot slots[] = {
    {
        nma_vpn_password_dialog_set_password_label,
        nma_vpn_password_dialog_set_password,
        nma_vpn_password_dialog_set_show_password,
        nma_vpn_password_dialog_focus_password,
        nma_vpn_password_dialog_get_password,
    },
    {
        nma_vpn_password_dialog_set_password_secondary_label,
        nma_vpn_password_dialog_set_password_secondary,
        nma_vpn_password_dialog_set_show_password_secondary,
        nma_vpn_password_dialog_focus_password_secondary,
        nma_vpn_password_dialog_get_password_secondary,
    },
};

gboolean
nm_l2tp_auth_ui_run(NML2tpAuthRequest *request)
{
    g_autofree char      *title = g_strdup_printf(_("Authenticate VPN “%s”"), request->name);
    NMAVpnPasswordDialog *dialog;
    NML2tpAuthSecret     *in_slot[G_N_ELEMENTS(slots)] = { NULL };
    guint                 n                            = 0;
    gboolean              ok;

    dialog = NMA_VPN_PASSWORD_DIALOG(nma_vpn_password_dialog_new(title, request->message, NULL));
    gtk_window_set_title(GTK_WINDOW(dialog), title);
    gtk_window_set_position(GTK_WINDOW(dialog), GTK_WIN_POS_CENTER);

    for (guint i = 0; i < NM_L2TP_AUTH_N_SECRETS && n < G_N_ELEMENTS(slots); i++) {
        NML2tpAuthSecret *secret = &request->secrets[i];

        if (!secret->ask)
            continue;
        slots[n].set_label(dialog, nm_l2tp_auth_secret_label(secret->key));
        slots[n].set_value(dialog, secret->value ? secret->value : "");
        in_slot[n++] = secret;
    }
    /* The dialog starts with the primary entry shown and the others hidden. */
    for (guint i = 1; i < G_N_ELEMENTS(slots); i++)
        slots[i].show(dialog, i < n);
    nma_vpn_password_dialog_set_show_password_ternary(dialog, FALSE);

    gtk_widget_show(GTK_WIDGET(dialog));
    for (guint i = 0; i < n; i++) {
        if (g_strcmp0(in_slot[i]->key, request->focus_key) == 0)
            slots[i].focus(dialog);
    }

    ok = nma_vpn_password_dialog_run_and_block(dialog);
    if (ok) {
        for (guint i = 0; i < n; i++) {
            const char *value = slots[i].get_value(dialog);

            if (in_slot[i]->value) {
                memset(in_slot[i]->value, 0, strlen(in_slot[i]->value));
                g_free(in_slot[i]->value);
            }
            in_slot[i]->value = g_strdup(value);
        }
    }
    gtk_widget_destroy(GTK_WIDGET(dialog));
    return ok;
}
