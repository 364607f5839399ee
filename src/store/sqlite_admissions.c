/* sqlite_admissions: SQLite implementation of store_admissions.h. Each write runs in one
 * BEGIN IMMEDIATE transaction and re-reads the referral's status inside it, so two staff members
 * working the same referral cannot both move it; reads come back as jansson models. */
#include "store/sqlite_internal.h"
#include "store/store_admissions.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/rand.h"

/* The queue's columns; referral_get adds answers, result and the row id after them. */
#define REFERRAL_COLS                                                                          \
    "r.public_id, r.created_at, r.status, r.name, r.phone, coalesce(r.email, ''), r.best_time," \
    " r.voicemail_ok, r.level, r.flags, coalesce(u.name, ''), coalesce(u.public_id, ''),"      \
    " coalesce(r.first_call_at, ''), coalesce(r.next_follow_up, ''),"                          \
    " (SELECT count(*) FROM referral_calls c WHERE c.referral_id = r.id),"                     \
    " coalesce(r.closed_reason, '')"
#define REFERRAL_FROM " FROM referrals r LEFT JOIN users u ON u.id = r.assigned_to"

static const char sql_queue[] =
    "SELECT " REFERRAL_COLS REFERRAL_FROM
    " WHERE (?1 IS NULL AND r.status IN ('new', 'contacted', 'intake-scheduled'))"
    " OR r.status = ?1 ORDER BY r.created_at, r.id LIMIT 500";
static const char sql_referral[] =
    "SELECT " REFERRAL_COLS ", r.answers, r.result, r.id" REFERRAL_FROM " WHERE r.public_id = ?1";
static const char sql_calls[] =
    "SELECT c.called_at, c.outcome, coalesce(c.note, ''), coalesce(c.next_follow_up, ''),"
    " coalesce(u.name, '') FROM referral_calls c LEFT JOIN users u ON u.id = c.by_user"
    " WHERE c.referral_id = ?1 ORDER BY c.called_at DESC, c.id DESC";
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
static const char sql_intake[] =
    "SELECT i.recommended_level, i.confirmed_level, coalesce(i.change_reason, ''),"
    " coalesce(i.notes, ''), coalesce(u.name, ''), i.created_at"
    " FROM intakes i LEFT JOIN users u ON u.id = i.by_user WHERE i.referral_id = ?1";
static const char sql_patient_of[] = "SELECT public_id FROM patients WHERE referral_id = ?1";
static const char sql_lookup[] = "SELECT id, status FROM referrals WHERE public_id = ?1";
static const char sql_call_add[] =
    "INSERT INTO referral_calls (referral_id, called_at, outcome, note, next_follow_up, by_user,"
    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?2)";
static const char sql_after_call[] =
    "UPDATE referrals SET first_call_at = coalesce(first_call_at, ?2), next_follow_up = ?3,"
    " updated_at = ?2, status = coalesce(?4, status) WHERE id = ?1";
static const char sql_event[] =
    "INSERT INTO referral_events (referral_id, at, by_user, kind, from_status, to_status, reason,"
    " detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char sql_set_status[] =
    "UPDATE referrals SET status = ?2, closed_reason = ?3, updated_at = ?4 WHERE id = ?1";
static const char sql_user_id[] = "SELECT id FROM users WHERE public_id = ?1 AND disabled = 0";
static const char sql_assign[] =
    "UPDATE referrals SET assigned_to = ?2, updated_at = ?3 WHERE id = ?1";
static const char sql_intake_save[] =
    "INSERT INTO intakes (referral_id, recommended_level, confirmed_level, change_reason, notes,"
    " by_user, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT (referral_id) DO UPDATE SET confirmed_level = excluded.confirmed_level,"
    " change_reason = excluded.change_reason, notes = excluded.notes,"
    " by_user = excluded.by_user, created_at = excluded.created_at";
