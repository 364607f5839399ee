/* db: the database driver interface the store modules are written against, once. A driver per
 * engine implements it (store/sqlite/ today; store/pg/ later); no module includes an engine's
 * header. One struct db is one connection, used by one thread at a time.
 *
 * SQL handed to db_prepare uses numbered placeholders ?1, ?2 ... (a number may repeat) in the
 * subset of SQL that SQLite and PostgreSQL share (HACKING.md, "SQL guide"); the PostgreSQL
 * driver rewrites ?N to $N. An unbound placeholder is NULL.
 *
 * Failures: functions returning enum err give E_OK or E_DB, logged by the driver with the
 * engine's message; db_step reports DB_ERR without logging, so that the caller names what failed
 * (db_fail). Nothing here aborts but xalloc's out-of-memory. */
#ifndef HAVEN_DB_H
#define HAVEN_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct db;
struct db_stmt;

/* What one step of a statement gave. */
enum db_step {
    DB_ROW,        /* a row is ready for db_col_* */
    DB_DONE,       /* no (more) rows; a write has been applied */
    DB_CONSTRAINT, /* the schema refused the write (unique, check, not null, foreign key) */
    DB_ERR,        /* anything else (not logged: call db_fail) */
};

/* Opens (creating) the database at path with the settings of DESIGN.md §6 (SQLite: WAL,
 * foreign keys on, a 5 s busy timeout). *out is the caller's, freed by db_close. E_DB (logged). */
enum err db_open(const char *path, struct db **out);
/* Finalizes every statement and closes the connection; accepts NULL. */
void db_close(struct db *db);

/* A statement for sql, cached for the connection's life and keyed by the address of sql, which
 * must therefore be a string with static storage (a literal or a static array). It comes reset,
 * with no bindings; hand it back with db_reset (or db_run). NULL (logged) when it does not
 * prepare or the cache (128 statements) is full. For the statements a request runs often. */
struct db_stmt *db_prepare(struct db *db, const char *sql);
/* A statement for sql (any string, copied by the engine) owned by the caller until db_finish:
 * for rare statements, so that they do not take a place in the cache, and for SQL built at run
 * time. NULL (logged) when it does not prepare. */
struct db_stmt *db_prepare_once(struct db *db, const char *sql);
/* Ends the use of st: a cached statement is reset and its bindings cleared, a db_prepare_once
 * one freed. Accepts NULL. */
void db_finish(struct db_stmt *st);
/* Resets st (cached or not) so that it can run again, clearing its bindings. */
void db_reset(struct db_stmt *st);

/* Bindings, by placeholder number (from 1). Text is not copied: it must stay unchanged until
 * the statement is reset or finished. NULL text binds NULL. */
void db_bind_text(struct db_stmt *st, int i, const char *v);
/* NULL when v is NULL or empty. */
void db_bind_text_or_null(struct db_stmt *st, int i, const char *v);
void db_bind_int64(struct db_stmt *st, int i, int64_t v);
void db_bind_null(struct db_stmt *st, int i);

/* Runs st to its next row. */
enum db_step db_step(struct db_stmt *st);
/* Runs a statement whose rows (if any) do not matter once, then db_finish: E_OK, or E_DB logged
 * with what (a constraint failure included). */
enum err db_run(struct db_stmt *st, const char *what);

/* Columns of the current row, from 0. Text is never NULL ("" for NULL) and lives until the
 * next step, reset or finish. */
const char *db_col_text(struct db_stmt *st, int i);
int64_t db_col_int64(struct db_stmt *st, int i);
/* A boolean expression's column (x IS NULL, a AND b) reads as 0 or 1 on every driver. */
int db_col_int(struct db_stmt *st, int i);
bool db_col_is_null(struct db_stmt *st, int i);

/* Rows changed by the connection's last INSERT, UPDATE or DELETE. */
long db_changes(struct db *db);

/* A write transaction, taking the write lock at once (SQLite: BEGIN IMMEDIATE), so that what
 * it reads cannot change before it writes. E_OK or E_DB. */
enum err db_begin(struct db *db);
/* A read transaction: one consistent snapshot for several reads, not holding up writers. */
enum err db_begin_read(struct db *db);
/* Commits; on failure rolls back and returns E_DB. */
enum err db_commit(struct db *db);
/* Rolls back the open transaction; nothing when none is open. */
void db_rollback(struct db *db);
/* Whether a transaction is open on this connection. */
bool db_in_transaction(struct db *db);

/* Runs one or more statements without results or parameters (SQL text from our own files,
 * never input); E_OK or E_DB (logged). */
enum err db_exec(struct db *db, const char *sql);
/* The engine's message for the connection's last error (owned by db, valid until its next
 * call). */
const char *db_error(struct db *db);
/* Logs the connection's last error with what; returns E_DB, for `return db_fail(...)`. */
enum err db_fail(struct db *db, const char *what);

/* A number that changes whenever any connection has committed a change to the database. */
enum err db_data_version(struct db *db, long long *out);
/* Applies the engine's pending schema migrations (for SQLite the embedded migrations/NNNN_*.sql,
 * in order), each in its own transaction with its row in schema_migrations; *applied counts
 * them. Schema is the one place where engines differ: each driver owns its DDL. */
enum err db_migrate(struct db *db, int *applied);

/* ---- operations (haven backup, haven check) ---- */

/* The schema's state against the migrations this binary carries (without changing anything). */
struct db_schema {
    int applied;           /* this binary's migrations recorded as applied */
    int pending;           /* this binary's migrations not recorded (haven migrate applies them) */
    int unknown;           /* recorded migrations this binary does not have: a newer binary's */
    char first_pending[64]; /* the first of each, by name ("" when none) */
    char first_unknown[64];
};
enum err db_schema_state(struct db *db, struct db_schema *out);
/* The engine's own check of the whole file (SQLite: PRAGMA integrity_check): E_OK when sound;
 * E_INVALID with its first complaint in problem (size bytes); E_DB (logged) when it cannot run.
 * Reads every page: seconds on a large database. */
enum err db_check(struct db *db, char *problem, size_t size);
/* Copies the whole database, as of one moment, into the file at path, which must exist and be
 * empty (the caller makes it, with the mode it wants): a single file that needs no journal
 * beside it. Other connections go on reading and writing meanwhile (SQLite: one read snapshot
 * under WAL). Then checks the copy as db_check does: E_OK; E_INVALID with problem set when the
 * copy fails the check; E_DB (logged) when it cannot be made. */
enum err db_backup(struct db *db, const char *path, char *problem, size_t size);

#endif
