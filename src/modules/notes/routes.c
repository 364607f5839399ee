/* routes: the notes module's addresses, one row per action. Notes are clinical content: only
 * clinicians and medical staff read or write them (42 CFR Part 2, least privilege); billing
 * learns which notes are missing from the billable-days report, never their text. Writes carry
 * the CSRF token (the form's field, or X-CSRF-Token on the API). A note's facilitator is any
 * clinician or medical user (the session's staff among them); a co-signature is further limited
 * to the signer's named supervisor, a rule on the record's data (store/notes.h). */
#include "http/router.h"

#include "domain/roles.h"
#include "modules/notes/notes.h"

#define NOTE_ROLES (ROLE_CLINICIAN | ROLE_MEDICAL)
#define NOTE_BODY (16 * 1024)       /* one section, a signature, an addendum */
#define GROUP_BODY (512 * 1024)     /* a whole group note: sixty sections of 4000 characters */
#define INDIVIDUAL_BODY (64 * 1024) /* four parts of 8000 characters and progress */
#define WRITE (R_JSON | R_CSRF)

static const struct route rows[] = {
    /* The staff screens. */
    {.method = "GET", .pattern = "/staff/sessions/:id/note", .handler = notes_group_page,
     .roles = NOTE_ROLES, .view = "notes/group", .record = "session"},
    {.method = "POST", .pattern = "/staff/sessions/:id/note", .handler = notes_group_post,
     .body = BODY_FORM, .body_limit = GROUP_BODY, .roles = NOTE_ROLES, .flags = R_CSRF,
     .view = "notes/group", .record = "session"},
    {.method = "GET", .pattern = "/staff/notes/:id", .handler = notes_note_page,
     .roles = NOTE_ROLES, .view = "notes/note", .record = "note"},
    {.method = "POST", .pattern = "/staff/notes/:id", .handler = notes_note_post,
     .body = BODY_FORM, .body_limit = INDIVIDUAL_BODY, .roles = NOTE_ROLES, .flags = R_CSRF,
     .view = "notes/note", .record = "note"},
    {.method = "POST", .pattern = "/staff/notes/:id/sign", .handler = notes_sign_post,
     .body = BODY_FORM, .body_limit = NOTE_BODY, .roles = NOTE_ROLES, .flags = R_CSRF,
     .view = "notes/note", .record = "note"},
    {.method = "POST", .pattern = "/staff/notes/:id/sections/:patient_id/sign",
     .handler = notes_section_sign_post, .body = BODY_FORM, .body_limit = NOTE_BODY,
     .roles = NOTE_ROLES, .flags = R_CSRF, .view = "notes/note", .record = "note"},
    {.method = "POST", .pattern = "/staff/notes/:id/addenda", .handler = notes_addendum_post,
     .body = BODY_FORM, .body_limit = NOTE_BODY, .roles = NOTE_ROLES, .flags = R_CSRF,
     .view = "notes/note", .record = "note"},
    {.method = "POST", .pattern = "/staff/notes/:id/cosign", .handler = notes_cosign_post,
     .body = BODY_FORM, .body_limit = NOTE_BODY, .roles = NOTE_ROLES, .flags = R_CSRF,
     .view = "notes/note", .record = "note"},
    {.method = "GET", .pattern = "/staff/patients/:id/notes", .handler = notes_chart_page,
     .roles = NOTE_ROLES, .view = "notes/chart", .record = "patient"},
    {.method = "POST", .pattern = "/staff/patients/:id/notes", .handler = notes_chart_post,
     .body = BODY_FORM, .body_limit = INDIVIDUAL_BODY, .roles = NOTE_ROLES, .flags = R_CSRF,
     .view = "notes/chart", .record = "patient"},
    {.method = "GET", .pattern = "/staff/patients/:patient_id/notes/:id",
     .handler = notes_chart_note, .roles = NOTE_ROLES, .view = "notes/chart_note",
     .record = "note"},
    /* The JSON API. */
    {.method = "POST", .pattern = "/api/v1/sessions/:id/group-note",
     .handler = notes_api_group_save, .body = BODY_JSON, .body_limit = GROUP_BODY,
     .roles = NOTE_ROLES, .flags = WRITE, .record = "session"},
    {.method = "GET", .pattern = "/api/v1/notes/:id", .handler = notes_api_get,
     .roles = NOTE_ROLES, .flags = R_JSON, .record = "note"},
    {.method = "PUT", .pattern = "/api/v1/notes/:id", .handler = notes_api_update,
     .body = BODY_JSON, .body_limit = INDIVIDUAL_BODY, .roles = NOTE_ROLES, .flags = WRITE,
     .record = "note"},
    {.method = "PUT", .pattern = "/api/v1/notes/:id/sections/:patient_id",
     .handler = notes_api_section_put, .body = BODY_JSON, .body_limit = NOTE_BODY,
     .roles = NOTE_ROLES, .flags = WRITE, .record = "note"},
    {.method = "POST", .pattern = "/api/v1/notes/:id/sign", .handler = notes_api_sign,
     .body = BODY_JSON, .body_limit = NOTE_BODY, .roles = NOTE_ROLES, .flags = WRITE,
     .record = "note"},
    {.method = "POST", .pattern = "/api/v1/notes/:id/sections/:patient_id/sign",
     .handler = notes_api_section_sign, .body = BODY_JSON, .body_limit = NOTE_BODY,
     .roles = NOTE_ROLES, .flags = WRITE, .record = "note"},
    {.method = "POST", .pattern = "/api/v1/notes/:id/addenda", .handler = notes_api_addendum,
     .body = BODY_JSON, .body_limit = NOTE_BODY, .roles = NOTE_ROLES, .flags = WRITE,
     .record = "note"},
    {.method = "POST", .pattern = "/api/v1/notes/:id/cosign", .handler = notes_api_cosign,
     .body = BODY_JSON, .body_limit = NOTE_BODY, .roles = NOTE_ROLES, .flags = WRITE,
     .record = "note"},
    {.method = "POST", .pattern = "/api/v1/patients/:id/notes", .handler = notes_api_patient_add,
     .body = BODY_JSON, .body_limit = INDIVIDUAL_BODY, .roles = NOTE_ROLES, .flags = WRITE,
     .record = "patient"},
    {.method = "GET", .pattern = "/api/v1/patients/:id/notes",
     .handler = notes_api_patient_list, .roles = NOTE_ROLES, .flags = R_JSON,
     .record = "patient"},
};

const struct route_table notes_routes = {rows, sizeof(rows) / sizeof(rows[0])};
