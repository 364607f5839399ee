/* cmd_migrate: `haven migrate [--db PATH]` applies pending migrations and exits. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>

#include "core/rand.h"
#include "store/store.h"

int cmd_migrate(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {0, 0, 0, 0}};
    const char *db = cli_env("HAVEN_DB", "haven.db");
    struct store *s;
    int c, applied = 0;
    enum err e;

    while ((c = getopt_long(argc, argv, "d:", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else
            die("usage: haven migrate [--db PATH]");
    }
    if (rand_init() < 0)
        die("cannot initialise libsodium");
    if (store_open(db, &s) != E_OK)
        die("cannot open database %s", db);
    e = store_migrate(s, &applied);
    store_close(s);
    if (e != E_OK)
        die("migration failed");
    printf("%d migration%s applied to %s\n", applied, applied == 1 ? "" : "s", db);
    return 0;
}
