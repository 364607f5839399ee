/* sqlite_internal: what the SQLite backend's files share (store_sqlite.c and sqlite_*.c). Only
 * store/ includes it. */
#ifndef HAVEN_SQLITE_INTERNAL_H
#define HAVEN_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "core/err.h"
#include "store/store.h"

#define SQLITE_STMT_CACHE 128

struct sqlite_store {
    struct store base;
    sqlite3 *db;
    /* Prepared statements, keyed by the address of their (static) SQL text. */
    const char *stmt_sql[SQLITE_STMT_CACHE];
    sqlite3_stmt *stmt[SQLITE_STMT_CACHE];
};

/* The backend behind a struct store opened by store_sqlite_open. */
struct sqlite_store *sqlite_of(struct store *s);
/* A prepared statement for sql (a string literal: cached by its address), reset and with its
 * bindings cleared; NULL (logged) if it does not prepare. */
sqlite3_stmt *sqlite_stmt(struct sqlite_store *s, const char *sql);
/* Logs the connection's last error with `what` and returns E_DB. */
enum err sqlite_fail(struct sqlite_store *s, const char *what);
/* Runs one or more statements without results; E_OK or E_DB (logged). */
enum err sqlite_exec(struct sqlite_store *s, const char *sql);
/* BEGIN IMMEDIATE / COMMIT / ROLLBACK: every write that matters is one transaction. */
enum err sqlite_begin(struct sqlite_store *s);
enum err sqlite_commit(struct sqlite_store *s);
void sqlite_rollback(struct sqlite_store *s);
/* The current UTC time as ISO-8601 "YYYY-MM-DDTHH:MM:SSZ" (out has room for 32). */
void sqlite_now(char out[32]);
/* Binds a text parameter, or NULL when v is NULL or empty. */
void sqlite_bind_text_or_null(sqlite3_stmt *st, int i, const char *v);
/* Column text, never NULL ("" for NULL). */
const char *sqlite_col(sqlite3_stmt *st, int i);

/* The staff modules' tables of functions, one file each (sqlite_<module>.c). */
extern const struct store_staff_ops sqlite_staff_ops;
extern const struct store_audit_ops sqlite_audit_ops;
extern const struct store_admissions_ops sqlite_admissions_ops;

#endif
