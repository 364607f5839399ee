/* test_referral_flow: every allowed and every refused transition, close reasons, the overdue
 * rule on both sides of 2 business hours (weekend, evening, time zone, and across both
 * daylight-saving changes of America/Chicago with TZ set) and the queue order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "domain/contact.h"
#include "domain/referral_flow.h"

#define T(iso) referral_flow_parse_utc(iso)
#define H 3600L

static void test_status_names(void **state)
{
    enum referral_status s;
    (void)state;
    for (int i = 0; i < REFERRAL_N_STATUS; i++) {
        assert_int_equal(referral_flow_status_parse(referral_flow_status_name(i), &s), E_OK);
        assert_int_equal(s, i);
        assert_non_null(referral_flow_status_label(i));
    }
    assert_int_equal(referral_flow_status_parse("open", &s), E_INVALID);
    assert_int_equal(referral_flow_status_parse(NULL, &s), E_INVALID);
    assert_null(referral_flow_status_name(REFERRAL_N_STATUS));
    assert_true(referral_flow_is_open(REFERRAL_NEW));
    assert_true(referral_flow_is_open(REFERRAL_CONTACTED));
    assert_true(referral_flow_is_open(REFERRAL_INTAKE_SCHEDULED));
    assert_false(referral_flow_is_open(REFERRAL_ADMITTED));
    assert_false(referral_flow_is_open(REFERRAL_CLOSED));
}

/* expected[from][to] for each way of asking; 1 = allowed (with a close reason when closing). */
static const int by_form[REFERRAL_N_STATUS][REFERRAL_N_STATUS] = {
    /*                       new contacted intake admitted closed */
    [REFERRAL_NEW] = {0, 1, 0, 0, 1},
    [REFERRAL_CONTACTED] = {0, 0, 1, 0, 1},
    [REFERRAL_INTAKE_SCHEDULED] = {0, 0, 0, 0, 1},
    [REFERRAL_ADMITTED] = {0, 0, 0, 0, 0},
    [REFERRAL_CLOSED] = {0, 0, 0, 0, 0},
};

static void test_every_transition(void **state)
{
    (void)state;
    for (int f = 0; f < REFERRAL_N_STATUS; f++) {
        for (int t = 0; t < REFERRAL_N_STATUS; t++) {
            const char *reason = t == REFERRAL_CLOSED ? "declined" : NULL;
            enum err want_form = by_form[f][t] ? E_OK : E_CONFLICT;
            enum err want_call = f == REFERRAL_NEW && t == REFERRAL_CONTACTED ? E_OK : E_CONFLICT;
            enum err want_intake =
                f == REFERRAL_CONTACTED && t == REFERRAL_INTAKE_SCHEDULED ? E_OK : E_CONFLICT;
            enum err want_admit =
                f == REFERRAL_INTAKE_SCHEDULED && t == REFERRAL_ADMITTED ? E_OK : E_CONFLICT;
            assert_int_equal(referral_flow_check(f, t, REFERRAL_VIA_FORM, reason), want_form);
            assert_int_equal(referral_flow_check(f, t, REFERRAL_VIA_CALL, reason), want_call);
            assert_int_equal(referral_flow_check(f, t, REFERRAL_VIA_INTAKE, reason), want_intake);
            assert_int_equal(referral_flow_check(f, t, REFERRAL_VIA_ADMIT, reason), want_admit);
        }
    }
}

static void test_admitted_only_by_admitting(void **state)
{
    (void)state;
    assert_int_equal(referral_flow_check(REFERRAL_INTAKE_SCHEDULED, REFERRAL_ADMITTED,
                                         REFERRAL_VIA_FORM, NULL), E_CONFLICT);
    assert_int_equal(referral_flow_check(REFERRAL_INTAKE_SCHEDULED, REFERRAL_ADMITTED,
                                         REFERRAL_VIA_ADMIT, NULL), E_OK);
}

