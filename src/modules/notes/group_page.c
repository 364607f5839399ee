/* group_page: the group note of a session, one form and one submit for the whole note: the
 * shared part once (the topic pre-filled from the session's title, the curriculum), then a
 * section per attendee from the attendance record, pre-filled from that member's previous
 * section (participation, the objectives worked on, followed into their current plan) so that
 * a 12-member note is minutes of work. A member's section counts as written once its response
 * has text; sections left empty are not saved. "Save and sign" asks for the password and signs
 * the note with every written section (after the note is signed, the new sections alone). A
 * member without a current plan gets no section: the page says so (documentation missing). */
#include "modules/notes/notes.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "http/resp.h"
#include "modules/admissions/common.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/view.h"

static const char *const risks[] = { "none", "concern", NULL };

/* The form's field for one attendee's part: "p-<patient>-<what>" (arena). */
static const char *field(struct req *r, const char *pid, const char *what)
{
    char f[160];

    snprintf(f, sizeof(f), "p-%s-%s", pid, what);
    return arena_strdup(r->arena, f);
}

/* What an attendee's section shows before anything is posted: the saved section, else the
 * previous section's participation and objectives. {participation, response, risk,
 * risk_detail, urgent, progress: {objective: {progress, comment}}} (new reference). */
static json_t *values_saved(const json_t *a)
{
    const json_t *sec = json_object_get(a, "section"), *p;
    json_t *v = json_pack("{s:s, s:s, s:s, s:b, s:o}", "response", "", "risk", "none",
                          "risk_detail", "", "urgent", 0, "progress", json_object());
    const json_t *src = json_is_object(sec) ? sec : json_object_get(a, "prefill");
    size_t i;

    json_object_set(v, "participation", json_object_get(src, "participation"));
    if (json_is_object(sec)) {
        json_object_set(v, "response", json_object_get(sec, "response"));
        json_object_set(v, "risk", json_object_get(sec, "risk"));
        json_object_set(v, "risk_detail", json_object_get(sec, "risk_detail"));
    }
    /* A saved section shows its progress; a previous one only which objectives were worked on:
     * progress is judged afresh each session (a copied-forward value is not documentation). */
    json_array_foreach(json_object_get(src, "progress"), i, p) json_object_set_new(
        json_object_get(v, "progress"), json_string_value(json_object_get(p, "objective_id")),
        json_is_object(sec) ? json_pack("{s:O, s:O*}", "progress", json_object_get(p, "progress"),
                                        "comment", json_object_get(p, "comment"))
                            : json_object());
    return v;
}

/* The posted value of an attendee's field, or dflt. */
static const char *posted(struct req *r, const char *pid, const char *what, const char *dflt)
{
    const char *v = req_form(r, field(r, pid, what));

    return v ? v : dflt;
}

/* The same as posted (the form's values, as typed). */
static json_t *values_posted(struct req *r, const json_t *a)
{
    const char *pid = json_string_value(json_object_get(a, "patient_id"));
    json_t *v;

    v = json_pack("{s:s, s:s, s:s, s:s, s:b}", "participation", posted(r, pid, "participation", ""),
                  "response", posted(r, pid, "response", ""), "risk",
                  posted(r, pid, "risk", "none"), "risk_detail", posted(r, pid, "risk_detail", ""),
                  "urgent", posted(r, pid, "urgent", NULL) != NULL);
    if (!v)
        v = json_object();
    json_object_set_new(
        v, "progress",
        notes_progress_posted(r, json_object_get(a, "objectives"), field(r, pid, "")));
    return v;
}

/* The problem of field f (form "err"), or NULL. */
static json_t *problem_of(const json_t *m, const char *f)
{
    json_t *e = json_object_get(json_object_get(m, "err"), f);

    return e ? json_incref(e) : json_null();
}

