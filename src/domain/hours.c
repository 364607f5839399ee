/* hours: R3, R4, R6 and the names of R7, as spec program.md §3 states them. */
#include "domain/hours.h"

#include <string.h>

bool hours_covers(const struct hours_enrolment *e, caldate day)
{
    return e->start <= day && day <= e->end;
}

const struct hours_enrolment *hours_covering(const struct hours_enrolment *e, size_t n,
                                             caldate day)
{
    for (size_t i = 0; i < n; i++) {
        if (hours_covers(&e[i], day)) return &e[i];
    }
    return NULL;
}

int hours_week_minimum(const struct hours_enrolment *e, size_t n, caldate monday)
{
    for (size_t i = 0; i < n; i++) {
        if (hours_covers(&e[i], monday) && hours_covers(&e[i], monday + 6)) return e[i].minimum;
    }
    return HOURS_NONE;
}

int hours_shortfall(int minimum, int minutes)
{
    if (minimum == HOURS_NONE) return HOURS_NONE;
    return minutes >= minimum ? 0 : minimum - minutes;
}

bool hours_week_ended(caldate monday, caldate as_of)
{
    return monday + 6 < as_of;
}

unsigned hours_billable_reasons(int attended_minutes, const struct hours_enrolment *cover,
                                bool documented)
{
    unsigned why = 0;
    if (attended_minutes < HOURS_BILLABLE_MINUTES) why |= HOURS_UNDER_3_HOURS;
    if (!cover || (cover->level != TRACK_IOP && cover->level != TRACK_PHP))
        why |= HOURS_NOT_ENROLLED;
    /* "That track" is the track of the enrolment covering the day; with none, the third
     * condition has no track to fail on, and not-enrolled says it all. */
    if (cover && cover->operates_days < HOURS_BILLABLE_DAYS) why |= HOURS_PROGRAM_UNDER_3_DAYS;
    /* H0015 is "based on an individualized treatment plan": a day without its plan and notes
     * is not billed, whatever else holds (issue 10). */
    if (!documented) why |= HOURS_DOCUMENTATION_MISSING;
    return why;
}

const char *hours_reason_name(int i)
{
    static const char *const names[HOURS_N_REASONS] = {
        "under-3-hours", "not-enrolled", "program-under-3-days", "documentation-missing"};
    return i >= 0 && i < HOURS_N_REASONS ? names[i] : NULL;
}

const char *hours_reason_words(const char *name)
{
    static const char *const words[HOURS_N_REASONS] = {
        "under 3 hours attended", "not enrolled in an IOP or PHP track that day",
        "the track meets fewer than 3 days a week",
        "plan or notes not signed (documentation missing)"};

    for (int i = 0; name && i < HOURS_N_REASONS; i++)
        if (!strcmp(hours_reason_name(i), name))
            return words[i];
    return name;
}

const char *hours_alert_name(enum hours_alert a)
{
    static const char *const names[] = {
        "scheduled-under-minimum", "attended-under-minimum", "missed-two-in-a-row"};
    return (unsigned)a < 3 ? names[a] : NULL;
}
