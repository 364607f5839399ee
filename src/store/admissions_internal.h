/* admissions_internal: what the admissions store's files (admissions.c, referrals.c,
 * patients.c, patient_edit.c) share. Only those files (and the store's tests) include it. Every
 * helper that writes runs inside the caller's transaction and returns E_OK, E_INVALID (a constraint
 * refused a value), E_NOTFOUND or E_DB (logged, ids only). */
#ifndef HAVEN_ADMISSIONS_INTERNAL_H
#define HAVEN_ADMISSIONS_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "store/stamp.h"
#include "store/admissions.h"
#include "store/store_internal.h"

/* Binds a users.id, or NULL when id <= 0. */
void admissions_bind_user(struct db_stmt *st, int i, long id);
/* Steps a write once and resets it; DB_CONSTRAINT gives E_INVALID. */
enum err admissions_step_done(struct store *s, struct db_stmt *st, const char *what);
/* Steps an INSERT ... RETURNING id once and resets it: *id, or the errors above. */
enum err admissions_insert_id(struct store *s, struct db_stmt *st, const char *what, long *id);
/* A JSON value from a TEXT column (null when NULL or it does not parse). New reference. */
json_t *admissions_col_json(struct db_stmt *st, int i);
/* The referral's row id when it is in `from` (any status when from is NULL); E_CONFLICT when it
 * is in another one, E_NOTFOUND. */
enum err admissions_lookup_in(struct store *s, const char *public_id, const char *from,
                              long *id);
/* Appends a referral event / a patient event (at now, by user `by`, 0: nobody). */
enum err admissions_event_add(struct store *s, long ref, long by, const char *now,
                              const char *kind, const char *from, const char *to,
                              const char *reason, const char *detail);
enum err admissions_patient_event(struct store *s, long patient, long by, const char *now,
                                  const char *kind, const char *detail, const char *to_value);
/* Sets a referral's status (and closed_reason, NULL to clear) and updated_at. */
enum err admissions_set_status_row(struct store *s, long id, const char *to,
                                   const char *closed_reason, const char *now);
/* Sets a referral's intake appointment (UTC stamp). */
enum err admissions_set_intake_at(struct store *s, long id, const char *intake_at);
/* Ends the caller's transaction: commit on E_OK, roll back otherwise; returns the outcome. */
enum err admissions_finish(struct store *s, enum err e);
/* The id of the row a one-column query (sql: a literal) finds for a text key; E_NOTFOUND. */
enum err admissions_id_of(struct store *s, const char *sql, const char *key, long *id);
/* Appends row (a json_pack result) to arr; false when row is NULL (a stored value that does not
 * fit a model, e.g. text that is not UTF-8: logged with `what`; the caller answers E_DB). */
bool admissions_push(json_t *arr, json_t *row, const char *what);
/* Appends the audit entry a (NULL: nothing) inside the caller's transaction, with action,
 * record_type and record_id replaced when not NULL. E_OK, or E_DB (logged): roll back. */
enum err admissions_audit(struct store *s, const struct audit_entry *a, const char *action,
                          const char *record_type, const char *record_id);
/* The timeline of referral ref and patient (-1: none), newest first, at most 300. */
enum err admissions_timeline(struct store *s, long ref, long patient, json_t **out);

/* patients.c: writes the search key of a name (out, n bytes, always terminated): lower case, Latin
 * letters without their accents, apostrophes, dots and commas dropped, hyphens and runs of spaces
 * as one space, trimmed. Returns the key's length. */
size_t patients_name_key(const char *name, char *out, size_t n);

#endif
