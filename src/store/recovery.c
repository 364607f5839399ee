/* recovery: a patient's relapse-prevention plan (store/recovery.h): its versions read by
 * patient, and the writes of the review (save, submit, withdraw, approve, return), each in one
 * transaction that first reads the latest version and asks domain/recovery.h what the action
 * may do from there. */
#include "store/recovery.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/rand.h"
#include "domain/recovery.h"
#include "store/admissions_internal.h"

#define COLUMNS                                                                                    \
    "SELECT r.public_id, r.version, r.status, r.body, r.created_at, r.updated_at,"                \
    " r.submitted_at, r.reviewed_at, COALESCE(u.name, ''), r.comment, r.id"                       \
    " FROM recovery_plans r LEFT JOIN users u ON u.id = r.reviewed_by WHERE r.patient_id = ?1"

static const char sql_latest[] = COLUMNS " ORDER BY r.version DESC LIMIT 1";
static const char sql_approved[] = COLUMNS " AND r.status = 'approved'";
static const char sql_version[] = COLUMNS " AND r.version = ?2";
static const char sql_list[] = COLUMNS " ORDER BY r.version DESC";
static const char sql_exists[] =
    "SELECT 1 FROM recovery_plans WHERE patient_id = ?1 AND public_id = ?2";
static const char sql_patient[] = "SELECT id FROM patients WHERE public_id = ?1";
static const char sql_insert[] =
    "INSERT INTO recovery_plans (public_id, patient_id, version, status, body, created_at,"
    " updated_at, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7) RETURNING id";
static const char sql_update[] =
    "UPDATE recovery_plans SET status = ?2, body = COALESCE(?3, body), updated_at = ?4,"
    " submitted_at = ?5 WHERE id = ?1";
static const char sql_supersede[] =
    "UPDATE recovery_plans SET status = 'superseded', updated_at = ?2"
    " WHERE patient_id = ?1 AND status = 'approved'";
static const char sql_review[] =
    "UPDATE recovery_plans SET status = ?2, updated_at = ?3, reviewed_at = ?3, reviewed_by = ?4,"
    " comment = ?5 WHERE id = ?1";

/* A text column, or JSON null. */
static json_t *text_or_null(struct db_stmt *st, int i)
{
    return db_col_is_null(st, i) ? json_null() : json_string(db_col_text(st, i));
}

/* One row of COLUMNS; with_body: the sections too. NULL when a stored value does not fit. */
static json_t *row_json(struct db_stmt *st, bool with_body)
{
    json_t *row = json_pack("{s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:s, s:o}", "id",
                            db_col_text(st, 0), "version", (json_int_t)db_col_int64(st, 1),
                            "status", db_col_text(st, 2), "created_at", db_col_text(st, 4),
                            "updated_at", db_col_text(st, 5), "submitted_at",
                            text_or_null(st, 6), "reviewed_at", text_or_null(st, 7),
                            "reviewer", db_col_text(st, 8), "comment", text_or_null(st, 9));
    json_t *body;

    if (row && with_body) {
        body = admissions_col_json(st, 3);
        json_object_set_new(row, "body", json_is_object(body) ? body : json_object());
        if (!json_is_object(body))
            json_decref(body);
    }
    return row;
}

/* Runs a COLUMNS query for patient (and version when >= 0): its rows into *out (one object
 * when one, else an array; NULL when one was asked and none found). */
static enum err query(struct store *s, const char *sql, long patient, long version, bool one,
                      json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql);
    json_t *rows = one ? NULL : json_array(), *row;
    enum db_step rc = DB_DONE;
    enum err e = E_OK;

    *out = NULL;
    if (!st) {
        json_decref(rows);
        return E_DB;
    }
    db_bind_int64(st, 1, patient);
    if (version >= 0)
        db_bind_int64(st, 2, version);
    while (e == E_OK && (rc = db_step(st)) == DB_ROW) {
        if (!(row = row_json(st, one)))
            e = db_fail(s->db, "recovery plan row");
        else if (one)
            rows = row;
        else if (!admissions_push(rows, row, "recovery plan"))
            e = E_DB;
        if (one)
            break;
    }
    if (e == E_OK && rc != DB_DONE && rc != DB_ROW)
        e = db_fail(s->db, "recovery plan read");
    db_reset(st);
    if (e == E_OK)
        *out = rows;
    else
        json_decref(rows);
    return e;
}

