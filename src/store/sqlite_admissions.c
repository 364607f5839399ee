/* sqlite_admissions: what the admissions store's SQLite files share (sqlite_referrals.c: queue,
 * referrals, calls, intake; sqlite_patients.c: admission, patients, search, consents): the helpers
 * every write uses, the events both timelines are made of, and the one table of functions. Each
 * write runs in one BEGIN IMMEDIATE transaction and re-reads the referral's status inside it, so
 * two staff members working the same referral cannot both move it. */
#include "store/sqlite_adm_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "store/store_audit.h"

static const char sql_lookup[] = "SELECT id, status FROM referrals WHERE public_id = ?1";
static const char sql_event[] =
    "INSERT INTO referral_events (referral_id, at, by_user, kind, from_status, to_status, reason,"
    " detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char sql_patient_event[] =
    "INSERT INTO patient_events (patient_id, at, by_user, kind, detail)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_set_status[] =
    "UPDATE referrals SET status = ?2, closed_reason = ?3, updated_at = ?4 WHERE id = ?1";
/* One timeline for a referral (?1) and the patient it became (?2, or -1). */
static const char sql_timeline[] =
    "SELECT e.at, e.kind, coalesce(e.from_status, ''), coalesce(e.to_status, ''),"
    " coalesce(e.reason, ''), coalesce(e.detail, ''), coalesce(u.name, ''), coalesce(a.name, '')"
    " FROM referral_events e LEFT JOIN users u ON u.id = e.by_user"
    " LEFT JOIN users a ON e.kind = 'assign' AND a.public_id = e.detail"
    " WHERE e.referral_id = ?1"
    " UNION ALL SELECT p.at, p.kind, '', '', '', coalesce(p.detail, ''), coalesce(u.name, ''), ''"
    " FROM patient_events p LEFT JOIN users u ON u.id = p.by_user WHERE p.patient_id = ?2"
    " ORDER BY 1 DESC LIMIT 300";

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    sqlite_bind_text_or_null(st, i, v);
}

void sqlite_adm_bind_user(sqlite3_stmt *st, int i, long id)
{
    if (id > 0)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

/* Steps a write once; SQLITE_CONSTRAINT means the schema refused a value. */
enum err sqlite_adm_step_done(struct sqlite_store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return E_OK;
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        log_warn("sqlite: %s refused by a constraint", what);
        return E_INVALID;
    }
    return sqlite_fail(s, what);
}

/* A JSON value from a TEXT column (NULL, or null when it does not parse). */
json_t *sqlite_adm_col_json(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    json_t *v = t ? json_loads(t, 0, NULL) : NULL;
    return v ? v : json_null();
}

bool sqlite_adm_push(json_t *arr, json_t *row, const char *what)
{
    if (!row) {
        log_error("sqlite: a stored %s does not fit its model (not UTF-8?)", what);
        return false;
    }
    json_array_append_new(arr, row);
    return true;
}

enum err sqlite_adm_audit(struct sqlite_store *s, const struct audit_entry *a, const char *action,
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
    if (store_audit_append(&s->base, &e) != E_OK) {
        /* Ids only: action and record type are our literals, the record id is public. */
        log_error("audit: %s %s %s by user %ld not recorded: change rolled back",
                  e.action ? e.action : "-", e.record_type ? e.record_type : "-",
                  e.record_id ? e.record_id : "-", e.user_id);
        return E_DB;
    }
    return E_OK;
}

/* One entry per record a list shows, in one transaction: one lock and one commit per page. */
static enum err audit_each(struct store *base, const struct audit_entry *e,
                           const char *const *ids, size_t n)
{
    struct sqlite_store *s = sqlite_of(base);
    enum err ret = E_OK;

    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!n) {
        struct audit_entry none = *e;
        none.record_id = NULL;
        ret = sqlite_adm_audit(s, &none, NULL, NULL, NULL);
    }
    for (size_t i = 0; i < n && ret == E_OK; i++)
        ret = sqlite_adm_audit(s, e, NULL, NULL, ids[i]);
    return sqlite_adm_finish(s, ret);
}

/* The referral's row id and status inside the caller's transaction; E_NOTFOUND. */
static enum err lookup(struct sqlite_store *s, const char *public_id, long *id, char status[24])
{
    sqlite3_stmt *st = sqlite_stmt(s, sql_lookup);
    enum err ret = E_NOTFOUND;
    int rc;

    if (!st)
        return E_DB;
    sqlite3_bind_text(st, 1, public_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = (long)sqlite3_column_int64(st, 0);
        snprintf(status, 24, "%s", sqlite_col(st, 1));
        ret = E_OK;
    } else if (rc != SQLITE_DONE) {
        ret = sqlite_fail(s, "referral lookup");
    }
    sqlite3_reset(st);
    return ret;
}

