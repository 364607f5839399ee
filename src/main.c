/* haven: the command line. Dispatches to one cli/ file per subcommand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const char *help;
} commands[] = {
    {"serve", cmd_serve, "serve the site and the API",
     "usage: haven serve [--bind ADDR] [--port N] [--db PATH] [--threads N] [--demo]\n"
     "                   [--log-level LEVEL]\n\n"
     "Applies pending migrations, then serves until SIGINT or SIGTERM.\n"
     "  --bind ADDR      IPv4 address to listen on (HAVEN_BIND, default 127.0.0.1)\n"
     "  --port N         TCP port (HAVEN_PORT, default 8080)\n"
     "  --db PATH        SQLite database file (HAVEN_DB, default haven.db)\n"
     "  --threads N      worker threads, 0 = one per core (HAVEN_THREADS, default 0)\n"
     "  --demo           load demo content: tracks, a week's schedule and one staff\n"
     "                   account per role, whose passwords are printed once (HAVEN_DEMO=1)\n"
     "  --timezone ZONE  the clinic's IANA time zone (HAVEN_TIMEZONE, default UTC)\n"
     "  --log-level L    debug, info, warn or error (HAVEN_LOG_LEVEL, default info)\n"},
    {"migrate", cmd_migrate, "apply pending database migrations",
     "usage: haven migrate [--db PATH]\n\n"
     "  --db PATH        SQLite database file (HAVEN_DB, default haven.db)\n"},
    {"user", cmd_user, "manage staff accounts",
     "usage: haven user add EMAIL --name NAME --role ROLE... [--db PATH]\n"
     "       haven user list [--db PATH]\n"
     "       haven user disable EMAIL [--db PATH]\n"
     "       haven user reset EMAIL [--db PATH]\n\n"
     "add and reset print a one-time link to set a password (valid 24 hours).\n"
     "Roles: admin clinician admissions medical billing auditor.\n"},
    {"audit", cmd_audit, "verify the audit trail",
     "usage: haven audit verify [--db PATH] [--unkeyed-only]\n"
     "       haven audit seal [--db PATH]\n\n"
     "verify walks the hash chain; exits 0 when intact, 1 naming the first broken entry,\n"
     "3 when the key file is missing so that keyed entries cannot be checked (with\n"
     "--unkeyed-only: 0 when the part checkable without the key is intact).\n"
     "seal vouches for an unsealed head anchor after an upgrade, when that is the only problem.\n"},
    {"backup", cmd_backup, "copy the database while the server runs",
     "usage: haven backup PATH [--db PATH] [--force]\n\n"
     "Copies the database (online: the server may run), checks the copy's integrity and\n"
     "writes it to PATH with mode 0600; exits 0, or 1 when no backup was written.\n"
     "  --db PATH        SQLite database file (HAVEN_DB, default haven.db)\n"
     "  --force          replace PATH if it exists (else it is refused)\n"
     "The secret key file is not in the copy: back it up apart (it is printed where it is).\n"},
    {"check", cmd_check, "check the database, its key and its audit trail (monitoring)",
     "usage: haven check [--db PATH]\n\n"
     "One line per check; exits with the code of the first that failed:\n"
     "  0  all good\n"
     "  1  it could not run (no database file, bad usage)\n"
     "  3  integrity: the database file is damaged\n"
     "  4  migrations: some pending (haven migrate), or unknown (a newer haven's database)\n"
     "  5  key file: missing, unreadable, open to others, or not this database's key\n"
     "  6  audit trail: haven audit verify fails\n"
     "  --db PATH        SQLite database file (HAVEN_DB, default haven.db)\n"},
    {"routes", cmd_routes, "list every address and the roles it allows",
     "usage: haven routes [--json]\n"},
    {"version", cmd_version, "print the version", "usage: haven version\n"},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static int usage(FILE *out)
{
    fputs("usage: haven COMMAND [OPTIONS]\n\ncommands:\n", out);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("  help CMD   show the options of CMD\n", out);
    return out == stdout ? 0 : 2;
}

int cmd_version(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("haven %s\n", HAVEN_VERSION);
    return 0;
}

/* The server starts again once, with glibc's per-thread cache of freed blocks raised from 7 to
 * 2,000 a size: a page's model is a few thousand small JSON values made and freed per request,
 * and with the default most frees went back to the shared arena (malloc and free were a third
 * of a result page's CPU; with this, 25% less CPU per result page, measured with
 * bench/assessment.sh). glibc reads its tunables only at start-up, hence the exec. An operator's
 * own GLIBC_TUNABLES is left alone, and sanitizer builds keep their allocator. */
static void tune_malloc(char **argv)
{
#if !defined(__SANITIZE_ADDRESS__)
    if (getenv("GLIBC_TUNABLES"))
        return;
    if (setenv("GLIBC_TUNABLES", "glibc.malloc.tcache_count=2000", 0) == 0)
        execv("/proc/self/exe", argv); /* returns only on failure: run untuned */
#else
    (void)argv;
#endif
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        if (argc < 3 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
            return usage(stdout);
        for (size_t i = 0; i < N_COMMANDS; i++)
            if (!strcmp(argv[2], commands[i].name)) {
                fputs(commands[i].help, stdout);
                return 0;
            }
        fprintf(stderr, "haven: no command \"%s\"\n", argv[2]);
        return 2;
    }
    if (!strcmp(argv[1], "--version"))
        return cmd_version(argc - 1, argv + 1);
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(argv[1], commands[i].name)) {
            if (commands[i].run == cmd_serve)
                tune_malloc(argv);
            return commands[i].run(argc - 1, argv + 1);
        }
    fprintf(stderr, "haven: no command \"%s\"\n", argv[1]);
    return usage(stderr);
}
