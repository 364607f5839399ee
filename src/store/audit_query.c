/* audit_query: what the audit screen reads from the trail (store/audit.h): the entries a
 * filter selects, newest first, and how many; the names beside record ids; the values a column
 * holds, offered as the filter's choices. */
#include "store/audit_internal.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "store/store_internal.h"

static const char sql_probe[] = "SELECT id, at FROM audit_log WHERE id >= ?1 ORDER BY id LIMIT 1";

/* The smallest id whose entry is stamped at or after stamp (after: strictly after), into *out
 * (0: none), by a binary search over the primary key: entries are stamped in id order
 * (audit_append never lets `at` go backwards), so about 20 probes find it in a million
 * entries, and `at` needs no index of its own (one less to write on every append). Gaps in
 * the ids (a damaged trail) are stepped over. An entry the first release stamped while the
 * clock stepped back could sit a few seconds outside its day. E_DB. */
static enum err first_stamped(struct store *s, const char *stamp, bool after, long *out)
{
    char hash[AUDIT_HASH_LEN + 1];
    struct db_stmt *st = db_prepare(s->db, sql_probe);
    long lo = 1, hi, mid, id;
    int scheme, rc, cmp;
    enum err ret;

    *out = 0;
    if (!st)
        return E_DB;
    if ((ret = audit_last_read(s, &hi, hash, &scheme, NULL)) != E_OK)
        return ret;
    while (lo <= hi) {
        mid = lo + (hi - lo) / 2;
        db_bind_int64(st, 1, mid);
        if ((rc = db_step(st)) != DB_ROW) {
            db_reset(st);
            if (rc != DB_DONE)
                return db_fail(s->db, "audit date bound");
            hi = mid - 1; /* nothing at or after mid */
            continue;
        }
        id = (long)db_col_int64(st, 0);
        cmp = strcmp(db_col_text(st, 1), stamp);
        db_reset(st);
        if (after ? cmp > 0 : cmp >= 0) {
            *out = id;
            hi = mid - 1;
        } else {
            lo = id + 1;
        }
    }
    return E_OK;
}

/* The range of ids f selects by its dates and max_id, [*lo, *hi]; a period without entries
 * gives an empty one. E_DB. */
static enum err id_range(struct store *s, const struct audit_filter *f, long *lo, long *hi)
{
    char end[32];
    long first;
    enum err ret;

    *lo = 1;
    *hi = f->max_id > 0 ? f->max_id : LONG_MAX;
    if (f->from && *f->from) {
        if ((ret = first_stamped(s, f->from, false, &first)) != E_OK)
            return ret;
        *lo = first ? first : LONG_MAX;
    }
    if (f->to && *f->to) {
        snprintf(end, sizeof(end), "%sT23:59:59.999Z", f->to); /* the day's last moment */
        if ((ret = first_stamped(s, end, true, &first)) != E_OK)
            return ret;
        if (first && first - 1 < *hi)
            *hi = first - 1; /* the entry before the first one after the day */
    }
    return E_OK;
}

/* Builds "<head> WHERE ..." for f's filters. Parameters keep fixed numbers (?1 e-mail .. ?4
 * action, ?5 and ?9 the range of ids) so binding does not depend on which filters are present;
 * the SQL text never contains input. Dates become a range of ids (id_range).
 *
 * Which index serves a filter is decided here, not left to the planner: Haven runs no ANALYZE,
 * so SQLite cannot tell a user's hundred entries from a million views, and left to itself it
 * walked a whole action's entries for a user's exports. The selective filters drive: a record
 * (its entries and the lists that named it: audit_log_record, audit_listed_record, then the
 * primary key) or a user (audit_log_user, which carries action and record_type, so that those
 * are tested in the index; with a record too the planner takes either); else action and record
 * type together (audit_log_action_type), or either alone (audit_log_action, audit_log_type);
 * else the primary key. A term the driver does not serve is written `x || '' = ?`, the same
 * comparison (both columns compare as binary text) but one no index can serve, so the planner
 * cannot pick its index instead. Each walks one index range, newest first; on a million
 * entries every count and page of the 64 shapes took under 1 ms (migration 0015's comment). */
