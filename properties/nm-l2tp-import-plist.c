/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A reader for Apple's XML property lists, built on GMarkup.  It turns the
 * document into a tree of NML2tpPlist nodes and refuses what a plist must
 * not contain: unknown elements, a dict value without its key, a key used
 * twice in one dict, text outside values, nesting deeper than a profile
 * ever needs. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nm-l2tp-error.h"
#include "nm-l2tp-import-plist.h"

/* Profiles nest four or five levels; this bounds the tree's recursion. */
#define MAX_DEPTH 32

typedef struct {
    GPtrArray *stack; /* NML2tpPlist *, innermost last */
    /* For each open container, the key it will be stored under in its
     * parent dict (NULL in an array): the parent's pending key is put
     * aside while the container's own keys are read. */
    GPtrArray   *key_stack;
    NML2tpPlist *root;
    GString     *text;
    char        *pending_key; /* a dict's <key> awaiting its value */
    gboolean     in_key;
    gboolean     in_leaf;
    gboolean     seen_plist;
} Parser;

void
nm_l2tp_plist_free(NML2tpPlist *node)
{
    if (!node)
        return;
    g_free(node->text);
    if (node->keys)
        g_ptr_array_unref(node->keys);
    if (node->items)
        g_ptr_array_unref(node->items);
    g_free(node);
}

static NML2tpPlist *
node_new(NML2tpPlistType type)
{
    NML2tpPlist *n = g_new0(NML2tpPlist, 1);

    n->type = type;
    if (type == NM_L2TP_PLIST_DICT || type == NM_L2TP_PLIST_ARRAY)
        n->items = g_ptr_array_new_with_free_func((GDestroyNotify)nm_l2tp_plist_free);
    if (type == NM_L2TP_PLIST_DICT)
        n->keys = g_ptr_array_new_with_free_func(g_free);
    return n;
}

static gboolean
perr(GError **error, GMarkupParseContext *ctx, const char *msg)
{
    int line = 0;

    g_markup_parse_context_get_position(ctx, &line, NULL);
    g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT, _("line %d: %s"), line, msg);
    return FALSE;
}

/* Adds a finished value to the container on top of the stack. */
static gboolean
attach(Parser *p, GMarkupParseContext *ctx, NML2tpPlist *node, GError **error)
{
    NML2tpPlist *parent = p->stack->len ? p->stack->pdata[p->stack->len - 1] : NULL;

    if (!parent) {
        if (p->root) {
            nm_l2tp_plist_free(node);
            return perr(error, ctx, _("the property list has more than one top-level value"));
        }
        p->root = node;
        return TRUE;
    }
    if (parent->type == NM_L2TP_PLIST_DICT) {
        if (!p->pending_key) {
            nm_l2tp_plist_free(node);
            return perr(error, ctx, _("a dictionary value has no <key>"));
        }
        g_ptr_array_add(parent->keys, g_steal_pointer(&p->pending_key));
    }
    g_ptr_array_add(parent->items, node);
    return TRUE;
}

static const struct {
    const char     *name;
    NML2tpPlistType type;
} leaf_types[] = {
    { "string", NM_L2TP_PLIST_STRING },   { "data", NM_L2TP_PLIST_DATA },
    { "integer", NM_L2TP_PLIST_INTEGER }, { "real", NM_L2TP_PLIST_REAL },
    { "date", NM_L2TP_PLIST_DATE },       { "true", NM_L2TP_PLIST_TRUE },
    { "false", NM_L2TP_PLIST_FALSE },
};

static void
on_start(GMarkupParseContext *ctx,
         const char          *name,
         const char         **attr_names,
         const char         **attr_values,
         gpointer             user_data,
         GError             **error)
{
    Parser *p = user_data;
    guint   i;

    if (p->in_key || p->in_leaf) {
        perr(error, ctx, _("an element inside a text value"));
        return;
    }
    if (g_str_equal(name, "plist")) {
        if (p->seen_plist || p->stack->len || p->root)
            perr(error, ctx, _("a nested <plist> element"));
        p->seen_plist = TRUE;
        return;
    }
    if (!p->seen_plist) {
        perr(error, ctx, _("not an Apple property list (no <plist> element)"));
        return;
    }
    if (g_str_equal(name, "key")) {
        NML2tpPlist *top = p->stack->len ? p->stack->pdata[p->stack->len - 1] : NULL;

        if (!top || top->type != NM_L2TP_PLIST_DICT)
            perr(error, ctx, _("a <key> outside a dictionary"));
        else if (p->pending_key)
            perr(error, ctx, _("a <key> without a value"));
        p->in_key = TRUE;
        g_string_truncate(p->text, 0);
        return;
    }
    if (g_str_equal(name, "dict") || g_str_equal(name, "array")) {
        if (p->stack->len >= MAX_DEPTH) {
            perr(error, ctx, _("the property list is nested too deeply"));
            return;
        }
        g_ptr_array_add(
            p->stack,
            node_new(g_str_equal(name, "dict") ? NM_L2TP_PLIST_DICT : NM_L2TP_PLIST_ARRAY));
        g_ptr_array_add(p->key_stack, g_steal_pointer(&p->pending_key));
        return;
    }
    for (i = 0; i < G_N_ELEMENTS(leaf_types); i++) {
        if (g_str_equal(name, leaf_types[i].name)) {
            p->in_leaf = TRUE;
            g_string_truncate(p->text, 0);
            return;
        }
    }
    perr(error, ctx, _("an unknown element in the property list"));
}

