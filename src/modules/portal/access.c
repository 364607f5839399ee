/* access: a patient's way in and out of the portal.
 *
 * Welcome (/me/welcome?token=): the one-time link staff made from the chart (72 hours, once;
 * only its SHA-256 is stored; the server's log names the route, never the query string, so the
 * token is not logged, as with the staff's set-password links). The patient chooses a username
 * and a password (the staff's rules: domain/password.h) and is signed in. Usernames: patients
 * may have no e-mail, so they choose a name (3-64 letters, digits and . _ - @ +), the e-mail on
 * their record offered when there is one; unique whatever its case.
 *
 * Sign-in (/me/sign-in): username and password; every attempt audited; a failure never says
 * which part was wrong and takes the time of one argon2id whether or not the account exists;
 * failures pause the account (domain/password.h's back-off, counted on the portal account) and
 * the client address (modules/account's throttle, shared with staff sign-in). "I'm on a shared
 * device" makes the session shorter and its cookie one the browser forgets on closing. A
 * patient who turned on the optional second factor (security.c) gets no session for the
 * password alone: a sign-in waiting for its code (signin_code.c) is made instead, and the
 * password's success clears no failures, so that wrong codes keep counting toward the pause.
 *
 * Both forms check the public double-submit token here rather than with R_CSRF, so that a
 * stale form comes back in the portal's frame. */
#include "modules/portal/portal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/rand.h"
#include "domain/password.h"
#include "http/csrf.h"
#include "http/resp.h"
#include "modules/account/account.h"
#include "store/portal.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/session.h"

static const char gone[] =
    "This link has expired or was used already. Please ask your counsellor or the front desk "
    "for a new one (a link works once, for 3 days).";
static const char closed[] =
    "Your access to Haven has ended. If you think this is a mistake, please call the clinic.";
static const char trouble[] = "Something went wrong on our side. Please try again in a minute.";

static bool token_ok(const char *t)
{
    return t && strlen(t) == 64 && strspn(t, "0123456789abcdef") == 64;
}

/* The invitation of token: E_OK with *who, else E_NOTFOUND, E_GONE or E_DB. */
static enum err invitee(struct req *r, const char *token, char hash[65], struct portal_invitee *who)
{
    if (!token_ok(token))
        return E_NOTFOUND;
    session_token_hash(token, hash);
    return store_portal_invite_find(r->store, hash, (long)time(NULL), portal_today(NULL), who);
}

/* The page for a link that opens nothing: 404 (never such a link) or 410. */
static enum err link_gone(struct req *r, enum err e)
{
    json_t *m = req_model(r, portal_model(r, "Welcome"));

    if (e == E_DB) {
        r->model = NULL;
        r->message = trouble;
        return E_DB;
    }
    json_object_set_new(m, "gone", json_string(gone));
    return e == E_NOTFOUND ? E_NOTFOUND : E_GONE;
}

static json_t *welcome_model(struct req *r, const char *token, const struct portal_invitee *who,
                             const char *username)
{
    json_t *m = portal_model(r, "Welcome");

    json_object_set_new(m, "token", json_string(token));
    json_object_set_new(m, "first_name", json_string(who->first_name));
    json_object_set_new(m, "form", json_pack("{s:s}", "username", username ? username : ""));
    return m;
}

enum err portal_welcome_form(struct req *r)
{
    const char *token = req_query(r, "token");
    struct portal_invitee who;
    char hash[65];
    enum err e;

    if ((e = invitee(r, token, hash, &who)) != E_OK) {
        portal_audit(r, "portal-welcome", "patient", NULL, "denied");
        return link_gone(r, e);
    }
    if (portal_audit(r, "portal-welcome", "patient", who.public_id, "ok") < 0) {
        r->message = trouble;
        return E_DB;
    }
    req_model(r, welcome_model(r, token, &who, who.email));
    return E_OK;
}

