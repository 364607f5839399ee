/* chart: a patient's notes in their record, and writing an individual, family or medication
 * note from there. A group note appears only as its shared part and this patient's own
 * section (store_notes_of_patient, store_note_for_patient): no other member's name or section
 * ever reaches a patient's record. The new note's form is DAP or BIRP (chosen by a link, no
 * JavaScript), tied to one of the patient's recent one-off sessions of that kind or to a date,
 * with progress on the objectives of the patient's current plan; "Save and sign" asks for the
 * password. */
#include "modules/notes/notes.h"

#include <stdio.h>
#include <string.h>

#include "http/resp.h"
#include "store/admissions.h"
#include "store/program.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/view.h"

/* Notes a chart lists before "show the older ones". */
#define NOTES_LISTED 60

#define CHART_SESSION_DAYS 30 /* how far back the form offers the patient's sessions */

static const char *const kinds[] = {"individual", "family", "medication", NULL};
static const char *const kind_labels[] = {"Individual", "Family", "Medication"};
static const char *const forms[] = {"dap", "birp", NULL};

/* The patient's one-off sessions that an individual note may be tied to: [{id, label}]. */
static json_t *sessions_of(struct req *r, const char *pid, const char *chosen)
{
    caldate today = notes_today();
    json_t *all = NULL, *out = json_array();
    const json_t *s;
    size_t i;

    if (store_program_patient_oneoffs(r->store, today - CHART_SESSION_DAYS, today, pid, &all) !=
        E_OK)
        return out;
    json_array_foreach(all, i, s) {
        const char *kind = json_string_value(json_object_get(s, "kind"));
        char label[600];
        if (!note_kind_individual(kind) ||
            !strcmp(json_string_value(json_object_get(s, "status")), "cancelled"))
            continue;
        snprintf(label, sizeof(label), "%s %s, %s (%s)",
                 json_string_value(json_object_get(s, "date")),
                 json_string_value(json_object_get(s, "start")),
                 json_string_value(json_object_get(s, "title")), kind);
        json_array_append_new(out, json_pack("{s:O, s:s, s:b}", "id", json_object_get(s, "id"),
                                             "label", label, "selected",
                                             chosen && !strcmp(chosen, json_string_value(
                                                                 json_object_get(s, "id")))));
    }
    json_decref(all);
    return out;
}

/* The new note's form: kind, form (DAP or BIRP), session, date, parts, objectives. */
static enum err new_note_form(struct req *r, json_t *m, const char *pid, bool posted)
{
    const char *form = posted ? req_form(r, "form") : req_query(r, "form");
    const char *kind = posted ? req_form(r, "kind") : NULL;
    enum note_form nf;
    json_t *objs = NULL, *parts = json_array(), *v = json_object_get(m, "form"), *opts, *chosen;
    char today[CALDATE_TEXT];

    if (note_form_parse(form) != NOTE_FORM_BIRP)
        form = "dap";
    nf = note_form_parse(form);
    caldate_format(notes_today(), today);
    if (store_note_objectives(r->store, pid, today, &objs) != E_OK) {
        json_decref(parts);
        return E_DB;
    }
    for (int k = 0; k < note_form_parts(nf); k++)
        json_array_append_new(
            parts, json_pack("{s:s, s:s, s:o, s:o}", "field", note_part_field(k), "label",
                             note_part_label(nf, k), "value",
                             notes_or_null(json_object_get(v, note_part_field(k))), "err",
                             notes_or_null(json_object_get(json_object_get(m, "err"),
                                                           note_part_field(k)))));
    opts = json_array();
    for (size_t i = 0; kinds[i]; i++)
        json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", kinds[i], "label",
                                              kind_labels[i], "selected",
                                              kind && !strcmp(kind, kinds[i])));
    json_object_set_new(m, "new_form", json_string(form));
    json_object_set_new(m, "new_birp", json_boolean(nf == NOTE_FORM_BIRP));
    json_object_set_new(m, "new_parts", parts);
    json_object_set_new(m, "kind_options", opts);
    json_object_set_new(m, "session_options",
                        sessions_of(r, pid, posted ? req_form(r, "session_id") : NULL));
    json_object_set_new(m, "today", json_string(today));
    json_object_set_new(m, "has_plan", json_boolean(json_array_size(objs) > 0));
    chosen = posted ? notes_progress_posted(r, objs, "") : json_object();
    json_object_set_new(m, "objectives_view", notes_objectives_view(r, m, objs, chosen, ""));
    json_decref(chosen);
    json_decref(objs);
    return E_OK;
}

/* The chart's notes page model for patient pid (the request's, in *m). */
static enum err chart_model(struct req *r, const char *pid, json_t **m, json_t **notes)
{
    json_t *p = NULL, *n;
    char title[240];
    bool all = req_query(r, "all") != NULL;
    size_t i, total = 0;
    enum err e;

