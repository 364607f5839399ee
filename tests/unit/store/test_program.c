/* test_program: the program's store (store/program.h) on both sides of every cut-off of spec
 * program.md §3: a patient's week (R1-R5: 179 and 180 minutes, an enrolment starting on a
 * Tuesday, a week that ends today), billable days (R6: 2 and 3 operating days, documented
 * days: the fourth condition's cases are test_program_gate.c's), alerts (R7:
 * missed two in a row), capacity (R8, with and without an administrator's override), conflicts
 * (R9: patients, staff, rooms, enrolments, walk-ins; cancelled sessions never conflict),
 * attendance rules, the roster by date, sessions made across both 2026 daylight-saving changes
 * in America/Chicago (minutes unchanged) and a pattern edit that keeps the past and the ids of
 * the sessions of slots that stay. Data goes in through the store's functions. */
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

static const caldate FAR = 30000; /* "today" for attendance: long after every test date */

static int setup(void **state)
{
    char pub[33];
    long id;
    (void)state;

    pf_open("/tmp/haven-program-XXXXXX");
    assert_int_equal(store_user_add(s, "e@x.org", "E", ROLE_CLINICIAN, 1704067200L, pub, &id),
                     E_OK);
    return 0;
}

static struct track_slot slot(int weekday, const char *start, const char *end, const char *title)
{
    struct track_slot v = {.weekday = weekday, .kind = SLOT_GROUP};
    assert_true(caldate_time_parse(start, &v.start));
    assert_true(caldate_time_parse(end, &v.end));
    snprintf(v.title, sizeof(v.title), "%s", title);
    return v;
}

/* A track opening on 2026-03-02 (a Monday) with these slots. */
static void track(const char *code, const struct track_slot *slots, size_t n, int capacity,
                  char out[33])
{
    struct program_track t = {.code = code, .name = "Track", .level = TRACK_IOP,
                              .population = TRACK_ADULT, .capacity = capacity,
                              .opens = d("2026-03-02"), .min_weekly_minutes = -2,
                              .slots = slots, .n_slots = n};
    struct program_why why;
    assert_int_equal(store_track_add(s, &t, NULL, out, &why), E_OK);
}

/* Mon, Wed, Fri 09:00-10:30 and 10:45-12:00: 165 minutes a day, under the billable 180. */
static void morning(char out[33], int capacity)
{
    struct track_slot v[6];
    for (int i = 0; i < 3; i++) {
        v[2 * i] = slot(1 + 2 * i, "09:00", "10:30", "Process group");
        v[2 * i + 1] = slot(1 + 2 * i, "10:45", "12:00", "Relapse prevention");
    }
    track("am", v, 6, capacity, out);
}

static enum err enrol(const char *pid, const char *tid, const char *start, const char *end,
                      struct program_why *why)
{
    struct program_enrolment e = {.track_id = tid, .start = d(start),
                                  .end = end ? d(end) : CALDATE_OPEN};
    json_t *out = NULL;
    enum err r = store_enrol(s, pid, &e, NULL, &out, why);
    json_decref(out);
    return r;
}

/* The id of the session of track tid (NULL: a one-off) on date at start, made as needed. */
static const char *session_at(const char *date, const char *start)
{
    static char id[33];
    json_t *list = NULL, *it;
    size_t i;

    id[0] = '\0';
    assert_int_equal(store_program_sessions_list(s, d(date), d(date), NULL, NULL, &list), E_OK);
    json_array_foreach(list, i, it)
        if (!strcmp(json_string_value(json_object_get(it, "start")), start))
            snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(it, "id")));
    json_decref(list);
    assert_true(id[0]);
    return id;
}

static enum err attend(const char *sid, const char *pid, const char *status, int minutes,
                       bool walk_in, struct program_why *why)
{
    json_t *out = NULL;
    enum err e = store_attendance_put(s, sid, pid, status, minutes, walk_in, FAR, NULL, &out,
                                      why);
    json_decref(out);
    return e;
}

/* A one-off session; out (may be NULL) gets its id. */
static enum err oneoff(const char *date, const char *start, const char *end, const char *pid,
                       const char *staff, const char *room, char *out, struct program_why *why)
{
    const char *patients[] = {pid}, *staffs[] = {staff};
    struct program_session p = {.date = d(date), .kind = "individual", .title = "Therapy",
                                .room = room, .patients = patients, .n_patients = 1,
                                .staff = staffs, .n_staff = staff ? 1 : 0};
    json_t *m = NULL;
    enum err e;

    assert_true(caldate_time_parse(start, &p.start));
    assert_true(caldate_time_parse(end, &p.end));
    e = store_program_session_add(s, &p, NULL, &m, why);
    if (e == E_OK && out)
        snprintf(out, 33, "%s", json_string_value(json_object_get(m, "id")));
    json_decref(m);
    return e;
}

