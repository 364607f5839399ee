/* Unit tests for core/timefmt: UTC text in, clinic time out, across daylight saving. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <time.h>

#include "core/timefmt.h"

static void use_zone(const char *zone)
{
    setenv("TZ", zone, 1);
    tzset();
}

static void test_parse_strict(void **state)
{
    time_t t;
    (void)state;

    assert_int_equal(timefmt_parse_utc("1970-01-01T00:00:00Z", &t), 0);
    assert_int_equal(t, 0);
    assert_int_equal(timefmt_parse_utc("2026-11-27T15:29:08.734Z", &t), 0);
    assert_int_equal(t, 1795793348);
    assert_int_equal(timefmt_parse_utc("2028-02-29T00:00:00Z", &t), 0);
    assert_int_equal(timefmt_parse_utc("2026-02-29T00:00:00Z", &t), -1); /* not a leap year */
    assert_int_equal(timefmt_parse_utc("2026-13-01T00:00:00Z", &t), -1);
    assert_int_equal(timefmt_parse_utc("2026-11-27 15:29:08Z", &t), -1);
    assert_int_equal(timefmt_parse_utc("2026-11-27T15:29:08", &t), -1);
    assert_int_equal(timefmt_parse_utc("2026-11-2xT15:29:08Z", &t), -1);
    assert_int_equal(timefmt_parse_utc("", &t), -1);
    assert_int_equal(timefmt_parse_utc(NULL, &t), -1);
}

static void test_local_follows_daylight_saving(void **state)
{
    char out[64];
    (void)state;

    use_zone("America/Chicago");
    /* 2026-03-08 02:00 CST -> 03:00 CDT: one UTC hour either side of the change */
    assert_string_equal(timefmt_show("2026-03-08T07:59:00Z", out, sizeof(out)),
                        "2026-03-08 01:59 CST");
    assert_string_equal(timefmt_show("2026-03-08T08:00:00Z", out, sizeof(out)),
                        "2026-03-08 03:00 CDT");
    assert_string_equal(timefmt_show("2026-11-27T15:29:08.734Z", out, sizeof(out)),
                        "2026-11-27 09:29 CST");
    use_zone("UTC");
    assert_string_equal(timefmt_show("2026-11-27T15:29:08Z", out, sizeof(out)),
                        "2026-11-27 15:29 UTC");
}

static void test_show_keeps_what_it_cannot_read(void **state)
{
    char out[64];
    (void)state;

    assert_string_equal(timefmt_show("yesterday", out, sizeof(out)), "yesterday");
    assert_string_equal(timefmt_show(NULL, out, sizeof(out)), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_strict),
        cmocka_unit_test(test_local_follows_daylight_saving),
        cmocka_unit_test(test_show_keeps_what_it_cannot_read),
    };
    return cmocka_run_group_tests_name("timefmt", tests, NULL, NULL);
}
