/* api: the treatment plans' JSON API (docs/api.md, "Diagnoses and treatment plans"): a
 * patient's versions, a new draft (seeded from the assessment unless the body brings its
 * problems), one version, its content replaced while a draft, signing with the signer's
 * password, the patient's acknowledgement, a review, and the version current on a date with
 * its objectives' public ids (which notes name). Bodies are read with the program module's
 * helpers (modules/program/body.c): every problem answered together, each with its field. */
#include "modules/plans/plans.h"

#include <string.h>

#include "domain/plan.h"
#include "modules/account/account.h"
#include "modules/program/program.h"
#include "store/plans.h"
#include "web/audit.h"
#include "web/auth.h"

static const char *const hows[] = {"in-person", "verbal", NULL};

enum err plans_api_list(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *out = NULL;
    enum err e = store_plan_list(r->store, id, &out); /* before out is read */

    return plans_shown(r, e, out, "plans", id);
}

enum err plans_api_get(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *out = NULL;
    enum err e = store_plan_get(r->store, id, &out); /* before out is read */

    return plans_shown(r, e, out, "plan", id);
}

enum err plans_api_current(struct req *r)
{
    const char *id = req_param(r, "id");
    char today[CALDATE_TEXT], date[CALDATE_TEXT];
    json_t *plan = NULL;
    caldate d;
    enum err e = E_OK;

    caldate_parse(plans_today(today), &d);
    if (!program_query_date(r, "date", d, &d, &e))
        return e;
    caldate_format(d, date);
    if ((e = store_plan_current(r->store, id, date, &plan)) != E_OK)
        return plans_failed(r, e, NULL, "view", "plans", id);
    req_model(r, json_pack("{s:s, s:s, s:o}", "patient_id", id, "date", date, "plan", plan));
    /* The version read is the record shown; with none, the patient's plans were looked at. */
    if (plans_audit_read(r, json_is_null(plan) ? "plans" : "plan",
                         json_is_null(plan) ? id
                                            : json_string_value(json_object_get(plan, "id"))) <
        0) {
        r->model = NULL;
        return E_DB;
    }
    return E_OK;
}

/* A body carrying a plan's content: checked whole (plan_check), E_OK or the 422 answer. */
static enum err content_checked(struct body *b, const char *action, const char *id)
{
    plan_check(b->root, b->details);
    return program_checked(b, action, "plan", id);
}

enum err plans_api_create(struct req *r)
{
    const char *id = req_param(r, "id");
    struct program_why why = {{0}, {0}};
    json_t *out = NULL, *seeded = NULL;
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    if ((e = content_checked(&b, "create", id)) != E_OK)
        return e;
    /* No problems sent: those the assessment proposes (the summary, if sent, is kept). */
    if (!json_is_array(json_object_get(b.root, "problems"))) {
        if ((e = store_plan_seed(r->store, id, &seeded)) != E_OK)
            return plans_failed(r, e, NULL, "create", "plan", id);
        json_object_set_new(b.root, "problems", seeded);
    }
    e = store_plan_create(r->store, id, b.root, auth_user_id(r),
                          audit_entry(r, "create", "plan", NULL), &out, &why);
    return program_written(r, e, out, &why, "create", "plan", id, 201);
}

enum err plans_api_put(struct req *r)
{
    const char *id = req_param(r, "id");
    struct program_why why = {{0}, {0}};
    json_t *out = NULL;
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    if ((e = content_checked(&b, "update", id)) != E_OK)
        return e;
    e = store_plan_replace(r->store, id, b.root, audit_entry(r, "update", "plan", id), &out,
                           &why);
    return program_written(r, e, out, &why, "update", "plan", id, 0);
}

/* Whether the plan id may be signed now: E_OK, or the answer (404, 409, 422 with every
 * blocker), audited. */
static enum err signable(struct req *r, const char *id)
{
    struct program_why why = {{0}, {0}};
    enum plan_status st = PLAN_DRAFT;
    json_t *plan = NULL, *blockers;
    enum err e;

    if ((e = store_plan_get(r->store, id, &plan)) != E_OK)
        return plans_failed(r, e, NULL, "sign", "plan", id);
    plan_status_parse(json_string_value(json_object_get(plan, "status")), &st);
    if (!plan_allows(st, PLAN_SIGN)) {
        e = plans_why(&why, E_CONFLICT, "status", plan_refusal(st, PLAN_SIGN));
        json_decref(plan);
        return plans_failed(r, e, &why, "sign", "plan", id);
    }
    blockers = plans_blockers(plan);
    json_decref(plan);
    if (!json_array_size(blockers)) {
        json_decref(blockers);
        return E_OK;
    }
    audit_record(r, "sign", "plan", id, "invalid");
    req_model(r, json_pack("{s:s, s:o}", "error", "invalid", "details", blockers));
    return E_INVALID;
}

enum err plans_api_sign(struct req *r)
{
    const char *id = req_param(r, "id"), *password;
    struct program_why why = {{0}, {0}};
    json_t *out = NULL;
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    password = body_text(&b, "password", 1024, true, "Give your password to sign.");
    if ((e = program_checked(&b, "sign", "plan", id)) != E_OK || (e = signable(r, id)) != E_OK)
        return e;
    /* The signer's password again (audited and counted like a sign-in by account/). */
    if ((e = account_reconfirm(r, password, "sign-plan")) != E_OK) {
        if (e != E_DENIED)
            return plans_failed(r, e, NULL, "sign", "plan", id);
        return program_invalid(r, "password", "That password is not right.");
    }
    e = store_plan_sign(r->store, id, auth_user_id(r), audit_entry(r, "sign", "plan", id), &out,
                        &why);
    return program_written(r, e, out, &why, "sign", "plan", id, 0);
}

enum err plans_api_acknowledge(struct req *r)
{
    const char *id = req_param(r, "id"), *how, *reason;
    struct program_why why = {{0}, {0}};
    char today[CALDATE_TEXT];
    json_t *out = NULL;
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    how = plans_body_choice(&b, "how", hows,
                            "Say how the patient acknowledged: in-person or verbal.", "verbal",
                            PLAN_REASON_MAX, "Say why the acknowledgement was verbal.", &reason);
    if ((e = program_checked(&b, "acknowledge", "plan", id)) != E_OK)
        return e;
    e = store_plan_acknowledge(r->store, id, how, reason,
                               plans_today(today), auth_user_id(r),
                               audit_entry(r, "acknowledge", "plan", id), &out, &why);
    return program_written(r, e, out, &why, "acknowledge", "plan", id, 0);
}

enum err plans_api_review(struct req *r)
{
    const char *id = req_param(r, "id");
    struct program_why why = {{0}, {0}};
    json_t *out = NULL;
    enum err e;

    /* The body, if any, says nothing: a review copies the current version. */
    e = store_plan_review(r->store, id, auth_user_id(r), audit_entry(r, "review", "plan", id),
                          &out, &why);
    return program_written(r, e, out, &why, "review", "plan", id, 201);
}
