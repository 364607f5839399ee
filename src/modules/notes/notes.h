/* notes: the notes module (issue 10): the group note of a session (its shared part once, a
 * section per attendee, one form and one submit for the whole note), individual, family and
 * medication notes from a patient's chart, signing with the password again, addenda,
 * co-signature, and the JSON API of docs/api.md "## Notes" (routes.c lists every address).
 * Clinical content: clinicians and medical staff only. A patient's chart shows a group note
 * reduced to the shared part and that patient's own section (store/notes.h). */
#ifndef HAVEN_MODULES_NOTES_H
#define HAVEN_MODULES_NOTES_H

#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"
#include "http/req.h"
#include "http/router.h"
#include "store/notes.h"

extern const struct route_table notes_routes;

/* api.c: the JSON API, one handler per row. */
enum err notes_api_group_save(struct req *r);   /* POST /api/v1/sessions/:id/group-note */
enum err notes_api_get(struct req *r);          /* GET  /api/v1/notes/:id */
enum err notes_api_update(struct req *r);       /* PUT  /api/v1/notes/:id */
enum err notes_api_section_put(struct req *r);  /* PUT  /api/v1/notes/:id/sections/:patient_id */
enum err notes_api_sign(struct req *r);         /* POST /api/v1/notes/:id/sign */
enum err notes_api_section_sign(struct req *r); /* POST .../sections/:patient_id/sign */
enum err notes_api_addendum(struct req *r);     /* POST /api/v1/notes/:id/addenda */
enum err notes_api_cosign(struct req *r);       /* POST /api/v1/notes/:id/cosign */
enum err notes_api_patient_add(struct req *r);  /* POST /api/v1/patients/:id/notes */
enum err notes_api_patient_list(struct req *r); /* GET  /api/v1/patients/:id/notes */

/* group_page.c: the group note's page of a session. */
enum err notes_group_page(struct req *r); /* GET  /staff/sessions/:id/note */
enum err notes_group_post(struct req *r); /* POST /staff/sessions/:id/note */

/* note_page.c: one note, whole, with its signing, addenda and co-signature forms. */
enum err notes_note_page(struct req *r);      /* GET  /staff/notes/:id */
enum err notes_note_post(struct req *r);      /* POST /staff/notes/:id (an individual draft) */
enum err notes_sign_post(struct req *r);      /* POST /staff/notes/:id/sign */
enum err notes_section_sign_post(struct req *r); /* POST .../sections/:patient_id/sign */
enum err notes_addendum_post(struct req *r);  /* POST /staff/notes/:id/addenda */
enum err notes_cosign_post(struct req *r);    /* POST /staff/notes/:id/cosign */

/* chart.c: a patient's notes in their chart (reduced), and a new individual note. */
enum err notes_chart_page(struct req *r);   /* GET  /staff/patients/:id/notes */
enum err notes_chart_post(struct req *r);   /* POST /staff/patients/:id/notes */
enum err notes_chart_note(struct req *r);   /* GET  /staff/patients/:patient_id/notes/:id */

/* input.c: reading what a note's writer sent, the same rules for forms and JSON. */
/* The JSON body's sections ([{patient_id, participation, response, risk, risk_detail?, urgent?,
 * progress: [...]}]) into *out (arena), each problem named "sections[i].field" in b. */
struct body;
struct form;
bool notes_json_sections(struct body *b, const json_t *arr, struct note_section_in **out,
                         size_t *n);
/* One section from the body's top level (PUT .../sections/:patient_id). */
void notes_json_section(struct body *b, const char *patient_id, struct note_section_in *out);
/* progress: [{objective_id, progress, comment?}] at key of obj (prefix names its problems). */
bool notes_json_progress(struct body *b, const json_t *obj, const char *prefix,
                         struct note_progress_in **out, size_t *n);
/* A note's free text: 1..max characters, newlines allowed, no other control or invisible
 * characters; NULL when absent or null (a problem when required or wrong). */
const char *notes_json_text(struct body *b, const json_t *obj, const char *key,
                            const char *field, long max, bool required, const char *message);

/* objectives.c: the objectives of a plan on a form, ticked with their progress. Fields are
 * prefix + "obj-<id>" (checkbox "yes"), "prog-<id>" (select), "comment-<id>". */
/* The objectives as the form shows them: [{id, text, target_date, name (the field prefix),
 * checked, options: [{value, label, selected}], comment, err}]; chosen: {id: {progress,
 * comment}} (may be NULL). New reference. */
json_t *notes_objectives_view(struct req *r, const json_t *m, const json_t *objectives,
                              const json_t *chosen, const char *prefix);
/* The ticked objectives as posted, in chosen's shape (new reference). */
json_t *notes_progress_posted(struct req *r, const json_t *objectives, const char *prefix);
/* The ticked objectives checked into progress rows (arena), each problem by its field; *n how
 * many were ticked. */
struct note_progress_in *notes_progress_read(struct form *f, const json_t *objectives,
                                             const char *prefix, size_t *n);
/* An individual note's parts (those of form, required when signing) and progress as posted. */
void notes_individual_read(struct form *f, const char *form, const json_t *objectives,
                           bool signing, struct note_individual_in *n);
/* The form's "password" checked again before a signature; a problem at field when missing or
 * wrong (the caller shows the page again). E_OK, or E_DB. */
enum err notes_signing_password(struct req *r, struct form *f, const char *field);
/* A new reference to v, or JSON null (a template's key that must be there: a missing one is
 * looked up in the enclosing contexts, such as the page's own "err"). */
json_t *notes_or_null(const json_t *v);

/* common.c */
/* The signer's password (JSON "password", form field "password") checked again: E_OK; or
 * E_INVALID with the 422 naming "password" (JSON) / the form's problem (forms: f may be NULL
 * for JSON); E_DB. what names the act in the log ("sign-note", "cosign-note", "addendum"). */
enum err notes_password(struct req *r, const char *password, const char *what, bool json);
/* The clinic's date today. */
caldate notes_today(void);
/* The store's refusal as the answer: JSON (program_refused) or, for pages, r->message. */
enum err notes_refused(struct req *r, enum err e, const struct program_why *why,
                       const char *action, const char *id);
/* The staff model of a page plus the note-specific choices: {participation: [{value, label}],
 * progress: [...]} under "choices". New reference from view_staff_model. */
json_t *notes_page_model(struct req *r, const char *title);
/* Audits a read of notes (one entry naming each note) or answers E_DB: 0 or -1. */
int notes_audit_read(struct req *r, const json_t *notes);
/* The note model prepared for a template: times in the clinic's zone, flags for each state. */
void notes_view(struct req *r, json_t *note);

#endif
