/* req: one HTTP request and the response its handler builds. Owned by http/server.c; a handler
 * reads the request through the accessors below (http/req.c) and leaves a model for the view,
 * or fills the response itself through http/resp.h. */
#ifndef HAVEN_REQ_H
#define HAVEN_REQ_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"

struct app;
struct route;
struct store;     /* the worker's database connection: http/ only carries it */
struct principal; /* who is signed in: a staff member, a patient, a kiosk (web/auth.h) */

/* One decoded name=value pair of a URL-encoded form (values may repeat a name). */
struct form_field {
    const char *name;
    const char *value; /* NUL-terminated; a value holding a NUL byte makes the form bad */
    size_t len;
    size_t cap;        /* bytes allocated for value while it arrives in pieces */
    char *room;        /* the writable alias of value while it arrives (http/server.c only) */
};

#define REQ_MAX_HEADERS 8

#define REQ_MAX_PARAMS 4

struct req {
    struct arena *arena;       /* everything the request allocates; freed at completion */
    struct app *app;           /* process-wide, read-only state (templates, settings) */
    struct store *store;       /* this worker thread's database connection */
    void *conn;                /* the libmicrohttpd connection (only http/ looks inside) */
    const struct route *route; /* the matched route, or NULL */
    const struct principal *user; /* who is signed in (set by web/auth.c), or NULL */
    const char *method;
    const char *path;          /* without the query string */
    /* The route's :params (NUL-terminated arena copies), in pattern order. */
    const char *param_name[REQ_MAX_PARAMS];
    const char *param_value[REQ_MAX_PARAMS];
    int n_params;
    const char *client;        /* peer address, for the audit trail; never logged with data */
    struct buf body;           /* raw body (JSON routes); bounded by the route's limit */
    struct form_field *fields; /* parsed URL-encoded form (form routes) */
    size_t n_fields, cap_fields;
    bool too_large;            /* the body passed the route's limit: answer 413 */
    bool bad_body;             /* the form could not be parsed */
    bool bad_path;             /* the path held a NUL (%00): answer 400 */
    int refusal;               /* 411 (a chunked body) or 431 (headers too large): answered
                                * before any body is read; 0 = none */
    double started;            /* monotonic seconds, for the access log */

    /* response */
    json_t *model;             /* what the view renders (req_model); owned by the arena */
    const char *view;          /* a template other than the route's, or NULL */
    const char *message;       /* what an error page says instead of the status's default */
    int status;
    const char *content_type;
    struct buf out;
    const char *headers[REQ_MAX_HEADERS][2];
    size_t n_headers;
    bool no_store;             /* personal data: Cache-Control: no-store */
    bool is_head;
};

/* The value of the route's :name parameter (letters, digits, '-'), or NULL. */
const char *req_param(const struct req *r, const char *name);
/* Makes m (a new reference, may be NULL) the request's model, owned by its arena; returns m.
 * A model replaced later is freed with the request too. */
json_t *req_model(struct req *r, json_t *m);

/* Header, query argument and cookie lookups; NULL when absent. */
const char *req_header(struct req *r, const char *name);
/* The last of several header lines with this name (a proxy adds its line last), or NULL. */
const char *req_header_last(struct req *r, const char *name);
const char *req_query(struct req *r, const char *name);
const char *req_cookie(struct req *r, const char *name);
/* The first value of a form field, or NULL. */
const char *req_form(const struct req *r, const char *name);

#endif
