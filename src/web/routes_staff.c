/* routes_staff: the staff module's addresses (filled in as the module lands). */
#include "web/routes.h"

const struct route_table routes_staff_table = {NULL, 0};
