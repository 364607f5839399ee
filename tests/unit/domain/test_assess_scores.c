/* test_assess_scores: instrument scores, bands at both sides of every cut-off, AUDIT-C per sex,
 * skip logic, and "a skipped item sent anyway is validated, then ignored" (spec §1, §7). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "assess_helpers.h"

static json_t *audit_result(int total)
{
    json_t *a = json_object();
    audit_total(a, total);
    return score_ok(a);
}

static void check_audit(int total, const char *band, int zone)
{
    json_t *r = audit_result(total);
    assert_int_equal(geti(r, "instruments.audit.score"), total);
    assert_int_equal(geti(r, "instruments.audit.max"), 40);
    assert_string_equal(gets_at(r, "instruments.audit.band"), band);
    assert_int_equal(geti(r, "instruments.audit.zone"), zone);
    json_decref(r);
}

static void test_audit_bands(void **state)
{
    (void)state;
    check_audit(0, "low-risk", 1);
    check_audit(7, "low-risk", 1);
    check_audit(8, "hazardous", 2);
    check_audit(15, "hazardous", 2);
    check_audit(16, "harmful", 3);
    check_audit(19, "harmful", 3);
    check_audit(20, "dependence", 4);
    check_audit(40, "dependence", 4);
}

static void test_audit_items_9_10_take_0_2_4(void **state)
{
    json_t *a = parse("{\"audit-1\":0,\"audit-9\":2,\"audit-10\":4}");
    json_t *r = score_ok(a);
    (void)state;
    assert_int_equal(geti(r, "instruments.audit.score"), 6);
    json_decref(r);
}

/* AUDIT-C = items 1-3 with the cut-off for the given sex (NULL = not answered). */
static json_t *audit_c(int q1, int q2, int q3, const char *sex)
{
    json_t *a = json_object();
    audit_total(a, 0);
    seti(a, "audit-1", q1);
    seti(a, "audit-2", q2);
    seti(a, "audit-3", q3);
    if (sex)
        sets(a, "about-sex", sex);
    return score_ok(a);
}

static void check_audit_c(int q1, int q2, int q3, const char *sex, int positive, int cutoff)
{
    json_t *r = audit_c(q1, q2, q3, sex);
    assert_int_equal(geti(r, "instruments.audit_c.score"), q1 + q2 + q3);
    assert_int_equal(geti(r, "instruments.audit_c.max"), 12);
    assert_int_equal(json_is_true(at(r, "instruments.audit_c.positive")), positive);
    assert_int_equal(geti(r, "instruments.audit_c.cutoff"), cutoff);
    if (sex && (strcmp(sex, "male") == 0 || strcmp(sex, "female") == 0))
        assert_null(at(r, "instruments.audit_c.note"));
    else
        assert_non_null(strstr(gets_at(r, "instruments.audit_c.note"), "cut-off of 3"));
    json_decref(r);
}

static void test_audit_c_male(void **state)
{
    (void)state;
    check_audit_c(1, 1, 1, "male", 0, 4);
    check_audit_c(2, 1, 1, "male", 1, 4);
}

static void test_audit_c_female(void **state)
{
    (void)state;
    check_audit_c(1, 1, 0, "female", 0, 3);
    check_audit_c(1, 1, 1, "female", 1, 3);
}

static void test_audit_c_other_or_none(void **state)
{
    (void)state;
    check_audit_c(1, 1, 0, "other", 0, 3);
    check_audit_c(1, 1, 1, "other", 1, 3);
    check_audit_c(1, 1, 0, "prefer-not", 0, 3);
    check_audit_c(1, 1, 1, "prefer-not", 1, 3);
    check_audit_c(1, 1, 0, NULL, 0, 3);
    check_audit_c(1, 1, 1, NULL, 1, 3);
}

static void test_audit_skip_q1_never(void **state)
{
    /* audit-1 = 0: items 2-8 are not asked, so leaving them out is complete. */
    json_t *r = score_ok(parse("{\"audit-1\":0,\"audit-9\":0,\"audit-10\":2}"));
    (void)state;
    assert_int_equal(geti(r, "instruments.audit.score"), 2);
    assert_int_equal(geti(r, "instruments.audit_c.score"), 0);
    json_decref(r);
}