static const char sql_has_intake[] =
    "SELECT (SELECT count(*) FROM intakes WHERE referral_id = ?1),"
    " (SELECT count(*) FROM patients WHERE referral_id = ?1)";
static const char sql_clinician[] =
    "SELECT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id AND ur.role = 'clinician'"
    " WHERE u.public_id = ?1 AND u.disabled = 0";
static const char sql_patient_add[] =
    "INSERT INTO patients (public_id, referral_id, first_name, last_name, date_of_birth, phone,"
    " phone_digits, email, address, emergency_name, emergency_phone, emergency_relationship,"
    " counsellor_id, admission_date, level, track, status, created_by, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19)";
static const char sql_patient_event[] =
    "INSERT INTO patient_events (patient_id, at, by_user, kind, detail)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_staff_role[] =
    "SELECT u.public_id, u.name FROM users u JOIN user_roles ur ON ur.user_id = u.id"
    " WHERE ur.role = ?1 AND u.disabled = 0 ORDER BY u.name COLLATE NOCASE";
static const char sql_search[] =
    "SELECT p.public_id, p.first_name, p.last_name, p.date_of_birth, p.phone, p.status, p.level,"
    " p.admission_date FROM patients p"
    " WHERE ?1 IS NULL"
    " OR p.last_name LIKE ?1 || '%' ESCAPE '\\' OR p.first_name LIKE ?1 || '%' ESCAPE '\\'"
    " OR (p.first_name || ' ' || p.last_name) LIKE ?1 || '%' ESCAPE '\\'"
    " OR (length(?1) >= 6 AND p.public_id LIKE ?1 || '%' ESCAPE '\\')"
    " OR (?2 IS NOT NULL AND instr(p.phone_digits, ?2) > 0)"
    " ORDER BY CASE WHEN ?1 IS NULL THEN p.created_at END DESC,"
    " p.last_name COLLATE NOCASE, p.first_name COLLATE NOCASE LIMIT 50";
static const char sql_patient[] =
    "SELECT p.id, p.public_id, p.first_name, p.last_name, p.date_of_birth, p.phone,"
    " coalesce(p.email, ''), coalesce(p.address, ''), p.emergency_name, p.emergency_phone,"
    " p.emergency_relationship, coalesce(u.name, ''), p.admission_date, p.level,"
    " coalesce(p.track, ''), p.status, p.created_at, coalesce(r.id, -1),"
    " coalesce(r.public_id, ''), r.answers, r.result, r.flags, coalesce(r.level, ''),"
    " coalesce(i.confirmed_level, ''), coalesce(i.change_reason, '')"
    " FROM patients p LEFT JOIN users u ON u.id = p.counsellor_id"
    " LEFT JOIN referrals r ON r.id = p.referral_id"
    " LEFT JOIN intakes i ON i.referral_id = r.id WHERE p.public_id = ?1";
static const char sql_consents[] =
    "SELECT c.public_id, c.discloser, c.information, c.recipient, c.purpose,"
    " coalesce(c.expires_on, ''), c.end_of_treatment, c.signature_name, c.signed_at,"
    " coalesce(c.revoked_at, ''), coalesce(ru.name, ''), coalesce(u.name, ''),"
    " c.revoked_at IS NULL AND ((c.end_of_treatment = 1 AND p.status <> 'discharged')"
    "   OR c.expires_on >= date('now'))"
    " FROM consents c JOIN patients p ON p.id = c.patient_id"
    " LEFT JOIN users u ON u.id = c.recorded_by LEFT JOIN users ru ON ru.id = c.revoked_by"
    " WHERE c.patient_id = ?1 ORDER BY c.created_at DESC, c.id DESC";
static const char sql_patient_id[] = "SELECT id FROM patients WHERE public_id = ?1";
static const char sql_consent_add[] =
    "INSERT INTO consents (public_id, patient_id, discloser, information, recipient, purpose,"
    " expires_on, end_of_treatment, revoke_acknowledged, signature_name, signed, signed_at,"
    " recorded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
    " ?12)";
