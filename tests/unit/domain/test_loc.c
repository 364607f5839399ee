/* test_loc: ASAM dimension lines (both sides), use severity, every row of the level-of-care
 * table, every flag, and the missing-context list (spec §2-§6), driven through assess_score
 * the way the API drives it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "assess_helpers.h"
#include "domain/messages.h"

static json_t *run(const char *answers)
{
    return score_ok(parse(answers));
}

static void check_dim(const char *answers, int d, int rating)
{
    json_t *r = run(answers);
    if (dim(r, d) != rating)
        fail_msg("%s: D%d = %lld, want %d", answers, d, dim(r, d), rating);
    json_decref(r);
}

/* ---- §3 dimensions --------------------------------------------------------------------- */

static void test_d1_withdrawal(void **state)
{
    (void)state;
    check_dim("{\"wd-now\":true,\"wd-complicated\":true}", 1, 4);
    check_dim("{\"wd-now\":true}", 1, 0);
    check_dim("{\"wd-complicated\":true}", 1, 0);
    check_dim("{\"wd-daily\":[\"alcohol\"],\"wd-complicated\":true}", 1, 3);
    check_dim("{\"wd-daily\":[\"sedatives\"],\"wd-now\":true}", 1, 3);
    check_dim("{\"wd-daily\":[\"alcohol\"],\"wd-symptoms\":\"severe\"}", 1, 3);
    check_dim("{\"wd-daily\":[\"opioids\"],\"wd-complicated\":true}", 1, 0);
    check_dim("{\"wd-daily\":[\"opioids\"],\"wd-symptoms\":\"severe\"}", 1, 2);
    check_dim("{\"wd-daily\":[\"alcohol\"],\"wd-symptoms\":\"mild\"}", 1, 2);
    check_dim("{\"wd-daily\":[],\"wd-symptoms\":\"mild\"}", 1, 1);
    check_dim("{\"wd-symptoms\":\"severe\"}", 1, 1);
    check_dim("{\"wd-symptoms\":\"none\",\"wd-daily\":[\"alcohol\"]}", 1, 0);
    check_dim("{}", 1, 0);
}

static void test_d1_reasons_name_answers(void **state)
{
    json_t *r = run("{\"wd-daily\":[\"alcohol\",\"sedatives\"],\"wd-complicated\":true}");
    (void)state;
    assert_int_equal(json_array_size(at(r, "dimensions.0.reasons")), 2);
    assert_non_null(strstr(gets_at(r, "dimensions.0.reasons.0"), "alcohol, sedatives"));
    assert_non_null(strstr(gets_at(r, "dimensions.0.reasons.1"), "seizure"));
    json_decref(r);
}

static void test_d2_biomedical(void **state)
{
    (void)state;
    check_dim("{\"med-unstable\":true,\"med-pregnant\":true}", 2, 3);
    check_dim("{\"med-unstable\":false}", 2, 0);
    check_dim("{\"med-pregnant\":true}", 2, 2);
    check_dim("{\"med-overdose\":true}", 2, 2);
    check_dim("{\"med-pregnant\":false,\"med-overdose\":false}", 2, 0);
}

static void check_d3(int phq, int item9, int gad, int asq_q1, int asq_q5, int rating)
{
    json_t *a = json_object(), *r;
    if (phq >= 0)
        phq9_total(a, phq, item9);
    if (gad >= 0)
        gad7_total(a, gad);
    if (asq_q1 >= 0)
        asq(a, asq_q1, 0, 0, 0, asq_q5);
    r = score_ok(a);
    if (dim(r, 3) != rating)
        fail_msg("phq %d item9 %d gad %d asq %d/%d: D3 = %lld, want %d", phq, item9, gad,
                 asq_q1, asq_q5, dim(r, 3), rating);
    json_decref(r);
}

