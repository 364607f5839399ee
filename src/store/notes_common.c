/* notes_common: the helpers of store/notes_internal.h: a note's row, the objectives of the plan
 * current on a date (plans with status current or superseded, effective on or before the date
 * and not superseded by then: migration 0020), progress rows, and the due time. */
#include "store/notes_internal.h"

#include <string.h>
#include <time.h>

#include "core/log.h"
#include "store/staff.h"

#define NOTE_COLUMNS                                                                               \
    "SELECT n.id, n.public_id, n.kind, n.form, COALESCE(n.session_id, 0),"                        \
    " COALESCE(n.patient_id, 0), n.service_date, n.author_id, n.signed_at IS NOT NULL,"           \
    " n.cosign_needed, n.cosigned_at IS NOT NULL, COALESCE(n.signed_by, 0) FROM notes n"

static const char sql_row[] = NOTE_COLUMNS " WHERE n.public_id = ?1";
static const char sql_group_row[] = NOTE_COLUMNS " WHERE n.session_id = ?1 AND n.kind = 'group'";

/* The plan current on date ?D for patient ?P (migration 0020's definition). */
#define CURRENT_PLAN(P, D)                                                                         \
    " JOIN plans p ON p.id = o.plan_id WHERE p.patient_id = " P                                   \
    " AND p.status IN ('current', 'superseded') AND p.effective_date <= " D                       \
    " AND (p.superseded_date IS NULL OR p.superseded_date > " D ")"

static const char sql_objective[] =
    "SELECT o.id FROM plan_objectives o" CURRENT_PLAN("?2", "?3") " AND o.public_id = ?1";
static const char sql_objectives[] =
    "SELECT o.public_id, o.text, o.target_date, o.status FROM plan_objectives o"
    CURRENT_PLAN("?1", "?2") " ORDER BY o.position, o.id";
static const char sql_progress_clear[] =
    "DELETE FROM note_progress WHERE note_id = ?1 AND patient_id = ?2";
static const char sql_progress_add[] =
    "INSERT INTO note_progress (note_id, patient_id, objective_id, progress, comment)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

enum err store_notes_number(struct store *s, const char *sql, long a, long b, const char *c,
                            long *n)
{
    struct db_stmt *st = db_prepare(s->db, sql);
    enum err e = E_OK;
    int rc;

    *n = -1;
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, a);
    if (b >= 0)
        db_bind_int64(st, 2, b);
    if (c)
        db_bind_text(st, 3, c);
    if ((rc = db_step(st)) == DB_ROW)
        *n = (long)db_col_int64(st, 0);
    else if (rc != DB_DONE)
        e = db_fail(s->db, "read a number for a note");
    db_reset(st);
    return e;
}

static enum err row_of(struct store *s, const char *sql, const char *public_id, long session,
                       struct notes_row *out)
{
    struct db_stmt *st = db_prepare(s->db, sql);
    enum err e = E_NOTFOUND;
    int rc;

    if (!st)
        return E_DB;
    if (public_id)
        db_bind_text(st, 1, public_id);
    else
        db_bind_int64(st, 1, session);
    rc = db_step(st);
    if (rc == DB_ROW) {
        memset(out, 0, sizeof(*out));
        out->id = (long)db_col_int64(st, 0);
        store_copy(out->public_id, sizeof(out->public_id), db_col_text(st, 1));
        store_copy(out->kind, sizeof(out->kind), db_col_text(st, 2));
        store_copy(out->form, sizeof(out->form), db_col_text(st, 3));
        out->session = (long)db_col_int64(st, 4);
        out->patient = (long)db_col_int64(st, 5);
        store_copy(out->date, sizeof(out->date), db_col_text(st, 6));
        out->author = (long)db_col_int64(st, 7);
        out->signed_ = db_col_int(st, 8);
        out->cosign_needed = db_col_int(st, 9);
        out->cosigned = db_col_int(st, 10);
        out->signed_by = (long)db_col_int64(st, 11);
        e = E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "read a note");
    }
    db_reset(st);
    return e;
}

enum err store_notes_row(struct store *s, const char *public_id, struct notes_row *out)
{
    return row_of(s, sql_row, public_id ? public_id : "", 0, out);
}

enum err store_notes_group_row(struct store *s, long session, struct notes_row *out)
{
    return row_of(s, sql_group_row, NULL, session, out);
}