static void test_close_needs_a_known_reason(void **state)
{
    static const int open[] = {REFERRAL_NEW, REFERRAL_CONTACTED, REFERRAL_INTAKE_SCHEDULED};
    (void)state;
    for (size_t i = 0; i < 3; i++) {
        for (size_t k = 0; referral_flow_close_reason(k); k++)
            assert_int_equal(referral_flow_check(open[i], REFERRAL_CLOSED, REFERRAL_VIA_FORM,
                                                 referral_flow_close_reason(k)), E_OK);
        assert_int_equal(referral_flow_check(open[i], REFERRAL_CLOSED, REFERRAL_VIA_FORM, NULL),
                         E_INVALID);
        assert_int_equal(referral_flow_check(open[i], REFERRAL_CLOSED, REFERRAL_VIA_FORM, ""),
                         E_INVALID);
        assert_int_equal(referral_flow_check(open[i], REFERRAL_CLOSED, REFERRAL_VIA_FORM,
                                             "bored"), E_INVALID);
    }
    /* a reason on a transition that is not a closing is refused too */
    assert_int_equal(referral_flow_check(REFERRAL_NEW, REFERRAL_CONTACTED, REFERRAL_VIA_FORM,
                                         "declined"), E_INVALID);
    /* closing a closed or admitted referral is refused whatever the reason */
    assert_int_equal(referral_flow_check(REFERRAL_CLOSED, REFERRAL_CLOSED, REFERRAL_VIA_FORM,
                                         "declined"), E_CONFLICT);
    assert_int_equal(referral_flow_check(REFERRAL_ADMITTED, REFERRAL_CLOSED, REFERRAL_VIA_FORM,
                                         "duplicate"), E_CONFLICT);
    assert_string_equal(referral_flow_close_reason(0), "referred-elsewhere");
    assert_non_null(referral_flow_close_reason(5));
    assert_null(referral_flow_close_reason(6));
}

static void test_next_statuses(void **state)
{
    enum referral_status out[8];
    (void)state;
    assert_int_equal(referral_flow_next(REFERRAL_NEW, out, 8), 2);
    assert_int_equal(out[0], REFERRAL_CONTACTED);
    assert_int_equal(out[1], REFERRAL_CLOSED);
    assert_int_equal(referral_flow_next(REFERRAL_CONTACTED, out, 8), 2);
    assert_int_equal(out[0], REFERRAL_INTAKE_SCHEDULED);
    assert_int_equal(referral_flow_next(REFERRAL_INTAKE_SCHEDULED, out, 8), 1);
    assert_int_equal(out[0], REFERRAL_CLOSED);
    assert_int_equal(referral_flow_next(REFERRAL_ADMITTED, out, 8), 0);
    assert_int_equal(referral_flow_next(REFERRAL_CLOSED, out, 8), 0);
}

static void test_outcomes_and_flags(void **state)
{
    (void)state;
    assert_true(referral_flow_call_outcome_ok("reached"));
    assert_true(referral_flow_call_outcome_ok("voicemail"));
    assert_true(referral_flow_call_outcome_ok("no-answer"));
    assert_true(referral_flow_call_outcome_ok("wrong-number"));
    assert_false(referral_flow_call_outcome_ok("busy"));
    assert_false(referral_flow_call_outcome_ok(NULL));
    assert_non_null(referral_flow_call_outcome(7));
    assert_null(referral_flow_call_outcome(8));
    assert_true(referral_flow_flag_is_crisis("suicide-acute"));
    assert_true(referral_flow_flag_is_crisis("suicide-risk"));
    assert_true(referral_flow_flag_is_crisis("withdrawal-danger"));
    assert_false(referral_flow_flag_is_crisis("overdose-risk"));
    assert_false(referral_flow_flag_is_crisis("pregnancy"));
    assert_false(referral_flow_flag_is_crisis(NULL));
    assert_string_equal(referral_flow_flag_label("made-up"), "made-up");
}

/* Issue 7: a crisis call ends in a hand-off, and so may the referral. */
static void test_crisis_outcomes_and_reasons(void **state)
{
    static const char *const handoffs[] = {"handed-to-988", "emergency-services",
                                           "referred-elsewhere"};
    (void)state;
    for (size_t i = 0; i < 3; i++) {
        assert_true(referral_flow_call_outcome_ok(handoffs[i]));
        assert_true(referral_flow_call_outcome_reached(handoffs[i]));
        assert_true(referral_flow_close_reason_ok(handoffs[i]));
        assert_int_equal(referral_flow_check(REFERRAL_NEW, REFERRAL_CLOSED, REFERRAL_VIA_FORM,
                                             handoffs[i]), E_OK);
    }
    assert_string_equal(referral_flow_call_outcome_label("handed-to-988"),
                        "Reached: handed to 988 (warm hand-off)");
    assert_string_equal(referral_flow_close_reason_label("emergency-services"),
                        "Sent to emergency services (911)");
    /* reached or not: only a person on the line makes a referral contacted */
    assert_true(referral_flow_call_outcome_reached("reached"));
    assert_false(referral_flow_call_outcome_reached("voicemail"));
    assert_false(referral_flow_call_outcome_reached("no-answer"));
    assert_false(referral_flow_call_outcome_reached("wrong-number"));
    assert_true(referral_flow_call_outcome_ok("welfare-check"));
    assert_false(referral_flow_call_outcome_reached("welfare-check"));
    assert_false(referral_flow_call_outcome_reached("busy"));
    assert_false(referral_flow_call_outcome_reached(NULL));
    /* a welfare check is a call's outcome, not a reason to close */
    assert_false(referral_flow_close_reason_ok("welfare-check"));
    assert_false(referral_flow_close_reason_ok("handed-to-911"));
}

