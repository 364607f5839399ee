/* patients: the handlers of the patients module's screens (routes.c lists them) and the
 * pieces its files pass between them. Files depend one way: the actions (status.c, contact.c,
 * consent.c, enrol.c, transitions.c) show their form again in the chart of chart.c, which builds
 * the edit forms with forms.c and the program's section with program_view.c; search.c borrows
 * the chart's status label. Nothing calls back into an action. */
#ifndef HAVEN_MODULES_PATIENTS_H
#define HAVEN_MODULES_PATIENTS_H

#include "http/router.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "domain/caldate.h"
#include "domain/patient_flow.h"
#include "domain/roles.h"
#include "http/req.h"
#include "store/program.h"
#include "web/form.h"

/* Who changes a patient's enrolments from the chart: the API's roles for enrolments (spec
 * program.md §4). A step up or down is also a decision on the level of care: of those, the
 * ones who make it (clinicians, and administrators). A discharge is a status change
 * (PATIENT_EDIT_ROLES, as before it ended an enrolment). */
#define PATIENTS_ENROL_ROLES (ROLE_ADMIN | ROLE_CLINICIAN | ROLE_ADMISSIONS)
#define PATIENTS_STEP_ROLES (ROLE_ADMIN | ROLE_CLINICIAN)

/* search.c */
enum err search_page(struct req *r); /* GET /staff/patients?q= */

/* chart.c */
enum err chart_page(struct req *r);  /* GET /staff/patients/:id */
enum err chart_print(struct req *r); /* GET /staff/patients/:id/print */
enum err chart_api(struct req *r);   /* GET /api/v1/patients/:id (the billing view) */
/* The chart's model from the store's record p, with its clinical part (the edit forms, the
 * assessment, consents, timeline) when clinical; NULL (logged) when p does not fit it. */
json_t *chart_model(struct req *r, const json_t *p, bool clinical);
/* The record (*p) and the chart's model (*m) an action shows its form again in, both new
 * references; the store's error, or E_DB when the record does not fit the model (then both
 * are NULL). Audits nothing: the caller knows the action. */
enum err chart_load(struct req *r, const char *id, json_t **p, json_t **m);
/* Answers with a 303 to the chart of patient id at #anchor; E_OK. */
enum err chart_redirect(struct req *r, const char *id, const char *anchor);

/* forms.c: the chart's status and contact forms. */
/* Adds can_edit, the discharge in force and the two forms (filled from p) to the page model m. */
void forms_edit(struct req *r, json_t *m, const json_t *p);
/* The statuses a member holding roles may choose from `from`, [{value, label, checked}]. */
json_t *forms_status_options(enum patient_status from, unsigned roles, const char *chosen);
/* The discharge reasons the discharge form offers, [{value, label, checked}]. */
json_t *forms_reason_options(const char *chosen);
/* Their codes in order (NULL past the last); the label of a code, those of discharges recorded
 * before the program's list included (NULL: unknown); whether a reason needs a note ("other"). */
const char *forms_reason_code(size_t i);
const char *forms_reason_label(const char *code);
bool forms_reason_needs_note(const char *code);
/* Enabled clinicians, [{public_id, name, selected}], with the current counsellor of p kept as a
 * choice even when they are not one any more (keeping them is always allowed). */
json_t *forms_counsellor_options(struct req *r, const json_t *p, const char *chosen);
/* Moves what form_init wrote into scratch (form, err, errors, has_errors) under m's `key` (a
 * form's own part of the page model), so that two forms never share their problems. */
void forms_move(json_t *m, const char *key, json_t *scratch, bool open);

/* status.c, contact.c: the chart's edit forms, posted. */
enum err status_post(struct req *r);  /* POST /staff/patients/:id/status */
enum err contact_post(struct req *r); /* POST /staff/patients/:id/contact */

/* program_view.c: the chart's Program section (clinical charts only): the enrolments, the
 * forms to join, move, step up or down, end and discharge (as new), the schedule of the next 14
 * days and the weekly hours of the last eight weeks, every figure from the store's functions
 * the API uses. Adds "program" and the forms' parts (join_form, move_form, step_form, end_form,
 * discharge_form) to the chart's model m; program.error when the store failed. */
void program_view_section(struct req *r, json_t *m, const json_t *p);
/* The chart's timeline rows ({when, text, reason, by}) of the store's events, the program's
 * (an enrolment, a move, a step, an enrolment ended, a discharge) told here and every other as
 * the admissions timeline tells it. New reference. */
json_t *program_view_timeline(struct req *r, const json_t *events);
/* A refusal of the store (why->field names the store's field) as a problem of the form whose
 * fields begin with prefix ("join": join_track, join_start, join_override ...). */
void program_view_problem(struct form *f, const char *prefix, const struct program_why *why);
/* Today in the clinic, as a day. */
caldate program_view_today(void);
/* The end of a Program form's handler, after form f (input and problems in scratch) and the
 * store's answer e (E_OK when the form had problems and the store was not called): a refusal
 * the store explains (why) becomes the form's problem; with problems, the chart *m (consumed,
 * set to NULL) is the answer with the form `prefix` open again, at e's status (E_INVALID when
 * e is E_OK); without, E_OK is the 303 to the chart's Program section and any other error is
 * answered as it is. Returns the handler's answer. */
enum err program_view_answer(struct req *r, json_t **m, const char *prefix, json_t *scratch,
                             struct form *f, enum err e, const struct program_why *why);
/* A Program form handler's last line: a failure (e) audited as an "update" of the patient :id
 * with its outcome, the three models released (each may be NULL); returns e. */
enum err program_view_done(struct req *r, enum err e, json_t *scratch, json_t *m, json_t *p);

/* enrol.c, transitions.c: the Program section's forms, posted. */
enum err enrol_join(struct req *r);            /* POST /staff/patients/:id/enrol */
enum err enrol_end(struct req *r);             /* POST /staff/patients/:id/enrolment-end */
enum err transitions_move(struct req *r);      /* POST /staff/patients/:id/move */
enum err transitions_step(struct req *r);      /* POST /staff/patients/:id/step */
enum err transitions_discharge(struct req *r); /* POST /staff/patients/:id/discharge */

/* consent.c */
enum err consent_add(struct req *r);    /* POST /staff/patients/:id/consents */
/* GET /staff/patients/:id/consents/:consent/revoke: the confirmation page */
enum err consent_revoke_page(struct req *r);
enum err consent_revoke(struct req *r); /* POST /staff/patients/:id/consents/:consent/revoke */

/* routes.c: the module's table, one row per action (modules/modules.c lists it). */
extern const struct route_table patients_routes;

#endif
