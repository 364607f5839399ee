/* measures: the store's interface for standardized measures (migration 0020's measures
 * table): entering one (with the urgent alert PHQ-9 item 9 raises, in the same transaction),
 * a patient's measures, and what the clinic's schedule says is due. The staff screens, the
 * JSON API and (later) the patient portal call the same functions. Returns E_OK, E_INVALID,
 * E_NOTFOUND or E_DB (logged, ids only). */
#ifndef HAVEN_STORE_MEASURES_H
#define HAVEN_STORE_MEASURES_H

#include <stddef.h>

#include "domain/caldate.h"
#include "store/store.h"

struct audit_entry;

/* The few facts of a patient the measures need. */
struct measures_patient {
    long id;                          /* patients.id */
    char public_id[33];
    char first_name[128], last_name[128];
    char admission_date[CALDATE_TEXT];
    char status[16];                  /* active | on-hold | discharged */
};
/* The patient whose public id is public_id; E_NOTFOUND. */
enum err store_measures_patient(struct store *s, const char *public_id,
                                struct measures_patient *out);

/* A measure to enter. */
struct measure_entry {
    long patient;           /* patients.id */
    const char *instrument; /* a domain/measure.h code: "phq9", "gad7", "pacs", "craving" */
    const char *taken_on;   /* "YYYY-MM-DD" */
    const int *answers;     /* the item values in item order */
    size_t n_answers;
    const char *substance;  /* PACS adapted to a substance, else NULL */
    const char *source;     /* "staff" or "portal" */
    long entered_by;        /* users.id (0: none, the portal) */
    /* out */
    int total;
    char public_id[33];
    char alert_id[33];      /* the urgent alert raised ("" when none) */
};
/* Adds m in one transaction with, when PHQ-9 item 9 is above 0, an urgent clinical alert to
 * the patient's counsellor (store_clinical_alert_raise) and audit's entry (may be NULL: then
 * none) as "create" of the "measure", plus a "create" of the "clinical-alert" when one is
 * raised. The answers are checked again here (domain/measure.h): E_INVALID and nothing stored
 * when they, the instrument, the date or the substance are wrong; E_NOTFOUND without the
 * patient. */
enum err store_measure_add(struct store *s, struct measure_entry *m,
                           const struct audit_entry *audit);

/* The patient's measures of one instrument (NULL: all), oldest first (by date taken, then
 * entry): [{id, instrument, taken_on, answers: [..], total, substance, source, created_at,
 * entered_by (a name or "")}]. New reference in *out. */
enum err store_measures_list(struct store *s, long patient, const char *instrument,
                             json_t **out);

/* What the clinic's schedule (settings measure_days_<instrument>; 0 = not scheduled) says is
 * due for the patient as of today ("YYYY-MM-DD"): the first at admission
 * (patients.admission_date), then every N days after the last one taken; for each scheduled
 * instrument in display order [{instrument, name, due_on, due (due_on <= today), overdue
 * (due_on < today)}]. E_NOTFOUND without the patient; E_INVALID for a bad date. */
enum err store_measures_due(struct store *s, long patient /* patients.id */, const char *today,
                            json_t **out);

#endif
