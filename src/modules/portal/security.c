/* security: "Sign-in and security" (/me/security): the patient's optional second factor, a code
 * from an authenticator app asked for after the password (signin_code.c).
 *
 * Turning it on: the page shows a fresh secret (modules/account's staff approach: a QR code and
 * the same text in groups of four) and carries it sealed under the server's key (web/secrets.h)
 * in the form, so that nothing is stored until the patient confirms it with a current code and
 * their password; then the secret is stored sealed, the code's time step used, and ten recovery
 * codes made (their hashes stored; the codes shown this once). Turning it off needs the
 * password. A wrong password here counts toward the sign-in's pause, as staff re-confirming do.
 * Every change is audited with it; a refused one is audited as refused. Secrets and codes are
 * never logged. */
#include "modules/portal/portal.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/qr_svg.h"
#include "core/totp.h"
#include "domain/password.h"
#include "http/resp.h"
#include "modules/account/account.h"
#include "store/portal.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/secrets.h"

static const char heading[] = "Sign-in and security";
static const char trouble[] = "Something went wrong on our side. Nothing was changed. Please "
                              "try again in a minute.";

/* The signed-in patient's account and factor into *f; E_OK or E_DB (with the message). */
static enum err factor_of(struct req *r, struct portal_factor *f)
{
    if (store_portal_factor_get(r->store, auth_patient_id(r), f) == E_OK)
        return E_OK;
    r->message = trouble;
    return E_DB;
}

/* The setting-up part of the model: the secret as a QR code, as text and sealed (for the form).
 * A secret that was sealed before (the form again) is shown again, so that a code already
 * scanned still works; else a new one. -1 when it cannot be made or shown. */
static int setup_model(json_t *m, const struct portal_factor *f, const char *sealed_in)
{
    unsigned char secret[TOTP_SECRET_BYTES];
    char sealed[TOTP_SEALED_LEN + 1], b32[TOTP_BASE32_LEN + 8], *uri = NULL, *svg = NULL;
    int ret = -1;

    if (!sealed_in || strlen(sealed_in) != TOTP_SEALED_LEN ||
        secrets_totp_open_sealed(sealed_in, secret) < 0) {
        totp_new_secret(secret);
        if (secrets_totp_seal(secret, sealed) < 0)
            goto out;
    } else {
        memcpy(sealed, sealed_in, sizeof(sealed));
    }
    if (totp_base32(secret, sizeof(secret), b32, sizeof(b32)) < 0 ||
        !(uri = totp_uri("Haven", f->username, b32)) ||
        !(svg = qr_svg(uri, "QR code for your authenticator app")))
        goto out;
    json_object_set_new(m, "setup", json_pack("{s:s, s:o, s:s}", "qr_svg", svg, "secret",
                                              second_factor_spaced(b32), "sealed", sealed));
    ret = 0;
out:
    sodium_memzero(secret, sizeof(secret));
    sodium_memzero(b32, sizeof(b32));
    if (uri)
        sodium_memzero(uri, strlen(uri));
    free(uri);
    free(svg);
    return ret;
}

/* The page's model for the factor f into the request. E_OK, or E_DB with the message. */
static enum err page_model(struct req *r, const struct portal_factor *f, const char *sealed_in,
                           json_t **out)
{
    json_t *m = req_model(r, portal_model(r, heading));
    const char *q = req_query(r, "off");

    *out = m;
    json_object_set_new(m, "enabled", json_boolean(f->enabled));
    json_object_set_new(m, "recovery_left", json_integer(f->recovery_left));
    json_object_set_new(m, "recovery_low", json_boolean(f->enabled && f->recovery_left < 3));
    if (q && !strcmp(q, "1") && !f->enabled)
        json_object_set_new(m, "notice", json_string("Two-step sign-in is off."));
    if (!f->enabled && setup_model(m, f, sealed_in) < 0) {
        r->model = NULL;
        r->message = trouble;
        return E_DB;
    }
    return E_OK;
}

enum err portal_security_page(struct req *r)
{
    struct portal_factor f;
    json_t *m;
    enum err e;

    if ((e = factor_of(r, &f)) != E_OK)
        return e;
    if (portal_audit(r, "view-security", "patient", f.patient_id, "ok") < 0) {
        r->message = trouble;
        return E_DB;
    }
    e = page_model(r, &f, NULL, &m);
    sodium_memzero(&f, sizeof(f));
    return e;
}

/* The password again, before a change of how the patient signs in: checked as the sign-in
 * checks it (argon2id first, then the pauses), a wrong one counted toward the same pauses.
 * NULL when it is right, else the field's problem. */