static void
on_end(GMarkupParseContext *ctx, const char *name, gpointer user_data, GError **error)
{
    Parser *p = user_data;
    guint   i;

    if (g_str_equal(name, "plist"))
        return;
    if (g_str_equal(name, "key")) {
        NML2tpPlist *top = p->stack->pdata[p->stack->len - 1];

        p->in_key = FALSE;
        for (i = 0; i < top->keys->len; i++) {
            if (g_str_equal(top->keys->pdata[i], p->text->str)) {
                perr(error, ctx, _("a key appears twice in one dictionary"));
                return;
            }
        }
        p->pending_key = g_strdup(p->text->str);
        return;
    }
    if (g_str_equal(name, "dict") || g_str_equal(name, "array")) {
        NML2tpPlist *node = g_ptr_array_steal_index(p->stack, p->stack->len - 1);

        if (node->type == NM_L2TP_PLIST_DICT && p->pending_key) {
            nm_l2tp_plist_free(node);
            perr(error, ctx, _("a <key> without a value"));
            return;
        }
        p->pending_key = g_ptr_array_steal_index(p->key_stack, p->key_stack->len - 1);
        attach(p, ctx, node, error);
        return;
    }
    for (i = 0; i < G_N_ELEMENTS(leaf_types); i++) {
        if (g_str_equal(name, leaf_types[i].name)) {
            NML2tpPlist *node = node_new(leaf_types[i].type);

            p->in_leaf = FALSE;
            node->text = g_strdup(p->text->str);
            attach(p, ctx, node, error);
            return;
        }
    }
}

static void
on_text(GMarkupParseContext *ctx, const char *text, gsize len, gpointer user_data, GError **error)
{
    Parser *p = user_data;
    gsize   i;

    if (p->in_key || p->in_leaf) {
        g_string_append_len(p->text, text, len);
        return;
    }
    for (i = 0; i < len; i++) {
        if (!g_ascii_isspace(text[i])) {
            perr(error, ctx, _("text outside a value"));
            return;
        }
    }
}

static const GMarkupParser parser_funcs = {
    .start_element = on_start,
    .end_element   = on_end,
    .text          = on_text,
};

NML2tpPlist *
nm_l2tp_plist_parse(const char *xml, gsize len, GError **error)
{
    GMarkupParseContext *ctx;
    Parser               p = { 0 };
    gboolean             ok;
    g_autoptr(GError) local = NULL;

    p.stack     = g_ptr_array_new_with_free_func((GDestroyNotify)nm_l2tp_plist_free);
    p.text      = g_string_new(NULL);
    p.key_stack = g_ptr_array_new_with_free_func(g_free);
    ctx         = g_markup_parse_context_new(&parser_funcs, G_MARKUP_TREAT_CDATA_AS_TEXT, &p, NULL);
    ok          = g_markup_parse_context_parse(ctx, xml, len, &local)
         && g_markup_parse_context_end_parse(ctx, &local);
    g_markup_parse_context_free(ctx);
    g_ptr_array_unref(p.stack);
    g_ptr_array_unref(p.key_stack);
    g_string_free(p.text, TRUE);
    g_free(p.pending_key);
    if (ok && !p.root) {
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT, _("the property list is empty"));
        ok = FALSE;
    } else if (!ok && local->domain == NM_L2TP_ERROR) {
        g_propagate_error(error, g_steal_pointer(&local));
    } else if (!ok) {
        /* GMarkup's own errors (truncated or malformed XML) */
        g_set_error(error, NM_L2TP_ERROR, NM_L2TP_ERROR_IMPORT, "%s", local->message);
    }
    if (!ok) {
        nm_l2tp_plist_free(p.root);
        return NULL;
    }
    return p.root;
}

NML2tpPlist *
nm_l2tp_plist_get(NML2tpPlist *dict, const char *key)
{
    guint i;

    if (!dict || dict->type != NM_L2TP_PLIST_DICT)
        return NULL;
    for (i = 0; i < dict->keys->len; i++) {
        if (g_str_equal(dict->keys->pdata[i], key))
            return dict->items->pdata[i];
    }
    return NULL;
}

NML2tpPlist *
nm_l2tp_plist_get_dict(NML2tpPlist *dict, const char *key)
{
    NML2tpPlist *n = nm_l2tp_plist_get(dict, key);

    return n && n->type == NM_L2TP_PLIST_DICT ? n : NULL;
}

const char *
nm_l2tp_plist_get_string(NML2tpPlist *dict, const char *key)
{
    NML2tpPlist *n = nm_l2tp_plist_get(dict, key);

    return n && n->type == NM_L2TP_PLIST_STRING ? n->text : NULL;
}

int
nm_l2tp_plist_get_bool(NML2tpPlist *dict, const char *key)
{
    NML2tpPlist *n = nm_l2tp_plist_get(dict, key);

    if (!n)
        return -1;
    if (n->type == NM_L2TP_PLIST_TRUE)
        return 1;
    if (n->type == NM_L2TP_PLIST_FALSE)
        return 0;
    /* Profile generators often write flags as <integer>0/1</integer>. */
    if (n->type == NM_L2TP_PLIST_INTEGER) {
        g_autofree char *t = g_strstrip(g_strdup(n->text));

        if (g_str_equal(t, "0"))
            return 0;
        if (g_str_equal(t, "1"))
            return 1;
    }
    return -2;
}
