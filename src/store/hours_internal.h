/* hours_internal: what hours.c shares with billing_days.c: a patient's enrolments as the rules
 * take them, and every patient's enrolments overlapping a range, read once for a network-wide
 * figure (the alerts, the billable days). Nothing outside store/ includes it. */
#ifndef HAVEN_STORE_HOURS_INTERNAL_H
#define HAVEN_STORE_HOURS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/hours.h"
#include "store/program_internal.h"

/* A patient's enrolments overlapping from..to, as the rules take them, with their tracks. */
struct enrolled {
    struct hours_enrolment *e;
    long *track;
    char (*track_id)[PROGRAM_ID_TEXT];
    size_t n;
};

void store_hours_enrolled_free(struct enrolled *x);

/* Every patient's enrolments overlapping from..to, sorted by patient then start; name (when
 * asked for) the patient's "First Last". */
struct all_enrolled {
    struct enrolled x;
    long *patient;
    char (*pub)[33];
    char **name;
};

/* Reads them (inside the caller's read). E_OK or E_DB. */
enum err store_hours_all_read(struct store *s, caldate from, caldate to, bool names,
                              struct all_enrolled *a);
void store_hours_all_free(struct all_enrolled *a);
/* A patient's enrolments as a view into the network's (not to be freed). */
struct enrolled store_hours_all_of(const struct all_enrolled *a, long patient);

#endif
