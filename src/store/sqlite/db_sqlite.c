/* db_sqlite: the SQLite driver of store/db.h, and the only code that includes <sqlite3.h>
 * (but the stop-gap sqlite_internal.c beside it). One connection per worker thread, WAL,
 * statements prepared once and kept for the connection's life, writes under BEGIN IMMEDIATE so
 * that concurrent workers queue on the lock instead of failing half-way. */
#include "store/db.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/embed.h"
#include "core/histogram.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "store/stamp.h"

/* Statements cached per connection: an open-addressing table keyed by the SQL's address, kept
 * at most half full so that a lookup is one or two probes (a signed-in page prepares 20-40). */
#define DB_STMT_CACHE 1024
#define DB_STMT_MAX (DB_STMT_CACHE / 2)

struct db_stmt {
    struct db *db;
    sqlite3_stmt *st;
    const char *key; /* the SQL's address (cached), NULL for a db_prepare_once statement */
};

struct db {
    sqlite3 *conn;           /* the connection; one thread at a time */
    size_t n;               /* cached statements in use */
    struct db_stmt *cache;  /* DB_STMT_CACHE slots; key NULL: free */
};

const char *db_error(struct db *db)
{
    return sqlite3_errmsg(db->conn);
}

enum err db_fail(struct db *db, const char *what)
{
    log_error("sqlite: %s: %s", what, sqlite3_errmsg(db->conn));
    return E_DB;
}

enum err db_exec(struct db *db, const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(db->conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("sqlite: %s", msg ? msg : "exec failed");
        sqlite3_free(msg);
        return E_DB;
    }
    return E_OK;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    for (size_t i = 0; i < DB_STMT_CACHE; i++)
        if (db->cache[i].key)
            sqlite3_finalize(db->cache[i].st);
    free(db->cache);
    sqlite3_close(db->conn);
    free(db);
}

/* Before SQLite's first use: no memory statistics, whose global mutex every allocation of every
 * worker's connection took (a twentieth of a signed-in page's time went waiting on it). */
static void configure_once(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum err db_open(const char *path, struct db **out)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    struct db *db;
    int rc;

    pthread_once(&once, configure_once);
    db = xcalloc(1, sizeof(*db));
    db->cache = xcalloc(DB_STMT_CACHE, sizeof(*db->cache));

    rc = sqlite3_open_v2(path, &db->conn,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        log_error("sqlite: cannot open %s: %s", path,
                  db->conn ? sqlite3_errmsg(db->conn) : "no memory");
        db_close(db);
        return E_DB;
    }
    sqlite3_busy_timeout(db->conn, 5000);
    /* synchronous=FULL: each commit's WAL frames reach the disk before it returns, so a write
     * acknowledged to a client (a crisis call request) survives a power cut; NORMAL would only
     * flush at checkpoints and lose the last commits (DESIGN.md §6). mmap_size: reads map the
     * file (one copy in the page cache for every worker) instead of copying each page into a
     * 2 MB cache of the connection's own: 2-4x faster reads of bench/program.sh's 2 GB program
     * data set. The map stops at SQLite's build limit (Debian's: 2 GiB); pages past it are
     * read into the connection's cache, 32 MiB (filled as used) rather than the default 2 MiB,
     * which a chart of bench/program.sh's 2.7 GiB data set overran, re-reading ~550 pages a
     * view. */
    if (db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                    " PRAGMA foreign_keys=ON; PRAGMA mmap_size=4294967296;"
                    " PRAGMA cache_size=-32768;") != E_OK) {
        db_close(db);
        return E_DB;
    }
    *out = db;
    return E_OK;
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
    /* Fibonacci hashing of the address: static strings sit close together. */
    size_t i = (size_t)(((uintptr_t)sql * UINT64_C(11400714819323198485)) >> 54);

    for (; db->cache[i].key; i = (i + 1) % DB_STMT_CACHE) {
        if (db->cache[i].key == sql) {
            sqlite3_reset(db->cache[i].st);
            sqlite3_clear_bindings(db->cache[i].st);
            return &db->cache[i];
        }
    }
    if (db->n == DB_STMT_MAX) {
        log_error("sqlite: statement cache full");
        return NULL;
    }
    if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &db->cache[i].st,
                           NULL) != SQLITE_OK) {
        db->cache[i].st = NULL;
        db_fail(db, "prepare");
        return NULL;
    }
    db->cache[i].db = db;
    db->cache[i].key = sql;
    db->n++;
    return &db->cache[i];
}

