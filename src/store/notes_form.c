/* notes_form: what the group note's page needs in one read (store_note_group_form): the
 * session, its note so far, and each attendee with the objectives of their current plan and
 * what to pre-fill from their previous section (participation and the objectives they worked
 * on, followed across plan versions by the objective's thread), so that a 12-member note is
 * minutes of work. */
#include "store/notes_internal.h"

#include <string.h>

static const char sql_session[] =
    "SELECT id, public_id, title, date, start_time, end_time, kind, status"
    " FROM program_sessions WHERE public_id = ?1";
static const char sql_taken[] = "SELECT count(*) FROM attendance WHERE session_id = ?1";
static const char sql_attendees[] =
    "SELECT p.id, p.public_id, p.first_name, p.last_name, a.status FROM attendance a"
    " JOIN patients p ON p.id = a.patient_id WHERE a.session_id = ?1 AND a.status IN "
    NOTES_ATTENDED " ORDER BY lower(p.last_name), lower(p.first_name), p.id";
static const char sql_previous[] =
    "SELECT n.id, ns.participation FROM note_sections ns JOIN notes n ON n.id = ns.note_id"
    " WHERE ns.patient_id = ?1 AND n.session_id <> ?2 AND n.service_date <= ?3"
    " ORDER BY n.service_date DESC, n.id DESC LIMIT 1";
/* The current plan's objective on the thread of each objective worked on in note ?1. */
static const char sql_previous_progress[] =
    "SELECT cur.public_id, np.progress FROM note_progress np"
    " JOIN plan_objectives o ON o.id = np.objective_id"
    " JOIN plan_objectives cur ON cur.thread_id = o.thread_id"
    " JOIN plans p ON p.id = cur.plan_id WHERE np.note_id = ?1 AND np.patient_id = ?2"
    " AND p.patient_id = ?2 AND p.status IN ('current', 'superseded')"
    " AND p.effective_date <= ?3 AND (p.superseded_date IS NULL OR p.superseded_date > ?3)"
    " ORDER BY cur.position, cur.id";

/* What the member's previous section pre-fills: {participation, progress: [{objective_id,
 * progress}]} (empty when they have none). */
static enum err prefill_of(struct store *s, long patient, long session, const char *date,
                           json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_previous);
    json_t *prog = json_array();
    long note = 0;
    enum err e = E_OK;
    int rc;

    *out = json_pack("{s:n, s:o}", "participation", "progress", prog);
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_int64(st, 2, session);
    db_bind_text(st, 3, date);
    if ((rc = db_step(st)) == DB_ROW) {
        note = (long)db_col_int64(st, 0);
        json_object_set_new(*out, "participation", json_string(db_col_text(st, 1)));
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "read a previous section");
    }
    db_reset(st);
    if (e != E_OK || !note)
        return e;
    if (!(st = db_prepare(s->db, sql_previous_progress)))
        return E_DB;
    db_bind_int64(st, 1, note);
    db_bind_int64(st, 2, patient);
    db_bind_text(st, 3, date);
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(prog, json_pack("{s:s, s:s}", "objective_id", db_col_text(st, 0),
                                              "progress", db_col_text(st, 1)));
    if (rc != DB_DONE)
        e = db_fail(s->db, "read a previous section's progress");
    db_reset(st);
    return e;
}

/* The saved section of patient (public id) in note (a model from store_note_get), or null. */
static json_t *saved_section(const json_t *note, const char *patient)
{
    const json_t *sec;
    size_t i;

    json_array_foreach(json_object_get(note, "sections"), i, sec)
        if (!strcmp(json_string_value(json_object_get(sec, "patient_id")), patient))
            return json_deep_copy(sec);
    return json_null();
}

