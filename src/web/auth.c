/* auth: staff sign-in state of a request. The route row says who may use it; this file checks
 * the session behind the cookie against it. Nothing here writes a response. */
#include "web/auth.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "domain/password.h"
#include "http/router.h"
#include "web/session.h"

/* The idle clock (sessions.last_seen) moves at most once a minute per session: a signed-in
 * page view then costs no write at all most of the time (issue 8, "pages that stay fast under
 * load"). The stored time is therefore up to TOUCH_EVERY seconds behind the last request, and
 * the 15 idle minutes count from it: a session ends between 14 and 15 minutes after its last
 * request, never later. What the staff frame is told (idle_left: the keep-alive's
 * seconds_left, /api/v1/me's idle_seconds_left) counts from the stored time too, so that its
 * warning comes when the server's end is really a minute away. */
#define TOUCH_EVERY 60

void auth_set_principal(struct req *r, const struct staff_user *u,
                         const struct staff_session *ss, long now)
{
    struct principal *p = arena_alloc(r->arena, sizeof(*p));
    long left = 0;

    p->kind = PRINCIPAL_STAFF;
    p->id = u->id;
    p->public_id = arena_strdup(r->arena, u->public_id);
    p->email = arena_strdup(r->arena, u->email);
    p->name = arena_strdup(r->arena, u->name);
    p->roles = u->roles;
    p->csrf = ss ? arena_strdup(r->arena, ss->csrf) : "";
    if (ss) {
        p->session_age = now - ss->created;
        password_session_state(now, ss->created, ss->last_seen, &left);
    }
    p->idle_left = left;
    r->user = p;
}

bool auth_totp_required(struct req *r, const struct staff_user *u)
{
    char v[8];

    if (u->totp_enabled)
        return false;
    return store_setting_get(r->store, "require_totp", v, sizeof(v)) == E_OK &&
           strcmp(v, "1") == 0;
}

enum auth_result auth_authorize(struct req *r)
{
    const struct route *rt = r->route;
    struct staff_session ss;
    struct staff_user u;
    long now = (long)time(NULL);
    enum session_state st;

    if (!session_of(r, &ss))
        return AUTH_ANONYMOUS;
    st = password_session_state(now, ss.created, ss.last_seen, NULL);
    if (st == SESSION_IDLE_EXPIRED || st == SESSION_TOO_OLD) {
        log_info("session %ld ended: %s", ss.id, st == SESSION_TOO_OLD ? "12 h limit" : "idle");
        session_end(r);
        return AUTH_EXPIRED;
    }
    if (store_user_get(r->store, STAFF_BY_ID, ss.user_id, NULL, &u) != E_OK || u.disabled) {
        session_end(r);
        return AUTH_ANONYMOUS;
    }
    if (ss.mfa_pending)
        return AUTH_PENDING; /* half signed in: the second-factor page is the only place to go */
    if (now - ss.last_seen >= TOUCH_EVERY && store_session_touch(r->store, ss.id, now) == E_OK)
        ss.last_seen = now;
    auth_set_principal(r, &u, &ss, now);
    if (!(u.roles & rt->roles) || (rt->and_roles && !(u.roles & rt->and_roles))) {
        log_info("user %ld denied %s %s", u.id, r->method, rt->pattern);
        return AUTH_DENIED;
    }
    if (!(rt->flags & R_ENROLMENT) && auth_totp_required(r, &u))
        return AUTH_ENROL;
    return AUTH_OK;
}

/* Whether token is the session's CSRF token (constant time). */
static bool csrf_matches(struct req *r, const char *token)
{
    if (!r->user || !r->user->csrf || strlen(r->user->csrf) != 64 || !token ||
        strlen(token) != 64)
        return false;
    return sodium_memcmp(r->user->csrf, token, 64) == 0;
}

bool auth_csrf_ok(struct req *r)
{
    return csrf_matches(r, req_form(r, "csrf"));
}

bool auth_csrf_header_ok(struct req *r)
{
    return csrf_matches(r, req_header(r, "X-CSRF-Token"));
}

bool auth_can(const struct req *r, unsigned roles)
{
    return r->user && (r->user->roles & roles);
}

long auth_user_id(const struct req *r)
{
    return r->user ? r->user->id : 0;
}
