/* diagnoses: the diagnoses of store/diagnoses.h. One primary diagnosis at a time is the
 * store's rule, kept inside the write that sets a new one. */
#include "store/diagnoses.h"

#include <stdio.h>
#include <string.h>

#include "core/rand.h"
#include "domain/icd10.h"
#include "store/admissions_internal.h"
#include "store/program_internal.h"

#define DIAGNOSIS_COLS                                                                         \
    "d.public_id, d.code, d.is_primary, d.status, d.noted_on, d.comment, cu.name,"            \
    " d.created_at, xu.name, d.changed_at"
#define DIAGNOSIS_FROM                                                                         \
    " FROM diagnoses d LEFT JOIN users cu ON cu.id = d.created_by"                            \
    " LEFT JOIN users xu ON xu.id = d.changed_by"

static const char sql_list[] =
    "SELECT " DIAGNOSIS_COLS DIAGNOSIS_FROM " WHERE d.patient_id = ?1"
    " ORDER BY CASE d.status WHEN 'active' THEN 0 WHEN 'resolved' THEN 1 ELSE 2 END,"
    " d.is_primary DESC, d.noted_on DESC, d.id DESC";
static const char sql_one[] = "SELECT " DIAGNOSIS_COLS DIAGNOSIS_FROM " WHERE d.id = ?1";
static const char sql_unmark[] =
    "UPDATE diagnoses SET is_primary = 0, changed_by = ?2, changed_at = ?3"
    " WHERE patient_id = ?1 AND is_primary = 1 AND status = 'active'";
static const char sql_add[] =
    "INSERT INTO diagnoses (public_id, patient_id, code, is_primary, noted_on, comment,"
    " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
static const char sql_row[] =
    "SELECT d.id, d.status, d.comment, p.public_id FROM diagnoses d"
    " JOIN patients p ON p.id = d.patient_id WHERE d.public_id = ?1";
static const char sql_status[] =
    "UPDATE diagnoses SET status = ?2, comment = ?3, is_primary = CASE WHEN ?2 = 'active'"
    " THEN is_primary ELSE 0 END, changed_by = ?4, changed_at = ?5 WHERE id = ?1";

static json_t *text_or_null(struct db_stmt *st, int i)
{
    return db_col_is_null(st, i) ? json_null() : json_string(db_col_text(st, i));
}

static json_t *diagnosis_row(struct store *s, struct db_stmt *st, void *ctx)
{
    const struct icd10_code *c = icd10_find(db_col_text(st, 1));

    (void)s;
    (void)ctx;
    /* A code no longer in the list keeps its row: shown with its code alone. */
    return json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:o, s:o, s:s, s:o, s:o}", "id",
                     db_col_text(st, 0), "code", db_col_text(st, 1), "title",
                     c ? c->title : "", "is_primary", db_col_int(st, 2), "status",
                     db_col_text(st, 3), "noted_on", db_col_text(st, 4), "comment",
                     text_or_null(st, 5), "created_by", text_or_null(st, 6), "created_at",
                     db_col_text(st, 7), "changed_by", text_or_null(st, 8), "changed_at",
                     text_or_null(st, 9));
}

enum err store_diagnoses_list(struct store *s, const char *patient, json_t **out)
{
    struct db_stmt *st;
    long pid;
    enum err e;

    *out = NULL;
    if ((e = store_program_patient_id(s, patient, &pid)) != E_OK)
        return e;
    if (!(st = db_prepare(s->db, sql_list)))
        return E_DB;
    db_bind_int64(st, 1, pid);
    return store_rows(s, st, diagnosis_row, NULL, "diagnoses", out);
}

/* The row id's diagnosis, as the list shows it. */
static enum err one(struct store *s, long id, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_one);
    json_t *arr = NULL;
    enum err e;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, id);
    if ((e = store_rows(s, st, diagnosis_row, NULL, "diagnosis", &arr)) != E_OK)
        return e;
    return store_program_one(arr, out);
}

