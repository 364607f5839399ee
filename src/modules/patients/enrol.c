/* enrol: the chart's enrolment forms (POST /staff/patients/:id/enrol and .../enrolment-end): a
 * patient joins a track from a date, through the store function the API's enrolments use
 * (store_enrol: the track's opening, one enrolment a date, R8 capacity, R9 conflicts), and an
 * enrolment still running ends on a date. A refusal comes back as the form's problem, beside
 * its field: the first full date of a full track, the session that conflicts; an administrator
 * may go past the capacity with a reason (its field is shown to administrators only). */
#include "modules/patients/patients.h"

#include <string.h>

#include "store/transitions.h"
#include "web/audit.h"
#include "web/auth.h"

static const char *sget(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* A date field as a day; false (a problem recorded) when missing or not a date. */
static bool form_day(struct form *f, const char *name, const char *missing, caldate *out)
{
    const char *d = form_date(f, name, true, missing);

    return d && caldate_parse(d, out);
}

enum err enrol_join(struct req *r)
{
    const char *id = req_param(r, "id");
    struct program_enrolment en = {.end = CALDATE_OPEN, .is_admin = auth_can(r, ROLE_ADMIN)};
    struct program_why why = {{0}, {0}};
    json_t *p = NULL, *m = NULL, *scratch = json_object(), *out = NULL;
    struct form f;
    enum err e;

    if ((e = chart_load(r, id, &p, &m)) != E_OK)
        goto out;
    form_init(&f, r, scratch);
    en.track_id = form_text(&f, "join_track", 64, true, false, "Please choose a track.");
    form_day(&f, "join_start", "Please give the first day in the track.", &en.start);
    /* Only an administrator is offered (and heard on) the capacity's override. */
    if (en.is_admin)
        en.override_reason = form_text(&f, "join_override", 1200, false, false, NULL);
    if (!strcmp(sget(p, "status"), "discharged"))
        form_problem(&f, "join_track", "The patient is discharged: re-activate them first.");
    if (!f.problems)
        e = store_enrol(r->store, id, &en, audit_entry(r, "create", "enrolment", NULL), &out,
                        &why);
    e = program_view_answer(r, &m, "join", scratch, &f, e, &why);
out:
    json_decref(out);
    return program_view_done(r, e, scratch, m, p);
}

enum err enrol_end(struct req *r)
{
    const char *id = req_param(r, "id"), *which, *reason;
    struct program_why why = {{0}, {0}};
    json_t *p = NULL, *m = NULL, *scratch = json_object();
    caldate end = 0;
    struct form f;
    enum err e;

    if ((e = chart_load(r, id, &p, &m)) != E_OK)
        goto out;
    form_init(&f, r, scratch);
    which = form_text(&f, "end_enrolment", 64, true, false, "Please choose the enrolment.");
    form_day(&f, "end_date", "Please give the last day in the track.", &end);
    reason = form_text(&f, "end_reason", 1200, false, true, NULL);
    if (!f.problems) {
        e = store_transition_end(r->store, id, which, end, reason,
                                 audit_entry(r, "update", "enrolment", which), &why);
        if (e == E_NOTFOUND) { /* not one of this patient's: the list was not followed */
            form_problem(&f, "end_enrolment", "Please choose an enrolment from the list.");
            e = E_INVALID;
        }
    }
    e = program_view_answer(r, &m, "end", scratch, &f, e, &why);
out:
    return program_view_done(r, e, scratch, m, p);
}
