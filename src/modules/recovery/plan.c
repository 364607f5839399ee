/* plan: the patient's relapse-prevention plan (/me/plan): the approved version (what Help now
 * shows), the state of the one being worked on with the counsellor's comment, every version;
 * the editor (/me/plan/edit: a plain form with a few empty rows per section, no JavaScript),
 * saving and sending it for review, taking a sent one back, and reading an old version. Every
 * read and write is keyed by the signed-in patient (auth_patient_id); the version number in
 * /me/plan/versions/:n is looked up among that patient's versions only. */
#include "modules/recovery/recovery.h"

#include <stdio.h>
#include <string.h>

#include "domain/recovery.h"
#include "http/resp.h"
#include "modules/portal/portal.h"
#include "store/recovery.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/view.h"

#define VERSION_MAX 1000000

static const char *sget(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* Audits the patient's read of their plan; false (and the page's answer set) when it could
 * not be recorded: no entry, no read. */
static bool read_audited(struct req *r)
{
    if (portal_audit(r, "view", "patient", r->user->public_id, "ok") < 0) {
        r->message = AUDIT_UNRECORDED;
        return false;
    }
    return true;
}

/* A version as the patient's pages show it (v: a store read; NULL gives NULL). */
static json_t *version_view(struct req *r, const json_t *v)
{
    enum recovery_status st = recovery_status_parse(sget(v, "status"));
    const json_t *c = json_object_get(v, "comment");

    if (!v)
        return NULL;
    return json_pack("{s:s, s:I, s:s, s:s, s:b, s:b, s:b, s:b, s:O, s:s, s:s, s:o}", "id",
                     sget(v, "id"), "version", json_integer_value(json_object_get(v, "version")),
                     "status", recovery_status_name(st), "label", recovery_status_label(st),
                     "draft", st == RECOVERY_DRAFT, "submitted", st == RECOVERY_SUBMITTED,
                     "returned", st == RECOVERY_RETURNED, "approved", st == RECOVERY_APPROVED,
                     "comment", c ? c : json_null(), "reviewer", sget(v, "reviewer"), "when",
                     view_time(r, json_is_string(json_object_get(v, "reviewed_at"))
                                      ? sget(v, "reviewed_at")
                                      : sget(v, "updated_at")),
                     "sections", recovery_sections_view(json_object_get(v, "body")));
}

/* The versions table: [{version, label, when, href}]. */
static json_t *versions_view(struct req *r, const json_t *list, const char *base)
{
    json_t *out = json_array(), *v;
    char href[160];
    size_t i;

    json_array_foreach(list, i, v)
    {
        json_int_t n = json_integer_value(json_object_get(v, "version"));
        snprintf(href, sizeof(href), "%s/%lld", base, (long long)n);
        json_array_append_new(
            out, json_pack("{s:I, s:s, s:s, s:s}", "version", n, "label",
                           recovery_status_label(recovery_status_parse(sget(v, "status"))),
                           "when", view_time(r, sget(v, "updated_at")), "href", href));
    }
    return out;
}

enum err recovery_plan_page(struct req *r)
{
    long patient = auth_patient_id(r);
    json_t *latest = NULL, *approved = NULL, *list = NULL, *m;
    enum err e;

    if (!read_audited(r))
        return E_DB;
    if ((e = store_recovery_latest(r->store, patient, &latest)) != E_OK ||
        (e = store_recovery_approved(r->store, patient, &approved)) != E_OK ||
        (e = store_recovery_versions(r->store, patient, &list)) != E_OK)
        goto out;
    m = req_model(r, portal_model(r, "My relapse-prevention plan"));
    if (approved)
        json_object_set_new(m, "approved", version_view(r, approved));
    /* The one being worked on, when it is not the approved one. */
    if (latest && strcmp(sget(latest, "status"), "approved") != 0)
        json_object_set_new(m, "working", version_view(r, latest));
    json_object_set_new(m, "versions", versions_view(r, list, "/me/plan/versions"));
    json_object_set_new(m, "has_versions", json_boolean(json_array_size(list) > 1));
    json_object_set_new(m, "saved", json_boolean(req_query(r, "saved") != NULL));
    json_object_set_new(m, "sent", json_boolean(req_query(r, "sent") != NULL));
    recovery_offline_mark(r, m);
out:
    json_decref(latest);
    json_decref(approved);
    json_decref(list);
    return e == E_OK ? E_OK : E_DB;
}

/* The editor's page model: the rows of body, the version it was made from, and the latest
 * version's state (the comment of a returned one). */
