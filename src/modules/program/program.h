/* program: the program module: the JSON API of spec program.md §4 (haven-program-2): direct
 * admission, tracks, enrolments, sessions, attendance, a patient's week, billable days and
 * alerts (routes.c lists them). The figures come from store/program.h, which the screens read
 * too. Bodies are JSON objects; fields the spec does not name are ignored. */
#ifndef HAVEN_MODULES_PROGRAM_H
#define HAVEN_MODULES_PROGRAM_H

#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"
#include "domain/caldate.h"
#include "http/req.h"
#include "http/router.h"
#include "store/program.h"

extern const struct route_table program_routes;

/* Handlers, one per row of routes.c. */
enum err program_patient_add(struct req *r);   /* POST /api/v1/patients */
enum err program_track_add(struct req *r);     /* POST /api/v1/tracks */
enum err program_track_list(struct req *r);    /* GET /api/v1/tracks */
enum err program_track_get(struct req *r);     /* GET /api/v1/tracks/:id */
enum err program_enrol(struct req *r);         /* POST /api/v1/patients/:id/enrolments */
enum err program_enrolment_end(struct req *r); /* PATCH /api/v1/enrolments/:id */
enum err program_sessions(struct req *r);      /* GET /api/v1/sessions */
enum err program_session_add(struct req *r);   /* POST /api/v1/sessions */
enum err program_session_cancel(struct req *r); /* POST /api/v1/sessions/:id/cancel */
enum err program_attendance(struct req *r);    /* PUT /api/v1/sessions/:id/attendance/:patient_id */
enum err program_week(struct req *r);          /* GET /api/v1/patients/:id/weeks/:week */
enum err program_billing(struct req *r);       /* GET /api/v1/billing/days */
enum err program_alerts(struct req *r);        /* GET /api/v1/alerts */

/* body.c: reading a JSON body and its fields, each problem kept with its field for the 422
 * answer {"error": "invalid", "details": [{field, message}]}. */
struct body {
    struct req *r;
    json_t *root;    /* the object sent (owned by the request) */
    json_t *details; /* the problems so far (owned by the request) */
};
/* Parses r's body as one JSON object: E_OK, or E_MALFORMED (400) with r->message. */
enum err body_parse(struct req *r, struct body *b);
void body_problem(struct body *b, const char *field, const char *message);
/* Whether the field was sent (null included). */
bool body_has(const struct body *b, const char *key);
/* Text of 1 to max characters (well-formed, no control or invisible characters), or NULL
 * (a problem when required or when sent and wrong). */
const char *body_text(struct body *b, const char *key, long max, bool required,
                      const char *message);
/* A date "YYYY-MM-DD": true and *out, or false (a problem when required or sent and wrong;
 * null is "not sent"). */
bool body_date(struct body *b, const char *key, bool required, caldate *out);
/* A time "HH:MM" in minutes since midnight, required. */
bool body_time(struct body *b, const char *key, int *out);
/* A whole number in min..max: true and *out; absent: false (a problem when required). */
bool body_int(struct body *b, const char *key, long min, long max, bool required, int *out);
/* The 422 answer when there were problems: E_INVALID with its model, else E_OK. */
enum err body_verdict(struct body *b);

/* A store refusal (E_INVALID 422, E_CONFLICT 409) as the spec's body; other errors as they
 * are. Audits the failure (action, record type, record id). */
enum err program_refused(struct req *r, enum err e, const struct program_why *why,
                         const char *action, const char *type, const char *id);
/* body_verdict for a write: its refusal audited as (action, type, id) "invalid". */
enum err program_checked(struct body *b, const char *action, const char *type, const char *id);
/* The end of a write handler: the store's answer `out` as the model at `status` (201 for a
 * creation, 0 for 200), or its refusal through program_refused. */
enum err program_written(struct req *r, enum err e, json_t *out, const struct program_why *why,
                         const char *action, const char *type, const char *id, int status);
/* The clinic's date today. */
caldate program_today(void);
/* The query's date `key`: true and *out; absent: *out = dflt; a bad one is a 422 naming key
 * (model set, *e = E_INVALID). */
bool program_query_date(struct req *r, const char *key, caldate dflt, caldate *out, enum err *e);
/* The 422 answer naming one field. */
enum err program_invalid(struct req *r, const char *field, const char *message);

#endif
