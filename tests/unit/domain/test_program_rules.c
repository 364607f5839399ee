/* Unit tests for the program's pure rules (spec program.md §2-§3): track fields and slots,
 * attendance minutes, the weekly minimum and shortfalls (R3, R4), the H0015 billable day (R6),
 * capacity (R8) and overlaps (R9), each on both sides of its boundary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/attendance.h"
#include "domain/hours.h"
#include "domain/schedule.h"
#include "domain/track.h"

static caldate day(const char *s)
{
    caldate d = -1;
    assert_true(caldate_parse(s, &d));
    return d;
}

static struct track_slot slot(int weekday, int start, int end, const char *title)
{
    struct track_slot s = {.weekday = weekday, .start = start, .end = end, .kind = SLOT_GROUP};
    snprintf(s.title, sizeof(s.title), "%s", title);
    return s;
}

static void test_track_fields(void **state)
{
    enum track_level l;
    enum track_population p;
    (void)state;
    assert_null(track_code_problem("iop-am"));
    assert_null(track_code_problem("abcdefghijklmnopqrstuvwxyz012345")); /* 32 */
    assert_non_null(track_code_problem("abcdefghijklmnopqrstuvwxyz0123456"));
    assert_non_null(track_code_problem(""));
    assert_non_null(track_code_problem("IOP"));
    assert_non_null(track_code_problem("iop am"));
    assert_true(track_level_parse("php", &l) && l == TRACK_PHP);
    assert_false(track_level_parse("IOP", &l));
    assert_true(track_population_parse("adolescent", &p) && p == TRACK_ADOLESCENT);
    assert_false(track_population_parse("child", &p));
    assert_int_equal(track_default_minimum(TRACK_IOP, TRACK_ADULT), 540);
    assert_int_equal(track_default_minimum(TRACK_IOP, TRACK_ADOLESCENT), 360);
    assert_int_equal(track_default_minimum(TRACK_PHP, TRACK_ADULT), 1200);
    assert_int_equal(track_default_minimum(TRACK_OUTPATIENT, TRACK_ADULT), HOURS_NONE);
}

static void test_slots(void **state)
{
    const char *field = NULL;
    struct track_slot s[4];
    char title[TRACK_TITLE_MAX * 4 + 1];
    (void)state;
    s[0] = slot(1, 540, 630, "Process group");
    assert_null(track_slot_problem(&s[0], &field));
    s[1] = slot(8, 540, 630, "x");
    assert_non_null(track_slot_problem(&s[1], &field));
    assert_string_equal(field, "weekday");
    s[1] = slot(1, 630, 630, "x"); /* ends as it starts */
    assert_non_null(track_slot_problem(&s[1], &field));
    assert_string_equal(field, "end");
    s[1] = slot(1, 630, 700, "");
    assert_non_null(track_slot_problem(&s[1], &field));
    assert_string_equal(field, "title");
    memset(title, 'a', 100);
    title[100] = '\0';
    s[1] = slot(1, 630, 700, title);
    assert_null(track_slot_problem(&s[1], &field));
    title[100] = 'a';
    title[101] = '\0';
    s[1] = slot(1, 630, 700, title);
    assert_non_null(track_slot_problem(&s[1], &field));

    /* 10:30 after a slot ending 10:30 touches, 10:29 overlaps; another weekday never does */
    s[1] = slot(1, 630, 720, "Workshop");
    s[2] = slot(3, 540, 720, "Group");
    assert_int_equal(track_slots_overlap(s, 3), -1);
    s[1].start = 629;
    assert_int_equal(track_slots_overlap(s, 3), 1);
    s[1].start = 630;
    assert_int_equal(track_operates_days(s, 2), 1);
    assert_int_equal(track_operates_days(s, 3), 2);
    s[3] = slot(5, 540, 720, "Group");
    assert_int_equal(track_operates_days(s, 4), 3);
}

static void test_attendance(void **state)
{
    int m = -1;
    enum attendance_status st;
    (void)state;
    assert_true(attendance_status_parse("left-early", &st) && st == ATTEND_LEFT_EARLY);
    assert_false(attendance_status_parse("Present", &st));
    assert_null(attendance_minutes(ATTEND_PRESENT, 90, -1, &m));
    assert_int_equal(m, 90);
    assert_null(attendance_minutes(ATTEND_PRESENT, 90, 90, &m));
    assert_non_null(attendance_minutes(ATTEND_PRESENT, 90, 89, &m));
    assert_non_null(attendance_minutes(ATTEND_LATE, 90, -1, &m));
    assert_non_null(attendance_minutes(ATTEND_LATE, 90, 0, &m));
    assert_null(attendance_minutes(ATTEND_LATE, 90, 1, &m));
    assert_null(attendance_minutes(ATTEND_LEFT_EARLY, 90, 89, &m));
    assert_int_equal(m, 89);
    assert_non_null(attendance_minutes(ATTEND_LEFT_EARLY, 90, 90, &m));
    assert_null(attendance_minutes(ATTEND_ABSENT_EXCUSED, 90, 0, &m));
    assert_int_equal(m, 0);
    assert_null(attendance_minutes(ATTEND_ABSENT_UNEXCUSED, 90, -1, &m));
    assert_non_null(attendance_minutes(ATTEND_ABSENT_UNEXCUSED, 90, 1, &m));
    assert_true(attendance_is_absent(ATTEND_ABSENT_EXCUSED));
    assert_false(attendance_is_absent(ATTEND_LATE));
    /* a check-in at 09:20 for 09:00-10:30 attends 70 minutes */
    assert_int_equal(attendance_minutes_from(540, 630, 560), 70);
    assert_int_equal(attendance_minutes_from(540, 630, 530), 90);
    assert_int_equal(attendance_minutes_from(540, 630, 630), 0);
}

