/* diagnoses: the store's interface for the ICD-10-CM diagnoses on a patient's chart (migration
 * 0020). Nothing is deleted: a diagnosis is resolved, or marked entered-in-error with the
 * reason kept in its comment. Patients and diagnoses are named by their public ids. Each write
 * is one transaction with its audit entry (NULL: none). Returns E_OK; E_NOTFOUND; E_CONFLICT
 * with *why (the status does not allow the change); E_INVALID (the schema refused a value);
 * E_DB (logged, ids only). */
#ifndef HAVEN_STORE_DIAGNOSES_H
#define HAVEN_STORE_DIAGNOSES_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/audit_chain.h"
#include "store/program.h"
#include "store/store.h"

/* A diagnosis as written: code from domain/icd10's list (the caller checks), noted_on
 * "YYYY-MM-DD", comment may be NULL. */
struct diagnosis_new {
    const char *code;
    bool primary;
    const char *noted_on;
    const char *comment;
};

#define DIAGNOSIS_COMMENT_MAX 800 /* room for the entered-in-error reason after it (1200) */
#define DIAGNOSIS_REASON_MAX 300

/* The patient's diagnoses, active first, then resolved, then entered in error, each by noted_on:
 * [{id, code, title, is_primary, status, noted_on, comment, created_by, created_at, changed_by,
 * changed_at}] (title from domain/icd10; people by name; null where not set). */
enum err store_diagnoses_list(struct store *s, const char *patient, json_t **out);
/* Adds a diagnosis (active). A primary one takes the mark from any other active primary
 * diagnosis of the patient (one primary at a time). *out: the new row, as the list shows it. */
enum err store_diagnosis_add(struct store *s, const char *patient, const struct diagnosis_new *d,
                             long by, const struct audit_entry *a, json_t **out);
/* Changes a diagnosis's status: "resolved" (from active) or "entered-in-error" (from active or
 * resolved; reason required, appended to the comment). E_CONFLICT otherwise. *out: the row. */
enum err store_diagnosis_status(struct store *s, const char *diagnosis, const char *status,
                                const char *reason, long by, const struct audit_entry *a,
                                json_t **out, struct program_why *why);
/* The patient's public id of a diagnosis (patient: 33 bytes), for the screen's redirect. */
enum err store_diagnosis_patient(struct store *s, const char *diagnosis, char *patient);

#endif
