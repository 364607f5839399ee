/* program_sessions: the program's dated sessions (spec program.md §2): reading them with their
 * rosters (a track session's is every enrolment covering its date plus its walk-ins; a one-off
 * session's, its named patients), adding a one-off session (R9: none of its patients, staff or
 * its room in an overlapping session) and cancelling one (never once attendance is taken). */
#include "store/program_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/rand.h"
#include "core/utf8.h"
#include "store/staff.h"

#define SESSION_FROM                                                                           \
    "SELECT " PROGRAM_SESSION_COLS " FROM program_sessions s LEFT JOIN tracks t"               \
    " ON t.id = s.track_id"
static const char sql_all[] = SESSION_FROM " WHERE s.date >= ?1 AND s.date <= ?2"
                                           " ORDER BY s.date, s.start_time, s.public_id";
static const char sql_of_track[] =
    SESSION_FROM " WHERE s.track_id = ?3 AND s.date >= ?1 AND s.date <= ?2"
                 " ORDER BY s.date, s.start_time, s.public_id";
/* A patient's sessions: their tracks' on the dates their enrolments cover, and those that name
 * them; of one track when ?3 is bound. */
static const char sql_of_patient[] =
    SESSION_FROM " WHERE s.id IN (SELECT s2.id FROM enrolments e JOIN program_sessions s2"
                 " ON s2.track_id = e.track_id AND s2.date >= ?1 AND s2.date <= ?2"
                 " AND s2.date >= e.start_date AND (e.end_date IS NULL OR s2.date <= e.end_date)"
                 " WHERE e.patient_id = ?4"
                 " UNION SELECT sp.session_id FROM session_patients sp WHERE sp.patient_id = ?4"
                 " AND sp.date >= ?1 AND sp.date <= ?2)"
                 " AND (?3 IS NULL OR s.track_id = ?3)"
                 " ORDER BY s.date, s.start_time, s.public_id";
static const char sql_one[] = SESSION_FROM " WHERE s.public_id = ?1";
/* A day's sessions with the size of each roster: the enrolments of its track covering the day
 * (a one-off has none), and those it names who are not among them (program_common.c's
 * sql_enrolled and sql_named, merged). The open and the ended enrolments are counted apart, as
 * tracks.c's census does, so that each count is one range of enrolments_track_end (track_id,
 * end_date, start_date), not every enrolment the track ever had; a patient is enrolled in a
 * track once on a day (R9), so the counts are of patients. */
static const char sql_day_brief[] =
    "SELECT " PROGRAM_SESSION_COLS ", (SELECT count(*) FROM enrolments e"
    " WHERE e.track_id = s.track_id AND e.end_date IS NULL AND e.start_date <= s.date)"
    " + (SELECT count(*) FROM enrolments e WHERE e.track_id = s.track_id"
    " AND e.end_date >= s.date AND e.start_date <= s.date) + (SELECT count(*)"
    " FROM session_patients sp WHERE sp.session_id = s.id AND NOT EXISTS (SELECT 1"
    " FROM enrolments e2 WHERE e2.patient_id = sp.patient_id AND e2.track_id = s.track_id"
    " AND e2.start_date <= s.date AND (e2.end_date IS NULL OR e2.end_date >= s.date)))"
    " FROM program_sessions s LEFT JOIN tracks t ON t.id = s.track_id WHERE s.date = ?1"
    " ORDER BY s.date, s.start_time, s.public_id";
/* A patient's one-off sessions of ?1..?2 (no track, the patient named), without rosters. */
static const char sql_oneoffs_of_patient[] =
    "SELECT s.public_id, s.date, s.start_time, s.title, s.kind, s.status"
    " FROM session_patients sp JOIN program_sessions s ON s.id = sp.session_id"
    " JOIN patients p ON p.id = sp.patient_id WHERE p.public_id = ?3 AND sp.date >= ?1"
    " AND sp.date <= ?2 AND s.track_id IS NULL ORDER BY s.date, s.start_time, s.public_id";
