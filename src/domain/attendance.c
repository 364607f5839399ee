/* attendance: the status table of spec program.md §2 and what each status means in minutes. */
#include "domain/attendance.h"

#include <string.h>

static const char *const names[ATTEND_N_STATUSES] = {
    "present", "late", "left-early", "absent-excused", "absent-unexcused",
};

const char *attendance_status_name(enum attendance_status s)
{
    return (unsigned)s < ATTEND_N_STATUSES ? names[s] : NULL;
}

bool attendance_status_parse(const char *s, enum attendance_status *out)
{
    for (int i = 0; s && i < ATTEND_N_STATUSES; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (enum attendance_status)i;
            return true;
        }
    }
    return false;
}

bool attendance_is_absent(enum attendance_status s)
{
    return s == ATTEND_ABSENT_EXCUSED || s == ATTEND_ABSENT_UNEXCUSED;
}

const char *attendance_minutes(enum attendance_status s, int session_minutes, int given,
                               int *minutes)
{
    switch (s) {
    case ATTEND_PRESENT:
        if (given >= 0 && given != session_minutes)
            return "Present means the whole session; for part of it, choose late or left early.";
        *minutes = session_minutes;
        return NULL;
    case ATTEND_LATE:
    case ATTEND_LEFT_EARLY:
        if (given < 0) return "Say how many minutes they were there.";
        if (given < 1 || given >= session_minutes)
            return "The minutes are at least 1 and fewer than the session's.";
        *minutes = given;
        return NULL;
    case ATTEND_ABSENT_EXCUSED:
    case ATTEND_ABSENT_UNEXCUSED:
        if (given > 0) return "An absence counts no minutes.";
        *minutes = 0;
        return NULL;
    }
    return "Choose present, late, left early, or absent (excused or not).";
}

int attendance_minutes_from(int start, int end, int now)
{
    if (now <= start) return end - start;
    return now >= end ? 0 : end - now;
}
