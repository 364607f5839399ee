/* routes_admissions: the admissions module's addresses: the referral queue, one referral and
 * its actions (call log, status, assignment, intake, admission), patients (their status and
 * contact details) and consents. Paths
 * that carry a record id are prefixes; the handlers split them and check the finer role of each
 * action (web_queue.c, web_consent.c): confirming a level of care at intake also needs the
 * clinician or medical role. */
#include "web/routes.h"

#include "domain/patient_flow.h"
#include "web/adm_common.h"
#include "web/web_admissions.h"

static const struct route routes[] = {
    {.method = "GET", .pattern = "/staff/queue", .handler = adm_queue, .roles = ADM_QUEUE_ROLES},
    {.method = "GET", .pattern = "/staff/referrals/*", .handler = adm_referral_get,
     .roles = ADM_QUEUE_ROLES},
    {.method = "POST", .pattern = "/staff/referrals/*", .handler = adm_referral_post,
     .body = BODY_FORM, .roles = ADM_QUEUE_ROLES},
    {.method = "GET", .pattern = "/staff/patients", .handler = adm_patients,
     .roles = ADM_PATIENT_ROLES},
    {.method = "GET", .pattern = "/staff/patients/*", .handler = adm_patient_get,
     .roles = ADM_PATIENT_ROLES},
    /* Consents (web_consent.c), the status and the contact details (web_patient_edit.c). */
    {.method = "POST", .pattern = "/staff/patients/*", .handler = adm_patient_change,
     .body = BODY_FORM, .roles = ADM_CONSENT_ROLES | PATIENT_EDIT_ROLES},
    {.method = "GET", .pattern = "/api/v1/referrals", .handler = adm_api_referrals,
     .roles = ADM_QUEUE_ROLES},
    {.method = "GET", .pattern = "/api/v1/patients/*", .handler = adm_api_patient,
     .roles = ADM_PATIENT_ROLES},
};

const struct route_table routes_admissions_table = {routes, sizeof(routes) / sizeof(routes[0])};
