/* Unit tests for R6's fourth condition (haven-program-2): documentation-missing is added to the
 * other reasons, last, and alone makes an otherwise billable day unbillable. Whether a day is
 * documented (plan current, notes signed) is the store's (tests/unit/store/test_program.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/hours.h"

static void test_documented_alone(void **state)
{
    struct hours_enrolment iop = {0, CALDATE_OPEN, 540, TRACK_IOP, 3};
    (void)state;
    assert_int_equal(hours_billable_reasons(180, &iop, true), 0);
    assert_int_equal(hours_billable_reasons(180, &iop, false), HOURS_DOCUMENTATION_MISSING);
}

static void test_documented_with_others(void **state)
{
    struct hours_enrolment two = {0, CALDATE_OPEN, 540, TRACK_IOP, 2};
    (void)state;
    assert_int_equal(hours_billable_reasons(179, &two, false),
                     HOURS_UNDER_3_HOURS | HOURS_PROGRAM_UNDER_3_DAYS |
                         HOURS_DOCUMENTATION_MISSING);
    assert_int_equal(hours_billable_reasons(179, NULL, true),
                     HOURS_UNDER_3_HOURS | HOURS_NOT_ENROLLED);
}

static void test_reason_order(void **state)
{
    (void)state;
    /* The spec's table, the new row last. */
    assert_int_equal(HOURS_N_REASONS, 4);
    assert_int_equal(HOURS_DOCUMENTATION_MISSING, 1u << 3);
    assert_string_equal(hours_reason_name(2), "program-under-3-days");
    assert_string_equal(hours_reason_name(3), "documentation-missing");
    assert_null(hours_reason_name(4));
    assert_null(hours_reason_name(-1));
    assert_string_equal(hours_reason_words("under-3-hours"), "under 3 hours attended");
    assert_string_equal(hours_reason_words("documentation-missing"),
                        "plan or notes not signed (documentation missing)");
    assert_string_equal(hours_reason_words("other"), "other");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_documented_alone),
        cmocka_unit_test(test_documented_with_others),
        cmocka_unit_test(test_reason_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
