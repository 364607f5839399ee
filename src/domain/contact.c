/* contact: see contact.h. The messages speak to the person typing; the same rule serves a
 * patient's own request and a staff member's form. */
#include "domain/contact.h"

#include <ctype.h>
#include <string.h>

#include "core/utf8.h"

static bool email_label_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-';
}

const char *contact_email_problem(const char *e)
{
    static const char shape[] = "Enter an e-mail address like name@example.org.";
    const char *at;
    size_t len, label = 0;

    if (!e || !*e)
        return "Enter the person's e-mail address.";
    len = strlen(e);
    if (len > CONTACT_EMAIL_MAX)
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

const char *contact_name_problem(const char *name)
{
    const unsigned char *p = (const unsigned char *)name;
    size_t n = name ? strlen(name) : 0;
    bool seen = false;

    if (!n)
        return "Enter the person's name.";
    if (n > CONTACT_NAME_MAX)
        return "That name is too long (at most 100 bytes: 100 plain letters, fewer accented or "
               "non-Latin ones).";
    if (!utf8_valid(name, n))
        return "That name holds bytes that are not text (not UTF-8). Type it again.";
    while (*p) {
        unsigned long c = 0;
        size_t len =
            utf8_decode((const char *)p, n - (size_t)(p - (const unsigned char *)name), &c);
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029)
            return "Names cannot hold line breaks, tabs or other control characters.";
        if (utf8_is_format(c))
            return "Names cannot hold invisible text-direction or formatting characters.";
        if (c != ' ')
            seen = true;
        p += len;
    }
    return seen ? NULL : "Enter the person's name.";
}

const char *contact_phone_problem(const char *p, char *digits)
{
    size_t n = 0;

    if (strlen(p) > CONTACT_PHONE_MAX)
        return "This phone number is too long.";
    for (const char *c = p; *c; c++) {
        if (isdigit((unsigned char)*c)) {
            if (n < CONTACT_PHONE_DIGITS + 1 && digits)
                digits[n] = *c;
            n++;
        } else if (!strchr(" +-().", *c) || (*c == '+' && c != p)) {
            return "Please use only digits, spaces, and + - ( ) in the phone number.";
        }
    }
    if (n < 7 || n > CONTACT_PHONE_DIGITS)
        return "Please give a full phone number, with area code.";
    if (digits)
        digits[n] = '\0';
    return NULL;
}

static int digits_of(const char *s, size_t n, long *out)
{
    long v = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static bool leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int contact_date_parse(const char *s, long *y, long *m, long *d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits_of(s, 4, y) ||
        digits_of(s + 5, 2, m) || digits_of(s + 8, 2, d))
        return -1;
    if (*y < 1900 || *m < 1 || *m > 12 || *d < 1 || *d > mdays[*m - 1] + (*m == 2 && leap(*y)))
        return -1;
    return 0;
}

bool contact_date_ok(const char *date)
{
    long y, m, d;

    return contact_date_parse(date, &y, &m, &d) == 0;
}

const char *contact_date_problem(const char *date)
{
    return contact_date_ok(date) ? NULL
                                 : "Please give a date as YYYY-MM-DD, for example 2024-03-04.";
}

int contact_age(const char *dob, const char *today)
{
    long y, m, d, ty, tm, td;

    if (contact_date_parse(dob, &y, &m, &d) < 0 || contact_date_parse(today, &ty, &tm, &td) < 0)
        return -1;
    return (int)(ty - y - (tm < m || (tm == m && td < d)));
}
