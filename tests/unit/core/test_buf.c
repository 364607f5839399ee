/* Unit tests for core/buf and core/str: the primitives every page and parser leans on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/str.h"

static void test_buf_grows_and_stays_terminated(void **state)
{
    struct buf b = BUF_INIT;
    (void)state;

    assert_string_equal(buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        assert_int_equal(buf_addc(&b, 'x'), 0);
    assert_int_equal(b.len, 1000);
    assert_int_equal(strlen(b.data), 1000);
    assert_int_equal(buf_addf(&b, "%d-%s", 42, "ok"), 0);
    assert_string_equal(b.data + 1000, "42-ok");
    buf_free(&b);
    assert_int_equal(buf_reserve(&b, 5000), 0);
    assert_true(b.cap > 5000);
    assert_int_equal(b.len, 0);
    b.limit = 10;
    assert_int_equal(buf_reserve(&b, 11), -1);
    buf_free(&b);
}

static void test_buf_limit_refuses_whole_add(void **state)
{
    struct buf b = BUF_INIT;
    (void)state;

    b.limit = 8;
    assert_int_equal(buf_adds(&b, "12345"), 0);
    assert_int_equal(buf_adds(&b, "6789"), -1);
    assert_true(b.over);
    assert_string_equal(buf_cstr(&b), "12345");
    /* once over, nothing more is added, so a truncated body is never mistaken for whole */
    assert_int_equal(buf_adds(&b, "x"), -1);
    buf_free(&b);
}

static void test_buf_html_escapes_every_special(void **state)
{
    struct buf b = BUF_INIT;
    const char *in = "<a href=\"x\" onclick='y'>&`</a>";
    (void)state;

    buf_add_html(&b, in, strlen(in));
    assert_string_equal(buf_cstr(&b),
                        "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;");
    buf_free(&b);
}

static void test_buf_detach_empties(void **state)
{
    struct buf b = BUF_INIT;
    size_t n;
    char *p;
    (void)state;

    p = buf_detach(&b, &n);
    assert_string_equal(p, "");
    assert_int_equal(n, 0);
    free(p);
    buf_adds(&b, "abc");
    p = buf_detach(&b, &n);
    assert_string_equal(p, "abc");
    assert_int_equal(n, 3);
    assert_null(b.data);
    free(p);
}

static void test_str_to_long_bounds(void **state)
{
    long v = 0;
    (void)state;

    assert_int_equal(str_to_long(str_from("10"), 0, 10, &v), 0);
    assert_int_equal(v, 10);
    assert_int_equal(str_to_long(str_from("11"), 0, 10, &v), -1);
    assert_int_equal(str_to_long(str_from("-1"), 0, 10, &v), -1);
    assert_int_equal(str_to_long(str_from("-1"), -5, 10, &v), 0);
    assert_int_equal(v, -1);
    assert_int_equal(str_to_long(str_from(""), 0, 10, &v), -1);
    assert_int_equal(str_to_long(str_from("-"), -5, 10, &v), -1);
    assert_int_equal(str_to_long(str_from("1x"), 0, 10, &v), -1);
    assert_int_equal(str_to_long(str_from(" 1"), 0, 10, &v), -1);
    assert_int_equal(str_to_long(str_from("99999999999999999999"), 0, 10, &v), -1);
}

static void test_str_cut(void **state)
{
    struct str s = str_from("a=b=c"), head;
    (void)state;

    assert_true(str_cut(&s, '=', &head));
    assert_true(str_eq(head, "a"));
    assert_true(str_eq(s, "b=c"));
    assert_true(str_cut(&s, '=', &head));
    assert_true(str_eq(head, "b"));
    assert_false(str_cut(&s, '=', &head));
    assert_true(str_eq(s, "c"));
    assert_true(str_starts_with(str_from("/static/x"), "/static/"));
    assert_false(str_starts_with(str_from("/st"), "/static/"));
}

static void test_arena_zeroed_aligned_and_large(void **state)
{
    struct arena *a = arena_new();
    (void)state;

    for (int i = 0; i < 100; i++) {
        unsigned char *p = arena_alloc(a, (size_t)i * 37 + 1);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        for (int j = 0; j < i * 37 + 1; j++)
            assert_int_equal(p[j], 0);
        memset(p, 0xff, (size_t)i * 37 + 1);
    }
    char *big = arena_alloc(a, 100000); /* larger than a block */
    big[99999] = 'z';
    assert_string_equal(arena_strndup(a, "hello world", 5), "hello");
    arena_free(a);
    arena_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_grows_and_stays_terminated),
        cmocka_unit_test(test_buf_limit_refuses_whole_add),
        cmocka_unit_test(test_buf_html_escapes_every_special),
        cmocka_unit_test(test_buf_detach_empties),
        cmocka_unit_test(test_str_to_long_bounds),
        cmocka_unit_test(test_str_cut),
        cmocka_unit_test(test_arena_zeroed_aligned_and_large),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
