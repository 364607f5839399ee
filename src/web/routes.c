/* routes: every address Haven answers, read top to bottom; the first match wins. */
#include "web/routes.h"

#include "api/api.h"
#include "web/web.h"

const struct route routes[] = {
    {"GET", "/", web_home, BODY_NONE, 0},
    {"GET", "/healthz", web_healthz, BODY_NONE, 0},
    {"GET", "/static/*", web_static, BODY_NONE, 0},
    {"GET", "/assessment", web_assessment, BODY_NONE, 0},
    {"POST", "/assessment/result", web_assessment_result, BODY_FORM, 0},
    {"POST", "/assessment/call", web_call, BODY_FORM, 0},
    {"GET", "/assessment/thanks", web_thanks, BODY_NONE, 0},
    {"POST", "/api/v1/assessments/score", api_assessment_score, BODY_JSON, 0},
    {"GET", "/api/v1/assessments/questionnaire", api_assessment_questionnaire, BODY_NONE, 0},
};

const size_t routes_count = sizeof(routes) / sizeof(routes[0]);
