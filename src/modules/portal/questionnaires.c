/* questionnaires: the measures the clinic's schedule says are due (/me/questionnaires), answered
 * by the patient in the portal: one form per instrument, each item as radio buttons (no
 * JavaScript), the items and labels of domain/measure.h. An answer is stored by
 * store_measure_add with source "portal", in the same table as a measure staff enter, and
 * that same call raises the urgent alert to the counsellor when PHQ-9 item 9 is above 0; the
 * answer page then shows the crisis lines at once (/me/questionnaires/done, which reads the
 * signed-in patient's own measure). A form with an item left out comes back (422) naming the
 * item, nothing stored. */
#include "modules/portal/portal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/measure.h"
#include "http/resp.h"
#include "store/measures.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/view.h"

static const char *const values[] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10" };

/* Item i's radio buttons, the posted answer (may be NULL) checked. */
static json_t *options(const struct measure_def *d, size_t i, const char *chosen)
{
    json_t *out = json_array();
    char id[32];

    for (int v = 0; v <= d->item_max; v++) {
        const char *label = measure_option_label(d, i, v);
        snprintf(id, sizeof(id), "%s-item%zu-%d", d->code, i + 1, v);
        json_array_append_new(out, json_pack("{s:s, s:s, s:s?, s:b}", "value", values[v], "id",
                                             id, "label", label, "checked",
                                             chosen && !strcmp(chosen, values[v])));
    }
    return out;
}

/* The substance a PACS names: the one of the patient's latest PACS (staff choose it), else
 * none (alcohol). Arena. */
static const char *substance_of(struct req *r)
{
    json_t *list = NULL, *row;
    const char *out = NULL;
    size_t i;

    if (store_measures_list(r->store, auth_patient_id(r), "pacs", &list) == E_OK)
        json_array_foreach(list, i, row)
        {
            const char *s = json_string_value(json_object_get(row, "substance"));
            out = s && s[0] ? arena_strdup(r->arena, s) : NULL;
        }
    json_decref(list);
    return out;
}

/* The form of d: its items with the posted answers (posted) and their problems (err). */
static json_t *form_of(struct req *r, const struct measure_def *d, bool posted, const json_t *err)
{
    json_t *items = json_array();
    const char *substance = d->has_substance ? substance_of(r) : NULL;
    char text[512], name[32];

    for (size_t i = 0; i < d->n_items; i++) {
        snprintf(name, sizeof(name), "item%zu", i + 1);
        measure_item_text(d, i, substance, text, sizeof(text));
        json_array_append_new(
            items, json_pack("{s:s, s:i, s:s, s:o, s:O?, s:b}", "name", name, "n", (int)i + 1,
                             "text", text, "options",
                             options(d, i, posted ? req_form(r, name) : NULL), "err",
                             json_object_get(err, name), "labelled",
                             measure_option_label(d, 0, 0) != NULL));
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:o}", "code", d->code, "name", d->name,
                     "title", d->title, "stem", measure_stem(d), "hint", measure_scale_hint(d),
                     "items", items);
}

/* The page: what is due now (a form each; `posted` the one that came back with its problems
 * in err) and when the others are next due. */
static enum err page_model(struct req *r, const struct measure_def *posted, const json_t *err,
                           json_t **out)
{
    json_t *due = NULL, *forms = json_array(), *later = json_array(), *row, *m;
    char today[11];
    size_t i;
    enum err e;

    portal_today(today);
    if ((e = store_measures_due(r->store, auth_patient_id(r), today, &due)) != E_OK) {
        json_decref(forms);
        json_decref(later);
        return E_DB;
    }
    json_array_foreach(due, i, row)
    {
        const struct measure_def *d =
            measure_find(json_string_value(json_object_get(row, "instrument")));
        if (d && json_is_true(json_object_get(row, "due")))
            json_array_append_new(forms, form_of(r, d, d == posted, d == posted ? err : NULL));
        else if (d)
            json_array_append_new(later, json_pack("{s:s, s:s, s:O}", "name", d->name, "title",
                                                   d->title, "due_on",
                                                   json_object_get(row, "due_on")));
    }
    json_decref(due);
    m = portal_model(r, "Questionnaires");
    json_object_set_new(m, "has_forms", json_boolean(json_array_size(forms) > 0));
    json_object_set_new(m, "forms", forms);
    json_object_set_new(m, "has_later", json_boolean(json_array_size(later) > 0));
    json_object_set_new(m, "later", later);
    *out = m;
    return E_OK;
}

enum err portal_questionnaires_page(struct req *r)
{
    json_t *m;

