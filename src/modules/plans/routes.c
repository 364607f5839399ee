/* routes: the plans module's addresses, one row per action. Diagnoses and treatment plans are
 * clinical content: read and written by clinicians and medical staff alone (42 CFR Part 2,
 * least privilege); administrators, admissions, billing and auditors get 403 on every row.
 * JSON writes check the X-CSRF-Token header, forms their csrf field (R_CSRF). */
#include "modules/plans/plans.h"

#include "domain/roles.h"

#define CLINICAL (ROLE_CLINICIAN | ROLE_MEDICAL)
#define WRITE (R_JSON | R_CSRF)
#define SMALL_BODY 4096
#define PLAN_BODY (128 * 1024) /* 12 problems of goals, objectives and interventions */

static const struct route rows[] = {
    /* JSON API */
    {.method = "GET", .pattern = "/api/v1/patients/:id/diagnoses",
     .handler = plans_diagnoses_api_list, .roles = CLINICAL, .flags = R_JSON,
     .record = "patient"},
    {.method = "POST", .pattern = "/api/v1/patients/:id/diagnoses",
     .handler = plans_diagnoses_api_add, .body = BODY_JSON, .body_limit = SMALL_BODY,
     .roles = CLINICAL, .flags = WRITE, .record = "patient"},
    {.method = "POST", .pattern = "/api/v1/diagnoses/:id/status",
     .handler = plans_diagnoses_api_status, .body = BODY_JSON, .body_limit = SMALL_BODY,
     .roles = CLINICAL, .flags = WRITE, .record = "diagnosis"},
    {.method = "GET", .pattern = "/api/v1/patients/:id/plans", .handler = plans_api_list,
     .roles = CLINICAL, .flags = R_JSON, .record = "patient"},
    {.method = "POST", .pattern = "/api/v1/patients/:id/plans", .handler = plans_api_create,
     .body = BODY_JSON, .body_limit = PLAN_BODY, .roles = CLINICAL, .flags = WRITE,
     .record = "patient"},
    {.method = "GET", .pattern = "/api/v1/patients/:id/plans/current",
     .handler = plans_api_current, .roles = CLINICAL, .flags = R_JSON, .record = "patient"},
    {.method = "GET", .pattern = "/api/v1/plans/:id", .handler = plans_api_get,
     .roles = CLINICAL, .flags = R_JSON, .record = "plan"},
    {.method = "PUT", .pattern = "/api/v1/plans/:id", .handler = plans_api_put,
     .body = BODY_JSON, .body_limit = PLAN_BODY, .roles = CLINICAL, .flags = WRITE,
     .record = "plan"},
    {.method = "POST", .pattern = "/api/v1/plans/:id/sign", .handler = plans_api_sign,
     .body = BODY_JSON, .body_limit = SMALL_BODY, .roles = CLINICAL, .flags = WRITE,
     .record = "plan"},
    {.method = "POST", .pattern = "/api/v1/plans/:id/acknowledge",
     .handler = plans_api_acknowledge, .body = BODY_JSON, .body_limit = SMALL_BODY,
     .roles = CLINICAL, .flags = WRITE, .record = "plan"},
    {.method = "POST", .pattern = "/api/v1/plans/:id/review", .handler = plans_api_review,
     .body = BODY_JSON, .body_limit = SMALL_BODY, .roles = CLINICAL, .flags = WRITE,
     .record = "plan"},
    /* Screens */
    {.method = "GET", .pattern = "/staff/patients/:id/diagnoses",
     .handler = plans_diagnoses_page, .roles = CLINICAL, .view = "plans/diagnoses",
     .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/diagnoses",
     .handler = plans_diagnoses_add, .body = BODY_FORM, .roles = CLINICAL, .flags = R_CSRF,
     .view = "plans/diagnoses", .record = "patient"},
    {.method = "POST", .pattern = "/staff/diagnoses/:id/status",
     .handler = plans_diagnoses_status, .body = BODY_FORM, .roles = CLINICAL, .flags = R_CSRF,
     .view = "plans/diagnoses", .record = "diagnosis"},
    {.method = "GET", .pattern = "/staff/patients/:id/plans", .handler = plans_versions_page,
     .roles = CLINICAL, .view = "plans/versions", .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/plans", .handler = plans_draft_new,
     .body = BODY_FORM, .roles = CLINICAL, .flags = R_CSRF, .view = "plans/versions",
     .record = "patient"},
    {.method = "GET", .pattern = "/staff/plans/:id", .handler = plans_plan_page,
     .roles = CLINICAL, .view = "plans/plan", .record = "plan"},
    {.method = "POST", .pattern = "/staff/plans/:id", .handler = plans_plan_save,
     .body = BODY_FORM, .body_limit = PLAN_BODY, .roles = CLINICAL, .flags = R_CSRF,
     .view = "plans/plan", .record = "plan"},
    {.method = "POST", .pattern = "/staff/plans/:id/sign", .handler = plans_plan_sign,
     .body = BODY_FORM, .roles = CLINICAL, .flags = R_CSRF, .view = "plans/plan",
     .record = "plan"},
    {.method = "POST", .pattern = "/staff/plans/:id/acknowledge",
     .handler = plans_plan_acknowledge, .body = BODY_FORM, .roles = CLINICAL, .flags = R_CSRF,
     .view = "plans/plan", .record = "plan"},
    {.method = "POST", .pattern = "/staff/plans/:id/review", .handler = plans_plan_review,
     .body = BODY_FORM, .roles = CLINICAL, .flags = R_CSRF, .view = "plans/plan",
     .record = "plan"},
};

const struct route_table plans_routes = {rows, sizeof(rows) / sizeof(rows[0])};
