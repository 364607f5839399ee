/* test_transitions: the store's transitions (store/transitions.h): a move ends the open
 * enrolment the day before and enrols in the new track in one transaction, refused whole by
 * each of its checks (no open enrolment, the day, the level, the same track, R8 with and without
 * an administrator's override, R9 and a cancelled session); a step changes the level; the end of
 * an enrolment only shortens; a discharge ends the enrolment covering its date, refuses one that
 * starts later and a stale status; the timeline tells each. Data goes in through the store. */
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
#include "store/transitions.h"
#include "store_fixture.h"
#include "program_fixture.h"


static int setup(void **state)
{
    (void)state;
    pf_open("/tmp/haven-transitions-XXXXXX");
    return 0;
}

/* A track opening on 2026-03-02 (a Monday) meeting 09:00-12:00 on the weekdays given (a
 * string of digits 1-7). */
static void track(const char *code, enum track_level level, const char *days, int capacity,
                  char out[33])
{
    struct track_slot v[7];
    struct program_why why;
    size_t n = 0;

    for (const char *c = days; *c; c++, n++) {
        v[n] = (struct track_slot){.weekday = *c - '0', .start = 540, .end = 720,
                                   .kind = SLOT_GROUP};
        snprintf(v[n].title, sizeof(v[n].title), "Group");
    }
    struct program_track t = {.code = code, .name = code, .level = level,
                              .population = TRACK_ADULT, .capacity = capacity,
                              .opens = d("2026-03-02"), .min_weekly_minutes = -2,
                              .slots = v, .n_slots = n};
    assert_int_equal(store_track_add(s, &t, NULL, out, &why), E_OK);
}

static void enrol(const char *pid, const char *tid, const char *start)
{
    struct program_enrolment e = {.track_id = tid, .start = d(start), .end = CALDATE_OPEN};
    struct program_why why;
    json_t *out = NULL;

    assert_int_equal(store_enrol(s, pid, &e, NULL, &out, &why), E_OK);
    json_decref(out);
}

static enum err move(const char *pid, const char *tid, const char *start, bool step,
                     const char *reason, struct program_why *why)
{
    struct transition_move m = {.track_id = tid, .start = d(start), .reason = reason,
                                .step = step};
    char id[33];

    return store_transition_move(s, pid, &m, NULL, id, why);
}

/* The patient's enrolments as "code:start:end" (end "open"), oldest first, into out. */
static const char *spans(const char *pid, char *out, size_t n)
{
    json_t *list = NULL, *e;
    size_t i, k = 0;

    assert_int_equal(store_transition_enrolments(s, pid, &list), E_OK);
    out[0] = '\0';
    json_array_foreach(list, i, e) {
        const char *end = json_string_value(json_object_get(e, "end"));
        k += (size_t)snprintf(out + k, n - k, "%s%s:%s:%s", i ? "," : "",
                              json_string_value(json_object_get(e, "track_code")),
                              json_string_value(json_object_get(e, "start")),
                              *end ? end : "open");
    }
    json_decref(list);
    return out;
}

static void test_move(void **state)
{
    char a[33], b[33], p[33], pid[33], before[256], now[256], level[16];
    struct program_why why = {{0}, {0}};
    (void)state;

    track("am", TRACK_IOP, "135", 12, a);
    track("pm", TRACK_IOP, "24", 12, b);
    track("php", TRACK_PHP, "12345", 12, p);
    pf_patient("A", "Test", pid);
    /* No open enrolment: nothing to move (a step would enrol). */
    assert_int_equal(move(pid, b, "2026-03-09", false, NULL, &why), E_CONFLICT);
    assert_string_equal(why.field, "track_id");
    enrol(pid, a, "2026-03-02");
    spans(pid, before, sizeof(before));
    assert_int_equal(move(pid, b, "2026-03-02", false, NULL, &why), E_INVALID); /* its start */
    assert_string_equal(why.field, "start");
    assert_int_equal(move(pid, b, "2026-03-01", false, NULL, &why), E_INVALID); /* opens */
    assert_string_equal(why.field, "start");
    assert_int_equal(move(pid, a, "2026-03-09", false, NULL, &why), E_INVALID); /* same track */
    assert_int_equal(move(pid, p, "2026-03-09", false, NULL, &why), E_INVALID); /* a level */
    assert_string_equal(why.field, "track_id");
    assert_int_equal(move(pid, "f00", "2026-03-09", false, NULL, &why), E_INVALID);
    assert_string_equal(spans(pid, now, sizeof(now)), before);
    /* The day after the start is the earliest move. */
    assert_int_equal(move(pid, b, "2026-03-03", false, "Works mornings", &why), E_OK);
    assert_string_equal(spans(pid, now, sizeof(now)),
                        "am:2026-03-02:2026-03-02,pm:2026-03-03:open");
    fx_text(s, "SELECT track || ':' || level FROM patients", level, sizeof(level));
    assert_string_equal(level, "pm:iop");
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM enrolments WHERE end_reason ="
                                  " 'Works mornings'"),
                     1);
}

