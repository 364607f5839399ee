/* admissions: the store's interface for the referral queue, call log, intake, patients and
 * consents. Records are named by their public ids; reads hand back jansson models (new
 * references, the caller's to decref); every write is one transaction that lands whole or not
 * at all. Status rules live in domain/referral_flow: callers check a transition there and pass
 * the status they saw; a write finds another one and answers E_CONFLICT (someone was quicker).
 * Every write takes the audit entry of the change (web/audit.h audit_entry_of: who, from where,
 * action, record, outcome "ok") and appends it inside the change's transaction, so the change
 * and its entry land together or not at all; audit NULL writes no entry (tests, tools). An entry
 * that cannot be appended rolls the change back (E_DB).
 * Every function returns E_OK, E_NOTFOUND (no such record), E_INVALID (a value the schema
 * refuses, or an unknown user), E_CONFLICT as noted, or E_DB (logged, ids only; also when a
 * stored value cannot be put in a model, e.g. text that is not UTF-8: never a NULL model). */
#ifndef HAVEN_STORE_ADMISSIONS_H
#define HAVEN_STORE_ADMISSIONS_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/audit_chain.h"
#include "store/store.h"

/* The queue's page: every open crisis referral, then the oldest others up to this many rows
 * (each row shown is one audit entry: 100 keeps the screen within its 50 ms on the 10-year data
 * set, bench/scale.sh). Totals are counted up to ADMISSIONS_QUEUE_COUNT_MAX, so that a status
 * with years of history costs no more than a busy day. */
#define ADMISSIONS_QUEUE_PAGE 100
#define ADMISSIONS_QUEUE_COUNT_MAX 10000

/* One call attempt. note and next_follow_up ("YYYY-MM-DD") may be NULL. */
struct admissions_call {
    const char *outcome;
    const char *note;
    const char *next_follow_up;
};

/* The intake's decision on the level of care (change_reason: NULL when confirmed as is), and
 * its appointment (a UTC stamp "YYYY-MM-DDTHH:MM:SSZ"; NULL leaves the referral's as it is). */
struct admissions_intake {
    const char *recommended_level;
    const char *confirmed_level;
    const char *change_reason;
    const char *notes;
    const char *intake_at;
};

/* A new patient; email, address and track may be NULL. counsellor is a user's public id. */
struct admissions_patient {
    const char *first_name, *last_name, *date_of_birth;
    const char *phone, *phone_digits, *email, *address;
    const char *emergency_name, *emergency_phone, *emergency_relationship;
    const char *counsellor;
    const char *admission_date, *level, *track, *status;
    char public_id[33]; /* out */
};

/* A 42 CFR Part 2 consent; expires_on NULL when it lasts until the end of treatment. */
struct admissions_consent {
    const char *discloser, *information, *recipient, *purpose;
    const char *expires_on;
    bool end_of_treatment, revoke_acknowledged, signed_;
    const char *signature_name;
    char public_id[33]; /* out */
};

/* A patient's status change, checked by domain/patient_flow first. from: the status the member
 * saw; to: the new one. The discharge fields go with to = "discharged" only (NULL otherwise);
 * note (may be NULL): the discharge's note or the reason for a change, at most 500 characters. */
struct admissions_status_change {
    const char *from, *to;
    const char *discharge_date, *discharge_reason;
    const char *note;
};

/* A patient's contact details and primary counsellor (a user's public id), as the edit form
 * sends them all; email and address may be NULL (none). */
struct admissions_contact {
    const char *phone, *phone_digits, *email, *address;
    const char *emergency_name, *emergency_phone, *emergency_relationship;
    const char *counsellor;
};

