/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Certificate authentication in the IPsec half: the certificates (the
 * root-owned copies the preflight made, read as the connection's owner)
 * and the machine key go to charon as data, never as paths charon would
 * open itself.  The key's bytes live in one buffer, wiped when the request
 * is freed. */

#include "config.h"

#include <string.h>

#include "nm-l2tp-ipsec-private.h"
#include "nm-l2tp-secret-memory.h"
#include "nm-l2tp-vici-wire.h"
#include "nm-l2tp-wiped.h"

static void
step_key_loaded(NML2tpIpsec *self, GVariant *response)
{
    g_free(self->key_id);
    self->key_id = g_strdup(nm_l2tp_vici_message_get_string(response, "id"));
    nm_l2tp_ipsec_step_load_conn(self, NULL);
}

static void
key_file_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpIpsec) self = user_data;
    g_autoptr(GError) error     = NULL;
    char        *contents       = NULL;
    gsize        len;
    GVariantDict req;

    if (!nm_l2tp_secret_file_load_finish(G_FILE(source), result, &contents, &len, &error)) {
        if (self->connect_task)
            nm_l2tp_ipsec_fail_connect(
                self, NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_CONFIG_REJECTED, error->message);
        return;
    }
    /* VICI takes keys in the clear; swanctl decrypts them itself, which
     * we do not (yet). */
    if (g_strstr_len(contents, len, "ENCRYPTED")) {
        explicit_bzero(contents, len);
        g_free(contents);
        nm_l2tp_ipsec_fail_connect(
            self,
            NM_L2TP_STAGE_IKE_PHASE1,
            NM_L2TP_CAUSE_CONFIG_REJECTED,
            "the machine private key is encrypted, which is not supported yet");
        return;
    }
    g_variant_dict_init(&req, NULL);
    g_variant_dict_insert(&req, "type", "s", "any");
    /* The key stays in this one buffer, wiped when the request is freed. */
    g_variant_dict_insert_value(&req, "data", nm_l2tp_wiped_bytestring_new_take(contents, len));
    if (self->connect_task)
        nm_l2tp_ipsec_call_step(
            self, self->ctl, "load-key", g_variant_dict_end(&req), step_key_loaded);
    else
        g_variant_dict_clear(&req);
}

/* Certificate authentication: the machine key goes to charon as data. */
static void
step_load_key(NML2tpIpsec *self, GVariant *unused)
{
    g_autoptr(GFile) file = NULL;

    if (!self->key_path) {
        nm_l2tp_ipsec_step_load_conn(self, NULL);
        return;
    }
    file = g_file_new_for_path(self->key_path);
    nm_l2tp_secret_file_load_async(file, self->cancellable, key_file_cb, g_object_ref(self));
}

static void
cert_loaded_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
    g_autoptr(NML2tpIpsec) self = user_data;
    g_autoptr(GError) error     = NULL;
    g_autofree char *path       = g_file_get_path(G_FILE(source));
    char            *contents   = NULL;
    gsize            len;

    if (!g_file_load_contents_finish(G_FILE(source), result, &contents, &len, NULL, &error)) {
        if (self->connect_task)
            nm_l2tp_ipsec_fail_connect(
                self, NM_L2TP_STAGE_IKE_PHASE1, NM_L2TP_CAUSE_CONFIG_REJECTED, error->message);
        return;
    }
    g_hash_table_insert(self->cert_data, g_steal_pointer(&path), g_bytes_new_take(contents, len));
    nm_l2tp_ipsec_step_read_certs(self, NULL);
}

/* Reads the certificate files one after the other, asynchronously. */
void
nm_l2tp_ipsec_step_read_certs(NML2tpIpsec *self, GVariant *unused)
{
    if (!self->connect_task)
        return;
    if (self->cert_paths->len == 0) {
        step_load_key(self, NULL);
        return;
    }
    {
        g_autofree char *path = g_ptr_array_steal_index(self->cert_paths, 0);
        g_autoptr(GFile) file = g_file_new_for_path(path);

        g_file_load_contents_async(file, self->cancellable, cert_loaded_cb, g_object_ref(self));
    }
}