/* The referral in `from`, or E_CONFLICT (someone moved it meanwhile). */
enum err sqlite_adm_lookup_in(struct sqlite_store *s, const char *public_id, const char *from,
                          long *id)
{
    char status[24];
    enum err e = lookup(s, public_id, id, status);

    if (e == E_OK && from && strcmp(status, from) != 0)
        return E_CONFLICT;
    return e;
}

enum err sqlite_adm_event_add(struct sqlite_store *s, long ref, long by, const char *now,
                          const char *kind, const char *from, const char *to, const char *reason,
                          const char *detail)
{
    sqlite3_stmt *st = sqlite_stmt(s, sql_event);

    if (!st)
        return E_DB;
    sqlite3_bind_int64(st, 1, ref);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    sqlite_adm_bind_user(st, 3, by);
    sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
    bind_text(st, 5, from);
    bind_text(st, 6, to);
    bind_text(st, 7, reason);
    bind_text(st, 8, detail);
    return sqlite_adm_step_done(s, st, "referral event");
}

enum err sqlite_adm_patient_event(struct sqlite_store *s, long patient, long by, const char *now,
                              const char *kind, const char *detail)
{
    sqlite3_stmt *st = sqlite_stmt(s, sql_patient_event);

    if (!st)
        return E_DB;
    sqlite3_bind_int64(st, 1, patient);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    sqlite_adm_bind_user(st, 3, by);
    sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
    bind_text(st, 5, detail);
    return sqlite_adm_step_done(s, st, "patient event");
}

/* Ends the transaction: commit on E_OK, roll back otherwise. */
enum err sqlite_adm_finish(struct sqlite_store *s, enum err e)
{
    if (e == E_OK)
        return sqlite_commit(s);
    sqlite_rollback(s);
    return e;
}

/* An id of one row of a one-column query bound to text key; E_NOTFOUND. */
enum err sqlite_adm_id_of(struct sqlite_store *s, const char *sql, const char *key, long *id)
{
    sqlite3_stmt *st = sqlite_stmt(s, sql);
    enum err ret = E_NOTFOUND;
    int rc;

    if (!st)
        return E_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = (long)sqlite3_column_int64(st, 0);
        ret = E_OK;
    } else if (rc != SQLITE_DONE) {
        ret = sqlite_fail(s, "id lookup");
    }
    sqlite3_reset(st);
    return ret;
}

/* The timeline of referral ref and patient (or -1), newest first. */
enum err sqlite_adm_timeline(struct sqlite_store *s, long ref, long patient, json_t **out)
{
    sqlite3_stmt *st = sqlite_stmt(s, sql_timeline);
    json_t *rows;
    int rc;

    if (!st)
        return E_DB;
    sqlite3_bind_int64(st, 1, ref);
    sqlite3_bind_int64(st, 2, patient);
    rows = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!sqlite_adm_push(
                rows,
                json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "at", sqlite_col(st, 0),
                          "kind", sqlite_col(st, 1), "from", sqlite_col(st, 2), "to",
                          sqlite_col(st, 3), "reason", sqlite_col(st, 4), "detail",
                          sqlite_col(st, 5), "by", sqlite_col(st, 6), "assignee",
                          sqlite_col(st, 7)),
                "timeline event"))
            break;
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(rows);
        return rc == SQLITE_ROW ? E_DB : sqlite_fail(s, "timeline");
    }
    *out = rows;
    return E_OK;
}

enum err sqlite_adm_set_status_row(struct sqlite_store *s, long id, const char *to,
                                   const char *closed_reason, const char *now)
{
    sqlite3_stmt *st = sqlite_stmt(s, sql_set_status);

    if (!st)
        return E_DB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
    bind_text(st, 3, closed_reason);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    return sqlite_adm_step_done(s, st, "referral status");
}

const struct store_admissions_ops sqlite_admissions_ops = {
    .name = "sqlite",
    .queue = sqlite_referrals_queue,
    .referral_get = sqlite_referrals_get,
    .call_add = sqlite_referrals_call_add,
    .set_status = sqlite_referrals_set_status,
    .assign = sqlite_referrals_assign,
    .intake_save = sqlite_referrals_intake_save,
    .admit = sqlite_patients_admit,
    .staff_with_role = sqlite_referrals_staff_with_role,
    .patient_search = sqlite_patients_search,
    .patient_get = sqlite_patients_get,
    .consent_add = sqlite_patients_consent_add,
    .consent_revoke = sqlite_patients_consent_revoke,
    .patient_set_status = sqlite_patients_set_status,
    .patient_update_contact = sqlite_patients_update_contact,
    .audit_each = audit_each,
};
