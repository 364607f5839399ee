/* web_patient_edit: changing a patient after admission, on the patient page: the status (on
 * hold, back to active, discharged with a date and a reason, re-activated by a clinician or an
 * admin with a reason; rules in domain/patient_flow) and the contact details with the primary
 * counsellor. Each form comes back with the input kept and each problem by its field (422);
 * each change is one store transaction with its timeline event and its audit entry. */
#include "modules/patients/patients.h"

#include "modules/admissions/admissions.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/timefmt.h"
#include "domain/patient_flow.h"
#include "http/resp.h"
#include "store/store_admissions.h"
#include "modules/admissions/common.h"
#include "web/audit.h"
#include "web/principal.h"
#include "web/view.h"

static const char *sget(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* ------------------------------------------------------------------ posts */

static void back_to_patient(struct req *r, const char *id, const char *anchor)
{
    char loc[96];

    snprintf(loc, sizeof(loc), "/staff/patients/%s#%s", id, anchor);
    resp_redirect(r, 303, arena_strdup(r->arena, loc));
}

/* The patient and the page model a form is re-shown in; false (answered) when it fails. */
static bool load(struct req *r, const char *id, json_t **p, json_t **m)
{
    enum err e;

    if ((e = store_adm_patient_get(r->store, id, true, p)) != E_OK) {
        adm_fail(r, e, "update", "patient", id);
        return false;
    }
    if (!(*m = chart_model(r, *p, true))) {
        json_decref(*p);
        adm_fail(r, E_DB, "update", "patient", id);
        return false;
    }
    return true;
}

/* Where each problem of domain/patient_flow is shown, and what it says. */
static const struct {
    unsigned bit;
    const char *field, *message;
} flow_problems[] = {
    {PATIENT_FLOW_NO_TRANSITION, "status_to",
     "A patient cannot move to that status from where they are now."},
    {PATIENT_FLOW_NEED_DATE, "discharge_date", "Please give the date of the discharge."},
    {PATIENT_FLOW_BAD_DATE, "discharge_date",
     "Please give a date as YYYY-MM-DD, for example 2024-03-04."},
    {PATIENT_FLOW_DATE_FUTURE, "discharge_date",
     "The discharge date cannot be in the future."},
    {PATIENT_FLOW_DATE_EARLY, "discharge_date",
     "The discharge date cannot be before the admission date."},
    {PATIENT_FLOW_NEED_REASON, "discharge_reason", "Please choose the reason for the discharge."},
    {PATIENT_FLOW_UNKNOWN_REASON, "discharge_reason", "Please choose a reason from the list."},
    {PATIENT_FLOW_NOTE_TOO_LONG, "status_note", "Please shorten the note to at most 500 characters."},
};

static void post_status(struct req *r, const char *id)
{
    static const char *const names[] = {"active", "on-hold", "discharged", NULL};
    const char *reasons[16] = {NULL};
    json_t *p = NULL, *m = NULL, *scratch = json_object(), *sf;
    struct patient_flow_change c = {0};
    struct admissions_status_change sc = {0};
    struct form f;
    const char *from, *to;
    char today[11];
    unsigned problems = 0;
    enum err e;

    for (size_t i = 0; i < 15 && patient_flow_discharge_reason(i); i++)
        reasons[i] = patient_flow_discharge_reason(i);
    if (!load(r, id, &p, &m))
        goto out;
    form_init(&f, r, scratch);
    /* The status the member saw: a change made meanwhile is a conflict, never overwritten. */
    from = req_form(r, "from");
    if (!from || strcmp(from, sget(p, "status")) != 0) {
        adm_fail(r, E_CONFLICT, "update", "patient", id);
        goto out;
    }
    to = form_choice(&f, "status_to", names, true, "Please choose the new status.");
    sc.note = form_text(&f, "status_note", PATIENT_NOTE_MAX * 4, false, true, NULL);
    c.to = PATIENT_ACTIVE;
    if (to && patient_flow_status_parse(to, &c.to) == E_OK &&
        patient_flow_status_parse(from, &c.from) == E_OK) {
        timefmt_today(time(NULL), today);
        if (c.to == PATIENT_DISCHARGED) {
            /* The domain names a missing or malformed date; the form only bounds it. */
            sc.discharge_date = form_text(&f, "discharge_date", 32, false, false, NULL);
            sc.discharge_reason = form_choice(&f, "discharge_reason", reasons, false,
                                             "Please choose a reason from the list.");
        }
        c.roles = r->user ? r->user->roles : 0;
        c.discharge_date = sc.discharge_date;
        c.discharge_reason = sc.discharge_reason;
        c.note = sc.note;
        c.admission_date = sget(p, "admission_date");
        c.today = today;
        problems = patient_flow_check(&c);
        if (problems & PATIENT_FLOW_ROLE) {
            audit_record(r, "update", "patient", id, "denied");
            view_error(r, 403, "Only a clinician or an administrator can re-activate a "
                               "discharged patient.");
            goto out;
        }
        /* A reason was chosen but the form says "other" needs a note, etc.: by their fields. */
        if ((problems & PATIENT_FLOW_NEED_NOTE) && c.to == PATIENT_DISCHARGED)
            form_problem(&f, "status_note", "Please describe the other reason in the note.");
        else if (problems & PATIENT_FLOW_NEED_NOTE)
            form_problem(&f, "status_note", "Please give the reason for re-activating the patient.");
        for (size_t i = 0; i < sizeof(flow_problems) / sizeof(flow_problems[0]); i++)
            if (problems & flow_problems[i].bit)
                form_problem(&f, flow_problems[i].field, flow_problems[i].message);
    }
    if (f.problems) {
        if (c.to != PATIENT_DISCHARGED) { /* the discharge fields were not read: as new */
            timefmt_today(time(NULL), today);
            json_object_set_new(json_object_get(scratch, "form"), "discharge_date",
                                json_string(today));
        }
        sf = json_object_get(m, "status_form");
        json_object_set_new(sf, "reasons", forms_reason_options(sget(json_object_get(scratch, "form"),
                                                                "discharge_reason")));
        json_object_set_new(sf, "options",
                            forms_status_options(c.from, r->user ? r->user->roles : 0, to));
        forms_move(m, "status_form", scratch, true);
        audit_record(r, "update", "patient", id, "invalid");
        view_render(r, 422, "patients/chart", m);
        m = NULL;
        goto out;
    }
    sc.from = from;
    sc.to = to;
    if (c.to != PATIENT_DISCHARGED)
        sc.discharge_date = sc.discharge_reason = NULL;
    if ((e = store_adm_patient_set_status(r->store, id, &sc, auth_user_id(r),
                                          audit_entry(r, "update", "patient", id))) != E_OK) {
        adm_fail(r, e, "update", "patient", id);
        goto out;
    }
    back_to_patient(r, id, "status-change");
out:
    json_decref(scratch);
    json_decref(m);
    json_decref(p);
}

static void post_contact(struct req *r, const char *id)
{
    json_t *p = NULL, *m = NULL, *scratch = json_object(), *cf;
    struct admissions_contact c = {0};
    struct form f;
    const char *ignored;
    bool listed = false;
    int changed = 0;
    enum err e;

    if (!load(r, id, &p, &m))
        goto out;
    form_init(&f, r, scratch);
    c.phone = form_phone(&f, "phone", true, &c.phone_digits);
    c.email = form_email(&f, "email", false, NULL);
    c.address = form_text(&f, "address", 300, false, true, NULL);
    c.emergency_name = form_text(&f, "emergency_name", 100, true, false,
                                "Please give the emergency contact's name.");
    c.emergency_phone = form_phone(&f, "emergency_phone", true, &ignored);
    c.emergency_relationship = form_text(&f, "emergency_relationship", 50, true, false,
                                        "Please say how the emergency contact is related.");
    c.counsellor = form_text(&f, "counsellor", 64, true, false,
                            "Please choose the primary counsellor.");
    cf = json_object_get(m, "contact_form");
    json_object_set_new(cf, "counsellors", forms_counsellor_options(r, p, c.counsellor ? c.counsellor
                                                                                 : ""));
    if (c.counsellor) {
        json_t *o;
        size_t i;
        json_array_foreach(json_object_get(cf, "counsellors"), i, o)
            listed |= !strcmp(sget(o, "public_id"), c.counsellor);
        if (!listed)
            form_problem(&f, "counsellor", "Please choose a counsellor from the list.");
    }
    if (f.problems) {
        forms_move(m, "contact_form", scratch, true);
        audit_record(r, "update", "patient", id, "invalid");
        view_render(r, 422, "patients/chart", m);
        m = NULL;
        goto out;
    }
    e = store_adm_patient_update_contact(r->store, id, &c, auth_user_id(r),
                                         audit_entry(r, "update", "patient", id), &changed);
    if (e == E_INVALID && c.counsellor) {
        /* The counsellor was disabled or lost the role meanwhile. */
        form_problem(&f, "counsellor", "This person can no longer be a primary counsellor. "
                                      "Please choose another.");
        forms_move(m, "contact_form", scratch, true);
        audit_record(r, "update", "patient", id, "invalid");
        view_render(r, 422, "patients/chart", m);
        m = NULL;
        goto out;
    }
    if (e != E_OK) {
        adm_fail(r, e, "update", "patient", id);
        goto out;
    }
    back_to_patient(r, id, "contact-change");
out:
    json_decref(scratch);
    json_decref(m);
    json_decref(p);
}

enum err adm_patient_change(struct req *r)
{
    const char *seg[2] = {NULL, NULL};
    int n = adm_path(r, "/staff/patients/", seg, 2);
    bool status = n == 2 && !strcmp(seg[1], "status");

    if (!(status || (n == 2 && !strcmp(seg[1], "contact")))) {
        adm_patient_post(r); /* consents (web_consent.c) and unknown paths */
        return E_OK;
    }
    r->no_store = true;
    if (!auth_can(r, PATIENT_EDIT_ROLES)) {
        audit_record(r, "update", "patient", seg[0], "denied");
        view_error(r, 403, "Your role does not allow this.");
        return E_OK;
    }
    if (!adm_csrf(r, "patient", seg[0]))
        return E_OK;
    if (status)
        post_status(r, seg[0]);
    else
        post_contact(r, seg[0]);
    return E_OK;
}
