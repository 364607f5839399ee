/* metrics: the module of GET /metrics (Prometheus text format). Its row is in no table the
 * main port searches: the server reaches it on the main port only with the metrics token, and
 * a separate metrics listener (haven serve --metrics-listen) has it as its only table. */
#ifndef HAVEN_MODULE_METRICS_H
#define HAVEN_MODULE_METRICS_H

#include "core/err.h"
#include "http/req.h"
#include "http/router.h"

/* The metrics listener's table: GET /metrics alone. */
extern const struct route_table metrics_routes;
/* Its row, for the main port (server_config.metrics_route). */
extern const struct route *const metrics_route;

/* The HTTP layer's counters (http/metrics.h), then the admissions queue's gauges. */
enum err metrics_page(struct req *r);

#endif
