/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pppd plugin's side of D-Bus: the two options that say whom to
 * report to, the connection to nm-l2tp-service and the calls on it.
 *
 * pppd has no GLib main loop: calls that need an answer (the first report,
 * the secrets) are synchronous with a timeout; the other reports are sent
 * without waiting for one (nm_l2tp_bus_report_nowait()).  The bus
 * connection and the first report are made on a thread of their own (see
 * nm_l2tp_open_in_background()).
 */

#include <pthread.h>
#include <signal.h>

#include "nm-l2tp-pppd-bus.h"

/* Without the first report nobody would learn how this attempt goes and
 * no credentials could be had. */
#define GIVING_UP "nm-l2tp: cannot reach nm-l2tp-service (see above), giving up"

static struct {
    char            *service;        /* bus name of nm-l2tp-service (option) */
    char            *address;        /* optional D-Bus address (option) */
    GDBusConnection *conn;           /* opened lazily, see nm_l2tp_get_connection() */
    gboolean         conn_failed;    /* do not retry (and wait) again */
    pthread_t        opener;         /* see nm_l2tp_open_in_background() */
    gboolean         opener_running; /* started and not yet joined */
    GError          *opener_error;   /* the opener's failure, logged by the joiner */
    guint32          opener_phase;   /* the phase the opener reports */
    gboolean         exiting;        /* pppd is exiting: never fatal() */
} bus;

/* The option that points the plugin at a D-Bus address other than the
 * system bus.  Tests use it for a private bus; it is an address, never a
 * secret. */
#define NM_L2TP_PPPD_OPTION_BUS_ADDRESS "nm-l2tp-bus-address"

/* Reports are tiny and the service answers them from its main loop; if it
 * does not answer within this time it is stuck or gone, and pppd must not
 * stall its LCP timers waiting for it. */
#define NM_L2TP_REPORT_TIMEOUT_MS 5000

/* ------------------------------------------------------------------------
 * Options
 */

/* o_special handlers return 1 on success, 0 (after option_error()) on a bad
 * value, which makes pppd exit with EXIT_OPTION_ERROR before it opens any
 * device: a broken options file fails at once and says why. */
static int
nm_l2tp_option_service(char **argv)
{
    const char *name = argv[0];

    if (!g_dbus_is_name(name) || g_dbus_is_unique_name(name)) {
        option_error("nm-l2tp: %s: '%s' is not a well-known D-Bus bus name",
                     NM_L2TP_PPPD_OPTION_SERVICE,
                     name);
        return 0;
    }
    g_free(bus.service);
    bus.service = g_strdup(name);
    return 1;
}

static int
nm_l2tp_option_bus_address(char **argv)
{
    const char *address = argv[0];
    GError     *err     = NULL;

    if (!g_dbus_is_supported_address(address, &err)) {
        option_error("nm-l2tp: %s: '%s' is not a usable D-Bus address: %s",
                     NM_L2TP_PPPD_OPTION_BUS_ADDRESS,
                     address,
                     err->message);
        g_error_free(err);
        return 0;
    }
    g_free(bus.address);
    bus.address = g_strdup(address);
    return 1;
}

/* Both options are privileged: they decide whom root's pppd asks for the
 * password and where it reports, so only root's options files and command
 * line may set them, like "plugin" itself.  OPT_A2STRVAL lets "dump" and
 * "dryrun" print the current value. */
option_t nm_l2tp_bus_options[] = {
    { NM_L2TP_PPPD_OPTION_SERVICE,
      o_special,
      (void *)nm_l2tp_option_service,
      "D-Bus bus name of nm-l2tp-service",
      OPT_PRIV | OPT_A2STRVAL,
      &bus.service },
    { NM_L2TP_PPPD_OPTION_BUS_ADDRESS,
      o_special,
      (void *)nm_l2tp_option_bus_address,
      "D-Bus address to reach nm-l2tp-service on (default: the system bus)",
      OPT_PRIV | OPT_A2STRVAL,
      &bus.address },
    { NULL },
};

/* ------------------------------------------------------------------------
 * D-Bus
 */

/* Opens the bus connection.  Logs nothing, because it also runs on the
 * opener thread, and pppd's logging functions are not thread-safe; the
 * caller logs the error. */
static GDBusConnection *
nm_l2tp_open(GError **err)
{
    GDBusConnection *conn;

    if (bus.address) {
        conn = g_dbus_connection_new_for_address_sync(
            bus.address,
            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
            NULL,
            NULL,
            err);
    } else {
        conn = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, err);
    }
    /* A lost bus must not make GLib call exit() behind pppd's back: pppd
     * would skip its own cleanup (lock files, the link, the exit status). */
    if (conn)
        g_dbus_connection_set_exit_on_close(conn, FALSE);
    return conn;
}

