/* program: the store's interface for the IOP itself (spec program.md, haven-program-2): tracks
 * and their weekly slots, enrolments, sessions (a track's, made from its slots as dates are
 * reached, and one-off ones), rosters, attendance, and the figures of §3 (a patient's week,
 * billable days, alerts), which screens and the API both read from here.
 * Records are named by their public ids; dates are the clinic's "YYYY-MM-DD", times "HH:MM".
 * Reads hand back jansson models (new references). Every write is one transaction with its
 * audit entry (NULL: none), landing whole or not at all.
 * Returns E_OK; E_NOTFOUND (the record named in the path); E_INVALID or E_CONFLICT with
 * *why filled (the field at fault and a sentence for a person; spec §4's 422 and 409);
 * E_DB (logged, ids only). */
#ifndef HAVEN_STORE_PROGRAM_H
#define HAVEN_STORE_PROGRAM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "domain/audit_chain.h"
#include "domain/caldate.h"
#include "domain/track.h"
#include "store/store.h"

/* What a refused write names: the request's field and why, in plain words. */
struct program_why {
    char field[48];
    char message[240];
};

/* A track as written (spec §2); min_weekly_minutes HOURS_NONE for none, -2 for the default of
 * its level and population. */
struct program_track {
    const char *code, *name;
    enum track_level level;
    enum track_population population;
    int capacity;
    caldate opens;
    int min_weekly_minutes;
    const struct track_slot *slots;
    size_t n_slots;
};

/* Adds a track (its code unique: E_CONFLICT); public_id gets its id. */
enum err store_track_add(struct store *s, const struct program_track *t,
                         const struct audit_entry *a, char public_id[33],
                         struct program_why *why);
/* Changes a track; its pattern changes sessions from `from` on (today: past sessions keep what
 * happened): sessions of a slot that stays keep their ids, a slot's new title reaches its future
 * sessions, sessions of a slot that left go unless they have attendance. */
enum err store_track_update(struct store *s, const char *track_id,
                            const struct program_track *t, caldate from,
                            const struct audit_entry *a, struct program_why *why);
/* One track / every track (by code), as spec §4 answers them: {id, code, name, level,
 * population, capacity, opens, min_weekly_minutes, slots: [...], operates_days}; a track also
 * has "census" (enrolments covering `today`). */
enum err store_track_get(struct store *s, const char *track_id, caldate today, json_t **out);
enum err store_track_list(struct store *s, caldate today, json_t **out);

/* An enrolment: patient in track from start to end (CALDATE_OPEN: open). override_reason (NULL
 * when none) lets an administrator go past the capacity (R8); is_admin says whether the caller
 * may. */
struct program_enrolment {
    const char *track_id;
    caldate start, end;
    const char *override_reason;
    bool is_admin;
};
enum err store_enrol(struct store *s, const char *patient_id, const struct program_enrolment *e,
                     const struct audit_entry *a, json_t **out, struct program_why *why);
/* Sets the end of an enrolment (discharge, a move). */
enum err store_enrolment_end(struct store *s, const char *enrolment_id, caldate end,
                             const char *reason, const struct audit_entry *a, json_t **out,
                             struct program_why *why);
/* A patient's enrolments, oldest first. */
enum err store_enrolments_of(struct store *s, const char *patient_id, json_t **out);

/* A patient's one-off sessions (individual, family, medication, ...) from `from` to `to`, oldest
 * first, without rosters: [{id, date, start, title, kind, status}] (for tying a note to one). */
enum err store_program_patient_oneoffs(struct store *s, caldate from, caldate to,
                                       const char *patient_id, json_t **out);
/* Sessions from `from` to `to` (both inclusive), of one track or one patient's roster when not
 * NULL, sorted by date, start, id: [{id, date, start, end, minutes, kind, title, track_id, status,
 * room, staff: [emails], roster: [patient ids]}]. Makes the tracks' sessions up to `to`. */
enum err store_program_sessions_list(struct store *s, caldate from, caldate to,
                                     const char *track_id, const char *patient_id, json_t **out);
/* The sessions of one day as store_program_sessions_list lists them, without their rosters and
 * staff: each with roster_size (how many the roster holds) instead. For a network's day of
 * hundreds of sessions, where names are one link away. */
enum err store_program_sessions_day_brief(struct store *s, caldate day, json_t **out);
enum err store_program_session_get(struct store *s, const char *session_id, json_t **out);

/* A one-off session (spec §2): patients by public id, staff by e-mail. */
struct program_session {
    caldate date;
    int start, end;
    const char *kind, *title, *room;
    const char *const *patients;
    size_t n_patients;
    const char *const *staff;
    size_t n_staff;
};
enum err store_program_session_add(struct store *s, const struct program_session *p,
                                   const struct audit_entry *a, json_t **out,
                                   struct program_why *why);
