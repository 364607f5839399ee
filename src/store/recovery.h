/* recovery: the store's interface for the relapse-prevention plan and the skills library
 * (issue 11, migration 0027). A plan is a list of versions per patient (patients.id), none
 * ever deleted; the rules of which action does what are domain/recovery.h's, applied here
 * inside each write's transaction so that two tabs or a patient and a counsellor at once can
 * never break them. Every read is keyed by the patient, so a caller that passes the signed-in
 * patient's id can reach no one else's plan. Every write is one transaction with its audit
 * entry (record id: the version's or skill's public id) and lands whole or not at all.
 * Returns E_OK, or the errors named per function, or E_DB (logged, ids only). */
#ifndef HAVEN_STORE_RECOVERY_H
#define HAVEN_STORE_RECOVERY_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/audit_chain.h"
#include "store/store.h"

/* ---- the plan (recovery.c) ---- */

/* A version as the reads answer it: {id (public), version, status, body (the sections, an
 * object), created_at, updated_at, submitted_at, reviewed_at (null when none), reviewer (the
 * clinician's name, "" when none), comment (null: none)}. */

/* The patient's latest version into *out (NULL when the patient has none). */
enum err store_recovery_latest(struct store *s, long patient, json_t **out);
/* The patient's approved version into *out (NULL when none is approved). */
enum err store_recovery_approved(struct store *s, long patient, json_t **out);
/* The patient's version number `version`. E_NOTFOUND (no such version of this patient). */
enum err store_recovery_version(struct store *s, long patient, long version, json_t **out);
/* The patient's versions, newest first, each without its body. */
enum err store_recovery_versions(struct store *s, long patient, json_t **out);
/* The patients.id of a patient's public id (the staff pages). E_NOTFOUND. */
enum err store_recovery_patient(struct store *s, const char *public_id, long *id);

/* The patient saves body (borrowed) as their draft, and sends it for review when submit:
 * in place when the latest version is a draft, else as a new version (domain/recovery.h).
 * based_on is the public id of the latest version the form was made from ("" or NULL when
 * the patient had none): another one means the plan changed meanwhile. *version (may be
 * NULL) gets the version's number. E_CONFLICT (the plan changed, or it waits for review),
 * E_INVALID (the schema refused a value). */
enum err store_recovery_save(struct store *s, long patient, const char *based_on,
                             const json_t *body, bool submit, const struct audit_entry *a,
                             long *version);
/* The patient takes their submitted version (public id) back to a draft. E_CONFLICT when it
 * is not their latest or not waiting for review. */
enum err store_recovery_withdraw(struct store *s, long patient, const char *id,
                                 const struct audit_entry *a);
/* A clinician (users.id by) approves or returns the patient's submitted version (public id),
 * with comment (NULL: none). Approving supersedes the approved version before it in the
 * same transaction. E_NOTFOUND (no such version of this patient), E_CONFLICT (it is not
 * waiting for review), E_INVALID. */
enum err store_recovery_review(struct store *s, long patient, const char *id, bool approve,
                               const char *comment, long by, const struct audit_entry *a);

/* ---- the skills library (recovery_skills.c) ---- */

/* A skill as written by staff (each field checked by domain/recovery.h). */
struct recovery_skill_in {
    const char *title, *summary, *body, *source, *kind;
    int position;
};
/* The skills in their order (position, then title): [{id, title, summary, kind, position,
 * hidden, updated_at}]; hidden ones only when with_hidden. */
enum err store_recovery_skills(struct store *s, bool with_hidden, json_t **out);
/* One skill: {id, title, summary, body, source, kind, position, hidden}. E_NOTFOUND (none, or
 * hidden and not with_hidden). */
enum err store_recovery_skill(struct store *s, const char *id, bool with_hidden, json_t **out);
/* Adds a skill by users.id `by`; id (33 bytes) gets its public id. E_INVALID. */
enum err store_recovery_skill_add(struct store *s, const struct recovery_skill_in *in, long by,
                                  const struct audit_entry *a, char id[33]);
/* Replaces a skill's fields. E_NOTFOUND, E_INVALID. */
enum err store_recovery_skill_update(struct store *s, const char *id,
                                     const struct recovery_skill_in *in, long by,
                                     const struct audit_entry *a);
/* Hides a skill from patients, or shows it again. E_NOTFOUND. */
enum err store_recovery_skill_hide(struct store *s, const char *id, bool hidden, long by,
                                   const struct audit_entry *a);

#endif
