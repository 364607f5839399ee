/* notes_draft: writing the drafts of store/notes.h: a group note's shared part and its attendees'
 * sections (with a clinical alert for a risk concern, in the same transaction), and a single
 * patient's individual, family or medication note. Signing, addenda and co-signature are in
 * notes_sign.c. */
#include "store/notes_internal.h"

#include <string.h>

#include "core/rand.h"
#include "store/clinical_alerts.h"

#define SESSION_COLUMNS "SELECT id, date, end_time, kind, status, title FROM program_sessions"
static const char sql_session[] = SESSION_COLUMNS " WHERE public_id = ?1";
static const char sql_session_id[] = SESSION_COLUMNS " WHERE id = ?1";
static const char sql_note_add[] =
    "INSERT INTO notes (public_id, kind, form, session_id, patient_id, service_date, author_id,"
    " a, b, c, d, due_at, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13) RETURNING id";
static const char sql_parts_set[] =
    "UPDATE notes SET a = ?2, b = ?3, c = ?4, d = ?5, updated_at = ?6"
    " WHERE id = ?1 AND signed_at IS NULL";
/* A part bound NULL stays as it is; "" clears it. */
#define MERGE(x, i) x " = CASE WHEN " i " IS NULL THEN " x " ELSE NULLIF(" i ", '') END"
static const char sql_parts_merge[] =
    "UPDATE notes SET " MERGE("a", "?2") ", " MERGE("b", "?3") ", " MERGE("c", "?4") ", " MERGE(
        "d", "?5") ", updated_at = ?6 WHERE id = ?1 AND signed_at IS NULL";
static const char sql_attended[] =
    "SELECT status IN " NOTES_ATTENDED " FROM attendance WHERE session_id = ?1 AND patient_id = ?2";
static const char sql_section_signed[] =
    "SELECT signed_at IS NOT NULL FROM note_sections WHERE note_id = ?1 AND patient_id = ?2";
static const char sql_section_put[] =
    "INSERT INTO note_sections (note_id, patient_id, participation, response, risk, risk_detail,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT (note_id, patient_id) DO UPDATE SET participation = excluded.participation,"
    " response = excluded.response, risk = excluded.risk, risk_detail = excluded.risk_detail,"
    " updated_at = excluded.updated_at";
static const char sql_alert_raised[] =
    "SELECT count(*) FROM clinical_alerts WHERE kind = '" ALERT_NOTE_RISK "'"
    " AND patient_id = ?1 AND source_id = ?2";
static const char sql_on_session[] =
    "SELECT (SELECT count(*) FROM session_patients WHERE session_id = ?1 AND patient_id = ?2)"
    " + (SELECT count(*) FROM attendance WHERE session_id = ?1 AND patient_id = ?2)";
static const char sql_note_twice[] =
    "SELECT count(*) FROM notes WHERE session_id = ?1 AND patient_id = ?2 AND kind = ?3";

/* A session as a note needs it. */
struct session_row {
    long id;
    char date[CALDATE_TEXT], end[6], kind[16], status[16], title[401 * 4];
};

/* The session of public_id, or (public_id NULL) of row id. */
static enum err session_of(struct store *s, const char *public_id, long id, struct session_row *out)
{
    struct db_stmt *st = db_prepare(s->db, public_id ? sql_session : sql_session_id);
    enum err e = E_NOTFOUND;
    int rc;

    if (!st)
        return E_DB;
    if (public_id)
        db_bind_text(st, 1, public_id);
    else
        db_bind_int64(st, 1, id);
    if ((rc = db_step(st)) == DB_ROW) {
        out->id = (long)db_col_int64(st, 0);
        store_copy(out->date, sizeof(out->date), db_col_text(st, 1));
        store_copy(out->end, sizeof(out->end), db_col_text(st, 2));
        store_copy(out->kind, sizeof(out->kind), db_col_text(st, 3));
        store_copy(out->status, sizeof(out->status), db_col_text(st, 4));
        store_copy(out->title, sizeof(out->title), db_col_text(st, 5));
        e = E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "read a session");
    }
    db_reset(st);
    return e;
}

