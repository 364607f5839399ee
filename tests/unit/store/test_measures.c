/* test_measures: store/measures.h and the reading side of store/clinical_alerts.h. A PHQ-9
 * with item 9 above 0 is stored with exactly one urgent alert to the patient's counsellor, in
 * the same transaction (a refused audit entry leaves neither), one with item 9 at 0 raises
 * none; a bad entry stores nothing; the list comes back oldest first; the schedule's due
 * dates follow admission, the last one taken and the settings; the open list is ordered urgent
 * first, then the counsellor's own, then the oldest; a follow-up closes an alert once, and the
 * second is a conflict. Data goes in through the store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/audit_chain.h"
#include "domain/roles.h"
#include "store/admissions.h"
#include "store/clinical_alerts.h"
#include "store/measures.h"
#include "store/staff.h"
#include "store/store.h"
#include "store_fixture.h"
#include "program_fixture.h"

static long patient; /* patients.id of the fixture's patient */

static int setup(void **state)
{
    struct measures_patient p;
    char pub[33];

    (void)state;
    pf_open("/tmp/haven-test-measures-XXXXXX");
    pf_patient("Ana", "Diaz", pub);
    assert_int_equal(store_measures_patient(s, pub, &p), E_OK);
    assert_string_equal(p.admission_date, "2026-03-02");
    assert_int_equal(d(p.admission_date), d("2026-03-02"));
    assert_string_equal(p.last_name, "Diaz");
    patient = p.id;
    return 0;
}

static enum err add(const char *instrument, const char *day, const int *a, size_t n,
                    struct measure_entry *out)
{
    *out = (struct measure_entry){.patient = patient, .instrument = instrument,
                                  .taken_on = day, .answers = a, .n_answers = n,
                                  .source = "staff", .entered_by = 1};
    return store_measure_add(s, out, NULL);
}

static void test_item9_alert(void **state)
{
    const int calm[9] = {1, 1, 1, 1, 1, 1, 1, 1, 0}, risk[9] = {2, 2, 1, 1, 0, 0, 0, 0, 1};
    struct measure_entry m;
    json_t *open, *a;

    (void)state;
    assert_int_equal(add("phq9", "2026-03-02", calm, 9, &m), E_OK);
    assert_int_equal(m.total, 8);
    assert_string_equal(m.alert_id, "");
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM clinical_alerts"), 0);

    assert_int_equal(add("phq9", "2026-03-16", risk, 9, &m), E_OK);
    assert_int_equal(m.total, 7);
    assert_int_equal(strlen(m.alert_id), 32);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM clinical_alerts"), 1);
    assert_int_equal(fx_scalar(s, "SELECT urgent FROM clinical_alerts"), 1);
    assert_int_equal(fx_scalar(s, "SELECT counsellor_id FROM clinical_alerts"), 1);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM clinical_alerts a JOIN measures m ON "
                                  "m.public_id = a.source_id WHERE a.kind = 'phq9-item9'"),
                     1);
    assert_int_equal(store_clinical_alerts_open(s, 1, &open), E_OK);
    assert_int_equal(json_array_size(open), 1);
    a = json_array_get(open, 0);
    assert_string_equal(json_string_value(json_object_get(a, "id")), m.alert_id);
    assert_true(json_is_true(json_object_get(a, "urgent")));
    assert_true(json_is_true(json_object_get(a, "mine")));
    assert_string_equal(json_string_value(json_object_get(a, "patient_name")), "Ana Diaz");
    assert_non_null(strstr(json_string_value(json_object_get(a, "detail")), "Several days"));
    json_decref(open);
    /* Another instrument never raises it. */
    assert_int_equal(add("gad7", "2026-03-16", (const int[7]){3, 3, 3, 3, 3, 3, 3}, 7, &m), E_OK);
    assert_int_equal(m.total, 21);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM clinical_alerts"), 1);
}

/* An audit entry that cannot be appended (no outcome) rolls the measure and its alert back. */
static void test_same_transaction(void **state)
{
    const int risk[9] = {0, 0, 0, 0, 0, 0, 0, 0, 3};
    struct audit_entry bad = {.user_id = 1, .user_email = "c@x.org", .roles = "clinician",
                              .client = "127.0.0.1"};
    struct audit_entry good = bad;
    struct measure_entry m = {.patient = patient, .instrument = "phq9", .taken_on = "2026-03-02",
                              .answers = risk, .n_answers = 9, .source = "staff"};

    (void)state;
    assert_int_not_equal(store_measure_add(s, &m, &bad), E_OK);
    assert_string_equal(m.public_id, "");
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM measures"), 0);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM clinical_alerts"), 0);
    /* With a good entry: the measure, the alert and both entries land. */
    good.outcome = "ok";
    assert_int_equal(store_measure_add(s, &m, &good), E_OK);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM measures"), 1);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM clinical_alerts"), 1);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM audit_log WHERE action = 'create' AND "
                                  "record_type IN ('measure', 'clinical-alert')"),
                     2);
}

