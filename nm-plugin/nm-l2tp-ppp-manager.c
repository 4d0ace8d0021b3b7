/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-ppp-manager.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nm-l2tp-ppp-dbus.h"
#include "nm-l2tp-ppp-generated.h"

struct _NML2tpPppManager {
    GObject        parent;
    NmL2tpDBusPpp *skeleton;
    char          *user;
    char          *password;
    char          *cert_password;
    GPid           pid;
    gboolean       pid_asked;
    GCancellable  *cancellable;
};

G_DEFINE_FINAL_TYPE(NML2tpPppManager, nm_l2tp_ppp_manager, G_TYPE_OBJECT)

enum {
    SIGNAL_PHASE,
    SIGNAL_AUTH_RESULT,
    SIGNAL_IP4_CONFIG,
    SIGNAL_IP6_CONFIG,
    SIGNAL_EXIT_STATUS,
    N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
wipe_secret(char **secret)
{
    if (*secret)
        explicit_bzero(*secret, strlen(*secret));
    g_clear_pointer(secret, g_free);
}

static void
got_pid_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GVariant) ret =
        g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, NULL);
    NML2tpPppManager *self;
    guint32           pid;

    if (!ret)
        return;
    self = user_data;
    g_variant_get(ret, "(u)", &pid);
    self->pid = (GPid)pid;
}

/* Asks the bus which process sent the first call: pppd, run by xl2tpd. */
static void
learn_caller(NML2tpPppManager *self, GDBusMethodInvocation *invocation)
{
    if (self->pid_asked)
        return;
    self->pid_asked = TRUE;
    g_dbus_connection_call(g_dbus_method_invocation_get_connection(invocation),
                           "org.freedesktop.DBus",
                           "/org/freedesktop/DBus",
                           "org.freedesktop.DBus",
                           "GetConnectionUnixProcessID",
                           g_variant_new("(s)", g_dbus_method_invocation_get_sender(invocation)),
                           G_VARIANT_TYPE("(u)"),
                           G_DBUS_CALL_FLAGS_NONE,
                           -1,
                           self->cancellable,
                           got_pid_cb,
                           self);
}

GPid
nm_l2tp_ppp_manager_get_pid(NML2tpPppManager *self)
{
    return self->pid;
}

static gboolean
handle_need_secrets(NmL2tpDBusPpp *skeleton, GDBusMethodInvocation *invocation, gpointer user_data)
{
    NML2tpPppManager *self = user_data;

    learn_caller(self, invocation);
    if (!self->user || !self->password) {
        g_dbus_method_invocation_return_error(invocation,
                                              G_DBUS_ERROR,
                                              G_DBUS_ERROR_FAILED,
                                              "no user name or password is configured");
        return TRUE;
    }
    nm_l2tp_dbus_ppp_complete_need_secrets(skeleton, invocation, self->user, self->password);
    return TRUE;
}

/* EAP-TLS asks for the private key's password whether or not the key has
 * one; "" says there is none, and the plugin names the failure if the key
 * turns out to be encrypted. */
static gboolean
handle_need_cert_password(NmL2tpDBusPpp         *skeleton,
                          GDBusMethodInvocation *invocation,
                          gpointer               user_data)
{
    NML2tpPppManager *self = user_data;

    learn_caller(self, invocation);
    nm_l2tp_dbus_ppp_complete_need_cert_password(
        skeleton, invocation, self->cert_password ? self->cert_password : "");
    return TRUE;
}

static gboolean
handle_set_state(NmL2tpDBusPpp         *skeleton,
                 GDBusMethodInvocation *invocation,
                 guint                  phase,
                 gpointer               user_data)
{
    learn_caller(user_data, invocation);
    nm_l2tp_dbus_ppp_complete_set_state(skeleton, invocation);
    g_signal_emit(user_data, signals[SIGNAL_PHASE], 0, phase);
    return TRUE;
}

static gboolean
handle_set_auth_result(NmL2tpDBusPpp         *skeleton,
                       GDBusMethodInvocation *invocation,
                       const char            *method,
                       gboolean               success,
                       gpointer               user_data)
{
    nm_l2tp_dbus_ppp_complete_set_auth_result(skeleton, invocation);
    g_signal_emit(user_data, signals[SIGNAL_AUTH_RESULT], 0, method, success);
    return TRUE;
}

static gboolean
handle_set_ip4_config(NmL2tpDBusPpp         *skeleton,
                      GDBusMethodInvocation *invocation,
                      GVariant              *config,
                      gpointer               user_data)
{
    nm_l2tp_dbus_ppp_complete_set_ip4_config(skeleton, invocation);
    g_signal_emit(user_data, signals[SIGNAL_IP4_CONFIG], 0, config);
    return TRUE;
}

static gboolean
handle_set_ip6_config(NmL2tpDBusPpp         *skeleton,
                      GDBusMethodInvocation *invocation,
                      GVariant              *config,
                      gpointer               user_data)
{
    nm_l2tp_dbus_ppp_complete_set_ip6_config(skeleton, invocation);
    g_signal_emit(user_data, signals[SIGNAL_IP6_CONFIG], 0, config);
    return TRUE;
}

