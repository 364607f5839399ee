/* objectives: the parts of a note's form that pages share: the objectives of a patient's
 * current plan (the golden thread: progress is only ever recorded on one of them), each a
 * checkbox, a progress choice and an optional comment, shown with what was chosen before and
 * read back when posted; an individual note's parts; the password of a signature. */
#include "modules/notes/notes.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "modules/admissions/common.h"
#include "web/form.h"

#define OBJECTIVES_MISSING                                                                         \
    "Tick at least one objective of the patient's current plan and say how they progressed."

/* prefix + what + id as a field name (arena). */
static const char *name(struct req *r, const char *prefix, const char *what, const char *id)
{
    char f[192];

    snprintf(f, sizeof(f), "%s%s-%s", prefix, what, id);
    return arena_strdup(r->arena, f);
}

static const char *text_or_empty(const json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : "";
}

/* The progress choices with the one chosen selected. */
static json_t *options(const json_t *m, const char *chosen)
{
    json_t *out = json_array();
    const json_t *c;
    size_t i;

    json_array_foreach(json_object_get(json_object_get(m, "choices"), "progress"), i, c)
    {
        const char *v = json_string_value(json_object_get(c, "value"));
        json_array_append_new(out, json_pack("{s:s, s:O, s:b}", "value", v, "label",
                                             json_object_get(c, "label"), "selected",
                                             chosen && !strcmp(chosen, v)));
    }
    return out;
}

json_t *notes_objectives_view(struct req *r, const json_t *m, const json_t *objectives,
                              const json_t *chosen, const char *prefix)
{
    json_t *out = json_array(), *err = json_object_get(m, "err");
    const json_t *o, *pv, *problem;
    size_t i;

    json_array_foreach(objectives, i, o)
    {
        const char *oid = json_string_value(json_object_get(o, "id"));
        pv = json_object_get(chosen, oid);
        problem = json_object_get(err, name(r, prefix, "prog", oid));
        json_array_append_new(
            out,
            json_pack("{s:O, s:O, s:O, s:s, s:b, s:o, s:s, s:o}", "id", json_object_get(o, "id"),
                      "text", json_object_get(o, "text"), "target_date",
                      json_object_get(o, "target_date"), "name", prefix, "checked", pv != NULL,
                      "options", options(m, json_string_value(json_object_get(pv, "progress"))),
                      "comment", text_or_empty(json_object_get(pv, "comment")), "err",
                      /* always set: a missing key would find the page's own "err" */
                      notes_or_null(problem)));
    }
    return out;
}

json_t *notes_progress_posted(struct req *r, const json_t *objectives, const char *prefix)
{
    json_t *out = json_object();
    const json_t *o;
    size_t i;

    json_array_foreach(objectives, i, o)
    {
        const char *oid = json_string_value(json_object_get(o, "id"));
        const char *p = req_form(r, name(r, prefix, "prog", oid));
        const char *c = req_form(r, name(r, prefix, "comment", oid));
        if (req_form(r, name(r, prefix, "obj", oid)))
            json_object_set_new(
                out, oid, json_pack("{s:s, s:s}", "progress", p ? p : "", "comment", c ? c : ""));
    }
    return out;
}

struct note_progress_in *notes_progress_read(struct form *f, const json_t *objectives,
                                             const char *prefix, size_t *n)
{
    const char *const *levels = admissions_codes(f->r, note_progress_at);
    struct note_progress_in *p;
    const json_t *o;
    size_t i;

    p = arena_alloc(f->r->arena, (json_array_size(objectives) + 1) * sizeof(*p));
    *n = 0;
    json_array_foreach(objectives, i, o)
    {
        const char *oid = json_string_value(json_object_get(o, "id"));
        if (!form_checked(f, name(f->r, prefix, "obj", oid)))
            continue;
        p[*n].objective_id = oid;
        p[*n].progress = form_choice(f, name(f->r, prefix, "prog", oid), levels, true,
                                     "Choose the progress on this objective.");
        p[*n].comment =
            form_text(f, name(f->r, prefix, "comment", oid), NOTE_COMMENT_MAX, false, true, NULL);
        (*n)++;
    }
    return p;
}

void notes_individual_read(struct form *f, const char *form, const json_t *objectives, bool signing,
                           struct note_individual_in *n)
{
    enum note_form nf = note_form_parse(form);
    char missing[80];

    for (int i = 0; i < note_form_parts(nf); i++) {
        snprintf(missing, sizeof(missing), "Write the %s before signing.", note_part_label(nf, i));
        n->parts[i] = form_text(f, note_part_field(i), NOTE_PART_MAX, signing, true, missing);
    }
    n->form = form;
    n->progress = notes_progress_read(f, objectives, "", &n->n_progress);
    if (!n->n_progress)
        form_problem(f, "objectives", OBJECTIVES_MISSING);
}

enum err notes_signing_password(struct req *r, struct form *f, const char *field)
{
    const char *pw = req_form(r, "password");
    enum err e;

    if (!pw || !*pw) {
        form_problem(f, field, "Give your password to sign.");
        return E_OK;
    }
    e = notes_password(r, pw, "sign-note", false);
    if (e == E_INVALID)
        form_problem(f, field, "That password is not right.");
    return e == E_DB ? E_DB : E_OK;
}

json_t *notes_or_null(const json_t *v)
{
    return v ? json_deep_copy(v) : json_null();
}
