/* attendance_batch: a session's attendance taken on one screen (spec program.md §2): every
 * patient's record written in one transaction, or none of them. store_attendance_put opens a
 * transaction of its own, so it cannot be called once per row inside the caller's; this file
 * applies the same rules (the status table of domain/attendance, the roster, no cancelled or
 * future session) and the same audit entry per patient, for rows of patients already on the
 * roster (a walk-in is one store_attendance_put). */
#include "store/program_internal.h"

#include <string.h>

#include "domain/attendance.h"

static const char sql_session[] =
    "SELECT id, coalesce(track_id, 0), date, minutes, status FROM program_sessions"
    " WHERE public_id = ?1";
/* On the roster: an enrolment in the session's track covering its date (a one-off has track
 * 0, which no enrolment names), or named on the session (a one-off's patient, a walk-in). */
static const char sql_on_roster[] =
    "SELECT (SELECT count(*) FROM enrolments e WHERE e.patient_id = ?1 AND e.track_id = ?2"
    " AND e.start_date <= ?3 AND (e.end_date IS NULL OR e.end_date >= ?3))"
    " + (SELECT count(*) FROM session_patients sp WHERE sp.session_id = ?4"
    " AND sp.patient_id = ?1)";
static const char sql_record[] =
    "INSERT INTO attendance (session_id, patient_id, date, status, minutes, recorded_by,"
    " recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (session_id, patient_id)"
    " DO UPDATE SET status = excluded.status, minutes = excluded.minutes,"
    " recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at";

/* The session as a batch needs it. */
struct batch_session {
    long id, track;
    int minutes;
    caldate date;
    char date_text[CALDATE_TEXT];
    bool cancelled;
};

static enum err batch_session_of(struct store *s, const char *public_id, struct batch_session *x)
{
    struct db_stmt *st = db_prepare(s->db, sql_session);
    enum db_step rc;
    enum err e = E_NOTFOUND;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, public_id ? public_id : "");
    if ((rc = db_step(st)) == DB_ROW) {
        x->id = (long)db_col_int64(st, 0);
        x->track = (long)db_col_int64(st, 1);
        store_copy(x->date_text, sizeof(x->date_text), db_col_text(st, 2));
        x->minutes = db_col_int(st, 3);
        x->cancelled = strcmp(db_col_text(st, 4), "scheduled") != 0;
        e = caldate_parse(x->date_text, &x->date) ? E_OK : E_DB;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "attendance batch session");
    }
    db_reset(st);
    return e;
}

static enum err batch_on_roster(struct store *s, const struct batch_session *x, long patient,
                                struct program_why *why)
{
    struct db_stmt *st = db_prepare(s->db, sql_on_roster);
    enum db_step rc;
    bool on = false;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_int64(st, 2, x->track);
    db_bind_text(st, 3, x->date_text);
    db_bind_int64(st, 4, x->id);
    if ((rc = db_step(st)) == DB_ROW)
        on = db_col_int64(st, 0) > 0;
    db_reset(st);
    if (rc != DB_ROW)
        return db_fail(s->db, "attendance batch roster");
    return on ? E_OK
              : store_program_why(why, E_CONFLICT, "patient_id",
                                  "The patient is not on this session's roster.");
}

/* One row, inside the open transaction. */
static enum err batch_row(struct store *s, const struct batch_session *x,
                          const struct attendance_mark *row, const struct audit_entry *a,
                          struct program_why *why)
{
    enum attendance_status status;
    struct db_stmt *st;
    const char *problem;
    char now[STAMP_LEN];
    long patient = 0;
    int m = 0;
    enum err e;

    if ((e = store_program_patient_id(s, row->patient_id, &patient)) != E_OK)
        return e;
    if (!row->status || !attendance_status_parse(row->status, &status))
        return store_program_why(why, E_INVALID, "status",
                                 "The status is present, late, left-early, absent-excused or "
                                 "absent-unexcused.");
    if ((problem = attendance_minutes(status, x->minutes, row->minutes, &m)))
        return store_program_why(why, E_INVALID, "minutes", "%s", problem);
    if ((e = batch_on_roster(s, x, patient, why)) != E_OK)
        return e;
    if (!(st = db_prepare(s->db, sql_record)))
        return E_DB;
    db_bind_int64(st, 1, x->id);
    db_bind_int64(st, 2, patient);
    db_bind_text(st, 3, x->date_text);
    db_bind_text(st, 4, attendance_status_name(status));
    db_bind_int64(st, 5, m);
    admissions_bind_user(st, 6, a ? a->user_id : 0);
    db_bind_text(st, 7, stamp_now(now));
    if ((e = admissions_step_done(s, st, "attendance")) != E_OK)
        return e;
    return admissions_audit(s, a, "attendance", "patient", row->patient_id);
}

enum err store_attendance_put_all(struct store *s, const char *session_id,
                                  const struct attendance_mark *rows, size_t n, caldate today,
                                  const struct audit_entry *a, size_t *at,
                                  struct program_why *why)
{
    struct batch_session x = {0};
    enum err e;

    *at = n;
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = batch_session_of(s, session_id, &x)) != E_OK)
        goto out;
    if (x.cancelled || x.date > today) {
        e = store_program_why(why, E_CONFLICT, "session_id",
                              x.cancelled ? "The session was cancelled."
                                          : "The session is dated after today.");
        goto out;
    }
    for (size_t i = 0; i < n && e == E_OK; i++)
        if ((e = batch_row(s, &x, &rows[i], a, why)) != E_OK)
            *at = i;
out:
    return admissions_finish(s, e);
}
