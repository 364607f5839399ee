/* audit: the audit trail of store/audit.h. Appending reads the last row and the
 * head anchor, inserts the entry and its listing (audit_listed) and moves the anchor, all under
 * the write lock (BEGIN IMMEDIATE), so concurrent workers extend one chain; the verify walk
 * steps through the rows one at a time, and through the listings in step with them. */
#include "store/audit.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "store/stamp.h"
#include "store/store_internal.h"

#define COLUMNS                                                                                \
    "SELECT id, at, user_id, user_email, roles, action, record_type, record_id, outcome,"      \
    " client, prev_hash, hash, scheme FROM audit_log"

static const char sql_last[] =
    "SELECT id, hash, scheme, at FROM audit_log ORDER BY id DESC LIMIT 1";
static const char sql_insert[] =
    "INSERT INTO audit_log (id, at, user_id, user_email, roles, action, record_type, record_id,"
    " outcome, client, prev_hash, hash, scheme)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
static const char sql_head[] =
    "SELECT last_id, last_hash, mac, first_keyed_id, mac_scheme FROM audit_head WHERE one = 1";
static const char sql_head_move[] =
    "UPDATE audit_head SET last_id = ?1, last_hash = ?2, mac = ?3, first_keyed_id = ?4,"
    " mac_scheme = 2 WHERE one = 1";
/* The row secrets_init writes when a database first gets its secret key file. */
static const char sql_key_check[] = "SELECT 1 FROM settings WHERE key = 'secret_key_check'";
static const char sql_any_user[] = "SELECT 1 FROM users LIMIT 1";
static const char sql_walk[] = COLUMNS " ORDER BY id";
static const char sql_listed_insert[] =
    "INSERT INTO audit_listed (entry_id, pos, record_id) VALUES (?1, ?2, ?3)";
static const char sql_listed_of[] =
    "SELECT record_id FROM audit_listed WHERE entry_id = ?1 ORDER BY pos";
static const char sql_listed_walk[] =
    "SELECT entry_id, record_id FROM audit_listed ORDER BY entry_id, pos";

/* A listing as read back: owned copies of the ids, which an entry's listed points into. */
struct listing {
    char **ids;
    size_t n, cap;
};

static void listing_add(struct listing *l, const char *id)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->ids = xrealloc(l->ids, l->cap * sizeof(*l->ids));
    }
    l->ids[l->n++] = xstrdup(id);
}

static void listing_clear(struct listing *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->ids[i]);
    l->n = 0;
}

static void listing_free(struct listing *l)
{
    listing_clear(l);
    free(l->ids);
    *l = (struct listing){0};
}

static void listing_attach(const struct listing *l, struct audit_entry *e)
{
    e->listed = (const char *const *)l->ids;
    e->n_listed = l->n;
}

/* Entry id's listing into l (emptied first). E_DB. */
static enum err listing_read(struct store *s, long id, struct listing *l)
{
    struct db_stmt *st = db_prepare(s->db, sql_listed_of);
    int rc;

    listing_clear(l);
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, id);
    while ((rc = db_step(st)) == DB_ROW)
        listing_add(l, db_col_text(st, 0));
    db_reset(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "audit listing");
}

/* Writes e's listing (e->id set) inside the append's transaction. E_INVALID when the table
 * refuses an id (over 64 characters), E_DB. */
static enum err listing_insert(struct store *s, const struct audit_entry *e)
{
    struct db_stmt *st;
    int rc = DB_DONE;

    if (!e->n_listed)
        return E_OK;
    if (!(st = db_prepare(s->db, sql_listed_insert)))
        return E_DB;
    for (size_t i = 0; i < e->n_listed && rc == DB_DONE; i++) {
        db_bind_int64(st, 1, e->id);
        db_bind_int64(st, 2, (int64_t)i);
        db_bind_text(st, 3, e->listed[i]);
        rc = db_step(st);
        db_reset(st);
    }
    if (rc == DB_CONSTRAINT) {
        log_warn("audit: a listed id refused by the table's checks");
        return E_INVALID;
    }
    return rc == DB_DONE ? E_OK : db_fail(s->db, "audit listing insert");
}

