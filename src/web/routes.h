/* routes: Haven's route tables: the public one here, one per staff module in its own file. */
#ifndef HAVEN_ROUTES_H
#define HAVEN_ROUTES_H

#include "http/router.h"

/* Every table, searched in order; NULL-terminated. */
extern const struct route_table *const route_tables[];

/* The staff modules' tables, each in its own file. */
extern const struct route_table routes_staff_table;      /* routes_staff.c: sign-in, users */
extern const struct route_table routes_audit_table;      /* routes_audit.c: the audit trail */
extern const struct route_table routes_admissions_table; /* routes_admissions.c: queue, chart */

#endif
