/* routes: the recovery module's addresses, one row per action. The patient's rows say
 * R_PATIENT (a signed-in patient; no-store; every query keyed by the principal's patient) and
 * carry a .nav label where the portal's menu should show them: Help now first, since it must
 * be one tap from every page. /me/sw.js is public: the service worker holds no personal data
 * and the browser fetches it again on its own. The relapse-prevention plan is clinical
 * content: clinicians and medical staff review it, nobody else on staff reads it; the skills
 * library holds no patient data and is edited by administrators and clinicians. */
#include "modules/recovery/recovery.h"

#include "domain/roles.h"

#define CLINICAL (ROLE_CLINICIAN | ROLE_MEDICAL)
#define LIBRARY (ROLE_ADMIN | ROLE_CLINICIAN)
#define SMALL_FORM 4096
/* 58 rows of 200 characters (800 bytes each, percent-encoded) and their names. */
#define PLAN_FORM (64 * 1024)
#define SKILL_FORM (48 * 1024) /* 8000 characters of text, percent-encoded */

static const struct route rows[] = {
    {.method = "GET", .pattern = "/me/help", .handler = recovery_help_page, .flags = R_PATIENT,
     .view = "recovery/help", .record = "patient", .nav = "Help now"},
    {.method = "GET", .pattern = "/me/plan", .handler = recovery_plan_page, .flags = R_PATIENT,
     .view = "recovery/plan", .record = "patient", .nav = "My plan"},
    {.method = "GET", .pattern = "/me/plan/edit", .handler = recovery_plan_edit,
     .flags = R_PATIENT, .view = "recovery/edit", .record = "patient"},
    {.method = "POST", .pattern = "/me/plan/edit", .handler = recovery_plan_save,
     .body = BODY_FORM, .body_limit = PLAN_FORM, .flags = R_PATIENT | R_CSRF,
     .view = "recovery/edit", .record = "recovery-plan"},
    {.method = "POST", .pattern = "/me/plan/withdraw", .handler = recovery_plan_withdraw,
     .body = BODY_FORM, .body_limit = SMALL_FORM, .flags = R_PATIENT | R_CSRF,
     .record = "recovery-plan"},
    {.method = "GET", .pattern = "/me/plan/versions/:n", .handler = recovery_plan_version,
     .flags = R_PATIENT, .view = "recovery/version", .record = "patient"},
    {.method = "GET", .pattern = "/me/skills", .handler = recovery_skills_page,
     .flags = R_PATIENT, .view = "recovery/skills", .record = "patient", .nav = "Skills"},
    {.method = "GET", .pattern = "/me/skills/:id", .handler = recovery_skill_page,
     .flags = R_PATIENT, .view = "recovery/skill", .record = "skill"},
    {.method = "GET", .pattern = "/me/sw.js", .handler = recovery_sw},
    /* Staff: the review of a patient's plan */
    {.method = "GET", .pattern = "/staff/patients/:id/recovery-plan",
     .handler = recovery_review_page, .roles = CLINICAL, .view = "recovery/review",
     .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/recovery-plan",
     .handler = recovery_review_post, .body = BODY_FORM, .body_limit = SMALL_FORM,
     .roles = CLINICAL, .flags = R_CSRF, .view = "recovery/review", .record = "patient"},
    /* Staff: the skills library */
    {.method = "GET", .pattern = "/staff/skills", .handler = recovery_skills_staff,
     .roles = LIBRARY, .view = "recovery/staff_skills", .record = "skill",
     .nav = "Skills library"},
    {.method = "GET", .pattern = "/staff/skills/new", .handler = recovery_skill_new,
     .roles = LIBRARY, .view = "recovery/staff_skill", .record = "skill"},
    {.method = "POST", .pattern = "/staff/skills/new", .handler = recovery_skill_create,
     .body = BODY_FORM, .body_limit = SKILL_FORM, .roles = LIBRARY, .flags = R_CSRF,
     .view = "recovery/staff_skill", .record = "skill"},
    {.method = "GET", .pattern = "/staff/skills/:id", .handler = recovery_skill_edit,
     .roles = LIBRARY, .view = "recovery/staff_skill", .record = "skill"},
    {.method = "POST", .pattern = "/staff/skills/:id", .handler = recovery_skill_update,
     .body = BODY_FORM, .body_limit = SKILL_FORM, .roles = LIBRARY, .flags = R_CSRF,
     .view = "recovery/staff_skill", .record = "skill"},
    {.method = "POST", .pattern = "/staff/skills/:id/visibility",
     .handler = recovery_skill_visibility, .body = BODY_FORM, .body_limit = SMALL_FORM,
     .roles = LIBRARY, .flags = R_CSRF, .record = "skill"},
};

const struct route_table recovery_routes = {rows, sizeof(rows) / sizeof(rows[0])};
