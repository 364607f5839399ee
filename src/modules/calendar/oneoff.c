/* oneoff: a one-off session made from the calendar (spec §2: individual, family, medication,
 * group, workshop; an intake is an individual session titled "Intake"): date, times, kind,
 * title, its patients, staff and room. Patients are found by name with the form's "Find"
 * button, which posts the form to itself and shows it again with what was typed and the
 * patients found, so no script is needed; the ones ticked stay chosen. A conflict (R9) comes
 * back as the form's problem naming the other session by its title and time. */
#include "modules/calendar/calendar.h"

#include <stdio.h>
#include <string.h>

#include "store/admissions.h"
#include "store/program.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/principal.h"
#include "web/view.h"

#define QUERY_MAX 100
#define PATIENTS_MAX 50
#define STAFF_MAX 20

static const char *const kind_codes[] = {"individual", "family", "medication", "group",
                                         "workshop", NULL};
static const char *const kind_labels[] = {"Individual (an intake too: title it \"Intake\")",
                                          "Family", "Medication management", "Group",
                                          "Workshop"};

/* What a "Find" keeps of the form as typed. */
static const char *const kept_fields[] = {"date", "start", "end", "title", "room", NULL};

static json_t *kind_options(const char *chosen)
{
    json_t *out = json_array();

    for (size_t i = 0; kind_codes[i]; i++)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", kind_codes[i], "label",
                                             kind_labels[i],
                                             "selected", chosen && !strcmp(chosen, kind_codes[i])));
    return out;
}

/* The staff as checkboxes, the chosen ones (public ids) ticked; emails gets the e-mails of the
 * chosen ones that exist (arena), *n_emails their count. */
static json_t *staff_choices(struct req *r, const char *const *chosen, size_t n,
                             const char **emails, size_t *n_emails)
{
    json_t *staff = calendar_staff(r), *u;
    size_t i;

    *n_emails = 0;
    json_array_foreach(staff, i, u) {
        const char *id = json_string_value(json_object_get(u, "public_id"));
        bool on = false;
        for (size_t k = 0; k < n; k++)
            on |= !strcmp(chosen[k], id);
        json_object_set_new(u, "checked", json_boolean(on));
        if (on && emails && *n_emails < STAFF_MAX)
            emails[(*n_emails)++] =
                arena_strdup(r->arena, json_string_value(json_object_get(u, "email")));
    }
    return staff;
}

/* The patients to choose from: the chosen ones (ticked, by name) and those found by q that are
 * not discharged. */
static enum err patient_choices(struct req *r, const char *const *chosen, size_t n,
                                const char *q, json_t **out)
{
    json_t *ids = json_array(), *people = NULL, *found = NULL, *p, *list = json_array();
    const char *id;
    size_t i;
    enum err e;

    for (i = 0; i < n; i++)
        json_array_append_new(ids, json_string(chosen[i]));
    e = store_calendar_people(r->store, ids, auth_user_id(r), &people);
    json_decref(ids);
    if (e != E_OK) {
        json_decref(list);
        return e;
    }
    for (i = 0; i < n; i++)
        if ((p = json_object_get(people, chosen[i])))
            json_array_append_new(list, json_pack("{s:s, s:O, s:O, s:b}", "public_id",
                                                  chosen[i], "first_name",
                                                  json_object_get(p, "first_name"), "last_name",
                                                  json_object_get(p, "last_name"), "checked", 1));
    if (q && *q && store_adm_patient_search(r->store, q, NULL, &found) == E_OK)
        json_array_foreach(found, i, p) {
            id = json_string_value(json_object_get(p, "public_id"));
            if (!id || json_object_get(people, id) ||
                !strcmp(json_string_value(json_object_get(p, "status")), "discharged"))
                continue;
            json_array_append_new(list, json_pack("{s:s, s:O, s:O, s:b, s:O}", "public_id", id,
                                                  "first_name", json_object_get(p, "first_name"),
                                                  "last_name", json_object_get(p, "last_name"),
                                                  "checked", 0, "date_of_birth",
                                                  json_object_get(p, "date_of_birth")));
        }
    json_decref(found);
    json_decref(people);
    *out = list;
    return E_OK;
}