static const char sql_consent_revoke[] =
    "UPDATE consents SET revoked_at = ?3, revoked_by = ?4"
    " WHERE public_id = ?1 AND patient_id = ?2 AND revoked_at IS NULL";
static const char sql_consent_exists[] =
    "SELECT 1 FROM consents WHERE public_id = ?1 AND patient_id = ?2";

/* ------------------------------------------------------------------ helpers */

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    sqlite_bind_text_or_null(st, i, v);
}

static void bind_user(sqlite3_stmt *st, int i, long id)
{
    if (id > 0)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

/* Steps a write once; SQLITE_CONSTRAINT means the schema refused a value. */
static enum err step_done(struct sqlite_store *s, sqlite3_stmt *st, const char *what)
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
static json_t *col_json(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    json_t *v = t ? json_loads(t, 0, NULL) : NULL;
    return v ? v : json_null();
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
static enum err lookup_in(struct sqlite_store *s, const char *public_id, const char *from,
                          long *id)
{
    char status[24];
    enum err e = lookup(s, public_id, id, status);

    if (e == E_OK && from && strcmp(status, from) != 0)
        return E_CONFLICT;
    return e;
}

static enum err event_add(struct sqlite_store *s, long ref, long by, const char *now,
                          const char *kind, const char *from, const char *to, const char *reason,
                          const char *detail)
{
    sqlite3_stmt *st = sqlite_stmt(s, sql_event);

    if (!st)
        return E_DB;
    sqlite3_bind_int64(st, 1, ref);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    bind_user(st, 3, by);
    sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
    bind_text(st, 5, from);
    bind_text(st, 6, to);
    bind_text(st, 7, reason);
    bind_text(st, 8, detail);
    return step_done(s, st, "referral event");
}

static enum err patient_event(struct sqlite_store *s, long patient, long by, const char *now,
                              const char *kind, const char *detail)
{
    sqlite3_stmt *st = sqlite_stmt(s, sql_patient_event);

    if (!st)
        return E_DB;
    sqlite3_bind_int64(st, 1, patient);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    bind_user(st, 3, by);
    sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
    bind_text(st, 5, detail);
    return step_done(s, st, "patient event");
}

/* Ends the transaction: commit on E_OK, roll back otherwise. */
static enum err finish(struct sqlite_store *s, enum err e)
{
    if (e == E_OK)
        return sqlite_commit(s);
    sqlite_rollback(s);
    return e;
}

/* An id of one row of a one-column query bound to text key; E_NOTFOUND. */
static enum err id_of(struct sqlite_store *s, const char *sql, const char *key, long *id)
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

/* ------------------------------------------------------------------ referrals */

static json_t *referral_row(sqlite3_stmt *st)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:o, s:s, s:s, s:s, s:s,"
                     " s:I, s:s}",
                     "public_id", sqlite_col(st, 0), "created_at", sqlite_col(st, 1), "status",
                     sqlite_col(st, 2), "name", sqlite_col(st, 3), "phone", sqlite_col(st, 4),
                     "email", sqlite_col(st, 5), "best_time", sqlite_col(st, 6), "voicemail_ok",
                     sqlite3_column_int(st, 7), "level", sqlite_col(st, 8), "flags",
                     col_json(st, 9), "assignee", sqlite_col(st, 10), "assignee_id",
                     sqlite_col(st, 11), "first_call_at", sqlite_col(st, 12), "next_follow_up",
                     sqlite_col(st, 13), "calls", (json_int_t)sqlite3_column_int64(st, 14),
                     "closed_reason", sqlite_col(st, 15));
}

static enum err sqlite_adm_queue(struct store *base, const char *status, json_t **out)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st = sqlite_stmt(s, sql_queue);
    json_t *rows;
    int rc;

    if (!st)
        return E_DB;
    bind_text(st, 1, status);
    rows = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(rows, referral_row(st));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(rows);
        return sqlite_fail(s, "queue");
    }
    *out = rows;
    return E_OK;
}

