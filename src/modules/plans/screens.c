/* screens: the treatment plan's pages. A patient's page lists every version (the current one
 * first, with its review due or overdue; the open draft; a button to start one, seeded from the
 * assessment). A version's page is the editor while a draft (save, then sign with the
 * password; what keeps it from being signed is listed), and read-only afterwards: who signed,
 * when, how the patient acknowledged (in person: the patient reads and agrees on the tablet;
 * verbal: with a reason), and the review that starts the next version. */
#include "modules/plans/plans.h"

#include <stdio.h>
#include <string.h>

#include "domain/plan.h"
#include "http/resp.h"
#include "modules/account/account.h"
#include "modules/admissions/common.h"
#include "store/admissions.h"
#include "store/plans.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/view.h"

static const char *const hows[] = {"in-person", "verbal", NULL};

static const char *sget(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static enum err redirect(struct req *r, const char *fmt, const char *id)
{
    char loc[128];

    r->model = NULL;
    snprintf(loc, sizeof(loc), fmt, id);
    resp_redirect(r, 303, arena_strdup(r->arena, loc));
    return E_OK;
}

/* The staff page's model naming the patient (their public id): title "what: First Last". */
static json_t *patient_model(struct req *r, const char *patient, const char *what)
{
    json_t *p = NULL, *m;
    char title[240];

    if (store_adm_patient_get(r->store, patient, false, &p) != E_OK)
        return NULL;
    snprintf(title, sizeof(title), "%s: %s %s", what, sget(p, "first_name"),
             sget(p, "last_name"));
    m = admissions_model(r, title);
    json_object_set_new(m, "patient", json_pack("{s:s, s:s, s:s}", "public_id", patient,
                                                "first_name", sget(p, "first_name"),
                                                "last_name", sget(p, "last_name")));
    json_decref(p);
    return m;
}

/* The stored UTC times of a version as the clinic's local time ("2026-03-02 09:20 CST"). */
static void local_times(struct req *r, json_t *v)
{
    static const char *const keys[] = {"created_at", "updated_at", "signed_at", "ack_at"};

    for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
        if (*sget(v, keys[i]))
            json_object_set_new(v, keys[i], json_string(view_time(r, sget(v, keys[i]))));
}

/* Words for a version's status and its review. */
static const char *status_words(const char *status)
{
    static const char *const words[][2] = {{"draft", "Draft"},
                                           {"signed", "Signed, waiting for the patient"},
                                           {"current", "Current"},
                                           {"superseded", "Superseded"}};

    for (size_t i = 0; i < 4; i++)
        if (!strcmp(status, words[i][0]))
            return words[i][1];
    return status;
}

/* Adds review_due's state on today to a version's model: review_state "due" or "overdue". */
static void review_view(json_t *v, const char *today)
{
    caldate due, now;

    json_object_set_new(v, "status_text", json_string(status_words(sget(v, "status"))));
    if (strcmp(sget(v, "status"), "current") || !caldate_parse(sget(v, "review_due"), &due) ||
        !caldate_parse(today, &now))
        return;
    switch (plan_review_state(due, now)) {
    case PLAN_REVIEW_OVERDUE:
        json_object_set_new(v, "review_overdue", json_true());
        break;
    case PLAN_REVIEW_DUE:
        json_object_set_new(v, "review_soon", json_true());
        break;
    case PLAN_REVIEW_LATER:
        break;
    }
}

enum err plans_versions_page(struct req *r)
{
    const char *id = req_param(r, "id");
    char today[CALDATE_TEXT];
    json_t *list = NULL, *m, *v;
    enum err e;
    size_t i;

    if ((e = store_plan_list(r->store, id, &list)) != E_OK)
        return plans_failed(r, e, NULL, "view", "plans", id);
    if (plans_audit_read(r, "plans", id) < 0 ||
        !(m = req_model(r, patient_model(r, id, "Treatment plan")))) {
        json_decref(list);
        return E_DB;
    }
    plans_today(today);
    json_array_foreach(list, i, v) {
        review_view(v, today);
        local_times(r, v);
        if (!strcmp(sget(v, "status"), "current"))
            json_object_set(m, "current", v);
        else if (!strcmp(sget(v, "status"), "draft") || !strcmp(sget(v, "status"), "signed"))
            json_object_set(m, "open", v);
    }
    json_object_set_new(m, "versions", list);
    json_object_set_new(m, "can_start", json_boolean(!json_object_get(m, "open")));
    return E_OK;
}

enum err plans_draft_new(struct req *r)
{
    const char *id = req_param(r, "id");
    struct program_why why = {{0}, {0}};
    json_t *out = NULL;
    enum err e;

    e = store_plan_create(r->store, id, NULL, auth_user_id(r),
                          audit_entry(r, "create", "plan", NULL), &out, &why);
    if (e != E_OK)
        return plans_failed(r, e, &why, "create", "plan", id);
    e = redirect(r, "/staff/plans/%s", sget(out, "id"));
    json_decref(out);
    return e;
}

/* Adds the read-only view of a plan: each problem's dimension name and numbers. */
static void readonly_view(json_t *plan)
{
    json_t *p, *g, *o;
    size_t i, j, k;
    char label[72];

    json_array_foreach(json_object_get(plan, "problems"), i, p) {
        json_object_set_new(p, "dimension_name", json_string(plans_dimension_name(
                                                     (int)json_integer_value(
                                                         json_object_get(p, "asam_dimension")))));
        snprintf(label, sizeof(label), "%zu", i + 1);
        json_object_set_new(p, "label", json_string(label));
        json_array_foreach(json_object_get(p, "goals"), j, g) {
            snprintf(label, sizeof(label), "%zu.%zu", i + 1, j + 1);
            json_object_set_new(g, "label", json_string(label));
            json_array_foreach(json_object_get(g, "objectives"), k, o) {
                snprintf(label, sizeof(label), "%zu.%zu.%zu", i + 1, j + 1, k + 1);
                json_object_set_new(o, "label", json_string(label));
            }
        }
    }
}

/* Sets "open" in m to the patient's draft or signed version, if any (a review waits there). */
static enum err open_version(struct req *r, const char *patient, json_t *m)
{
    json_t *list = NULL, *v;
    enum err e;
    size_t i;

    if ((e = store_plan_list(r->store, patient, &list)) != E_OK)
        return e;
    json_array_foreach(list, i, v)
        if (!strcmp(sget(v, "status"), "draft") || !strcmp(sget(v, "status"), "signed")) {
            json_object_set_new(v, "status_text", json_string(status_words(sget(v, "status"))));
            json_object_set(m, "open", v);
        }
    json_decref(list);
    return E_OK;
}

/* The page of plan id: *m (owned by the request) with the plan, its state's forms and, for a
 * draft, the editor of content (NULL: the plan's own) with errors (may be NULL). */
static enum err plan_model(struct req *r, const char *id, const json_t *content, json_t *errors,
                           json_t **m)
{
    json_t *plan = NULL, *form_errors = errors ? errors : json_array();
    char today[CALDATE_TEXT];
    enum plan_status st = PLAN_DRAFT;
    enum err e;

    *m = NULL;
    if ((e = store_plan_get(r->store, id, &plan)) != E_OK) {
        if (!errors)
            json_decref(form_errors);
        return plans_failed(r, e, NULL, "view", "plan", id);
    }
    if (!(*m = req_model(r, patient_model(r, sget(plan, "patient_id"), "Treatment plan")))) {
        e = E_DB;
        goto out;
    }
    plan_status_parse(sget(plan, "status"), &st);
    review_view(plan, plans_today(today));
    readonly_view(plan);
    local_times(r, plan);
    json_object_set_new(*m, "editable", json_boolean(st == PLAN_DRAFT));
    json_object_set_new(*m, "can_acknowledge", json_boolean(st == PLAN_SIGNED));
    if (st == PLAN_CURRENT && (e = open_version(r, sget(plan, "patient_id"), *m)) != E_OK)
        goto out;
    json_object_set_new(*m, "can_review",
                        json_boolean(st == PLAN_CURRENT && !json_object_get(*m, "open")));
    if (st == PLAN_DRAFT) {
        json_object_set_new(*m, "editor",
                            plans_editor_view(content ? content : plan, form_errors));
        json_t *blockers = plans_blockers(plan);

        json_object_set_new(*m, "has_blockers", json_boolean(json_array_size(blockers) > 0));
        json_object_set_new(*m, "blockers", blockers);
    }
    json_object_set_new(*m, "errors", json_copy(form_errors));
    json_object_set_new(*m, "has_errors", json_boolean(json_array_size(form_errors) > 0));
    json_object_set_new(*m, "form", json_object());
    json_object_set_new(*m, "err", json_object());
    json_object_set(*m, "plan", plan);
out:
    if (!errors)
        json_decref(form_errors);
    json_decref(plan);
    return e;
}

enum err plans_plan_page(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *m;
    enum err e;

    if ((e = plan_model(r, id, NULL, NULL, &m)) != E_OK)
        return e;
    if (plans_audit_read(r, "plan", id) < 0) {
        r->model = NULL;
        return E_DB;
    }
    return E_OK;
}

enum err plans_plan_save(struct req *r)
{
    const char *id = req_param(r, "id");
    struct program_why why = {{0}, {0}};
    json_t *content, *errors, *out = NULL, *m;
    int problems = 0;
    enum err e;

    content = plans_editor_read(r, &problems);
    if (!problems) {
        e = store_plan_replace(r->store, id, content, audit_entry(r, "update", "plan", id), &out,
                               &why);
        json_decref(out);
        if (e == E_OK) {
            json_decref(content);
            return redirect(r, "/staff/plans/%s#saved", id);
        }
        if (e != E_INVALID) {
            json_decref(content);
            return plans_failed(r, e, &why, "update", "plan", id);
        }
    }
    /* The form again with what was typed, each problem beside its field. */
    audit_record(r, "update", "plan", id, "invalid");
    errors = json_array();
    if (why.field[0])
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "plan-form", "message",
                                                why.message));
    e = plan_model(r, id, content, errors, &m);
    json_decref(content);
    json_decref(errors);
    return e == E_OK ? E_INVALID : e;
}

