/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xl2tpd's output, as xl2tpd 1.3 prints it, turned into events: the lines
 * here are the ones the service relies on to name L2TP failures. */

#include "config.h"

#include "nm-l2tp-xl2tpd.h"

typedef struct {
    const char       *line;
    gboolean          matches;
    NML2tpXl2tpdEvent event;
    const char       *detail;
} Case;

static const Case cases[] = {
    { "Listening on IP address 0.0.0.0, port 1701", TRUE, NM_L2TP_XL2TPD_EVENT_READY, NULL },
    { "Connecting to host 192.0.2.1, port 1701", FALSE, 0, NULL },
    { "Connection established to 192.0.2.1, 1701.  Local: 4711, Remote: 1 (ref=0/0).",
      TRUE,
      NM_L2TP_XL2TPD_EVENT_TUNNEL_UP,
      NULL },
    { "Calling on tunnel 4711", FALSE, 0, NULL },
    { "Call established with 192.0.2.1, Local: 1, Remote: 2, Serial: 1 (ref=0/0)",
      TRUE,
      NM_L2TP_XL2TPD_EVENT_SESSION_UP,
      NULL },
    { "Maximum retries exceeded for tunnel 4711.  Closing.",
      TRUE,
      NM_L2TP_XL2TPD_EVENT_NO_RESPONSE,
      NULL },
    { "control_finish: Connection closed to 192.0.2.1, port 1701 (Denied), Local: 4711, Remote: 3",
      TRUE,
      NM_L2TP_XL2TPD_EVENT_TUNNEL_CLOSED,
      "Denied" },
    { "L2TP kernel support not detected (try modprobing l2tp_ppp and pppol2tp)",
      TRUE,
      NM_L2TP_XL2TPD_EVENT_NO_KERNEL,
      NULL },
    { "child_handler : pppd exited for call 2 with code 19",
      TRUE,
      NM_L2TP_XL2TPD_EVENT_PPPD_EXITED,
      "19" },
    { "start_pppd: I'm running: ", FALSE, 0, NULL },
};

static void
test_lines(void)
{
    guint i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char  *detail = NULL;
        NML2tpXl2tpdEvent event  = 0;
        gboolean          m      = nm_l2tp_xl2tpd_parse_line(cases[i].line, &event, &detail);

        g_assert_cmpint(m, ==, cases[i].matches);
        if (!m)
            continue;
        g_assert_cmpint(event, ==, cases[i].event);
        g_assert_cmpstr(detail, ==, cases[i].detail);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/xl2tpd/parse-lines", test_lines);
    return g_test_run();
}