static json_t *week(const char *pid, const char *w, const char *as_of)
{
    struct caldate_week wk;
    json_t *m = NULL;
    assert_true(caldate_week_parse(w, &wk));
    assert_int_equal(store_patient_week(s, pid, wk, d(as_of), &m), E_OK);
    return m;
}

static long num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_null(v) ? -1 : (long)json_integer_value(v);
}

static void test_week_and_billable_180(void **state)
{
    char tid[33], pid[33];
    struct program_why why;
    json_t *w, *days;
    (void)state;

    morning(tid, 12);
    pf_patient("Ana", "Test", pid);
    assert_int_equal(enrol(pid, tid, "2026-03-02", NULL, &why), E_OK);
    /* Monday: both groups (165) and a 15-minute individual session: 180, billable. */
    assert_int_equal(attend(session_at("2026-03-02", "09:00"), pid, "present", -1, false, &why),
                     E_OK);
    assert_int_equal(attend(session_at("2026-03-02", "10:45"), pid, "present", -1, false, &why),
                     E_OK);
    char one[33];
    assert_int_equal(oneoff("2026-03-02", "13:00", "13:15", pid, NULL, NULL, one, &why), E_OK);
    assert_int_equal(attend(one, pid, "present", -1, false, &why), E_OK);
    /* Wednesday: 165 and 14 minutes: 179, under 3 hours. */
    assert_int_equal(attend(session_at("2026-03-04", "09:00"), pid, "present", -1, false, &why),
                     E_OK);
    assert_int_equal(attend(session_at("2026-03-04", "10:45"), pid, "present", -1, false, &why),
                     E_OK);
    assert_int_equal(oneoff("2026-03-04", "13:00", "13:14", pid, NULL, NULL, one, &why), E_OK);
    assert_int_equal(attend(one, pid, "present", -1, false, &why), E_OK);
    /* A plan current and every note signed (R6's fourth condition), on both days. */
    pf_document(pid, "2026-03-02");
    pf_document(pid, "2026-03-04");

    /* As of the week's Sunday the week has not ended: no attended shortfall yet. */
    w = week(pid, "2026-W10", "2026-03-08");
    assert_int_equal(num(w, "scheduled_minutes"), 165 * 3 + 15 + 14);
    assert_int_equal(num(w, "attended_minutes"), 359);
    assert_int_equal(num(w, "minimum_minutes"), 540);
    assert_int_equal(num(w, "scheduled_shortfall"), 540 - 524);
    assert_int_equal(num(w, "attended_shortfall"), -1);
    days = json_object_get(w, "days");
    assert_int_equal(json_array_size(days), 2);
    assert_true(json_is_true(json_object_get(json_array_get(days, 0), "billable")));
    assert_int_equal(num(json_array_get(days, 0), "services"), 3);
    assert_false(json_is_true(json_object_get(json_array_get(days, 1), "billable")));
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(json_array_get(days, 1), "reasons"), 0)),
                        "under-3-hours");
    json_decref(w);
    /* The day after: the week has ended. */
    w = week(pid, "2026-W10", "2026-03-09");
    assert_int_equal(num(w, "attended_shortfall"), 540 - 359);
    json_decref(w);

    json_t *bill = NULL;
    assert_int_equal(store_billing_days(s, d("2026-03-01"), d("2026-03-31"), NULL, true, &bill),
                     E_OK);
    assert_int_equal(json_array_size(bill), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(bill, 0), "date")),
                        "2026-03-02");
    assert_string_equal(json_string_value(json_object_get(json_array_get(bill, 0), "code")),
                        "H0015");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(bill, 0), "patient_name")), "Ana Test");
    json_decref(bill);
}

