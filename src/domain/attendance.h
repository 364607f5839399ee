/* attendance: one patient at one session (spec program.md §2): a status and the minutes they
 * were there, which the rules for hours and billable days add up. Pure. */
#ifndef HAVEN_ATTENDANCE_H
#define HAVEN_ATTENDANCE_H

#include <stdbool.h>

enum attendance_status {
    ATTEND_PRESENT,
    ATTEND_LATE,
    ATTEND_LEFT_EARLY,
    ATTEND_ABSENT_EXCUSED,
    ATTEND_ABSENT_UNEXCUSED,
};
#define ATTEND_N_STATUSES 5

/* "present", "late", "left-early", "absent-excused", "absent-unexcused". */
const char *attendance_status_name(enum attendance_status s);
bool attendance_status_parse(const char *s, enum attendance_status *out);
/* True for both absences. */
bool attendance_is_absent(enum attendance_status s);

/* The minutes to record for a status at a session of session_minutes, from what was given
 * (given < 0: none given). NULL and *minutes set, or what is wrong with the minutes:
 * present takes the session's minutes (a different figure is refused); late and left-early
 * need 1 <= m < the session's minutes; absences take 0 (any other figure is refused). */
const char *attendance_minutes(enum attendance_status s, int session_minutes, int given,
                               int *minutes);
/* The minutes a patient checking in at minute `now` of the day attends a session from start
 * to end: all of them up to the start, else end - now; 0 once it has ended. */
int attendance_minutes_from(int start, int end, int now);

#endif
