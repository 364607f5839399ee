/* test_explain: the person's voice (assess_explain, LOC_VOICE_PERSON). The numbers, ratings,
 * flags and level are the API's for every answer set tried; only the reasons differ: plain
 * words without instrument names or zones, "You did not answer ..." where the API would state
 * a no-risk default, and withdrawal right now among the level's reasons. Also the API voice's
 * own additions: withdrawal right now on every dimension-1 line where it is true. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "assess_helpers.h"
#include "domain/messages.h"

/* Explains `answers` (borrowed), expects success. */
static json_t *explain_ok(const json_t *answers)
{
    json_t *result = NULL, *details = json_array();

    assert_int_equal(assess_explain(answers, &result, details), E_OK);
    json_decref(details);
    return result;
}

/* Every reason of the result (dimensions and recommendation) into one array (new). */
static json_t *all_reasons(json_t *r)
{
    json_t *out = json_array(), *d;
    size_t i;

    json_array_foreach(at(r, "dimensions"), i, d)
        json_array_extend(out, json_object_get(d, "reasons"));
    json_array_extend(out, at(r, "recommendation.reasons"));
    return out;
}

static int any_contains(json_t *list, const char *part)
{
    size_t i;
    json_t *v;

    json_array_foreach(list, i, v)
        if (strstr(json_string_value(v), part))
            return 1;
    return 0;
}

/* The answer sets compared between the voices. */
static json_t *answer_sets(void)
{
    json_t *list = json_array(), *a;

    json_array_append_new(list, json_object());
    a = json_object();
    audit_total(a, 23);
    assist_none(a);
    assist_use(a, "opioids", 6, 5, 6, 5, 6, 3);
    phq9_total(a, 21, 1);
    gad7_total(a, 16);
    asq(a, 1, 0, 0, 0, 0);
    sets(a, "wd-symptoms", "mild");
    json_array_append_new(list, a);
    a = parse("{\"wd-now\":true,\"wd-complicated\":true}");
    json_array_append_new(list, a);
    a = parse("{\"env-safe\":false,\"ready\":2,\"relapse\":true,\"craving\":9}");
    audit_total(a, 9);
    json_array_append_new(list, a);
    a = parse("{\"wd-daily\":[\"opioids\"],\"wd-now\":true,\"wd-symptoms\":\"mild\"}");
    assist_none(a);
    assist_use(a, "opioids", 6, 6, 7, 8, 6, 6);
    json_array_append_new(list, a);
    a = json_object();
    asq(a, 1, 0, 0, 0, 1);
    json_array_append_new(list, a);
    return list;
}

static void test_same_numbers_both_voices(void **state)
{
    json_t *sets = answer_sets(), *a;
    size_t i;
    (void)state;

    json_array_foreach(sets, i, a) {
        json_t *api = score_ok(json_deep_copy(a)), *mine = explain_ok(a);
        for (int d = 1; d <= 6; d++)
            assert_int_equal(dim(api, d), dim(mine, d));
        assert_true(json_equal(at(api, "instruments"), at(mine, "instruments")));
        assert_true(json_equal(at(api, "flags"), at(mine, "flags")));
        assert_true(json_equal(at(api, "missing"), at(mine, "missing")));
        assert_string_equal(gets_at(api, "severity"), gets_at(mine, "severity"));
        assert_string_equal(level(api), level(mine));
        assert_true(json_equal(at(api, "recommendation.asam"), at(mine, "recommendation.asam")));
        json_decref(api);
        json_decref(mine);
    }
    json_decref(sets);
}

static void test_plain_words(void **state)
{
    json_t *sets = answer_sets(), *a;
    static const char *const jargon[] = {"AUDIT", "ASSIST", "ASQ", "PHQ", "GAD", "zone",
                                         "ASAM"};
    size_t i;
    (void)state;

    json_array_foreach(sets, i, a) {
        json_t *r = explain_ok(a), *why = all_reasons(r);
        for (size_t k = 0; k < sizeof(jargon) / sizeof(jargon[0]); k++)
            if (any_contains(why, jargon[k]))
                fail_msg("answer set %zu: a reason says %s", i, jargon[k]);
        json_decref(why);
        json_decref(r);
    }
    json_decref(sets);
}

static void test_scores_in_plain_words(void **state)
{
    json_t *a = json_object(), *r;
    (void)state;

    audit_total(a, 23);
    r = explain_ok(a);
    assert_string_equal(gets_at(r, "recommendation.reasons.0"),
                        "Drinking: possible dependence (a score of 23 out of 40)");
    json_decref(r);
    json_decref(a);
    a = json_object();
    assist_none(a);
    assist_use(a, "opioids", 6, 6, 7, 8, 6, 6);
    r = explain_ok(a);
    assert_string_equal(gets_at(r, "recommendation.reasons.0"),
                        "Opioids: high risk (a score of 39 out of 39)");
    json_decref(r);
    /* The API keeps the spec's example form. */
    r = score_ok(a);
    assert_string_equal(gets_at(r, "recommendation.reasons.0"),
                        "Opioids: ASSIST score 39, high risk");
    json_decref(r);
}

