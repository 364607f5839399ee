/* routes: the admissions module's addresses, one row per action: the referral queue and its
 * JSON twin, one referral's page and its changes (call log, status, assignment), the intake and
 * the admission. Every :id is a referral's public id. Confirming a level of care at intake takes
 * queue work AND a clinician's or medical role (.and_roles). */
#include "http/router.h"

#include "modules/admissions/admissions.h"
#include "modules/admissions/common.h"

static const struct route routes[] = {
    {.method = "GET", .pattern = "/staff/queue", .handler = queue_page, .roles = ADM_QUEUE_ROLES,
     .view = "admissions/queue", .record = "referral", .nav = "Admissions queue"},
    {.method = "GET", .pattern = "/staff/referrals/:id", .handler = referral_page,
     .roles = ADM_QUEUE_ROLES, .view = "admissions/referral", .record = "referral"},
    {.method = "GET", .pattern = "/staff/referrals/:id/intake", .handler = intake_page,
     .roles = ADM_QUEUE_ROLES, .view = "admissions/intake", .record = "referral"},
    {.method = "GET", .pattern = "/staff/referrals/:id/admit", .handler = admit_page,
     .roles = ADM_QUEUE_ROLES, .view = "admissions/admit", .record = "referral"},
    {.method = "POST", .pattern = "/staff/referrals/:id/calls", .handler = referral_post_call,
     .body = BODY_FORM, .roles = ADM_QUEUE_ROLES, .flags = R_CSRF, .view = "admissions/referral",
     .record = "referral"},
    {.method = "POST", .pattern = "/staff/referrals/:id/status", .handler = referral_post_status,
     .body = BODY_FORM, .roles = ADM_QUEUE_ROLES, .flags = R_CSRF, .view = "admissions/referral",
     .record = "referral"},
    {.method = "POST", .pattern = "/staff/referrals/:id/assign", .handler = referral_post_assign,
     .body = BODY_FORM, .roles = ADM_QUEUE_ROLES, .flags = R_CSRF, .view = "admissions/referral",
     .record = "referral"},
    {.method = "POST", .pattern = "/staff/referrals/:id/intake", .handler = intake_post,
     .body = BODY_FORM, .roles = ADM_QUEUE_ROLES, .and_roles = ADM_LEVEL_ROLES, .flags = R_CSRF,
     .view = "admissions/intake", .record = "referral"},
    {.method = "POST", .pattern = "/staff/referrals/:id/admit", .handler = admit_post,
     .body = BODY_FORM, .roles = ADM_QUEUE_ROLES, .flags = R_CSRF, .view = "admissions/admit",
     .record = "referral"},
    {.method = "GET", .pattern = "/api/v1/referrals", .handler = queue_api,
     .roles = ADM_QUEUE_ROLES, .flags = R_JSON, .record = "referral"},
};

const struct route_table admissions_routes = {routes, sizeof(routes) / sizeof(routes[0])};
