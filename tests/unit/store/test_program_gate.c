/* test_program_gate: R6's fourth condition (haven-program-2) on both sides, in a patient's week,
 * the billable days and the list of missing notes, which must agree: no plan; a plan signed but
 * not yet acknowledged; a plan that becomes current the day after; a plan superseded on the day
 * by a successor current from it; a group note unsigned; signed but the member's section not
 * (or missing); an individual note missing; a co-signature pending, then given; everything
 * signed: billable; a session's kind changed under its notes. Plans and notes go in as raw SQL
 * (their stores are other files'), so every case also holds migration 0031's kept count of a
 * day's undocumented records (what the week and the billable days read) to the states the
 * missing list names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/roles.h"
#include "store/admissions.h"
#include "store/program.h"
#include "store/staff.h"
#include "store/store.h"
#include "store_fixture.h"
#include "program_fixture.h"

static char pid[33], group_sid[33], indiv_sid[33];

/* A Mon/Wed/Fri track (09:00-12:00, one group), Ana enrolled, on Monday 2026-03-02 present at
 * the group (180 minutes) and at a 15-minute individual session. */
static int setup(void **state)
{
    struct track_slot slot = {.weekday = 1, .kind = SLOT_GROUP};
    struct track_slot v[3];
    struct program_why why;
    char tid[33];
    json_t *out = NULL, *list = NULL;
    (void)state;

    pf_open("/tmp/haven-gate-XXXXXX");
    assert_true(caldate_time_parse("09:00", &slot.start));
    assert_true(caldate_time_parse("12:00", &slot.end));
    snprintf(slot.title, sizeof(slot.title), "Process group");
    for (int i = 0; i < 3; i++) {
        v[i] = slot;
        v[i].weekday = 1 + 2 * i;
    }
    struct program_track t = {.code = "am", .name = "Track", .level = TRACK_IOP,
                              .population = TRACK_ADULT, .capacity = 12,
                              .opens = d("2026-03-02"), .min_weekly_minutes = -2, .slots = v,
                              .n_slots = 3};
    assert_int_equal(store_track_add(s, &t, NULL, tid, &why), E_OK);
    pf_patient("Ana", "Gate", pid);
    struct program_enrolment e = {.track_id = tid, .start = d("2026-03-02"), .end = CALDATE_OPEN};
    assert_int_equal(store_enrol(s, pid, &e, NULL, &out, &why), E_OK);
    json_decref(out);
    assert_int_equal(
        store_program_sessions_list(s, d("2026-03-02"), d("2026-03-02"), NULL, NULL, &list), E_OK);
    snprintf(group_sid, sizeof(group_sid), "%s",
             json_string_value(json_object_get(json_array_get(list, 0), "id")));
    json_decref(list);
    const char *patients[] = {pid};
    struct program_session one = {.date = d("2026-03-02"), .kind = "individual",
                                  .title = "Therapy", .patients = patients, .n_patients = 1};
    assert_true(caldate_time_parse("13:00", &one.start));
    assert_true(caldate_time_parse("13:15", &one.end));
    assert_int_equal(store_program_session_add(s, &one, NULL, &out, &why), E_OK);
    snprintf(indiv_sid, sizeof(indiv_sid), "%s", json_string_value(json_object_get(out, "id")));
    json_decref(out);
    assert_int_equal(store_attendance_put(s, group_sid, pid, "present", -1, false, 30000, NULL,
                                          &out, &why),
                     E_OK);
    json_decref(out);
    assert_int_equal(store_attendance_put(s, indiv_sid, pid, "present", -1, false, 30000, NULL,
                                          &out, &why),
                     E_OK);
    json_decref(out);
    return 0;
}

static void sql(const char *fmt, const char *a)
{
    char q[600];
    snprintf(q, sizeof(q), fmt, a);
    fx_exec(s, q);
}

/* Monday's reasons in the week (NULL: the day is billable), the billable days of March agreeing
 * with it, and the missing list naming the states in `states` ("plan", then the notes' states,
 * separated by spaces) when not billable. */
