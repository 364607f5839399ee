/* modules: the order in which the route tables are searched. */
#include "modules/modules.h"

const struct route_table *const modules_routes[] = {
    &public_routes, &account_routes, &users_routes, &audit_routes,
    &admissions_routes, &patients_routes, NULL,
};
