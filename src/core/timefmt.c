/* timefmt: strict parsing (fixed positions, digits only) so stored text that is not ours is
 * shown as it is rather than misread. */
#include "core/timefmt.h"

#include <stdio.h>
#include <string.h>

static int digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int timefmt_parse_utc(const char *iso, time_t *out)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    struct tm tm = {0};
    int y, mo, d, h, mi, se, ms;
    size_t len = iso ? strlen(iso) : 0;

    if (len != 20 && len != 24)
        return -1;
    if (iso[4] != '-' || iso[7] != '-' || iso[10] != 'T' || iso[13] != ':' || iso[16] != ':' ||
        iso[len - 1] != 'Z' || (len == 24 && iso[19] != '.'))
        return -1;
    if (digits(iso, 4, &y) || digits(iso + 5, 2, &mo) || digits(iso + 8, 2, &d) ||
        digits(iso + 11, 2, &h) || digits(iso + 14, 2, &mi) || digits(iso + 17, 2, &se) ||
        (len == 24 && digits(iso + 20, 3, &ms)))
        return -1;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 ||
        se > 60)
        return -1;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    *out = timegm(&tm);
    return 0;
}

char *timefmt_local(time_t t, char *out, size_t n)
{
    struct tm tm;

    if (!localtime_r(&t, &tm) || !strftime(out, n, "%Y-%m-%d %H:%M %Z", &tm))
        snprintf(out, n, "%lld", (long long)t);
    return out;
}

char *timefmt_show(const char *iso, char *out, size_t n)
{
    time_t t;

    if (timefmt_parse_utc(iso, &t) < 0) {
        snprintf(out, n, "%s", iso ? iso : "");
        return out;
    }
    return timefmt_local(t, out, n);
}

char *timefmt_utc(time_t t, char *out, size_t n)
{
    struct tm tm;

    if (!gmtime_r(&t, &tm) || !strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, n, "%s", "");
    return out;
}

char *timefmt_today(time_t now, char out[11])
{
    struct tm tm;

    if (!localtime_r(&now, &tm) || !strftime(out, 11, "%Y-%m-%d", &tm))
        out[0] = '\0';
    return out;
}

char *timefmt_ago(time_t then, time_t now, char *out, size_t n)
{
    long s = then < 0 || now < then ? 0 : (long)(now - then);

    if (s < 3600)
        snprintf(out, n, "%ld min", s / 60);
    else if (s < 2 * 86400)
        snprintf(out, n, "%ld h", s / 3600);
    else
        snprintf(out, n, "%ld days", s / 86400);
    return out;
}