static void test_d3_emotional(void **state)
{
    (void)state;
    check_d3(-1, 0, -1, 1, 1, 4);  /* ASQ acute */
    check_d3(-1, 0, -1, 1, 0, 3);  /* ASQ non-acute */
    check_d3(-1, 0, -1, 0, 0, 0);  /* ASQ none */
    check_d3(0, 1, -1, -1, 0, 3);  /* PHQ-9 item 9 > 0, total 1 */
    check_d3(0, 0, -1, -1, 0, 0);  /* item 9 = 0 */
    check_d3(20, 0, -1, -1, 0, 3);
    check_d3(19, 0, -1, -1, 0, 2);
    check_d3(-1, 0, 15, -1, 0, 3);
    check_d3(-1, 0, 14, -1, 0, 2);
    check_d3(10, 0, -1, -1, 0, 2);
    check_d3(9, 0, -1, -1, 0, 1);
    check_d3(-1, 0, 10, -1, 0, 2);
    check_d3(-1, 0, 9, -1, 0, 1);
    check_d3(5, 0, -1, -1, 0, 1);
    check_d3(4, 0, -1, -1, 0, 0);
    check_d3(-1, 0, 5, -1, 0, 1);
    check_d3(-1, 0, 4, -1, 0, 0);
    check_d3(4, 0, 4, 0, 0, 0);
}

static void test_d3_reasons(void **state)
{
    json_t *a = json_object(), *r;
    (void)state;
    phq9_total(a, 21, 0);
    gad7_total(a, 16);
    r = score_ok(a);
    assert_int_equal(dim(r, 3), 3);
    assert_int_equal(json_array_size(at(r, "dimensions.2.reasons")), 2);
    assert_string_equal(gets_at(r, "dimensions.2.reasons.0"),
                        "PHQ-9 score 21: severe depression symptoms");
    assert_string_equal(gets_at(r, "dimensions.2.reasons.1"),
                        "GAD-7 score 16: severe anxiety symptoms");
    json_decref(r);
}

static void test_d4_readiness(void **state)
{
    json_t *r;
    (void)state;
    check_dim("{\"ready\":3}", 4, 2);
    check_dim("{\"ready\":4}", 4, 1);
    check_dim("{\"ready\":6}", 4, 1);
    check_dim("{\"ready\":7}", 4, 0);
    check_dim("{\"ready\":0}", 4, 2);
    r = run("{}");
    assert_int_equal(dim(r, 4), 0);
    assert_non_null(strstr(gets_at(r, "dimensions.3.reasons.0"), "not answered"));
    json_decref(r);
    r = run("{\"ready\":5}");
    assert_string_equal(gets_at(r, "dimensions.3.reasons.0"), "Readiness to change: 5 out of 10");
    json_decref(r);
}

static void test_d5_relapse(void **state)
{
    (void)state;
    check_dim("{\"relapse\":true,\"craving\":7}", 5, 3);
    check_dim("{\"relapse\":true,\"craving\":6}", 5, 2);
    check_dim("{\"relapse\":false,\"craving\":7}", 5, 2);
    check_dim("{\"relapse\":true}", 5, 2);
    check_dim("{\"craving\":6}", 5, 1);
    check_dim("{\"craving\":4}", 5, 1);
    check_dim("{\"craving\":3}", 5, 0);
    check_dim("{}", 5, 0);
}

static void test_d6_environment(void **state)
{
    (void)state;
    check_dim("{\"env-safe\":false}", 6, 4);
    check_dim("{\"env-housing\":\"none\"}", 6, 4);
    check_dim("{\"env-safe\":true,\"env-home-use\":true}", 6, 3);
    check_dim("{\"env-housing\":\"unstable\"}", 6, 3);
    check_dim("{\"env-housing\":\"stable\",\"env-support\":\"none\"}", 6, 2);
    check_dim("{\"env-support\":\"some\"}", 6, 1);
    check_dim("{\"env-support\":\"strong\",\"env-home-use\":false}", 6, 0);
    check_dim("{}", 6, 0);
}

/* ---- §4 severity ----------------------------------------------------------------------- */

static const char *severity_of(int audit, int assist_q2, int assist_q6, json_t **keep)
{
    json_t *a = json_object();
    if (audit >= 0)
        audit_total(a, audit);
    if (assist_q2 >= 0) {
        assist_none(a);
        assist_use(a, "cannabis", assist_q2, 0, 0, 0, assist_q6, 0);
    }
    *keep = score_ok(a);
    return gets_at(*keep, "severity");
}

static void check_severity(int audit, int q2, int q6, const char *want)
{
    json_t *r;
    assert_string_equal(severity_of(audit, q2, q6, &r), want);
    json_decref(r);
}