struct db_stmt *db_prepare_once(struct db *db, const char *sql)
{
    struct db_stmt *st = xcalloc(1, sizeof(*st));

    if (sqlite3_prepare_v2(db->conn, sql, -1, &st->st, NULL) != SQLITE_OK) {
        db_fail(db, "prepare");
        sqlite3_finalize(st->st);
        free(st);
        return NULL;
    }
    st->db = db;
    return st;
}

void db_reset(struct db_stmt *st)
{
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
}

void db_finish(struct db_stmt *st)
{
    if (!st)
        return;
    if (st->key) {
        db_reset(st);
        return;
    }
    sqlite3_finalize(st->st);
    free(st);
}

void db_bind_text(struct db_stmt *st, int i, const char *v)
{
    sqlite3_bind_text(st->st, i, v, -1, SQLITE_STATIC);
}

void db_bind_text_or_null(struct db_stmt *st, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(st->st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st->st, i);
}

void db_bind_int64(struct db_stmt *st, int i, int64_t v)
{
    sqlite3_bind_int64(st->st, i, v);
}

void db_bind_null(struct db_stmt *st, int i)
{
    sqlite3_bind_null(st->st, i);
}

enum db_step db_step(struct db_stmt *st)
{
    int rc = sqlite3_step(st->st);

    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    return (rc & 0xff) == SQLITE_CONSTRAINT ? DB_CONSTRAINT : DB_ERR;
}

enum err db_run(struct db_stmt *st, const char *what)
{
    enum db_step rc = db_step(st);
    enum err ret = rc == DB_DONE || rc == DB_ROW ? E_OK : db_fail(st->db, what);

    db_finish(st);
    return ret;
}

const char *db_col_text(struct db_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st->st, i);
    return t ? (const char *)t : "";
}

int64_t db_col_int64(struct db_stmt *st, int i)
{
    return sqlite3_column_int64(st->st, i);
}

int db_col_int(struct db_stmt *st, int i)
{
    return sqlite3_column_int(st->st, i);
}

bool db_col_is_null(struct db_stmt *st, int i)
{
    return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}

long db_changes(struct db *db)
{
    return (long)sqlite3_changes(db->conn);
}

/* Runs one of the transaction statements below from the cache: sqlite3_exec would parse the
 * text again on every call, a tenth of a signed-in page's time. */
static enum err run_control(struct db *db, const char *sql)
{
    struct db_stmt *st = db_prepare(db, sql);
    int rc;

    if (!st)
        return E_DB;
    rc = sqlite3_step(st->st);
    sqlite3_reset(st->st);
    if (rc != SQLITE_DONE) {
        log_error("sqlite: %s: %s", sql, sqlite3_errmsg(db->conn));
        return E_DB;
    }
    return E_OK;
}

static const char sql_begin_write[] = "BEGIN IMMEDIATE";
static const char sql_begin_read[] = "BEGIN";
static const char sql_commit[] = "COMMIT";
static const char sql_rollback[] = "ROLLBACK";

enum err db_begin(struct db *db)
{
    return run_control(db, sql_begin_write);
}

/* Deferred: the snapshot starts at the first read and takes no write lock. */
enum err db_begin_read(struct db *db)
{
    return run_control(db, sql_begin_read);
}

enum err db_commit(struct db *db)
{
    /* For /metrics: how long a write takes to become durable (core/histogram.h). */
    double start = sqlite3_txn_state(db->conn, NULL) == SQLITE_TXN_WRITE ? histogram_now() : 0;

