/* web_admissions: the handlers of the admissions screens (routes_admissions.c lists them) and
 * the pieces they pass between files. */
#ifndef HAVEN_WEB_ADMISSIONS_H
#define HAVEN_WEB_ADMISSIONS_H

#include <jansson.h>

#include "http/req.h"

/* queue.c */
enum err queue_page(struct req *r);         /* GET /staff/queue */
enum err queue_api(struct req *r);          /* GET /api/v1/referrals */

/* referral.c */
enum err adm_referral_get(struct req *r);   /* GET /staff/referrals/ID[/intake|/admit] */
enum err adm_referral_post(struct req *r);  /* POST /staff/referrals/ID/(calls|status|assign|intake|admit) */

/* timeline.c */
/* The timeline rows (from the store) as {when, text, by}; new reference. */
json_t *adm_timeline_view(struct req *r, const json_t *events);
/* Answers 403 (and audits "denied") unless the CSRF field is right; true when it is. */
bool adm_csrf(struct req *r, const char *record_type, const char *id);
/* The page for an enum err a store call gave (404, 409, 422 or 500), audited. */
void adm_fail(struct req *r, int e, const char *action, const char *record_type, const char *id);

/* web_intake.c: intake and admission of one referral (ref: the store's referral model). */
void adm_intake_page(struct req *r, const char *id, json_t *ref);
void adm_intake_post(struct req *r, const char *id, json_t *ref);
void adm_admit_page(struct req *r, const char *id, json_t *ref);
void adm_admit_post(struct req *r, const char *id, json_t *ref);

/* web_patient.c */
enum err adm_patients(struct req *r);       /* GET /staff/patients?q= */
enum err adm_patient_get(struct req *r);    /* GET /staff/patients/ID[/print] */
enum err adm_api_patient(struct req *r);    /* GET /api/v1/patients/ID */
/* The patient page's model (the consent form's errors are added by the caller); NULL (logged)
 * when the record does not fit it. */
json_t *adm_patient_model(struct req *r, const json_t *p, bool clinical);

/* web_patient_edit.c: the patient page's status and contact forms. */
enum err adm_patient_change(struct req *r); /* POST /staff/patients/ID/(status|contact); else consents */
/* Adds can_edit, the discharge in force and the two forms (filled from p) to the page model m. */
void adm_patient_edit_model(struct req *r, json_t *m, const json_t *p);

/* web_consent.c */
void adm_patient_post(struct req *r);   /* POST /staff/patients/ID/consents[/CID/revoke] */

#endif
