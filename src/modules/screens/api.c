/* api: a patient's drug screens over the JSON API (docs/api.md "Drug screens"): the list, a new
 * screen (201, with "alert" saying whether an unexpected positive raised one) and the lab
 * confirmation of a screen (the one thing that changes after entry). Bodies are read with the
 * program module's helpers, so that problems come back the same way: 422 {"error": "invalid",
 * "details": [{field, message}]}, every problem at once; nothing is written then. */
#include "modules/screens/screens.h"

#include <stdio.h>
#include <string.h>

#include "modules/program/program.h"
#include "web/audit.h"
#include "web/auth.h"

/* The screen of id in patient's list, as the list gives it (new reference), or NULL. */
static json_t *screen_of(struct req *r, const char *patient, const char *id)
{
    json_t *list = NULL, *o, *out = NULL;
    size_t i;

    if (store_drug_screens_of(r->store, patient, &list) != E_OK)
        return NULL;
    json_array_foreach(list, i, o) if (!strcmp(json_string_value(json_object_get(o, "id")), id))
        out = json_incref(o);
    json_decref(list);
    return out;
}

enum err screens_api_list(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *out = NULL;
    enum err e;

    if ((e = store_drug_screens_of(r->store, id, &out)) != E_OK) {
        audit_record(r, "view", "patient", id, audit_outcome(e));
        return e == E_NOTFOUND ? e : E_DB;
    }
    if (audit_record(r, "view", "patient", id, "ok") < 0) {
        json_decref(out);
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    req_model(r, out);
    return E_OK;
}

/* A text field that must be one of the n names f gives. */
static const char *body_code(struct body *b, const char *key, const char *(*f)(size_t), size_t n,
                             bool required, const char *message)
{
    json_t *v = json_object_get(b->root, key);

    if (!v || json_is_null(v)) {
        if (required)
            body_problem(b, key, message);
        return NULL;
    }
    if (!screen_is(f, n, json_string_value(v))) {
        body_problem(b, key, message);
        return NULL;
    }
    return json_string_value(v);
}

/* The results array into res (SCREEN_RESULTS_MAX), each problem named results[i].field. */
static void results_read(struct body *b, struct drug_screen *d, struct screen_result *res)
{
    json_t *arr = json_object_get(b->root, "results"), *o;
    char field[48];
    const char *why;
    size_t i, at;

    d->results = res;
    d->n_results = 0;
    if (!json_is_array(arr) || !json_array_size(arr) || json_array_size(arr) > SCREEN_RESULTS_MAX) {
        body_problem(b, "results", "Give 1 to 16 results: [{substance, result, expected?}].");
        return;
    }
    json_array_foreach(arr, i, o)
    {
        struct screen_result *x = &res[d->n_results];
        json_t *exp = json_object_get(o, "expected");
        const char *sub = json_string_value(json_object_get(o, "substance"));
        const char *name = json_string_value(json_object_get(o, "name"));
        const char *result = json_string_value(json_object_get(o, "result"));
        snprintf(field, sizeof(field), "results[%zu].substance", i);
        if (!screens_substance(sub, name, x->substance)) {
            body_problem(b, field, "A panel substance, or \"other\" with a name (1-60).");
            continue;
        }
        snprintf(field, sizeof(field), "results[%zu].result", i);
        if (!screen_is(screen_result, SCREEN_N_RESULTS, result)) {
            body_problem(b, field, "The result is negative, positive or invalid.");
            continue;
        }
        snprintf(field, sizeof(field), "results[%zu].expected", i);
        if (exp && !json_is_boolean(exp)) {
            body_problem(b, field, "expected is true or false.");
            continue;
        }
        x->result = result;
        x->expected = json_is_true(exp);
        d->n_results++;
    }
    if (!json_array_size(b->details) && screen_check_results(res, d->n_results, &at, &why) < 0) {
        snprintf(field, sizeof(field), "results[%zu].substance", at);
        body_problem(b, field, why);
    }
}

static void screen_body(struct body *b, struct drug_screen *d, struct screen_result *res)
{
    char today[11], date[11];
    caldate on = 0, now = 0;
    json_t *obs = json_object_get(b->root, "observed");

    if (body_date(b, "collected_on", true, &on)) {
        caldate_parse(screens_today(today), &now);
        if (on > now)
            body_problem(b, "collected_on", "The date collected cannot be after today.");
        d->collected_on = arena_strdup(b->r->arena, caldate_format(on, date));
    }
    d->specimen = body_code(b, "specimen", screen_specimen, SCREEN_N_SPECIMENS, true,
                            "The specimen is urine, oral-fluid or breath.");
    if (!json_is_boolean(obs))
        body_problem(b, "observed", "observed is true or false.");
    d->observed = json_is_true(obs);
    d->lab = body_code(b, "lab", screen_lab, SCREEN_N_LABS, false,
                       "The lab is none, pending, confirmed or not-confirmed.");
    if (!d->lab)
        d->lab = "none";
    d->comment = body_text(b, "comment", SCREEN_COMMENT_MAX, false,
                           "A comment is 1 to 1200 characters on one line.");
    results_read(b, d, res);
}

enum err screens_api_add(struct req *r)
{
    const char *id = req_param(r, "id");
    struct screen_result res[SCREEN_RESULTS_MAX];
    struct drug_screen d = { 0 };
    char screen_id[33];
    bool alerted = false;
    struct body b;
    json_t *out;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    screen_body(&b, &d, res);
    if ((e = program_checked(&b, "create", "drug-screen", id)) != E_OK)
        return e;
    d.entered_by = auth_user_id(r);
    e = store_drug_screen_add(r->store, id, &d, audit_entry(r, "create", "drug-screen", NULL),
                              screen_id, &alerted);
    if (e != E_OK) {
        audit_record(r, "create", "drug-screen", id, audit_outcome(e));
        return e == E_NOTFOUND ? e : E_DB;
    }
    if (!(out = screen_of(r, id, screen_id)))
        return E_DB;
    json_object_set_new(out, "alert", json_boolean(alerted));
    req_model(r, out);
    r->status = 201;
    return E_OK;
}

enum err screens_api_lab(struct req *r)
{
    const char *id = req_param(r, "id"), *lab;
    char patient[33];
    json_t *out = NULL;
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    lab = body_code(&b, "lab", screen_lab, SCREEN_N_LABS, true,
                    "The lab is none, pending, confirmed or not-confirmed.");
    if (body_has(&b, "results"))
        body_problem(&b, "results",
                     "Results never change once recorded: record a new screen with a comment.");
    if ((e = program_checked(&b, "update", "drug-screen", id)) != E_OK)
        return e;
    e = store_drug_screen_lab(r->store, id, lab, audit_entry(r, "update", "drug-screen", id),
                              patient, &out);
    if (e != E_OK) {
        audit_record(r, "update", "drug-screen", id, audit_outcome(e));
        return e == E_NOTFOUND ? e : E_DB;
    }
    req_model(r, out);
    return E_OK;
}
