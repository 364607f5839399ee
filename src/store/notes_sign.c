/* notes_sign: what locks a note (store/notes.h): signing it (with a group note's written
 * sections), signing a section written after its note, addenda (written and signed at once) and
 * the supervisor's co-signature. The signer's password is checked again by the caller. */
#include "store/notes_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/rand.h"
#include "core/xalloc.h"

static const char sql_parts[] = "SELECT a, b, c, d FROM notes WHERE id = ?1";
static const char sql_progress_count[] =
    "SELECT count(*) FROM note_progress WHERE note_id = ?1 AND patient_id = ?2";
static const char sql_sign[] = "UPDATE notes SET signed_by = ?2, signed_at = ?3, updated_at = ?3,"
                               " cosign_needed = (SELECT needs_cosign FROM users WHERE id = ?2)"
                               " WHERE id = ?1 AND signed_at IS NULL";
static const char sql_sign_sections[] =
    "UPDATE note_sections SET signed_by = ?2, signed_at = ?3"
    " WHERE note_id = ?1 AND signed_at IS NULL AND (?4 = 0 OR patient_id = ?4)";
static const char sql_section_signed[] =
    "SELECT signed_at IS NOT NULL FROM note_sections WHERE note_id = ?1 AND patient_id = ?2";
static const char sql_addendum[] =
    "INSERT INTO note_addenda (public_id, note_id, patient_id, author_id, text, created_at,"
    " signed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)";
static const char sql_supervisor[] = "SELECT COALESCE(supervisor_id, 0) FROM users WHERE id = ?1";
static const char sql_cosign[] =
    "UPDATE notes SET cosigned_by = ?2, cosigned_at = ?3"
    " WHERE id = ?1 AND signed_at IS NOT NULL AND cosign_needed = 1 AND cosigned_at IS NULL";

/* Whether the note can be signed: its form's parts are written; an individual note's progress
 * is there (a group note's sections each have theirs: store_notes_progress_put). */
static enum err signable(struct store *s, const struct notes_row *note, struct program_why *why)
{
    struct db_stmt *st = db_prepare(s->db, sql_parts);
    char *parts[NOTE_PARTS] = { 0 };
    long n = 0;
    int missing = -1;
    enum err e = E_OK;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, note->id);
    if (db_step(st) == DB_ROW)
        for (int i = 0; i < NOTE_PARTS; i++)
            parts[i] = db_col_is_null(st, i) ? NULL : xstrdup(db_col_text(st, i));
    db_reset(st);
    missing = note_missing_part(note_form_parse(note->form), (const char *const *)parts);
    for (int i = 0; i < NOTE_PARTS; i++)
        free(parts[i]);
    if (missing >= 0)
        return store_program_why(why, E_INVALID, note_part_field(missing),
                                 "Write the %s before signing.",
                                 note_part_label(note_form_parse(note->form), missing));
    if (strcmp(note->kind, "group") && ((e = store_notes_number(s, sql_progress_count, note->id,
                                                                note->patient, NULL, &n)) != E_OK ||
                                        n < 1))
        return e != E_OK ? e
                         : store_program_why(why, E_INVALID, "progress",
                                             "Record progress on at least one objective.");
    return E_OK;
}

/* Signs the sections of note not signed yet (patient 0: all of them). */
static enum err sections_sign(struct store *s, long note, long patient, long signer,
                              const char *now)
{
    struct db_stmt *st = db_prepare(s->db, sql_sign_sections);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, note);
    db_bind_int64(st, 2, signer);
    db_bind_text(st, 3, now);
    db_bind_int64(st, 4, patient);
    return admissions_step_done(s, st, "sign sections");
}

enum err store_note_sign(struct store *s, const char *note_id, long signer,
                         const struct audit_entry *a, struct program_why *why)
{
    struct notes_row note;
    struct db_stmt *st;
    char now[STAMP_LEN];
    enum err e;

    if ((e = db_begin(s->db)) != E_OK)
        return e;
    if ((e = store_notes_row(s, note_id, &note)) != E_OK)
        goto out;
    if (note.signed_) {
        e = store_program_why(why, E_CONFLICT, "note",
                              "This note is signed already: add an addendum to correct it.");
        goto out;
    }
    if ((e = signable(s, &note, why)) != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_sign))) {
        e = E_DB;
        goto out;
    }
    stamp_now(now);
    db_bind_int64(st, 1, note.id);
    db_bind_int64(st, 2, signer);
    db_bind_text(st, 3, now);
    if ((e = admissions_step_done(s, st, "sign a note")) == E_OK &&
        (e = sections_sign(s, note.id, 0, signer, now)) == E_OK)
        e = admissions_audit(s, a, "sign", "note", note.public_id);
out:
    return admissions_finish(s, e);
}