static const char sql_session_add[] =
    "INSERT INTO program_sessions (public_id, date, start_time, end_time, minutes, kind, title,"
    " room, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " RETURNING id";
static const char sql_name_patient[] =
    "INSERT INTO session_patients (session_id, patient_id, date, walk_in)"
    " VALUES (?1, ?2, ?3, 0)";
static const char sql_name_staff[] =
    "INSERT INTO session_staff (session_id, user_id, date) VALUES (?1, ?2, ?3)";
static const char sql_for_cancel[] =
    "SELECT s.id, s.status, (SELECT count(*) FROM attendance a WHERE a.session_id = s.id)"
    " FROM program_sessions s WHERE s.public_id = ?1";
static const char sql_cancel[] =
    "UPDATE program_sessions SET status = 'cancelled', cancel_reason = ?2 WHERE id = ?1";

/* The one-off kinds (spec §2). */
static const char *const oneoff_kinds[] = {"individual", "family", "medication", "group",
                                           "workshop"};

static json_t *session_row(struct store *s, struct db_stmt *st, void *ctx)
{
    return store_program_session_json_in(s, st, ctx);
}

/* The sessions st selects (in date order), each track's roster on a date read once. */
static enum err sessions_read(struct store *s, struct db_stmt *st, json_t **out)
{
    struct program_rosters r = {0};
    enum err e = store_rows(s, st, session_row, &r, "sessions", out);

    store_program_rosters_free(&r);
    return e;
}

enum err store_program_sessions_list(struct store *s, caldate from, caldate to,
                                     const char *track_id, const char *patient_id, json_t **out)
{
    char a[CALDATE_TEXT], b[CALDATE_TEXT];
    long track = 0, patient = 0;
    struct db_stmt *st;
    enum err e;

    if (track_id && (e = store_program_track_id(s, track_id, &track)) != E_OK)
        return e;
    if (patient_id && (e = store_program_patient_id(s, patient_id, &patient)) != E_OK)
        return e;
    if ((e = store_program_ensure(s, track, to)) != E_OK)
        return e;
    st = db_prepare(s->db, patient ? sql_of_patient : track ? sql_of_track : sql_all);
    if (!st)
        return E_DB;
    db_bind_text(st, 1, caldate_format(from, a));
    db_bind_text(st, 2, caldate_format(to, b));
    if (track)
        db_bind_int64(st, 3, track);
    if (patient)
        db_bind_int64(st, 4, patient);
    return sessions_read(s, st, out);
}

static json_t *brief_row(struct store *s, struct db_stmt *st, void *ctx)
{
    json_t *o = store_program_session_base(st);

    (void)s;
    (void)ctx;
    if (o)
        json_object_set_new(o, "roster_size", json_integer(db_col_int64(st, 13)));
    return o;
}

enum err store_program_sessions_day_brief(struct store *s, caldate day, json_t **out)
{
    char a[CALDATE_TEXT];
    struct db_stmt *st;
    enum err e;

    if ((e = store_program_ensure(s, 0, day)) != E_OK)
        return e;
    if (!(st = db_prepare(s->db, sql_day_brief)))
        return E_DB;
    db_bind_text(st, 1, caldate_format(day, a));
    return store_rows(s, st, brief_row, NULL, "sessions", out);
}

enum err store_program_session_get(struct store *s, const char *session_id, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_one);
    json_t *arr = NULL;
    enum err e;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, session_id ? session_id : "");
    if ((e = sessions_read(s, st, &arr)) != E_OK)
        return e;
    return store_program_one(arr, out);
}

/* The rules of a one-off session on its own (E_INVALID naming the field). */
static enum err oneoff_check(const struct program_session *p, struct program_why *why)
{
    bool kind = false;
    long n;

