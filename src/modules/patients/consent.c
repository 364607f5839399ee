/* consent: recording and revoking a patient's written consent to disclose, from the chart,
 * with the elements 42 CFR 2.31 (2024 rule) requires: the patient, who may disclose, what
 * information, to whom, for what purpose, until when (a date or "end of treatment"), the right
 * to revoke, and the patient's signature and date (typed name + checkbox + time). A form with
 * problems comes back inside the chart (422); each write carries its audit entry. Revoking has
 * a page of its own that names the patient, the recipient and the effect, and asks how the
 * patient revoked (in writing or verbally) and for a ticked confirmation: no revocation in one
 * click, and none without its "how" (422 otherwise). */
#include "modules/patients/patients.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/timefmt.h"
#include "domain/patient_flow.h"
#include "modules/admissions/common.h"
#include "store/admissions.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/view.h"

/* Does the typed signature carry the patient's last name (any case)? */
static bool signature_matches(const char *typed, const char *last)
{
    size_t n = strlen(last);

    for (const char *p = typed; n && *p; p++)
        if (strncasecmp(p, last, n) == 0)
            return true;
    return false;
}

/* Until when: the end of treatment, or a date that has not passed. */
static void consent_expiry(struct form *f, json_t *m, struct admissions_consent *c)
{
    static const char *const kinds[] = {"end-of-treatment", "date", NULL};
    const char *kind;
    char today[11];

    kind = form_choice(f, "expiry", kinds, true,
                       "Please choose when the consent ends: a date or the end of treatment.");
    c->end_of_treatment = kind && !strcmp(kind, "end-of-treatment");
    json_object_set_new(json_object_get(m, "form"), "end_of_treatment",
                        json_boolean(c->end_of_treatment));
    json_object_set_new(json_object_get(m, "form"), "expiry_date",
                        json_boolean(kind && !strcmp(kind, "date")));
    if (kind && !strcmp(kind, "date")) {
        c->expires_on = form_date(f, "expires_on", true, "Please give the date the consent ends.");
        timefmt_today(time(NULL), today);
        if (c->expires_on && strcmp(c->expires_on, today) < 0)
            form_problem(f, "expires_on", "This date has passed: please give a future date.");
    } else {
        form_text(f, "expires_on", 10, false, false, NULL); /* keep it, unused */
    }
}

/* Reads the consent form into c and the chart m, each problem by its field; p: the patient. */
static void consent_read(struct form *f, const json_t *p, json_t *m, struct admissions_consent *c)
{
    c->discloser = form_text(f, "discloser", 200, true, false,
                             "Please say who may disclose the information.");
    c->information = form_text(f, "information", 1000, true, true,
                               "Please describe what information may be disclosed.");
    c->recipient = form_text(f, "recipient", 300, true, false,
                             "Please name to whom it may be disclosed.");
    c->purpose = form_text(f, "purpose", 500, true, true, "Please give the purpose.");
    consent_expiry(f, m, c);
    c->revoke_acknowledged = form_checked(f, "revoke_ack");
    if (!c->revoke_acknowledged)
        form_problem(f, "revoke_ack",
                     "Please confirm the patient was told they may revoke this consent.");
    c->signature_name = form_text(f, "signature_name", 200, true, false,
                                  "Please have the patient type their full name.");
    if (c->signature_name &&
        !signature_matches(c->signature_name,
                           json_string_value(json_object_get(p, "last_name"))))
        form_problem(f, "signature_name", "The typed name should be the patient's full name.");
    c->signed_ = form_checked(f, "signed");
    if (!c->signed_)
        form_problem(f, "signed", "Please have the patient tick the box to sign.");
}

enum err consent_add(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *p = NULL, *m = NULL;
    struct admissions_consent c = {0};
    struct form f;
    enum err e;

    if ((e = chart_load(r, id, &p, &m)) != E_OK)
        goto out;
    /* The consent form reads the top level of the chart's model (the edit forms have theirs). */
    form_init(&f, r, m);
    consent_read(&f, p, m, &c);
    if (f.problems) {
        req_model(r, m);
        m = NULL;
        e = E_INVALID;
        goto out;
    }
    /* The store sets the entry's record id to the new consent's, inside its transaction. */
    if ((e = store_adm_consent_add(r->store, id, &c, auth_user_id(r),
                                   audit_entry(r, "create", "consent", id))) == E_OK)
        chart_redirect(r, id, "consents");
out:
    if (e != E_OK)
        audit_record(r, "create", "consent", id, audit_outcome(e));
    json_decref(m);
    json_decref(p);
    return e;
}

