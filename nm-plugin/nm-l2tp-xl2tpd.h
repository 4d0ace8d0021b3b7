/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_XL2TPD_H
#define NM_L2TP_XL2TPD_H

#include <gio/gio.h>

/* Supervision of one private xl2tpd: it runs in the foreground with its
 * configuration, control pipe and pid file in the connection's run
 * directory; its output is read line by line and turned into events. */

typedef enum {
    NM_L2TP_XL2TPD_EVENT_READY,          /* listening; dialing is possible */
    NM_L2TP_XL2TPD_EVENT_TUNNEL_UP,      /* SCCRQ/SCCRP/SCCCN done */
    NM_L2TP_XL2TPD_EVENT_SESSION_UP,     /* ICRQ/ICRP/ICCN done, pppd starts */
    NM_L2TP_XL2TPD_EVENT_NO_RESPONSE,    /* SCCRQ retries exhausted */
    NM_L2TP_XL2TPD_EVENT_TUNNEL_CLOSED,  /* StopCCN; detail: the server's reason */
    NM_L2TP_XL2TPD_EVENT_SESSION_CLOSED, /* CDN; detail: the reason */
    NM_L2TP_XL2TPD_EVENT_NO_KERNEL,      /* no l2tp_ppp: xl2tpd falls back to user space */
    NM_L2TP_XL2TPD_EVENT_PPPD_EXITED,    /* detail: pppd's exit code */
    NM_L2TP_XL2TPD_EVENT_EXITED,         /* xl2tpd itself ended */
} NML2tpXl2tpdEvent;

/* Who said a line of xl2tpd's output. */
typedef enum {
    NM_L2TP_XL2TPD_ORIGIN_XL2TPD, /* xl2tpd itself: its events come from these only */
    NM_L2TP_XL2TPD_ORIGIN_PPPD,   /* pppd (logfd 2 is xl2tpd's pipe) */
    NM_L2TP_XL2TPD_ORIGIN_SERVER, /* the server's words that xl2tpd copied raw,
                                   * line breaks included */
} NML2tpXl2tpdOrigin;

#define NM_L2TP_XL2TPD_PATH_DEFAULT "/usr/sbin/xl2tpd"

#define NM_L2TP_TYPE_XL2TPD (nm_l2tp_xl2tpd_get_type())
G_DECLARE_FINAL_TYPE(NML2tpXl2tpd, nm_l2tp_xl2tpd, NM_L2TP, XL2TPD, GObject)

/* Signals:
 *   "event" (NML2tpXl2tpdEvent event, const char *detail)
 *   "line"  (const char *line, NML2tpXl2tpdOrigin origin): every line
 *           xl2tpd (and pppd through it) printed, for the connection's
 *           log and for reading pppd's words. */

NML2tpXl2tpd *nm_l2tp_xl2tpd_new(const char *run_dir, const char *lac_name);

/* Writes xl2tpd.conf and pppd-options (0600) into the run directory and
 * starts xl2tpd.  Returns FALSE with an error if it cannot be started. */
gboolean nm_l2tp_xl2tpd_start(NML2tpXl2tpd *self,
                              const char   *xl2tpd_path,
                              const char   *xl2tpd_conf,
                              const char   *pppd_options,
                              GError      **error);

/* Asks xl2tpd to open the tunnel and session ("c LAC" on the control
 * pipe).  Call after the READY event. */
gboolean nm_l2tp_xl2tpd_dial(NML2tpXl2tpd *self, GError **error);

/* Parses one of xl2tpd's own messages (without the "xl2tpd[PID]: "
 * prefix), anchored at its start; exposed for the unit tests. */
gboolean nm_l2tp_xl2tpd_parse_line(const char *line, NML2tpXl2tpdEvent *event, char **detail);

/* Telling who said a line of xl2tpd's output.  xl2tpd prints its own
 * messages as "xl2tpd[PID]: text"; pppd, its child, writes to the same
 * pipe without a prefix.  A server's words reach the pipe inside messages
 * of either (a StopCCN's reason, pppd's "Remote message: "), never at the
 * start of a line of their own, except when the server put a line break
 * into its reason: xl2tpd copies it raw, so the lines up to the end xl2tpd
 * gave that message are the server's too. */
typedef struct {
    char    *prefix; /* "xl2tpd[PID]: " of our xl2tpd */
    gboolean in_server_text;
} NML2tpXl2tpdLines;

/* @text: the line without xl2tpd's prefix. */
NML2tpXl2tpdOrigin nm_l2tp_xl2tpd_classify_line(NML2tpXl2tpdLines *lines,
                                                const char        *line,
                                                const char       **text);

/* Hangs up (StopCCN to the server while the SA is still there), then ends
 * xl2tpd: SIGTERM, SIGKILL when it does not go, and removes the files it
 * and we created in the run directory. */
void     nm_l2tp_xl2tpd_stop_async(NML2tpXl2tpd       *self,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data);
gboolean nm_l2tp_xl2tpd_stop_finish(NML2tpXl2tpd *self, GAsyncResult *result, GError **error);

gboolean nm_l2tp_xl2tpd_is_running(NML2tpXl2tpd *self);

#endif /* NM_L2TP_XL2TPD_H */
