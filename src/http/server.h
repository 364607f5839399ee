/* server: the HTTP listener on libmicrohttpd (thread pool, epoll). Only http/ includes
 * <microhttpd.h>. */
#ifndef HAVEN_SERVER_H
#define HAVEN_SERVER_H

#include <stddef.h>

#include "http/router.h"

struct app;
struct server;

struct server_config {
    const char *bind;      /* IPv4 address to listen on, e.g. "127.0.0.1" */
    unsigned port;
    unsigned threads;      /* worker threads; 0 = one per core */
    const char *db_path;   /* each worker opens its own connection to it */
    const struct route_table *const *routes; /* NULL-terminated */
    struct app *app;
    /* Renders the error page (or JSON error) for status; supplied by the web layer. */
    void (*error_page)(struct req *r, int status, const char *message);
    /* Called before the handler of a route with roles: returns 1 to run the handler, or 0 when
     * it has answered itself (redirect to sign-in, 403). Supplied by the web layer. */
    int (*authorize)(struct req *r);
};

/* Starts listening; returns NULL (after logging why) when the address cannot be bound. */
struct server *server_start(const struct server_config *cfg);
/* Stops accepting, lets in-flight requests finish, closes every worker's database. */
void server_stop(struct server *s);
/* The port actually bound (useful with port 0). */
unsigned server_port(const struct server *s);

#endif
