/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_AUTH_UI_H
#define NM_L2TP_AUTH_UI_H

#include "nm-l2tp-auth-request.h"

/* Shows the password dialog for the secrets the request asks for, with its
 * message, the wrong secret focused.  Returns FALSE when the user
 * cancelled; otherwise the entered values are in the request. */
gboolean nm_l2tp_auth_ui_run(NML2tpAuthRequest *request);

#endif /* NM_L2TP_AUTH_UI_H */
