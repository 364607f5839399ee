/* Unit tests for core/keyfile: the secret key file is made once, then only read, and refused
 * when it is not a private regular file of 64 hex digits. */
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
#include "core/keyfile.h"

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
    unsigned char a[KEYFILE_BYTES], b[KEYFILE_BYTES], zero[KEYFILE_BYTES] = {0};
    bool created = false;
    struct stat st;

    /* Missing, and not to be created: refused, nothing created. */
    assert_int_equal(keyfile_load(d->key, false, a, &created), -1);
    assert_int_not_equal(access(d->key, F_OK), 0);
    /* Missing, may be created: a new random key in a 0600 file of 64 hex digits + newline. */
    assert_int_equal(keyfile_load(d->key, true, a, &created), 0);
    assert_true(created);
    assert_memory_not_equal(a, zero, sizeof(a));
    assert_int_equal(stat(d->key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 2 * KEYFILE_BYTES + 1);
    /* Present: read back, the same key, not created again. */
    assert_int_equal(keyfile_load(d->key, true, b, &created), 0);
    assert_false(created);
    assert_memory_equal(a, b, sizeof(a));
    assert_int_equal(keyfile_load(d->key, false, b, &created), 0);
    assert_memory_equal(a, b, sizeof(a));
}

static void test_key_file_refused(void **state)
{
    struct dir *d = *state;
    unsigned char key[KEYFILE_BYTES];
    char link[128];
    bool created = false;
    const char *good = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    write_file(d->key, good, 0600);
    assert_int_equal(keyfile_load(d->key, false, key, &created), 0);
    assert_int_equal(key[0], 0);
    assert_int_equal(key[31], 0x1f);
    /* Readable by the group or others: refused, whatever the content. */
    write_file(d->key, good, 0640);
    assert_int_equal(keyfile_load(d->key, true, key, &created), -1);
    write_file(d->key, good, 0604);
    assert_int_equal(keyfile_load(d->key, true, key, &created), -1);
    /* Not 64 hex digits. */
    write_file(d->key, "000102", 0600);
    assert_int_equal(keyfile_load(d->key, true, key, &created), -1);
    write_file(d->key, "zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 0600);
    assert_int_equal(keyfile_load(d->key, true, key, &created), -1);
    write_file(d->key, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00",
               0600);
    assert_int_equal(keyfile_load(d->key, true, key, &created), -1);
    /* A dangling symbolic link is never followed to create a key. */
    unlink(d->key);
    snprintf(link, sizeof(link), "%s/link", d->path);
    assert_int_equal(symlink(d->key, link), 0);
    assert_int_equal(keyfile_load(link, true, key, &created), -1);
    assert_false(created);
    assert_int_not_equal(access(d->key, F_OK), 0);
    assert_int_equal(keyfile_load("", true, key, &created), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_key_file_created_once, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_key_file_refused, dir_setup, dir_teardown),
    };
    return cmocka_run_group_tests_name("keyfile", tests, NULL, NULL);
}
