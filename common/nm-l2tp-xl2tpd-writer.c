/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xl2tpd.conf for one connection.  xl2tpd reads "key = value" to the end of
 * the line with ';' starting a comment, so only values the service produced
 * itself or that validation restricted to host syntax are written. */

#include "config.h"

#include "nm-l2tp-writers.h"

char *
nm_l2tp_xl2tpd_conf_build(const NML2tpSettings *s, const NML2tpWriterParams *p)
{
    GString *out = g_string_new(NULL);

    g_return_val_if_fail(nm_l2tp_uuid_is_plain(p->uuid) && p->gateway_address && p->run_dir, NULL);

    g_string_append_printf(
        out, "; xl2tpd configuration for connection %s, written by nm-l2tp-service\n", p->uuid);
    g_string_append(out, "[global]\n");
    g_string_append_printf(out, "port = %u\n", p->local_port);
    /* Accept tunnels only from the server we dial. */
    g_string_append(out, "access control = yes\n");
    /* No "ipsec saref" line: xl2tpd 1.3 takes any mention of it as a reason
     * to leave kernel L2TP for its slower user-space mode. */
    g_string_append(out, "\n");
    g_string_append_printf(out, "[lac %s]\n", p->uuid);
    g_string_append_printf(out, "lns = %s\n", p->gateway_address);
    g_string_append_printf(out, "pppoptfile = %s/pppd-options\n", p->run_dir);
    /* The service dials through the control pipe and decides about
     * retries itself, so that each attempt ends in one verdict. */
    g_string_append(out, "autodial = no\n");
    g_string_append(out, "redial = no\n");
    g_string_append(out, "length bit = yes\n");
    /* The server authenticates us in PPP; we do not ask it to. */
    g_string_append(out, "require authentication = no\n");
    g_string_append(out, "ppp debug = no\n");
    return g_string_free(out, FALSE);
}