static void test_operating_days(void **state)
{
    struct track_slot two[] = {slot(1, "09:00", "12:00", "A"), slot(3, "09:00", "12:00", "B")};
    struct track_slot three[] = {slot(1, "09:00", "12:00", "A"), slot(3, "09:00", "12:00", "B"),
                                 slot(5, "09:00", "12:00", "C")};
    char t2[33], t3[33], p2[33], p3[33];
    struct program_why why;
    json_t *w, *day;
    (void)state;

    track("two", two, 2, 12, t2);
    track("three", three, 3, 12, t3);
    pf_patient("Two", "Test", p2);
    pf_patient("Three", "Test", p3);
    assert_int_equal(enrol(p2, t2, "2026-03-02", NULL, &why), E_OK);
    assert_int_equal(enrol(p3, t3, "2026-03-02", NULL, &why), E_OK);
    json_t *list = NULL, *it;
    size_t i;
    assert_int_equal(store_program_sessions_list(s, d("2026-03-02"), d("2026-03-02"), NULL, NULL,
                                                 &list),
                     E_OK);
    json_array_foreach(list, i, it) {
        const char *sid = json_string_value(json_object_get(it, "id"));
        const char *who = json_string_value(json_array_get(json_object_get(it, "roster"), 0));
        assert_int_equal(attend(sid, who, "present", 180, false, &why), E_OK);
    }
    json_decref(list);
    pf_document(p2, "2026-03-02");
    pf_document(p3, "2026-03-02");
    w = week(p2, "2026-W10", "2026-03-20");
    day = json_array_get(json_object_get(w, "days"), 0);
    assert_false(json_is_true(json_object_get(day, "billable")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(day, "reasons"), 0)),
                        "program-under-3-days");
    assert_int_equal(json_array_size(json_object_get(day, "reasons")), 1);
    json_decref(w);
    w = week(p3, "2026-W10", "2026-03-20");
    day = json_array_get(json_object_get(w, "days"), 0);
    assert_true(json_is_true(json_object_get(day, "billable")));
    assert_int_equal(json_array_size(json_object_get(day, "reasons")), 0);
    json_decref(w);
}

static void test_enrolment_from_tuesday(void **state)
{
    char tid[33], pid[33];
    struct program_why why;
    json_t *w;
    (void)state;

    morning(tid, 12);
    pf_patient("Tue", "Test", pid);
    assert_int_equal(enrol(pid, tid, "2026-03-03", NULL, &why), E_OK);
    w = week(pid, "2026-W10", "2026-03-20");
    assert_int_equal(num(w, "minimum_minutes"), -1);
    assert_int_equal(num(w, "scheduled_shortfall"), -1);
    assert_int_equal(num(w, "attended_shortfall"), -1);
    assert_int_equal(num(w, "scheduled_minutes"), 330); /* Wednesday and Friday */
    json_decref(w);
    w = week(pid, "2026-W11", "2026-03-15");
    assert_int_equal(num(w, "minimum_minutes"), 540);
    assert_int_equal(num(w, "scheduled_shortfall"), 45);
    assert_int_equal(num(w, "attended_shortfall"), -1);
    json_decref(w);
    w = week(pid, "2026-W11", "2026-03-16");
    assert_int_equal(num(w, "attended_shortfall"), 540);
    json_decref(w);
}

static size_t alerts_of_kind(const char *kind, const char *as_of)
{
    json_t *a = NULL, *it;
    size_t i, n = 0;
    assert_int_equal(store_alerts(s, d(as_of), &a), E_OK);
    json_array_foreach(a, i, it)
        n += !strcmp(json_string_value(json_object_get(it, "kind")), kind);
    json_decref(a);
    return n;
}

/* Migration 0031's days (what R7 reads) agree with the records they add up: every day's
 * minutes, services, records and absences, and no day without records. */
static void days_match_records(void)
{
    assert_int_equal(
        fx_scalar(s, "SELECT count(*) FROM (SELECT patient_id, date, sum(minutes) AS m,"
                     " sum(minutes > 0) AS sv, count(*) AS n, sum(minutes = 0) AS ab"
                     " FROM attendance GROUP BY patient_id, date"
                     " EXCEPT SELECT patient_id, date, minutes, services, records, absences"
                     " FROM attendance_days)"),
        0);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM attendance_days"),
                     fx_scalar(s, "SELECT count(*) FROM (SELECT DISTINCT patient_id, date"
                                  " FROM attendance)"));
}

