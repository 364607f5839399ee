/* store_sqlite: SQLite backend. One connection per worker thread, WAL, prepared statements
 * kept for the connection's life, every write in one transaction. */
#include "store/store_sqlite.h"
#include "store/sqlite_internal.h"
#include "store/store_audit.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/rand.h"
#include "core/xalloc.h"

#define SQL_REFERRAL_ADD                                                                       \
    "INSERT INTO referrals (public_id, created_at, name, phone, email, best_time,"             \
    " voicemail_ok, consent_at, answers, result, spec_version, level, flags)"                  \
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?2, ?8, ?9, ?10, ?11, ?12)"
static const char sql_referral_add[] = SQL_REFERRAL_ADD;
static const char sql_referral_count[] = "SELECT count(*) FROM referrals";
static const char sql_data_version[] = "PRAGMA data_version";
static const char sql_tracks[] =
    "SELECT t.code, t.name, t.summary, s.weekday, s.starts, s.ends, s.title, s.kind"
    " FROM tracks t JOIN track_sessions s ON s.track_id = t.id"
    " ORDER BY t.position, s.weekday, s.starts";

struct sqlite_store *sqlite_of(struct store *s)
{
    return (struct sqlite_store *)s;
}

enum err sqlite_fail(struct sqlite_store *s, const char *what)
{
    log_error("sqlite: %s: %s", what, sqlite3_errmsg(s->db));
    return E_DB;
}

sqlite3_stmt *sqlite_stmt(struct sqlite_store *s, const char *sql)
{
    size_t i;

    for (i = 0; i < SQLITE_STMT_CACHE && s->stmt_sql[i]; i++) {
        if (s->stmt_sql[i] == sql) {
            sqlite3_reset(s->stmt[i]);
            sqlite3_clear_bindings(s->stmt[i]);
            return s->stmt[i];
        }
    }
    if (i == SQLITE_STMT_CACHE) {
        log_error("sqlite: statement cache full");
        return NULL;
    }
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[i], NULL)) {
        sqlite_fail(s, "prepare");
        return NULL;
    }
    s->stmt_sql[i] = sql;
    return s->stmt[i];
}

enum err sqlite_exec(struct sqlite_store *s, const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("sqlite: %s", msg ? msg : "exec failed");
        sqlite3_free(msg);
        return E_DB;
    }
    return E_OK;
}

enum err sqlite_begin(struct sqlite_store *s)
{
    return sqlite_exec(s, "BEGIN IMMEDIATE");
}

enum err sqlite_commit(struct sqlite_store *s)
{
    if (sqlite_exec(s, "COMMIT") != E_OK) {
        sqlite_rollback(s);
        return E_DB;
    }
    return E_OK;
}

void sqlite_rollback(struct sqlite_store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite_exec(s, "ROLLBACK");
}

/* Runs sql (several statements) inside one transaction: all of it lands or none does. */
static enum err exec_tx(struct sqlite_store *s, const char *sql)
{
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (sqlite_exec(s, sql) != E_OK) {
        sqlite_rollback(s);
        return E_DB;
    }
    return sqlite_commit(s);
}

void sqlite_now(char out[32])
{
    struct timespec ts;
    struct tm tm;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void sqlite_bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

const char *sqlite_col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static void sqlite_close(struct store *base)
{
    struct sqlite_store *s = sqlite_of(base);

    for (int i = 0; i < SQLITE_STMT_CACHE; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->db);
    free(s);
}

static enum err sqlite_migrate(struct store *base, int *applied)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st = NULL;
    enum err ret = E_OK;

    *applied = 0;
    if (sqlite_exec(s, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " name TEXT PRIMARY KEY, applied_at TEXT NOT NULL) STRICT") != E_OK)
        return E_DB;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM schema_migrations WHERE name = ?1", -1, &st,
                           NULL))
        return sqlite_fail(s, "prepare");
    /* The embedded table is sorted by name, so migrations run in their numbered order. */
    for (size_t i = 0; i < embedded_files_count && ret == E_OK; i++) {
        const struct embedded_file *f = &embedded_files[i];
        struct buf sql = BUF_INIT;
        char now[32];
        int done;

        if (strncmp(f->name, "migrations/", 11) != 0)
            continue;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, f->name + 11, -1, SQLITE_STATIC);
        done = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_reset(st);
        if (done)
            continue;
        sqlite_now(now);
        buf_add(&sql, f->data, f->len);
        buf_addf(&sql, ";\nINSERT INTO schema_migrations (name, applied_at) VALUES ('%s', '%s');",
                 f->name + 11, now);
        ret = exec_tx(s, buf_cstr(&sql));
        buf_free(&sql);
        if (ret == E_OK) {
            log_info("migration applied: %s", f->name + 11);
            (*applied)++;
        }
    }
    sqlite3_finalize(st);
    return ret;
}