static void test_audit_skip_q1_sent_anyway_ignored(void **state)
{
    json_t *r = score_ok(parse("{\"audit-1\":0,\"audit-2\":4,\"audit-3\":4,\"audit-4\":4,"
                               "\"audit-8\":4,\"audit-9\":0,\"audit-10\":0}"));
    (void)state;
    assert_int_equal(geti(r, "instruments.audit.score"), 0);
    assert_int_equal(geti(r, "instruments.audit_c.score"), 0);
    assert_string_equal(gets_at(r, "severity"), "none");
    json_decref(r);
}

static void test_audit_skip_q1_sent_anyway_still_validated(void **state)
{
    json_t *d = score_bad(parse("{\"audit-1\":0,\"audit-2\":5,\"audit-9\":0,\"audit-10\":0}"));
    (void)state;
    assert_int_equal(json_array_size(d), 1);
    assert_true(has_detail(d, "audit-2", "must be one of: 0, 1, 2, 3, 4"));
    json_decref(d);
}

static void test_audit_skip_q2_q3_zero(void **state)
{
    json_t *r = score_ok(parse("{\"audit-1\":1,\"audit-2\":0,\"audit-3\":0,"
                               "\"audit-9\":0,\"audit-10\":0}"));
    (void)state;
    assert_int_equal(geti(r, "instruments.audit.score"), 1);
    json_decref(r);
    /* sent anyway: ignored */
    r = score_ok(parse("{\"audit-1\":1,\"audit-2\":0,\"audit-3\":0,\"audit-4\":4,"
                       "\"audit-5\":4,\"audit-6\":4,\"audit-7\":4,\"audit-8\":4,"
                       "\"audit-9\":0,\"audit-10\":0}"));
    assert_int_equal(geti(r, "instruments.audit.score"), 1);
    json_decref(r);
}

static void test_audit_q2_or_q3_nonzero_asks_4_8(void **state)
{
    json_t *d = score_bad(parse("{\"audit-1\":1,\"audit-2\":0,\"audit-3\":1,"
                                "\"audit-9\":0,\"audit-10\":0}"));
    int q;
    (void)state;
    assert_int_equal(json_array_size(d), 5);
    for (q = 4; q <= 8; q++) {
        char id[64];
        snprintf(id, sizeof(id), "audit-%d", q);
        assert_true(has_detail(d, id, "required"));
    }
    json_decref(d);
    d = score_bad(parse("{\"audit-1\":1,\"audit-2\":1,\"audit-3\":0,"
                        "\"audit-9\":0,\"audit-10\":0}"));
    assert_int_equal(json_array_size(d), 5);
    json_decref(d);
}

static void test_audit_omitted_when_unanswered(void **state)
{
    json_t *r = score_ok(parse("{}"));
    (void)state;
    assert_null(at(r, "instruments.audit"));
    assert_null(at(r, "instruments.audit_c"));
    assert_null(at(r, "instruments.assist"));
    assert_null(at(r, "instruments.phq9"));
    assert_null(at(r, "instruments.gad7"));
    assert_null(at(r, "instruments.asq"));
    assert_int_equal(json_object_size(at(r, "instruments")), 0);
    json_decref(r);
}

/* ---- ASSIST ---------------------------------------------------------------------------- */

static json_t *assist_one(const char *s, int q2, int q3, int q4, int q5, int q6, int q7)
{
    json_t *a = json_object();
    assist_none(a);
    assist_use(a, s, q2, q3, q4, q5, q6, q7);
    return score_ok(a);
}

static void check_assist(int q2, int q3, int q4, int q5, int q6, int q7, int total,
                         const char *band)
{
    json_t *r = assist_one("cocaine", q2, q3, q4, q5, q6, q7);
    assert_int_equal(geti(r, "instruments.assist.substances.cocaine.score"), total);
    assert_string_equal(gets_at(r, "instruments.assist.substances.cocaine.band"), band);
    json_decref(r);
}

static void test_assist_bands(void **state)
{
    (void)state;
    check_assist(0, 0, 0, 0, 0, 0, 0, "low");
    check_assist(3, 0, 0, 0, 0, 0, 3, "low");
    check_assist(4, 0, 0, 0, 0, 0, 4, "moderate");
    check_assist(6, 5, 4, 5, 6, 0, 26, "moderate");
    check_assist(6, 6, 4, 5, 6, 0, 27, "high");
    check_assist(6, 6, 7, 8, 6, 6, 39, "high");
}

