/* Unit tests for store/plans.h and store/diagnoses.h on a real database: a draft made, refused
 * while another is open, signed only when complete; a signed plan cannot change; the patient's
 * acknowledgement makes it current and supersedes the one before in the same transaction (a
 * failure after the supersession leaves the old one current); a review copies the current
 * version with its thread ids; "current on D" across the change; reviews due and the current
 * objectives other parts read; diagnoses added, one primary at a time, resolved, marked
 * entered in error, never deleted. */
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
#include "store/diagnoses.h"
#include "domain/plan.h"
#include "store/plans.h"
#include "store/program.h"
#include "store/staff.h"
#include "store/store.h"
#include "store_fixture.h"
#include "program_fixture.h"

static char pat[33];

/* The fixture's date helper, used here for the plan's review date. */
static void test_fixture_date(void **state)
{
    (void)state;
    assert_int_equal(d("2026-04-29") - d("2026-04-01"), 28);
}

static int setup(void **state)
{
    (void)state;
    pf_open("/tmp/haven-test-plans-XXXXXX");
    pf_patient("Ana", "Diaz", pat);
    return 0;
}

/* A complete plan's content; objective's thread when thread is not NULL. */
static json_t *content(const char *objective, const char *thread)
{
    json_t *c = json_pack("{s:s, s:[{s:i, s:s, s:[{s:s, s:[{s:s, s:s}]}], s:[{s:s, s:s}]}]}",
                          "summary", "IOP three days a week.", "problems", "asam_dimension", 5,
                          "statement", "Relapsed twice after detox.", "goals", "text",
                          "I want to stay sober for my kids.", "objectives", "text", objective,
                          "target_date", "2026-04-15", "interventions", "text",
                          "Relapse-prevention group", "frequency", "3x/week");
    json_t *o = json_array_get(
        json_object_get(json_array_get(json_object_get(json_array_get(
                                           json_object_get(c, "problems"), 0), "goals"), 0),
                        "objectives"), 0);

    if (thread)
        json_object_set_new(o, "thread_id", json_string(thread));
    return c;
}