/* The timeline of referral ref and patient (or -1), newest first. */
static enum err timeline(struct sqlite_store *s, long ref, long patient, json_t **out)
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
        json_array_append_new(
            rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "at", sqlite_col(st, 0),
                            "kind", sqlite_col(st, 1), "from", sqlite_col(st, 2), "to",
                            sqlite_col(st, 3), "reason", sqlite_col(st, 4), "detail",
                            sqlite_col(st, 5), "by", sqlite_col(st, 6), "assignee",
                            sqlite_col(st, 7)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(rows);
        return sqlite_fail(s, "timeline");
    }
    *out = rows;
    return E_OK;
}

static enum err referral_extras(struct sqlite_store *s, long id, json_t *m)
{
    sqlite3_stmt *st;
    json_t *calls = json_array(), *events = NULL;
    int rc;

    if (!(st = sqlite_stmt(s, sql_calls))) {
        json_decref(calls);
        return E_DB;
    }
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(calls, json_pack("{s:s, s:s, s:s, s:s, s:s}", "at",
                                               sqlite_col(st, 0), "outcome", sqlite_col(st, 1),
                                               "note", sqlite_col(st, 2), "next_follow_up",
                                               sqlite_col(st, 3), "by", sqlite_col(st, 4)));
    sqlite3_reset(st);
    json_object_set_new(m, "call_log", calls);
    if (rc != SQLITE_DONE)
        return sqlite_fail(s, "calls");
    if (timeline(s, id, -1, &events) != E_OK)
        return E_DB;
    json_object_set_new(m, "events", events);
    if (!(st = sqlite_stmt(s, sql_intake)))
        return E_DB;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_object_set_new(m, "intake",
                            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "recommended_level",
                                      sqlite_col(st, 0), "confirmed_level", sqlite_col(st, 1),
                                      "change_reason", sqlite_col(st, 2), "notes",
                                      sqlite_col(st, 3), "by", sqlite_col(st, 4), "at",
                                      sqlite_col(st, 5)));
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlite_fail(s, "intake");
    if (!(st = sqlite_stmt(s, sql_patient_of)))
        return E_DB;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_object_set_new(m, "patient", json_string(sqlite_col(st, 0)));
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? E_OK : sqlite_fail(s, "patient of referral");
}

static enum err sqlite_adm_referral_get(struct store *base, const char *public_id, json_t **out)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st = sqlite_stmt(s, sql_referral);
    json_t *m = NULL;
    long id = 0;
    enum err ret;
    int rc;

    if (!st)
        return E_DB;
    sqlite3_bind_text(st, 1, public_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        m = referral_row(st);
        json_object_set_new(m, "answers", col_json(st, 16));
        json_object_set_new(m, "result", col_json(st, 17));
        id = (long)sqlite3_column_int64(st, 18);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return E_NOTFOUND;
    if (rc != SQLITE_ROW)
        return sqlite_fail(s, "referral");
    if ((ret = referral_extras(s, id, m)) != E_OK) {
        json_decref(m);
        return ret;
    }
    *out = m;
    return E_OK;
}

