/* Unit tests for domain/checkin: the 0-10 scales at and past both ends, the words of each list,
 * the note at 1000 and 1001 characters, the clinic's trigger list, and the alerts: use only on
 * "yes", craving only when the clinic set a level, at it and above, never below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/checkin.h"

static void test_scale(void **state)
{
    int v = -5;
    (void)state;

    assert_true(checkin_scale_parse("0", &v));
    assert_int_equal(v, 0);
    assert_true(checkin_scale_parse("10", &v));
    assert_int_equal(v, 10);
    assert_true(checkin_scale_parse("7", &v));
    assert_int_equal(v, 7);
    v = 3;
    assert_false(checkin_scale_parse("11", &v));
    assert_false(checkin_scale_parse("-1", &v));
    assert_false(checkin_scale_parse("-0", &v));
    assert_false(checkin_scale_parse("", &v));
    assert_false(checkin_scale_parse(NULL, &v));
    assert_false(checkin_scale_parse("5.5", &v));
    assert_false(checkin_scale_parse(" 5", &v));
    assert_false(checkin_scale_parse("05", &v));
    assert_false(checkin_scale_parse("ten", &v));
    assert_false(checkin_scale_parse("99999999999999999999", &v));
    assert_int_equal(v, 3); /* untouched on a refusal */
}

static void test_words(void **state)
{
    size_t n;
    const struct checkin_word *w;
    (void)state;

    w = checkin_words(CHECKIN_MOOD, &n);
    assert_int_equal(n, 5);
    assert_string_equal(w[0].code, "very-low");
    assert_string_equal(w[4].code, "very-good");
    assert_int_equal((checkin_words(CHECKIN_SLEEP, &n), n), 5);
    assert_int_equal((checkin_words(CHECKIN_USE, &n), n), 3);
    assert_string_equal(checkin_label(CHECKIN_MOOD, "okay"), "Okay");
    assert_string_equal(checkin_label(CHECKIN_SLEEP, "very-poor"), "Very poorly");
    assert_string_equal(checkin_label(CHECKIN_USE, "unsaid"), "I'd rather not say");
    assert_null(checkin_label(CHECKIN_MOOD, "great"));
    assert_null(checkin_label(CHECKIN_MOOD, "very-poor")); /* a sleep word is not a mood */
    assert_null(checkin_label(CHECKIN_USE, "YES"));
    assert_null(checkin_label(CHECKIN_USE, ""));
    assert_null(checkin_label(CHECKIN_USE, NULL));
}

static void test_note(void **state)
{
    char *note = malloc(CHECKIN_NOTE_MAX * 2 + 2);
    (void)state;

    assert_null(checkin_note_problem(NULL));
    assert_null(checkin_note_problem(""));
    assert_null(checkin_note_problem("A hard day.\nBetter tonight."));
    memset(note, 'a', CHECKIN_NOTE_MAX);
    note[CHECKIN_NOTE_MAX] = '\0';
    assert_null(checkin_note_problem(note));
    note[CHECKIN_NOTE_MAX] = 'a';
    note[CHECKIN_NOTE_MAX + 1] = '\0';
    assert_non_null(checkin_note_problem(note));
    /* Characters, not bytes: 1000 two-byte letters are fine. */
    for (size_t i = 0; i < CHECKIN_NOTE_MAX; i++)
        memcpy(note + 2 * i, "\xc3\xa9", 2);
    note[2 * CHECKIN_NOTE_MAX] = '\0';
    assert_null(checkin_note_problem(note));
    assert_non_null(checkin_note_problem("bad \xff byte"));
    assert_non_null(checkin_note_problem("a bell \a"));
    free(note);
}

static void test_triggers(void **state)
{
    char names[CHECKIN_TRIGGERS_MAX][CHECKIN_TRIGGER_MAX + 1];
    char list[4096] = "";
    (void)state;

    assert_int_equal(checkin_triggers_parse(NULL, names), 8);
    assert_string_equal(names[0], "Stress");
    assert_string_equal(names[7], "Celebration");
    assert_int_equal(checkin_triggers_parse(" Work ,  , money,Work,WORK,  Family  ", names), 3);
    assert_string_equal(names[0], "Work");
    assert_string_equal(names[1], "money");
    assert_string_equal(names[2], "Family");
    /* Nothing usable: the default list. */
    assert_int_equal(checkin_triggers_parse(" , ,", names), 8);
    /* A name at the byte limit stays, one past it is left out. */
    memset(list, 'x', CHECKIN_TRIGGER_MAX);
    list[CHECKIN_TRIGGER_MAX] = ',';
    memset(list + CHECKIN_TRIGGER_MAX + 1, 'y', CHECKIN_TRIGGER_MAX + 1);
    assert_int_equal(checkin_triggers_parse(list, names), 1);
    assert_int_equal(strlen(names[0]), CHECKIN_TRIGGER_MAX);
    /* At most CHECKIN_TRIGGERS_MAX names. */
    for (int i = 0, at = 0; i < CHECKIN_TRIGGERS_MAX + 5; i++)
        at += snprintf(list + at, sizeof(list) - (size_t)at, "t%d,", i);
    assert_int_equal(checkin_triggers_parse(list, names), CHECKIN_TRIGGERS_MAX);
}

static void test_alerts(void **state)
{
    int level = -1;
    (void)state;

    assert_true(checkin_use_alerts("yes"));
    assert_false(checkin_use_alerts("no"));
    assert_false(checkin_use_alerts("unsaid"));
    assert_false(checkin_use_alerts(NULL));
    /* No level set: no craving alert at all, even at 10. */
    assert_false(checkin_craving_alerts(10, NULL));
    assert_false(checkin_craving_alerts(10, ""));
    assert_false(checkin_craving_alerts(10, "high"));
    assert_false(checkin_craving_alerts(10, "11"));
    /* A level of 7: 7 and above alert, 6 does not. */
    assert_true(checkin_craving_alerts(7, "7"));
    assert_true(checkin_craving_alerts(10, "7"));
    assert_false(checkin_craving_alerts(6, "7"));
    assert_true(checkin_craving_alerts(0, "0"));
    assert_true(checkin_alert_level("10", &level));
    assert_int_equal(level, 10);
    assert_false(checkin_alert_level("-1", &level));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale),    cmocka_unit_test(test_words),
        cmocka_unit_test(test_note),     cmocka_unit_test(test_triggers),
        cmocka_unit_test(test_alerts),
    };
    return cmocka_run_group_tests_name("checkin", tests, NULL, NULL);
}
