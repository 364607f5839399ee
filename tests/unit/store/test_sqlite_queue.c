/* test_sqlite_queue: the admissions store after the security review. The crisis marker of
 * migration 0008 agrees with domain/referral_flow's crisis flags, is set on insert and on a
 * change of flags; the queue puts every open crisis referral first however many old ones there
 * are, and gives the total; a stored value that is not UTF-8 is E_DB, never a NULL model; a
 * write appends its audit entry in its own transaction (or is rolled back with it); referrals
 * are assigned only to admissions staff and clinicians; a list's entries are one per record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/referral_flow.h"
#include "store/sqlite_adm_internal.h"
#include "store/store.h"
#include "store/store_admissions.h"

static char path[64];
static struct store *s;

static void exec(const char *sql)
{
    assert_int_equal(sqlite_exec(sqlite_of(s), sql), E_OK);
}

static long scalar(const char *sql)
{
    sqlite3_stmt *st;
    long v = -1;

    assert_int_equal(sqlite3_prepare_v2(sqlite_of(s)->db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* A referral numbered i, created at minute i of 2020, with flags (JSON text) and name (SQL). */
static void referral(int i, const char *flags, const char *name_sql)
{
    char sql[1024];

    snprintf(sql, sizeof(sql),
             "INSERT INTO referrals (public_id, created_at, status, name, phone, best_time,"
             " voicemail_ok, consent_at, answers, result, spec_version, level, flags)"
             " VALUES (printf('%%032x', %d), strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', %ld,"
             " 'unixepoch'), 'new', %s, '5550000000', 'any', 1, '2020-01-01T00:00:00Z', '{}',"
             " '{}', 'haven-assessment-1', 'iop', '%s')",
             i, 1577836800L + i * 60L, name_sql, flags);
    exec(sql);
}

static int setup(void **state)
{
    int applied, fd;
    (void)state;

    snprintf(path, sizeof(path), "/tmp/haven-queue-XXXXXX");
    assert_true((fd = mkstemp(path)) >= 0);
    close(fd);
    assert_int_equal(store_open(path, &s), E_OK);
    assert_int_equal(store_migrate(s, &applied), E_OK);
    exec("INSERT INTO users (id, public_id, email, name, created_at) VALUES"
         " (1, '00000000000000000000000000000001', 'a@x.org', 'A', '2024-01-01T00:00:00Z'),"
         " (2, '00000000000000000000000000000002', 'b@x.org', 'B', '2024-01-01T00:00:00Z'),"
         " (3, '00000000000000000000000000000003', 'c@x.org', 'C', '2024-01-01T00:00:00Z');"
         "INSERT INTO user_roles (user_id, role) VALUES (1, 'admissions'), (2, 'billing'),"
         " (3, 'auditor'), (3, 'clinician');");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(s);
    unlink(path);
    for (const char *suffix = "-wal"; suffix; suffix = strcmp(suffix, "-wal") ? NULL : "-shm") {
        char p[80];
        snprintf(p, sizeof(p), "%s%s", path, suffix);
        unlink(p);
    }
    return 0;
}

/* The SQL list of crisis flags (migration 0008) is the domain's. */
static void test_crisis_marker_matches_domain(void **state)
{
    char flags[96], sql[160];
    const char *code;
    (void)state;

    for (size_t i = 0; (code = referral_flow_flag(i)); i++) {
        snprintf(flags, sizeof(flags), "[\"low-readiness\", \"%s\"]", code);
        referral(9000 + (int)i, flags, "'Flag'");
        snprintf(sql, sizeof(sql), "SELECT crisis FROM referrals WHERE public_id = printf('%%032x', %d)",
                 9000 + (int)i);
        assert_int_equal(scalar(sql), referral_flow_flag_is_crisis(code) ? 1 : 0);
    }
    assert_true(referral_flow_flag(0) != NULL);
    /* A change of flags follows. */
    exec("UPDATE referrals SET flags = '[]' WHERE public_id = printf('%032x', 9000)");
    assert_int_equal(scalar("SELECT crisis FROM referrals WHERE public_id = printf('%032x', 9000)"), 0);
    exec("DELETE FROM referrals");
}

