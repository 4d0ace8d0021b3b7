/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "nm-l2tp-error.h"

/* Written out rather than with G_DEFINE_QUARK, whose bare-word argument
 * clang-format splits into "nm - l2tp - error - quark". */
GQuark
nm_l2tp_error_quark(void)
{
    return g_quark_from_static_string("nm-l2tp-error-quark");
}
