/* app: the framework's process-wide, read-only state shared by every worker thread: the route
 * tables, parsed templates and the static files' version. Built once before the server starts;
 * never changed afterwards, so no locks are needed. (A module's own start-up state lives in
 * the module: modules_init.) */
#ifndef HAVEN_APP_H
#define HAVEN_APP_H

#include <stddef.h>

#include "http/router.h"
#include "web/tmpl.h"

struct app {
    const struct route_table *const *routes; /* every module's table (the staff menu reads it) */
    struct tmpl_set *tmpl;
    char asset_version[17];  /* hash of every static file: cache-busting query for URLs */
    const char *clinic_name;
};

/* Builds the app state; NULL (after logging why) if an embedded template fails to parse. */
struct app *app_new(const struct route_table *const *routes);
void app_free(struct app *a);

#endif