/* Fills attendee a's view from its values v and the form's problems in m. */
static void attendee_view(struct req *r, const json_t *m, json_t *a, json_t *v)
{
    const char *pid = json_string_value(json_object_get(a, "patient_id"));
    const char *part = json_string_value(json_object_get(v, "participation"));
    const char *risk = json_string_value(json_object_get(v, "risk"));
    const json_t *sec = json_object_get(a, "section"), *c;
    json_t *opts = json_array();
    size_t i;

    json_array_foreach(json_object_get(json_object_get(m, "choices"), "participation"), i, c)
        json_array_append_new(
            opts, json_pack("{s:O, s:O, s:s, s:b}", "value", json_object_get(c, "value"), "label",
                            json_object_get(c, "label"), "pid", pid, "checked",
                            part && !strcmp(part, json_string_value(json_object_get(c, "value")))));
    json_object_set_new(a, "participation_options", opts);
    json_object_set(a, "response", json_object_get(v, "response"));
    json_object_set(a, "risk_detail", json_object_get(v, "risk_detail"));
    json_object_set_new(a, "risk_concern", json_boolean(risk && !strcmp(risk, "concern")));
    json_object_set(a, "urgent", json_object_get(v, "urgent"));
    json_object_set_new(a, "objectives_view",
                        notes_objectives_view(r, m, json_object_get(a, "objectives"),
                                              json_object_get(v, "progress"), field(r, pid, "")));
    json_object_set_new(
        a, "locked",
        json_boolean(json_is_object(sec) && !json_is_null(json_object_get(sec, "signed_at"))));
    json_object_set_new(
        a, "attended_label",
        json_string(!strcmp(json_string_value(json_object_get(a, "status")), "late") ? "late"
                    : !strcmp(json_string_value(json_object_get(a, "status")), "left-early")
                        ? "left early"
                        : "present"));
    json_object_set_new(a, "err_participation", problem_of(m, field(r, pid, "participation")));
    json_object_set_new(a, "err_response", problem_of(m, field(r, pid, "response")));
    json_object_set_new(a, "err_risk_detail", problem_of(m, field(r, pid, "risk_detail")));
    json_object_set_new(a, "err_objectives", problem_of(m, field(r, pid, "objectives")));
    json_decref(v);
}

/* The page's model from the store's data (owned by the request); posted: show the form's
 * values rather than the saved ones. */
static void page_fill(struct req *r, json_t *m, json_t *data, bool posted_values)
{
    json_t *note = json_object_get(data, "note"), *a;
    size_t i;

    json_object_set(m, "session", json_object_get(data, "session"));
    json_object_set(m, "attendance_taken", json_object_get(data, "attendance_taken"));
    if (json_is_object(note))
        notes_view(r, note);
    json_object_set(m, "note", note);
    json_object_set_new(
        m, "shared_locked",
        json_boolean(json_is_object(note) && json_is_true(json_object_get(note, "signed"))));
    if (!posted_values) {
        json_t *form = json_object_get(m, "form");
        if (!form)
            json_object_set_new(m, "form", form = json_object());
        json_object_set(form, "a",
                        json_is_object(note)
                            ? json_object_get(note, "a")
                            : json_object_get(json_object_get(data, "session"), "title"));
        json_object_set(form, "b", json_object_get(note, "b"));
        json_object_set(form, "c", json_object_get(note, "c"));
    }
    json_array_foreach(json_object_get(data, "attendees"), i, a)
        attendee_view(r, m, a, posted_values ? values_posted(r, a) : values_saved(a));
    json_object_set(m, "attendees", json_object_get(data, "attendees"));
    json_object_set_new(
        m, "n_attendees",
        json_integer((json_int_t)json_array_size(json_object_get(data, "attendees"))));
}

/* The store's data for session sid: E_NOTFOUND, E_CONFLICT (not a group: r->message), E_DB. */
static enum err load(struct req *r, const char *sid, json_t **data)
{
    enum err e = store_note_group_form(r->store, sid, data);

    if (e != E_OK)
        return e == E_NOTFOUND ? e : E_DB;
    req_model(r, *data);
    r->model = NULL;
    if (!json_is_true(json_object_get(*data, "group"))) {
        r->message = "This is not a group or workshop session: write its notes from each "
                     "patient's chart (Notes).";
        return E_CONFLICT;
    }
    return E_OK;
}

enum err notes_group_page(struct req *r)
{
    const char *sid = req_param(r, "id"), *saved = req_query(r, "saved");
    json_t *data, *m;
    char title[160];
    enum err e;

    if ((e = load(r, sid, &data)) != E_OK) {
        audit_record(r, "view", "session", sid, audit_outcome(e));
        return e;
    }
    snprintf(title, sizeof(title), "Group note: %.100s",
             json_string_value(json_object_get(json_object_get(data, "session"), "title")));
    m = req_model(r, notes_page_model(r, title));
    page_fill(r, m, data, false);
    json_object_set_new(m, "saved", json_boolean(saved && !strcmp(saved, "1")));
    /* The page names the attendees and shows the note's text: a read of the session's note. */
    if (json_is_object(json_object_get(data, "note")))
        e = audit_record(r, "view", "note",
                         json_string_value(json_object_get(json_object_get(data, "note"), "id")),
                         "ok") < 0
                ? E_DB
                : E_OK;
    else
        e = audit_record(r, "view", "session", sid, "ok") < 0 ? E_DB : E_OK;
    if (e != E_OK) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
    }
    return e;
}

/* Reads attendee a's posted section into sec: false when it is not written (no response, or
 * it cannot be: signed already, or no current plan). */
