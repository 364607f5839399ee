/* Unit tests for domain/icd10: every listed code is well-formed, fits the schema's column and
 * appears once; the DSM-5-TR severity mapping of each F10-F19 family; the search by code or
 * words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/icd10.h"

static void test_codes_well_formed_and_unique(void **state)
{
    (void)state;
    assert_true(icd10_count() > 60);
    assert_null(icd10_at(icd10_count()));
    for (size_t i = 0; i < icd10_count(); i++) {
        const struct icd10_code *c = icd10_at(i);

        assert_true(icd10_well_formed(c->code));
        assert_true(strlen(c->code) >= 3 && strlen(c->code) <= ICD10_CODE_MAX);
        assert_true(strlen(c->title) > 5);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(icd10_at(j)->code, c->code);
        assert_ptr_equal(icd10_find(c->code), c);
    }
}

static void test_well_formed(void **state)
{
    static const char *const good[] = {"F10", "F10.2", "F10.20", "F17.210", "F32.A", "Z72.0",
                                       "F10.1234"};
    static const char *const bad[] = {"", "F1", "10.20", "f10.20", "F1O.20", "F10.", "F10.12345",
                                      "F10.2-", "F10 20", "F10.20 ", "FF0.20", "F10.a"};
    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
        assert_true(icd10_well_formed(good[i]));
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        assert_false(icd10_well_formed(bad[i]));
    assert_false(icd10_well_formed(NULL));
}

static void test_titles_as_published(void **state)
{
    (void)state;
    assert_string_equal(icd10_find("F10.20")->title, "Alcohol dependence, uncomplicated");
    assert_string_equal(icd10_find("F11.21")->title, "Opioid dependence, in remission");
    assert_string_equal(icd10_find("F13.10")->title,
                        "Sedative, hypnotic or anxiolytic abuse, uncomplicated");
    assert_string_equal(icd10_find("F17.210")->title,
                        "Nicotine dependence, cigarettes, uncomplicated");
    assert_string_equal(icd10_find("F33.2")->title,
                        "Major depressive disorder, recurrent severe without psychotic features");
    assert_string_equal(icd10_find("F43.10")->title,
                        "Post-traumatic stress disorder, unspecified");
    assert_string_equal(icd10_find("F32.A")->title, "Depression, unspecified");
    /* F33.4 is a heading, not a code one may use: only its three children are listed. */
    assert_null(icd10_find("F33.4"));
    assert_non_null(icd10_find("F33.40"));
    assert_null(icd10_find("F10.2"));
    assert_null(icd10_find("f10.20"));
}

static void test_severity_mapping(void **state)
{
    static const char *const families[] = {"F10", "F11", "F12", "F13", "F14",
                                           "F15", "F16", "F18", "F19"};
    char want[16];
    (void)state;
    for (size_t i = 0; i < sizeof(families) / sizeof(*families); i++) {
        const char *f = families[i];

        snprintf(want, sizeof(want), "%s.10", f);
        assert_string_equal(icd10_use_disorder(f, ICD10_MILD, false)->code, want);
        assert_non_null(strstr(icd10_use_disorder(f, ICD10_MILD, false)->title,
                               "abuse, uncomplicated"));
        snprintf(want, sizeof(want), "%s.11", f);
        assert_string_equal(icd10_use_disorder(f, ICD10_MILD, true)->code, want);
        snprintf(want, sizeof(want), "%s.20", f);
        assert_string_equal(icd10_use_disorder(f, ICD10_MODERATE, false)->code, want);
        assert_string_equal(icd10_use_disorder(f, ICD10_SEVERE, false)->code, want);
        assert_non_null(strstr(icd10_use_disorder(f, ICD10_SEVERE, false)->title,
                               "dependence, uncomplicated"));
        snprintf(want, sizeof(want), "%s.21", f);
        assert_string_equal(icd10_use_disorder(f, ICD10_MODERATE, true)->code, want);
        assert_string_equal(icd10_use_disorder(f, ICD10_SEVERE, true)->code, want);
    }
    /* Tobacco: dependence codes only; a mild disorder is Z72.0, with no remission form. */
    assert_string_equal(icd10_use_disorder("F17", ICD10_MODERATE, false)->code, "F17.200");
    assert_string_equal(icd10_use_disorder("F17", ICD10_SEVERE, true)->code, "F17.201");
    assert_string_equal(icd10_use_disorder("F17", ICD10_MILD, false)->code, "Z72.0");
    assert_null(icd10_use_disorder("F17", ICD10_MILD, true));
    assert_null(icd10_find("F17.10"));
    /* Not a substance family of the list. */
    assert_null(icd10_use_disorder("F20", ICD10_MILD, false));
    assert_null(icd10_use_disorder("F1", ICD10_MILD, false));
    assert_null(icd10_use_disorder(NULL, ICD10_MILD, false));
}

static void test_search(void **state)
{
    const struct icd10_code *alc = icd10_find("F10.20"), *ptsd = icd10_find("F43.12");
    (void)state;
    assert_true(icd10_matches(alc, ""));
    assert_true(icd10_matches(alc, NULL));
    assert_true(icd10_matches(alc, "F10"));
    assert_true(icd10_matches(alc, "f10.2"));
    assert_true(icd10_matches(alc, "f1020"));
    assert_false(icd10_matches(alc, "F11"));
    assert_true(icd10_matches(alc, "alcohol"));
    assert_true(icd10_matches(alc, "  Alcohol   DEPEND "));
    assert_false(icd10_matches(alc, "alcohol abuse"));
    assert_true(icd10_matches(ptsd, "stress chronic"));
    assert_false(icd10_matches(ptsd, "stress acute"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes_well_formed_and_unique),
        cmocka_unit_test(test_well_formed),
        cmocka_unit_test(test_titles_as_published),
        cmocka_unit_test(test_severity_mapping),
        cmocka_unit_test(test_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