static void test_missed_two_in_a_row(void **state)
{
    char tid[33], pid[33];
    struct program_why why;
    (void)state;

    morning(tid, 12);
    pf_patient("Miss", "Test", pid);
    assert_int_equal(enrol(pid, tid, "2026-03-02", NULL, &why), E_OK);
    assert_int_equal(attend(session_at("2026-03-02", "09:00"), pid, "present", -1, false, &why),
                     E_OK);
    assert_int_equal(attend(session_at("2026-03-02", "10:45"), pid, "absent-excused", -1, false,
                            &why),
                     E_OK);
    assert_int_equal(alerts_of_kind("missed-two-in-a-row", "2026-03-03"), 0);
    assert_int_equal(attend(session_at("2026-03-04", "09:00"), pid, "absent-unexcused", 0, false,
                            &why),
                     E_OK);
    assert_int_equal(alerts_of_kind("missed-two-in-a-row", "2026-03-05"), 1);
    /* Only sessions dated before the as-of date count. */
    assert_int_equal(alerts_of_kind("missed-two-in-a-row", "2026-03-04"), 0);
    assert_int_equal(attend(session_at("2026-03-04", "10:45"), pid, "late", 30, false, &why),
                     E_OK);
    assert_int_equal(alerts_of_kind("missed-two-in-a-row", "2026-03-05"), 0);
    /* Two absences on the last date with records: both the last two, whatever else. */
    assert_int_equal(attend(session_at("2026-03-06", "10:45"), pid, "absent-unexcused", 0, false,
                            &why),
                     E_OK);
    assert_int_equal(attend(session_at("2026-03-06", "09:00"), pid, "absent-excused", 0, false,
                            &why),
                     E_OK);
    assert_int_equal(alerts_of_kind("missed-two-in-a-row", "2026-03-07"), 1);
    /* An absence, then a later session attended the same day: not two in a row. */
    assert_int_equal(attend(session_at("2026-03-06", "09:00"), pid, "present", -1, false, &why),
                     E_OK);
    assert_int_equal(alerts_of_kind("missed-two-in-a-row", "2026-03-07"), 0);
    /* Scheduled 495 of 540 this week and next; attended under the minimum last week. */
    assert_int_equal(alerts_of_kind("scheduled-under-minimum", "2026-03-10"), 2);
    assert_int_equal(alerts_of_kind("attended-under-minimum", "2026-03-10"), 1);
    days_match_records();
    /* A day's last record gone (by hand: Haven never deletes one), the day goes with it. */
    fx_exec(s, "DELETE FROM attendance WHERE date = '2026-03-02'");
    days_match_records();
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM attendance_days WHERE date = '2026-03-02'"),
                     0);
    /* The alerts are kept per connection while nothing R7 reads changes (migration 0032): asked
     * again, the same; an enrolment ended by hand (no store function told), they follow it. */
    assert_int_equal(alerts_of_kind("scheduled-under-minimum", "2026-03-10"), 2);
    assert_int_equal(alerts_of_kind("scheduled-under-minimum", "2026-03-10"), 2);
    fx_exec(s, "UPDATE enrolments SET end_date = '2026-03-08'");
    assert_int_equal(alerts_of_kind("scheduled-under-minimum", "2026-03-10"), 0);
}

/* The alerts add up a week's scheduled minutes for the whole network at once (hours.c,
 * scheduled_of); a patient's week adds them up with one query (R1: a session once). Both must
 * give the same figure: a track's sessions of the enrolment, a one-off, a walk-in to another
 * track, and a session of the patient's own track also named for them (counted once). */
static void test_scheduled_alert_agrees_with_week(void **state)
{
    char ta[33], tb[33], pid[33], sid[33], q[400];
    struct track_slot pm = slot(2, "14:00", "14:10", "Check-in");
    struct program_why why;
    json_t *a = NULL, *it, *w;
    size_t i, found = 0;
    (void)state;

    morning(ta, 12);
    track("pm", &pm, 1, 12, tb);
    pf_patient("Sam", "Sum", pid);
    assert_int_equal(enrol(pid, ta, "2026-03-02", NULL, &why), E_OK);
    assert_int_equal(oneoff("2026-03-05", "13:00", "13:30", pid, NULL, NULL, sid, &why), E_OK);
    assert_int_equal(attend(session_at("2026-03-03", "14:00"), pid, "present", -1, true, &why),
                     E_OK);
    snprintf(q, sizeof(q),
             "INSERT INTO session_patients (session_id, patient_id, date, walk_in)"
             " SELECT s.id, p.id, s.date, 1 FROM program_sessions s, patients p"
             " WHERE s.public_id = '%s' AND p.public_id = '%s'",
             session_at("2026-03-04", "09:00"), pid);
    fx_exec(s, q);
    w = week(pid, "2026-W10", "2026-03-04");
    assert_int_equal(num(w, "scheduled_minutes"), 495 + 30 + 10);
    json_decref(w);
    assert_int_equal(store_alerts(s, d("2026-03-04"), &a), E_OK);
    json_array_foreach(a, i, it)
        if (!strcmp(json_string_value(json_object_get(it, "kind")), "scheduled-under-minimum")) {
            const char *wk = json_string_value(json_object_get(it, "week"));
            const char *detail = json_string_value(json_object_get(it, "detail"));
            found++;
            assert_string_equal(detail, !strcmp(wk, "2026-W10")
                                            ? "scheduled 535 of 540 minutes"
                                            : "scheduled 495 of 540 minutes");
        }
    assert_int_equal(found, 2);
    json_decref(a);
}