static const char *password_problem(struct req *r, const struct portal_factor *f)
{
    const char *pw = req_form(r, "password");
    long now = (long)time(NULL);
    bool ok;

    if (!pw || !*pw)
        return "Enter your password.";
    if (strlen(pw) > PASSWORD_MAX_BYTES)
        return "That password is not right.";
    ok = password_verify(f->password_hash, pw);
    if (throttle_address_paused(r, now) || f->locked_until > now) {
        portal_audit(r, "reconfirm-paused", "patient", f->patient_id, "denied");
        return "After several wrong tries this pauses for a few minutes. Please try again "
               "later.";
    }
    if (!ok) {
        portal_count_failure(r, f->account, f->patient_id, now);
        portal_audit(r, "reconfirm", "patient", f->patient_id, "denied");
        return "That password is not right.";
    }
    store_portal_clear(r->store, f->account);
    return NULL;
}

/* The code typed matches the secret being set up (sealed); *step gets its time step. */
static const char *code_problem(const char *code, const char *sealed, long long *step)
{
    unsigned char secret[TOTP_SECRET_BYTES];
    bool ok;

    if (!code || !*code)
        return "Enter the 6-digit code from your app.";
    if (strlen(code) != TOTP_DIGITS || strspn(code, "0123456789") != TOTP_DIGITS)
        return "The code is 6 digits, like 123456.";
    ok = sealed && secrets_totp_open_sealed(sealed, secret) == 0 &&
         totp_verify(secret, sizeof(secret), time(NULL), code, step) == 0;
    sodium_memzero(secret, sizeof(secret));
    return ok ? NULL : "That code did not match. Check the time on your phone and enter the "
                       "code your app shows now.";
}

/* The codes page, shown once (a new reference); wipes them from rs. */
static json_t *codes_model(struct req *r, struct recovery_set *rs)
{
    json_t *m = portal_model(r, "Your recovery codes"), *list = json_array();

    for (size_t i = 0; i < RECOVERY_CODES; i++)
        json_array_append_new(list, json_string(rs->codes[i]));
    sodium_memzero(rs, sizeof(*rs));
    json_object_set_new(m, "codes", list);
    return m;
}

/* Turns the factor on with the checked secret; E_OK with the codes page, or E_DB. */
static enum err turn_on(struct req *r, const struct portal_factor *f, const char *sealed,
                        long long step)
{
    struct recovery_set rs;
    enum err e;

    recovery_codes_make(&rs);
    e = store_portal_factor_enable(r->store, f->account, sealed, step, rs.hash_ptrs,
                                   RECOVERY_CODES,
                                   portal_entry(r, "enable-2fa", "patient", f->patient_id, "ok"));
    if (e != E_OK) {
        sodium_memzero(&rs, sizeof(rs));
        portal_audit(r, "enable-2fa", "patient", f->patient_id, audit_outcome(e));
        r->model = NULL;
        r->message = trouble;
        return E_DB;
    }
    log_info("portal account %ld turned on two-step sign-in", f->account);
    req_model(r, codes_model(r, &rs));
    r->view = "portal/security_codes";
    return E_OK;
}

enum err portal_security_on(struct req *r)
{
    const char *sealed = req_form(r, "sealed"), *why;
    struct portal_factor f;
    long long step = 0;
    struct form fm;
    json_t *m;
    enum err e;

    if ((e = factor_of(r, &f)) != E_OK)
        return e;
    if (f.enabled) {
        resp_redirect(r, 303, "/me/security");
        return E_OK;
    }
    if ((e = page_model(r, &f, sealed, &m)) != E_OK)
        return e;
    form_init(&fm, r, m);
    if ((why = code_problem(req_form(r, "code"), sealed, &step)))
        form_problem(&fm, "code", why);
    if ((why = password_problem(r, &f)))
        form_problem(&fm, "password", why);
    if (fm.problems) {
        portal_audit(r, "enable-2fa", "patient", f.patient_id, "invalid");
        return E_INVALID;
    }
    /* The form's secret opened under the key (code_problem): it is ours, as sealed. */
    return turn_on(r, &f, sealed, step);
}

enum err portal_security_off(struct req *r)
{
    struct portal_factor f;
    const char *why;
    struct form fm;
    json_t *m;
    enum err e;

    if ((e = factor_of(r, &f)) != E_OK)
        return e;
    if (!f.enabled) {
        resp_redirect(r, 303, "/me/security");
        return E_OK;
    }
    if ((why = password_problem(r, &f))) {
        if ((e = page_model(r, &f, NULL, &m)) != E_OK)
            return e;
        form_init(&fm, r, m);
        form_problem(&fm, "password", why);
        portal_audit(r, "disable-2fa", "patient", f.patient_id, "invalid");
        return E_INVALID;
    }
    e = store_portal_factor_disable(r->store, f.account,
                                    portal_entry(r, "disable-2fa", "patient", f.patient_id, "ok"));
    if (e == E_CONFLICT) {
        resp_redirect(r, 303, "/me/security");
        return E_OK;
    }
    if (e != E_OK) {
        portal_audit(r, "disable-2fa", "patient", f.patient_id, "error");
        r->message = trouble;
        return E_DB;
    }
    log_info("portal account %ld turned off two-step sign-in", f.account);
    resp_redirect(r, 303, "/me/security?off=1");
    return E_OK;
}
