/* notes_read: the notes as the screens and the API read them (store/notes.h): the whole note
 * for clinical staff, the same reduced to one patient's part (group privacy: the shared part,
 * their own section and the addenda to those, never another member), a patient's notes, and
 * what the group note's page needs. */
#include "store/notes_internal.h"

#include <string.h>

static const char sql_note[] =
    "SELECT n.id, n.public_id, n.kind, n.form, n.service_date, n.a, n.b, n.c, n.d, n.due_at,"
    " ua.public_id, ua.name, n.signed_at, us.name, n.cosign_needed, n.cosigned_at, uc.name,"
    " sup.public_id, sup.name, s.public_id, s.title, s.date, s.start_time, s.end_time, s.kind,"
    " p.public_id, p.first_name, p.last_name, COALESCE(n.patient_id, 0)"
    " FROM notes n JOIN users ua ON ua.id = n.author_id"
    " LEFT JOIN users us ON us.id = n.signed_by LEFT JOIN users uc ON uc.id = n.cosigned_by"
    " LEFT JOIN users sup ON sup.id = us.supervisor_id AND n.cosign_needed = 1"
    " LEFT JOIN program_sessions s ON s.id = n.session_id"
    " LEFT JOIN patients p ON p.id = n.patient_id WHERE n.public_id = ?1";
static const char sql_sections[] =
    "SELECT p.public_id, p.first_name, p.last_name, ns.participation, ns.response, ns.risk,"
    " ns.risk_detail, ns.signed_at, u.name, ns.patient_id FROM note_sections ns"
    " JOIN patients p ON p.id = ns.patient_id LEFT JOIN users u ON u.id = ns.signed_by"
    " WHERE ns.note_id = ?1 AND (?2 = 0 OR ns.patient_id = ?2)"
    " ORDER BY lower(p.last_name), lower(p.first_name), p.id";
static const char sql_progress[] =
    "SELECT o.public_id, o.text, np.progress, np.comment FROM note_progress np"
    " JOIN plan_objectives o ON o.id = np.objective_id"
    " WHERE np.note_id = ?1 AND np.patient_id = ?2 ORDER BY o.position, o.id";
static const char sql_addenda[] =
    "SELECT a.public_id, p.public_id, a.text, u.name, a.created_at, a.signed_at"
    " FROM note_addenda a LEFT JOIN patients p ON p.id = a.patient_id"
    " JOIN users u ON u.id = a.author_id"
    " WHERE a.note_id = ?1 AND (?2 = 0 OR a.patient_id IS NULL OR a.patient_id = ?2)"
    " ORDER BY a.id";
static const char sql_about[] =
    "SELECT COALESCE(n.patient_id = ?2, 0) OR (n.kind = 'group' AND (EXISTS (SELECT 1 FROM"
    " note_sections ns WHERE ns.note_id = n.id AND ns.patient_id = ?2) OR EXISTS (SELECT 1 FROM"
    " attendance a WHERE a.session_id = n.session_id AND a.patient_id = ?2 AND a.status "
    "IN " NOTES_ATTENDED "))) FROM notes n WHERE n.public_id = ?1";
static const char sql_of_patient[] =
    "SELECT n.public_id, n.service_date, n.id FROM notes n WHERE n.patient_id = ?1"
    " UNION SELECT n.public_id, n.service_date, n.id FROM note_sections ns"
    " JOIN notes n ON n.id = ns.note_id WHERE ns.patient_id = ?1"
    " UNION SELECT n.public_id, n.service_date, n.id FROM attendance a"
    " JOIN notes n ON n.session_id = a.session_id AND n.kind = 'group'"
    " WHERE a.patient_id = ?1 AND a.status IN " NOTES_ATTENDED " ORDER BY 2 DESC, 3 DESC";

/* A text column as a JSON string, null for NULL. */
static json_t *col(struct db_stmt *st, int i)
{
    return db_col_is_null(st, i) ? json_null() : json_string(db_col_text(st, i));
}

/* The rows of a query bound to two row ids, each made a model by row (NULL: a value that does
 * not fit, logged with what); *out a new array. */
static enum err rows_of(struct store *s, const char *sql, long a, long b,
                        json_t *(*row)(struct db_stmt *st), const char *what, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql);
    enum err e = E_OK;
    int rc;

    *out = json_array();
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, a);
    db_bind_int64(st, 2, b);
    while (e == E_OK && (rc = db_step(st)) == DB_ROW)
        if (!admissions_push(*out, row(st), what))
            e = E_DB;
    if (e == E_OK && rc != DB_DONE)
        e = db_fail(s->db, what);
    db_reset(st);
    return e;
}

