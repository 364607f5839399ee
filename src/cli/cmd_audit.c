/* cmd_audit: `haven audit verify [--db PATH]` walks the audit trail's hash chain. Exit status 0
 * when it is intact, 1 naming the first broken entry (or when the walk cannot run). */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/rand.h"
#include "store/store.h"
#include "store/store_audit.h"

static const char usage[] = "usage: haven audit verify [--db PATH]";

static int verify(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {0, 0, 0, 0}};
    const char *db = cli_env("HAVEN_DB", "haven.db");
    struct audit_verify v;
    struct store *s;
    enum err e;
    int c;

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
    if (store_open(db, &s) != E_OK)
        die("cannot open database %s", db);
    e = store_audit_verify(s, &v);
    store_close(s);
    if (e != E_OK)
        die("cannot read the audit trail in %s (has it been migrated?)", db);
    if (v.broken_id) {
        printf("audit trail broken at entry %ld: %s\n", v.broken_id, v.reason);
        return 1;
    }
    printf("audit trail intact: %ld entries\n", v.entries);
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "verify") != 0)
        die("%s", usage);
    return verify(argc - 1, argv + 1);
}