static void test_assist_lists_only_used_substances(void **state)
{
    json_t *a = json_object(), *r;
    (void)state;
    assist_none(a);
    assist_use(a, "opioids", 6, 6, 7, 8, 6, 6);
    assist_use(a, "cannabis", 2, 0, 0, 0, 0, 0);
    seti(a, "assist-8", 2);
    r = score_ok(a);
    assert_int_equal(json_object_size(at(r, "instruments.assist.substances")), 2);
    assert_int_equal(geti(r, "instruments.assist.substances.opioids.score"), 31 + 8);
    assert_int_equal(geti(r, "instruments.assist.substances.cannabis.score"), 2);
    assert_null(at(r, "instruments.assist.substances.cocaine"));
    /* assist-8 is reported, never added */
    assert_int_equal(geti(r, "instruments.assist.injection"), 2);
    json_decref(r);
}

static void test_assist_none_used(void **state)
{
    json_t *a = json_object(), *r;
    (void)state;
    assist_none(a);
    r = score_ok(a);
    assert_int_equal(json_object_size(at(r, "instruments.assist.substances")), 0);
    assert_null(at(r, "instruments.assist.injection"));
    json_decref(r);
}

static void test_assist_q1_false_skips_all(void **state)
{
    /* Items for an unused substance, sent anyway, are ignored (valid values). */
    json_t *a = json_object(), *r;
    (void)state;
    assist_none(a);
    seti(a, "assist-2-cannabis", 6);
    seti(a, "assist-3-cannabis", 6);
    seti(a, "assist-6-cannabis", 6);
    seti(a, "assist-8", 2);
    r = score_ok(a);
    assert_null(at(r, "instruments.assist.substances.cannabis"));
    assert_null(at(r, "instruments.assist.injection"));
    assert_string_equal(gets_at(r, "severity"), "none");
    assert_false(has_flag(r, "injection"));
    json_decref(r);
}

static void test_assist_q1_false_sent_anyway_validated(void **state)
{
    json_t *a = json_object(), *d;
    (void)state;
    assist_none(a);
    seti(a, "assist-2-cannabis", 5);
    d = score_bad(a);
    assert_int_equal(json_array_size(d), 1);
    assert_true(has_detail(d, "assist-2-cannabis", "must be one of: 0, 2, 3, 4, 6"));
    json_decref(d);
}

static void test_assist_q2_zero_skips_3_to_5(void **state)
{
    json_t *a = json_object(), *r, *d;
    (void)state;
    assist_none(a);
    assist_use(a, "sedatives", 0, 0, 0, 0, 3, 6);
    r = score_ok(json_deep_copy(a));
    assert_int_equal(geti(r, "instruments.assist.substances.sedatives.score"), 9);
    json_decref(r);
    /* 3-5 sent anyway: ignored */
    seti(a, "assist-3-sedatives", 6);
    seti(a, "assist-4-sedatives", 7);
    seti(a, "assist-5-sedatives", 8);
    r = score_ok(json_deep_copy(a));
    assert_int_equal(geti(r, "instruments.assist.substances.sedatives.score"), 9);
    json_decref(r);
    /* 6 and 7 are still asked */
    json_object_del(a, "assist-6-sedatives");
    json_object_del(a, "assist-7-sedatives");
    d = score_bad(a);
    assert_int_equal(json_array_size(d), 2);
    assert_true(has_detail(d, "assist-6-sedatives", "required"));
    assert_true(has_detail(d, "assist-7-sedatives", "required"));
    json_decref(d);
}

static void test_assist_q2_nonzero_asks_3_to_5(void **state)
{
    json_t *a = json_object(), *d;
    (void)state;
    assist_none(a);
    setb(a, "assist-1-inhalants", 1);
    seti(a, "assist-2-inhalants", 2);
    seti(a, "assist-6-inhalants", 0);
    seti(a, "assist-7-inhalants", 0);
    seti(a, "assist-8", 0);
    d = score_bad(a);
    assert_int_equal(json_array_size(d), 3);
    assert_true(has_detail(d, "assist-3-inhalants", "required"));
    assert_true(has_detail(d, "assist-4-inhalants", "required"));
    assert_true(has_detail(d, "assist-5-inhalants", "required"));
    json_decref(d);
}

