/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "nm-l2tp-pppd-keyfile.h"

#include "nm-l2tp-file.h"

gboolean
nm_l2tp_pppd_key_is_encrypted(const char *path)
{
    g_autoptr(GBytes) bytes = NULL;
    const char *text;
    gsize       len;

    /* pppd runs as root and is given the service's own copy of the key
     * (nm-plugin/nm-l2tp-user-files.c): a symbolic link there is not that
     * copy, and a FIFO or a device must not hold pppd; so no following,
     * no blocking, regular files under the cap only.  The bytes are
     * wiped when freed: an unencrypted key is a secret too. */
    if (!path)
        return FALSE;
    bytes = nm_l2tp_file_read(path, NM_L2TP_CERT_FILE_MAX_SIZE, NM_L2TP_FILE_READ_NOFOLLOW, NULL);
    if (!bytes)
        return FALSE;
    text = g_bytes_get_data(bytes, &len);
    return g_strstr_len(text, len, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL
           || g_strstr_len(text, len, "Proc-Type: 4,ENCRYPTED") != NULL;
}