    for (size_t i = 0; i < sizeof(oneoff_kinds) / sizeof(*oneoff_kinds); i++)
        kind |= p->kind && !strcmp(p->kind, oneoff_kinds[i]);
    if (p->start < 0 || p->start >= 24 * 60)
        return store_program_why(why, E_INVALID, "start", "The start is a time such as 09:00.");
    if (p->end <= p->start || p->end >= 24 * 60 || p->end - p->start > 720)
        return store_program_why(why, E_INVALID, "end",
                                 "The end is after the start, on the same day.");
    if (!kind)
        return store_program_why(why, E_INVALID, "kind",
                                 "The kind is individual, family, medication, group or workshop.");
    n = p->title ? utf8_count(p->title) : -1;
    if (n < 1 || n > TRACK_TITLE_MAX || utf8_has_format(p->title))
        return store_program_why(why, E_INVALID, "title", "The title is 1 to 100 characters.");
    n = p->room ? utf8_count(p->room) : 1;
    if (n < 1 || n > 50 || (p->room && utf8_has_format(p->room)))
        return store_program_why(why, E_INVALID, "room", "The room is 1 to 50 characters.");
    if (p->n_patients < 1 || p->n_patients > 50)
        return store_program_why(why, E_INVALID, "patients",
                                 "Name the patients of the session (1 to 50).");
    if (p->n_staff > 20)
        return store_program_why(why, E_INVALID, "staff", "At most 20 staff members.");
    return E_OK;
}

/* Names each patient and staff member on session row id, checking R9 for each first. */
static enum err name_people(struct store *s, const struct program_session *p, long id,
                            struct program_why *why)
{
    char date[CALDATE_TEXT], other[PROGRAM_ID_TEXT];
    struct staff_user u;
    struct db_stmt *st;
    long who;
    enum err e = E_OK;

    caldate_format(p->date, date);
    for (size_t i = 0; i < p->n_patients && e == E_OK; i++) {
        if (store_program_patient_id(s, p->patients[i], &who) != E_OK)
            return store_program_why(why, E_INVALID, "patients", "There is no patient %.40s.",
                                     p->patients[i]);
        e = store_program_patient_busy(s, who, p->date, p->start, p->end, id, other);
        if (e == E_CONFLICT)
            return store_program_why(why, E_CONFLICT, "patients",
                                     "Patient %s is in session %s at that time.",
                                     p->patients[i], other);
        if (e != E_OK || !(st = db_prepare(s->db, sql_name_patient)))
            return e != E_OK ? e : E_DB;
        db_bind_int64(st, 1, id);
        db_bind_int64(st, 2, who);
        db_bind_text(st, 3, date);
        if ((e = admissions_step_done(s, st, "session patient")) == E_INVALID)
            e = store_program_why(why, E_INVALID, "patients", "A patient is named twice.");
    }
    for (size_t i = 0; i < p->n_staff && e == E_OK; i++) {
        if (store_user_get(s, STAFF_BY_EMAIL, 0, p->staff[i], &u) != E_OK || u.disabled)
            return store_program_why(why, E_INVALID, "staff", "There is no staff member %.60s.",
                                     p->staff[i]);
        if ((e = store_program_staff_busy(s, u.id, p->date, p->start, p->end, other)) ==
            E_CONFLICT)
            return store_program_why(why, E_CONFLICT, "staff",
                                     "%.60s is in session %s at that time.", p->staff[i], other);
        if (e != E_OK || !(st = db_prepare(s->db, sql_name_staff)))
            return e != E_OK ? e : E_DB;
        db_bind_int64(st, 1, id);
        db_bind_int64(st, 2, u.id);
        db_bind_text(st, 3, date);
        if ((e = admissions_step_done(s, st, "session staff")) == E_INVALID)
            e = store_program_why(why, E_INVALID, "staff", "A staff member is named twice.");
    }
    return e;
}