/* Referrals with `status` (NULL: every open one), crisis ones first (referrals.crisis, set
 * from the flags by migration 0008's triggers), then oldest first: ADMISSIONS_QUEUE_PAGE rows,
 * and more when an open status has more crisis referrals than that (every one of them is
 * listed). [{public_id, created_at, status, name, phone, email, best_time, voicemail_ok,
 * level, flags (array), crisis, assignee, assignee_id (public), first_call_at, next_follow_up,
 * calls, closed_reason, intake_at ("" or the appointment's UTC stamp)}]. *total: how many
 * referrals the filter selects, up to ADMISSIONS_QUEUE_COUNT_MAX + 1 (more than the maximum). */
enum err store_adm_queue(struct store *s, const char *status, json_t **out, long *total);
/* What needs a call now: the staff home's counts and the queue's filters (store_adm_due). */
enum admissions_due {
    ADMISSIONS_DUE_CRISIS,  /* crisis referrals still new: nobody has reached the person yet */
    ADMISSIONS_DUE_OVERDUE, /* new, never called, created at or before `before` (the caller
                             * then applies domain/referral_flow's business-hours rule) */
    ADMISSIONS_DUE_MINE,    /* open, assigned to `user`, next follow-up on or before `today` */
};
struct admissions_due_query {
    enum admissions_due due;
    long user;          /* users.id (MINE) */
    const char *today;  /* the clinic's date, "YYYY-MM-DD" (MINE) */
    const char *before; /* a UTC stamp (OVERDUE) */
};
/* The referrals q names, with the queue's fields, at most limit of them: crisis first, then the
 * oldest (MINE: then the earliest follow-up). */
enum err store_adm_due(struct store *s, const struct admissions_due_query *q, long limit,
                       json_t **out);
/* How many crisis referrals are still new, and how many open referrals assigned to user have a
 * follow-up due on or before today ("YYYY-MM-DD"). */
enum err store_adm_due_counts(struct store *s, long user, const char *today, long *crisis,
                              long *mine);
/* How many referrals are open (new, contacted, intake scheduled), and how many crisis ones are
 * still new (nobody has reached them): the metrics page's gauges. */
enum err store_adm_queue_sizes(struct store *s, long *open, long *crisis_waiting);
/* The created_at stamps of new referrals never called, created at or before `before` (a UTC
 * stamp), oldest first, at most limit: the candidates for "overdue" (domain/referral_flow). */
enum err store_adm_unanswered(struct store *s, const char *before, long limit, json_t **out);
/* One referral with the queue's fields plus answers and result (objects), calls, events,
 * intake (object or absent) and patient (public id, when admitted). */
enum err store_adm_referral_get(struct store *s, const char *public_id, json_t **out);
/* Logs a call; the first call stops the overdue clock. When to_status is not NULL the
 * referral moves from `from` to it in the same transaction (E_CONFLICT if it is no longer
 * in `from`). */
enum err store_adm_call_add(struct store *s, const char *public_id, const struct admissions_call *c,
                            const char *from, const char *to_status, long by_user,
                            const struct audit_entry *audit);
/* Moves a referral from `from` to `to` (closed: with closed_reason; intake-scheduled: with
 * intake_at, the appointment as a UTC stamp), with an event whose detail is the reason for
 * closing or the appointment. intake_at NULL leaves the referral's appointment as it is. */
enum err store_adm_set_status(struct store *s, const char *public_id, const char *from,
                              const char *to, const char *closed_reason, const char *intake_at,
                              const char *reason, long by_user, const struct audit_entry *audit);
/* Assigns to the enabled user with this public id who works referrals (the admissions or
 * clinician role; E_INVALID otherwise), NULL: unassigns. */
enum err store_adm_assign(struct store *s, const char *public_id, const char *user_public_id,
                          long by_user, const struct audit_entry *audit);
/* Records (or replaces) the intake; moves the referral from `from` to `to` when they
 * differ. */
enum err store_adm_intake_save(struct store *s, const char *public_id,
                               const struct admissions_intake *in, const char *from, const char *to,
                               long by_user, const struct audit_entry *audit);