static void filter_sql(struct buf *sql, const char *head, const struct audit_filter *f)
{
    bool record = f->record_id && *f->record_id, user = f->user_email && *f->user_email;
    const char *sep = " WHERE ";

    buf_adds(sql, head);
#define CLAUSE(cond, text)                                                                     \
    if (cond) {                                                                                \
        buf_adds(sql, sep);                                                                    \
        buf_adds(sql, text);                                                                   \
        sep = " AND ";                                                                         \
    }
    CLAUSE(user, "user_email = ?1")
    CLAUSE(f->record_type && *f->record_type,
           record || user ? "record_type || '' = ?2" : "record_type = ?2")
    /* The record's own entries and the lists that showed it (audit_listed_record): "who saw
     * this patient's record" finds both. */
    CLAUSE(record, "id IN (SELECT id FROM audit_log WHERE record_id = ?3"
                   " UNION ALL SELECT entry_id FROM audit_listed WHERE record_id = ?3)")
    CLAUSE(f->action && *f->action, record || user ? "action || '' = ?4" : "action = ?4")
    CLAUSE(f->from && *f->from, "id >= ?5")
    CLAUSE(f->max_id > 0 || (f->to && *f->to), "id <= ?9")
#undef CLAUSE
}

static void filter_bind(struct db_stmt *st, const struct audit_filter *f, long lo, long hi)
{
    const char *v[] = {f->user_email, f->record_type, f->record_id, f->action};

    for (int i = 0; i < 4; i++)
        if (v[i] && *v[i])
            db_bind_text(st, i + 1, v[i]);
    if (f->from && *f->from)
        db_bind_int64(st, 5, lo);
    if (f->max_id > 0 || (f->to && *f->to))
        db_bind_int64(st, 9, hi);
}

/* Filtered statements are prepared per call (not cached): up to 64 shapes of filter would
 * crowd the connection's cache, and the audit screen is rarely used next to the clinic's work. */
static enum err filter_prepare(struct store *s, struct buf *sql, struct db_stmt **st)
{
    *st = db_prepare_once(s->db, buf_cstr(sql));
    return *st ? E_OK : E_DB;
}

enum err store_audit_query(struct store *s, const struct audit_filter *f,
                            int (*each)(const struct audit_entry *e, void *ctx), void *ctx)
{
    struct buf sql = BUF_INIT;
    struct db_stmt *st = NULL;
    struct listing l = {0};
    struct audit_entry e;
    long lo, hi;
    enum err ret;
    int rc;

    if ((ret = id_range(s, f, &lo, &hi)) != E_OK)
        return ret;
    filter_sql(&sql, AUDIT_COLUMNS, f);
    buf_adds(&sql, " ORDER BY id DESC LIMIT ?7 OFFSET ?8");
    if ((ret = filter_prepare(s, &sql, &st)) != E_OK)
        goto out;
    filter_bind(st, f, lo, hi);
    db_bind_int64(st, 7, f->limit > 0 ? f->limit : INT64_MAX); /* no LIMIT -1 in PostgreSQL */
    db_bind_int64(st, 8, f->offset > 0 ? f->offset : 0);
    while ((rc = db_step(st)) == DB_ROW) {
        audit_row_read(st, &e);
        if ((ret = audit_listing_read(s, e.id, &l)) != E_OK)
            goto out;
        audit_listing_attach(&l, &e);
        if (each(&e, ctx) != 0) {
            rc = DB_DONE;
            break;
        }
    }
    ret = rc == DB_DONE ? E_OK : db_fail(s->db, "audit query");
out:
    db_finish(st);
    buf_free(&sql);
    audit_listing_free(&l);
    return ret;
}

/* Counts through a LIMIT so that a broad filter on a large trail stops at cap instead of
 * counting a million index entries on every page view. */
enum err store_audit_count(struct store *s, const struct audit_filter *f, long cap, long *n)
{
    struct buf sql = BUF_INIT;
    struct db_stmt *st = NULL;
    long lo, hi;
    enum err ret;

