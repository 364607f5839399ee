/* signin_code: the second step of signing in, for an account with a second factor: a code
 * from the authenticator app (each step once, RFC 6238 §5.2) or one of the recovery codes
 * (each once). Wrong codes count like wrong passwords (throttle.c); a pause ends every
 * half-open session of the account. The form's token is the half-open session's own, not the
 * double-submit one, so this step checks it here. The staff frame's in-place sign-in
 * (static/staff.js) goes through the same step, answered as JSON (signin_code_api). */
#include "modules/account/account.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/totp.h"
#include "domain/password.h"
#include "http/resp.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/secrets.h"
#include "web/session.h"

static const char code_failure[] =
    "That code did not work. Enter the 6-digit code your app shows now, or one of your "
    "recovery codes.";

/* The half-open session between the password and the second factor, with its user; a session
 * that expired or whose user can no longer finish is ended. */
static bool pending(struct req *r, struct staff_session *ss, struct staff_user *u, long now)
{
    enum session_state st;

    if (!session_of(r, ss) || !ss->mfa_pending)
        return false;
    st = password_session_state(now, ss->created, ss->last_seen, NULL);
    if (st == SESSION_IDLE_EXPIRED || st == SESSION_TOO_OLD ||
        store_user_get(r->store, STAFF_BY_ID, ss->user_id, NULL, u) != E_OK || u->disabled ||
        !u->totp_enabled) {
        store_session_delete(r->store, ss->id);
        return false;
    }
    return true;
}

static json_t *code_page(const char *csrf, const char *error)
{
    json_t *m = json_pack("{s:b, s:s, s:s}", "staff", 1, "title", "Two-step sign-in", "csrf",
                          csrf);

    if (error)
        json_object_set_new(m, "error", json_string(error));
    return m;
}

enum err signin_code_form(struct req *r)
{
    struct staff_session ss;
    struct staff_user u;

    if (!pending(r, &ss, &u, (long)time(NULL))) {
        resp_redirect(r, 303, "/staff/sign-in");
        return E_OK;
    }
    req_model(r, code_page(ss.csrf, NULL));
    return E_OK;
}

/* Which second factor a code was. */
enum factor {
    FACTOR_NONE,
    FACTOR_TOTP,
    FACTOR_RECOVERY,
    FACTOR_ERROR, /* a recovery code could not be marked used (and audited): nothing changed */
};

/* FACTOR_TOTP when code is the user's current TOTP code (not used before), FACTOR_RECOVERY
 * when it is an unused recovery code (now used up, and audited with it), else FACTOR_NONE. */
static enum factor second_factor(struct req *r, const struct staff_user *u, const char *code,
                                 long now)
{
    unsigned char secret[TOTP_SECRET_BYTES];
    long long step;
    char clean[64], hash[65];
    enum err e;

    recovery_codes_clean(code, clean, sizeof(clean));
    if (strlen(clean) == TOTP_DIGITS && strspn(clean, "0123456789") == TOTP_DIGITS) {
        bool ok = secrets_totp_open(r->store, u, secret) == 0 &&
                  totp_verify(secret, sizeof(secret), now, clean, &step) == 0 &&
                  store_totp_use_step(r->store, u->id, step) == E_OK;
        sodium_memzero(secret, sizeof(secret));
        return ok ? FACTOR_TOTP : FACTOR_NONE;
    }
    if (!*clean)
        return FACTOR_NONE;
    session_token_hash(clean, hash);
    sodium_memzero(clean, sizeof(clean));
    e = store_recovery_use_audited(r->store, u->id, hash, now,
                                   audit_entry(r, "use-recovery-code", "user", u->public_id));
    return e == E_OK ? FACTOR_RECOVERY : e == E_DB ? FACTOR_ERROR : FACTOR_NONE;
}

/* How the code step ended. */
enum step {
    STEP_DONE,       /* signed in: a new session, *csrf its token */
    STEP_NO_SESSION, /* no half-open session (or it expired): start with the password */
    STEP_FORGED,     /* the form's token is not the half-open session's */
    STEP_WRONG,      /* a wrong code: counted and audited; the half-open session stays */
    STEP_PAUSED,     /* a wrong code while or until paused: every half-open session ended */
    STEP_FAILED,     /* the store failed: r->message says so */
};

