/* router: the route table type and its matcher. Routes are data (web/routes.c lists them). */
#ifndef HAVEN_ROUTER_H
#define HAVEN_ROUTER_H

#include <stddef.h>

#include "http/req.h"

enum body_kind {
    BODY_NONE, /* any body is refused with 413 */
    BODY_FORM, /* application/x-www-form-urlencoded, parsed into req->fields */
    BODY_JSON, /* kept raw in req->body for the handler to parse */
};

struct route {
    const char *method;  /* "GET", "POST"; GET routes also answer HEAD */
    const char *pattern; /* exact path, or a prefix ending in '*' ("/static/" + anything) */
    void (*handler)(struct req *r);
    enum body_kind body;
    size_t body_limit;   /* bytes; 0 = the default 64 KiB */
    unsigned roles;      /* 0 = public; else the roles (domain/roles.h bits) that may use it */
};

/* One table of routes; the server searches a NULL-terminated list of pointers to them. */
struct route_table {
    const struct route *routes;
    size_t n;
};

#define ROUTE_BODY_DEFAULT (64 * 1024)

enum route_match { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_NO_METHOD };

/* Finds the route for method and path in table (n entries). On ROUTE_NO_METHOD, *allow gets a
 * static "GET, HEAD" style list for the Allow header. */
enum route_match router_match(const struct route *table, size_t n, const char *method,
                              const char *path, const struct route **out, const char **allow);
/* The same over several tables (a NULL-terminated array of pointers), searched in order. */
enum route_match router_match_tables(const struct route_table *const *tables, const char *method,
                                     const char *path, const struct route **out,
                                     const char **allow);

#endif
