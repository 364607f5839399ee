/* router: the route row and its matcher. A row says everything a reader needs to know about an
 * address: method, path with :params, who may use it, what it checks before the handler runs,
 * what renders its answer. Modules list their rows in modules/<module>/routes.c. */
#ifndef HAVEN_ROUTER_H
#define HAVEN_ROUTER_H

#include <stddef.h>

#include "core/err.h"
#include "http/req.h"

enum body_kind {
    BODY_NONE, /* any body is refused with 413 */
    BODY_FORM, /* application/x-www-form-urlencoded, parsed into req->fields */
    BODY_JSON, /* kept raw in req->body for the handler to parse */
};

/* What the framework does for a row before and after its handler (web/view.c). */
enum route_flag {
    R_CSRF = 1u << 0,     /* a change: the form's "csrf" field must be the session's token */
    R_NO_STORE = 1u << 1, /* personal data: Cache-Control: no-store (implied by .roles) */
    R_JSON = 1u << 2,     /* the model and every error are answered as JSON */
    R_ENROLMENT = 1u << 3, /* answers while a required second factor is still to be set up */
    /* the patient portal: a signed-in patient (web/auth.c auth_patient), never a staff member;
     * R_CSRF then checks that session's token; no-store; errors in the portal's frame. A row
     * has either this or .roles, never both. */
    R_PATIENT = 1u << 4,
};

struct route {
    const char *method;  /* "GET", "POST"; GET routes also answer HEAD */
    /* "/staff/referrals/:id/calls": a ":name" segment matches one segment of letters, digits
     * and '-' (req_param(r, "name")); a final '*' matches any rest ("/static/" + anything). */
    const char *pattern;
    /* Validates, acts, and leaves a model (req_model) for the view, or answers itself
     * (redirects, files). Its enum err becomes the status in one place (http/status.c). */
    enum err (*handler)(struct req *r);
    enum body_kind body;
    size_t body_limit;   /* bytes; 0 = the default 64 KiB */
    unsigned roles;      /* 0 = public; else the roles (domain/roles.h bits) that may use it */
    unsigned and_roles;  /* when set, the member must also hold one of these (e.g. queue work
                          * AND the right to confirm a level of care) */
    unsigned flags;      /* enum route_flag */
    const char *view;    /* the template that renders the model (HTML routes) */
    const char *record;  /* the record type :id names ("referral"), for refusals' audit entries */
    const char *nav;     /* its label in the staff menu (GET rows), or NULL */
};

/* One module's table; the server searches a NULL-terminated list of pointers to them. */
struct route_table {
    const struct route *routes;
    size_t n;
};

#define ROUTE_BODY_DEFAULT (64 * 1024)
#define ROUTE_MAX_PARAMS REQ_MAX_PARAMS
#define ROUTE_PARAM_MAX 64 /* bytes of one :param value */

/* The :params of a matched path; values point into the caller's path copy. */
struct route_params {
    const char *name[ROUTE_MAX_PARAMS]; /* without the ':' (point into the pattern) */
    size_t name_len[ROUTE_MAX_PARAMS];
    const char *value[ROUTE_MAX_PARAMS]; /* into path; not NUL-terminated */
    size_t value_len[ROUTE_MAX_PARAMS];
    int n;
};

enum route_match { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_NO_METHOD };

/* Finds the route for method and path in table (n entries); params (may be NULL) gets the
 * :params of the match. On ROUTE_NO_METHOD, *allow gets a static "GET, HEAD" style list for
 * the Allow header. */
enum route_match router_match(const struct route *table, size_t n, const char *method,
                              const char *path, const struct route **out,
                              struct route_params *params, const char **allow);
/* The same over several tables (a NULL-terminated array of pointers), searched in order. */
enum route_match router_match_tables(const struct route_table *const *tables, const char *method,
                                     const char *path, const struct route **out,
                                     struct route_params *params, const char **allow);

#endif
