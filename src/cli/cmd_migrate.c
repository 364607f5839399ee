/* cmd_migrate: `haven migrate [--db PATH]` applies pending migrations and exits. */
#include "cli/cli.h"
#include "cli/setup.h"

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

    while ((c = getopt_long(argc, argv, "d:", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else
            die("usage: haven migrate [--db PATH]");
    }
    s = setup_open(db, SETUP_NO_KEYS, &applied);
    store_close(s);
    printf("%d migration%s applied to %s\n", applied, applied == 1 ? "" : "s", db);
    return 0;
}