static void test_urgent_answers(void **state)
{
    (void)state;
    assert_true(referral_flow_answer_urgent("asq-5", "true"));
    assert_false(referral_flow_answer_urgent("asq-5", "false"));
    assert_true(referral_flow_answer_urgent("wd-now", "true"));
    assert_false(referral_flow_answer_urgent("wd-now", "false"));
    assert_true(referral_flow_answer_urgent("wd-symptoms", "severe"));
    assert_false(referral_flow_answer_urgent("wd-symptoms", "mild"));
    assert_false(referral_flow_answer_urgent("wd-symptoms", "none"));
    assert_true(referral_flow_answer_urgent("wd-complicated", "true"));
    assert_true(referral_flow_answer_urgent("med-overdose", "true"));
    assert_false(referral_flow_answer_urgent("asq-1", "true")); /* the summary shows it, plainly */
    assert_false(referral_flow_answer_urgent(NULL, "true"));
    assert_false(referral_flow_answer_urgent("asq-5", NULL));
}

/* The intake appointment: from today to a year ahead, a real date and a real time. */
static void test_intake_time(void **state)
{
    (void)state;
    assert_null(referral_flow_intake_date_problem("2026-03-04", "2026-03-04"));
    assert_non_null(referral_flow_intake_date_problem("2026-03-03", "2026-03-04"));
    assert_null(referral_flow_intake_date_problem("2027-03-04", "2026-03-04")); /* 365 days */
    assert_non_null(referral_flow_intake_date_problem("2027-03-05", "2026-03-04"));
    assert_non_null(referral_flow_intake_date_problem("2026-02-30", "2026-02-01"));
    assert_non_null(referral_flow_intake_date_problem("next week", "2026-03-04"));
    assert_string_equal(referral_flow_intake_date_problem("", "2026-03-04"),
                        "Please give the date of the intake.");
    assert_non_null(referral_flow_intake_date_problem(NULL, "2026-03-04"));
    assert_null(referral_flow_intake_time_problem("00:00"));
    assert_null(referral_flow_intake_time_problem("23:59"));
    assert_non_null(referral_flow_intake_time_problem("24:00"));
    assert_non_null(referral_flow_intake_time_problem("09:60"));
    assert_non_null(referral_flow_intake_time_problem("9:30"));
    assert_non_null(referral_flow_intake_time_problem("09:30:00"));
    assert_non_null(referral_flow_intake_time_problem("ab:cd"));
    assert_string_equal(referral_flow_intake_time_problem(""),
                        "Please give the time of the intake.");
    assert_non_null(referral_flow_intake_time_problem(NULL));
}