/* The page again at e with the one problem of field (its message beside it too). */
static enum err again(struct req *r, const char *id, enum err verdict, const char *field,
                      const char *message)
{
    json_t *errors = json_pack("[{s:s, s:s}]", "field", field, "message", message), *m;
    enum err e = plan_model(r, id, NULL, errors, &m);

    json_decref(errors);
    if (e != E_OK)
        return e;
    json_object_set_new(json_object_get(m, "err"), field, json_string(message));
    return verdict;
}

enum err plans_plan_sign(struct req *r)
{
    const char *id = req_param(r, "id"), *password = req_form(r, "password");
    struct program_why why = {{0}, {0}};
    json_t *plan = NULL, *blockers, *m, *out = NULL;
    enum plan_status st = PLAN_DRAFT;
    enum err e;

    if ((e = store_plan_get(r->store, id, &plan)) != E_OK)
        return plans_failed(r, e, NULL, "sign", "plan", id);
    plan_status_parse(sget(plan, "status"), &st);
    blockers = plans_blockers(plan);
    json_decref(plan);
    if (!plan_allows(st, PLAN_SIGN) || json_array_size(blockers)) {
        audit_record(r, "sign", "plan", id, plan_allows(st, PLAN_SIGN) ? "invalid" : "error");
        e = plan_allows(st, PLAN_SIGN) ? plan_model(r, id, NULL, blockers, &m) : E_CONFLICT;
        if (e == E_CONFLICT)
            r->message = plan_refusal(st, PLAN_SIGN);
        json_decref(blockers);
        return e == E_OK ? E_INVALID : e;
    }
    json_decref(blockers);
    if (!password || !*password) {
        audit_record(r, "sign", "plan", id, "invalid");
        return again(r, id, E_INVALID, "password", "Give your password to sign.");
    }
    if ((e = account_reconfirm(r, password, "sign-plan")) != E_OK) {
        if (e != E_DENIED)
            return plans_failed(r, e, NULL, "sign", "plan", id);
        return again(r, id, E_INVALID, "password", "That password is not right.");
    }
    e = store_plan_sign(r->store, id, auth_user_id(r), audit_entry(r, "sign", "plan", id), &out,
                        &why);
    json_decref(out);
    if (e != E_OK)
        return plans_failed(r, e, &why, "sign", "plan", id);
    return redirect(r, "/staff/plans/%s#acknowledge", id);
}