static void test_queue_crisis_first(void **state)
{
    json_t *rows = NULL;
    long total = 0;
    (void)state;

    for (int i = 1; i <= 600; i++)
        referral(i, "[\"mental-health-followup\"]", "'Old'");
    referral(5000, "[\"withdrawal-danger\"]", "'New crisis'"); /* the newest of all */
    assert_int_equal(store_adm_queue(s, NULL, &rows, &total), E_OK);
    assert_int_equal(total, 601);
    assert_int_equal(json_array_size(rows), ADMISSIONS_QUEUE_PAGE);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "name")),
                        "New crisis");
    assert_true(json_is_true(json_object_get(json_array_get(rows, 0), "crisis")));
    /* then oldest first */
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "public_id")),
                        "00000000000000000000000000000001");
    json_decref(rows);

    /* The same through a status filter. */
    assert_int_equal(store_adm_queue(s, "new", &rows, &total), E_OK);
    assert_int_equal(total, 601);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "name")),
                        "New crisis");
    json_decref(rows);

    /* More crisis referrals than a page: every one is listed. */
    exec("UPDATE referrals SET flags = '[\"suicide-risk\"]'");
    assert_int_equal(store_adm_queue(s, NULL, &rows, &total), E_OK);
    assert_int_equal(json_array_size(rows), 601);
    json_decref(rows);
    exec("DELETE FROM referrals");

    /* Years of history: counted up to the maximum, one page shown. */
    exec("WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 10050)"
         " INSERT INTO referrals (public_id, created_at, status, name, phone, best_time,"
         " voicemail_ok, consent_at, answers, result, spec_version, level, flags, closed_reason)"
         " SELECT printf('%032x', i), '2020-01-01T00:00:00Z', 'closed', 'Old', '5550000000',"
         " 'any', 1, '2020-01-01T00:00:00Z', '{}', '{}', 'haven-assessment-1', 'iop', '[]',"
         " 'duplicate' FROM k");
    assert_int_equal(store_adm_queue(s, "closed", &rows, &total), E_OK);
    assert_int_equal(total, ADMISSIONS_QUEUE_COUNT_MAX + 1);
    assert_int_equal(json_array_size(rows), ADMISSIONS_QUEUE_PAGE);
    json_decref(rows);
    exec("DELETE FROM referrals");
}

/* Text that is not UTF-8 in the database: E_DB, never E_OK with a NULL (or missing) model. */
static void test_not_utf8_is_an_error(void **state)
{
    json_t *rows = NULL, *m = NULL;
    long total = 0;
    (void)state;

    referral(1, "[]", "CAST(X'4361FF726C' AS TEXT)");
    assert_int_equal(store_adm_queue(s, NULL, &rows, &total), E_DB);
    assert_null(rows);
    assert_int_equal(store_adm_referral_get(s, "00000000000000000000000000000001", &m), E_DB);
    assert_null(m);
    exec("INSERT INTO patients (public_id, first_name, last_name, date_of_birth, phone,"
         " phone_digits, emergency_name, emergency_phone, emergency_relationship, counsellor_id,"
         " admission_date, level, created_at, name_key, name_key_rl) VALUES"
         " ('0000000000000000000000000000000a', CAST(X'4361FF726C' AS TEXT), 'Broken',"
         " '1980-01-01', '5550000000', '5550000000', 'Kin', '5550000000', 'Partner', 1,"
         " '2024-01-01', 'iop', '2024-01-01T00:00:00Z', 'ca', 'broken ca')");
    for (int clinical = 0; clinical < 2; clinical++) {
        assert_int_equal(store_adm_patient_get(s, "0000000000000000000000000000000a", clinical, &m),
                         E_DB);
        assert_null(m);
    }
    assert_int_equal(store_adm_patient_search(s, "broken", NULL, &rows), E_DB);
    assert_null(rows);
    exec("DELETE FROM patients; DELETE FROM referrals");
}

