/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel part of the preflight: the modules an L2TP/IPsec connection
 * needs and /dev/ppp.  A module counts as available when it is loaded,
 * built in, or installed for the running kernel and not blacklisted (the
 * kernel then loads it on demand: esp4 when charon installs the first ESP
 * SA, l2tp_ppp when xl2tpd opens its socket, ppp_generic when pppd opens
 * /dev/ppp). */
#include "config.h"

#include "nm-l2tp-diag-check.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "nm-l2tp-catalog.h"

#define PPP_MAJOR 108

typedef struct {
    const char *module;
    const char *title; /* N_() */
    /* The kernel config options that build it in when all are "y". */
    const char *config[2];
    NML2tpCause cause;
    /* The cause's message names this module (not only its subsystem). */
    gboolean catalog_message;
} KernelNeed;

static const KernelNeed needs[] = {
    { "l2tp_ppp",
      N_("Kernel: L2TP over PPP (l2tp_ppp)"),
      { "CONFIG_L2TP", "CONFIG_PPPOL2TP" },
      NM_L2TP_CAUSE_L2TP_KERNEL_MISSING,
      TRUE },
    { "l2tp_netlink",
      N_("Kernel: L2TP netlink interface (l2tp_netlink)"),
      { "CONFIG_L2TP", "CONFIG_L2TP_V3" },
      NM_L2TP_CAUSE_L2TP_KERNEL_MISSING,
      FALSE },
    { "ppp_generic",
      N_("Kernel: PPP (ppp_generic)"),
      { "CONFIG_PPP", NULL },
      NM_L2TP_CAUSE_NO_DEV_PPP,
      TRUE },
    { "esp4",
      N_("Kernel: IPsec ESP (esp4)"),
      { "CONFIG_INET_ESP", NULL },
      NM_L2TP_CAUSE_ESP_UNSUPPORTED_KERNEL,
      TRUE },
    /* charon installs SAs through the XFRM netlink interface. */
    { "xfrm_user",
      N_("Kernel: IPsec SA interface (xfrm_user)"),
      { "CONFIG_XFRM_USER", NULL },
      NM_L2TP_CAUSE_ESP_UNSUPPORTED_KERNEL,
      FALSE },
};

/* Module names use '_' and '-' interchangeably. */
static char *
normalize(const char *name)
{
    char *n = g_strdup(name);

    g_strdelimit(n, "-", '_');
    return n;
}

/* "kernel/net/ipv4/esp4.ko.xz" -> "esp4" */
static char *
module_of_path(const char *path, gsize len)
{
    g_autofree char *copy = g_strndup(path, len);
    const char      *base = strrchr(copy, '/');
    char            *dot;
    char            *name;

    name = g_strdup(base ? base + 1 : copy);
    dot  = strstr(name, ".ko");
    if (dot)
        *dot = '\0';
    g_strdelimit(name, "-", '_');
    return name;
}

static char *
read_file(const NML2tpCheckContext *ctx, const char *path)
{
    g_autofree char *full = nm_l2tp_diag_check_path(ctx, path);
    char            *text = NULL;

    if (!g_file_get_contents(full, &text, NULL, NULL))
        return NULL;
    return text;
}

/* The running kernel's configuration: /boot/config-RELEASE, else
 * /proc/config.gz.  NULL when neither is there. */
static char *
read_kernel_config(const NML2tpCheckContext *ctx, const char *release)
{
    g_autofree char *boot          = g_strdup_printf("/boot/config-%s", release);
    g_autofree char *gz            = nm_l2tp_diag_check_path(ctx, "/proc/config.gz");
    char            *text          = read_file(ctx, boot);
    g_autoptr(GFile) file          = NULL;
    g_autoptr(GInputStream) in     = NULL;
    g_autoptr(GInputStream) dec    = NULL;
    g_autoptr(GZlibDecompressor) z = NULL;
    g_autoptr(GOutputStream) mem   = NULL;

    if (text)
        return text;
    file = g_file_new_for_path(gz);
    in   = G_INPUT_STREAM(g_file_read(file, NULL, NULL));
    if (!in)
        return NULL;
    z   = g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP);
    dec = g_converter_input_stream_new(in, G_CONVERTER(z));
    mem = g_memory_output_stream_new_resizable();
    if (g_output_stream_splice(mem, dec, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, NULL) < 0)
        return NULL;
    /* NUL-terminate. */
    return g_strndup(g_memory_output_stream_get_data(G_MEMORY_OUTPUT_STREAM(mem)),
                     g_memory_output_stream_get_data_size(G_MEMORY_OUTPUT_STREAM(mem)));
}

