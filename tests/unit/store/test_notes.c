/* test_notes: the notes store (store/notes.h) on a real database: a group note with a section
 * per attendee (absent members refused, objectives only from the member's current plan, nothing
 * half-written), signing (parts required, sections signed with the note, everything locked
 * after), a section written after signing and signed on its own, addenda (only on signed notes,
 * only to a signed section), co-signature by the named supervisor only, a risk concern raising
 * one alert, an individual note tied to its session, the patient's reduced view (no other
 * member's name), the pre-fill from a previous section and the notes due on both sides of the
 * due time. Plans are inserted directly (their store is another file's). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/roles.h"
#include "store/admissions.h"
#include "store/notes.h"
#include "store/program.h"
#include "store/staff.h"
#include "store/store.h"
#include "store_fixture.h"
#include "program_fixture.h"

static char ana[33], ben[33], cai[33], session[33], indiv[33];
static long sup_id, trainee_id;

/* A current plan from 2026-03-01 for patient pid with one objective whose public id is obj. */
static void plan(const char *pid, const char *obj, const char *thread)
{
    char sql[1600];
    snprintf(sql, sizeof(sql),
             "INSERT INTO plans (public_id, patient_id, version, status, created_at, updated_at,"
             " signed_by, signed_at, effective_date) SELECT 'plan-%s', id, 1, 'current', 't', 't',"
             " 1, 't', '2026-03-01' FROM patients WHERE public_id = '%s';"
             "INSERT INTO plan_problems (public_id, plan_id, position, asam_dimension, statement)"
             " SELECT 'prob-%s', id, 1, 5, 'Relapse risk' FROM plans WHERE public_id = 'plan-%s';"
             "INSERT INTO plan_goals (public_id, problem_id, position, text) SELECT 'goal-%s', id,"
             " 1, 'Stay sober' FROM plan_problems WHERE public_id = 'prob-%s';"
             "INSERT INTO plan_objectives (public_id, plan_id, goal_id, thread_id, position, text,"
             " target_date) SELECT '%s', g.plan_id, g.id, '%s', 1, 'Use a coping skill daily',"
             " '2026-04-30' FROM (SELECT p.plan_id, g.id FROM plan_goals g JOIN plan_problems p"
             " ON p.id = g.problem_id WHERE g.public_id = 'goal-%s') AS g;",
             obj, pid, obj, obj, obj, obj, obj, thread, obj);
    fx_exec(s, sql);
}

static void attend(const char *sid, const char *pid, const char *status)
{
    json_t *out = NULL;
    struct program_why why = {{0}, {0}};
    enum err e = store_attendance_put(s, sid, pid, status, strcmp(status, "late") ? -1 : 60, false,
                                      30000, NULL, &out, &why);
    if (e != E_OK)
        fprintf(stderr, "attendance: %s %s\n", why.field, why.message);
    assert_int_equal(e, E_OK);
    json_decref(out);
}

/* A one-off session of kind on date 09:00-10:30 with these patients; out gets its id. */
static void one_off(const char *kind, const char *date, const char *const *who, size_t n,
                    char out[33])
{
    struct program_session p = {.date = d(date), .start = 540, .end = 630, .kind = kind,
                                .title = "Coping skills", .patients = who, .n_patients = n};
    const char *staff[] = {"c@x.org"};
    struct program_why why;
    json_t *o = NULL;
    p.staff = staff;
    p.n_staff = 1;
    assert_int_equal(store_program_session_add(s, &p, NULL, &o, &why), E_OK);
    memcpy(out, json_string_value(json_object_get(o, "id")), 33);
    json_decref(o);
}

static int setup(void **state)
{
    char pub[33];
    const char *group[] = {ana, ben, cai};
    (void)state;
    setenv("TZ", "America/Chicago", 1);
    tzset();
    pf_open("/tmp/haven-notes-XXXXXX");
    assert_int_equal(store_user_add(s, "sup@x.org", "Sue Pervisor", ROLE_CLINICIAN, 1704067200L,
                                    pub, &sup_id), E_OK);
    assert_int_equal(store_user_add(s, "t@x.org", "Tia Trainee", ROLE_CLINICIAN, 1704067200L,
                                    pub, &trainee_id), E_OK);
    pf_patient("Ana", "Alvarez", ana);
    pf_patient("Ben", "Brooks", ben);
    pf_patient("Cai", "Chen", cai);
    plan(ana, "obj-ana", "th-ana");
    one_off("group", "2026-03-02", group, 3, session);
    attend(session, ana, "present");
    attend(session, ben, "late");
    attend(session, cai, "absent-excused");
    return 0;
}

static long count(const char *sql)
{
    return fx_scalar(s, sql);
}

static const struct note_progress_in ana_prog[] = {{"obj-ana", "progressing", "Used breathing"}};

