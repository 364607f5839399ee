/* signin: the first step of signing in, the e-mail address and password. Every attempt is
 * audited; a failure never says which part was wrong, and takes as long whether or not the
 * address is a staff account's; repeated failures pause the account and the client address
 * (throttle.c). With a second factor, the password opens only a half-open session that
 * signin_code.c finishes. The staff frame signs a member in again in place (static/staff.js)
 * through the same step, answered as JSON (signin_api). */
#include "modules/account/account.h"

#include <string.h>
#include <time.h>

#include "core/log.h"
#include "domain/password.h"
#include "http/csrf.h"
#include "http/resp.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/session.h"

const char signin_failure[] =
    "That e-mail address and password did not work. After several failed attempts, sign-in "
    "pauses for a few minutes. If you cannot sign in, ask an administrator for a new link.";

json_t *signin_public_model(struct req *r, const char *title)
{
    return json_pack("{s:b, s:s, s:s}", "staff", 1, "title", title, "csrf", csrf_token(r));
}

/* True when the query string has name=value. */
static bool query_is(struct req *r, const char *name, const char *value)
{
    const char *q = req_query(r, name);

    return q && strcmp(q, value) == 0;
}

json_t *signin_page(struct req *r, const char *email, const char *error)
{
    json_t *m = signin_public_model(r, "Staff sign-in");

    json_object_set_new(m, "email", json_string(email ? email : ""));
    if (error)
        json_object_set_new(m, "error", json_string(error));
    if (query_is(r, "expired", "1"))
        json_object_set_new(m, "notice", json_string("You were signed out after 15 minutes "
                                                     "without activity. Please sign in again."));
    else if (query_is(r, "signed_out", "1"))
        json_object_set_new(m, "notice", json_string("You are signed out."));
    else if (query_is(r, "password", "set"))
        json_object_set_new(m, "notice", json_string("Your password is set. Sign in with it."));
    return m;
}

enum err signin_form(struct req *r)
{
    struct staff_session ss;

    /* Already signed in: the workspace, not a second session. */
    if (session_of(r, &ss) && !ss.mfa_pending) {
        enum session_state st =
            password_session_state((long)time(NULL), ss.created, ss.last_seen, NULL);
        if (st == SESSION_ACTIVE || st == SESSION_WARN) {
            resp_redirect(r, 303, "/staff/");
            return E_OK;
        }
    }
    req_model(r, signin_page(r, NULL, NULL));
    return E_OK;
}

/* The sign-in page again with the one failure message: 401. */
static enum err refused(struct req *r, const char *email)
{
    req_model(r, signin_page(r, email, signin_failure));
    return E_DENIED;
}

/* The password step, shared by the page and the in-place sign-in of the staff frame: E_OK
 * with *u the account and a new session started (half-open when the account has a second
 * factor; *csrf its token), E_DENIED (audited, counted, nothing said about which part was
 * wrong), or E_DB with r->message. */
static enum err password_step(struct req *r, const char *email, const char *password,
                              struct staff_user *u, const char **csrf)
{
    long now = (long)time(NULL);
    bool found, ok;

    if (!email || !*email || strlen(email) > STAFF_EMAIL_MAX || !password ||
        strlen(password) > PASSWORD_MAX_BYTES) {
        audit_record(r, "sign-in", "user", NULL, "invalid");
        return E_DENIED;
    }
    found = store_user_get(r->store, STAFF_BY_EMAIL, 0, email, u) == E_OK;
    /* Hash first, whatever comes next: an unknown e-mail (a dummy hash) and a paused, disabled
     * or known account all take the time of one argon2id, so the answer's timing does not tell
     * which addresses are staff accounts. */
    ok = password_verify(found ? u->password_hash : NULL, password);
    /* Paused: refuse without counting anything, whatever the password. */
    if (throttle_address_paused(r, now) || (found && u->locked_until > now)) {
        log_info("sign-in refused: paused%s", found ? "" : " (address)");
        audit_record(r, "sign-in-paused", "user", found ? u->public_id : NULL, "denied");
        return E_DENIED;
    }
    if (!ok || u->disabled) {
        if (!ok)
            throttle_failure(r, found ? u->id : 0, found ? u->public_id : NULL, now);
        if (found)
            log_info("sign-in failed for user %ld%s", u->id, ok ? " (disabled)" : "");
        audit_record(r, "sign-in", "user", found ? u->public_id : NULL, "denied");
        return E_DENIED;
    }
    /* The account's failures are forgotten only after the whole sign-in: with a second factor,
     * the password alone clears nothing, so wrong codes keep counting however often it is
     * given again. The address's are never forgotten on a success (throttle.c). */
    if (!u->totp_enabled)
        store_throttle_clear(r->store, u->id);
    if (session_start(r, u->id, u->totp_enabled, csrf) < 0) {
        r->message = "We could not sign you in. Please try again in a minute.";
        return E_DB;
    }
    auth_set_principal(r, u, NULL, now);
    audit_record(r, u->totp_enabled ? "sign-in-password" : "sign-in", "user", u->public_id,
                 "ok");
    return E_OK;
}

enum err signin_post(struct req *r)
{
    const char *email = req_form(r, "email"), *password = req_form(r, "password");
    struct staff_user u = {0};
    enum err e = password_step(r, email, password, &u, NULL);

    if (e == E_DENIED)
        return refused(r, email && strlen(email) <= STAFF_EMAIL_MAX ? email : "");
    if (e != E_OK)
        return e;
    resp_redirect(r, 303, u.totp_enabled ? "/staff/sign-in/code" : "/staff/");
    return E_OK;
}

json_t *signin_api_done(const struct staff_user *u, const char *csrf)
{
    return json_pack("{s:b, s:s, s:s, s:i}", "signed_in", 1, "user", u->public_id, "csrf", csrf,
                     "seconds_left", SESSION_IDLE_SECONDS);
}

enum err signin_api(struct req *r)
{
    const char *csrf = NULL;
    struct staff_user u = {0};
    enum err e = password_step(r, req_form(r, "email"), req_form(r, "password"), &u, &csrf);

    if (e == E_DENIED)
        r->message = signin_failure;
    if (e != E_OK)
        return e;
    if (u.totp_enabled)
        req_model(r, json_pack("{s:b, s:b, s:s}", "signed_in", 0, "second_factor", 1, "csrf",
                               csrf));
    else
        req_model(r, signin_api_done(&u, csrf));
    return E_OK;
}