static void
nm_l2tp_log_open_error(const GError *err)
{
    error("nm-l2tp: cannot connect to the %s: %s",
          bus.address ? "D-Bus address given by " NM_L2TP_PPPD_OPTION_BUS_ADDRESS : "system bus",
          err->message);
}

static GVariant *nm_l2tp_call_on(GDBusConnection    *conn,
                                 const char         *method,
                                 GVariant           *params,
                                 const GVariantType *reply_type,
                                 int                 timeout_ms,
                                 GError            **err);

/* The opener thread: the bus connection and the first, synchronous report,
 * which proves that the service is there.  Touches only bus.conn and
 * bus.opener_error, which nobody reads before joining it. */
static void *
nm_l2tp_opener(void *unused)
{
    GVariant *ret;

    bus.conn = nm_l2tp_open(&bus.opener_error);
    if (!bus.conn)
        return NULL;
    ret = nm_l2tp_call_on(bus.conn,
                          "SetState",
                          g_variant_new("(u)", bus.opener_phase),
                          G_VARIANT_TYPE_UNIT,
                          NM_L2TP_REPORT_TIMEOUT_MS,
                          &bus.opener_error);
    if (ret)
        g_variant_unref(ret);
    return NULL;
}

/* Waits for the opener, if one runs, and logs what it found.  Without the
 * first report nobody would learn how this attempt goes and no credentials
 * could be had: pppd stops, before it says anything to the peer (the
 * opener runs during the channel set-up, and the next phase change joins
 * it). */
static void
nm_l2tp_join_opener(void)
{
    if (!bus.opener_running)
        return;
    pthread_join(bus.opener, NULL);
    bus.opener_running = FALSE;
    if (bus.conn)
        dbglog("nm-l2tp: connected to D-Bus, reporting to %s", bus.service);
    if (!bus.opener_error)
        return;
    if (!bus.conn) {
        nm_l2tp_log_open_error(bus.opener_error);
        bus.conn_failed = TRUE;
    } else {
        warn("nm-l2tp: SetState to %s failed: %s", bus.service, bus.opener_error->message);
    }
    g_clear_error(&bus.opener_error);
    if (!bus.exiting)
        fatal(GIVING_UP);
}

/* Returns the bus connection, opening it on first use.  Not in
 * plugin_init(): the options that say where to connect are parsed after
 * it, and "dryrun" must not touch the bus at all. */
static GDBusConnection *
nm_l2tp_get_connection(void)
{
    GError  *err = NULL;
    sigset_t all;
    sigset_t old;

    nm_l2tp_join_opener();
    if (bus.conn)
        return bus.conn;
    if (bus.conn_failed)
        return NULL;

    if (!bus.service) {
        error("nm-l2tp: no '%s BUS-NAME' option: cannot reach nm-l2tp-service",
              NM_L2TP_PPPD_OPTION_SERVICE);
        bus.conn_failed = TRUE;
        return NULL;
    }

    /* GDBus starts a worker thread that inherits our signal mask.  pppd's
     * signal handlers set flags and may siglongjmp() out of its select();
     * delivered on the worker thread, that would jump into another thread's
     * stack.  So the worker is born with every signal blocked and pppd's
     * signals keep going to pppd's own thread. */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    bus.conn = nm_l2tp_open(&err);
    pthread_sigmask(SIG_SETMASK, &old, NULL);

    if (!bus.conn) {
        nm_l2tp_log_open_error(err);
        g_error_free(err);
        bus.conn_failed = TRUE;
        return NULL;
    }
    dbglog("nm-l2tp: connected to D-Bus, reporting to %s", bus.service);
    return bus.conn;
}

/* Opens the connection and sends the first report on a thread, so that
 * pppd sets up the L2TP channel meanwhile: the handshake with the bus and
 * the round trip to the service cost tens of milliseconds on a fast
 * machine and much more on a loaded one, and the channel does not need
 * them.  Started at the first phase change, after pppd has detached (a
 * fork would not take the thread along) and after all options are read.
 * Returns FALSE when no thread could be started. */
