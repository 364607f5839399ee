/* audit_verify: the audit trail's verify walk and the sealing of its head anchor
 * (store/audit.h). The walk steps through the rows one at a time, and through the listings in
 * step with them, inside one read transaction. */
#include "store/audit_internal.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "store/store_internal.h"

/* The row secrets_init writes when a database first gets its secret key file. */
static const char sql_key_check[] = "SELECT 1 FROM settings WHERE key = 'secret_key_check'";
static const char sql_any_user[] = "SELECT 1 FROM users LIMIT 1";

/* Whether text column c holds no NUL byte. An entry's hash covers each field up to its first
 * NUL (its fields are C strings: Haven binds them up to there, so it never stores one), which
 * leaves bytes slipped in after a NUL uncovered while SQL still sees them (`record_id = ?`
 * would no longer find the entry). So the walk refuses a stored NUL instead of a new chain
 * scheme hashing lengths: old entries need the check all the same. SQLite's length() counts the
 * characters before the first NUL, so a value holding one gains nothing from a character added
 * at its end; PostgreSQL text cannot hold a NUL, and there this is always true. */
#define NUL_FREE(c) "length(" c " || '.') > length(" c ")"

/* AUDIT_FIELDS, then (13) whether every text field is free of NUL bytes. */
static const char sql_walk[] =
    "SELECT " AUDIT_FIELDS ", " NUL_FREE("at") " AND " NUL_FREE("user_email") " AND "
    NUL_FREE("roles") " AND " NUL_FREE("action") " AND " NUL_FREE("record_type") " AND "
    NUL_FREE("COALESCE(record_id, '')") " AND " NUL_FREE("outcome") " AND " NUL_FREE("client")
    " AND " NUL_FREE("prev_hash") " AND " NUL_FREE("hash") " FROM audit_log ORDER BY id";
static const char sql_listed_walk[] =
    "SELECT entry_id, record_id, " NUL_FREE("record_id")
    " FROM audit_listed ORDER BY entry_id, pos";

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
    if ((users = audit_row_exists(s, sql_any_user)) < 0)
        return -1;
    return !users;
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
    /* Without the key a keyed entry's hash cannot be recomputed: its link and place are
     * checked, its content is counted as unchecked (the caller says so). */
    if (audit_scheme_keyed(e->scheme) && !k) {
        out->unchecked++;
    } else if (audit_chain_entry_hash(e, k, hash) < 0 ||
               !audit_chain_hash_equal(hash, e->hash)) {
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
    if (h->sealed && !k) {
        out->anchor_unchecked = true; /* its MAC needs the key; where it points does not */
    } else if (h->sealed) {
        if (!audit_head_holds(h, k)) {
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

/* Entry id's listing into l; false when one of its ids holds a NUL byte (NUL_FREE). Rows of
 * entries before it that the walk never met (their entry is gone: check_link names the gap)
 * are passed over, and the first such entry id is kept in *orphan (when 0). */
static bool listed_take(struct listed_walk *w, long id, struct listing *l, long *orphan)
{
    bool clean = true;

    audit_listing_clear(l);
    for (; w->rc == DB_ROW && w->entry_id < id; listed_next(w))
        if (!*orphan)
            *orphan = w->entry_id;
    for (; w->rc == DB_ROW && w->entry_id == id; listed_next(w)) {
        audit_listing_add(l, db_col_text(w->st, 1));
        clean = clean && db_col_int(w->st, 2);
    }
    return clean;
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
    bool clean;
    enum err ret = E_DB;
    int rc = DB_DONE, key_check;

    memset(out, 0, sizeof(*out));
    /* One read transaction for the anchor and the walk: a consistent snapshot even while
     * others append (deferred: appends are not held up while the walk runs). */
    if (db_begin_read(s->db) != E_OK)
        return E_DB;
    if (audit_head_read(s, &h) != E_OK || (key_check = audit_row_exists(s, sql_key_check)) < 0 ||
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
        audit_row_read(st, &e);
        clean = listed_take(&w, e.id, &l, &orphan) && db_col_int(st, 13);
        if (w.rc != DB_ROW && w.rc != DB_DONE)
            break; /* a listing that could not be read: no verdict on it */
        audit_listing_attach(&l, &e);
        out->entries++;
        out->listed += (long)l.n;
        if (check_link(&e, prev_id, prev_hash, out->keyed > 0, h.first_keyed_id, out) < 0) {
            out->broken_id = e.id;
            break;
        }
        if (!clean) {
            out->broken_id = e.id;
            snprintf(out->reason, sizeof(out->reason),
                     "a field or listed id holds a NUL byte, which its hash does not cover"
                     " (changed after it was written)");
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
    audit_listing_free(&l);
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
    if ((ret = audit_last_read(s, &last_id, last_hash, &last_scheme, NULL)) != E_OK ||
        (ret = audit_head_read(s, &h)) != E_OK)
        goto out;
    ret = E_DB;
    if (h.sealed) {
        if (audit_head_holds(&h, k))
            *out = AUDIT_SEAL_ALREADY;
        else
            log_error("audit: the head anchor's MAC does not match this key: run haven audit"
                      " verify");
    } else if (!audit_head_matches(&h, last_id, last_hash)) {
        log_error("audit: the head anchor does not name the newest entry (%ld): not sealed;"
                  " run haven audit verify", last_id);
    } else if ((ok = may_seal(s, &h, last_id, adopt)) < 0) {
        goto out;
    } else if (!ok) {
        log_error("audit: the head anchor is not sealed although this database has had a key"
                  " (the trail may have been rewritten without it): not sealed; run haven audit"
                  " verify");
    } else if ((ret = audit_head_move(s, k, last_id, last_hash, h.first_keyed_id)) != E_OK) {
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

enum err store_audit_seal(struct store *s, enum audit_seal *out)
{
    return audit_seal(s, false, out);
}

enum err store_audit_adopt(struct store *s, enum audit_seal *out)
{
    return audit_seal(s, true, out);
}