    if (page_model(r, NULL, NULL, &m) != E_OK)
        return E_DB;
    req_model(r, m);
    if (portal_audit(r, "view", "patient", r->user->public_id, "ok") < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}

/* Whether the clinic's schedule says d is due for the patient today. */
static bool due_now(struct req *r, const struct measure_def *d, const char *today)
{
    json_t *due = NULL, *row;
    bool out = false;
    size_t i;

    if (store_measures_due(r->store, auth_patient_id(r), today, &due) == E_OK)
        json_array_foreach(due, i, row)
            out |= !strcmp(json_string_value(json_object_get(row, "instrument")), d->code) &&
                   json_is_true(json_object_get(row, "due"));
    json_decref(due);
    return out;
}

/* Reads the answers of d into a[]; problems in f, one per item left out, naming it. */
static void read_answers(struct form *f, const struct measure_def *d, int *a)
{
    const char *allowed[12] = { 0 };
    char name[32], message[96];

    for (int v = 0; v <= d->item_max; v++)
        allowed[v] = values[v];
    for (size_t i = 0; i < d->n_items; i++) {
        const char *v;
        snprintf(name, sizeof(name), "item%zu", i + 1);
        snprintf(message, sizeof(message), "%s, question %zu: choose the answer closest to you.",
                 d->name, i + 1);
        v = form_choice(f, name, allowed, true, message);
        a[i] = v ? (int)strtol(v, NULL, 10) : 0;
    }
}

/* The page again with d's form and its problems; the summary links to "<code>-item<n>". */
static enum err again(struct req *r, const struct measure_def *d, json_t *scratch)
{
    json_t *m, *errors = json_array(), *x;
    char field[40];
    size_t i;

    if (page_model(r, d, json_object_get(scratch, "err"), &m) != E_OK) {
        json_decref(errors);
        return E_DB;
    }
    json_array_foreach(json_object_get(scratch, "errors"), i, x)
    {
        snprintf(field, sizeof(field), "%s-%s", d->code,
                 json_string_value(json_object_get(x, "field")));
        json_array_append_new(errors, json_pack("{s:s, s:O}", "field", field, "message",
                                                json_object_get(x, "message")));
    }
    json_object_set_new(m, "errors", errors);
    json_object_set_new(m, "has_errors", json_true());
    req_model(r, m);
    return E_INVALID;
}

/* Stores the answers; 303 to the answer page. */
static enum err save(struct req *r, const struct measure_def *d, const int *a, const char *today)
{
    struct measure_entry me = { .patient = auth_patient_id(r),
                                .instrument = d->code,
                                .taken_on = today,
                                .answers = a,
                                .n_answers = d->n_items,
                                .substance = d->has_substance ? substance_of(r) : NULL,
                                .source = "portal" };
    char url[120];
    enum err e = store_measure_add(r->store, &me, portal_entry(r, "create", "measure", NULL, "ok"));

    if (e != E_OK) {
        r->message = "Your answers could not be saved. Please try again in a minute.";
        return e == E_INVALID ? E_INVALID : E_DB;
    }
    snprintf(url, sizeof(url), "/me/questionnaires/done?id=%s", me.public_id);
    resp_redirect(r, 303, url);
    return E_OK;
}

enum err portal_questionnaires_post(struct req *r)
{
    const struct measure_def *d = measure_find(req_form(r, "instrument"));
    int a[MEASURE_ITEMS_MAX] = { 0 };
    json_t *scratch = json_object();
    char today[11];
    struct form f;
    enum err e;

    portal_today(today);
    if (!d || !strcmp(d->code, "craving") || !due_now(r, d, today)) {
        r->message = "This questionnaire is not due now. Please go back to your questionnaires.";
        e = E_CONFLICT;
        goto out;
    }
    form_init(&f, r, scratch);
    read_answers(&f, d, a);
    e = f.problems ? again(r, d, scratch) : save(r, d, a, today);
out:
    if (e != E_OK)
        portal_audit(r, "create", "measure", NULL, audit_outcome(e));
    json_decref(scratch);
    return e;
}

/* The patient's own measure of this id (a new reference), or NULL. */
static json_t *measure_of(struct req *r, const char *id)
{
    json_t *list = NULL, *row, *out = NULL;
    size_t i;

    if (id && store_measures_list(r->store, auth_patient_id(r), NULL, &list) == E_OK)
        json_array_foreach(list, i, row)
            if (!strcmp(json_string_value(json_object_get(row, "id")), id))
                out = json_incref(row);
    json_decref(list);
    return out;
}

enum err portal_questionnaires_done(struct req *r)
{
    json_t *row = measure_of(r, req_query(r, "id")), *m, *ans;
    const struct measure_def *d;
    bool crisis;

    if (!row) {
        resp_redirect(r, 303, "/me/questionnaires");
        return E_OK;
    }
    d = measure_find(json_string_value(json_object_get(row, "instrument")));
    ans = json_object_get(row, "answers");
    crisis = d && !strcmp(d->code, "phq9") && json_array_size(ans) == 9 &&
             json_integer_value(json_array_get(ans, 8)) > 0;
    m = req_model(r, portal_model(r, crisis ? "Help is here" : "Thank you"));
    json_object_set_new(m, "name", json_string(d ? d->name : ""));
    json_object_set_new(m, "crisis", json_boolean(crisis));
    json_decref(row);
    if ((crisis && portal_help(r, m, false) != E_OK) ||
        portal_audit(r, "view", "measure", req_query(r, "id"), "ok") < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}
