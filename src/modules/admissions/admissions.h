/* admissions: the handlers of the admissions screens (routes.c lists them, one row per action)
 * and the pieces the patients screens take from them. */
#ifndef HAVEN_WEB_ADMISSIONS_H
#define HAVEN_WEB_ADMISSIONS_H

#include <jansson.h>

#include "core/err.h"
#include "http/req.h"

/* queue.c: the referral queue and its JSON twin. */
enum err queue_page(struct req *r);           /* GET /staff/queue */
enum err queue_api(struct req *r);            /* GET /api/v1/referrals */

/* referral.c: one referral (:id) and the changes made on its page. */
enum err referral_page(struct req *r);        /* GET /staff/referrals/:id */
enum err referral_post_call(struct req *r);   /* POST /staff/referrals/:id/calls */
enum err referral_post_status(struct req *r); /* POST /staff/referrals/:id/status */
enum err referral_post_assign(struct req *r); /* POST /staff/referrals/:id/assign */

/* intake.c: the intake and its level of care. */
enum err intake_page(struct req *r);          /* GET /staff/referrals/:id/intake */
enum err intake_post(struct req *r);          /* POST /staff/referrals/:id/intake */

/* admit.c: admitting the person as a patient. */
enum err admit_page(struct req *r);           /* GET /staff/referrals/:id/admit */
enum err admit_post(struct req *r);           /* POST /staff/referrals/:id/admit */

/* timeline.c: the timeline rows (from the store) as {when, text, reason, by}; new reference. */
json_t *adm_timeline_view(struct req *r, const json_t *events);

/* common.c, for the patients screens until they are on route rows (then deleted): */
/* Answers 403 (and audits "denied") unless the CSRF field is right; true when it is. */
bool adm_csrf(struct req *r, const char *record_type, const char *id);
/* The page for an enum err a store call gave (404, 409, 422 or 500), audited. */
void adm_fail(struct req *r, int e, const char *action, const char *record_type, const char *id);

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
