/* keep_alive: the session's clock as the staff frame's script (static/staff.js) sees it.
 * POST /staff/keep-alive renews it: the script sends it only while the member is active, and
 * reaching the handler is the renewal (auth_authorize has already moved the idle clock on,
 * unless it moved less than a minute ago: seconds_left then says what is really left).
 * The script reads JSON, but the row is not an API row: a request without a session is sent
 * to the sign-in page like any other staff address. GET /api/v1/session tells the script how
 * long this browser's session has left WITHOUT moving its clock (a public row: an idle page
 * asking must never keep an unattended session alive), and hands it the token the in-place
 * sign-in (POST /api/v1/session) needs. */
#include "modules/account/account.h"

#include <time.h>

#include "domain/password.h"
#include "http/csrf.h"
#include "http/resp.h"
#include "http/status.h"
#include "store/staff.h"
#include "web/principal.h"
#include "web/session.h"

enum err keep_alive_post(struct req *r)
{
    json_t *m = json_pack("{s:i, s:I}", "idle_seconds", SESSION_IDLE_SECONDS, "seconds_left",
                          (json_int_t)r->user->idle_left);

    resp_json(r, status_of(E_OK), m);
    json_decref(m);
    return E_OK;
}

/* Seconds the request's signed-in session has left (the nearer of the idle and the 12-hour
 * limit), or 0 when there is none: no cookie, half-open, ended, or its account disabled. */
static long seconds_left(struct req *r)
{
    struct staff_session ss;
    struct staff_user u;
    long left = 0;
    enum session_state st;

    if (!session_of(r, &ss) || ss.mfa_pending)
        return 0;
    st = password_session_state((long)time(NULL), ss.created, ss.last_seen, &left);
    if (st == SESSION_IDLE_EXPIRED || st == SESSION_TOO_OLD ||
        store_user_get(r->store, STAFF_BY_ID, ss.user_id, NULL, &u) != E_OK || u.disabled)
        return 0;
    return left;
}

enum err keep_alive_state(struct req *r)
{
    long left = seconds_left(r);

    req_model(r, json_pack("{s:b, s:I, s:s}", "signed_in", left > 0, "seconds_left",
                           (json_int_t)left, "csrf", csrf_token(r)));
    return E_OK;
}
