/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the service removes from the kernel after its charon died: the
 * policies for L2TP to and from the gateway, nothing else.  In a network
 * namespace of its own (root), with policies made by ip-xfrm.  (ESP SAs
 * need the esp4 module, which only the VM lab's kernel has: the lab case
 * charon-crash shows that none is left.) */
#include "config.h"

#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "nm-l2tp-xfrm.h"

static void
ip_xfrm(const char *args)
{
    g_autofree char *cmd    = g_strdup_printf("ip xfrm %s", args);
    g_autoptr(GError) error = NULL;
    int status;

    g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, &status, &error));
    g_assert_no_error(error);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
}

static char *
policies(void)
{
    char *out = NULL;

    g_assert_true(g_spawn_command_line_sync("ip xfrm policy", &out, NULL, NULL, NULL));
    return out;
}

static void
test_only_l2tp_to_the_gateway_goes(void)
{
    g_autofree char *after  = NULL;
    g_autoptr(GError) error = NULL;

    /* Ours: the SA's policies and the fail-closed drop policy, as charon
     * installs them for the gateway 198.51.100.1. */
    ip_xfrm("policy add src 192.0.2.2/32 dst 198.51.100.1/32 proto udp sport 1701 dport 1701 "
            "dir out tmpl proto esp mode transport");
    ip_xfrm("policy add src 198.51.100.1/32 dst 192.0.2.2/32 proto udp sport 1701 dport 1701 "
            "dir in tmpl proto esp mode transport");
    ip_xfrm("policy add src 0.0.0.0/0 dst 198.51.100.1/32 proto udp sport 1701 dport 1701 "
            "dir out action block priority 583231");
    ip_xfrm("policy add src 198.51.100.1/32 dst 0.0.0.0/0 proto udp sport 1701 dport 1701 "
            "dir fwd action block priority 583231");
    /* Not ours: another server's L2TP, and other traffic to the same one. */
    ip_xfrm("policy add src 192.0.2.2/32 dst 198.51.100.2/32 proto udp sport 1701 dport 1701 "
            "dir out tmpl proto esp mode transport");
    ip_xfrm("policy add src 192.0.2.2/32 dst 198.51.100.1/32 proto tcp dport 443 "
            "dir out tmpl proto esp mode transport");

    g_assert_true(nm_l2tp_xfrm_flush_gateway("198.51.100.1", &error));
    g_assert_no_error(error);
    after = policies();
    g_assert_null(strstr(after, "dst 198.51.100.1/32 proto udp"));
    g_assert_null(strstr(after, "src 198.51.100.1/32"));
    g_assert_nonnull(strstr(after, "dst 198.51.100.2/32 proto udp sport 1701 dport 1701"));
    g_assert_nonnull(strstr(after, "dst 198.51.100.1/32 proto tcp"));

    /* Nothing left of ours: a second sweep is fine. */
    g_assert_true(nm_l2tp_xfrm_flush_gateway("198.51.100.1", &error));
    g_assert_false(nm_l2tp_xfrm_flush_gateway("not-an-address", &error));
    g_assert_nonnull(error);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (getuid() != 0 || unshare(CLONE_NEWNET) != 0) {
        g_test_skip("needs root for a network namespace of its own");
        return g_test_run();
    }
    g_test_add_func("/xfrm/only-l2tp-to-the-gateway-goes", test_only_l2tp_to_the_gateway_goes);
    return g_test_run();
}