static void check_severity_assist(int q2, int q3, int q4, int q5, int q6, const char *want)
{
    json_t *a = json_object(), *r;
    assist_none(a);
    assist_use(a, "opioids", q2, q3, q4, q5, q6, 0);
    r = score_ok(a);
    assert_string_equal(gets_at(r, "severity"), want);
    json_decref(r);
}

static void test_severity(void **state)
{
    (void)state;
    check_severity(20, -1, 0, "high");
    check_severity(19, -1, 0, "moderate");
    check_severity(8, -1, 0, "moderate");
    check_severity(7, -1, 0, "low");
    check_severity(1, -1, 0, "low");
    check_severity(0, -1, 0, "none");
    check_severity_assist(6, 6, 4, 5, 6, "high");     /* 27 */
    check_severity_assist(6, 5, 4, 5, 6, "moderate"); /* 26 */
    check_severity(-1, 4, 0, "moderate");
    check_severity(-1, 3, 0, "low");
    check_severity(-1, 2, 0, "low");
    check_severity(-1, 0, 0, "none");
    check_severity(-1, -1, 0, "none");
    check_severity(0, 0, 3, "low"); /* Q6 alone counts */
}

/* ---- §5 levels ------------------------------------------------------------------------- */

/* An answer set with use of the given severity (via AUDIT) plus extra context answers. */
static json_t *with_use(int audit, const char *extra)
{
    json_t *a = parse(extra);
    if (audit >= 0)
        audit_total(a, audit);
    return score_ok(a);
}

static void check_level(int audit, const char *extra, const char *want, const char *asam)
{
    json_t *r = with_use(audit, extra);
    if (strcmp(level(r), want) != 0)
        fail_msg("audit %d %s: level %s, want %s", audit, extra, level(r), want);
    if (asam)
        assert_string_equal(gets_at(r, "recommendation.asam"), asam);
    else
        assert_true(json_is_null(at(r, "recommendation.asam")));
    {
        char key[64];
        snprintf(key, sizeof(key), "level.%s.title", want);
        assert_string_equal(gets_at(r, "recommendation.title"), msg(key));
    }
    assert_true(json_array_size(at(r, "recommendation.reasons")) > 0);
    json_decref(r);
}

static void test_level_emergency(void **state)
{
    json_t *a = json_object(), *r;
    (void)state;
    asq(a, 1, 0, 0, 0, 1);
    audit_total(a, 3);
    r = score_ok(a);
    assert_string_equal(level(r), "emergency");
    assert_true(json_is_null(at(r, "recommendation.asam")));
    assert_string_equal(gets_at(r, "recommendation.reasons.0"),
                        "ASQ: you are having thoughts of killing yourself right now");
    json_decref(r);
    check_level(0, "{\"wd-now\":true,\"wd-complicated\":true}", "emergency", NULL);
    /* both below their line: not emergency */
    check_level(0, "{\"wd-now\":true,\"wd-complicated\":false}", "none", NULL);
}

static void test_level_medically_managed(void **state)
{
    (void)state;
    check_level(25, "{\"wd-daily\":[\"alcohol\"],\"wd-symptoms\":\"severe\"}",
                "medically-managed", "3.7");
    check_level(0, "{\"med-unstable\":true}", "medically-managed", "3.7");
    check_level(25, "{\"wd-daily\":[\"alcohol\"],\"wd-symptoms\":\"mild\"}", "iop", "2.1");
}

static void test_level_residential(void **state)
{
    (void)state;
    check_level(8, "{\"env-safe\":false}", "residential", "3.5");
    check_level(8, "{\"env-housing\":\"none\"}", "residential", "3.5");
    check_level(7, "{\"env-safe\":false}", "early-intervention", "0.5");
    check_level(20, "{\"env-home-use\":true}", "residential", "3.5");
    check_level(19, "{\"env-home-use\":true}", "iop", "2.1");
}

static void test_level_php(void **state)
{
    json_t *a = json_object(), *r;
    (void)state;
    check_level(20, "{\"relapse\":true,\"craving\":7}", "php", "2.5");
    check_level(20, "{\"relapse\":true,\"craving\":6}", "iop", "2.1");
    phq9_total(a, 20, 0);
    audit_total(a, 20);
    r = score_ok(a);
    assert_string_equal(level(r), "php");
    json_decref(r);
    check_level(19, "{\"relapse\":true,\"craving\":9}", "iop", "2.1");
}

