/* routes_audit: the audit module's addresses (filled in as the module lands). */
#include "web/routes.h"

const struct route_table routes_audit_table = {NULL, 0};
