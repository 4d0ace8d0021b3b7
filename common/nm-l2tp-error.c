/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "nm-l2tp-error.h"

G_DEFINE_QUARK(nm - l2tp - error - quark, nm_l2tp_error)
