/* web_intake: "Start intake" (the assessment's answers shown again, pre-filled: the person does
 * not answer twice; a clinician confirms the level of care or changes it with a reason) and
 * "Admit" (demographics, contacts, counsellor, admission date, level, status), which creates the
 * patient in one transaction and leads to the patient's page. */
#include "modules/admissions/admissions.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/timefmt.h"
#include "domain/referral_flow.h"
#include "http/resp.h"
#include "store/store_admissions.h"
#include "modules/admissions/common.h"
#include "web/audit.h"
#include "web/view.h"

static const char *const levels[] = {"emergency", "medically-managed", "residential", "php", "iop",
                                     "outpatient", "early-intervention", "none", NULL};
/* The levels this program admits to. */
static const char *const admit_levels[] = {"php", "iop", "outpatient", NULL};
static const char *const patient_statuses[] = {"active", "on-hold", "discharged", NULL};
static const char *const status_labels[] = {"Active", "On hold", "Discharged"};

static json_t *options(const char *const *values, const char *selected, bool level_titles,
                       const char *const *labels)
{
    json_t *out = json_array();

    for (size_t i = 0; values[i]; i++)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", values[i], "label",
                                             level_titles ? adm_level_title(values[i])
                                                          : labels ? labels[i] : values[i],
                                             "selected", selected && !strcmp(selected, values[i])));
    return out;
}

static const char *sget(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

static json_t *ref_summary(struct req *r, const char *id, const json_t *ref)
{
    bool crisis;
    json_t *flags = adm_flags(json_object_get(ref, "flags"), &crisis);

    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b}", "public_id", id, "name",
                     sget(ref, "name"), "phone", sget(ref, "phone"), "level_title",
                     adm_level_title(sget(ref, "level")), "created",
                     adm_local(r, sget(ref, "created_at")), "flags", flags, "crisis", crisis);
}

/* ------------------------------------------------------------------ intake */

static json_t *intake_model(struct req *r, const char *id, const json_t *ref, const char *level)
{
    json_t *m = adm_model(r, "Intake");
    const json_t *in = json_object_get(ref, "intake");
    enum referral_status st = REFERRAL_NEW;

    referral_flow_status_parse(sget(ref, "status"), &st);
    json_object_set_new(m, "ref", ref_summary(r, id, ref));
    json_object_set_new(m, "result", adm_result_view(json_object_get(ref, "result")));
    json_object_set_new(m, "answers", adm_answers_view(r, json_object_get(ref, "answers")));
    json_object_set_new(m, "levels", options(levels, level, true, NULL));
    json_object_set_new(m, "recommended", json_string(adm_level_title(sget(ref, "level"))));
    json_object_set_new(m, "can_confirm", json_boolean(auth_can(r, ADM_LEVEL_ROLES)));
    json_object_set_new(m, "open", json_boolean(st == REFERRAL_CONTACTED ||
                                                st == REFERRAL_INTAKE_SCHEDULED));
    json_object_set_new(m, "form", json_pack("{s:s, s:s}", "change_reason",
                                             in ? sget(in, "change_reason") : "", "notes",
                                             in ? sget(in, "notes") : ""));
    json_object_set_new(m, "done", json_boolean(in != NULL));
    return m;
}

void adm_intake_page(struct req *r, const char *id, json_t *ref)
{
    const json_t *in = json_object_get(ref, "intake");

    if (audit_record(r, "view", "referral", id, "ok") < 0) { /* no audit entry, no reading */
        view_error(r, 500, AUDIT_UNRECORDED);
        return;
    }
    view_render(r, 200, "admissions/intake",
                intake_model(r, id, ref, in ? sget(in, "confirmed_level") : sget(ref, "level")));
}

