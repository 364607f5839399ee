/* note_page: one note, whole, for clinical staff: its parts, a group note's sections, progress
 * on objectives, addenda shown with the original, and the forms its state allows: an
 * individual draft's edit form (save, or save and sign), signing a group draft, signing a
 * section written after its note, an addendum (written and signed at once), the co-signature
 * (only for the signer's named supervisor). Every signature asks for the password again; a
 * wrong one shows the page again (422) with the problem beside its field. */
#include "modules/notes/notes.h"

#include <stdio.h>
#include <string.h>

#include "http/resp.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/principal.h"
#include "web/view.h"

/* Where an addendum may go: the note (shared part) and each signed section, by name. */
static json_t *addendum_targets(const json_t *note)
{
    json_t *out = json_array();
    const json_t *sec;
    size_t i;

    json_array_append_new(out, json_pack("{s:s, s:s}", "value", "", "label",
                                         json_is_true(json_object_get(note, "is_group"))
                                             ? "The shared part"
                                             : "The whole note"));
    json_array_foreach(json_object_get(note, "sections"), i, sec) {
        char label[240];
        if (json_is_null(json_object_get(sec, "signed_at")))
            continue;
        snprintf(label, sizeof(label), "The section of %s %s",
                 json_string_value(json_object_get(sec, "first_name")),
                 json_string_value(json_object_get(sec, "last_name")));
        json_array_append_new(out, json_pack("{s:O, s:s}", "value",
                                             json_object_get(sec, "patient_id"), "label", label));
    }
    return out;
}

/* Each addendum to a section names whose (the whole note's page shows every section anyway). */
static void addenda_names(json_t *note)
{
    const json_t *sec;
    json_t *add;
    size_t i, k;

    json_array_foreach(json_object_get(note, "addenda"), i, add) {
        const char *pid = json_string_value(json_object_get(add, "patient_id"));
        char name[240];
        json_array_foreach(json_object_get(note, "sections"), k, sec) {
            if (!pid || strcmp(pid, json_string_value(json_object_get(sec, "patient_id"))))
                continue;
            snprintf(name, sizeof(name), "%s %s",
                     json_string_value(json_object_get(sec, "first_name")),
                     json_string_value(json_object_get(sec, "last_name")));
            json_object_set_new(add, "section_name", json_string(name));
        }
    }
}

/* The edit form of an individual draft: its parts and the objectives of the plan current on
 * its date, with posted values when posted. */
static enum err edit_form(struct req *r, json_t *m, const json_t *note, bool posted)
{
    enum note_form form = note_form_parse(json_string_value(json_object_get(note, "form")));
    const json_t *patient = json_object_get(note, "patient"), *p;
    json_t *objs = NULL, *chosen, *parts = json_array(), *f = json_object_get(m, "form");
    size_t i;
    enum err e;

    e = store_note_objectives(r->store, json_string_value(json_object_get(patient, "id")),
                              json_string_value(json_object_get(note, "date")), &objs);
    if (e != E_OK) {
        json_decref(parts);
        return E_DB;
    }
    if (posted) {
        chosen = notes_progress_posted(r, objs, "");
    } else {
        chosen = json_object();
        json_array_foreach(json_object_get(note, "progress"), i, p)
            json_object_set_new(chosen, json_string_value(json_object_get(p, "objective_id")),
                                json_pack("{s:O, s:O}", "progress", json_object_get(p, "progress"),
                                          "comment", json_object_get(p, "comment")));
    }
    for (int k = 0; k < note_form_parts(form); k++) {
        const char *fld = note_part_field(k);
        json_array_append_new(
            parts, json_pack("{s:s, s:s, s:o, s:o}", "field", fld, "label",
                             note_part_label(form, k), "value",
                             notes_or_null(posted ? json_object_get(f, fld)
                                                  : json_object_get(note, fld)),
                             "err", notes_or_null(json_object_get(json_object_get(m, "err"),
                                                                  fld))));
    }
    json_object_set_new(m, "edit_parts", parts);
    json_object_set_new(m, "objectives_view", notes_objectives_view(r, m, objs, chosen, ""));
    json_object_set_new(m, "has_plan", json_boolean(json_array_size(objs) > 0));
    json_decref(chosen);
    json_decref(objs);
    return E_OK;
}

/* The page's model for note id (the request's, in *m): E_NOTFOUND, E_DB. posted: an edit form
 * is shown with the posted values. */
static enum err note_model(struct req *r, const char *id, json_t **m, bool posted)
{
    const char *q = req_query(r, "done");
    json_t *n = NULL, *sec;
    const json_t *who;
    char title[240];
    size_t i;
    enum err e = store_note_get(r->store, id, &n);

