/* admit: "Admit": demographics, contacts, counsellor, admission date, level and status, pre-filled
 * from the call request. Admitting creates the patient and completes the referral in one
 * transaction, then leads to the patient's page. */
#include "modules/admissions/admissions.h"

#include <string.h>
#include <time.h>

#include "core/timefmt.h"
#include "store/store.h"
#include "store/admissions.h"
#include "modules/admissions/common.h"
#include "web/audit.h"
#include "web/auth.h"

/* The levels this program admits to. */
static const char *const admit_levels[] = {"php", "iop", "outpatient", NULL};
/* A new patient's status: the domain's statuses, in its order (name, label). */
static const char *const patient_statuses[] = {"active", "on-hold", "discharged", NULL};

/* The admission page's model: the referral, the choices of counsellor, track, status and level
 * (the intake's level selected). New reference. */
static json_t *admit_model(struct req *r, const char *id, const json_t *ref)
{
    json_t *m = admissions_model(r, "Admit"), *clinicians = NULL, *tracks = NULL, *t, *topts;
    const json_t *in = json_object_get(ref, "intake");
    const char *level = in ? admissions_string(in, "confirmed_level") : "";
    size_t i;

    json_object_set_new(m, "ref", admissions_summary(r, id, ref));
    if (store_adm_staff_with_role(r->store, "clinician", &clinicians) != E_OK)
        clinicians = json_array();
    json_object_set_new(m, "counsellors", clinicians);
    topts = json_array();
    if (store_tracks_list(r->store, &tracks) == E_OK) {
        json_array_foreach(tracks, i, t)
            json_array_append_new(topts, json_pack("{s:O, s:O}", "value",
                                                   json_object_get(t, "code"), "label",
                                                   json_object_get(t, "name")));
        json_decref(tracks);
    }
    json_object_set_new(m, "tracks", topts);
    json_object_set_new(m, "statuses",
                        admissions_status_options("active"));
    json_object_set_new(m, "levels", admissions_options(admit_levels, level, true, NULL));
    json_object_set_new(m, "can_admit",
                        json_boolean(!strcmp(admissions_string(ref, "status"),
                                             "intake-scheduled") && in));
    json_object_set_new(m, "intake_level", json_string(admissions_level_title(level)));
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

enum err admit_page(struct req *r)
{
    const char *id = req_param(r, "id"), *name, *sp;
    char today[11];
    json_t *ref, *m;
    enum err e;

    if ((e = admissions_referral_shown(r, id, &ref)) != E_OK)
        return e;
    m = req_model(r, admit_model(r, id, ref));
    name = admissions_string(ref, "name");
    sp = strchr(name, ' ');
    timefmt_today(time(NULL), today);
    /* Pre-filled from the call request; staff check and complete it with the person. */
    json_object_set_new(m, "form",
                        json_pack("{s:s%, s:s, s:s, s:s, s:s}", "first_name", name,
                                  sp ? (size_t)(sp - name) : strlen(name), "last_name",
                                  sp ? sp + 1 : "", "phone", admissions_string(ref, "phone"),
                                  "email", admissions_string(ref, "email"), "admission_date",
                                  today));
    return E_OK;
}

/* Reads the admission form into p, each problem next to its field. */
static void admit_read(struct form *f, struct admissions_patient *p)
{
    const char *ignored;

    p->first_name = form_text(f, "first_name", 100, true, false, "Please give the first name.");
    p->last_name = form_text(f, "last_name", 100, true, false, "Please give the last name.");
    p->date_of_birth = form_date(f, "date_of_birth", true, "Please give the date of birth.");
    p->phone = form_phone(f, "phone", true, &p->phone_digits);
    p->email = form_email(f, "email", false, NULL);
    p->address = form_text(f, "address", 300, false, true, NULL);
    p->emergency_name = form_text(f, "emergency_name", 100, true, false,
                                  "Please give an emergency contact.");
    p->emergency_phone = form_phone(f, "emergency_phone", true, &ignored);
    p->emergency_relationship = form_text(f, "emergency_relationship", 50, true, false,
                                          "Please say how the contact is related (e.g. sister).");
    p->counsellor = form_text(f, "counsellor", 64, true, false,
                              "Please choose the primary counsellor.");
    p->admission_date = form_date(f, "admission_date", true, "Please give the admission date.");
    p->level = form_choice(f, "level", admit_levels, true, "Please choose the level of care.");
    p->track = form_text(f, "track", 50, false, false, NULL);
    p->status = form_choice(f, "status", patient_statuses, true, "Please choose the status.");
}

/* The rules across fields and lists: an adult's plausible birth date, a track of the list;
 * then the choices made are selected again in the model m. */
static void admit_check(struct form *f, json_t *m, const struct admissions_patient *p)
{
    char today[11];
    int years = 0;

    timefmt_today(time(NULL), today);
    if (p->date_of_birth && (strcmp(p->date_of_birth, today) > 0 ||
                             (years = contact_age(p->date_of_birth, today)) > 120))
        form_problem(f, "date_of_birth", "Please check the date of birth.");
    else if (p->date_of_birth && years < 18)
        form_problem(f, "date_of_birth", "This program admits adults (18 or older).");
    if (p->track) {
        bool known = false;
        json_t *o;
        size_t i;
        json_array_foreach(json_object_get(m, "tracks"), i, o)
            known |= !strcmp(json_string_value(json_object_get(o, "value")), p->track);
        if (!known)
            form_problem(f, "track", "Please choose a track from the list.");
    }
    select_option(m, "counsellors", p->counsellor, "public_id");
    select_option(m, "tracks", p->track, "value");
    select_option(m, "levels", p->level, "value");
    select_option(m, "statuses", p->status, "value");
}

enum err admit_post(struct req *r)
{
    const char *id = req_param(r, "id");
    struct admissions_patient p = {0};
    struct form f;
    json_t *ref, *m;
    enum err e;

    if ((e = admissions_referral(r, id, "update", &ref)) != E_OK)
        return e;
    m = req_model(r, admit_model(r, id, ref));
    form_init(&f, r, m);
    admit_read(&f, &p);
    admit_check(&f, m, &p);
    if (!f.problems) {
        /* The patient's entry and the referral's go in with the admission (the store sets the
         * new patient's id). */
        e = store_adm_admit(r->store, id, &p, auth_user_id(r),
                            audit_entry(r, "create", "patient", id));
        if (e == E_INVALID)
            form_problem(&f, "counsellor", "Please choose a counsellor from the list.");
        else if (e != E_OK)
            return admissions_failed(r, e, "create", "patient", id);
    }
    if (f.problems) {
        audit_record(r, "create", "patient", id, "invalid");
        return E_INVALID;
    }
    return admissions_redirect(r, "/staff/patients/", p.public_id, "");
}
