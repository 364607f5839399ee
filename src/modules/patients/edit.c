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

/* The keys adm_form writes into its model, moved under one form's own key of the page model,
 * so that two forms (and the consent form, which reads the top level) never share errors. */
static void form_move(json_t *m, const char *key, json_t *scratch, bool open)
{
    json_t *dst = json_object_get(m, key);

    for (const char *const *k = (const char *const[]){"form", "err", "errors", "has_errors", NULL};
         *k; k++)
        json_object_set(dst, *k, json_object_get(scratch, *k));
    json_object_set_new(dst, "open", json_boolean(open));
}

/* ------------------------------------------------------------------ the page's forms */

static json_t *status_options(enum patient_status from, unsigned roles, const char *chosen)
{
    enum patient_status next[PATIENT_N_STATUS];
    size_t n = patient_flow_next(from, roles, next, PATIENT_N_STATUS);
    json_t *out = json_array();

    for (size_t i = 0; i < n && i < PATIENT_N_STATUS; i++) {
        const char *v = patient_flow_status_name(next[i]);
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", v, "label",
                                             patient_flow_status_label(next[i]), "checked",
                                             chosen && !strcmp(chosen, v)));
    }
    return out;
}

static json_t *reason_options(const char *chosen)
{
    json_t *out = json_array();
    const char *code;

    for (size_t i = 0; (code = patient_flow_discharge_reason(i)); i++)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", code, "label",
                                             patient_flow_discharge_reason_label(code), "checked",
                                             chosen && !strcmp(chosen, code)));
    return out;
}

/* Enabled clinicians, with the current counsellor kept as a choice even when they are not one
 * any more (keeping them is always allowed). */
static json_t *counsellor_options(struct req *r, const json_t *p, const char *chosen)
{
    const char *current = sget(p, "counsellor_id");
    json_t *list = NULL, *out = json_array(), *u;
    bool seen = false;
    size_t i;

    if (store_adm_staff_with_role(r->store, "clinician", &list) != E_OK)
        list = json_array();
    json_array_foreach(list, i, u) {
        const char *id = sget(u, "public_id");
        seen |= !strcmp(id, current);
        json_array_append_new(out, json_pack("{s:s, s:O, s:b}", "public_id", id, "name",
                                             json_object_get(u, "name"), "selected",
                                             !strcmp(id, chosen)));
    }
    json_decref(list);
    if (!seen && *current)
        json_array_insert_new(out, 0, json_pack("{s:s, s:s, s:b}", "public_id", current, "name",
                                                sget(p, "counsellor"), "selected",
                                                !strcmp(current, chosen)));
    return out;
}

void adm_patient_edit_model(struct req *r, json_t *m, const json_t *p)
{
    enum patient_status from = PATIENT_ACTIVE;
    bool can = auth_can(r, PATIENT_EDIT_ROLES);
    const char *reason = sget(p, "discharge_reason");
    char today[11];
    json_t *sf, *cf, *scratch = json_object();
    struct form f;

    json_object_set_new(m, "can_edit", json_boolean(can));
    if (*reason)
        json_object_set_new(m, "discharge", json_pack(
            "{s:s, s:s, s:s}", "date", sget(p, "discharge_date"), "reason",
            patient_flow_discharge_reason_label(reason) ? patient_flow_discharge_reason_label(reason)
                                                        : reason,
            "note", sget(p, "discharge_note")));
    if (!can) {
        json_decref(scratch);
        return;
    }
    patient_flow_status_parse(sget(p, "status"), &from);
    timefmt_today(time(NULL), today);
    form_init(&f, r, scratch);
    sf = json_pack("{s:s, s:o, s:o, s:b, s:b}", "from", sget(p, "status"), "options",
                   status_options(from, r->user ? r->user->roles : 0, NULL), "reasons",
                   reason_options(NULL), "discharged", from == PATIENT_DISCHARGED, "can_change",
                   patient_flow_next(from, r->user ? r->user->roles : 0, NULL, 0) > 0);
    json_object_set_new(m, "status_form", sf);
    json_object_set_new(json_object_get(scratch, "form"), "discharge_date", json_string(today));
    form_move(m, "status_form", scratch, false);
    json_decref(scratch);

    scratch = json_object();
    form_init(&f, r, scratch);
    cf = json_pack("{s:o}", "counsellors",
                   counsellor_options(r, p, sget(p, "counsellor_id")));
    json_object_set_new(m, "contact_form", cf);
    for (const char *const *k = (const char *const[]){"phone", "email", "address",
                                                      "emergency_name", "emergency_phone",
                                                      "emergency_relationship", NULL};
         *k; k++)
        json_object_set_new(json_object_get(scratch, "form"), *k, json_string(sget(p, *k)));
    form_move(m, "contact_form", scratch, false);
    json_decref(scratch);
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
    if (!(*m = adm_patient_model(r, *p, true))) {
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
        json_object_set_new(sf, "reasons", reason_options(sget(json_object_get(scratch, "form"),
                                                                "discharge_reason")));
        json_object_set_new(sf, "options",
                            status_options(c.from, r->user ? r->user->roles : 0, to));
        form_move(m, "status_form", scratch, true);
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
    json_object_set_new(cf, "counsellors", counsellor_options(r, p, c.counsellor ? c.counsellor
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
        form_move(m, "contact_form", scratch, true);
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
        form_move(m, "contact_form", scratch, true);
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
