/* journal: a patient's journal entries and their sharing (store/journal.h), and the date the
 * patient counts days since (portal_prefs). Every statement names the patient, so that an
 * entry id from another patient finds nothing. */
#include "store/journal.h"

#include <string.h>

#include "core/rand.h"
#include "store/admissions_internal.h"

static const char sql_add[] =
    "INSERT INTO journal_entries (public_id, patient_id, day, body, shared, created_at,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)";
static const char sql_share[] =
    "UPDATE journal_entries SET shared = ?3, updated_at = ?4 WHERE public_id = ?1"
    " AND patient_id = ?2";
static const char sql_list[] =
    "SELECT public_id, day, body, shared, created_at, updated_at FROM journal_entries"
    " WHERE patient_id = ?1 AND (?2 = 0 OR shared = 1) ORDER BY day DESC, id DESC";
static const char sql_tracked_get[] =
    "SELECT COALESCE(tracked_label, ''), COALESCE(tracked_since, '') FROM portal_prefs"
    " WHERE patient_id = ?1";
static const char sql_tracked_set[] =
    "INSERT INTO portal_prefs (patient_id, tracked_label, tracked_since, updated_at)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (patient_id) DO UPDATE SET"
    " tracked_label = excluded.tracked_label, tracked_since = excluded.tracked_since,"
    " updated_at = excluded.updated_at";

enum err store_journal_add(struct store *s, long patient, const char *day, const char *body,
                           bool shared, const struct audit_entry *a, char public_id[33])
{
    char id[33], now[STAMP_LEN];
    struct db_stmt *st;
    enum err e;

    if (!day || !body || !body[0] || strlen(body) > JOURNAL_BODY_MAX)
        return E_INVALID;
    rand_hex(id, 16);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(st = db_prepare(s->db, sql_add))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, id);
    db_bind_int64(st, 2, patient);
    db_bind_text(st, 3, day);
    db_bind_text(st, 4, body);
    db_bind_int64(st, 5, shared);
    db_bind_text(st, 6, stamp_now(now));
    if ((e = admissions_step_done(s, st, "journal add")) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, id);
out:
    if ((e = admissions_finish(s, e)) == E_OK)
        memcpy(public_id, id, sizeof(id));
    return e;
}

enum err store_journal_share(struct store *s, long patient, const char *entry_id, bool shared,
                             const struct audit_entry *a)
{
    char now[STAMP_LEN];
    struct db_stmt *st;
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(st = db_prepare(s->db, sql_share))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, entry_id);
    db_bind_int64(st, 2, patient);
    db_bind_int64(st, 3, shared);
    db_bind_text(st, 4, stamp_now(now));
    if ((e = admissions_step_done(s, st, "journal share")) == E_OK && db_changes(s->db) != 1)
        e = E_NOTFOUND;
    if (e == E_OK)
        e = admissions_audit(s, a, NULL, NULL, entry_id);
out:
    return admissions_finish(s, e);
}

/* A row for store_rows (NULL: not UTF-8, a failure there). */
static json_t *entry_json(struct store *s, struct db_stmt *st, void *ctx)
{
    (void)s, (void)ctx;
    return json_pack("{s:s, s:s, s:s, s:b, s:s, s:s}", "id", db_col_text(st, 0), "day",
                     db_col_text(st, 1), "body", db_col_text(st, 2), "shared", db_col_int(st, 3),
                     "created_at", db_col_text(st, 4), "updated_at", db_col_text(st, 5));
}

enum err store_journal_list(struct store *s, long patient, bool shared_only, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_list);

    *out = NULL;
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_int64(st, 2, shared_only);
    return store_rows(s, st, entry_json, NULL, "journal list", out);
}

enum err store_journal_tracked_get(struct store *s, long patient, char *label, char *since)
{
    struct db_stmt *st = db_prepare(s->db, sql_tracked_get);
    enum db_step rc;
    enum err e = E_OK;

    label[0] = since[0] = '\0';
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    if ((rc = db_step(st)) == DB_ROW) {
        store_copy(label, JOURNAL_LABEL_MAX + 1, db_col_text(st, 0));
        store_copy(since, 11, db_col_text(st, 1));
    } else if (rc != DB_DONE)
        e = db_fail(s->db, "tracked date");
    db_reset(st);
    return e;
}

enum err store_journal_tracked_set(struct store *s, long patient, const char *label,
                                   const char *since, const struct audit_entry *a)
{
    char now[STAMP_LEN];
    struct db_stmt *st;
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(st = db_prepare(s->db, sql_tracked_set))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, patient);
    db_bind_text_or_null(st, 2, since ? label : NULL);
    db_bind_text_or_null(st, 3, since);
    db_bind_text(st, 4, stamp_now(now));
    if ((e = admissions_step_done(s, st, "tracked date")) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, NULL);
out:
    return admissions_finish(s, e);
}
