/* web_patient: patient search and the patient's chart (header, demographics, contacts, the
 * assessment that led to admission, consents, timeline), its printable record and its JSON twin.
 * Billing sees what billing needs only: demographics, admission date, level of care, status; the
 * store does not even read the clinical fields for it. */
#include "modules/patients/patients.h"

#include "modules/admissions/admissions.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "web/principal.h"
#include "core/str.h"
#include "core/utf8.h"
#include "http/resp.h"
#include "store/store_admissions.h"
#include "modules/admissions/common.h"
#include "web/audit.h"
#include "web/view.h"

static const char *sget(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

static const char *status_label(const char *s)
{
    return !strcmp(s, "active") ? "Active" : !strcmp(s, "on-hold") ? "On hold"
                                         : !strcmp(s, "discharged") ? "Discharged" : s;
}

enum err adm_patients(struct req *r)
{
    const char *q = req_query(r, "q");
    char digits[33], query[101];
    size_t nd = 0, n = 0;
    json_t *rows = NULL, *m, *items, *p, *it;
    size_t i;
    enum err e;

    r->no_store = true;
    /* Trimmed, bounded; the phone search uses the digits only. */
    while (q && (*q == ' ' || *q == '	'))
        q++;
    for (; q && *q && n < sizeof(query) - 1; q++) {
        if ((unsigned char)*q < 0x20)
            continue;
        query[n++] = *q;
        if (isdigit((unsigned char)*q) && nd < sizeof(digits) - 1)
            digits[nd++] = *q;
    }
    /* Cut at the bound: drop a character cut in half (at most 3 bytes of one). */
    for (int k = 0; q && *q && k < 3 && n && !utf8_valid(query, n); k++)
        n--;
    while (n && query[n - 1] == ' ')
        n--;
    query[n] = '\0';
    digits[nd] = '\0';
    if (!utf8_valid(query, n)) {
        audit_record(r, "list", "patient", NULL, "invalid");
        view_error(r, 422, "Some characters in the search could not be read. Please type it again.");
        return E_OK;
    }
    if ((e = store_adm_patient_search(r->store, n ? query : NULL, nd >= 7 ? digits : NULL,
                                      &rows)) != E_OK) {
        adm_fail(r, e, "list", "patient", NULL);
        return E_OK;
    }
    items = json_array();
    json_array_foreach(rows, i, p) {
        int years = adm_years(sget(p, "date_of_birth"), time(NULL));
        it = json_pack("{s:O, s:O, s:O, s:O, s:i, s:O, s:s, s:s, s:O}", "public_id",
                       json_object_get(p, "public_id"), "first_name",
                       json_object_get(p, "first_name"), "last_name",
                       json_object_get(p, "last_name"), "date_of_birth",
                       json_object_get(p, "date_of_birth"), "age", years, "phone",
                       json_object_get(p, "phone"), "status", status_label(sget(p, "status")),
                       "level", adm_level_title(sget(p, "level")), "admission_date",
                       json_object_get(p, "admission_date"));
        if (!it || json_array_append_new(items, it) < 0) {
            json_decref(items);
            json_decref(rows);
            adm_fail(r, E_DB, "list", "patient", NULL);
            return E_OK;
        }
    }
    json_decref(rows);
    /* One entry per patient listed, before anything is shown. */
    if (audit_list(r, "patient", items) < 0) {
        json_decref(items);
        view_error(r, 500, AUDIT_UNRECORDED);
        return E_OK;
    }
    m = adm_model(r, "Patients");
    json_object_set_new(m, "q", json_string(query));
    json_object_set_new(m, "searched", json_boolean(n > 0));
    json_object_set_new(m, "empty", json_boolean(json_array_size(items) == 0));
    json_object_set_new(m, "patients", items);
    view_render(r, 200, "patients/search", m);
    return E_OK;
}

static json_t *consents_view(struct req *r, const json_t *list)
{
    json_t *out = json_array(), *c;
    size_t i;

    json_array_foreach(list, i, c) {
        bool eot = json_is_true(json_object_get(c, "end_of_treatment"));
        json_array_append_new(out, json_pack(
            "{s:O, s:O, s:O, s:O, s:O, s:s, s:O, s:s, s:b, s:s, s:O, s:O}", "public_id",
            json_object_get(c, "public_id"), "discloser", json_object_get(c, "discloser"),
            "information", json_object_get(c, "information"), "recipient",
            json_object_get(c, "recipient"), "purpose", json_object_get(c, "purpose"), "expiry",
            eot ? "End of treatment" : sget(c, "expires_on"), "signature_name",
            json_object_get(c, "signature_name"), "signed_at",
            adm_local(r, sget(c, "signed_at")), "active",
            json_is_true(json_object_get(c, "active")), "revoked_at",
            *sget(c, "revoked_at") ? adm_local(r, sget(c, "revoked_at")) : "", "revoked_by",
            json_object_get(c, "revoked_by"), "recorded_by", json_object_get(c, "recorded_by")));
    }
    return out;
}

json_t *adm_patient_model(struct req *r, const json_t *p, bool clinical)
{
    const char *first = sget(p, "first_name"), *last = sget(p, "last_name");
    char title[220];
    json_t *m, *pt;
    bool crisis = false;

    snprintf(title, sizeof(title), "%s %s", first, last);
    m = adm_model(r, title);
    pt = json_pack(
        "{s:O, s:O, s:O, s:O, s:i, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:s, s:O, s:s, s:s,"
        " s:O}",
        "public_id", json_object_get(p, "public_id"), "first_name", json_object_get(p, "first_name"),
        "last_name", json_object_get(p, "last_name"), "date_of_birth",
        json_object_get(p, "date_of_birth"), "age", adm_years(sget(p, "date_of_birth"), time(NULL)),
        "phone", json_object_get(p, "phone"), "email", json_object_get(p, "email"), "address",
        json_object_get(p, "address"), "emergency_name", json_object_get(p, "emergency_name"),
        "emergency_phone", json_object_get(p, "emergency_phone"), "emergency_relationship",
        json_object_get(p, "emergency_relationship"), "counsellor",
        json_object_get(p, "counsellor"), "admission_date", json_object_get(p, "admission_date"),
        "level", adm_level_title(sget(p, "level")), "track", json_object_get(p, "track"),
        "status", status_label(sget(p, "status")), "status_code", sget(p, "status"),
        "created_at", json_object_get(p, "created_at"));
    if (!pt) { /* a field missing or not UTF-8: no half-empty chart */
        log_error("patient: the record does not fit the chart's model");
        json_decref(m);
        return NULL;
    }
    json_object_set_new(m, "patient", pt);
    json_object_set_new(m, "clinical", json_boolean(clinical));
    if (!clinical)
        return m;
    forms_edit(r, m, p);
    json_object_set_new(m, "flags", adm_flags(json_object_get(p, "flags"), &crisis));
    json_object_set_new(m, "crisis", json_boolean(crisis));
    json_object_set_new(m, "result", adm_result_view(json_object_get(p, "result")));
    json_object_set_new(m, "answers", adm_answers_view(r, json_object_get(p, "answers")));
    json_object_set_new(m, "assessment", json_pack(
        "{s:O, s:s, s:s, s:O}", "referral_id", json_object_get(p, "referral_id"),
        "recommended", adm_level_title(sget(p, "recommended_level")), "confirmed",
        adm_level_title(sget(p, "confirmed_level")), "change_reason",
        json_object_get(p, "change_reason")));
    json_object_set_new(m, "consents", consents_view(r, json_object_get(p, "consents")));
    json_object_set_new(m, "timeline", adm_timeline_view(r, json_object_get(p, "timeline")));
    json_object_set_new(m, "can_consent", json_boolean(auth_can(r, ADM_CONSENT_ROLES)));
    /* A blank consent form, with the usual discloser filled in. */
    json_object_set_new(m, "form", json_pack("{s:s, s:b}", "discloser",
                                             "Pecan Haven Intensive Outpatient Program",
                                             "end_of_treatment", 1));
    return m;
}

enum err adm_patient_get(struct req *r)
{
    const char *seg[2] = {NULL, NULL};
    int n = adm_path(r, "/staff/patients/", seg, 2);
    bool clinical = auth_can(r, ADM_CLINICAL_ROLES), print;
    json_t *p = NULL, *m;
    enum err e;

    r->no_store = true;
    print = n == 2 && !strcmp(seg[1], "print");
    if (n < 1 || (n == 2 && !print)) {
        view_error(r, 404, "There is no such page.");
        return E_OK;
    }
    if ((e = store_adm_patient_get(r->store, seg[0], clinical, &p)) != E_OK) {
        adm_fail(r, e, print ? "export" : "view", "patient", seg[0]);
        return E_OK;
    }
    /* No audit entry, no reading; no model, no page (never a blank chart). */
    if (audit_record(r, print ? "export" : "view", "patient", seg[0], "ok") < 0) {
        json_decref(p);
        view_error(r, 500, AUDIT_UNRECORDED);
        return E_OK;
    }
    m = adm_patient_model(r, p, clinical);
    json_decref(p);
    if (!m) {
        view_error(r, 500, "This record could not be shown. Please tell your administrator.");
        return E_OK;
    }
    if (print) {
        char when[48];
        json_object_set_new(m, "printed_at", json_string(timefmt_local(time(NULL), when, sizeof(when))));
        json_object_set_new(m, "printed_by", json_string(r->user && r->user->name ? r->user->name : ""));
    }
    view_render(r, 200, print ? "patients/print" : "patients/chart", m);
    return E_OK;
}

enum err adm_api_patient(struct req *r)
{
    const char *seg[1] = {NULL};
    json_t *p = NULL, *out;
    enum err e;

    r->no_store = true;
    if (r->path[strlen("/api/v1/patients")] != '/' ||
        adm_path(r, "/api/v1/patients/", seg, 1) != 1) {
        resp_json_error(r, 404, "There is no such patient.", NULL);
        return E_OK;
    }
    /* The JSON twin is the billing view for everyone: no answers, scores or flags. */
    if ((e = store_adm_patient_get(r->store, seg[0], false, &p)) != E_OK) {
        audit_record(r, "export", "patient", seg[0], e == E_NOTFOUND ? "invalid" : "error");
        resp_json_error(r, e == E_NOTFOUND ? 404 : 500,
                        e == E_NOTFOUND ? "There is no such patient." : "The record could not be read.",
                        NULL);
        return E_OK;
    }
    if (audit_record(r, "export", "patient", seg[0], "ok") < 0) { /* no audit entry, no reading */
        json_decref(p);
        resp_json_error(r, 500, "The read could not be recorded in the audit trail.", NULL);
        return E_OK;
    }
    out = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:s, s:O, s:O, s:O, s:s}", "id",
                    json_object_get(p, "public_id"), "first_name", json_object_get(p, "first_name"),
                    "last_name", json_object_get(p, "last_name"), "date_of_birth",
                    json_object_get(p, "date_of_birth"), "phone", json_object_get(p, "phone"),
                    "email", json_object_get(p, "email"), "address", json_object_get(p, "address"),
                    "admission_date", sget(p, "admission_date"), "level_of_care",
                    json_object_get(p, "level"), "track", json_object_get(p, "track"), "status",
                    json_object_get(p, "status"), "notice", ADM_PART2_NOTICE);
    json_decref(p);
    if (!out) { /* never 200 null */
        log_error("patient %s: the record does not fit the API's model", seg[0]);
        resp_json_error(r, 500, "The record could not be read.", NULL);
        return E_OK;
    }
    resp_json(r, 200, out);
    json_decref(out);
    return E_OK;
}