/* Inserts a note; id and public_id get its ids. patient 0: a group note. */
static enum err note_insert(struct store *s, const char *kind, const char *form,
                            const struct session_row *ses, long patient, const char *date,
                            long author, const char *const parts[NOTE_PARTS], long *id,
                            char public_id[PROGRAM_ID_TEXT])
{
    struct db_stmt *st = db_prepare(s->db, sql_note_add);
    char now[STAMP_LEN], due[STAMP_LEN];
    int hours = store_notes_due_hours(s);

    if (!st)
        return E_DB;
    stamp_now(now);
    /* A note of no session is due the setting's hours after it was begun. */
    if (!ses || !store_notes_due_stamp(ses->date, ses->end, hours, due))
        stamp_iso(time(NULL) + (time_t)hours * 3600, due);
    rand_hex(public_id, 16);
    db_bind_text(st, 1, public_id);
    db_bind_text(st, 2, kind);
    db_bind_text(st, 3, form);
    if (ses)
        db_bind_int64(st, 4, ses->id);
    if (patient > 0)
        db_bind_int64(st, 5, patient);
    db_bind_text(st, 6, date);
    db_bind_int64(st, 7, author);
    for (int i = 0; i < NOTE_PARTS; i++)
        db_bind_text_or_null(st, 8 + i, parts[i]);
    db_bind_text(st, 12, due);
    db_bind_text(st, 13, now);
    return admissions_insert_id(s, st, "add a note", id);
}

/* Sets the parts of a draft: all of them (merge false: NULL clears), or those given (merge:
 * NULL keeps, "" clears). */
static enum err parts_set(struct store *s, long note, const char *const parts[NOTE_PARTS],
                          bool merge)
{
    struct db_stmt *st = db_prepare(s->db, merge ? sql_parts_merge : sql_parts_set);
    char now[STAMP_LEN];

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, note);
    for (int i = 0; i < NOTE_PARTS; i++)
        if (merge)
            db_bind_text(st, 2 + i, parts[i]);
        else
            db_bind_text_or_null(st, 2 + i, parts[i]);
    db_bind_text(st, 6, stamp_now(now));
    return admissions_step_done(s, st, "update a note");
}

/* Raises the note-risk alert for patient once per note (a draft saved again raises no more).
 * The detail names the session's date, not what was written: the clinician reads the section. */
static enum err risk_alert(struct store *s, const struct notes_row *note, long patient, bool urgent)
{
    struct db_stmt *st = db_prepare(s->db, sql_alert_raised);
    char detail[160];
    long n = 0;
    int rc;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, note->public_id);
    if ((rc = db_step(st)) == DB_ROW)
        n = (long)db_col_int64(st, 0);
    db_reset(st);
    if (rc != DB_ROW)
        return db_fail(s->db, "look for a note's alert");
    if (n > 0)
        return E_OK;
    snprintf(detail, sizeof(detail),
             "A risk concern was recorded in the %s note of %s: read the note.", note->kind,
             note->date);
    return store_clinical_alert_raise(s, patient, ALERT_NOTE_RISK, urgent, detail, note->public_id,
                                      NULL);
}

/* The rules of a section's own fields (domain/note.h), each refusal naming prefix + field. */
static enum err section_check(const struct note_section_in *sec, const char *prefix,
                              struct program_why *why)
{
    char f[96];

    snprintf(f, sizeof(f), "%sparticipation", prefix);
    if (!note_participation_ok(sec->participation))
        return store_program_why(why, E_INVALID, f,
                                 "Choose the participation: active, engaged, minimal, withdrawn "
                                 "or disruptive.");
    snprintf(f, sizeof(f), "%sresponse", prefix);
    if (!sec->response || !*sec->response)
        return store_program_why(why, E_INVALID, f, "Write how they responded.");
    snprintf(f, sizeof(f), "%srisk", prefix);
    if (!note_risk_ok(sec->risk))
        return store_program_why(why, E_INVALID, f, "Choose the risk observed: none or concern.");
    snprintf(f, sizeof(f), "%srisk_detail", prefix);
    if (!strcmp(sec->risk, "concern") && (!sec->risk_detail || !*sec->risk_detail))
        return store_program_why(why, E_INVALID, f, "Say what the concern is.");
    return E_OK;
}