static bool section_read(struct form *f, const json_t *a, struct note_section_in *sec)
{
    const char *pid = json_string_value(json_object_get(a, "patient_id"));
    const json_t *saved = json_object_get(a, "section");

    memset(sec, 0, sizeof(*sec));
    if (!json_is_true(json_object_get(a, "has_plan")) ||
        (json_is_object(saved) && !json_is_null(json_object_get(saved, "signed_at"))))
        return false;
    sec->response =
        form_text(f, field(f->r, pid, "response"), NOTE_RESPONSE_MAX, false, true, NULL);
    if (!sec->response)
        return false;
    sec->patient_id = pid;
    sec->participation = form_choice(f, field(f->r, pid, "participation"),
                                     admissions_codes(f->r, note_participation_at), true,
                                     "Choose how they took part.");
    sec->risk = form_choice(f, field(f->r, pid, "risk"), risks, true,
                            "Choose the risk observed: none or a concern.");
    sec->risk_detail =
        form_text(f, field(f->r, pid, "risk_detail"), NOTE_RISK_MAX,
                  sec->risk && !strcmp(sec->risk, "concern"), true, "Say what the concern is.");
    sec->urgent = form_checked(f, field(f->r, pid, "urgent"));
    sec->progress = notes_progress_read(f, json_object_get(a, "objectives"), field(f->r, pid, ""),
                                        &sec->n_progress);
    if (!sec->n_progress)
        form_problem(f, field(f->r, pid, "objectives"),
                     "Tick at least one objective of their plan and say how they progressed.");
    return true;
}

/* Signs what the submit asked: the note with its sections, or (the note signed already) the
 * sections written now, each on its own. */
static enum err sign_written(struct req *r, const char *id, bool note_signed,
                             const struct note_section_in *secs, size_t n, struct program_why *why)
{
    enum err e = E_OK;

    if (!note_signed)
        return store_note_sign(r->store, id, auth_user_id(r), audit_entry(r, "sign", "note", id),
                               why);
    for (size_t i = 0; i < n && e == E_OK; i++)
        e = store_note_section_sign(r->store, id, secs[i].patient_id, auth_user_id(r),
                                    audit_entry(r, "sign", "note", id), why);
    return e;
}

/* The shared part as posted (required when signing a draft); NULL when locked. */
static void shared_read(struct form *f, bool locked, bool signing, struct note_group_in *g)
{
    const char *v[3];
    static const char *const missing[3] = { "Write the topic before signing.",
                                            "Write the interventions used before signing.",
                                            "Write the summary before signing." };

    if (locked)
        return;
    for (int i = 0; i < 3; i++) {
        v[i] = form_text(f, note_part_field(i), NOTE_PART_MAX, signing, true, missing[i]);
        if (!v[i])
            v[i] = ""; /* an emptied part is cleared */
    }
    g->a = v[0];
    g->b = v[1];
    g->c = v[2];
}

enum err notes_group_post(struct req *r)
{
    const char *sid = req_param(r, "id"), *pw = req_form(r, "password");
    const char *action = req_form(r, "action");
    bool signing = action && !strcmp(action, "sign"), locked, created;
    struct program_why why = { { 0 }, { 0 } };
    struct note_section_in *secs;
    struct note_group_in g = { 0 };
    const json_t *a;
    json_t *data, *m;
    struct form f;
    char id[33], url[160];
    size_t i;
    enum err e;

    if ((e = load(r, sid, &data)) != E_OK) {
        audit_record(r, "update", "session", sid, audit_outcome(e));
        return e;
    }
    m = req_model(r, notes_page_model(r, "Group note"));
    form_init(&f, r, m);
    locked = json_is_object(json_object_get(data, "note")) &&
             !json_is_null(json_object_get(json_object_get(data, "note"), "signed_at"));
    shared_read(&f, locked, signing, &g);
    secs = arena_alloc(r->arena,
                       (json_array_size(json_object_get(data, "attendees")) + 1) * sizeof(*secs));
    json_array_foreach(json_object_get(data, "attendees"), i,
                       a) if (section_read(&f, a, &secs[g.n_sections])) g.n_sections++;
    g.sections = secs;
    if (signing && (!pw || !*pw))
        form_problem(&f, "password", "Give your password to sign.");
    if (!f.problems && signing && (e = notes_password(r, pw, "sign-note", false)) != E_OK) {
        if (e != E_INVALID)
            return E_DB;
        form_problem(&f, "password", "That password is not right.");
    }
    if (f.problems) {
        page_fill(r, m, data, true);
        audit_record(r, "update", "session", sid, "invalid");
        return E_INVALID;
    }
    if ((e = store_note_group_save(r->store, sid, auth_user_id(r), &g,
                                   audit_entry(r, "update", "note", NULL), id, &created, &why)) !=
            E_OK ||
        (signing && (e = sign_written(r, id, locked, secs, g.n_sections, &why)) != E_OK))
        return notes_refused(r, e, &why, signing ? "sign" : "update", sid);
    r->model = NULL;
    if (signing)
        snprintf(url, sizeof(url), "/staff/notes/%s?signed=1", id);
    else
        snprintf(url, sizeof(url), "/staff/sessions/%s/note?saved=1", sid);
    resp_redirect(r, 303, url);
    return E_OK;
}
