/* diagnoses: a patient's ICD-10-CM diagnoses, as a screen and in the JSON API. A code is
 * chosen from domain/icd10's list, found by its code or words (a GET search, no script);
 * primary or not; the day it was noted (not after today). Never deleted: resolved, or marked
 * entered in error with a reason (kept in the comment). */
#include "modules/plans/plans.h"

#include <stdio.h>
#include <string.h>

#include "domain/icd10.h"
#include "domain/plan.h"
#include "http/resp.h"
#include "modules/admissions/common.h"
#include "modules/program/program.h"
#include "store/admissions.h"
#include "store/diagnoses.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"

static const char *const statuses[] = {"resolved", "entered-in-error", NULL};

/* Problems a diagnosis's fields share between the form and the API, or NULL. */
static const char *code_problem(const char *code)
{
    return code && icd10_find(code) ? NULL : "Choose a code from the list.";
}

static const char *noted_problem(const char *noted_on)
{
    char today[CALDATE_TEXT];

    return noted_on && strcmp(noted_on, plans_today(today)) > 0
               ? "The day it was noted cannot be after today."
               : NULL;
}

/* ---- JSON API ---- */

enum err plans_diagnoses_api_list(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *out = NULL;
    enum err e = store_diagnoses_list(r->store, id, &out); /* before out is read */

    return plans_shown(r, e, out, "diagnoses", id);
}

enum err plans_diagnoses_api_add(struct req *r)
{
    const char *id = req_param(r, "id");
    struct diagnosis_new d = {0};
    char today[CALDATE_TEXT];
    json_t *out = NULL, *primary;
    caldate noted;
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    d.code = body_text(&b, "code", ICD10_CODE_MAX, true, "Choose a code from the list.");
    if (d.code && code_problem(d.code))
        body_problem(&b, "code", code_problem(d.code));
    primary = json_object_get(b.root, "primary");
    if (primary && !json_is_boolean(primary) && !json_is_null(primary))
        body_problem(&b, "primary", "Say true or false.");
    d.primary = json_is_true(primary);
    d.noted_on = body_date(&b, "noted_on", false, &noted)
                     ? json_string_value(json_object_get(b.root, "noted_on"))
                     : NULL;
    if (noted_problem(d.noted_on))
        body_problem(&b, "noted_on", noted_problem(d.noted_on));
    if (!d.noted_on)
        d.noted_on = plans_today(today);
    d.comment = body_text(&b, "comment", DIAGNOSIS_COMMENT_MAX, false,
                          "A comment is 1 to 800 characters on one line.");
    if ((e = program_checked(&b, "create", "diagnosis", id)) != E_OK)
        return e;
    e = store_diagnosis_add(r->store, id, &d, auth_user_id(r),
                            audit_entry(r, "create", "diagnosis", NULL), &out);
    return program_written(r, e, out, NULL, "create", "diagnosis", id, 201);
}

enum err plans_diagnoses_api_status(struct req *r)
{
    const char *id = req_param(r, "id"), *status, *reason;
    struct program_why why = {{0}, {0}};
    json_t *out = NULL;
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    status = plans_body_choice(&b, "status", statuses,
                               "The status is resolved or entered-in-error.", "entered-in-error",
                               DIAGNOSIS_REASON_MAX, "Say why it was entered in error.", &reason);
    if ((e = program_checked(&b, "update", "diagnosis", id)) != E_OK)
        return e;
    e = store_diagnosis_status(r->store, id, status, reason, auth_user_id(r),
                               audit_entry(r, "update", "diagnosis", id), &out, &why);
    return program_written(r, e, out, &why, "update", "diagnosis", id, 0);
}

/* ---- The screen ---- */

/* The codes matching q, [{code, title, selected}]. */
static json_t *code_options(const char *q, const char *selected)
{
    json_t *out = json_array();
    const struct icd10_code *c;

    for (size_t i = 0; (c = icd10_at(i)); i++)
        if (icd10_matches(c, q) || (selected && !strcmp(selected, c->code)))
            json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code", c->code, "title",
                                                 c->title, "selected",
                                                 selected && !strcmp(selected, c->code)));
    return out;
}

/* Adds what the screen shows of each diagnosis: its status's words and which changes it
 * allows. */
static void rows_view(json_t *list)
{
    json_t *d;
    size_t i;

    json_array_foreach(list, i, d) {
        const char *st = json_string_value(json_object_get(d, "status"));
        bool active = st && !strcmp(st, "active"), error = st && !strcmp(st, "entered-in-error");

        json_object_set_new(d, "status_text",
                            json_string(active ? "Active" : error ? "Entered in error"
                                                                  : "Resolved"));
        json_object_set_new(d, "active", json_boolean(active));
        json_object_set_new(d, "in_error", json_boolean(error));
    }
}

/* The page of patient id's diagnoses (its read audited), with the search q: *m owned by the
 * request. */
static enum err page_model(struct req *r, const char *id, const char *q, json_t **m)
{
    json_t *p = NULL, *list = NULL;
    char title[240], today[CALDATE_TEXT];
    enum err e;

