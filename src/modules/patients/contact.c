/* contact: changing a patient's contact details and primary counsellor from the chart
 * (POST /staff/patients/:id/contact). The form comes back inside the chart with the input kept
 * and each problem by its field (422); the change, its timeline events and its audit entry are
 * one store transaction, and a form that changes nothing writes nothing. */
#include "modules/patients/patients.h"

#include <string.h>

#include "store/admissions.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"

static const char *sget(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* Reads the form into c, each problem by its field; the counsellor must be one of the choices
 * the chart m now offers (which it updates with the one chosen). */
static void contact_read(struct req *r, struct form *f, const json_t *p, json_t *m,
                         struct admissions_contact *c)
{
    json_t *cf = json_object_get(m, "contact_form"), *o;
    const char *ignored;
    bool listed = false;
    size_t i;

    c->phone = form_phone(f, "phone", true, &c->phone_digits);
    c->email = form_email(f, "email", false, NULL);
    c->address = form_text(f, "address", 300, false, true, NULL);
    c->emergency_name = form_text(f, "emergency_name", 100, true, false,
                                  "Please give the emergency contact's name.");
    c->emergency_phone = form_phone(f, "emergency_phone", true, &ignored);
    c->emergency_relationship = form_text(f, "emergency_relationship", 50, true, false,
                                          "Please say how the emergency contact is related.");
    c->counsellor = form_text(f, "counsellor", 64, true, false,
                              "Please choose the primary counsellor.");
    json_object_set_new(cf, "counsellors",
                        forms_counsellor_options(r, p, c->counsellor ? c->counsellor : ""));
    if (!c->counsellor)
        return;
    json_array_foreach(json_object_get(cf, "counsellors"), i, o)
        listed |= !strcmp(sget(o, "public_id"), c->counsellor);
    if (!listed)
        form_problem(f, "counsellor", "Please choose a counsellor from the list.");
}

enum err contact_post(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *p = NULL, *m = NULL, *scratch = json_object();
    struct admissions_contact c = {0};
    struct form f;
    int changed = 0;
    enum err e;

    if ((e = chart_load(r, id, &p, &m)) != E_OK)
        goto out;
    form_init(&f, r, scratch);
    contact_read(r, &f, p, m, &c);
    if (!f.problems) {
        e = store_adm_patient_update_contact(r->store, id, &c, auth_user_id(r),
                                             audit_entry(r, "update", "patient", id), &changed);
        /* The counsellor was disabled or lost the role meanwhile. */
        if (e == E_INVALID && c.counsellor)
            form_problem(&f, "counsellor", "This person can no longer be a primary counsellor. "
                                           "Please choose another.");
    }
    if (f.problems) {
        forms_move(m, "contact_form", scratch, true);
        req_model(r, m);
        m = NULL;
        e = E_INVALID;
    } else if (e == E_OK) {
        chart_redirect(r, id, "contact-change");
    }
out:
    if (e != E_OK)
        audit_record(r, "update", "patient", id, audit_outcome(e));
    json_decref(scratch);
    json_decref(m);
    json_decref(p);
    return e;
}
