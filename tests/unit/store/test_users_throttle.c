/* test_users_throttle: sign-in throttling in the store (store/users.c; issue 8, finding 4).
 * An address's failures are a leaky bucket: each leak period takes one away, exactly, however
 * often failures come (the part of a period already run is kept); an empty bucket starts again;
 * a success (store_throttle_clear) forgets the account's failures and never the address's;
 * addresses are counted apart. A pause lands with its audit entry or not at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/audit.h"
#include "store/staff.h"
#include "store/store.h"
#include "store_fixture.h"

#define T0 1700000000L
#define LEAK 1800L /* one failure every 30 minutes */

static char path[64];
static struct store *s;
static long uid;

static int setup(void **state)
{
    char public_id[33];
    int applied, fd;
    (void)state;

    snprintf(path, sizeof(path), "/tmp/haven-throttle-XXXXXX");
    if ((fd = mkstemp(path)) < 0)
        return -1;
    close(fd);
    return store_open(path, &s) == E_OK && store_migrate(s, &applied) == E_OK &&
                   store_user_add(s, "sam@example.org", "Sam", 2, T0, public_id, &uid) == E_OK
               ? 0
               : -1;
}

static int teardown(void **state)
{
    (void)state;
    store_close(s);
    fx_unlink(path);
    return 0;
}

/* One failure from ip at t; what the bucket holds after it. */
static int fail_at(const char *ip, long t)
{
    int n = -1;

    assert_int_equal(store_throttle_ip_fail(s, ip, t, LEAK, &n), E_OK);
    return n;
}

static void test_bucket_leaks_one_per_period(void **state)
{
    const char *ip = "198.51.100.1";
    (void)state;

    for (int i = 1; i <= 45; i++)
        assert_int_equal(fail_at(ip, T0), i);
    /* Within the first period nothing has leaked; at its end, one has. */
    assert_int_equal(fail_at(ip, T0 + LEAK - 1), 46);
    assert_int_equal(fail_at(ip, T0 + LEAK), 46);
    /* Ten periods later, ten fewer (and this one). */
    assert_int_equal(fail_at(ip, T0 + 11 * LEAK), 37);
    /* Failures a little faster than the leak still leak: the part of a period already run is
     * kept, not restarted by each failure. 2 periods, 3 failures: one more than before. */
    assert_int_equal(fail_at(ip, T0 + 11 * LEAK + 2 * LEAK / 3), 38);
    assert_int_equal(fail_at(ip, T0 + 11 * LEAK + 4 * LEAK / 3), 38);
    assert_int_equal(fail_at(ip, T0 + 13 * LEAK), 38);
    /* Long enough, and it is empty: it starts again at one, with its clock at now. */
    assert_int_equal(fail_at(ip, T0 + 100 * LEAK), 1);
    assert_int_equal(fail_at(ip, T0 + 101 * LEAK - 1), 2);
    /* A clock behind the stored one (a clock step back) leaks nothing. */
    assert_int_equal(fail_at(ip, T0), 3);
    /* Addresses are counted apart. */
    assert_int_equal(fail_at("198.51.100.2", T0), 1);
}

static void test_success_keeps_the_address_count(void **state)
{
    const char *ip = "198.51.100.3";
    struct staff_user u;
    int n = -1;
    (void)state;

    for (int i = 0; i < 45; i++)
        fail_at(ip, T0);
    assert_int_equal(store_throttle_user_fail(s, uid, &n), E_OK);
    assert_int_equal(n, 1);
    /* The account's own success: its failures are forgotten, the address's are not. */
    assert_int_equal(store_throttle_clear(s, uid), E_OK);
    assert_int_equal(store_user_get(s, STAFF_BY_ID, uid, NULL, &u), E_OK);
    assert_int_equal(u.failed_count, 0);
    assert_int_equal(fail_at(ip, T0), 46);
    for (int i = 0; i < 3; i++)
        fail_at(ip, T0);
    assert_int_equal(fail_at(ip, T0), 50);
}

static void test_pause_and_entry_together(void **state)
{
    const char *ip = "198.51.100.4";
    struct audit_entry e = {
        .user_email = "anonymous", .roles = "", .action = "lockout", .record_type = "address",
        .outcome = "ok", .client = ip,
    };
    long until = -1;
    (void)state;

    fail_at(ip, T0);
    fx_exec(s, "CREATE TRIGGER no_audit BEFORE INSERT ON audit_log"
               " BEGIN SELECT RAISE(ABORT, 'test'); END");
    assert_int_equal(store_throttle_lock(s, 0, ip, T0 + 60, &e), E_DB);
    e.record_type = "user";
    assert_int_equal(store_throttle_lock(s, uid, NULL, T0 + 60, &e), E_DB);
    fx_exec(s, "DROP TRIGGER no_audit");
    assert_int_equal(store_throttle_ip_until(s, ip, &until), E_OK);
    assert_int_equal(until, 0);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM users WHERE locked_until IS NOT NULL"), 0);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM audit_log"), 0);

    e.record_type = "address";
    assert_int_equal(store_throttle_lock(s, 0, ip, T0 + 60, &e), E_OK);
    e.record_type = "user";
    assert_int_equal(store_throttle_lock(s, uid, NULL, T0 + 60, &e), E_OK);
    assert_int_equal(store_throttle_ip_until(s, ip, &until), E_OK);
    assert_int_equal(until, T0 + 60);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM users WHERE locked_until IS NOT NULL"), 1);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM audit_log WHERE action = 'lockout'"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bucket_leaks_one_per_period),
        cmocka_unit_test(test_success_keeps_the_address_count),
        cmocka_unit_test(test_pause_and_entry_together),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
