/* referral: one referral's page (details, the assessment result read-only with scores, call log
 * and history) and its three forms: log a call, move the referral along its life cycle
 * (domain/referral_flow; scheduling the intake takes its date and time), assign it. A crisis
 * referral's page opens with its clinical summary and the crisis protocol, before the forms.
 * A change lands with its audit entry and leads back to the page; a form with problems shows
 * the page again with them, next to their fields. */
#include "modules/admissions/admissions.h"

#include <string.h>
#include <time.h>

#include "domain/clinic.h"
#include "domain/referral_flow.h"
#include "store/admissions.h"
#include "store/clinic.h"
#include "modules/admissions/common.h"
#include "web/view.h"
#include "web/audit.h"
#include "web/auth.h"

#define REFERRAL_PAGE "/staff/referrals/"

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

/* The referral's facts, for the top of the page. */
static json_t *referral_facts(struct req *r, const char *id, const json_t *ref,
                              enum referral_status st, bool crisis)
{
    const char *status = json_string_value(json_object_get(ref, "status"));
    const char *created = json_string_value(json_object_get(ref, "created_at"));
    const char *closed = referral_flow_close_reason_label(
        json_string_value(json_object_get(ref, "closed_reason")));
    const char *intake_at = admissions_string(ref, "intake_at");
    json_t *facts;

    facts = json_pack(
        "{s:s, s:O, s:O, s:O, s:s, s:b, s:s, s:s, s:s, s:s, s:O, s:O, s:b, s:b, s:s}",
        "public_id", id, "name", json_object_get(ref, "name"), "phone",
        json_object_get(ref, "phone"), "email", json_object_get(ref, "email"), "best_time",
        referral_flow_best_time_label(json_string_value(json_object_get(ref, "best_time"))),
        "voicemail_ok", json_is_true(json_object_get(ref, "voicemail_ok")), "created",
        view_time(r, created), "age", admissions_age(r, created, time(NULL)), "status", status,
        "status_label", referral_flow_status_label(st),
        "assignee", json_object_get(ref, "assignee"), "next_follow_up",
        json_object_get(ref, "next_follow_up"), "open", referral_flow_is_open(st), "crisis",
        crisis, "closed_reason", closed ? closed : "");
    if (facts && *intake_at)
        json_object_set_new(facts, "intake_at", json_string(view_time(r, intake_at)));
    return facts;
}

/* The sections whose answers a crisis referral's summary shows. */
static const char *const summary_sections[] = {"asq", "health", NULL};

/* Is one of these flag codes among the referral's? */
static bool has_flag(const json_t *flags, const char *a, const char *b)
{
    const json_t *f;
    size_t i;

    json_array_foreach(flags, i, f) {
        const char *code = json_string_value(f);
        if (code && ((a && !strcmp(code, a)) || (b && !strcmp(code, b))))
            return true;
    }
    return false;
}

/* A crisis referral's clinical summary (the level recommended, the safety and withdrawal
 * answers with the urgent ones marked) and, while it is open, the protocol's particulars: which
 * hand-off fits (988 for suicide risk, 911 for dangerous withdrawal), the clinic's number for a
 * voicemail. */
static json_t *crisis_summary(struct req *r, const json_t *ref, bool open)
{
    const json_t *flags = json_object_get(ref, "flags");
    json_t *answers = admissions_answers_of(r, json_object_get(ref, "answers"), summary_sections);
    json_t *urgent = json_array(), *sec, *it;
    struct clinic c;
    size_t i, j;

    json_array_foreach(answers, i, sec) json_array_foreach(json_object_get(sec, "items"), j, it)
        if (json_is_true(json_object_get(it, "urgent")))
            json_array_append(urgent, it);
    if (store_clinic_get(r->store, &c) != E_OK)
        clinic_defaults(&c);
    return json_pack("{s:s, s:o, s:b, s:o, s:b, s:b, s:b, s:b, s:s}", "level_title",
                     admissions_level_title(admissions_string(ref, "level")), "answers", answers,
                     "has_urgent", json_array_size(urgent) > 0, "urgent", urgent, "open", open,
                     "suicide",
                     has_flag(flags, "suicide-acute", "suicide-risk"), "acute",
                     has_flag(flags, "suicide-acute", NULL), "withdrawal",
                     has_flag(flags, "withdrawal-danger", NULL), "clinic_phone", c.phone);
}

/* Marks the option of opts whose value is chosen as selected (a form shown again). */
static void mark_selected(json_t *opts, const char *chosen)
{
    json_t *o;
    size_t i;

    json_array_foreach(opts, i, o) json_object_set_new(
        o, "selected", json_boolean(chosen && !strcmp(chosen, admissions_string(o, "value"))));
}

/* The choices of the call and status forms: call outcomes, the statuses the referral may move
 * to from st (and whether there is any), reasons for closing. */
