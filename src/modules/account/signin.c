/* web_signin: signing in (password, then the second factor when the user has one), signing
 * out, staying signed in, and setting a password from a one-time link. Every attempt is
 * audited; failures never say which part was wrong; repeated failures pause the account and
 * the client address (domain/password.h). */
#include "modules/account/account.h"

#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/rand.h"
#include "core/totp.h"
#include "domain/password.h"
#include "http/csrf.h"
#include "http/resp.h"
#include "store/store_staff.h"
#include "web/audit.h"
#include "web/view.h"
#include "domain/password.h"
#include "web/auth.h"
#include "web/secrets.h"
#include "web/session.h"
#include "web/view.h"

static const char generic_failure[] =
    "That e-mail address and password did not work. After several failed attempts, sign-in "
    "pauses for a few minutes. If you cannot sign in, ask an administrator for a new link.";
static const char code_failure[] =
    "That code did not work. Enter the 6-digit code your app shows now, or one of your "
    "recovery codes.";
static const char expired_form[] =
    "This form had expired. Please reload the page and try again.";

static json_t *public_model(struct req *r, const char *title)
{
    r->no_store = true;
    return json_pack("{s:b, s:s, s:s}", "staff", 1, "title", title, "csrf", csrf_token(r));
}

static void signin_page(struct req *r, int status, const char *email, const char *error)
{
    json_t *m = public_model(r, "Staff sign-in");
    const char *q;

    json_object_set_new(m, "email", json_string(email ? email : ""));
    if (error)
        json_object_set_new(m, "error", json_string(error));
    if ((q = req_query(r, "expired")) && strcmp(q, "1") == 0)
        json_object_set_new(m, "notice", json_string("You were signed out after 15 minutes "
                                                     "without activity. Please sign in again."));
    else if ((q = req_query(r, "signed_out")) && strcmp(q, "1") == 0)
        json_object_set_new(m, "notice", json_string("You are signed out."));
    else if ((q = req_query(r, "password")) && strcmp(q, "set") == 0)
        json_object_set_new(m, "notice", json_string("Your password is set. Sign in with it."));
    view_render(r, status, "account/sign_in", m);
}

enum err web_signin_form(struct req *r)
{
    struct staff_session ss;

    if (session_of(r, &ss) && !ss.mfa_pending) {
        long now = (long)time(NULL);
        enum session_state st = password_session_state(now, ss.created, ss.last_seen, NULL);
        if (st == SESSION_ACTIVE || st == SESSION_WARN) {
            r->no_store = true;
            resp_redirect(r, 303, "/staff/");
            return E_OK;
        }
    }
    signin_page(r, 200, NULL, NULL);
    return E_OK;
}

/* Counts a failure for the account (when known) and the address, pausing either past its
 * threshold (an account after 5, an address after 50: domain/password.h); each pause is audited
 * ("lockout": the account's id, or none for the address). True when the account is now paused. */
static bool count_failure(struct req *r, long user_id, const char *public_id, long now)
{
    bool locked = false;
    int n = 0;
    long wait;

    if (user_id > 0 && store_throttle_fail(r->store, user_id, NULL, now, &n) == E_OK &&
        (wait = password_lockout_seconds(n)) > 0) {
        store_throttle_lock(r->store, user_id, NULL, now + wait);
        log_info("user %ld paused %lds after %d failures", user_id, wait, n);
        audit_record(r, "lockout", "user", public_id, "ok");
        locked = true;
    }
    if (store_throttle_fail(r->store, 0, r->client, now, &n) == E_OK &&
        (wait = password_address_lockout_seconds(n)) > 0) {
        store_throttle_lock(r->store, 0, r->client, now + wait);
        log_info("client address paused %lds after %d failures", wait, n);
        audit_record(r, "lockout", "address", NULL, "ok");
    }
    return locked;
}

static bool ip_paused(struct req *r, long now)
{
    long until = 0;
    return store_throttle_ip_until(r->store, r->client, &until) == E_OK && until > now;
}

