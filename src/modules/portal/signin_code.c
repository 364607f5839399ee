/* signin_code: the second step of a patient's sign-in, for an account with the optional second
 * factor (security.c): the code the authenticator app shows (each time step once, RFC 6238
 * §5.2) or one of the recovery codes (each once).
 *
 * Between the password and the code there is no session: only a sign-in waiting for its code
 * (store/portal.h: portal_signin_pending), found by a token in the portal's cookie (only its
 * SHA-256 is stored; auth_patient finds no session for it, so it opens no /me/ page), checked
 * with the form's own token, and good for PORTAL_PENDING_SECONDS. Wrong codes count toward the
 * same pauses as wrong passwords (the account's and the address's: access.c); once the account
 * is paused every waiting sign-in of it ends, so that not even the right code gets in before
 * the pause is over and the password is given again. */
#include "modules/portal/portal.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/rand.h"
#include "core/totp.h"
#include "http/resp.h"
#include "modules/account/account.h"
#include "store/portal.h"
#include "web/auth.h"
#include "web/secrets.h"
#include "web/session.h"

static const char code_failure[] =
    "That code did not work. Enter the 6-digit code your app shows now, or one of your "
    "recovery codes.";
static const char trouble[] = "We could not sign you in. Please try again in a minute.";

enum err portal_code_due(struct req *r, const struct portal_account *a, bool shared)
{
    char token[65], hash[65], csrf[65];
    enum err e;

    session_token_new(token);
    session_token_hash(token, hash);
    rand_hex(csrf, 32);
    e = store_portal_pending_add(r->store, a->id, hash, csrf, shared, r->client,
                                 (long)time(NULL));
    if (e == E_OK)
        auth_patient_cookie(r, token, true); /* gone when the browser closes */
    sodium_memzero(token, sizeof(token));
    if (e != E_OK) {
        r->message = trouble;
        return E_DB;
    }
    portal_audit(r, "sign-in-password", "patient", a->patient_id, "ok");
    resp_redirect(r, 303, "/me/sign-in/code");
    return E_OK;
}

/* The sign-in waiting for a code in this browser into *w: false when there is none, or it is
 * too old, or the account no longer opens the portal or has no second factor (then it ends). */
static bool waiting(struct req *r, struct portal_pending *w, long now)
{
    const char *token = req_cookie(r, AUTH_PATIENT_COOKIE);
    char hash[65];

    if (!token || strlen(token) != 64 || strspn(token, "0123456789abcdef") != 64)
        return false;
    session_token_hash(token, hash);
    if (store_portal_pending_get(r->store, hash, portal_today(NULL), w) != E_OK)
        return false;
    if (now - w->created >= PORTAL_PENDING_SECONDS || now < w->created || !w->open ||
        !w->factor) {
        store_portal_pending_end(r->store, w->id, 0);
        return false;
    }
    return true;
}

static enum err start_again(struct req *r)
{
    auth_patient_cookie(r, NULL, false);
    resp_redirect(r, 303, "/me/sign-in?code=expired");
    return E_OK;
}

/* The code page: the frame of someone not signed in yet (no menu, whoever the request acts as
 * for the audit entries), with the waiting sign-in's own token. */
static json_t *code_model(struct req *r, const struct portal_pending *w, const char *error)
{
    const struct principal *acting = r->user;
    json_t *m;

    r->user = NULL;
    m = portal_model(r, "Your sign-in code");
    r->user = acting;

    json_object_set_new(m, "csrf", json_string(w->csrf));
    if (error)
        json_object_set_new(m, "error", json_string(error));
    return m;
}

enum err portal_code_form(struct req *r)
{
    struct portal_pending w;

    if (!waiting(r, &w, (long)time(NULL)))
        return start_again(r);
    req_model(r, code_model(r, &w, NULL));
    return E_OK;
}

/* True when code is the account's current TOTP code, not used before (now used), or one of
 * its unused recovery codes (now used, audited). *err is set when the store failed. */
static bool code_ok(struct req *r, const struct portal_pending *w, const char *code, long now,
                    bool *err)
{
    unsigned char secret[TOTP_SECRET_BYTES];
    char clean[64], hash[65];
    long long step;
    enum err e;

    recovery_codes_clean(code, clean, sizeof(clean));
    if (strlen(clean) == TOTP_DIGITS && strspn(clean, "0123456789") == TOTP_DIGITS) {
        bool ok = secrets_totp_open_sealed(w->sealed, secret) == 0 &&
                  totp_verify(secret, sizeof(secret), now, clean, &step) == 0 &&
                  store_portal_factor_use_step(r->store, w->account, step) == E_OK;
        sodium_memzero(secret, sizeof(secret));
        return ok;
    }
    if (!*clean)
        return false;
    session_token_hash(clean, hash);
    sodium_memzero(clean, sizeof(clean));
    e = store_portal_recovery_use(
        r->store, w->account, hash, now,
        portal_entry(r, "use-recovery-code", "patient", w->patient_id, "ok"));
    *err = e == E_DB;
    if (e == E_OK)
        log_info("portal account %ld used a recovery code", w->account);
    return e == E_OK;
}

/* A wrong code, or any code while paused: counted (unless paused already) and audited. Once
 * the account is paused, its waiting sign-ins end and the password is asked for again. */
static enum err wrong_code(struct req *r, const struct portal_pending *w, bool paused, long now)
{
    bool locked = false;

    if (!paused)
        locked = portal_count_failure(r, w->account, w->patient_id, now);
    log_info("portal second factor failed for account %ld%s", w->account,
             paused ? " (paused)" : "");
    portal_audit(r, paused ? "sign-in-paused" : "sign-in", "patient", w->patient_id, "denied");
    if (!paused && !locked) {
        req_model(r, code_model(r, w, code_failure));
        return E_DENIED;
    }
    store_portal_pending_end(r->store, 0, w->account);
    auth_patient_cookie(r, NULL, false);
    r->user = NULL; /* the sign-in page of someone signed out */
    r->view = "portal/sign_in";
    return portal_signin_refused(r, NULL, portal_signin_failed);
}

enum err portal_code_post(struct req *r)
{
    const char *code = req_form(r, "code"), *field = req_form(r, "csrf");
    long now = (long)time(NULL);
    struct portal_pending w;
    bool paused, err = false;

    if (!waiting(r, &w, now))
        return start_again(r);
    portal_act_as(r, w.patient, w.patient_id, "");
    if (!field || strlen(field) != 64 || sodium_memcmp(field, w.csrf, 64) != 0) {
        portal_audit(r, "sign-in", "patient", w.patient_id, "denied");
        req_model(r, code_model(r, &w, portal_stale));
        return E_FORBIDDEN;
    }
    paused = throttle_address_paused(r, now) || w.locked_until > now;
    if (paused || !code || strlen(code) > 32 || !code_ok(r, &w, code, now, &err)) {
        if (err) {
            r->message = trouble;
            return E_DB;
        }
        return wrong_code(r, &w, paused, now);
    }
    store_portal_pending_end(r->store, w.id, 0);
    store_portal_clear(r->store, w.account);
    if (portal_session_start(r, w.account, w.shared) < 0) {
        r->message = trouble;
        return E_DB;
    }
    portal_audit(r, "sign-in", "patient", w.patient_id, "ok");
    resp_redirect(r, 303, "/me/");
    return E_OK;
}