/* A username's problem, or NULL: 3-64 of letters, digits and . _ - @ +. */
static const char *username_problem(const char *u)
{
    size_t n = u ? strlen(u) : 0;

    if (!n)
        return "Choose a username.";
    if (n < PORTAL_USERNAME_MIN || n > PORTAL_USERNAME_MAX)
        return "Use 3 to 64 characters.";
    if (strspn(u, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@+") != n)
        return "Use letters, digits and . _ - @ + only (no spaces).";
    return NULL;
}

/* Checks the welcome form into f; the username (arena) or NULL. */
static const char *welcome_check(struct req *r, struct form *f)
{
    const char *user = form_text(f, "username", PORTAL_USERNAME_MAX * 4, false, false, NULL);
    const char *pw = req_form(r, "password"), *confirm = req_form(r, "confirm"), *why;
    enum password_problem p;

    if ((why = username_problem(user)))
        form_problem(f, "username", why);
    if ((p = password_check(pw, user)) == PASSWORD_IS_EMAIL)
        form_problem(f, "password", "Do not use your username as your password.");
    else if (p != PASSWORD_OK)
        form_problem(f, "password", password_message(p));
    else if (!confirm || strcmp(pw, confirm) != 0)
        form_problem(f, "confirm", "The two passwords are not the same.");
    return user;
}

/* Accepts the invitation with the checked form; E_OK signed in (a 303 to /me/). */
static enum err accept(struct req *r, struct form *f, const char *hash,
                       const struct portal_invitee *who, const char *user)
{
    char pwhash[PASSWORD_HASH_MAX];
    long account = 0, now = (long)time(NULL);
    enum err e;

    if (password_hash(req_form(r, "password"), pwhash) < 0) {
        r->model = NULL;
        r->message = trouble;
        return E_DB;
    }
    portal_act_as(r, who->patient, who->public_id, who->first_name);
    e = store_portal_accept(r->store, hash, now, portal_today(NULL), user, pwhash,
                            portal_entry(r, "portal-accept", "patient", who->public_id, "ok"),
                            &account);
    sodium_memzero(pwhash, sizeof(pwhash));
    if (e == E_CONFLICT) {
        form_problem(f, "username", "That username is taken. Please choose another.");
        return E_INVALID;
    }
    r->model = NULL;
    if (e != E_OK)
        return link_gone(r, e);
    if (portal_session_start(r, account, form_checked(f, "shared")) < 0) {
        resp_redirect(r, 303, "/me/sign-in");
        return E_OK;
    }
    log_info("portal account %ld accepted an invitation", account);
    resp_redirect(r, 303, "/me/");
    return E_OK;
}

enum err portal_welcome_post(struct req *r)
{
    const char *token = req_form(r, "token"), *user;
    struct portal_invitee who;
    struct form f;
    char hash[65];
    enum err e;

    if ((e = invitee(r, token, hash, &who)) != E_OK) {
        portal_audit(r, "portal-accept", "patient", NULL, "denied");
        return link_gone(r, e);
    }
    /* The passwords never go back into the page. */
    form_init(&f, r, req_model(r, welcome_model(r, token, &who, req_form(r, "username"))));
    if (!csrf_check(r)) {
        portal_audit(r, "portal-accept", "patient", who.public_id, "denied");
        json_object_set_new(r->model, "notice", json_string(portal_stale));
        return E_FORBIDDEN;
    }
    user = welcome_check(r, &f);
    if (f.problems || (e = accept(r, &f, hash, &who, user)) == E_INVALID) {
        portal_audit(r, "portal-accept", "patient", who.public_id, "invalid");
        return E_INVALID;
    }
    return e;
}

enum err portal_signin_form(struct req *r)
{
    if (auth_patient(r) == AUTH_OK) {
        resp_redirect(r, 303, "/me/");
        return E_OK;
    }
    req_model(r, portal_signin_model(r, NULL, NULL));
    return E_OK;
}

enum err portal_signin_post(struct req *r)
{
    const char *user = req_form(r, "username"), *pw = req_form(r, "password");
    const char *shared = req_form(r, "shared");
    struct portal_account a = { 0 };
    long now = (long)time(NULL);
    bool found, ok;

    if (!csrf_check(r)) {
        portal_audit(r, "sign-in", "patient", NULL, "denied");
        return portal_signin_refused(r, user, portal_stale);
    }
    if (!user || !*user || strlen(user) > PORTAL_USERNAME_MAX || !pw ||
        strlen(pw) > PASSWORD_MAX_BYTES) {
        portal_audit(r, "sign-in", "patient", NULL, "invalid");
        return portal_signin_refused(r, user, portal_signin_failed);
    }
    found = store_portal_account_get(r->store, user, portal_today(NULL), &a) == E_OK;
    ok = password_verify(found ? a.password_hash : NULL, pw) && found;
    if (throttle_address_paused(r, now) || (found && a.locked_until > now)) {
        portal_audit(r, "sign-in-paused", "patient", found ? a.patient_id : NULL, "denied");
        return portal_signin_refused(r, user, portal_signin_failed);
    }
    if (!ok || !a.open) {
        if (!ok)
            portal_count_failure(r, found ? a.id : 0, a.patient_id, now);
        portal_audit(r, "sign-in", "patient", found ? a.patient_id : NULL, "denied");
        return portal_signin_refused(r, user, ok ? closed : portal_signin_failed);
    }
    portal_act_as(r, a.patient, a.patient_id, "");
    if (a.factor)
        return portal_code_due(r, &a, shared && !strcmp(shared, "yes"));
    store_portal_clear(r->store, a.id);
    if (portal_session_start(r, a.id, shared && !strcmp(shared, "yes")) < 0) {
        r->message = trouble;
        return E_DB;
    }
    portal_audit(r, "sign-in", "patient", a.patient_id, "ok");
    resp_redirect(r, 303, "/me/");
    return E_OK;
}

enum err portal_signout(struct req *r)
{
    const char *token = req_cookie(r, AUTH_PATIENT_COOKIE);
    struct portal_session ps;
    char hash[65];

    if (token_ok(token)) {
        session_token_hash(token, hash);
        if (store_portal_session_get(r->store, hash, portal_today(NULL), &ps) == E_OK)
            store_portal_session_delete(r->store, ps.id);
    }
    portal_audit(r, "sign-out", "patient", r->user->public_id, "ok");
    auth_patient_cookie(r, NULL, false);
    /* What the portal kept in this browser (its service worker's copies: modules/recovery) goes
     * with the session. */
    resp_header(r, "Clear-Site-Data", "\"cache\", \"storage\"");
    resp_redirect(r, 303, "/me/sign-in?signed_out=1");
    return E_OK;
}

enum err portal_root(struct req *r)
{
    resp_redirect(r, 303, "/me/");
    return E_OK;
}
