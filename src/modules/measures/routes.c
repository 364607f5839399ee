/* routes: the measures module's addresses, one row per action, all for clinicians and medical
 * staff (clinical content: administrators, admissions, billing and auditors read none): a
 * patient's Measures page and its entry form, the clinical alerts list, one alert and its
 * follow-up; and the JSON API of the same (writes check X-CSRF-Token: R_CSRF on R_JSON rows). */
#include "modules/measures/measures.h"

#define SMALL_BODY 4096     /* a measure: nine small numbers, a date, a word */
#define FOLLOW_UP_BODY 16384 /* 2000 characters of follow-up, escaped */

static const struct route rows[] = {
    {.method = "GET", .pattern = "/staff/patients/:id/measures", .handler = measures_page,
     .roles = MEASURES_ROLES, .view = "measures/measures", .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/measures", .handler = measures_post,
     .body = BODY_FORM, .roles = MEASURES_ROLES, .flags = R_CSRF, .view = "measures/measures",
     .record = "patient"},
    {.method = "GET", .pattern = "/staff/clinical-alerts", .handler = measures_alerts_page,
     .roles = MEASURES_ROLES, .view = "measures/alerts", .record = "clinical-alert",
     .nav = "Clinical alerts"},
    {.method = "GET", .pattern = "/staff/clinical-alerts/:id", .handler = measures_alert_page,
     .roles = MEASURES_ROLES, .view = "measures/alert", .record = "clinical-alert"},
    {.method = "POST", .pattern = "/staff/clinical-alerts/:id/follow-up",
     .handler = measures_alert_follow_up, .body = BODY_FORM, .roles = MEASURES_ROLES,
     .flags = R_CSRF, .view = "measures/alert", .record = "clinical-alert"},
    {.method = "GET", .pattern = "/api/v1/patients/:id/measures", .handler = measures_api_list,
     .roles = MEASURES_ROLES, .flags = R_JSON, .record = "patient"},
    {.method = "POST", .pattern = "/api/v1/patients/:id/measures", .handler = measures_api_add,
     .body = BODY_JSON, .body_limit = SMALL_BODY, .roles = MEASURES_ROLES,
     .flags = R_JSON | R_CSRF, .record = "patient"},
    {.method = "GET", .pattern = "/api/v1/patients/:id/measures/due", .handler = measures_api_due,
     .roles = MEASURES_ROLES, .flags = R_JSON, .record = "patient"},
    {.method = "GET", .pattern = "/api/v1/patients/:id/measures/:instrument/trend",
     .handler = measures_api_trend, .roles = MEASURES_ROLES, .flags = R_JSON,
     .record = "patient"},
    {.method = "GET", .pattern = "/api/v1/clinical-alerts", .handler = measures_alerts_api,
     .roles = MEASURES_ROLES, .flags = R_JSON, .record = "clinical-alert"},
    {.method = "POST", .pattern = "/api/v1/clinical-alerts/:id/follow-up",
     .handler = measures_alert_follow_up_api, .body = BODY_JSON, .body_limit = FOLLOW_UP_BODY,
     .roles = MEASURES_ROLES, .flags = R_JSON | R_CSRF, .record = "clinical-alert"},
};

const struct route_table measures_routes = {rows, sizeof(rows) / sizeof(rows[0])};