static void test_capacity(void **state)
{
    char tid[33], a[33], b[33], c[33];
    struct program_why why = {{0}, {0}};
    struct program_enrolment e;
    json_t *out = NULL;
    (void)state;

    morning(tid, 1);
    pf_patient("A", "Test", a);
    pf_patient("B", "Test", b);
    pf_patient("C", "Test", c);
    assert_int_equal(enrol(a, tid, "2026-03-02", "2026-03-10", &why), E_OK);
    /* From the 11th the place is free. */
    assert_int_equal(enrol(b, tid, "2026-03-11", NULL, &why), E_OK);
    assert_int_equal(enrol(c, tid, "2026-03-05", NULL, &why), E_CONFLICT);
    assert_string_equal(why.field, "track_id");
    assert_non_null(strstr(why.message, "2026-03-05"));
    e = (struct program_enrolment){.track_id = tid, .start = d("2026-03-12"), .end = CALDATE_OPEN,
                                   .override_reason = "Court order", .is_admin = false};
    assert_int_equal(store_enrol(s, c, &e, NULL, &out, &why), E_FORBIDDEN);
    e.is_admin = true;
    assert_int_equal(store_enrol(s, c, &e, NULL, &out, &why), E_OK);
    assert_string_equal(json_string_value(json_object_get(out, "override_reason")),
                        "Court order");
    json_decref(out);
    /* A second enrolment of the same patient covering a date: 409. */
    assert_int_equal(enrol(a, tid, "2026-03-09", "2026-03-09", &why), E_CONFLICT);
    assert_string_equal(why.field, "start");
}

static void test_conflicts(void **state)
{
    char tid[33], a[33], b[33], one[33], other[33];
    struct program_why why = {{0}, {0}};
    json_t *out = NULL;
    (void)state;

    morning(tid, 12);
    pf_patient("A", "Test", a);
    pf_patient("B", "Test", b);
    assert_int_equal(enrol(a, tid, "2026-03-02", NULL, &why), E_OK);
    /* A patient in a track session. */
    assert_int_equal(oneoff("2026-03-02", "10:00", "10:40", a, NULL, NULL, NULL, &why),
                     E_CONFLICT);
    assert_string_equal(why.field, "patients");
    assert_non_null(strstr(why.message, session_at("2026-03-02", "09:00")));
    /* Touching is not overlapping. */
    assert_int_equal(oneoff("2026-03-02", "10:30", "10:45", a, NULL, NULL, NULL, &why), E_OK);
    /* Staff and room. */
    assert_int_equal(oneoff("2026-03-03", "10:00", "11:00", b, "c@x.org", "Room 1", one, &why),
                     E_OK);
    assert_int_equal(oneoff("2026-03-03", "10:30", "11:30", a, "c@x.org", NULL, NULL, &why),
                     E_CONFLICT);
    assert_string_equal(why.field, "staff");
    assert_int_equal(oneoff("2026-03-03", "10:30", "11:30", a, "e@x.org", "Room 1", NULL, &why),
                     E_CONFLICT);
    assert_string_equal(why.field, "room");
    assert_non_null(strstr(why.message, one));
    /* An enrolment whose track sessions overlap a one-off of the patient: B has one on Monday
     * the 9th at 09:30. */
    assert_int_equal(oneoff("2026-03-09", "09:30", "10:00", b, NULL, NULL, other, &why), E_OK);
    assert_int_equal(enrol(b, tid, "2026-03-05", NULL, &why), E_CONFLICT);
    assert_non_null(strstr(why.message, other));
    /* Cancelled sessions never conflict. */
    assert_int_equal(store_program_session_cancel(s, other, "Ill", NULL, &out, &why), E_OK);
    json_decref(out);
    assert_int_equal(enrol(b, tid, "2026-03-05", "2026-03-20", &why), E_OK);
}

