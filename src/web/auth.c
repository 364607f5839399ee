/* auth: staff sign-in state of a request. The route row says who may use it; this file checks
 * the session behind the cookie against it. Nothing here writes a response. */
#include "web/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/timefmt.h"
#include "domain/password.h"
#include "http/resp.h"
#include "http/router.h"
#include "store/portal.h"
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

void auth_patient_cookie(struct req *r, const char *token, bool shared)
{
    const char *secure = getenv("HAVEN_COOKIE_SECURE");
    size_t n = 192;
    char *c = arena_alloc(r->arena, n), age[32] = "";

    if (!token)
        snprintf(age, sizeof(age), "; Max-Age=0");
    else if (!shared)
        snprintf(age, sizeof(age), "; Max-Age=%ld", PORTAL_MAX_SECONDS);
    snprintf(c, n, "%s=%s; Path=/me%s; HttpOnly; SameSite=Lax%s", AUTH_PATIENT_COOKIE,
             token ? token : "", age, secure && strcmp(secure, "1") == 0 ? "; Secure" : "");
    resp_header(r, "Set-Cookie", c);
}

/* r->user for the patient of session ps. */
static void patient_principal(struct req *r, const struct portal_session *ps, long now)
{
    struct principal *p = arena_alloc(r->arena, sizeof(*p));
    size_t n = sizeof("patient:") + sizeof(ps->patient_id);
    char *who = arena_alloc(r->arena, n);

    snprintf(who, n, "patient:%s", ps->patient_id);
    p->kind = PRINCIPAL_PATIENT;
    p->public_id = arena_strdup(r->arena, ps->patient_id);
    p->email = who;
    p->name = arena_strdup(r->arena, ps->first_name);
    p->csrf = arena_strdup(r->arena, ps->csrf);
    p->session_age = now - ps->created;
    p->idle_left = store_portal_session_left(now, ps->created, ps->last_seen, ps->shared);
    p->patient = ps->patient;
    r->user = p;
}

enum auth_result auth_patient(struct req *r)
{
    const char *token = req_cookie(r, AUTH_PATIENT_COOKIE);
    long now = (long)time(NULL);
    struct portal_session ps;
    char hash[65], day[11];
    caldate today;

    if (!token || strlen(token) != 64 || strspn(token, "0123456789abcdef") != 64)
        return AUTH_ANONYMOUS;
    session_token_hash(token, hash);
    if (!caldate_parse(timefmt_today((time_t)now, day), &today) ||
        store_portal_session_get(r->store, hash, today, &ps) != E_OK)
        return AUTH_ANONYMOUS;
    if (!ps.open || store_portal_session_left(now, ps.created, ps.last_seen, ps.shared) <= 0) {
        log_info("portal session %ld ended: %s", ps.id, ps.open ? "time" : "access closed");
        store_portal_session_delete(r->store, ps.id);
        auth_patient_cookie(r, NULL, false);
        return AUTH_EXPIRED;
    }
    if (now - ps.last_seen >= TOUCH_EVERY &&
        store_portal_session_touch(r->store, ps.id, now) == E_OK)
        ps.last_seen = now;
    patient_principal(r, &ps, now);
    return AUTH_OK;
}

long auth_patient_id(const struct req *r)
{
    return r->user && r->user->kind == PRINCIPAL_PATIENT ? r->user->patient : 0;
}