static void test_capacity_and_conflicts(void **state)
{
    char a[33], b[33], p[33], x[33], y[33], one[33], before[256], now[256];
    struct program_why why = {{0}, {0}};
    struct transition_move m;
    json_t *out = NULL;
    (void)state;

    track("am", TRACK_IOP, "135", 12, a);
    track("pm", TRACK_IOP, "24", 1, b);
    track("php", TRACK_PHP, "12345", 12, p);
    pf_patient("X", "Test", x);
    pf_patient("Y", "Test", y);
    enrol(y, b, "2026-03-10");
    enrol(x, a, "2026-03-02");
    spans(x, before, sizeof(before));
    /* R8: full from Y's first day, which the refusal names. */
    assert_int_equal(move(x, b, "2026-03-05", false, NULL, &why), E_CONFLICT);
    assert_non_null(strstr(why.message, "2026-03-10"));
    m = (struct transition_move){.track_id = b, .start = d("2026-03-05"),
                                 .override_reason = "Two leave", .is_admin = false};
    assert_int_equal(store_transition_move(s, x, &m, NULL, one, &why), E_FORBIDDEN);
    assert_string_equal(why.field, "override_reason");
    assert_string_equal(spans(x, now, sizeof(now)), before);
    /* R9: a one-off of X on Tuesday the 17th at 10:00 is in php's 09:00-12:00. */
    const char *patients[] = {x};
    struct program_session o = {.date = d("2026-03-17"), .start = 600, .end = 660,
                                .kind = "individual", .title = "Therapy", .patients = patients,
                                .n_patients = 1};
    assert_int_equal(store_program_session_add(s, &o, NULL, &out, &why), E_OK);
    snprintf(one, sizeof(one), "%s", json_string_value(json_object_get(out, "id")));
    json_decref(out);
    assert_int_equal(move(x, p, "2026-03-16", true, "More", &why), E_CONFLICT);
    assert_non_null(strstr(why.message, one));
    assert_string_equal(spans(x, now, sizeof(now)), before);
    assert_int_equal(store_program_session_cancel(s, one, "Moved", NULL, &out, &why), E_OK);
    json_decref(out);
    /* A step needs its reason; then it changes the level. */
    assert_int_equal(move(x, p, "2026-03-16", true, NULL, &why), E_INVALID);
    assert_string_equal(why.field, "reason");
    assert_int_equal(move(x, b, "2026-03-16", true, "More", &why), E_INVALID); /* same level */
    assert_int_equal(move(x, p, "2026-03-16", true, "More", &why), E_OK);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM patients WHERE level = 'php'"), 1);
    /* An administrator goes past the capacity, the reason kept. */
    m = (struct transition_move){.track_id = b, .start = d("2026-03-20"), .reason = "Less",
                                 .override_reason = "Two leave", .is_admin = true, .step = true};
    assert_int_equal(store_transition_move(s, x, &m, NULL, one, &why), E_OK);
    assert_string_equal(spans(x, now, sizeof(now)),
                        "am:2026-03-02:2026-03-15,php:2026-03-16:2026-03-19,pm:2026-03-20:open");
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM enrolments WHERE override_reason ="
                                  " 'Two leave'"),
                     1);
}

static void test_end(void **state)
{
    char a[33], x[33], y[33], eid[33], now[256];
    struct program_why why = {{0}, {0}};
    (void)state;

    track("am", TRACK_IOP, "135", 12, a);
    pf_patient("X", "Test", x);
    pf_patient("Y", "Test", y);
    enrol(x, a, "2026-03-02");
    fx_text(s, "SELECT public_id FROM enrolments", eid, sizeof(eid));
    assert_int_equal(store_transition_end(s, y, eid, d("2026-03-20"), NULL, NULL, &why),
                     E_NOTFOUND); /* not Y's */
    assert_int_equal(store_transition_end(s, x, eid, d("2026-03-01"), NULL, NULL, &why),
                     E_INVALID);
    assert_string_equal(why.field, "end");
    assert_int_equal(store_transition_end(s, x, eid, d("2026-03-20"), "Work", NULL, &why), E_OK);
    assert_string_equal(spans(x, now, sizeof(now)), "am:2026-03-02:2026-03-20");
    /* The chart shortens only: the same day or a later one is refused. */
    assert_int_equal(store_transition_end(s, x, eid, d("2026-03-20"), NULL, NULL, &why),
                     E_INVALID);
    assert_int_equal(store_transition_end(s, x, eid, d("2026-03-02"), NULL, NULL, &why), E_OK);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM patient_events WHERE kind ="
                                  " 'enrolment-ended'"),
                     2);
}

