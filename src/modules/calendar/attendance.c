/* attendance: one session's screen (GET /staff/sessions/:id): its roster, one row per person
 * with the five statuses as big radio buttons and the minutes for late and left early. A row
 * not yet recorded starts at "present", so a group is marked by changing the exceptions and
 * saving once: every row through store_attendance_put_all, in one transaction, all or none (a
 * row refused comes back with its problem and nothing is saved). A walk-in (a patient not on
 * the roster of a track session) is found by name and added with their status. A cancelled
 * session, or one dated after today, is shown read-only with the reason. */
#include "modules/calendar/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/attendance.h"
#include "http/resp.h"
#include "store/admissions.h"
#include "store/program.h"
#include "web/audit.h"
#include "web/form.h"
#include "web/view.h"

#define FIELD_MAX 48 /* "minutes-" or "status-" and a public id */
#define QUERY_MAX 100

static const char *const status_codes[] = {"present",        "late",
                                           "left-early",     "absent-excused",
                                           "absent-unexcused", NULL};

/* Why attendance cannot be taken at the session now, or NULL when it can. */
static const char *closed_reason(struct req *r, const json_t *v)
{
    char text[200];

    if (json_is_true(json_object_get(v, "cancelled"))) {
        snprintf(text, sizeof(text),
                 "This session was cancelled, so no attendance is taken for it. Reason: %s",
                 json_string_value(json_object_get(v, "cancel_reason"))
                     ? json_string_value(json_object_get(v, "cancel_reason"))
                     : "none given");
        return arena_strdup(r->arena, text);
    }
    if (json_is_true(json_object_get(v, "future")))
        return "This session has not happened yet: attendance is taken on the day of the "
               "session, or afterwards.";
    return NULL;
}

static const char *field_name(struct req *r, const char *prefix, const char *id)
{
    char name[FIELD_MAX + 40];

    snprintf(name, sizeof(name), "%s-%s", prefix, id);
    return arena_strdup(r->arena, name);
}

/* The row's radio buttons, `chosen` checked. */
static json_t *status_options(const char *id, const char *chosen)
{
    json_t *out = json_array();

    for (size_t i = 0; status_codes[i]; i++)
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b}", "value", status_codes[i],
                                             "label", calendar_status_label(status_codes[i]),
                                             "pid", id, "checked",
                                             !strcmp(status_codes[i], chosen)));
    return out;
}

/* Gives each roster row its form: the status to show checked (recorded, else present) and the
 * recorded minutes of a late or early leaver. */
static void rows_defaults(json_t *rows)
{
    json_t *row;
    size_t i;

    json_array_foreach(rows, i, row) {
        const char *id = json_string_value(json_object_get(row, "public_id"));
        const char *st = json_string_value(json_object_get(row, "status"));
        bool partial = st && (!strcmp(st, "late") || !strcmp(st, "left-early"));
        json_object_set_new(row, "options", status_options(id, st ? st : "present"));
        if (partial)
            json_object_set(row, "minutes_value", json_object_get(row, "minutes"));
    }
}

/* Patients found by name for a walk-in: not discharged, not on the roster already. */
static json_t *walk_in_results(struct req *r, const json_t *rows, const char *q)
{
    json_t *found = NULL, *out = json_array(), *p, *row;
    size_t i, k;

    if (!q || !*q || store_adm_patient_search(r->store, q, NULL, &found) != E_OK)
        return out;
    json_array_foreach(found, i, p) {
        const char *id = json_string_value(json_object_get(p, "public_id"));
        bool on = false;
        if (!id || !strcmp(json_string_value(json_object_get(p, "status")), "discharged"))
            continue;
        json_array_foreach(rows, k, row)
            on |= !strcmp(json_string_value(json_object_get(row, "public_id")), id);
        if (!on)
            json_array_append_new(out, json_pack("{s:s, s:O, s:O, s:O}", "public_id", id,
                                                 "first_name", json_object_get(p, "first_name"),
                                                 "last_name", json_object_get(p, "last_name"),
                                                 "date_of_birth",
                                                 json_object_get(p, "date_of_birth")));
    }
    json_decref(found);
    return out;
}

/* The page's model for session id (the request's, in *m) with its roster rows (*rows, owned
 * by *m); E_NOTFOUND, E_DB. Audits nothing. */
static enum err session_model(struct req *r, const char *id, json_t **m, json_t **rows)
{
    json_t *s = NULL, *v, *roster = NULL;
    caldate today = program_today();
    const char *closed;
    char title[160];
    enum err e;