/* The consent cid of the patient record p, or NULL. */
static const json_t *consent_of(const json_t *p, const char *cid)
{
    const json_t *c;
    size_t i;

    json_array_foreach(json_object_get(p, "consents"), i, c)
        if (cid && !strcmp(json_string_value(json_object_get(c, "public_id")), cid))
            return c;
    return NULL;
}

/* The ways a patient may revoke, [{value, label, checked}]. */
static json_t *how_options(const char *chosen)
{
    json_t *out = json_array();
    const char *code;

    for (size_t i = 0; (code = patient_flow_revoke_how(i)); i++)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", code, "label",
                                             patient_flow_revoke_how_label(code), "checked",
                                             chosen && !strcmp(chosen, code)));
    return out;
}

/* The confirmation page's model for consent cid of patient id (*m, the request's), or the
 * error that stops it: no such patient or consent (404), a consent no longer in force (409).
 * Audits nothing: the callers know their action. */
static enum err revoke_model(struct req *r, const char *id, const char *cid, json_t **m)
{
    const json_t *c;
    json_t *p = NULL;
    enum err e;
    char title[256];

    *m = NULL;
    if ((e = store_adm_patient_get(r->store, id, true, &p)) != E_OK)
        return e;
    if (!(c = consent_of(p, cid))) {
        r->message = "There is no such consent on this patient's record.";
        e = E_NOTFOUND;
    } else if (!json_is_true(json_object_get(c, "active"))) {
        r->message = "This consent is no longer in force: it was revoked already, or it has "
                     "ended. Go back to the chart to see it.";
        e = E_CONFLICT;
    } else {
        snprintf(title, sizeof(title), "Revoke a consent: %s %s",
                 admissions_string(p, "first_name"), admissions_string(p, "last_name"));
        *m = req_model(r, admissions_model(r, title));
        json_object_set_new(*m, "patient", json_pack("{s:O, s:O, s:O}", "public_id",
                                                     json_object_get(p, "public_id"),
                                                     "first_name", json_object_get(p, "first_name"),
                                                     "last_name", json_object_get(p, "last_name")));
        json_object_set_new(*m, "consent", json_pack(
            "{s:O, s:O, s:O, s:O, s:s}", "public_id", json_object_get(c, "public_id"),
            "recipient", json_object_get(c, "recipient"), "information",
            json_object_get(c, "information"), "purpose", json_object_get(c, "purpose"),
            "signed_at", view_time(r, admissions_string(c, "signed_at"))));
        json_object_set_new(*m, "how_options", how_options(NULL));
    }
    json_decref(p);
    return e;
}

enum err consent_revoke_page(struct req *r)
{
    const char *id = req_param(r, "id"), *cid = req_param(r, "consent");
    json_t *m;
    enum err e;

    if ((e = revoke_model(r, id, cid, &m)) != E_OK) {
        audit_record(r, "view", "patient", id, audit_outcome(e));
        return e;
    }
    /* The page names the patient and what they agreed to: a read of the record. */
    if (audit_record(r, "view", "patient", id, "ok") < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}

enum err consent_revoke(struct req *r)
{
    const char *id = req_param(r, "id"), *cid = req_param(r, "consent"), *how;
    const char *const *ways = admissions_codes(r, patient_flow_revoke_how);
    struct form f;
    json_t *m;
    enum err e;

    if ((e = revoke_model(r, id, cid, &m)) != E_OK) {
        audit_record(r, "update", "consent", cid, audit_outcome(e));
        return e;
    }
    form_init(&f, r, m);
    how = form_choice(&f, "how", ways, true,
                      "Please choose how the patient revoked the consent: in writing or verbally.");
    if (!form_checked(&f, "confirm"))
        form_problem(&f, "confirm", "Please tick the box to confirm that the consent is revoked.");
    json_object_set_new(m, "how_options", how_options(how));
    if (f.problems) {
        audit_record(r, "update", "consent", cid, "invalid");
        return E_INVALID;
    }
    e = store_adm_consent_revoke(r->store, id, cid, how, auth_user_id(r),
                                 audit_entry(r, "update", "consent", cid));
    if (e != E_OK) {
        r->model = NULL;
        audit_record(r, "update", "consent", cid, audit_outcome(e));
        return e;
    }
    r->model = NULL;
    return chart_redirect(r, id, "consents");
}