    if ((ret = id_range(s, f, &lo, &hi)) != E_OK)
        return ret;
    filter_sql(&sql, "SELECT count(*) FROM (SELECT 1 FROM audit_log", f);
    buf_adds(&sql, " LIMIT ?10) AS q"); /* PostgreSQL wants the alias */
    if ((ret = filter_prepare(s, &sql, &st)) != E_OK)
        goto out;
    filter_bind(st, f, lo, hi);
    db_bind_int64(st, 10, cap > 0 ? cap : INT64_MAX);
    if (db_step(st) == DB_ROW) {
        *n = (long)db_col_int64(st, 0);
        ret = E_OK;
    } else {
        ret = db_fail(s->db, "audit count");
    }
out:
    db_finish(st);
    buf_free(&sql);
    return ret;
}

/* ---- what the screen shows beside the entries -------------------------------------------- */

static const char sql_name_referral[] = "SELECT name FROM referrals WHERE public_id = ?1";
static const char sql_name_patient[] =
    "SELECT first_name || ' ' || last_name FROM patients WHERE public_id = ?1";
static const char sql_name_consent[] =
    "SELECT p.first_name || ' ' || p.last_name FROM consents c"
    " JOIN patients p ON p.id = c.patient_id WHERE c.public_id = ?1";
static const char sql_name_user[] = "SELECT name FROM users WHERE public_id = ?1";

/* Where a record type's ids are looked up, in order: the first that knows the id names it. */
static const struct name_source {
    const char *record_type;
    enum audit_name_kind kind;
    const char *sql;
} name_sources[] = {
    {"referral", AUDIT_NAME_REFERRAL, sql_name_referral},
    {"patient", AUDIT_NAME_PATIENT, sql_name_patient},
    {"patient", AUDIT_NAME_REFERRAL, sql_name_referral},
    {"consent", AUDIT_NAME_PATIENT, sql_name_consent},
    {"consent", AUDIT_NAME_PATIENT, sql_name_patient},
    {"user", AUDIT_NAME_USER, sql_name_user},
    {"session", AUDIT_NAME_USER, sql_name_user},
};

enum err store_audit_name(struct store *s, const char *record_type, const char *id,
                          enum audit_name_kind *kind, char *name, size_t size)
{
    struct db_stmt *st;
    int rc = DB_DONE;

    *kind = AUDIT_NAME_NONE;
    name[0] = '\0';
    for (size_t i = 0; i < sizeof(name_sources) / sizeof(name_sources[0]) && rc == DB_DONE;
         i++) {
        const struct name_source *n = &name_sources[i];
        if (!record_type || !id || strcmp(n->record_type, record_type) != 0)
            continue;
        if (!(st = db_prepare(s->db, n->sql)))
            return E_DB;
        db_bind_text(st, 1, id);
        if ((rc = db_step(st)) == DB_ROW) {
            *kind = n->kind;
            snprintf(name, size, "%s", db_col_text(st, 0));
        }
        db_reset(st);
    }
    return rc == DB_ROW || rc == DB_DONE ? E_OK : db_fail(s->db, "audit name");
}

/* One index probe per distinct value (a loose index scan): the next value after the last. */
#define VALUES_SQL(col)                                                                        \
    "WITH RECURSIVE v (x) AS (SELECT min(" col ") FROM audit_log"                              \
    " UNION ALL SELECT (SELECT " col " FROM audit_log WHERE " col " > v.x ORDER BY " col       \
    " LIMIT 1) FROM v WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL LIMIT ?1"

static const char sql_values_action[] = VALUES_SQL("action");
static const char sql_values_type[] = VALUES_SQL("record_type");

enum err store_audit_values(struct store *s, enum audit_column c, long max,
                            int (*each)(const char *value, void *ctx), void *ctx)
{
    struct db_stmt *st = db_prepare(s->db, c == AUDIT_COL_ACTION ? sql_values_action
                                                                 : sql_values_type);
    int rc;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, max > 0 ? max : INT64_MAX);
    while ((rc = db_step(st)) == DB_ROW)
        if (each(db_col_text(st, 0), ctx) != 0) {
            rc = DB_DONE;
            break;
        }
    db_reset(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "audit values");
}
