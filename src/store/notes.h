/* notes: the store's interface for clinical notes (issue 10, migration 0020): a group note per
 * session (its shared part, one section per attendee), individual, family and medication notes
 * of one patient, progress on the objectives of the patient's current plan (the golden thread),
 * signing, addenda, co-signature, and the notes due. Records are named by their public ids;
 * users by users.id. Every write is one transaction with its audit entry (NULL: none), landing
 * whole or not at all. Reads hand back jansson models (new references).
 * Returns E_OK; E_NOTFOUND (the note, session or patient named); E_INVALID or E_CONFLICT with
 * *why filled (the field at fault, JSON-path style such as "sections[2].progress[0]
 * .objective_id", and a sentence for a person); E_FORBIDDEN (co-signing by someone who is not
 * the signer's supervisor, why filled); E_DB (logged, ids only). */
#ifndef HAVEN_STORE_NOTES_H
#define HAVEN_STORE_NOTES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "domain/audit_chain.h"
#include "domain/caldate.h"
#include "domain/note.h"
#include "store/program.h"
#include "store/store.h"

/* Progress on one objective (plan_objectives public id) of the patient's current plan. */
struct note_progress_in {
    const char *objective_id, *progress, *comment; /* comment may be NULL */
};

/* A group note's section for one attendee (patients public id). urgent: the clinician judged
 * that a concern needs attention today (the alert is raised urgent); ignored for "none". */
struct note_section_in {
    const char *patient_id, *participation, *response, *risk, *risk_detail;
    bool urgent;
    const struct note_progress_in *progress;
    size_t n_progress;
};

/* A group note's draft: the shared part (a part NULL stays as it is, "" clears it) and the
 * sections written now (others are left as they are). */
struct note_group_in {
    const char *a, *b, *c;
    const struct note_section_in *sections;
    size_t n_sections;
};

/* An individual, family or medication note: kind, form ("dap", "birp"), the session (public id,
 * may be NULL: then the date), the parts a..d (NULL: empty) and progress. */
struct note_individual_in {
    const char *kind, *form, *session_id;
    caldate date;
    const char *parts[NOTE_PARTS];
    const struct note_progress_in *progress;
    size_t n_progress;
};

/* Creates the group note of a group or workshop session (author: users.id; topic a defaults to
 * the session's title) or updates its draft, with the sections given: each attendee's (present,
 * late, left early), progress on objectives of their plan current on the session's date (at
 * least one), a risk concern raising a clinical alert (once per note and patient) in the same
 * transaction. A signed note's shared part and signed sections never change (E_CONFLICT);
 * sections written after signing wait to be signed on their own. note_id (33 bytes) gets the
 * note's public id; *created whether it was made now. The audit entry's record id becomes it. */
enum err store_note_group_save(struct store *s, const char *session_id, long author,
                               const struct note_group_in *g, const struct audit_entry *a,
                               char note_id[33], bool *created, struct program_why *why);
/* Writes one attendee's section of a group note (as above, its refusals naming fields without
 * the "sections[i]." prefix). */
enum err store_note_section_put(struct store *s, const char *note_id,
                                const struct note_section_in *sec, const struct audit_entry *a,
                                struct program_why *why);
/* Creates an individual, family or medication note of patient (a draft): a session must be one
 * of the patient's, of a kind that is not a group's, with the note's kind; date is then the
 * session's. Progress as above; at most one note per session, patient and kind (E_CONFLICT). */
enum err store_note_individual_add(struct store *s, const char *patient_id, long author,
                                   const struct note_individual_in *n,
                                   const struct audit_entry *a, char note_id[33],
                                   struct program_why *why);
/* Replaces the parts and progress of an individual note's draft (kind, form, session and date
 * stay; E_CONFLICT once signed). */
enum err store_note_individual_update(struct store *s, const char *note_id,
                                      const struct note_individual_in *n,
                                      const struct audit_entry *a, struct program_why *why);

/* Signs a note as signer (users.id, whose password the caller has checked again): every part of
 * its form must hold text (E_INVALID naming it), an individual note needs its progress; a group
 * note's written sections are signed with it. cosign_needed becomes the signer's needs_cosign.
 * E_CONFLICT when it is signed already. */
enum err store_note_sign(struct store *s, const char *note_id, long signer,
                         const struct audit_entry *a, struct program_why *why);
/* Signs one section written after its group note was signed (E_CONFLICT: the note is not
 * signed yet, or the section is; E_NOTFOUND: no such section). */
