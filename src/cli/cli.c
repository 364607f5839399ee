/* cli: helpers shared by the subcommands. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void die(const char *fmt, ...)
{
    va_list ap;

    fputs("haven: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

const char *cli_env(const char *var, const char *fallback)
{
    const char *v = getenv(var);
    return v && *v ? v : fallback;
}

const char *cli_db_arg(int argc, char **argv, const char *usage)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {0, 0, 0, 0}};
    const char *db = cli_env("HAVEN_DB", "haven.db");
    int c;

    while ((c = getopt_long(argc, argv, "d:", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else
            die("%s", usage);
    }
    if (optind != argc)
        die("%s", usage);
    if (access(db, R_OK) != 0)
        die("cannot read database %s", db);
    return db;
}
