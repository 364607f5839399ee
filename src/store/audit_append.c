/* audit_append: one append to the audit trail (audit_internal.h; the way in is audit_group.c).
 * It reads the last row and the head anchor, inserts the entry and its listing (audit_listed)
 * and moves the anchor, all under the write lock (BEGIN IMMEDIATE), so concurrent workers
 * extend one chain. */
#include "store/audit_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "store/stamp.h"
#include "store/store_internal.h"

static const char sql_insert[] =
    "INSERT INTO audit_log (id, at, user_id, user_email, roles, action, record_type, record_id,"
    " outcome, client, prev_hash, hash, scheme)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

enum err audit_append_entry(struct store *s, const struct audit_entry *in, long *id)
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
    if ((ret = audit_last_read(s, &last_id, prev, &last_scheme, last_at)) != E_OK ||
        (ret = audit_head_read(s, &h)) != E_OK)
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
     * the date filters rely on it (audit_query.c, first_stamped). Both are fixed-width UTC, so
     * text order is time order. */
    if (strlen(last_at) == 24 && strcmp(at, last_at) < 0)
        memcpy(at, last_at, 25);
    e.at = at;
    e.prev_hash = prev;
    /* Each field is a C string: the hash covers it up to its end, and the driver binds exactly
     * those bytes, so no entry can carry a NUL into the trail (one slipped into a stored field
     * later is refused by the verify walk: audit_verify.c, NUL_FREE). */
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
    if ((ret = audit_listing_insert(s, &e)) != E_OK)
        goto out;
    ret = E_DB;
    /* The anchor follows the head only while it still names the entry we linked to, and a
     * sealed one only while its MAC holds. When it does not (entries removed or slipped in
     * behind Haven's back, a MAC forged), moving it would bless the damage: it stays where it
     * was, as evidence for `haven audit verify`, and the clinic keeps working. An unsealed
     * anchor is never sealed here (may_seal): this process holds the key, so the trail is
     * keyed, and an anchor without a MAC is what a forger without the key leaves behind. */
    if (k && h.sealed && !audit_head_holds(&h, k)) {
        log_error("audit: the head anchor's MAC does not match this key: not moved;"
                  " run haven audit verify");
    } else if (audit_head_matches(&h, last_id, prev)) {
        if (k && !h.sealed)
            log_error("audit: the head anchor is not sealed although this process holds the"
                      " audit key (the trail may have been rewritten without it): left unsealed;"
                      " run haven audit verify");
        if ((ret = audit_head_move(s, h.sealed ? k : NULL, e.id, hash, first_keyed)) != E_OK)
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