static struct note_section_in section_of(const char *pid, const struct note_progress_in *p,
                                         size_t n)
{
    struct note_section_in v = {.patient_id = pid, .participation = "engaged",
                                .response = "Shared a plan for the weekend.", .risk = "none",
                                .progress = p, .n_progress = n};
    return v;
}

static void test_group_refusals_write_nothing(void **state)
{
    struct note_section_in secs[2] = {section_of(ana, ana_prog, 1), section_of(cai, ana_prog, 1)};
    struct note_group_in g = {.a = "Coping", .sections = secs,
                              .n_sections = 2};
    struct program_why why = {{0}, {0}};
    char id[33];
    bool created;
    (void)state;
    /* Cai was absent: the whole write is refused, the note with it. */
    assert_int_equal(store_note_group_save(s, session, 1, &g, NULL, id, &created, &why),
                     E_INVALID);
    assert_string_equal(why.field, "sections[1].patient_id");
    assert_int_equal(count("SELECT count(*) FROM notes"), 0);
    /* Ben has no current plan: Ana's objective is not his. */
    secs[1] = section_of(ben, ana_prog, 1);
    assert_int_equal(store_note_group_save(s, session, 1, &g, NULL, id, &created, &why),
                     E_INVALID);
    assert_string_equal(why.field, "sections[1].progress[0].objective_id");
    secs[1] = section_of(ben, NULL, 0);
    assert_int_equal(store_note_group_save(s, session, 1, &g, NULL, id, &created, &why),
                     E_INVALID);
    assert_string_equal(why.field, "sections[1].progress");
    secs[1].participation = "sleepy";
    secs[1].progress = ana_prog;
    assert_int_equal(store_note_group_save(s, session, 1, &g, NULL, id, &created, &why),
                     E_INVALID);
    assert_string_equal(why.field, "sections[1].participation");
    assert_int_equal(count("SELECT count(*) FROM notes"), 0);
    assert_int_equal(count("SELECT count(*) FROM note_sections"), 0);
    assert_int_equal(count("SELECT count(*) FROM note_progress"), 0);
    assert_int_equal(store_note_group_save(s, "nope", 1, &g, NULL, id, &created, &why),
                     E_NOTFOUND);
}

/* Saves Ana's section (risk concern) as user author; gives the note's id. */
static void save_ana(long author, char id[33], const char *b)
{
    struct note_section_in secs[1] = {section_of(ana, ana_prog, 1)};
    struct note_group_in g = {.a = NULL, .b = b, .c = "Went well",
                              .sections = secs, .n_sections = 1};
    struct program_why why = {{0}, {0}};
    bool created;
    secs[0].risk = "concern";
    secs[0].risk_detail = "Mentioned old using friends";
    assert_int_equal(store_note_group_save(s, session, author, &g, NULL, id, &created, &why),
                     E_OK);
}

