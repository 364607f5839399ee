/* program_internal: what the program's store files (tracks.c, enrolments.c, program_sessions.c,
 * attendance.c, attendance_batch.c, hours.c, transitions.c, program_common.c) share and nothing
 * outside store/ includes: refusals with their field, row ids of public ids, the lazy making of
 * a track's dated sessions, the R9 conflict checks every write runs, an enrolment written inside
 * another write, and a session as the API answers it. Writers run inside the caller's
 * transaction (db_begin) and return E_OK, E_CONFLICT (with the other session's public id),
 * E_NOTFOUND or E_DB (logged, ids only). */
#ifndef HAVEN_PROGRAM_INTERNAL_H
#define HAVEN_PROGRAM_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/hours.h"
#include "store/admissions_internal.h"
#include "store/program.h"

/* A public id and its NUL. */
#define PROGRAM_ID_TEXT 33

/* Fills why (may be NULL) with field and a printf-style message; returns e, so that a refusal
 * is one statement: `return store_program_why(why, E_INVALID, "end", "...")`. */
enum err store_program_why(struct program_why *why, enum err e, const char *field,
                           const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Row ids of public ids: E_NOTFOUND when there is none. */
enum err store_program_patient_id(struct store *s, const char *public_id, long *id);
enum err store_program_track_id(struct store *s, const char *public_id, long *id);

/* Makes the dated sessions of track (0: of every track) from its opening up to `to`, inside an
 * open write transaction: one per active slot and date, never twice (a session made keeps its
 * id), and advances the track's made_until. */
enum err store_program_make(struct store *s, long track, caldate to);
/* Makes the track's sessions of the days from..to (both inclusive) whatever made_until says
 * (a slot added to the pattern reaches the dates already made). */
enum err store_program_make_days(struct store *s, long track, caldate from, caldate to);
/* The same in a transaction of its own, when some track's sessions do not reach `to` yet (a
 * read that looks further than any read before it): nothing is written otherwise. */
enum err store_program_ensure(struct store *s, long track, caldate to);

/* R9 inside a write transaction: the public id of a scheduled session other than `except` (a
 * row id, 0: none) that overlaps start-end on date for patient (its track sessions included)
 * / staff member (users.id) / room. E_OK: none; E_CONFLICT: other set. The tracks' sessions
 * of that date must have been made before the write's transaction began (store_program_ensure),
 * so that a session a refusal names is never one that its rollback takes away. */
enum err store_program_patient_busy(struct store *s, long patient, caldate date, int start,
                                    int end, long except, char other[PROGRAM_ID_TEXT]);
enum err store_program_staff_busy(struct store *s, long user, caldate date, int start, int end,
                                  char other[PROGRAM_ID_TEXT]);
enum err store_program_room_busy(struct store *s, const char *room, caldate date, int start,
                                 int end, char other[PROGRAM_ID_TEXT]);

/* Enrolments (enrolments.c), inside the caller's write transaction. store_program_enrol_in
 * checks the span e->start..e->end of patient in track (at most one enrolment of the patient
 * covering a date, R8 against capacity with e's administrator override, R9) and inserts it with
 * its audit entries ("create", and "override-capacity" past the capacity): id gets its public
 * id, *row its row id; now is its created_at (NULL: this moment). */
enum err store_program_enrol_in(struct store *s, long patient, long track, int capacity,
                                const struct program_enrolment *e, const struct audit_entry *a,
                                const char *now, char id[PROGRAM_ID_TEXT], long *row,
                                struct program_why *why);
/* Sets an enrolment's end (CALDATE_OPEN: none) and, when reason is not NULL, its end reason. */
enum err store_program_set_end(struct store *s, long row, caldate end, const char *reason);
/* Makes the track's sessions up to the last session naming the patient from `from` on, before
 * a write's transaction (R9 compares them; a refusal never names a session its rollback
 * undoes). */
enum err store_program_sessions_ready(struct store *s, long patient, long track, caldate from);

/* Attendance (attendance.c): a dated session as it reads it; timed: its times parsed. */
struct program_att_session {
    long id, track;
    caldate date;
    int start, end, minutes;
    char date_text[CALDATE_TEXT];
    bool cancelled, timed;
};
/* The session of public_id: E_NOTFOUND, E_DB on an unreadable date or a failure (logged as
 * what). */
enum err store_attendance_session(struct store *s, const char *public_id, const char *what,
                                  struct program_att_session *x);
/* E_CONFLICT (why on session_id) for a cancelled session or one dated after today. */
enum err store_attendance_open(const struct program_att_session *x, caldate today,
                               struct program_why *why);
/* One patient's record at x inside the caller's write transaction, and its audit entry (the
 * patient's): the status table, the session open, the roster. walk_in: whether the patient
 * walks in (a track session's roster takes them, R9 first), and on return whether they are a
 * walk-in; NULL: only a patient on the roster. *status and *minutes get what was recorded. */
enum err store_attendance_row(struct store *s, const struct program_att_session *x,
                              const struct attendance_mark *row, caldate today, bool *walk_in,
                              const struct audit_entry *a, struct program_why *why,
                              const char **status, int *minutes);

/* The columns every session read selects, in this order, for store_program_session_json. */
#define PROGRAM_SESSION_COLS                                                                   \
    "s.id, s.public_id, s.date, s.start_time, s.end_time, s.minutes, s.kind, s.title,"         \
    " t.public_id, s.status, s.room, s.track_id, s.cancel_reason"
/* The session of the current row of st (PROGRAM_SESSION_COLS from column 0) with its roster
 * (patient public ids, sorted) and staff (e-mails): {id, date, start, end, minutes, kind, title,
 * track_id, status, room, staff, roster, cancel_reason?}. NULL on a database failure (logged). */
json_t *store_program_session_json(struct store *s, struct db_stmt *st);
/* The session of the current row of st without its roster and staff (the same keys else).
 * NULL when it does not fit (logged). */
json_t *store_program_session_base(struct db_stmt *st);
/* The enrolment rosters one read of many sessions has computed: a track's roster on a date is
 * read once however many of its sessions the read holds (the sessions come in date order, so
 * only the current date's are kept). Zeroed before the read; store_program_rosters_free after. */
struct program_rosters {
    char date[16];
    size_t n, cap;
    struct program_roster {
        long track;
        json_t *ids; /* the track's enrolled patients' public ids on date, sorted, each once */
    } *v;
};
/* store_program_session_json with the track rosters taken from (and kept in) r. */
json_t *store_program_session_json_in(struct store *s, struct db_stmt *st,
                                      struct program_rosters *r);
void store_program_rosters_free(struct program_rosters *r);

/* The one record of arr (released): *out a new reference, or E_NOTFOUND when arr is empty. */
enum err store_program_one(json_t *arr, json_t **out);

/* A track as the writes that place a patient in it check it: its row id, opening date (0 when
 * unreadable), capacity, level and code. */
struct program_track_row {
    long id;
    caldate opens;
    int capacity;
    char level[16];
    char code[TRACK_CODE_MAX + 1];
};
/* The track of public_id (NULL reads as none): E_OK, E_NOTFOUND (each caller says so in its own
 * words) or E_DB (logged as what). */
enum err store_program_track_row(struct store *s, const char *public_id, const char *what,
                                 struct program_track_row *out);

/* One enrolment of a row as the rules take it (domain/hours.h): start, end (NULL: open),
 * min_weekly_minutes (NULL: none) and level in columns c to c + 3, the track's operating days in
 * column days. False (h unusable) when the start is not a date. */
bool store_program_enrolment_row(struct db_stmt *st, int c, int days, struct hours_enrolment *h);

static inline const char *program_date(caldate d, char out[CALDATE_TEXT])
{
    return caldate_format(d, out);
}

#endif