enum err plans_plan_acknowledge(struct req *r)
{
    const char *id = req_param(r, "id"), *how, *reason = NULL;
    struct program_why why = {{0}, {0}};
    char today[CALDATE_TEXT];
    json_t *m, *out = NULL;
    struct form f;
    enum err e;

    if ((e = plan_model(r, id, NULL, NULL, &m)) != E_OK)
        return e;
    form_init(&f, r, m);
    how = form_choice(&f, "how", hows, true, "Say how the patient acknowledged the plan.");
    json_object_set_new(json_object_get(m, "form"), "verbal",
                        json_boolean(how && !strcmp(how, "verbal")));
    json_object_set_new(json_object_get(m, "form"), "in_person",
                        json_boolean(how && !strcmp(how, "in-person")));
    if (how && !strcmp(how, "in-person") && !form_checked(&f, "agrees"))
        form_problem(&f, "agrees", "The patient ticks this box once they have read the plan "
                                   "and agree with it.");
    if (how && !strcmp(how, "verbal"))
        reason = form_text(&f, "reason", PLAN_REASON_MAX, true, true,
                           "Say why the acknowledgement was verbal (e.g. by phone).");
    else
        form_text(&f, "reason", PLAN_REASON_MAX, false, true, NULL); /* kept, unused */
    if (f.problems) {
        audit_record(r, "acknowledge", "plan", id, "invalid");
        return E_INVALID;
    }
    e = store_plan_acknowledge(r->store, id, how, reason, plans_today(today), auth_user_id(r),
                               audit_entry(r, "acknowledge", "plan", id), &out, &why);
    json_decref(out);
    if (e != E_OK)
        return plans_failed(r, e, &why, "acknowledge", "plan", id);
    return redirect(r, "/staff/plans/%s", id);
}

enum err plans_plan_review(struct req *r)
{
    const char *id = req_param(r, "id");
    struct program_why why = {{0}, {0}};
    json_t *out = NULL;
    enum err e;

    e = store_plan_review(r->store, id, auth_user_id(r), audit_entry(r, "review", "plan", id),
                          &out, &why);
    if (e != E_OK)
        return plans_failed(r, e, &why, "review", "plan", id);
    e = redirect(r, "/staff/plans/%s", sget(out, "id"));
    json_decref(out);
    return e;
}