enum err store_program_session_add(struct store *s, const struct program_session *p,
                           const struct audit_entry *a, json_t **out, struct program_why *why)
{
    char id[PROGRAM_ID_TEXT], now[STAMP_LEN], date[CALDATE_TEXT], t1[6], t2[6];
    char other[PROGRAM_ID_TEXT];
    struct db_stmt *st;
    long row = 0;
    enum err e;

    *out = NULL;
    if ((e = oneoff_check(p, why)) != E_OK)
        return e;
    rand_hex(id, 16);
    stamp_now(now);
    if ((e = store_program_ensure(s, 0, p->date)) != E_OK)
        return e;
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = store_program_room_busy(s, p->room, p->date, p->start, p->end, other)) != E_OK) {
        if (e == E_CONFLICT)
            store_program_why(why, e, "room", "The room is taken by session %s at that time.",
                              other);
        goto out;
    }
    if (!(st = db_prepare(s->db, sql_session_add))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, caldate_format(p->date, date));
    db_bind_text(st, 3, caldate_time_format(p->start, t1));
    db_bind_text(st, 4, caldate_time_format(p->end, t2));
    db_bind_int64(st, 5, p->end - p->start);
    db_bind_text(st, 6, p->kind);
    db_bind_text(st, 7, p->title);
    db_bind_text_or_null(st, 8, p->room);
    admissions_bind_user(st, 9, a ? a->user_id : 0);
    db_bind_text(st, 10, now);
    if ((e = admissions_insert_id(s, st, "session", &row)) != E_OK ||
        (e = name_people(s, p, row, why)) != E_OK ||
        (e = admissions_audit(s, a, "create", "session", id)) != E_OK ||
        (e = store_program_session_get(s, id, out)) != E_OK)
        goto out;
out:
    e = admissions_finish(s, e);
    if (e != E_OK && *out) {
        json_decref(*out);
        *out = NULL;
    }
    return e;
}

enum err store_program_session_cancel(struct store *s, const char *session_id, const char *reason,
                              const struct audit_entry *a, json_t **out, struct program_why *why)
{
    struct db_stmt *st;
    long row = 0, taken = 0;
    enum db_step rc;
    enum err e = E_NOTFOUND;
    long n = reason ? utf8_count(reason) : -1;

    *out = NULL;
    if (n < 1 || n > 300 || utf8_has_format(reason))
        return store_program_why(why, E_INVALID, "reason", "The reason is 1 to 300 characters.");
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(st = db_prepare(s->db, sql_for_cancel))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, session_id ? session_id : "");
    if ((rc = db_step(st)) == DB_ROW) {
        row = (long)db_col_int64(st, 0);
        taken = (long)db_col_int64(st, 2);
        e = strcmp(db_col_text(st, 1), "scheduled")
                ? store_program_why(why, E_CONFLICT, "id", "The session is already cancelled.")
                : E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "session");
    }
    db_reset(st);
    if (e == E_OK && taken)
        e = store_program_why(why, E_CONFLICT, "id",
                              "Attendance was taken at this session: it cannot be cancelled.");
    if (e != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_cancel))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, row);
    db_bind_text(st, 2, reason);
    if ((e = admissions_step_done(s, st, "session cancel")) != E_OK ||
        (e = admissions_audit(s, a, "cancel", "session", session_id)) != E_OK)
        goto out;
    e = store_program_session_get(s, session_id, out);
out:
    e = admissions_finish(s, e);
    if (e != E_OK && *out) {
        json_decref(*out);
        *out = NULL;
    }
    return e;
}

static json_t *oneoff_row(struct store *s, struct db_stmt *st, void *ctx)
{
    (void)s, (void)ctx;
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", db_col_text(st, 0), "date",
                     db_col_text(st, 1), "start", db_col_text(st, 2), "title", db_col_text(st, 3),
                     "kind", db_col_text(st, 4), "status", db_col_text(st, 5));
}

enum err store_program_patient_oneoffs(struct store *s, caldate from, caldate to,
                                       const char *patient_id, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_oneoffs_of_patient);
    char a[CALDATE_TEXT], b[CALDATE_TEXT];

    if (!st)
        return E_DB;
    db_bind_text(st, 1, caldate_format(from, a));
    db_bind_text(st, 2, caldate_format(to, b));
    db_bind_text(st, 3, patient_id ? patient_id : "");
    return store_rows(s, st, oneoff_row, NULL, "one-off sessions", out);
}