/* The value of @option in a kernel config: "y", "m" or NULL (not set). */
static char *
config_value(const char *config, const char *option)
{
    g_autofree char *needle = g_strdup_printf("\n%s=", option);
    const char      *at;
    const char      *end;

    if (!config)
        return NULL;
    if (g_str_has_prefix(config, needle + 1))
        at = config + strlen(needle) - 1;
    else if ((at = strstr(config, needle)))
        at += strlen(needle);
    else
        return NULL;
    end = strchr(at, '\n');
    return end ? g_strndup(at, end - at) : g_strdup(at);
}

/* Does a line-oriented list (modules.builtin, modules.dep) name @module?
 * Each line starts with a module path, in modules.dep followed by ':'. */
static gboolean
list_has_module(const char *list, const char *module)
{
    g_auto(GStrv) lines = NULL;

    if (!list)
        return FALSE;
    lines = g_strsplit(list, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        gsize            len  = strcspn(lines[i], ":");
        g_autofree char *name = len ? module_of_path(lines[i], len) : NULL;

        if (name && g_str_equal(name, module))
            return TRUE;
    }
    return FALSE;
}

/* Where a module is blacklisted: "FILE:LINE" of the first "blacklist
 * MODULE" or "install MODULE /bin/false" (the usual ways to keep a module
 * out), NULL when nowhere. */
static char *
find_blacklist(const NML2tpCheckContext *ctx, const char *module)
{
    static const char *const dirs[] = {
        "/etc/modprobe.d", "/run/modprobe.d",     "/usr/local/lib/modprobe.d",
        "/lib/modprobe.d", "/usr/lib/modprobe.d",
    };

    for (guint d = 0; d < G_N_ELEMENTS(dirs); d++) {
        g_autofree char *dir       = nm_l2tp_diag_check_path(ctx, dirs[d]);
        g_autoptr(GDir) gdir       = g_dir_open(dir, 0, NULL);
        g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
        const char *name;

        if (!gdir)
            continue;
        while ((name = g_dir_read_name(gdir))) {
            if (g_str_has_suffix(name, ".conf"))
                g_ptr_array_add(names, g_strdup(name));
        }
        g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
        for (guint f = 0; f < names->len; f++) {
            g_autofree char *path = g_build_filename(dirs[d], names->pdata[f], NULL);
            g_autofree char *text = read_file(ctx, path);
            g_auto(GStrv) lines   = text ? g_strsplit(text, "\n", -1) : NULL;

            for (guint l = 0; lines && lines[l]; l++) {
                g_auto(GStrv) words  = NULL;
                g_autofree char *mod = NULL;
                gboolean         hit = FALSE;

                g_strdelimit(lines[l], "\t", ' ');
                words = g_strsplit(g_strstrip(lines[l]), " ", -1);
                if (!words[0] || !words[1] || words[0][0] == '#')
                    continue;
                mod = normalize(words[1]);
                if (!g_str_equal(mod, module))
                    continue;
                if (g_str_equal(words[0], "blacklist"))
                    hit = TRUE;
                else if (g_str_equal(words[0], "install")) {
                    for (guint w = 2; words[w]; w++) {
                        if (g_str_has_suffix(words[w], "/false")
                            || g_str_has_suffix(words[w], "/true"))
                            hit = TRUE;
                    }
                }
                if (hit)
                    return g_strdup_printf("%s:%u", path, l + 1);
            }
        }
    }
    return NULL;
}

typedef enum {
    MOD_MISSING,
    MOD_LOADED,
    MOD_BUILTIN,
    MOD_LOADABLE,
} ModuleState;