static enum err sqlite_adm_call_add(struct store *base, const char *public_id,
                                    const struct admissions_call *c, const char *from,
                                    const char *to_status, long by_user)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st;
    char now[32];
    long id = 0;
    enum err e;

    sqlite_now(now);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if ((e = lookup_in(s, public_id, to_status ? from : NULL, &id)) != E_OK)
        goto out;
    if (!(st = sqlite_stmt(s, sql_call_add))) {
        e = E_DB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c->outcome, -1, SQLITE_STATIC);
    bind_text(st, 4, c->note);
    bind_text(st, 5, c->next_follow_up);
    bind_user(st, 6, by_user);
    if ((e = step_done(s, st, "call insert")) != E_OK)
        goto out;
    if (!(st = sqlite_stmt(s, sql_after_call))) {
        e = E_DB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    bind_text(st, 3, c->next_follow_up);
    bind_text(st, 4, to_status);
    if ((e = step_done(s, st, "referral after call")) != E_OK)
        goto out;
    e = event_add(s, id, by_user, now, "call", NULL, NULL, NULL, c->outcome);
    if (e == E_OK && to_status)
        e = event_add(s, id, by_user, now, "status", from, to_status, NULL, "after a call");
out:
    return finish(s, e);
}

static enum err sqlite_adm_set_status(struct store *base, const char *public_id,
                                      const char *from, const char *to,
                                      const char *closed_reason, const char *reason, long by_user)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st;
    char now[32];
    long id = 0;
    enum err e;

    sqlite_now(now);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if ((e = lookup_in(s, public_id, from, &id)) != E_OK)
        goto out;
    if (!(st = sqlite_stmt(s, sql_set_status))) {
        e = E_DB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
    bind_text(st, 3, closed_reason);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    if ((e = step_done(s, st, "referral status")) == E_OK)
        e = event_add(s, id, by_user, now, "status", from, to, reason, closed_reason);
out:
    return finish(s, e);
}

static enum err sqlite_adm_assign(struct store *base, const char *public_id,
                                  const char *user_public_id, long by_user)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st;
    char now[32];
    long id = 0, user = 0;
    enum err e;

    sqlite_now(now);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if ((e = lookup_in(s, public_id, NULL, &id)) != E_OK)
        goto out;
    if (user_public_id && (e = id_of(s, sql_user_id, user_public_id, &user)) != E_OK) {
        e = e == E_NOTFOUND ? E_INVALID : e;
        goto out;
    }
    if (!(st = sqlite_stmt(s, sql_assign))) {
        e = E_DB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, id);
    bind_user(st, 2, user);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    if ((e = step_done(s, st, "referral assign")) == E_OK)
        e = event_add(s, id, by_user, now, "assign", NULL, NULL, NULL, user_public_id);
out:
    return finish(s, e);
}

static enum err sqlite_adm_intake_save(struct store *base, const char *public_id,
                                       const struct admissions_intake *in, const char *from,
                                       const char *to, long by_user)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st;
    char now[32];
    long id = 0;
    enum err e;

    sqlite_now(now);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if ((e = lookup_in(s, public_id, from, &id)) != E_OK)
        goto out;
    if (!(st = sqlite_stmt(s, sql_intake_save))) {
        e = E_DB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, in->recommended_level, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, in->confirmed_level, -1, SQLITE_STATIC);
    bind_text(st, 4, in->change_reason);
    bind_text(st, 5, in->notes);
    bind_user(st, 6, by_user);
    sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
    if ((e = step_done(s, st, "intake")) != E_OK)
        goto out;
    e = event_add(s, id, by_user, now, "intake", NULL, NULL, in->change_reason,
                  in->confirmed_level);
    if (e == E_OK && strcmp(from, to) != 0) {
        if (!(st = sqlite_stmt(s, sql_set_status))) {
            e = E_DB;
            goto out;
        }
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
        sqlite3_bind_null(st, 3);
        sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
        if ((e = step_done(s, st, "referral status")) == E_OK)
            e = event_add(s, id, by_user, now, "status", from, to, NULL, "intake");
    }
out:
    return finish(s, e);
}

/* ------------------------------------------------------------------ patients */

static enum err admit_checks(struct sqlite_store *s, long ref)
{
    sqlite3_stmt *st = sqlite_stmt(s, sql_has_intake);
    enum err ret = E_DB;

