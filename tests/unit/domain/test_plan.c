/* Unit tests for domain/plan: which act each state allows, the content check naming each
 * field by its path, what blocks signing (and where), the review date and its due/overdue
 * edges, and "current on D" across a supersession. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/plan.h"

static caldate day(const char *s)
{
    caldate d = -1;
    assert_true(caldate_parse(s, &d));
    return d;
}

static void test_lifecycle(void **state)
{
    enum plan_status s;
    (void)state;
    assert_true(plan_allows(PLAN_DRAFT, PLAN_EDIT));
    assert_true(plan_allows(PLAN_DRAFT, PLAN_SIGN));
    assert_false(plan_allows(PLAN_DRAFT, PLAN_ACKNOWLEDGE));
    assert_false(plan_allows(PLAN_DRAFT, PLAN_REVIEW));
    assert_false(plan_allows(PLAN_SIGNED, PLAN_EDIT));
    assert_false(plan_allows(PLAN_SIGNED, PLAN_SIGN));
    assert_true(plan_allows(PLAN_SIGNED, PLAN_ACKNOWLEDGE));
    assert_false(plan_allows(PLAN_SIGNED, PLAN_REVIEW));
    assert_false(plan_allows(PLAN_CURRENT, PLAN_EDIT));
    assert_false(plan_allows(PLAN_CURRENT, PLAN_ACKNOWLEDGE));
    assert_true(plan_allows(PLAN_CURRENT, PLAN_REVIEW));
    for (int a = PLAN_EDIT; a <= PLAN_REVIEW; a++)
        assert_false(plan_allows(PLAN_SUPERSEDED, (enum plan_act)a));
    assert_null(plan_refusal(PLAN_DRAFT, PLAN_EDIT));
    assert_non_null(strstr(plan_refusal(PLAN_SIGNED, PLAN_EDIT), "signed"));
    assert_non_null(strstr(plan_refusal(PLAN_DRAFT, PLAN_ACKNOWLEDGE), "signed before"));
    assert_true(plan_status_parse("superseded", &s) && s == PLAN_SUPERSEDED);
    assert_false(plan_status_parse("Draft", &s));
    assert_string_equal(plan_status_name(PLAN_CURRENT), "current");
}

/* A complete plan: one problem, one goal with one objective, one intervention. */
static json_t *whole(void)
{
    return json_pack("{s:s, s:[{s:i, s:s, s:[{s:s, s:[{s:s, s:s}]}], s:[{s:s, s:s}]}]}",
                     "summary", "IOP, 3 days a week.", "problems", "asam_dimension", 5,
                     "statement", "Relapsed twice after detox.", "goals", "text",
                     "I want to stay sober for my kids.", "objectives", "text",
                     "Names 3 triggers and a coping skill for each.", "target_date",
                     "2026-04-01", "interventions", "text", "Relapse-prevention group",
                     "frequency", "3x/week");
}

static const char *field(const json_t *details, size_t i)
{
    return json_string_value(json_object_get(json_array_get(details, i), "field"));
}

static void test_check(void **state)
{
    json_t *plan = whole(), *details = json_array(), *p;
    (void)state;
    assert_int_equal(plan_check(plan, details), 0);
    p = json_array_get(json_object_get(plan, "problems"), 0);
    json_object_set_new(p, "asam_dimension", json_integer(7));
    json_object_set_new(
        json_array_get(json_object_get(json_array_get(json_object_get(p, "goals"), 0),
                                       "objectives"), 0),
        "target_date", json_string("2026-02-30"));
    json_object_set_new(json_array_get(json_object_get(p, "interventions"), 0), "frequency",
                        json_string(""));
    json_object_set_new(p, "source", json_string("hunch"));
    assert_int_equal(plan_check(plan, details), 4);
    assert_string_equal(field(details, 0), "problems[0].asam_dimension");
    assert_string_equal(field(details, 1), "problems[0].source");
    assert_string_equal(field(details, 2), "problems[0].goals[0].objectives[0].target_date");
    assert_string_equal(field(details, 3), "problems[0].interventions[0].frequency");
    json_decref(plan);
    json_decref(details);

    /* Bounds: dimension 1 and 6 pass, 0 does not; 1200 characters pass, 1201 do not. */
    plan = whole();
    details = json_array();
    p = json_array_get(json_object_get(plan, "problems"), 0);
    json_object_set_new(p, "asam_dimension", json_integer(1));
    assert_int_equal(plan_check(plan, details), 0);
    json_object_set_new(p, "asam_dimension", json_integer(6));
    assert_int_equal(plan_check(plan, details), 0);
    json_object_set_new(p, "asam_dimension", json_integer(0));
    assert_int_equal(plan_check(plan, details), 1);
    json_object_set_new(p, "asam_dimension", json_string("3"));
    assert_int_equal(plan_check(plan, details), 1);
    json_object_set_new(p, "asam_dimension", json_integer(3));
    json_array_clear(details);
    {
        char text[1202];
        memset(text, 'x', 1200);
        text[1200] = '\0';
        json_object_set_new(p, "statement", json_string(text));
        assert_int_equal(plan_check(plan, details), 0);
        text[1200] = 'x';
        text[1201] = '\0';
        json_object_set_new(p, "statement", json_string(text));
        assert_int_equal(plan_check(plan, details), 1);
        assert_string_equal(field(details, 0), "problems[0].statement");
    }
    json_array_clear(details);
    json_object_set_new(p, "statement", json_string("tab\there"));
    assert_int_equal(plan_check(plan, details), 1);
    json_object_set_new(p, "statement", json_string("two\nlines"));
    json_array_clear(details);
    assert_int_equal(plan_check(plan, details), 0);
    json_decref(plan);

    /* Not a list, too many, an empty plan (a draft may be empty). */
    plan = json_pack("{s:s}", "problems", "x");
    assert_int_equal(plan_check(plan, details), 1);
    assert_string_equal(field(details, 0), "problems");
    json_decref(plan);
    json_array_clear(details);
    plan = json_pack("{s:[]}", "problems");
    for (int i = 0; i < PLAN_MAX_PROBLEMS + 1; i++)
        json_array_append_new(json_object_get(plan, "problems"), json_object());
    assert_int_equal(plan_check(plan, details), 1);
    json_decref(plan);
    json_array_clear(details);
    plan = json_object();
    assert_int_equal(plan_check(plan, details), 0);
    json_decref(plan);
    json_decref(details);
}

