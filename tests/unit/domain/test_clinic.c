/* Unit tests for domain/clinic: each field's rule, the levels it offers, the tel: digits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/clinic.h"

static void test_defaults_and_levels(void **state)
{
    struct clinic c;
    (void)state;

    clinic_defaults(&c);
    assert_string_equal(c.name, "Pecan Haven");
    assert_true(clinic_offers(&c, "iop"));
    assert_true(clinic_offers(&c, "outpatient"));
    /* what an outpatient program refers elsewhere */
    assert_false(clinic_offers(&c, "residential"));
    assert_false(clinic_offers(&c, "medically-managed"));
    assert_false(clinic_offers(&c, "emergency"));
    assert_false(clinic_offers(&c, "io")); /* a prefix is not a level */
    assert_false(clinic_offers(&c, NULL));
}

static void test_phone_digits(void **state)
{
    struct clinic c;
    (void)state;

    clinic_defaults(&c);
    clinic_set(&c, CLINIC_PHONE, "(555) 010-0100");
    assert_string_equal(c.phone, "(555) 010-0100");
    assert_string_equal(c.phone_digits, "5550100100");
}

static void test_problems(void **state)
{
    char longer[CLINIC_HOURS_MAX + 2];
    (void)state;

    assert_non_null(clinic_problem(CLINIC_NAME, ""));
    assert_null(clinic_problem(CLINIC_NAME, "Pecan Haven"));
    assert_non_null(clinic_problem(CLINIC_PHONE, ""));
    assert_non_null(clinic_problem(CLINIC_PHONE, "call us"));
    assert_null(clinic_problem(CLINIC_PHONE, "(555) 010-0100"));
    assert_null(clinic_problem(CLINIC_HOURS, ""));
    assert_null(clinic_problem(CLINIC_HOURS, "Mon-Fri 8 am to 6 pm"));
    assert_non_null(clinic_problem(CLINIC_HOURS, "Mon\nFri")); /* one line */
    assert_null(clinic_problem(CLINIC_ADDRESS, "1 Main St\nAustin, TX"));
    assert_non_null(clinic_problem(CLINIC_ADDRESS, "1 Main\xe2\x80\xae St"));
    memset(longer, 'a', sizeof(longer));
    longer[CLINIC_HOURS_MAX] = '\0';
    assert_null(clinic_problem(CLINIC_HOURS, longer));
    longer[CLINIC_HOURS_MAX] = 'a';
    longer[CLINIC_HOURS_MAX + 1] = '\0';
    assert_non_null(clinic_problem(CLINIC_HOURS, longer));
    assert_null(clinic_problem(CLINIC_LEVELS, "iop,outpatient"));
    assert_null(clinic_problem(CLINIC_LEVELS, ""));
    assert_non_null(clinic_problem(CLINIC_LEVELS, "iop,detox"));
    assert_non_null(clinic_problem(CLINIC_LEVELS, "iop,,outpatient"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_levels),
        cmocka_unit_test(test_phone_digits),
        cmocka_unit_test(test_problems),
    };
    return cmocka_run_group_tests_name("clinic", tests, NULL, NULL);
}
