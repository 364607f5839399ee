/* test_program_reports: the reports' store functions (store/program_reports.c). The week of
 * every enrolled patient must give, patient by patient, what store_patient_week gives (a
 * patient enrolled all week, one from a Tuesday, one who moved tracks mid-week, a walk-in, a
 * one-off session, a cancelled session; before and after the week ends; all tracks and one);
 * the roster of a track by date; the census with the week's admissions and discharges. Data
 * goes in through the store's functions. */
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

static char am[33], pm[33];                /* the tracks */
static char ana[33], ben[33], cy[33], dee[33]; /* the patients */

static struct track_slot slot(int weekday, int start, int end, const char *title)
{
    struct track_slot v = {.weekday = weekday, .start = start * 60, .end = end * 60,
                           .kind = SLOT_GROUP};
    snprintf(v.title, sizeof(v.title), "%s", title);
    return v;
}

static void track(const char *code, enum track_level level, const struct track_slot *slots,
                  size_t n, char out[33])
{
    struct program_track t = {.code = code, .name = code, .level = level,
                              .population = TRACK_ADULT, .capacity = 12,
                              .opens = d("2026-03-02"), .min_weekly_minutes = -2,
                              .slots = slots, .n_slots = n};
    struct program_why why;
    assert_int_equal(store_track_add(s, &t, NULL, out, &why), E_OK);
}

static void enrol(const char *pid, const char *tid, const char *start, const char *end)
{
    struct program_enrolment e = {.track_id = tid, .start = d(start),
                                  .end = end ? d(end) : CALDATE_OPEN};
    struct program_why why;
    json_t *out = NULL;
    assert_int_equal(store_enrol(s, pid, &e, NULL, &out, &why), E_OK);
    json_decref(out);
}

/* The id of the session on date starting at hour (made as needed). */
static const char *session_at(const char *date, int hour)
{
    static char id[33];
    json_t *list = NULL, *it;
    char hhmm[6];
    size_t i;

    id[0] = '\0';
    caldate_time_format(hour * 60, hhmm);
    assert_int_equal(store_program_sessions_list(s, d(date), d(date), NULL, NULL, &list), E_OK);
    json_array_foreach(list, i, it)
        if (!strcmp(json_string_value(json_object_get(it, "start")), hhmm))
            snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(it, "id")));
    json_decref(list);
    assert_true(id[0]);
    return id;
}

static void attend(const char *sid, const char *pid, const char *status, int minutes,
                   bool walk_in)
{
    struct program_why why;
    json_t *out = NULL;
    assert_int_equal(store_attendance_put(s, sid, pid, status, minutes, walk_in, 30000, NULL,
                                          &out, &why),
                     E_OK);
    json_decref(out);
}

/* am: Mon, Wed, Fri 09-12 (IOP, 540 a week by default); pm: Tue, Thu 18-21 (PHP, 1200). Ana
 * all week in am; Ben in am from Tuesday; Cy in am to Wednesday, then in pm; Dee in pm and a
 * walk-in on Wednesday morning. Ana has a one-off; a Friday session of am is cancelled. */
