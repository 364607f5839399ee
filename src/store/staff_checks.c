/* staff_checks: what an account's e-mail address and name may hold (store_staff.h). Pure
 * checks, kept in store/ for now because store_user_add applies them; their home is domain/. */
#include "store/store_staff.h"

#include <stdbool.h>
#include <string.h>

#include "core/str.h"

static bool email_label_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-';
}

const char *staff_email_problem(const char *e)
{
    static const char shape[] = "Enter an e-mail address like name@example.org.";
    const char *at;
    size_t len, label = 0;

    if (!e || !*e)
        return "Enter the person's e-mail address.";
    len = strlen(e);
    if (len > STAFF_EMAIL_MAX)
        return "That e-mail address is too long (at most 254 characters).";
    for (const char *p = e; *p; p++)
        if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
            return "Use only plain letters, digits and punctuation in the e-mail address, "
                   "without spaces or accented letters.";
    at = strchr(e, '@');
    if (!at || at == e || strchr(at + 1, '@') || strpbrk(e, "<>()[]\\,;:\""))
        return shape;
    /* The domain: labels of letters, digits and hyphens, at least two, none empty. */
    if (!strchr(at + 1, '.'))
        return shape;
    for (const char *p = at + 1;; p++) {
        if (*p == '.' || !*p) {
            if (!label || p[-1] == '-')
                return shape;
            if (!*p)
                break;
            label = 0;
        } else if (!email_label_char(*p) || (label == 0 && *p == '-')) {
            return shape;
        } else {
            label++;
        }
    }
    return NULL;
}

/* The code point at p (n bytes of well-formed UTF-8 left); *len gets its length. */
static unsigned long utf8_at(const unsigned char *p, size_t *len)
{
    if (p[0] < 0x80) {
        *len = 1;
        return p[0];
    }
    if (p[0] < 0xe0) {
        *len = 2;
        return ((p[0] & 0x1fUL) << 6) | (p[1] & 0x3fUL);
    }
    if (p[0] < 0xf0) {
        *len = 3;
        return ((p[0] & 0x0fUL) << 12) | ((p[1] & 0x3fUL) << 6) | (p[2] & 0x3fUL);
    }
    *len = 4;
    return ((p[0] & 0x07UL) << 18) | ((p[1] & 0x3fUL) << 12) | ((p[2] & 0x3fUL) << 6) |
           (p[3] & 0x3fUL);
}

const char *staff_name_problem(const char *name)
{
    const unsigned char *p = (const unsigned char *)name;
    size_t n = name ? strlen(name) : 0;
    bool seen = false;

    if (!n)
        return "Enter the person's name.";
    if (n > STAFF_NAME_MAX)
        return "That name is too long (at most 100 bytes: 100 plain letters, fewer accented or "
               "non-Latin ones).";
    if (!str_utf8_valid(name, n))
        return "That name holds bytes that are not text (not UTF-8). Type it again.";
    while (*p) {
        size_t len;
        unsigned long c = utf8_at(p, &len);
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029)
            return "Names cannot hold line breaks, tabs or other control characters.";
        if (c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
            (c >= 0x2066 && c <= 0x2069) || c == 0xfeff)
            return "Names cannot hold invisible text-direction or formatting characters.";
        if (c != ' ')
            seen = true;
        p += len;
    }
    return seen ? NULL : "Enter the person's name.";
}
