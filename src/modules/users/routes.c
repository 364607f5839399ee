/* routes: the users module's addresses: the administrators' Users screen and the workspace
 * settings. */
#include "modules/modules.h"

#include "domain/roles.h"
#include "modules/users/users.h"

#define USERS_FORM_LIMIT 4096 /* a user's e-mail, name and roles: a small form */

static const struct route routes[] = {
    {.method = "GET", .pattern = "/staff/users", .handler = web_users, .roles = ROLE_ADMIN, .record = "user", .nav = "Users"},
    {.method = "POST", .pattern = "/staff/users", .handler = web_users_add, .body = BODY_FORM,
     .body_limit = USERS_FORM_LIMIT, .roles = ROLE_ADMIN, .record = "user"},
    {.method = "POST", .pattern = "/staff/users/*", .handler = web_users_action,
     .body = BODY_FORM, .body_limit = USERS_FORM_LIMIT, .roles = ROLE_ADMIN, .record = "user"},
    {.method = "POST", .pattern = "/staff/settings", .handler = web_settings, .body = BODY_FORM,
     .body_limit = USERS_FORM_LIMIT, .roles = ROLE_ADMIN, .record = "user"},
};

const struct route_table users_routes = {routes, sizeof(routes) / sizeof(routes[0])};
