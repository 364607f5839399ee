/* test_assess_validate: what assess_score rejects and how it says so (spec §7 422 details):
 * unknown ids, wrong JSON types, values outside the allowed set, partly answered instruments
 * with every missing required item listed, all problems collected in table order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "assess_helpers.h"

static void expect_one(const char *answers, const char *id, const char *message)
{
    json_t *d = score_bad(parse(answers));
    if (json_array_size(d) != 1 || !has_detail(d, id, message)) {
        char *s = json_dumps(d, 0);
        fail_msg("%s -> %s", answers, s);
    }
    json_decref(d);
}

static void test_not_an_object(void **state)
{
    json_t *result = NULL, *details = json_array(), *a = parse("[1]");
    (void)state;
    assert_int_equal(assess_score(a, &result, details), E_INVALID);
    assert_null(result);
    assert_int_equal(json_array_size(details), 1);
    assert_true(has_detail(details, "answers", "must be a JSON object"));
    json_decref(a);
    json_decref(details);
}

static void test_unknown_item(void **state)
{
    (void)state;
    expect_one("{\"audit-11\":0}", "audit-11", "unknown item");
    expect_one("{\"assist-1-tobacco\":true}", "assist-1-tobacco", "unknown item");
    expect_one("{\"\":1}", "", "unknown item");
    expect_one("{\"AUDIT-1\":0}", "AUDIT-1", "unknown item");
}

static void test_scored_wrong_type(void **state)
{
    (void)state;
    expect_one("{\"phq9-1\":\"1\",\"phq9-2\":0,\"phq9-3\":0,\"phq9-4\":0,\"phq9-5\":0,"
               "\"phq9-6\":0,\"phq9-7\":0,\"phq9-8\":0,\"phq9-9\":0}",
               "phq9-1", "must be one of: 0, 1, 2, 3");
    expect_one("{\"gad7-1\":1.0,\"gad7-2\":0,\"gad7-3\":0,\"gad7-4\":0,\"gad7-5\":0,"
               "\"gad7-6\":0,\"gad7-7\":0}",
               "gad7-1", "must be one of: 0, 1, 2, 3");
    expect_one("{\"audit-1\":true,\"audit-9\":0,\"audit-10\":0}", "audit-1",
               "must be one of: 0, 1, 2, 3, 4");
    expect_one("{\"audit-1\":null,\"audit-9\":0,\"audit-10\":0}", "audit-1",
               "must be one of: 0, 1, 2, 3, 4");
}

static void test_scored_outside_set(void **state)
{
    (void)state;
    expect_one("{\"audit-1\":0,\"audit-9\":1,\"audit-10\":0}", "audit-9",
               "must be one of: 0, 2, 4");
    expect_one("{\"audit-1\":0,\"audit-9\":0,\"audit-10\":3}", "audit-10",
               "must be one of: 0, 2, 4");
    expect_one("{\"audit-1\":5,\"audit-9\":0,\"audit-10\":0}", "audit-1",
               "must be one of: 0, 1, 2, 3, 4");
    expect_one("{\"audit-1\":-1,\"audit-9\":0,\"audit-10\":0}", "audit-1",
               "must be one of: 0, 1, 2, 3, 4");
    expect_one("{\"asq-1\":false,\"asq-2\":false,\"asq-3\":false,\"asq-4\":0}", "asq-4",
               "must be true or false");
}

static void test_scale(void **state)
{
    json_t *r;
    (void)state;
    expect_one("{\"ready\":11}", "ready", "must be a whole number from 0 to 10");
    expect_one("{\"ready\":-1}", "ready", "must be a whole number from 0 to 10");
    expect_one("{\"craving\":\"5\"}", "craving", "must be a whole number from 0 to 10");
    expect_one("{\"craving\":5.5}", "craving", "must be a whole number from 0 to 10");
    r = score_ok(parse("{\"ready\":0,\"craving\":10}"));
    assert_int_equal(dim(r, 4), 2);
    assert_int_equal(dim(r, 5), 2);
    json_decref(r);
}

static void test_bool(void **state)
{
    (void)state;
    expect_one("{\"wd-now\":\"true\"}", "wd-now", "must be true or false");
    expect_one("{\"env-safe\":1}", "env-safe", "must be true or false");
    expect_one("{\"pref-telehealth\":null}", "pref-telehealth", "must be true or false");
}

static void test_code(void **state)
{
    (void)state;
    expect_one("{\"about-sex\":\"man\"}", "about-sex",
               "must be one of: female, male, other, prefer-not");
    expect_one("{\"about-age\":17}", "about-age",
               "must be one of: under-18, 18-25, 26-34, 35-49, 50-64, 65-plus");
    expect_one("{\"env-housing\":[\"stable\"]}", "env-housing",
               "must be one of: stable, unstable, none");
    expect_one("{\"wd-symptoms\":\"Mild\"}", "wd-symptoms", "must be one of: none, mild, severe");
}

static void test_code_with_nul_rejected(void **state)
{
    json_t *a = json_object(), *d;
    (void)state;
    json_object_set_new(a, "env-support", json_stringn("some\0x", 6));
    d = score_bad(a);
    assert_true(has_detail(d, "env-support", "must be one of: strong, some, none"));
    json_decref(d);
}

static void test_codes(void **state)
{
    json_t *r;
    (void)state;
    expect_one("{\"wd-daily\":\"alcohol\"}", "wd-daily",
               "must be a list of distinct values from: alcohol, sedatives, opioids");
    expect_one("{\"wd-daily\":[\"alcohol\",\"alcohol\"]}", "wd-daily",
               "must be a list of distinct values from");
    expect_one("{\"wd-daily\":[\"cannabis\"]}", "wd-daily",
               "must be a list of distinct values from");
    expect_one("{\"wd-daily\":[1]}", "wd-daily", "must be a list of distinct values from");
    expect_one("{\"env-obligations\":[\"work\",\"school\",\"children\",\"caregiving\",\"work\"]}",
               "env-obligations", "must be a list of distinct values from");
    r = score_ok(parse("{\"wd-daily\":[],\"env-obligations\":[\"work\",\"school\","
                       "\"children\",\"caregiving\"]}"));
    assert_false(array_has(at(r, "missing"), "wd-daily"));
    assert_false(array_has(at(r, "missing"), "env-obligations"));
    json_decref(r);
}

static void test_partly_answered_audit(void **state)
{
    /* audit-1 answered (not "never"): 2, 3, 9, 10 are asked and missing; 4-8 wait on 2/3. */
    json_t *d = score_bad(parse("{\"audit-1\":2}"));
    (void)state;
    assert_int_equal(json_array_size(d), 4);
    assert_string_equal(gets_at(d, "0.item"), "audit-2");
    assert_string_equal(gets_at(d, "1.item"), "audit-3");
    assert_string_equal(gets_at(d, "2.item"), "audit-9");
    assert_string_equal(gets_at(d, "3.item"), "audit-10");
    assert_string_equal(gets_at(d, "0.message"), "required");
    json_decref(d);
}

