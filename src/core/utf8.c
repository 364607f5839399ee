/* utf8: decoding by the table of RFC 3629 section 4 (no overlongs, no surrogates). */
#include "core/utf8.h"

#include <string.h>

size_t utf8_decode(const char *p, size_t n, unsigned long *cp)
{
    const unsigned char *s = (const unsigned char *)p;
    unsigned long c;
    size_t len;

    if (n == 0 || s[0] == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        len = 2, c = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        len = 3, c = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        len = 4, c = s[0] & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
        (len == 4 && (c < 0x10000 || c > 0x10ffff)))
        return 0;
    *cp = c;
    return len;
}

bool utf8_valid(const char *p, size_t n)
{
    unsigned long cp;

    while (n) {
        size_t len = utf8_decode(p, n, &cp);
        if (!len)
            return false;
        p += len;
        n -= len;
    }
    return true;
}

long utf8_count(const char *s)
{
    size_t n = strlen(s);
    unsigned long cp;
    long count = 0;

    while (n) {
        size_t len = utf8_decode(s, n, &cp);
        if (!len)
            return -1;
        s += len;
        n -= len;
        count++;
    }
    return count;
}

size_t utf8_length(const char *s)
{
    size_t n = 0;

    for (; s && *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80) /* not a continuation byte */
            n++;
    return n;
}

bool utf8_is_format(unsigned long c)
{
    return c == 0x061c || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
}

bool utf8_has_format(const char *s)
{
    size_t n = strlen(s);
    unsigned long cp;

    while (n) {
        size_t len = utf8_decode(s, n, &cp);
        if (!len) {
            len = 1; /* not ours to judge here: utf8_valid is */
        } else if (utf8_is_format(cp)) {
            return true;
        }
        s += len;
        n -= len;
    }
    return false;
}

char *utf8_repair(const char *s, char *out)
{
    size_t n = strlen(s), k = 0;
    unsigned long cp;

    while (n) {
        size_t len = utf8_decode(s, n, &cp);
        if (len) {
            memcpy(out + k, s, len);
        } else {
            memcpy(out + k, "\xef\xbf\xbd", 3);
            len = 1;
            k += 3 - 1;
        }
        k += len;
        s += len;
        n -= len;
    }
    out[k] = '\0';
    return out;
}