/* The form's model (the request's): choices of staff and patients; emails (may be NULL) gets
 * the chosen staff's e-mails, *n_emails their count. */
static enum err new_model(struct req *r, json_t **m, const char *const *patients, size_t np,
                          const char *const *staff, size_t ns, const char *q,
                          const char **emails, size_t *n_emails)
{
    json_t *choices = NULL;
    enum err e;

    *m = req_model(r, view_staff_model(r, "New session"));
    if ((e = patient_choices(r, patients, np, q, &choices)) != E_OK) {
        r->model = NULL;
        return E_DB;
    }
    json_object_set_new(*m, "patient_choices", choices);
    json_object_set_new(*m, "any_patients", json_boolean(json_array_size(choices) > 0));
    json_object_set_new(*m, "searched", json_boolean(q && *q));
    json_object_set_new(*m, "staff_choices",
                        staff_choices(r, staff, ns, emails, n_emails));
    return E_OK;
}

enum err calendar_new_form(struct req *r)
{
    const char *date = req_query(r, "date"), *patient = req_query(r, "patient");
    const char *me = r->user->public_id;
    json_t *m, *form;
    caldate d;
    struct form f;
    enum err e;

    if ((e = new_model(r, &m, &patient, patient && *patient ? 1 : 0, &me, 1, NULL, NULL,
                       &(size_t){0})) != E_OK)
        return e;
    form_init(&f, r, m);
    form = json_object_get(m, "form");
    json_object_set_new(form, "date", json_string(date && caldate_parse(date, &d) ? date : ""));
    json_object_set_new(m, "kind_options", kind_options("individual"));
    if (audit_list(r, "patient", json_object_get(m, "patient_choices")) < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}

/* A "HH:MM" time field into *out; a problem when missing or not a time. */
static void time_field(struct form *f, const char *name, const char *missing, int *out)
{
    const char *v = form_text(f, name, 8, true, false, missing);

    if (v && !caldate_time_parse(v, out))
        form_problem(f, name, "Give a time such as 09:30.");
}

/* Reads the form into p (problems on f). */
static void new_read(struct form *f, struct program_session *p, size_t n_staff_chosen)
{
    const char *date = form_date(f, "date", true, "Give the session's date.");

    if (date && !caldate_parse(date, &p->date))
        form_problem(f, "date", "Give a date such as 2026-03-09.");
    time_field(f, "start", "Give the time it starts.", &p->start);
    time_field(f, "end", "Give the time it ends.", &p->end);
    p->kind = form_choice(f, "kind", kind_codes, true,
                          "Choose the kind of session: individual, family, medication "
                          "management, group or workshop.");
    p->title = form_text(f, "title", TRACK_TITLE_MAX * 4, true, false,
                         "Give the session a title, such as \"Intake\" or \"Family session\".");
    p->room = form_text(f, "room", 50 * 4, false, false, NULL);
    if (!p->n_patients)
        form_problem(f, "patients", "Choose at least one patient: find them by name.");
    else if (p->n_patients > PATIENTS_MAX)
        form_problem(f, "patients", "A session names at most 50 patients.");
    if (n_staff_chosen > STAFF_MAX)
        form_problem(f, "staff", "Choose at most 20 staff members.");
}

/* The store's problem in plain words: the other session (R9) by title and time, a patient by
 * name, instead of their ids ("Patient <id> is in session <id> at that time."). */
static const char *conflict_text(struct req *r, const struct program_why *why,
                                 const json_t *choices)
{
    const char *msg = why->message, *at = strstr(msg, "session ");
    bool room = !strcmp(why->field, "room");
    char out[400], who[240] = "", id[33] = "";
    json_t *other = NULL, *p;
    size_t i;

    if (!at || sscanf(at + 8, "%32[0-9a-f]", id) != 1 ||
        store_program_session_get(r->store, id, &other) != E_OK)
        return arena_strdup(r->arena, msg);
    json_array_foreach(choices, i, p)
        if (strstr(msg, json_string_value(json_object_get(p, "public_id"))))
            snprintf(who, sizeof(who), "%s %s is",
                     json_string_value(json_object_get(p, "first_name")),
                     json_string_value(json_object_get(p, "last_name")));
    /* A staff member is named by e-mail: the sentence's first words. */
    if (!who[0] && !strcmp(why->field, "staff") && strstr(msg, " is in"))
        snprintf(who, sizeof(who), "%.*s is", (int)(strstr(msg, " is in") - msg), msg);
    snprintf(out, sizeof(out), "%s in \"%s\" (%s, %s to %s) at that time.",
             room ? "The room is taken: it is" : who[0] ? who : "Someone chosen is",
             json_string_value(json_object_get(other, "title")),
             json_string_value(json_object_get(other, "date")),
             json_string_value(json_object_get(other, "start")),
             json_string_value(json_object_get(other, "end")));
    json_decref(other);
    return arena_strdup(r->arena, out);
}

/* The form shown again (422, or 409 for a conflict) after e; audited. */
static enum err new_again(struct req *r, json_t *m, enum err e)
{
    audit_record(r, "create", "session", NULL, audit_outcome(e));
    if (audit_list(r, "patient", json_object_get(m, "patient_choices")) < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return e;
}

enum err calendar_new_post(struct req *r)
{
    struct program_session p = {0};
    struct program_why why = {{0}, {0}};
    const char *q = req_form(r, "q"), *action = req_form(r, "action");
    const char **patients, **staff, **emails;
    size_t np, ns;
    json_t *m, *out = NULL;
    struct form f;
    enum err e;