static void test_partly_answered_phq9_lists_each(void **state)
{
    json_t *d = score_bad(parse("{\"phq9-1\":1,\"phq9-5\":2}"));
    (void)state;
    assert_int_equal(json_array_size(d), 7);
    assert_true(has_detail(d, "phq9-2", "required"));
    assert_true(has_detail(d, "phq9-9", "required"));
    assert_false(has_detail(d, "phq9-1", "required"));
    assert_false(has_detail(d, "phq9-5", "required"));
    json_decref(d);
    d = score_bad(parse("{\"gad7-7\":0}"));
    assert_int_equal(json_array_size(d), 6);
    json_decref(d);
    d = score_bad(parse("{\"asq-2\":false}"));
    assert_int_equal(json_array_size(d), 3);
    json_decref(d);
}

static void test_any_assist_item_requires_all_eight_q1(void **state)
{
    json_t *d = score_bad(parse("{\"assist-1-opioids\":true}"));
    int s;
    (void)state;
    /* seven other Q1s, then the opioid Q2, Q6, Q7 (Q3-5 wait on Q2), then assist-8 */
    assert_int_equal(json_array_size(d), 7 + 3 + 1);
    for (s = 0; s < INSTRUMENTS_N_SUBSTANCES; s++) {
        char id[64];
        snprintf(id, sizeof(id), "assist-1-%s", instruments_substance(s));
        assert_int_equal(has_detail(d, id, "required"), strcmp(id, "assist-1-opioids") != 0);
    }
    assert_true(has_detail(d, "assist-2-opioids", "required"));
    assert_true(has_detail(d, "assist-8", "required"));
    json_decref(d);

    /* an item that would not even be asked still begins the instrument */
    d = score_bad(parse("{\"assist-8\":0}"));
    assert_int_equal(json_array_size(d), 8);
    json_decref(d);
}

static void test_problems_collected_in_table_order(void **state)
{
    json_t *d = score_bad(parse("{\"zzz\":1,\"ready\":12,\"about-age\":\"old\",\"gad7-1\":4,"
                                "\"gad7-2\":0,\"gad7-3\":0,\"gad7-4\":0,\"gad7-5\":0,"
                                "\"gad7-6\":0}"));
    (void)state;
    assert_int_equal(json_array_size(d), 5);
    assert_string_equal(gets_at(d, "0.item"), "zzz");
    assert_string_equal(gets_at(d, "1.item"), "about-age");
    assert_string_equal(gets_at(d, "2.item"), "gad7-1");
    assert_string_equal(gets_at(d, "3.item"), "gad7-7");
    assert_string_equal(gets_at(d, "3.message"), "required");
    assert_string_equal(gets_at(d, "4.item"), "ready");
    json_decref(d);
}

static void test_details_appended_after_callers_entries(void **state)
{
    json_t *result = NULL, *details = parse("[{\"item\":\"x\",\"message\":\"y\"}]");
    json_t *a = parse("{\"nope\":1}");
    (void)state;
    assert_int_equal(assess_score(a, &result, details), E_INVALID);
    assert_int_equal(json_array_size(details), 2);
    assert_string_equal(gets_at(details, "1.item"), "nope");
    json_decref(a);
    json_decref(details);
}

static void test_valid_input_leaves_details_alone(void **state)
{
    json_t *result = NULL, *details = json_array(), *a = parse("{\"ready\":7}");
    (void)state;
    assert_int_equal(assess_score(a, &result, details), E_OK);
    assert_int_equal(json_array_size(details), 0);
    assert_non_null(result);
    json_decref(result);
    json_decref(a);
    json_decref(details);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_an_object),
        cmocka_unit_test(test_unknown_item),
        cmocka_unit_test(test_scored_wrong_type),
        cmocka_unit_test(test_scored_outside_set),
        cmocka_unit_test(test_scale),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_code),
        cmocka_unit_test(test_code_with_nul_rejected),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_partly_answered_audit),
        cmocka_unit_test(test_partly_answered_phq9_lists_each),
        cmocka_unit_test(test_any_assist_item_requires_all_eight_q1),
        cmocka_unit_test(test_problems_collected_in_table_order),
        cmocka_unit_test(test_details_appended_after_callers_entries),
        cmocka_unit_test(test_valid_input_leaves_details_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
