/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prints the ids that test data may name, one per line, from the tables
 * the service itself uses:
 *   stage ID     a stage of the catalog
 *   cause ID     a cause of the catalog
 *   key NAME     a setting of the key table (vpn.data)
 *   secret NAME  a secret of the key table (vpn.secrets)
 * tests/vm/lab-cases checks the lab's case table against this list, so that
 * a case cannot expect a stage, cause or setting that does not exist. */

#include "config.h"

#include "nm-l2tp-catalog.h"
#include "nm-l2tp-keys.h"

int
main(int argc, char **argv)
{
    const NML2tpKeyInfo *keys;
    guint                n_keys = 0;
    guint                i;

    if (argc != 1) {
        g_printerr("usage: %s\n", argv[0]);
        return 2;
    }
    for (i = 0; i < NM_L2TP_STAGE_N; i++)
        g_print("stage %s\n", nm_l2tp_stage_to_string((NML2tpStage)i));
    for (i = 0; i < NM_L2TP_CAUSE_N; i++)
        g_print("cause %s\n", nm_l2tp_cause_to_string((NML2tpCause)i));
    keys = nm_l2tp_keys_get_table(&n_keys);
    for (i = 0; i < n_keys; i++) {
        gboolean secret =
            (keys[i].flags & NM_L2TP_KEY_FLAG_SECRET) || keys[i].type == NM_L2TP_KEY_TYPE_SECRET;

        g_print("%s %s\n", secret ? "secret" : "key", keys[i].name);
    }
    return 0;
}
