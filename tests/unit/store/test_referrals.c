/* test_referrals: the referrals store (store/referrals.c, store/admissions.c) after the
 * security review. The crisis marker of migration 0008 agrees with domain/referral_flow's crisis
 * flags, is set on insert and on a change of flags; the queue puts every open crisis referral
 * first however many old ones there are, and gives the total; a stored value that is not UTF-8
 * is E_DB, never a NULL model; a write appends its audit entry in its own transaction (or is
 * rolled back with it); referrals are assigned only to admissions staff and clinicians; a list's
 * entries are one per record. Data is seeded through the store's functions (store_fixture.h). */
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
#include "domain/roles.h"
#include "store/store.h"
#include "store/admissions.h"
#include "store/staff.h"
#include "store_fixture.h"

static char path[64];
static struct store *s;
/* Users 1 (admissions), 2 (billing) and 3 (auditor and clinician): their public ids. */
static char user[4][33];

static void exec(const char *sql)
{
    fx_exec(s, sql);
}

static long scalar(const char *sql)
{
    return fx_scalar(s, sql);
}

/* A call request with flags (JSON text) and name, as the public assessment adds one; its
 * public id into id (33 bytes, may be NULL). Requests added in turn are older to newer. */
static void referral(const char *flags, const char *name, char *id)
{
    struct referral r = {
        .name = name, .phone = "5550000000", .best_time = "any", .voicemail_ok = true,
        .answers = "{}", .result = "{}", .spec_version = "haven-assessment-1", .level = "iop",
        .flags = flags,
    };

    assert_int_equal(store_referral_add(s, &r), E_OK);
    if (id)
        memcpy(id, r.public_id, 33);
}

/* The referral's field as the store shows it (a new reference). */
static json_t *field(const char *id, const char *name)
{
    json_t *m = NULL, *v;

    assert_int_equal(store_adm_referral_get(s, id, &m), E_OK);
    v = json_incref(json_object_get(m, name));
    json_decref(m);
    return v;
}

static int setup(void **state)
{
    static const unsigned roles[] = {0, ROLE_ADMISSIONS, ROLE_BILLING,
                                     ROLE_AUDITOR | ROLE_CLINICIAN};
    static const char *const emails[] = {"", "a@x.org", "b@x.org", "c@x.org"};
    static const char *const names[] = {"", "A", "B", "C"};
    int applied, fd;
    long id;
    (void)state;

    snprintf(path, sizeof(path), "/tmp/haven-queue-XXXXXX");
    assert_true((fd = mkstemp(path)) >= 0);
    close(fd);
    assert_int_equal(store_open(path, &s), E_OK);
    assert_int_equal(store_migrate(s, &applied), E_OK);
    for (int i = 1; i <= 3; i++) {
        assert_int_equal(store_user_add(s, emails[i], names[i], roles[i], 1704067200L, user[i],
                                        &id),
                         E_OK);
        assert_int_equal(id, i);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(s);
    fx_unlink(path);
    return 0;
}

/* The SQL list of crisis flags (migration 0008) is the domain's. */
static void test_crisis_marker_matches_domain(void **state)
{
    char flags[96], id[33], first[33], sql[160];
    const char *code;
    json_t *crisis;
    (void)state;

    for (size_t i = 0; (code = referral_flow_flag(i)); i++) {
        snprintf(flags, sizeof(flags), "[\"low-readiness\", \"%s\"]", code);
        referral(flags, "Flag", id);
        if (i == 0)
            memcpy(first, id, sizeof(first));
        crisis = field(id, "crisis");
        assert_int_equal(json_is_true(crisis), referral_flow_flag_is_crisis(code) ? 1 : 0);
        json_decref(crisis);
    }
    assert_true(referral_flow_flag(0) != NULL);
    /* A change of flags follows (no store function changes them: raw, test-only). */
    snprintf(sql, sizeof(sql), "UPDATE referrals SET flags = '[]' WHERE public_id = '%s'", first);
    exec(sql);
    crisis = field(first, "crisis");
    assert_false(json_is_true(crisis));
    json_decref(crisis);
    exec("DELETE FROM referrals");
}

static void test_queue_crisis_first(void **state)
{
    json_t *rows = NULL;
    char oldest[33], id[33];
    long total = 0;
    (void)state;

    for (int i = 1; i <= 600; i++)
        referral("[\"mental-health-followup\"]", "Old", i == 1 ? oldest : NULL);
    referral("[\"withdrawal-danger\"]", "New crisis", NULL); /* the newest of all */
    assert_int_equal(store_adm_queue(s, NULL, &rows, &total), E_OK);
    assert_int_equal(total, 601);
    assert_int_equal(json_array_size(rows), ADMISSIONS_QUEUE_PAGE);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "name")),
                        "New crisis");
    assert_true(json_is_true(json_object_get(json_array_get(rows, 0), "crisis")));
    /* then oldest first (requests added within one second keep the order they came in) */
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "public_id")),
                        oldest);
    json_decref(rows);

    /* The same through a status filter. */
    assert_int_equal(store_adm_queue(s, "new", &rows, &total), E_OK);
    assert_int_equal(total, 601);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "name")),
                        "New crisis");
    json_decref(rows);

    /* More crisis referrals than a page: every one is listed. (Raw, test-only: no store
     * function changes the flags of a referral.) */
    exec("UPDATE referrals SET flags = '[\"suicide-risk\"]'");
    assert_int_equal(store_adm_queue(s, NULL, &rows, &total), E_OK);
    assert_int_equal(json_array_size(rows), 601);
    json_decref(rows);
    exec("DELETE FROM referrals");

    /* Years of history: counted up to the maximum, one page shown. */
    for (int i = 0; i < ADMISSIONS_QUEUE_COUNT_MAX + 50; i++) {
        referral("[]", "Old", id);
        assert_int_equal(store_adm_set_status(s, id, "new", "closed", "duplicate", NULL, NULL, 0,
                                              NULL),
                         E_OK);
    }
    assert_int_equal(store_adm_queue(s, "closed", &rows, &total), E_OK);
    assert_int_equal(total, ADMISSIONS_QUEUE_COUNT_MAX + 1);
    assert_int_equal(json_array_size(rows), ADMISSIONS_QUEUE_PAGE);
    json_decref(rows);
    exec("DELETE FROM referral_events; DELETE FROM referrals");
}