static void test_parse_time_and_dates(void **state)
{
    (void)state;
    assert_int_equal(T("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(T("2024-03-04T09:00:00Z"), 1709542800L);
    assert_int_equal(T("2024-03-04T09:00:00"), -1);
    assert_int_equal(T("2024-13-04T09:00:00Z"), -1);
    assert_int_equal(T("2024-02-30T09:00:00Z"), -1);
    assert_int_equal(T(NULL), -1);
    assert_true(contact_date_ok("2024-02-29"));
    assert_false(contact_date_ok("2023-02-29"));
    assert_false(contact_date_ok("2023-2-28"));
    assert_false(contact_date_ok("2023-02-28x"));
    assert_false(contact_date_ok(""));
}

/* 2024-03-04 is a Monday; 2024-03-08 a Friday. UTC unless an offset is given. */
static void test_business_seconds(void **state)
{
    (void)state;
    assert_int_equal(referral_flow_business_seconds(T("2024-03-04T09:00:00Z"),
                                                    T("2024-03-04T17:00:00Z"), 0), 8 * H);
    assert_int_equal(referral_flow_business_seconds(T("2024-03-04T06:00:00Z"),
                                                    T("2024-03-04T20:00:00Z"), 0), 8 * H);
    /* a whole week is 40 business hours */
    assert_int_equal(referral_flow_business_seconds(T("2024-03-04T00:00:00Z"),
                                                    T("2024-03-11T00:00:00Z"), 0), 40 * H);
    /* a weekend has none */
    assert_int_equal(referral_flow_business_seconds(T("2024-03-09T00:00:00Z"),
                                                    T("2024-03-11T00:00:00Z"), 0), 0);
    assert_int_equal(referral_flow_business_seconds(T("2024-03-05T00:00:00Z"),
                                                    T("2024-03-04T00:00:00Z"), 0), 0);
    /* 14:00 UTC is 09:00 at UTC-5: the clinic has just opened */
    assert_int_equal(referral_flow_business_seconds(T("2024-03-04T13:00:00Z"),
                                                    T("2024-03-04T15:00:00Z"), -300), 1 * H);
}

static bool overdue(const char *created, const char *now, int offset)
{
    return referral_flow_overdue(T(created), -1, T(now), offset, 2);
}

static void test_overdue_within_a_day(void **state)
{
    (void)state;
    assert_false(overdue("2024-03-04T10:00:00Z", "2024-03-04T11:59:59Z", 0));
    assert_false(overdue("2024-03-04T10:00:00Z", "2024-03-04T12:00:00Z", 0)); /* exactly 2 h */
    assert_true(overdue("2024-03-04T10:00:00Z", "2024-03-04T12:00:01Z", 0));
    /* a call stops the clock */
    assert_false(referral_flow_overdue(T("2024-03-04T10:00:00Z"), T("2024-03-04T10:30:00Z"),
                                       T("2024-03-05T10:00:00Z"), 0, 2));
    /* a configured N */
    assert_false(referral_flow_overdue(T("2024-03-04T10:00:00Z"), -1, T("2024-03-04T13:00:00Z"),
                                       0, 4));
    assert_true(referral_flow_overdue(T("2024-03-04T10:00:00Z"), -1, T("2024-03-04T14:00:01Z"),
                                      0, 4));
}

static void test_overdue_outside_business_hours(void **state)
{
    (void)state;
    /* sent at 22:00 on Monday: the clock starts at 09:00 on Tuesday */
    assert_false(overdue("2024-03-04T22:00:00Z", "2024-03-05T08:59:00Z", 0));
    assert_false(overdue("2024-03-04T22:00:00Z", "2024-03-05T11:00:00Z", 0));
    assert_true(overdue("2024-03-04T22:00:00Z", "2024-03-05T11:00:01Z", 0));
    /* sent at 16:00: one hour that day, one the next morning */
    assert_false(overdue("2024-03-04T16:00:00Z", "2024-03-05T10:00:00Z", 0));
    assert_true(overdue("2024-03-04T16:00:00Z", "2024-03-05T10:00:01Z", 0));
    /* sent at 07:00 */
    assert_false(overdue("2024-03-04T07:00:00Z", "2024-03-04T11:00:00Z", 0));
    assert_true(overdue("2024-03-04T07:00:00Z", "2024-03-04T11:00:01Z", 0));
}

static void test_overdue_across_a_weekend(void **state)
{
    (void)state;
    /* Friday 16:00: one hour on Friday, none on the weekend, the second on Monday by 10:00 */
    assert_false(overdue("2024-03-08T16:00:00Z", "2024-03-10T23:00:00Z", 0));
    assert_false(overdue("2024-03-08T16:00:00Z", "2024-03-11T10:00:00Z", 0));
    assert_true(overdue("2024-03-08T16:00:00Z", "2024-03-11T10:00:01Z", 0));
    /* sent on Saturday: due at 11:00 on Monday */
    assert_false(overdue("2024-03-09T12:00:00Z", "2024-03-11T11:00:00Z", 0));
    assert_true(overdue("2024-03-09T12:00:00Z", "2024-03-11T11:00:01Z", 0));
}

static void test_overdue_in_the_clinic_zone(void **state)
{
    (void)state;
    /* UTC-5: sent 13:00 UTC = 08:00 local, due 11:00 local = 16:00 UTC */
    assert_false(overdue("2024-03-04T13:00:00Z", "2024-03-04T16:00:00Z", -300));
    assert_true(overdue("2024-03-04T13:00:00Z", "2024-03-04T16:00:01Z", -300));
    /* In UTC the same instants give 3 business hours by 16:00 */
    assert_true(overdue("2024-03-04T13:00:00Z", "2024-03-04T16:00:00Z", 0));
    /* Friday 21:00 UTC is Saturday 06:00 at UTC+9: nothing until Monday 09:00 local */
    assert_false(overdue("2024-03-08T21:00:00Z", "2024-03-11T01:00:00Z", 540));
    assert_true(overdue("2024-03-08T21:00:00Z", "2024-03-11T02:00:01Z", 540));
}

/* The clinic's wall clock as the server has it: TZ names the zone, localtime_r / mktime follow. */
static const struct referral_flow_clock clock_tz = {localtime_r, mktime};

static void in_zone(const char *zone)
{
    setenv("TZ", zone, 1);
    tzset();
}

static bool overdue_tz(const char *created, const char *now)
{
    return referral_flow_overdue_local(T(created), -1, T(now), &clock_tz, 2);
}

/* An intake at 10:00 on the clinic's wall clock, on either side of a daylight-saving change. */
static void test_local_instant(void **state)
{
    (void)state;
    in_zone("America/Chicago");
    assert_int_equal(referral_flow_local_instant("2026-03-06", "10:00", &clock_tz),
                     T("2026-03-06T16:00:00Z")); /* CST, UTC-6 */
    assert_int_equal(referral_flow_local_instant("2026-03-09", "10:00", &clock_tz),
                     T("2026-03-09T15:00:00Z")); /* CDT, UTC-5 */
    assert_int_equal(referral_flow_local_instant("2026-03-09", "25:00", &clock_tz), -1);
    assert_int_equal(referral_flow_local_instant("2026-13-09", "10:00", &clock_tz), -1);
    in_zone("UTC");
    assert_int_equal(referral_flow_local_instant("2026-03-09", "10:00", &clock_tz),
                     T("2026-03-09T10:00:00Z"));
}

/* America/Chicago springs forward on Sunday 2026-03-08 (CST UTC-6 -> CDT UTC-5). */
static void test_overdue_across_spring_forward(void **state)
{
    (void)state;
    in_zone("America/Chicago");
    /* Friday 16:00 CST (22:00Z): one business hour on Friday; Monday opens 09:00 CDT = 14:00Z,
     * so the second hour ends 10:00 CDT = 15:00Z. */
    assert_false(overdue_tz("2026-03-06T22:00:00Z", "2026-03-09T15:00:00Z"));
    assert_true(overdue_tz("2026-03-06T22:00:00Z", "2026-03-09T15:00:01Z"));
    /* A fixed offset (the winter one) would be an hour late. */
    assert_false(referral_flow_overdue(T("2026-03-06T22:00:00Z"), -1, T("2026-03-09T15:00:01Z"),
                                       -360, 2));
    /* The week around the change still has 40 business hours. */
    assert_int_equal(referral_flow_business_seconds_local(T("2026-03-02T06:00:00Z"),
                                                          T("2026-03-09T05:00:00Z"), &clock_tz, 0),
                     40 * H);
    /* Monday after the change: 09:00-17:00 CDT is 14:00Z-22:00Z. */
    assert_int_equal(referral_flow_business_seconds_local(T("2026-03-09T13:00:00Z"),
                                                          T("2026-03-09T23:00:00Z"), &clock_tz, 0),
                     8 * H);
    assert_int_equal(referral_flow_business_seconds_local(T("2026-03-09T13:00:00Z"),
                                                          T("2026-03-09T15:00:00Z"), &clock_tz, 0),
                     1 * H);
    in_zone("UTC");
}

/* America/Chicago falls back on Sunday 2026-11-01 (CDT UTC-5 -> CST UTC-6). */
static void test_overdue_across_fall_back(void **state)
{
    (void)state;
    in_zone("America/Chicago");
    /* Friday 16:00 CDT (21:00Z); Monday opens 09:00 CST = 15:00Z: due at 16:00Z. */
    assert_false(overdue_tz("2026-10-30T21:00:00Z", "2026-11-02T16:00:00Z"));
    assert_true(overdue_tz("2026-10-30T21:00:00Z", "2026-11-02T16:00:01Z"));
    /* The summer offset would call it an hour early. */
    assert_true(referral_flow_overdue(T("2026-10-30T21:00:00Z"), -1, T("2026-11-02T15:00:01Z"),
                                      -300, 2));
    assert_false(overdue_tz("2026-10-30T21:00:00Z", "2026-11-02T15:00:01Z"));
    /* Sent during the repeated hour (01:30 CST on the Sunday): nothing until Monday 09:00. */
    assert_false(overdue_tz("2026-11-01T07:30:00Z", "2026-11-02T17:00:00Z"));
    assert_true(overdue_tz("2026-11-01T07:30:00Z", "2026-11-02T17:00:01Z"));
    /* A call stops the clock; an old referral is overdue, and counting stops at the cap. */
    assert_false(referral_flow_overdue_local(T("2026-10-30T21:00:00Z"), T("2026-10-30T21:30:00Z"),
                                             T("2026-11-02T23:00:00Z"), &clock_tz, 2));
    assert_true(overdue_tz("2016-01-04T15:00:00Z", "2026-11-02T16:00:01Z"));
    assert_true(referral_flow_business_seconds_local(T("2016-01-04T15:00:00Z"),
                                                     T("2026-11-02T16:00:01Z"), &clock_tz,
                                                     2 * H) <= 2 * H + 8 * H);
    in_zone("UTC");
}

/* The same rule in UTC agrees with the fixed-offset one. */
static void test_overdue_local_matches_fixed_in_utc(void **state)
{
    (void)state;
    in_zone("UTC");
    assert_int_equal(referral_flow_business_seconds_local(T("2024-03-04T00:00:00Z"),
                                                          T("2024-03-11T00:00:00Z"), &clock_tz, 0),
                     40 * H);
    assert_false(overdue_tz("2024-03-08T16:00:00Z", "2024-03-11T10:00:00Z"));
    assert_true(overdue_tz("2024-03-08T16:00:00Z", "2024-03-11T10:00:01Z"));
    assert_false(overdue_tz("2024-03-04T22:00:00Z", "2024-03-05T11:00:00Z"));
    assert_true(overdue_tz("2024-03-04T22:00:00Z", "2024-03-05T11:00:01Z"));
}

static int cmp(const void *a, const void *b)
{
    return referral_flow_queue_cmp(a, b);
}

static void test_queue_order(void **state)
{
    struct referral_flow_rank q[] = {
        {.crisis = false, .overdue = false, .created = 100}, /* 0 */
        {.crisis = false, .overdue = true, .created = 300},  /* 1 */
        {.crisis = true, .overdue = false, .created = 500},  /* 2 */
        {.crisis = false, .overdue = false, .created = 50},  /* 3 */
        {.crisis = true, .overdue = true, .created = 400},   /* 4 */
        {.crisis = false, .overdue = true, .created = 200},  /* 5 */
        {.crisis = true, .overdue = false, .created = 450},  /* 6 */
    };
    static const time_t want[] = {400, 450, 500, 200, 300, 50, 100};
    (void)state;
    qsort(q, sizeof(q) / sizeof(q[0]), sizeof(q[0]), cmp);
    for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
        assert_int_equal(q[i].created, want[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_every_transition),
        cmocka_unit_test(test_admitted_only_by_admitting),
        cmocka_unit_test(test_close_needs_a_known_reason),
        cmocka_unit_test(test_next_statuses),
        cmocka_unit_test(test_outcomes_and_flags),
        cmocka_unit_test(test_crisis_outcomes_and_reasons),
        cmocka_unit_test(test_urgent_answers),
        cmocka_unit_test(test_intake_time),
        cmocka_unit_test(test_local_instant),
        cmocka_unit_test(test_parse_time_and_dates),
        cmocka_unit_test(test_business_seconds),
        cmocka_unit_test(test_overdue_within_a_day),
        cmocka_unit_test(test_overdue_outside_business_hours),
        cmocka_unit_test(test_overdue_across_a_weekend),
        cmocka_unit_test(test_overdue_in_the_clinic_zone),
        cmocka_unit_test(test_overdue_across_spring_forward),
        cmocka_unit_test(test_overdue_across_fall_back),
        cmocka_unit_test(test_overdue_local_matches_fixed_in_utc),
        cmocka_unit_test(test_queue_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
