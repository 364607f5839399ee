/* routes: the public module's addresses: the home page, the self-assessment, the call request,
 * the scoring API, the FHIR reads and static files. Read top to bottom; the first match wins.
 * Answers and contact details are personal even when anonymous: those rows are never cached. */
#include "http/router.h"

#include "modules/public/files.h"
#include "modules/public/public.h"

static const struct route routes[] = {
    {.method = "GET", .pattern = "/", .handler = home_page, .view = "public/home"},
    {.method = "GET", .pattern = "/healthz", .handler = files_healthz},
    {.method = "GET", .pattern = "/static/*", .handler = files_static},
    {.method = "GET", .pattern = "/assessment", .handler = assessment_form, .flags = R_NO_STORE},
    {.method = "POST", .pattern = "/assessment/result", .handler = assessment_result,
     .body = BODY_FORM, .flags = R_NO_STORE, .view = "public/result"},
    /* CSRF here is the signed double-submit token of http/csrf.c: there is no session. */
    {.method = "POST", .pattern = "/assessment/call", .handler = call_request_post,
     .body = BODY_FORM, .flags = R_CSRF | R_NO_STORE, .view = "public/result"},
    {.method = "GET", .pattern = "/assessment/thanks", .handler = call_request_thanks,
     .view = "public/thanks"},
    {.method = "POST", .pattern = "/api/v1/assessments/score", .handler = api_score,
     .body = BODY_JSON, .flags = R_JSON | R_NO_STORE},
    {.method = "GET", .pattern = "/api/v1/assessments/questionnaire",
     .handler = api_questionnaire, .flags = R_JSON},
    /* FHIR R4 reads: the CapabilityStatement, the Questionnaire by id, and an OperationOutcome
     * (404) for any other FHIR address. */
    {.method = "GET", .pattern = "/fhir/metadata", .handler = public_fhir_metadata,
     .flags = R_JSON},
    {.method = "GET", .pattern = "/fhir/Questionnaire/:id", .handler = public_fhir_questionnaire,
     .flags = R_JSON},
    {.method = "GET", .pattern = "/fhir/*", .handler = public_fhir_unknown, .flags = R_JSON},
};

const struct route_table public_routes = {routes, sizeof(routes) / sizeof(routes[0])};