static void test_level_iop(void **state)
{
    json_t *a = json_object(), *r;
    (void)state;
    check_level(20, "{}", "iop", "2.1");
    check_level(8, "{\"tx-op-not-enough\":true}", "iop", "2.1");
    check_level(8, "{\"tx-recent\":true}", "iop", "2.1");
    check_level(8, "{\"relapse\":true}", "iop", "2.1");
    check_level(8, "{\"craving\":7}", "iop", "2.1");
    check_level(8, "{\"craving\":6}", "outpatient", "1");
    check_level(8, "{\"env-support\":\"none\"}", "iop", "2.1");
    check_level(8, "{\"env-support\":\"some\"}", "outpatient", "1");
    check_level(1, "{\"tx-recent\":true}", "iop", "2.1");
    check_level(0, "{\"tx-recent\":true}", "none", NULL);
    gad7_total(a, 10);
    audit_total(a, 8);
    r = score_ok(a);
    assert_string_equal(level(r), "iop");
    json_decref(r);
    a = json_object();
    gad7_total(a, 9);
    audit_total(a, 8);
    r = score_ok(a);
    assert_string_equal(level(r), "outpatient");
    json_decref(r);
}

static void test_level_iop_reasons_name_scores(void **state)
{
    json_t *r = with_use(23, "{}");
    (void)state;
    assert_string_equal(level(r), "iop");
    assert_string_equal(gets_at(r, "recommendation.reasons.0"),
                        "AUDIT score 23: zone 4, possible dependence");
    json_decref(r);
    r = with_use(8, "{\"tx-op-not-enough\":true}");
    assert_string_equal(gets_at(r, "recommendation.reasons.0"),
                        "AUDIT score 8: zone 2, hazardous drinking");
    assert_string_equal(gets_at(r, "recommendation.reasons.1"),
                        msg("reason.tx-op-not-enough"));
    json_decref(r);
}

static void test_level_outpatient(void **state)
{
    (void)state;
    check_level(15, "{}", "outpatient", "1");
    check_level(1, "{\"relapse\":true}", "outpatient", "1");
    check_level(1, "{\"craving\":6}", "early-intervention", "0.5");
}

static void test_level_early_and_none(void **state)
{
    json_t *r;
    (void)state;
    check_level(7, "{}", "early-intervention", "0.5");
    check_level(1, "{}", "early-intervention", "0.5");
    check_level(0, "{}", "none", NULL);
    check_level(-1, "{\"relapse\":true,\"craving\":10}", "none", NULL);
    r = run("{}");
    assert_string_equal(gets_at(r, "recommendation.reasons.0"), msg("reason.no-use"));
    json_decref(r);
}

static void test_level_assist_drives_severity(void **state)
{
    json_t *a = json_object(), *r;
    (void)state;
    assist_none(a);
    assist_use(a, "opioids", 6, 6, 7, 8, 6, 6);
    r = score_ok(a);
    assert_string_equal(level(r), "iop");
    assert_string_equal(gets_at(r, "recommendation.reasons.0"),
                        "Opioids: ASSIST score 39, high risk");
    json_decref(r);
}

/* ---- §6 flags -------------------------------------------------------------------------- */

static void test_flags_suicide(void **state)
{
    json_t *a = json_object(), *r;
    (void)state;
    asq(a, 1, 0, 0, 0, 1);
    phq9_total(a, 0, 2);
    r = score_ok(a);
    assert_true(has_flag(r, "suicide-acute"));
    assert_false(has_flag(r, "suicide-risk"));
    assert_string_equal(gets_at(r, "flags.0"), "suicide-acute");
    json_decref(r);

    a = json_object();
    asq(a, 0, 0, 0, 1, 0);
    r = score_ok(a);
    assert_false(has_flag(r, "suicide-acute"));
    assert_true(has_flag(r, "suicide-risk"));
    json_decref(r);

    a = json_object();
    phq9_total(a, 0, 1);
    r = score_ok(a);
    assert_true(has_flag(r, "suicide-risk"));
    json_decref(r);

    a = json_object();
    phq9_total(a, 8, 0);
    asq(a, 0, 0, 0, 0, 0);
    r = score_ok(a);
    assert_false(has_flag(r, "suicide-risk"));
    assert_false(has_flag(r, "suicide-acute"));
    json_decref(r);
}

