/* routes: the drug screens' addresses, for clinicians and medical staff only (clinical content:
 * not admin, admissions, billing or auditors). Writes carry the session's CSRF token (the form's
 * field on the page, the X-CSRF-Token header on the API). */
#include "modules/screens/screens.h"

#include "domain/roles.h"

#define SCREEN_ROLES (ROLE_CLINICIAN | ROLE_MEDICAL)
#define SCREEN_BODY 8192 /* a screen: the panel's results, two others, a comment */

static const struct route rows[] = {
    { .method = "GET",
      .pattern = "/staff/patients/:id/screens",
      .handler = screens_page,
      .roles = SCREEN_ROLES,
      .view = "screens/screens",
      .record = "patient" },
    { .method = "POST",
      .pattern = "/staff/patients/:id/screens",
      .handler = screens_add,
      .body = BODY_FORM,
      .roles = SCREEN_ROLES,
      .flags = R_CSRF,
      .view = "screens/screens",
      .record = "patient" },
    { .method = "POST",
      .pattern = "/staff/screens/:id/lab",
      .handler = screens_lab,
      .body = BODY_FORM,
      .roles = SCREEN_ROLES,
      .flags = R_CSRF,
      .record = "drug-screen" },
    { .method = "GET",
      .pattern = "/api/v1/patients/:id/drug-screens",
      .handler = screens_api_list,
      .roles = SCREEN_ROLES,
      .flags = R_JSON,
      .record = "patient" },
    { .method = "POST",
      .pattern = "/api/v1/patients/:id/drug-screens",
      .handler = screens_api_add,
      .body = BODY_JSON,
      .body_limit = SCREEN_BODY,
      .roles = SCREEN_ROLES,
      .flags = R_JSON | R_CSRF,
      .record = "patient" },
    { .method = "PUT",
      .pattern = "/api/v1/drug-screens/:id/lab",
      .handler = screens_api_lab,
      .body = BODY_JSON,
      .body_limit = SCREEN_BODY,
      .roles = SCREEN_ROLES,
      .flags = R_JSON | R_CSRF,
      .record = "drug-screen" },
};

const struct route_table screens_routes = { rows, sizeof(rows) / sizeof(rows[0]) };
