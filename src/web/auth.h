/* auth: who is signed in and what they may do. Resolves the staff session from its cookie,
 * enforces the idle and absolute limits and checks a route row's roles; web/view.c answers
 * each refusal. Handlers ask auth_can for finer choices inside a page (which forms to show). */
#ifndef HAVEN_AUTH_H
#define HAVEN_AUTH_H

#include <stdbool.h>

#include "http/req.h"
#include "store/staff.h"
#include "web/principal.h"

enum auth_result {
    AUTH_OK,        /* r->user is set and holds the route's roles */
    AUTH_ANONYMOUS, /* no session */
    AUTH_EXPIRED,   /* the session passed its idle or absolute limit (now ended) */
    AUTH_PENDING,   /* password given, second factor not yet */
    AUTH_DENIED,    /* signed in (r->user set) without the route's roles */
    AUTH_ENROL,     /* the workspace requires a second factor this member has not set up */
};

/* Checks the request against its route row (roles, and_roles, R_ENROLMENT) and, when the
 * session is good, renews its idle clock (a write at most once a minute: auth.c) and sets
 * r->user, whose idle_left counts from the clock as stored. */
enum auth_result auth_authorize(struct req *r);
/* True when the form's "csrf" field equals the session's token (constant time). */
bool auth_csrf_ok(struct req *r);
/* The same for the X-CSRF-Token header, which a signed-in JSON API write carries (the token
 * from GET /api/v1/me). */
bool auth_csrf_header_ok(struct req *r);
/* True when the signed-in member holds one of roles. */
bool auth_can(const struct req *r, unsigned roles);
/* The signed-in member's users.id (0 when none). */
long auth_user_id(const struct req *r);
/* Sets r->user from a user and (optionally) a session (the sign-in steps). */
void auth_set_principal(struct req *r, const struct staff_user *u, const struct staff_session *ss,
                        long now);
/* True when the workspace requires a second factor and the user has none yet. */
bool auth_totp_required(struct req *r, const struct staff_user *u);

#endif