static void test_assist_8_asked_when_any_used(void **state)
{
    json_t *a = json_object(), *d;
    (void)state;
    assist_none(a);
    assist_use(a, "other", 0, 0, 0, 0, 0, 0);
    json_object_del(a, "assist-8");
    d = score_bad(a);
    assert_int_equal(json_array_size(d), 1);
    assert_true(has_detail(d, "assist-8", "required"));
    json_decref(d);
}

static void test_assist_8_values(void **state)
{
    json_t *a = json_object(), *d;
    (void)state;
    assist_none(a);
    assist_use(a, "hallucinogens", 0, 0, 0, 0, 0, 0);
    seti(a, "assist-8", 3);
    d = score_bad(a);
    assert_true(has_detail(d, "assist-8", "must be one of: 0, 2, 1"));
    json_decref(d);
}

static void test_assist_6_7_codes(void **state)
{
    /* 6 = yes in the past 3 months, 3 = yes but not in the past 3 months; 1 is not a code. */
    json_t *r = assist_one("stimulants", 0, 0, 0, 0, 6, 3), *a, *d;
    (void)state;
    assert_int_equal(geti(r, "instruments.assist.substances.stimulants.score"), 9);
    json_decref(r);
    a = json_object();
    assist_none(a);
    assist_use(a, "stimulants", 0, 0, 0, 0, 1, 0);
    d = score_bad(a);
    assert_true(has_detail(d, "assist-6-stimulants", "must be one of: 0, 6, 3"));
    json_decref(d);
}

/* ---- PHQ-9, GAD-7, ASQ ----------------------------------------------------------------- */

static void check_phq9(int total, const char *band)
{
    json_t *a = json_object(), *r;
    phq9_total(a, total, 0);
    r = score_ok(a);
    assert_int_equal(geti(r, "instruments.phq9.score"), total);
    assert_int_equal(geti(r, "instruments.phq9.max"), 27);
    assert_string_equal(gets_at(r, "instruments.phq9.band"), band);
    assert_int_equal(geti(r, "instruments.phq9.item9"), 0);
    json_decref(r);
}

static void test_phq9_bands(void **state)
{
    (void)state;
    check_phq9(0, "minimal");
    check_phq9(4, "minimal");
    check_phq9(5, "mild");
    check_phq9(9, "mild");
    check_phq9(10, "moderate");
    check_phq9(14, "moderate");
    check_phq9(15, "moderately-severe");
    check_phq9(19, "moderately-severe");
    check_phq9(20, "severe");
    check_phq9(24, "severe");
}

static void test_phq9_item9_reported(void **state)
{
    json_t *a = json_object(), *r;
    (void)state;
    phq9_total(a, 24, 3);
    r = score_ok(a);
    assert_int_equal(geti(r, "instruments.phq9.score"), 27);
    assert_int_equal(geti(r, "instruments.phq9.item9"), 3);
    assert_string_equal(gets_at(r, "instruments.phq9.band"), "severe");
    json_decref(r);
}

static void check_gad7(int total, const char *band)
{
    json_t *a = json_object(), *r;
    gad7_total(a, total);
    r = score_ok(a);
    assert_int_equal(geti(r, "instruments.gad7.score"), total);
    assert_int_equal(geti(r, "instruments.gad7.max"), 21);
    assert_string_equal(gets_at(r, "instruments.gad7.band"), band);
    json_decref(r);
}

static void test_gad7_bands(void **state)
{
    (void)state;
    check_gad7(0, "minimal");
    check_gad7(4, "minimal");
    check_gad7(5, "mild");
    check_gad7(9, "mild");
    check_gad7(10, "moderate");
    check_gad7(14, "moderate");
    check_gad7(15, "severe");
    check_gad7(21, "severe");
}

static const char *asq_risk(int q1, int q2, int q3, int q4, int q5, json_t **keep)
{
    json_t *a = json_object();
    asq(a, q1, q2, q3, q4, q5);
    *keep = score_ok(a);
    return gets_at(*keep, "instruments.asq.risk");
}