static void test_walk_in(void **state)
{
    char tid[33], a[33], b[33], c[33];
    struct program_why why = {{0}, {0}};
    json_t *s1 = NULL;
    (void)state;

    morning(tid, 12);
    pf_patient("A", "Test", a);
    pf_patient("B", "Test", b);
    const char *sid = session_at("2026-03-02", "09:00");
    char keep[33];
    snprintf(keep, sizeof(keep), "%s", sid);
    assert_int_equal(attend(keep, a, "present", -1, false, &why), E_CONFLICT);
    assert_string_equal(why.field, "patient_id");
    /* B is in a one-off at 10:00: the walk-in would overlap it. */
    assert_int_equal(oneoff("2026-03-02", "10:00", "10:20", b, NULL, NULL, NULL, &why), E_OK);
    assert_int_equal(attend(keep, b, "present", -1, true, &why), E_CONFLICT);
    assert_string_equal(why.field, "walk_in");
    assert_int_equal(attend(keep, a, "present", -1, true, &why), E_OK);
    assert_int_equal(store_program_session_get(s, keep, &s1), E_OK);
    assert_int_equal(json_array_size(json_object_get(s1, "roster")), 1);
    json_decref(s1);
    /* C enrolled too: the 09:00 roster is C and the walk-in A. A network's Today counts each
     * roster without reading it (store_program_sessions_day_brief): the same sizes, the same
     * sessions in the same order, for the track's sessions and the one-off alike. */
    pf_patient("C", "Test", c);
    assert_int_equal(enrol(c, tid, "2026-03-02", NULL, &why), E_OK);
    json_t *full = NULL, *brief = NULL, *x;
    size_t i;
    assert_int_equal(store_program_sessions_list(s, d("2026-03-02"), d("2026-03-02"), NULL, NULL,
                                                 &full),
                     E_OK);
    assert_int_equal(store_program_sessions_day_brief(s, d("2026-03-02"), &brief), E_OK);
    assert_int_equal(json_array_size(brief), json_array_size(full));
    assert_true(json_array_size(full) >= 3);
    json_array_foreach(full, i, x)
    {
        const json_t *y = json_array_get(brief, i);
        assert_string_equal(json_string_value(json_object_get(y, "id")),
                            json_string_value(json_object_get(x, "id")));
        assert_int_equal(json_integer_value(json_object_get(y, "roster_size")),
                         json_array_size(json_object_get(x, "roster")));
        assert_null(json_object_get(y, "roster"));
        if (!strcmp(json_string_value(json_object_get(x, "id")), keep))
            assert_int_equal(json_array_size(json_object_get(x, "roster")), 2);
    }
    json_decref(full);
    json_decref(brief);
}

static void test_attendance_rules(void **state)
{
    char tid[33], a[33];
    struct program_why why = {{0}, {0}};
    char sid[33];
    json_t *out = NULL;
    (void)state;

    morning(tid, 12);
    pf_patient("A", "Test", a);
    assert_int_equal(enrol(a, tid, "2026-03-02", NULL, &why), E_OK);
    snprintf(sid, sizeof(sid), "%s", session_at("2026-03-02", "09:00"));
    assert_int_equal(attend(sid, a, "present", 89, false, &why), E_INVALID);
    assert_string_equal(why.field, "minutes");
    assert_int_equal(attend(sid, a, "present", 90, false, &why), E_OK);
    assert_int_equal(attend(sid, a, "late", 90, false, &why), E_INVALID);
    assert_int_equal(attend(sid, a, "late", -1, false, &why), E_INVALID);
    assert_int_equal(attend(sid, a, "late", 89, false, &why), E_OK);
    assert_int_equal(attend(sid, a, "left-early", 1, false, &why), E_OK);
    assert_int_equal(attend(sid, a, "absent-excused", 5, false, &why), E_INVALID);
    assert_int_equal(attend(sid, a, "absent-excused", 0, false, &why), E_OK);
    assert_int_equal(attend(sid, a, "here", -1, false, &why), E_INVALID);
    assert_string_equal(why.field, "status");
    /* One record per session and patient: recording again replaced it. */
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM attendance"), 1);
    /* After today: refused. */
    assert_int_equal(store_attendance_put(s, sid, a, "present", -1, false, d("2026-03-01"), NULL,
                                          &out, &why),
                     E_CONFLICT);
    /* A session with attendance cannot be cancelled; a cancelled one takes none. */
    assert_int_equal(store_program_session_cancel(s, sid, "Snow", NULL, &out, &why), E_CONFLICT);
    snprintf(sid, sizeof(sid), "%s", session_at("2026-03-02", "10:45"));
    assert_int_equal(store_program_session_cancel(s, sid, "Snow", NULL, &out, &why), E_OK);
    json_decref(out);
    assert_int_equal(attend(sid, a, "present", -1, false, &why), E_CONFLICT);
    /* A cancelled session is not scheduled: 90 fewer minutes that week. */
    json_t *w = week(a, "2026-W10", "2026-03-20");
    assert_int_equal(num(w, "scheduled_minutes"), 495 - 75);
    json_decref(w);
}