static void referral_choices(json_t *m, enum referral_status st)
{
    enum referral_status next[REFERRAL_N_STATUS];
    json_t *opts = json_array();
    const char *v;
    size_t n, i;

    for (i = 0; (v = referral_flow_call_outcome(i)); i++)
        json_array_append_new(opts, json_pack("{s:s, s:s}", "value", v, "label",
                                              referral_flow_call_outcome_label(v)));
    json_object_set_new(m, "outcomes", opts);
    opts = json_array();
    n = referral_flow_next(st, next, REFERRAL_N_STATUS);
    for (i = 0; i < n; i++)
        json_array_append_new(opts, json_pack("{s:s, s:s}", "value",
                                              referral_flow_status_name(next[i]), "label",
                                              referral_flow_status_label(next[i])));
    json_object_set_new(m, "next_statuses", opts);
    json_object_set_new(m, "can_move", json_boolean(n > 0));
    for (i = 0; i < n; i++)
        if (next[i] == REFERRAL_INTAKE_SCHEDULED)
            json_object_set_new(m, "can_schedule", json_true());
    opts = json_array();
    for (i = 0; (v = referral_flow_close_reason(i)); i++)
        json_array_append_new(opts, json_pack("{s:s, s:s}", "value", v, "label",
                                              referral_flow_close_reason_label(v)));
    json_object_set_new(m, "close_reasons", opts);
}

/* The call log as rows to show: {when, outcome, note, next_follow_up, by}. */
static json_t *referral_calls(struct req *r, const json_t *log)
{
    json_t *calls = json_array(), *c;
    size_t i;

    json_array_foreach(log, i, c) {
        const char *o = json_string_value(json_object_get(c, "outcome"));
        const char *label = referral_flow_call_outcome_label(o);
        json_array_append_new(
            calls, json_pack("{s:s, s:s, s:O, s:O, s:O}", "when",
                             view_time(r, json_string_value(json_object_get(c, "at"))), "outcome",
                             label ? label : o, "note", json_object_get(c, "note"),
                             "next_follow_up", json_object_get(c, "next_follow_up"), "by",
                             json_object_get(c, "by")));
    }
    return calls;
}

/* The referral page's model from the store's referral. New reference. */
static json_t *referral_model(struct req *r, const char *id, const json_t *ref)
{
    const json_t *in = json_object_get(ref, "intake");
    enum referral_status st = REFERRAL_NEW;
    json_t *m = admissions_model(r, "Referral"), *flags;
    bool crisis;

    referral_flow_status_parse(json_string_value(json_object_get(ref, "status")), &st);
    flags = admissions_flags(json_object_get(ref, "flags"), &crisis);
    json_object_set_new(m, "ref", referral_facts(r, id, ref, st, crisis));
    if (crisis)
        json_object_set_new(m, "crisis_summary",
                            crisis_summary(r, ref, referral_flow_is_open(st)));
    json_object_set_new(m, "flags", flags);
    json_object_set_new(m, "result", admissions_result_view(json_object_get(ref, "result")));
    referral_choices(m, st);
    json_object_set_new(m, "assignees",
                        assignees(r, json_string_value(json_object_get(ref, "assignee_id"))));
    json_object_set_new(m, "calls", referral_calls(r, json_object_get(ref, "call_log")));
    json_object_set_new(m, "history", timeline_view(r, json_object_get(ref, "events")));
    if (in)
        json_object_set_new(
            m, "intake",
            json_pack(
                "{s:s, s:O, s:O, s:O}", "level_title",
                admissions_level_title(json_string_value(json_object_get(in, "confirmed_level"))),
                "change_reason", json_object_get(in, "change_reason"), "notes",
                json_object_get(in, "notes"), "by", json_object_get(in, "by")));
    json_object_set(m, "patient", json_object_get(ref, "patient"));
    json_object_set_new(m, "can_intake", json_boolean(st == REFERRAL_CONTACTED ||
                                                      st == REFERRAL_INTAKE_SCHEDULED));
    json_object_set_new(m, "can_admit", json_boolean(st == REFERRAL_INTAKE_SCHEDULED && in));
    json_object_set_new(m, "is_closed", json_boolean(st == REFERRAL_CLOSED));
    return m;
}

enum err referral_page(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *ref;
    enum err e;

    if ((e = admissions_referral_shown(r, id, &ref)) != E_OK)
        return e;
    req_model(r, referral_model(r, id, ref));
    return E_OK;
}

/* The page again with a posted form's problems (form: that form's model), audited. */
static enum err referral_invalid(struct req *r, const char *id, const json_t *ref, json_t *form)
{
    json_t *m = req_model(r, referral_model(r, id, ref));
    const json_t *typed = json_object_get(form, "form");

    json_object_update(m, form);
    mark_selected(json_object_get(m, "outcomes"), admissions_string(typed, "outcome"));
    mark_selected(json_object_get(m, "next_statuses"), admissions_string(typed, "to"));
    mark_selected(json_object_get(m, "close_reasons"), admissions_string(typed, "close_reason"));
    audit_record(r, "update", "referral", id, "invalid");
    return E_INVALID;
}