static json_t *editor_model(struct req *r, const json_t *latest)
{
    json_t *m = portal_model(r, "Edit my plan");

    json_object_set_new(m, "based_on", json_string(sget(latest, "id")));
    if (latest)
        json_object_set_new(m, "latest", version_view(r, latest));
    return m;
}

enum err recovery_plan_edit(struct req *r)
{
    json_t *latest = NULL, *m;

    if (!read_audited(r))
        return E_DB;
    if (store_recovery_latest(r->store, auth_patient_id(r), &latest) != E_OK)
        return E_DB;
    m = req_model(r, editor_model(r, latest));
    /* A version waiting for review is not edited: the patient may take it back first. */
    if (!latest || strcmp(sget(latest, "status"), "submitted") != 0) {
        json_object_set_new(m, "editing", json_true());
        json_object_set_new(m, "sections",
                            recovery_sections_editor(json_object_get(latest, "body"), NULL));
    }
    json_decref(latest);
    return E_OK;
}

enum err recovery_plan_save(struct req *r)
{
    const char *action = req_form(r, "action"), *why, *based_on = req_form(r, "based_on");
    bool submit = action && !strcmp(action, "submit");
    json_t *latest = NULL, *body, *m;
    int coping = 0;
    struct form f;
    enum err e;

    if (store_recovery_latest(r->store, auth_patient_id(r), &latest) != E_OK)
        return E_DB;
    m = req_model(r, editor_model(r, latest));
    json_decref(latest);
    json_object_set_new(m, "based_on", json_string(based_on ? based_on : ""));
    form_init(&f, r, m);
    body = recovery_sections_read(&f, &coping);
    if (submit && (why = recovery_submit_problem(coping)))
        form_problem(&f, "coping-1", why);
    if (f.problems) {
        json_object_set_new(m, "editing", json_true());
        json_object_set_new(m, "sections",
                            recovery_sections_editor(body, json_object_get(m, "err")));
        json_decref(body);
        portal_audit(r, submit ? "submit" : "update", "recovery-plan", NULL, "invalid");
        return E_INVALID;
    }
    e = store_recovery_save(r->store, auth_patient_id(r), based_on, body, submit,
                            portal_entry(r, submit ? "submit" : "update", "recovery-plan", NULL,
                                         "ok"),
                            NULL);
    json_decref(body);
    r->model = NULL;
    if (e != E_OK) {
        portal_audit(r, submit ? "submit" : "update", "recovery-plan", NULL, audit_outcome(e));
        r->message = e == E_CONFLICT
                         ? "Your plan changed in the meantime (in another window, perhaps), or it "
                           "is waiting for your counsellor. Please open it again."
                         : "Your plan could not be saved. Please try again in a minute.";
        return e == E_CONFLICT ? E_CONFLICT : E_DB;
    }
    resp_redirect(r, 303, submit ? "/me/plan?sent=1" : "/me/plan?saved=1");
    return E_OK;
}

enum err recovery_plan_withdraw(struct req *r)
{
    const char *id = req_form(r, "version");
    enum err e;

    e = store_recovery_withdraw(r->store, auth_patient_id(r), id,
                                portal_entry(r, "withdraw", "recovery-plan", id, "ok"));
    if (e != E_OK) {
        portal_audit(r, "withdraw", "recovery-plan", id, audit_outcome(e));
        r->message = e == E_CONFLICT ? "This version is no longer waiting for your counsellor. "
                                       "Please open your plan again."
                                     : "Your plan could not be changed. Please try again.";
        return e == E_CONFLICT ? E_CONFLICT : E_DB;
    }
    resp_redirect(r, 303, "/me/plan/edit");
    return E_OK;
}

/* A version number from the address: 1 to VERSION_MAX, digits only; 0 otherwise. */
static long version_of(const char *text)
{
    long v = 0;

    for (const char *p = text; p && *p; p++) {
        if (*p < '0' || *p > '9' || v > VERSION_MAX / 10)
            return 0;
        v = v * 10 + (*p - '0');
    }
    return v <= VERSION_MAX ? v : 0;
}

enum err recovery_plan_version(struct req *r)
{
    long n = version_of(req_param(r, "n"));
    json_t *v = NULL, *m;
    enum err e;

    if (!read_audited(r))
        return E_DB;
    e = n ? store_recovery_version(r->store, auth_patient_id(r), n, &v) : E_NOTFOUND;
    if (e != E_OK) {
        r->message = "There is no such version of your plan.";
        return e == E_NOTFOUND ? E_NOTFOUND : E_DB;
    }
    m = req_model(r, portal_model(r, "An earlier version of my plan"));
    json_object_set_new(m, "plan", version_view(r, v));
    json_decref(v);
    return E_OK;
}
