/* cancel: cancelling a session with a reason, and clinic closures (every session of a date
 * cancelled with one action and one reason). Neither is one click: a page first names what
 * will be cancelled and asks for the reason and a ticked confirmation (422 and the page again
 * without them). A session with attendance is never cancelled (spec §2): a closure leaves
 * such sessions and lists them. Each cancellation lands with its audit entry
 * (store_program_session_cancel). */
#include "modules/calendar/calendar.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "store/program.h"
#include "web/audit.h"
#include "web/form.h"
#include "web/view.h"

#define REASON_MAX 300

/* Whether attendance was taken at the session (a read failure counts as taken: nothing is
 * cancelled that might have it). */
static bool has_attendance(struct req *r, const char *id)
{
    json_t *taken = NULL, *v;
    const char *k;
    bool any = true;

    if (store_calendar_attendance(r->store, id, &taken) == E_OK) {
        any = false;
        json_object_foreach(taken, k, v)
            any |= json_object_get(v, "status") != NULL;
    }
    json_decref(taken);
    return any;
}

/* The reason and the ticked box; NULL with problems on f. */
static const char *reason_read(struct form *f, const char *confirm)
{
    const char *reason = form_text(f, "reason", REASON_MAX * 4, true, true,
                                   "Give the reason, which the calendar shows.");
    long n = reason ? utf8_count(reason) : 0;

    if (reason && n > REASON_MAX) {
        form_problem(f, "reason", "Keep the reason to 300 characters.");
        reason = NULL;
    }
    if (!form_checked(f, "confirm"))
        form_problem(f, "confirm", confirm);
    return f->problems ? NULL : reason;
}

/* The cancel page's model for session id (the request's, in *m); E_NOTFOUND, E_CONFLICT
 * (already cancelled: r->message), E_DB. */
static enum err cancel_model(struct req *r, const char *id, json_t **m)
{
    json_t *s = NULL, *v;
    char title[160];
    enum err e;

    *m = NULL;
    if ((e = store_program_session_get(r->store, id, &s)) != E_OK)
        return e == E_NOTFOUND ? e : E_DB;
    v = calendar_session_view(s, program_today());
    json_decref(s);
    if (json_is_true(json_object_get(v, "cancelled"))) {
        json_decref(v);
        r->message = "This session is cancelled already.";
        return E_CONFLICT;
    }
    snprintf(title, sizeof(title), "Cancel %s?", json_string_value(json_object_get(v, "title")));
    *m = req_model(r, view_staff_model(r, title));
    json_object_set_new(*m, "session", v);
    json_object_set_new(*m, "taken", json_boolean(has_attendance(r, id)));
    return E_OK;
}

enum err calendar_cancel_page(struct req *r)
{
    const char *id = req_param(r, "id");
    json_t *m;
    enum err e;

    if ((e = cancel_model(r, id, &m)) != E_OK) {
        audit_record(r, "view", "session", id, audit_outcome(e));
        return e;
    }
    form_init(&(struct form){0}, r, m);
    if (audit_record(r, "view", "session", id, "ok") < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}

enum err calendar_cancel_post(struct req *r)
{
    const char *id = req_param(r, "id"), *reason;
    struct program_why why = {{0}, {0}};
    json_t *m, *out = NULL;
    struct form f;
    enum err e;

    if ((e = cancel_model(r, id, &m)) != E_OK) {
        audit_record(r, "cancel", "session", id, audit_outcome(e));
        return e;
    }
    form_init(&f, r, m);
    reason = reason_read(&f, "Tick the box to confirm that the session is cancelled.");
    e = reason ? store_program_session_cancel(r->store, id, reason,
                                              audit_entry(r, "cancel", "session", id), &out, &why)
               : E_INVALID;
    if (e == E_OK) {
        const char *date = json_string_value(json_object_get(out, "date"));
        char anchor[48];
        snprintf(anchor, sizeof(anchor), "s-%s", id);
        r->model = NULL;
        calendar_redirect_day(r, date ? date : "", anchor);
        json_decref(out);
        return E_OK;
    }
    if (reason && (e == E_CONFLICT || e == E_INVALID))
        form_problem(&f, strcmp(why.field, "reason") ? "confirm" : "reason", why.message);
    if (e == E_CONFLICT)
        json_object_set_new(m, "taken", json_boolean(has_attendance(r, id)));
    audit_record(r, "cancel", "session", id, audit_outcome(e));
    if (e != E_INVALID && e != E_CONFLICT)
        r->model = NULL;
    return e;
}

/* The closure page's model for the query's or the form's date: the sessions it would cancel
 * and those it leaves (attendance taken; cancelled already). E_INVALID (r->message) for a
 * date that is not one, E_DB. */
static enum err closure_model(struct req *r, const char *date, json_t **m)
{
    json_t *sessions = NULL, *s, *cancel, *kept, *done;
    caldate d, today = program_today();
    char title[96], label[CALENDAR_DAY_LABEL];
    size_t i;

