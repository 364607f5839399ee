/* cli: the `haven` subcommands, one file each. Each returns the process exit status. */
#ifndef HAVEN_CLI_H
#define HAVEN_CLI_H

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_user(int argc, char **argv);   /* cmd_user.c: haven user add|list|disable|reset */
int cmd_audit(int argc, char **argv);  /* cmd_audit.c: haven audit verify */
int cmd_routes(int argc, char **argv); /* cmd_routes.c: haven routes [--json] */
int cmd_backup(int argc, char **argv); /* cmd_backup.c: haven backup PATH */
int cmd_check(int argc, char **argv);  /* cmd_check.c: haven check, for monitoring */

struct store;
/* demo_referrals.c: a few scored call requests in an empty queue (--demo); 0 or -1. */
int demo_referrals(struct store *s);

/* Prints msg to stderr, prefixed "haven: ", and exits 1. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* The value of flag or its environment variable, else fallback. */
const char *cli_env(const char *var, const char *fallback);
/* For a command whose only option is --db PATH (HAVEN_DB, default haven.db): that path. Dies
 * with usage on anything else, and unless the database file exists and is readable: opening
 * one that does not would create it empty, which then checks or verifies as nothing. */
const char *cli_db_arg(int argc, char **argv, const char *usage);

#endif
