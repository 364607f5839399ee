/* schedule: the two rules that keep a program's calendar possible (spec program.md §3): a
 * track never holds more people on a day than its capacity (R8), and no patient, staff member
 * or room is in two overlapping sessions (R9). Pure. */
#ifndef HAVEN_SCHEDULE_H
#define HAVEN_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/caldate.h"

/* Dates from start to end, both inclusive (end CALDATE_OPEN when open). */
struct schedule_span {
    caldate start, end;
};

/* R9: two sessions on the same date overlap when each starts before the other ends (minutes
 * since midnight; one ending at 10:30 and one starting at 10:30 do not overlap). */
bool schedule_overlap(int start_a, int end_a, int start_b, int end_b);

/* R8: the first date on which adding span to the existing enrolments of a track would put more
 * than capacity of them on that date; false when there is none. */
bool schedule_over_capacity(const struct schedule_span *existing, size_t n,
                            struct schedule_span span, int capacity, caldate *first);

#endif
