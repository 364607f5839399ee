/* api: the notes' JSON API (docs/api.md "## Notes"): a group note's draft for a session, one
 * attendee's section, an individual note, signing (the password again), addenda, the
 * co-signature, one note whole and a patient's notes as their chart shows them. A write answers
 * the whole note; its refusal is the program API's 422/409 body naming the field. */
#include "modules/notes/notes.h"

#include "modules/program/program.h"
#include "web/audit.h"
#include "web/auth.h"

#define PART_MESSAGE "Write 1 to 8000 characters (no control characters), or null to clear it."

/* The whole note as the answer (status 0: 200). */
static enum err answer_note(struct req *r, const char *id, int status)
{
    json_t *n = NULL;

    if (store_note_get(r->store, id, &n) != E_OK)
        return E_DB;
    req_model(r, n);
    if (status)
        r->status = status;
    return E_OK;
}

/* Part key: absent NULL (unchanged), null "" (cleared), else its text. */
static const char *part(struct body *b, const char *key)
{
    const json_t *v = json_object_get(b->root, key);

    if (v && json_is_null(v))
        return "";
    return notes_json_text(b, b->root, key, key, NOTE_PART_MAX, false, PART_MESSAGE);
}

enum err notes_api_group_save(struct req *r)
{
    const char *sid = req_param(r, "id");
    struct note_section_in *secs = NULL;
    struct note_group_in g = {0};
    struct program_why why = {{0}, {0}};
    struct body b;
    char id[33];
    bool created = false;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK) {
        audit_record(r, "update", "session", sid, "invalid");
        return e;
    }
    g.a = part(&b, "a");
    g.b = part(&b, "b");
    g.c = part(&b, "c");
    notes_json_sections(&b, json_object_get(b.root, "sections"), &secs, &g.n_sections);
    g.sections = secs;
    if ((e = program_checked(&b, "update", "session", sid)) != E_OK)
        return e;
    e = store_note_group_save(r->store, sid, auth_user_id(r), &g,
                              audit_entry(r, "update", "note", NULL), id, &created, &why);
    if (e != E_OK)
        return program_refused(r, e, &why, "update", "session", sid);
    return answer_note(r, id, created ? 201 : 0);
}

enum err notes_api_get(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *n = NULL;
    enum err e = store_note_get(r->store, id, &n);

    if (e != E_OK) {
        audit_record(r, "view", "note", id, audit_outcome(e));
        return e == E_NOTFOUND ? e : E_DB;
    }
    if (audit_record(r, "view", "note", id, "ok") < 0) {
        json_decref(n);
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    req_model(r, n);
    return E_OK;
}

/* An individual note's parts and progress from the body. */
static void individual_read(struct body *b, struct note_individual_in *n)
{
    struct note_progress_in *p = NULL;

    for (int i = 0; i < NOTE_PARTS; i++)
        n->parts[i] = notes_json_text(b, b->root, note_part_field(i), note_part_field(i),
                                      NOTE_PART_MAX, false, PART_MESSAGE);
    notes_json_progress(b, b->root, "", &p, &n->n_progress);
    n->progress = p;
}

enum err notes_api_update(struct req *r)
{
    const char *id = req_param(r, "id");
    struct note_individual_in n = {0};
    struct program_why why = {{0}, {0}};
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK) {
        audit_record(r, "update", "note", id, "invalid");
        return e;
    }
    individual_read(&b, &n);
    if ((e = program_checked(&b, "update", "note", id)) != E_OK)
        return e;
    e = store_note_individual_update(r->store, id, &n, audit_entry(r, "update", "note", id),
                                     &why);
    if (e != E_OK)
        return program_refused(r, e, &why, "update", "note", id);
    return answer_note(r, id, 0);
}

enum err notes_api_section_put(struct req *r)
{
    const char *id = req_param(r, "id"), *pid = req_param(r, "patient_id");
    struct note_section_in sec;
    struct program_why why = {{0}, {0}};
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK) {
        audit_record(r, "update", "note", id, "invalid");
        return e;
    }
    notes_json_section(&b, pid, &sec);
    if ((e = program_checked(&b, "update", "note", id)) != E_OK)
        return e;
    e = store_note_section_put(r->store, id, &sec, audit_entry(r, "update", "note", id), &why);
    if (e != E_OK)
        return program_refused(r, e, &why, "update", "note", id);
    return answer_note(r, id, 0);
}