    *m = NULL;
    if ((e = store_program_session_get(r->store, id, &s)) != E_OK)
        return e == E_NOTFOUND ? e : E_DB;
    if ((e = calendar_roster(r, s, &roster)) != E_OK) {
        json_decref(s);
        return E_DB;
    }
    v = calendar_session_view(s, today);
    json_decref(s);
    snprintf(title, sizeof(title), "Attendance: %s",
             json_string_value(json_object_get(v, "title")));
    *m = req_model(r, view_staff_model(r, title));
    json_object_set_new(*m, "session", v);
    rows_defaults(roster);
    json_object_set_new(*m, "rows", roster);
    json_object_set_new(*m, "empty", json_boolean(!json_array_size(roster)));
    json_object_set_new(*m, "n_rows", json_integer((json_int_t)json_array_size(roster)));
    if ((closed = closed_reason(r, v)))
        json_object_set_new(*m, "closed", json_string(closed));
    else
        json_object_set_new(*m, "open", json_true());
    json_object_set_new(*m, "walk_ins_allowed",
                        json_boolean(!closed && !json_is_true(json_object_get(v, "one_off"))));
    *rows = roster;
    return E_OK;
}

/* The walk-in search of the page (q), its results audited with the roster. */
static enum err shown(struct req *r, json_t *m, const char *q)
{
    json_t *found = walk_in_results(r, json_object_get(m, "rows"), q), *all;

    json_object_set_new(m, "walk_in_q", json_string(q ? q : ""));
    json_object_set_new(m, "walk_in_found", found);
    json_object_set_new(m, "walk_in_searched", json_boolean(q && *q));
    json_object_set_new(m, "walk_in_none", json_boolean(q && *q && !json_array_size(found)));
    all = json_copy(json_object_get(m, "rows"));
    json_array_extend(all, found);
    if (audit_record(r, "view", "session", req_param(r, "id"), "ok") < 0 ||
        audit_list(r, "patient", all) < 0) {
        json_decref(all);
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    json_decref(all);
    return E_OK;
}

enum err calendar_session_page(struct req *r)
{
    const char *id = req_param(r, "id"), *q = req_query(r, "q"), *saved = req_query(r, "saved");
    json_t *m, *rows;
    enum err e;

    if ((e = session_model(r, id, &m, &rows)) != E_OK) {
        audit_record(r, "view", "session", id, audit_outcome(e));
        return e;
    }
    json_object_set_new(m, "saved", json_boolean(saved && !strcmp(saved, "1")));
    json_object_set_new(m, "walk_in_added", json_boolean(saved && !strcmp(saved, "walk-in")));
    form_init(&(struct form){0}, r, m);
    if (q && strlen(q) > QUERY_MAX)
        q = NULL;
    return shown(r, m, q);
}

/* The answer to a save that landed: 303 back to the session's page, which says what was
 * saved (?saved=what). */
static enum err saved(struct req *r, const char *id, const char *what)
{
    char url[128];

    r->model = NULL;
    snprintf(url, sizeof(url), "/staff/sessions/%s?saved=%s", id, what);
    resp_redirect(r, 303, arena_strdup(r->arena, url));
    return E_OK;
}

/* Whole minutes of a field: 1-720, else -1 (a problem: the caller's). Empty: -2. */
static int minutes_of(const char *s)
{
    char *end;
    long v;

    if (!s || !*s)
        return -2;
    v = strtol(s, &end, 10);
    return *end || v < 0 || v > 720 || s[0] == '-' || s[0] == '+' ? -1 : (int)v;
}

/* One row's status and minutes from the form into *mark; problems by the row's fields, by
 * the rule the store applies (domain/attendance), so that every row's problem shows at once. */
static void row_read(struct form *f, json_t *row, int session_minutes,
                     struct attendance_mark *mark)
{
    struct req *r = f->r;
    const char *id = json_string_value(json_object_get(row, "public_id"));
    const char *sf = field_name(r, "status", id), *mf = field_name(r, "minutes", id);
    const char *status = form_choice(f, sf, status_codes, true, "Choose how they attended.");
    const char *mt = form_text(f, mf, 8, false, false, NULL), *problem;
    bool partial = status && (!strcmp(status, "late") || !strcmp(status, "left-early"));
    enum attendance_status st;
    char msg[200];
    int m;

