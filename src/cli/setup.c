/* setup: open, migrate, load keys: the start-up every database command shares, in one order. */
#include "cli/setup.h"

#include "cli/cli.h"
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
