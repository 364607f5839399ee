/* test_cond: the show_if language: parsing (good and bad strings) and evaluation, including
 * "a clause on an item not asked or not answered is false" for both = and !=. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "domain/cond.h"
#include "domain/instruments.h"

/* A fake answer sheet: per item, -1 = not asked/answered, else the option index chosen, or
 * for ITEM_CODES a bit set (codes). */
struct sheet {
    int opt[160];
    unsigned codes[160];
};

static int answer(void *ctx, size_t item, size_t option)
{
    const struct sheet *s = ctx;
    if (instruments_at(item)->kind == ITEM_CODES)
        return s->opt[item] < 0 ? -1 : (int)((s->codes[item] >> option) & 1u);
    if (s->opt[item] < 0)
        return -1;
    return s->opt[item] == (int)option;
}

static void blank(struct sheet *s)
{
    size_t i;
    for (i = 0; i < 160; i++) {
        s->opt[i] = -1;
        s->codes[i] = 0;
    }
}

/* Sets item id to the option whose value is v. */
static void put(struct sheet *s, const char *id, const char *v)
{
    long i = instruments_find(id, strlen(id));
    const struct item *it;
    assert_true(i >= 0);
    it = instruments_at((size_t)i);
    s->opt[i] = (int)(instruments_option(it, v) - it->options);
}

static int eval(const char *show_if, struct sheet *s)
{
    struct cond c;
    assert_int_equal(cond_parse(show_if, &c), 0);
    return cond_eval(&c, answer, s);
}

static void test_parse_shapes(void **state)
{
    struct cond c;
    (void)state;
    assert_int_equal(cond_parse(NULL, &c), 0);
    assert_int_equal(c.n, 0);
    assert_int_equal(cond_parse("", &c), 0);
    assert_int_equal(c.n, 0);
    assert_int_equal(cond_parse("audit-1!=0", &c), 0);
    assert_int_equal(c.n, 1);
    assert_true(c.clause[0].neg);
    assert_int_equal(c.clause[0].item, instruments_find("audit-1", 7));
    assert_int_equal(c.clause[0].option, 0);
    assert_int_equal(cond_parse("audit-2!=0|audit-3!=4", &c), 0);
    assert_int_equal(c.n, 2);
    assert_false(c.all);
    assert_int_equal(c.clause[1].option, 4);
    assert_int_equal(cond_parse("asq-1=true&asq-2=false", &c), 0);
    assert_true(c.all);
    assert_false(c.clause[0].neg);
    assert_int_equal(c.clause[1].option, 1);
}

static void test_parse_rejects(void **state)
{
    struct cond c;
    (void)state;
    assert_int_equal(cond_parse("audit-1", &c), -1);
    assert_int_equal(cond_parse("=0", &c), -1);
    assert_int_equal(cond_parse("!=0", &c), -1);
    assert_int_equal(cond_parse("audit-1=", &c), -1);
    assert_int_equal(cond_parse("audit-1=5", &c), -1);
    assert_int_equal(cond_parse("audit-99=0", &c), -1);
    assert_int_equal(cond_parse("asq-1=yes", &c), -1);
    assert_int_equal(cond_parse("asq-1=true|asq-2=true&asq-3=true", &c), -1);
    assert_int_equal(cond_parse("asq-1=true|", &c), -1);
    assert_int_equal(cond_parse("|asq-1=true", &c), -1);
    assert_int_equal(cond_parse("asq-1=true|asq-1=true|asq-1=true|asq-1=true|asq-1=true|"
                                "asq-1=true|asq-1=true|asq-1=true|asq-1=true|asq-1=true|"
                                "asq-1=true|asq-1=true|asq-1=true|asq-1=true|asq-1=true|"
                                "asq-1=true|asq-1=true", &c), -1);
}

static void test_eval_equal_and_not_equal(void **state)
{
    struct sheet s;
    (void)state;
    blank(&s);
    assert_true(eval(NULL, &s));
    /* not answered: both forms are false */
    assert_false(eval("audit-1=0", &s));
    assert_false(eval("audit-1!=0", &s));
    put(&s, "audit-1", "0");
    assert_true(eval("audit-1=0", &s));
    assert_false(eval("audit-1!=0", &s));
    put(&s, "audit-1", "3");
    assert_false(eval("audit-1=0", &s));
    assert_true(eval("audit-1!=0", &s));
}

static void test_eval_any_all(void **state)
{
    struct sheet s;
    (void)state;
    blank(&s);
    put(&s, "audit-2", "0");
    assert_false(eval("audit-2!=0|audit-3!=0", &s)); /* audit-3 unanswered: false */
    put(&s, "audit-3", "0");
    assert_false(eval("audit-2!=0|audit-3!=0", &s));
    put(&s, "audit-3", "1");
    assert_true(eval("audit-2!=0|audit-3!=0", &s));
    assert_false(eval("audit-2!=0&audit-3!=0", &s));
    put(&s, "audit-2", "2");
    assert_true(eval("audit-2!=0&audit-3!=0", &s));
}

static void test_eval_codes_contains(void **state)
{
    struct sheet s;
    long i = instruments_find("wd-daily", 8);
    (void)state;
    blank(&s);
    assert_false(eval("wd-daily=alcohol", &s));
    s.opt[i] = 0;
    s.codes[i] = 0; /* answered: empty list */
    assert_false(eval("wd-daily=alcohol", &s));
    assert_true(eval("wd-daily!=alcohol", &s));
    s.codes[i] = 1u << 2; /* opioids */
    assert_true(eval("wd-daily=opioids", &s));
    assert_false(eval("wd-daily=alcohol", &s));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_shapes),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_eval_equal_and_not_equal),
        cmocka_unit_test(test_eval_any_all),
        cmocka_unit_test(test_eval_codes_contains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