static void test_roster_by_date(void **state)
{
    char tid[33], a[33], b[33];
    struct program_why why = {{0}, {0}};
    json_t *m = NULL;
    (void)state;

    morning(tid, 12);
    pf_patient("A", "Test", a);
    pf_patient("B", "Test", b);
    assert_int_equal(enrol(a, tid, "2026-03-02", "2026-03-04", &why), E_OK);
    assert_int_equal(enrol(b, tid, "2026-03-04", NULL, &why), E_OK);
    const char *days[] = {"2026-03-02", "2026-03-04", "2026-03-06"};
    const size_t want[] = {1, 2, 1};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(store_program_session_get(s, session_at(days[i], "09:00"), &m), E_OK);
        assert_int_equal(json_array_size(json_object_get(m, "roster")), want[i]);
        json_decref(m);
    }
    /* A's discharge on the 2nd takes them off Wednesday's roster; nothing is rebuilt. */
    assert_int_equal(store_enrolment_end(s, "nope", d("2026-03-02"), NULL, NULL, &m, &why),
                     E_NOTFOUND);
    json_t *list = NULL;
    assert_int_equal(store_enrolments_of(s, a, &list), E_OK);
    const char *eid = json_string_value(json_object_get(json_array_get(list, 0), "id"));
    assert_int_equal(store_enrolment_end(s, eid, d("2026-03-01"), NULL, NULL, &m, &why),
                     E_INVALID);
    assert_int_equal(store_enrolment_end(s, eid, d("2026-03-02"), "Completed", NULL, &m, &why),
                     E_OK);
    json_decref(m);
    json_decref(list);
    assert_int_equal(store_program_session_get(s, session_at("2026-03-04", "09:00"), &m), E_OK);
    assert_int_equal(json_array_size(json_object_get(m, "roster")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(m, "roster"), 0)), b);
    json_decref(m);
}

static void test_dst_days(void **state)
{
    struct track_slot v[] = {slot(7, "01:30", "03:00", "Night owls")};
    char tid[33];
    json_t *m = NULL;
    (void)state;

    track("sun", v, 1, 12, tid);
    const char *days[] = {"2026-03-08", "2026-11-01", "2026-03-15"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(store_program_session_get(s, session_at(days[i], "01:30"), &m), E_OK);
        assert_int_equal(num(m, "minutes"), 90);
        assert_string_equal(json_string_value(json_object_get(m, "end")), "03:00");
        json_decref(m);
    }
    /* Sessions are made once, however often they are asked for. */
    long n = fx_scalar(s, "SELECT count(*) FROM program_sessions");
    json_t *list = NULL;
    assert_int_equal(store_program_sessions_list(s, d("2026-03-02"), d("2026-03-31"), tid, NULL,
                                                 &list),
                     E_OK);
    assert_int_equal(json_array_size(list), 4);
    json_decref(list);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM program_sessions"), n);
}