    if (!st)
        return E_DB;
    sqlite3_bind_int64(st, 1, ref);
    if (sqlite3_step(st) == SQLITE_ROW)
        ret = sqlite3_column_int(st, 0) == 1 && sqlite3_column_int(st, 1) == 0 ? E_OK
                                                                                : E_CONFLICT;
    sqlite3_reset(st);
    return ret;
}

static enum err sqlite_adm_admit(struct store *base, const char *referral_id,
                                 struct admissions_patient *p, long by_user)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st;
    char now[32];
    long ref = 0, counsellor = 0, patient;
    enum err e;

    sqlite_now(now);
    rand_hex(p->public_id, 16);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if ((e = lookup_in(s, referral_id, "intake-scheduled", &ref)) != E_OK ||
        (e = admit_checks(s, ref)) != E_OK)
        goto out;
    if ((e = id_of(s, sql_clinician, p->counsellor, &counsellor)) != E_OK) {
        e = e == E_NOTFOUND ? E_INVALID : e;
        goto out;
    }
    if (!(st = sqlite_stmt(s, sql_patient_add))) {
        e = E_DB;
        goto out;
    }
    sqlite3_bind_text(st, 1, p->public_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, ref);
    bind_text(st, 3, p->first_name);
    bind_text(st, 4, p->last_name);
    bind_text(st, 5, p->date_of_birth);
    bind_text(st, 6, p->phone);
    sqlite3_bind_text(st, 7, p->phone_digits ? p->phone_digits : "", -1, SQLITE_STATIC);
    bind_text(st, 8, p->email);
    bind_text(st, 9, p->address);
    bind_text(st, 10, p->emergency_name);
    bind_text(st, 11, p->emergency_phone);
    bind_text(st, 12, p->emergency_relationship);
    sqlite3_bind_int64(st, 13, counsellor);
    bind_text(st, 14, p->admission_date);
    bind_text(st, 15, p->level);
    bind_text(st, 16, p->track);
    bind_text(st, 17, p->status);
    bind_user(st, 18, by_user);
    sqlite3_bind_text(st, 19, now, -1, SQLITE_STATIC);
    if ((e = step_done(s, st, "patient insert")) != E_OK)
        goto out;
    patient = (long)sqlite3_last_insert_rowid(s->db);
    if (!(st = sqlite_stmt(s, sql_set_status))) {
        e = E_DB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, ref);
    sqlite3_bind_text(st, 2, "admitted", -1, SQLITE_STATIC);
    sqlite3_bind_null(st, 3);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    if ((e = step_done(s, st, "referral admitted")) != E_OK ||
        (e = event_add(s, ref, by_user, now, "admit", "intake-scheduled", "admitted", NULL,
                       p->public_id)) != E_OK)
        goto out;
    e = patient_event(s, patient, by_user, now, "admitted", p->level);
out:
    e = finish(s, e);
    if (e == E_OK)
        log_info("referral %s admitted as patient %s", referral_id, p->public_id);
    return e;
}

static enum err sqlite_adm_staff_with_role(struct store *base, const char *role, json_t **out)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st = sqlite_stmt(s, sql_staff_role);
    json_t *rows;
    int rc;

    if (!st)
        return E_DB;
    sqlite3_bind_text(st, 1, role, -1, SQLITE_STATIC);
    rows = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(rows, json_pack("{s:s, s:s}", "public_id", sqlite_col(st, 0),
                                              "name", sqlite_col(st, 1)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(rows);
        return sqlite_fail(s, "staff by role");
    }
    *out = rows;
    return E_OK;
}

/* q with LIKE's wildcards escaped (\ is the escape), in out (n bytes); -1 when too long. */
static int like_escape(const char *q, char *out, size_t n)
{
    size_t k = 0;

    for (; *q; q++) {
        if (k + 3 > n)
            return -1;
        if (*q == '%' || *q == '_' || *q == '\\')
            out[k++] = '\\';
        out[k++] = *q;
    }
    out[k] = '\0';
    return 0;
}

