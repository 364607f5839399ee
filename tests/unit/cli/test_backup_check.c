/* test_backup_check: what `haven backup` and `haven check` (cli/cmd_backup.c, cli/cmd_check.c)
 * stand on: the store's operations over the driver (store_backup, store_check,
 * store_schema_state). The schema's state counts this binary's migrations applied, pending (a
 * database never migrated, a row removed) and unknown (a newer binary's); the integrity check
 * passes a sound file; a backup is one snapshot taken while another connection holds a write
 * open, a single file without a journal, and needs its file to exist (the command makes it,
 * with its mode). Raw SQL only looks or tampers (tests/unit/store/store_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/embed.h"
#include "store/db.h"
#include "store/store.h"
#include "../store/store_fixture.h"

static char path[64], copy[80];

static int migrations_embedded(void)
{
    int n = 0;

    for (size_t i = 0; i < embedded_files_count; i++)
        n += strncmp(embedded_files[i].name, "migrations/", 11) == 0;
    return n;
}

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof(path), "/tmp/haven-test-ops-%d.db", (int)getpid());
    snprintf(copy, sizeof(copy), "%s.copy", path);
    fx_unlink(path);
    fx_unlink(copy);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_unlink(path);
    fx_unlink(copy);
    return 0;
}

static void test_schema_state(void **state)
{
    struct db_schema m;
    struct store *s;
    int n;

    (void)state;
    assert_int_equal(store_open(path, &s), E_OK);
    /* Never migrated: no schema_migrations table; everything is pending, nothing is made. */
    assert_int_equal(store_schema_state(s, &m), E_OK);
    assert_int_equal(m.applied, 0);
    assert_int_equal(m.pending, migrations_embedded());
    assert_string_equal(m.first_pending, "0001_init.sql");
    assert_int_equal(m.unknown, 0);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM sqlite_master"
                                  " WHERE name = 'schema_migrations'"), 0);

    assert_int_equal(store_migrate(s, &n), E_OK);
    assert_int_equal(store_schema_state(s, &m), E_OK);
    assert_int_equal(m.applied, migrations_embedded());
    assert_int_equal(m.pending, 0);
    assert_string_equal(m.first_pending, "");

    fx_exec(s, "DELETE FROM schema_migrations WHERE name = '0003_audit.sql'");
    fx_exec(s, "INSERT INTO schema_migrations (name, applied_at) VALUES"
               " ('9999_newer.sql', '2099-01-01T00:00:00.000Z'),"
               " ('9998_newer.sql', '2099-01-01T00:00:00.000Z')");
    assert_int_equal(store_schema_state(s, &m), E_OK);
    assert_int_equal(m.pending, 1);
    assert_string_equal(m.first_pending, "0003_audit.sql");
    assert_int_equal(m.unknown, 2);
    assert_string_equal(m.first_unknown, "9998_newer.sql");
    assert_int_equal(m.applied, migrations_embedded() - 1);
    store_close(s);
}

static void test_check_sound(void **state)
{
    char problem[256] = "x";
    struct store *s;
    int n;

    (void)state;
    assert_int_equal(store_open(path, &s), E_OK);
    assert_int_equal(store_migrate(s, &n), E_OK);
    assert_int_equal(store_check(s, problem, sizeof(problem)), E_OK);
    assert_string_equal(problem, "");
    store_close(s);
}

/* A writer holds an open transaction while the copy is taken: the copy does not wait for it
 * and has what was committed, not what was not. */
static void test_backup_is_one_snapshot(void **state)
{
    char problem[256], mode[16];
    struct store *s, *writer, *c;
    int n, fd;

    (void)state;
    assert_int_equal(store_open(path, &s), E_OK);
    assert_int_equal(store_migrate(s, &n), E_OK);
    fx_exec(s, "INSERT INTO settings (key, value) VALUES ('committed', '1')");
    assert_int_equal(store_open(path, &writer), E_OK);
    fx_exec(writer, "BEGIN IMMEDIATE; INSERT INTO settings (key, value) VALUES ('open', '1')");

    /* The file must exist: the command makes it with mode 0600 first. */
    assert_int_equal(store_backup(s, copy, problem, sizeof(problem)), E_DB);
    assert_int_equal(access(copy, F_OK), -1);
    assert_true((fd = open(copy, O_CREAT | O_EXCL | O_WRONLY, 0600)) >= 0);
    close(fd);
    assert_int_equal(store_backup(s, copy, problem, sizeof(problem)), E_OK);
    fx_exec(writer, "COMMIT");
    store_close(writer);
    store_close(s);

    /* One file, no journal beside it; the committed row, not the one still open. */
    snprintf(problem, sizeof(problem), "%s-wal", copy);
    assert_int_equal(access(problem, F_OK), -1);
    assert_int_equal(store_open(copy, &c), E_OK);
    fx_text(c, "SELECT value FROM settings WHERE key = 'committed'", mode, sizeof(mode));
    assert_string_equal(mode, "1");
    assert_int_equal(fx_scalar(c, "SELECT count(*) FROM settings WHERE key = 'open'"), 0);
    assert_int_equal(store_check(c, problem, sizeof(problem)), E_OK);
    store_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_schema_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_sound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_is_one_snapshot, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
