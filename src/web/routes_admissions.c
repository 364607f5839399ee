/* routes_admissions: the admissions module's addresses (filled in as the module lands). */
#include "web/routes.h"

const struct route_table routes_admissions_table = {NULL, 0};