/* After a change, whose audit entry went in with it in the store's transaction: the page. */
static enum err referral_done(struct req *r, const char *id, enum err e)
{
    if (e != E_OK)
        return admissions_failed(r, e, "update", "referral", id);
    return admissions_redirect(r, REFERRAL_PAGE, id, "");
}

enum err referral_post_call(struct req *r)
{
    const char *const *outcomes = admissions_codes(r, referral_flow_call_outcome);
    const char *id = req_param(r, "id"), *to = NULL;
    json_t *ref, *form = NULL;
    enum referral_status st = REFERRAL_NEW;
    struct admissions_call c;
    struct form f;
    enum err e;

    if ((e = admissions_referral(r, id, "update", &ref)) != E_OK)
        return e;
    form = json_object();
    form_init(&f, r, form);
    c.outcome = form_choice(&f, "outcome", outcomes, true, "Please choose how the call went.");
    c.note = form_text(&f, "note", REFERRAL_NOTE_MAX, false, true, NULL);
    c.next_follow_up = form_date(&f, "next_follow_up", false, NULL);
    referral_flow_status_parse(json_string_value(json_object_get(ref, "status")), &st);
    if (!f.problems && !referral_flow_is_open(st))
        form_problem(&f, "outcome", "This referral is no longer open: calls cannot be logged.");
    if (f.problems) {
        e = referral_invalid(r, id, ref, form);
        goto out;
    }
    /* A call that reached the person (a hand-off too) moves a new referral to contacted, in
     * the same write. */
    if (referral_flow_call_outcome_reached(c.outcome) &&
        referral_flow_check(st, REFERRAL_CONTACTED, REFERRAL_VIA_CALL, NULL) == E_OK)
        to = "contacted";
    e = referral_done(r, id,
                      store_adm_call_add(r->store, id, &c, referral_flow_status_name(st), to,
                                         auth_user_id(r),
                                         audit_entry(r, "update", "referral", id)));
out:
    json_decref(form);
    return e;
}

enum err referral_post_status(struct req *r)
{
    static const char *const all[] = {"new", "contacted", "intake-scheduled", "admitted",
                                      "closed", NULL};
    const char *const *reasons = admissions_codes(r, referral_flow_close_reason);
    const char *id = req_param(r, "id"), *tos, *close, *note, *intake_at = NULL;
    enum referral_status from = REFERRAL_NEW, to = REFERRAL_NEW;
    json_t *ref, *form = NULL;
    struct form f;
    enum err e;

    if ((e = admissions_referral(r, id, "update", &ref)) != E_OK)
        return e;
    form = json_object();
    form_init(&f, r, form);
    tos = form_choice(&f, "to", all, true, "Please choose the new status.");
    close = form_choice(&f, "close_reason", reasons, false,
                        "Please choose a reason from the list.");
    note = form_text(&f, "reason", REFERRAL_NOTE_MAX, false, true, NULL);
    /* Scheduling the intake takes its date and time; other moves ignore them. */
    if (tos && !strcmp(tos, referral_flow_status_name(REFERRAL_INTAKE_SCHEDULED)))
        intake_at = admissions_intake_at(&f, true);
    referral_flow_status_parse(json_string_value(json_object_get(ref, "status")), &from);
    if (tos && referral_flow_status_parse(tos, &to) == E_OK && !f.problems) {
        e = referral_flow_check(from, to, REFERRAL_VIA_FORM, to == REFERRAL_CLOSED ? close : NULL);
        if (e == E_INVALID)
            form_problem(&f, "close_reason", "Please choose why the referral is closed.");
        else if (e != E_OK)
            form_problem(&f, "to", "A referral cannot move to that status from where it is now.");
    }
    if (f.problems) {
        e = referral_invalid(r, id, ref, form);
        goto out;
    }
    e = referral_done(r, id,
                      store_adm_set_status(r->store, id, referral_flow_status_name(from), tos,
                                           to == REFERRAL_CLOSED ? close : NULL, intake_at, note,
                                           auth_user_id(r),
                                           audit_entry(r, "update", "referral", id)));
out:
    json_decref(form);
    return e;
}

enum err referral_post_assign(struct req *r)
{
    const char *id = req_param(r, "id"), *who;
    json_t *ref, *form = NULL;
    struct form f;
    enum err e;

    if ((e = admissions_referral(r, id, "update", &ref)) != E_OK)
        return e;
    form = json_object();
    form_init(&f, r, form);
    who = form_text(&f, "assignee", 64, false, false, NULL);
    if (f.problems) {
        e = referral_invalid(r, id, ref, form);
        goto out;
    }
    e = store_adm_assign(r->store, id, who, auth_user_id(r),
                         audit_entry(r, "update", "referral", id));
    /* Only staff who work referrals may be assigned one: the store says who they are. */
    if (e == E_INVALID) {
        form_problem(&f, "assignee", "Please choose a staff member from the list.");
        e = referral_invalid(r, id, ref, form);
    } else {
        e = referral_done(r, id, e);
    }
out:
    json_decref(form);
    return e;
}
