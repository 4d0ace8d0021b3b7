/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_ERROR_H
#define NM_L2TP_ERROR_H

#include <glib.h>

/* One error domain for everything this project reports, so that callers can
 * tell a bad setting from a protocol failure without parsing messages. */
#define NM_L2TP_ERROR (nm_l2tp_error_quark())

typedef enum {
    NM_L2TP_ERROR_FAILED,
    NM_L2TP_ERROR_UNKNOWN_KEY,   /* a vpn.data/vpn.secrets key not in the key table */
    NM_L2TP_ERROR_INVALID_VALUE, /* wrong type or malformed value */
    NM_L2TP_ERROR_OUT_OF_RANGE,  /* a number outside the key's range */
    NM_L2TP_ERROR_UNSAFE_VALUE,  /* characters that cannot be written safely */
    NM_L2TP_ERROR_MISSING,       /* a required key is absent */
    NM_L2TP_ERROR_PROTOCOL,      /* malformed input from a peer (VICI, D-Bus) */
    NM_L2TP_ERROR_IMPORT,        /* a profile file that cannot be imported */
    NM_L2TP_ERROR_NOT_REGULAR,   /* a file that should be one is a FIFO, device, directory... */
    NM_L2TP_ERROR_TOO_LARGE,     /* a file over its size cap */
    NM_L2TP_ERROR_NOT_READABLE,  /* a file its owner (or root) may not read */
    NM_L2TP_ERROR_UNKNOWN_USER,  /* connection.permissions names a user this machine lacks */
} NML2tpError;

GQuark nm_l2tp_error_quark(void);

#endif /* NM_L2TP_ERROR_H */
