/* test_measure: domain/measure.h against hand-computed figures: each instrument's items, its
 * total (sums worked out by hand), the refusal of a wrong count or an item out of range (and
 * which item), the PHQ-9 and GAD-7 bands at both sides of every boundary (spec/assessment.md
 * §1.3-1.4), no bands for PACS and the craving rating, the PHQ-9 thresholds (50 % drop,
 * under 5, 5 points) on both sides, raw change only for the others, the item 9 alert, the
 * substance in PACS's sentences, and due dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "domain/measure.h"

static void test_table(void **state)
{
    (void)state;
    assert_int_equal(measure_count(), 4);
    assert_string_equal(measure_at(0)->code, "phq9");
    assert_string_equal(measure_at(3)->code, "craving");
    assert_null(measure_at(4));
    assert_null(measure_find("dast10"));
    assert_null(measure_find(NULL));
    assert_int_equal(measure_find("phq9")->total_max, 27);
    assert_int_equal(measure_find("gad7")->total_max, 21);
    assert_int_equal(measure_find("pacs")->total_max, 30);
    assert_int_equal(measure_find("craving")->total_max, 10);
    assert_int_equal(measure_find("pacs")->n_items, 5);
    assert_int_equal(measure_find("pacs")->item_max, 6);
}

static void test_items(void **state)
{
    const struct measure_def *phq = measure_find("phq9"), *pacs = measure_find("pacs");
    char t[400];

    (void)state;
    /* The public assessment's own items, not copies. */
    assert_string_equal(measure_item_text(phq, 0, NULL, t, sizeof(t)),
                        "Little interest or pleasure in doing things");
    assert_non_null(strstr(measure_item_text(phq, 8, NULL, t, sizeof(t)),
                           "better off dead or of hurting yourself"));
    assert_string_equal(measure_item_text(measure_find("gad7"), 6, NULL, t, sizeof(t)),
                        "Feeling afraid, as if something awful might happen");
    assert_non_null(strstr(measure_stem(phq), "Over the last 2 weeks"));
    assert_string_equal(measure_option_label(phq, 8, 1), "Several days");
    assert_string_equal(measure_option_label(phq, 0, 3), "Nearly every day");
    assert_null(measure_option_label(pacs, 0, 3));
    assert_non_null(strstr(measure_item_text(measure_find("craving"), 0, NULL, t, sizeof(t)),
                           "strongest craving"));
    /* PACS: alcohol by default, the substance when one is named. */
    measure_item_text(pacs, 0, NULL, t, sizeof(t));
    assert_non_null(strstr(t, "thought about drinking"));
    measure_item_text(pacs, 0, "cocaine", t, sizeof(t));
    assert_non_null(strstr(t, "thought about using cocaine or about how good using cocaine"));
    assert_null(strstr(t, "drink"));
    measure_item_text(pacs, 4, "cannabis", t, sizeof(t));
    assert_non_null(strstr(t, "average cannabis craving"));
    measure_item_text(pacs, 4, "", t, sizeof(t));
    assert_non_null(strstr(t, "average alcohol craving"));
    /* A small buffer truncates, never overflows. */
    measure_item_text(pacs, 3, "opioids", t, 12);
    assert_int_equal(strlen(t), 11);
}