static int setup(void **state)
{
    struct track_slot a[] = {slot(1, 9, 12, "Group"), slot(3, 9, 12, "Group"),
                             slot(5, 9, 12, "Group")};
    struct track_slot b[] = {slot(2, 18, 21, "Evening"), slot(4, 18, 21, "Evening")};
    const char *who[] = {ana};
    struct program_session one = {.date = d("2026-03-03"), .start = 13 * 60, .end = 14 * 60,
                                  .kind = "individual", .title = "Therapy", .patients = who,
                                  .n_patients = 1};
    struct program_why why;
    json_t *out = NULL;
    (void)state;

    pf_open("/tmp/haven-reports-XXXXXX");
    track("am", TRACK_IOP, a, 3, am);
    track("pm", TRACK_PHP, b, 2, pm);
    pf_patient("Ana", "Zed", ana);
    pf_patient("Ben", "Young", ben);
    pf_patient("Cy", "Xu", cy);
    pf_patient("Dee", "Ward", dee);
    enrol(ana, am, "2026-03-02", NULL);
    enrol(ben, am, "2026-03-03", NULL);
    enrol(cy, am, "2026-03-02", "2026-03-04");
    enrol(cy, pm, "2026-03-05", NULL);
    enrol(dee, pm, "2026-03-02", NULL);
    attend(session_at("2026-03-02", 9), ana, "present", -1, false);
    attend(session_at("2026-03-04", 9), ana, "late", 150, false);
    attend(session_at("2026-03-04", 9), ben, "absent-excused", -1, false);
    attend(session_at("2026-03-04", 9), cy, "present", -1, false);
    attend(session_at("2026-03-04", 9), dee, "left-early", 60, true);
    attend(session_at("2026-03-05", 18), cy, "present", -1, false);
    assert_int_equal(store_program_session_add(s, &one, NULL, &out, &why), E_OK);
    attend(json_string_value(json_object_get(out, "id")), ana, "present", -1, false);
    json_decref(out);
    out = NULL;
    assert_int_equal(
        store_program_session_cancel(s, session_at("2026-03-06", 9), "Closed", NULL, &out, &why),
        E_OK);
    json_decref(out);
    return 0;
}

static json_t *weeks(const char *track_id, const char *w, const char *as_of)
{
    struct caldate_week wk;
    json_t *m = NULL;
    assert_true(caldate_week_parse(w, &wk));
    assert_int_equal(store_program_weeks(s, track_id, wk, d(as_of), &m), E_OK);
    return m;
}

