/* auth: who is signed in and what they may do. Resolves the staff session from its cookie,
 * enforces the idle and absolute limits and checks a route row's roles; web/view.c answers
 * each refusal. Handlers ask auth_can for finer choices inside a page (which forms to show).
 * A patient signed in to the portal has a session of another kind behind another cookie
 * (AUTH_PATIENT_COOKIE, sent only to /me): rows with roles never read it, rows with R_PATIENT
 * read nothing else, so neither cookie opens the other side. */
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

/* The patient portal's session cookie. */
#define AUTH_PATIENT_COOKIE "haven_me"
/* For an R_PATIENT row: the patient's session behind AUTH_PATIENT_COOKIE (store/portal.h). A
 * live one whose account still opens the portal sets r->user (PRINCIPAL_PATIENT) and renews
 * the idle clock (a write at most once a minute): AUTH_OK. AUTH_ANONYMOUS without one;
 * AUTH_EXPIRED when it passed its limits or the access ended (revoked, aftercare over): the
 * session is then deleted and the cookie cleared. */
enum auth_result auth_patient(struct req *r);
/* Sets the portal's cookie to token (64 hex digits; NULL clears it): a cookie that lasts as
 * long as a session may (12 hours), or, on a shared device, one the browser forgets when it
 * closes. */
void auth_patient_cookie(struct req *r, const char *token, bool shared);
/* The signed-in patient's patients.id; 0 when the request's principal is not a patient. */
long auth_patient_id(const struct req *r);

#endif