    *m = NULL;
    if (e != E_OK)
        return e == E_NOTFOUND ? e : E_DB;
    notes_view(r, n);
    who = json_object_get(n, "patient");
    if (json_is_object(who))
        snprintf(title, sizeof(title), "%s: %s %s",
                 json_string_value(json_object_get(n, "kind_label")),
                 json_string_value(json_object_get(who, "first_name")),
                 json_string_value(json_object_get(who, "last_name")));
    else
        snprintf(title, sizeof(title), "Group note: %.160s",
                 json_string_value(json_object_get(json_object_get(n, "session"), "title")));
    *m = req_model(r, notes_page_model(r, title));
    if (!json_object_get(*m, "form"))
        json_object_set_new(*m, "form", json_object());
    json_object_set_new(*m, "note", n);
    json_array_foreach(json_object_get(n, "sections"), i, sec)
        json_object_set_new(sec, "unsigned", json_boolean(json_is_true(json_object_get(n,
                                                                                   "signed")) &&
                                                          json_is_null(json_object_get(sec,
                                                                                 "signed_at"))));
    json_object_set_new(*m, "addendum_targets", addendum_targets(n));
    addenda_names(n);
    json_object_set_new(*m, "can_cosign",
                        json_boolean(json_is_true(json_object_get(n, "awaiting_cosign")) &&
                                     !strcmp(json_string_value(json_object_get(
                                                 json_object_get(n, "cosigner"), "id"))
                                                 ? json_string_value(json_object_get(
                                                       json_object_get(n, "cosigner"), "id"))
                                                 : "",
                                             r->user->public_id)));
    json_object_set_new(*m, "done", json_string(q ? q : ""));
    json_object_set_new(*m, "done_signed", json_boolean(q && !strcmp(q, "signed")));
    json_object_set_new(*m, "done_saved", json_boolean(q && !strcmp(q, "saved")));
    json_object_set_new(*m, "done_addendum", json_boolean(q && !strcmp(q, "addendum")));
    json_object_set_new(*m, "done_cosigned", json_boolean(q && !strcmp(q, "cosigned")));
    if (json_is_object(who) && json_is_true(json_object_get(n, "draft")))
        e = edit_form(r, *m, n, posted);
    return e;
}