/* Text that is not UTF-8 in the database: E_DB, never E_OK with a NULL (or missing) model. */
static void test_not_utf8_is_an_error(void **state)
{
    struct admissions_intake in = {.recommended_level = "iop", .confirmed_level = "iop"};
    struct admissions_patient p = {
        .first_name = "Ca\xffrl", .last_name = "Broken", .date_of_birth = "1980-01-01",
        .phone = "5550000000", .phone_digits = "5550000000", .emergency_name = "Kin",
        .emergency_phone = "5550000000", .emergency_relationship = "Partner",
        .counsellor = user[3], .admission_date = "2024-01-01", .level = "iop",
        .status = "active",
    };
    json_t *rows = NULL, *m = NULL;
    char id[33], good[33];
    long total = 0;
    (void)state;

    /* Stored through the store, which keeps text as given. */
    referral("[]", "Ca\xffrl", id);
    assert_int_equal(store_adm_queue(s, NULL, &rows, &total), E_DB);
    assert_null(rows);
    assert_int_equal(store_adm_referral_get(s, id, &m), E_DB);
    assert_null(m);
    referral("[]", "Carl", good);
    assert_int_equal(store_adm_set_status(s, good, "new", "intake-scheduled", NULL,
                                          "2026-03-04T15:00:00Z", NULL, 0, NULL),
                     E_OK);
    assert_int_equal(store_adm_intake_save(s, good, &in, "intake-scheduled", "intake-scheduled",
                                           1, NULL),
                     E_OK);
    assert_int_equal(store_adm_admit(s, good, &p, 1, NULL), E_OK);
    for (int clinical = 0; clinical < 2; clinical++) {
        assert_int_equal(store_adm_patient_get(s, p.public_id, clinical, &m), E_DB);
        assert_null(m);
    }
    assert_int_equal(store_adm_patient_search(s, "broken", NULL, &rows), E_DB);
    assert_null(rows);
    exec("DELETE FROM patient_events; DELETE FROM patients; DELETE FROM intakes;"
         " DELETE FROM referral_events; DELETE FROM referrals");
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
    struct audit_entry e = entry;
    char id[33], sql[200];
    long n0;
    (void)state;

    referral("[]", "Sam", id);
    e.record_id = id;
    n0 = scalar("SELECT count(*) FROM audit_log");
    /* The entry cannot be written: the call is rolled back with it. (A failure the store would
     * never make itself: a trigger, SQLite's syntax, test-only.) */
    exec("CREATE TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'x'); END");
    assert_int_equal(store_adm_call_add(s, id, &c, "new", "contacted", 1, &e), E_DB);
    assert_int_equal(scalar("SELECT count(*) FROM referral_calls"), 0);
    assert_int_equal(scalar("SELECT count(*) FROM referral_events"), 0);
    assert_int_equal(scalar("SELECT count(*) FROM referrals WHERE status = 'new'"), 1);
    assert_int_equal(store_adm_audit_each(s, &entry, ids, 2), E_DB);
    exec("DROP TRIGGER no_audit");
    assert_int_equal(scalar("SELECT count(*) FROM audit_log"), n0);
    /* It can: both land. */
    assert_int_equal(store_adm_call_add(s, id, &c, "new", "contacted", 1, &e), E_OK);
    assert_int_equal(scalar("SELECT count(*) FROM referral_calls"), 1);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM audit_log WHERE action = 'update' AND record_id = '%s'", id);
    assert_int_equal(scalar(sql), 1);
    /* A list: one entry naming its records (issue 7); an empty one: one entry naming none. */
    assert_int_equal(store_adm_audit_each(s, &entry, ids, 2), E_OK);
    assert_int_equal(store_adm_audit_each(s, &entry, ids, 0), E_OK);
    assert_int_equal(scalar("SELECT count(*) FROM audit_log"), n0 + 3);
    assert_int_equal(scalar("SELECT count(*) FROM audit_log WHERE record_id IS NULL"), 2);
    assert_int_equal(scalar("SELECT count(*) FROM audit_listed"), 2);
    exec("DELETE FROM referral_events; DELETE FROM referral_calls; DELETE FROM referrals");
}