static void read_entry(struct db_stmt *st, struct audit_entry *e)
{
    e->id = (long)db_col_int64(st, 0);
    e->at = db_col_text(st, 1);
    e->user_id = (long)db_col_int64(st, 2);
    e->user_email = db_col_text(st, 3);
    e->roles = db_col_text(st, 4);
    e->action = db_col_text(st, 5);
    e->record_type = db_col_text(st, 6);
    e->record_id = db_col_is_null(st, 7) ? NULL : db_col_text(st, 7);
    e->outcome = db_col_text(st, 8);
    e->client = db_col_text(st, 9);
    e->prev_hash = db_col_text(st, 10);
    e->hash = db_col_text(st, 11);
    e->scheme = db_col_int(st, 12);
    e->listed = NULL;
    e->n_listed = 0;
}

/* The head anchor's row (audit_head). */
struct head {
    bool present;
    long last_id;
    char last_hash[AUDIT_HASH_LEN + 1];
    bool sealed; /* mac is set (not yet checked) */
    char mac[AUDIT_HASH_LEN + 1];
    long first_keyed_id; /* 0: no keyed entry recorded */
    int mac_scheme;      /* enum audit_head_scheme */
};

static enum err head_read(struct store *s, struct head *h)
{
    struct db_stmt *st = db_prepare(s->db, sql_head);
    int rc;

    memset(h, 0, sizeof(*h));
    if (!st)
        return E_DB;
    rc = db_step(st);
    if (rc == DB_ROW) {
        h->present = true;
        h->last_id = (long)db_col_int64(st, 0);
        snprintf(h->last_hash, sizeof(h->last_hash), "%s", db_col_text(st, 1));
        h->sealed = !db_col_is_null(st, 2);
        snprintf(h->mac, sizeof(h->mac), "%s", db_col_text(st, 2));
        h->first_keyed_id = (long)db_col_int64(st, 3);
        h->mac_scheme = db_col_int(st, 4);
    }
    db_reset(st);
    if (rc != DB_ROW && rc != DB_DONE)
        return db_fail(s->db, "audit head");
    return E_OK;
}

/* Whether h's MAC holds under k (in the form its mac_scheme names). */
static bool head_mac_holds(const struct head *h, const struct audit_key *k)
{
    char mac[AUDIT_HASH_LEN + 1];
    int rc = h->mac_scheme == AUDIT_HEAD_V2
                 ? audit_chain_head_mac2(k, h->last_id, h->last_hash, h->first_keyed_id, mac)
                 : audit_chain_head_mac(k, h->last_id, h->last_hash, mac);

    return k && h->sealed && rc == 0 && audit_chain_hash_equal(mac, h->mac);
}

/* One row's existence (sql_key_check, sql_any_user): 1, 0, or -1 (logged). */
static int row_exists(struct store *s, const char *sql)
{
    struct db_stmt *st = db_prepare(s->db, sql);
    int rc;

    if (!st)
        return -1;
    rc = db_step(st);
    db_reset(st);
    if (rc != DB_ROW && rc != DB_DONE) {
        db_fail(s->db, "audit key check");
        return -1;
    }
    return rc == DB_ROW;
}

/* Points the anchor at (id, hash) with first_keyed_id, sealed with k (form 2) when k is set. */
static enum err head_move(struct store *s, const struct audit_key *k, long id,
                          const char *hash, long first_keyed_id)
{
    char mac[AUDIT_HASH_LEN + 1];
    struct db_stmt *st;
    int rc;

    if (k && audit_chain_head_mac2(k, id, hash, first_keyed_id, mac) < 0)
        return E_INVALID;
    if (!(st = db_prepare(s->db, sql_head_move)))
        return E_DB;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, hash);
    if (k)
        db_bind_text(st, 3, mac);
    if (first_keyed_id > 0)
        db_bind_int64(st, 4, first_keyed_id);
    rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "audit head move");
}