enum err store_recovery_latest(struct store *s, long patient, json_t **out)
{
    return query(s, sql_latest, patient, -1, true, out);
}

enum err store_recovery_approved(struct store *s, long patient, json_t **out)
{
    return query(s, sql_approved, patient, -1, true, out);
}

enum err store_recovery_version(struct store *s, long patient, long version, json_t **out)
{
    enum err e = query(s, sql_version, patient, version, true, out);

    return e == E_OK && !*out ? E_NOTFOUND : e;
}

enum err store_recovery_versions(struct store *s, long patient, json_t **out)
{
    return query(s, sql_list, patient, -1, false, out);
}

enum err store_recovery_patient(struct store *s, const char *public_id, long *id)
{
    return admissions_id_of(s, sql_patient, public_id, id);
}

/* The latest version as a write needs it, inside the transaction. */
struct latest {
    long row, version;
    enum recovery_status status;
    char id[33];
};

static enum err latest_of(struct store *s, long patient, struct latest *l)
{
    struct db_stmt *st = db_prepare(s->db, sql_latest);
    enum db_step rc;
    enum err e = E_OK;

    memset(l, 0, sizeof(*l));
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    if ((rc = db_step(st)) == DB_ROW) {
        store_copy(l->id, sizeof(l->id), db_col_text(st, 0));
        l->version = db_col_int64(st, 1);
        l->status = recovery_status_parse(db_col_text(st, 2));
        l->row = db_col_int64(st, 10);
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "recovery plan latest");
    }
    db_reset(st);
    return e;
}

/* Changes the latest version's status (and body, when not NULL) in place. */
static enum err update(struct store *s, const struct latest *l, enum recovery_status to,
                       const char *body, const char *now)
{
    struct db_stmt *st = db_prepare(s->db, sql_update);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, l->row);
    db_bind_text(st, 2, recovery_status_name(to));
    db_bind_text_or_null(st, 3, body);
    db_bind_text(st, 4, now);
    db_bind_text_or_null(st, 5, to == RECOVERY_SUBMITTED ? now : NULL);
    return admissions_step_done(s, st, "recovery plan update");
}

/* Adds version l->version + 1 with body and status to; its public id into l->id. */
static enum err insert(struct store *s, long patient, struct latest *l, enum recovery_status to,
                       const char *body, const char *now)
{
    struct db_stmt *st = db_prepare(s->db, sql_insert);

    if (!st)
        return E_DB;
    rand_hex(l->id, 16);
    db_bind_text(st, 1, l->id);
    db_bind_int64(st, 2, patient);
    db_bind_int64(st, 3, ++l->version);
    db_bind_text(st, 4, recovery_status_name(to));
    db_bind_text(st, 5, body);
    db_bind_text(st, 6, now);
    db_bind_text_or_null(st, 7, to == RECOVERY_SUBMITTED ? now : NULL);
    return admissions_insert_id(s, st, "recovery plan add", &l->row);
}

