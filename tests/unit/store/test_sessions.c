/* test_sessions: a set-password link's use (store/sessions.c, store_token_use) lands with its
 * audit entry or not at all (issue 8, finding 6): when the entry cannot be written (a trigger
 * refuses it: SQLite's syntax, test-only), the link stays unused, the password unset and the
 * sessions alive; when it can, all of it happens, with one entry. */
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

#define H(c) c c c c c c c c c c c c c c c c /* 64 hex digits from 4 */

static void test_token_use_and_entry_together(void **state)
{
    static const struct audit_entry entry = {
        .user_id = 1, .user_email = "sam@example.org", .roles = "clinician",
        .action = "set-password", .record_type = "user", .outcome = "ok", .client = "127.0.0.1",
    };
    const long now = 1700000000;
    char path[64], public_id[33];
    struct store *s = NULL;
    long uid, sid, who = 0;
    int applied, fd;
    (void)state;

    snprintf(path, sizeof(path), "/tmp/haven-token-XXXXXX");
    assert_true((fd = mkstemp(path)) >= 0);
    close(fd);
    assert_int_equal(store_open(path, &s), E_OK);
    assert_int_equal(store_migrate(s, &applied), E_OK);
    assert_int_equal(store_user_add(s, "sam@example.org", "Sam", 2, now, public_id, &uid), E_OK);
    assert_int_equal(store_token_add(s, uid, H("aaaa"), now, now + 86400), E_OK);
    assert_int_equal(store_session_add(s, uid, H("bbbb"), H("cccc"), false, "-", now, &sid), E_OK);

    fx_exec(s, "CREATE TRIGGER no_audit BEFORE INSERT ON audit_log"
               " BEGIN SELECT RAISE(ABORT, 'test'); END");
    assert_int_equal(store_token_use(s, H("aaaa"), now, "$argon2id$x", &who, &entry), E_DB);
    fx_exec(s, "DROP TRIGGER no_audit");
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM users WHERE password_hash IS NULL"), 1);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM password_tokens WHERE used_at IS NULL"),
                     1);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM sessions"), 1);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM audit_log"), 0);

    assert_int_equal(store_token_use(s, H("aaaa"), now, "$argon2id$x", &who, &entry), E_OK);
    assert_int_equal(who, uid);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM users WHERE password_hash IS NULL"), 0);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM password_tokens WHERE used_at IS NULL"),
                     0);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM sessions"), 0);
    assert_int_equal(
        fx_scalar(s, "SELECT count(*) FROM audit_log WHERE action = 'set-password'"), 1);
    /* Used: a second use changes nothing and writes nothing. */
    assert_int_equal(store_token_use(s, H("aaaa"), now, "$argon2id$y", &who, &entry),
                     E_CONFLICT);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM audit_log"), 1);

    store_close(s);
    fx_unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_use_and_entry_together),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
