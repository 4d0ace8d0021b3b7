/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A FAKE layer: see fake-layer.h. */
#include "config.h"

#include "fake-layer.h"

struct _FakeLayer {
    GObject            parent;
    char              *name;
    GString           *journal;
    GTask             *connect_task;
    NML2tpStageRecord *record;
    NML2tpIpConfig     config;
    char              *password;
    guint              disconnect_ms;
    gboolean           disconnecting;
    gboolean           disconnected;
    gboolean           connected;
};

static void fake_layer_iface_init(NML2tpLayerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(FakeLayer,
                              fake_layer,
                              G_TYPE_OBJECT,
                              G_IMPLEMENT_INTERFACE(NM_L2TP_TYPE_LAYER, fake_layer_iface_init))

static void
note(FakeLayer *self, const char *what)
{
    g_string_append_printf(
        self->journal, "%s%s:%s", self->journal->len ? " " : "", self->name, what);
}

static gboolean
fake_prepare(NML2tpLayer *layer, GError **error)
{
    note(FAKE_LAYER(layer), "prepare");
    return TRUE;
}

static void
fake_connect_async(NML2tpLayer        *layer,
                   GCancellable       *cancellable,
                   GAsyncReadyCallback callback,
                   gpointer            user_data)
{
    FakeLayer *self = FAKE_LAYER(layer);

    note(self, "connect");
    g_assert_null(self->connect_task);
    g_assert_false(self->disconnecting);
    g_clear_pointer(&self->record, nm_l2tp_stage_record_free);
    self->connect_task = g_task_new(self, NULL, callback, user_data);
}

static gboolean
fake_connect_finish(NML2tpLayer *layer, GAsyncResult *result, GError **error)
{
    return g_task_propagate_boolean(G_TASK(result), error);
}

static gboolean
fake_can_reconnect(NML2tpLayer *layer)
{
    FakeLayer *self = FAKE_LAYER(layer);

    return self->record && self->record->wrong_secret == NM_L2TP_SECRET_PASSWORD
           && !self->disconnecting;
}

static gboolean
disconnect_done(gpointer user_data)
{
    GTask     *task = user_data;
    FakeLayer *self = g_task_get_source_object(task);

    self->disconnected = TRUE;
    note(self, "disconnected");
    g_task_return_boolean(task, TRUE);
    g_object_unref(task);
    return G_SOURCE_REMOVE;
}

static void
fake_disconnect_async(NML2tpLayer        *layer,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
    FakeLayer *self      = FAKE_LAYER(layer);
    GTask     *task      = g_task_new(self, NULL, callback, user_data);
    g_autoptr(GTask) con = g_steal_pointer(&self->connect_task);

    g_assert_false(self->disconnecting);
    self->disconnecting = TRUE;
    note(self, "disconnect");
    if (con)
        g_task_return_new_error(con, G_IO_ERROR, G_IO_ERROR_CANCELLED, "disconnected");
    g_timeout_add(self->disconnect_ms, disconnect_done, task);
}

static gboolean
fake_disconnect_finish(NML2tpLayer *layer, GAsyncResult *result, GError **error)
{
    return g_task_propagate_boolean(G_TASK(result), error);
}

static const NML2tpStageRecord *
fake_get_record(NML2tpLayer *layer)
{
    return FAKE_LAYER(layer)->record;
}

static gboolean
fake_update_secret(NML2tpLayer *layer, const char *key, const char *value)
{
    FakeLayer *self = FAKE_LAYER(layer);

    note(self, "secret");
    g_free(self->password);
    self->password = g_strdup(value);
    return TRUE;
}

static const NML2tpIpConfig *
fake_get_ip_config(NML2tpLayer *layer)
{
    FakeLayer *self = FAKE_LAYER(layer);

    return self->connected ? &self->config : NULL;
}

void
fake_layer_finish_connect(FakeLayer *self, gboolean ok, NML2tpStage stage, NML2tpCause cause)
{
    g_autoptr(GTask) task = g_steal_pointer(&self->connect_task);

    g_assert_nonnull(task);
    if (ok) {
        self->connected = TRUE;
        self->record =
            nm_l2tp_stage_record_new(NM_L2TP_STAGE_CONNECTED, NM_L2TP_CAUSE_NONE, "MS-CHAPv2", 0);
        g_task_return_boolean(task, TRUE);
        return;
    }
    self->record = nm_l2tp_stage_record_new(stage, cause, NULL, 0);
    g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", self->record->message);
}

gboolean
fake_layer_is_connecting(FakeLayer *self)
{
    return self->connect_task != NULL;
}

void
fake_layer_set_disconnect_ms(FakeLayer *self, guint ms)
{
    self->disconnect_ms = ms;
}

void
fake_layer_emit_stage(FakeLayer *self, NML2tpStage stage)
{
    nm_l2tp_layer_emit_stage(NM_L2TP_LAYER(self), stage);
}

void
fake_layer_emit_down(FakeLayer *self, NML2tpStage stage, NML2tpCause cause)
{
    g_autoptr(NML2tpStageRecord) r = nm_l2tp_stage_record_new(stage, cause, NULL, 0);

    self->connected = FALSE;
    nm_l2tp_layer_emit_down(NM_L2TP_LAYER(self), r);
}

const char *
fake_layer_get_password(FakeLayer *self)
{
    return self->password;
}

gboolean
fake_layer_is_disconnected(FakeLayer *self)
{
    return self->disconnected;
}

const char *
fake_layer_get_name(FakeLayer *self)
{
    return self->name;
}

FakeLayer *
fake_layer_new(const char *name, GString *journal)
{
    FakeLayer      *self = g_object_new(FAKE_TYPE_LAYER, NULL);
    GVariantBuilder b;

    self->name    = g_strdup(name);
    self->journal = journal;
    note(self, "new");
    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&b, "{sv}", "tundev", g_variant_new_string("ppp0"));
    self->config.general = g_variant_ref_sink(g_variant_builder_end(&b));
    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add(&b, "{sv}", "address", g_variant_new_uint32(0x0a7100cb));
    self->config.ip4 = g_variant_ref_sink(g_variant_builder_end(&b));
    return self;
}

static void
fake_layer_init(FakeLayer *self)
{
}

static void
finalize(GObject *object)
{
    FakeLayer *self = FAKE_LAYER(object);

    g_assert_null(self->connect_task);
    g_clear_pointer(&self->record, nm_l2tp_stage_record_free);
    nm_l2tp_ip_config_clear(&self->config);
    g_free(self->password);
    g_free(self->name);
    G_OBJECT_CLASS(fake_layer_parent_class)->finalize(object);
}

static void
fake_layer_class_init(FakeLayerClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = finalize;
}

static void
fake_layer_iface_init(NML2tpLayerInterface *iface)
{
    iface->prepare           = fake_prepare;
    iface->connect_async     = fake_connect_async;
    iface->connect_finish    = fake_connect_finish;
    iface->can_reconnect     = fake_can_reconnect;
    iface->disconnect_async  = fake_disconnect_async;
    iface->disconnect_finish = fake_disconnect_finish;
    iface->get_record        = fake_get_record;
    iface->update_secret     = fake_update_secret;
    iface->get_ip_config     = fake_get_ip_config;
}