static enum err sqlite_referral_add(struct store *base, struct referral *r)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st = sqlite_stmt(s, sql_referral_add);
    char now[32];
    int rc;

    if (!st)
        return E_DB;
    rand_hex(r->public_id, 16);
    sqlite_now(now);
    sqlite3_bind_text(st, 1, r->public_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->phone, -1, SQLITE_STATIC);
    sqlite_bind_text_or_null(st, 5, r->email);
    sqlite3_bind_text(st, 6, r->best_time, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, r->voicemail_ok);
    sqlite3_bind_text(st, 8, r->answers, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, r->result, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, r->spec_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, r->level, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, r->flags, -1, SQLITE_STATIC);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        sqlite_rollback(s);
        return rc == SQLITE_CONSTRAINT ? E_INVALID : sqlite_fail(s, "referral insert");
    }
    if (r->audit) {
        r->audit->record_id = r->public_id;
        if (store_audit_append(base, r->audit) != E_OK) {
            sqlite_rollback(s);
            return E_DB;
        }
    }
    return sqlite_commit(s);
}

static enum err sqlite_referral_count(struct store *base, long *n)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st = sqlite_stmt(s, sql_referral_count);
    enum err ret = E_DB;

    if (st && sqlite3_step(st) == SQLITE_ROW) {
        *n = (long)sqlite3_column_int64(st, 0);
        ret = E_OK;
    }
    if (st)
        sqlite3_reset(st);
    return ret;
}

static const char *const weekdays[] = {"",         "Monday", "Tuesday",  "Wednesday",
                                       "Thursday", "Friday", "Saturday", "Sunday"};

static int minutes(const char *hhmm)
{
    return ((hhmm[0] - '0') * 10 + (hhmm[1] - '0')) * 60 + (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
}

/* Groups the joined rows into tracks -> days -> sessions, and sums scheduled hours. */
static enum err sqlite_tracks_list(struct store *base, json_t **out)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st = sqlite_stmt(s, sql_tracks);
    json_t *tracks = json_array(), *track = NULL, *day = NULL;
    int last_day = 0, rc, track_minutes = 0;

    if (!st) {
        json_decref(tracks);
        return E_DB;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int wd = sqlite3_column_int(st, 3);
        if (!track || strcmp(json_string_value(json_object_get(track, "code")), sqlite_col(st, 0))) {
            track = json_pack("{s:s, s:s, s:s, s:[]}", "code", sqlite_col(st, 0), "name", sqlite_col(st, 1),
                              "summary", sqlite_col(st, 2), "days");
            json_array_append_new(tracks, track);
            track_minutes = 0;
            last_day = 0;
        }
        if (wd != last_day) {
            day = json_pack("{s:s, s:[]}", "day", wd >= 1 && wd <= 7 ? weekdays[wd] : "?",
                            "sessions");
            json_array_append_new(json_object_get(track, "days"), day);
            last_day = wd;
        }
        track_minutes += minutes(sqlite_col(st, 5)) - minutes(sqlite_col(st, 4));
        json_object_set_new(track, "hours_per_week", json_real(track_minutes / 60.0));
        json_array_append_new(json_object_get(day, "sessions"),
                              json_pack("{s:s, s:s, s:s, s:s}", "starts", sqlite_col(st, 4), "ends",
                                        sqlite_col(st, 5), "title", sqlite_col(st, 6), "kind", sqlite_col(st, 7)));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(tracks);
        return sqlite_fail(s, "tracks");
    }
    *out = tracks;
    return E_OK;
}

static enum err sqlite_demo_seed(struct store *base)
{
    const struct embedded_file *f = embed_find("demo/tracks.sql");
    return f ? exec_tx(sqlite_of(base), (const char *)f->data) : E_NOTFOUND;
}

/* PRAGMA data_version moves when other connections commit; total_changes when this one does. */
static enum err sqlite_data_version(struct store *base, long long *out)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st = sqlite_stmt(s, sql_data_version);
    enum err ret = E_DB;

    if (st && sqlite3_step(st) == SQLITE_ROW) {
        *out = (sqlite3_column_int64(st, 0) << 32) ^ (long long)sqlite3_total_changes64(s->db);
        ret = E_OK;
    }
    if (st)
        sqlite3_reset(st);
    return ret;
}

static const struct store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .migrate = sqlite_migrate,
    .referral_add = sqlite_referral_add,
    .referral_count = sqlite_referral_count,
    .tracks_list = sqlite_tracks_list,
    .demo_seed = sqlite_demo_seed,
    .data_version = sqlite_data_version,
    .staff = &sqlite_staff_ops,
    .audit = &sqlite_audit_ops,
    .admissions = &sqlite_admissions_ops,
};

enum err store_sqlite_open(const char *path, struct store **out)
{
    struct sqlite_store *s = xcalloc(1, sizeof(*s));
    int rc;

    s->base.ops = &sqlite_ops;
    rc = sqlite3_open_v2(path, &s->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        log_error("sqlite: cannot open %s: %s", path, s->db ? sqlite3_errmsg(s->db) : "no memory");
        sqlite_close(&s->base);
        return E_DB;
    }
    sqlite3_busy_timeout(s->db, 5000);
    if (sqlite_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;") != E_OK) {
        sqlite_close(&s->base);
        return E_DB;
    }
    *out = &s->base;
    return E_OK;
}