/* A wrong code (or any code while paused): counted and audited. Once the account is paused,
 * every half-open session of the account ends, so no code, not even the right one, gets in
 * until the pause is over and the password is given again. */
static enum step wrong_code(struct req *r, const struct staff_user *u, bool paused, long now)
{
    bool locked = false;

    if (!paused)
        locked = throttle_failure(r, u->id, u->public_id, now);
    log_info("second factor failed for user %ld%s", u->id, paused ? " (paused)" : "");
    audit_record(r, paused ? "sign-in-paused" : "sign-in", "user", u->public_id, "denied");
    if (!paused && !locked)
        return STEP_WRONG;
    store_session_delete_pending(r->store, u->id);
    session_end(r);
    r->user = NULL;
    return STEP_PAUSED;
}

static enum step step_failed(struct req *r)
{
    r->message = "We could not sign you in. Please try again in a minute.";
    return STEP_FAILED;
}

/* The code step, shared by the page and the in-place sign-in of the staff frame. */
static enum step code_step(struct req *r, struct staff_session *ss, struct staff_user *u,
                           const char **csrf)
{
    const char *code = req_form(r, "code"), *field = req_form(r, "csrf");
    long now = (long)time(NULL);
    enum factor f = FACTOR_NONE;
    bool paused;

    if (!pending(r, ss, u, now))
        return STEP_NO_SESSION;
    if (!field || strlen(field) != 64 || sodium_memcmp(field, ss->csrf, 64) != 0)
        return STEP_FORGED;
    auth_set_principal(r, u, NULL, now);
    paused = throttle_address_paused(r, now) || u->locked_until > now;
    if (paused || !code || strlen(code) > 32 ||
        (f = second_factor(r, u, code, now)) == FACTOR_NONE)
        return wrong_code(r, u, paused, now);
    if (f == FACTOR_ERROR)
        return step_failed(r);
    if (f == FACTOR_RECOVERY)
        log_info("user %ld used a recovery code", u->id);
    store_throttle_clear(r->store, u->id);
    if (session_start(r, u->id, false, csrf) < 0)
        return step_failed(r);
    audit_record(r, "sign-in", "user", u->public_id, "ok");
    return STEP_DONE;
}

static const char forged[] = "This form had expired. Please reload the page and try again.";

enum err signin_code_post(struct req *r)
{
    struct staff_session ss;
    struct staff_user u;

    switch (code_step(r, &ss, &u, NULL)) {
    case STEP_DONE:
        resp_redirect(r, 303, "/staff/");
        return E_OK;
    case STEP_NO_SESSION:
        resp_redirect(r, 303, "/staff/sign-in");
        return E_OK;
    case STEP_FORGED:
        r->message = forged;
        return E_FORBIDDEN;
    case STEP_WRONG:
        req_model(r, code_page(ss.csrf, code_failure));
        return E_DENIED;
    case STEP_PAUSED:
        req_model(r, signin_page(r, u.email, signin_failure));
        r->view = "account/sign_in";
        return E_DENIED;
    case STEP_FAILED: break;
    }
    return E_DB;
}

/* The in-place sign-in's answer when it must start again from the password (401). */
static enum err restart(struct req *r, const char *message)
{
    req_model(r, json_pack("{s:s, s:b}", "error", message, "restart", 1));
    return E_DENIED;
}

enum err signin_code_api(struct req *r)
{
    struct staff_session ss;
    struct staff_user u;
    const char *csrf = NULL;

    switch (code_step(r, &ss, &u, &csrf)) {
    case STEP_DONE:
        req_model(r, signin_api_done(&u, csrf));
        return E_OK;
    case STEP_NO_SESSION: return restart(r, "Please enter your password again.");
    case STEP_FORGED:
        r->message = forged;
        return E_FORBIDDEN;
    case STEP_WRONG:
        r->message = code_failure;
        return E_DENIED;
    case STEP_PAUSED: return restart(r, signin_failure);
    case STEP_FAILED: break;
    }
    return E_DB;
}
