/* recovery: the patient's relapse-prevention plan, Help now and the skills library (issue 11).
 * The patient's pages live under /me/ (R_PATIENT rows: a signed-in patient, every query keyed
 * by auth_patient_id, never by an id from the address) and start from portal_model:
 * plan.c (/me/plan: the approved plan, the draft's state, the counsellor's comment, every
 * version; /me/plan/edit: the draft, no JavaScript needed), help.c (/me/help: the approved
 * plan's coping steps and people, an urge-surfing timer in CSS, grounding, breathing, crisis
 * lines; /me/sw.js: the service worker that keeps the plan and Help now readable offline),
 * skills.c (/me/skills). The staff side: review.c (/staff/patients/:id/recovery-plan:
 * clinicians and medical staff comment, approve or return) and skills_staff.c (/staff/skills:
 * administrators and clinicians add, edit, hide). sections.c turns a posted form into a plan
 * body and a body into what the templates show. */
#ifndef HAVEN_MODULES_RECOVERY_H
#define HAVEN_MODULES_RECOVERY_H

#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"
#include "http/req.h"
#include "http/router.h"
#include "web/form.h"

/* sections.c */
/* The sections of body (an object; NULL: empty) as the templates show them: [{key, title,
 * items: [text] or people: [{name, phone, tel}], empty}], and has_any. New reference. */
json_t *recovery_sections_view(const json_t *body);
/* The editor's rows of body for the form (each section its items and `blank` empty rows up
 * to its bound), and each posted row's problem from err (an object by field; NULL: none). */
json_t *recovery_sections_editor(const json_t *body, const json_t *err);
/* The plan body a posted editor form makes (a new reference), each row's problem recorded in
 * f under its field name; *coping gets how many coping strategies it has. */
json_t *recovery_sections_read(struct form *f, int *coping);
/* Paragraphs of a skill's body: [{text} or {list: true, items: [text]}]. New reference. */
json_t *recovery_paragraphs(const char *body);

/* plan.c */
enum err recovery_plan_page(struct req *r);     /* GET  /me/plan */
enum err recovery_plan_edit(struct req *r);     /* GET  /me/plan/edit */
enum err recovery_plan_save(struct req *r);     /* POST /me/plan/edit */
enum err recovery_plan_withdraw(struct req *r); /* POST /me/plan/withdraw */
enum err recovery_plan_version(struct req *r);  /* GET  /me/plan/versions/:n */

/* help.c */
enum err recovery_help_page(struct req *r); /* GET /me/help */
enum err recovery_sw(struct req *r);        /* GET /me/sw.js (public: no personal data) */
/* Whether pages of this session may be kept for offline use: a patient's own device, not one
 * they said is shared (the session says). */
bool recovery_offline_ok(struct req *r);
/* Marks a page the service worker may keep (X-Haven-Offline: 1, or 0: "drop what you keep"),
 * and the model's "offline" for the registering script. */
void recovery_offline_mark(struct req *r, json_t *m);

/* skills.c */
enum err recovery_skills_page(struct req *r); /* GET /me/skills */
enum err recovery_skill_page(struct req *r);  /* GET /me/skills/:id */

/* review.c */
enum err recovery_review_page(struct req *r); /* GET  /staff/patients/:id/recovery-plan */
enum err recovery_review_post(struct req *r); /* POST /staff/patients/:id/recovery-plan */

/* skills_staff.c */
enum err recovery_skills_staff(struct req *r);   /* GET  /staff/skills */
enum err recovery_skill_new(struct req *r);      /* GET  /staff/skills/new */
enum err recovery_skill_create(struct req *r);   /* POST /staff/skills/new */
enum err recovery_skill_edit(struct req *r);     /* GET  /staff/skills/:id */
enum err recovery_skill_update(struct req *r);   /* POST /staff/skills/:id */
enum err recovery_skill_visibility(struct req *r); /* POST /staff/skills/:id/visibility */

/* routes.c */
extern const struct route_table recovery_routes;

#endif
