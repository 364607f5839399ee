/* clinic: the administrator's screen for the clinic's details (domain/clinic.h): its name, the
 * admissions phone people tap to call, its hours, address and what to do after hours, and the
 * levels of care it offers (a suggestion of any other is a referral elsewhere on the public
 * pages). Each field is checked by clinic_problem and shown again with its problem by it (422,
 * nothing saved); the details and their audit entry are saved together or not at all. */
#include "modules/users/users.h"

#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "domain/clinic.h"
#include "domain/loc.h"
#include "http/resp.h"
#include "modules/admissions/common.h"
#include "store/clinic.h"
#include "web/audit.h"
#include "web/form.h"
#include "web/principal.h"
#include "web/view.h"

/* The form's text fields: name, the field, its room, multiline. */
static const struct {
    const char *name;
    enum clinic_field field;
    size_t max;
    bool multiline;
} fields[] = {
    {"name", CLINIC_NAME, CLINIC_NAME_MAX, false},
    {"phone", CLINIC_PHONE, 32, false},
    {"hours", CLINIC_HOURS, CLINIC_HOURS_MAX, false},
    {"address", CLINIC_ADDRESS, CLINIC_ADDRESS_MAX, true},
    {"after_hours", CLINIC_AFTER_HOURS, CLINIC_AFTER_HOURS_MAX, true},
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

/* The levels of care a clinic may offer, as boxes [{value, label, checked}]: the assessment's
 * levels (domain/loc) that domain/clinic accepts, checked when c offers them. */
static json_t *level_boxes(const struct clinic *c)
{
    json_t *out = json_array();
    const char *code;

    for (size_t i = 0; (code = loc_level_name(i)); i++)
        if (!clinic_problem(CLINIC_LEVELS, code))
            json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", code, "label",
                                                 admissions_level_title(code), "checked",
                                                 clinic_offers(c, code)));
    return out;
}

/* The page's model with c's details in the form (m: the request's). */
static json_t *clinic_model(struct req *r, const struct clinic *c)
{
    json_t *m = req_model(r, view_staff_model(r, "The clinic's details")), *form;
    struct form f;

    form_init(&f, r, m);
    form = json_object_get(m, "form");
    for (size_t i = 0; i < N_FIELDS; i++)
        json_object_set_new(form, fields[i].name, json_string(clinic_get(c, fields[i].field)));
    json_object_set_new(m, "levels", level_boxes(c));
    return m;
}

enum err users_clinic_page(struct req *r)
{
    struct clinic c;

    if (store_clinic_get(r->store, &c) != E_OK) {
        r->message = "The clinic's details could not be read. Please try again in a minute.";
        return E_DB;
    }
    clinic_model(r, &c);
    if (req_query(r, "done"))
        json_object_set_new(r->model, "notice",
                            json_string("The clinic's details are saved. The public pages show "
                                        "them from now on."));
    return E_OK;
}

/* The levels ticked, comma-separated in the order of the list, into c; a problem when none is
 * ticked or one is not a level the clinic may offer. */
static void ticked_levels(struct form *f, struct clinic *c)
{
    struct buf b = BUF_INIT;
    const char *code;
    bool bad = false;

    for (size_t k = 0; k < f->r->n_fields; k++)
        if (!strcmp(f->r->fields[k].name, "levels"))
            bad |= clinic_problem(CLINIC_LEVELS, f->r->fields[k].value) != NULL;
    for (size_t i = 0; (code = loc_level_name(i)); i++)
        for (size_t k = 0; k < f->r->n_fields; k++)
            if (!strcmp(f->r->fields[k].name, "levels") && !strcmp(f->r->fields[k].value, code) &&
                !clinic_problem(CLINIC_LEVELS, code)) {
                buf_addf(&b, "%s%s", b.len ? "," : "", code);
                break;
            }
    if (bad)
        form_problem(f, "levels", "Choose from the levels of care listed.");
    else if (!b.len)
        form_problem(f, "levels", "Tick at least one level of care the clinic offers.");
    clinic_set(c, CLINIC_LEVELS, buf_cstr(&b));
    buf_free(&b);
}

enum err users_clinic_save(struct req *r)
{
    json_t *m = req_model(r, view_staff_model(r, "The clinic's details"));
    const char *v, *problem;
    struct clinic c;
    struct form f;

    clinic_defaults(&c);
    form_init(&f, r, m);
    for (size_t i = 0; i < N_FIELDS; i++) {
        v = form_text(&f, fields[i].name, fields[i].max, false, fields[i].multiline, NULL);
        if (json_object_get(json_object_get(m, "err"), fields[i].name))
            continue; /* form_text named the problem (too long, unreadable, control bytes) */
        if ((problem = clinic_problem(fields[i].field, v ? v : "")))
            form_problem(&f, fields[i].name, problem);
        else
            clinic_set(&c, fields[i].field, v ? v : "");
    }
    ticked_levels(&f, &c);
    json_object_set_new(m, "levels", level_boxes(&c));
    if (f.problems) {
        audit_record(r, "update", "settings", "clinic", audit_outcome(E_INVALID));
        return E_INVALID;
    }
    if (store_clinic_set(r->store, &c, audit_entry(r, "update", "settings", "clinic")) != E_OK) {
        audit_record(r, "update", "settings", "clinic", audit_outcome(E_DB));
        r->model = NULL;
        r->message = "We could not save the clinic's details. Nothing was changed. Please try "
                     "again.";
        return E_DB;
    }
    log_info("clinic details saved by user %ld", r->user->id);
    r->model = NULL;
    resp_redirect(r, 303, "/staff/settings/clinic?done=1");
    return E_OK;
}
