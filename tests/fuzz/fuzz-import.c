/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: one importer on arbitrary bytes.  Built once per
 * format, with NM_L2TP_FUZZ_FORMAT naming it (conf, pcf, pbk,
 * mobileconfig).  The importer must return a connection or an
 * NM_L2TP_ERROR, never crash, leak or read out of bounds. */

#include "config.h"

#include "nm-l2tp-error.h"
#include "nm-l2tp-import.h"

#define PASTE2(a, b) a##b
#define PASTE(a, b)  PASTE2(a, b)
#define STR2(a)      #a
#define STR(a)       STR2(a)

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
    g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) error    = NULL;
    g_autoptr(NMConnection) c  = NULL;

    if (size > NM_L2TP_IMPORT_MAX_SIZE)
        return 0;
    c = PASTE(nm_l2tp_import_,
              NM_L2TP_FUZZ_FORMAT)(data, size, "fuzz." STR(NM_L2TP_FUZZ_FORMAT), notes, &error);
    g_assert((c != NULL) != (error != NULL));
    g_assert(!error || (error->domain == NM_L2TP_ERROR && error->message[0]));
    if (c) {
        /* What was imported must export. */
        g_autofree char *out = nm_l2tp_export_to_data(c, NULL, NULL);

        g_assert(out != NULL);
    }
    return 0;
}
