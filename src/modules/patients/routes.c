/* routes: the patients module's addresses, one row per action: the search, the chart (and its
 * printable and JSON twins), the status and contact forms, consents, and the program's forms
 * (join a track, end an enrolment, move, step up or down, discharge). Reading a chart is for
 * every role that works with patients (billing sees its billing view); changing one is not for
 * billing; enrolments are for the API's enrolment roles (patients.h says who steps). The one
 * finer rule, that only a clinician or an admin re-activates a discharged patient, is on the
 * record's data: status.c applies it. */
#include "http/router.h"

#include "domain/patient_flow.h"
#include "modules/admissions/common.h"
#include "modules/patients/patients.h"
#include "modules/patients/portal_access.h"

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
    {.method = "POST", .pattern = "/staff/patients/:id/consents", .handler = consent_add,
     .body = BODY_FORM, .roles = ADM_CONSENT_ROLES, .flags = R_CSRF, .view = "patients/chart",
     .record = "patient"},
    {.method = "GET", .pattern = "/staff/patients/:id/consents/:consent/revoke",
     .handler = consent_revoke_page, .roles = ADM_CONSENT_ROLES, .view = "patients/revoke",
     .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/consents/:consent/revoke",
     .handler = consent_revoke, .body = BODY_FORM, .roles = ADM_CONSENT_ROLES, .flags = R_CSRF,
     .view = "patients/revoke", .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/enrol", .handler = enrol_join,
     .body = BODY_FORM, .roles = PATIENTS_ENROL_ROLES, .flags = R_CSRF, .view = "patients/chart",
     .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/enrolment-end", .handler = enrol_end,
     .body = BODY_FORM, .roles = PATIENTS_ENROL_ROLES, .flags = R_CSRF, .view = "patients/chart",
     .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/move", .handler = transitions_move,
     .body = BODY_FORM, .roles = PATIENTS_ENROL_ROLES, .flags = R_CSRF, .view = "patients/chart",
     .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/step", .handler = transitions_step,
     .body = BODY_FORM, .roles = PATIENTS_STEP_ROLES, .flags = R_CSRF, .view = "patients/chart",
     .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/discharge",
     .handler = transitions_discharge, .body = BODY_FORM, .roles = PATIENT_EDIT_ROLES,
     .flags = R_CSRF, .view = "patients/chart", .record = "patient"},
    {.method = "GET", .pattern = "/staff/patients/:id/portal", .handler = portal_access_page,
     .roles = PORTAL_PAGE_ROLES, .view = "patients/portal_access", .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/portal/invite",
     .handler = portal_access_invite, .body = BODY_FORM, .body_limit = 4096,
     .roles = PORTAL_ACCESS_ROLES, .flags = R_CSRF, .view = "patients/portal_access",
     .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/portal/revoke",
     .handler = portal_access_revoke, .body = BODY_FORM, .body_limit = 4096,
     .roles = PORTAL_ACCESS_ROLES, .flags = R_CSRF, .view = "patients/portal_access",
     .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/portal/second-factor/reset",
     .handler = portal_access_reset_factor, .body = BODY_FORM, .body_limit = 4096,
     .roles = PORTAL_ACCESS_ROLES, .flags = R_CSRF, .view = "patients/portal_access",
     .record = "patient"},
    {.method = "GET", .pattern = "/api/v1/patients/:id", .handler = chart_api,
     .roles = ADM_PATIENT_ROLES, .flags = R_JSON, .record = "patient"},
};

const struct route_table patients_routes = {routes, sizeof(routes) / sizeof(routes[0])};