enum err store_note_section_sign(struct store *s, const char *note_id, const char *patient_id,
                                 long signer, const struct audit_entry *a,
                                 struct program_why *why);
/* An addendum to a signed note, written and signed at once (it never changes after): to the
 * shared part or the whole note (patient_id NULL), or to a group note's section of patient_id.
 * addendum_id (33 bytes, may be NULL) gets its public id. */
enum err store_note_addendum_add(struct store *s, const char *note_id, const char *patient_id,
                                 long author, const char *text, const struct audit_entry *a,
                                 char addendum_id[33], struct program_why *why);
/* Co-signs a signed note that needs it, by the signer's named supervisor only (note_may_cosign:
 * E_FORBIDDEN otherwise); E_CONFLICT when not signed, not needing it, or co-signed already. */
enum err store_note_cosign(struct store *s, const char *note_id, long user,
                           const struct audit_entry *a, struct program_why *why);

/* The whole note, for clinical staff: {id, kind, form, state, complete, session: {id, title,
 * date, start, end, kind} | null, patient: {id, first_name, last_name} | null, date, a, b, c,
 * d, parts: [{field, label, text}], due_at, author: {id, name}, signed_at, signed_by,
 * cosign_needed, cosigned_at, cosigned_by, cosigner: {id, name} | null (who may co-sign),
 * progress: [...] (individual), sections: [{patient_id, first_name, last_name, participation,
 * response, risk, risk_detail, signed_at, signed_by, progress: [{objective_id, text, progress,
 * comment}]}], addenda: [{id, patient_id, text, author, created_at, signed_at}]}. */
enum err store_note_get(struct store *s, const char *note_id, json_t **out);
/* The same as one patient's record shows it: a group note reduced to its shared part and
 * patient's own section ("section", null when none) and the addenda to those; no other
 * member's name or section. E_NOTFOUND also when the note is not about the patient. */
enum err store_note_for_patient(struct store *s, const char *note_id, const char *patient_id,
                                json_t **out);
/* A patient's notes, newest first, each as store_note_for_patient gives it: their own notes
 * and the group notes of sessions they attended; the newest `limit` of them (0: all), and in
 * *total (may be NULL) how many there are. */
enum err store_notes_of_patient(struct store *s, const char *patient_id, size_t limit,
                                json_t **out, size_t *total);

/* The objectives of patient's plan current on date ("YYYY-MM-DD"): [{id, text, target_date,
 * status}] (empty: no current plan); E_NOTFOUND: no such patient. */
enum err store_note_objectives(struct store *s, const char *patient_id, const char *date,
                               json_t **out);

/* What the group note's page needs for session (public id): {session: {id, title, date, start,
 * end, kind, cancelled}, group: bool (a group or workshop), attendance_taken, note (as
 * store_note_get, or null), attendees: [{patient_id, first_name, last_name, status, has_plan,
 * section (the saved one or null), prefill: {participation, progress: [objective ids]} from
 * their previous section, objectives: [{id, text, target_date, status}] of the plan current on
 * the session's date]}. */
enum err store_note_group_form(struct store *s, const char *session_id, json_t **out);

/* The notes due (issue 10): sessions with attendance (someone present, late or left early) in
 * the NOTE_DUE_WINDOW_DAYS days up to now_utc (clinic dates) that have no note, an unsigned
 * note, an attendee without a signed section, or a note awaiting co-signature; author (users.id,
 * 0: all) keeps the sessions they staff or whose note they wrote. Sorted by due time:
 * [{session_id, date, title, kind, note_id (null: none yet), patient_id (an individual
 * session's patient, else null), reason ("no-note", "unsigned", "sections-missing",
 * "awaiting-cosign"), due_at, overdue, author (name, null: no note)}]. due_at is the session's
 * end plus the setting note_due_hours (default 24). */
enum err store_notes_due(struct store *s, const char *now_utc, long author, json_t **out);

/* notes_cosign.c: the co-signature settings of every account, for the Users screen:
 * {user public id: {needs_cosign, supervisor_id (public id | null)}}. */
enum err store_notes_cosign_settings(struct store *s, json_t **out);
/* Sets whether user (public id) needs a co-signature and who supervises them (public id, NULL:
 * none): E_INVALID naming "supervisor" when one is needed and missing, or is not another
 * active clinician or medical user; E_NOTFOUND: no such user. Audited as an update of the
 * user. */
enum err store_notes_cosign_set(struct store *s, const char *user_id, bool needs,
                                const char *supervisor_id, const struct audit_entry *a,
                                struct program_why *why);

#endif