static void test_group_sign_lock_addenda(void **state)
{
    struct note_section_in ben_sec;
    struct note_progress_in ben_prog[] = {{"obj-ben", "met", NULL}};
    struct program_why why = {{0}, {0}};
    char id[33], id2[33], add[33], topic[64];
    json_t *n = NULL;
    (void)state;
    save_ana(1, id, NULL);
    save_ana(1, id2, NULL); /* again: the same note, still one alert */
    assert_string_equal(id, id2);
    fx_text(s, "SELECT a FROM notes", topic, sizeof(topic));
    assert_string_equal(topic, "Coping skills"); /* from the session's title */
    assert_int_equal(count("SELECT count(*) FROM clinical_alerts WHERE kind = 'note-risk'"), 1);
    /* Interventions missing: no signature. */
    assert_int_equal(store_note_sign(s, id, 1, NULL, &why), E_INVALID);
    assert_string_equal(why.field, "b");
    assert_int_equal(store_note_addendum_add(s, id, NULL, 1, "x", NULL, add, &why), E_CONFLICT);
    save_ana(1, id, "Role play");
    assert_int_equal(store_note_sign(s, id, 1, NULL, &why), E_OK);
    assert_int_equal(count("SELECT count(*) FROM note_sections WHERE signed_at IS NOT NULL"), 1);
    assert_int_equal(count("SELECT cosign_needed FROM notes"), 0);
    /* Locked: the shared part, Ana's section, a second signature. */
    assert_int_equal(store_note_sign(s, id, 1, NULL, &why), E_CONFLICT);
    {
        struct note_group_in g = {.a = "Other"};
        bool created;
        assert_int_equal(store_note_group_save(s, session, 1, &g, NULL, id2, &created, &why),
                         E_CONFLICT);
        assert_string_equal(why.field, "a");
    }
    {
        struct note_section_in sec = section_of(ana, ana_prog, 1);
        assert_int_equal(store_note_section_put(s, id, &sec, NULL, &why), E_CONFLICT);
    }
    /* Ben's section after signing, once he has a plan: written, then signed on its own. */
    plan(ben, "obj-ben", "th-ben");
    ben_sec = section_of(ben, ben_prog, 1);
    assert_int_equal(store_note_section_sign(s, id, ben, 1, NULL, &why), E_NOTFOUND);
    assert_int_equal(store_note_section_put(s, id, &ben_sec, NULL, &why), E_OK);
    assert_int_equal(count("SELECT count(*) FROM note_sections WHERE signed_at IS NULL"), 1);
    assert_int_equal(store_note_section_sign(s, id, ben, 1, NULL, &why), E_OK);
    assert_int_equal(store_note_section_sign(s, id, ben, 1, NULL, &why), E_CONFLICT);
    /* Addenda: to the shared part, to Ana's section; not to Cai, who has none. */
    assert_int_equal(store_note_addendum_add(s, id, NULL, 1, "Also: relaxation.", NULL, add,
                                             &why), E_OK);
    assert_int_equal(store_note_addendum_add(s, id, ana, 1, "Ana asked for a sponsor.", NULL,
                                             add, &why), E_OK);
    assert_int_equal(store_note_addendum_add(s, id, cai, 1, "x", NULL, add, &why), E_INVALID);
    assert_string_equal(why.field, "patient_id");
    assert_int_equal(count("SELECT count(*) FROM note_addenda WHERE signed_at IS NULL"), 0);
    /* The whole note names both; Ana's view names neither Ben nor his section. */
    assert_int_equal(store_note_get(s, id, &n), E_OK);
    assert_int_equal(json_array_size(json_object_get(n, "sections")), 2);
    assert_int_equal(json_array_size(json_object_get(n, "addenda")), 2);
    json_decref(n);
    assert_int_equal(store_note_for_patient(s, id, ana, &n), E_OK);
    {
        char *text = json_dumps(n, 0);
        assert_null(strstr(text, "Brooks"));
        assert_null(strstr(text, "Ben"));
        assert_null(strstr(text, ben));
        assert_non_null(strstr(text, "Alvarez"));
        free(text);
    }
    assert_null(json_object_get(n, "sections"));
    assert_string_equal(json_string_value(json_object_get(json_object_get(n, "section"),
                                                          "patient_id")), ana);
    json_decref(n);
    assert_int_equal(store_note_for_patient(s, id, cai, &n), E_NOTFOUND); /* absent */
    assert_int_equal(store_notes_of_patient(s, ben, 0, &n, NULL), E_OK);
    assert_int_equal(json_array_size(n), 1);
    json_decref(n);
}

static void test_cosign(void **state)
{
    const char *who[] = {ana};
    char sid[33], id[33];
    struct note_individual_in in = {.kind = "individual", .form = "dap", .session_id = NULL,
                                    .parts = {"Data", "Assessment", "Plan", NULL},
                                    .progress = ana_prog, .n_progress = 1};
    struct program_why why = {{0}, {0}};
    char sql[200];
    (void)state;
    snprintf(sql, sizeof(sql), "UPDATE users SET needs_cosign = 1, supervisor_id = %ld"
             " WHERE id = %ld", sup_id, trainee_id);
    fx_exec(s, sql);
    one_off("individual", "2026-03-03", who, 1, sid);
    attend(sid, ana, "present");
    in.session_id = sid;
    in.kind = "family";
    assert_int_equal(store_note_individual_add(s, ana, trainee_id, &in, NULL, id, &why),
                     E_INVALID);
    assert_string_equal(why.field, "session_id");
    in.kind = "individual";
    in.parts[1] = NULL;
    assert_int_equal(store_note_individual_add(s, ana, trainee_id, &in, NULL, id, &why), E_OK);
    memcpy(indiv, id, 33);
    assert_int_equal(store_note_individual_add(s, ana, trainee_id, &in, NULL, id, &why),
                     E_CONFLICT);
    assert_int_equal(store_note_sign(s, indiv, trainee_id, NULL, &why), E_INVALID);
    assert_string_equal(why.field, "b");
    in.parts[1] = "Assessment";
    assert_int_equal(store_note_individual_update(s, indiv, &in, NULL, &why), E_OK);
    assert_int_equal(store_note_cosign(s, indiv, sup_id, NULL, &why), E_CONFLICT); /* unsigned */
    assert_int_equal(store_note_sign(s, indiv, trainee_id, NULL, &why), E_OK);
    assert_int_equal(store_note_individual_update(s, indiv, &in, NULL, &why), E_CONFLICT);
    assert_int_equal(count("SELECT cosign_needed FROM notes WHERE kind = 'individual'"), 1);
    assert_int_equal(store_note_cosign(s, indiv, 1, NULL, &why), E_FORBIDDEN);
    assert_int_equal(store_note_cosign(s, indiv, trainee_id, NULL, &why), E_FORBIDDEN);
    assert_int_equal(store_note_cosign(s, indiv, sup_id, NULL, &why), E_OK);
    assert_int_equal(store_note_cosign(s, indiv, sup_id, NULL, &why), E_CONFLICT);
}

