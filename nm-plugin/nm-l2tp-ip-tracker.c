/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NetworkManager's configuration after IPCP.  See nm-l2tp-ip-tracker.h. */
#include "config.h"

#include "nm-l2tp-ip-tracker.h"

#include <NetworkManager.h>

#include "nm-l2tp-dhcp-inform.h"
#include "nm-l2tp-ip6-watch.h"
#include "nm-l2tp-ppp-dbus.h"

struct _NML2tpIpTracker {
    GObject               parent;
    NML2tpIpTrackerParams p;
    char                 *gateway;
    char                 *seed;
    NML2tpIpConfig        config;
    GVariant             *ip4_of_ipcp; /* what IPCP alone gave */
    GVariant             *ip6_report;  /* IPv6CP's, when it came */
    gboolean              have_global6;
    NML2tpIp6Watch       *watch;
    GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE(NML2tpIpTracker, nm_l2tp_ip_tracker, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, SIGNAL_LOG, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The general part says whether an IPv6 part follows: NetworkManager
 * waits for it when it does. */
static void
set_has_ip6(NML2tpIpTracker *self)
{
    GVariantDict d;

    g_variant_dict_init(&d, self->config.general);
    g_variant_dict_insert(&d, NM_VPN_PLUGIN_CONFIG_HAS_IP6, "b", TRUE);
    g_clear_pointer(&self->config.general, g_variant_unref);
    self->config.general = g_variant_ref_sink(g_variant_dict_end(&d));
}

static gboolean
build_ip6(NML2tpIpTracker *self)
{
    g_autoptr(GError) error = NULL;
    GVariant *ip6 = nm_l2tp_ip6_config_build(self->ip6_report, self->have_global6, &error);

    if (!ip6) {
        g_warning("nm-l2tp: IPv6 configuration: %s", error->message);
        return FALSE;
    }
    g_clear_pointer(&self->config.ip6, g_variant_unref);
    self->config.ip6 = g_variant_ref_sink(ip6);
    set_has_ip6(self);
    return TRUE;
}

static void
global_address_cb(NML2tpIp6Watch *watch, const char *address, guint prefix, gpointer user_data)
{
    NML2tpIpTracker *self = user_data;

    if (self->have_global6)
        return;
    self->have_global6 = TRUE;
    if (self->config.general && build_ip6(self))
        g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

static void
dhcp_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GError) error            = NULL;
    g_autoptr(NML2tpDhcpResult) answer = nm_l2tp_dhcp_inform_finish(result, &error);
    NML2tpIpTracker *self;
    GVariant        *merged;

    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
    self = user_data;
    {
        g_autofree char *what = answer ? nm_l2tp_dhcp_result_to_string(answer) : NULL;
        g_autofree char *line = answer ?
                                    g_strdup_printf("DHCPINFORM answered: %s", what) :
                                    g_strdup_printf("no DHCPINFORM answer: %s", error->message);

        g_signal_emit(self, signals[SIGNAL_LOG], 0, line);
    }
    merged = nm_l2tp_ip4_config_merge_dhcp(
        self->ip4_of_ipcp, answer, self->p.classful_route, self->p.never_default);
    if (g_variant_equal(merged, self->config.ip4)) {
        g_variant_unref(merged);
        return;
    }
    g_clear_pointer(&self->config.ip4, g_variant_unref);
    self->config.ip4 = merged;
    g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

gboolean
nm_l2tp_ip_tracker_set_ipcp(NML2tpIpTracker *self, GVariant *ppp_ip4)
{
    const char *iface   = NULL;
    guint32     address = 0;

    nm_l2tp_ip_config_clear(&self->config);
    if (!nm_l2tp_ip_config_build(ppp_ip4, self->gateway, &self->config))
        return FALSE;
    g_clear_pointer(&self->ip4_of_ipcp, g_variant_unref);
    self->ip4_of_ipcp = g_variant_ref(self->config.ip4);
    /* IPv6CP, one round trip shorter, usually came first. */
    if (self->ip6_report)
        build_ip6(self);
    g_variant_lookup(ppp_ip4, NM_L2TP_PPP_IP4_IFACE, "&s", &iface);
    g_variant_lookup(ppp_ip4, NM_L2TP_PPP_IP4_ADDRESS, "u", &address);
    if (self->p.dhcp_inform) {
        nm_l2tp_dhcp_inform_async(
            iface, address, 0, self->seed, 0, self->cancellable, dhcp_cb, self);
    } else if (self->p.classful_route && self->p.never_default) {
        /* No answer to wait for: the class-based route, if any, at once. */
        g_clear_pointer(&self->config.ip4, g_variant_unref);
        self->config.ip4 = nm_l2tp_ip4_config_merge_dhcp(self->ip4_of_ipcp, NULL, TRUE, TRUE);
    }
    return TRUE;
}

void
nm_l2tp_ip_tracker_set_ipv6cp(NML2tpIpTracker *self, GVariant *ppp_ip6)
{
    const char *iface       = NULL;
    g_autoptr(GError) error = NULL;

    g_clear_pointer(&self->ip6_report, g_variant_unref);
    self->ip6_report = g_variant_ref(ppp_ip6);
    g_variant_lookup(ppp_ip6, NM_L2TP_PPP_IP6_IFACE, "&s", &iface);
    if (!self->watch && iface) {
        /* Global addresses come by SLAAC from the server's router
         * advertisements; the watch reports those already there, too. */
        self->watch = nm_l2tp_ip6_watch_new(iface, &error);
        if (self->watch)
            g_signal_connect(self->watch, "global-address", G_CALLBACK(global_address_cb), self);
        else
            g_warning("nm-l2tp: cannot watch %s for IPv6 addresses: %s", iface, error->message);
    }
    if (self->config.general && build_ip6(self))
        g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

const NML2tpIpConfig *
nm_l2tp_ip_tracker_get(NML2tpIpTracker *self)
{
    return self->config.general ? &self->config : NULL;
}

NML2tpIpTracker *
nm_l2tp_ip_tracker_new(const NML2tpIpTrackerParams *params)
{
    NML2tpIpTracker *self = g_object_new(NM_L2TP_TYPE_IP_TRACKER, NULL);

    self->p       = *params;
    self->gateway = g_strdup(params->gateway_address);
    self->seed    = g_strdup(params->client_seed);
    return self;
}

static void
nm_l2tp_ip_tracker_init(NML2tpIpTracker *self)
{
    self->cancellable = g_cancellable_new();
}

static void
finalize(GObject *object)
{
    NML2tpIpTracker *self = NM_L2TP_IP_TRACKER(object);

    g_cancellable_cancel(self->cancellable);
    g_clear_object(&self->cancellable);
    if (self->watch)
        g_signal_handlers_disconnect_by_data(self->watch, self);
    g_clear_object(&self->watch);
    nm_l2tp_ip_config_clear(&self->config);
    g_clear_pointer(&self->ip4_of_ipcp, g_variant_unref);
    g_clear_pointer(&self->ip6_report, g_variant_unref);
    g_free(self->gateway);
    g_free(self->seed);
    G_OBJECT_CLASS(nm_l2tp_ip_tracker_parent_class)->finalize(object);
}

static void
nm_l2tp_ip_tracker_class_init(NML2tpIpTrackerClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = finalize;
    signals[SIGNAL_CHANGED]         = g_signal_new("changed",
                                           G_TYPE_FROM_CLASS(klass),
                                           G_SIGNAL_RUN_LAST,
                                           0,
                                           NULL,
                                           NULL,
                                           NULL,
                                           G_TYPE_NONE,
                                           0);
    signals[SIGNAL_LOG]             = g_signal_new("log",
                                       G_TYPE_FROM_CLASS(klass),
                                       G_SIGNAL_RUN_LAST,
                                       0,
                                       NULL,
                                       NULL,
                                       NULL,
                                       G_TYPE_NONE,
                                       1,
                                       G_TYPE_STRING);
}
