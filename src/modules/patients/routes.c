/* routes: the patients module's addresses: search, the chart (and its print and JSON twins),
 * the status and contact forms, consents. */
#include "modules/modules.h"

#include "domain/patient_flow.h"
#include "modules/admissions/admissions.h"
#include "modules/patients/patients.h"
#include "modules/admissions/common.h"

static const struct route routes[] = {
    {.method = "GET", .pattern = "/staff/patients", .handler = adm_patients,
     .roles = ADM_PATIENT_ROLES, .record = "patient", .nav = "Patients"},
    {.method = "GET", .pattern = "/staff/patients/*", .handler = adm_patient_get,
     .roles = ADM_PATIENT_ROLES, .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/*", .handler = adm_patient_change,
     .body = BODY_FORM, .roles = ADM_CONSENT_ROLES | PATIENT_EDIT_ROLES, .record = "patient"},
    {.method = "GET", .pattern = "/api/v1/patients/*", .handler = adm_api_patient,
     .roles = ADM_PATIENT_ROLES, .flags = R_JSON, .record = "patient"},
};

const struct route_table patients_routes = {routes, sizeof(routes) / sizeof(routes[0])};