/* The body's password checked again (a 422 naming it when wrong or missing). */
static enum err signer(struct req *r, struct body *b, const char *action, const char *id,
                       const char *what)
{
    const char *pw = json_string_value(json_object_get(b->root, "password"));
    enum err e;

    if ((e = program_checked(b, action, "note", id)) != E_OK)
        return e;
    if ((e = notes_password(r, pw, what, true)) == E_INVALID)
        audit_record(r, action, "note", id, "invalid");
    return e;
}

/* The store's part of a signature on note id, by the signed-in member. */
typedef enum err (*signature_act)(struct req *r, const char *id, struct program_why *why);

static enum err act_sign(struct req *r, const char *id, struct program_why *why)
{
    return store_note_sign(r->store, id, auth_user_id(r), audit_entry(r, "sign", "note", id), why);
}

static enum err act_section_sign(struct req *r, const char *id, struct program_why *why)
{
    return store_note_section_sign(r->store, id, req_param(r, "patient_id"), auth_user_id(r),
                                   audit_entry(r, "sign", "note", id), why);
}

static enum err act_cosign(struct req *r, const char *id, struct program_why *why)
{
    return store_note_cosign(r->store, id, auth_user_id(r), audit_entry(r, "cosign", "note", id),
                             why);
}

/* A body of {password}: checked again, then the act; the note as the answer. */
static enum err signature(struct req *r, const char *action, const char *what, signature_act act)
{
    const char *id = req_param(r, "id");
    struct program_why why = {{0}, {0}};
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK || (e = signer(r, &b, action, id, what)) != E_OK)
        return e;
    if ((e = act(r, id, &why)) != E_OK)
        return program_refused(r, e, &why, action, "note", id);
    return answer_note(r, id, 0);
}

enum err notes_api_sign(struct req *r)
{
    return signature(r, "sign", "sign-note", act_sign);
}

enum err notes_api_section_sign(struct req *r)
{
    return signature(r, "sign", "sign-note", act_section_sign);
}

enum err notes_api_addendum(struct req *r)
{
    const char *id = req_param(r, "id"), *text, *pid;
    struct program_why why = {{0}, {0}};
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    text = notes_json_text(&b, b.root, "text", "text", NOTE_ADDENDUM_MAX, true,
                           "Write the addendum (1 to 4000 characters).");
    pid = json_string_value(json_object_get(b.root, "patient_id"));
    if (json_object_get(b.root, "patient_id") && !json_is_null(json_object_get(b.root,
                                                                               "patient_id")) &&
        (!pid || !*pid))
        body_problem(&b, "patient_id", "Give the patient id of the section, or leave it out.");
    if ((e = signer(r, &b, "addendum", id, "addendum")) != E_OK)
        return e;
    e = store_note_addendum_add(r->store, id, pid, auth_user_id(r), text,
                                audit_entry(r, "addendum", "note", id), NULL, &why);
    if (e != E_OK)
        return program_refused(r, e, &why, "addendum", "note", id);
    return answer_note(r, id, 201);
}

enum err notes_api_cosign(struct req *r)
{
    return signature(r, "cosign", "cosign-note", act_cosign);
}

enum err notes_api_patient_add(struct req *r)
{
    const char *pid = req_param(r, "id");
    struct note_individual_in n = {0};
    struct program_why why = {{0}, {0}};
    struct body b;
    char id[33];
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK) {
        audit_record(r, "create", "note", NULL, "invalid");
        return e;
    }
    n.kind = body_text(&b, "kind", 20, true, "Give the kind: individual, family or medication.");
    n.form = body_text(&b, "form", 10, true, "Give the form: dap or birp.");
    n.session_id = body_text(&b, "session_id", 64, false, "Give the session's id.");
    if (body_date(&b, "date", !n.session_id, &n.date) && n.date > notes_today())
        body_problem(&b, "date", "A note is written for a day that has come.");
    individual_read(&b, &n);
    if ((e = program_checked(&b, "create", "note", NULL)) != E_OK)
        return e;
    e = store_note_individual_add(r->store, pid, auth_user_id(r), &n,
                                  audit_entry(r, "create", "note", NULL), id, &why);
    if (e != E_OK)
        return program_refused(r, e, &why, "create", "note", NULL);
    return answer_note(r, id, 201);
}

enum err notes_api_patient_list(struct req *r)
{
    const char *pid = req_param(r, "id");
    json_t *out = NULL;
    enum err e = store_notes_of_patient(r->store, pid, 0, &out, NULL);

    if (e != E_OK) {
        json_decref(out);
        audit_record(r, "list", "note", NULL, audit_outcome(e));
        return e == E_NOTFOUND ? e : E_DB;
    }
    if (notes_audit_read(r, out) < 0) {
        json_decref(out);
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    req_model(r, out);
    return E_OK;
}
