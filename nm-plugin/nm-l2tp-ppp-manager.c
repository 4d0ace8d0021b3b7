/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-ppp-manager.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "nm-l2tp-resources.h"

#include "nm-l2tp-ppp-dbus.h"
#include "nm-l2tp-ppp-generated.h"
#include "nm-l2tp-wiped.h"

struct _NML2tpPppManager {
    GObject        parent;
    NmL2tpDBusPpp *skeleton;
    char          *user;
    char          *password;
    char          *cert_password;
    int            pidfd;  /* of the pppd that called, -1 until known */
    char          *caller; /* its unique bus name */
    GCancellable  *caller_cancellable;
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
forget_caller(NML2tpPppManager *self)
{
    if (self->caller_cancellable) {
        g_cancellable_cancel(self->caller_cancellable);
        g_clear_object(&self->caller_cancellable);
    }
    g_clear_pointer(&self->caller, g_free);
    if (self->pidfd >= 0) {
        close(self->pidfd);
        self->pidfd = -1;
    }
}

typedef struct {
    NML2tpPppManager *self;
    int               pidfd;
} PidfdCheck;

static void
still_connected_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    PidfdCheck *check = user_data;
    g_autoptr(GVariant) ret =
        g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, NULL);
    gboolean has_owner = FALSE;

    /* Without an answer the manager may be gone: touch nothing of it. */
    if (ret)
        g_variant_get(ret, "(b)", &has_owner);
    if (has_owner && check->self->pidfd < 0) {
        check->self->pidfd = check->pidfd;
        g_debug("nm-l2tp: pppd is %s", check->self->caller);
    } else {
        close(check->pidfd);
    }
    g_free(check);
}

static void
got_pid_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(GVariant) ret =
        g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, NULL);
    NML2tpPppManager *self;
    PidfdCheck       *check;
    guint32           pid;
    int               pidfd;

    if (!ret)
        return; /* cancelled, or the caller is gone already */
    self = user_data;
    g_variant_get(ret, "(u)", &pid);
    pidfd = nm_l2tp_pidfd_open((GPid)pid);
    if (pidfd < 0)
        return;
    /* The pid was that caller's when the bus answered, but the caller may
     * have gone since and the pid been reused.  A process keeps its bus
     * connection until it exits: if the caller is still on the bus now,
     * the pidfd taken before this check is the caller's. */
    check        = g_new0(PidfdCheck, 1);
    check->self  = self;
    check->pidfd = pidfd;
    g_dbus_connection_call(G_DBUS_CONNECTION(source),
                           "org.freedesktop.DBus",
                           "/org/freedesktop/DBus",
                           "org.freedesktop.DBus",
                           "NameHasOwner",
                           g_variant_new("(s)", self->caller),
                           G_VARIANT_TYPE("(b)"),
                           G_DBUS_CALL_FLAGS_NONE,
                           -1,
                           self->caller_cancellable,
                           still_connected_cb,
                           check);
}

/* Learns which process sent the first call: pppd, run by xl2tpd.  Teardown
 * signals pppd through the pidfd taken here, never by its pid. */
static void
learn_caller(NML2tpPppManager *self, GDBusMethodInvocation *invocation)
{
    if (self->caller)
        return;
    self->caller             = g_strdup(g_dbus_method_invocation_get_sender(invocation));
    self->caller_cancellable = g_cancellable_new();
    g_dbus_connection_call(g_dbus_method_invocation_get_connection(invocation),
                           "org.freedesktop.DBus",
                           "/org/freedesktop/DBus",
                           "org.freedesktop.DBus",
                           "GetConnectionUnixProcessID",
                           g_variant_new("(s)", self->caller),
                           G_VARIANT_TYPE("(u)"),
                           G_DBUS_CALL_FLAGS_NONE,
                           -1,
                           self->caller_cancellable,
                           got_pid_cb,
                           self);
}

int
nm_l2tp_ppp_manager_get_pidfd(NML2tpPppManager *self)
{
    return self->pidfd;
}

void
nm_l2tp_ppp_manager_forget_caller(NML2tpPppManager *self)
{
    forget_caller(self);
}

/* Answers with @values, of which the secrets are made with
 * nm_l2tp_wiped_string_new(), rather than through the generated
 * complete_*() functions, whose g_variant_new() copies them into memory
 * that is freed unwiped.  GDBus still serialises the reply into a message
 * buffer of its own (grown by realloc() as it is written, then sent from
 * its worker thread and freed): those copies are out of our reach. */
static void
return_secrets(GDBusMethodInvocation *invocation, GVariant *const *values, gsize n)
{
    g_dbus_method_invocation_return_value(invocation, g_variant_new_tuple(values, n));
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
    return_secrets(invocation,
                   (GVariant *[]){ g_variant_new_string(self->user),
                                   nm_l2tp_wiped_string_new(self->password) },
                   2);
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
    return_secrets(
        invocation,
        (GVariant *[]){ nm_l2tp_wiped_string_new(self->cert_password ? self->cert_password : "") },
        1);
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
    self->pidfd = -1;
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
    forget_caller(self);
    wipe_secret(&self->password);
    wipe_secret(&self->cert_password);
    g_clear_pointer(&self->user, g_free);
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
