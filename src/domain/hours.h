/* hours: the rules of spec program.md §3 that turn sessions and attendance into figures a
 * program director and a payer read: the weekly minimum (R3), shortfalls (R4), the H0015
 * billable day (R6) and the alerts (R7). Pure: the store adds up minutes, these decide. */
#ifndef HAVEN_HOURS_H
#define HAVEN_HOURS_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/caldate.h"
#include "domain/track.h"

#define HOURS_NONE (-1)         /* a figure that does not apply (JSON null) */

/* One enrolment as the rules need it: its dates (both inclusive) and its track's figures. */
struct hours_enrolment {
    caldate start, end; /* end CALDATE_OPEN when open */
    int minimum;        /* the track's min_weekly_minutes, or HOURS_NONE */
    enum track_level level;
    int operates_days;
};

/* True when e covers day. */
bool hours_covers(const struct hours_enrolment *e, caldate day);
/* The enrolment of n covering day, or NULL (a patient has at most one). */
const struct hours_enrolment *hours_covering(const struct hours_enrolment *e, size_t n,
                                             caldate day);
/* R3: the minimum of the week starting monday when one enrolment covers all seven days, else
 * HOURS_NONE. */
int hours_week_minimum(const struct hours_enrolment *e, size_t n, caldate monday);
/* R4: max(0, minimum - minutes), or HOURS_NONE when there is no minimum. */
int hours_shortfall(int minimum, int minutes);
/* R4: whether the attended shortfall of the week starting monday is known as of a date: only
 * once the week has ended (its Sunday is before as_of). */
bool hours_week_ended(caldate monday, caldate as_of);

/* R6, rule set h0015 (haven-program-2): the reasons a day with attended minutes is not
 * billable, as bits, in the order of the spec's table. */
enum hours_reason {
    HOURS_UNDER_3_HOURS = 1u << 0,
    HOURS_NOT_ENROLLED = 1u << 1,
    HOURS_PROGRAM_UNDER_3_DAYS = 1u << 2,
    HOURS_DOCUMENTATION_MISSING = 1u << 3,
};
#define HOURS_N_REASONS 4
#define HOURS_BILLABLE_MINUTES 180
#define HOURS_BILLABLE_DAYS 3
/* 0 when the day is billable. cover: the enrolment covering the day, or NULL; documented: a
 * signed plan was current on the day and every session attended that day has its signed (and,
 * where needed, co-signed) note (the store decides it: store/hours_gate.h). */
unsigned hours_billable_reasons(int attended_minutes, const struct hours_enrolment *cover,
                                bool documented);
/* The reason of bit i ("under-3-hours", "not-enrolled", "program-under-3-days",
 * "documentation-missing"), for i < HOURS_N_REASONS, in that order. */
const char *hours_reason_name(int i);
/* A reason's name in plain words for a page ("under 3 hours attended" ...); the name itself
 * when it is not one. */
const char *hours_reason_words(const char *name);
/* The HCPCS code of a billable day. */
#define HOURS_BILLING_CODE "H0015"

/* R7: the kinds of alert. */
enum hours_alert { ALERT_SCHEDULED_UNDER, ALERT_ATTENDED_UNDER, ALERT_MISSED_TWO };
/* "scheduled-under-minimum", "attended-under-minimum", "missed-two-in-a-row". */
const char *hours_alert_name(enum hours_alert a);

#endif
