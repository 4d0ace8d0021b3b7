/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Preparing the writer's tree for charon: certificate files become data,
 * and our identity decides who may use the PSK we load. */

#include "config.h"

#include "nm-l2tp-ipsec-tree.h"
#include "nm-l2tp-vici-wire.h"

static gboolean
is_cert_list(const char *key, GVariant *value)
{
    return (g_str_equal(key, "certs") || g_str_equal(key, "cacerts"))
           && g_variant_is_of_type(value, G_VARIANT_TYPE_STRING_ARRAY);
}

void
nm_l2tp_ipsec_tree_collect_cert_paths(GVariant *tree, GPtrArray *out)
{
    GVariantIter iter;
    const char  *key;
    GVariant    *value;

    g_variant_iter_init(&iter, tree);
    while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
        if (g_variant_is_of_type(value, G_VARIANT_TYPE_VARDICT)) {
            nm_l2tp_ipsec_tree_collect_cert_paths(value, out);
        } else if (is_cert_list(key, value)) {
            g_autofree const char **paths = g_variant_get_strv(value, NULL);
            guint                   i;

            for (i = 0; paths[i]; i++)
                g_ptr_array_add(out, g_strdup(paths[i]));
        }
        g_variant_unref(value);
    }
}

/* The reader may key the data by the path as GFile spells it, which is
 * canonical ("//", "." and ".." resolved); the tree has the path as the
 * settings gave it. */
static GBytes *
lookup_cert_data(GHashTable *data, const char *path)
{
    GBytes          *bytes     = g_hash_table_lookup(data, path);
    g_autofree char *canonical = NULL;

    if (bytes || !g_path_is_absolute(path))
        return bytes;
    canonical = g_canonicalize_filename(path, "/");
    return g_hash_table_lookup(data, canonical);
}

GVariant *
nm_l2tp_ipsec_tree_with_cert_data(GVariant *tree, GHashTable *data)
{
    GVariantBuilder b;
    GVariantIter    iter;
    const char     *key;
    GVariant       *value;

    g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
    g_variant_iter_init(&iter, tree);
    while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
        if (g_variant_is_of_type(value, G_VARIANT_TYPE_VARDICT)) {
            g_variant_builder_add(&b, "{sv}", key, nm_l2tp_ipsec_tree_with_cert_data(value, data));
        } else if (is_cert_list(key, value)) {
            GVariantBuilder list;
            GVariantIter    items;
            const char     *path;

            /* PEM or DER: a blob list ("aay"), not text. */
            g_variant_builder_init(&list, G_VARIANT_TYPE_BYTESTRING_ARRAY);
            g_variant_iter_init(&items, value);
            while (g_variant_iter_next(&items, "&s", &path)) {
                GBytes       *bytes = lookup_cert_data(data, path);
                gsize         len   = 0;
                gconstpointer p     = bytes ? g_bytes_get_data(bytes, &len) : "";

                g_variant_builder_add_value(
                    &list, g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, p, len, 1));
            }
            g_variant_builder_add(&b, "{sv}", key, g_variant_builder_end(&list));
        } else {
            g_variant_builder_add(&b, "{sv}", key, value);
        }
        g_variant_unref(value);
    }
    return g_variant_builder_end(&b);
}

char *
nm_l2tp_ipsec_tree_get_local_id(GVariant *tree, const char *uuid)
{
    g_autoptr(GVariant) conn  = nm_l2tp_vici_message_get_section(tree, uuid);
    g_autoptr(GVariant) local = nm_l2tp_vici_message_get_section(conn, "local");

    return g_strdup(nm_l2tp_vici_message_get_string(local, "id"));
}

/* A connected UDP socket tells the route's source address without sending
 * anything (connect() on a datagram socket only picks the route). */
char *
nm_l2tp_ipsec_local_address_towards(const char *gateway)
{
    g_autoptr(GInetAddress) gw     = g_inet_address_new_from_string(gateway);
    g_autoptr(GSocketAddress) sa   = NULL;
    g_autoptr(GSocket) sock        = NULL;
    g_autoptr(GSocketAddress) mine = NULL;

    if (!gw)
        return NULL;
    sa   = g_inet_socket_address_new(gw, 500);
    sock = g_socket_new(
        g_inet_address_get_family(gw), G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
    if (!sock || !g_socket_connect(sock, sa, NULL, NULL))
        return NULL;
    mine = g_socket_get_local_address(sock, NULL);
    if (!mine)
        return NULL;
    return g_inet_address_to_string(g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(mine)));
}
