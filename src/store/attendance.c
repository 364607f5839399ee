/* attendance: recording one patient at one session (spec program.md §2): the minutes by the
 * status table (domain/attendance), only for someone on the roster (or a walk-in at a track
 * session, who joins its roster once R9 allows it), never at a cancelled session or one dated
 * after today. Recording again replaces the record. */
#include "store/program_internal.h"

#include <string.h>

#include "domain/attendance.h"

static const char sql_session[] =
    "SELECT id, coalesce(track_id, 0), date, start_time, end_time, minutes, status"
    " FROM program_sessions WHERE public_id = ?1";
/* Whether the patient is on the session's roster: an enrolment in its track covering its date,
 * or named on it (1: a walk-in). */
static const char sql_on_roster[] =
    "SELECT (SELECT count(*) FROM enrolments e WHERE e.patient_id = ?1 AND e.track_id = ?2"
    " AND e.start_date <= ?3 AND (e.end_date IS NULL OR e.end_date >= ?3)),"
    " (SELECT count(*) FROM session_patients sp WHERE sp.session_id = ?4 AND sp.patient_id = ?1),"
    " (SELECT count(*) FROM session_patients sp WHERE sp.session_id = ?4 AND sp.patient_id = ?1"
    " AND sp.walk_in = 1)";
static const char sql_walk_in[] =
    "INSERT INTO session_patients (session_id, patient_id, date, walk_in) VALUES (?1, ?2, ?3, 1)";
static const char sql_record[] =
    "INSERT INTO attendance (session_id, patient_id, date, status, minutes, recorded_by,"
    " recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (session_id, patient_id)"
    " DO UPDATE SET status = excluded.status, minutes = excluded.minutes,"
    " recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at";

enum err store_attendance_session(struct store *s, const char *public_id, const char *what,
                                  struct program_att_session *x)
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
        x->timed = caldate_time_parse(db_col_text(st, 3), &x->start) &&
                   caldate_time_parse(db_col_text(st, 4), &x->end);
        x->minutes = db_col_int(st, 5);
        x->cancelled = strcmp(db_col_text(st, 6), "scheduled") != 0;
        e = caldate_parse(x->date_text, &x->date) ? E_OK : E_DB;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, what);
    }
    db_reset(st);
    return e;
}

enum err store_attendance_open(const struct program_att_session *x, caldate today,
                               struct program_why *why)
{
    if (x->cancelled || x->date > today)
        return store_program_why(why, E_CONFLICT, "session_id",
                                 x->cancelled ? "The session was cancelled."
                                              : "The session is dated after today.");
    return E_OK;
}

/* Puts the patient on the roster when they are not on it and may walk in (R9 first). *walk_in
 * says on return whether they are a walk-in at this session. walk_in NULL: a batch's row, which
 * is for a patient on the roster only. */
static enum err roster_place(struct store *s, const struct program_att_session *x, long patient,
                             bool *walk_in, struct program_why *why)
{
    struct db_stmt *st = db_prepare(s->db, sql_on_roster);
    char other[PROGRAM_ID_TEXT];
    bool on = false, named_walk_in = false;
    enum db_step rc;
    enum err e;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_int64(st, 2, x->track);
    db_bind_text(st, 3, x->date_text);
    db_bind_int64(st, 4, x->id);
    if ((rc = db_step(st)) == DB_ROW) {
        on = (x->track && db_col_int64(st, 0) > 0) || db_col_int64(st, 1) > 0;
        named_walk_in = db_col_int64(st, 2) > 0;
    }
    db_reset(st);
    if (!walk_in) {
        if (rc != DB_ROW)
            return db_fail(s->db, "attendance batch roster");
        return on ? E_OK
                  : store_program_why(why, E_CONFLICT, "patient_id",
                                      "The patient is not on this session's roster.");
    }
    if (on) {
        *walk_in = named_walk_in;
        return E_OK;
    }
    if (!*walk_in || !x->track)
        return store_program_why(why, E_CONFLICT, "patient_id",
                                 x->track ? "The patient is not on this session's roster (a "
                                            "walk-in says \"walk_in\": true)."
                                          : "The patient is not named on this session.");
    e = store_program_patient_busy(s, patient, x->date, x->start, x->end, x->id, other);
    if (e == E_CONFLICT)
        return store_program_why(why, e, "walk_in", "The patient is in session %s at that time.",
                                 other);
    if (e != E_OK || !(st = db_prepare(s->db, sql_walk_in)))
        return e != E_OK ? e : E_DB;
    db_bind_int64(st, 1, x->id);
    db_bind_int64(st, 2, patient);
    db_bind_text(st, 3, x->date_text);
    return admissions_step_done(s, st, "walk-in");
}

static enum err record(struct store *s, const struct program_att_session *x, long patient,
                       enum attendance_status status, int minutes, const struct audit_entry *a)
{
    struct db_stmt *st = db_prepare(s->db, sql_record);
    char now[STAMP_LEN];

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, x->id);
    db_bind_int64(st, 2, patient);
    db_bind_text(st, 3, x->date_text);
    db_bind_text(st, 4, attendance_status_name(status));
    db_bind_int64(st, 5, minutes);
    admissions_bind_user(st, 6, a ? a->user_id : 0);
    db_bind_text(st, 7, stamp_now(now));
    return admissions_step_done(s, st, "attendance");
}

enum err store_attendance_row(struct store *s, const struct program_att_session *x,
                              const struct attendance_mark *row, caldate today, bool *walk_in,
                              const struct audit_entry *a, struct program_why *why,
                              const char **status, int *minutes)
{
    enum attendance_status st;
    const char *problem;
    long patient = 0;
    enum err e;

    if ((e = store_program_patient_id(s, row->patient_id, &patient)) != E_OK)
        return e;
    if (!row->status || !attendance_status_parse(row->status, &st))
        return store_program_why(why, E_INVALID, "status",
                                 "The status is present, late, left-early, absent-excused or "
                                 "absent-unexcused.");
    if ((problem = attendance_minutes(st, x->minutes, row->minutes, minutes)))
        return store_program_why(why, E_INVALID, "minutes", "%s", problem);
    *status = attendance_status_name(st);
    if ((e = store_attendance_open(x, today, why)) != E_OK ||
        (e = roster_place(s, x, patient, walk_in, why)) != E_OK ||
        (e = record(s, x, patient, st, *minutes, a)) != E_OK)
        return e;
    return admissions_audit(s, a, "attendance", "patient", row->patient_id);
}

enum err store_attendance_put(struct store *s, const char *session_id, const char *patient_id,
                              const char *status, int minutes, bool walk_in, caldate today,
                              const struct audit_entry *a, json_t **out, struct program_why *why)
{
    struct program_att_session x = {0};
    const struct attendance_mark row = {patient_id, status, minutes};
    const char *name = NULL;
    int m = 0;
    enum err e;

    *out = NULL;
    /* A walk-in is checked against the day's track sessions (R9): they exist before the write
     * (the session is dated today at the latest). */
    if ((e = store_program_ensure(s, 0, today)) != E_OK)
        return e;
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = store_attendance_session(s, session_id, "attendance session", &x)) == E_OK &&
        !x.timed)
        e = E_DB;
    if (e != E_OK ||
        (e = store_attendance_row(s, &x, &row, today, &walk_in, a, why, &name, &m)) != E_OK)
        goto out;
    *out = json_pack("{s:s, s:s, s:s, s:s, s:i, s:b}", "session_id", session_id, "patient_id",
                     patient_id, "date", x.date_text, "status", name, "minutes", m, "walk_in",
                     walk_in);
out:
    return admissions_finish(s, e);
}
