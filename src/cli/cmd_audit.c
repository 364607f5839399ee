/* cmd_audit: `haven audit verify [--db PATH]` walks the audit trail's hash chain and checks its
 * head anchor, and the records each list entry names (audit_listed). Exit status 0 when it is
 * intact, 1 naming the first broken entry (or when the walk cannot run). Keyed entries need the
 * secret key file the server uses (HAVEN_SECRET_KEY_FILE, else the database path + ".key"); it
 * is read, never created. An unsealed head anchor is a failure in any database that has had a
 * key.
 *
 * `haven audit seal [--db PATH]`: the operator's explicit seal of an unsealed anchor (a trail
 * written before keyed audit, upgraded): verify first; only when the anchor's missing seal is
 * the sole problem does it seal, printing the head it vouches for. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/rand.h"
#include "store/store.h"
#include "store/audit.h"
#include "web/audit.h"

static const char usage[] = "usage: haven audit verify|seal [--db PATH]";

static int verify(int argc, char **argv, bool seal)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {0, 0, 0, 0}};
    const char *db = cli_env("HAVEN_DB", "haven.db");
    struct audit_verify v;
    char key_file[4096];
    struct store *s;
    enum audit_seal sealed = AUDIT_SEAL_REFUSED;
    enum err e;
    int c, key;

    while ((c = getopt_long(argc, argv, "d:", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else
            die("%s", usage);
    }
    if (optind != argc)
        die("%s", usage);
    /* Opening would create an empty database: an absent file is an error, not "intact". */
    if (access(db, R_OK) != 0)
        die("cannot read database %s", db);
    if (rand_init() < 0)
        die("cannot initialise libsodium");
    if ((key = audit_key_load(db, key_file, sizeof(key_file))) < 0)
        die("cannot load the secret key file (see the message above)");
    if (key > 0 && seal)
        die("no secret key file %s: sealing needs the key", key_file);
    if (key > 0)
        fprintf(stderr, "no secret key file %s: keyed entries cannot be checked\n", key_file);
    if (store_open(db, &s) != E_OK)
        die("cannot open database %s", db);
    e = store_audit_verify(s, &v);
    if (e == E_OK && seal && v.broken_id && v.needs_seal)
        e = store_audit_adopt(s, &sealed);
    store_close(s);
    audit_chain_key_forget();
    if (e != E_OK)
        die("cannot read the audit trail in %s (has it been migrated? haven migrate --db %s)", db,
            db);
    if (seal && sealed == AUDIT_SEAL_DONE) {
        printf("head anchor sealed: entry %ld hash %s\n", v.head_id, v.head_hash);
        printf("compare it with the head you noted before: if it is not a trail you trust,"
               " restore a backup\n");
        return 0;
    }
    if (v.broken_id) {
        printf("audit trail broken at entry %ld: %s\n", v.broken_id, v.reason);
        if (v.needs_seal && !seal)
            printf("if this database was upgraded from a release before keyed audit and you"
                   " trust its trail, check it and run haven audit seal --db %s\n", db);
        return 1;
    }
    printf("audit trail intact: %ld entries\n", v.entries);
    /* Each id a list entry names is covered by that entry's link (scheme 4). */
    printf("records named by list entries: %ld\n", v.listed);
    printf("keyed entries: %ld; head anchor: %s\n", v.keyed,
           v.anchor_sealed ? "sealed"
                           : "NOT sealed (this database has never had a key: nothing has been"
                             " written with one yet)");
    if (v.first_keyed_id > 0)
        printf("keyed since entry %ld\n", v.first_keyed_id);
    if (seal)
        printf("nothing to seal\n");
    /* Note this elsewhere (off the machine): a later verify that ends before it, or on another
     * hash, shows a roll-back to an older copy that the anchor alone cannot. */
    printf("head: entry %ld hash %s\n", v.head_id, v.head_hash);
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "seal") != 0))
        die("%s", usage);
    return verify(argc - 1, argv + 1, strcmp(argv[1], "seal") == 0);
}