static void test_scoring(void **state)
{
    const int phq[9] = {0, 1, 2, 3, 0, 1, 2, 3, 1}; /* 13 */
    const int gad[7] = {3, 3, 3, 3, 3, 3, 3};       /* 21 */
    const int pacs[5] = {6, 5, 0, 2, 4};            /* 17 */
    const int craving[1] = {7};
    const int bad_phq[9] = {0, 0, 0, 0, 4, 0, 0, 0, 0};
    const int bad_pacs[5] = {0, 0, 7, 0, 0};
    const int negative[5] = {0, 0, 0, -1, 0};
    int total = -1;
    long bad = 99;

    (void)state;
    assert_int_equal(measure_score(measure_find("phq9"), phq, 9, &total, &bad), E_OK);
    assert_int_equal(total, 13);
    assert_int_equal(measure_score(measure_find("gad7"), gad, 7, &total, &bad), E_OK);
    assert_int_equal(total, 21);
    assert_int_equal(measure_score(measure_find("pacs"), pacs, 5, &total, &bad), E_OK);
    assert_int_equal(total, 17);
    assert_int_equal(measure_score(measure_find("craving"), craving, 1, &total, &bad), E_OK);
    assert_int_equal(total, 7);
    /* Wrong count: no item named. */
    assert_int_equal(measure_score(measure_find("phq9"), phq, 8, &total, &bad), E_INVALID);
    assert_int_equal(bad, -1);
    assert_int_equal(measure_score(measure_find("gad7"), gad, 6, &total, &bad), E_INVALID);
    assert_int_equal(measure_score(measure_find("craving"), craving, 0, &total, &bad),
                     E_INVALID);
    /* Out of range: the item (from 0). */
    assert_int_equal(measure_score(measure_find("phq9"), bad_phq, 9, &total, &bad), E_INVALID);
    assert_int_equal(bad, 4);
    assert_int_equal(measure_score(measure_find("pacs"), bad_pacs, 5, &total, &bad), E_INVALID);
    assert_int_equal(bad, 2);
    assert_int_equal(measure_score(measure_find("pacs"), negative, 5, &total, &bad), E_INVALID);
    assert_int_equal(bad, 3);
    /* The top of each scale is allowed. */
    assert_int_equal(measure_score(measure_find("pacs"), (const int[5]){6, 6, 6, 6, 6}, 5, &total,
                                   &bad),
                     E_OK);
    assert_int_equal(total, 30);
}

static void test_bands(void **state)
{
    const struct measure_def *phq = measure_find("phq9"), *gad = measure_find("gad7");
    static const struct {
        const char *code;
        int total;
        const char *band;
    } cases[] = {
        {"phq9", 0, "minimal"},   {"phq9", 4, "minimal"},
        {"phq9", 5, "mild"},      {"phq9", 9, "mild"},
        {"phq9", 10, "moderate"}, {"phq9", 14, "moderate"},
        {"phq9", 15, "moderately-severe"}, {"phq9", 19, "moderately-severe"},
        {"phq9", 20, "severe"},   {"phq9", 27, "severe"},
        {"gad7", 0, "minimal"},   {"gad7", 4, "minimal"},
        {"gad7", 5, "mild"},      {"gad7", 9, "mild"},
        {"gad7", 10, "moderate"}, {"gad7", 14, "moderate"},
        {"gad7", 15, "severe"},   {"gad7", 21, "severe"},
    };
    struct measure_band b[MEASURE_BANDS_MAX];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
        assert_string_equal(measure_band_name(measure_find(cases[i].code), cases[i].total),
                            cases[i].band);
    assert_int_equal(measure_bands(phq, b), 5);
    assert_int_equal(b[0].lo, 0);
    assert_int_equal(b[0].hi, 4);
    assert_int_equal(b[3].lo, 15);
    assert_int_equal(b[3].hi, 19);
    assert_string_equal(b[3].name, "moderately-severe");
    assert_int_equal(b[4].lo, 20);
    assert_int_equal(b[4].hi, 27);
    assert_int_equal(measure_bands(gad, b), 4);
    assert_int_equal(b[3].lo, 15);
    assert_int_equal(b[3].hi, 21);
    /* No published cut-offs: no bands, no names. */
    assert_int_equal(measure_bands(measure_find("pacs"), b), 0);
    assert_int_equal(measure_bands(measure_find("craving"), b), 0);
    assert_null(measure_band_name(measure_find("pacs"), 30));
    assert_null(measure_band_name(measure_find("craving"), 10));
    assert_string_equal(measure_band_label("moderately-severe"), "moderately severe");
    assert_string_equal(measure_band_label("mild"), "mild");
}