static json_t *progress_row(struct db_stmt *st)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:o}", "objective_id", db_col_text(st, 0), "text",
                     db_col_text(st, 1), "progress", db_col_text(st, 2), "progress_label",
                     note_progress_label(db_col_text(st, 2)), "comment", col(st, 3));
}

static json_t *section_row(struct db_stmt *st)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:I}", "patient_id",
                     db_col_text(st, 0), "first_name", db_col_text(st, 1), "last_name",
                     db_col_text(st, 2), "participation", db_col_text(st, 3), "participation_label",
                     note_participation_label(db_col_text(st, 3)), "response", db_col_text(st, 4),
                     "risk", db_col_text(st, 5), "risk_detail", col(st, 6), "signed_at", col(st, 7),
                     "signed_by", col(st, 8), "row", (json_int_t)db_col_int64(st, 9));
}

static json_t *addendum_row(struct db_stmt *st)
{
    return json_pack("{s:s, s:o, s:s, s:s, s:s, s:o}", "id", db_col_text(st, 0), "patient_id",
                     col(st, 1), "text", db_col_text(st, 2), "author", db_col_text(st, 3),
                     "created_at", db_col_text(st, 4), "signed_at", col(st, 5));
}

/* The sections of note (patient 0: all), each with its progress. */
static enum err sections_of(struct store *s, long note, long patient, json_t **out)
{
    json_t *sec, *prog;
    enum err e = rows_of(s, sql_sections, note, patient, section_row, "list sections", out);

    /* Progress once the sections' statement is done (it is cached: one use at a time). */
    for (size_t i = 0; e == E_OK && i < json_array_size(*out); i++) {
        sec = json_array_get(*out, i);
        e = rows_of(s, sql_progress, note, (long)json_integer_value(json_object_get(sec, "row")),
                    progress_row, "list progress", &prog);
        json_object_set_new(sec, "progress", prog);
        json_object_del(sec, "row");
    }
    return e;
}

/* The parts of the note's form: [{field, label, text}]. */
static json_t *parts_of(struct db_stmt *st, enum note_form f)
{
    json_t *out = json_array();

    for (int i = 0; i < note_form_parts(f); i++)
        json_array_append_new(out,
                              json_pack("{s:s, s:s, s:o}", "field", note_part_field(i), "label",
                                        note_part_label(f, i), "text", col(st, 5 + i)));
    return out;
}

/* The note's own row as the model: *id and *patient get its row ids. */
static json_t *note_head(struct db_stmt *st, long *id, long *patient)
{
    enum note_form f = note_form_parse(db_col_text(st, 3));
    bool sig = !db_col_is_null(st, 12), cos = !db_col_is_null(st, 15);
    enum note_state state = note_state(sig, db_col_int(st, 14), cos);
    json_t *m;

    *id = (long)db_col_int64(st, 0);
    *patient = (long)db_col_int64(st, 28);
    m = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:{s:s, s:s},"
                  " s:o, s:o, s:b, s:o, s:o}",
                  "id", db_col_text(st, 1), "kind", db_col_text(st, 2), "form", db_col_text(st, 3),
                  "state", note_state_name(state), "complete", state == NOTE_COMPLETE, "date",
                  db_col_text(st, 4), "a", col(st, 5), "b", col(st, 6), "c", col(st, 7), "d",
                  col(st, 8), "parts", parts_of(st, f), "due_at", db_col_text(st, 9), "author",
                  "id", db_col_text(st, 10), "name", db_col_text(st, 11), "signed_at", col(st, 12),
                  "signed_by", col(st, 13), "cosign_needed", db_col_int(st, 14), "cosigned_at",
                  col(st, 15), "cosigned_by", col(st, 16));
    if (!m)
        return NULL;
    json_object_set_new(m, "cosigner",
                        db_col_is_null(st, 17) ? json_null()
                                               : json_pack("{s:s, s:s}", "id", db_col_text(st, 17),
                                                           "name", db_col_text(st, 18)));
    json_object_set_new(m, "session",
                        db_col_is_null(st, 19)
                            ? json_null()
                            : json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", db_col_text(st, 19),
                                        "title", db_col_text(st, 20), "date", db_col_text(st, 21),
                                        "start", db_col_text(st, 22), "end", db_col_text(st, 23),
                                        "kind", db_col_text(st, 24)));
    json_object_set_new(m, "patient",
                        db_col_is_null(st, 25)
                            ? json_null()
                            : json_pack("{s:s, s:s, s:s}", "id", db_col_text(st, 25), "first_name",
                                        db_col_text(st, 26), "last_name", db_col_text(st, 27)));
    return m;
}

