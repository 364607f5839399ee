/* routes: the patient portal's addresses, one row per action. /me/welcome and /me/sign-in are
 * public (no-store; their forms check the double-submit token in the handler, so that a stale
 * form comes back in the portal's frame); every other row needs a signed-in patient
 * (R_PATIENT) and, when it changes something, the session's CSRF token (R_CSRF). A row with a
 * .nav label is in the portal's menu, in this order. */
#include "http/router.h"

#include "modules/portal/portal.h"

#define SMALL_FORM 4096    /* a username, a passphrase twice, a token */
#define CHECKIN_FORM 16384 /* the answers and a note of 1000 characters, percent-encoded */

static const struct route routes[] = {
    { .method = "GET", .pattern = "/me", .handler = portal_root, .flags = R_NO_STORE },
    { .method = "GET",
      .pattern = "/me/welcome",
      .handler = portal_welcome_form,
      .flags = R_NO_STORE,
      .view = "portal/welcome" },
    { .method = "POST",
      .pattern = "/me/welcome",
      .handler = portal_welcome_post,
      .body = BODY_FORM,
      .body_limit = SMALL_FORM,
      .flags = R_NO_STORE,
      .view = "portal/welcome" },
    { .method = "GET",
      .pattern = "/me/sign-in",
      .handler = portal_signin_form,
      .flags = R_NO_STORE,
      .view = "portal/sign_in" },
    { .method = "POST",
      .pattern = "/me/sign-in",
      .handler = portal_signin_post,
      .body = BODY_FORM,
      .body_limit = SMALL_FORM,
      .flags = R_NO_STORE,
      .view = "portal/sign_in" },
    { .method = "GET",
      .pattern = "/me/",
      .handler = portal_today_page,
      .flags = R_PATIENT,
      .view = "portal/today",
      .record = "patient",
      .nav = "Today" },
    { .method = "GET",
      .pattern = "/me/check-in",
      .handler = portal_checkin_form,
      .flags = R_PATIENT,
      .view = "portal/checkin",
      .record = "patient",
      .nav = "Check in" },
    { .method = "POST",
      .pattern = "/me/check-in",
      .handler = portal_checkin_post,
      .body = BODY_FORM,
      .body_limit = CHECKIN_FORM,
      .flags = R_PATIENT | R_CSRF,
      .view = "portal/checkin",
      .record = "checkin" },
    { .method = "GET",
      .pattern = "/me/check-in/done",
      .handler = portal_checkin_done,
      .flags = R_PATIENT,
      .view = "portal/checkin_done",
      .record = "patient" },
    { .method = "POST",
      .pattern = "/me/sign-out",
      .handler = portal_signout,
      .body = BODY_FORM,
      .body_limit = SMALL_FORM,
      .flags = R_PATIENT | R_CSRF,
      .record = "patient" },
};

const struct route_table portal_routes = { routes, sizeof(routes) / sizeof(routes[0]) };