enum err store_notes_objective_id(struct store *s, long patient, const char *date,
                                  const char *objective, long *id)
{
    struct db_stmt *st = db_prepare(s->db, sql_objective);
    enum err e = E_NOTFOUND;
    int rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, objective ? objective : "");
    db_bind_int64(st, 2, patient);
    db_bind_text(st, 3, date);
    rc = db_step(st);
    if (rc == DB_ROW) {
        *id = (long)db_col_int64(st, 0);
        e = E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "read an objective");
    }
    db_reset(st);
    return e;
}

enum err store_notes_objectives(struct store *s, long patient, const char *date, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_objectives);
    enum err e = E_OK;
    int rc;

    *out = json_array();
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, date);
    while ((rc = db_step(st)) == DB_ROW)
        if (!admissions_push(*out,
                             json_pack("{s:s, s:s, s:s, s:s}", "id", db_col_text(st, 0), "text",
                                       db_col_text(st, 1), "target_date", db_col_text(st, 2),
                                       "status", db_col_text(st, 3)),
                             "an objective")) {
            e = E_DB;
            break;
        }
    if (rc != DB_DONE && e == E_OK)
        e = db_fail(s->db, "list objectives");
    db_reset(st);
    return e;
}

/* Checks one progress row (field: "progress[j]") and gives its objective's row id. */
static enum err progress_check(struct store *s, long patient, const char *date,
                               const struct note_progress_in *p, const char *field,
                               long *objective, struct program_why *why)
{
    enum err e;

    char f[128];

    if (!note_progress_ok(p->progress)) {
        snprintf(f, sizeof(f), "%s.progress", field);
        return store_program_why(why, E_INVALID, f,
                                 "Choose the progress: met, progressing, no-change or "
                                 "regressing.");
    }
    e = store_notes_objective_id(s, patient, date, p->objective_id, objective);
    if (e == E_NOTFOUND) {
        snprintf(f, sizeof(f), "%s.objective_id", field);
        return store_program_why(why, E_INVALID, f,
                                 "Choose an objective of this patient's current treatment "
                                 "plan.");
    }
    return e;
}

enum err store_notes_progress_put(struct store *s, long note, long patient, const char *date,
                                  const struct note_progress_in *p, size_t n, const char *field,
                                  struct program_why *why)
{
    struct db_stmt *st;
    char f[96];
    long ids[64];
    enum err e;

    if (!n)
        return store_program_why(why, E_INVALID, field,
                                 "Record progress on at least one objective of the patient's "
                                 "current treatment plan.");
    if (n > sizeof(ids) / sizeof(ids[0]))
        return store_program_why(why, E_INVALID, field, "Give at most 64 objectives.");
    for (size_t j = 0; j < n; j++) {
        snprintf(f, sizeof(f), "%s[%zu]", field, j);
        if ((e = progress_check(s, patient, date, &p[j], f, &ids[j], why)) != E_OK)
            return e;
        for (size_t k = 0; k < j; k++)
            if (ids[k] == ids[j])
                return store_program_why(why, E_INVALID, f, "This objective is listed twice.");
    }
    if (!(st = db_prepare(s->db, sql_progress_clear)))
        return E_DB;
    db_bind_int64(st, 1, note);
    db_bind_int64(st, 2, patient);
    if ((e = db_run(st, "clear progress")) != E_OK)
        return e;
    for (size_t j = 0; j < n && e == E_OK; j++) {
        if (!(st = db_prepare(s->db, sql_progress_add)))
            return E_DB;
        db_bind_int64(st, 1, note);
        db_bind_int64(st, 2, patient);
        db_bind_int64(st, 3, ids[j]);
        db_bind_text(st, 4, p[j].progress);
        db_bind_text_or_null(st, 5, p[j].comment);
        e = admissions_step_done(s, st, "add progress");
    }
    return e;
}

int store_notes_due_hours(struct store *s)
{
    char v[32];

    if (store_setting_get(s, "note_due_hours", v, sizeof(v)) != E_OK)
        return NOTE_DUE_HOURS;
    return note_due_hours(v);
}

/* localtime_r and mktime follow TZ, which `haven serve` sets to the clinic's zone at start-up:
 * a session's end is on the clinic's wall clock. */
static const struct referral_flow_clock clinic_clock = {localtime_r, mktime};

bool store_notes_due_stamp(const char *date, const char *end, int hours, char out[STAMP_LEN])
{
    time_t t = note_due_at(date, end, hours, &clinic_clock);

    if (t == (time_t)-1)
        return false;
    stamp_iso(t, out);
    return true;
}
