/* str: small helpers over slices, bounds-checked, never reading past len. */
#include "core/str.h"

#include <string.h>

struct str str_from(const char *s)
{
    return (struct str){s, s ? strlen(s) : 0};
}

bool str_eq(struct str a, const char *b)
{
    size_t n = strlen(b);
    return a.len == n && memcmp(a.p, b, n) == 0;
}

bool str_starts_with(struct str a, const char *prefix)
{
    size_t n = strlen(prefix);
    return a.len >= n && memcmp(a.p, prefix, n) == 0;
}

int str_to_long(struct str s, long min, long max, long *out)
{
    size_t i = 0;
    bool neg = false;
    long v = 0;

    if (s.len == 0 || s.len > 19)
        return -1;
    if (s.p[0] == '-') {
        neg = true;
        i = 1;
        if (s.len == 1)
            return -1;
    }
    for (; i < s.len; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return -1;
        if (v > (max > -min ? max : -min) / 10 + 1)
            return -1;
        v = v * 10 + (s.p[i] - '0');
    }
    if (neg)
        v = -v;
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

bool str_cut(struct str *s, char sep, struct str *head)
{
    const char *p = s->len ? memchr(s->p, sep, s->len) : NULL;
    if (!p)
        return false;
    head->p = s->p;
    head->len = (size_t)(p - s->p);
    s->len -= head->len + 1;
    s->p = p + 1;
    return true;
}