void adm_intake_post(struct req *r, const char *id, json_t *ref)
{
    json_t *m = intake_model(r, id, ref, req_form(r, "confirmed_level"));
    struct form f;
    struct admissions_intake in;
    enum referral_status from = REFERRAL_NEW, to;
    enum err e;

    form_init(&f, r, m);
    in.recommended_level = sget(ref, "level");
    in.confirmed_level = form_choice(&f, "confirmed_level", levels, true,
                                    "Please choose the level of care.");
    in.change_reason = form_text(&f, "change_reason", REFERRAL_NOTE_MAX, false, true, NULL);
    in.notes = form_text(&f, "notes", 4000, false, true, NULL);
    if (in.confirmed_level && strcmp(in.confirmed_level, in.recommended_level) && !in.change_reason)
        form_problem(&f, "change_reason",
                    "Please say why the level differs from the recommended one.");
    if (in.confirmed_level && !strcmp(in.confirmed_level, in.recommended_level))
        in.change_reason = NULL; /* confirmed as recommended: nothing to explain */
    referral_flow_status_parse(sget(ref, "status"), &from);
    to = from == REFERRAL_CONTACTED ? REFERRAL_INTAKE_SCHEDULED : from;
    if (!f.problems && from != REFERRAL_INTAKE_SCHEDULED &&
        referral_flow_check(from, to, REFERRAL_VIA_INTAKE, NULL) != E_OK)
        form_problem(&f, "confirmed_level",
                    "An intake is only possible once the person has been contacted.");
    if (f.problems) {
        audit_record(r, "update", "referral", id, "invalid");
        view_render(r, 422, "admissions/intake", m);
        return;
    }
    json_decref(m);
    e = store_adm_intake_save(r->store, id, &in, referral_flow_status_name(from),
                              referral_flow_status_name(to), auth_user_id(r),
                              audit_entry(r, "update", "referral", id));
    if (e != E_OK) {
        adm_fail(r, e, "update", "referral", id);
        return;
    }
    resp_redirect(r, 303, arena_strdup(r->arena, r->path)); /* GET shows the saved intake */
}

/* ------------------------------------------------------------------ admit */

static json_t *admit_model(struct req *r, const char *id, const json_t *ref)
{
    json_t *m = adm_model(r, "Admit"), *clinicians = NULL, *tracks = NULL, *t, *topts;
    const json_t *in = json_object_get(ref, "intake");
    const char *level = in ? sget(in, "confirmed_level") : "";
    size_t i;

    json_object_set_new(m, "ref", ref_summary(r, id, ref));
    if (store_adm_staff_with_role(r->store, "clinician", &clinicians) != E_OK)
        clinicians = json_array();
    json_object_set_new(m, "counsellors", clinicians);
    topts = json_array();
    if (store_tracks_list(r->store, &tracks) == E_OK) {
        json_array_foreach(tracks, i, t)
            json_array_append_new(topts, json_pack("{s:O, s:O}", "value", json_object_get(t, "code"),
                                                   "label", json_object_get(t, "name")));
        json_decref(tracks);
    }
    json_object_set_new(m, "tracks", topts);
    json_object_set_new(m, "statuses", options(patient_statuses, "active", false, status_labels));
    json_object_set_new(m, "levels", options(admit_levels, level, true, NULL));
    json_object_set_new(m, "can_admit", json_boolean(!strcmp(sget(ref, "status"),
                                                             "intake-scheduled") && in));
    json_object_set_new(m, "intake_level", json_string(adm_level_title(level)));
    return m;
}

/* Marks the option whose value is v selected in the model's list `key`. */
static void select_option(json_t *m, const char *key, const char *v, const char *field)
{
    json_t *o;
    size_t i;

    json_array_foreach(json_object_get(m, key), i, o) {
        const char *ov = json_string_value(json_object_get(o, field));
        json_object_set_new(o, "selected", json_boolean(v && ov && !strcmp(v, ov)));
    }
}

