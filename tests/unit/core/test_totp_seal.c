/* test_totp_seal: second-factor secrets at rest: sealing round-trips, a wrong key or any changed
 * byte (nonce, MAC, ciphertext) fails to open, and malformed texts are refused. (The key file
 * itself: test_keyfile.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/rand.h"
#include "core/totp.h"

static const unsigned char secret[TOTP_SECRET_BYTES] = "12345678901234567890";

static void fill(unsigned char key[TOTP_KEY_BYTES], unsigned char v)
{
    memset(key, v, TOTP_KEY_BYTES);
}

static void test_round_trip(void **state)
{
    unsigned char key[TOTP_KEY_BYTES], out[TOTP_SECRET_BYTES];
    char a[TOTP_SEALED_LEN + 1], b[TOTP_SEALED_LEN + 1];
    (void)state;

    fill(key, 7);
    assert_int_equal(totp_seal(key, secret, a), 0);
    assert_int_equal(strlen(a), TOTP_SEALED_LEN);
    assert_memory_equal(a, "s1:", 3);
    assert_true(totp_is_sealed(a));
    assert_false(totp_is_plain(a));
    assert_int_equal(totp_open(key, a, out), 0);
    assert_memory_equal(out, secret, sizeof(out));
    /* A fresh nonce each time: the same secret never seals to the same text. */
    assert_int_equal(totp_seal(key, secret, b), 0);
    assert_string_not_equal(a, b);
    assert_int_equal(totp_open(key, b, out), 0);
    assert_memory_equal(out, secret, sizeof(out));
    /* The secret does not appear in the sealed text, in hex or raw. */
    assert_null(strstr(a, "3132333435363738393031323334353637383930"));
}

static void test_wrong_key(void **state)
{
    unsigned char key[TOTP_KEY_BYTES], other[TOTP_KEY_BYTES], out[TOTP_SECRET_BYTES];
    char sealed[TOTP_SEALED_LEN + 1];
    (void)state;

    fill(key, 7);
    memcpy(other, key, sizeof(other));
    other[TOTP_KEY_BYTES - 1] ^= 1; /* one bit apart */
    assert_int_equal(totp_seal(key, secret, sealed), 0);
    memset(out, 0xAA, sizeof(out));
    assert_int_equal(totp_open(other, sealed, out), -1);
    for (size_t i = 0; i < sizeof(out); i++)
        assert_int_equal(out[i], 0); /* nothing half-decrypted is left behind */
    assert_int_equal(totp_open(key, sealed, out), 0);
}

static void test_tampered(void **state)
{
    unsigned char key[TOTP_KEY_BYTES], out[TOTP_SECRET_BYTES];
    char sealed[TOTP_SEALED_LEN + 1], bad[TOTP_SEALED_LEN + 1];
    /* a hex digit in the nonce, the MAC, the ciphertext, and the last one */
    const size_t at[] = {3, 3 + 48, 3 + 48 + 32, TOTP_SEALED_LEN - 1};
    (void)state;

    fill(key, 9);
    assert_int_equal(totp_seal(key, secret, sealed), 0);
    for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
        memcpy(bad, sealed, sizeof(bad));
        bad[at[i]] = bad[at[i]] == '0' ? '1' : '0';
        assert_true(totp_is_sealed(bad));
        assert_int_equal(totp_open(key, bad, out), -1);
    }
    /* Cut short, grown, another version tag, upper-case hex, a plain secret, nothing. */
    memcpy(bad, sealed, sizeof(bad));
    bad[TOTP_SEALED_LEN - 2] = '\0';
    assert_int_equal(totp_open(key, bad, out), -1);
    memcpy(bad, sealed, sizeof(bad));
    bad[1] = '2';
    assert_int_equal(totp_open(key, bad, out), -1);
    memcpy(bad, sealed, sizeof(bad));
    bad[10] = 'A';
    assert_false(totp_is_sealed(bad));
    assert_int_equal(totp_open(key, bad, out), -1);
    assert_int_equal(totp_open(key, "3132333435363738393031323334353637383930", out), -1);
    assert_int_equal(totp_open(key, "", out), -1);
    assert_int_equal(totp_open(key, NULL, out), -1);
}

static void test_plain_form(void **state)
{
    (void)state;
    assert_true(totp_is_plain("3132333435363738393031323334353637383930"));
    assert_false(totp_is_plain("313233343536373839303132333435363738393"));   /* 39 */
    assert_false(totp_is_plain("31323334353637383930313233343536373839300")); /* 41 */
    assert_false(totp_is_plain("313233343536373839303132333435363738393g"));
    assert_false(totp_is_plain(NULL));
    assert_false(totp_is_sealed("3132333435363738393031323334353637383930"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_wrong_key),
        cmocka_unit_test(test_tampered),
        cmocka_unit_test(test_plain_form),
    };
    if (rand_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
