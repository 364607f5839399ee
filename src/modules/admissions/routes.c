/* routes: the admissions module's addresses: the referral queue, one referral and
 * its actions (call log, status, assignment, intake, admission), patients (their status and
 * contact details) and consents. Paths
 * that carry a record id are prefixes; the handlers split them and check the finer role of each
 * action (web_queue.c, web_consent.c): confirming a level of care at intake also needs the
 * clinician or medical role. */
#include "modules/modules.h"

#include "domain/patient_flow.h"
#include "modules/admissions/common.h"
#include "modules/admissions/admissions.h"

static const struct route routes[] = {
    {.method = "GET", .pattern = "/staff/queue", .handler = queue_page, .roles = ADM_QUEUE_ROLES,
     .view = "admissions/queue", .record = "referral", .nav = "Admissions queue"},
    {.method = "GET", .pattern = "/staff/referrals/*", .handler = adm_referral_get,
     .roles = ADM_QUEUE_ROLES, .record = "referral"},
    {.method = "POST", .pattern = "/staff/referrals/*", .handler = adm_referral_post,
     .body = BODY_FORM, .roles = ADM_QUEUE_ROLES, .record = "referral"},
    {.method = "GET", .pattern = "/api/v1/referrals", .handler = queue_api,
     .roles = ADM_QUEUE_ROLES, .flags = R_JSON, .record = "referral"},
};

const struct route_table admissions_routes = {routes, sizeof(routes) / sizeof(routes[0])};
