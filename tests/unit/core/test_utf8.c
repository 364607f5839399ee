/* Unit tests for core/utf8: the one decoder; what is well-formed, what is counted, which
 * invisible characters are caught, and how bad bytes are shown again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/utf8.h"

static void test_utf8_validation(void **state)
{
    (void)state;
    assert_true(utf8_valid("plain", 5));
    assert_true(utf8_valid("Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x99\x82", 14));
    assert_false(utf8_valid("Evil\xff\xfeName", 10));      /* not UTF-8 at all */
    assert_false(utf8_valid("\xc0\xaf", 2));                 /* overlong '/' */
    assert_false(utf8_valid("\xed\xa0\x80", 3));             /* a surrogate */
    assert_false(utf8_valid("\xf4\x90\x80\x80", 4));         /* past U+10FFFF */
    assert_false(utf8_valid("\xe2\x82", 2));                 /* cut short */
    assert_false(utf8_valid("a\0b", 3));                     /* NUL inside */
}

static void test_format_detection(void **state)
{
    (void)state;
    assert_false(utf8_has_format("Jos\xc3\xa9 \xe2\x82\xac"));      /* accents and the euro sign */
    assert_true(utf8_has_format("a\xe2\x80\xae@x.org")); /* U+202E right-to-left override */
    assert_true(utf8_has_format("x\xe2\x81\xa6y"));                   /* U+2066 */
    assert_true(utf8_has_format("x\xe2\x80\x8by"));                   /* U+200B zero width space */
    assert_false(utf8_has_format("x\xe2\x80\x94y"));                  /* an em dash is fine */
    assert_false(utf8_has_format("\xe2\x80"));                         /* cut short */
}

static void test_decode_and_count(void **state)
{
    unsigned long cp = 0;
    (void)state;
    assert_int_equal(utf8_decode("\xe2\x82\xac", 3, &cp), 3);
    assert_int_equal(cp, 0x20ac);
    assert_int_equal(utf8_decode("\xf0\x9f\x99\x82", 4, &cp), 4);
    assert_int_equal(cp, 0x1f642);
    assert_int_equal(utf8_decode("\xe2\x82\xac", 2, &cp), 0); /* cut short by n */
    assert_int_equal(utf8_decode("", 1, &cp), 0);             /* NUL */
    /* 11 code points in 22 bytes */
    assert_int_equal(utf8_count("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                                "\xc3\xa9\xc3\xa9\xc3\xa9"), 11);
    assert_int_equal(utf8_count("\xff" "abc"), -1);
    assert_int_equal(utf8_length("\xe2\x80\x99"), 1);
    assert_int_equal(utf8_length(NULL), 0);
}

static void test_format_characters(void **state)
{
    (void)state;
    /* the name check's extra ones: U+061C, U+200E, U+FEFF */
    assert_true(utf8_has_format("a\xd8\x9c" "b"));
    assert_true(utf8_has_format("a\xe2\x80\x8e" "b"));
    assert_true(utf8_has_format("\xef\xbb\xbf" "abc"));
    assert_false(utf8_is_format(0x2028)); /* a line separator is a control, not a format char */
}

static void test_repair(void **state)
{
    char out[64];
    (void)state;
    assert_string_equal(utf8_repair("plain", out), "plain");
    assert_string_equal(utf8_repair("Jos\xc3\xa9", out), "Jos\xc3\xa9");
    assert_string_equal(utf8_repair("x\xff" "y", out), "x\xef\xbf\xbd" "y");
    assert_string_equal(utf8_repair("\xe2\x82", out), "\xef\xbf\xbd\xef\xbf\xbd");
    assert_true(utf8_valid(out, strlen(out)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_validation),
        cmocka_unit_test(test_format_detection),
        cmocka_unit_test(test_decode_and_count),
        cmocka_unit_test(test_format_characters),
        cmocka_unit_test(test_repair),
    };
    return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
