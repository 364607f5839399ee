/* transitions: the chart's forms that move a patient through the program (issue 9): a move to
 * another track at the same level of care, a step up or down (a track at another level, which
 * becomes the patient's, with a reason), and the discharge (its date, a reason from the list, a
 * note for "other", an aftercare note), which ends the enrolment covering its date. Each is one
 * store transaction (store/transitions.h) with its timeline event and audit entries; a refusal
 * comes back as the form's problem beside its field, the chart shown again. */
#include "modules/patients/patients.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "store/transitions.h"
#include "web/audit.h"
#include "web/auth.h"

#define NOTE_MAX 500       /* the note of an "other" reason, as the status note */
#define AFTERCARE_MAX 2000 /* characters */

static const char *sget(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* The form's field prefix_name (a name of at most 16 bytes). */
static const char *field(char out[48], const char *prefix, const char *name)
{
    snprintf(out, 48, "%s_%s", prefix, name);
    return out;
}

/* A move (step false) or a step, from the form whose fields begin with prefix. */
static enum err move_post(struct req *r, const char *prefix, bool step)
{
    const char *id = req_param(r, "id"), *start;
    struct transition_move mv = {.step = step, .is_admin = auth_can(r, ROLE_ADMIN)};
    struct program_why why = {{0}, {0}};
    json_t *p = NULL, *m = NULL, *scratch = json_object();
    char name[48], enrolment[33] = "";
    struct form f;
    enum err e;

    if ((e = chart_load(r, id, &p, &m)) != E_OK)
        goto out;
    form_init(&f, r, scratch);
    mv.track_id = form_text(&f, field(name, prefix, "track"), 64, true, false,
                            "Please choose a track.");
    start = form_date(&f, field(name, prefix, "start"), true,
                      "Please give the first day in the new track.");
    if (start)
        caldate_parse(start, &mv.start);
    mv.reason = form_text(&f, field(name, prefix, "reason"), 1200, step, true,
                          "Please give the reason for the change of level.");
    if (mv.is_admin) /* only an administrator is offered the capacity's override */
        mv.override_reason = form_text(&f, field(name, prefix, "override"), 1200, false, false,
                                       NULL);
    if (!f.problems)
        e = store_transition_move(r->store, id, &mv, audit_entry(r, "update", "patient", id),
                                  enrolment, &why);
    e = program_view_answer(r, &m, prefix, scratch, &f, e, &why);
out:
    return program_view_done(r, e, scratch, m, p);
}

enum err transitions_move(struct req *r)
{
    return move_post(r, "move", false);
}

enum err transitions_step(struct req *r)
{
    return move_post(r, "step", true);
}

/* The discharge's rules on the form (the store checks the enrolments): a date from the
 * admission to today, a reason of the list, a note for "other", lengths in characters. */
static void discharge_read(struct form *f, const json_t *p, struct transition_discharge *d,
                           const char **label)
{
    const char *codes[8] = {NULL}, *date;
    caldate admitted = 0;

    for (size_t i = 0; i < 7 && forms_reason_code(i); i++)
        codes[i] = forms_reason_code(i);
    date = form_date(f, "discharge_date", true, "Please give the date of the discharge.");
    if (date && caldate_parse(date, &d->date)) {
        if (d->date > program_view_today())
            form_problem(f, "discharge_date", "The discharge date cannot be in the future.");
        else if (caldate_parse(sget(p, "admission_date"), &admitted) && d->date < admitted)
            form_problem(f, "discharge_date",
                         "The discharge date cannot be before the admission date.");
    }
    d->reason = form_choice(f, "discharge_reason", codes, true,
                            "Please choose the reason for the discharge.");
    d->note = form_text(f, "discharge_note", NOTE_MAX * 4, false, true, NULL);
    if (d->note && utf8_count(d->note) > NOTE_MAX)
        form_problem(f, "discharge_note", "Please shorten the note to at most 500 characters.");
    else if (!d->note && forms_reason_needs_note(d->reason))
        form_problem(f, "discharge_note", "Please describe the other reason in the note.");
    d->aftercare = form_text(f, "aftercare_note", AFTERCARE_MAX * 4, false, true, NULL);
    if (d->aftercare && utf8_count(d->aftercare) > AFTERCARE_MAX)
        form_problem(f, "aftercare_note",
                     "Please shorten the aftercare note to at most 2,000 characters.");
    *label = forms_reason_label(d->reason);
}

enum err transitions_discharge(struct req *r)
{
    const char *id = req_param(r, "id"), *label = NULL;
    struct transition_discharge d = {0};
    struct program_why why = {{0}, {0}};
    json_t *p = NULL, *m = NULL, *scratch = json_object();
    char ended[160];
    struct form f;
    enum err e;

    if ((e = chart_load(r, id, &p, &m)) != E_OK)
        goto out;
    /* The status the member saw: a change made meanwhile is a conflict, never overwritten. */
    d.from = req_form(r, "from");
    if (!d.from || strcmp(d.from, sget(p, "status")) != 0 ||
        !strcmp(d.from, "discharged")) {
        e = E_CONFLICT;
        goto out;
    }
    form_init(&f, r, scratch);
    discharge_read(&f, p, &d, &label);
    snprintf(ended, sizeof(ended), "Discharged: %s", label ? label : "");
    d.enrolment_reason = ended;
    if (!f.problems)
        e = store_transition_discharge(r->store, id, &d, audit_entry(r, "update", "patient", id),
                                       &why);
    e = program_view_answer(r, &m, "discharge", scratch, &f, e, &why);
out:
    return program_view_done(r, e, scratch, m, p);
}