/* Issue 7: migration 0012 takes every call outcome and closing reason of domain/referral_flow
 * (the crisis hand-offs among them) and refuses others; the intake appointment is kept with the
 * move to intake-scheduled, and named by the status event. */
static void test_crisis_handoffs_and_intake_time(void **state)
{
    struct admissions_call c = {0};
    char id[33], sql[200], at[40];
    const char *code;
    json_t *v;
    (void)state;

    referral("[\"suicide-acute\"]", "Handoff", id);
    for (size_t i = 0; (code = referral_flow_call_outcome(i)); i++) {
        c.outcome = code;
        assert_int_equal(store_adm_call_add(s, id, &c, "new", NULL, 1, NULL), E_OK);
    }
    assert_int_equal(scalar("SELECT count(*) FROM referral_calls"), 8);
    c.outcome = "busy";
    assert_int_equal(store_adm_call_add(s, id, &c, "new", NULL, 1, NULL), E_INVALID);
    assert_int_equal(scalar("SELECT count(*) FROM referral_calls"), 8);
    for (size_t i = 0; (code = referral_flow_close_reason(i)); i++) {
        char each[33];
        referral("[]", "Closed", each);
        assert_int_equal(store_adm_set_status(s, each, "new", "closed", code, NULL, NULL, 1, NULL),
                         E_OK);
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM referrals WHERE public_id = '%s'"
                 " AND closed_reason = '%s'", each, code);
        assert_int_equal(scalar(sql), 1);
    }
    assert_int_equal(store_adm_set_status(s, id, "new", "closed", "welfare-check", NULL, NULL, 1,
                                          NULL),
                     E_INVALID);
    /* The appointment: kept on the referral, and the status event's detail. */
    assert_int_equal(store_adm_set_status(s, id, "new", "contacted", NULL, NULL, NULL, 1, NULL),
                     E_OK);
    assert_int_equal(store_adm_set_status(s, id, "contacted", "intake-scheduled", NULL,
                                          "2026-03-04T15:30:00Z", NULL, 1, NULL),
                     E_OK);
    v = field(id, "intake_at");
    assert_string_equal(json_string_value(v), "2026-03-04T15:30:00Z");
    json_decref(v);
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM referral_events e JOIN referrals r"
             " ON r.id = e.referral_id WHERE r.public_id = '%s' AND e.kind = 'status'"
             " AND e.detail = '2026-03-04T15:30:00Z'", id);
    assert_int_equal(scalar(sql), 1);
    /* The schema refuses anything but a UTC stamp (raw, test-only). */
    snprintf(sql, sizeof(sql), "UPDATE referrals SET intake_at = 'tomorrow' WHERE public_id = '%s'",
             id);
    assert_int_equal(fx_try(s, sql), DB_CONSTRAINT);
    /* Saving the intake again with a new time moves the appointment, not the status. */
    {
        struct admissions_intake in = {.recommended_level = "iop", .confirmed_level = "iop",
                                       .intake_at = "2026-03-05T16:00:00Z"};
        assert_int_equal(store_adm_intake_save(s, id, &in, "intake-scheduled", "intake-scheduled",
                                               1, NULL),
                         E_OK);
    }
    v = field(id, "intake_at");
    snprintf(at, sizeof(at), "%s", json_string_value(v));
    json_decref(v);
    assert_string_equal(at, "2026-03-05T16:00:00Z");
    exec("DELETE FROM intakes; DELETE FROM referral_events; DELETE FROM referral_calls;"
         " DELETE FROM referrals");
}