/* The newest entry's id, hash, scheme and time (at may be NULL): 0, the genesis hash, 0 and ""
 * for an empty trail. */
static enum err last_read(struct store *s, long *id, char hash[AUDIT_HASH_LEN + 1],
                          int *scheme, char at[32])
{
    struct db_stmt *st = db_prepare(s->db, sql_last);
    int rc;

    if (!st)
        return E_DB;
    *id = 0;
    *scheme = 0;
    if (at)
        at[0] = '\0';
    memcpy(hash, audit_chain_genesis, AUDIT_HASH_LEN + 1);
    rc = db_step(st);
    if (rc == DB_ROW) {
        *id = (long)db_col_int64(st, 0);
        snprintf(hash, AUDIT_HASH_LEN + 1, "%s", db_col_text(st, 1));
        *scheme = db_col_int(st, 2);
        if (at)
            snprintf(at, 32, "%s", db_col_text(st, 3));
    }
    db_reset(st);
    if (rc != DB_ROW && rc != DB_DONE)
        return db_fail(s->db, "audit last");
    return E_OK;
}

static bool head_matches(const struct head *h, long last_id, const char *last_hash)
{
    return h->present && h->last_id == last_id && strcmp(h->last_hash, last_hash) == 0;
}

/* The rule for sealing an unsealed anchor (h matches the newest entry, last_id), at start-up
 * (audit_seal) or by the operator (adopt); never on an append:
 *
 * Sealing blesses whatever the trail holds, and anyone with write access to the database file
 * can make it hold anything unkeyed: delete entries, re-chain the rest as scheme 1, set the MAC
 * and first_keyed_id to NULL and delete the secret_key_check setting. Nothing in the file tells
 * that forgery from a genuinely unkeyed trail, so the rows cannot decide: a process holding the
 * key knows from the key file's existence that the database has had a key, and seals by itself
 * only a new database, whose trail is empty and which has no staff account yet (its first
 * start: secrets_init has just made the key file); anything else only when the operator adopts
 * it explicitly (`haven audit seal`, adopt), having checked it. Otherwise the anchor stays
 * unsealed (appends still go through, keyed, and move it unsealed) and `haven audit verify`
 * fails until an operator looks. 1 may seal, 0 may not, -1 error. */
static int may_seal(struct store *s, const struct head *h, long last_id, bool adopt)
{
    int users;

    if (h->sealed)
        return 0;
    if (adopt)
        return 1;
    if (last_id != 0 || h->first_keyed_id > 0)
        return 0;
    if ((users = row_exists(s, sql_any_user)) < 0)
        return -1;
    return !users;
}

static enum err audit_append(struct store *s, const struct audit_entry *in, long *id)
{
    const struct audit_key *k = audit_chain_key();
    struct audit_entry e = *in;
    char at[STAMP_LEN], last_at[STAMP_LEN], prev[AUDIT_HASH_LEN + 1], hash[AUDIT_HASH_LEN + 1];
    bool own = !db_in_transaction(s->db);
    struct head h;
    long last_id, first_keyed;
    int last_scheme;
    struct db_stmt *st;
    enum err ret = E_DB;
    int rc;

