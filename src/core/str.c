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

bool str_utf8_valid(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p, *end = s + n;

    while (s < end) {
        unsigned c = *s;
        size_t len;
        unsigned cp;

        if (c == 0)
            return false;
        if (c < 0x80) {
            s++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            len = 2, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            len = 3, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            len = 4, cp = c & 0x07;
        else
            return false;
        if ((size_t)(end - s) < len)
            return false;
        for (size_t i = 1; i < len; i++) {
            if ((s[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        s += len;
    }
    return true;
}

bool str_has_bidi(const char *s)
{
    /* all of them are E2 80 8B-8F, E2 80 AA-AE or E2 81 A6-A9 in UTF-8 */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (p[0] != 0xe2 || !p[1] || !p[2])
            continue;
        if ((p[1] == 0x80 && ((p[2] >= 0x8b && p[2] <= 0x8f) || (p[2] >= 0xaa && p[2] <= 0xae))) ||
            (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9))
            return true;
    }
    return false;
}
