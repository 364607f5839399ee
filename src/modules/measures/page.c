/* page: a patient's Measures page. What the clinic's schedule says is due, the patient's
 * clinical alerts, each instrument's trend (SVG chart and table) and one form per instrument
 * (date taken, each item as radio buttons; no JavaScript). A posted form with problems comes
 * back with the page (422), its problems beside its fields and summarised at the top; a saved
 * one answers 303 to the page, which shows the crisis resources at once when the entry raised
 * the PHQ-9 item 9 alert (?alert=, only while that alert of this patient is open). */
#include "modules/measures/measures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/resp.h"
#include "store/clinical_alerts.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/view.h"

static const char *const values[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"};

/* Item i's radio buttons, the one posted (form, may be NULL) checked. */
static json_t *options(const struct measure_def *d, size_t i, const json_t *form)
{
    char name[32];
    const char *chosen;
    json_t *out = json_array();

    snprintf(name, sizeof(name), "item%zu", i + 1);
    chosen = json_string_value(json_object_get(form, name));
    for (int v = 0; v <= d->item_max; v++) {
        const char *label = measure_option_label(d, i, v);
        json_array_append_new(out, json_pack("{s:s, s:s?, s:b}", "value", values[v], "label", label,
                                             "checked", chosen && !strcmp(chosen, values[v])));
    }
    return out;
}

/* The entry form of d: its items (with the posted values and problems of `posted`, when it is
 * the form that came back), whether it is due and whether it starts open. */
static json_t *entry_form(const struct measure_def *d, const json_t *posted, bool due,
                          bool open, const char *today)
{
    const json_t *form = json_object_get(posted, "form"), *err = json_object_get(posted, "err");
    const char *substance = json_string_value(json_object_get(form, "substance"));
    json_t *items = json_array();
    char text[512], name[32];

    for (size_t i = 0; i < d->n_items; i++) {
        snprintf(name, sizeof(name), "item%zu", i + 1);
        measure_item_text(d, i, substance, text, sizeof(text));
        json_array_append_new(items, json_pack("{s:s, s:i, s:s, s:o, s:O?}", "name", name, "n",
                                               (int)i + 1, "text", text, "options",
                                               options(d, i, form), "err",
                                               json_object_get(err, name)
                                                   ? json_object_get(err, name)
                                                   : json_false()));
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s, s:b, s:b, s:b, s:b, s:o, s:s, s:s, s:o}",
                     "code", d->code, "name", d->name, "title", d->title, "stem",
                     measure_stem(d), "hint", measure_scale_hint(d), "source", d->source,
                     "has_substance", d->has_substance, "labelled",
                     measure_option_label(d, 0, 0) != NULL, "due", due, "open", open,
                     "items", items, "taken_on",
                     form ? json_string_value(json_object_get(form, "taken_on")) : today,
                     "substance", substance ? substance : "", "err",
                     err ? json_deep_copy(err) : json_object());
}

/* Whether the due list says d is due now. */
static bool is_due(const json_t *due, const struct measure_def *d)
{
    const json_t *row;
    size_t i;

    json_array_foreach(due, i, row)
        if (!strcmp(json_string_value(json_object_get(row, "instrument")), d->code))
            return json_is_true(json_object_get(row, "due"));
    return false;
}

/* The trends and forms, in the instruments' order; posted: the form that came back (of
 * instrument `code`), or NULL. */
static void instruments(struct req *r, json_t *m, json_t *list, const json_t *due,
                        const char *code, const json_t *posted, const char *today)
{
    json_t *trends = json_array(), *forms = json_array();

    for (size_t k = 0; k < measure_count(); k++) {
        const struct measure_def *d = measure_at(k);
        json_t *rows = json_array(), *t, *row;
        size_t i;
        json_array_foreach(list, i, row)
            if (!strcmp(json_string_value(json_object_get(row, "instrument")), d->code))
                json_array_append(rows, row);
        if (json_array_size(rows)) {
            t = measures_trend(d, rows);
            json_object_set_new(t, "svg", json_string(measures_trend_svg(r, d, t)));
            json_array_append_new(trends, t);
        }
        json_decref(rows);
        bool mine = code && !strcmp(code, d->code);
        /* Open: the form that came back; else, when none did, those due. */
        json_array_append_new(forms, entry_form(d, mine ? posted : NULL, is_due(due, d),
                                                mine || (!code && is_due(due, d)), today));
    }
    json_object_set_new(m, "trends", trends);
    json_object_set_new(m, "entry_forms", forms);
}

/* The open PHQ-9 item 9 alert ?alert= names among the patient's alerts, or NULL. */
static json_t *crisis_of(struct req *r, json_t *alerts)
{
    const char *id = req_query(r, "alert");
    json_t *a;
    size_t i;

    json_array_foreach(alerts, i, a)
        if (id && !strcmp(json_string_value(json_object_get(a, "id")), id) &&
            json_is_true(json_object_get(a, "open")) &&
            !strcmp(json_string_value(json_object_get(a, "kind")), ALERT_PHQ9_ITEM9))
            return a;
    return NULL;
}

