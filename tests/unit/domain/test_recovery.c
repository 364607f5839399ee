/* Unit tests for domain/recovery: the plan's sections and their bounds, an item at 200 and 201
 * characters (counted in characters, not bytes), control and invisible characters, the rule
 * that sending needs a coping strategy, the comment (required to return, 2000 and 2001), every
 * transition of the review (allowed and refused), the status names, and a skill's fields and
 * place in the list at both ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/recovery.h"

/* n copies of the UTF-8 character c (a string literal), in a new string. */
static char *repeat(const char *c, size_t n)
{
    size_t len = strlen(c);
    char *s = malloc(len * n + 1);

    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, c, len);
    s[len * n] = '\0';
    return s;
}

static void test_sections(void **state)
{
    size_t n;
    const struct recovery_section *s = recovery_sections(&n);
    static const char *const keys[] = { "warning_signs", "high_risk", "coping",
                                        "people",        "reasons",   "after_lapse" };
    (void)state;

    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(s[i].key, keys[i]);
        assert_true(s[i].max_items > 0 && s[i].max_items <= 12);
        assert_ptr_equal(recovery_section(keys[i]), &s[i]);
    }
    assert_int_equal(recovery_section("people")->kind, RECOVERY_PEOPLE);
    assert_int_equal(recovery_section("coping")->kind, RECOVERY_TEXT);
    assert_null(recovery_section("nope"));
    assert_null(recovery_section(NULL));
}

static void test_item(void **state)
{
    char *at = repeat("a", RECOVERY_ITEM_MAX), *past = repeat("a", RECOVERY_ITEM_MAX + 1);
    char *wide = repeat("\xc3\xa9", RECOVERY_ITEM_MAX); /* 200 characters, 400 bytes */
    char *wide_past = repeat("\xc3\xa9", RECOVERY_ITEM_MAX + 1);
    (void)state;

    assert_null(recovery_item_problem("Walk round the block"));
    assert_null(recovery_item_problem(at));
    assert_non_null(recovery_item_problem(past));
    assert_null(recovery_item_problem(wide));
    assert_non_null(recovery_item_problem(wide_past));
    assert_non_null(recovery_item_problem(""));
    assert_non_null(recovery_item_problem(NULL));
    assert_non_null(recovery_item_problem("two\nlines"));
    assert_non_null(recovery_item_problem("bell\a"));
    assert_non_null(recovery_item_problem("\xff\xfe"));
    assert_non_null(recovery_item_problem("right\xe2\x80\xaeto left")); /* U+202E */
    free(at);
    free(past);
    free(wide);
    free(wide_past);
}

static void test_submit_and_comment(void **state)
{
    char *at = repeat("c", RECOVERY_COMMENT_MAX), *past = repeat("c", RECOVERY_COMMENT_MAX + 1);
    (void)state;

    assert_non_null(recovery_submit_problem(0));
    assert_null(recovery_submit_problem(1));
    assert_null(recovery_comment_problem(NULL, false));
    assert_null(recovery_comment_problem("", false));
    assert_non_null(recovery_comment_problem(NULL, true));
    assert_non_null(recovery_comment_problem("", true));
    assert_null(recovery_comment_problem("Add a second person.\nThanks.", true));
    assert_null(recovery_comment_problem(at, true));
    assert_non_null(recovery_comment_problem(past, false));
    assert_non_null(recovery_comment_problem("bell\a", false));
    free(at);
    free(past);
}

