/* patients: the handlers of the patients module's screens (routes.c lists them) and the
 * pieces its files pass between them. */
#ifndef HAVEN_MODULES_PATIENTS_H
#define HAVEN_MODULES_PATIENTS_H

#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"
#include "http/req.h"

/* chart.c */
enum err adm_patients(struct req *r);       /* GET /staff/patients?q= */
enum err adm_patient_get(struct req *r);    /* GET /staff/patients/ID[/print] */
enum err adm_api_patient(struct req *r);    /* GET /api/v1/patients/ID */
/* The patient page's model (the consent form's errors are added by the caller); NULL (logged)
 * when the record does not fit it. */
json_t *adm_patient_model(struct req *r, const json_t *p, bool clinical);

/* edit.c: the patient page's status and contact forms. */
enum err adm_patient_change(struct req *r); /* POST /staff/patients/ID/(status|contact); else consents */
/* Adds can_edit, the discharge in force and the two forms (filled from p) to the page model m. */
void adm_patient_edit_model(struct req *r, json_t *m, const json_t *p);

/* consent.c */
void adm_patient_post(struct req *r);   /* POST /staff/patients/ID/consents[/CID/revoke] */

#endif
