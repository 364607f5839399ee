/* sqlite_adm_internal: what the admissions store's SQLite files (sqlite_admissions.c,
 * sqlite_referrals.c, sqlite_patients.c) share. Only those files include it. Every helper that
 * writes runs inside the caller's transaction and returns E_OK, E_INVALID (a constraint refused a
 * value), E_NOTFOUND or E_DB (logged, ids only). */
#ifndef HAVEN_SQLITE_ADM_INTERNAL_H
#define HAVEN_SQLITE_ADM_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "store/sqlite_internal.h"
#include "store/store_admissions.h"

/* Binds a users.id, or NULL when id <= 0. */
void sqlite_adm_bind_user(sqlite3_stmt *st, int i, long id);
/* Steps a write once and resets it; SQLITE_CONSTRAINT gives E_INVALID. */
enum err sqlite_adm_step_done(struct sqlite_store *s, sqlite3_stmt *st, const char *what);
/* A JSON value from a TEXT column (null when NULL or it does not parse). New reference. */
json_t *sqlite_adm_col_json(sqlite3_stmt *st, int i);
/* The referral's row id when it is in `from` (any status when from is NULL); E_CONFLICT when it
 * is in another one, E_NOTFOUND. */
enum err sqlite_adm_lookup_in(struct sqlite_store *s, const char *public_id, const char *from,
                              long *id);
/* Appends a referral event / a patient event (at now, by user `by`, 0: nobody). */
enum err sqlite_adm_event_add(struct sqlite_store *s, long ref, long by, const char *now,
                              const char *kind, const char *from, const char *to,
                              const char *reason, const char *detail);
enum err sqlite_adm_patient_event(struct sqlite_store *s, long patient, long by, const char *now,
                                  const char *kind, const char *detail);
/* Sets a referral's status (and closed_reason, NULL to clear) and updated_at. */
enum err sqlite_adm_set_status_row(struct sqlite_store *s, long id, const char *to,
                                   const char *closed_reason, const char *now);
/* Ends the caller's transaction: commit on E_OK, roll back otherwise; returns the outcome. */
enum err sqlite_adm_finish(struct sqlite_store *s, enum err e);
/* The id of the row a one-column query (sql: a literal) finds for a text key; E_NOTFOUND. */
enum err sqlite_adm_id_of(struct sqlite_store *s, const char *sql, const char *key, long *id);
/* Appends row (a json_pack result) to arr; false when row is NULL (a stored value that does not
 * fit a model, e.g. text that is not UTF-8: logged with `what`; the caller answers E_DB). */
bool sqlite_adm_push(json_t *arr, json_t *row, const char *what);
/* Appends the audit entry a (NULL: nothing) inside the caller's transaction, with action,
 * record_type and record_id replaced when not NULL. E_OK, or E_DB (logged): roll back. */
enum err sqlite_adm_audit(struct sqlite_store *s, const struct audit_entry *a, const char *action,
                          const char *record_type, const char *record_id);
/* The timeline of referral ref and patient (-1: none), newest first, at most 300. */
enum err sqlite_adm_timeline(struct sqlite_store *s, long ref, long patient, json_t **out);

/* Writes the search key of a name (out, n bytes, always terminated): lower case, Latin letters
 * without their accents, apostrophes, dots and commas dropped, hyphens and runs of spaces as one
 * space, trimmed. Returns the key's length. */
size_t sqlite_adm_name_key(const char *name, char *out, size_t n);

/* sqlite_referrals.c */
enum err sqlite_referrals_queue(struct store *s, const char *status, json_t **out, long *total);
enum err sqlite_referrals_get(struct store *s, const char *public_id, json_t **out);
enum err sqlite_referrals_call_add(struct store *s, const char *public_id,
                                   const struct admissions_call *c, const char *from,
                                   const char *to_status, long by_user,
                                   const struct audit_entry *audit);
enum err sqlite_referrals_set_status(struct store *s, const char *public_id, const char *from,
                                     const char *to, const char *closed_reason,
                                     const char *reason, long by_user,
                                     const struct audit_entry *audit);
enum err sqlite_referrals_assign(struct store *s, const char *public_id,
                                 const char *user_public_id, long by_user,
                                 const struct audit_entry *audit);
enum err sqlite_referrals_intake_save(struct store *s, const char *public_id,
                                      const struct admissions_intake *in, const char *from,
                                      const char *to, long by_user,
                                      const struct audit_entry *audit);
enum err sqlite_referrals_staff_with_role(struct store *s, const char *role, json_t **out);

/* sqlite_patients.c */
enum err sqlite_patients_admit(struct store *s, const char *referral_id,
                               struct admissions_patient *p, long by_user,
                               const struct audit_entry *audit);
enum err sqlite_patients_search(struct store *s, const char *q, const char *digits,
                                json_t **out);
enum err sqlite_patients_get(struct store *s, const char *public_id, bool clinical,
                             json_t **out);
enum err sqlite_patients_consent_add(struct store *s, const char *patient_id,
                                     struct admissions_consent *c, long by_user,
                                     const struct audit_entry *audit);
enum err sqlite_patients_consent_revoke(struct store *s, const char *patient_id,
                                        const char *consent_id, long by_user,
                                        const struct audit_entry *audit);

/* sqlite_patient_edit.c */
enum err sqlite_patients_set_status(struct store *s, const char *public_id,
                                    const struct admissions_status_change *c, long by_user,
                                    const struct audit_entry *audit);
enum err sqlite_patients_update_contact(struct store *s, const char *public_id,
                                        const struct admissions_contact *c, long by_user,
                                        const struct audit_entry *audit, int *changed);

#endif
