/* plans: the store's interface for treatment plans (migration 0020): versions of a patient's
 * plan with their problems, goals, objectives and interventions; drafting (seeded from the
 * assessment), signing, the patient's acknowledgement (which makes a version current and
 * supersedes the one before, in one transaction), reviews, the version current on a date and
 * the reviews coming due. Plans are named by their public ids, patients by theirs (or row id
 * where other store modules call). Reads hand back jansson models (new references); each write
 * is one transaction with its audit entry (NULL: none), landing whole or not at all.
 * Returns E_OK; E_NOTFOUND (the plan or patient named); E_CONFLICT with *why (the version is not
 * in a state that allows the act: only drafts change; a draft is already open); E_INVALID with
 * *why (content the schema or a rule refuses: a thread that is not the patient's, a draft that
 * cannot be signed yet); E_DB (logged, ids only). */
#ifndef HAVEN_STORE_PLANS_H
#define HAVEN_STORE_PLANS_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/audit_chain.h"
#include "store/program.h"
#include "store/store.h"

/* A plan as every read answers it: {id, patient_id, version, based_on (public id or null),
 * status, summary, created_by, created_at, updated_at, signed_by, signed_at, ack_how,
 * ack_reason, ack_recorded_by, ack_at, effective_date, superseded_date, review_due (null when
 * not set; people by name), problems: [{id, asam_dimension, statement, source, goals: [{id,
 * text, objectives: [{id, thread_id, text, target_date, status}]}], interventions: [{id, text,
 * frequency}]}]}. */
enum err store_plan_get(struct store *s, const char *plan, json_t **out);
/* The patient's versions, newest first: [{id, version, status, based_on, created_at,
 * signed_by, signed_at, ack_how, effective_date, superseded_date, review_due}]. */
enum err store_plan_list(struct store *s, const char *patient, json_t **out);
/* The version current on date ("YYYY-MM-DD"), as store_plan_get, or JSON null when none. */
enum err store_plan_current(struct store *s, const char *patient, const char *date,
                            json_t **out);
/* The problems a new draft proposes for the patient: each ASAM dimension the admission's
 * assessment rated above 0 (domain/plan.h, plan_seed). [] when there was no assessment. */
enum err store_plan_seed(struct store *s, const char *patient, json_t **out);

/* For other parts (the Today screen): current plans whose review is due by today + 7 days
 * (PLAN_REVIEW_NOTICE_DAYS) or has passed, of the patients of counsellor (users.id; 0: every
 * patient), soonest first: [{patient_id, patient_name, plan_id, version, review_due, overdue}]
 * (public ids; overdue: review_due < today, the clinic's "YYYY-MM-DD"). */
enum err store_plan_reviews_due(struct store *s, const char *today, long counsellor,
                                json_t **out);
/* For notes (the golden thread): the objectives of the plan current on date for patient
 * (patients.id), in plan order: [{id (public), text, status, goal, problem}] (goal and problem:
 * their text); [] when no plan is current that day. */
enum err store_plan_current_objectives(struct store *s, long patient, const char *date,
                                       json_t **out);

/* A new draft for the patient, version = the last + 1, with content (plan_check's shape,
 * already checked) or, when content is NULL, the seeded problems. E_CONFLICT when a draft or
 * a signed version waits already. *out: the plan (store_plan_get). */
enum err store_plan_create(struct store *s, const char *patient, const json_t *content,
                           long by, const struct audit_entry *a, json_t **out,
                           struct program_why *why);
/* Replaces a draft's whole content (summary and problems); E_CONFLICT unless a draft. */
enum err store_plan_replace(struct store *s, const char *plan, const json_t *content,
                            const struct audit_entry *a, json_t **out, struct program_why *why);
/* Signs a draft (by: the clinician, whose password the caller has confirmed): E_CONFLICT unless
 * a draft, E_INVALID (why: the first blocker, domain/plan.h) when it cannot be signed. */
enum err store_plan_sign(struct store *s, const char *plan, long by,
                         const struct audit_entry *a, json_t **out, struct program_why *why);
/* The patient's acknowledgement of a signed version, how "in-person" or "verbal" (reason
 * required), recorded by `by` on today (the clinic's date): the version becomes current with
 * effective_date today and review_due today + the setting plan_review_days (30 when unset),
 * and the version current until then becomes superseded with superseded_date today, with
 * their audit entries ("acknowledge", "supersede"), all in one transaction. */
enum err store_plan_acknowledge(struct store *s, const char *plan, const char *how,
                                const char *reason, const char *today, long by,
                                const struct audit_entry *a, json_t **out,
                                struct program_why *why);
/* A review of the current version: a new draft (version + 1, based_on it) with its content
 * copied, objectives keeping their thread ids; the current version stays current until the
 * new one is acknowledged. E_CONFLICT unless current, or when a draft or signed version waits. */
enum err store_plan_review(struct store *s, const char *plan, long by,
                           const struct audit_entry *a, json_t **out, struct program_why *why);

#endif