/* Creates the patient, moves the referral from intake-scheduled to admitted and records
 * both events, in one transaction. E_CONFLICT when the referral is not intake-scheduled,
 * has no intake or has a patient already; E_INVALID when the counsellor is not an enabled
 * clinician. Fills p->public_id. audit is the patient's entry (its record id is set to the
 * new patient's); a second one, action "update" on the referral, goes with it. */
enum err store_adm_admit(struct store *s, const char *referral_id, struct admissions_patient *p,
                         long by_user, const struct audit_entry *audit);
/* Creates the patient of a direct admission (no referral: a hospital's referral by telephone,
 * the API's POST /api/v1/patients) with its "admitted" event and audit entry (its record id set
 * to the new patient's), in one transaction. counsellor: the users.id the caller chose. Fills
 * p->public_id. */
enum err store_adm_admit_direct(struct store *s, struct admissions_patient *p, long counsellor,
                                long by_user, const struct audit_entry *audit);
/* Enabled users holding `role` ("clinician"), by name: [{public_id, name}]. */
enum err store_adm_staff_with_role(struct store *s, const char *role, json_t **out);
/* Patients whose name starts with q, case- and accent-insensitive ("first last" or "last
 * first", so a first or a last name alone too), whose public id starts with q (6-32 hex
 * characters), or whose phone digits end with `digits` (7+; exact included): at most 50,
 * by last name. Each way is one index range of at most 50 rows. q NULL or empty: the 50
 * most recent admissions. E_INVALID when q is longer than 200 bytes. */
enum err store_adm_patient_search(struct store *s, const char *q, const char *digits, json_t **out);
/* One patient: demographics, contacts, counsellor, level, status, the referral's answers,
 * result and flags, the intake's level and notes (only when clinical is true), consents (each
 * with revoked_how: "" when not revoked or not recorded) and timeline. */
enum err store_adm_patient_get(struct store *s, const char *public_id, bool clinical, json_t **out);
/* Records a consent for the patient, with a timeline event; fills c->public_id (and sets
 * the audit entry's record id to it). */
enum err store_adm_consent_add(struct store *s, const char *patient_id,
                               struct admissions_consent *c, long by_user,
                               const struct audit_entry *audit);
/* Revokes a consent of the patient, recording how the patient revoked it (`how`: a code of
 * patient_flow_revoke_how; E_INVALID when the schema refuses it), with a "consent-revoked"
 * timeline event carrying the same code; E_CONFLICT when it was revoked already, E_NOTFOUND
 * when it is not this patient's. */
enum err store_adm_consent_revoke(struct store *s, const char *patient_id, const char *consent_id,
                                  const char *how, long by_user, const struct audit_entry *audit);
/* Moves the patient from c->from to c->to (E_CONFLICT when it is no longer in c->from):
 * sets or clears the discharge in force, and writes a "status-change" timeline event and the
 * audit entry, in one transaction. E_INVALID when the schema refuses a value. */
enum err store_adm_patient_set_status(struct store *s, const char *public_id,
                                      const struct admissions_status_change *c, long by_user,
                                      const struct audit_entry *audit);
/* Replaces the contact details and the counsellor with c's, in one transaction: one
 * "contact-updated" event naming the fields that changed, one "counsellor-changed" event
 * when the counsellor did, and the audit entry. *changed: how many fields changed; 0 writes
 * nothing at all (no event, no entry). E_INVALID when a new counsellor is not an enabled
 * clinician (keeping the current one is always allowed) or the schema refuses a value. */
enum err store_adm_patient_update_contact(struct store *s, const char *public_id,
                                          const struct admissions_contact *c, long by_user,
                                          const struct audit_entry *audit, int *changed);
/* Appends e once for a list a screen shows, naming the n records it shows (ids, in order: the
 * entry's listing; its record_id is left NULL); n 0: a list that showed nothing. E_DB when it
 * cannot be appended. */
enum err store_adm_audit_each(struct store *s, const struct audit_entry *e, const char *const *ids,
                              size_t n);

#endif