static const struct audit_entry entry = {
    .user_id = 1, .user_email = "a@x.org", .roles = "admissions", .action = "update",
    .record_type = "referral", .record_id = "00000000000000000000000000000001",
    .outcome = "ok", .client = "127.0.0.1",
};

static void test_write_and_audit_together(void **state)
{
    struct admissions_call c = {.outcome = "reached", .note = "x", .next_follow_up = NULL};
    const char *ids[] = {"00000000000000000000000000000001", "00000000000000000000000000000002"};
    long n0;
    (void)state;

    referral(1, "[]", "'Sam'");
    n0 = scalar("SELECT count(*) FROM audit_log");
    /* The entry cannot be written: the call is rolled back with it. */
    exec("CREATE TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'x'); END");
    assert_int_equal(store_adm_call_add(s, entry.record_id, &c, "new", "contacted", 1, &entry),
                     E_DB);
    assert_int_equal(scalar("SELECT count(*) FROM referral_calls"), 0);
    assert_int_equal(scalar("SELECT count(*) FROM referral_events"), 0);
    assert_int_equal(scalar("SELECT count(*) FROM referrals WHERE status = 'new'"), 1);
    assert_int_equal(store_adm_audit_each(s, &entry, ids, 2), E_DB);
    exec("DROP TRIGGER no_audit");
    assert_int_equal(scalar("SELECT count(*) FROM audit_log"), n0);
    /* It can: both land. */
    assert_int_equal(store_adm_call_add(s, entry.record_id, &c, "new", "contacted", 1, &entry),
                     E_OK);
    assert_int_equal(scalar("SELECT count(*) FROM referral_calls"), 1);
    assert_int_equal(scalar("SELECT count(*) FROM audit_log WHERE action = 'update' AND"
                            " record_id = '00000000000000000000000000000001'"),
                     1);
    /* A list: one entry per record, in one go; an empty one: one entry without an id. */
    assert_int_equal(store_adm_audit_each(s, &entry, ids, 2), E_OK);
    assert_int_equal(store_adm_audit_each(s, &entry, ids, 0), E_OK);
    assert_int_equal(scalar("SELECT count(*) FROM audit_log"), n0 + 4);
    assert_int_equal(scalar("SELECT count(*) FROM audit_log WHERE record_id IS NULL"), 1);
    exec("DELETE FROM referral_events; DELETE FROM referral_calls; DELETE FROM referrals");
}

static void test_assign_only_to_referral_staff(void **state)
{
    (void)state;

    referral(1, "[]", "'Sam'");
    assert_int_equal(store_adm_assign(s, entry.record_id, "00000000000000000000000000000002", 1,
                                      NULL),
                     E_INVALID); /* billing */
    assert_int_equal(store_adm_assign(s, entry.record_id, "00000000000000000000000000000009", 1,
                                      NULL),
                     E_INVALID); /* nobody */
    assert_int_equal(scalar("SELECT count(*) FROM referrals WHERE assigned_to IS NOT NULL"), 0);
    assert_int_equal(store_adm_assign(s, entry.record_id, "00000000000000000000000000000003", 1,
                                      NULL),
                     E_OK); /* an auditor who is also a clinician */
    assert_int_equal(store_adm_assign(s, entry.record_id, "00000000000000000000000000000001", 1,
                                      NULL),
                     E_OK);
    assert_int_equal(scalar("SELECT assigned_to FROM referrals"), 1);
    exec("DELETE FROM referral_events; DELETE FROM referrals");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crisis_marker_matches_domain),
        cmocka_unit_test(test_queue_crisis_first),
        cmocka_unit_test(test_not_utf8_is_an_error),
        cmocka_unit_test(test_write_and_audit_together),
        cmocka_unit_test(test_assign_only_to_referral_staff),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
