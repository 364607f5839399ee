/* store_fixture: what the store's tests share. Data is seeded through the store's own
 * functions, so that the tests run on every driver; the helpers below reach the database
 * directly, through db.h (never an engine's API), only to look at or tamper with what the
 * store's functions do not show or would never do: a trigger's refusal, an edited audit row, a
 * column the store keeps to itself. Their SQL is the portable kind (HACKING.md, "SQL guide")
 * unless a comment says why not. Include after <cmocka.h>. */
#ifndef HAVEN_STORE_FIXTURE_H
#define HAVEN_STORE_FIXTURE_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/store_internal.h"

/* Runs raw SQL that must succeed. */
static inline void fx_exec(struct store *s, const char *sql)
{
    assert_int_equal(db_exec(store_db(s), sql), E_OK);
}

/* Runs raw SQL once; what its first step gave (DB_CONSTRAINT when the schema refuses it). */
static inline enum db_step fx_try(struct store *s, const char *sql)
{
    struct db_stmt *st = db_prepare_once(store_db(s), sql);
    enum db_step rc;

    assert_non_null(st);
    rc = db_step(st);
    db_finish(st);
    return rc;
}

/* The first column of the first row of a query, as a number (-1 when there is no row). */
static inline long fx_scalar(struct store *s, const char *sql)
{
    struct db_stmt *st = db_prepare_once(store_db(s), sql);
    long v = -1;

    assert_non_null(st);
    if (db_step(st) == DB_ROW)
        v = (long)db_col_int64(st, 0);
    db_finish(st);
    return v;
}

/* The same as text, into out (n bytes; "" when there is no row). */
static inline void fx_text(struct store *s, const char *sql, char *out, size_t n)
{
    struct db_stmt *st = db_prepare_once(store_db(s), sql);

    assert_non_null(st);
    snprintf(out, n, "%s", db_step(st) == DB_ROW ? db_col_text(st, 0) : "");
    db_finish(st);
}

/* Removes a test database and its WAL files. */
static inline void fx_unlink(const char *path)
{
    char p[128];

    unlink(path);
    snprintf(p, sizeof(p), "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", path);
    unlink(p);
}

#endif