static void test_discharge(void **state)
{
    char a[33], x[33], y[33], now[256], row[128];
    struct program_why why = {{0}, {0}};
    struct transition_discharge dc = {.from = "active", .date = d("2026-03-12"),
                                      .reason = "moved", .aftercare = "Group in Tulsa",
                                      .enrolment_reason = "Discharged: Moved away"};
    (void)state;

    track("am", TRACK_IOP, "135", 12, a);
    pf_patient("X", "Test", x);
    pf_patient("Y", "Test", y);
    enrol(x, a, "2026-03-02");
    enrol(y, a, "2026-03-16");
    /* Y's enrolment starts after the date: in the way. */
    dc.date = d("2026-03-13");
    assert_int_equal(store_transition_discharge(s, y, &dc, NULL, &why), E_CONFLICT);
    assert_string_equal(why.field, "discharge_date");
    /* A stale status, an unknown reason: nothing written. */
    dc.from = "on-hold";
    assert_int_equal(store_transition_discharge(s, x, &dc, NULL, &why), E_CONFLICT);
    dc.from = "active";
    dc.reason = "transferred"; /* a reason of the old list: the schema refuses it */
    assert_int_equal(store_transition_discharge(s, x, &dc, NULL, &why), E_INVALID);
    assert_string_equal(spans(x, now, sizeof(now)), "am:2026-03-02:open");
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM patients WHERE status = 'discharged'"),
                     0);
    dc.reason = "moved";
    dc.date = d("2026-03-12");
    assert_int_equal(store_transition_discharge(s, x, &dc, NULL, &why), E_OK);
    assert_string_equal(spans(x, now, sizeof(now)), "am:2026-03-02:2026-03-12");
    fx_text(s,
            "SELECT status || '|' || discharge_date || '|' || discharge_disposition || '|' ||"
            " aftercare_note FROM patients WHERE status = 'discharged'",
            row, sizeof(row));
    assert_string_equal(row, "discharged|2026-03-12|moved|Group in Tulsa");
    /* Once discharged, no second discharge and no move. */
    assert_int_equal(store_transition_discharge(s, x, &dc, NULL, &why), E_CONFLICT);
    dc.from = "discharged";
    assert_int_equal(store_transition_discharge(s, x, &dc, NULL, &why), E_CONFLICT);
    assert_int_equal(move(x, a, "2026-03-20", false, NULL, &why), E_CONFLICT);
}

/* The timeline: a join is an "enrolled" row; a move's new enrolment is told by the move, which
 * names its track. */
static void test_timeline(void **state)
{
    char a[33], b[33], x[33];
    struct program_why why = {{0}, {0}};
    json_t *p = NULL, *ev;
    int enrolled = 0, moved = 0;
    size_t i;
    (void)state;

    track("am", TRACK_IOP, "135", 12, a);
    track("pm", TRACK_IOP, "24", 12, b);
    pf_patient("X", "Test", x);
    enrol(x, a, "2026-03-02");
    assert_int_equal(move(x, b, "2026-03-09", false, NULL, &why), E_OK);
    assert_int_equal(store_adm_patient_get(s, x, true, &p), E_OK);
    json_array_foreach(json_object_get(p, "timeline"), i, ev) {
        const char *kind = json_string_value(json_object_get(ev, "kind"));
        if (!strcmp(kind, "enrolled")) {
            enrolled++;
            assert_string_equal(json_string_value(json_object_get(ev, "to")), "am");
            assert_string_equal(json_string_value(json_object_get(ev, "date")), "2026-03-02");
        } else if (!strcmp(kind, "track-moved")) {
            moved++;
            assert_string_equal(json_string_value(json_object_get(ev, "from")), "am");
            assert_string_equal(json_string_value(json_object_get(ev, "party")), "pm");
            assert_string_equal(json_string_value(json_object_get(ev, "date")), "2026-03-09");
        }
    }
    assert_int_equal(enrolled, 1);
    assert_int_equal(moved, 1);
    json_decref(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_move, setup, teardown),
        cmocka_unit_test_setup_teardown(test_capacity_and_conflicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_discharge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeline, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
