/* test_outcomes: the outcomes report (store/outcomes.h) on both sides of each rule: PHQ-9
 * response at exactly a 50% drop and just short of it, a baseline of 0 left out of response,
 * remission at 4 and 5 (Löwe et al. 2004); a baseline without a follow-up, a second measure on
 * the same day (no follow-up), a measure before the enrolment (not counted); the mean change to
 * one decimal; retention at 30 days only once they have passed, kept across a move to another
 * track and lost at an end; enrolments ended by a completed discharge, another discharge and a
 * move; rows per track and admission month; the figures kept per enrolment (migration 0029)
 * following every change to a measure or an enrolment, however it is made. Tracks, patients
 * and enrolments go in through the store; measures, ends and discharges as raw SQL (their
 * stores are other files'). */
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
#include "store/outcomes.h"
#include "store/program.h"
#include "store/staff.h"
#include "store/store.h"
#include "store_fixture.h"
#include "program_fixture.h"

static char t1[33], t2[33];

static void track(const char *code, char out[33])
{
    struct track_slot v[3];
    for (int i = 0; i < 3; i++) {
        v[i] = (struct track_slot){.weekday = 1 + 2 * i, .start = 540, .end = 720,
                                   .kind = SLOT_GROUP};
        snprintf(v[i].title, sizeof(v[i].title), "Group");
    }
    struct program_track t = {.code = code, .name = "Track", .level = TRACK_IOP,
                              .population = TRACK_ADULT, .capacity = 50,
                              .opens = d("2026-01-05"), .min_weekly_minutes = -2, .slots = v,
                              .n_slots = 3};
    struct program_why why;
    assert_int_equal(store_track_add(s, &t, NULL, out, &why), E_OK);
}

static int setup(void **state)
{
    (void)state;
    pf_open("/tmp/haven-outcomes-XXXXXX");
    track("aa", t1);
    track("bb", t2);
    return 0;
}

/* A patient enrolled in track tid from start; returns the patient's public id in pid. */
static void member(const char *first, const char *tid, const char *start, char pid[33])
{
    struct program_enrolment e = { .track_id = tid, .start = d(start), .end = CALDATE_OPEN };
    struct program_why why;
    json_t *out = NULL;
    char q[300];

    pf_patient(first, "Outcome", pid);
    /* Admitted before the enrolments of January. */
    snprintf(q, sizeof(q),
             "UPDATE patients SET admission_date = '2026-01-01' WHERE public_id = '%s'", pid);
    fx_exec(s, q);
    assert_int_equal(store_enrol(s, pid, &e, NULL, &out, &why), E_OK);
    json_decref(out);
}

static void measure(const char *pid, const char *instrument, const char *on, int total)
{
    static int n;
    char q[400];
    snprintf(q, sizeof(q),
             "INSERT INTO measures (public_id, patient_id, instrument, taken_on, answers, total,"
             " created_at) SELECT 'm%d', id, '%s', '%s', '[]', %d, 'T' FROM patients"
             " WHERE public_id = '%s'",
             ++n, instrument, on, total, pid);
    fx_exec(s, q);
}

static void end_enrolment(const char *pid, const char *end)
{
    char q[300];
    snprintf(q, sizeof(q),
             "UPDATE enrolments SET end_date = '%s' WHERE end_date IS NULL AND patient_id ="
             " (SELECT id FROM patients WHERE public_id = '%s')",
             end, pid);
    fx_exec(s, q);
}

static void discharge(const char *pid, const char *on, const char *reason)
{
    char q[300];
    end_enrolment(pid, on);
    snprintf(q, sizeof(q),
             "UPDATE patients SET status = 'discharged', discharge_date = '%s',"
             " discharge_disposition = '%s' WHERE public_id = '%s'",
             on, reason, pid);
    fx_exec(s, q);
}

static json_t *report(const char *as_of)
{
    json_t *out = NULL;
    assert_int_equal(store_outcomes(s, d("2026-01-01"), d("2026-02-28"), d(as_of), &out), E_OK);
    return out;
}

static long num(const json_t *o, const char *a, const char *b)
{
    const json_t *v = json_object_get(b ? json_object_get(o, a) : o, b ? b : a);
    return json_is_null(v) ? -999 : (long)json_integer_value(v);
}