/* What needs a call now: crisis referrals still new; new ones never called, created by a time;
 * open ones assigned to a member whose follow-up is due by today. */
static void test_due(void **state)
{
    struct admissions_call c = {.outcome = "voicemail", .next_follow_up = "2026-03-04"};
    struct admissions_due_query q = {.today = "2026-03-04", .before = "2999-01-01T00:00:00Z"};
    char crisis[33], called[33], plain[33], later[33];
    json_t *rows = NULL;
    long n_crisis = -1, n_mine = -1;
    (void)state;

    referral("[\"suicide-risk\"]", "Crisis", crisis);
    referral("[]", "Called", called);
    referral("[]", "Plain", plain);
    referral("[]", "Later", later);
    assert_int_equal(store_adm_call_add(s, called, &c, "new", NULL, 1, NULL), E_OK);
    assert_int_equal(store_adm_assign(s, called, user[1], 1, NULL), E_OK);
    c.next_follow_up = "2026-03-05"; /* tomorrow: not due */
    assert_int_equal(store_adm_call_add(s, later, &c, "new", NULL, 1, NULL), E_OK);
    assert_int_equal(store_adm_assign(s, later, user[1], 1, NULL), E_OK);

    assert_int_equal(store_adm_due_counts(s, 1, "2026-03-04", &n_crisis, &n_mine), E_OK);
    assert_int_equal(n_crisis, 1);
    assert_int_equal(n_mine, 1);
    assert_int_equal(store_adm_due_counts(s, 3, "2026-03-04", &n_crisis, &n_mine), E_OK);
    assert_int_equal(n_mine, 0); /* not theirs */
    assert_int_equal(store_adm_due_counts(s, 1, "2026-03-05", &n_crisis, &n_mine), E_OK);
    assert_int_equal(n_mine, 2); /* tomorrow, both */

    q.due = ADMISSIONS_DUE_CRISIS;
    assert_int_equal(store_adm_due(s, &q, 100, &rows), E_OK);
    assert_int_equal(json_array_size(rows), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "public_id")),
                        crisis);
    json_decref(rows);
    q.due = ADMISSIONS_DUE_OVERDUE; /* never called: the crisis one first, then the oldest */
    assert_int_equal(store_adm_due(s, &q, 100, &rows), E_OK);
    assert_int_equal(json_array_size(rows), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "public_id")),
                        plain);
    json_decref(rows);
    q.before = "2000-01-01T00:00:00Z"; /* all of them newer than that */
    assert_int_equal(store_adm_due(s, &q, 100, &rows), E_OK);
    assert_int_equal(json_array_size(rows), 0);
    json_decref(rows);
    assert_int_equal(store_adm_unanswered(s, "2999-01-01T00:00:00Z", 100, &rows), E_OK);
    assert_int_equal(json_array_size(rows), 2);
    json_decref(rows);
    q.due = ADMISSIONS_DUE_MINE;
    q.user = 1;
    assert_int_equal(store_adm_due(s, &q, 100, &rows), E_OK);
    assert_int_equal(json_array_size(rows), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "public_id")),
                        called);
    json_decref(rows);
    /* Closed: no longer due. */
    assert_int_equal(store_adm_set_status(s, called, "new", "closed", "handed-to-988", NULL, NULL,
                                          1, NULL),
                     E_OK);
    assert_int_equal(store_adm_due_counts(s, 1, "2026-03-04", &n_crisis, &n_mine), E_OK);
    assert_int_equal(n_mine, 0);
    exec("DELETE FROM referral_events; DELETE FROM referral_calls; DELETE FROM referrals");
}

/* Whom the referral is assigned to, as the queue shows it ("" for nobody). */
static void assert_assignee(const char *id, const char *want)
{
    json_t *v = field(id, "assignee_id");

    assert_string_equal(json_string_value(v), want);
    json_decref(v);
}

static void test_assign_only_to_referral_staff(void **state)
{
    char id[33];
    (void)state;

    referral("[]", "Sam", id);
    assert_int_equal(store_adm_assign(s, id, user[2], 1, NULL), E_INVALID); /* billing */
    assert_int_equal(store_adm_assign(s, id, "00000000000000000000000000000009", 1, NULL),
                     E_INVALID); /* nobody */
    assert_assignee(id, "");
    assert_int_equal(store_adm_assign(s, id, user[3], 1, NULL),
                     E_OK); /* an auditor who is also a clinician */
    assert_int_equal(store_adm_assign(s, id, user[1], 1, NULL), E_OK);
    assert_assignee(id, user[1]);
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
        cmocka_unit_test(test_crisis_handoffs_and_intake_time),
        cmocka_unit_test(test_due),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
