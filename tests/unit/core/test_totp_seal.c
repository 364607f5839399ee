/* test_totp_seal: second-factor secrets at rest: sealing round-trips, a wrong key or any changed
 * byte (nonce, MAC, ciphertext) fails to open, malformed texts are refused, and the key file is
 * created 0600 once, read back the same, and refused when missing (without leave to create),
 * open to others, or not 64 hex digits. */
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

struct dir {
    char path[64];
    char key[96];
};

static int dir_setup(void **state)
{
    struct dir *d = calloc(1, sizeof(*d));

    snprintf(d->path, sizeof(d->path), "/tmp/haven-key-XXXXXX");
    if (!mkdtemp(d->path))
        return -1;
    snprintf(d->key, sizeof(d->key), "%s/haven.db.key", d->path);
    *state = d;
    return 0;
}

static int dir_teardown(void **state)
{
    struct dir *d = *state;
    char p[128];

    unlink(d->key);
    snprintf(p, sizeof(p), "%s/link", d->path);
    unlink(p);
    rmdir(d->path);
    free(d);
    return 0;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

static void test_key_file_created_once(void **state)
{
    struct dir *d = *state;
    unsigned char a[TOTP_KEY_BYTES], b[TOTP_KEY_BYTES], zero[TOTP_KEY_BYTES] = {0};
    bool created = false;
    struct stat st;

    /* Missing, and not to be created: refused, nothing created. */
    assert_int_equal(totp_key_file(d->key, false, a, &created), -1);
    assert_int_not_equal(access(d->key, F_OK), 0);
    /* Missing, may be created: a new random key in a 0600 file of 64 hex digits + newline. */
    assert_int_equal(totp_key_file(d->key, true, a, &created), 0);
    assert_true(created);
    assert_memory_not_equal(a, zero, sizeof(a));
    assert_int_equal(stat(d->key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 2 * TOTP_KEY_BYTES + 1);
    /* Present: read back, the same key, not created again. */
    assert_int_equal(totp_key_file(d->key, true, b, &created), 0);
    assert_false(created);
    assert_memory_equal(a, b, sizeof(a));
    assert_int_equal(totp_key_file(d->key, false, b, &created), 0);
    assert_memory_equal(a, b, sizeof(a));
}

static void test_key_file_refused(void **state)
{
    struct dir *d = *state;
    unsigned char key[TOTP_KEY_BYTES];
    char link[128];
    bool created = false;
    const char *good = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    write_file(d->key, good, 0600);
    assert_int_equal(totp_key_file(d->key, false, key, &created), 0);
    assert_int_equal(key[0], 0);
    assert_int_equal(key[31], 0x1f);
    /* Readable by the group or others: refused, whatever the content. */
    write_file(d->key, good, 0640);
    assert_int_equal(totp_key_file(d->key, true, key, &created), -1);
    write_file(d->key, good, 0604);
    assert_int_equal(totp_key_file(d->key, true, key, &created), -1);
    /* Not 64 hex digits. */
    write_file(d->key, "000102", 0600);
    assert_int_equal(totp_key_file(d->key, true, key, &created), -1);
    write_file(d->key, "zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 0600);
    assert_int_equal(totp_key_file(d->key, true, key, &created), -1);
    write_file(d->key, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00",
               0600);
    assert_int_equal(totp_key_file(d->key, true, key, &created), -1);
    /* A dangling symbolic link is never followed to create a key. */
    unlink(d->key);
    snprintf(link, sizeof(link), "%s/link", d->path);
    assert_int_equal(symlink(d->key, link), 0);
    assert_int_equal(totp_key_file(link, true, key, &created), -1);
    assert_false(created);
    assert_int_not_equal(access(d->key, F_OK), 0);
    assert_int_equal(totp_key_file("", true, key, &created), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_wrong_key),
        cmocka_unit_test(test_tampered),
        cmocka_unit_test(test_plain_form),
        cmocka_unit_test_setup_teardown(test_key_file_created_once, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_key_file_refused, dir_setup, dir_teardown),
    };
    if (rand_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