/* Ends a write: commit on E_OK (*out kept), else roll back (*out dropped). */
static enum err finish(struct store *s, enum err e, json_t **out)
{
    e = admissions_finish(s, e);
    if (e != E_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return e;
}

/* Takes the primary mark from the patient's active diagnoses. */
static enum err unmark(struct store *s, long patient, long by, const char *now)
{
    struct db_stmt *st = db_prepare(s->db, sql_unmark);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    admissions_bind_user(st, 2, by);
    db_bind_text(st, 3, now);
    return admissions_step_done(s, st, "diagnosis primary");
}

enum err store_diagnosis_add(struct store *s, const char *patient, const struct diagnosis_new *d,
                             long by, const struct audit_entry *a, json_t **out)
{
    struct db_stmt *st;
    char now[STAMP_LEN], pub[33];
    long pid, id = 0;
    enum err e;

    *out = NULL;
    stamp_now(now);
    rand_hex(pub, 16);
    if ((e = db_begin(s->db)) != E_OK)
        return e;
    if ((e = store_program_patient_id(s, patient, &pid)) != E_OK ||
        (d->primary && (e = unmark(s, pid, by, now)) != E_OK))
        goto out;
    if (!(st = db_prepare(s->db, sql_add))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, pub);
    db_bind_int64(st, 2, pid);
    db_bind_text(st, 3, d->code);
    db_bind_int64(st, 4, d->primary);
    db_bind_text(st, 5, d->noted_on);
    db_bind_text_or_null(st, 6, d->comment);
    admissions_bind_user(st, 7, by);
    db_bind_text(st, 8, now);
    if ((e = admissions_insert_id(s, st, "diagnosis", &id)) == E_OK &&
        (e = admissions_audit(s, a, "create", "diagnosis", pub)) == E_OK)
        e = one(s, id, out);
out:
    return finish(s, e, out);
}

/* Whether a diagnosis may go from `from` to `to`. */
static bool status_allows(const char *from, const char *to)
{
    if (!strcmp(to, "resolved"))
        return !strcmp(from, "active");
    if (!strcmp(to, "entered-in-error"))
        return strcmp(from, "entered-in-error") != 0;
    return false;
}

/* The comment with the entered-in-error reason after it, into out (n bytes: 1200 characters
 * of UTF-8 and the words). */
static const char *with_reason(const char *comment, const char *reason, char *out, size_t n)
{
    snprintf(out, n, "%s%sEntered in error: %s", comment, *comment ? "\n" : "", reason);
    return out;
}

enum err store_diagnosis_status(struct store *s, const char *diagnosis, const char *status,
                                const char *reason, long by, const struct audit_entry *a,
                                json_t **out, struct program_why *why)
{
    char now[STAMP_LEN], from[24], comment[4 * 1200 + 1], text[4 * 1200 + 64];
    bool had_comment;
    struct db_stmt *st = db_prepare(s->db, sql_row);
    long id = 0;
    enum err e;
    int rc;

    *out = NULL;
    if (!st)
        return E_DB;
    stamp_now(now);
    if ((e = db_begin(s->db)) != E_OK)
        return e;
    db_bind_text(st, 1, diagnosis ? diagnosis : "");
    if ((rc = db_step(st)) == DB_ROW) {
        id = (long)db_col_int64(st, 0);
        store_copy(from, sizeof(from), db_col_text(st, 1));
        had_comment = !db_col_is_null(st, 2);
        store_copy(comment, sizeof(comment), db_col_text(st, 2));
    }
    db_reset(st);
    if (rc != DB_ROW) {
        e = rc == DB_DONE ? E_NOTFOUND : db_fail(s->db, "diagnosis");
        goto out;
    }
    if (!status_allows(from, status)) {
        e = store_program_why(why, E_CONFLICT, "status",
                              "A diagnosis that is %s cannot become %s.", from, status);
        goto out;
    }
    if (!(st = db_prepare(s->db, sql_status))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, status);
    if (reason)
        db_bind_text(st, 3, with_reason(comment, reason, text, sizeof(text)));
    else if (had_comment)
        db_bind_text(st, 3, comment);
    admissions_bind_user(st, 4, by);
    db_bind_text(st, 5, now);
    if ((e = admissions_step_done(s, st, "diagnosis status")) == E_OK &&
        (e = admissions_audit(s, a, "update", "diagnosis", diagnosis)) == E_OK)
        e = one(s, id, out);
out:
    return finish(s, e, out);
}

enum err store_diagnosis_patient(struct store *s, const char *diagnosis, char *patient)
{
    struct db_stmt *st = db_prepare(s->db, sql_row);
    int rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, diagnosis ? diagnosis : "");
    rc = db_step(st);
    if (rc == DB_ROW)
        store_copy(patient, 33, db_col_text(st, 3));
    db_reset(st);
    if (rc == DB_ROW)
        return E_OK;
    return rc == DB_DONE ? E_NOTFOUND : db_fail(s->db, "diagnosis");
}
