/* calendar: the program's staff screens (issue 9): the calendar of sessions (a day or a week,
 * per track, clinician or room), one-off sessions made from it, cancelling a session, clinic
 * closures, the attendance screen of one session (the whole roster marked in one save, and
 * walk-ins), and the Today part of the staff home. Every figure and roster comes from
 * store/program.h, as the JSON API's do (modules/program/). routes.c lists the addresses. */
#ifndef HAVEN_MODULES_CALENDAR_H
#define HAVEN_MODULES_CALENDAR_H

#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"
#include "domain/caldate.h"
#include "domain/roles.h"
#include "http/req.h"
#include "http/router.h"
#include "modules/program/program.h"

/* The spec's roles (program.md §4): sessions and attendance for administrators, clinicians and
 * admissions; Today's rosters and alerts also for medical staff (who read alerts). */
#define CALENDAR_ROLES (ROLE_ADMIN | ROLE_CLINICIAN | ROLE_ADMISSIONS)
#define CALENDAR_TODAY_ROLES (CALENDAR_ROLES | ROLE_MEDICAL)

extern const struct route_table calendar_routes;

/* Handlers, one per row of routes.c. */
enum err calendar_page(struct req *r);           /* week.c: GET /staff/calendar */
enum err calendar_new_form(struct req *r);       /* oneoff.c: GET /staff/calendar/new */
enum err calendar_new_post(struct req *r);       /* oneoff.c: POST /staff/calendar/new */
enum err calendar_closure_page(struct req *r);   /* cancel.c: GET /staff/calendar/closure */
enum err calendar_closure_post(struct req *r);   /* cancel.c: POST /staff/calendar/closure */
enum err calendar_cancel_page(struct req *r);    /* cancel.c: GET /staff/sessions/:id/cancel */
enum err calendar_cancel_post(struct req *r);    /* cancel.c: POST /staff/sessions/:id/cancel */
enum err calendar_session_page(struct req *r);   /* attendance.c: GET /staff/sessions/:id */
enum err calendar_attendance_post(struct req *r); /* attendance.c: POST .../:id/attendance */
enum err calendar_walk_in_post(struct req *r);   /* attendance.c: POST .../:id/walk-in */

/* today.c: the Today part of the staff home, added to the home page's model m: today's
 * sessions in time order with their rosters (names, attendance), and the R7 alerts with the
 * member's own patients first; for roles without sessions, "no_sessions". Audits the patients
 * it lists; E_OK, or E_DB (r->message set) when that could not be recorded. */
enum err calendar_today(struct req *r, json_t *m);
/* today_clinical.c: for clinicians and medical staff, the clinical record's part of Today
 * (open clinical alerts, notes due, plan reviews due) as today's "clinical" object; shown gets
 * each patient listed. E_OK (nothing for other roles) or E_DB. */
enum err calendar_today_clinical(struct req *r, json_t *today, json_t *shown);

/* common.c: what the screens share. */
/* (The clinic's date today is program_today(), modules/program/program.h.) */
/* "Thursday 3 December 2026" (with_year) or "Thursday 3 December" into out; returns out. */
#define CALENDAR_DAY_LABEL 48
char *calendar_day_label(caldate d, bool with_year, char out[CALENDAR_DAY_LABEL]);
/* A session of store_program_sessions_list as the screens show it (a new reference): the
 * store's fields and date_label, kind_label, roster_size, cancelled, future (against today),
 * one_off and href. */
json_t *calendar_session_view(const json_t *session, caldate today);
/* The roster of a session with names and attendance, by last name (a new reference in *out):
 * [{public_id, first_name, last_name, mine, walk_in, recorded, status, status_label, minutes}].
 * E_OK or E_DB. */
enum err calendar_roster(struct req *r, const json_t *session, json_t **out);
/* A code and what the screens call it; the label of code in table t of n rows, or NULL. */
struct calendar_label {
    const char *code, *label;
};
const char *calendar_label_of(const struct calendar_label *t, size_t n, const char *code);
/* The label of an attendance status ("Left early"), or NULL. */
const char *calendar_status_label(const char *status);
/* The tracks by id {id: name} (a new reference), or NULL on a store failure. */
json_t *calendar_track_names(struct req *r);
/* The clinicians and medical staff, who lead sessions: [{public_id, name, email}] by name (a
 * new reference; empty when the store failed). */
json_t *calendar_staff(struct req *r);
/* The values of every field called name in the posted form, in order (arena); *n their count. */
const char **calendar_form_all(struct req *r, const char *name, size_t *n);
/* Answers with a 303 to the day view of date (with "#" anchor when not NULL). E_OK. */
enum err calendar_redirect_day(struct req *r, const char *date, const char *anchor);

#endif