static void test_change(void **state)
{
    const struct measure_def *phq = measure_find("phq9");
    struct measure_change c;

    (void)state;
    /* 18 -> 9: exactly a 50 % drop is a response; 10 is not. */
    measure_change_of(phq, 18, 9, &c);
    assert_int_equal(c.change, -9);
    assert_true(c.response);
    assert_true(c.improved5);
    assert_false(c.remission);
    measure_change_of(phq, 18, 10, &c);
    assert_false(c.response);
    /* 17 -> 8 (8.5 is half): response; 17 -> 9 not. */
    measure_change_of(phq, 17, 8, &c);
    assert_true(c.response);
    measure_change_of(phq, 17, 9, &c);
    assert_false(c.response);
    /* Remission: under 5. */
    measure_change_of(phq, 12, 4, &c);
    assert_true(c.remission);
    measure_change_of(phq, 12, 5, &c);
    assert_false(c.remission);
    /* Five points either way; four is not. */
    measure_change_of(phq, 12, 7, &c);
    assert_true(c.improved5);
    measure_change_of(phq, 12, 8, &c);
    assert_false(c.improved5);
    measure_change_of(phq, 12, 17, &c);
    assert_true(c.worsened5);
    assert_int_equal(c.change, 5);
    measure_change_of(phq, 12, 16, &c);
    assert_false(c.worsened5);
    /* A baseline of 0 has nothing to halve. */
    measure_change_of(phq, 0, 0, &c);
    assert_false(c.response);
    /* GAD-7, PACS, craving: raw change, nothing named. */
    for (size_t i = 1; i < measure_count(); i++) {
        measure_change_of(measure_at(i), 20, 2, &c);
        assert_int_equal(c.change, -18);
        assert_false(c.response || c.remission || c.improved5 || c.worsened5);
    }
}

static void test_item9(void **state)
{
    int a[9] = {0};

    (void)state;
    assert_false(measure_item9_alert(measure_find("phq9"), a, 9));
    a[8] = 1;
    assert_true(measure_item9_alert(measure_find("phq9"), a, 9));
    a[8] = 3;
    assert_true(measure_item9_alert(measure_find("phq9"), a, 9));
    assert_false(measure_item9_alert(measure_find("phq9"), a, 8));
    assert_false(measure_item9_alert(measure_find("gad7"), a, 9));
}

static void test_substance(void **state)
{
    char long_name[62];

    (void)state;
    assert_true(measure_substance_ok("cocaine"));
    assert_true(measure_substance_ok("crystal meth"));
    assert_true(measure_substance_ok("K2-spice"));
    assert_false(measure_substance_ok(""));
    assert_false(measure_substance_ok(NULL));
    assert_false(measure_substance_ok(" cocaine"));
    assert_false(measure_substance_ok("<b>x</b>"));
    assert_false(measure_substance_ok("a{drinking}"));
    memset(long_name, 'a', 61);
    long_name[61] = '\0';
    assert_false(measure_substance_ok(long_name));
    long_name[60] = '\0';
    assert_true(measure_substance_ok(long_name));
}

static void test_due(void **state)
{
    caldate adm, last, want;

    (void)state;
    assert_true(caldate_parse("2026-03-02", &adm));
    /* None taken: due at admission. */
    assert_int_equal(measure_due_on(adm, false, 0, 14), adm);
    /* Then every N days after the last one taken. */
    assert_true(caldate_parse("2026-03-10", &last));
    assert_true(caldate_parse("2026-03-24", &want));
    assert_int_equal(measure_due_on(adm, true, last, 14), want);
    assert_true(caldate_parse("2026-03-17", &want));
    assert_int_equal(measure_due_on(adm, true, last, 7), want);
    /* Across a month's end. */
    assert_true(caldate_parse("2026-02-25", &last));
    assert_true(caldate_parse("2026-03-11", &want));
    assert_int_equal(measure_due_on(adm, true, last, 14), want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),   cmocka_unit_test(test_items),
        cmocka_unit_test(test_scoring), cmocka_unit_test(test_bands),
        cmocka_unit_test(test_change),  cmocka_unit_test(test_item9),
        cmocka_unit_test(test_substance), cmocka_unit_test(test_due),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
