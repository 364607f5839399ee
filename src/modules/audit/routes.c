/* routes: the audit module's addresses: the trail is for auditors and admins only. */
#include "modules/modules.h"

#include "domain/roles.h"
#include "modules/audit/audit.h"

static const struct route routes[] = {
    {.method = "GET", .pattern = "/staff/audit", .handler = web_audit,
     .roles = ROLE_AUDITOR | ROLE_ADMIN},
    {.method = "GET", .pattern = "/staff/audit.csv", .handler = web_audit_csv,
     .roles = ROLE_AUDITOR | ROLE_ADMIN},
    {.method = "GET", .pattern = "/api/v1/audit", .handler = api_audit,
     .roles = ROLE_AUDITOR | ROLE_ADMIN},
};

const struct route_table audit_routes = {routes, sizeof(routes) / sizeof(routes[0])};