    *m = NULL;
    if ((e = store_adm_patient_get(r->store, pid, false, &p)) != E_OK)
        return e == E_NOTFOUND ? e : E_DB;
    snprintf(title, sizeof(title), "Notes: %s %s",
             json_string_value(json_object_get(p, "first_name")),
             json_string_value(json_object_get(p, "last_name")));
    *m = req_model(r, notes_page_model(r, title));
    json_object_set_new(*m, "patient",
                        json_pack("{s:O, s:O, s:O}", "public_id", json_object_get(p, "public_id"),
                                  "first_name", json_object_get(p, "first_name"), "last_name",
                                  json_object_get(p, "last_name")));
    /* Inside the list a note's own "patient" would shadow the page's: these names do not. */
    json_object_set(*m, "pid", json_object_get(p, "public_id"));
    json_object_set(*m, "pfirst", json_object_get(p, "first_name"));
    json_decref(p);
    /* The newest first; years of notes are one link away, not on every view (each note listed
     * is an audited read). */
    if ((e = store_notes_of_patient(r->store, pid, all ? 0 : NOTES_LISTED, notes, &total)) !=
        E_OK)
        return E_DB;
    if (total > json_array_size(*notes))
        json_object_set_new(*m, "older",
                            json_integer((json_int_t)(total - json_array_size(*notes))));
    json_array_foreach(*notes, i, n)
        notes_view(r, n);
    json_object_set(*m, "notes", *notes);
    json_decref(*notes);
    return E_OK;
}

enum err notes_chart_page(struct req *r)
{
    const char *pid = req_param(r, "id");
    json_t *m, *notes = NULL;
    enum err e = chart_model(r, pid, &m, &notes);

    if (e == E_OK)
        e = new_note_form(r, m, pid, false);
    if (e == E_OK && notes_audit_read(r, notes) < 0) {
        r->message = AUDIT_UNRECORDED;
        e = E_DB;
    }
    if (e != E_OK) {
        r->model = NULL;
        audit_record(r, "list", "note", NULL, audit_outcome(e));
    }
    return e;
}

enum err notes_chart_post(struct req *r)
{
    const char *pid = req_param(r, "id"), *action = req_form(r, "action");
    bool signing = action && !strcmp(action, "sign");
    struct note_individual_in n = {0};
    struct program_why why = {{0}, {0}};
    json_t *m, *notes = NULL, *objs = NULL;
    const char *date;
    char id[33], url[160], today[CALDATE_TEXT];
    struct form f;
    enum err e;

    if ((e = chart_model(r, pid, &m, &notes)) != E_OK) {
        r->model = NULL;
        audit_record(r, "create", "note", NULL, audit_outcome(e));
        return e;
    }
    form_init(&f, r, m);
    n.kind = form_choice(&f, "kind", kinds, true, "Choose the kind of note.");
    form_choice(&f, "form", forms, true, "Choose DAP or BIRP.");
    n.session_id = form_text(&f, "session_id", 64, false, false, NULL);
    date = form_date(&f, "date", !n.session_id, "Give the date of the service.");
    caldate_format(notes_today(), today);
    if (date && strcmp(date, today) > 0)
        form_problem(&f, "date", "A note is written for a day that has come.");
    if (date)
        caldate_parse(date, &n.date);
    if (store_note_objectives(r->store, pid, today, &objs) != E_OK)
        return E_DB;
    req_model(r, objs);
    r->model = m;
    notes_individual_read(&f, note_form_parse(req_form(r, "form")) == NOTE_FORM_BIRP ? "birp"
                                                                                      : "dap",
                          objs, signing, &n);
    if (!f.problems && signing && (e = notes_signing_password(r, &f, "new_password")) != E_OK)
        return e;
    if (f.problems) {
        new_note_form(r, m, pid, true);
        audit_record(r, "create", "note", NULL, "invalid");
        return E_INVALID;
    }
    e = store_note_individual_add(r->store, pid, auth_user_id(r), &n,
                                  audit_entry(r, "create", "note", NULL), id, &why);
    if (e == E_OK && signing)
        e = store_note_sign(r->store, id, auth_user_id(r), audit_entry(r, "sign", "note", id),
                            &why);
    if (e != E_OK)
        return notes_refused(r, e, &why, signing ? "sign" : "create", NULL);
    r->model = NULL;
    snprintf(url, sizeof(url), "/staff/notes/%s?done=%s", id, signing ? "signed" : "saved");
    resp_redirect(r, 303, url);
    return E_OK;
}

enum err notes_chart_note(struct req *r)
{
    const char *pid = req_param(r, "patient_id"), *id = req_param(r, "id");
    json_t *n = NULL, *m, *p = NULL;
    char title[240];
    enum err e = store_note_for_patient(r->store, id, pid, &n);

    if (e != E_OK) {
        audit_record(r, "view", "note", id, audit_outcome(e));
        return e == E_NOTFOUND ? e : E_DB;
    }
    if (store_adm_patient_get(r->store, pid, false, &p) != E_OK) {
        json_decref(n);
        return E_DB;
    }
    notes_view(r, n);
    snprintf(title, sizeof(title), "%s %s: %s of %s",
             json_string_value(json_object_get(p, "first_name")),
             json_string_value(json_object_get(p, "last_name")),
             json_string_value(json_object_get(n, "kind_label")),
             json_string_value(json_object_get(n, "date")));
    m = req_model(r, notes_page_model(r, title));
    json_object_set_new(m, "note", n);
    json_object_set_new(m, "patient_id", json_string(pid));
    json_object_set(m, "pfirst", json_object_get(p, "first_name"));
    json_decref(p);
    if (audit_record(r, "view", "note", id, "ok") < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}