    *m = NULL;
    if (!date || !caldate_parse(date, &d)) {
        r->message = "Name the date to close, such as 2026-03-09.";
        return E_INVALID;
    }
    if (store_program_sessions_list(r->store, d, d, NULL, NULL, &sessions) != E_OK)
        return E_DB;
    cancel = json_array();
    kept = json_array();
    done = json_array();
    json_array_foreach(sessions, i, s) {
        json_t *v = calendar_session_view(s, today);
        const char *id = json_string_value(json_object_get(s, "id"));
        json_array_append_new(json_is_true(json_object_get(v, "cancelled")) ? done
                              : has_attendance(r, id)                      ? kept
                                                                           : cancel,
                              v);
    }
    json_decref(sessions);
    snprintf(title, sizeof(title), "Close the clinic on %s?", calendar_day_label(d, true, label));
    *m = req_model(r, view_staff_model(r, title));
    json_object_set_new(*m, "date", json_string(date));
    json_object_set_new(*m, "date_label", json_string(label));
    json_object_set_new(*m, "any", json_boolean(json_array_size(cancel) > 0));
    json_object_set_new(*m, "n_cancel", json_integer((json_int_t)json_array_size(cancel)));
    json_object_set_new(*m, "cancel", cancel);
    json_object_set_new(*m, "kept", kept);
    json_object_set_new(*m, "any_kept", json_boolean(json_array_size(kept) > 0));
    json_object_set_new(*m, "done", done);
    json_object_set_new(*m, "any_done", json_boolean(json_array_size(done) > 0));
    return E_OK;
}

enum err calendar_closure_page(struct req *r)
{
    json_t *m;
    enum err e;

    if ((e = closure_model(r, req_query(r, "date"), &m)) != E_OK)
        return e;
    form_init(&(struct form){0}, r, m);
    if (audit_record(r, "list", "session", NULL, "ok") < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}

enum err calendar_closure_post(struct req *r)
{
    const char *date = req_form(r, "date"), *reason;
    json_t *m, *s;
    struct form f;
    size_t i;
    enum err e;

    if ((e = closure_model(r, date, &m)) != E_OK) {
        audit_record(r, "cancel", "session", NULL, audit_outcome(e));
        return e;
    }
    form_init(&f, r, m);
    reason = reason_read(&f, "Tick the box to confirm that every session listed is cancelled.");
    if (reason && !json_is_true(json_object_get(m, "any")))
        form_problem(&f, "confirm", "There is no session left to cancel on this date.");
    if (f.problems) {
        audit_record(r, "cancel", "session", NULL, "invalid");
        return E_INVALID;
    }
    /* One cancellation each, with its own entry: a session whose attendance was taken in the
     * meantime is refused by the store (E_CONFLICT) and simply stays. */
    json_array_foreach(json_object_get(m, "cancel"), i, s) {
        const char *id = json_string_value(json_object_get(s, "id"));
        struct program_why why = {{0}, {0}};
        json_t *out = NULL;
        e = store_program_session_cancel(r->store, id, reason,
                                         audit_entry(r, "cancel", "session", id), &out, &why);
        json_decref(out);
        if (e != E_OK && e != E_CONFLICT) {
            audit_record(r, "cancel", "session", id, audit_outcome(e));
            r->model = NULL;
            r->message = "Something went wrong on our side: some sessions may not be cancelled. "
                         "Open the calendar of the day to see which.";
            return E_DB;
        }
    }
    r->model = NULL;
    return calendar_redirect_day(r, date, NULL);
}
