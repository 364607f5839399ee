/* chart: the patient's chart (header, demographics, contacts, the assessment that led to
 * admission, consents, timeline, the edit forms of forms.c and the Program section of
 * program_view.c), its printable record and its
 * JSON twin. Billing sees what billing needs only: demographics, admission date, level of care,
 * status; the store does not even read the clinical fields for it. The action files (status.c,
 * contact.c, consent.c) show their form again inside the chart built here; this file calls
 * none of them. */
#include "modules/patients/patients.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/patient_flow.h"
#include "core/log.h"
#include "core/timefmt.h"
#include "http/resp.h"
#include "modules/admissions/admissions.h"
#include "modules/admissions/common.h"
#include "store/admissions.h"
#include "web/view.h"
#include "web/audit.h"
#include "web/principal.h"

static const char *sget(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

static json_t *consents_view(struct req *r, const json_t *list)
{
    json_t *out = json_array(), *c;
    size_t i;

    json_array_foreach(list, i, c) {
        bool eot = json_is_true(json_object_get(c, "end_of_treatment"));
        const char *how = patient_flow_revoke_how_words(sget(c, "revoked_how"));
        json_t *row;
        row = json_pack(
            "{s:O, s:O, s:O, s:O, s:O, s:s, s:O, s:s, s:b, s:s, s:O, s:O}", "public_id",
            json_object_get(c, "public_id"), "discloser", json_object_get(c, "discloser"),
            "information", json_object_get(c, "information"), "recipient",
            json_object_get(c, "recipient"), "purpose", json_object_get(c, "purpose"), "expiry",
            eot ? "End of treatment" : sget(c, "expires_on"), "signature_name",
            json_object_get(c, "signature_name"), "signed_at",
            view_time(r, sget(c, "signed_at")), "active",
            json_is_true(json_object_get(c, "active")), "revoked_at",
            *sget(c, "revoked_at") ? view_time(r, sget(c, "revoked_at")) : "", "revoked_by",
            json_object_get(c, "revoked_by"), "recorded_by", json_object_get(c, "recorded_by"));
        /* How the patient revoked it; "not recorded" for revocations from before it was asked. */
        if (row && *sget(c, "revoked_at"))
            json_object_set_new(row, "revoked_how", json_string(how ? how : "how: not recorded"));
        json_array_append_new(out, row);
    }
    return out;
}

/* The header and demographics everyone who reads the chart sees; NULL when p does not fit. */
static json_t *patient_view(const json_t *p)
{
    char today[11];

    return json_pack(
        "{s:O, s:O, s:O, s:O, s:i, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:s, s:O, s:s, s:s,"
        " s:O}",
        "public_id", json_object_get(p, "public_id"),
        "first_name", json_object_get(p, "first_name"),
        "last_name", json_object_get(p, "last_name"),
        "date_of_birth", json_object_get(p, "date_of_birth"),
        "age", contact_age(sget(p, "date_of_birth"), timefmt_today(time(NULL), today)),
        "phone", json_object_get(p, "phone"),
        "email", json_object_get(p, "email"),
        "address", json_object_get(p, "address"),
        "emergency_name", json_object_get(p, "emergency_name"),
        "emergency_phone", json_object_get(p, "emergency_phone"),
        "emergency_relationship", json_object_get(p, "emergency_relationship"),
        "counsellor", json_object_get(p, "counsellor"),
        "admission_date", json_object_get(p, "admission_date"),
        "level", admissions_level_title(sget(p, "level")),
        "track", json_object_get(p, "track"),
        "status", patient_flow_status_label_of(sget(p, "status")),
        "status_code", sget(p, "status"),
        "created_at", json_object_get(p, "created_at"));
}

/* The clinical part: the edit forms, the program, flags, the assessment, consents and the
 * timeline. */
static void clinical_view(struct req *r, json_t *m, const json_t *p)
{
    bool crisis = false;

    forms_edit(r, m, p);
    program_view_section(r, m, p);
    json_object_set_new(m, "flags", admissions_flags(json_object_get(p, "flags"), &crisis));
    json_object_set_new(m, "crisis", json_boolean(crisis));
    json_object_set_new(m, "result", admissions_result_view(json_object_get(p, "result")));
    json_object_set_new(m, "answers", admissions_answers_view(r, json_object_get(p, "answers")));
    json_object_set_new(m, "assessment", json_pack(
        "{s:O, s:s, s:s, s:O, s:O}", "referral_id", json_object_get(p, "referral_id"),
        "recommended", admissions_level_title(sget(p, "recommended_level")), "confirmed",
        admissions_level_title(sget(p, "confirmed_level")), "change_reason",
        json_object_get(p, "change_reason"), "intake_notes", json_object_get(p, "intake_notes")));
    json_object_set_new(m, "consents", consents_view(r, json_object_get(p, "consents")));
    json_object_set_new(m, "timeline",
                        program_view_timeline(r, json_object_get(p, "timeline")));
    json_object_set_new(m, "can_consent", json_boolean(auth_can(r, ADM_CONSENT_ROLES)));
    /* The clinical record (issue 10: plans, notes, measures, screens): clinical roles only. */
    json_object_set_new(m, "can_record", json_boolean(auth_can(r, ROLE_CLINICIAN | ROLE_MEDICAL)));
    /* The kiosk's check-in code (modules/kiosk): for those who hand it to the patient. */
    json_object_set_new(m, "can_checkin_code",
                        json_boolean(auth_can(r, ROLE_CLINICIAN | ROLE_ADMISSIONS | ROLE_ADMIN)));
    /* A blank consent form, with the usual discloser filled in. */
    json_object_set_new(m, "form",
                        json_pack("{s:s, s:b}", "discloser",
                                  "Pecan Haven Intensive Outpatient Program", "end_of_treatment",
                                  1));
}

json_t *chart_model(struct req *r, const json_t *p, bool clinical)
{
    char title[220];
    json_t *m, *pt;

    snprintf(title, sizeof(title), "%s %s", sget(p, "first_name"), sget(p, "last_name"));
    m = admissions_model(r, title);
    if (!(pt = patient_view(p))) { /* a field missing or not UTF-8: no half-empty chart */
        log_error("patient: the record does not fit the chart's model");
        json_decref(m);
        return NULL;
    }
    json_object_set_new(m, "patient", pt);
    json_object_set_new(m, "clinical", json_boolean(clinical));
    if (clinical)
        clinical_view(r, m, p);
    return m;
}

enum err chart_load(struct req *r, const char *id, json_t **p, json_t **m)
{
    enum err e;

    *m = NULL;
    if ((e = store_adm_patient_get(r->store, id, true, p)) != E_OK)
        goto out;
    if (!(*m = chart_model(r, *p, true))) {
        json_decref(*p);
        *p = NULL;
        e = E_DB;
    }
out:
    return e;
}

enum err chart_redirect(struct req *r, const char *id, const char *anchor)
{
    char loc[96];

    snprintf(loc, sizeof(loc), "/staff/patients/%s#%s", id, anchor);
    resp_redirect(r, 303, arena_strdup(r->arena, loc));
    return E_OK;
}

/* The chart, or its printable record: each read audited before anything is shown. */
static enum err chart_show(struct req *r, bool print)
{
    const char *id = req_param(r, "id"), *action = print ? "export" : "view";
    bool clinical = auth_can(r, ADM_CLINICAL_ROLES);
    json_t *p = NULL, *m;
    char when[48];
    enum err e;

    if ((e = store_adm_patient_get(r->store, id, clinical, &p)) != E_OK) {
        audit_record(r, action, "patient", id, audit_outcome(e));
        goto out;
    }
    /* No audit entry, no reading; no model, no page (never a blank chart). */
    if (audit_record(r, action, "patient", id, "ok") < 0) {
        r->message = AUDIT_UNRECORDED;
        e = E_DB;
        goto out;
    }
    if (!(m = req_model(r, chart_model(r, p, clinical)))) {
        r->message = "This record could not be shown. Please tell your administrator.";
        e = E_DB;
        goto out;
    }
    if (print) {
        json_object_set_new(m, "printed_at",
                            json_string(timefmt_local(time(NULL), when, sizeof(when))));
        json_object_set_new(m, "printed_by",
                            json_string(r->user && r->user->name ? r->user->name : ""));
    }
out:
    json_decref(p);
    return e;
}

enum err chart_page(struct req *r)
{
    return chart_show(r, false);
}

enum err chart_print(struct req *r)
{
    return chart_show(r, true);
}

enum err chart_api(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *p = NULL, *body;
    enum err e;

    /* The JSON twin is the billing view for everyone: no answers, scores or flags. */
    if ((e = store_adm_patient_get(r->store, id, false, &p)) != E_OK) {
        e = e == E_NOTFOUND ? E_NOTFOUND : E_DB;
        audit_record(r, "export", "patient", id, audit_outcome(e));
        r->message =
            e == E_NOTFOUND ? "There is no such patient." : "The record could not be read.";
        goto out;
    }
    if (audit_record(r, "export", "patient", id, "ok") < 0) { /* no audit entry, no reading */
        r->message = "The read could not be recorded in the audit trail.";
        e = E_DB;
        goto out;
    }
    body = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:s, s:O, s:O, s:O, s:s}",
                     "id", json_object_get(p, "public_id"),
                     "first_name", json_object_get(p, "first_name"),
                     "last_name", json_object_get(p, "last_name"),
                     "date_of_birth", json_object_get(p, "date_of_birth"),
                     "phone", json_object_get(p, "phone"),
                     "email", json_object_get(p, "email"),
                     "address", json_object_get(p, "address"),
                     "admission_date", sget(p, "admission_date"),
                     "level_of_care", json_object_get(p, "level"),
                     "track", json_object_get(p, "track"),
                     "status", json_object_get(p, "status"),
                     "notice", ADM_PART2_NOTICE);
    if (!req_model(r, body)) { /* never 200 null */
        log_error("patient %s: the record does not fit the API's model", id);
        r->message = "The record could not be read.";
        e = E_DB;
    }
out:
    json_decref(p);
    return e;
}