static void test_asq_risk(void **state)
{
    json_t *r;
    (void)state;
    assert_string_equal(asq_risk(0, 0, 0, 0, 0, &r), "none");
    json_decref(r);
    assert_string_equal(asq_risk(1, 0, 0, 0, 0, &r), "non-acute");
    json_decref(r);
    assert_string_equal(asq_risk(0, 0, 0, 1, 0, &r), "non-acute");
    json_decref(r);
    assert_string_equal(asq_risk(0, 1, 0, 0, 1, &r), "acute");
    json_decref(r);
    assert_string_equal(asq_risk(0, 0, 1, 0, 1, &r), "acute");
    json_decref(r);
}

static void test_asq5_asked_only_after_a_yes(void **state)
{
    json_t *r, *d;
    (void)state;
    /* all "no": asq-5 not asked; sent anyway as true, it is ignored */
    r = score_ok(parse("{\"asq-1\":false,\"asq-2\":false,\"asq-3\":false,\"asq-4\":false,"
                       "\"asq-5\":true}"));
    assert_string_equal(gets_at(r, "instruments.asq.risk"), "none");
    assert_false(has_flag(r, "suicide-acute"));
    json_decref(r);
    /* a "yes": asq-5 is required */
    d = score_bad(parse("{\"asq-1\":false,\"asq-2\":false,\"asq-3\":true,\"asq-4\":false}"));
    assert_int_equal(json_array_size(d), 1);
    assert_true(has_detail(d, "asq-5", "required"));
    json_decref(d);
    /* skipped but sent with the wrong type: still validated */
    d = score_bad(parse("{\"asq-1\":false,\"asq-2\":false,\"asq-3\":false,\"asq-4\":false,"
                        "\"asq-5\":1}"));
    assert_true(has_detail(d, "asq-5", "must be true or false"));
    json_decref(d);
}

static void test_result_shape(void **state)
{
    json_t *r = score_ok(parse("{}"));
    (void)state;
    assert_string_equal(gets_at(r, "version"), "haven-assessment-1");
    assert_int_equal(json_array_size(at(r, "dimensions")), 6);
    assert_int_equal(geti(r, "dimensions.0.dimension"), 1);
    assert_int_equal(geti(r, "dimensions.5.dimension"), 6);
    assert_string_equal(gets_at(r, "dimensions.3.name"), "Readiness to change");
    assert_true(json_array_size(at(r, "dimensions.0.reasons")) > 0);
    assert_true(json_is_array(at(r, "flags")));
    assert_true(json_is_string(at(r, "recommendation.title")));
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_audit_bands),
        cmocka_unit_test(test_audit_items_9_10_take_0_2_4),
        cmocka_unit_test(test_audit_c_male),
        cmocka_unit_test(test_audit_c_female),
        cmocka_unit_test(test_audit_c_other_or_none),
        cmocka_unit_test(test_audit_skip_q1_never),
        cmocka_unit_test(test_audit_skip_q1_sent_anyway_ignored),
        cmocka_unit_test(test_audit_skip_q1_sent_anyway_still_validated),
        cmocka_unit_test(test_audit_skip_q2_q3_zero),
        cmocka_unit_test(test_audit_q2_or_q3_nonzero_asks_4_8),
        cmocka_unit_test(test_audit_omitted_when_unanswered),
        cmocka_unit_test(test_assist_bands),
        cmocka_unit_test(test_assist_lists_only_used_substances),
        cmocka_unit_test(test_assist_none_used),
        cmocka_unit_test(test_assist_q1_false_skips_all),
        cmocka_unit_test(test_assist_q1_false_sent_anyway_validated),
        cmocka_unit_test(test_assist_q2_zero_skips_3_to_5),
        cmocka_unit_test(test_assist_q2_nonzero_asks_3_to_5),
        cmocka_unit_test(test_assist_8_asked_when_any_used),
        cmocka_unit_test(test_assist_8_values),
        cmocka_unit_test(test_assist_6_7_codes),
        cmocka_unit_test(test_phq9_bands),
        cmocka_unit_test(test_phq9_item9_reported),
        cmocka_unit_test(test_gad7_bands),
        cmocka_unit_test(test_asq_risk),
        cmocka_unit_test(test_asq5_asked_only_after_a_yes),
        cmocka_unit_test(test_result_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