    /* Inside the caller's write transaction the lock is already held; else take it now, so no
     * other connection appends between reading the last hash and inserting. */
    if (own && db_begin(s->db) != E_OK)
        return E_DB;
    if ((ret = last_read(s, &last_id, prev, &last_scheme, last_at)) != E_OK ||
        (ret = head_read(s, &h)) != E_OK)
        goto out;
    ret = E_INVALID;
    /* A list entry names its records in its listing, not in record_id. */
    if (e.n_listed && e.record_id) {
        log_warn("audit: a list entry with a record id as well refused");
        goto out;
    }
    ret = E_DB;
    /* Never a downgrade: once the trail is keyed, an unkeyed link would be one anyone could
     * forge. A process that appends must have loaded the key (audit_key_init). */
    if (!k && (audit_scheme_keyed(last_scheme) || h.sealed || h.first_keyed_id > 0)) {
        log_error("audit: the trail is keyed and this process has no audit key: entry refused");
        goto out;
    }
    e.id = last_id + 1;
    /* Scheme 4 covers the listing always; 3 is what an entry without one has been since 0011. */
    e.scheme = !k ? AUDIT_SCHEME_SHA256 : e.n_listed ? AUDIT_SCHEME_HMAC4 : AUDIT_SCHEME_HMAC3;
    first_keyed = h.first_keyed_id > 0 ? h.first_keyed_id : k ? e.id : 0;
    stamp_now_ms(at);
    /* Times never go backwards along the ids (a clock stepped back stamps the previous time):
     * the date filters rely on it (filter_sql). Both are fixed-width UTC, so text order is
     * time order. */
    if (strlen(last_at) == 24 && strcmp(at, last_at) < 0)
        memcpy(at, last_at, 25);
    e.at = at;
    e.prev_hash = prev;
    if (audit_chain_entry_hash(&e, k, hash) < 0) {
        ret = E_INVALID;
        goto out;
    }
    if (!(st = db_prepare(s->db, sql_insert)))
        goto out;
    db_bind_int64(st, 1, e.id);
    db_bind_text(st, 2, e.at);
    if (e.user_id)
        db_bind_int64(st, 3, e.user_id);
    db_bind_text(st, 4, e.user_email);
    db_bind_text(st, 5, e.roles);
    db_bind_text(st, 6, e.action);
    db_bind_text(st, 7, e.record_type);
    if (e.record_id)
        db_bind_text(st, 8, e.record_id);
    db_bind_text(st, 9, e.outcome);
    db_bind_text(st, 10, e.client);
    db_bind_text(st, 11, e.prev_hash);
    db_bind_text(st, 12, hash);
    db_bind_int64(st, 13, e.scheme);
    rc = db_step(st);
    db_reset(st);
    if (rc == DB_CONSTRAINT) {
        log_warn("audit: entry refused by the table's checks");
        ret = E_INVALID;
        goto out;
    }
    if (rc != DB_DONE) {
        ret = db_fail(s->db, "audit insert");
        goto out;
    }
    if ((ret = listing_insert(s, &e)) != E_OK)
        goto out;
    ret = E_DB;
    /* The anchor follows the head only while it still names the entry we linked to, and a
     * sealed one only while its MAC holds. When it does not (entries removed or slipped in
     * behind Haven's back, a MAC forged), moving it would bless the damage: it stays where it
     * was, as evidence for `haven audit verify`, and the clinic keeps working. An unsealed
     * anchor is never sealed here (may_seal): this process holds the key, so the trail is
     * keyed, and an anchor without a MAC is what a forger without the key leaves behind. */
    if (k && h.sealed && !head_mac_holds(&h, k)) {
        log_error("audit: the head anchor's MAC does not match this key: not moved;"
                  " run haven audit verify");
    } else if (head_matches(&h, last_id, prev)) {
        if (k && !h.sealed)
            log_error("audit: the head anchor is not sealed although this process holds the"
                      " audit key (the trail may have been rewritten without it): left unsealed;"
                      " run haven audit verify");
        if ((ret = head_move(s, h.sealed ? k : NULL, e.id, hash, first_keyed)) != E_OK)
            goto out;
    } else {
        log_error("audit: the newest entry (%ld) is not the one the head anchor names (%ld):"
                  " run haven audit verify", last_id, h.present ? h.last_id : -1L);
    }
    ret = E_DB;
    if (own && db_commit(s->db) != E_OK) {
        own = false; /* db_commit rolled back */
        goto out;
    }
    own = false;
    if (id)
        *id = e.id;
    ret = E_OK;
out:
    if (own)
        db_rollback(s->db);
    return ret;
}