static void test_flag_withdrawal_danger(void **state)
{
    json_t *r;
    (void)state;
    r = run("{\"wd-daily\":[\"alcohol\"],\"wd-now\":true}");
    assert_true(has_flag(r, "withdrawal-danger"));
    json_decref(r);
    r = run("{\"wd-daily\":[\"alcohol\"],\"wd-symptoms\":\"mild\"}");
    assert_false(has_flag(r, "withdrawal-danger"));
    json_decref(r);
}

static json_t *opioid_user(int sedatives_q2, int audit, const char *extra)
{
    json_t *a = parse(extra);
    assist_none(a);
    assist_use(a, "opioids", 2, 0, 0, 0, 0, 0);
    if (sedatives_q2 >= 0)
        assist_use(a, "sedatives", sedatives_q2, 0, 0, 0, 0, 0);
    if (audit >= 0)
        audit_total(a, audit);
    return score_ok(a);
}

static void test_flag_overdose_risk(void **state)
{
    json_t *r;
    (void)state;
    r = run("{\"med-overdose\":true}");
    assert_true(has_flag(r, "overdose-risk"));
    json_decref(r);
    r = opioid_user(-1, -1, "{}");
    assert_false(has_flag(r, "overdose-risk"));
    json_decref(r);
    r = opioid_user(2, -1, "{}");
    assert_true(has_flag(r, "overdose-risk"));
    json_decref(r);
    r = opioid_user(0, -1, "{}");
    assert_false(has_flag(r, "overdose-risk"));
    json_decref(r);
    r = opioid_user(-1, 8, "{}");
    assert_true(has_flag(r, "overdose-risk"));
    json_decref(r);
    r = opioid_user(-1, 7, "{}");
    assert_false(has_flag(r, "overdose-risk"));
    json_decref(r);
    r = opioid_user(-1, -1, "{\"tx-recent\":true}");
    assert_true(has_flag(r, "overdose-risk"));
    json_decref(r);
    /* opioids ever used, but not in the past 3 months: no */
    {
        json_t *a = parse("{\"tx-recent\":true}");
        assist_none(a);
        assist_use(a, "opioids", 0, 0, 0, 0, 3, 0);
        assist_use(a, "sedatives", 6, 0, 0, 0, 0, 0);
        r = score_ok(a);
        assert_false(has_flag(r, "overdose-risk"));
        json_decref(r);
    }
}

static void test_flag_injection(void **state)
{
    json_t *a = json_object(), *r;
    (void)state;
    assist_none(a);
    seti(a, "assist-8", 2);
    assist_use(a, "cocaine", 0, 0, 0, 0, 0, 0);
    r = score_ok(a);
    assert_true(has_flag(r, "injection"));
    json_decref(r);
    a = json_object();
    assist_none(a);
    seti(a, "assist-8", 1);
    assist_use(a, "cocaine", 0, 0, 0, 0, 0, 0);
    r = score_ok(a);
    assert_false(has_flag(r, "injection"));
    assert_int_equal(geti(r, "instruments.assist.injection"), 1);
    json_decref(r);
}

static void check_flag(const char *answers, const char *flag, int want)
{
    json_t *r = run(answers);
    if (has_flag(r, flag) != want)
        fail_msg("%s: flag %s is %d, want %d", answers, flag, !want, want);
    json_decref(r);
}

static void test_flags_simple(void **state)
{
    (void)state;
    check_flag("{\"med-pregnant\":true}", "pregnancy", 1);
    check_flag("{\"med-pregnant\":false}", "pregnancy", 0);
    check_flag("{\"about-age\":\"under-18\"}", "adolescent", 1);
    check_flag("{\"about-age\":\"18-25\"}", "adolescent", 0);
    check_flag("{\"ready\":3}", "low-readiness", 1);
    check_flag("{\"ready\":4}", "low-readiness", 0);
    check_flag("{\"gad7-1\":3,\"gad7-2\":3,\"gad7-3\":3,\"gad7-4\":1,\"gad7-5\":0,"
               "\"gad7-6\":0,\"gad7-7\":0}", "mental-health-followup", 1);
    check_flag("{\"gad7-1\":3,\"gad7-2\":3,\"gad7-3\":3,\"gad7-4\":0,\"gad7-5\":0,"
               "\"gad7-6\":0,\"gad7-7\":0}", "mental-health-followup", 0);
}