static void test_refused(void **state)
{
    const int ok[9] = {0}, high[9] = {0, 0, 0, 0, 0, 0, 0, 0, 4};
    struct measure_entry m;

    (void)state;
    assert_int_equal(add("phq9", "2026-03-02", ok, 8, &m), E_INVALID);
    assert_int_equal(add("phq9", "2026-03-02", high, 9, &m), E_INVALID);
    assert_int_equal(add("phq10", "2026-03-02", ok, 9, &m), E_INVALID);
    assert_int_equal(add("phq9", "2026-02-30", ok, 9, &m), E_INVALID);
    m = (struct measure_entry){.patient = patient, .instrument = "gad7", .taken_on = "2026-03-02",
                               .answers = ok, .n_answers = 7, .source = "staff",
                               .substance = "cocaine"};
    assert_int_equal(store_measure_add(s, &m, NULL), E_INVALID); /* GAD-7 names no substance */
    m = (struct measure_entry){.patient = 999, .instrument = "gad7", .taken_on = "2026-03-02",
                               .answers = ok, .n_answers = 7, .source = "staff"};
    assert_int_equal(store_measure_add(s, &m, NULL), E_NOTFOUND);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM measures"), 0);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM clinical_alerts"), 0);
}

static void test_list_and_substance(void **state)
{
    const int pacs[5] = {6, 5, 0, 2, 4};
    struct measure_entry m = {.patient = patient, .instrument = "pacs", .taken_on = "2026-03-09",
                              .answers = pacs, .n_answers = 5, .source = "staff",
                              .substance = "cocaine"};
    json_t *list, *row;

    (void)state;
    assert_int_equal(store_measure_add(s, &m, NULL), E_OK);
    assert_int_equal(m.total, 17);
    assert_int_equal(add("pacs", "2026-03-02", (const int[5]){6, 6, 6, 6, 6}, 5, &m), E_OK);
    assert_int_equal(add("craving", "2026-03-02", (const int[1]){8}, 1, &m), E_OK);
    assert_int_equal(store_measures_list(s, patient, "pacs", &list), E_OK);
    assert_int_equal(json_array_size(list), 2);
    row = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(row, "taken_on")), "2026-03-02");
    assert_int_equal(json_integer_value(json_object_get(row, "total")), 30);
    assert_true(json_is_null(json_object_get(row, "substance")));
    row = json_array_get(list, 1);
    assert_string_equal(json_string_value(json_object_get(row, "substance")), "cocaine");
    assert_int_equal(json_array_size(json_object_get(row, "answers")), 5);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(row, "answers"), 1)), 5);
    assert_string_equal(json_string_value(json_object_get(row, "entered_by")), "");
    json_decref(list);
    assert_int_equal(store_measures_list(s, patient, NULL, &list), E_OK);
    assert_int_equal(json_array_size(list), 3);
    json_decref(list);
}

/* The due entry of instrument in list, or NULL. */
static json_t *due(json_t *list, const char *instrument)
{
    json_t *row;
    size_t i;

    json_array_foreach(list, i, row)
        if (!strcmp(json_string_value(json_object_get(row, "instrument")), instrument))
            return row;
    return NULL;
}

static const char *text_of(json_t *row, const char *key)
{
    return json_string_value(json_object_get(row, key));
}

static void test_due(void **state)
{
    const int calm[9] = {0};
    struct measure_entry m;
    json_t *list;

    (void)state;
    /* Nothing taken: each scheduled one due at admission; craving (0) not scheduled. */
    assert_int_equal(store_measures_due(s, patient, "2026-03-02", &list), E_OK);
    assert_int_equal(json_array_size(list), 3);
    assert_string_equal(text_of(due(list, "phq9"), "due_on"), "2026-03-02");
    assert_true(json_is_true(json_object_get(due(list, "phq9"), "due")));
    assert_false(json_is_true(json_object_get(due(list, "phq9"), "overdue")));
    assert_null(due(list, "craving"));
    json_decref(list);
    assert_int_equal(store_measures_due(s, patient, "2026-03-03", &list), E_OK);
    assert_true(json_is_true(json_object_get(due(list, "pacs"), "overdue")));
    json_decref(list);
    /* Then every 14 days after the last one taken (PHQ-9), 7 for PACS. */
    assert_int_equal(add("phq9", "2026-03-05", calm, 9, &m), E_OK);
    assert_int_equal(add("phq9", "2026-03-04", calm, 9, &m), E_OK); /* entered late, older */
    assert_int_equal(store_measures_due(s, patient, "2026-03-18", &list), E_OK);
    assert_string_equal(text_of(due(list, "phq9"), "due_on"), "2026-03-19");
    assert_false(json_is_true(json_object_get(due(list, "phq9"), "due")));
    assert_string_equal(text_of(due(list, "gad7"), "due_on"), "2026-03-02");
    assert_true(json_is_true(json_object_get(due(list, "gad7"), "overdue")));
    json_decref(list);
    /* The clinic's settings: craving every 3 days, PHQ-9 off. */
    assert_int_equal(store_setting_set(s, "measure_days_craving", "3"), E_OK);
    assert_int_equal(store_setting_set(s, "measure_days_phq9", "0"), E_OK);
    assert_int_equal(store_measures_due(s, patient, "2026-03-18", &list), E_OK);
    assert_null(due(list, "phq9"));
    assert_string_equal(text_of(due(list, "craving"), "due_on"), "2026-03-02");
    json_decref(list);
    assert_int_equal(store_measures_due(s, 999, "2026-03-18", &list), E_NOTFOUND);
    assert_null(list);
    assert_int_equal(store_measures_due(s, patient, "2026-13-01", &list), E_INVALID);
}

