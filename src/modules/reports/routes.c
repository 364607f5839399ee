/* routes: the Reports screens' addresses, for administrators and billing (spec program.md §4:
 * billable days are theirs; the census and the weekly hours are the same program's figures,
 * with names and minutes only), and the outcomes report for administrators and clinicians
 * (counts only). Reads only: nothing here changes a record. */
#include "modules/reports/reports.h"

#include "domain/roles.h"

#define REPORT_ROLES (ROLE_ADMIN | ROLE_BILLING)
#define OUTCOME_ROLES (ROLE_ADMIN | ROLE_CLINICIAN) /* the program director: counts only */

static const struct route rows[] = {
    {.method = "GET", .pattern = "/staff/reports", .handler = reports_census,
     .roles = REPORT_ROLES, .view = "reports/census", .record = "census", .nav = "Reports"},
    {.method = "GET", .pattern = "/staff/reports/hours", .handler = reports_hours,
     .roles = REPORT_ROLES, .view = "reports/hours", .record = "patient"},
    {.method = "GET", .pattern = "/staff/reports/billing", .handler = reports_billing,
     .roles = REPORT_ROLES, .view = "reports/billing", .record = "billable-days"},
    {.method = "GET", .pattern = "/staff/reports/outcomes", .handler = reports_outcomes,
     .roles = OUTCOME_ROLES, .view = "reports/outcomes", .record = "outcomes", .nav = "Outcomes"},
    {.method = "GET", .pattern = "/api/v1/reports/outcomes", .handler = reports_outcomes_api,
     .roles = OUTCOME_ROLES, .flags = R_JSON, .record = "outcomes"},
};

const struct route_table reports_routes = {rows, sizeof(rows) / sizeof(rows[0])};