static enum err sqlite_adm_patient_search(struct store *base, const char *q, const char *digits,
                                          json_t **out)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st = sqlite_stmt(s, sql_search);
    char esc[256];
    json_t *rows;
    int rc;

    if (!st)
        return E_DB;
    if (q && *q) {
        if (like_escape(q, esc, sizeof(esc)) < 0)
            return E_INVALID;
        sqlite3_bind_text(st, 1, esc, -1, SQLITE_STATIC);
    }
    if (digits && strlen(digits) >= 7)
        sqlite3_bind_text(st, 2, digits, -1, SQLITE_STATIC);
    rows = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(
            rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "public_id",
                            sqlite_col(st, 0), "first_name", sqlite_col(st, 1), "last_name",
                            sqlite_col(st, 2), "date_of_birth", sqlite_col(st, 3), "phone",
                            sqlite_col(st, 4), "status", sqlite_col(st, 5), "level",
                            sqlite_col(st, 6), "admission_date", sqlite_col(st, 7)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(rows);
        return sqlite_fail(s, "patient search");
    }
    *out = rows;
    return E_OK;
}

static enum err consents(struct sqlite_store *s, long patient, json_t **out)
{
    sqlite3_stmt *st = sqlite_stmt(s, sql_consents);
    json_t *rows;
    int rc;

    if (!st)
        return E_DB;
    sqlite3_bind_int64(st, 1, patient);
    rows = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(
            rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:b}",
                            "public_id", sqlite_col(st, 0), "discloser", sqlite_col(st, 1),
                            "information", sqlite_col(st, 2), "recipient", sqlite_col(st, 3),
                            "purpose", sqlite_col(st, 4), "expires_on", sqlite_col(st, 5),
                            "end_of_treatment", sqlite3_column_int(st, 6), "signature_name",
                            sqlite_col(st, 7), "signed_at", sqlite_col(st, 8), "revoked_at",
                            sqlite_col(st, 9), "revoked_by", sqlite_col(st, 10), "recorded_by",
                            sqlite_col(st, 11), "active", sqlite3_column_int(st, 12)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(rows);
        return sqlite_fail(s, "consents");
    }
    *out = rows;
    return E_OK;
}

static enum err sqlite_adm_patient_get(struct store *base, const char *public_id, bool clinical,
                                       json_t **out)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st = sqlite_stmt(s, sql_patient);
    json_t *m = NULL, *list = NULL;
    long id = 0, ref = -1;
    int rc;

    if (!st)
        return E_DB;
    sqlite3_bind_text(st, 1, public_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        id = (long)sqlite3_column_int64(st, 0);
        ref = (long)sqlite3_column_int64(st, 17);
        m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
                      " s:s, s:s}",
                      "public_id", sqlite_col(st, 1), "first_name", sqlite_col(st, 2),
                      "last_name", sqlite_col(st, 3), "date_of_birth", sqlite_col(st, 4),
                      "phone", sqlite_col(st, 5), "email", sqlite_col(st, 6), "address",
                      sqlite_col(st, 7), "emergency_name", sqlite_col(st, 8), "emergency_phone",
                      sqlite_col(st, 9), "emergency_relationship", sqlite_col(st, 10),
                      "counsellor", sqlite_col(st, 11), "admission_date", sqlite_col(st, 12),
                      "level", sqlite_col(st, 13), "track", sqlite_col(st, 14), "status",
                      sqlite_col(st, 15), "created_at", sqlite_col(st, 16));
        if (clinical) {
            json_object_set_new(m, "referral_id", json_string(sqlite_col(st, 18)));
            json_object_set_new(m, "answers", col_json(st, 19));
            json_object_set_new(m, "result", col_json(st, 20));
            json_object_set_new(m, "flags", col_json(st, 21));
            json_object_set_new(m, "recommended_level", json_string(sqlite_col(st, 22)));
            json_object_set_new(m, "confirmed_level", json_string(sqlite_col(st, 23)));
            json_object_set_new(m, "change_reason", json_string(sqlite_col(st, 24)));
        }
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return E_NOTFOUND;
    if (rc != SQLITE_ROW)
        return sqlite_fail(s, "patient");
    if (clinical) {
        if (consents(s, id, &list) != E_OK)
            goto fail;
        json_object_set_new(m, "consents", list);
        if (timeline(s, ref, id, &list) != E_OK)
            goto fail;
        json_object_set_new(m, "timeline", list);
    }
    *out = m;
    return E_OK;
