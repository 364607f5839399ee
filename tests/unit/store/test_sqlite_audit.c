/* test_sqlite_audit: the SQLite audit trail: append links each entry to the one before, inside
 * or outside a caller's transaction; filters, paging and counts; the verify walk finds an edited,
 * a removed and a relinked entry; the triggers refuse UPDATE and DELETE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/sqlite_internal.h"
#include "store/store.h"
#include "store/store_audit.h"

struct fixture {
    char path[64];
    struct store *s;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    int applied, fd;

    snprintf(f->path, sizeof(f->path), "/tmp/haven-audit-XXXXXX");
    fd = mkstemp(f->path);
    if (fd < 0)
        return -1;
    close(fd);
    if (store_open(f->path, &f->s) != E_OK || store_migrate(f->s, &applied) != E_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char p[80];

    store_close(f->s);
    unlink(f->path);
    snprintf(p, sizeof(p), "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", f->path);
    unlink(p);
    free(f);
    return 0;
}

static enum err add(struct store *s, const char *email, const char *action, const char *type,
                    const char *id)
{
    struct audit_entry e = {
        .user_id = strcmp(email, "anonymous") ? 7 : 0, .user_email = email, .roles = "auditor",
        .action = action, .record_type = type, .record_id = id, .outcome = "ok",
        .client = "127.0.0.1",
    };
    return store_audit_append(s, &e);
}

static void exec_ok(struct store *s, const char *sql)
{
    assert_int_equal(sqlite3_exec(sqlite_of(s)->db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static void verify_broken(struct store *s, long id, const char *reason_part)
{
    struct audit_verify v;

    assert_int_equal(store_audit_verify(s, &v), E_OK);
    assert_int_equal(v.broken_id, id);
    assert_non_null(strstr(v.reason, reason_part));
}

struct seen {
    long ids[300];
    size_t n;
};

static int collect(const struct audit_entry *e, void *ctx)
{
    struct seen *s = ctx;
    s->ids[s->n++] = e->id;
    return 0;
}

static void fill(struct store *s)
{
    assert_int_equal(add(s, "anonymous", "create", "referral", "r1"), E_OK);
    assert_int_equal(add(s, "a@x.org", "view", "referral", "r1"), E_OK);
    assert_int_equal(add(s, "b@x.org", "view", "patient", "p1"), E_OK);
    assert_int_equal(add(s, "a@x.org", "update", "patient", "p1"), E_OK);
    assert_int_equal(add(s, "a@x.org", "view", "audit", NULL), E_OK);
}

static void test_append_links(void **state)
{
    struct fixture *f = *state;
    struct audit_verify v;
    long id = 0;
    struct audit_entry e = {.user_email = "anonymous", .roles = "", .action = "view",
                            .record_type = "audit", .outcome = "ok", .client = "-"};

    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.entries, 0);
    fill(f->s);
    assert_int_equal(store_audit_append_id(f->s, &e, &id), E_OK);
    assert_int_equal(id, 6);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.entries, 6);
    assert_int_equal(v.broken_id, 0);
}

static void test_append_inside_transaction(void **state)
{
    struct fixture *f = *state;
    struct sqlite_store *ss = sqlite_of(f->s);
    struct audit_verify v;
    long n;

    assert_int_equal(sqlite_begin(ss), E_OK);
    assert_int_equal(add(f->s, "a@x.org", "create", "patient", "p9"), E_OK);
    assert_int_equal(sqlite3_get_autocommit(ss->db), 0); /* still the caller's transaction */
    sqlite_rollback(ss);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){0}, &n), E_OK);
    assert_int_equal(n, 0); /* rolled back with the caller's work */
    assert_int_equal(sqlite_begin(ss), E_OK);
    assert_int_equal(add(f->s, "a@x.org", "create", "patient", "p9"), E_OK);
    assert_int_equal(sqlite_commit(ss), E_OK);
    assert_int_equal(store_audit_verify(f->s, &v), E_OK);
    assert_int_equal(v.entries, 1);
    assert_int_equal(v.broken_id, 0);
}

