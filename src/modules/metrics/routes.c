/* routes: the metrics module's one row. Public as rows go (no roles): what guards it is where
 * the server answers it (a separate bind, or the main port with the token). No personal data:
 * counts by route pattern, never paths, ids or addresses. */
#include "http/router.h"

#include "modules/metrics/metrics.h"

static const struct route routes[] = {
    {.method = "GET", .pattern = "/metrics", .handler = metrics_page},
};

const struct route_table metrics_routes = {routes, sizeof(routes) / sizeof(routes[0])};
const struct route *const metrics_route = &routes[0];