/* Writes one section of the group note (field: the section's prefix, "" or "sections[i]."). */
static enum err section_write(struct store *s, const struct notes_row *note,
                              const struct session_row *ses, const struct note_section_in *sec,
                              const char *prefix, struct program_why *why)
{
    struct db_stmt *st;
    char f[96], now[STAMP_LEN];
    long patient, n;
    enum err e;

    if ((e = section_check(sec, prefix, why)) != E_OK)
        return e;
    snprintf(f, sizeof(f), "%spatient_id", prefix);
    if ((e = store_program_patient_id(s, sec->patient_id, &patient)) == E_NOTFOUND ||
        (e == E_OK &&
         (e = store_notes_number(s, sql_attended, ses->id, patient, NULL, &n)) == E_OK && n != 1))
        return store_program_why(why, E_INVALID, f,
                                 "This person is not recorded as attending this session "
                                 "(present, late or left early).");
    if (e != E_OK)
        return e;
    if ((e = store_notes_number(s, sql_section_signed, note->id, patient, NULL, &n)) != E_OK)
        return e;
    if (note_may_write(note->signed_, false, n == 1) != E_OK)
        return store_program_why(why, E_CONFLICT, f,
                                 "This section is signed: it cannot change. Add an addendum "
                                 "instead.");
    if (!(st = db_prepare(s->db, sql_section_put)))
        return E_DB;
    db_bind_int64(st, 1, note->id);
    db_bind_int64(st, 2, patient);
    db_bind_text(st, 3, sec->participation);
    db_bind_text(st, 4, sec->response);
    db_bind_text(st, 5, sec->risk);
    db_bind_text_or_null(st, 6, strcmp(sec->risk, "none") ? sec->risk_detail : NULL);
    db_bind_text(st, 7, stamp_now(now));
    if ((e = admissions_step_done(s, st, "write a section")) != E_OK)
        return e == E_INVALID ? store_program_why(why, E_INVALID, f, "A value was refused.") : e;
    snprintf(f, sizeof(f), "%sprogress", prefix);
    e = store_notes_progress_put(s, note->id, patient, ses->date, sec->progress, sec->n_progress, f,
                                 why);
    if (e == E_OK && !strcmp(sec->risk, "concern"))
        e = risk_alert(s, note, patient, sec->urgent);
    return e;
}

/* The session of a group note: a group or workshop that took place. */
static enum err group_session(struct store *s, const char *public_id, long id,
                              struct session_row *ses, struct program_why *why)
{
    enum err e = session_of(s, public_id, id, ses);

    if (e != E_OK)
        return e;
    if (strcmp(ses->kind, "group") && strcmp(ses->kind, "workshop"))
        return store_program_why(why, E_CONFLICT, "session",
                                 "This is an %s session: its notes are written for each patient "
                                 "from their chart.",
                                 ses->kind);
    if (!strcmp(ses->status, "cancelled"))
        return store_program_why(why, E_CONFLICT, "session",
                                 "This session was cancelled: it has no note.");
    return E_OK;
}

/* The group note of ses, made now (topic: the session's title, from the curriculum, unless
 * given) when it has none; or its shared part updated when g has one. */
static enum err group_note(struct store *s, const struct session_row *ses, long author,
                           const struct note_group_in *g, struct notes_row *note, bool *created,
                           struct program_why *why)
{
    const char *parts[NOTE_PARTS] = { g->a, g->b, g->c, NULL };
    char public_id[PROGRAM_ID_TEXT];
    long id;
    enum err e = store_notes_group_row(s, ses->id, note);

    if (e == E_NOTFOUND) {
        if (!parts[0])
            parts[0] = ses->title;
        if ((e = note_insert(s, "group", "group", ses, 0, ses->date, author, parts, &id,
                             public_id)) == E_OK &&
            (e = store_notes_row(s, public_id, note)) == E_OK)
            *created = true;
        return e;
    }
    if (e != E_OK || (!g->a && !g->b && !g->c))
        return e;
    if (note_may_write(note->signed_, true, false) != E_OK)
        return store_program_why(why, E_CONFLICT, "a",
                                 "This note is signed: its shared part cannot change. Add an "
                                 "addendum instead.");
    return parts_set(s, note->id, parts, true);
}

enum err store_note_group_save(struct store *s, const char *session_id, long author,
                               const struct note_group_in *g, const struct audit_entry *a,
                               char note_id[33], bool *created, struct program_why *why)
{
    struct session_row ses;
    struct notes_row note;
    char prefix[32];
    enum err e;

    *created = false;
    if ((e = db_begin(s->db)) != E_OK)
        return e;
    if ((e = group_session(s, session_id, 0, &ses, why)) != E_OK ||
        (e = group_note(s, &ses, author, g, &note, created, why)) != E_OK)
        goto out;
    for (size_t i = 0; i < g->n_sections && e == E_OK; i++) {
        snprintf(prefix, sizeof(prefix), "sections[%zu].", i);
        e = section_write(s, &note, &ses, &g->sections[i], prefix, why);
    }
    if (e == E_OK) {
        store_copy(note_id, PROGRAM_ID_TEXT, note.public_id);
        e = admissions_audit(s, a, *created ? "create" : "update", "note", note.public_id);
    }
out:
    return admissions_finish(s, e);
}

enum err store_note_section_put(struct store *s, const char *note_id,
                                const struct note_section_in *sec, const struct audit_entry *a,
                                struct program_why *why)
{
    struct session_row ses;
    struct notes_row note;
    enum err e;

