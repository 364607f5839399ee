/* second_factor: turning on two-step sign-in for one's own account: a new secret (sealed at
 * rest, web/secrets.h) shown as a QR code and as text, confirmed with a code from the app;
 * then a first set of recovery codes, shown once. Answers while a required second factor is
 * still to be set up: this is where such a member is sent. */
#include "modules/account/account.h"

#include <sodium.h>
#include <stdlib.h>
#include <time.h>

#include "core/log.h"
#include "core/qr_svg.h"
#include "core/totp.h"
#include "http/resp.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/secrets.h"
#include "web/session.h"
#include "web/view.h"

static const char not_loaded[] = "We could not load your account. Please try again.";
static const char not_prepared[] = "We could not prepare two-step sign-in. Please try again.";

json_t *second_factor_spaced(const char *b32)
{
    char out[TOTP_BASE32_LEN + TOTP_BASE32_LEN / 4 + 1];
    size_t n = 0;
    json_t *s;

    for (size_t i = 0; b32[i] && n + 2 < sizeof(out); i++) {
        if (i && i % 4 == 0)
            out[n++] = ' ';
        out[n++] = b32[i];
    }
    out[n] = '\0';
    s = json_string(out);
    sodium_memzero(out, sizeof(out));
    return s;
}

/* The enrolment page's model into the request: "enabled" when it is on already, else the
 * secret as text and as a QR code. E_DB (with the message) when the secret cannot be shown. */
static enum err enrol_page(struct req *r, const struct staff_user *u, json_t **model)
{
    json_t *m = req_model(r, view_staff_model(r, "Two-step sign-in"));
    unsigned char secret[TOTP_SECRET_BYTES];
    char b32[TOTP_BASE32_LEN + 8], *uri = NULL, *svg = NULL;
    enum err e = E_OK;

    *model = m;
    json_object_set_new(m, "required", json_boolean(auth_totp_required(r, u)));
    if (u->totp_enabled) {
        json_object_set_new(m, "enabled", json_true());
        return E_OK;
    }
    if (secrets_totp_open(r->store, u, secret) < 0 ||
        totp_base32(secret, sizeof(secret), b32, sizeof(b32)) < 0 ||
        !(uri = totp_uri("Pecan Haven", u->email, b32)) ||
        !(svg = qr_svg(uri, "QR code for your authenticator app"))) {
        r->model = NULL;
        r->message = not_prepared;
        e = E_DB;
        goto out;
    }
    json_object_set_new(m, "secret", second_factor_spaced(b32));
    json_object_set_new(m, "qr_svg", json_string(svg));
out:
    sodium_memzero(secret, sizeof(secret));
    sodium_memzero(b32, sizeof(b32));
    free(uri);
    free(svg);
    return e;
}

enum err second_factor_form(struct req *r)
{
    struct staff_user u;
    json_t *m;

    if (store_user_get(r->store, STAFF_BY_ID, r->user->id, NULL, &u) != E_OK) {
        r->message = not_loaded;
        return E_DB;
    }
    /* Keep an unconfirmed secret across reloads, so a code already scanned still works. */
    if (!u.totp_enabled && !u.totp_secret[0]) {
        unsigned char secret[TOTP_SECRET_BYTES];
        int rc;
        totp_new_secret(secret);
        rc = secrets_totp_seal(secret, u.totp_secret);
        sodium_memzero(secret, sizeof(secret));
        if (rc < 0 || store_totp_set_secret(r->store, u.id, u.totp_secret) != E_OK) {
            r->message = not_prepared;
            return E_DB;
        }
    }
    return enrol_page(r, &u, &m);
}

/* The code typed matches the secret being set up; *step gets its time step (used once). */
static bool code_matches(struct req *r, const struct staff_user *u, const char *code,
                         long long *step)
{
    unsigned char secret[TOTP_SECRET_BYTES];
    bool ok = code && secrets_totp_open(r->store, u, secret) == 0 &&
              totp_verify(secret, sizeof(secret), time(NULL), code, step) == 0;

    sodium_memzero(secret, sizeof(secret));
    return ok;
}

/* The enrolment page again with the code's problem: 422. */
static enum err wrong_code(struct req *r, const struct staff_user *u, const char *code)
{
    struct form f;
    json_t *m;
    enum err e;

    audit_record(r, "enable-2fa", "user", u->public_id, "invalid");
    if ((e = enrol_page(r, u, &m)) != E_OK)
        return e;
    form_init(&f, r, m);
    form_problem(&f, "code", code && *code ? "That code did not match. Check the time on your "
                                             "phone and enter the code your app shows now."
                                           : "Enter the 6-digit code from your app.");
    return E_INVALID;
}

enum err second_factor_enable(struct req *r)
{
    const char *code = req_form(r, "code"), *csrf = NULL;
    struct staff_user u;
    struct recovery_set rs;
    long long step = 0;

    if (store_user_get(r->store, STAFF_BY_ID, r->user->id, NULL, &u) != E_OK) {
        r->message = not_loaded;
        return E_DB;
    }
    if (u.totp_enabled || !u.totp_secret[0]) {
        resp_redirect(r, 303, "/staff/account/totp");
        return E_OK;
    }
    if (!code_matches(r, &u, code, &step))
        return wrong_code(r, &u, code);
    recovery_codes_make(&rs);
    if (store_totp_enable_audited(r->store, u.id, step, rs.hash_ptrs, RECOVERY_CODES,
                                  audit_entry(r, "enable-2fa", "user", u.public_id)) != E_OK) {
        sodium_memzero(&rs, sizeof(rs));
        audit_record(r, "enable-2fa", "user", u.public_id, "error");
        r->message = "We could not turn on two-step sign-in. Please try again.";
        return E_DB;
    }
    log_info("user %ld turned on two-step sign-in", u.id);
    /* A stronger sign-in: a new session token, as after the second factor. */
    if (session_start(r, u.id, false, &csrf) == 0) {
        struct principal *p = arena_alloc(r->arena, sizeof(*p));
        *p = *r->user;
        p->csrf = csrf;
        r->user = p;
    }
    req_model(r, recovery_codes_model(r, &rs, "Your recovery codes"));
    r->view = "account/recovery_codes";
    return E_OK;
}
