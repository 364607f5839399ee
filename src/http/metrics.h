/* metrics: what GET /metrics tells a Prometheus server (text exposition format 0.0.4) about
 * the HTTP layer: requests by route pattern and status, their latency by route, the database's
 * commit times, connections the guard refused or cut, resident memory and uptime. Labels are
 * route patterns ("/staff/referrals/:id"), never paths, ids or addresses. Counters are atomic
 * and the route table is fixed at start-up, so neither a request nor a scrape takes a lock.
 * Off until metrics_init; the page itself is modules/metrics (it adds the store's gauges). */
#ifndef HAVEN_METRICS_H
#define HAVEN_METRICS_H

#include <stdbool.h>

#include "core/buf.h"
#include "http/router.h"

/* Turns counting on for the routes of tables (NULL-terminated) and extra (may be NULL). Call
 * once at start-up, before threads. */
void metrics_init(const struct route_table *const *tables, const struct route *extra);
/* Frees what metrics_init built; counting stops. */
void metrics_free(void);
/* A request is answered: its route (NULL when none matched), status and the time it took from
 * its headers to the answer being ready (the sending is the network's, not Haven's). */
void metrics_request(const struct route *rt, int status, double seconds);
/* A connection the guard (http/guard.h) refused at its address's limit, or cut at a deadline
 * (body: the body's deadline, else the headers'). */
void metrics_refused(void);
void metrics_cut(bool body);
/* The bearer token that opens /metrics on the main port (NULL: none). At least
 * METRICS_TOKEN_MIN characters, no spaces; -1 otherwise. Only its hash is kept. */
#define METRICS_TOKEN_MIN 16
int metrics_token_set(const char *token);
bool metrics_token_required(void);
/* Whether an Authorization header is "Bearer <the token>" (compared in constant time). */
bool metrics_token_ok(const char *authorization);
/* Appends every HTTP-layer metric to out. */
void metrics_write(struct buf *out);
/* Appends one gauge (its HELP and TYPE lines, then the value). */
void metrics_gauge(struct buf *out, const char *name, const char *help, double value);

#endif