static gboolean
handle_set_exit_status(NmL2tpDBusPpp         *skeleton,
                       GDBusMethodInvocation *invocation,
                       guint                  status,
                       gpointer               user_data)
{
    nm_l2tp_dbus_ppp_complete_set_exit_status(skeleton, invocation);
    g_signal_emit(user_data, signals[SIGNAL_EXIT_STATUS], 0, status);
    return TRUE;
}

NML2tpPppManager *
nm_l2tp_ppp_manager_new(GDBusConnection *bus, GError **error)
{
    g_autoptr(NML2tpPppManager) self = g_object_new(NM_L2TP_TYPE_PPP_MANAGER, NULL);

    self->skeleton = nm_l2tp_dbus_ppp_skeleton_new();
    g_signal_connect(self->skeleton, "handle-need-secrets", G_CALLBACK(handle_need_secrets), self);
    g_signal_connect(
        self->skeleton, "handle-need-cert-password", G_CALLBACK(handle_need_cert_password), self);
    g_signal_connect(self->skeleton, "handle-set-state", G_CALLBACK(handle_set_state), self);
    g_signal_connect(
        self->skeleton, "handle-set-auth-result", G_CALLBACK(handle_set_auth_result), self);
    g_signal_connect(
        self->skeleton, "handle-set-ip4-config", G_CALLBACK(handle_set_ip4_config), self);
    g_signal_connect(
        self->skeleton, "handle-set-ip6-config", G_CALLBACK(handle_set_ip6_config), self);
    g_signal_connect(
        self->skeleton, "handle-set-exit-status", G_CALLBACK(handle_set_exit_status), self);
    if (!g_dbus_interface_skeleton_export(
            G_DBUS_INTERFACE_SKELETON(self->skeleton), bus, NM_DBUS_PATH_L2TP_PPP, error))
        return NULL;
    return g_steal_pointer(&self);
}

void
nm_l2tp_ppp_manager_set_credentials(NML2tpPppManager *self, const char *user, const char *password)
{
    g_free(self->user);
    self->user = g_strdup(user);
    wipe_secret(&self->password);
    self->password = g_strdup(password);
}

void
nm_l2tp_ppp_manager_set_cert_password(NML2tpPppManager *self, const char *cert_password)
{
    wipe_secret(&self->cert_password);
    self->cert_password = g_strdup(cert_password);
}

static void
nm_l2tp_ppp_manager_init(NML2tpPppManager *self)
{
    self->cancellable = g_cancellable_new();
}

static void
dispose(GObject *object)
{
    NML2tpPppManager *self = NM_L2TP_PPP_MANAGER(object);

    if (self->skeleton) {
        g_signal_handlers_disconnect_by_data(self->skeleton, self);
        g_dbus_interface_skeleton_unexport(G_DBUS_INTERFACE_SKELETON(self->skeleton));
        g_clear_object(&self->skeleton);
    }
    wipe_secret(&self->password);
    wipe_secret(&self->cert_password);
    g_clear_pointer(&self->user, g_free);
    if (self->cancellable) {
        g_cancellable_cancel(self->cancellable);
        g_clear_object(&self->cancellable);
    }
    G_OBJECT_CLASS(nm_l2tp_ppp_manager_parent_class)->dispose(object);
}

static void
nm_l2tp_ppp_manager_class_init(NML2tpPppManagerClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);

    object_class->dispose = dispose;

    signals[SIGNAL_PHASE]       = g_signal_new("phase",
                                         G_TYPE_FROM_CLASS(klass),
                                         G_SIGNAL_RUN_LAST,
                                         0,
                                         NULL,
                                         NULL,
                                         NULL,
                                         G_TYPE_NONE,
                                         1,
                                         G_TYPE_UINT);
    signals[SIGNAL_AUTH_RESULT] = g_signal_new("auth-result",
                                               G_TYPE_FROM_CLASS(klass),
                                               G_SIGNAL_RUN_LAST,
                                               0,
                                               NULL,
                                               NULL,
                                               NULL,
                                               G_TYPE_NONE,
                                               2,
                                               G_TYPE_STRING,
                                               G_TYPE_BOOLEAN);
    signals[SIGNAL_IP4_CONFIG]  = g_signal_new("ip4-config",
                                              G_TYPE_FROM_CLASS(klass),
                                              G_SIGNAL_RUN_LAST,
                                              0,
                                              NULL,
                                              NULL,
                                              NULL,
                                              G_TYPE_NONE,
                                              1,
                                              G_TYPE_VARIANT);
    signals[SIGNAL_IP6_CONFIG]  = g_signal_new("ip6-config",
                                              G_TYPE_FROM_CLASS(klass),
                                              G_SIGNAL_RUN_LAST,
                                              0,
                                              NULL,
                                              NULL,
                                              NULL,
                                              G_TYPE_NONE,
                                              1,
                                              G_TYPE_VARIANT);
    signals[SIGNAL_EXIT_STATUS] = g_signal_new("exit-status",
                                               G_TYPE_FROM_CLASS(klass),
                                               G_SIGNAL_RUN_LAST,
                                               0,
                                               NULL,
                                               NULL,
                                               NULL,
                                               G_TYPE_NONE,
                                               1,
                                               G_TYPE_UINT);
}
