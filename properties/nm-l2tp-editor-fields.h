/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_EDITOR_FIELDS_H
#define NM_L2TP_EDITOR_FIELDS_H

#include <gtk/gtk.h>
#include <NetworkManager.h>

/* The editable fields of the editor: one per vpn.data / vpn.secrets key,
 * each with its widget and its inline error.  Every widget is named after
 * its key (gtk_widget_set_name), its error label "<key>-error", so that
 * tests and accessibility tools find them. */

typedef enum {
    NM_L2TP_PAGE_GENERAL,
    NM_L2TP_PAGE_IPSEC,
    NM_L2TP_PAGE_PPP,
    NM_L2TP_PAGE_TIMEOUTS,
    NM_L2TP_N_PAGES,
} NML2tpPage;

typedef struct _NML2tpFields NML2tpFields;

/* Called whenever the user changes a field. */
typedef void (*NML2tpFieldsChangedFunc)(gpointer user_data);

NML2tpFields *nm_l2tp_fields_new(NMSettingVpn           *s_vpn,
                                 NML2tpFieldsChangedFunc changed,
                                 gpointer                user_data);
void          nm_l2tp_fields_free(NML2tpFields *fields);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpFields, nm_l2tp_fields_free)

/* The page's content, built once; owned by the caller's container. */
GtkWidget  *nm_l2tp_fields_build_page(NML2tpFields *fields, NML2tpPage page);
const char *nm_l2tp_fields_page_title(NML2tpPage page);

/* Checks every field with nm_l2tp_validate_value() and shows each error
 * beside its field.  Returns FALSE and the first error when any field is
 * invalid. */
gboolean nm_l2tp_fields_validate(NML2tpFields *fields, GError **error);

/* Whether a field of the page showed an error at the last check. */
gboolean nm_l2tp_fields_page_has_error(NML2tpFields *fields, NML2tpPage page);

/* Writes every field into s_vpn (data, secrets and secret flags).  Keys the
 * editor has no field for are left as they are.  Call only after
 * nm_l2tp_fields_validate() succeeded. */
void nm_l2tp_fields_store(NML2tpFields *fields, NMSettingVpn *s_vpn);

#endif /* NM_L2TP_EDITOR_FIELDS_H */
