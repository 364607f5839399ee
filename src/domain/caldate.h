/* caldate: the program's calendar. Dates and times are the clinic's wall clock (spec
 * program.md §1), so a date is a day number and a time a minute of the day: no time zone and no
 * daylight-saving change can move a session or change its minutes. Weeks are ISO 8601. */
#ifndef HAVEN_CALDATE_H
#define HAVEN_CALDATE_H

#include <limits.h>
#include <stdbool.h>

/* A date as days since 1970-01-01 (proleptic Gregorian); years 1900-2199 are accepted. */
typedef long caldate;
/* The end of a span of dates that has no end yet (an open enrolment). */
#define CALDATE_OPEN LONG_MAX

#define CALDATE_TEXT 11 /* "YYYY-MM-DD" and its NUL */
#define CALDATE_WEEK_TEXT 9 /* "YYYY-Www" and its NUL */

/* The day of y-m-d; false (and *out untouched) when it is not a real date (Feb 30). */
bool caldate_from_ymd(long y, long m, long d, caldate *out);
void caldate_ymd(caldate day, long *y, long *m, long *d);
/* Parses exactly "YYYY-MM-DD"; false for anything else or an impossible date. */
bool caldate_parse(const char *text, caldate *out);
/* Writes "YYYY-MM-DD" into out; returns out. */
char *caldate_format(caldate day, char out[CALDATE_TEXT]);
/* 1 = Monday ... 7 = Sunday. */
int caldate_weekday(caldate day);

/* The ISO week of a day: the week belongs to the ISO year of its Thursday. */
struct caldate_week {
    long year;
    int week; /* 1-53 */
};
struct caldate_week caldate_week_of(caldate day);
/* The Monday of an ISO week; false when that year has no such week (W53 of a 52-week year). */
bool caldate_week_monday(struct caldate_week w, caldate *monday);
/* Parses exactly "YYYY-Www" naming a week that exists. */
bool caldate_week_parse(const char *text, struct caldate_week *out);
char *caldate_week_format(struct caldate_week w, char out[CALDATE_WEEK_TEXT]);

/* Parses exactly "HH:MM" (00:00-23:59) into minutes since midnight. */
bool caldate_time_parse(const char *text, int *minute);
/* Writes "HH:MM" into out (6 bytes); returns out. */
char *caldate_time_format(int minute, char out[6]);

#endif
