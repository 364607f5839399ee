/* status: changing a patient's status from the chart (POST /staff/patients/:id/status): on
 * hold, back to active, re-activated by a clinician or an admin with a reason (the rules are
 * domain/patient_flow's). A discharge is not made here: it has its own form (transitions.c),
 * with the program's reasons and the enrolment it ends, so that there is one way to discharge.
 * The form comes back inside the chart with the input kept and each problem by its field (422);
 * the change, its timeline event and its audit entry are one store transaction. */
#include "modules/patients/patients.h"

#include <string.h>
#include <time.h>

#include "core/timefmt.h"
#include "store/admissions.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/principal.h"

static const char *sget(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* Where each problem of domain/patient_flow is shown, and what it says. */
static const struct {
    unsigned bit;
    const char *field, *message;
} flow_problems[] = {
    {PATIENT_FLOW_NO_TRANSITION, "status_to",
     "A patient cannot move to that status from where they are now."},
    {PATIENT_FLOW_NOTE_TOO_LONG, "status_note",
     "Please shorten the note to at most 500 characters."},
};

/* The change asked for, as the domain checks it (c) and as the store writes it (sc). */
struct status_change {
    struct patient_flow_change c;
    struct admissions_status_change sc;
    char today[11];
};

/* Checks what the domain says about the change in s, each problem by its field; E_FORBIDDEN
 * when the change exists, but not for the member's roles. */
static enum err status_check(struct req *r, struct form *f, const json_t *p,
                             struct status_change *s)
{
    unsigned problems;

    s->c.roles = r->user ? r->user->roles : 0;
    s->c.discharge_date = s->sc.discharge_date;
    s->c.discharge_reason = s->sc.discharge_reason;
    s->c.note = s->sc.note;
    s->c.admission_date = sget(p, "admission_date");
    s->c.today = s->today;
    problems = patient_flow_check(&s->c);
    if (problems & PATIENT_FLOW_ROLE)
        return E_FORBIDDEN;
    if (problems & PATIENT_FLOW_NEED_NOTE)
        form_problem(f, "status_note", "Please give the reason for re-activating the patient.");
    for (size_t i = 0; i < sizeof(flow_problems) / sizeof(flow_problems[0]); i++)
        if (problems & flow_problems[i].bit)
            form_problem(f, flow_problems[i].field, flow_problems[i].message);
    return E_OK;
}

/* Reads the form into s (s->sc.from is set), each problem by its field; E_FORBIDDEN as
 * status_check says. */
static enum err status_read(struct req *r, struct form *f, const json_t *p,
                            struct status_change *s)
{
    static const char *const names[] = {"active", "on-hold", "discharged", NULL};

    s->sc.to = form_choice(f, "status_to", names, true, "Please choose the new status.");
    s->sc.note = form_text(f, "status_note", PATIENT_NOTE_MAX * 4, false, true, NULL);
    s->c.to = PATIENT_ACTIVE;
    if (!s->sc.to || patient_flow_status_parse(s->sc.to, &s->c.to) != E_OK ||
        patient_flow_status_parse(s->sc.from, &s->c.from) != E_OK)
        return E_OK;
    if (s->c.to == PATIENT_DISCHARGED && s->c.from != PATIENT_DISCHARGED) {
        form_problem(f, "status_to",
                     "To discharge the patient, please use the discharge form under Program.");
        return E_OK;
    }
    timefmt_today(time(NULL), s->today);
    return status_check(r, f, p, s);
}

/* The status form open again in the chart m, with the input and the problems in scratch. */
static void status_again(struct req *r, json_t *m, json_t *scratch, const struct status_change *s)
{
    json_t *sf = json_object_get(m, "status_form");

    json_object_set_new(sf, "options",
                        forms_status_options(s->c.from, r->user ? r->user->roles : 0, s->sc.to));
    forms_move(m, "status_form", scratch, true);
}

enum err status_post(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *p = NULL, *m = NULL, *scratch = json_object();
    struct status_change s = {0};
    struct form f;
    enum err e;

    if ((e = chart_load(r, id, &p, &m)) != E_OK)
        goto out;
    form_init(&f, r, scratch);
    /* The status the member saw: a change made meanwhile is a conflict, never overwritten. */
    s.sc.from = req_form(r, "from");
    if (!s.sc.from || strcmp(s.sc.from, sget(p, "status")) != 0) {
        e = E_CONFLICT;
        goto out;
    }
    /* A rule on the record's data, finer than the route's roles. */
    if ((e = status_read(r, &f, p, &s)) == E_FORBIDDEN) {
        r->message = "Only a clinician or an administrator can re-activate a discharged patient.";
        goto out;
    }
    if (f.problems) {
        status_again(r, m, scratch, &s);
        req_model(r, m);
        m = NULL;
        e = E_INVALID;
    } else if ((e = store_adm_patient_set_status(r->store, id, &s.sc, auth_user_id(r),
                                                 audit_entry(r, "update", "patient", id))) ==
               E_OK) {
        chart_redirect(r, id, "status-change");
    }
out:
    if (e != E_OK)
        audit_record(r, "update", "patient", id, e == E_FORBIDDEN ? "denied" : audit_outcome(e));
    json_decref(scratch);
    json_decref(m);
    json_decref(p);
    return e;
}