static void test_nothing_answered_says_so(void **state)
{
    json_t *a = json_object(), *r = explain_ok(a), *why = all_reasons(r);
    (void)state;

    assert_false(any_contains(why, "good support"));
    assert_false(any_contains(why, "10 out of 10"));
    assert_false(any_contains(why, "reported"));
    assert_false(any_contains(why, "No alcohol or drug use"));
    assert_string_equal(gets_at(r, "dimensions.0.reasons.0"),
                        "You did not answer the questions about withdrawal");
    assert_string_equal(gets_at(r, "dimensions.3.reasons.0"),
                        "You did not answer how ready you feel to make a change");
    assert_string_equal(gets_at(r, "dimensions.5.reasons.0"),
                        "You did not answer the questions about your home and the people "
                        "around you");
    assert_string_equal(gets_at(r, "recommendation.reasons.0"),
                        "You did not answer the questions about alcohol or other drugs");
    json_decref(why);
    json_decref(r);
    /* The API still states the defaults, and lists them in missing (spec §2). */
    r = score_ok(a);
    assert_string_equal(gets_at(r, "dimensions.5.reasons.0"), msg("reason.env-ok"));
    assert_true(array_has(at(r, "missing"), "env-safe"));
    json_decref(r);
}

static void test_some_missing_named(void **state)
{
    json_t *a = parse("{\"env-housing\":\"stable\",\"env-safe\":true,\"env-home-use\":false}"),
           *r = explain_ok(a);
    (void)state;

    assert_int_equal(dim(r, 6), 0);
    assert_int_equal(json_array_size(at(r, "dimensions.5.reasons")), 1);
    assert_string_equal(gets_at(r, "dimensions.5.reasons.0"),
                        "You did not answer who supports your recovery");
    json_decref(r);
    json_decref(a);
    /* Rated 2 by an answer, below the top: the missing answers that might raise it are named. */
    a = parse("{\"env-support\":\"none\",\"env-housing\":\"stable\"}");
    r = explain_ok(a);
    assert_int_equal(dim(r, 6), 2);
    assert_string_equal(gets_at(r, "dimensions.5.reasons.0"), msg("reason.env-no-support"));
    assert_string_equal(gets_at(r, "dimensions.5.reasons.1"),
                        "You did not answer whether you feel safe where you live or whether "
                        "someone you live with drinks or uses drugs heavily");
    json_decref(r);
    json_decref(a);
    /* At the top rating nothing missing could raise it: no note. */
    a = parse("{\"env-safe\":false}");
    r = explain_ok(a);
    assert_int_equal(dim(r, 6), 4);
    assert_int_equal(json_array_size(at(r, "dimensions.5.reasons")), 1);
    json_decref(r);
    json_decref(a);
}

static void test_use_part_missing(void **state)
{
    json_t *a = json_object(), *r;
    (void)state;

    audit_total(a, 3); /* low, drugs not answered */
    r = explain_ok(a);
    assert_string_equal(level(r), "early-intervention");
    assert_true(array_has(at(r, "recommendation.reasons"),
                          "You did not answer the questions about other drugs"));
    json_decref(r);
    json_decref(a);
    a = json_object();
    audit_total(a, 0);
    r = explain_ok(a);
    assert_string_equal(gets_at(r, "recommendation.reasons.0"), msg("reason.no-use"));
    assert_string_equal(gets_at(r, "recommendation.reasons.1"),
                        "You did not answer the questions about other drugs");
    json_decref(r);
    json_decref(a);
}

static void test_wd_now_named(void **state)
{
    json_t *a = parse("{\"wd-daily\":[\"opioids\"],\"wd-now\":true,\"wd-symptoms\":\"mild\"}"),
           *r;
    (void)state;

    assist_none(a);
    assist_use(a, "opioids", 6, 6, 7, 8, 6, 6);
    /* API: in dimension 1 (rated 2: mild and daily opioids), not among the level's reasons. */
    r = score_ok(json_deep_copy(a));
    assert_int_equal(dim(r, 1), 2);
    assert_true(array_has(at(r, "dimensions.0.reasons"), msg("reason.wd-now")));
    assert_false(array_has(at(r, "recommendation.reasons"), msg("reason.wd-now")));
    json_decref(r);
    /* The person reads it among the reasons for the level too. */
    r = explain_ok(a);
    assert_string_equal(level(r), "iop");
    assert_true(array_has(at(r, "recommendation.reasons"), msg("reason.wd-now")));
    json_decref(r);
    json_decref(a);
    /* Line 1 and line 0 name it too; line 0 no longer says "no withdrawal symptoms". */
    r = score_ok(parse("{\"wd-symptoms\":\"mild\",\"wd-now\":true}"));
    assert_int_equal(dim(r, 1), 1);
    assert_true(array_has(at(r, "dimensions.0.reasons"), msg("reason.wd-now")));
    json_decref(r);
    r = score_ok(parse("{\"wd-now\":true}"));
    assert_int_equal(dim(r, 1), 0);
    assert_true(array_has(at(r, "dimensions.0.reasons"), msg("reason.wd-now")));
    assert_false(array_has(at(r, "dimensions.0.reasons"), msg("reason.wd-none")));
    json_decref(r);
    r = score_ok(parse("{\"wd-complicated\":true}"));
    assert_true(array_has(at(r, "dimensions.0.reasons"), msg("reason.wd-complicated")));
    assert_false(array_has(at(r, "dimensions.0.reasons"), msg("reason.wd-none")));
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_numbers_both_voices),
        cmocka_unit_test(test_plain_words),
        cmocka_unit_test(test_scores_in_plain_words),
        cmocka_unit_test(test_nothing_answered_says_so),
        cmocka_unit_test(test_some_missing_named),
        cmocka_unit_test(test_use_part_missing),
        cmocka_unit_test(test_wd_now_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
