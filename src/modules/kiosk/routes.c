/* routes: the kiosk module's addresses. Administrators set devices up and revoke them; the
 * clinicians, admissions staff and administrators who work with patients show and renew a
 * patient's check-in code; /kiosk has no staff roles at all: the device's cookie is its
 * credential (checkin.c checks it, then the form's public double-submit token itself, not
 * R_CSRF: every answer there, a stale form's included, stays inside the kiosk's own frame
 * instead of the public site's error page), and nothing it answers may be kept by a cache. */
#include "http/router.h"

#include "domain/roles.h"
#include "modules/kiosk/kiosk.h"

#define CODE_ROLES (ROLE_CLINICIAN | ROLE_ADMISSIONS | ROLE_ADMIN)
#define SMALL_FORM 4096 /* a name and a place, a code, a confirmation */

static const struct route routes[] = {
    {.method = "GET", .pattern = "/staff/kiosks", .handler = kiosk_devices_page,
     .roles = ROLE_ADMIN, .view = "kiosk/devices", .record = "kiosk", .nav = "Kiosks"},
    {.method = "POST", .pattern = "/staff/kiosks", .handler = kiosk_device_add,
     .body = BODY_FORM, .body_limit = SMALL_FORM, .roles = ROLE_ADMIN, .flags = R_CSRF,
     .view = "kiosk/devices", .record = "kiosk"},
    {.method = "GET", .pattern = "/staff/kiosks/:id/revoke", .handler = kiosk_revoke_page,
     .roles = ROLE_ADMIN, .view = "kiosk/revoke", .record = "kiosk"},
    {.method = "POST", .pattern = "/staff/kiosks/:id/revoke", .handler = kiosk_revoke,
     .body = BODY_FORM, .body_limit = SMALL_FORM, .roles = ROLE_ADMIN, .flags = R_CSRF,
     .view = "kiosk/revoke", .record = "kiosk"},
    {.method = "GET", .pattern = "/staff/patients/:id/checkin-code", .handler = kiosk_code_page,
     .roles = CODE_ROLES, .view = "kiosk/code", .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/checkin-code", .handler = kiosk_code_renew,
     .body = BODY_FORM, .body_limit = SMALL_FORM, .roles = CODE_ROLES, .flags = R_CSRF,
     .view = "kiosk/code", .record = "patient"},
    {.method = "GET", .pattern = "/kiosk", .handler = kiosk_page, .flags = R_NO_STORE},
    {.method = "POST", .pattern = "/kiosk", .handler = kiosk_checkin, .body = BODY_FORM,
     .body_limit = SMALL_FORM, .flags = R_NO_STORE},
};

const struct route_table kiosk_routes = {routes, sizeof(routes) / sizeof(routes[0])};
