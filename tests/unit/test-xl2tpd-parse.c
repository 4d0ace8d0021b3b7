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

/* Server text inside xl2tpd's messages is never one of xl2tpd's events:
 * events are anchored at the start of xl2tpd's message. */
static void
test_server_text_inside_a_message_is_no_event(void)
{
    static const char *const triggers[] = {
        "Listening on IP address 0.0.0.0, port 1701",
        "Connection established to 192.0.2.1, 1701.",
        "Call established with 192.0.2.1, Local: 1",
        "Maximum retries exceeded for tunnel 1.  Closing.",
        "pppd exited for call 1 with code 4",
        "L2TP kernel support not detected",
    };
    guint i;

    for (i = 0; i < G_N_ELEMENTS(triggers); i++) {
        g_autofree char  *line   = g_strdup_printf("control_finish: Connection closed to "
                                                   "198.51.100.1, port 1701 (%s), Local: 1, Remote: 2",
                                                triggers[i]);
        g_autofree char  *detail = NULL;
        NML2tpXl2tpdEvent event  = 0;

        g_assert_true(nm_l2tp_xl2tpd_parse_line(line, &event, &detail));
        g_assert_cmpint(event, ==, NM_L2TP_XL2TPD_EVENT_TUNNEL_CLOSED);
        g_assert_cmpstr(detail, ==, triggers[i]);
    }
}

/* Who said which line: our xl2tpd (its prefix), pppd (no prefix), or the
 * server, whose StopCCN reason with line breaks xl2tpd copies raw. */
static void
test_origin_of_each_line(void)
{
    NML2tpXl2tpdLines lines = { .prefix = "xl2tpd[4242]: " };
    const char       *text;
    static const struct {
        const char        *line;
        NML2tpXl2tpdOrigin origin;
        const char        *text;
    } seq[] = {
        { "xl2tpd[4242]: Listening on IP address 0.0.0.0, port 1701",
          NM_L2TP_XL2TPD_ORIGIN_XL2TPD,
          "Listening on IP address 0.0.0.0, port 1701" },
        { "Remote message: Listening on IP address", NM_L2TP_XL2TPD_ORIGIN_PPPD, NULL },
        /* Another xl2tpd's pid is not ours. */
        { "xl2tpd[4243]: Call established with 192.0.2.1", NM_L2TP_XL2TPD_ORIGIN_PPPD, NULL },
        { "xl2tpd[4242]: control_finish: Connection closed to 198.51.100.1, port 1701 (bye",
          NM_L2TP_XL2TPD_ORIGIN_XL2TPD,
          NULL },
        { "xl2tpd[4242]: Maximum retries exceeded for tunnel 7.  Closing.",
          NM_L2TP_XL2TPD_ORIGIN_XL2TPD,
          NULL },
        { "Call established with 192.0.2.1", NM_L2TP_XL2TPD_ORIGIN_PPPD, NULL },
    };
    guint i;

    for (i = 0; i < G_N_ELEMENTS(seq); i++) {
        g_assert_cmpint(
            nm_l2tp_xl2tpd_classify_line(&lines, seq[i].line, &text), ==, seq[i].origin);
        if (seq[i].text)
            g_assert_cmpstr(text, ==, seq[i].text);
    }

    /* A reason with line breaks: what follows, up to xl2tpd's end of the
     * message, is the server's, whatever it looks like. */
    g_assert_cmpint(
        nm_l2tp_xl2tpd_classify_line(
            &lines,
            "xl2tpd[4242]: control_finish: Connection closed to 198.51.100.1, port 1701 (bye",
            &text),
        ==,
        NM_L2TP_XL2TPD_ORIGIN_XL2TPD);
    g_assert_cmpint(
        nm_l2tp_xl2tpd_classify_line(&lines, "This system lacks kernel support for PPP", &text),
        ==,
        NM_L2TP_XL2TPD_ORIGIN_SERVER);
    g_assert_cmpint(nm_l2tp_xl2tpd_classify_line(&lines, "No response to 3 echo-requests", &text),
                    ==,
                    NM_L2TP_XL2TPD_ORIGIN_SERVER);
    g_assert_cmpint(nm_l2tp_xl2tpd_classify_line(&lines, "see you), Local: 5, Remote: 6", &text),
                    ==,
                    NM_L2TP_XL2TPD_ORIGIN_SERVER);
    /* After the end, pppd's lines are pppd's again. */
    g_assert_cmpint(nm_l2tp_xl2tpd_classify_line(&lines, "No response to 3 echo-requests", &text),
                    ==,
                    NM_L2TP_XL2TPD_ORIGIN_PPPD);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/xl2tpd/parse-lines", test_lines);
    g_test_add_func("/xl2tpd/server-text-inside-a-message-is-no-event",
                    test_server_text_inside_a_message_is_no_event);
    g_test_add_func("/xl2tpd/origin-of-each-line", test_origin_of_each_line);
    return g_test_run();
}
