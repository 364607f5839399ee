/* cmd_audit: `haven audit verify [--db PATH] [--unkeyed-only]` walks the audit trail's hash
 * chain and checks its head anchor, and the records each list entry names (audit_listed). Keyed
 * entries and the anchor's MAC need the secret key file the server uses (HAVEN_SECRET_KEY_FILE,
 * else the database path + ".key"); it is read, never created. Without it nothing can vouch
 * for the trail (a copy rewritten without the key looks intact), so verify says so and exits 3,
 * unless the operator knowingly asks for the unkeyed part only. The exit codes are in usage.
 *
 * `haven audit seal [--db PATH]`: the operator's explicit seal of an unsealed anchor (a trail
 * written before keyed audit, upgraded): verify first; only when the anchor's missing seal is
 * the sole problem does it seal, printing the head it vouches for. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/rand.h"
#include "store/store.h"
#include "store/audit.h"
#include "web/audit.h"

/* verify's exit codes besides 0 (intact) and 1 (broken, or the walk could not run: die). */
#define EXIT_BROKEN 1
#define EXIT_UNCHECKED 3 /* the key file is missing: the keyed part cannot be checked */

static const char usage[] =
    "usage: haven audit verify [--db PATH] [--unkeyed-only]\n"
    "       haven audit seal [--db PATH]\n"
    "\n"
    "verify walks the audit trail's hash chain and checks its head anchor with the secret key\n"
    "file (HAVEN_SECRET_KEY_FILE, else the database path + \".key\"; read, never created).\n"
    "  --db PATH        SQLite database file (HAVEN_DB, default haven.db)\n"
    "  --unkeyed-only   when the key file is missing, check what can be checked without it\n"
    "                   (every link, the unkeyed entries, where the anchor points) and exit 0\n"
    "                   if that holds; it prints what was not checked\n"
    "exit status of verify:\n"
    "  0  intact (with --unkeyed-only and no key file: the part checked without it)\n"
    "  1  broken: the first broken entry is named (or the trail could not be read)\n"
    "  3  the key file is missing: keyed entries and the anchor's MAC cannot be checked, and a\n"
    "     trail rewritten without the key would look intact (nothing broken was found)\n"
    "\n"
    "seal vouches for an unsealed head anchor after an upgrade, when that is the only problem;\n"
    "it needs the key file.\n";

struct opts {
    const char *db;
    bool seal, unkeyed_only;
};

static void parse(int argc, char **argv, struct opts *o)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"unkeyed-only", no_argument, NULL, 'u'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    int c;

    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        if (c == 'd') {
            o->db = optarg;
        } else if (c == 'u' && !o->seal) {
            o->unkeyed_only = true;
        } else if (c == 'h') {
            fputs(usage, stdout);
            exit(0);
        } else {
            optind = argc + 1; /* an unknown option: the usage below */
            break;
        }
    }
    if (optind != argc) {
        fputs(usage, stderr);
        exit(1);
    }
}

/* What a walk without the key left out, after the verdict. */
static void print_unchecked(const struct audit_verify *v, const char *key_file)
{
    const char *anchor =
        v->anchor_unchecked ? "the head anchor's MAC" : "a MAC on the head anchor (it has none)";

    printf("not checked (no secret key file %s): the hashes of %ld keyed entries, %s, and"
           " whether the trail was rewritten without the key\n",
           key_file, v->unchecked, anchor);
}

/* The verdict of a walk: prints it and returns the exit status. */
static int report(const struct opts *o, const struct audit_verify *v, bool key,
                  const char *key_file)
{
    if (v->broken_id) {
        printf("audit trail broken at entry %ld: %s\n", v->broken_id, v->reason);
        if (v->needs_seal && !o->seal && key)
            printf("if this database was upgraded from a release before keyed audit and you"
                   " trust its trail, check it and run haven audit seal --db %s\n",
                   o->db);
        if (!key)
            print_unchecked(v, key_file);
        return EXIT_BROKEN;
    }
    if (!key && !o->unkeyed_only) {
        printf("audit trail cannot be checked: no secret key file %s\n", key_file);
        printf("nothing broken among %ld entries as far as can be seen without it\n", v->entries);
        print_unchecked(v, key_file);
        printf("run it where the key file is, or with --unkeyed-only to accept only this part\n");
        return EXIT_UNCHECKED;
    }
    if (!key) {
        printf("audit trail intact as far as it can be checked without the key: %ld entries\n",
               v->entries);
        print_unchecked(v, key_file);
    } else {
        printf("audit trail intact: %ld entries\n", v->entries);
    }
    /* Each id a list entry names is covered by that entry's link (scheme 4). */
    printf("records named by list entries: %ld\n", v->listed);
    if (key)
        printf("keyed entries: %ld; head anchor: %s\n", v->keyed,
               v->anchor_sealed ? "sealed"
                                : "NOT sealed (this database has never had a key: nothing has"
                                  " been written with one yet)");
    else
        printf("keyed entries: %ld (not checked)\n", v->keyed);
    if (v->first_keyed_id > 0)
        printf("keyed since entry %ld\n", v->first_keyed_id);
    if (o->seal)
        printf("nothing to seal\n");
    /* Note this elsewhere (off the machine): a later verify that ends before it, or on another
     * hash, shows a roll-back to an older copy that the anchor alone cannot. */
    printf("head: entry %ld hash %s\n", v->head_id, v->head_hash);
    return 0;
}

static int verify(int argc, char **argv, bool seal)
{
    struct opts o = { .db = cli_env("HAVEN_DB", "haven.db"), .seal = seal };
    struct audit_verify v;
    char key_file[4096];
    struct store *s;
    enum audit_seal sealed = AUDIT_SEAL_REFUSED;
    enum err e;
    int key;

    parse(argc, argv, &o);
    /* Opening would create an empty database: an absent file is an error, not "intact". */
    if (access(o.db, R_OK) != 0)
        die("cannot read database %s", o.db);
    if (rand_init() < 0)
        die("cannot initialise libsodium");
    if ((key = audit_key_load(o.db, key_file, sizeof(key_file))) < 0)
        die("cannot load the secret key file (see the message above)");
    if (key > 0 && seal)
        die("no secret key file %s: sealing needs the key", key_file);
    if (store_open(o.db, &s) != E_OK)
        die("cannot open database %s", o.db);
    e = store_audit_verify(s, &v);
    if (e == E_OK && seal && v.broken_id && v.needs_seal)
        e = store_audit_adopt(s, &sealed);
    store_close(s);
    audit_chain_key_forget();
    if (e != E_OK)
        die("cannot read the audit trail in %s (has it been migrated? haven migrate --db %s)", o.db,
            o.db);
    if (seal && sealed == AUDIT_SEAL_DONE) {
        printf("head anchor sealed: entry %ld hash %s\n", v.head_id, v.head_hash);
        printf("compare it with the head you noted before: if it is not a trail you trust,"
               " restore a backup\n");
        return 0;
    }
    return report(&o, &v, key == 0, key_file);
}

int cmd_audit(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc < 2 || (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "seal") != 0))
        die("%s", usage);
    return verify(argc - 1, argv + 1, strcmp(argv[1], "seal") == 0);
}