static void test_week_minimum(void **state)
{
    caldate monday = day("2026-11-30");
    struct hours_enrolment e = {day("2026-11-01"), CALDATE_OPEN, 540, TRACK_IOP, 3};
    (void)state;
    assert_int_equal(hours_week_minimum(&e, 1, monday), 540);
    e.start = day("2026-12-01"); /* starts on the Tuesday */
    assert_int_equal(hours_week_minimum(&e, 1, monday), HOURS_NONE);
    e.start = monday;
    e.end = day("2026-12-06"); /* ends on the Sunday: still the whole week */
    assert_int_equal(hours_week_minimum(&e, 1, monday), 540);
    e.end = day("2026-12-05"); /* ends on the Saturday */
    assert_int_equal(hours_week_minimum(&e, 1, monday), HOURS_NONE);
    assert_int_equal(hours_week_minimum(&e, 0, monday), HOURS_NONE);
    /* two enrolments that split the week (a move): no minimum */
    struct hours_enrolment two[2] = {
        {day("2026-11-01"), day("2026-12-02"), 540, TRACK_IOP, 3},
        {day("2026-12-03"), CALDATE_OPEN, 540, TRACK_IOP, 3},
    };
    assert_int_equal(hours_week_minimum(two, 2, monday), HOURS_NONE);
    assert_int_equal(hours_week_minimum(two, 2, monday + 7), 540);

    assert_int_equal(hours_shortfall(540, 539), 1);
    assert_int_equal(hours_shortfall(540, 540), 0);
    assert_int_equal(hours_shortfall(540, 600), 0);
    assert_int_equal(hours_shortfall(HOURS_NONE, 0), HOURS_NONE);
    /* a week that ends today has not ended; it has the day after */
    assert_false(hours_week_ended(monday, monday + 6));
    assert_true(hours_week_ended(monday, monday + 7));
}

static void test_billable(void **state)
{
    struct hours_enrolment iop = {0, CALDATE_OPEN, 540, TRACK_IOP, 3};
    struct hours_enrolment out = {0, CALDATE_OPEN, HOURS_NONE, TRACK_OUTPATIENT, 2};
    (void)state;
    assert_int_equal(hours_billable_reasons(180, &iop, true), 0);
    assert_int_equal(hours_billable_reasons(179, &iop, true), HOURS_UNDER_3_HOURS);
    iop.operates_days = 2;
    assert_int_equal(hours_billable_reasons(180, &iop, true), HOURS_PROGRAM_UNDER_3_DAYS);
    iop.level = TRACK_PHP;
    iop.operates_days = 5;
    assert_int_equal(hours_billable_reasons(300, &iop, true), 0);
    assert_int_equal(hours_billable_reasons(200, NULL, true), HOURS_NOT_ENROLLED);
    assert_int_equal(hours_billable_reasons(60, &out, true),
                     HOURS_UNDER_3_HOURS | HOURS_NOT_ENROLLED | HOURS_PROGRAM_UNDER_3_DAYS);
    assert_string_equal(hours_reason_name(0), "under-3-hours");
    assert_string_equal(hours_reason_name(1), "not-enrolled");
    assert_string_equal(hours_reason_name(2), "program-under-3-days");
    assert_string_equal(hours_reason_name(3), "documentation-missing");
    assert_null(hours_reason_name(4));
    assert_string_equal(hours_alert_name(ALERT_MISSED_TWO), "missed-two-in-a-row");
}

static void test_capacity(void **state)
{
    caldate first = -1;
    struct schedule_span e[3] = {
        {day("2026-11-02"), CALDATE_OPEN},
        {day("2026-11-09"), day("2026-11-20")},
        {day("2026-12-07"), CALDATE_OPEN},
    };
    (void)state;
    /* capacity 2: adding from 11-01 fills 11-02 with 2 (fine), 11-09 with 3 (over) */
    assert_true(schedule_over_capacity(e, 3, (struct schedule_span){day("2026-11-01"),
                                                                     CALDATE_OPEN}, 2, &first));
    assert_int_equal(first, day("2026-11-09"));
    /* from 11-21 to 12-06: one other at most */
    assert_false(schedule_over_capacity(
        e, 3, (struct schedule_span){day("2026-11-21"), day("2026-12-06")}, 2, &first));
    /* to 12-07: two others there */
    assert_true(schedule_over_capacity(
        e, 3, (struct schedule_span){day("2026-11-21"), day("2026-12-07")}, 2, &first));
    assert_int_equal(first, day("2026-12-07"));
    /* starting on a full day names that day */
    assert_true(schedule_over_capacity(e, 3, (struct schedule_span){day("2026-11-10"),
                                                                     CALDATE_OPEN}, 2, &first));
    assert_int_equal(first, day("2026-11-10"));
    assert_false(schedule_over_capacity(e, 3, (struct schedule_span){day("2026-11-10"),
                                                                      CALDATE_OPEN}, 3, &first));
    assert_false(schedule_over_capacity(NULL, 0, (struct schedule_span){0, 0}, 1, &first));
}

static void test_overlap(void **state)
{
    (void)state;
    assert_true(schedule_overlap(540, 630, 600, 660));
    assert_false(schedule_overlap(540, 630, 630, 660)); /* back to back */
    assert_true(schedule_overlap(540, 630, 629, 660));
    assert_true(schedule_overlap(540, 720, 600, 630)); /* inside */
    assert_false(schedule_overlap(600, 630, 540, 600));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_track_fields), cmocka_unit_test(test_slots),
        cmocka_unit_test(test_attendance),   cmocka_unit_test(test_week_minimum),
        cmocka_unit_test(test_billable),     cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_overlap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
