/* test_password: the password rules (both sides of 12 characters and 128 bytes, code points
 * not bytes, e-mail, common list), the back-off schedule (both sides of 5 failures, doubling,
 * the 60-minute cap) and the session limits (both sides of 15 minutes idle, 12 hours, the
 * warning minute). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/utf8.h"
#include "domain/password.h"

static void test_length(void **state)
{
    char buf[200];
    (void)state;
    assert_int_equal(password_check("", NULL), PASSWORD_EMPTY);
    assert_int_equal(password_check(NULL, NULL), PASSWORD_EMPTY);
    assert_int_equal(password_check("amber-kettle", NULL), PASSWORD_OK);    /* 12 */
    assert_int_equal(password_check("amber-kettl", NULL), PASSWORD_TOO_SHORT); /* 11 */
    memset(buf, 'q', 128);
    buf[128] = '\0';
    assert_int_equal(password_check(buf, NULL), PASSWORD_OK);
    buf[128] = 'q';
    buf[129] = '\0';
    assert_int_equal(password_check(buf, NULL), PASSWORD_TOO_LONG);
}

static void test_code_points(void **state)
{
    (void)state;
    /* 11 code points in 22 bytes: still too short; 12 code points is enough. */
    assert_int_equal(utf8_count("ééééééééééé"), 11);
    assert_int_equal(password_check("ééééééééééé", NULL), PASSWORD_TOO_SHORT);
    assert_int_equal(password_check("éééééééééééé", NULL), PASSWORD_OK);
    assert_int_equal(utf8_count("🙂🙂🙂"), 3);
    assert_int_equal(password_check("\xff\xfe" "aaaaaaaaaaaaa", NULL), PASSWORD_BAD_TEXT);
    assert_int_equal(password_check("\xc0\xaf" "aaaaaaaaaaaaa", NULL), PASSWORD_BAD_TEXT);
    assert_int_equal(password_check("tab\there-and-more", NULL), PASSWORD_BAD_TEXT);
    /* 32 four-byte characters = 128 bytes: allowed; one more byte is not. */
    {
        char buf[200] = "";
        for (int i = 0; i < 32; i++)
            memcpy(buf + 4 * i, "🙂", 4);
        buf[128] = '\0';
        assert_int_equal(password_check(buf, NULL), PASSWORD_OK);
        buf[128] = 'x';
        buf[129] = '\0';
        assert_int_equal(password_check(buf, NULL), PASSWORD_TOO_LONG);
    }
}

static void test_email_and_common(void **state)
{
    (void)state;
    assert_int_equal(password_check("Nurse.Ratched@Clinic.org", "nurse.ratched@clinic.org"),
                     PASSWORD_IS_EMAIL);
    assert_int_equal(password_check("nurse.ratched@clinic.orgX", "nurse.ratched@clinic.org"),
                     PASSWORD_OK);
    assert_int_equal(password_check("password1234", NULL), PASSWORD_COMMON);
    assert_int_equal(password_check("PassWord1234", NULL), PASSWORD_COMMON);
    assert_int_equal(password_check("qwertyuiop123", NULL), PASSWORD_COMMON);
    assert_int_equal(password_check("correcthorsebatterystaple", NULL), PASSWORD_COMMON);
    assert_int_equal(password_check("password1234!", NULL), PASSWORD_OK);
    for (int p = PASSWORD_EMPTY; p <= PASSWORD_COMMON; p++)
        assert_true(strlen(password_message((enum password_problem)p)) > 10);
    assert_string_equal(password_message(PASSWORD_OK), "");
}

static void test_lockout(void **state)
{
    (void)state;
    assert_int_equal(password_lockout_seconds(0), 0);
    assert_int_equal(password_lockout_seconds(4), 0);
    assert_int_equal(password_lockout_seconds(5), 60);
    assert_int_equal(password_lockout_seconds(6), 120);
    assert_int_equal(password_lockout_seconds(7), 240);
    assert_int_equal(password_lockout_seconds(8), 480);
    assert_int_equal(password_lockout_seconds(10), 1920);
    assert_int_equal(password_lockout_seconds(11), 3600); /* 3840 capped */
    assert_int_equal(password_lockout_seconds(12), 3600);
    assert_int_equal(password_lockout_seconds(1000000), 3600);
}

static void test_session_idle(void **state)
{
    long left;
    const long t0 = 1700000000;
    (void)state;
    assert_int_equal(password_session_state(t0, t0, t0, &left), SESSION_ACTIVE);
    assert_int_equal(left, 900);
    assert_int_equal(password_session_state(t0 + 839, t0, t0, NULL), SESSION_ACTIVE);
    assert_int_equal(password_session_state(t0 + 840, t0, t0, &left), SESSION_WARN);
    assert_int_equal(left, 60);
    assert_int_equal(password_session_state(t0 + 899, t0, t0, &left), SESSION_WARN);
    assert_int_equal(left, 1);
    assert_int_equal(password_session_state(t0 + 900, t0, t0, &left), SESSION_IDLE_EXPIRED);
    assert_int_equal(left, 0);
    /* Activity moves the idle limit. */
    assert_int_equal(password_session_state(t0 + 1000, t0, t0 + 500, NULL), SESSION_ACTIVE);
}

static void test_session_absolute(void **state)
{
    long left;
    const long t0 = 1700000000, h12 = 12 * 3600;
    (void)state;
    assert_int_equal(password_session_state(t0 + h12 - 1, t0, t0 + h12 - 10, &left),
                     SESSION_ACTIVE);
    assert_int_equal(left, 1); /* the nearer limit: 12 h */
    assert_int_equal(password_session_state(t0 + h12, t0, t0 + h12 - 10, NULL), SESSION_TOO_OLD);
    assert_int_equal(password_session_state(t0 + h12 + 5, t0, t0 + h12, NULL), SESSION_TOO_OLD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_length),          cmocka_unit_test(test_code_points),
        cmocka_unit_test(test_email_and_common), cmocka_unit_test(test_lockout),
        cmocka_unit_test(test_session_idle),    cmocka_unit_test(test_session_absolute),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
