/* routes: the audit module's addresses: the trail is for auditors and admins only. */
#include "http/router.h"

#include "domain/roles.h"
#include "modules/audit/audit.h"

#define TRAIL_ROLES (ROLE_AUDITOR | ROLE_ADMIN)

static const struct route routes[] = {
    {.method = "GET", .pattern = "/staff/audit", .handler = trail_page, .roles = TRAIL_ROLES,
     .view = "audit/audit", .record = "audit", .nav = "Audit trail"},
    {.method = "GET", .pattern = "/staff/audit.csv", .handler = trail_csv, .roles = TRAIL_ROLES,
     .view = "audit/audit", .record = "audit"},
    {.method = "GET", .pattern = "/api/v1/audit", .handler = trail_api, .roles = TRAIL_ROLES,
     .flags = R_JSON, .record = "audit"},
};

const struct route_table audit_routes = {routes, sizeof(routes) / sizeof(routes[0])};
