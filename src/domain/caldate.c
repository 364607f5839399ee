/* caldate: day numbers for civil dates (H. Hinnant's days_from_civil and its inverse, exact for
 * the proleptic Gregorian calendar), ISO 8601 weeks and HH:MM times. */
#include "domain/caldate.h"


static bool digits(const char *s, int n, long *out)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Writes v as n decimal digits (v in range: the callers' ranges are checked). */
static char *put_digits(char *out, long v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10) out[i] = (char)('0' + v % 10);
    return out + n;
}

static long days_in_month(long y, long m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

bool caldate_from_ymd(long y, long m, long d, caldate *out)
{
    if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return false;
    y -= m <= 2;
    long era = y / 400; /* y >= 1899: never negative */
    long yoe = y - era * 400;
    long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = era * 146097 + doe - 719468;
    return true;
}

void caldate_ymd(caldate day, long *y, long *m, long *d)
{
    long z = day + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

bool caldate_parse(const char *text, caldate *out)
{
    long y, m, d;
    if (!text || !digits(text, 4, &y) || text[4] != '-' || !digits(text + 5, 2, &m) ||
        text[7] != '-' || !digits(text + 8, 2, &d) || text[10] != '\0')
        return false;
    return caldate_from_ymd(y, m, d, out);
}

char *caldate_format(caldate day, char out[CALDATE_TEXT])
{
    long y, m, d;
    caldate_ymd(day, &y, &m, &d);
    char *p = put_digits(out, y, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    *put_digits(p, d, 2) = '\0';
    return out;
}

int caldate_weekday(caldate day)
{
    /* 1970-01-01 was a Thursday (4). */
    long r = (day + 3) % 7;
    return (int)(r < 0 ? r + 7 : r) + 1;
}

/* The Monday of ISO week 1 of year y: the week holding 4 January. */
static caldate week1_monday(long y)
{
    caldate jan4 = 0;
    caldate_from_ymd(y, 1, 4, &jan4);
    return jan4 - (caldate_weekday(jan4) - 1);
}

struct caldate_week caldate_week_of(caldate day)
{
    caldate thursday = day + (4 - caldate_weekday(day));
    long y, m, d;
    caldate_ymd(thursday, &y, &m, &d);
    struct caldate_week w = {y, (int)((thursday - week1_monday(y)) / 7) + 1};
    return w;
}

bool caldate_week_monday(struct caldate_week w, caldate *monday)
{
    if (w.year < 1901 || w.year > 2198 || w.week < 1 || w.week > 53) return false;
    caldate m = week1_monday(w.year) + (caldate)(w.week - 1) * 7;
    struct caldate_week back = caldate_week_of(m);
    if (back.year != w.year || back.week != w.week) return false;
    *monday = m;
    return true;
}

bool caldate_week_parse(const char *text, struct caldate_week *out)
{
    long y, wk;
    caldate monday;
    if (!text || !digits(text, 4, &y) || text[4] != '-' || text[5] != 'W' ||
        !digits(text + 6, 2, &wk) || text[8] != '\0')
        return false;
    struct caldate_week w = {y, (int)wk};
    if (!caldate_week_monday(w, &monday)) return false;
    *out = w;
    return true;
}

char *caldate_week_format(struct caldate_week w, char out[CALDATE_WEEK_TEXT])
{
    char *p = put_digits(out, w.year, 4);
    *p++ = '-';
    *p++ = 'W';
    *put_digits(p, w.week, 2) = '\0';
    return out;
}

bool caldate_time_parse(const char *text, int *minute)
{
    long h, m;
    if (!text || !digits(text, 2, &h) || text[2] != ':' || !digits(text + 3, 2, &m) ||
        text[5] != '\0' || h > 23 || m > 59)
        return false;
    *minute = (int)(h * 60 + m);
    return true;
}

char *caldate_time_format(int minute, char out[6])
{
    char *p = put_digits(out, minute / 60, 2);
    *p++ = ':';
    *put_digits(p, minute % 60, 2) = '\0';
    return out;
}
