/* plans: the clinical record's diagnoses and treatment plans (issue 10): the screens (a
 * patient's diagnoses; the plan's versions, the draft's editor, signing with the password, the
 * patient's acknowledgement, reviews) and the JSON API of docs/api.md "Diagnoses and treatment
 * plans". Clinical content: clinicians and medical staff only (routes.c); every read and write
 * audited. The rules are domain/plan.h and domain/icd10.h; the data store/plans.h and
 * store/diagnoses.h. */
#ifndef HAVEN_MODULES_PLANS_H
#define HAVEN_MODULES_PLANS_H

#include <jansson.h>

#include "core/err.h"
#include "http/req.h"
#include "http/router.h"
#include "store/program.h"

extern const struct route_table plans_routes;

/* api.c: the plans' JSON API. */
enum err plans_api_list(struct req *r);    /* GET /api/v1/patients/:id/plans */
enum err plans_api_create(struct req *r);  /* POST /api/v1/patients/:id/plans */
enum err plans_api_current(struct req *r); /* GET /api/v1/patients/:id/plans/current */
enum err plans_api_get(struct req *r);     /* GET /api/v1/plans/:id */
enum err plans_api_put(struct req *r);     /* PUT /api/v1/plans/:id */
enum err plans_api_sign(struct req *r);    /* POST /api/v1/plans/:id/sign */
enum err plans_api_acknowledge(struct req *r); /* POST /api/v1/plans/:id/acknowledge */
enum err plans_api_review(struct req *r);  /* POST /api/v1/plans/:id/review */

/* diagnoses.c: the JSON API and the screen of a patient's diagnoses. */
enum err plans_diagnoses_api_list(struct req *r);   /* GET /api/v1/patients/:id/diagnoses */
enum err plans_diagnoses_api_add(struct req *r);    /* POST /api/v1/patients/:id/diagnoses */
enum err plans_diagnoses_api_status(struct req *r); /* POST /api/v1/diagnoses/:id/status */
enum err plans_diagnoses_page(struct req *r);       /* GET /staff/patients/:id/diagnoses */
enum err plans_diagnoses_add(struct req *r);        /* POST /staff/patients/:id/diagnoses */
enum err plans_diagnoses_status(struct req *r);     /* POST /staff/diagnoses/:id/status */

/* screens.c: the plan's pages and forms. */
enum err plans_versions_page(struct req *r); /* GET /staff/patients/:id/plans */
enum err plans_draft_new(struct req *r);     /* POST /staff/patients/:id/plans */
enum err plans_plan_page(struct req *r);     /* GET /staff/plans/:id */
enum err plans_plan_save(struct req *r);     /* POST /staff/plans/:id */
enum err plans_plan_sign(struct req *r);     /* POST /staff/plans/:id/sign */
enum err plans_plan_acknowledge(struct req *r); /* POST /staff/plans/:id/acknowledge */
enum err plans_plan_review(struct req *r);   /* POST /staff/plans/:id/review */

/* editor.c: the draft's form. The posted form as the API's content (blank rows skipped,
 * removed ones left out), each item's problems in its "_err" object; *problems counts them. */
json_t *plans_editor_read(struct req *r, int *problems);
/* The form's model of content (a plan, or what plans_editor_read gave), with a blank row of
 * each kind to add with; the problems found go beside their fields and into errors as
 * [{field, message}] for the summary. New reference. */
json_t *plans_editor_view(const json_t *content, json_t *errors);

/* common.c: what the files share. */
/* The clinic's date today, "YYYY-MM-DD" (out: 11 bytes); returns out. */
const char *plans_today(char *out);
/* The read of a clinical record audited before it is shown (no entry, no reading: -1 with
 * r->message set). A patient's list (diagnoses, plan versions) is recorded as a "view" of type
 * "diagnoses" or "plans" with the patient's id, so that the patient's trail shows it. */
int plans_audit_read(struct req *r, const char *type, const char *id);
/* The end of a read handler: the store's answer out (e E_OK) as the model once its read is
 * audited as a "view" of (type, id); a failure through plans_failed. */
enum err plans_shown(struct req *r, enum err e, json_t *out, const char *type, const char *id);
/* A store failure on a read or write of (type, id), audited with its outcome: 404, 409 and 422
 * with why's field as the API's body (R_JSON) or r->message (pages); the rest as E_DB. */
enum err plans_failed(struct req *r, enum err e, const struct program_why *why,
                      const char *action, const char *type, const char *id);
/* Fills why with field and message; returns e. */
enum err plans_why(struct program_why *why, enum err e, const char *field, const char *message);
struct body;
/* A body's choice at key, one of allowed (NULL-terminated; else a problem saying message), and
 * its "reason" of 1 to max characters, required (missing: the problem) when the choice is
 * `needs`: *reason is then the reason, else NULL. Returns the choice, or NULL. */
const char *plans_body_choice(struct body *b, const char *key, const char *const *allowed,
                              const char *message, const char *needs, long max,
                              const char *missing, const char **reason);
/* The blockers of a plan model as [{field, message}] (empty when it may be signed). */
json_t *plans_blockers(const json_t *plan);
/* The ASAM dimension's name (1-6), from domain/messages. */
const char *plans_dimension_name(int dim);

#endif