static void test_append_invalid(void **state)
{
    struct fixture *f = *state;
    struct audit_entry e = {.user_email = "anonymous", .roles = "", .action = NULL,
                            .record_type = "audit", .outcome = "ok", .client = "-"};
    long n;

    assert_int_equal(store_audit_append(f->s, &e), E_INVALID);
    e.action = "view";
    e.outcome = "maybe"; /* not one of the outcomes the table allows */
    assert_int_equal(store_audit_append(f->s, &e), E_INVALID);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){0}, &n), E_OK);
    assert_int_equal(n, 0);
    assert_int_equal(sqlite3_get_autocommit(sqlite_of(f->s)->db), 1); /* nothing left open */
}

static void test_filters(void **state)
{
    struct fixture *f = *state;
    struct seen s = {0};
    long n;

    fill(f->s);
    assert_int_equal(store_audit_query(f->s, &(struct audit_filter){0}, collect, &s), E_OK);
    assert_int_equal(s.n, 5);
    assert_int_equal(s.ids[0], 5); /* newest first */
    assert_int_equal(s.ids[4], 1);
    s.n = 0;
    assert_int_equal(store_audit_query(f->s, &(struct audit_filter){.user_email = "A@X.ORG"},
                                       collect, &s), E_OK);
    assert_int_equal(s.n, 3); /* e-mail ignores case */
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.record_type = "patient",
                                                                    .record_id = "p1"}, &n), E_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.action = "view",
                                                                    .record_type = "referral"}, &n), E_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.from = "2000-01-01",
                                                                    .to = "2000-12-31"}, &n), E_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.from = "2000-01-01",
                                                                    .to = "9999-12-31"}, &n), E_OK);
    assert_int_equal(n, 5);
    assert_int_equal(store_audit_count(f->s, &(struct audit_filter){.max_id = 2}, &n), E_OK);
    assert_int_equal(n, 2);
    s.n = 0;
    assert_int_equal(store_audit_query(f->s, &(struct audit_filter){.limit = 2, .offset = 2},
                                       collect, &s), E_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.ids[0], 3);
    assert_int_equal(s.ids[1], 2);
}

static void test_triggers(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = sqlite_of(f->s)->db;

    fill(f->s);
    assert_int_equal(sqlite3_exec(db, "UPDATE audit_log SET outcome = 'denied' WHERE id = 1", NULL,
                                  NULL, NULL), SQLITE_CONSTRAINT);
    assert_non_null(strstr(sqlite3_errmsg(db), "append-only"));
    assert_int_equal(sqlite3_exec(db, "DELETE FROM audit_log", NULL, NULL, NULL), SQLITE_CONSTRAINT);
    verify_broken(f->s, 0, "");
}

static void test_verify_edit(void **state)
{
    struct fixture *f = *state;

    fill(f->s);
    exec_ok(f->s, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET roles = 'admin' WHERE id = 3");
    verify_broken(f->s, 3, "does not match its hash");
}

static void test_verify_delete(void **state)
{
    struct fixture *f = *state;

    fill(f->s);
    exec_ok(f->s, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id IN (2, 3)");
    verify_broken(f->s, 4, "entries 2 to 3 are missing");
}

static void test_verify_relinked(void **state)
{
    struct fixture *f = *state;

    fill(f->s);
    /* Entry 2 rewritten to claim entry 1's place: its own hash no longer matches what 3 links to. */
    exec_ok(f->s, "DROP TRIGGER audit_log_no_update;"
                  " UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE id = 1)"
                  " WHERE id = 3");
    verify_broken(f->s, 3, "prev_hash does not match the hash of entry 2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_append_links, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_inside_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_triggers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_relinked, setup, teardown),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