    if (run_control(db, sql_commit) != E_OK) {
        db_rollback(db);
        return E_DB;
    }
    if (start)
        histogram_since(&histogram_db_commit, start);
    return E_OK;
}

void db_rollback(struct db *db)
{
    if (!sqlite3_get_autocommit(db->conn))
        run_control(db, sql_rollback);
}

bool db_in_transaction(struct db *db)
{
    return !sqlite3_get_autocommit(db->conn);
}

/* PRAGMA data_version moves when other connections commit; total_changes when this one does. */
enum err db_data_version(struct db *db, long long *out)
{
    static const char sql[] = "PRAGMA data_version";
    struct db_stmt *st = db_prepare(db, sql);
    enum err ret = E_DB;

    if (st && db_step(st) == DB_ROW) {
        *out = (db_col_int64(st, 0) << 32) ^ (long long)sqlite3_total_changes64(db->conn);
        ret = E_OK;
    }
    db_finish(st);
    return ret;
}

/* Every pending migration runs in one transaction, all or none: an upgrade that fails half-way
 * leaves the schema as it was, and a new database's migrations cost one durable commit instead
 * of one each. */
enum err db_migrate(struct db *db, int *applied)
{
    struct db_stmt *st = NULL;
    enum err ret = E_OK;
    int n = 0;

    *applied = 0;
    if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " name TEXT PRIMARY KEY, applied_at TEXT NOT NULL) STRICT") != E_OK)
        return E_DB;
    if (!(st = db_prepare_once(db, "SELECT 1 FROM schema_migrations WHERE name = ?1")))
        return E_DB;
    if (db_begin(db) != E_OK) {
        db_finish(st);
        return E_DB;
    }
    /* The embedded table is sorted by name, so migrations run in their numbered order. */
    for (size_t i = 0; i < embedded_files_count && ret == E_OK; i++) {
        const struct embedded_file *f = &embedded_files[i];
        struct buf sql = BUF_INIT;
        char now[STAMP_LEN];
        int done;

        if (strncmp(f->name, "migrations/", 11) != 0)
            continue;
        db_reset(st);
        db_bind_text(st, 1, f->name + 11);
        done = db_step(st) == DB_ROW;
        db_reset(st);
        if (done)
            continue;
        stamp_now(now);
        buf_add(&sql, f->data, f->len);
        buf_addf(&sql, ";\nINSERT INTO schema_migrations (name, applied_at) VALUES ('%s', '%s');",
                 f->name + 11, now);
        if ((ret = db_exec(db, buf_cstr(&sql))) != E_OK)
            log_error("migration failed: %s (none of this run's migrations applied)",
                      f->name + 11);
        else
            n++;
        buf_free(&sql);
    }
    db_finish(st);
    if (ret == E_OK && (ret = db_commit(db)) == E_OK)
        *applied = n;
    else
        db_rollback(db);
    if (*applied)
        log_info("%d migration%s applied", *applied, *applied == 1 ? "" : "s");
    return ret;
}

/* ---- operations: the migrations' state, the integrity check, an online backup ---- */

/* Copies src into dst (size bytes), truncating. */
static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);

    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Whether schema_migrations exists (a database never migrated has none): 1, 0, or -1. */
static int has_migrations_table(struct db *db)
{
    static const char sql[] = "SELECT count(*) FROM sqlite_master"
                              " WHERE type = 'table' AND name = 'schema_migrations'";
    struct db_stmt *st = db_prepare_once(db, sql);
    int n = -1;

    if (st && db_step(st) == DB_ROW)
        n = db_col_int(st, 0) > 0;
    db_finish(st);
    return n;
}