void adm_admit_page(struct req *r, const char *id, json_t *ref)
{
    json_t *m = admit_model(r, id, ref);
    char today[11];
    const char *name = sget(ref, "name"), *sp = strchr(name, ' ');

    if (audit_record(r, "view", "referral", id, "ok") < 0) { /* no audit entry, no reading */
        json_decref(m);
        view_error(r, 500, AUDIT_UNRECORDED);
        return;
    }
    timefmt_today(time(NULL), today);
    /* Pre-filled from the call request; staff check and complete it with the person. */
    json_object_set_new(m, "form", json_pack("{s:s%, s:s, s:s, s:s, s:s}", "first_name", name,
                                             sp ? (size_t)(sp - name) : strlen(name), "last_name",
                                             sp ? sp + 1 : "", "phone", sget(ref, "phone"),
                                             "email", sget(ref, "email"), "admission_date", today));
    view_render(r, 200, "admissions/admit", m);
}

void adm_admit_post(struct req *r, const char *id, json_t *ref)
{
    json_t *m = admit_model(r, id, ref);
    struct form f;
    struct admissions_patient p = {0};
    char loc[64], today[11];
    int years = 0;
    enum err e;

    form_init(&f, r, m);
    p.first_name = form_text(&f, "first_name", 100, true, false, "Please give the first name.");
    p.last_name = form_text(&f, "last_name", 100, true, false, "Please give the last name.");
    p.date_of_birth = form_date(&f, "date_of_birth", true, "Please give the date of birth.");
    p.phone = form_phone(&f, "phone", true, &p.phone_digits);
    p.email = form_email(&f, "email", false, NULL);
    p.address = form_text(&f, "address", 300, false, true, NULL);
    p.emergency_name = form_text(&f, "emergency_name", 100, true, false,
                                "Please give an emergency contact.");
    {
        const char *ignored;
        p.emergency_phone = form_phone(&f, "emergency_phone", true, &ignored);
    }
    p.emergency_relationship = form_text(&f, "emergency_relationship", 50, true, false,
                                        "Please say how the contact is related (e.g. sister).");
    p.counsellor = form_text(&f, "counsellor", 64, true, false,
                            "Please choose the primary counsellor.");
    p.admission_date = form_date(&f, "admission_date", true, "Please give the admission date.");
    p.level = form_choice(&f, "level", admit_levels, true, "Please choose the level of care.");
    p.track = form_text(&f, "track", 50, false, false, NULL);
    p.status = form_choice(&f, "status", patient_statuses, true, "Please choose the status.");
    timefmt_today(time(NULL), today);
    if (p.date_of_birth && (strcmp(p.date_of_birth, today) > 0 ||
                            (years = adm_years(p.date_of_birth, time(NULL))) > 120))
        form_problem(&f, "date_of_birth", "Please check the date of birth.");
    else if (p.date_of_birth && years < 18)
        form_problem(&f, "date_of_birth", "This program admits adults (18 or older).");
    if (p.track) {
        bool known = false;
        json_t *o;
        size_t i;
        json_array_foreach(json_object_get(m, "tracks"), i, o)
            known |= !strcmp(json_string_value(json_object_get(o, "value")), p.track);
        if (!known)
            form_problem(&f, "track", "Please choose a track from the list.");
    }
    select_option(m, "counsellors", p.counsellor, "public_id");
    select_option(m, "tracks", p.track, "value");
    select_option(m, "levels", p.level, "value");
    select_option(m, "statuses", p.status, "value");
    if (!f.problems) {
        /* The patient's entry and the referral's go in with the admission (the store sets the
         * new patient's id). */
        e = store_adm_admit(r->store, id, &p, auth_user_id(r), audit_entry(r, "create", "patient", id));
        if (e == E_INVALID)
            form_problem(&f, "counsellor", "Please choose a counsellor from the list.");
        else if (e != E_OK) {
            json_decref(m);
            adm_fail(r, e, "create", "patient", id);
            return;
        }
    }
    if (f.problems) {
        audit_record(r, "create", "patient", id, "invalid");
        view_render(r, 422, "admissions/admit", m);
        return;
    }
    json_decref(m);
    snprintf(loc, sizeof(loc), "/staff/patients/%s", p.public_id);
    resp_redirect(r, 303, arena_strdup(r->arena, loc));
}