    if ((e = db_begin(s->db)) != E_OK)
        return e;
    if ((e = store_notes_row(s, note_id, &note)) != E_OK)
        goto out;
    if (strcmp(note.kind, "group")) {
        e = store_program_why(why, E_CONFLICT, "note",
                              "Only a group note has a section per attendee.");
        goto out;
    }
    if ((e = group_session(s, NULL, note.session, &ses, why)) == E_OK &&
        (e = section_write(s, &note, &ses, sec, "", why)) == E_OK)
        e = admissions_audit(s, a, "update", "note", note.public_id);
out:
    return admissions_finish(s, e);
}

/* The session an individual note is tied to: one of the patient's, of the note's kind, once. */
static enum err individual_session(struct store *s, long patient,
                                   const struct note_individual_in *n, struct session_row *ses,
                                   struct program_why *why)
{
    long count;
    enum err e = session_of(s, n->session_id, 0, ses);

    if (e == E_NOTFOUND)
        return store_program_why(why, E_INVALID, "session_id", "There is no such session.");
    if (e != E_OK)
        return e;
    if (strcmp(ses->kind, n->kind))
        return store_program_why(why, E_INVALID, "session_id",
                                 "This is a %s session: choose a %s session or give a date.",
                                 ses->kind, n->kind);
    if (!strcmp(ses->status, "cancelled"))
        return store_program_why(why, E_CONFLICT, "session_id", "This session was cancelled.");
    if ((e = store_notes_number(s, sql_on_session, ses->id, patient, NULL, &count)) != E_OK)
        return e;
    if (count < 1)
        return store_program_why(why, E_INVALID, "session_id",
                                 "This patient was not part of this session.");
    if ((e = store_notes_number(s, sql_note_twice, ses->id, patient, n->kind, &count)) != E_OK)
        return e;
    if (count > 0)
        return store_program_why(why, E_CONFLICT, "session_id",
                                 "This session already has this patient's note: open it.");
    return E_OK;
}

/* The rules of an individual note's kind and form. */
static enum err individual_check(const struct note_individual_in *n, struct program_why *why)
{
    if (!note_kind_individual(n->kind))
        return store_program_why(why, E_INVALID, "kind",
                                 "Choose the kind: individual, family or medication.");
    if (!note_kind_form_ok(n->kind, n->form))
        return store_program_why(why, E_INVALID, "form", "Choose the form: dap or birp.");
    return E_OK;
}

enum err store_note_individual_add(struct store *s, const char *patient_id, long author,
                                   const struct note_individual_in *n, const struct audit_entry *a,
                                   char note_id[33], struct program_why *why)
{
    struct session_row ses;
    char date[CALDATE_TEXT];
    long patient, id;
    enum err e;

    if ((e = individual_check(n, why)) != E_OK)
        return e;
    if ((e = db_begin(s->db)) != E_OK)
        return e;
    if ((e = store_program_patient_id(s, patient_id, &patient)) != E_OK)
        goto out;
    if (n->session_id) {
        if ((e = individual_session(s, patient, n, &ses, why)) != E_OK)
            goto out;
        store_copy(date, sizeof(date), ses.date);
    } else {
        caldate_format(n->date, date);
    }
    if ((e = note_insert(s, n->kind, n->form, n->session_id ? &ses : NULL, patient, date, author,
                         n->parts, &id, note_id)) == E_OK &&
        (e = store_notes_progress_put(s, id, patient, date, n->progress, n->n_progress, "progress",
                                      why)) == E_OK)
        e = admissions_audit(s, a, "create", "note", note_id);
out:
    return admissions_finish(s, e);
}

enum err store_note_individual_update(struct store *s, const char *note_id,
                                      const struct note_individual_in *n,
                                      const struct audit_entry *a, struct program_why *why)
{
    struct notes_row note;
    enum err e;

    if ((e = db_begin(s->db)) != E_OK)
        return e;
    if ((e = store_notes_row(s, note_id, &note)) != E_OK)
        goto out;
    if (!note_kind_individual(note.kind))
        e = store_program_why(why, E_CONFLICT, "note",
                              "A group note is written from its session's page.");
    else if (note_may_write(note.signed_, true, false) != E_OK)
        e = store_program_why(why, E_CONFLICT, "note",
                              "This note is signed: it cannot change. Add an addendum instead.");
    if (e == E_OK && (e = parts_set(s, note.id, n->parts, false)) == E_OK &&
        (e = store_notes_progress_put(s, note.id, note.patient, note.date, n->progress,
                                      n->n_progress, "progress", why)) == E_OK)
        e = admissions_audit(s, a, "update", "note", note.public_id);
out:
    return admissions_finish(s, e);
}