static const json_t *objective0(const json_t *plan)
{
    return json_array_get(
        json_object_get(json_array_get(json_object_get(json_array_get(
                                           json_object_get(plan, "problems"), 0), "goals"), 0),
                        "objectives"), 0);
}

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void test_plan_lifecycle(void **state)
{
    struct program_why why = {{0}, {0}};
    json_t *c = content("Names 3 triggers.", NULL), *v1 = NULL, *v2 = NULL, *x = NULL;
    char id1[33], id2[33], thread[33], sql[200];
    long pid;
    (void)state;

    /* An empty draft cannot be signed, and says why; a second draft is refused while open. */
    assert_int_equal(store_plan_create(s, pat, NULL, 1, NULL, &v1, &why), E_OK);
    assert_string_equal(str(v1, "status"), "draft");
    assert_int_equal(json_integer_value(json_object_get(v1, "version")), 1);
    assert_int_equal(json_array_size(json_object_get(v1, "problems")), 0); /* no assessment */
    snprintf(id1, sizeof(id1), "%s", str(v1, "id"));
    assert_int_equal(store_plan_sign(s, id1, 1, NULL, &x, &why), E_INVALID);
    assert_string_equal(why.field, "problems");
    assert_int_equal(store_plan_create(s, pat, c, 1, NULL, &x, &why), E_CONFLICT);
    assert_null(x);
    assert_int_equal(fx_scalar(s, "select count(*) from plans"), 1);

    /* Filled, signed: then locked (409) and unchanged. */
    json_decref(v1);
    assert_int_equal(store_plan_replace(s, id1, c, NULL, &v1, &why), E_OK);
    assert_int_equal(store_plan_sign(s, id1, 1, NULL, &x, &why), E_OK);
    assert_string_equal(str(x, "status"), "signed");
    assert_non_null(str(x, "signed_at"));
    json_decref(x);
    json_decref(c);
    c = content("Something else.", NULL);
    assert_int_equal(store_plan_replace(s, id1, c, NULL, &x, &why), E_CONFLICT);
    assert_string_equal(why.field, "status");
    assert_int_equal(store_plan_sign(s, id1, 1, NULL, &x, &why), E_CONFLICT);
    assert_int_equal(store_plan_review(s, id1, 1, NULL, &x, &why), E_CONFLICT);
    assert_int_equal(store_plan_get(s, id1, &x), E_OK);
    assert_string_equal(str(objective0(x), "text"), "Names 3 triggers.");
    json_decref(x);

    /* Acknowledged on 03-02: current, review 30 days on (the setting's default). */
    assert_int_equal(store_plan_acknowledge(s, id1, "in-person", NULL, "2026-03-02", 1, NULL,
                                            &x, &why), E_OK);
    assert_string_equal(str(x, "status"), "current");
    assert_string_equal(str(x, "effective_date"), "2026-03-02");
    assert_string_equal(str(x, "review_due"), "2026-04-01");
    assert_int_equal(store_plan_acknowledge(s, id1, "in-person", NULL, "2026-03-02", 1, NULL,
                                            &v2, &why), E_CONFLICT);
    snprintf(thread, sizeof(thread), "%s", str(objective0(x), "thread_id"));
    json_decref(x);

    /* A review: version 2, based on 1, its objective on the same thread; 1 stays current. */
    assert_int_equal(store_plan_review(s, id1, 1, NULL, &v2, &why), E_OK);
    assert_int_equal(json_integer_value(json_object_get(v2, "version")), 2);
    assert_string_equal(str(v2, "based_on"), id1);
    assert_string_equal(str(v2, "status"), "draft");
    assert_string_equal(str(objective0(v2), "thread_id"), thread);
    assert_string_not_equal(str(objective0(v2), "id"), str(objective0(v1), "id"));
    snprintf(id2, sizeof(id2), "%s", str(v2, "id"));
    assert_int_equal(store_plan_review(s, id1, 1, NULL, &x, &why), E_CONFLICT); /* v2 open */
    assert_int_equal(store_plan_current(s, pat, "2026-03-20", &x), E_OK);
    assert_string_equal(str(x, "id"), id1);
    json_decref(x);

    /* Editing the draft keeps a thread it names; one that is not the patient's is refused. */
    json_decref(c);
    c = content("Names 3 triggers and a skill for each.", thread);
    assert_int_equal(store_plan_replace(s, id2, c, NULL, &x, &why), E_OK);
    assert_string_equal(str(objective0(x), "thread_id"), thread);
    json_decref(x);
    json_decref(c);
    c = content("x", "0123456789abcdef0123456789abcdef");
    assert_int_equal(store_plan_replace(s, id2, c, NULL, &x, &why), E_INVALID);
    assert_string_equal(why.field, "thread_id");
    assert_int_equal(store_plan_get(s, id2, &x), E_OK);
    assert_string_equal(str(objective0(x), "text"), "Names 3 triggers and a skill for each.");
    json_decref(x);

    /* Acknowledged verbally without a reason: refused after the supersession ran, so the
     * whole transaction goes: version 1 is still current, with no superseded date. */
    assert_int_equal(store_plan_sign(s, id2, 1, NULL, &x, &why), E_OK);
    json_decref(x);
    assert_int_not_equal(store_plan_acknowledge(s, id2, "verbal", NULL, "2026-04-01", 1, NULL,
                                                &x, &why), E_OK);
    assert_null(x);
    snprintf(sql, sizeof(sql),
             "select count(*) from plans where public_id = '%s' and status = 'current'"
             " and superseded_date is null", id1);
    assert_int_equal(fx_scalar(s, sql), 1);

    /* With its reason: 2 current from 04-01, 1 superseded that day, in one write. */
    fx_exec(s, "update settings set value = '28' where key = 'plan_review_days'");
    assert_int_equal(store_plan_acknowledge(s, id2, "verbal", "By phone: no transport.",
                                            "2026-04-01", 1, NULL, &x, &why), E_OK);
    assert_string_equal(str(x, "review_due"), "2026-04-29");
    assert_string_equal(str(x, "ack_reason"), "By phone: no transport.");
    json_decref(x);
    assert_int_equal(store_plan_get(s, id1, &x), E_OK);
    assert_string_equal(str(x, "status"), "superseded");
    assert_string_equal(str(x, "superseded_date"), "2026-04-01");
    json_decref(x);
    assert_int_equal(store_plan_current(s, pat, "2026-03-31", &x), E_OK);
    assert_string_equal(str(x, "id"), id1);
    json_decref(x);
    assert_int_equal(store_plan_current(s, pat, "2026-04-01", &x), E_OK);
    assert_string_equal(str(x, "id"), id2);
    json_decref(x);
    assert_int_equal(store_plan_current(s, pat, "2026-03-01", &x), E_OK);
    assert_true(json_is_null(x));
    json_decref(x);
    assert_int_equal(store_plan_list(s, pat, &x), E_OK);
    assert_int_equal(json_array_size(x), 2);
    assert_string_equal(str(json_array_get(x, 0), "id"), id2); /* newest first */
    json_decref(x);

    /* The objectives notes read, by the patient's row id. */
    snprintf(sql, sizeof(sql), "select id from patients where public_id = '%s'", pat);
    pid = fx_scalar(s, sql);
    assert_int_equal(store_plan_current_objectives(s, pid, "2026-04-02", &x), E_OK);
    assert_int_equal(json_array_size(x), 1);
    assert_string_equal(str(json_array_get(x, 0), "text"),
                        "Names 3 triggers and a skill for each.");
    assert_string_equal(str(json_array_get(x, 0), "goal"), "I want to stay sober for my kids.");
    assert_string_equal(str(json_array_get(x, 0), "problem"), "Relapsed twice after detox.");
    json_decref(x);
    assert_int_equal(store_plan_current_objectives(s, pid, "2026-03-01", &x), E_OK);
    assert_int_equal(json_array_size(x), 0);
    json_decref(x);

    /* Reviews due: from 7 days before 04-29, overdue after it. */
    assert_int_equal(store_plan_reviews_due(s, "2026-04-21", 0, &x), E_OK);
    assert_int_equal(json_array_size(x), 0);
    json_decref(x);
    assert_int_equal(store_plan_reviews_due(s, "2026-04-22", 0, &x), E_OK);
    assert_int_equal(json_array_size(x), 1);
    assert_false(json_is_true(json_object_get(json_array_get(x, 0), "overdue")));
    assert_string_equal(str(json_array_get(x, 0), "patient_name"), "Ana Diaz");
    json_decref(x);
    assert_int_equal(store_plan_reviews_due(s, "2026-04-30", 1, &x), E_OK);
    assert_true(json_is_true(json_object_get(json_array_get(x, 0), "overdue")));
    json_decref(x);
    assert_int_equal(store_plan_reviews_due(s, "2026-04-30", 99, &x), E_OK); /* not theirs */
    assert_int_equal(json_array_size(x), 0);
    json_decref(x);

    json_decref(c);
    json_decref(v1);
    json_decref(v2);
}