/* The page's model for patient p into *out (a new reference); the store's error otherwise. */
static enum err page_model(struct req *r, const struct measures_patient *p, const char *code,
                           const json_t *posted, json_t **out)
{
    json_t *m = NULL, *list = NULL, *due = NULL, *alerts = NULL;
    char title[300], today[11];
    enum err e;

    measures_today(today);
    if ((e = store_measures_list(r->store, p->id, NULL, &list)) != E_OK ||
        (e = store_measures_due(r->store, p->id, today, &due)) != E_OK ||
        (e = store_clinical_alerts_of(r->store, p->id, false, &alerts)) != E_OK)
        goto out;
    snprintf(title, sizeof(title), "Measures: %s %s", p->first_name, p->last_name);
    m = view_staff_model(r, title);
    json_object_set_new(m, "patient", json_pack("{s:s, s:s, s:s}", "public_id", p->public_id,
                                                "first_name", p->first_name, "last_name",
                                                p->last_name));
    json_object_set_new(m, "today", json_string(today));
    json_object_set(m, "due", due);
    json_object_set_new(m, "has_due", json_boolean(json_array_size(due) > 0));
    measures_alert_times(r, alerts);
    json_object_set(m, "alerts", alerts);
    json_object_set_new(m, "has_alerts", json_boolean(json_array_size(alerts) > 0));
    json_object_set_new(m, "crisis", json_incref(crisis_of(r, alerts)));
    json_object_set_new(m, "crisis_risk", json_boolean(crisis_of(r, alerts) != NULL));
    json_object_set_new(m, "saved", json_boolean(req_query(r, "saved") != NULL));
    instruments(r, m, list, due, code, posted, today);
    *out = m;
out:
    json_decref(list);
    json_decref(due);
    json_decref(alerts);
    return e;
}

enum err measures_page(struct req *r)
{
    struct measures_patient p;
    json_t *m;
    enum err e;

    if ((e = measures_patient(r, "view", &p)) != E_OK)
        return e;
    if ((e = page_model(r, &p, NULL, NULL, &m)) != E_OK) {
        audit_record(r, "view", "patient", p.public_id, audit_outcome(e));
        return E_DB;
    }
    req_model(r, m);
    if (audit_record(r, "view", "patient", p.public_id, "ok") < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}

/* Reads the posted form of d into the scratch model f (values and problems) and a[]. */
static void read_entry(struct form *f, const struct measure_def *d, int *a,
                       const char **taken_on, const char **substance)
{
    const char *allowed[12] = {0};
    char name[32], message[64], today[11];

    for (int v = 0; v <= d->item_max; v++)
        allowed[v] = values[v];
    *taken_on = form_date(f, "taken_on", true, "Give the date the patient answered.");
    if (*taken_on && strcmp(*taken_on, measures_today(today)) > 0)
        form_problem(f, "taken_on", "The date cannot be after today.");
    *substance = NULL;
    if (d->has_substance) {
        *substance = form_text(f, "substance", MEASURE_SUBSTANCE_MAX, false, false, NULL);
        if (*substance && !measure_substance_ok(*substance))
            form_problem(f, "substance", "Name the substance in letters (e.g. cocaine), or leave "
                                         "it empty for alcohol.");
    }
    for (size_t i = 0; i < d->n_items; i++) {
        const char *v;
        snprintf(name, sizeof(name), "item%zu", i + 1);
        snprintf(message, sizeof(message), "%s, item %zu: choose the answer.", d->name, i + 1);
        v = form_choice(f, name, allowed, true, message);
        a[i] = v ? (int)strtol(v, NULL, 10) : 0;
    }
}

/* The page again with the form of d open and its problems (the summary's links point at the
 * form's own field ids, "phq9-item9"). */
static enum err again(struct req *r, const struct measures_patient *p,
                      const struct measure_def *d, json_t *scratch)
{
    json_t *m, *errors = json_array();
    const json_t *x;
    char field[40];
    size_t i;

    json_array_foreach(json_object_get(scratch, "errors"), i, x)
    {
        snprintf(field, sizeof(field), "%s-%s", d->code,
                 json_string_value(json_object_get(x, "field")));
        json_array_append_new(errors, json_pack("{s:s, s:O}", "field", field, "message",
                                                json_object_get(x, "message")));
    }
    if (page_model(r, p, d->code, scratch, &m) != E_OK) {
        json_decref(errors);
        return E_DB;
    }
    json_object_set_new(m, "errors", errors);
    json_object_set_new(m, "has_errors", json_true());
    req_model(r, m);
    return E_INVALID;
}

/* Stores the entry; answers 303 to the page (with the alert, when one was raised). */
static enum err save(struct req *r, const struct measures_patient *p, struct measure_entry *me)
{
    char url[200];
    enum err e = store_measure_add(r->store, me, audit_entry(r, "create", "measure", NULL));

    if (e != E_OK)
        return e == E_NOTFOUND ? e : e == E_INVALID ? E_INVALID : E_DB;
    if (me->alert_id[0])
        snprintf(url, sizeof(url), "/staff/patients/%s/measures?alert=%s#crisis", p->public_id,
                 me->alert_id);
    else
        snprintf(url, sizeof(url), "/staff/patients/%s/measures?saved=%s#trend-%s",
                 p->public_id, me->instrument, me->instrument);
    resp_redirect(r, 303, url);
    return E_OK;
}

enum err measures_post(struct req *r)
{
    const struct measure_def *d = measure_find(req_form(r, "instrument"));
    struct measures_patient p;
    struct measure_entry me = {0};
    int a[MEASURE_ITEMS_MAX] = {0};
    json_t *scratch = json_object();
    struct form f;
    enum err e;

    if ((e = measures_patient(r, "create", &p)) != E_OK)
        goto out;
    if (!d) {
        r->message = "This form names no instrument we know. Please go back and reload the page.";
        e = E_INVALID;
        goto fail;
    }
    form_init(&f, r, scratch);
    me = (struct measure_entry){.patient = p.id, .instrument = d->code, .answers = a,
                                .n_answers = d->n_items, .source = "staff",
                                .entered_by = auth_user_id(r)};
    read_entry(&f, d, a, &me.taken_on, &me.substance);
    e = f.problems ? again(r, &p, d, scratch) : save(r, &p, &me);
fail:
    if (e != E_OK)
        audit_record(r, "create", "measure", p.public_id, audit_outcome(e));
out:
    json_decref(scratch);
    return e;
}