static ModuleState
module_state(const NML2tpCheckContext *ctx,
             const KernelNeed         *need,
             const char               *release,
             const char               *proc_modules,
             const char               *builtin,
             const char               *dep,
             const char               *config)
{
    g_autofree char *sys       = g_strdup_printf("/sys/module/%s", need->module);
    g_autofree char *sys_path  = nm_l2tp_diag_check_path(ctx, sys);
    g_autofree char *initstate = g_build_filename(sys_path, "initstate", NULL);
    g_autofree char *needle    = g_strdup_printf("\n%s ", need->module);
    gboolean         all_y     = TRUE;

    if (proc_modules
        && (g_str_has_prefix(proc_modules, needle + 1) || strstr(proc_modules, needle)))
        return MOD_LOADED;
    if (g_file_test(initstate, G_FILE_TEST_EXISTS))
        return MOD_LOADED;
    /* Built-in modules appear in /sys/module only when they have
     * parameters; modules.builtin and the config are surer. */
    if (g_file_test(sys_path, G_FILE_TEST_IS_DIR) || list_has_module(builtin, need->module))
        return MOD_BUILTIN;
    for (guint i = 0; i < G_N_ELEMENTS(need->config) && need->config[i]; i++) {
        g_autofree char *v = config_value(config, need->config[i]);

        all_y = all_y && g_strcmp0(v, "y") == 0;
    }
    if (config && all_y)
        return MOD_BUILTIN;
    if (list_has_module(dep, need->module))
        return MOD_LOADABLE;
    return MOD_MISSING;
}

static void
add_missing(GPtrArray *checks, const char *id, const KernelNeed *need, const char *why)
{
    const NML2tpCauseInfo *info = nm_l2tp_cause_get_info(need->cause);
    g_autofree char       *msg  = NULL;

    if (need->catalog_message) {
        g_autoptr(NML2tpStageRecord) r =
            nm_l2tp_stage_record_new(NM_L2TP_STAGE_CONNECTED, need->cause, why, 0);

        msg = nm_l2tp_stage_record_get_localized_message(r);
    } else {
        /* TRANSLATORS: the first %s is a kernel module's name. */
        msg = g_strdup_printf(_("the module %s is missing: %s"), need->module, why);
    }
    nm_l2tp_diag_check_add(checks,
                           id,
                           NM_L2TP_CHECK_PROBLEM,
                           _(need->title),
                           g_steal_pointer(&msg),
                           _(info->hint),
                           info->id);
}

/* Why a module is missing, as precisely as the kernel config tells. */
static char *
explain_missing(const KernelNeed *need,
                const char       *release,
                gboolean          have_modules_dir,
                const char       *config)
{
    for (guint i = 0; config && i < G_N_ELEMENTS(need->config) && need->config[i]; i++) {
        g_autofree char *v = config_value(config, need->config[i]);

        if (!v || (!g_str_equal(v, "y") && !g_str_equal(v, "m")))
            return g_strdup_printf(
                _("kernel %s was built without it (%s is not set)"), release, need->config[i]);
    }
    if (!have_modules_dir)
        return g_strdup_printf(
            _("not loaded, not built in, and no modules are installed for kernel "
              "%s (/lib/modules/%s does not exist)"),
            release,
            release);
    return g_strdup_printf(_("not loaded, not built in, and not among the modules of kernel %s"),
                           release);
}

static void
check_module(const NML2tpCheckContext *ctx,
             GPtrArray                *checks,
             const KernelNeed         *need,
             const char               *release,
             gboolean                  have_modules_dir,
             gboolean                  loading_disabled,
             const char               *proc_modules,
             const char               *builtin,
             const char               *dep,
             const char               *config)
{
    g_autofree char *id        = g_strdup_printf("kernel-%s", need->module);
    g_autofree char *blacklist = find_blacklist(ctx, need->module);
    g_autofree char *why       = NULL;
    ModuleState      st = module_state(ctx, need, release, proc_modules, builtin, dep, config);

    switch (st) {
    case MOD_LOADED:
        nm_l2tp_diag_check_add(
            checks, id, NM_L2TP_CHECK_OK, _(need->title), g_strdup(_("loaded")), NULL, NULL);
        return;
    case MOD_BUILTIN:
        nm_l2tp_diag_check_add(checks,
                               id,
                               NM_L2TP_CHECK_OK,
                               _(need->title),
                               g_strdup(_("built into the kernel")),
                               NULL,
                               NULL);
        return;
    case MOD_LOADABLE:
        if (loading_disabled) {
            why =
                g_strdup_printf(_("the module is installed but not loaded, and loading modules is "
                                  "disabled (/proc/sys/kernel/modules_disabled)"));
            add_missing(checks, id, need, why);
            return;
        }
        if (blacklist) {
            g_autofree char *hint = g_strdup_printf(
                _("remove the blacklist entry at %s, or load the module at boot: echo %s > "
                  "/etc/modules-load.d/nm-l2tp.conf"),
                blacklist,
                need->module);

            nm_l2tp_diag_check_add(checks,
                                   id,
                                   NM_L2TP_CHECK_PROBLEM,
                                   _(need->title),
                                   g_strdup_printf(_("installed but blacklisted (%s): the kernel "
                                                     "will not load it when it is needed"),
                                                   blacklist),
                                   hint,
                                   nm_l2tp_cause_to_string(need->cause));
            return;
        }
        nm_l2tp_diag_check_add(
            checks,
            id,
            NM_L2TP_CHECK_OK,
            _(need->title),
            g_strdup(_("installed as a module; the kernel loads it when it is needed")),
            NULL,
            NULL);
        return;
    case MOD_MISSING:
        break;
    }
    why = explain_missing(need, release, have_modules_dir, config);
    add_missing(checks, id, need, why);
}