static void expect(const char *reason, const char *states)
{
    struct caldate_week wk;
    json_t *w = NULL, *bill = NULL, *miss = NULL, *day, *reasons, *m;
    char got[200] = "";
    size_t i;

    assert_true(caldate_week_parse("2026-W10", &wk));
    assert_int_equal(store_patient_week(s, pid, wk, d("2026-03-20"), &w), E_OK);
    day = json_array_get(json_object_get(w, "days"), 0);
    assert_string_equal(json_string_value(json_object_get(day, "date")), "2026-03-02");
    reasons = json_object_get(day, "reasons");
    assert_int_equal(store_billing_days(s, d("2026-03-01"), d("2026-03-31"), NULL, false, &bill),
                     E_OK);
    assert_int_equal(store_billing_missing_notes(s, d("2026-03-01"), d("2026-03-31"), NULL, 50,
                                                 &miss),
                     E_OK);
    if (!reason) {
        assert_true(json_is_true(json_object_get(day, "billable")));
        assert_int_equal(json_array_size(reasons), 0);
        assert_int_equal(json_array_size(bill), 1);
        assert_int_equal(json_array_size(json_object_get(miss, "days")), 0);
    } else {
        assert_false(json_is_true(json_object_get(day, "billable")));
        assert_int_equal(json_array_size(reasons), 1);
        assert_string_equal(json_string_value(json_array_get(reasons, 0)), reason);
        assert_int_equal(json_array_size(bill), 0);
        assert_int_equal(json_array_size(json_object_get(miss, "days")), 1);
        day = json_array_get(json_object_get(miss, "days"), 0);
        assert_true(json_is_true(json_object_get(day, "only")));
        assert_string_equal(json_string_value(json_object_get(day, "patient_name")), "Ana Gate");
        json_array_foreach(json_object_get(day, "missing"), i, m)
        {
            const char *what = json_string_value(json_object_get(m, "what"));
            size_t n = strlen(got);
            snprintf(got + n, sizeof(got) - n, "%s%s", n ? " " : "",
                     !strcmp(what, "plan") ? "plan"
                                           : json_string_value(json_object_get(m, "state")));
            /* Names and states only: a note's text never reaches the list. */
            assert_null(json_object_get(m, "text"));
        }
        assert_string_equal(got, states);
    }
    json_decref(w);
    json_decref(bill);
    json_decref(miss);
}

static void test_no_plan(void **state)
{
    (void)state;
    expect("documentation-missing", "plan no-note no-note");
    pf_document(pid, "2026-03-02");
    expect(NULL, NULL);
    fx_exec(s, "DELETE FROM plans");
    expect("documentation-missing", "plan");
}

static void test_plan_not_current(void **state)
{
    (void)state;
    pf_document(pid, "2026-03-02");
    /* Signed, not yet acknowledged: not current. */
    fx_exec(s, "UPDATE plans SET status = 'signed', effective_date = NULL, ack_how = NULL");
    expect("documentation-missing", "plan");
    /* Acknowledged the day after: current from then, not on Monday. */
    fx_exec(s, "UPDATE plans SET status = 'current', effective_date = '2026-03-03'");
    expect("documentation-missing", "plan");
    /* Acknowledged that Monday: current on it. */
    fx_exec(s, "UPDATE plans SET effective_date = '2026-03-02'");
    expect(NULL, NULL);
}

static void test_plan_superseded(void **state)
{
    (void)state;
    pf_document(pid, "2026-03-02");
    /* Version 1 superseded on Monday itself by version 2, current from Monday: v2 counts. */
    fx_exec(s, "UPDATE plans SET status = 'superseded', effective_date = '2026-02-20',"
               " superseded_date = '2026-03-02'");
    expect("documentation-missing", "plan");
    fx_exec(s, "INSERT INTO plans (public_id, patient_id, version, status, created_at,"
               " updated_at, signed_by, signed_at, ack_how, effective_date) SELECT 'v2',"
               " patient_id, 2, 'current', 'T', 'T', 1, 'T', 'in-person', '2026-03-02'"
               " FROM plans");
    expect(NULL, NULL);
    /* Superseded the day after Monday: v1 still counts for Monday, whatever v2 says. */
    fx_exec(s, "UPDATE plans SET superseded_date = '2026-03-03' WHERE version = 1");
    fx_exec(s, "UPDATE plans SET effective_date = '2026-03-03' WHERE version = 2");
    expect(NULL, NULL);
    /* A draft never counts. */
    fx_exec(s, "UPDATE plans SET status = 'draft', signed_at = NULL, effective_date = NULL,"
               " superseded_date = NULL");
    expect("documentation-missing", "plan");
}