static void test_flags_in_spec_order(void **state)
{
    json_t *a = parse("{\"med-overdose\":true,\"med-pregnant\":true,\"about-age\":\"under-18\","
                      "\"ready\":1,\"wd-daily\":[\"sedatives\"],\"wd-now\":true}");
    json_t *r;
    const char *want[] = {"suicide-risk", "withdrawal-danger", "overdose-risk", "injection",
                          "pregnancy", "adolescent", "mental-health-followup",
                          "low-readiness"};
    size_t i;
    (void)state;
    asq(a, 1, 0, 0, 0, 0);
    assist_none(a);
    seti(a, "assist-8", 2);
    assist_use(a, "inhalants", 0, 0, 0, 0, 0, 0);
    r = score_ok(a);
    assert_int_equal(json_array_size(at(r, "flags")), 8);
    for (i = 0; i < 8; i++) {
        char path[16];
        snprintf(path, sizeof(path), "flags.%zu", i);
        assert_string_equal(gets_at(r, path), want[i]);
    }
    json_decref(r);
}

/* ---- §2 missing ------------------------------------------------------------------------ */

static void test_missing_context(void **state)
{
    static const char *const all[] = {
        "about-age", "about-sex", "wd-symptoms", "wd-complicated", "wd-now", "wd-daily",
        "med-unstable", "med-pregnant", "med-overdose", "tx-recent", "tx-op-not-enough",
        "relapse", "craving", "ready", "env-housing", "env-safe", "env-home-use", "env-support",
        "env-obligations", "pref-schedule", "pref-telehealth"};
    json_t *r = run("{}"), *m;
    size_t i;
    (void)state;
    m = at(r, "missing");
    assert_int_equal(json_array_size(m), sizeof(all) / sizeof(all[0]));
    for (i = 0; i < json_array_size(m); i++)
        assert_string_equal(json_string_value(json_array_get(m, i)), all[i]);
    json_decref(r);

    r = run("{\"craving\":0,\"env-safe\":true,\"pref-telehealth\":false,\"wd-daily\":[]}");
    m = at(r, "missing");
    assert_int_equal(json_array_size(m), sizeof(all) / sizeof(all[0]) - 4);
    assert_false(array_has(m, "craving"));
    assert_false(array_has(m, "env-safe"));
    assert_false(array_has(m, "pref-telehealth"));
    assert_false(array_has(m, "wd-daily"));
    assert_true(array_has(m, "ready"));
    json_decref(r);
}

static void test_missing_counts_as_no_risk(void **state)
{
    json_t *r = run("{}");
    int d;
    (void)state;
    for (d = 1; d <= 6; d++)
        assert_int_equal(dim(r, d), 0);
    assert_int_equal(json_array_size(at(r, "flags")), 0);
    assert_string_equal(gets_at(r, "severity"), "none");
    assert_string_equal(level(r), "none");
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_d1_withdrawal),
        cmocka_unit_test(test_d1_reasons_name_answers),
        cmocka_unit_test(test_d2_biomedical),
        cmocka_unit_test(test_d3_emotional),
        cmocka_unit_test(test_d3_reasons),
        cmocka_unit_test(test_d4_readiness),
        cmocka_unit_test(test_d5_relapse),
        cmocka_unit_test(test_d6_environment),
        cmocka_unit_test(test_severity),
        cmocka_unit_test(test_level_emergency),
        cmocka_unit_test(test_level_medically_managed),
        cmocka_unit_test(test_level_residential),
        cmocka_unit_test(test_level_php),
        cmocka_unit_test(test_level_iop),
        cmocka_unit_test(test_level_iop_reasons_name_scores),
        cmocka_unit_test(test_level_outpatient),
        cmocka_unit_test(test_level_early_and_none),
        cmocka_unit_test(test_level_assist_drives_severity),
        cmocka_unit_test(test_flags_suicide),
        cmocka_unit_test(test_flag_withdrawal_danger),
        cmocka_unit_test(test_flag_overdose_risk),
        cmocka_unit_test(test_flag_injection),
        cmocka_unit_test(test_flags_simple),
        cmocka_unit_test(test_flags_in_spec_order),
        cmocka_unit_test(test_missing_context),
        cmocka_unit_test(test_missing_counts_as_no_risk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