static void test_pattern_edit(void **state)
{
    struct track_slot v[] = {slot(1, "09:00", "10:30", "Process"), slot(3, "09:00", "10:30", "B")};
    struct track_slot w[] = {slot(1, "09:00", "10:30", "Process, renamed"),
                             slot(5, "13:00", "14:00", "New")};
    struct program_track t = {.code = "edit", .name = "Edit", .level = TRACK_IOP,
                              .population = TRACK_ADULT, .capacity = 12,
                              .opens = d("2026-03-02"), .min_weekly_minutes = -2, .slots = w,
                              .n_slots = 2};
    char tid[33], a[33], past[33], future[33], kept_b[33];
    struct program_why why = {{0}, {0}};
    json_t *m = NULL;
    (void)state;

    track("edit", v, 2, 12, tid);
    pf_patient("A", "Test", a);
    assert_int_equal(enrol(a, tid, "2026-03-02", NULL, &why), E_OK);
    snprintf(past, sizeof(past), "%s", session_at("2026-03-09", "09:00"));
    snprintf(future, sizeof(future), "%s", session_at("2026-03-23", "09:00"));
    /* B's session of the 25th has attendance: it stays. */
    snprintf(kept_b, sizeof(kept_b), "%s", session_at("2026-03-25", "09:00"));
    assert_int_equal(attend(kept_b, a, "present", -1, false, &why), E_OK);
    session_at("2026-03-11", "09:00");
    assert_int_equal(store_track_update(s, tid, &t, d("2026-03-16"), NULL, &why), E_OK);
    /* The past keeps its title; the slot that stays keeps its future sessions' ids. */
    assert_int_equal(store_program_session_get(s, past, &m), E_OK);
    assert_string_equal(json_string_value(json_object_get(m, "title")), "Process");
    json_decref(m);
    assert_int_equal(store_program_session_get(s, future, &m), E_OK);
    assert_string_equal(json_string_value(json_object_get(m, "title")), "Process, renamed");
    json_decref(m);
    assert_string_equal(session_at("2026-03-23", "09:00"), future);
    /* B's past session stays, its future ones go but the one with attendance. */
    session_at("2026-03-11", "09:00");
    assert_int_equal(store_program_session_get(s, kept_b, &m), E_OK);
    json_decref(m);
    json_t *list = NULL;
    assert_int_equal(store_program_sessions_list(s, d("2026-04-01"), d("2026-04-01"), tid, NULL,
                                                 &list),
                     E_OK);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    /* The new slot's sessions exist from the change on, not before. */
    session_at("2026-03-20", "13:00");
    assert_int_equal(store_program_sessions_list(s, d("2026-03-13"), d("2026-03-13"), tid, NULL,
                                                 &list),
                     E_OK);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    /* operates_days follows the pattern. */
    assert_int_equal(store_track_get(s, tid, d("2026-03-20"), &m), E_OK);
    assert_int_equal(num(m, "operates_days"), 2);
    assert_int_equal(num(m, "census"), 1);
    json_decref(m);
}

static void test_track_rules(void **state)
{
    struct track_slot v[] = {slot(1, "09:00", "10:30", "A"), slot(1, "10:00", "11:00", "B")};
    struct program_track t = {.code = "Bad Code", .name = "X", .level = TRACK_IOP,
                              .capacity = 12, .opens = d("2026-03-02"),
                              .min_weekly_minutes = -2, .slots = v, .n_slots = 1};
    struct program_why why = {{0}, {0}};
    char id[33];
    (void)state;

    assert_int_equal(store_track_add(s, &t, NULL, id, &why), E_INVALID);
    assert_string_equal(why.field, "code");
    t.code = "ok";
    t.n_slots = 2;
    assert_int_equal(store_track_add(s, &t, NULL, id, &why), E_INVALID);
    assert_string_equal(why.field, "slots");
    t.n_slots = 1;
    t.capacity = 101;
    assert_int_equal(store_track_add(s, &t, NULL, id, &why), E_INVALID);
    assert_string_equal(why.field, "capacity");
    t.capacity = 12;
    assert_int_equal(store_track_add(s, &t, NULL, id, &why), E_OK);
    char again[33];
    assert_int_equal(store_track_add(s, &t, NULL, again, &why), E_CONFLICT);
    assert_string_equal(why.field, "code");
    /* Enrolments start on or after the opening. */
    char p[33];
    pf_patient("Early", "Test", p);
    assert_int_equal(enrol(p, id, "2026-03-01", NULL, &why), E_INVALID);
    assert_string_equal(why.field, "start");
    assert_int_equal(enrol(p, "nope", "2026-03-02", NULL, &why), E_INVALID);
    assert_string_equal(why.field, "track_id");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_week_and_billable_180, setup, teardown),
        cmocka_unit_test_setup_teardown(test_operating_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enrolment_from_tuesday, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missed_two_in_a_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scheduled_alert_agrees_with_week, setup, teardown),
        cmocka_unit_test_setup_teardown(test_capacity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conflicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_walk_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attendance_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roster_by_date, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dst_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pattern_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_track_rules, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