    patients = calendar_form_all(r, "patients", &np);
    staff = calendar_form_all(r, "staff", &ns);
    emails = arena_alloc(r->arena, (STAFF_MAX + 1) * sizeof(*emails));
    if (q && strlen(q) > QUERY_MAX)
        q = NULL;
    if ((e = new_model(r, &m, patients, np > PATIENTS_MAX ? PATIENTS_MAX : np, staff, ns, q,
                       emails, &p.n_staff)) != E_OK)
        return e;
    p.staff = emails;
    p.patients = patients;
    p.n_patients = np;
    form_init(&f, r, m);
    form_text(&f, "q", QUERY_MAX * 4, false, false, NULL);
    if (action && !strcmp(action, "find")) {
        /* Only looking for patients: the same form again, as typed, with nothing checked. */
        for (size_t i = 0; kept_fields[i]; i++)
            form_text(&f, kept_fields[i], TRACK_TITLE_MAX * 4, false, false, NULL);
        json_object_set_new(m, "kind_options", kind_options(req_form(r, "kind")));
        if (audit_list(r, "patient", json_object_get(m, "patient_choices")) < 0) {
            r->model = NULL;
            r->message = AUDIT_UNRECORDED;
            return E_DB;
        }
        return E_OK;
    }
    new_read(&f, &p, ns);
    json_object_set_new(m, "kind_options", kind_options(p.kind));
    if (f.problems)
        return new_again(r, m, E_INVALID);
    e = store_program_session_add(r->store, &p, audit_entry(r, "create", "session", NULL), &out,
                                  &why);
    if (e == E_OK) {
        const char *date = json_string_value(json_object_get(out, "date"));
        char anchor[48];
        snprintf(anchor, sizeof(anchor), "s-%s", json_string_value(json_object_get(out, "id")));
        r->model = NULL;
        calendar_redirect_day(r, date ? date : "", anchor);
        json_decref(out);
        return E_OK;
    }
    if (e != E_INVALID && e != E_CONFLICT) {
        audit_record(r, "create", "session", NULL, audit_outcome(e));
        r->model = NULL;
        return E_DB;
    }
    form_problem(&f, why.field[0] ? why.field : "date",
                 e == E_CONFLICT
                     ? conflict_text(r, &why, json_object_get(m, "patient_choices"))
                     : why.message);
    return new_again(r, m, e);
}