static gboolean
nm_l2tp_open_in_background(guint32 phase)
{
    sigset_t all;
    sigset_t old;
    int      r;

    if (bus.conn || bus.conn_failed || !bus.service)
        return FALSE;
    bus.opener_phase = phase;
    /* Born with every signal blocked, like GDBus's worker, which it starts
     * and which inherits its mask (see nm_l2tp_get_connection()). */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    r = pthread_create(&bus.opener, NULL, nm_l2tp_opener, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (r != 0)
        return FALSE;
    bus.opener_running = TRUE;
    return TRUE;
}

/* One synchronous call to the service.  Returns the reply (or NULL and
 * sets *err).  Never auto-starts anything: the service is already running
 * when pppd is, and a missing name must fail fast. */
GVariant *
nm_l2tp_bus_call(const char         *method,
                 GVariant           *params,
                 const GVariantType *reply_type,
                 int                 timeout_ms,
                 GError            **err)
{
    GDBusConnection *conn = nm_l2tp_get_connection();

    if (!conn) {
        if (params)
            g_variant_unref(g_variant_ref_sink(params));
        g_set_error_literal(err, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "no D-Bus connection");
        return NULL;
    }
    return nm_l2tp_call_on(conn, method, params, reply_type, timeout_ms, err);
}

static GVariant *
nm_l2tp_call_on(GDBusConnection    *conn,
                const char         *method,
                GVariant           *params,
                const GVariantType *reply_type,
                int                 timeout_ms,
                GError            **err)
{
    return g_dbus_connection_call_sync(conn,
                                       bus.service,
                                       NM_DBUS_PATH_L2TP_PPP,
                                       NM_DBUS_INTERFACE_L2TP_PPP,
                                       method,
                                       params,
                                       reply_type,
                                       G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                       timeout_ms,
                                       NULL,
                                       err);
}

/* A report whose reply carries nothing.  A failed report is logged but does
 * not end the link: the service may already be tearing the connection down,
 * and it will stop pppd itself if it needs to. */
gboolean
nm_l2tp_bus_report(const char *method, GVariant *params)
{
    GError   *err = NULL;
    GVariant *ret;

    ret = nm_l2tp_bus_call(method, params, G_VARIANT_TYPE_UNIT, NM_L2TP_REPORT_TIMEOUT_MS, &err);
    if (ret) {
        g_variant_unref(ret);
        return TRUE;
    }
    /* Without a connection the reason was logged once already. */
    if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
        warn("nm-l2tp: %s to %s failed: %s", method, bus.service, err->message);
    g_error_free(err);
    return FALSE;
}

/* A report sent without waiting for the answer.  pppd's link timers
 * keep running meanwhile, and each round trip to the service costs a few
 * milliseconds on a fast machine and much more on a loaded one; a connect
 * makes half a dozen of them.  The order is kept: every message goes out
 * on the one connection, in the order of the calls, ahead of any later
 * synchronous call (NeedSecrets), and the exit notifier flushes.  The
 * price is that a failure is not seen here; the first report stays
 * synchronous and proves the service is there. */
void
nm_l2tp_bus_report_nowait(const char *method, GVariant *params)
{
    GDBusConnection *conn = nm_l2tp_get_connection();

    if (!conn) {
        g_variant_unref(g_variant_ref_sink(params));
        return;
    }
    /* Without a callback GDBus flags the call NO_REPLY_EXPECTED. */
    g_dbus_connection_call(conn,
                           bus.service,
                           NM_DBUS_PATH_L2TP_PPP,
                           NM_DBUS_INTERFACE_L2TP_PPP,
                           method,
                           params,
                           NULL,
                           G_DBUS_CALL_FLAGS_NO_AUTO_START,
                           -1,
                           NULL,
                           NULL,
                           NULL);
}

/* The first phase change is the start of the first link, and its report
 * doubles as a check that the service is there (see
 * nm_l2tp_join_opener()). */
void
nm_l2tp_bus_report_first(guint32 phase)
{
    if (!nm_l2tp_open_in_background(phase)
        && !nm_l2tp_bus_report("SetState", g_variant_new("(u)", phase)) && !bus.exiting)
        fatal(GIVING_UP);
}

const char *
nm_l2tp_bus_service_name(void)
{
    return bus.service;
}

void
nm_l2tp_bus_exiting(void)
{
    bus.exiting = TRUE;
}

/* Flushes and drops the connection so that the last reports leave before
 * pppd's exit() tears the process down.  Any opener was joined by the
 * last report. */
void
nm_l2tp_bus_close(void)
{
    if (bus.conn) {
        g_dbus_connection_flush_sync(bus.conn, NULL, NULL);
        g_clear_object(&bus.conn);
    }
    g_clear_pointer(&bus.service, g_free);
    g_clear_pointer(&bus.address, g_free);
}
