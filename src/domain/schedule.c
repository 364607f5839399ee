/* schedule: R8 and R9. The count of enrolments covering a date only rises where one starts, so
 * R8 needs to look at the new span's first day and at each existing start inside it. */
#include "domain/schedule.h"

bool schedule_overlap(int start_a, int end_a, int start_b, int end_b)
{
    return start_a < end_b && start_b < end_a;
}

static size_t covering(const struct schedule_span *e, size_t n, caldate day)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += e[i].start <= day && day <= e[i].end;
    return count;
}

bool schedule_over_capacity(const struct schedule_span *existing, size_t n,
                            struct schedule_span span, int capacity, caldate *first)
{
    bool found = false;
    caldate best = 0;
    if (capacity < 0) capacity = 0;
    if (covering(existing, n, span.start) + 1 > (size_t)capacity) {
        *first = span.start;
        return true;
    }
    for (size_t i = 0; i < n; i++) {
        caldate d = existing[i].start;
        if (d <= span.start || d > span.end || (found && d >= best)) continue;
        if (covering(existing, n, d) + 1 > (size_t)capacity) {
            best = d;
            found = true;
        }
    }
    if (found) *first = best;
    return found;
}
