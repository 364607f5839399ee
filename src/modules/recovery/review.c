/* review: a patient's relapse-prevention plan on the staff side
 * (/staff/patients/:id/recovery-plan), for clinicians and medical staff: the latest version
 * with its state, the approved one when another is being worked on, every version (?version=N
 * opens one), and, while one waits for review, the form to approve it or return it with a
 * comment the patient reads. The read is audited before anything is shown; a review is one
 * transaction with its audit entry (store/recovery.h). */
#include "modules/recovery/recovery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/recovery.h"
#include "http/resp.h"
#include "store/admissions.h"
#include "store/recovery.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/view.h"

static const char *sget(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* What staff call a status: the patient's words, except for the one waiting for them. */
static const char *staff_label(const json_t *v)
{
    enum recovery_status st = recovery_status_parse(sget(v, "status"));

    return st == RECOVERY_SUBMITTED ? "Waiting for review" : recovery_status_label(st);
}

/* A version as the staff page shows it. */
static json_t *staff_version(struct req *r, const json_t *v)
{
    enum recovery_status st = recovery_status_parse(sget(v, "status"));
    const json_t *c = json_object_get(v, "comment");

    return json_pack("{s:s, s:O, s:s, s:b, s:s, s:s, s:O, s:s, s:o}", "id", sget(v, "id"),
                     "version", json_object_get(v, "version"), "label", staff_label(v),
                     "submitted", st == RECOVERY_SUBMITTED, "updated",
                     view_time(r, sget(v, "updated_at")), "reviewer", sget(v, "reviewer"),
                     "comment", c ? c : json_null(), "reviewed",
                     json_is_string(json_object_get(v, "reviewed_at"))
                         ? view_time(r, sget(v, "reviewed_at"))
                         : "",
                     "sections", recovery_sections_view(json_object_get(v, "body")));
}

/* The versions table with links to each. */
static json_t *staff_versions(struct req *r, const char *pid, const json_t *list)
{
    json_t *out = json_array(), *v;
    char href[160];
    size_t i;

    json_array_foreach(list, i, v)
    {
        snprintf(href, sizeof(href), "/staff/patients/%s/recovery-plan?version=%lld", pid,
                 (long long)json_integer_value(json_object_get(v, "version")));
        json_array_append_new(
            out, json_pack("{s:O, s:s, s:s, s:s, s:s}", "version", json_object_get(v, "version"),
                           "label", staff_label(v),
                           "when", view_time(r, sget(v, "updated_at")), "reviewer",
                           sget(v, "reviewer"), "href", href));
    }
    return out;
}

/* The shown version: ?version=N, else the latest. */
static enum err shown_version(struct req *r, long patient, json_t **out)
{
    const char *q = req_query(r, "version");
    char *end;
    long n;

    if (!q)
        return store_recovery_latest(r->store, patient, out);
    n = strtol(q, &end, 10);
    if (*q < '1' || *q > '9' || *end || n > 1000000)
        return E_NOTFOUND;
    return store_recovery_version(r->store, patient, n, out);
}

/* The page's model for patient public id pid into r (req_model). */
static enum err page_model(struct req *r, const char *pid)
{
    json_t *p = NULL, *shown = NULL, *approved = NULL, *list = NULL, *m;
    char title[256];
    long patient;
    enum err e;

    if ((e = store_recovery_patient(r->store, pid, &patient)) != E_OK ||
        (e = store_adm_patient_get(r->store, pid, false, &p)) != E_OK ||
        (e = shown_version(r, patient, &shown)) != E_OK ||
        (e = store_recovery_approved(r->store, patient, &approved)) != E_OK ||
        (e = store_recovery_versions(r->store, patient, &list)) != E_OK)
        goto out;
    snprintf(title, sizeof(title), "Relapse-prevention plan: %s %s", sget(p, "first_name"),
             sget(p, "last_name"));
    m = req_model(r, view_staff_model(r, title));
    json_object_set_new(m, "patient", json_pack("{s:s, s:s, s:s}", "public_id", pid,
                                                "first_name", sget(p, "first_name"),
                                                "last_name", sget(p, "last_name")));
    if (shown)
        json_object_set_new(m, "shown", staff_version(r, shown));
    if (approved && shown && strcmp(sget(approved, "id"), sget(shown, "id")) != 0)
        json_object_set_new(m, "approved", staff_version(r, approved));
    json_object_set_new(m, "versions", staff_versions(r, pid, list));
    json_object_set_new(m, "reviewed_now", json_boolean(req_query(r, "reviewed") != NULL));
out:
    json_decref(p);
    json_decref(shown);
    json_decref(approved);
    json_decref(list);
    if (e == E_NOTFOUND)
        r->message = "There is no such patient, or no such version of the plan.";
    return e == E_OK || e == E_NOTFOUND ? e : E_DB;
}

enum err recovery_review_page(struct req *r)
{
    const char *pid = req_param(r, "id");
    enum err e = page_model(r, pid);

    /* No entry, no read. */
    if (audit_record(r, "view", "patient", pid, audit_outcome(e)) < 0 && e == E_OK) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return e;
}

enum err recovery_review_post(struct req *r)
{
    const char *pid = req_param(r, "id"), *version = req_form(r, "version"), *why, *comment;
    const char *decision = req_form(r, "decision");
    static const char *const decisions[] = {"approve", "return", NULL};
    bool approve;
    struct form f;
    char loc[160];
    long patient;
    enum err e;

    if ((e = page_model(r, pid)) != E_OK)
        goto fail;
    form_init(&f, r, r->model);
    decision = form_choice(&f, "decision", decisions, true, "Choose to approve or return it.");
    approve = decision && !strcmp(decision, "approve");
    comment = form_text(&f, "comment", RECOVERY_COMMENT_MAX * 4, false, true, NULL);
    if ((why = recovery_comment_problem(comment, decision && !approve)))
        form_problem(&f, "comment", why);
    if (f.problems) {
        e = E_INVALID;
        goto fail;
    }
    if ((e = store_recovery_patient(r->store, pid, &patient)) == E_OK)
        e = store_recovery_review(
            r->store, patient, version, approve, comment, auth_user_id(r),
            audit_entry(r, approve ? "approve" : "return", "recovery-plan", version));
    if (e != E_OK) {
        r->model = NULL;
        r->message = e == E_CONFLICT ? "This version is no longer waiting for review: the "
                                       "patient took it back or someone reviewed it. Please "
                                       "reload the page."
                                     : NULL;
        goto fail;
    }
    snprintf(loc, sizeof(loc), "/staff/patients/%s/recovery-plan?reviewed=1", pid);
    resp_redirect(r, 303, arena_strdup(r->arena, loc));
    return E_OK;
fail:
    audit_record(r, decision && !strcmp(decision, "return") ? "return" : "approve",
                 "recovery-plan", version ? version : pid, audit_outcome(e));
    if (e == E_NOTFOUND && !r->message)
        r->message = "There is no such version of this patient's plan.";
    return e == E_INVALID || e == E_CONFLICT || e == E_NOTFOUND ? e : E_DB;
}