static void test_group_note(void **state)
{
    (void)state;
    pf_document(pid, "2026-03-02");
    sql("UPDATE notes SET signed_at = NULL, signed_by = NULL WHERE kind = 'group'%s", "");
    expect("documentation-missing", "unsigned");
    sql("UPDATE notes SET signed_at = 'T' WHERE kind = 'group'%s", "");
    sql("UPDATE note_sections SET signed_at = NULL, signed_by = NULL%s", "");
    expect("documentation-missing", "section-unsigned");
    sql("DELETE FROM note_sections%s", "");
    expect("documentation-missing", "section-missing");
    sql("DELETE FROM notes WHERE kind = 'group'%s", "");
    expect("documentation-missing", "no-note");
    pf_document(pid, "2026-03-02");
    expect(NULL, NULL);
    /* The group session made an individual one: its group note no longer documents it. */
    sql("UPDATE program_sessions SET kind = 'individual' WHERE public_id = '%s'", group_sid);
    expect("documentation-missing", "no-note");
    sql("UPDATE program_sessions SET kind = 'group' WHERE public_id = '%s'", group_sid);
    expect(NULL, NULL);
}

static void test_individual_and_cosign(void **state)
{
    (void)state;
    pf_document(pid, "2026-03-02");
    sql("DELETE FROM notes WHERE kind = 'individual'%s", "");
    expect("documentation-missing", "no-note");
    pf_document(pid, "2026-03-02");
    sql("UPDATE notes SET cosign_needed = 1 WHERE kind = 'individual'%s", "");
    expect("documentation-missing", "cosign-pending");
    sql("UPDATE notes SET cosigned_by = 1, cosigned_at = 'T' WHERE kind = 'individual'%s", "");
    expect(NULL, NULL);
    sql("UPDATE notes SET cosign_needed = 1 WHERE kind = 'group'%s", "");
    expect("documentation-missing", "cosign-pending");
    sql("UPDATE notes SET cosigned_by = 1, cosigned_at = 'T'%s", "");
    expect(NULL, NULL);
}

/* Under three hours and undocumented: both reasons, in the spec's order; the list says the
 * documentation is not the only reason. */
static void test_also(void **state)
{
    struct program_why why;
    json_t *out = NULL, *miss = NULL, *day;
    struct caldate_week wk;
    (void)state;

    assert_int_equal(store_attendance_put(s, group_sid, pid, "late", 100, false, 30000, NULL,
                                          &out, &why),
                     E_OK);
    json_decref(out);
    assert_true(caldate_week_parse("2026-W10", &wk));
    assert_int_equal(store_patient_week(s, pid, wk, d("2026-03-20"), &out), E_OK);
    day = json_object_get(json_array_get(json_object_get(out, "days"), 0), "reasons");
    assert_int_equal(json_array_size(day), 2);
    assert_string_equal(json_string_value(json_array_get(day, 0)), "under-3-hours");
    assert_string_equal(json_string_value(json_array_get(day, 1)), "documentation-missing");
    json_decref(out);
    assert_int_equal(store_billing_missing_notes(s, d("2026-03-01"), d("2026-03-31"), NULL, 50,
                                                 &miss),
                     E_OK);
    day = json_array_get(json_object_get(miss, "days"), 0);
    assert_false(json_is_true(json_object_get(day, "only")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(day, "other_reasons"), 0)),
                        "under-3-hours");
    json_decref(miss);
    /* At most max_days days, and it says more were left out. */
    assert_int_equal(store_billing_missing_notes(s, d("2026-03-01"), d("2026-03-31"), NULL, 0,
                                                 &miss),
                     E_OK);
    assert_int_equal(json_array_size(json_object_get(miss, "days")), 0);
    assert_true(json_is_true(json_object_get(miss, "more")));
    json_decref(miss);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_not_current, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_superseded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_note, setup, teardown),
        cmocka_unit_test_setup_teardown(test_individual_and_cosign, setup, teardown),
        cmocka_unit_test_setup_teardown(test_also, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