/* Whether the row name is in schema_migrations (seen): 1, 0, or -1. */
static int migration_recorded(struct db_stmt *seen, const char *name)
{
    enum db_step rc;

    db_reset(seen);
    db_bind_text(seen, 1, name);
    rc = db_step(seen);
    db_reset(seen);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

enum err db_schema_state(struct db *db, struct db_schema *out)
{
    struct db_stmt *seen = NULL, *rows = NULL;
    struct buf name = BUF_INIT;
    enum err ret = E_DB;
    enum db_step rc = DB_DONE;
    int table = has_migrations_table(db), got;

    memset(out, 0, sizeof(*out));
    if (table < 0)
        return db_fail(db, "schema state");
    if (table && (!(seen = db_prepare_once(db, "SELECT 1 FROM schema_migrations WHERE name = ?1"))
                  || !(rows = db_prepare_once(db, "SELECT name FROM schema_migrations"
                                                  " ORDER BY name"))))
        goto out;
    for (size_t i = 0; i < embedded_files_count; i++) {
        const char *f = embedded_files[i].name;
        if (strncmp(f, "migrations/", 11) != 0)
            continue;
        if ((got = table ? migration_recorded(seen, f + 11) : 0) < 0)
            goto fail;
        if (got) {
            out->applied++;
        } else if (out->pending++ == 0) {
            copy_text(out->first_pending, sizeof(out->first_pending), f + 11);
        }
    }
    while (table && (rc = db_step(rows)) == DB_ROW) {
        buf_reset(&name);
        buf_addf(&name, "migrations/%s", db_col_text(rows, 0));
        if (!embed_find(buf_cstr(&name)) && out->unknown++ == 0)
            copy_text(out->first_unknown, sizeof(out->first_unknown), db_col_text(rows, 0));
    }
    if (table && rc != DB_DONE)
        goto fail;
    ret = E_OK;
    goto out;
fail:
    ret = db_fail(db, "schema state");
out:
    buf_free(&name);
    db_finish(seen);
    db_finish(rows);
    return ret;
}

/* PRAGMA integrity_check on conn (its first complaint only): E_OK when it says "ok"; E_INVALID
 * with the complaint, or the engine's message when the file is not a sound database at all. */
static enum err integrity(sqlite3 *conn, char *problem, size_t size)
{
    sqlite3_stmt *st = NULL;
    enum err ret = E_INVALID;
    int rc = sqlite3_prepare_v2(conn, "PRAGMA integrity_check(1)", -1, &st, NULL);

    problem[0] = '\0';
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (t && strcmp(t, "ok") == 0)
            ret = E_OK;
        else
            copy_text(problem, size, t ? t : "no answer");
    } else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) {
        copy_text(problem, size, sqlite3_errmsg(conn));
    } else {
        log_error("sqlite: integrity check: %s", sqlite3_errmsg(conn));
        ret = E_DB;
    }
    sqlite3_finalize(st);
    return ret;
}

enum err db_check(struct db *db, char *problem, size_t size)
{
    return integrity(db->conn, problem, size);
}

/* The copy is taken in one step (-1: every page), so that it is one snapshot: under WAL the
 * read does not stop writers and writers do not restart it. BUSY or LOCKED (a checkpoint, a
 * writer in rollback mode) is waited out a few times. */
enum err db_backup(struct db *db, const char *path, char *problem, size_t size)
{
    sqlite3 *dst = NULL;
    sqlite3_backup *b;
    enum err ret = E_DB;
    int rc, tries = 0;

    problem[0] = '\0';
    /* No SQLITE_OPEN_CREATE: the caller made the file, with its mode. */
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        log_error("sqlite: cannot open the copy %s: %s", path,
                  dst ? sqlite3_errmsg(dst) : "no memory");
        goto out;
    }
    if (!(b = sqlite3_backup_init(dst, "main", db->conn, "main"))) {
        log_error("sqlite: backup: %s", sqlite3_errmsg(dst));
        goto out;
    }
    while (((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
           tries++ < 100)
        sqlite3_sleep(50);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        log_error("sqlite: backup: %s", sqlite3_errstr(rc));
        goto out;
    }
    /* The copy carries the source's WAL flag; one self-contained file is what a backup is. */
    if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        log_error("sqlite: backup: %s", sqlite3_errmsg(dst));
        goto out;
    }
    ret = integrity(dst, problem, size);
out:
    sqlite3_close(dst);
    return ret;
}
