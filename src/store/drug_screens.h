/* drug_screens: the store's interface for a patient's drug screens (issue 10, migration 0020):
 * a screen's collection (date, specimen, observed), its results per substance (with the
 * expected positives a prescription explains), the lab's confirmation, and the clinical alert an
 * unexpected positive raises in the same transaction. Results never change once written: only
 * the lab confirmation does (a wrong entry is corrected by a new screen with a comment).
 * Records are named by public ids; every write is one transaction with its audit entry (NULL:
 * none). Returns E_OK, E_NOTFOUND (the patient or screen), E_INVALID (a value the schema
 * refuses) or E_DB (logged, ids only). */
#ifndef HAVEN_STORE_DRUG_SCREENS_H
#define HAVEN_STORE_DRUG_SCREENS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "domain/audit_chain.h"
#include "domain/screen.h"
#include "store/store.h"

/* A screen as entered: checked by the caller (domain/screen.h, a date not after today). */
struct drug_screen {
    const char *collected_on; /* "YYYY-MM-DD" */
    const char *specimen;     /* one of screen_specimen() */
    bool observed;
    const char *lab;     /* one of screen_lab() */
    const char *comment; /* NULL: none */
    const struct screen_result *results;
    size_t n_results;
    long entered_by; /* users.id */
};

/* Adds a screen to patient_id's record with its results and, when a positive is unexpected,
 * the clinical alert (ALERT_SCREEN_POSITIVE, to the counsellor) naming those substances; a is
 * appended with the screen's id. public_id gets the screen's id; *alerted whether an alert was
 * raised. */
enum err store_drug_screen_add(struct store *s, const char *patient_id,
                               const struct drug_screen *in, const struct audit_entry *a,
                               char public_id[33], bool *alerted);
/* Sets a screen's lab confirmation (nothing else changes); patient_id (33 bytes) gets the
 * screen's patient; *out the screen as store_drug_screens_of lists it. */
enum err store_drug_screen_lab(struct store *s, const char *screen_id, const char *lab,
                               const struct audit_entry *a, char patient_id[33], json_t **out);
/* A patient's screens, newest collection first: [{id, collected_on, specimen, observed, lab,
 * comment (or null), entered_by (name or null), created_at, results: [{substance, result,
 * expected, unexpected}] (the panel's order, then others by name), unexpected (any)}]. */
enum err store_drug_screens_of(struct store *s, const char *patient_id, json_t **out);

#endif