/* Builds "<head> WHERE ..." for f's filters. Parameters keep fixed numbers (?1 e-mail .. ?6 to,
 * ?9 max_id) so binding does not depend on which filters are present; the SQL text never
 * contains input.
 *
 * Dates become a range of ids: entries are stamped in id order (audit_append never lets `at` go
 * backwards), so the first entry on or after `from` and the last one on or before `to`, each one
 * probe of the `at` index, bound the ids of that period. Every filter is then an equality on
 * the leading columns of an index ending in id plus a range of id, so counting and paging walk
 * one index range, newest first, whatever the combination, without reading the rows to test
 * `at` (EXPLAIN QUERY PLAN for all 64 shapes: see the 0009 migration's comment). An entry the
 * first release stamped while the clock stepped back could sit a few seconds outside its day. */
static void filter_sql(struct buf *sql, const char *head, const struct audit_filter *f)
{
    const char *sep = " WHERE ";

    buf_adds(sql, head);
#define CLAUSE(cond, text)                                                                     \
    if (cond) {                                                                                \
        buf_adds(sql, sep);                                                                    \
        buf_adds(sql, text);                                                                   \
        sep = " AND ";                                                                         \
    }
    CLAUSE(f->user_email && *f->user_email, "user_email = ?1")
    CLAUSE(f->record_type && *f->record_type, "record_type = ?2")
    /* The record's own entries and the lists that showed it (audit_listed_record): "who saw
     * this patient's record" finds both. */
    CLAUSE(f->record_id && *f->record_id,
           "id IN (SELECT id FROM audit_log WHERE record_id = ?3"
           " UNION ALL SELECT entry_id FROM audit_listed WHERE record_id = ?3)")
    CLAUSE(f->action && *f->action, "action = ?4")
    /* No entry on or after `from` (or up to `to`): the bound is NULL and selects nothing. */
    CLAUSE(f->from && *f->from, "id >= (SELECT id FROM audit_log WHERE at >= ?5"
                                " ORDER BY at, id LIMIT 1)")
    /* the last moment of that day */
    CLAUSE(f->to && *f->to, "id <= (SELECT id FROM audit_log WHERE at <= ?6 || 'T23:59:59.999Z'"
                            " ORDER BY at DESC, id DESC LIMIT 1)")
    CLAUSE(f->max_id > 0, "id <= ?9")
#undef CLAUSE
}

static void filter_bind(struct db_stmt *st, const struct audit_filter *f)
{
    const char *v[] = {f->user_email, f->record_type, f->record_id, f->action, f->from, f->to};

    for (int i = 0; i < 6; i++)
        if (v[i] && *v[i])
            db_bind_text(st, i + 1, v[i]);
    if (f->max_id > 0)
        db_bind_int64(st, 9, f->max_id);
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
    enum err ret;
    int rc;

    filter_sql(&sql, COLUMNS, f);
    buf_adds(&sql, " ORDER BY id DESC LIMIT ?7 OFFSET ?8");
    if ((ret = filter_prepare(s, &sql, &st)) != E_OK)
        goto out;
    filter_bind(st, f);
    db_bind_int64(st, 7, f->limit > 0 ? f->limit : INT64_MAX); /* no LIMIT -1 in PostgreSQL */
    db_bind_int64(st, 8, f->offset > 0 ? f->offset : 0);
    while ((rc = db_step(st)) == DB_ROW) {
        read_entry(st, &e);
        if ((ret = listing_read(s, e.id, &l)) != E_OK)
            goto out;
        listing_attach(&l, &e);
        if (each(&e, ctx) != 0) {
            rc = DB_DONE;
            break;
        }
    }
    ret = rc == DB_DONE ? E_OK : db_fail(s->db, "audit query");
out:
    db_finish(st);
    buf_free(&sql);
    listing_free(&l);
    return ret;
}

/* Counts through a LIMIT so that a broad filter on a large trail stops at cap instead of
 * counting a million index entries on every page view. */
enum err store_audit_count(struct store *s, const struct audit_filter *f, long cap, long *n)
{
    struct buf sql = BUF_INIT;
    struct db_stmt *st = NULL;
    enum err ret;

