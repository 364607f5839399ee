/* stamp: UTC time text for the store, computed here rather than in SQL (datetime('now') and
 * unixepoch() are SQLite's own), so that every engine stores the same text. */
#include "store/stamp.h"

#include <stdio.h>

#include "core/timefmt.h"

char *stamp_iso(time_t t, char out[STAMP_LEN])
{
    return timefmt_utc(t, out, STAMP_LEN);
}

char *stamp_now(char out[STAMP_LEN])
{
    return stamp_iso(time(NULL), out);
}

char *stamp_now_ms(char out[STAMP_LEN])
{
    struct timespec ts;
    struct tm tm;
    char secs[24];

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(secs, sizeof(secs), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, STAMP_LEN, "%s.%03dZ", secs, (int)(ts.tv_nsec / 1000000));
    return out;
}

char *stamp_today(char out[STAMP_LEN])
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, STAMP_LEN, "%Y-%m-%d", &tm);
    return out;
}

long stamp_parse(const char *iso)
{
    time_t t;

    if (!iso || !*iso || timefmt_parse_utc(iso, &t) != 0)
        return 0;
    return (long)t;
}
