/* test_second_factor: the second factor's audited writes (store/second_factor.c) land with
 * their audit entry or not at all (issue 8, finding 6): turning two-step sign-in on, replacing
 * the recovery codes and using one. When the entry cannot be written (a trigger refuses it:
 * SQLite's syntax, test-only), the change is rolled back; when it can, both are there. */
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

static char path[64];
static struct store *s;
static long uid;

#define H(c) c c c c c c c c c c c c c c c c /* 64 hex digits from 4 */
static const char *const old_codes[] = {H("aaaa"), H("bbbb")};
static const char *const new_codes[] = {H("cccc")};

static const struct audit_entry entry = {
    .user_id = 1, .user_email = "sam@example.org", .roles = "clinician", .action = "enable-2fa",
    .record_type = "user", .outcome = "ok", .client = "127.0.0.1",
};

static int setup(void **state)
{
    char public_id[33], sealed[124];
    int applied, fd;
    (void)state;

    snprintf(path, sizeof(path), "/tmp/haven-2fa-XXXXXX");
    if ((fd = mkstemp(path)) < 0)
        return -1;
    close(fd);
    if (store_open(path, &s) != E_OK || store_migrate(s, &applied) != E_OK ||
        store_user_add(s, "sam@example.org", "Sam", 2, 1700000000, public_id, &uid) != E_OK)
        return -1;
    /* The column takes the sealed form's shape only; its content does not matter here. */
    snprintf(sealed, sizeof(sealed), "s1:%s%.56s", H("0123"), H("4567"));
    return store_totp_set_secret(s, uid, sealed) == E_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    store_close(s);
    fx_unlink(path);
    return 0;
}

static long entries(const char *action)
{
    char sql[160];

    snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_log WHERE action = '%s'", action);
    return fx_scalar(s, sql);
}

static void refuse_entries(bool on)
{
    fx_exec(s, on ? "CREATE TRIGGER no_audit BEFORE INSERT ON audit_log"
                    " BEGIN SELECT RAISE(ABORT, 'test'); END"
                  : "DROP TRIGGER no_audit");
}

static void test_enable(void **state)
{
    struct audit_entry e = entry;
    (void)state;

    refuse_entries(true);
    assert_int_equal(store_totp_enable_audited(s, uid, 5, old_codes, 2, &e), E_DB);
    refuse_entries(false);
    assert_int_equal(fx_scalar(s, "SELECT totp_enabled FROM users"), 0);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM recovery_codes"), 0);
    assert_int_equal(entries("enable-2fa"), 0);

    assert_int_equal(store_totp_enable_audited(s, uid, 5, old_codes, 2, &e), E_OK);
    assert_int_equal(fx_scalar(s, "SELECT totp_enabled FROM users"), 1);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM recovery_codes"), 2);
    assert_int_equal(entries("enable-2fa"), 1);
}

static void test_replace(void **state)
{
    struct audit_entry e = entry;
    int left = -1;
    (void)state;

    e.action = "regenerate-recovery-codes";
    refuse_entries(true);
    assert_int_equal(store_recovery_replace_audited(s, uid, new_codes, 1, &e), E_DB);
    refuse_entries(false);
    assert_int_equal(store_recovery_left(s, uid, &left), E_OK);
    assert_int_equal(left, 2); /* the old set still works */
    assert_int_equal(entries(e.action), 0);

    assert_int_equal(store_recovery_replace_audited(s, uid, new_codes, 1, &e), E_OK);
    assert_int_equal(store_recovery_left(s, uid, &left), E_OK);
    assert_int_equal(left, 1);
    assert_int_equal(entries(e.action), 1);
}

static void test_use(void **state)
{
    struct audit_entry e = entry;
    int left = -1;
    (void)state;

    e.action = "use-recovery-code";
    refuse_entries(true);
    assert_int_equal(store_recovery_use_audited(s, uid, new_codes[0], 1700000000, &e), E_DB);
    refuse_entries(false);
    assert_int_equal(store_recovery_left(s, uid, &left), E_OK);
    assert_int_equal(left, 1); /* not used up */
    assert_int_equal(entries(e.action), 0);

    /* A code that is not there: no change, and no entry either. */
    assert_int_equal(store_recovery_use_audited(s, uid, old_codes[0], 1700000000, &e),
                     E_NOTFOUND);
    assert_int_equal(entries(e.action), 0);

    assert_int_equal(store_recovery_use_audited(s, uid, new_codes[0], 1700000000, &e), E_OK);
    assert_int_equal(store_recovery_left(s, uid, &left), E_OK);
    assert_int_equal(left, 0);
    assert_int_equal(entries(e.action), 1);
    assert_int_equal(store_recovery_use_audited(s, uid, new_codes[0], 1700000000, &e),
                     E_NOTFOUND); /* once */
    assert_int_equal(entries(e.action), 1);
}

int main(void)
{
    /* In order: each step starts where the one before left the account. */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enable),
        cmocka_unit_test(test_replace),
        cmocka_unit_test(test_use),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
