/* test_db: the settings every connection the driver opens has (DESIGN.md §6), read back through
 * db.h: WAL, and synchronous=FULL, so that a write acknowledged to a client (a crisis call
 * request) survives a power cut: with NORMAL, a WAL commit is not flushed to disk until the
 * next checkpoint. Foreign keys are on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "store_fixture.h"

static char path[64];
static struct store *s;

/* One fresh database file for the group (its -wal and -shm beside it), removed at the end. */
static int fresh_db(void **state)
{
    (void)state;
    snprintf(path, sizeof(path), "/tmp/haven-db-%ld", (long)getpid());
    fx_unlink(path);
    return store_open(path, &s) == E_OK ? 0 : -1;
}

static int drop_db(void **state)
{
    (void)state;
    store_close(s);
    fx_unlink(path);
    return 0;
}

/* SQLite's numbers: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. PRAGMA is engine SQL: this test is about
 * the SQLite driver's own settings. */
static void synchronous_is_full(void **state)
{
    (void)state;
    assert_int_equal(fx_scalar(s, "PRAGMA synchronous"), 2);
}

static void journal_is_wal_and_foreign_keys_on(void **state)
{
    char mode[16];
    (void)state;

    fx_text(s, "PRAGMA journal_mode", mode, sizeof(mode));
    assert_string_equal(mode, "wal");
    assert_int_equal(fx_scalar(s, "PRAGMA foreign_keys"), 1);
}

/* A second connection to the same file (each server thread has its own) gets the same. */
static void every_connection_is_full(void **state)
{
    struct store *other = NULL;
    (void)state;

    assert_int_equal(store_open(path, &other), E_OK);
    assert_int_equal(fx_scalar(other, "PRAGMA synchronous"), 2);
    store_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(synchronous_is_full),
        cmocka_unit_test(journal_is_wal_and_foreign_keys_on),
        cmocka_unit_test(every_connection_is_full),
    };
    return cmocka_run_group_tests(tests, fresh_db, drop_db);
}
