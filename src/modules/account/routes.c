/* routes: the account module's addresses: signing in and out, the second factor,
 * set-password links, the home screen and the JSON "who am I". Read top to bottom; the first
 * match wins. Public routes (no roles) handle their own state. */
#include "modules/modules.h"

#include "domain/roles.h"
#include "modules/account/account.h"

#define SIGN_IN_LIMIT 4096 /* e-mail + password + token: a sign-in form is small */

static const struct route routes[] = {
    {.method = "GET", .pattern = "/staff/sign-in", .handler = web_signin_form},
    {.method = "POST", .pattern = "/staff/sign-in", .handler = web_signin, .body = BODY_FORM,
     .body_limit = SIGN_IN_LIMIT},
    {.method = "GET", .pattern = "/staff/sign-in/code", .handler = web_signin_code_form},
    {.method = "POST", .pattern = "/staff/sign-in/code", .handler = web_signin_code,
     .body = BODY_FORM, .body_limit = SIGN_IN_LIMIT},
    {.method = "GET", .pattern = "/staff/set-password", .handler = web_set_password_form},
    {.method = "POST", .pattern = "/staff/set-password", .handler = web_set_password,
     .body = BODY_FORM, .body_limit = SIGN_IN_LIMIT},
    {.method = "GET", .pattern = "/staff", .handler = web_staff_home, .roles = ROLE_ALL},
    {.method = "GET", .pattern = "/staff/", .handler = web_staff_home, .roles = ROLE_ALL, .nav = "Home"},
    {.method = "GET", .pattern = "/staff/account/totp", .handler = web_totp_form,
     .roles = ROLE_ALL, .flags = R_ENROLMENT},
    {.method = "POST", .pattern = "/staff/account/totp", .handler = web_totp, .body = BODY_FORM,
     .body_limit = SIGN_IN_LIMIT, .roles = ROLE_ALL, .flags = R_ENROLMENT},
    {.method = "POST", .pattern = "/staff/account/recovery-codes", .handler = web_recovery_codes,
     .body = BODY_FORM, .body_limit = SIGN_IN_LIMIT, .roles = ROLE_ALL},
    {.method = "POST", .pattern = "/staff/sign-out", .handler = web_signout, .body = BODY_FORM,
     .body_limit = SIGN_IN_LIMIT, .roles = ROLE_ALL, .flags = R_ENROLMENT},
    {.method = "POST", .pattern = "/staff/sign-out-everywhere", .handler = web_signout_everywhere,
     .body = BODY_FORM, .body_limit = SIGN_IN_LIMIT, .roles = ROLE_ALL, .flags = R_ENROLMENT},
    {.method = "POST", .pattern = "/staff/keep-alive", .handler = web_keep_alive,
     .body = BODY_FORM, .body_limit = SIGN_IN_LIMIT, .roles = ROLE_ALL, .flags = R_ENROLMENT},
    {.method = "GET", .pattern = "/api/v1/me", .handler = api_me, .roles = ROLE_ALL, .flags = R_JSON | R_ENROLMENT},
};

const struct route_table account_routes = {routes, sizeof(routes) / sizeof(routes[0])};