static void test_blockers(void **state)
{
    struct plan_blocker b[8];
    char message[120], path[80];
    json_t *plan = whole(), *problems = json_object_get(plan, "problems"), *p;
    (void)state;
    assert_int_equal(plan_blockers(problems, b, 8), 0);

    {
        json_t *none = json_array();
        assert_int_equal(plan_blockers(none, b, 8), 1);
        json_decref(none);
    }
    assert_int_equal(b[0].kind, PLAN_NO_PROBLEM);
    plan_blocker_words(&b[0], message, sizeof(message), path, sizeof(path));
    assert_string_equal(path, "problems");

    /* A second problem with a goal that has no objective and no intervention. */
    p = json_pack("{s:i, s:s, s:[{s:s, s:[]}, {s:s}]}", "asam_dimension", 3, "statement", "x",
                  "goals", "text", "a", "objectives", "text", "b");
    json_array_append_new(problems, p);
    assert_int_equal(plan_blockers(problems, b, 8), 3);
    assert_int_equal(b[0].kind, PLAN_NO_OBJECTIVE);
    assert_int_equal(b[0].problem, 1);
    assert_int_equal(b[0].goal, 0);
    assert_int_equal(b[1].kind, PLAN_NO_OBJECTIVE);
    assert_int_equal(b[1].goal, 1);
    assert_int_equal(b[2].kind, PLAN_NO_INTERVENTION);
    plan_blocker_words(&b[1], message, sizeof(message), path, sizeof(path));
    assert_string_equal(message, "Goal 2 of problem 2 has no objective.");
    assert_string_equal(path, "problems[1].goals[1].objectives");
    plan_blocker_words(&b[2], message, sizeof(message), path, sizeof(path));
    assert_string_equal(message, "Problem 2 has no intervention.");

    /* A problem with no goal at all; room for one blocker: all are still counted. */
    json_object_del(p, "goals");
    assert_int_equal(plan_blockers(problems, b, 1), 2);
    assert_int_equal(b[0].kind, PLAN_NO_GOAL);
    plan_blocker_words(&b[0], message, sizeof(message), path, sizeof(path));
    assert_string_equal(message, "Problem 2 has no goal.");
    json_decref(plan);
}

static void test_review_dates(void **state)
{
    char out[CALDATE_TEXT];
    caldate due = plan_review_due(day("2026-01-20"), 30);
    (void)state;
    assert_string_equal(caldate_format(due, out), "2026-02-19");
    assert_string_equal(caldate_format(plan_review_due(day("2028-02-15"), 30), out),
                        "2028-03-16"); /* a leap year */
    assert_int_equal(plan_review_state(due, day("2026-02-11")), PLAN_REVIEW_LATER);
    assert_int_equal(plan_review_state(due, day("2026-02-12")), PLAN_REVIEW_DUE); /* 7 days */
    assert_int_equal(plan_review_state(due, day("2026-02-19")), PLAN_REVIEW_DUE); /* the day */
    assert_int_equal(plan_review_state(due, day("2026-02-20")), PLAN_REVIEW_OVERDUE);
}

static void test_current_on(void **state)
{
    /* v1 effective 03-02, superseded by v2 on 04-01; v2 open. */
    caldate v1 = day("2026-03-02"), v2 = day("2026-04-01");
    (void)state;
    assert_false(plan_current_on(v1, v2, day("2026-03-01")));
    assert_true(plan_current_on(v1, v2, day("2026-03-02")));
    assert_true(plan_current_on(v1, v2, day("2026-03-31")));
    assert_false(plan_current_on(v1, v2, day("2026-04-01"))); /* the day v2 took over */
    assert_true(plan_current_on(v2, CALDATE_OPEN, day("2026-04-01")));
    assert_true(plan_current_on(v2, CALDATE_OPEN, day("2027-01-01")));
    assert_false(plan_current_on(v2, CALDATE_OPEN, day("2026-03-31")));
    /* never effective (a draft or a signed version) */
    assert_false(plan_current_on(CALDATE_OPEN, CALDATE_OPEN, day("2026-04-01")));
    /* superseded the day it took effect: current on no day */
    assert_false(plan_current_on(v1, v1, v1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lifecycle),   cmocka_unit_test(test_check),
        cmocka_unit_test(test_blockers),    cmocka_unit_test(test_review_dates),
        cmocka_unit_test(test_current_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