enum err store_recovery_save(struct store *s, long patient, const char *based_on,
                             const json_t *body, bool submit, const struct audit_entry *a,
                             long *version)
{
    char *text = json_is_object(body) ? json_dumps(body, JSON_COMPACT) : NULL;
    enum recovery_status to;
    enum recovery_effect fx;
    char now[STAMP_LEN];
    struct latest l;
    enum err e;

    if (!text)
        return E_INVALID;
    if (db_begin(s->db) != E_OK) {
        free(text);
        return E_DB;
    }
    stamp_now(now);
    if ((e = latest_of(s, patient, &l)) != E_OK)
        goto out;
    fx = recovery_transition(l.status, submit ? RECOVERY_SUBMIT : RECOVERY_SAVE, &to);
    /* The form was made from the latest version, or from nothing when there is none. */
    if (fx == RECOVERY_REFUSED || strcmp(based_on ? based_on : "", l.id) != 0)
        e = E_CONFLICT;
    else if (fx == RECOVERY_IN_PLACE)
        e = update(s, &l, to, text, now);
    else
        e = insert(s, patient, &l, to, text, now);
    if (e == E_OK)
        e = admissions_audit(s, a, NULL, NULL, l.id);
out:
    free(text);
    if ((e = admissions_finish(s, e)) == E_OK && version)
        *version = l.version;
    return e;
}

enum err store_recovery_withdraw(struct store *s, long patient, const char *id,
                                 const struct audit_entry *a)
{
    enum recovery_status to;
    char now[STAMP_LEN];
    struct latest l;
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    stamp_now(now);
    if ((e = latest_of(s, patient, &l)) != E_OK)
        goto out;
    if (strcmp(id ? id : "", l.id) != 0 ||
        recovery_transition(l.status, RECOVERY_WITHDRAW, &to) != RECOVERY_IN_PLACE)
        e = E_CONFLICT;
    else if ((e = update(s, &l, to, NULL, now)) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, l.id);
out:
    return admissions_finish(s, e);
}

/* Why a review of version id, not the latest, is refused: E_CONFLICT when it is an older
 * version of this patient (past review), else E_NOTFOUND (or E_DB). */
static enum err exists(struct store *s, long patient, const char *id)
{
    struct db_stmt *st = db_prepare(s->db, sql_exists);
    enum db_step rc;
    enum err e;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, id ? id : "");
    rc = db_step(st);
    e = rc == DB_ROW ? E_CONFLICT : rc == DB_DONE ? E_NOTFOUND : db_fail(s->db, "recovery exists");
    db_reset(st);
    return e;
}

/* Sets the reviewed version's status, reviewer and comment. */
static enum err review_row(struct store *s, const struct latest *l, enum recovery_status to,
                           const char *comment, long by, const char *now)
{
    struct db_stmt *st = db_prepare(s->db, sql_review);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, l->row);
    db_bind_text(st, 2, recovery_status_name(to));
    db_bind_text(st, 3, now);
    admissions_bind_user(st, 4, by);
    db_bind_text_or_null(st, 5, comment && *comment ? comment : NULL);
    return admissions_step_done(s, st, "recovery plan review");
}

/* Marks the patient's approved version superseded (none: nothing). */
static enum err supersede(struct store *s, long patient, const char *now)
{
    struct db_stmt *st = db_prepare(s->db, sql_supersede);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, now);
    return admissions_step_done(s, st, "recovery plan supersede");
}

enum err store_recovery_review(struct store *s, long patient, const char *id, bool approve,
                               const char *comment, long by, const struct audit_entry *a)
{
    enum recovery_status to;
    char now[STAMP_LEN];
    struct latest l;
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    stamp_now(now);
    if ((e = latest_of(s, patient, &l)) != E_OK)
        goto out;
    /* Only the latest can wait for review; an older version of this patient is past it. */
    if (!l.row || strcmp(id ? id : "", l.id) != 0) {
        e = exists(s, patient, id);
        goto out;
    }
    if (recovery_transition(l.status, approve ? RECOVERY_APPROVE : RECOVERY_RETURN, &to) !=
        RECOVERY_IN_PLACE) {
        e = E_CONFLICT;
        goto out;
    }
    if ((!approve || (e = supersede(s, patient, now)) == E_OK) &&
        (e = review_row(s, &l, to, comment, by, now)) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, l.id);
out:
    return admissions_finish(s, e);
}
