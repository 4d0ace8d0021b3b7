/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "nm-l2tp-auth-request.h"

#ifdef HAVE_LIBSECRET
#include <libsecret/secret.h>

/* The schema under which NetworkManager's agents (nm-applet, GNOME Shell)
 * keep agent-owned secrets: one item per connection UUID, setting and key. */
static const SecretSchema *
nm_l2tp_network_manager_schema(void)
{
    static const SecretSchema schema = {
        "org.freedesktop.NetworkManager.Connection",
        SECRET_SCHEMA_DONT_MATCH_NAME,
        {
            { "connection-uuid", SECRET_SCHEMA_ATTRIBUTE_STRING },
            { "setting-name", SECRET_SCHEMA_ATTRIBUTE_STRING },
            { "setting-key", SECRET_SCHEMA_ATTRIBUTE_STRING },
            { NULL, 0 },
        },
    };

    return &schema;
}

char *
nm_l2tp_auth_keyring_lookup(const char *uuid, const char *key)
{
    g_autoptr(GError) error = NULL;
    char *value;

    if (!uuid || !key)
        return NULL;
    value = secret_password_lookup_sync(nm_l2tp_network_manager_schema(),
                                        NULL,
                                        &error,
                                        "connection-uuid",
                                        uuid,
                                        "setting-name",
                                        NM_SETTING_VPN_SETTING_NAME,
                                        "setting-key",
                                        key,
                                        NULL);
    if (!value) {
        if (error)
            g_debug("keyring lookup of %s failed: %s", key, error->message);
        return NULL;
    }
    /* Hand out a plain copy; the keyring's copy is wiped. */
    {
        char *copy = g_strdup(value);

        secret_password_free(value);
        return copy;
    }
}

#else

char *
nm_l2tp_auth_keyring_lookup(const char *uuid, const char *key)
{
    return NULL;
}

#endif
