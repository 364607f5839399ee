/* sqlite_audit: SQLite implementation of store_audit.h. Appending is one indexed read of the
 * last row and one insert under the write lock (BEGIN IMMEDIATE), so concurrent workers extend
 * one chain; the verify walk steps through the rows one at a time. */
#include "store/sqlite_internal.h"
#include "store/store_audit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"

#define COLUMNS                                                                                \
    "SELECT id, at, user_id, user_email, roles, action, record_type, record_id, outcome,"      \
    " client, prev_hash, hash FROM audit_log"

static const char sql_last[] = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";
static const char sql_insert[] =
    "INSERT INTO audit_log (id, at, user_id, user_email, roles, action, record_type, record_id,"
    " outcome, client, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
static const char sql_walk[] = COLUMNS " ORDER BY id";

/* UTC now as "YYYY-MM-DDTHH:MM:SS.mmmZ" (24 characters). */
static void now_ms(char out[32])
{
    struct timespec ts;
    struct tm tm;
    char secs[24];

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(secs, sizeof(secs), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 32, "%s.%03dZ", secs, (int)(ts.tv_nsec / 1000000));
}

static void read_entry(sqlite3_stmt *st, struct audit_entry *e)
{
    e->id = (long)sqlite3_column_int64(st, 0);
    e->at = sqlite_col(st, 1);
    e->user_id = (long)sqlite3_column_int64(st, 2);
    e->user_email = sqlite_col(st, 3);
    e->roles = sqlite_col(st, 4);
    e->action = sqlite_col(st, 5);
    e->record_type = sqlite_col(st, 6);
    e->record_id = sqlite3_column_type(st, 7) == SQLITE_NULL ? NULL : sqlite_col(st, 7);
    e->outcome = sqlite_col(st, 8);
    e->client = sqlite_col(st, 9);
    e->prev_hash = sqlite_col(st, 10);
    e->hash = sqlite_col(st, 11);
}

static enum err audit_append(struct store *base, const struct audit_entry *in, long *id)
{
    struct sqlite_store *s = sqlite_of(base);
    struct audit_entry e = *in;
    char at[32], prev[AUDIT_HASH_LEN + 1], hash[AUDIT_HASH_LEN + 1];
    bool own = sqlite3_get_autocommit(s->db) != 0;
    sqlite3_stmt *st;
    enum err ret = E_DB;
    int rc;

    /* Inside the caller's write transaction the lock is already held; else take it now, so no
     * other connection appends between reading the last hash and inserting. */
    if (own && sqlite_begin(s) != E_OK)
        return E_DB;
    if (!(st = sqlite_stmt(s, sql_last)))
        goto out;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        e.id = (long)sqlite3_column_int64(st, 0) + 1;
        snprintf(prev, sizeof(prev), "%s", sqlite_col(st, 1));
    } else if (rc == SQLITE_DONE) {
        e.id = 1;
        memcpy(prev, audit_chain_genesis, sizeof(prev));
    } else {
        ret = sqlite_fail(s, "audit last");
        goto out;
    }
    sqlite3_reset(st);
    now_ms(at);
    e.at = at;
    e.prev_hash = prev;
    if (audit_chain_hash(&e, hash) < 0) {
        ret = E_INVALID;
        goto out;
    }
    if (!(st = sqlite_stmt(s, sql_insert)))
        goto out;
    sqlite3_bind_int64(st, 1, e.id);
    sqlite3_bind_text(st, 2, e.at, -1, SQLITE_STATIC);
    if (e.user_id)
        sqlite3_bind_int64(st, 3, e.user_id);
    sqlite3_bind_text(st, 4, e.user_email, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e.roles, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e.action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, e.record_type, -1, SQLITE_STATIC);
    if (e.record_id)
        sqlite3_bind_text(st, 8, e.record_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, e.outcome, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, e.client, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, e.prev_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, hash, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc == SQLITE_CONSTRAINT) {
        log_warn("audit: entry refused by the table's checks");
        ret = E_INVALID;
        goto out;
    }
    if (rc != SQLITE_DONE) {
        ret = sqlite_fail(s, "audit insert");
        goto out;
    }
    if (own && sqlite_commit(s) != E_OK) {
        own = false; /* sqlite_commit rolled back */
        goto out;
    }
    own = false;
    if (id)
        *id = e.id;
    ret = E_OK;
out:
    if (own)
        sqlite_rollback(s);
    return ret;
}

/* Builds "<head> WHERE ..." for f's filters. Parameters keep fixed numbers (?1 e-mail .. ?6 to,
 * ?9 max_id)
 * so binding does not depend on which filters are present; the SQL text never contains input. */
static void filter_sql(struct buf *sql, const char *head, const struct audit_filter *f)
{
    const char *sep = " WHERE ";

    buf_adds(sql, head);
#define CLAUSE(field, text)                                                                    \
    if (f->field && *f->field) {                                                               \
        buf_adds(sql, sep);                                                                    \
        buf_adds(sql, text);                                                                   \
        sep = " AND ";                                                                         \
    }
    CLAUSE(user_email, "user_email = ?1")
    CLAUSE(record_type, "record_type = ?2")
    CLAUSE(record_id, "record_id = ?3")
    CLAUSE(action, "action = ?4")
    CLAUSE(from, "at >= ?5")
    CLAUSE(to, "at <= ?6 || 'T23:59:59.999Z'") /* the last moment of that day */
#undef CLAUSE
    if (f->max_id > 0) {
        buf_adds(sql, sep);
        buf_adds(sql, "id <= ?9");
    }
}