    *m = NULL;
    if ((e = store_adm_patient_get(r->store, id, false, &p)) != E_OK ||
        (e = store_diagnoses_list(r->store, id, &list)) != E_OK) {
        json_decref(p);
        return plans_failed(r, e, NULL, "view", "diagnoses", id);
    }
    if (plans_audit_read(r, "diagnoses", id) < 0) {
        e = E_DB;
        goto out;
    }
    snprintf(title, sizeof(title), "Diagnoses: %s %s",
             json_string_value(json_object_get(p, "first_name")),
             json_string_value(json_object_get(p, "last_name")));
    *m = req_model(r, admissions_model(r, title));
    rows_view(list);
    json_object_set_new(*m, "patient", json_pack("{s:O, s:O, s:O}", "public_id",
                                                 json_object_get(p, "public_id"), "first_name",
                                                 json_object_get(p, "first_name"), "last_name",
                                                 json_object_get(p, "last_name")));
    json_object_set_new(*m, "has_diagnoses", json_boolean(json_array_size(list) > 0));
    json_object_set_new(*m, "diagnoses", list);
    list = NULL;
    json_object_set_new(*m, "q", json_string(q ? q : ""));
    json_object_set_new(*m, "codes", code_options(q, NULL));
    json_object_set_new(*m, "form", json_pack("{s:s}", "noted_on", plans_today(today)));
out:
    json_decref(list);
    json_decref(p);
    return e;
}

enum err plans_diagnoses_page(struct req *r)
{
    json_t *m;
    const char *q = req_query(r, "q");

    if (q && strlen(q) > 100)
        q = NULL;
    return page_model(r, req_param(r, "id"), q, &m);
}

enum err plans_diagnoses_add(struct req *r)
{
    const char *id = req_param(r, "id"), *q = req_form(r, "q");
    char loc[96];
    struct diagnosis_new d = {0};
    json_t *m, *out = NULL;
    struct form f;
    enum err e;

    if (q && strlen(q) > 100)
        q = NULL;
    if ((e = page_model(r, id, q, &m)) != E_OK)
        return e;
    form_init(&f, r, m);
    d.code = form_text(&f, "code", ICD10_CODE_MAX, true, false, "Choose a code from the list.");
    if (d.code && code_problem(d.code))
        form_problem(&f, "code", code_problem(d.code));
    d.primary = form_checked(&f, "primary");
    d.noted_on = form_date(&f, "noted_on", true, "Give the day it was noted.");
    if (noted_problem(d.noted_on))
        form_problem(&f, "noted_on", noted_problem(d.noted_on));
    d.comment = form_text(&f, "comment", DIAGNOSIS_COMMENT_MAX, false, false, NULL);
    json_object_set_new(m, "codes", code_options(q, d.code));
    if (f.problems) {
        audit_record(r, "create", "diagnosis", id, "invalid");
        return E_INVALID;
    }
    e = store_diagnosis_add(r->store, id, &d, auth_user_id(r),
                            audit_entry(r, "create", "diagnosis", NULL), &out);
    json_decref(out);
    if (e != E_OK)
        return plans_failed(r, e, NULL, "create", "diagnosis", id);
    r->model = NULL;
    snprintf(loc, sizeof(loc), "/staff/patients/%s/diagnoses#diagnoses", id);
    resp_redirect(r, 303, arena_strdup(r->arena, loc));
    return E_OK;
}

/* Marks the row of diagnosis id in the page model with the problem of its form. */
static void row_problem(json_t *m, const char *id, const char *message)
{
    char field[64];
    json_t *d;
    size_t i;

    json_array_foreach(json_object_get(m, "diagnoses"), i, d)
        if (!strcmp(json_string_value(json_object_get(d, "id")), id))
            json_object_set_new(d, "err_reason", json_string(message));
    snprintf(field, sizeof(field), "reason-%s", id);
    json_object_set_new(m, "has_errors", json_true());
    json_object_set_new(m, "errors",
                        json_pack("[{s:s, s:s}]", "field", field, "message", message));
}

enum err plans_diagnoses_status(struct req *r)
{
    const char *id = req_param(r, "id"), *status = req_form(r, "status");
    const char *reason = req_form(r, "reason"), *problem = NULL;
    struct program_why why = {{0}, {0}};
    char patient[33], loc[96];
    json_t *m, *out = NULL;
    size_t i;
    enum err e = E_OK, verdict;

    if ((e = store_diagnosis_patient(r->store, id, patient)) != E_OK)
        return plans_failed(r, e, NULL, "update", "diagnosis", id);
    for (i = 0; status && statuses[i] && strcmp(status, statuses[i]); i++)
        ;
    if (!status || !statuses[i])
        problem = "Choose resolved or entered in error.";
    else if (!strcmp(status, "entered-in-error"))
        problem = reason && *reason ? plan_text_problem(reason, DIAGNOSIS_REASON_MAX, false)
                                    : "Say why it was entered in error.";
    if (!problem) {
        e = store_diagnosis_status(r->store, id, status,
                                   !strcmp(status, "entered-in-error") ? reason : NULL,
                                   auth_user_id(r), audit_entry(r, "update", "diagnosis", id),
                                   &out, &why);
        json_decref(out);
        if (e == E_OK) {
            snprintf(loc, sizeof(loc), "/staff/patients/%s/diagnoses#diagnoses", patient);
            resp_redirect(r, 303, arena_strdup(r->arena, loc));
            return E_OK;
        }
        if (e != E_CONFLICT)
            return plans_failed(r, e, &why, "update", "diagnosis", id);
        problem = why.message;
    }
    /* The page again, the problem beside the row: 409 when the diagnosis's status did not
     * allow the change (someone else changed it meanwhile), 422 for the form's values. */
    verdict = e == E_CONFLICT ? E_CONFLICT : E_INVALID;
    audit_record(r, "update", "diagnosis", id, audit_outcome(verdict));
    if ((e = page_model(r, patient, NULL, &m)) != E_OK)
        return e;
    row_problem(m, id, problem);
    return verdict;
}