static void test_seed_from_assessment(void **state)
{
    json_t *result = json_pack(
        "{s:[{s:i, s:s, s:i, s:[s]}, {s:i, s:s, s:i, s:[]}, {s:i, s:s, s:i, s:[s, s]}]}",
        "dimensions", "dimension", 1, "name", "Withdrawal", "rating", 0, "reasons", "none",
        "dimension", 3, "name", "Emotional", "rating", 2, "reasons", "dimension", 5, "name",
        "Relapse", "rating", 3, "reasons", "Relapsed after treatment", "Craving 8 of 10");
    json_t *seed = plan_seed(result, "assessment");
    (void)state;
    assert_int_equal(json_array_size(seed), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(seed, 0),
                                                        "asam_dimension")), 3);
    assert_string_equal(str(json_array_get(seed, 1), "statement"),
                        "Relapse: rated 3 of 4 at the assessment. Relapsed after treatment; "
                        "Craving 8 of 10");
    assert_string_equal(str(json_array_get(seed, 1), "source"), "assessment");
    json_decref(seed);
    json_decref(result);
    seed = plan_seed(NULL, "assessment");
    assert_int_equal(json_array_size(seed), 0);
    json_decref(seed);
}

static void test_diagnoses(void **state)
{
    struct diagnosis_new d = {.code = "F10.20", .primary = true, .noted_on = "2026-03-02"};
    struct program_why why = {{0}, {0}};
    json_t *a = NULL, *b = NULL, *x = NULL;
    char ida[33], idb[33];
    (void)state;
    assert_int_equal(store_diagnosis_add(s, pat, &d, 1, NULL, &a), E_OK);
    assert_string_equal(str(a, "title"), "Alcohol dependence, uncomplicated");
    assert_true(json_is_true(json_object_get(a, "is_primary")));
    snprintf(ida, sizeof(ida), "%s", str(a, "id"));
    d.code = "F32.1";
    d.comment = "Since the divorce.";
    assert_int_equal(store_diagnosis_add(s, pat, &d, 1, NULL, &b), E_OK);
    snprintf(idb, sizeof(idb), "%s", str(b, "id"));
    assert_int_equal(store_diagnoses_list(s, pat, &x), E_OK);
    assert_int_equal(json_array_size(x), 2);
    assert_string_equal(str(json_array_get(x, 0), "id"), idb); /* the primary one first */
    assert_false(json_is_true(json_object_get(json_array_get(x, 1), "is_primary")));
    json_decref(x);
    assert_int_equal(store_diagnosis_add(s, "nobody", &d, 1, NULL, &x), E_NOTFOUND);

    assert_int_equal(store_diagnosis_status(s, ida, "resolved", NULL, 1, NULL, &x, &why), E_OK);
    assert_string_equal(str(x, "status"), "resolved");
    json_decref(x);
    assert_int_equal(store_diagnosis_status(s, ida, "resolved", NULL, 1, NULL, &x, &why),
                     E_CONFLICT);
    assert_int_equal(store_diagnosis_status(s, idb, "entered-in-error", "Wrong patient.", 1,
                                            NULL, &x, &why), E_OK);
    assert_string_equal(str(x, "comment"), "Since the divorce.\nEntered in error: Wrong patient.");
    assert_false(json_is_true(json_object_get(x, "is_primary")));
    json_decref(x);
    assert_int_equal(store_diagnosis_status(s, idb, "resolved", NULL, 1, NULL, &x, &why),
                     E_CONFLICT);
    assert_int_equal(store_diagnosis_status(s, "nothing", "resolved", NULL, 1, NULL, &x, &why),
                     E_NOTFOUND);
    assert_int_equal(fx_scalar(s, "select count(*) from diagnoses"), 2); /* never deleted */
    json_decref(a);
    json_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plan_lifecycle, setup, teardown),
        cmocka_unit_test(test_seed_from_assessment),
        cmocka_unit_test(test_fixture_date),
        cmocka_unit_test_setup_teardown(test_diagnoses, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