/* Cancels a session (E_CONFLICT when it has attendance). */
enum err store_program_session_cancel(struct store *s, const char *session_id, const char *reason,
                                      const struct audit_entry *a, json_t **out,
                                      struct program_why *why);
/* Records (or replaces) one patient's attendance: status name, minutes (< 0: not given),
 * walk_in (adds them to a track session's roster). today: later sessions are refused. */
enum err store_attendance_put(struct store *s, const char *session_id, const char *patient_id,
                              const char *status, int minutes, bool walk_in, caldate today,
                              const struct audit_entry *a, json_t **out, struct program_why *why);

/* A patient's week (spec §4, R1-R6) as of a date. */
enum err store_patient_week(struct store *s, const char *patient_id, struct caldate_week w,
                            caldate as_of, json_t **out);
/* Billable days (R6, its fourth condition included: a plan current and every attended
 * session's note signed) from `from` to `to`, of one track when not NULL, sorted by date and
 * patient id; with_names adds patient_name (the CSV export). */
enum err store_billing_days(struct store *s, caldate from, caldate to, const char *track_id,
                            bool with_names, json_t **out);
/* One billable day as store_billing_days_each hands it over (strings valid during the call). */
struct billing_day {
    const char *date, *patient_id, *track_id, *patient_name;
    int minutes, services;
};
/* The same days, in the same order, each handed to fn (a nonzero return stops the read with
 * E_DB): for an export of a network's month (~100,000 days), written as they come instead of
 * made into JSON first. */
enum err store_billing_days_each(struct store *s, caldate from, caldate to,
                                 const char *track_id,
                                 int (*fn)(const struct billing_day *d, void *ctx), void *ctx);
/* The days from `from` to `to` with attendance that R6's fourth condition refuses
 * (documentation-missing, alone or with other reasons), of the patients of one track when not
 * NULL, by date, last and first name, at most max_days of them: {days: [{date, patient_id,
 * patient_name, minutes, only (documentation is the day's one reason), other_reasons: [...],
 * missing: [{what: "plan", state: "no-plan"} | {what: "note", session_id, title, start, state
 * ("no-note", "unsigned", "cosign-pending", "section-missing", "section-unsigned"), author
 * (name or null), facilitator (the first by name, or null), facilitators (how many)}]}],
 * more (days were left out)}. Names, titles and states only: never a note's text. */
enum err store_billing_missing_notes(struct store *s, caldate from, caldate to,
                                     const char *track_id, size_t max_days, json_t **out);
/* Alerts (R7) as of a date, sorted by patient id, kind, week. */
enum err store_alerts(struct store *s, caldate as_of, json_t **out);

/* Reports (program_reports.c): the figures of many patients at once, for the screens. */
/* The patients whose enrolment in a track covers `day`, by last and first name: [{public_id,
 * first_name, last_name, enrolment_id, start, end (null: open)}]. E_NOTFOUND: no such track. */
enum err store_track_roster(struct store *s, const char *track_id, caldate day, json_t **out);
/* Every track (by code) on `day`: [{id, code, name, capacity, active (enrolments covering day),
 * admissions, discharges (enrolments starting, ending in the ISO week of day)}]. */
enum err store_program_census(struct store *s, caldate day, json_t **out);
/* Week w of every patient with an enrolment overlapping it in track_id (NULL: any track), as of
 * a date: the figures store_patient_week gives each of them (R1-R4), in one read:
 * [{public_id, first_name, last_name, track_id, track_code (of their latest enrolment of the
 * week in that track), scheduled_minutes, attended_minutes, minimum_minutes,
 * scheduled_shortfall, attended_shortfall}] by track code, last and first name. E_NOTFOUND: no
 * such track; E_INVALID: no such week. */
enum err store_program_weeks(struct store *s, const char *track_id, struct caldate_week w,
                             caldate as_of, json_t **out);

/* calendar.c: what the staff screens show beside the figures above. The names of the patients
 * whose public ids are in ids (an array; unknown ids are left out): {id: {first_name, last_name,
 * mine}}, mine when the patient's counsellor is users.id `me`. */
enum err store_calendar_people(struct store *s, const json_t *ids, long me, json_t **out);
/* The attendance taken at a session and its walk-ins: {patient id: {status?, minutes?,
 * walk_in}} (an unknown session: {}). */
enum err store_calendar_attendance(struct store *s, const char *session_id, json_t **out);

/* attendance_batch.c: a session's attendance for several patients already on its roster, in
 * one transaction: each row as store_attendance_put would record it (minutes < 0: not given),
 * with its audit entry (a, record id replaced by the patient's), or none at all. On a refusal
 * *at is the index of the row refused (n when it is the session's) and why says what. */
struct attendance_mark {
    const char *patient_id, *status;
    int minutes;
};
enum err store_attendance_put_all(struct store *s, const char *session_id,
                                  const struct attendance_mark *rows, size_t n, caldate today,
                                  const struct audit_entry *a, size_t *at,
                                  struct program_why *why);

#endif
