/* routes: the account module's addresses: signing in and out, the second factor,
 * set-password links, the home screen and the JSON "who am I". Read top to bottom; the first
 * match wins. The pages before sign-in are public but never cached; their forms carry the
 * double-submit CSRF token (R_CSRF on a row without roles), except the second-factor step,
 * whose token is the half-open session's and which signin_code.c checks (on the page and in
 * the in-place sign-in, /api/v1/session/code). Signed-in rows that
 * must answer while a required second factor is still to be set up say R_ENROLMENT. */
#include "http/router.h"

#include "domain/roles.h"
#include "modules/account/account.h"

#define SIGN_IN_LIMIT 4096 /* e-mail + password + token: a sign-in form is small */

static const struct route routes[] = {
    {.method = "GET", .pattern = "/staff/sign-in", .handler = signin_form,
     .flags = R_NO_STORE, .view = "account/sign_in"},
    {.method = "POST", .pattern = "/staff/sign-in", .handler = signin_post, .body = BODY_FORM,
     .body_limit = SIGN_IN_LIMIT, .flags = R_CSRF | R_NO_STORE, .view = "account/sign_in"},
    {.method = "GET", .pattern = "/staff/sign-in/code", .handler = signin_code_form,
     .flags = R_NO_STORE, .view = "account/code"},
    {.method = "POST", .pattern = "/staff/sign-in/code", .handler = signin_code_post,
     .body = BODY_FORM, .body_limit = SIGN_IN_LIMIT, .flags = R_NO_STORE,
     .view = "account/code"},
    {.method = "GET", .pattern = "/staff/set-password", .handler = set_password_form,
     .flags = R_NO_STORE, .view = "account/set_password"},
    {.method = "POST", .pattern = "/staff/set-password", .handler = set_password_post,
     .body = BODY_FORM, .body_limit = SIGN_IN_LIMIT, .flags = R_CSRF | R_NO_STORE,
     .view = "account/set_password"},
    {.method = "GET", .pattern = "/staff", .handler = staff_home_redirect, .roles = ROLE_ALL},
    {.method = "GET", .pattern = "/staff/", .handler = staff_home_page, .roles = ROLE_ALL,
     .view = "account/home", .nav = "Home"},
    {.method = "GET", .pattern = "/staff/account/totp", .handler = second_factor_form,
     .roles = ROLE_ALL, .flags = R_ENROLMENT, .view = "account/totp"},
    {.method = "POST", .pattern = "/staff/account/totp", .handler = second_factor_enable,
     .body = BODY_FORM, .body_limit = SIGN_IN_LIMIT, .roles = ROLE_ALL,
     .flags = R_CSRF | R_ENROLMENT, .view = "account/totp"},
    {.method = "POST", .pattern = "/staff/account/recovery-codes", .handler = recovery_codes_post,
     .body = BODY_FORM, .body_limit = SIGN_IN_LIMIT, .roles = ROLE_ALL, .flags = R_CSRF,
     .view = "account/recovery_codes"},
    {.method = "POST", .pattern = "/staff/sign-out", .handler = signout_post, .body = BODY_FORM,
     .body_limit = SIGN_IN_LIMIT, .roles = ROLE_ALL, .flags = R_CSRF | R_ENROLMENT},
    {.method = "POST", .pattern = "/staff/sign-out-everywhere", .handler = signout_everywhere,
     .body = BODY_FORM, .body_limit = SIGN_IN_LIMIT, .roles = ROLE_ALL,
     .flags = R_CSRF | R_ENROLMENT},
    {.method = "POST", .pattern = "/staff/keep-alive", .handler = keep_alive_post,
     .body = BODY_FORM, .body_limit = SIGN_IN_LIMIT, .roles = ROLE_ALL,
     .flags = R_CSRF | R_ENROLMENT},
    {.method = "GET", .pattern = "/api/v1/me", .handler = me_api, .roles = ROLE_ALL,
     .flags = R_JSON | R_ENROLMENT},
    /* The staff frame's script: the session's time left without renewing it, and signing in
     * again in place after it ended, so the page and what was typed in it stay. */
    {.method = "GET", .pattern = "/api/v1/session", .handler = keep_alive_state,
     .flags = R_JSON | R_NO_STORE},
    {.method = "POST", .pattern = "/api/v1/session", .handler = signin_api, .body = BODY_FORM,
     .body_limit = SIGN_IN_LIMIT, .flags = R_CSRF | R_JSON | R_NO_STORE},
    {.method = "POST", .pattern = "/api/v1/session/code", .handler = signin_code_api,
     .body = BODY_FORM, .body_limit = SIGN_IN_LIMIT, .flags = R_JSON | R_NO_STORE},
};

const struct route_table account_routes = {routes, sizeof(routes) / sizeof(routes[0])};
