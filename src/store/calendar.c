/* calendar: what the staff screens of the program (Today, the calendar, attendance) show
 * beside the figures of program.h: the names of the patients a session's roster lists (and
 * whether the signed-in member is their counsellor), and the attendance taken at a session.
 * Reads only; rosters and figures themselves come from program.h, as the API's do. */
#include "store/program_internal.h"

#include "core/log.h"

static const char sql_person[] =
    "SELECT first_name, last_name, counsellor_id FROM patients WHERE public_id = ?1";
static const char sql_attendance[] =
    "SELECT p.public_id, a.status, a.minutes FROM program_sessions s"
    " JOIN attendance a ON a.session_id = s.id JOIN patients p ON p.id = a.patient_id"
    " WHERE s.public_id = ?1";
static const char sql_walk_ins[] =
    "SELECT p.public_id FROM program_sessions s JOIN session_patients sp"
    " ON sp.session_id = s.id AND sp.walk_in = 1 JOIN patients p ON p.id = sp.patient_id"
    " WHERE s.public_id = ?1";

/* One patient's row into people (key: the public id); false when the stored name does not fit
 * a model (not UTF-8: logged). */
static bool person_row(struct db_stmt *st, const char *key, long me, json_t *people)
{
    json_t *o = json_pack("{s:s, s:s, s:b}", "first_name", db_col_text(st, 0), "last_name",
                          db_col_text(st, 1), "mine", me && db_col_int64(st, 2) == me);

    if (!o) {
        log_error("store: a stored patient name does not fit its model (not UTF-8?)");
        return false;
    }
    json_object_set_new(people, key, o);
    return true;
}

enum err store_calendar_people(struct store *s, const json_t *ids, long me, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_person);
    json_t *people = json_object(), *id;
    enum db_step rc = DB_DONE;
    enum err e = E_OK;
    size_t i;

    if (!st)
        e = E_DB;
    json_array_foreach(ids, i, id) {
        const char *key = json_string_value(id);
        if (e != E_OK)
            break;
        if (!key || json_object_get(people, key))
            continue;
        db_bind_text(st, 1, key);
        if ((rc = db_step(st)) == DB_ROW && !person_row(st, key, me, people))
            e = E_DB;
        else if (rc != DB_ROW && rc != DB_DONE)
            e = db_fail(s->db, "calendar people");
        db_reset(st);
    }
    if (e != E_OK) {
        json_decref(people);
        return e;
    }
    *out = people;
    return E_OK;
}

/* Runs st (?1: the session) and calls row for each row; E_OK or E_DB (logged). */
static enum err each_row(struct store *s, const char *sql, const char *session_id,
                         void (*row)(struct db_stmt *st, json_t *into), json_t *into)
{
    struct db_stmt *st = db_prepare(s->db, sql);
    enum db_step rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, session_id ? session_id : "");
    while ((rc = db_step(st)) == DB_ROW)
        row(st, into);
    db_reset(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "session attendance");
}

static json_t *entry_of(json_t *into, const char *key)
{
    json_t *o = json_object_get(into, key);

    if (!o) {
        o = json_pack("{s:b}", "walk_in", false);
        json_object_set_new(into, key, o);
    }
    return o;
}

static void attendance_row(struct db_stmt *st, json_t *into)
{
    json_t *o = entry_of(into, db_col_text(st, 0));

    json_object_set_new(o, "status", json_string(db_col_text(st, 1)));
    json_object_set_new(o, "minutes", json_integer(db_col_int64(st, 2)));
}

static void walk_in_row(struct db_stmt *st, json_t *into)
{
    json_object_set_new(entry_of(into, db_col_text(st, 0)), "walk_in", json_true());
}

enum err store_calendar_attendance(struct store *s, const char *session_id, json_t **out)
{
    json_t *into = json_object();
    enum err e;

    if ((e = each_row(s, sql_attendance, session_id, attendance_row, into)) != E_OK ||
        (e = each_row(s, sql_walk_ins, session_id, walk_in_row, into)) != E_OK) {
        json_decref(into);
        return e;
    }
    *out = into;
    return E_OK;
}
