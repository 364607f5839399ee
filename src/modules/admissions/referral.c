/* referral: one referral's page: details, the assessment result (read-only, with scores), call
 * log and history, and the forms that log a call, move the referral along its life cycle
 * (domain/referral_flow) and assign it. */
#include "modules/admissions/admissions.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/referral_flow.h"
#include "http/resp.h"
#include "store/store_admissions.h"
#include "modules/admissions/common.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/view.h"

/* Staff who can be assigned a referral: admissions and clinicians, each once. */
static json_t *assignees(struct req *r, const char *current)
{
    static const char *const roles[] = {"admissions", "clinician"};
    json_t *out = json_array(), *seen = json_object(), *list, *u;
    size_t i;

    /* A hash of the ids already listed: a network's hundreds of staff stay linear. */
    for (size_t k = 0; k < 2; k++) {
        if (store_adm_staff_with_role(r->store, roles[k], &list) != E_OK)
            continue;
        json_array_foreach(list, i, u) {
            const char *id = json_string_value(json_object_get(u, "public_id"));
            if (!id || json_object_get(seen, id))
                continue;
            json_object_set_new(seen, id, json_true());
            json_array_append_new(out, json_pack("{s:s, s:O, s:b}", "public_id", id, "name",
                                                 json_object_get(u, "name"), "selected",
                                                 current && !strcmp(current, id)));
        }
        json_decref(list);
    }
    json_decref(seen);
    return out;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* The referral page's model from the store's referral. */
static json_t *referral_model(struct req *r, const char *id, const json_t *ref)
{
    const char *status = json_string_value(json_object_get(ref, "status"));
    const char *created = json_string_value(json_object_get(ref, "created_at"));
    enum referral_status st = REFERRAL_NEW, next[REFERRAL_N_STATUS];
    json_t *m = adm_model(r, "Referral"), *flags, *opts, *calls, *c;
    size_t n, i;
    bool crisis;

    referral_flow_status_parse(status, &st);
    flags = adm_flags(json_object_get(ref, "flags"), &crisis);
    json_object_set_new(m, "ref", json_pack(
        "{s:s, s:O, s:O, s:O, s:s, s:b, s:s, s:s, s:s, s:s, s:O, s:O, s:b, s:b, s:s}",
        "public_id", id, "name", json_object_get(ref, "name"), "phone",
        json_object_get(ref, "phone"), "email", json_object_get(ref, "email"), "best_time",
        adm_best_time_label(json_string_value(json_object_get(ref, "best_time"))),
        "voicemail_ok", json_is_true(json_object_get(ref, "voicemail_ok")), "created",
        adm_local(r, created), "age", adm_age(r, created, time(NULL)), "status", status,
        "status_label", referral_flow_status_label(st), "assignee",
        json_object_get(ref, "assignee"), "next_follow_up", json_object_get(ref, "next_follow_up"),
        "open", referral_flow_is_open(st), "crisis", crisis, "closed_reason",
        or_empty(referral_flow_close_reason_label(
            json_string_value(json_object_get(ref, "closed_reason"))))));
    json_object_set_new(m, "flags", flags);
    json_object_set_new(m, "result", adm_result_view(json_object_get(ref, "result")));
    opts = json_array();
    for (i = 0; referral_flow_call_outcome(i); i++)
        json_array_append_new(opts, json_pack("{s:s, s:s}", "value", referral_flow_call_outcome(i),
                                              "label", referral_flow_call_outcome_label(
                                                           referral_flow_call_outcome(i))));
    json_object_set_new(m, "outcomes", opts);
    opts = json_array();
    n = referral_flow_next(st, next, REFERRAL_N_STATUS);
    for (i = 0; i < n; i++)
        json_array_append_new(opts, json_pack("{s:s, s:s}", "value",
                                              referral_flow_status_name(next[i]), "label",
                                              referral_flow_status_label(next[i])));
    json_object_set_new(m, "next_statuses", opts);
    json_object_set_new(m, "can_move", json_boolean(n > 0));
    opts = json_array();
    for (i = 0; referral_flow_close_reason(i); i++)
        json_array_append_new(opts, json_pack("{s:s, s:s}", "value", referral_flow_close_reason(i),
                                              "label", referral_flow_close_reason_label(
                                                           referral_flow_close_reason(i))));
    json_object_set_new(m, "close_reasons", opts);
    json_object_set_new(m, "assignees",
                        assignees(r, json_string_value(json_object_get(ref, "assignee_id"))));
    calls = json_array();
    json_array_foreach(json_object_get(ref, "call_log"), i, c) {
        const char *o = json_string_value(json_object_get(c, "outcome"));
        json_array_append_new(calls, json_pack("{s:s, s:s, s:O, s:O, s:O}", "when",
                                               adm_local(r, json_string_value(json_object_get(c, "at"))),
                                               "outcome", referral_flow_call_outcome_label(o) ? referral_flow_call_outcome_label(o) : o,
                                               "note", json_object_get(c, "note"), "next_follow_up",
                                               json_object_get(c, "next_follow_up"), "by",
                                               json_object_get(c, "by")));
    }
    json_object_set_new(m, "calls", calls);
    json_object_set_new(m, "history", adm_timeline_view(r, json_object_get(ref, "events")));
    if (json_object_get(ref, "intake")) {
        const json_t *in = json_object_get(ref, "intake");
        json_object_set_new(m, "intake", json_pack(
            "{s:s, s:O, s:O, s:O}", "level_title",
            adm_level_title(json_string_value(json_object_get(in, "confirmed_level"))),
            "change_reason", json_object_get(in, "change_reason"), "notes",
            json_object_get(in, "notes"), "by", json_object_get(in, "by")));
    }
    json_object_set(m, "patient", json_object_get(ref, "patient"));
    json_object_set_new(m, "can_intake", json_boolean(st == REFERRAL_CONTACTED ||
                                                      st == REFERRAL_INTAKE_SCHEDULED));
    json_object_set_new(m, "can_admit", json_boolean(st == REFERRAL_INTAKE_SCHEDULED &&
                                                     json_object_get(ref, "intake")));
    json_object_set_new(m, "is_closed", json_boolean(st == REFERRAL_CLOSED));
    return m;
}

static void referral_page(struct req *r, const char *id, json_t *ref)
{
    /* No audit entry, no reading. */
    if (audit_record(r, "view", "referral", id, "ok") < 0) {
        view_error(r, 500, AUDIT_UNRECORDED);
        return;
    }
    view_render(r, 200, "admissions/referral", referral_model(r, id, ref));
}

/* Re-shows the referral page with the posted form's problems (422). */
static void referral_invalid(struct req *r, const char *id, json_t *ref, struct form *f)
{
    json_t *m = referral_model(r, id, ref);

    json_object_update(m, f->m);
    audit_record(r, "update", "referral", id, "invalid");
    view_render(r, 422, "admissions/referral", m);
}

/* After a write (its audit entry went in with it, in the store's transaction). */
static void done(struct req *r, const char *id)
{
    char *loc = arena_alloc(r->arena, 64);

    snprintf(loc, 64, "/staff/referrals/%s", id);
    resp_redirect(r, 303, loc);
}

static void post_call(struct req *r, const char *id, json_t *ref)
{
    static const char *const outcomes[] = {"reached", "voicemail", "no-answer", "wrong-number",
                                           NULL};
    json_t *scratch = json_object();
    struct form f;
    struct admissions_call c;
    enum referral_status st = REFERRAL_NEW;
    const char *to = NULL;
    enum err e;

    form_init(&f, r, scratch);
    c.outcome = form_choice(&f, "outcome", outcomes, true, "Please choose how the call went.");
    c.note = form_text(&f, "note", REFERRAL_NOTE_MAX, false, true, NULL);
    c.next_follow_up = form_date(&f, "next_follow_up", false, NULL);
    referral_flow_status_parse(json_string_value(json_object_get(ref, "status")), &st);
    if (!f.problems && !referral_flow_is_open(st))
        form_problem(&f, "outcome", "This referral is no longer open: calls cannot be logged.");
    if (f.problems) {
        referral_invalid(r, id, ref, &f);
        goto out;
    }
    if (!strcmp(c.outcome, "reached") &&
        referral_flow_check(st, REFERRAL_CONTACTED, REFERRAL_VIA_CALL, NULL) == E_OK)
        to = "contacted";
    e = store_adm_call_add(r->store, id, &c, referral_flow_status_name(st), to, auth_user_id(r),
                           audit_entry(r, "update", "referral", id));
    if (e != E_OK)
        adm_fail(r, e, "update", "referral", id);
    else
        done(r, id);
out:
    json_decref(scratch);
}

static void post_status(struct req *r, const char *id, json_t *ref)
{
    static const char *const all[] = {"new", "contacted", "intake-scheduled", "admitted",
                                      "closed", NULL};
    static const char *const reasons[] = {"referred-elsewhere", "not-reached", "declined",
                                          "duplicate", NULL};
    json_t *scratch = json_object();
    struct form f;
    enum referral_status from = REFERRAL_NEW, to = REFERRAL_NEW;
    const char *tos, *close, *note;
    enum err e;

    form_init(&f, r, scratch);
    tos = form_choice(&f, "to", all, true, "Please choose the new status.");
    close = form_choice(&f, "close_reason", reasons, false, "Please choose a reason from the list.");
    note = form_text(&f, "reason", REFERRAL_NOTE_MAX, false, true, NULL);
    referral_flow_status_parse(json_string_value(json_object_get(ref, "status")), &from);
    if (tos && referral_flow_status_parse(tos, &to) == E_OK && !f.problems) {
        e = referral_flow_check(from, to, REFERRAL_VIA_FORM, to == REFERRAL_CLOSED ? close : NULL);
        if (e == E_INVALID)
            form_problem(&f, "close_reason", "Please choose why the referral is closed.");
        else if (e != E_OK)
            form_problem(&f, "to", "A referral cannot move to that status from where it is now.");
    }
    if (f.problems) {
        referral_invalid(r, id, ref, &f);
        goto out;
    }
    e = store_adm_set_status(r->store, id, referral_flow_status_name(from), tos,
                             to == REFERRAL_CLOSED ? close : NULL, note, auth_user_id(r),
                             audit_entry(r, "update", "referral", id));
    if (e != E_OK)
        adm_fail(r, e, "update", "referral", id);
    else
        done(r, id);
out:
    json_decref(scratch);
}

static void post_assign(struct req *r, const char *id, json_t *ref)
{
    json_t *scratch = json_object();
    struct form f;
    const char *who;
    enum err e;

    form_init(&f, r, scratch);
    who = form_text(&f, "assignee", 64, false, false, NULL);
    if (f.problems) {
        referral_invalid(r, id, ref, &f);
        goto out;
    }
    e = store_adm_assign(r->store, id, who, auth_user_id(r), audit_entry(r, "update", "referral", id));
    if (e == E_INVALID) {
        form_problem(&f, "assignee", "Please choose a staff member from the list.");
        referral_invalid(r, id, ref, &f);
    } else if (e != E_OK) {
        adm_fail(r, e, "update", "referral", id);
    } else {
        done(r, id);
    }
out:
    json_decref(scratch);
}

/* Sub-pages and actions of /staff/referrals/ID, with the roles each needs on top of the
 * route's (confirming a level of care: a clinician, or medical staff who also work the queue). */
static const struct {
    const char *method, *action;
    void (*fn)(struct req *r, const char *id, json_t *ref);
    unsigned roles;
} actions[] = {
    {.method = "GET", .action = NULL, .fn = referral_page, .roles = ADM_QUEUE_ROLES},
    {.method = "GET", .action = "intake", .fn = adm_intake_page, .roles = ADM_QUEUE_ROLES},
    {.method = "GET", .action = "admit", .fn = adm_admit_page, .roles = ADM_QUEUE_ROLES},
    {.method = "POST", .action = "calls", .fn = post_call, .roles = ADM_QUEUE_ROLES},
    {.method = "POST", .action = "status", .fn = post_status, .roles = ADM_QUEUE_ROLES},
    {.method = "POST", .action = "assign", .fn = post_assign, .roles = ADM_QUEUE_ROLES},
    {.method = "POST", .action = "intake", .fn = adm_intake_post, .roles = ADM_LEVEL_ROLES},
    {.method = "POST", .action = "admit", .fn = adm_admit_post, .roles = ADM_QUEUE_ROLES},
};

static void dispatch(struct req *r, const char *method)
{
    const char *seg[2] = {NULL, NULL};
    int n = adm_path(r, "/staff/referrals/", seg, 2);
    json_t *ref = NULL;
    enum err e;

    r->no_store = true;
    if (n < 1) {
        view_error(r, 404, "There is no such page.");
        return;
    }
    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
        if (strcmp(actions[i].method, method) != 0 ||
            (actions[i].action ? n != 2 || strcmp(actions[i].action, seg[1]) : n != 1))
            continue;
        if (!auth_can(r, actions[i].roles)) {
            audit_record(r, *method == 'G' ? "view" : "update", "referral", seg[0], "denied");
            view_error(r, 403, "Your role does not allow this.");
            return;
        }
        if (*method == 'P' && !adm_csrf(r, "referral", seg[0]))
            return;
        if ((e = store_adm_referral_get(r->store, seg[0], &ref)) != E_OK) {
            adm_fail(r, e, *method == 'G' ? "view" : "update", "referral", seg[0]);
            return;
        }
        actions[i].fn(r, seg[0], ref);
        json_decref(ref);
        return;
    }
    view_error(r, 404, "There is no such page.");
}

enum err adm_referral_get(struct req *r)
{
    dispatch(r, "GET");
    return E_OK;
}

enum err adm_referral_post(struct req *r)
{
    dispatch(r, "POST");
    return E_OK;
}
