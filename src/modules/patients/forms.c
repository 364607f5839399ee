/* forms: the chart's two edit forms (the status, and the contact details with the primary
 * counsellor) as the chart first shows them, filled from the record, and the choices each
 * offers, the discharge reasons among them. chart.c calls forms_edit for every clinical chart;
 * status.c and contact.c use the rest to show their form again with its problems, and the
 * program's files (program_view.c, transitions.c) the reasons. Knows nothing of the chart. */
#include "modules/patients/patients.h"

#include <string.h>
#include <time.h>

#include "core/timefmt.h"
#include "domain/patient_flow.h"
#include "store/admissions.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/principal.h"

static const char *sget(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

void forms_move(json_t *m, const char *key, json_t *scratch, bool open)
{
    json_t *dst = json_object_get(m, key);

    for (const char *const *k = (const char *const[]){"form", "err", "errors", "has_errors", NULL};
         *k; k++)
        json_object_set(dst, *k, json_object_get(scratch, *k));
    json_object_set_new(dst, "open", json_boolean(open));
}

/* The reasons of a discharge (issue 9's list), in the order the form offers them. Discharges
 * recorded before it keep their reasons (patient_flow's list), which are still shown. */
static const struct {
    const char *code, *label;
    bool needs_note;
} reasons[] = {
    {"completed", "Completed the program", false},
    {"against-advice", "Left against advice", false},
    {"transferred-higher", "Transferred to a higher level of care", false},
    {"moved", "Moved away", false},
    {"other", "Other", true},
};
#define N_REASONS (sizeof(reasons) / sizeof(reasons[0]))

const char *forms_reason_code(size_t i)
{
    return i < N_REASONS ? reasons[i].code : NULL;
}

const char *forms_reason_label(const char *code)
{
    for (size_t i = 0; code && i < N_REASONS; i++)
        if (!strcmp(reasons[i].code, code))
            return reasons[i].label;
    return patient_flow_discharge_reason_label(code);
}

bool forms_reason_needs_note(const char *code)
{
    for (size_t i = 0; code && i < N_REASONS; i++)
        if (!strcmp(reasons[i].code, code))
            return reasons[i].needs_note;
    return false;
}

/* The status changes of the status form: a discharge has its own form (transitions.c), with the
 * program's reasons and the enrolment it ends, so that there is one way to discharge. */
static size_t status_next(enum patient_status from, unsigned roles,
                          enum patient_status next[PATIENT_N_STATUS])
{
    size_t n = patient_flow_next(from, roles, next, PATIENT_N_STATUS), k = 0;

    for (size_t i = 0; i < n && i < PATIENT_N_STATUS; i++)
        if (next[i] != PATIENT_DISCHARGED)
            next[k++] = next[i];
    return k;
}

json_t *forms_status_options(enum patient_status from, unsigned roles, const char *chosen)
{
    enum patient_status next[PATIENT_N_STATUS];
    size_t n = status_next(from, roles, next);
    json_t *out = json_array();

    for (size_t i = 0; i < n; i++) {
        const char *v = patient_flow_status_name(next[i]);
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", v, "label",
                                             patient_flow_status_label(next[i]), "checked",
                                             chosen && !strcmp(chosen, v)));
    }
    return out;
}

json_t *forms_reason_options(const char *chosen)
{
    json_t *out = json_array();
    const char *code;

    for (size_t i = 0; (code = forms_reason_code(i)); i++)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", code, "label",
                                             forms_reason_label(code), "checked",
                                             chosen && !strcmp(chosen, code)));
    return out;
}

json_t *forms_counsellor_options(struct req *r, const json_t *p, const char *chosen)
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

/* The status form as new: the changes this member may make from the patient's status. */
static void status_form(struct req *r, json_t *m, const json_t *p)
{
    enum patient_status from = PATIENT_ACTIVE, next[PATIENT_N_STATUS];
    unsigned roles = r->user ? r->user->roles : 0;
    json_t *scratch = json_object();
    struct form f;

    patient_flow_status_parse(sget(p, "status"), &from);
    form_init(&f, r, scratch);
    json_object_set_new(m, "status_form", json_pack(
        "{s:s, s:o, s:b, s:b}", "from", sget(p, "status"), "options",
        forms_status_options(from, roles, NULL), "discharged", from == PATIENT_DISCHARGED,
        "can_change", status_next(from, roles, next) > 0));
    forms_move(m, "status_form", scratch, false);
    json_decref(scratch);
}

/* The contact form filled with the record's details and its counsellor chosen. */
static void contact_form(struct req *r, json_t *m, const json_t *p)
{
    static const char *const fields[] = {"phone", "email", "address", "emergency_name",
                                         "emergency_phone", "emergency_relationship", NULL};
    json_t *scratch = json_object();
    struct form f;

    form_init(&f, r, scratch);
    json_object_set_new(m, "contact_form",
                        json_pack("{s:o}", "counsellors",
                                  forms_counsellor_options(r, p, sget(p, "counsellor_id"))));
    for (const char *const *k = fields; *k; k++)
        json_object_set_new(json_object_get(scratch, "form"), *k, json_string(sget(p, *k)));
    forms_move(m, "contact_form", scratch, false);
    json_decref(scratch);
}

void forms_edit(struct req *r, json_t *m, const json_t *p)
{
    bool can = auth_can(r, PATIENT_EDIT_ROLES);
    const char *reason = sget(p, "discharge_reason"), *label;

    json_object_set_new(m, "can_edit", json_boolean(can));
    if (*reason) {
        label = forms_reason_label(reason);
        json_object_set_new(m, "discharge", json_pack(
            "{s:s, s:s, s:s, s:s}", "date", sget(p, "discharge_date"), "reason",
            label ? label : reason, "note", sget(p, "discharge_note"), "aftercare",
            sget(p, "aftercare_note")));
    }
    if (!can)
        return;
    status_form(r, m, p);
    contact_form(r, m, p);
}