static const char *text(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Each row of the report agrees with store_patient_week for its patient; the rows are `names`
 * (last names in report order) under the track codes `codes`. */
static void agrees(const char *track_id, const char *w, const char *as_of, const char *names,
                   const char *codes)
{
    static const char *const figures[] = {"scheduled_minutes", "attended_minutes",
                                          "minimum_minutes", "scheduled_shortfall",
                                          "attended_shortfall"};
    json_t *rows = weeks(track_id, w, as_of), *row;
    char got_names[128] = "", got_codes[128] = "";
    struct caldate_week wk;
    size_t i;

    assert_true(caldate_week_parse(w, &wk));
    json_array_foreach(rows, i, row) {
        json_t *one = NULL;
        assert_int_equal(store_patient_week(s, text(row, "public_id"), wk, d(as_of), &one),
                         E_OK);
        for (size_t k = 0; k < sizeof(figures) / sizeof(*figures); k++)
            assert_true(json_equal(json_object_get(row, figures[k]),
                                   json_object_get(one, figures[k])));
        json_decref(one);
        snprintf(got_names + strlen(got_names), sizeof(got_names) - strlen(got_names), "%s%s",
                 i ? " " : "", text(row, "last_name"));
        snprintf(got_codes + strlen(got_codes), sizeof(got_codes) - strlen(got_codes), "%s%s",
                 i ? " " : "", text(row, "track_code"));
    }
    assert_string_equal(got_names, names);
    assert_string_equal(got_codes, codes);
    json_decref(rows);
}

static void test_weeks_agree_with_patient_week(void **state)
{
    (void)state;
    /* Cy is listed under the track of their latest enrolment of the week asked for. */
    agrees(NULL, "2026-W10", "2026-03-08", "Young Zed Ward Xu", "am am pm pm");
    agrees(NULL, "2026-W10", "2026-03-09", "Young Zed Ward Xu", "am am pm pm");
    agrees(am, "2026-W10", "2026-03-09", "Xu Young Zed", "am am am");
    agrees(pm, "2026-W10", "2026-03-09", "Ward Xu", "pm pm");
    agrees(NULL, "2026-W11", "2026-03-10", "Young Zed Ward Xu", "am am pm pm");
    agrees(NULL, "2026-W09", "2026-03-10", "", "");
}

static void test_weeks_figures(void **state)
{
    json_t *rows, *zed;
    (void)state;

    rows = weeks(am, "2026-W10", "2026-03-09");
    zed = json_array_get(rows, 2);
    assert_string_equal(text(zed, "last_name"), "Zed");
    /* Three mornings, one cancelled, and the one-off hour: 180 * 2 + 60. */
    assert_int_equal(json_integer_value(json_object_get(zed, "scheduled_minutes")), 420);
    assert_int_equal(json_integer_value(json_object_get(zed, "attended_minutes")), 390);
    assert_int_equal(json_integer_value(json_object_get(zed, "minimum_minutes")), 540);
    assert_int_equal(json_integer_value(json_object_get(zed, "attended_shortfall")), 150);
    /* Ben started on a Tuesday: no minimum that week. */
    assert_true(json_is_null(json_object_get(json_array_get(rows, 1), "minimum_minutes")));
    json_decref(rows);
    /* Before the week has ended the attended shortfall is not known. */
    rows = weeks(am, "2026-W10", "2026-03-08");
    assert_true(json_is_null(json_object_get(json_array_get(rows, 2), "attended_shortfall")));
    json_decref(rows);
}

static void test_weeks_refusals(void **state)
{
    struct caldate_week w53 = {2025, 53}, w10 = {2026, 10};
    json_t *m = NULL;
    (void)state;

    assert_int_equal(store_program_weeks(s, NULL, w53, d("2026-03-09"), &m), E_INVALID);
    assert_int_equal(store_program_weeks(s, "nope", w10, d("2026-03-09"), &m), E_NOTFOUND);
    assert_null(m);
}

static void test_roster(void **state)
{
    json_t *r = NULL;
    (void)state;

    assert_int_equal(store_track_roster(s, am, d("2026-03-04"), &r), E_OK);
    assert_int_equal(json_array_size(r), 3);
    assert_string_equal(text(json_array_get(r, 0), "last_name"), "Xu");
    assert_string_equal(text(json_array_get(r, 0), "end"), "2026-03-04");
    assert_true(json_is_null(json_object_get(json_array_get(r, 1), "end")));
    assert_string_equal(text(json_array_get(r, 1), "start"), "2026-03-03");
    json_decref(r);
    /* Cy's enrolment ended the day before; the walk-in is on no track's roster by date. */
    assert_int_equal(store_track_roster(s, am, d("2026-03-05"), &r), E_OK);
    assert_int_equal(json_array_size(r), 2);
    json_decref(r);
    assert_int_equal(store_track_roster(s, am, d("2026-03-01"), &r), E_OK);
    assert_int_equal(json_array_size(r), 0);
    json_decref(r);
    r = NULL;
    assert_int_equal(store_track_roster(s, "nope", d("2026-03-04"), &r), E_NOTFOUND);
    assert_null(r);
}

static long census_of(const json_t *c, const char *code, const char *key)
{
    const json_t *t;
    size_t i;

    json_array_foreach(c, i, t)
        if (!strcmp(text(t, "code"), code))
            return (long)json_integer_value(json_object_get(t, key));
    return -1;
}

static void test_census(void **state)
{
    json_t *c = NULL;
    (void)state;

    assert_int_equal(store_program_census(s, d("2026-03-05"), &c), E_OK);
    assert_int_equal(census_of(c, "am", "active"), 2);
    assert_int_equal(census_of(c, "am", "capacity"), 12);
    assert_int_equal(census_of(c, "am", "admissions"), 3);
    assert_int_equal(census_of(c, "am", "discharges"), 1);
    assert_int_equal(census_of(c, "pm", "active"), 2);
    assert_int_equal(census_of(c, "pm", "admissions"), 2);
    assert_int_equal(census_of(c, "pm", "discharges"), 0);
    json_decref(c);
    /* The next week: nobody joined or left. */
    assert_int_equal(store_program_census(s, d("2026-03-09"), &c), E_OK);
    assert_int_equal(census_of(c, "am", "admissions"), 0);
    assert_int_equal(census_of(c, "am", "discharges"), 0);
    assert_int_equal(census_of(c, "am", "active"), 2);
    json_decref(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_weeks_agree_with_patient_week, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weeks_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weeks_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roster, setup, teardown),
        cmocka_unit_test_setup_teardown(test_census, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
