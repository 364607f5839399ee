/* Unit tests for domain/caldate: day numbers, weekdays, ISO weeks at year ends (2026 has a
 * W53), HH:MM times, and the daylight-saving dates of 2026 in America/Chicago, which must not
 * move a weekday or a session's minutes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/caldate.h"

static caldate day(const char *s)
{
    caldate d = -1;
    assert_true(caldate_parse(s, &d));
    return d;
}

static void test_dates(void **state)
{
    char out[CALDATE_TEXT];
    caldate d;
    (void)state;
    assert_int_equal(day("1970-01-01"), 0);
    assert_int_equal(day("2026-12-03") - day("2026-11-30"), 3);
    assert_string_equal(caldate_format(day("2028-02-29"), out), "2028-02-29");
    assert_string_equal(caldate_format(day("2026-02-28") + 1, out), "2026-03-01");
    assert_false(caldate_parse("2026-02-29", &d)); /* not a leap year */
    assert_false(caldate_parse("2100-02-29", &d)); /* a century, not a leap year */
    assert_true(caldate_parse("2000-02-29", &d));
    assert_false(caldate_parse("2026-13-01", &d));
    assert_false(caldate_parse("2026-1-01", &d));
    assert_false(caldate_parse("2026-01-01 ", &d));
    assert_false(caldate_parse("", &d));
    assert_false(caldate_parse(NULL, &d));
    /* every day for 300 years goes there and back */
    for (caldate x = day("1900-01-01"); x <= day("2199-12-31"); x++) {
        caldate back;
        assert_true(caldate_parse(caldate_format(x, out), &back));
        assert_int_equal(back, x);
    }
}

static void test_weekdays(void **state)
{
    (void)state;
    assert_int_equal(caldate_weekday(day("2026-12-03")), 4); /* a Thursday */
    assert_int_equal(caldate_weekday(day("2026-11-30")), 1);
    assert_int_equal(caldate_weekday(day("2026-12-06")), 7);
    assert_int_equal(caldate_weekday(day("1969-12-29")), 1); /* before day 0 */
    /* The daylight-saving changes of 2026 in America/Chicago are Sundays like any other. */
    assert_int_equal(caldate_weekday(day("2026-03-08")), 7);
    assert_int_equal(caldate_weekday(day("2026-11-01")), 7);
    assert_int_equal(day("2026-03-09") - day("2026-03-08"), 1);
}

static void test_weeks(void **state)
{
    char out[CALDATE_WEEK_TEXT];
    struct caldate_week w;
    caldate monday;
    (void)state;
    w = caldate_week_of(day("2026-03-11"));
    assert_string_equal(caldate_week_format(w, out), "2026-W11");
    /* 2026 starts on a Thursday: 53 weeks; W53 runs 2026-12-28 to 2027-01-03. */
    assert_true(caldate_week_parse("2026-W53", &w));
    assert_true(caldate_week_monday(w, &monday));
    assert_int_equal(monday, day("2026-12-28"));
    assert_string_equal(caldate_week_format(caldate_week_of(day("2027-01-03")), out), "2026-W53");
    assert_string_equal(caldate_week_format(caldate_week_of(day("2027-01-04")), out), "2027-W01");
    assert_false(caldate_week_parse("2027-W53", &w)); /* 2027 has 52 */
    assert_false(caldate_week_parse("2026-W00", &w));
    assert_false(caldate_week_parse("2026-W54", &w));
    assert_false(caldate_week_parse("2026W11", &w));
    assert_false(caldate_week_parse("2026-w11", &w));
    /* a week belongs to the ISO year of its Thursday: 2024-12-30 is in 2025-W01 */
    assert_string_equal(caldate_week_format(caldate_week_of(day("2024-12-30")), out), "2025-W01");
    assert_string_equal(caldate_week_format(caldate_week_of(day("2021-01-03")), out), "2020-W53");
    assert_true(caldate_week_parse("2025-W01", &w));
    assert_true(caldate_week_monday(w, &monday));
    assert_int_equal(monday, day("2024-12-30"));
    /* every Monday's week gives that Monday back */
    for (caldate m = day("2000-01-03"); m < day("2100-01-01"); m += 7) {
        caldate back;
        assert_true(caldate_week_monday(caldate_week_of(m), &back));
        assert_int_equal(back, m);
    }
}

static void test_times(void **state)
{
    int start, end;
    char out[6];
    (void)state;
    assert_true(caldate_time_parse("10:45", &start));
    assert_true(caldate_time_parse("12:00", &end));
    assert_int_equal(end - start, 75); /* wall-clock minutes, whatever the day */
    assert_true(caldate_time_parse("00:00", &start));
    assert_int_equal(start, 0);
    assert_true(caldate_time_parse("23:59", &end));
    assert_int_equal(end, 1439);
    assert_false(caldate_time_parse("24:00", &end));
    assert_false(caldate_time_parse("9:00", &end));
    assert_false(caldate_time_parse("09:60", &end));
    assert_false(caldate_time_parse("09:00:00", &end));
    assert_string_equal(caldate_time_format(9 * 60 + 5, out), "09:05");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_weeks),
        cmocka_unit_test(test_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