/* The note, whole (only 0) or as patient `only`'s record shows it. Inside a read. */
enum err store_notes_build(struct store *s, const char *note_id, long only, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_note);
    json_t *m = NULL, *v = NULL;
    long id = 0, patient = 0;
    enum err e = E_NOTFOUND;
    int rc;

    *out = NULL;
    if (!st)
        return E_DB;
    db_bind_text(st, 1, note_id ? note_id : "");
    if ((rc = db_step(st)) == DB_ROW)
        e = (m = note_head(st, &id, &patient)) ? E_OK : E_DB;
    else if (rc != DB_DONE)
        e = db_fail(s->db, "read a note");
    db_reset(st);
    if (e != E_OK)
        return e;
    if (patient) {
        e = rows_of(s, sql_progress, id, patient, progress_row, "list progress", &v);
        json_object_set_new(m, "progress", v);
    } else if ((e = sections_of(s, id, only, &v)) == E_OK && only) {
        json_object_set_new(m, "section",
                            json_incref(json_array_size(v) ? json_array_get(v, 0) : json_null()));
        json_decref(v);
    } else {
        json_object_set_new(m, "sections", v);
    }
    if (e == E_OK &&
        (e = rows_of(s, sql_addenda, id, only, addendum_row, "list addenda", &v)) == E_OK)
        json_object_set_new(m, "addenda", v);
    if (e == E_OK)
        *out = m;
    else
        json_decref(m);
    return e;
}

/* Ends a read transaction begun for one of the reads below. */
static enum err read_done(struct store *s, enum err e)
{
    if (e == E_OK)
        return db_commit(s->db);
    db_rollback(s->db);
    return e;
}

enum err store_note_get(struct store *s, const char *note_id, json_t **out)
{
    enum err e;

    *out = NULL;
    if ((e = db_begin_read(s->db)) != E_OK)
        return e;
    return read_done(s, store_notes_build(s, note_id, 0, out));
}

/* Whether note is about patient: theirs, or a group note they attended or have a section in. */
static enum err about(struct store *s, const char *note_id, long patient)
{
    struct db_stmt *st = db_prepare(s->db, sql_about);
    enum err e = E_NOTFOUND;
    int rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, note_id ? note_id : "");
    db_bind_int64(st, 2, patient);
    if ((rc = db_step(st)) == DB_ROW && db_col_int(st, 0))
        e = E_OK;
    else if (rc != DB_ROW && rc != DB_DONE)
        e = db_fail(s->db, "read a note's patient");
    db_reset(st);
    return e;
}

enum err store_note_for_patient(struct store *s, const char *note_id, const char *patient_id,
                                json_t **out)
{
    long patient;
    enum err e;

    *out = NULL;
    if ((e = db_begin_read(s->db)) != E_OK)
        return e;
    if ((e = store_program_patient_id(s, patient_id, &patient)) == E_OK &&
        (e = about(s, note_id, patient)) == E_OK)
        e = store_notes_build(s, note_id, patient, out);
    return read_done(s, e);
}

enum err store_notes_of_patient(struct store *s, const char *patient_id, size_t limit,
                                json_t **out, size_t *total)
{
    struct db_stmt *st;
    json_t *ids = json_array(), *n;
    long patient;
    enum err e;
    int rc;

    *out = json_array();
    if ((e = db_begin_read(s->db)) != E_OK)
        goto done;
    if ((e = store_program_patient_id(s, patient_id, &patient)) != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_of_patient))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, patient);
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(ids, json_string(db_col_text(st, 0)));
    if (rc != DB_DONE)
        e = db_fail(s->db, "list a patient's notes");
    db_reset(st);
    if (total)
        *total = json_array_size(ids);
    /* Only the notes asked for are built: a chart lists the newest (years of group notes, each
     * with its section, parts and progress, cost 4x the page on bench/program.sh). */
    for (size_t i = 0; e == E_OK && i < json_array_size(ids) && (!limit || i < limit); i++)
        if ((e = store_notes_build(s, json_string_value(json_array_get(ids, i)), patient, &n)) ==
            E_OK)
            json_array_append_new(*out, n);
out:
    e = read_done(s, e);
done:
    json_decref(ids);
    return e;
}

enum err store_note_objectives(struct store *s, const char *patient_id, const char *date,
                               json_t **out)
{
    long patient;
    enum err e;

    *out = NULL;
    if ((e = db_begin_read(s->db)) != E_OK)
        return e;
    if ((e = store_program_patient_id(s, patient_id, &patient)) == E_OK)
        e = store_notes_objectives(s, patient, date ? date : "", out);
    e = read_done(s, e);
    if (e != E_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return e;
}
