/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The preflight: fixture trees for each way a module, program or port can
 * be, a fake VICI server, and the real host (whose kernel has no ESP, PPP
 * or L2TP on the development machines: the preflight must say so with the
 * catalog's hints). */
#include "config.h"

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "diag-test-util.h"
#include "nm-l2tp-catalog.h"
#include "nm-l2tp-diag-check.h"
#include "nm-l2tp-report.h"
#include "nm-l2tp-strongswan.h"

#define REL "6.18.0-test"

static const char *
catalog_hint(NML2tpCause cause)
{
    return nm_l2tp_cause_get_info(cause)->hint;
}

static NML2tpCheck *
expect(GPtrArray *checks, const char *id, NML2tpCheckStatus status, const char *cause)
{
    NML2tpCheck *c = nm_l2tp_diag_check_find(checks, id);

    if (!c)
        g_error("no check %s", id);
    g_test_message(
        "%s: %s: %s [%s]", id, nm_l2tp_diag_check_status_to_string(c->status), c->result, c->hint);
    g_assert_cmpstr(nm_l2tp_diag_check_status_to_string(c->status),
                    ==,
                    nm_l2tp_diag_check_status_to_string(status));
    g_assert_cmpstr(c->cause, ==, cause);
    if (status == NM_L2TP_CHECK_PROBLEM)
        g_assert_nonnull(c->hint);
    return c;
}

static void
write_exe(const char *root, const char *path)
{
    diag_test_write(root, path, "#!/bin/sh\nexit 0\n", 0755);
}

/* Nothing at all: no modules, no programs. */
static void
test_bare(void)
{
    g_autofree char   *root     = diag_test_make_tmpdir();
    NML2tpCheckContext ctx      = { .root = root, .kernel_release = REL };
    g_autoptr(GPtrArray) checks = NULL;
    g_autofree char *text       = NULL;
    NML2tpCheck     *c;

    diag_test_write(root, "proc/modules", "", 0644);
    checks = nm_l2tp_diag_check_run(&ctx);
    text   = nm_l2tp_diag_check_to_text(&ctx, checks);
    g_test_message("%s", text);

    c = expect(checks, "kernel-esp4", NM_L2TP_CHECK_PROBLEM, "esp-unsupported-kernel");
    g_assert_cmpstr(c->hint, ==, catalog_hint(NM_L2TP_CAUSE_ESP_UNSUPPORTED_KERNEL));
    g_assert_nonnull(strstr(c->result, "this kernel lacks IPsec ESP support (esp4)"));
    g_assert_nonnull(strstr(c->result, "/lib/modules/" REL " does not exist"));
    c = expect(checks, "kernel-xfrm_user", NM_L2TP_CHECK_PROBLEM, "esp-unsupported-kernel");
    c = expect(checks, "kernel-l2tp_ppp", NM_L2TP_CHECK_PROBLEM, "l2tp-kernel-missing");
    g_assert_cmpstr(c->hint, ==, catalog_hint(NM_L2TP_CAUSE_L2TP_KERNEL_MISSING));
    expect(checks, "kernel-l2tp_netlink", NM_L2TP_CHECK_PROBLEM, "l2tp-kernel-missing");
    c = expect(checks, "kernel-ppp_generic", NM_L2TP_CHECK_PROBLEM, "ppp-no-dev-ppp");
    g_assert_cmpstr(c->hint, ==, catalog_hint(NM_L2TP_CAUSE_NO_DEV_PPP));
    expect(checks, "dev-ppp", NM_L2TP_CHECK_PROBLEM, "ppp-no-dev-ppp");
    c = expect(checks, "charon", NM_L2TP_CHECK_PROBLEM, "charon-unavailable");
    g_assert_cmpstr(c->hint, ==, catalog_hint(NM_L2TP_CAUSE_CHARON_UNAVAILABLE));
    expect(checks, "charon-ikev1", NM_L2TP_CHECK_INFO, NULL);
    expect(checks, "xl2tpd", NM_L2TP_CHECK_PROBLEM, NULL);
    expect(checks, "pppd", NM_L2TP_CHECK_PROBLEM, NULL);
    expect(checks, "pppd-plugin", NM_L2TP_CHECK_PROBLEM, NULL);
    expect(checks, "system-charon", NM_L2TP_CHECK_INFO, NULL);
    expect(checks, "udp-500", NM_L2TP_CHECK_OK, NULL);
    expect(checks, "udp-1701", NM_L2TP_CHECK_OK, NULL);

    g_assert_nonnull(
        strstr(text,
               "PROBLEM  Kernel: IPsec ESP (esp4): This kernel lacks IPsec ESP support "
               "(esp4): not loaded, not built in"));
    g_assert_nonnull(
        strstr(text,
               "         Fix: Load the esp4 and xfrm modules (modprobe esp4) or use a kernel "
               "with IPsec support.\n"));
    diag_test_rm_rf(root);
}

/* A full system: modules installed, loaded, built in or blacklisted;
 * strongSwan without one plugin; ports held by others and by us. */
static void
test_modular(void)
{
    g_autofree char   *root     = diag_test_make_tmpdir();
    g_autofree char   *lib      = g_strdup_printf("usr/lib/ipsec/plugins");
    NML2tpCheckContext ctx      = { .root = root, .kernel_release = REL };
    g_autoptr(GPtrArray) checks = NULL;
    g_autoptr(JsonNode) node    = NULL;
    NML2tpCheck              *c;
    guint                     n_plugins;
    const NML2tpCharonPlugin *plugins = nm_l2tp_charon_private_plugins(&n_plugins);

    diag_test_write(root,
                    "lib/modules/" REL "/modules.dep",
                    "kernel/net/l2tp/l2tp_ppp.ko: kernel/net/l2tp/l2tp_core.ko\n"
                    "kernel/net/l2tp/l2tp_netlink.ko.xz: kernel/net/l2tp/l2tp_core.ko\n"
                    "kernel/drivers/net/ppp/ppp_generic.ko:\n"
                    "kernel/net/ipv4/esp4.ko.zst:\n",
                    0644);
    diag_test_write(
        root, "lib/modules/" REL "/modules.builtin", "kernel/net/xfrm/xfrm_user.ko\n", 0644);
    diag_test_write(root, "proc/modules", "ppp_generic 45056 0 - Live 0x0000000000000000\n", 0644);
    diag_test_write(root, "etc/modprobe.d/local.conf", "# no esp\n\nblacklist esp4\n", 0644);
    write_exe(root, "usr/lib/ipsec/charon");
    diag_test_write(root, "usr/lib/ipsec/libcharon.so.0", "\177ELF...main_mode_create...", 0644);
    /* Every plugin of the service's charon but openssl. */
    for (guint i = 0; i < n_plugins; i++) {
        g_autofree char *p = g_strdup_printf("%s/libstrongswan-%s.so", lib, plugins[i].name);

        if (!g_str_equal(plugins[i].name, "openssl"))
            diag_test_write(root, p, "", 0644);
    }
    write_exe(root, "usr/sbin/xl2tpd");
    write_exe(root, "usr/sbin/pppd");
    {
        g_autofree char *plugin =
            g_strconcat(NM_L2TP_PPPD_PLUGIN_DIR, "/nm-l2tp-pppd-plugin.so", NULL);

        diag_test_write(root, plugin + 1, "", 0644);
    }
    /* UDP 500 (01F4): pluto; 4500 (1194): our own charon; 1701 (06A5): a
     * system xl2tpd.  Ids, addresses and the table's other columns as the
     * kernel writes them. */
    diag_test_write(root,
                    "proc/net/udp",
                    "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt  "
                    " uid  timeout inode ref pointer drops\n"
                    "  101: 00000000:01F4 00000000:0000 07 00000000:00000000 00:00000000 00000000  "
                    "   0        0 4242 2 0000000000000000 0\n"
                    "  102: 00000000:1194 00000000:0000 07 00000000:00000000 00:00000000 00000000  "
                    "   0        0 4444 2 0000000000000000 0\n"
                    "  103: 00000000:06A5 00000000:0000 07 00000000:00000000 00:00000000 00000000  "
                    "   0        0 4343 2 0000000000000000 0\n",
                    0644);
    diag_test_write(
        root,
        "proc/net/udp6",
        "  sl  local_address                         remote_address                        st\n",
        0644);
    diag_test_write(root, "proc/77/comm", "pluto\n", 0644);
    diag_test_write(root, "proc/77/stat", "77 (pluto) S 1 77 77 0 -1\n", 0644);
    diag_test_write(root, "proc/88/comm", "xl2tpd\n", 0644);
    diag_test_write(root, "proc/88/stat", "88 (xl2tpd) S 1 88 88 0 -1\n", 0644);
    diag_test_write(root, "proc/99/comm", "charon\n", 0644);
    diag_test_write(root, "proc/99/stat", "99 (charon) S 98 99 99 0 -1\n", 0644);
    diag_test_write(root, "proc/98/comm", "nm-l2tp-service\n", 0644);
    {
        static const char *const links[][2] = {
            { "proc/77/fd/5", "socket:[4242]" },
            { "proc/88/fd/3", "socket:[4343]" },
            { "proc/99/fd/9", "socket:[4444]" },
            { "proc/99/fd/1", "/dev/null" },
        };
        for (guint i = 0; i < G_N_ELEMENTS(links); i++) {
            g_autofree char *path   = g_build_filename(root, links[i][0], NULL);
            g_autofree char *parent = g_path_get_dirname(path);

            g_mkdir_with_parents(parent, 0755);
            g_assert_cmpint(symlink(links[i][1], path), ==, 0);
        }
    }

    checks = nm_l2tp_diag_check_run(&ctx);
    c      = expect(checks, "kernel-l2tp_ppp", NM_L2TP_CHECK_OK, NULL);
    g_assert_nonnull(strstr(c->result, "installed as a module"));
    expect(checks, "kernel-l2tp_netlink", NM_L2TP_CHECK_OK, NULL);
    c = expect(checks, "kernel-ppp_generic", NM_L2TP_CHECK_OK, NULL);
    g_assert_cmpstr(c->result, ==, "loaded");
    c = expect(checks, "kernel-xfrm_user", NM_L2TP_CHECK_OK, NULL);
    g_assert_cmpstr(c->result, ==, "built into the kernel");
    c = expect(checks, "kernel-esp4", NM_L2TP_CHECK_PROBLEM, "esp-unsupported-kernel");
    g_assert_nonnull(strstr(c->result, "blacklisted (/etc/modprobe.d/local.conf:3)"));
    g_assert_nonnull(strstr(c->hint, "/etc/modprobe.d/local.conf:3"));
    expect(checks, "dev-ppp", NM_L2TP_CHECK_INFO, NULL);
    expect(checks, "charon", NM_L2TP_CHECK_OK, NULL);
    expect(checks, "charon-ikev1", NM_L2TP_CHECK_OK, NULL);
    c = expect(checks, "charon-plugins", NM_L2TP_CHECK_PROBLEM, NULL);
    g_assert_true(g_str_has_suffix(c->result, "are missing: openssl"));
    g_assert_cmpstr(c->hint, ==, "install libstrongswan-standard-plugins");
    expect(checks, "xl2tpd", NM_L2TP_CHECK_OK, NULL);
    expect(checks, "pppd", NM_L2TP_CHECK_OK, NULL);
    expect(checks, "pppd-plugin", NM_L2TP_CHECK_OK, NULL);
    c = expect(checks, "udp-500", NM_L2TP_CHECK_PROBLEM, NULL);
    g_assert_nonnull(strstr(c->result, "pluto (pid 77)"));
    c = expect(checks, "udp-4500", NM_L2TP_CHECK_INFO, NULL);
    g_assert_nonnull(strstr(c->result, "of nm-l2tp"));
    c = expect(checks, "udp-1701", NM_L2TP_CHECK_INFO, NULL);
    g_assert_nonnull(strstr(c->result, "xl2tpd (pid 88)"));

    /* The JSON carries the same. */
    node = nm_l2tp_diag_check_to_json(&ctx, checks);
    {
        JsonObject *o     = json_node_get_object(node);
        JsonArray  *arr   = json_object_get_array_member(o, "checks");
        gboolean    found = FALSE;

        g_assert_cmpint(json_object_get_int_member(o, "problems"), ==, 3);
        g_assert_cmpstr(json_object_get_string_member(o, "kernel"), ==, REL);
        for (guint i = 0; i < json_array_get_length(arr); i++) {
            JsonObject *e = json_array_get_object_element(arr, i);

            if (g_str_equal(json_object_get_string_member(e, "id"), "kernel-esp4")) {
                g_assert_cmpstr(json_object_get_string_member(e, "status"), ==, "problem");
                g_assert_cmpstr(
                    json_object_get_string_member(e, "cause"), ==, "esp-unsupported-kernel");
                found = TRUE;
            }
        }
        g_assert_true(found);
    }
    diag_test_rm_rf(root);
}

static void
test_no_ikev1(void)
{
    g_autofree char   *root     = diag_test_make_tmpdir();
    NML2tpCheckContext ctx      = { .root = root, .kernel_release = REL };
    g_autoptr(GPtrArray) checks = NULL;
    NML2tpCheck *c;

    write_exe(root, "usr/lib/ipsec/charon");
    diag_test_write(root, "usr/lib/ipsec/libcharon.so.0", "\177ELF...ike_sa_create...", 0644);
    checks = nm_l2tp_diag_check_run(&ctx);
    c      = expect(checks, "charon-ikev1", NM_L2TP_CHECK_PROBLEM, "ikev1-disabled");
    g_assert_cmpstr(c->hint, ==, catalog_hint(NM_L2TP_CAUSE_IKEV1_DISABLED));
    diag_test_rm_rf(root);
}

/* ---- a fake system charon -------------------------------------------------- */

static gpointer
vici_server(gpointer data)
{
    GSocket *listener       = data;
    g_autoptr(GSocket) conn = g_socket_accept(listener, NULL, NULL);
    guint8 req[13];
    gsize  got = 0;
    /* type 1 (response), "daemon" = "charon", "version" = "5.9.8" */
    static const guint8 answer[] = {
        0,   0,   0, 33, 1,   3,   6,   'd', 'a', 'e', 'm', 'o', 'n', 0,   6,   'c', 'h', 'a', 'r',
        'o', 'n', 3, 7,  'v', 'e', 'r', 's', 'i', 'o', 'n', 0,   5,   '5', '.', '9', '.', '8',
    };

    g_assert_nonnull(conn);
    while (got < sizeof(req)) {
        gssize n = g_socket_receive(conn, (char *)req + got, sizeof(req) - got, NULL, NULL);

        g_assert_cmpint(n, >, 0);
        got += n;
    }
    g_assert_cmpmem(req + 6, 7, "version", 7);
    g_socket_send(conn, (const char *)answer, sizeof(answer), NULL, NULL);
    return NULL;
}

static GThread *
start_vici(const char *path, GSocket **out_listener)
{
    g_autoptr(GError) error        = NULL;
    g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);
    GSocket *s =
        g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);

    g_assert_no_error(error);
    g_socket_bind(s, addr, TRUE, &error);
    g_assert_no_error(error);
    g_socket_listen(s, &error);
    g_assert_no_error(error);
    *out_listener = s;
    return g_thread_new("vici", vici_server, s);
}

