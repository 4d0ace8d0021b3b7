/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_PPPD_BUS_H
#define NM_L2TP_PPPD_BUS_H

/* pppd's headers come before GLib's: they declare "bool" themselves and
 * expect the BSD types of <sys/types.h>. */
#include <pppd/pppd.h>

#include <gio/gio.h>

#include "nm-l2tp-ppp-dbus.h"

/* NeedSecrets may have to wait for the service to obtain the secrets from
 * NetworkManager, which can involve a secret agent; the peer's
 * authentication timer is the real limit, so allow somewhat longer. */
#define NM_L2TP_SECRETS_TIMEOUT_MS 30000

/* "nm-l2tp-service BUS-NAME" and "nm-l2tp-bus-address ADDRESS", for
 * add_options().  Internal: only plugin_init and pppd_version are meant
 * for pppd to see. */
G_GNUC_INTERNAL extern option_t nm_l2tp_bus_options[];

/* One synchronous call to the service: the reply, or NULL with @err set
 * (G_IO_ERROR_NOT_CONNECTED when there is no connection, whose reason was
 * logged). */
G_GNUC_INTERNAL GVariant *nm_l2tp_bus_call(const char         *method,
                                           GVariant           *params,
                                           const GVariantType *reply_type,
                                           int                 timeout_ms,
                                           GError            **err);
/* A report whose reply carries nothing; a failure is logged. */
G_GNUC_INTERNAL gboolean nm_l2tp_bus_report(const char *method, GVariant *params);
/* A report sent without waiting for an answer. */
G_GNUC_INTERNAL void nm_l2tp_bus_report_nowait(const char *method, GVariant *params);
/* The report of the first phase change, which opens the connection and
 * proves that the service is there; pppd stops if it is not. */
G_GNUC_INTERNAL void nm_l2tp_bus_report_first(guint32 phase);

/* The service's bus name, for messages. */
G_GNUC_INTERNAL const char *nm_l2tp_bus_service_name(void);
/* pppd is exiting: from now on a failed call is only logged. */
G_GNUC_INTERNAL void nm_l2tp_bus_exiting(void);
/* Flushes the last reports and drops the connection. */
G_GNUC_INTERNAL void nm_l2tp_bus_close(void);

#endif /* NM_L2TP_PPPD_BUS_H */