static void test_phq9(void **state)
{
    char p[6][33];
    (void)state;
    member("A", t1, "2026-01-05", p[0]);
    member("B", t1, "2026-01-06", p[1]);
    member("C", t1, "2026-01-07", p[2]);
    member("D", t1, "2026-01-08", p[3]);
    member("E", t1, "2026-01-09", p[4]);
    member("F", t1, "2026-01-12", p[5]);
    measure(p[0], "phq9", "2026-01-05", 20); /* 20 -> 10: exactly half: response */
    measure(p[0], "phq9", "2026-02-02", 10);
    measure(p[1], "phq9", "2026-01-06", 20); /* 20 -> 11: short of half; 11: no remission */
    measure(p[1], "phq9", "2026-02-02", 11);
    measure(p[2], "phq9", "2026-01-07", 9); /* 9 -> 4: response and remission (under 5) */
    measure(p[2], "phq9", "2026-01-20", 4);
    measure(p[3], "phq9", "2026-01-08", 0); /* 0 -> 5: no response to judge; 5: no remission */
    measure(p[3], "phq9", "2026-01-21", 5);
    measure(p[4], "phq9", "2026-01-09", 12); /* two the same day: a baseline, no follow-up */
    measure(p[4], "phq9", "2026-01-09", 3);
    measure(p[5], "phq9", "2026-01-02", 25); /* before the enrolment: not counted */
    measure(p[5], "gad7", "2026-01-12", 10);
    measure(p[5], "gad7", "2026-01-26", 5);

    json_t *r = report("2026-03-31"), *row = json_array_get(r, 0);
    assert_int_equal(json_array_size(r), 1);
    assert_string_equal(json_string_value(json_object_get(row, "month")), "2026-01");
    assert_string_equal(json_string_value(json_object_get(row, "track_code")), "aa");
    assert_int_equal(num(row, "patients", NULL), 6);
    assert_int_equal(num(row, "phq9", "baseline"), 5);
    assert_int_equal(num(row, "phq9", "followup"), 4);
    assert_int_equal(num(row, "phq9", "response"), 2);
    assert_int_equal(num(row, "phq9", "response_of"), 3);
    assert_int_equal(num(row, "phq9", "remission"), 1);
    assert_int_equal(num(row, "phq9", "remission_of"), 4);
    /* (-10 - 9 - 5 + 5) / 4 = -4.75: -4.8 to one decimal. */
    assert_true(json_real_value(json_object_get(json_object_get(row, "phq9"), "mean_change")) ==
                -4.8);
    assert_int_equal(num(row, "gad7", "followup"), 1);
    assert_true(json_real_value(json_object_get(json_object_get(row, "gad7"), "mean_change")) ==
                -5.0);
    assert_true(json_is_null(json_object_get(json_object_get(row, "pacs"), "mean_change")));
    json_decref(r);
}

static void test_retention_and_ends(void **state)
{
    char a[33], b[33], c[33], e[33], f[33];
    struct program_enrolment next = {.track_id = t2, .start = d("2026-01-20"),
                                     .end = CALDATE_OPEN};
    struct program_why why;
    json_t *out = NULL, *r, *row;
    (void)state;

    member("A", t1, "2026-01-05", a); /* stays */
    member("B", t1, "2026-01-05", b); /* moves to bb on the 20th: retained */
    member("C", t1, "2026-01-05", c); /* discharged, completed, on the 30th */
    member("E", t1, "2026-01-05", e); /* discharged against advice on 2026-02-03 (day 29) */
    member("F", t1, "2026-02-10", f); /* February: its 30 days not passed on 2026-03-06 */
    end_enrolment(b, "2026-01-19");
    assert_int_equal(store_enrol(s, b, &next, NULL, &out, &why), E_OK);
    json_decref(out);
    discharge(c, "2026-02-04", "completed");
    discharge(e, "2026-02-03", "against-advice");

    r = report("2026-03-06");
    assert_int_equal(json_array_size(r), 3); /* aa January, aa February, bb January */
    row = json_array_get(r, 0);
    assert_string_equal(json_string_value(json_object_get(row, "month")), "2026-01");
    assert_int_equal(num(row, "patients", NULL), 4);
    const json_t *d30 = json_object_get(json_object_get(row, "retention"), "d30");
    assert_int_equal(num(d30, "eligible", NULL), 4);
    /* Day 30 is 2026-02-04: A, B (moved), C (discharged that very day) covered; E not. */
    assert_int_equal(num(d30, "retained", NULL), 3);
    /* Day 60 is 2026-03-06, as_of: A and B still enrolled, C and E not. */
    const json_t *d60 = json_object_get(json_object_get(row, "retention"), "d60");
    assert_int_equal(num(d60, "eligible", NULL), 4);
    assert_int_equal(num(d60, "retained", NULL), 2);
    assert_int_equal(num(json_object_get(json_object_get(row, "retention"), "d90"), "eligible",
                         NULL),
                     0);
    assert_int_equal(num(row, "ended", "all"), 3);
    assert_int_equal(num(row, "ended", "completed"), 1);
    assert_int_equal(num(row, "ended", "discharged_other"), 1);
    assert_int_equal(num(row, "ended", "other"), 1);
    row = json_array_get(r, 1);
    assert_string_equal(json_string_value(json_object_get(row, "month")), "2026-02");
    assert_int_equal(
        num(json_object_get(json_object_get(row, "retention"), "d30"), "eligible", NULL), 0);
    row = json_array_get(r, 2);
    assert_string_equal(json_string_value(json_object_get(row, "track_code")), "bb");
    json_decref(r);
    /* As of day 30 itself the 30 days have passed; the day before they have not. */
    r = report("2026-02-04");
    assert_int_equal(num(json_object_get(json_object_get(json_array_get(r, 0), "retention"), "d30"),
                         "eligible", NULL),
                     4);
    json_decref(r);
    r = report("2026-02-03");
    assert_int_equal(num(json_object_get(json_object_get(json_array_get(r, 0), "retention"), "d30"),
                         "eligible", NULL),
                     0);
    /* An end after as_of has not happened yet. */
    assert_int_equal(num(json_array_get(r, 0), "ended", "all"), 2);
    json_decref(r);
}

