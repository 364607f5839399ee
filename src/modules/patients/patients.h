/* patients: the handlers of the patients module's screens (routes.c lists them) and the
 * pieces its files pass between them. Files depend one way: the actions (status.c, contact.c,
 * consent.c) show their form again in the chart of chart.c, which builds the edit forms with
 * forms.c; search.c borrows the chart's status label. Nothing calls back into an action. */
#ifndef HAVEN_MODULES_PATIENTS_H
#define HAVEN_MODULES_PATIENTS_H

#include "http/router.h"
#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"
#include "domain/patient_flow.h"
#include "http/req.h"

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
/* The discharge reasons, [{value, label, checked}]. */
json_t *forms_reason_options(const char *chosen);
/* Enabled clinicians, [{public_id, name, selected}], with the current counsellor of p kept as a
 * choice even when they are not one any more (keeping them is always allowed). */
json_t *forms_counsellor_options(struct req *r, const json_t *p, const char *chosen);
/* Moves what form_init wrote into scratch (form, err, errors, has_errors) under m's `key` (a
 * form's own part of the page model), so that two forms never share their problems. */
void forms_move(json_t *m, const char *key, json_t *scratch, bool open);

/* status.c, contact.c: the chart's edit forms, posted. */
enum err status_post(struct req *r);  /* POST /staff/patients/:id/status */
enum err contact_post(struct req *r); /* POST /staff/patients/:id/contact */

/* consent.c */
enum err consent_add(struct req *r);    /* POST /staff/patients/:id/consents */
/* GET /staff/patients/:id/consents/:consent/revoke: the confirmation page */
enum err consent_revoke_page(struct req *r);
enum err consent_revoke(struct req *r); /* POST /staff/patients/:id/consents/:consent/revoke */

/* routes.c: the module's table, one row per action (modules/modules.c lists it). */
extern const struct route_table patients_routes;

#endif
