/* sessions: the calendar's API (spec program.md §2, §4, R9): sessions of a span with their
 * rosters, a one-off session with its named patients, staff and room, cancelling a session,
 * and taking attendance (with walk-ins). */
#include "modules/program/program.h"

#include <string.h>

#include "web/audit.h"

#define SESSIONS_SPAN_MAX 62 /* days a read of sessions may cover, both ends included */
#define SESSION_PATIENTS_MAX 50
#define SESSION_STAFF_MAX 20

/* A from/to span of the query, at most max days: true, or false with the 422 set. */
static bool query_span(struct req *r, int max, caldate *from, caldate *to, enum err *e)
{
    char msg[80];

    if (!req_query(r, "from")) {
        *e = program_invalid(r, "from", "Give the first date, such as 2026-03-02.");
        return false;
    }
    if (!req_query(r, "to")) {
        *e = program_invalid(r, "to", "Give the last date, such as 2026-03-08.");
        return false;
    }
    if (!program_query_date(r, "from", 0, from, e) || !program_query_date(r, "to", 0, to, e))
        return false;
    if (*to < *from) {
        *e = program_invalid(r, "to", "The last date is on or after the first.");
        return false;
    }
    if (*to - *from + 1 > max) {
        snprintf(msg, sizeof(msg), "Ask for at most %d days at a time.", max);
        *e = program_invalid(r, "to", msg);
        return false;
    }
    return true;
}

enum err program_sessions(struct req *r)
{
    const char *track = req_query(r, "track"), *patient = req_query(r, "patient");
    caldate from, to;
    json_t *out = NULL;
    enum err e = E_OK;

    if (!query_span(r, SESSIONS_SPAN_MAX, &from, &to, &e))
        return e;
    e = store_program_sessions_list(r->store, from, to, track && *track ? track : NULL,
                                    patient && *patient ? patient : NULL, &out);
    if (e == E_NOTFOUND)
        return program_invalid(r, patient && *patient ? "patient" : "track",
                               "There is no such record.");
    if (e != E_OK)
        return E_DB;
    if (audit_record(r, "list", "session", track && *track ? track : patient, "ok") < 0) {
        json_decref(out);
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    req_model(r, out);
    return E_OK;
}

/* A list of up to max strings (ids, e-mails) at key, in the request's arena; *n its length. */
static const char **strings(struct body *b, const char *key, size_t max, bool required,
                            size_t *n, const char *message)
{
    json_t *arr = json_object_get(b->root, key), *it;
    const char **out;
    size_t i;

    *n = 0;
    if (!arr || json_is_null(arr)) {
        if (required)
            body_problem(b, key, message);
        return NULL;
    }
    if (!json_is_array(arr) || json_array_size(arr) > max || (required && !json_array_size(arr))) {
        body_problem(b, key, message);
        return NULL;
    }
    out = arena_alloc(b->r->arena, (json_array_size(arr) + 1) * sizeof(*out));
    json_array_foreach(arr, i, it) {
        const char *s = json_string_value(it);
        if (!s || !*s || strlen(s) > 254) {
            body_problem(b, key, message);
            return NULL;
        }
        out[(*n)++] = s;
    }
    return out;
}

enum err program_session_add(struct req *r)
{
    struct program_session p = {0};
    struct program_why why = {{0}, {0}};
    json_t *out = NULL;
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    body_date(&b, "date", true, &p.date);
    body_time(&b, "start", &p.start);
    body_time(&b, "end", &p.end);
    p.kind = body_text(&b, "kind", 16, true,
                       "The kind is individual, family, medication, group or workshop.");
    p.title = body_text(&b, "title", TRACK_TITLE_MAX, true, "Give a title of 1 to 100 characters.");
    p.room = body_text(&b, "room", 50, false, "The room is 1 to 50 characters.");
    p.patients = strings(&b, "patients", SESSION_PATIENTS_MAX, true, &p.n_patients,
                         "Name the session's patients by id (1 to 50).");
    p.staff = strings(&b, "staff", SESSION_STAFF_MAX, false, &p.n_staff,
                      "Name the staff by e-mail (at most 20).");
    if ((e = program_checked(&b, "create", "session", NULL)) != E_OK)
        return e;
    e = store_program_session_add(r->store, &p, audit_entry(r, "create", "session", NULL), &out,
                                  &why);
    return program_written(r, e, out, &why, "create", "session", NULL, 201);
}

enum err program_session_cancel(struct req *r)
{
    const char *id = req_param(r, "id"), *reason;
    struct program_why why = {{0}, {0}};
    json_t *out = NULL;
    struct body b;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    reason = body_text(&b, "reason", 300, true, "Give a reason of 1 to 300 characters.");
    if ((e = program_checked(&b, "cancel", "session", id)) != E_OK)
        return e;
    e = store_program_session_cancel(r->store, id, reason,
                                     audit_entry(r, "cancel", "session", id), &out, &why);
    return program_written(r, e, out, &why, "cancel", "session", id, 0);
}

enum err program_attendance(struct req *r)
{
    const char *id = req_param(r, "id"), *patient = req_param(r, "patient_id"), *status;
    struct program_why why = {{0}, {0}};
    json_t *out = NULL, *walk;
    struct body b;
    int minutes = -1;
    enum err e;

    if ((e = body_parse(r, &b)) != E_OK)
        return e;
    status = body_text(&b, "status", 32, true,
                       "The status is present, late, left-early, absent-excused or "
                       "absent-unexcused.");
    body_int(&b, "minutes", 0, 720, false, &minutes);
    walk = json_object_get(b.root, "walk_in");
    if (walk && !json_is_boolean(walk) && !json_is_null(walk))
        body_problem(&b, "walk_in", "walk_in is true or false.");
    if ((e = program_checked(&b, "attendance", "patient", patient)) != E_OK)
        return e;
    e = store_attendance_put(r->store, id, patient, status, minutes, json_is_true(walk),
                             program_today(), audit_entry(r, "attendance", "patient", patient),
                             &out, &why);
    return program_written(r, e, out, &why, "attendance", "patient", patient, 0);
}