/* The attendees of session (row id) on date, each with objectives, section and prefill. */
static enum err attendees_of(struct store *s, long session, const char *date,
                             const json_t *note, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_attendees);
    json_t *a, *v;
    enum err e = E_OK;
    int rc;

    *out = json_array();
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, session);
    while ((rc = db_step(st)) == DB_ROW)
        if (!admissions_push(*out,
                             json_pack("{s:I, s:s, s:s, s:s, s:s}", "row",
                                       (json_int_t)db_col_int64(st, 0), "patient_id",
                                       db_col_text(st, 1), "first_name", db_col_text(st, 2),
                                       "last_name", db_col_text(st, 3), "status",
                                       db_col_text(st, 4)),
                             "an attendee"))
            e = E_DB;
    if (rc != DB_DONE && e == E_OK)
        e = db_fail(s->db, "list attendees");
    db_reset(st);
    for (size_t i = 0; e == E_OK && i < json_array_size(*out); i++) {
        long row;
        a = json_array_get(*out, i);
        row = (long)json_integer_value(json_object_get(a, "row"));
        json_object_del(a, "row");
        if ((e = store_notes_objectives(s, row, date, &v)) == E_OK) {
            json_object_set_new(a, "has_plan", json_boolean(json_array_size(v) > 0));
            json_object_set_new(a, "objectives", v);
            e = prefill_of(s, row, session, date, &v);
        } else {
            json_decref(v);
            break;
        }
        json_object_set_new(a, "prefill", v);
        json_object_set_new(
            a, "section",
            saved_section(note, json_string_value(json_object_get(a, "patient_id"))));
    }
    return e;
}

/* The session part of the model and its row id; E_NOTFOUND. */
static enum err session_part(struct store *s, const char *session_id, json_t *m, long *id,
                             char date[CALDATE_TEXT])
{
    struct db_stmt *st = db_prepare(s->db, sql_session);
    enum err e = E_NOTFOUND;
    const char *kind;
    int rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, session_id ? session_id : "");
    if ((rc = db_step(st)) == DB_ROW) {
        *id = (long)db_col_int64(st, 0);
        store_copy(date, CALDATE_TEXT, db_col_text(st, 3));
        kind = db_col_text(st, 6);
        json_object_set_new(m, "group",
                            json_boolean(!strcmp(kind, "group") || !strcmp(kind, "workshop")));
        json_object_set_new(
            m, "session",
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", db_col_text(st, 1), "title",
                      db_col_text(st, 2), "date", db_col_text(st, 3), "start", db_col_text(st, 4),
                      "end", db_col_text(st, 5), "kind", kind, "cancelled",
                      !strcmp(db_col_text(st, 7), "cancelled")));
        e = E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "read a session");
    }
    db_reset(st);
    return e;
}

enum err store_note_group_form(struct store *s, const char *session_id, json_t **out)
{
    struct notes_row row;
    struct db_stmt *st;
    json_t *m = json_object(), *note = NULL, *att = NULL;
    char date[CALDATE_TEXT];
    long session = 0, taken = 0;
    enum err e;

    *out = NULL;
    if ((e = db_begin_read(s->db)) != E_OK)
        goto done;
    if ((e = session_part(s, session_id, m, &session, date)) != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_taken))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, session);
    if (db_step(st) == DB_ROW)
        taken = (long)db_col_int64(st, 0);
    db_reset(st);
    json_object_set_new(m, "attendance_taken", json_boolean(taken > 0));
    e = store_notes_group_row(s, session, &row);
    if (e == E_OK)
        e = store_notes_build(s, row.public_id, 0, &note);
    else if (e == E_NOTFOUND)
        e = E_OK;
    if (e == E_OK && (e = attendees_of(s, session, date, note, &att)) == E_OK) {
        json_object_set_new(m, "note", note ? note : json_null());
        json_object_set_new(m, "attendees", att);
        note = att = NULL;
    }
out:
    if (e == E_OK)
        e = db_commit(s->db);
    else
        db_rollback(s->db);
done:
    json_decref(note);
    json_decref(att);
    if (e == E_OK)
        *out = m;
    else
        json_decref(m);
    return e;
}