fail:
    json_decref(m);
    return E_DB;
}

static enum err sqlite_adm_consent_add(struct store *base, const char *patient_id,
                                       struct admissions_consent *c, long by_user)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st;
    char now[32];
    long patient = 0;
    enum err e;

    sqlite_now(now);
    rand_hex(c->public_id, 16);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if ((e = id_of(s, sql_patient_id, patient_id, &patient)) != E_OK)
        goto out;
    if (!(st = sqlite_stmt(s, sql_consent_add))) {
        e = E_DB;
        goto out;
    }
    sqlite3_bind_text(st, 1, c->public_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, patient);
    bind_text(st, 3, c->discloser);
    bind_text(st, 4, c->information);
    bind_text(st, 5, c->recipient);
    bind_text(st, 6, c->purpose);
    bind_text(st, 7, c->expires_on);
    sqlite3_bind_int(st, 8, c->end_of_treatment);
    sqlite3_bind_int(st, 9, c->revoke_acknowledged);
    bind_text(st, 10, c->signature_name);
    sqlite3_bind_int(st, 11, c->signed_);
    sqlite3_bind_text(st, 12, now, -1, SQLITE_STATIC);
    bind_user(st, 13, by_user);
    if ((e = step_done(s, st, "consent insert")) == E_OK)
        e = patient_event(s, patient, by_user, now, "consent-signed", c->public_id);
out:
    return finish(s, e);
}

static enum err sqlite_adm_consent_revoke(struct store *base, const char *patient_id,
                                          const char *consent_id, long by_user)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st;
    char now[32];
    long patient = 0;
    enum err e;

    sqlite_now(now);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if ((e = id_of(s, sql_patient_id, patient_id, &patient)) != E_OK)
        goto out;
    if (!(st = sqlite_stmt(s, sql_consent_revoke))) {
        e = E_DB;
        goto out;
    }
    sqlite3_bind_text(st, 1, consent_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, patient);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    bind_user(st, 4, by_user);
    if ((e = step_done(s, st, "consent revoke")) != E_OK)
        goto out;
    if (sqlite3_changes(s->db) == 0) {
        /* Revoked already, or not this patient's consent at all. */
        if (!(st = sqlite_stmt(s, sql_consent_exists))) {
            e = E_DB;
            goto out;
        }
        sqlite3_bind_text(st, 1, consent_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, patient);
        e = sqlite3_step(st) == SQLITE_ROW ? E_CONFLICT : E_NOTFOUND;
        sqlite3_reset(st);
        goto out;
    }
    e = patient_event(s, patient, by_user, now, "consent-revoked", consent_id);
out:
    return finish(s, e);
}

const struct store_admissions_ops sqlite_admissions_ops = {
    .name = "sqlite",
    .queue = sqlite_adm_queue,
    .referral_get = sqlite_adm_referral_get,
    .call_add = sqlite_adm_call_add,
    .set_status = sqlite_adm_set_status,
    .assign = sqlite_adm_assign,
    .intake_save = sqlite_adm_intake_save,
    .admit = sqlite_adm_admit,
    .staff_with_role = sqlite_adm_staff_with_role,
    .patient_search = sqlite_adm_patient_search,
    .patient_get = sqlite_adm_patient_get,
    .consent_add = sqlite_adm_consent_add,
    .consent_revoke = sqlite_adm_consent_revoke,
};