    filter_sql(&sql, "SELECT count(*) FROM (SELECT 1 FROM audit_log", f);
    buf_adds(&sql, " LIMIT ?10) AS q"); /* PostgreSQL wants the alias */
    if ((ret = filter_prepare(s, &sql, &st)) != E_OK)
        goto out;
    filter_bind(st, f);
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

/* Checks one entry against the one before it (prev_id 0 and the genesis hash for the first);
 * 0 when it holds, else -1 with out->reason set. */
static int check_link(const struct audit_entry *e, long prev_id, const char *prev_hash,
                      bool keyed_before, long first_keyed_id, struct audit_verify *out)
{
    const struct audit_key *k = audit_chain_key();
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
    if (audit_scheme_keyed(e->scheme) && !k) {
        snprintf(out->reason, sizeof(out->reason),
                 "it is keyed and no audit key was loaded (HAVEN_SECRET_KEY_FILE)");
        return -1;
    }
    if (e->scheme == AUDIT_SCHEME_SHA256 && keyed_before) {
        snprintf(out->reason, sizeof(out->reason),
                 "it is unkeyed although entries before it are keyed (rewritten without the key)");
        return -1;
    }
    if (e->scheme == AUDIT_SCHEME_SHA256 && first_keyed_id > 0 && e->id >= first_keyed_id) {
        snprintf(out->reason, sizeof(out->reason),
                 "it is unkeyed although keying began at entry %ld (rewritten without the key)",
                 first_keyed_id);
        return -1;
    }
    if (audit_scheme_keyed(e->scheme) && !keyed_before && first_keyed_id > 0 &&
        e->id != first_keyed_id) {
        snprintf(out->reason, sizeof(out->reason),
                 "it is the first keyed entry but the head anchor records keying from %ld",
                 first_keyed_id);
        return -1;
    }
    if (audit_chain_entry_hash(e, k, hash) < 0 || !audit_chain_hash_equal(hash, e->hash)) {
        snprintf(out->reason, sizeof(out->reason),
                 audit_scheme_keyed(e->scheme)
                     ? "its content does not match its hash (changed after it was written, or"
                       " the key file is not this database's)"
                     : "its content does not match its hash (changed after it was written)");
        return -1;
    }
    if (e->id != prev_id + 1) {
        snprintf(out->reason, sizeof(out->reason), "its id follows %ld (entries are missing)",
                 prev_id);
        return -1;
    }
    return 0;
}

/* Compares the walk's end (last_id, last_hash) with the head anchor h; 0 when they agree (and
 * the anchor's MAC holds, when it has one; and it has one whenever the database has had a key),
 * else -1 with out->broken_id and reason set. */
static int check_head(const struct head *h, long last_id, const char *last_hash,
                      long walk_first_keyed, struct audit_verify *out)
{
    const struct audit_key *k = audit_chain_key();

    out->broken_id = last_id + 1;
    if (!h->present) {
        snprintf(out->reason, sizeof(out->reason),
                 "the head anchor (audit_head) is missing: entries after %ld may be missing",
                 last_id);
        return -1;
    }
    if (h->sealed) {
        if (!k) {
            snprintf(out->reason, sizeof(out->reason),
                     "the head anchor is sealed and no audit key was loaded"
                     " (HAVEN_SECRET_KEY_FILE)");
            return -1;
        }
        if (!head_mac_holds(h, k)) {
            snprintf(out->reason, sizeof(out->reason),
                     "the head anchor's MAC does not match (the anchor was forged, or the key"
                     " file is not this database's)");
            return -1;
        }
        out->anchor_sealed = true;
    }
    if (h->last_id > last_id) {
        snprintf(out->reason, sizeof(out->reason),
                 "entries after %ld are missing: the head anchor names entry %ld as the newest",
                 last_id, h->last_id);
        return -1;
    }
    if (h->last_id < last_id) {
        out->broken_id = h->last_id + 1;
        snprintf(out->reason, sizeof(out->reason),
                 "entries after %ld were not appended by Haven: the head anchor names entry %ld"
                 " as the newest", h->last_id, h->last_id);
        return -1;
    }
    if (strcmp(h->last_hash, last_hash) != 0) {
        out->broken_id = last_id ? last_id : 1;
        snprintf(out->reason, sizeof(out->reason),
                 "its hash is not the one the head anchor names (the trail was rewritten)");
        return -1;
    }
    if (h->first_keyed_id == 0 && walk_first_keyed > 0) {
        out->broken_id = walk_first_keyed;
        snprintf(out->reason, sizeof(out->reason),
                 "it is keyed but the head anchor records no keyed entry");
        return -1;
    }
    if (h->first_keyed_id > 0 && out->keyed == 0) {
        out->broken_id = h->first_keyed_id;
        snprintf(out->reason, sizeof(out->reason),
                 "the head anchor records keying from entry %ld and no keyed entry remains"
                 " (rewritten without the key)", h->first_keyed_id);
        return -1;
    }
    /* Unsealed: only a database that has never had a key may have that (see may_seal). */
    if (!h->sealed && (out->keyed > 0 || out->had_key)) {
        out->needs_seal = true;
        snprintf(out->reason, sizeof(out->reason),
                 out->keyed > 0
                     ? "the head anchor is not sealed although the trail is keyed"
                     : "the head anchor is not sealed although this database has had a key"
                       " (the trail may have been rewritten without it)");
        return -1;
    }
    out->broken_id = 0;
    return 0;
}

/* audit_listed read in step with the walk: its rows in (entry_id, pos) order; entry_id is
 * LONG_MAX past the last row. */
struct listed_walk {
    struct db_stmt *st;
    int rc;
    long entry_id;
};

static void listed_next(struct listed_walk *w)
{
    w->rc = db_step(w->st);
    w->entry_id = w->rc == DB_ROW ? (long)db_col_int64(w->st, 0) : LONG_MAX;
}

/* Entry id's listing into l. Rows of entries before it that the walk never met (their entry
 * is gone: check_link names the gap) are passed over, and the first such entry id is kept in
 * *orphan (when 0). */
static void listed_take(struct listed_walk *w, long id, struct listing *l, long *orphan)
{
    listing_clear(l);
    for (; w->rc == DB_ROW && w->entry_id < id; listed_next(w))
        if (!*orphan)
            *orphan = w->entry_id;
    for (; w->rc == DB_ROW && w->entry_id == id; listed_next(w))
        listing_add(l, db_col_text(w->st, 1));
}

/* After the walk: rows left over name entries the trail does not hold. 0, or -1 with out set. */
static int listed_leftover(const struct listed_walk *w, long orphan, struct audit_verify *out)
{
    long id = orphan ? orphan : w->rc == DB_ROW ? w->entry_id : 0;

    if (!id)
        return 0;
    out->broken_id = id;
    snprintf(out->reason, sizeof(out->reason),
             "records are listed for entry %ld, which is not in the trail (audit_listed)", id);
    return -1;
}

enum err store_audit_verify(struct store *s, struct audit_verify *out)
{
    char prev_hash[AUDIT_HASH_LEN + 1];
    struct db_stmt *st;
    struct listed_walk w = {0};
    struct listing l = {0};
    struct audit_entry e;
    struct head h;
    long prev_id = 0, walk_first_keyed = 0, orphan = 0;
    enum err ret = E_DB;
    int rc = DB_DONE, key_check;

