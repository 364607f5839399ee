/* routes: the users module's addresses: the administrators' Users screen, each change to an
 * account as its own address (disabling and a new password link ask first, on a page of their
 * own), the workspace settings and the clinic's details. Administrators only; a refusal is
 * audited against the account the address names. */
#include "http/router.h"

#include "domain/roles.h"
#include "modules/users/users.h"

#define USERS_FORM_LIMIT 4096 /* a user's e-mail, name and roles: a small form */
#define CLINIC_FORM_LIMIT 8192 /* the clinic's details: a few paragraphs at most */

static const struct route routes[] = {
    {.method = "GET", .pattern = "/staff/users", .handler = users_list, .roles = ROLE_ADMIN,
     .view = "users/users", .record = "user", .nav = "Users"},
    {.method = "POST", .pattern = "/staff/users", .handler = users_add, .body = BODY_FORM,
     .body_limit = USERS_FORM_LIMIT, .roles = ROLE_ADMIN, .flags = R_CSRF,
     .view = "users/users", .record = "user"},
    {.method = "GET", .pattern = "/staff/users/:id/disable", .handler = users_disable_page,
     .roles = ROLE_ADMIN, .view = "users/confirm", .record = "user"},
    {.method = "GET", .pattern = "/staff/users/:id/reset", .handler = users_reset_page,
     .roles = ROLE_ADMIN, .view = "users/confirm", .record = "user"},
    {.method = "POST", .pattern = "/staff/users/:id/disable", .handler = users_disable,
     .body = BODY_FORM, .body_limit = USERS_FORM_LIMIT, .roles = ROLE_ADMIN, .flags = R_CSRF,
     .view = "users/users", .record = "user"},
    {.method = "POST", .pattern = "/staff/users/:id/enable", .handler = users_enable,
     .body = BODY_FORM, .body_limit = USERS_FORM_LIMIT, .roles = ROLE_ADMIN, .flags = R_CSRF,
     .view = "users/users", .record = "user"},
    {.method = "POST", .pattern = "/staff/users/:id/reset", .handler = users_reset,
     .body = BODY_FORM, .body_limit = USERS_FORM_LIMIT, .roles = ROLE_ADMIN, .flags = R_CSRF,
     .view = "users/users", .record = "user"},
    {.method = "POST", .pattern = "/staff/users/:id/roles", .handler = users_roles,
     .body = BODY_FORM, .body_limit = USERS_FORM_LIMIT, .roles = ROLE_ADMIN, .flags = R_CSRF,
     .view = "users/users", .record = "user"},
    {.method = "POST", .pattern = "/staff/users/:id/totp-reset", .handler = users_totp_reset,
     .body = BODY_FORM, .body_limit = USERS_FORM_LIMIT, .roles = ROLE_ADMIN, .flags = R_CSRF,
     .view = "users/users", .record = "user"},
    {.method = "POST", .pattern = "/staff/users/:id/cosign", .handler = users_cosign,
     .body = BODY_FORM, .body_limit = USERS_FORM_LIMIT, .roles = ROLE_ADMIN, .flags = R_CSRF,
     .view = "users/users", .record = "user"},
    /* The setting is not a user record, but a refusal has always been audited as one. */
    {.method = "POST", .pattern = "/staff/settings", .handler = users_settings,
     .body = BODY_FORM, .body_limit = USERS_FORM_LIMIT, .roles = ROLE_ADMIN, .flags = R_CSRF,
     .view = "users/users", .record = "user"},
    {.method = "GET", .pattern = "/staff/settings/clinic", .handler = users_clinic_page,
     .roles = ROLE_ADMIN, .view = "users/clinic", .record = "settings", .nav = "Clinic details"},
    {.method = "POST", .pattern = "/staff/settings/clinic", .handler = users_clinic_save,
     .body = BODY_FORM, .body_limit = CLINIC_FORM_LIMIT, .roles = ROLE_ADMIN, .flags = R_CSRF,
     .view = "users/clinic", .record = "settings"},
    {.method = "GET", .pattern = "/staff/settings/care", .handler = users_care_page,
     .roles = ROLE_ADMIN, .view = "users/care", .record = "settings", .nav = "Care settings"},
    {.method = "POST", .pattern = "/staff/settings/care", .handler = users_care_save,
     .body = BODY_FORM, .body_limit = USERS_FORM_LIMIT, .roles = ROLE_ADMIN, .flags = R_CSRF,
     .view = "users/care", .record = "settings"},
};

const struct route_table users_routes = {routes, sizeof(routes) / sizeof(routes[0])};