enum err web_signin(struct req *r)
{
    const char *email = req_form(r, "email"), *password = req_form(r, "password");
    struct staff_user u = {0};
    long now = (long)time(NULL);
    bool found = false, ok;

    r->no_store = true;
    if (!csrf_check(r)) {
        view_error(r, 403, expired_form);
        return E_OK;
    }
    if (!email || !*email || strlen(email) > STAFF_EMAIL_MAX || !password ||
        strlen(password) > PASSWORD_MAX_BYTES) {
        audit_record(r, "sign-in", "user", NULL, "invalid");
        signin_page(r, 401, email && strlen(email) <= STAFF_EMAIL_MAX ? email : "",
                    generic_failure);
        return E_OK;
    }
    found = store_user_get(r->store, STAFF_BY_EMAIL, 0, email, &u) == E_OK;
    /* Hash first, whatever comes next: an unknown e-mail (a dummy hash) and a paused, disabled
     * or known account all take the time of one argon2id, so the answer's timing does not tell
     * which addresses are staff accounts. */
    ok = password_verify(found ? u.password_hash : NULL, password);
    /* Paused: refuse without counting anything, whatever the password. */
    if (ip_paused(r, now) || (found && u.locked_until > now)) {
        log_info("sign-in refused: paused%s", found ? "" : " (address)");
        audit_record(r, "sign-in-paused", "user", found ? u.public_id : NULL, "denied");
        signin_page(r, 401, email, generic_failure);
        return E_OK;
    }
    if (!ok || u.disabled) {
        if (!ok)
            count_failure(r, found ? u.id : 0, found ? u.public_id : NULL, now);
        if (found)
            log_info("sign-in failed for user %ld%s", u.id, ok ? " (disabled)" : "");
        audit_record(r, "sign-in", "user", found ? u.public_id : NULL, "denied");
        signin_page(r, 401, email, generic_failure);
        return E_OK;
    }
    /* Failures are forgotten only after the whole sign-in: with a second factor, the password
     * alone clears nothing, so wrong codes keep counting however often it is given again. */
    if (!u.totp_enabled)
        store_throttle_clear(r->store, u.id, r->client);
    if (session_start(r, u.id, u.totp_enabled, NULL) < 0) {
        view_error(r, 500, "We could not sign you in. Please try again in a minute.");
        return E_OK;
    }
    auth_set_principal(r, &u, NULL, now);
    if (u.totp_enabled) {
        audit_record(r, "sign-in-password", "user", u.public_id, "ok");
        resp_redirect(r, 303, "/staff/sign-in/code");
        return E_OK;
    }
    audit_record(r, "sign-in", "user", u.public_id, "ok");
    resp_redirect(r, 303, "/staff/");
    return E_OK;
}

/* The half-open session between the password and the second factor, with its user. */
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

static void code_page(struct req *r, int status, const char *csrf, const char *error)
{
    json_t *m = json_pack("{s:b, s:s, s:s}", "staff", 1, "title", "Two-step sign-in", "csrf", csrf);

    r->no_store = true;
    if (error)
        json_object_set_new(m, "error", json_string(error));
    view_render(r, status, "account/code", m);
}

enum err web_signin_code_form(struct req *r)
{
    struct staff_session ss;
    struct staff_user u;

    r->no_store = true;
    if (!pending(r, &ss, &u, (long)time(NULL))) {
        resp_redirect(r, 303, "/staff/sign-in");
        return E_OK;
    }
    code_page(r, 200, ss.csrf, NULL);
    return E_OK;
}

