/* routes: every public address Haven answers, read top to bottom; the first match wins. Staff
 * modules keep their own tables (routes_*.c) and are listed in route_tables below. */
#include "web/routes.h"

#include "api/api.h"
#include "web/web.h"

static const struct route routes[] = {
    {.method = "GET", .pattern = "/", .handler = web_home},
    {.method = "GET", .pattern = "/healthz", .handler = web_healthz},
    {.method = "GET", .pattern = "/static/*", .handler = web_static},
    {.method = "GET", .pattern = "/assessment", .handler = web_assessment},
    {.method = "POST", .pattern = "/assessment/result", .handler = web_assessment_result,
     .body = BODY_FORM},
    {.method = "POST", .pattern = "/assessment/call", .handler = web_call, .body = BODY_FORM},
    {.method = "GET", .pattern = "/assessment/thanks", .handler = web_thanks},
    {.method = "POST", .pattern = "/api/v1/assessments/score", .handler = api_assessment_score,
     .body = BODY_JSON},
    {.method = "GET", .pattern = "/api/v1/assessments/questionnaire",
     .handler = api_assessment_questionnaire},
};

static const struct route_table public_table = {routes, sizeof(routes) / sizeof(routes[0])};

const struct route_table *const route_tables[] = {
    &public_table, &routes_staff_table, &routes_audit_table, &routes_admissions_table, NULL,
};
