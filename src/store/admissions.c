/* admissions: what the admissions store's files share (referrals.c: queue, referrals, calls,
 * intake; patients.c: admission, patients, search, consents; patient_edit.c): the helpers every
 * write uses, the events both timelines are made of, and the audit of a list's records. Each
 * write runs in one BEGIN IMMEDIATE transaction and re-reads the referral's status inside it, so
 * two staff members working the same referral cannot both move it. */
#include "store/admissions_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "store/audit.h"

static const char sql_lookup[] = "SELECT id, status FROM referrals WHERE public_id = ?1";
static const char sql_event[] =
    "INSERT INTO referral_events (referral_id, at, by_user, kind, from_status, to_status, reason,"
    " detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char sql_patient_event[] =
    "INSERT INTO patient_events (patient_id, at, by_user, kind, detail, to_value)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_set_intake_at[] = "UPDATE referrals SET intake_at = ?2 WHERE id = ?1";
static const char sql_set_status[] =
    "UPDATE referrals SET status = ?2, closed_reason = ?3, updated_at = ?4 WHERE id = ?1";
/* The one timeline of a referral (?1) and the patient it became (?2, or -1), newest first, the
 * later of two in the same second first. A counsellor change names both counsellors; the party
 * an event names is the assignee of an assignment or the recipient of a consent. */
static const char sql_timeline[] =
    "SELECT e.at, e.kind, coalesce(e.from_status, ''), coalesce(e.to_status, ''),"
    " coalesce(e.reason, ''), coalesce(e.detail, ''), coalesce(u.name, ''), coalesce(a.name, ''),"
    " '', 0, e.id FROM referral_events e LEFT JOIN users u ON u.id = e.by_user"
    " LEFT JOIN users a ON e.kind = 'assign' AND a.public_id = e.detail"
    " WHERE e.referral_id = ?1"
    " UNION ALL SELECT p.at, p.kind,"
    " CASE WHEN p.kind = 'counsellor-changed' THEN coalesce(cf.name, '')"
    "   ELSE coalesce(p.from_value, '') END,"
    " CASE WHEN p.kind = 'counsellor-changed' THEN coalesce(ct.name, '')"
    "   ELSE coalesce(p.to_value, '') END,"
    " coalesce(p.reason, ''), coalesce(p.detail, ''), coalesce(u.name, ''),"
    " coalesce(cs.recipient, ''), coalesce(p.on_date, ''), 1, p.id"
    " FROM patient_events p LEFT JOIN users u ON u.id = p.by_user"
    " LEFT JOIN consents cs ON p.kind IN ('consent-signed', 'consent-revoked')"
    "   AND cs.public_id = p.detail"
    " LEFT JOIN users cf ON p.kind = 'counsellor-changed' AND cf.public_id = p.from_value"
    " LEFT JOIN users ct ON p.kind = 'counsellor-changed' AND ct.public_id = p.to_value"
    " WHERE p.patient_id = ?2 ORDER BY 1 DESC, 10 DESC, 11 DESC LIMIT 300";

static void bind_text(struct db_stmt *st, int i, const char *v)
{
    db_bind_text_or_null(st, i, v);
}

void admissions_bind_user(struct db_stmt *st, int i, long id)
{
    if (id > 0)
        db_bind_int64(st, i, id);
    else
        db_bind_null(st, i);
}

/* Steps a write once; DB_CONSTRAINT means the schema refused a value. */
enum err admissions_step_done(struct store *s, struct db_stmt *st, const char *what)
{
    int rc = db_step(st);

    db_reset(st);
    if (rc == DB_DONE)
        return E_OK;
    if ((rc & 0xff) == DB_CONSTRAINT) {
        log_warn("store: %s refused by a constraint", what);
        return E_INVALID;
    }
    return db_fail(s->db, what);
}

/* Steps an INSERT ... RETURNING id once: the new row's id, as admissions_step_done's errors. */
enum err admissions_insert_id(struct store *s, struct db_stmt *st, const char *what, long *id)
{
    enum db_step rc = db_step(st);

    if (rc == DB_ROW)
        *id = (long)db_col_int64(st, 0);
    db_reset(st);
    if (rc == DB_ROW)
        return E_OK;
    if (rc == DB_CONSTRAINT) {
        log_warn("store: %s refused by a constraint", what);
        return E_INVALID;
    }
    return db_fail(s->db, what);
}

/* A JSON value from a TEXT column (NULL, or null when it does not parse). */
json_t *admissions_col_json(struct db_stmt *st, int i)
{
    json_t *v = db_col_is_null(st, i) ? NULL : json_loads(db_col_text(st, i), 0, NULL);
    return v ? v : json_null();
}

bool admissions_push(json_t *arr, json_t *row, const char *what)
{
    if (!row) {
        log_error("store: a stored %s does not fit its model (not UTF-8?)", what);
        return false;
    }
    json_array_append_new(arr, row);
    return true;
}