static void
check_dev_ppp(const NML2tpCheckContext *ctx, GPtrArray *checks, gboolean ppp_available)
{
    const NML2tpCauseInfo *info  = nm_l2tp_cause_get_info(NM_L2TP_CAUSE_NO_DEV_PPP);
    g_autofree char       *path  = nm_l2tp_diag_check_path(ctx, "/dev/ppp");
    const char            *title = _("Device /dev/ppp");
    struct stat            st;

    if (stat(path, &st) == 0) {
        if (S_ISCHR(st.st_mode) && major(st.st_rdev) == PPP_MAJOR) {
            nm_l2tp_diag_check_add(
                checks, "dev-ppp", NM_L2TP_CHECK_OK, title, g_strdup(_("present")), NULL, NULL);
            return;
        }
        nm_l2tp_diag_check_add(
            checks,
            "dev-ppp",
            NM_L2TP_CHECK_PROBLEM,
            title,
            g_strdup(_("/dev/ppp exists but is not the PPP device (character "
                       "device 108, 0)")),
            _("remove it and load the ppp_generic module (modprobe ppp_generic), "
              "which creates it"),
            info->id);
        return;
    }
    /* pppd creates a missing /dev/ppp itself (mknod 108,0), and opening
     * it makes the kernel load ppp_generic: with PPP available, a missing
     * node is worth knowing, not a problem. */
    if (ppp_available) {
        nm_l2tp_diag_check_add(checks,
                               "dev-ppp",
                               NM_L2TP_CHECK_INFO,
                               title,
                               g_strdup(_("missing; pppd creates it when it starts, and the kernel "
                                          "then loads ppp_generic")),
                               NULL,
                               NULL);
        return;
    }
    nm_l2tp_diag_check_add(checks,
                           "dev-ppp",
                           NM_L2TP_CHECK_PROBLEM,
                           title,
                           g_strdup(_("missing, and this kernel has no PPP support")),
                           _(info->hint),
                           info->id);
}

void
nm_l2tp_diag_check_kernel(const NML2tpCheckContext *ctx, GPtrArray *checks)
{
    g_autofree char *release      = nm_l2tp_diag_check_kernel_release(ctx);
    g_autofree char *moddir       = g_strdup_printf("/lib/modules/%s", release);
    g_autofree char *moddir_path  = nm_l2tp_diag_check_path(ctx, moddir);
    g_autofree char *builtin_path = g_strdup_printf("%s/modules.builtin", moddir);
    g_autofree char *dep_path     = g_strdup_printf("%s/modules.dep", moddir);
    g_autofree char *proc_modules = read_file(ctx, "/proc/modules");
    g_autofree char *builtin      = read_file(ctx, builtin_path);
    g_autofree char *dep          = read_file(ctx, dep_path);
    g_autofree char *config       = read_kernel_config(ctx, release);
    g_autofree char *disabled     = read_file(ctx, "/proc/sys/kernel/modules_disabled");
    gboolean         have_moddir  = g_file_test(moddir_path, G_FILE_TEST_IS_DIR);
    gboolean         no_loading   = disabled && g_strstrip(disabled)[0] == '1';
    gboolean         ppp_ok       = FALSE;

    for (guint i = 0; i < G_N_ELEMENTS(needs); i++) {
        NML2tpCheck *c;

        check_module(ctx,
                     checks,
                     &needs[i],
                     release,
                     have_moddir,
                     no_loading,
                     proc_modules,
                     builtin,
                     dep,
                     config);
        c = checks->pdata[checks->len - 1];
        if (g_str_equal(needs[i].module, "ppp_generic"))
            ppp_ok = c->status == NM_L2TP_CHECK_OK;
    }
    check_dev_ppp(ctx, checks, ppp_ok);
}
