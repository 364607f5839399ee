/* Unit tests for domain/contact: the one rule each for e-mail, phone, name and date, on both
 * sides of every limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/contact.h"

static void test_email(void **state)
{
    char longest[CONTACT_EMAIL_MAX + 2];
    (void)state;

    assert_null(contact_email_problem("pat.lee@example.org"));
    assert_null(contact_email_problem("a+b@mail.example-clinic.org"));
    assert_non_null(contact_email_problem("not-an-email"));
    assert_non_null(contact_email_problem("@example.org"));
    assert_non_null(contact_email_problem("a@b@example.org"));
    assert_non_null(contact_email_problem("a@example"));       /* one label */
    assert_non_null(contact_email_problem("a@example..org"));  /* an empty label */
    assert_non_null(contact_email_problem("a@-example.org"));  /* a label starting with '-' */
    assert_non_null(contact_email_problem("a b@example.org")); /* a space */
    assert_non_null(contact_email_problem("jos\xc3\xa9@example.org"));
    assert_non_null(contact_email_problem("<a@example.org>"));
    /* 254 bytes pass, 255 do not */
    memset(longest, 'a', sizeof(longest));
    memcpy(longest + CONTACT_EMAIL_MAX - 12, "@example.org", 12);
    longest[CONTACT_EMAIL_MAX] = '\0';
    assert_null(contact_email_problem(longest));
    memset(longest, 'a', sizeof(longest));
    memcpy(longest + CONTACT_EMAIL_MAX + 1 - 12, "@example.org", 12);
    longest[CONTACT_EMAIL_MAX + 1] = '\0';
    assert_non_null(contact_email_problem(longest));
}

static void test_name(void **state)
{
    char name[CONTACT_NAME_MAX + 2];
    (void)state;

    assert_null(contact_name_problem("Jos\xc3\xa9 Mar\xc3\xad" "a O'Neil-Smith"));
    assert_non_null(contact_name_problem(""));
    assert_non_null(contact_name_problem("   "));
    assert_non_null(contact_name_problem("Pat\nLee"));
    assert_non_null(contact_name_problem("Pat\xc2\x85Lee"));          /* C1 NEL */
    assert_non_null(contact_name_problem("Pat\xe2\x80\xaeLee"));      /* U+202E */
    assert_non_null(contact_name_problem("\xef\xbb\xbfPat"));         /* U+FEFF */
    assert_non_null(contact_name_problem("Evil\xff"));                /* not UTF-8 */
    memset(name, 'a', sizeof(name));
    name[CONTACT_NAME_MAX] = '\0';
    assert_null(contact_name_problem(name));
    name[CONTACT_NAME_MAX] = 'a';
    name[CONTACT_NAME_MAX + 1] = '\0';
    assert_non_null(contact_name_problem(name));
}

static void test_phone(void **state)
{
    char digits[CONTACT_PHONE_DIGITS + 1];
    (void)state;

    assert_null(contact_phone_problem("(555) 010-0123", digits));
    assert_string_equal(digits, "5550100123");
    assert_null(contact_phone_problem("+1 555.010.0123", digits));
    assert_string_equal(digits, "15550100123");
    assert_null(contact_phone_problem("5550101", digits)); /* 7 digits */
    assert_non_null(contact_phone_problem("555010", digits)); /* 6 */
    assert_null(contact_phone_problem("123456789012345", digits)); /* 15 */
    assert_non_null(contact_phone_problem("1234567890123456", digits)); /* 16 */
    assert_non_null(contact_phone_problem("555 010 0123 ext 4", digits));
    assert_non_null(contact_phone_problem("555+0100123", digits)); /* + only first */
    assert_non_null(contact_phone_problem("call me maybe", NULL));
    assert_non_null(
        contact_phone_problem("1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7", NULL)); /* > 32 bytes */
}

static void test_date(void **state)
{
    long y, m, d;
    (void)state;

    assert_true(contact_date_ok("2024-02-29"));
    assert_false(contact_date_ok("2023-02-29"));
    assert_true(contact_date_ok("2000-02-29"));
    assert_false(contact_date_ok("1900-02-29"));
    assert_true(contact_date_ok("1900-01-01"));
    assert_false(contact_date_ok("1899-12-31"));
    assert_false(contact_date_ok("2024-13-01"));
    assert_false(contact_date_ok("2024-04-31"));
    assert_false(contact_date_ok("2024-4-03"));
    assert_false(contact_date_ok("2024-04-03T"));
    assert_false(contact_date_ok("+024-04-03"));
    assert_false(contact_date_ok(NULL));
    assert_int_equal(contact_date_parse("2026-12-03", &y, &m, &d), 0);
    assert_int_equal(y * 10000 + m * 100 + d, 20261203);
    assert_null(contact_date_problem("2026-12-03"));
    assert_non_null(contact_date_problem("12/03/2026"));
}

static void test_age(void **state)
{
    (void)state;
    assert_int_equal(contact_age("1988-04-12", "2026-04-11"), 37); /* the day before */
    assert_int_equal(contact_age("1988-04-12", "2026-04-12"), 38); /* the birthday */
    assert_int_equal(contact_age("2008-02-29", "2026-02-28"), 17); /* a leap-day birth */
    assert_int_equal(contact_age("2008-02-29", "2026-03-01"), 18);
    assert_int_equal(contact_age("not a date", "2026-03-01"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_name),
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_date),
        cmocka_unit_test(test_age),
    };
    return cmocka_run_group_tests_name("contact", tests, NULL, NULL);
}