static void test_prefill_and_due(void **state)
{
    const char *group[] = {ana, ben};
    char later[33];
    json_t *f = NULL, *due = NULL, *a;
    (void)state;
    one_off("group", "2026-03-05", group, 2, later);
    attend(later, ana, "present");
    assert_int_equal(store_note_group_form(s, later, &f), E_OK);
    assert_true(json_is_true(json_object_get(f, "attendance_taken")));
    assert_true(json_is_null(json_object_get(f, "note")));
    assert_int_equal(json_array_size(json_object_get(f, "attendees")), 1); /* Ben not marked */
    a = json_array_get(json_object_get(f, "attendees"), 0);
    assert_true(json_is_true(json_object_get(a, "has_plan")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(a, "prefill"),
                                                          "participation")), "engaged");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(json_object_get(a, "prefill"),
                                                           "progress"), 0), "objective_id")),
                        "obj-ana");
    json_decref(f);
    /* 2026-03-05 10:30 CST + 24 h = 2026-03-06 16:30 UTC. */
    assert_int_equal(store_notes_due(s, "2026-03-06T16:30:00Z", 0, &due), E_OK);
    assert_int_equal(json_array_size(due), 1);
    a = json_array_get(due, 0);
    assert_string_equal(json_string_value(json_object_get(a, "session_id")), later);
    assert_string_equal(json_string_value(json_object_get(a, "reason")), "no-note");
    assert_string_equal(json_string_value(json_object_get(a, "due_at")), "2026-03-06T16:30:00Z");
    assert_true(json_is_false(json_object_get(a, "overdue")));
    json_decref(due);
    assert_int_equal(store_notes_due(s, "2026-03-06T16:30:01Z", 0, &due), E_OK);
    assert_true(json_is_true(json_object_get(json_array_get(due, 0), "overdue")));
    json_decref(due);
    /* Staff of the session see it; someone else does not. */
    assert_int_equal(store_notes_due(s, "2026-03-06T16:30:01Z", 1, &due), E_OK);
    assert_int_equal(json_array_size(due), 1);
    json_decref(due);
    assert_int_equal(store_notes_due(s, "2026-03-06T16:30:01Z", sup_id, &due), E_OK);
    assert_int_equal(json_array_size(due), 0);
    json_decref(due);
    /* Fifteen days on, out of the window. */
    assert_int_equal(store_notes_due(s, "2026-03-21T16:30:01Z", 0, &due), E_OK);
    assert_int_equal(json_array_size(due), 0);
    json_decref(due);
    assert_int_equal(store_notes_due(s, "garbage", 0, &due), E_INVALID);
    json_decref(due);
}

/* A chart lists the newest notes and counts the rest: asked for 2 of Ana's notes (dated
 * notes of three days, after those of the tests before), it gets the newest two, newest first,
 * and the count of all. */
static void test_newest_first_limit(void **state)
{
    struct note_individual_in in = {.kind = "individual", .form = "dap",
                                    .parts = {"Data", "Assessment", "Plan", NULL},
                                    .progress = ana_prog, .n_progress = 1};
    struct program_why why = {{0}, {0}};
    char id[33], newest[33];
    size_t all = 0, total = 0;
    json_t *n;
    (void)state;
    assert_int_equal(store_notes_of_patient(s, ana, 0, &n, &all), E_OK);
    assert_int_equal(json_array_size(n), all);
    json_decref(n);
    for (int day = 20; day <= 22; day++) {
        in.date = d(day == 20 ? "2026-03-20" : day == 21 ? "2026-03-21" : "2026-03-22");
        assert_int_equal(store_note_individual_add(s, ana, sup_id, &in, NULL, id, &why), E_OK);
    }
    memcpy(newest, id, 33);
    assert_int_equal(store_notes_of_patient(s, ana, 2, &n, &total), E_OK);
    assert_int_equal(total, all + 3);
    assert_int_equal(json_array_size(n), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(n, 0), "id")), newest);
    assert_string_equal(json_string_value(json_object_get(json_array_get(n, 1), "date")),
                        "2026-03-21");
    json_decref(n);
}

int main(void)
{
    /* In order: each builds on the state the one before left. */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_refusals_write_nothing),
        cmocka_unit_test(test_group_sign_lock_addenda),
        cmocka_unit_test(test_cosign),
        cmocka_unit_test(test_prefill_and_due),
        cmocka_unit_test(test_newest_first_limit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
