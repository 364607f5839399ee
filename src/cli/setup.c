/* setup: open, migrate, load keys: the start-up every database command shares, in one order. */
#include "cli/setup.h"

#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/rand.h"
#include "store/store.h"
#include "web/audit.h"
#include "web/secrets.h"

struct store *setup_open(const char *db, enum setup_keys keys, int *applied)
{
    struct store *s;
    int n = 0;

    if (rand_init() < 0)
        die("cannot initialise libsodium");
    if (store_open(db, &s) != E_OK)
        die("cannot open database %s", db);
    if (store_migrate(s, &n) != E_OK)
        die("migration failed on %s", db);
    if (applied)
        *applied = n;
    if (keys == SETUP_NO_KEYS)
        return s;
    /* The second-factor key first: on a database's first start it makes the key file that
     * the audit trail's key is derived from. */
    if (secrets_init(s, db) < 0)
        die("cannot load the secret key for %s (see the message above)", db);
    if (audit_key_init(s, db) < 0)
        die("cannot load the audit trail's key for %s (see the message above)", db);
    return s;
}

void setup_public_url(const char *bind, unsigned port)
{
    const char *set = getenv("HAVEN_PUBLIC_URL");
    char url[96];

    if (set && *set)
        return;
    if (!bind || !*bind || strcmp(bind, "0.0.0.0") == 0 || port == 0) {
        log_warn("HAVEN_PUBLIC_URL is not set: set-password links will name "
                 "http://127.0.0.1:8080; set it to the address staff use");
        return;
    }
    snprintf(url, sizeof(url), "http://%s:%u", bind, port);
    setenv("HAVEN_PUBLIC_URL", url, 1);
}
