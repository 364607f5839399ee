/* server: the HTTP listener on libmicrohttpd (thread pool, epoll). Only http/ includes
 * <microhttpd.h>. It knows nothing of the store or the pages: the web layer hands it hooks. */
#ifndef HAVEN_SERVER_H
#define HAVEN_SERVER_H

#include <stddef.h>

#include "http/guard.h"
#include "http/router.h"

struct app;
struct server;
struct store;

struct server_config {
    const char *bind;      /* IPv4 address to listen on, e.g. "127.0.0.1" */
    unsigned port;
    unsigned threads;      /* worker threads; 0 = one per core */
    struct guard_config guard; /* connections per address, header and body deadlines */
    const struct route_table *const *routes; /* NULL-terminated */
    struct app *app;
    /* Opens the calling worker thread's database connection (once per thread, kept for its
     * life; DESIGN.md §2), or NULL; closes one at stop. http/ only carries the pointer. */
    struct store *(*store_open)(const void *cls);
    void (*store_close)(struct store *s);
    const void *store_cls;
    /* Runs a matched route: authorize, checks, handler, the answer (web/view.c). */
    void (*run)(struct req *r);
    /* The error page (or JSON error) for a request no route could take. */
    void (*error_page)(struct req *r, int status, const char *message);
    /* A row outside the tables that a GET of its pattern reaches when it carries the metrics
     * token (http/metrics.h); without it the path is unknown (404). NULL: none. */
    const struct route *metrics_route;
};

/* Starts listening; returns NULL (after logging why) when the address cannot be bound. */
struct server *server_start(const struct server_config *cfg);
/* Stops accepting, lets in-flight requests finish, closes every worker's database. */
void server_stop(struct server *s);
/* The port actually bound (useful with port 0). */
unsigned server_port(const struct server *s);

#endif
