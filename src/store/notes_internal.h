/* notes_internal: what the notes store's files (notes_common.c, notes_draft.c, notes_sign.c,
 * notes_read.c, notes_form.c, notes_due.c) share and nothing outside store/ includes: a note's
 * row, the objectives of a patient's current plan, progress written inside a write, and the
 * due time of a note. Helpers run inside the caller's transaction and return E_OK,
 * E_NOTFOUND, E_INVALID (why filled) or E_DB (logged, ids only). */
#ifndef HAVEN_NOTES_INTERNAL_H
#define HAVEN_NOTES_INTERNAL_H

#include <stdbool.h>

#include "store/admissions_internal.h"
#include "store/notes.h"
#include "store/program_internal.h"

/* The statuses of an attendance row that count as attending (present, late, left early), as an
 * SQL list for the statements' text. */
#define NOTES_ATTENDED "('present', 'late', 'left-early')"

/* A note as the rules need it. */
struct notes_row {
    long id, session, patient, author, signed_by;
    char public_id[PROGRAM_ID_TEXT];
    char kind[16], form[8], date[CALDATE_TEXT];
    bool signed_, cosign_needed, cosigned;
};

/* The number the first column of a query gives, bound to row ids a and b (b < 0: not bound)
 * and text c (NULL: not bound); *n -1 when it gives no row. */
enum err store_notes_number(struct store *s, const char *sql, long a, long b, const char *c,
                            long *n);

/* The note with this public id; E_NOTFOUND. */
enum err store_notes_row(struct store *s, const char *public_id, struct notes_row *out);
/* The group note of session (row id), E_NOTFOUND when it has none. */
enum err store_notes_group_row(struct store *s, long session, struct notes_row *out);

/* Replaces the progress of patient in note with these rows (at least one): each objective must
 * belong to the patient's plan current on date, once. field names the list in a refusal
 * ("progress", "sections[2].progress"). */
enum err store_notes_progress_put(struct store *s, long note, long patient, const char *date,
                                  const struct note_progress_in *p, size_t n, const char *field,
                                  struct program_why *why);
/* The row id of objective (public id) when it belongs to patient's plan current on date;
 * E_NOTFOUND otherwise. */
enum err store_notes_objective_id(struct store *s, long patient, const char *date,
                                  const char *objective, long *id);
/* The objectives of patient's plan current on date: [{id, text, target_date, status}] by
 * position (empty: no current plan). New reference in *out. */
enum err store_notes_objectives(struct store *s, long patient, const char *date, json_t **out);

/* notes_read.c: the note as store_note_get (only 0) or store_note_for_patient (patient row id
 * `only`) give it, inside the caller's read transaction. */
enum err store_notes_build(struct store *s, const char *note_id, long only, json_t **out);

/* The setting note_due_hours (domain/note.h's default when unset). */
int store_notes_due_hours(struct store *s);
/* When a note of a session ending at date/end is due, as a stored UTC time (out); false when
 * the date or time does not parse. */
bool store_notes_due_stamp(const char *date, const char *end, int hours, char out[STAMP_LEN]);

#endif