    memset(out, 0, sizeof(*out));
    /* One read transaction for the anchor and the walk: a consistent snapshot even while
     * others append (deferred: appends are not held up while the walk runs). */
    if (db_begin_read(s->db) != E_OK)
        return E_DB;
    if (head_read(s, &h) != E_OK || (key_check = row_exists(s, sql_key_check)) < 0 ||
        !(w.st = db_prepare(s->db, sql_listed_walk)) || !(st = db_prepare(s->db, sql_walk)))
        goto out;
    listed_next(&w);
    if (w.rc != DB_ROW && w.rc != DB_DONE) {
        ret = db_fail(s->db, "audit verify listing");
        goto out;
    }
    /* A database has had a key when secrets_init recorded one, when the anchor records
     * keyed entries, or when the key file is here to load (the key check row can be deleted
     * by anyone with the file; the key file cannot be made by them). */
    out->had_key = key_check > 0 || h.first_keyed_id > 0 || h.sealed || audit_chain_key();
    out->first_keyed_id = h.first_keyed_id;
    memcpy(prev_hash, audit_chain_genesis, sizeof(prev_hash));
    while ((rc = db_step(st)) == DB_ROW) {
        read_entry(st, &e);
        listed_take(&w, e.id, &l, &orphan);
        if (w.rc != DB_ROW && w.rc != DB_DONE)
            break; /* a listing that could not be read: no verdict on it */
        listing_attach(&l, &e);
        out->entries++;
        out->listed += (long)l.n;
        if (check_link(&e, prev_id, prev_hash, out->keyed > 0, h.first_keyed_id, out) < 0) {
            out->broken_id = e.id;
            break;
        }
        if (audit_scheme_keyed(e.scheme) && out->keyed++ == 0)
            walk_first_keyed = e.id;
        prev_id = e.id;
        snprintf(prev_hash, sizeof(prev_hash), "%s", e.hash);
    }
    db_reset(st);
    if (w.rc != DB_ROW && w.rc != DB_DONE) {
        ret = db_fail(s->db, "audit verify listing");
        goto out;
    }
    if (rc != DB_ROW && rc != DB_DONE) {
        ret = db_fail(s->db, "audit verify");
        goto out;
    }
    out->head_id = prev_id;
    snprintf(out->head_hash, sizeof(out->head_hash), "%s", prev_hash);
    if (!out->broken_id && listed_leftover(&w, orphan, out) == 0)
        check_head(&h, prev_id, prev_hash, walk_first_keyed, out);
    ret = E_OK;
out:
    if (w.st)
        db_reset(w.st);
    listing_free(&l);
    db_commit(s->db);
    return ret;
}

static enum err audit_seal(struct store *s, bool adopt, enum audit_seal *out)
{
    const struct audit_key *k = audit_chain_key();
    char last_hash[AUDIT_HASH_LEN + 1];
    struct head h;
    long last_id;
    int last_scheme, ok;
    enum err ret;

