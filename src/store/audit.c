/* audit: the audit trail's rows that its three jobs share (store/audit_internal.h): an entry
 * read from a row, a list entry's listing (audit_listed) read and written, the newest entry and
 * the head anchor (audit_head) read, checked and moved. Appending is audit_append.c, the verify
 * walk and sealing audit_verify.c, the screen's queries audit_query.c. */
#include "store/audit_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "store/store_internal.h"

static const char sql_last[] =
    "SELECT id, hash, scheme, at FROM audit_log ORDER BY id DESC LIMIT 1";
static const char sql_head[] =
    "SELECT last_id, last_hash, mac, first_keyed_id, mac_scheme FROM audit_head WHERE one = 1";
static const char sql_head_move[] =
    "UPDATE audit_head SET last_id = ?1, last_hash = ?2, mac = ?3, first_keyed_id = ?4,"
    " mac_scheme = 2 WHERE one = 1";
static const char sql_listed_insert[] =
    "INSERT INTO audit_listed (entry_id, pos, record_id) VALUES (?1, ?2, ?3)";
static const char sql_listed_of[] =
    "SELECT record_id FROM audit_listed WHERE entry_id = ?1 ORDER BY pos";

void audit_listing_add(struct listing *l, const char *id)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->ids = xrealloc(l->ids, l->cap * sizeof(*l->ids));
    }
    l->ids[l->n++] = xstrdup(id);
}

void audit_listing_clear(struct listing *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->ids[i]);
    l->n = 0;
}

void audit_listing_free(struct listing *l)
{
    audit_listing_clear(l);
    free(l->ids);
    *l = (struct listing){0};
}

void audit_listing_attach(const struct listing *l, struct audit_entry *e)
{
    e->listed = (const char *const *)l->ids;
    e->n_listed = l->n;
}

enum err audit_listing_read(struct store *s, long id, struct listing *l)
{
    struct db_stmt *st = db_prepare(s->db, sql_listed_of);
    int rc;

    audit_listing_clear(l);
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, id);
    while ((rc = db_step(st)) == DB_ROW)
        audit_listing_add(l, db_col_text(st, 0));
    db_reset(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "audit listing");
}

enum err audit_listing_insert(struct store *s, const struct audit_entry *e)
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

void audit_row_read(struct db_stmt *st, struct audit_entry *e)
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

enum err audit_head_read(struct store *s, struct head *h)
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

bool audit_head_holds(const struct head *h, const struct audit_key *k)
{
    char mac[AUDIT_HASH_LEN + 1];
    int rc = h->mac_scheme == AUDIT_HEAD_V2
                 ? audit_chain_head_mac2(k, h->last_id, h->last_hash, h->first_keyed_id, mac)
                 : audit_chain_head_mac(k, h->last_id, h->last_hash, mac);

    return k && h->sealed && rc == 0 && audit_chain_hash_equal(mac, h->mac);
}

int audit_row_exists(struct store *s, const char *sql)
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

enum err audit_head_move(struct store *s, const struct audit_key *k, long id, const char *hash,
                         long first_keyed_id)
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

enum err audit_last_read(struct store *s, long *id, char hash[AUDIT_HASH_LEN + 1], int *scheme,
                         char at[32])
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

bool audit_head_matches(const struct head *h, long last_id, const char *last_hash)
{
    return h->present && h->last_id == last_id && strcmp(h->last_hash, last_hash) == 0;
}