enum err admissions_audit(struct store *s, const struct audit_entry *a, const char *action,
                          const char *record_type, const char *record_id)
{
    struct audit_entry e;

    if (!a)
        return E_OK;
    e = *a;
    if (action)
        e.action = action;
    if (record_type)
        e.record_type = record_type;
    if (record_id)
        e.record_id = record_id;
    if (store_audit_append(s, &e) != E_OK) {
        /* Ids only: action and record type are our literals, the record id is public. */
        log_error("audit: %s %s %s by user %ld not recorded: change rolled back",
                  e.action ? e.action : "-", e.record_type ? e.record_type : "-",
                  e.record_id ? e.record_id : "-", e.user_id);
        return E_DB;
    }
    return E_OK;
}

/* One entry per list a screen shows, naming its records (its listing, which the entry's hash
 * covers), so that a list does not bury the entries around it and a record's filter still
 * finds it. */
enum err store_adm_audit_each(struct store *s, const struct audit_entry *e,
                           const char *const *ids, size_t n)
{
    struct audit_entry list = *e;

    list.record_id = NULL;
    list.listed = n ? ids : NULL;
    list.n_listed = n;
    return admissions_audit(s, &list, NULL, NULL, NULL);
}

/* The referral's row id and status inside the caller's transaction; E_NOTFOUND. */
static enum err lookup(struct store *s, const char *public_id, long *id, char status[24])
{
    struct db_stmt *st = db_prepare(s->db, sql_lookup);
    enum err ret = E_NOTFOUND;
    int rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, public_id);
    rc = db_step(st);
    if (rc == DB_ROW) {
        *id = (long)db_col_int64(st, 0);
        snprintf(status, 24, "%s", db_col_text(st, 1));
        ret = E_OK;
    } else if (rc != DB_DONE) {
        ret = db_fail(s->db, "referral lookup");
    }
    db_reset(st);
    return ret;
}

/* The referral in `from`, or E_CONFLICT (someone moved it meanwhile). */
enum err admissions_lookup_in(struct store *s, const char *public_id, const char *from,
                          long *id)
{
    char status[24];
    enum err e = lookup(s, public_id, id, status);

    if (e == E_OK && from && strcmp(status, from) != 0)
        return E_CONFLICT;
    return e;
}

enum err admissions_event_add(struct store *s, long ref, long by, const char *now,
                          const char *kind, const char *from, const char *to, const char *reason,
                          const char *detail)
{
    struct db_stmt *st = db_prepare(s->db, sql_event);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, ref);
    db_bind_text(st, 2, now);
    admissions_bind_user(st, 3, by);
    db_bind_text(st, 4, kind);
    bind_text(st, 5, from);
    bind_text(st, 6, to);
    bind_text(st, 7, reason);
    bind_text(st, 8, detail);
    return admissions_step_done(s, st, "referral event");
}

enum err admissions_patient_event(struct store *s, long patient, long by, const char *now,
                                  const char *kind, const char *detail, const char *to_value)
{
    struct db_stmt *st = db_prepare(s->db, sql_patient_event);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, now);
    admissions_bind_user(st, 3, by);
    db_bind_text(st, 4, kind);
    bind_text(st, 5, detail);
    bind_text(st, 6, to_value);
    return admissions_step_done(s, st, "patient event");
}

/* Ends the transaction: commit on E_OK, roll back otherwise. */
enum err admissions_finish(struct store *s, enum err e)
{
    if (e == E_OK)
        return db_commit(s->db);
    db_rollback(s->db);
    return e;
}

/* An id of one row of a one-column query bound to text key; E_NOTFOUND. */
enum err admissions_id_of(struct store *s, const char *sql, const char *key, long *id)
{
    struct db_stmt *st = db_prepare(s->db, sql);
    enum err ret = E_NOTFOUND;
    int rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, key);
    rc = db_step(st);
    if (rc == DB_ROW) {
        *id = (long)db_col_int64(st, 0);
        ret = E_OK;
    } else if (rc != DB_DONE) {
        ret = db_fail(s->db, "id lookup");
    }
    db_reset(st);
    return ret;
}

/* The timeline of referral ref and patient (or -1), newest first. */
enum err admissions_timeline(struct store *s, long ref, long patient, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_timeline);
    json_t *rows;
    int rc;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, ref);
    db_bind_int64(st, 2, patient);
    rows = json_array();
    while ((rc = db_step(st)) == DB_ROW)
        if (!admissions_push(
                rows,
                json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "at",
                          db_col_text(st, 0), "kind", db_col_text(st, 1), "from",
                          db_col_text(st, 2), "to", db_col_text(st, 3), "reason",
                          db_col_text(st, 4), "detail", db_col_text(st, 5), "by",
                          db_col_text(st, 6), "party", db_col_text(st, 7), "date",
                          db_col_text(st, 8)),
                "timeline event"))
            break;
    db_reset(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        return rc == DB_ROW ? E_DB : db_fail(s->db, "timeline");
    }
    *out = rows;
    return E_OK;
}

enum err admissions_set_status_row(struct store *s, long id, const char *to,
                                   const char *closed_reason, const char *now)
{
    struct db_stmt *st = db_prepare(s->db, sql_set_status);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, to);
    bind_text(st, 3, closed_reason);
    db_bind_text(st, 4, now);
    return admissions_step_done(s, st, "referral status");
}

enum err admissions_set_intake_at(struct store *s, long id, const char *intake_at)
{
    struct db_stmt *st = db_prepare(s->db, sql_set_intake_at);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, intake_at);
    return admissions_step_done(s, st, "referral intake time");
}
