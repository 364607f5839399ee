/* cmd_check: `haven check [--db PATH]` for monitoring: one line per check on stdout ("NAME: ok
 * ..." or "NAME: FAILED ..."), each run whatever the others found, and an exit status a
 * monitor can act on: 0 all good, else the code of the first check that failed, in the order
 * printed (1 when it cannot run at all). It may run beside the server: it writes nothing but
 * what the server's own start-up would (secrets_init sealing a first release's second-factor
 * secrets left in the clear).
 *
 *   integrity   3  the engine's own check of the whole file
 *   migrations  4  this binary's migrations all applied, and none it does not know (a database
 *                  written by a newer haven)
 *   key file    5  present, readable only by its owner, and the one this database was used
 *                  with (the secret_key_check setting secrets_init keeps)
 *   audit trail 6  haven audit verify's walk: every link, the listings, the sealed head anchor */
#include "cli/cli.h"

#include <stdio.h>

#include "core/rand.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/staff.h"
#include "store/store.h"
#include "web/audit.h"
#include "web/secrets.h"

enum check_exit {
    CHECK_OK = 0,
    CHECK_CANNOT_RUN = 1,
    CHECK_INTEGRITY = 3,
    CHECK_MIGRATIONS = 4,
    CHECK_KEY = 5,
    CHECK_AUDIT = 6,
};

static const char usage[] = "usage: haven check [--db PATH]";

/* The engine's complaint may span lines; a monitor reads one line per check. */
static void one_line(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20)
            *s = ' ';
}

static enum check_exit integrity(struct store *s)
{
    char problem[256];
    enum err e = store_check(s, problem, sizeof(problem));

    if (e == E_OK) {
        printf("integrity: ok\n");
        return CHECK_OK;
    }
    one_line(problem);
    printf("integrity: FAILED %s\n", e == E_INVALID ? problem : "the check could not run");
    return CHECK_INTEGRITY;
}

static enum check_exit migrations(struct store *s, const char *db)
{
    struct db_schema m;

    if (store_schema_state(s, &m) != E_OK) {
        printf("migrations: FAILED the schema could not be read\n");
        return CHECK_MIGRATIONS;
    }
    if (m.unknown) {
        printf("migrations: FAILED %d unknown to this binary (first %s): the database was "
               "written by a newer haven\n",
               m.unknown, m.first_unknown);
        return CHECK_MIGRATIONS;
    }
    if (m.pending) {
        printf("migrations: FAILED %d pending (first %s): haven migrate --db %s\n", m.pending,
               m.first_pending, db);
        return CHECK_MIGRATIONS;
    }
    printf("migrations: ok (%d applied)\n", m.applied);
    return CHECK_OK;
}

/* Loads the audit trail's key (kept for the audit check) and checks the file against the
 * database's key check through secrets_init, which reads it without writing when the database
 * has one. A database with a key file but no key check lost it: that is what a forger who
 * rewrote the trail without the key leaves (issue 8), never what Haven leaves. */
static enum check_exit key_file(struct store *s, const char *db)
{
    char path[4096], have[80];
    enum err e;
    int rc = audit_key_load(db, path, sizeof(path));

    if (rc > 0) {
        printf("key file: FAILED %s is missing\n", path);
        return CHECK_KEY;
    }
    if (rc < 0) {
        printf("key file: FAILED %s cannot be used (unreadable, malformed, or open to others: "
               "see the message above)\n",
               path);
        return CHECK_KEY;
    }
    e = store_setting_get(s, "secret_key_check", have, sizeof(have));
    if (e == E_NOTFOUND) {
        printf("key file: FAILED the database records no key (secret_key_check) although %s "
               "exists\n",
               path);
        return CHECK_KEY;
    }
    if (e != E_OK) {
        printf("key file: FAILED the database's key check could not be read\n");
        return CHECK_KEY;
    }
    if (secrets_init(s, db) < 0) {
        printf("key file: FAILED %s is not the key this database was used with\n", path);
        return CHECK_KEY;
    }
    secrets_forget();
    printf("key file: ok (%s)\n", path);
    return CHECK_OK;
}

static enum check_exit audit_trail(struct store *s)
{
    struct audit_verify v;

    if (store_audit_verify(s, &v) != E_OK) {
        printf("audit trail: FAILED it could not be read\n");
        return CHECK_AUDIT;
    }
    if (v.broken_id) {
        printf("audit trail: FAILED broken at entry %ld: %s\n", v.broken_id, v.reason);
        return CHECK_AUDIT;
    }
    printf("audit trail: ok (%ld entries, head entry %ld hash %s)\n", v.entries, v.head_id,
           v.head_hash);
    return CHECK_OK;
}

int cmd_check(int argc, char **argv)
{
    const char *db = cli_db_arg(argc, argv, usage);
    enum check_exit got[4], ret = CHECK_OK;
    struct store *s;

    if (rand_init() < 0)
        die("cannot initialise libsodium");
    if (store_open(db, &s) != E_OK) {
        printf("integrity: FAILED %s cannot be opened (see the message above)\n", db);
        return CHECK_INTEGRITY;
    }
    got[0] = integrity(s);
    got[1] = migrations(s, db);
    got[2] = key_file(s, db);
    got[3] = audit_trail(s);
    store_close(s);
    audit_chain_key_forget();
    for (size_t i = 0; i < 4 && ret == CHECK_OK; i++)
        ret = got[i];
    return ret;
}