    *out = AUDIT_SEAL_REFUSED;
    if (!k)
        return E_INVALID;
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((ret = last_read(s, &last_id, last_hash, &last_scheme, NULL)) != E_OK ||
        (ret = head_read(s, &h)) != E_OK)
        goto out;
    ret = E_DB;
    if (h.sealed) {
        if (head_mac_holds(&h, k))
            *out = AUDIT_SEAL_ALREADY;
        else
            log_error("audit: the head anchor's MAC does not match this key: run haven audit"
                      " verify");
    } else if (!head_matches(&h, last_id, last_hash)) {
        log_error("audit: the head anchor does not name the newest entry (%ld): not sealed;"
                  " run haven audit verify", last_id);
    } else if ((ok = may_seal(s, &h, last_id, adopt)) < 0) {
        goto out;
    } else if (!ok) {
        log_error("audit: the head anchor is not sealed although this database has had a key"
                  " (the trail may have been rewritten without it): not sealed; run haven audit"
                  " verify");
    } else if ((ret = head_move(s, k, last_id, last_hash, h.first_keyed_id)) != E_OK) {
        goto out;
    } else {
        *out = AUDIT_SEAL_DONE;
    }
    ret = db_commit(s->db);
    return ret;
out:
    db_rollback(s->db);
    return ret;
}

enum err store_audit_append(struct store *s, const struct audit_entry *e)
{
    return audit_append(s, e, NULL);
}

enum err store_audit_append_id(struct store *s, const struct audit_entry *e, long *id)
{
    return audit_append(s, e, id);
}

enum err store_audit_seal(struct store *s, enum audit_seal *out)
{
    return audit_seal(s, false, out);
}

enum err store_audit_adopt(struct store *s, enum audit_seal *out)
{
    return audit_seal(s, true, out);
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