static void filter_bind(sqlite3_stmt *st, const struct audit_filter *f)
{
    const char *v[] = {f->user_email, f->record_type, f->record_id, f->action, f->from, f->to};

    for (int i = 0; i < 6; i++)
        if (v[i] && *v[i])
            sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
    if (f->max_id > 0)
        sqlite3_bind_int64(st, 9, f->max_id);
}

/* Filtered statements are prepared per call (not cached): up to 64 shapes of filter would
 * crowd the connection's cache, and the audit screen is rarely used next to the clinic's work. */
static enum err filter_prepare(struct sqlite_store *s, struct buf *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(s->db, buf_cstr(sql), -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return sqlite_fail(s, "audit filter prepare");
    }
    return E_OK;
}

static enum err audit_query(struct store *base, const struct audit_filter *f,
                            int (*each)(const struct audit_entry *e, void *ctx), void *ctx)
{
    struct sqlite_store *s = sqlite_of(base);
    struct buf sql = BUF_INIT;
    sqlite3_stmt *st = NULL;
    struct audit_entry e;
    enum err ret;
    int rc;

    filter_sql(&sql, COLUMNS, f);
    buf_adds(&sql, " ORDER BY id DESC LIMIT ?7 OFFSET ?8");
    if ((ret = filter_prepare(s, &sql, &st)) != E_OK)
        goto out;
    filter_bind(st, f);
    sqlite3_bind_int64(st, 7, f->limit > 0 ? f->limit : -1);
    sqlite3_bind_int64(st, 8, f->offset > 0 ? f->offset : 0);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_entry(st, &e);
        if (each(&e, ctx) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    ret = rc == SQLITE_DONE ? E_OK : sqlite_fail(s, "audit query");
out:
    sqlite3_finalize(st);
    buf_free(&sql);
    return ret;
}

static enum err audit_count(struct store *base, const struct audit_filter *f, long *n)
{
    struct sqlite_store *s = sqlite_of(base);
    struct buf sql = BUF_INIT;
    sqlite3_stmt *st = NULL;
    enum err ret;

    filter_sql(&sql, "SELECT count(*) FROM audit_log", f);
    if ((ret = filter_prepare(s, &sql, &st)) != E_OK)
        goto out;
    filter_bind(st, f);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *n = (long)sqlite3_column_int64(st, 0);
        ret = E_OK;
    } else {
        ret = sqlite_fail(s, "audit count");
    }
out:
    sqlite3_finalize(st);
    buf_free(&sql);
    return ret;
}

/* Checks one entry against the one before it (prev_id 0 and the genesis hash for the first);
 * 0 when it holds, else -1 with out->reason set. */
static int check_link(const struct audit_entry *e, long prev_id, const char *prev_hash,
                      struct audit_verify *out)
{
    char hash[AUDIT_HASH_LEN + 1];

    if (strcmp(e->prev_hash, prev_hash) != 0) {
        if (prev_id == 0)
            snprintf(out->reason, sizeof(out->reason),
                     "it does not start the chain (an entry before it is missing)");
        else if (e->id != prev_id + 1)
            snprintf(out->reason, sizeof(out->reason),
                     "entries %ld to %ld are missing (prev_hash does not match entry %ld)",
                     prev_id + 1, e->id - 1, prev_id);
        else
            snprintf(out->reason, sizeof(out->reason),
                     "prev_hash does not match the hash of entry %ld", prev_id);
        return -1;
    }
    if (audit_chain_hash(e, hash) < 0 || strcmp(hash, e->hash) != 0) {
        snprintf(out->reason, sizeof(out->reason),
                 "its content does not match its hash (changed after it was written)");
        return -1;
    }
    if (e->id != prev_id + 1) {
        snprintf(out->reason, sizeof(out->reason), "its id follows %ld (entries are missing)",
                 prev_id);
        return -1;
    }
    return 0;
}

static enum err audit_verify(struct store *base, struct audit_verify *out)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st = sqlite_stmt(s, sql_walk);
    char prev_hash[AUDIT_HASH_LEN + 1];
    struct audit_entry e;
    long prev_id = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!st)
        return E_DB;
    memcpy(prev_hash, audit_chain_genesis, sizeof(prev_hash));
    /* One read transaction for the walk: a consistent snapshot even while others append. */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_entry(st, &e);
        out->entries++;
        if (check_link(&e, prev_id, prev_hash, out) < 0) {
            out->broken_id = e.id;
            break;
        }
        prev_id = e.id;
        snprintf(prev_hash, sizeof(prev_hash), "%s", e.hash);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlite_fail(s, "audit verify");
    return E_OK;
}

const struct store_audit_ops sqlite_audit_ops = {
    .name = "sqlite",
    .append = audit_append,
    .query = audit_query,
    .count = audit_count,
    .verify = audit_verify,
};