/* "abcde-12345" -> "abcde12345": recovery codes are typed loosely. */
static void normalise(const char *in, char *out, size_t size)
{
    size_t n = 0;

    for (; *in && n + 1 < size; in++) {
        char c = *in;
        if (c == '-' || c == ' ')
            continue;
        out[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    out[n] = '\0';
}

/* Which second factor a code was. */
enum factor { FACTOR_NONE, FACTOR_TOTP, FACTOR_RECOVERY };

/* FACTOR_TOTP when code is the user's current TOTP code (not used before), FACTOR_RECOVERY
 * when it is an unused recovery code (now used up), else FACTOR_NONE. */
static enum factor second_factor(struct req *r, const struct staff_user *u, const char *code,
                                 long now)
{
    unsigned char secret[TOTP_SECRET_BYTES];
    long long step;
    char clean[64], hash[65];

    normalise(code, clean, sizeof(clean));
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
    return store_recovery_use(r->store, u->id, hash, now) == E_OK ? FACTOR_RECOVERY
                                                                   : FACTOR_NONE;
}

enum err web_signin_code(struct req *r)
{
    const char *code = req_form(r, "code"), *field = req_form(r, "csrf");
    struct staff_session ss;
    struct staff_user u;
    long now = (long)time(NULL);
    enum factor f = FACTOR_NONE;
    bool paused, locked = false;

    r->no_store = true;
    if (!pending(r, &ss, &u, now)) {
        resp_redirect(r, 303, "/staff/sign-in");
        return E_OK;
    }
    if (!field || strlen(field) != 64 || sodium_memcmp(field, ss.csrf, 64) != 0) {
        view_error(r, 403, expired_form);
        return E_OK;
    }
    auth_set_principal(r, &u, NULL, now);
    paused = ip_paused(r, now) || u.locked_until > now;
    if (paused || !code || strlen(code) > 32 ||
        (f = second_factor(r, &u, code, now)) == FACTOR_NONE) {
        if (!paused)
            locked = count_failure(r, u.id, u.public_id, now);
        log_info("second factor failed for user %ld%s", u.id, paused ? " (paused)" : "");
        audit_record(r, paused ? "sign-in-paused" : "sign-in", "user", u.public_id, "denied");
        if (paused || locked) {
            /* Paused: every half-open session of the account ends, so no code, not even the
             * right one, gets in until the pause is over and the password is given again. */
            store_session_delete_pending(r->store, u.id);
            session_end(r);
            r->user = NULL;
            signin_page(r, 401, u.email, generic_failure);
            return E_OK;
        }
        code_page(r, 401, ss.csrf, code_failure);
        return E_OK;
    }
    if (f == FACTOR_RECOVERY) {
        log_info("user %ld used a recovery code", u.id);
        audit_record(r, "use-recovery-code", "user", u.public_id, "ok");
    }
    store_throttle_clear(r->store, u.id, r->client);
    if (session_start(r, u.id, false, NULL) < 0) {
        view_error(r, 500, "We could not sign you in. Please try again in a minute.");
        return E_OK;
    }
    audit_record(r, "sign-in", "user", u.public_id, "ok");
    resp_redirect(r, 303, "/staff/");
    return E_OK;
}

enum err web_signout(struct req *r)
{
    r->no_store = true;
    if (!auth_csrf_ok(r)) {
        view_error(r, 403, expired_form);
        return E_OK;
    }
    audit_record(r, "sign-out", "session", r->user->public_id, "ok");
    session_end(r);
    resp_redirect(r, 303, "/staff/sign-in?signed_out=1");
    return E_OK;
}

enum err web_signout_everywhere(struct req *r)
{
    r->no_store = true;
    if (!auth_csrf_ok(r)) {
        view_error(r, 403, expired_form);
        return E_OK;
    }
    audit_record(r, "sign-out-everywhere", "session", r->user->public_id, "ok");
    store_session_delete_user(r->store, r->user->id, 0);
    session_end(r);
    log_info("user %ld signed out everywhere", r->user->id);
    resp_redirect(r, 303, "/staff/sign-in?signed_out=1");
    return E_OK;
}

enum err web_keep_alive(struct req *r)
{
    json_t *m;

    r->no_store = true;
    if (!auth_csrf_ok(r)) {
        resp_json_error(r, 403, "The form had expired.", NULL);
        return E_OK;
    }
    /* auth_authorize has already renewed last_seen. */
    m = json_pack("{s:i}", "idle_seconds", SESSION_IDLE_SECONDS);
    resp_json(r, 200, m);
    json_decref(m);
    return E_OK;
}

static bool token_ok(const char *t)
{
    return t && strlen(t) == 64 && strspn(t, "0123456789abcdef") == 64;
}

static void link_gone(struct req *r, enum err e)
{
    view_error(r, e == E_NOTFOUND ? 404 : 410,
               "This link has expired or was used already. Ask an administrator for a new one "
               "(links work once, for 24 hours).");
}

static void set_password_page(struct req *r, int status, const char *token, const char *email,
                              const char *pw_error, const char *confirm_error)
{
    json_t *m = public_model(r, "Set your password");

    json_object_set_new(m, "token", json_string(token));
    json_object_set_new(m, "email", json_string(email));
    if (pw_error || confirm_error)
        json_object_set_new(m, "has_errors", json_true());
    if (pw_error)
        json_object_set_new(m, "password_error", json_string(pw_error));
    if (confirm_error)
        json_object_set_new(m, "confirm_error", json_string(confirm_error));
    view_render(r, status, "account/set_password", m);
}

enum err web_set_password_form(struct req *r)
{
    const char *token = req_query(r, "token");
    char hash[65];
    struct staff_user u;
    long user_id;
    enum err e;

    r->no_store = true;
    if (!token_ok(token)) {
        link_gone(r, E_NOTFOUND);
        return E_OK;
    }
    session_token_hash(token, hash);
    if ((e = store_token_find(r->store, hash, (long)time(NULL), &user_id)) != E_OK ||
        store_user_get(r->store, STAFF_BY_ID, user_id, NULL, &u) != E_OK) {
        link_gone(r, e == E_OK ? E_NOTFOUND : e);
        return E_OK;
    }
    set_password_page(r, 200, token, u.email, NULL, NULL);
    return E_OK;
}

enum err web_set_password(struct req *r)
{
    const char *token = req_form(r, "token"), *pw = req_form(r, "password");
    const char *confirm = req_form(r, "confirm");
    char hash[65], pwhash[PASSWORD_HASH_MAX];
    struct staff_user u;
    long user_id, now = (long)time(NULL);
    enum password_problem p;
    enum err e;

    r->no_store = true;
    if (!csrf_check(r)) {
        view_error(r, 403, expired_form);
        return E_OK;
    }
    if (!token_ok(token)) {
        link_gone(r, E_NOTFOUND);
        return E_OK;
    }
    session_token_hash(token, hash);
    if ((e = store_token_find(r->store, hash, now, &user_id)) != E_OK ||
        store_user_get(r->store, STAFF_BY_ID, user_id, NULL, &u) != E_OK) {
        link_gone(r, e == E_OK ? E_NOTFOUND : e);
        return E_OK;
    }
    p = password_check(pw, u.email);
    if (p != PASSWORD_OK || !confirm || strcmp(pw, confirm) != 0) {
        set_password_page(r, 422, token, u.email, p != PASSWORD_OK ? password_message(p) : NULL,
                          p == PASSWORD_OK ? "The two passwords are not the same." : NULL);
        return E_OK;
    }
    if (password_hash(pw, pwhash) < 0) {
        view_error(r, 500, "We could not save your password. Please try again in a minute.");
        return E_OK;
    }
    e = store_token_use(r->store, hash, now, pwhash, &user_id);
    sodium_memzero(pwhash, sizeof(pwhash));
    if (e != E_OK) {
        if (e == E_DB)
            view_error(r, 500, "We could not save your password. Please try again in a minute.");
        else
            link_gone(r, e);
        return E_OK;
    }
    auth_set_principal(r, &u, NULL, now);
    audit_record(r, "set-password", "user", u.public_id, "ok");
    log_info("user %ld set a password", u.id);
    r->user = NULL;
    resp_redirect(r, 303, "/staff/sign-in?password=set");
    return E_OK;
}