static void test_open_order_and_follow_up(void **state)
{
    struct audit_entry a = {.action = "update", .user_id = 1, .user_email = "c@x.org",
                            .roles = "clinician", .outcome = "ok", .client = "127.0.0.1"};
    char other_pub[33], first[33], second[33], urgent[33];
    struct measures_patient other;
    json_t *open, *one;
    long c2;

    (void)state;
    assert_int_equal(store_user_add(s, "d@x.org", "D", ROLE_CLINICIAN, 1704067200L, other_pub,
                                    &c2),
                     E_OK);
    pf_patient("Bo", "Ng", other_pub);
    assert_int_equal(store_measures_patient(s, other_pub, &other), E_OK);
    fx_exec(s, "UPDATE patients SET counsellor_id = 2 WHERE last_name = 'Ng'");
    /* Raised in this order: a note risk for Diaz (counsellor 1), one for Ng (counsellor 2),
     * then an urgent one for Ng. */
    assert_int_equal(store_clinical_alert_raise(s, patient, ALERT_NOTE_RISK, false, "Risk noted",
                                                NULL, first),
                     E_OK);
    assert_int_equal(store_clinical_alert_raise(s, other.id, ALERT_NOTE_RISK, false, "Risk",
                                                NULL, second),
                     E_OK);
    assert_int_equal(store_clinical_alert_raise(s, other.id, ALERT_PHQ9_ITEM9, true, "Item 9",
                                                NULL, urgent),
                     E_OK);
    /* Counsellor 2 asks: urgent first, then theirs, then the rest. */
    assert_int_equal(store_clinical_alerts_open(s, 2, &open), E_OK);
    assert_int_equal(json_array_size(open), 3);
    assert_string_equal(text_of(json_array_get(open, 0), "id"), urgent);
    assert_string_equal(text_of(json_array_get(open, 1), "id"), second);
    assert_string_equal(text_of(json_array_get(open, 2), "id"), first);
    json_decref(open);
    /* Counsellor 1 asks: urgent first, then theirs. */
    assert_int_equal(store_clinical_alerts_open(s, 1, &open), E_OK);
    assert_string_equal(text_of(json_array_get(open, 1), "id"), first);
    json_decref(open);
    /* A follow-up closes it, once; an empty one is refused; an unknown id is not found. */
    assert_int_equal(store_clinical_alert_follow_up(s, urgent, 1, "", &a), E_INVALID);
    assert_int_equal(store_clinical_alert_follow_up(s, "nope", 1, "Called", &a), E_NOTFOUND);
    assert_int_equal(store_clinical_alert_follow_up(s, urgent, 1, "Called; safety plan made.", &a),
                     E_OK);
    assert_int_equal(store_clinical_alert_follow_up(s, urgent, 1, "Again", &a), E_CONFLICT);
    assert_int_equal(store_clinical_alert_get(s, urgent, &one), E_OK);
    assert_false(json_is_true(json_object_get(one, "open")));
    assert_string_equal(text_of(one, "follow_up"), "Called; safety plan made.");
    assert_string_equal(text_of(one, "followed_up_by"), "C");
    json_decref(one);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM audit_log WHERE action = 'update' AND "
                                  "record_type = 'clinical-alert'"),
                     1);
    assert_int_equal(store_clinical_alerts_open(s, 0, &open), E_OK);
    assert_int_equal(json_array_size(open), 2);
    json_decref(open);
    /* A patient's alerts: open first, then the closed one; open only leaves it out. */
    assert_int_equal(store_clinical_alerts_of(s, other.id, false, &open), E_OK);
    assert_int_equal(json_array_size(open), 2);
    assert_string_equal(text_of(json_array_get(open, 1), "id"), urgent);
    json_decref(open);
    assert_int_equal(store_clinical_alerts_of(s, other.id, true, &open), E_OK);
    assert_int_equal(json_array_size(open), 1);
    json_decref(open);
    assert_int_equal(store_clinical_alert_get(s, "nope", &one), E_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_item9_alert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_and_substance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_due, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_order_and_follow_up, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