static void
test_vici(void)
{
    g_autofree char   *root     = diag_test_make_tmpdir();
    g_autofree char   *run      = g_build_filename(root, "run", NULL);
    g_autofree char   *sock     = g_build_filename(run, "charon.vici", NULL);
    NML2tpCheckContext ctx      = { .root = root, .kernel_release = REL, .probe_vici = TRUE };
    g_autoptr(GPtrArray) checks = NULL;
    g_autoptr(GSocket) listener = NULL;
    GThread     *thread;
    NML2tpCheck *c;

    g_mkdir_with_parents(run, 0755);
    thread = start_vici(sock, &listener);
    checks = nm_l2tp_diag_check_run(&ctx);
    g_thread_join(thread);
    c = expect(checks, "system-charon", NM_L2TP_CHECK_OK, NULL);
    g_assert_nonnull(strstr(c->result, "charon 5.9.8 answers on /run/charon.vici"));
    g_clear_pointer(&checks, g_ptr_array_unref);

    /* Nobody listens any more: a stale socket. */
    g_socket_close(listener, NULL);
    g_clear_object(&listener);
    checks = nm_l2tp_diag_check_run(&ctx);
    expect(checks, "system-charon", NM_L2TP_CHECK_INFO, NULL);
    g_clear_pointer(&checks, g_ptr_array_unref);

    /* Someone listens but never answers: the probe gives up, it does not
     * hang the tool. */
    g_unlink(sock);
    {
        g_autoptr(GError) error        = NULL;
        g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(sock);

        listener = g_socket_new(
            G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
        g_assert_no_error(error);
        g_socket_bind(listener, addr, TRUE, &error);
        g_assert_no_error(error);
        g_socket_listen(listener, &error);
        g_assert_no_error(error);
    }
    checks = nm_l2tp_diag_check_run(&ctx);
    c      = expect(checks, "system-charon", NM_L2TP_CHECK_INFO, NULL);
    g_assert_nonnull(strstr(c->result, "no charon answers (/run/charon.vici: "));
    diag_test_rm_rf(root);
}

/* ---- this host --------------------------------------------------------------- */

static gboolean
host_has_module(const char *module)
{
    g_autofree char *sys     = g_strdup_printf("/sys/module/%s", module);
    g_autofree char *modules = NULL;
    g_autofree char *needle  = g_strdup_printf("\n%s ", module);
    struct utsname   u;
    g_autofree char *dir = NULL;

    g_assert_cmpint(uname(&u), ==, 0);
    dir = g_strdup_printf("/lib/modules/%s", u.release);
    if (g_file_test(sys, G_FILE_TEST_EXISTS) || g_file_test(dir, G_FILE_TEST_EXISTS))
        return TRUE;
    g_file_get_contents("/proc/modules", &modules, NULL, NULL);
    return modules && (g_str_has_prefix(modules, needle + 1) || strstr(modules, needle));
}

static void
test_host(void)
{
    g_autofree char *out = NULL, *err = NULL, *jout = NULL, *jerr = NULL;
    const char      *args[]      = { "--check", NULL };
    const char      *json_args[] = { "--check", "--json", NULL };
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) error      = NULL;
    JsonArray *arr;
    int        status;

    status = diag_test_run(NULL, args, &out, &err);
    g_test_message("nm-l2tp-diag --check on this host (exit %d):\n%s%s", status, out, err);
    g_assert_nonnull(strstr(out, "Preflight of kernel "));
    if (host_has_module("esp4") || host_has_module("ppp_generic") || host_has_module("l2tp_ppp")) {
        g_test_skip(
            "this host's kernel has ESP, PPP or L2TP support: the missing-support case needs "
            "a kernel without");
        return;
    }
    g_assert_cmpint(status, ==, 1);
    g_assert_nonnull(strstr(
        out, "PROBLEM  Kernel: IPsec ESP (esp4): This kernel lacks IPsec ESP support (esp4)"));
    g_assert_nonnull(strstr(
        out,
        "Fix: Load the esp4 and xfrm modules (modprobe esp4) or use a kernel with IPsec support."));
    g_assert_nonnull(strstr(
        out,
        "PROBLEM  Kernel: L2TP over PPP (l2tp_ppp): This kernel lacks L2TP support (l2tp_ppp)"));
    g_assert_nonnull(strstr(
        out,
        "Fix: Load the l2tp_ppp module (modprobe l2tp_ppp) or use a kernel with L2TP support."));
    g_assert_nonnull(strstr(
        out, "PROBLEM  Kernel: PPP (ppp_generic): This system lacks PPP support (/dev/ppp)"));
    g_assert_nonnull(strstr(out, "PROBLEM  Device /dev/ppp:"));
    g_assert_nonnull(strstr(out, "Fix: Load the ppp_generic module (modprobe ppp_generic)."));

    g_assert_cmpint(diag_test_run(NULL, json_args, &jout, &jerr), ==, 1);
    json_parser_load_from_data(parser, jout, -1, &error);
    g_assert_no_error(error);
    arr =
        json_object_get_array_member(json_node_get_object(json_parser_get_root(parser)), "checks");
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *e    = json_array_get_object_element(arr, i);
        const char *id   = json_object_get_string_member(e, "id");
        const char *want = g_str_equal(id, "kernel-esp4")        ? "esp-unsupported-kernel" :
                           g_str_equal(id, "kernel-l2tp_ppp")    ? "l2tp-kernel-missing" :
                           g_str_equal(id, "kernel-ppp_generic") ? "ppp-no-dev-ppp" :
                           g_str_equal(id, "dev-ppp")            ? "ppp-no-dev-ppp" :
                                                                   NULL;

        if (!want)
            continue;
        g_assert_cmpstr(json_object_get_string_member(e, "status"), ==, "problem");
        g_assert_cmpstr(json_object_get_string_member(e, "cause"), ==, want);
        {
            g_autofree char *hint =
                nm_l2tp_report_to_sentence(catalog_hint(nm_l2tp_cause_from_string(want)));

            g_assert_cmpstr(json_object_get_string_member(e, "hint"), ==, hint);
        }
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/diag/check/bare", test_bare);
    g_test_add_func("/diag/check/modular", test_modular);
    g_test_add_func("/diag/check/no-ikev1", test_no_ikev1);
    g_test_add_func("/diag/check/vici", test_vici);
    g_test_add_func("/diag/check/host", test_host);
    return g_test_run();
}
