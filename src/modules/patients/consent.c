/* consent: recording and revoking a patient's written consent to disclose, from the chart,
 * with the elements 42 CFR 2.31 (2024 rule) requires: the patient, who may disclose, what
 * information, to whom, for what purpose, until when (a date or "end of treatment"), the right
 * to revoke, and the patient's signature and date (typed name + checkbox + time). A form with
 * problems comes back inside the chart (422); each write carries its audit entry. */
#include "modules/patients/patients.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/timefmt.h"
#include "store/admissions.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"

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

enum err consent_revoke(struct req *r)
{
    const char *id = req_param(r, "id"), *cid = req_param(r, "consent");
    enum err e = store_adm_consent_revoke(r->store, id, cid, auth_user_id(r),
                                          audit_entry(r, "update", "consent", cid));

    if (e != E_OK) {
        audit_record(r, "update", "consent", cid, audit_outcome(e));
        return e;
    }
    return chart_redirect(r, id, "consents");
}