enum err notes_note_page(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *m;
    enum err e = note_model(r, id, &m, false);

    if (e != E_OK) {
        r->model = NULL;
        audit_record(r, "view", "note", id, audit_outcome(e));
        return e;
    }
    if (audit_record(r, "view", "note", id, "ok") < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}

/* The page again with a problem at field (422), audited as action refused. */
static enum err again(struct req *r, const char *id, const char *action, const char *fld,
                      const char *message, bool posted)
{
    json_t *m;
    struct form f;

    if (note_model(r, id, &m, posted) != E_OK) {
        r->model = NULL;
        return E_DB;
    }
    form_init(&f, r, m);
    form_problem(&f, fld, message);
    audit_record(r, action, "note", id, "invalid");
    return E_INVALID;
}

/* The password of a signing form: E_OK, the page again (E_INVALID), or E_DB. */
static enum err password(struct req *r, const char *id, const char *action, const char *fld,
                         const char *what)
{
    const char *pw = req_form(r, "password");
    enum err e;

    if (!pw || !*pw)
        return again(r, id, action, fld, "Give your password to sign.", false);
    e = notes_password(r, pw, what, false);
    if (e == E_INVALID)
        return again(r, id, action, fld, "That password is not right.", false);
    return e;
}

/* After a change: back to the note, saying what was done. */
static enum err done(struct req *r, const char *id, const char *what)
{
    char url[160];

    snprintf(url, sizeof(url), "/staff/notes/%s?done=%s", id, what);
    r->model = NULL;
    resp_redirect(r, 303, url);
    return E_OK;
}

enum err notes_sign_post(struct req *r)
{
    const char *id = req_param(r, "id");
    struct program_why why = {{0}, {0}};
    enum err e;

    if ((e = password(r, id, "sign", "sign_password", "sign-note")) != E_OK)
        return e;
    e = store_note_sign(r->store, id, auth_user_id(r), audit_entry(r, "sign", "note", id), &why);
    if (e == E_INVALID && why.field[0])
        return again(r, id, "sign", "sign_password", why.message, false);
    return e != E_OK ? notes_refused(r, e, &why, "sign", id) : done(r, id, "signed");
}

enum err notes_section_sign_post(struct req *r)
{
    const char *id = req_param(r, "id"), *pid = req_param(r, "patient_id");
    struct program_why why = {{0}, {0}};
    char fld[96];
    enum err e;

    snprintf(fld, sizeof(fld), "section_password_%s", pid);
    if ((e = password(r, id, "sign", fld, "sign-note")) != E_OK)
        return e;
    e = store_note_section_sign(r->store, id, pid, auth_user_id(r),
                                audit_entry(r, "sign", "note", id), &why);
    return e != E_OK ? notes_refused(r, e, &why, "sign", id) : done(r, id, "signed");
}

enum err notes_addendum_post(struct req *r)
{
    const char *id = req_param(r, "id"), *text, *pid = req_form(r, "patient_id");
    struct program_why why = {{0}, {0}};
    struct form f;
    json_t *m;
    enum err e;

    if ((e = note_model(r, id, &m, false)) != E_OK) {
        r->model = NULL;
        audit_record(r, "addendum", "note", id, audit_outcome(e));
        return e;
    }
    form_init(&f, r, m);
    text = form_text(&f, "text", NOTE_ADDENDUM_MAX, true, true, "Write the addendum.");
    if (!req_form(r, "password") || !*req_form(r, "password"))
        form_problem(&f, "addendum_password", "Give your password to sign.");
    else if (!f.problems && (e = notes_password(r, req_form(r, "password"), "addendum",
                                                false)) != E_OK) {
        if (e != E_INVALID)
            return E_DB;
        form_problem(&f, "addendum_password", "That password is not right.");
    }
    if (f.problems) {
        audit_record(r, "addendum", "note", id, "invalid");
        return E_INVALID;
    }
    e = store_note_addendum_add(r->store, id, pid && *pid ? pid : NULL, auth_user_id(r), text,
                                audit_entry(r, "addendum", "note", id), NULL, &why);
    return e != E_OK ? notes_refused(r, e, &why, "addendum", id) : done(r, id, "addendum");
}

enum err notes_cosign_post(struct req *r)
{
    const char *id = req_param(r, "id");
    struct program_why why = {{0}, {0}};
    enum err e;

    if ((e = password(r, id, "cosign", "cosign_password", "cosign-note")) != E_OK)
        return e;
    e = store_note_cosign(r->store, id, auth_user_id(r), audit_entry(r, "cosign", "note", id),
                          &why);
    return e != E_OK ? notes_refused(r, e, &why, "cosign", id) : done(r, id, "cosigned");
}

enum err notes_note_post(struct req *r)
{
    const char *id = req_param(r, "id"), *action = req_form(r, "action");
    bool signing = action && !strcmp(action, "sign");
    struct note_individual_in n = {0};
    struct program_why why = {{0}, {0}};
    const json_t *note;
    json_t *m, *objs = NULL;
    struct form f;
    enum err e;

    if ((e = note_model(r, id, &m, false)) != E_OK) {
        r->model = NULL;
        audit_record(r, "update", "note", id, audit_outcome(e));
        return e;
    }
    note = json_object_get(m, "note");
    if (!json_is_object(json_object_get(note, "patient")) ||
        !json_is_true(json_object_get(note, "draft"))) {
        r->model = NULL;
        r->message = "Only an individual, family or medication note's draft is edited here; a "
                     "signed note is corrected with an addendum.";
        audit_record(r, "update", "note", id, "invalid");
        return E_CONFLICT;
    }
    form_init(&f, r, m);
    if (store_note_objectives(r->store, json_string_value(json_object_get(
                                            json_object_get(note, "patient"), "id")),
                              json_string_value(json_object_get(note, "date")), &objs) != E_OK)
        return E_DB;
    req_model(r, objs);
    r->model = m;
    notes_individual_read(&f, json_string_value(json_object_get(note, "form")), objs, signing,
                          &n);
    if (!f.problems && signing)
        e = notes_signing_password(r, &f, "edit_password");
    if (e != E_OK)
        return e;
    if (f.problems) {
        edit_form(r, m, note, true);
        audit_record(r, "update", "note", id, "invalid");
        return E_INVALID;
    }
    e = store_note_individual_update(r->store, id, &n, audit_entry(r, "update", "note", id),
                                     &why);
    if (e == E_OK && signing)
        e = store_note_sign(r->store, id, auth_user_id(r), audit_entry(r, "sign", "note", id),
                            &why);
    if (e != E_OK)
        return notes_refused(r, e, &why, signing ? "sign" : "update", id);
    return done(r, id, signing ? "signed" : "saved");
}
