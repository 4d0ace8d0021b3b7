/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NM_L2TP_IMPORT_PLIST_H
#define NM_L2TP_IMPORT_PLIST_H

#include <glib.h>

typedef enum {
    NM_L2TP_PLIST_DICT,
    NM_L2TP_PLIST_ARRAY,
    NM_L2TP_PLIST_STRING,
    NM_L2TP_PLIST_DATA, /* text is the base64 as written */
    NM_L2TP_PLIST_INTEGER,
    NM_L2TP_PLIST_REAL,
    NM_L2TP_PLIST_DATE,
    NM_L2TP_PLIST_TRUE,
    NM_L2TP_PLIST_FALSE,
} NML2tpPlistType;

typedef struct _NML2tpPlist NML2tpPlist;
struct _NML2tpPlist {
    NML2tpPlistType type;
    char           *text;  /* leaves */
    GPtrArray      *keys;  /* dict: char *, parallel to items */
    GPtrArray      *items; /* dict and array: NML2tpPlist * */
};

NML2tpPlist *nm_l2tp_plist_parse(const char *xml, gsize len, GError **error);
void         nm_l2tp_plist_free(NML2tpPlist *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NML2tpPlist, nm_l2tp_plist_free)

NML2tpPlist *nm_l2tp_plist_get(NML2tpPlist *dict, const char *key);
NML2tpPlist *nm_l2tp_plist_get_dict(NML2tpPlist *dict, const char *key);
/* NULL unless the value is a <string>. */
const char *nm_l2tp_plist_get_string(NML2tpPlist *dict, const char *key);
/* 1 or 0 for <true/>, <false/>, <integer>1/0</integer>; -1 when absent,
 * -2 for any other value. */
int nm_l2tp_plist_get_bool(NML2tpPlist *dict, const char *key);

#endif /* NM_L2TP_IMPORT_PLIST_H */
