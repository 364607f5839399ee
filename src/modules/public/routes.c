/* routes: the public module's addresses: the home page, the self-assessment, the call request,
 * the scoring API and static files. Read top to bottom; the first match wins. */
#include "modules/modules.h"

#include "modules/public/public.h"
#include "modules/public/public.h"

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

const struct route_table public_routes = {routes, sizeof(routes) / sizeof(routes[0])};