/* Migration 0029 keeps each enrolment's first and last measure and its retention beside it;
 * a correction by any writer (here raw SQL, as a repair by hand would be) must show in the
 * next report. */
static void test_kept_figures_follow_changes(void **state)
{
    char a[33], b[33], q[300];
    json_t *r;
    (void)state;
    member("A", t1, "2026-01-05", a);
    member("B", t1, "2026-01-05", b);
    measure(a, "phq9", "2026-01-05", 20);
    measure(a, "phq9", "2026-02-02", 10);
    r = report("2026-03-31");
    assert_int_equal(num(json_array_get(r, 0), "phq9", "followup"), 1);
    assert_int_equal(num(json_array_get(r, 0), "phq9", "response"), 1);
    json_decref(r);

    /* The follow-up entered in error and removed: a baseline alone is left. */
    fx_exec(s, "DELETE FROM measures WHERE taken_on = '2026-02-02'");
    r = report("2026-03-31");
    assert_int_equal(num(json_array_get(r, 0), "phq9", "baseline"), 1);
    assert_int_equal(num(json_array_get(r, 0), "phq9", "followup"), 0);
    json_decref(r);

    /* A score corrected: the change follows it (20 -> 12 is not a response; 16 -> 12 is not
     * either; 24 -> 12 is). */
    measure(a, "phq9", "2026-02-16", 12);
    fx_exec(s, "UPDATE measures SET total = 24 WHERE taken_on = '2026-01-05'");
    r = report("2026-03-31");
    assert_int_equal(num(json_array_get(r, 0), "phq9", "response"), 1);
    json_decref(r);

    /* B's enrolment moved to start after the 30th day of A's cohort: B leaves January's row;
     * then B ends on day 10, and retention at 30 days counts only A. */
    snprintf(q, sizeof(q),
             "UPDATE enrolments SET end_date = '2026-01-15' WHERE patient_id ="
             " (SELECT id FROM patients WHERE public_id = '%s')",
             b);
    fx_exec(s, q);
    r = report("2026-03-31");
    assert_int_equal(num(json_object_get(json_object_get(json_array_get(r, 0), "retention"), "d30"),
                         "retained", NULL),
                     1);
    json_decref(r);
    /* A measure of B's during the enrolment appears; one after its end does not. */
    measure(b, "gad7", "2026-01-10", 9);
    measure(b, "gad7", "2026-01-20", 3);
    r = report("2026-03-31");
    assert_int_equal(num(json_array_get(r, 0), "gad7", "baseline"), 1);
    assert_int_equal(num(json_array_get(r, 0), "gad7", "followup"), 0);
    json_decref(r);
    /* The enrolment re-opened (the end undone): the later measure is its follow-up, and B is
     * retained again. */
    snprintf(q, sizeof(q),
             "UPDATE enrolments SET end_date = NULL WHERE patient_id ="
             " (SELECT id FROM patients WHERE public_id = '%s')",
             b);
    fx_exec(s, q);
    r = report("2026-03-31");
    assert_int_equal(num(json_array_get(r, 0), "gad7", "followup"), 1);
    assert_int_equal(num(json_object_get(json_object_get(json_array_get(r, 0), "retention"), "d30"),
                         "retained", NULL),
                     2);
    json_decref(r);
}

static void test_empty(void **state)
{
    json_t *r;
    (void)state;
    r = report("2026-03-05");
    assert_int_equal(json_array_size(r), 0);
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_phq9, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention_and_ends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kept_figures_follow_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