    mark->patient_id = id;
    mark->status = status;
    /* The minutes count for late and left early only; the others take the session's or 0. */
    mark->minutes = partial ? minutes_of(mt) : -1;
    json_object_set_new(row, "options", status_options(id, status ? status : ""));
    json_object_set_new(row, "minutes_value", json_string(mt ? mt : ""));
    if (!status) {
        json_object_set_new(row, "error", json_string("Choose how they attended."));
        return;
    }
    if (!attendance_status_parse(status, &st) ||
        !(problem = attendance_minutes(st, session_minutes, mark->minutes == -2 ? -1
                                                          : mark->minutes, &m)))
        return;
    snprintf(msg, sizeof(msg), "%s %s: %s", json_string_value(json_object_get(row, "first_name")),
             json_string_value(json_object_get(row, "last_name")), problem);
    form_problem(f, mf, msg);
    json_object_set_new(row, "error", json_string(msg));
    json_object_set_new(row, "minutes_error", json_true());
}

/* Shows the store's refusal of row `at` (or the session's) on the form; returns the error. */
static enum err row_refused(struct form *f, json_t *rows, size_t at, enum err e,
                            const struct program_why *why)
{
    json_t *row = json_array_get(rows, at);
    const char *id = json_string_value(json_object_get(row, "public_id"));
    const char *field;

    const char *message = why->message[0] ? why->message : "This row could not be saved.";

    if (!row) {
        form_problem(f, "attendance", message);
        return e;
    }
    field = field_name(f->r, strcmp(why->field, "minutes") ? "status" : "minutes", id);
    form_problem(f, field, message);
    json_object_set_new(row, "error", json_string(message));
    return e;
}

enum err calendar_attendance_post(struct req *r)
{
    const char *id = req_param(r, "id");
    struct program_why why = {{0}, {0}};
    struct attendance_mark *marks;
    json_t *m, *rows, *row;
    struct form f;
    size_t n, i, at = 0;
    int minutes;
    enum err e;

    if ((e = session_model(r, id, &m, &rows)) != E_OK) {
        audit_record(r, "attendance", "session", id, audit_outcome(e));
        return e;
    }
    form_init(&f, r, m);
    if (json_object_get(m, "closed")) {
        r->model = NULL;
        r->message = json_string_value(json_object_get(m, "closed"));
        audit_record(r, "attendance", "session", id, "invalid");
        return E_CONFLICT;
    }
    n = json_array_size(rows);
    marks = arena_alloc(r->arena, (n + 1) * sizeof(*marks));
    minutes = (int)json_integer_value(json_object_get(json_object_get(m, "session"), "minutes"));
    json_array_foreach(rows, i, row)
        row_read(&f, row, minutes, &marks[i]);
    if (!f.problems) {
        e = store_attendance_put_all(r->store, id, marks, n, program_today(),
                                     audit_entry(r, "attendance", "patient", NULL), &at, &why);
        if (e == E_INVALID || e == E_CONFLICT || e == E_NOTFOUND)
            e = row_refused(&f, rows, at, e == E_NOTFOUND ? E_CONFLICT : e, &why);
    } else {
        e = E_INVALID;
    }
    if (e == E_OK)
        return saved(r, id, "1");
    audit_record(r, "attendance", "session", id, audit_outcome(e));
    if (e == E_DB) {
        r->model = NULL;
        return e;
    }
    return shown(r, m, NULL) == E_OK ? e : E_DB;
}

enum err calendar_walk_in_post(struct req *r)
{
    const char *id = req_param(r, "id"), *patient, *status, *mt, *q;
    struct program_why why = {{0}, {0}};
    json_t *m, *rows, *out = NULL;
    struct form f;
    int minutes = -1;
    enum err e;

    if ((e = session_model(r, id, &m, &rows)) != E_OK) {
        audit_record(r, "attendance", "session", id, audit_outcome(e));
        return e;
    }
    form_init(&f, r, m);
    q = form_text(&f, "q", QUERY_MAX, false, false, NULL);
    patient = form_text(&f, "patient", 64, true, false, "Choose the patient who walked in.");
    status = form_choice(&f, "walk_in_status", status_codes, true, "Choose how they attended.");
    mt = form_text(&f, "walk_in_minutes", 8, false, false, NULL);
    if (status && (!strcmp(status, "late") || !strcmp(status, "left-early")) &&
        (minutes = minutes_of(mt)) < 0)
        form_problem(&f, "walk_in_minutes", "Give the minutes they were there.");
    if (!json_is_true(json_object_get(m, "walk_ins_allowed")))
        form_problem(&f, "patient", json_object_get(m, "closed")
                                        ? json_string_value(json_object_get(m, "closed"))
                                        : "Only a track session takes walk-ins: a one-off "
                                          "session names its patients.");
    e = f.problems ? E_INVALID
                   : store_attendance_put(r->store, id, patient, status, minutes, true,
                                          program_today(),
                                          audit_entry(r, "attendance", "patient", patient), &out,
                                          &why);
    json_decref(out);
    if (e == E_OK)
        return saved(r, id, "walk-in");
    if (e == E_INVALID || e == E_CONFLICT || e == E_NOTFOUND) {
        if (!f.problems)
            form_problem(&f, strcmp(why.field, "minutes") ? "patient" : "walk_in_minutes",
                         e == E_NOTFOUND ? "There is no such patient." : why.message);
        e = e == E_NOTFOUND ? E_INVALID : e;
    }
    audit_record(r, "attendance", "patient", patient, audit_outcome(e));
    if (e == E_DB) {
        r->model = NULL;
        return e;
    }
    return shown(r, m, q) == E_OK ? e : E_DB;
}
