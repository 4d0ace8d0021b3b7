/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-wiped.h"

#include <string.h>

typedef struct {
    gpointer data;
    gsize    len;
} Wiped;

static void
wiped_free(gpointer user_data)
{
    Wiped *w = user_data;

    if (w->data)
        explicit_bzero(w->data, w->len);
    g_free(w->data);
    g_free(w);
}

GBytes *
nm_l2tp_wiped_bytes_new_take(gpointer data, gsize len)
{
    Wiped *w = g_new(Wiped, 1);

    w->data = data;
    w->len  = len;
    return g_bytes_new_with_free_func(data, len, wiped_free, w);
}

/* A value in serialised form is stored in these very bytes: neither "ay"
 * nor "s" needs alignment or a fixed size, so GVariant makes no copy of
 * them (it would, unwiped, for a type it had to realign). */
static GVariant *
variant_new_take(const GVariantType *type, gpointer data, gsize len)
{
    g_autoptr(GBytes) bytes = nm_l2tp_wiped_bytes_new_take(data, len);

    return g_variant_new_from_bytes(type, bytes, TRUE);
}

GVariant *
nm_l2tp_wiped_string_new(const char *text)
{
    g_return_val_if_fail(text && g_utf8_validate(text, -1, NULL), NULL);
    /* Serialised, a string is its bytes and the terminating NUL. */
    return variant_new_take(G_VARIANT_TYPE_STRING, g_strdup(text), strlen(text) + 1);
}

GVariant *
nm_l2tp_wiped_bytestring_new_take(gpointer data, gsize len)
{
    return variant_new_take(G_VARIANT_TYPE_BYTESTRING, data, len);
}

GVariant *
nm_l2tp_wiped_bytestring_new(gconstpointer data, gsize len)
{
    return nm_l2tp_wiped_bytestring_new_take(g_memdup2(data, len), len);
}
