/* timefmt: times are stored as UTC ISO-8601 text and shown in the clinic's time zone (the
 * process's TZ, set once at start-up by `haven serve --timezone`). */
#ifndef HAVEN_TIMEFMT_H
#define HAVEN_TIMEFMT_H

#include <stddef.h>
#include <time.h>

/* Parses "YYYY-MM-DDTHH:MM:SSZ" or with milliseconds "...SS.mmmZ" as UTC; 0, or -1 for any
 * other text or an impossible date. */
int timefmt_parse_utc(const char *iso, time_t *out);
/* Writes t as clinic local time, "2026-11-27 09:33 CST", into out (n >= 32); returns out. */
char *timefmt_local(time_t t, char *out, size_t n);
/* Both in one: the stored UTC text shown as local time; the input unchanged when it does not
 * parse (never an empty cell). */
char *timefmt_show(const char *iso, char *out, size_t n);

/* t as the stored form, "YYYY-MM-DDTHH:MM:SSZ", into out (n >= 21); returns out. */
char *timefmt_utc(time_t t, char *out, size_t n);
/* The clinic's date today, "YYYY-MM-DD", into out; returns out. */
char *timefmt_today(time_t now, char out[11]);
/* How long ago, for lists: "35 min", "3 h" (under two days), "2 days"; returns out. */
char *timefmt_ago(time_t then, time_t now, char *out, size_t n);

#endif