static void test_transitions(void **state)
{
    static const struct {
        enum recovery_status from;
        enum recovery_action action;
        enum recovery_effect effect;
        enum recovery_status to;
    } cases[] = {
        { RECOVERY_NONE, RECOVERY_SAVE, RECOVERY_NEW_VERSION, RECOVERY_DRAFT },
        { RECOVERY_NONE, RECOVERY_SUBMIT, RECOVERY_NEW_VERSION, RECOVERY_SUBMITTED },
        { RECOVERY_NONE, RECOVERY_WITHDRAW, RECOVERY_REFUSED, RECOVERY_NONE },
        { RECOVERY_NONE, RECOVERY_APPROVE, RECOVERY_REFUSED, RECOVERY_NONE },
        { RECOVERY_DRAFT, RECOVERY_SAVE, RECOVERY_IN_PLACE, RECOVERY_DRAFT },
        { RECOVERY_DRAFT, RECOVERY_SUBMIT, RECOVERY_IN_PLACE, RECOVERY_SUBMITTED },
        { RECOVERY_DRAFT, RECOVERY_APPROVE, RECOVERY_REFUSED, RECOVERY_DRAFT },
        { RECOVERY_DRAFT, RECOVERY_RETURN, RECOVERY_REFUSED, RECOVERY_DRAFT },
        { RECOVERY_DRAFT, RECOVERY_WITHDRAW, RECOVERY_REFUSED, RECOVERY_DRAFT },
        { RECOVERY_SUBMITTED, RECOVERY_SAVE, RECOVERY_REFUSED, RECOVERY_SUBMITTED },
        { RECOVERY_SUBMITTED, RECOVERY_SUBMIT, RECOVERY_REFUSED, RECOVERY_SUBMITTED },
        { RECOVERY_SUBMITTED, RECOVERY_WITHDRAW, RECOVERY_IN_PLACE, RECOVERY_DRAFT },
        { RECOVERY_SUBMITTED, RECOVERY_APPROVE, RECOVERY_IN_PLACE, RECOVERY_APPROVED },
        { RECOVERY_SUBMITTED, RECOVERY_RETURN, RECOVERY_IN_PLACE, RECOVERY_RETURNED },
        { RECOVERY_APPROVED, RECOVERY_SAVE, RECOVERY_NEW_VERSION, RECOVERY_DRAFT },
        { RECOVERY_APPROVED, RECOVERY_SUBMIT, RECOVERY_NEW_VERSION, RECOVERY_SUBMITTED },
        { RECOVERY_APPROVED, RECOVERY_APPROVE, RECOVERY_REFUSED, RECOVERY_APPROVED },
        { RECOVERY_APPROVED, RECOVERY_WITHDRAW, RECOVERY_REFUSED, RECOVERY_APPROVED },
        { RECOVERY_RETURNED, RECOVERY_SAVE, RECOVERY_NEW_VERSION, RECOVERY_DRAFT },
        { RECOVERY_RETURNED, RECOVERY_SUBMIT, RECOVERY_NEW_VERSION, RECOVERY_SUBMITTED },
        { RECOVERY_RETURNED, RECOVERY_APPROVE, RECOVERY_REFUSED, RECOVERY_RETURNED },
        { RECOVERY_RETURNED, RECOVERY_RETURN, RECOVERY_REFUSED, RECOVERY_RETURNED },
        { RECOVERY_SUPERSEDED, RECOVERY_SAVE, RECOVERY_REFUSED, RECOVERY_SUPERSEDED },
        { RECOVERY_SUPERSEDED, RECOVERY_APPROVE, RECOVERY_REFUSED, RECOVERY_SUPERSEDED },
    };
    enum recovery_status to;
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        to = RECOVERY_NONE;
        assert_int_equal(recovery_transition(cases[i].from, cases[i].action, &to), cases[i].effect);
        assert_int_equal(to, cases[i].to);
    }
}

static void test_status_names(void **state)
{
    (void)state;

    for (int s = RECOVERY_DRAFT; s <= RECOVERY_SUPERSEDED; s++) {
        assert_int_equal(recovery_status_parse(recovery_status_name(s)), s);
        assert_true(strlen(recovery_status_label(s)) > 0);
    }
    assert_int_equal(recovery_status_parse("approved"), RECOVERY_APPROVED);
    assert_int_equal(recovery_status_parse("Approved"), RECOVERY_NONE);
    assert_int_equal(recovery_status_parse(""), RECOVERY_NONE);
    assert_int_equal(recovery_status_parse(NULL), RECOVERY_NONE);
}

static void test_skill(void **state)
{
    static const struct {
        enum recovery_skill_field f;
        int max;
    } fields[] = { { RECOVERY_SKILL_TITLE, 120 },
                   { RECOVERY_SKILL_SUMMARY, 300 },
                   { RECOVERY_SKILL_BODY, 8000 },
                   { RECOVERY_SKILL_SOURCE, 400 } };
    int v = -1;
    (void)state;

    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        char *at = repeat("s", (size_t)fields[i].max), *past = repeat("s", fields[i].max + 1u);
        assert_int_equal(recovery_skill_max(fields[i].f), fields[i].max);
        assert_null(recovery_skill_problem(fields[i].f, at));
        assert_non_null(recovery_skill_problem(fields[i].f, past));
        assert_non_null(recovery_skill_problem(fields[i].f, ""));
        assert_non_null(recovery_skill_problem(fields[i].f, NULL));
        free(at);
        free(past);
    }
    assert_null(recovery_skill_problem(RECOVERY_SKILL_BODY, "One.\n\n- two"));
    assert_non_null(recovery_skill_problem(RECOVERY_SKILL_TITLE, "One\ntwo"));
    assert_true(recovery_skill_kind_ok("exercise"));
    assert_true(recovery_skill_kind_ok("reading"));
    assert_false(recovery_skill_kind_ok("poem"));
    assert_false(recovery_skill_kind_ok(NULL));
    assert_true(recovery_skill_position_parse("0", &v));
    assert_int_equal(v, 0);
    assert_true(recovery_skill_position_parse("9999", &v));
    assert_int_equal(v, 9999);
    v = 7;
    assert_false(recovery_skill_position_parse("10000", &v));
    assert_false(recovery_skill_position_parse("-1", &v));
    assert_false(recovery_skill_position_parse("", &v));
    assert_false(recovery_skill_position_parse(NULL, &v));
    assert_false(recovery_skill_position_parse("1a", &v));
    assert_int_equal(v, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sections),           cmocka_unit_test(test_item),
        cmocka_unit_test(test_submit_and_comment), cmocka_unit_test(test_transitions),
        cmocka_unit_test(test_status_names),       cmocka_unit_test(test_skill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