enum err store_note_section_sign(struct store *s, const char *note_id, const char *patient_id,
                                 long signer, const struct audit_entry *a, struct program_why *why)
{
    struct notes_row note;
    char now[STAMP_LEN];
    long patient, n;
    enum err e;

    if ((e = db_begin(s->db)) != E_OK)
        return e;
    if ((e = store_notes_row(s, note_id, &note)) != E_OK ||
        (e = store_program_patient_id(s, patient_id, &patient)) != E_OK ||
        (e = store_notes_number(s, sql_section_signed, note.id, patient, NULL, &n)) != E_OK)
        goto out;
    if (n < 0) {
        e = E_NOTFOUND;
        goto out;
    }
    if (note_may_sign_section(note.signed_, n == 1) != E_OK) {
        e = store_program_why(why, E_CONFLICT, "note",
                              n == 1 ? "This section is signed already."
                                     : "The note is not signed yet: sign the whole note, which "
                                       "signs this section with it.");
        goto out;
    }
    if ((e = sections_sign(s, note.id, patient, signer, stamp_now(now))) == E_OK)
        e = admissions_audit(s, a, "sign", "note", note.public_id);
out:
    return admissions_finish(s, e);
}

/* Which part an addendum corrects: the note (*patient 0) or a signed section of a group note. */
static enum err addendum_target(struct store *s, const struct notes_row *note,
                                const char *patient_id, long *patient, struct program_why *why)
{
    long n;
    enum err e;

    *patient = 0;
    if (!patient_id)
        return E_OK;
    e = store_program_patient_id(s, patient_id, patient);
    if (e == E_OK && note->patient)
        return *patient == note->patient ? (*patient = 0, E_OK)
                                         : store_program_why(why, E_INVALID, "patient_id",
                                                             "This note is about another patient.");
    if (e == E_OK &&
        (e = store_notes_number(s, sql_section_signed, note->id, *patient, NULL, &n)) == E_OK &&
        n != 1)
        e = E_NOTFOUND;
    if (e == E_NOTFOUND)
        return store_program_why(why, E_INVALID, "patient_id",
                                 "This note has no signed section for this patient.");
    return e;
}

enum err store_note_addendum_add(struct store *s, const char *note_id, const char *patient_id,
                                 long author, const char *text, const struct audit_entry *a,
                                 char addendum_id[33], struct program_why *why)
{
    struct notes_row note;
    struct db_stmt *st;
    char id[PROGRAM_ID_TEXT], now[STAMP_LEN];
    long patient;
    enum err e;

    if ((e = db_begin(s->db)) != E_OK)
        return e;
    if ((e = store_notes_row(s, note_id, &note)) != E_OK)
        goto out;
    if (!note.signed_) {
        e = store_program_why(why, E_CONFLICT, "note",
                              "This note is not signed yet: change the draft instead.");
        goto out;
    }
    if ((e = addendum_target(s, &note, patient_id, &patient, why)) != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_addendum))) {
        e = E_DB;
        goto out;
    }
    rand_hex(id, 16);
    db_bind_text(st, 1, id);
    db_bind_int64(st, 2, note.id);
    if (patient)
        db_bind_int64(st, 3, patient);
    db_bind_int64(st, 4, author);
    db_bind_text(st, 5, text);
    db_bind_text(st, 6, stamp_now(now));
    if ((e = admissions_step_done(s, st, "add an addendum")) == E_INVALID)
        e = store_program_why(why, E_INVALID, "text",
                              "Write the addendum (at most 4000 "
                              "characters).");
    if (e == E_OK)
        e = admissions_audit(s, a, "addendum", "note", note.public_id);
    if (e == E_OK && addendum_id)
        store_copy(addendum_id, PROGRAM_ID_TEXT, id);
out:
    return admissions_finish(s, e);
}

enum err store_note_cosign(struct store *s, const char *note_id, long user,
                           const struct audit_entry *a, struct program_why *why)
{
    struct notes_row note;
    struct db_stmt *st;
    char now[STAMP_LEN];
    long supervisor = 0;
    enum err e;

    if ((e = db_begin(s->db)) != E_OK)
        return e;
    if ((e = store_notes_row(s, note_id, &note)) != E_OK)
        goto out;
    if (note_state(note.signed_, note.cosign_needed, note.cosigned) != NOTE_AWAITING_COSIGN) {
        e = store_program_why(why, E_CONFLICT, "note",
                              note.signed_ ? "This note does not await a co-signature."
                                           : "This note is not signed yet.");
        goto out;
    }
    if ((e = store_notes_number(s, sql_supervisor, note.signed_by, -1, NULL, &supervisor)) != E_OK)
        goto out;
    if (!note_may_cosign(note.signed_by, supervisor, user)) {
        e = store_program_why(why, E_FORBIDDEN, "note",
                              "Only the supervisor named for the note's signer may co-sign it.");
        goto out;
    }
    if (!(st = db_prepare(s->db, sql_cosign))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, note.id);
    db_bind_int64(st, 2, user);
    db_bind_text(st, 3, stamp_now(now));
    if ((e = admissions_step_done(s, st, "co-sign a note")) == E_OK)
        e = admissions_audit(s, a, "cosign", "note", note.public_id);
out:
    return admissions_finish(s, e);
}
