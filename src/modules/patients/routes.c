/* routes: the patients module's addresses: search, the chart (and its print and JSON twins),
 * the status and contact forms, consents. */
#include "modules/modules.h"

#include "domain/patient_flow.h"
#include "modules/admissions/admissions.h"
#include "modules/patients/patients.h"
#include "modules/admissions/common.h"

static const struct route routes[] = {
    {.method = "GET", .pattern = "/staff/patients", .handler = search_page,
     .roles = ADM_PATIENT_ROLES, .view = "patients/search", .record = "patient",
     .nav = "Patients"},
    {.method = "GET", .pattern = "/staff/patients/:id", .handler = chart_page,
     .roles = ADM_PATIENT_ROLES, .view = "patients/chart", .record = "patient"},
    {.method = "GET", .pattern = "/staff/patients/:id/print", .handler = chart_print,
     .roles = ADM_PATIENT_ROLES, .view = "patients/print", .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/status", .handler = status_post,
     .body = BODY_FORM, .roles = PATIENT_EDIT_ROLES, .flags = R_CSRF, .view = "patients/chart",
     .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/contact", .handler = contact_post,
     .body = BODY_FORM, .roles = PATIENT_EDIT_ROLES, .flags = R_CSRF, .view = "patients/chart",
     .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/*", .handler = adm_patient_post,
     .body = BODY_FORM, .roles = ADM_CONSENT_ROLES | PATIENT_EDIT_ROLES, .record = "patient"},
    {.method = "GET", .pattern = "/api/v1/patients/:id", .handler = chart_api,
     .roles = ADM_PATIENT_ROLES, .flags = R_JSON, .record = "patient"},
};

const struct route_table patients_routes = {routes, sizeof(routes) / sizeof(routes[0])};
