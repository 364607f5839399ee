/* patients: POST /api/v1/patients, a direct admission (spec program.md §4: a hospital's
 * referral, with no call request behind it). The fields and their rules are the admission
 * form's (domain/contact.h); the counsellor is the caller unless another enabled clinician is
 * named by e-mail. */
#include "modules/program/program.h"

#include <string.h>

#include "domain/contact.h"
#include "domain/roles.h"
#include "store/admissions.h"
#include "store/staff.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/principal.h"

static const char *const levels[] = {"php", "iop", "outpatient"};

/* A phone number's field: the number, its digits into digits (CONTACT_PHONE_DIGITS + 1). */
static const char *phone(struct body *b, const char *key, char *digits)
{
    const char *v = body_text(b, key, CONTACT_PHONE_MAX, true, "Give a phone number.");
    const char *problem = v ? contact_phone_problem(v, digits) : NULL;

    if (problem) {
        body_problem(b, key, problem);
        return NULL;
    }
    return v;
}

/* A person's name field checked by domain/contact. */
static const char *name(struct body *b, const char *key, const char *message)
{
    const char *v = body_text(b, key, CONTACT_NAME_MAX, true, message);
    const char *problem = v ? contact_name_problem(v) : NULL;

    if (problem) {
        body_problem(b, key, problem);
        return NULL;
    }
    return v;
}

/* A date field's text once it names a real date. */
static const char *date(struct body *b, const char *key)
{
    caldate d;

    if (!body_date(b, key, true, &d))
        return NULL;
    return json_string_value(json_object_get(b->root, key));
}

/* The counsellor: the named enabled clinician, or the caller. */
static long counsellor(struct req *r, struct body *b)
{
    const char *email = body_text(b, "counsellor_email", CONTACT_EMAIL_MAX, false,
                                  "Give the counsellor's e-mail address.");
    struct staff_user u;

    if (!body_has(b, "counsellor_email") || json_is_null(json_object_get(b->root,
                                                                          "counsellor_email")))
        return auth_user_id(r);
    if (!email)
        return 0;
    if (store_user_get(r->store, STAFF_BY_EMAIL, 0, email, &u) != E_OK || u.disabled ||
        !(u.roles & ROLE_CLINICIAN)) {
        body_problem(b, "counsellor_email", "Name an enabled clinician by e-mail.");
        return 0;
    }
    return u.id;
}

static void read_patient(struct body *b, struct admissions_patient *p, char *digits,
                         char *edigits)
{
    const char *level;

    p->first_name = name(b, "first_name", "Give the first name.");
    p->last_name = name(b, "last_name", "Give the last name.");
    p->date_of_birth = date(b, "date_of_birth");
    p->phone = phone(b, "phone", digits);
    p->phone_digits = digits;
    p->emergency_name = name(b, "emergency_name", "Give an emergency contact.");
    p->emergency_phone = phone(b, "emergency_phone", edigits);
    p->emergency_relationship = body_text(b, "emergency_relationship", 50, true,
                                          "Say how the contact is related (e.g. sister).");
    p->admission_date = date(b, "admission_date");
    level = body_text(b, "level", 16, true, "The level is php, iop or outpatient.");
    for (size_t i = 0; level && i < sizeof(levels) / sizeof(*levels); i++)
        if (!strcmp(level, levels[i]))
            p->level = levels[i];
    if (level && !p->level)
        body_problem(b, "level", "The level is php, iop or outpatient.");
    p->status = "active";
}

enum err program_patient_add(struct req *r)
{
    struct admissions_patient p = {0};
    char digits[CONTACT_PHONE_DIGITS + 1] = "", edigits[CONTACT_PHONE_DIGITS + 1] = "";
    char today[CALDATE_TEXT];
    struct body b;
    long who;
    int years = 0;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    read_patient(&b, &p, digits, edigits);
    caldate_format(program_today(), today);
    /* The admission form's plausibility rule; the population of a track says who it serves. */
    if (p.date_of_birth && (strcmp(p.date_of_birth, today) > 0 ||
                            (years = contact_age(p.date_of_birth, today)) > 120 || years < 0))
        body_problem(&b, "date_of_birth", "Please check the date of birth.");
    who = counsellor(r, &b);
    if ((e = program_checked(&b, "create", "patient", NULL)) != E_OK)
        return e;
    e = store_adm_admit_direct(r->store, &p, who, auth_user_id(r),
                               audit_entry(r, "create", "patient", NULL));
    if (e != E_OK)
        return program_refused(r, e, NULL, "create", "patient", NULL);
    req_model(r, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                           p.public_id, "first_name", p.first_name, "last_name", p.last_name,
                           "date_of_birth", p.date_of_birth, "phone", p.phone, "emergency_name",
                           p.emergency_name, "emergency_phone", p.emergency_phone,
                           "emergency_relationship", p.emergency_relationship,
                           "admission_date", p.admission_date, "level", p.level, "status",
                           p.status));
    r->status = 201;
    return E_OK;
}
