/* Unit tests for core/ratelimit: the limit holds per key and per window. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>

#include "core/ratelimit.h"

static void test_limit_per_key_and_window(void **state)
{
    struct ratelimit *rl = ratelimit_new(3, 3600);
    (void)state;

    assert_true(sodium_init() >= 0);
    for (int i = 0; i < 3; i++)
        assert_true(ratelimit_allow(rl, "203.0.113.7", 1000 + i));
    assert_false(ratelimit_allow(rl, "203.0.113.7", 1010));   /* the 4th in the hour */
    assert_true(ratelimit_allow(rl, "198.51.100.2", 1010));   /* another address */
    assert_false(ratelimit_allow(rl, "203.0.113.7", 1000 + 3599));
    assert_true(ratelimit_allow(rl, "203.0.113.7", 1000 + 3600)); /* a new window */
    ratelimit_free(rl);
    ratelimit_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limit_per_key_and_window),
    };
    return cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL);
}
