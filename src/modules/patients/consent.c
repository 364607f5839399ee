/* web_consent: recording and revoking a patient's written consent to disclose, with the
 * elements 42 CFR 2.31 (2024 rule) requires: the patient, who may disclose, what information,
 * to whom, for what purpose, until when (a date or "end of treatment"), the right to revoke,
 * and the patient's signature and date (typed name + checkbox + time). */
#include "modules/patients/patients.h"

#include "modules/admissions/admissions.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/timefmt.h"
#include "http/resp.h"
#include "store/store_admissions.h"
#include "modules/admissions/common.h"
#include "web/audit.h"
#include "web/view.h"

static void back_to_patient(struct req *r, const char *id)
{
    char loc[64];

    snprintf(loc, sizeof(loc), "/staff/patients/%s#consents", id);
    resp_redirect(r, 303, arena_strdup(r->arena, loc));
}

/* Does the typed signature carry the patient's last name (any case)? */
static bool signature_matches(const char *typed, const char *last)
{
    size_t n = strlen(last);

    for (const char *p = typed; n && *p; p++)
        if (strncasecmp(p, last, n) == 0)
            return true;
    return false;
}

static void consent_add(struct req *r, const char *id)
{
    static const char *const kinds[] = {"end-of-treatment", "date", NULL};
    json_t *p = NULL, *m;
    struct form f;
    struct admissions_consent c = {0};
    const char *kind;
    char today[11];
    enum err e;

    if ((e = store_adm_patient_get(r->store, id, true, &p)) != E_OK) {
        adm_fail(r, e, "create", "consent", id);
        return;
    }
    if (!(m = chart_model(r, p, true))) {
        json_decref(p);
        adm_fail(r, E_DB, "create", "consent", id);
        return;
    }
    form_init(&f, r, m);
    c.discloser = form_text(&f, "discloser", 200, true, false,
                           "Please say who may disclose the information.");
    c.information = form_text(&f, "information", 1000, true, true,
                             "Please describe what information may be disclosed.");
    c.recipient = form_text(&f, "recipient", 300, true, false,
                           "Please name to whom it may be disclosed.");
    c.purpose = form_text(&f, "purpose", 500, true, true, "Please give the purpose.");
    kind = form_choice(&f, "expiry", kinds, true,
                      "Please choose when the consent ends: a date or the end of treatment.");
    c.end_of_treatment = kind && !strcmp(kind, "end-of-treatment");
    json_object_set_new(json_object_get(m, "form"), "end_of_treatment",
                        json_boolean(c.end_of_treatment));
    json_object_set_new(json_object_get(m, "form"), "expiry_date",
                        json_boolean(kind && !strcmp(kind, "date")));
    if (kind && !strcmp(kind, "date")) {
        c.expires_on = form_date(&f, "expires_on", true, "Please give the date the consent ends.");
        timefmt_today(time(NULL), today);
        if (c.expires_on && strcmp(c.expires_on, today) < 0)
            form_problem(&f, "expires_on", "This date has passed: please give a future date.");
    } else {
        form_text(&f, "expires_on", 10, false, false, NULL); /* keep it, unused */
    }
    c.revoke_acknowledged = form_checked(&f, "revoke_ack");
    if (!c.revoke_acknowledged)
        form_problem(&f, "revoke_ack",
                    "Please confirm the patient was told they may revoke this consent.");
    c.signature_name = form_text(&f, "signature_name", 200, true, false,
                                "Please have the patient type their full name.");
    if (c.signature_name &&
        !signature_matches(c.signature_name,
                           json_string_value(json_object_get(p, "last_name"))))
        form_problem(&f, "signature_name", "The typed name should be the patient's full name.");
    c.signed_ = form_checked(&f, "signed");
    if (!c.signed_)
        form_problem(&f, "signed", "Please have the patient tick the box to sign.");
    json_decref(p);
    if (f.problems) {
        audit_record(r, "create", "consent", id, "invalid");
        view_render(r, 422, "patients/chart", m);
        return;
    }
    json_decref(m);
    /* The store sets the entry's record id to the new consent's, inside its transaction. */
    if ((e = store_adm_consent_add(r->store, id, &c, auth_user_id(r),
                                   audit_entry(r, "create", "consent", id))) != E_OK) {
        adm_fail(r, e, "create", "consent", id);
        return;
    }
    back_to_patient(r, id);
}

static void consent_revoke(struct req *r, const char *id, const char *cid)
{
    enum err e = store_adm_consent_revoke(r->store, id, cid, auth_user_id(r),
                                          audit_entry(r, "update", "consent", cid));

    if (e != E_OK) {
        adm_fail(r, e, "update", "consent", cid);
        return;
    }
    back_to_patient(r, id);
}

enum err adm_patient_post(struct req *r)
{
    const char *seg[4] = {NULL, NULL, NULL, NULL};
    int n = adm_path(r, "/staff/patients/", seg, 4);

    r->no_store = true;
    if (!((n == 2 && !strcmp(seg[1], "consents")) ||
          (n == 4 && !strcmp(seg[1], "consents") && !strcmp(seg[3], "revoke")))) {
        view_error(r, 404, "There is no such page.");
        return E_OK;
    }
    if (!auth_can(r, ADM_CONSENT_ROLES)) {
        audit_record(r, "update", "consent", seg[0], "denied");
        view_error(r, 403, "Your role does not allow this.");
        return E_OK;
    }
    if (!adm_csrf(r, "consent", n == 4 ? seg[2] : seg[0]))
        return E_OK;
    if (n == 2)
        consent_add(r, seg[0]);
    else
        consent_revoke(r, seg[0], seg[2]);
    return E_OK;
}
