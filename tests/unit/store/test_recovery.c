/* test_recovery: the relapse-prevention plan's store (store/recovery.h). Every version kept:
 * a draft saved in place, a returned or approved one followed by a new version; approval
 * supersedes the approved one before it in the same transaction, with its audit entry; a
 * refused write (stale form, wrong state, an audit that cannot be written) changes nothing; a
 * patient's reads never reach another patient's plan; the skills library's writes. */
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
#include "store/recovery.h"
#include "store/staff.h"
#include "store/store.h"
#include "store_fixture.h"

static char path[64];
static struct store *s;
static long clin;
static long ana, ben;
static const long T0 = 1780000000L;

static long count(const char *sql)
{
    return fx_scalar(s, sql);
}

static void patient(const char *first, long *row)
{
    struct admissions_patient p = { .first_name = first,
                                    .last_name = "Test",
                                    .date_of_birth = "1990-01-01",
                                    .phone = "555-010-0100",
                                    .phone_digits = "5550100100",
                                    .emergency_name = "Kin",
                                    .emergency_phone = "555-010-0101",
                                    .emergency_relationship = "sister",
                                    .admission_date = "2026-03-02",
                                    .level = "iop",
                                    .status = "active" };
    char q[128];

    assert_int_equal(store_adm_admit_direct(s, &p, clin, clin, NULL), E_OK);
    snprintf(q, sizeof(q), "SELECT id FROM patients WHERE public_id = '%s'", p.public_id);
    *row = count(q);
}

static int setup(void **state)
{
    char pub[33];
    int applied, fd;
    (void)state;

    snprintf(path, sizeof(path), "/tmp/haven-recovery-XXXXXX");
    assert_true((fd = mkstemp(path)) >= 0);
    close(fd);
    assert_int_equal(store_open(path, &s), E_OK);
    assert_int_equal(store_migrate(s, &applied), E_OK);
    assert_int_equal(
        store_user_add(s, "c@x.org", "Casey Counsellor", ROLE_CLINICIAN, T0, pub, &clin), E_OK);
    patient("Ana", &ana);
    patient("Ben", &ben);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(s);
    fx_unlink(path);
    return 0;
}

static struct audit_entry entry(const char *action)
{
    return (struct audit_entry){ .user_email = "patient:test",
                                 .roles = "patient",
                                 .action = action,
                                 .record_type = "recovery-plan",
                                 .outcome = "ok",
                                 .client = "-" };
}

/* A body with one coping strategy. */
static json_t *body(const char *coping)
{
    return json_pack("{s:[s], s:[{s:s, s:s}]}", "coping", coping, "people", "name", "Sam", "phone",
                     "555-010-0199");
}

/* The latest version's public id (33 bytes) of patient, "" when none. */
static void latest_id(long patient, char id[33])
{
    json_t *v = NULL;

    assert_int_equal(store_recovery_latest(s, patient, &v), E_OK);
    snprintf(id, 33, "%s", v ? json_string_value(json_object_get(v, "id")) : "");
    json_decref(v);
}

static void save(long patient, const char *coping, bool submit, enum err want)
{
    struct audit_entry a = entry(submit ? "submit" : "update");
    json_t *b = body(coping);
    char id[33];

    latest_id(patient, id);
    assert_int_equal(store_recovery_save(s, patient, id, b, submit, &a, NULL), want);
    json_decref(b);
}

static void review(long patient, bool approve, const char *comment, enum err want)
{
    struct audit_entry a = entry(approve ? "approve" : "return");
    char id[33];

    latest_id(patient, id);
    assert_int_equal(store_recovery_review(s, patient, id, approve, comment, clin, &a), want);
}

static void test_versions_kept(void **state)
{
    json_t *v = NULL, *list = NULL;
    (void)state;

    save(ana, "Walk", false, E_OK);
    save(ana, "Walk far", false, E_OK); /* in place */
    assert_int_equal(count("SELECT count(*) FROM recovery_plans"), 1);
    save(ana, "Walk far", true, E_OK);
    save(ana, "Too late", false, E_CONFLICT); /* waits for review */
    review(ana, false, "Add a person", E_OK);
    save(ana, "Walk and call", true, E_OK); /* version 2 */
    review(ana, true, NULL, E_OK);
    save(ana, "Run", true, E_OK); /* version 3 */
    review(ana, true, "Good", E_OK);
    assert_int_equal(count("SELECT count(*) FROM recovery_plans"), 3);
    assert_int_equal(count("SELECT count(*) FROM recovery_plans WHERE version = 1 AND status = "
                           "'returned' AND comment = 'Add a person'"),
                     1);
    assert_int_equal(
        count("SELECT count(*) FROM recovery_plans WHERE version = 2 AND status = 'superseded'"),
        1);
    assert_int_equal(store_recovery_approved(s, ana, &v), E_OK);
    assert_int_equal(json_integer_value(json_object_get(v, "version")), 3);
    assert_string_equal(json_string_value(json_object_get(v, "reviewer")), "Casey Counsellor");
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(json_object_get(v, "body"), "coping"), 0)),
        "Run");
    json_decref(v);
    assert_int_equal(store_recovery_version(s, ana, 1, &v), E_OK);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(json_object_get(v, "body"), "coping"), 0)),
        "Walk far");
    json_decref(v);
    assert_int_equal(store_recovery_versions(s, ana, &list), E_OK);
    assert_int_equal(json_array_size(list), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "version")), 3);
    json_decref(list);
    /* One audit entry per write that landed, none for the refused one. */
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE record_type = 'recovery-plan'"),
                     8);
}

static void test_stale_and_wrong_state(void **state)
{
    struct audit_entry a = entry("update");
    json_t *b = body("Walk");
    char id[33];
    long n = count("SELECT count(*) FROM recovery_plans");
    (void)state;

    /* Ben has nothing yet: a form based on a version is stale. */
    assert_int_equal(
        store_recovery_save(s, ben, "0123456789abcdef0123456789abcdef", b, false, &a, NULL),
        E_CONFLICT);
    assert_int_equal(count("SELECT count(*) FROM recovery_plans"), n);
    save(ben, "Walk", false, E_OK);
    /* A form made before that save (based on nothing) is stale too. */
    assert_int_equal(store_recovery_save(s, ben, "", b, false, &a, NULL), E_CONFLICT);
    /* A draft is not reviewed, nor withdrawn. */
    review(ben, true, NULL, E_CONFLICT);
    latest_id(ben, id);
    assert_int_equal(store_recovery_withdraw(s, ben, id, &a), E_CONFLICT);
    save(ben, "Walk", true, E_OK);
    assert_int_equal(store_recovery_withdraw(s, ben, id, &a), E_OK);
    assert_int_equal(count("SELECT count(*) FROM recovery_plans r JOIN patients p ON p.id = "
                           "r.patient_id WHERE p.first_name = 'Ben' AND r.status = 'draft'"),
                     1);
    json_decref(b);
}

static void test_patients_apart(void **state)
{
    struct audit_entry a = entry("approve");
    json_t *v = NULL;
    char ana_id[33];
    (void)state;

    latest_id(ana, ana_id);
    /* Ben's reads never reach Ana's versions, whatever the number. */
    assert_int_equal(store_recovery_version(s, ben, 3, &v), E_NOTFOUND);
    assert_null(v);
    /* A review or withdrawal naming Ana's version under Ben: refused, nothing changes. */
    assert_int_equal(store_recovery_review(s, ben, ana_id, true, NULL, clin, &a), E_NOTFOUND);
    assert_int_equal(store_recovery_withdraw(s, ben, ana_id, &a), E_CONFLICT);
    assert_int_equal(count("SELECT count(*) FROM recovery_plans WHERE status = 'approved'"), 1);
}

static void test_approval_one_transaction(void **state)
{
    struct audit_entry a = entry("approve");
    char id[33];
    (void)state;

    /* Ana's version 4 waits; an approval whose audit entry cannot be written leaves version 3
     * approved and 4 submitted: the supersede and the approval land together or not at all. */
    save(ana, "Swim", true, E_OK);
    latest_id(ana, id);
    fx_exec(s, "CREATE TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, "
               "'no'); END");
    assert_int_not_equal(store_recovery_review(s, ana, id, true, NULL, clin, &a), E_OK);
    fx_exec(s, "DROP TRIGGER no_audit");
    assert_int_equal(
        count("SELECT count(*) FROM recovery_plans WHERE version = 3 AND status = 'approved'"), 1);
    assert_int_equal(
        count("SELECT count(*) FROM recovery_plans WHERE version = 4 AND status = 'submitted'"), 1);
    assert_int_equal(store_recovery_review(s, ana, id, true, NULL, clin, &a), E_OK);
    assert_int_equal(
        count("SELECT count(*) FROM recovery_plans WHERE version = 3 AND status = 'superseded'"),
        1);
}

static void test_skills(void **state)
{
    struct audit_entry a = entry("create");
    struct recovery_skill_in in = { .title = "Box breathing",
                                    .summary = "Four counts.",
                                    .body = "Breathe.",
                                    .source = "Source: test",
                                    .kind = "exercise",
                                    .position = 1 };
    json_t *list = NULL, *one = NULL;
    long seeded = count("SELECT count(*) FROM skills");
    char id[33];
    (void)state;

    assert_true(seeded >= 6);
    assert_int_equal(store_recovery_skill_add(s, &in, clin, &a, id), E_OK);
    assert_int_equal(store_recovery_skills(s, false, &list), E_OK);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "title")),
                        "Box breathing");
    json_decref(list);
    assert_int_equal(store_recovery_skill_hide(s, id, true, clin, &a), E_OK);
    assert_int_equal(store_recovery_skill(s, id, false, &one), E_NOTFOUND);
    assert_int_equal(store_recovery_skill(s, id, true, &one), E_OK);
    json_decref(one);
    assert_int_equal(store_recovery_skills(s, false, &list), E_OK);
    assert_int_equal((long)json_array_size(list), seeded);
    json_decref(list);
    in.kind = "poem"; /* the schema refuses it */
    assert_int_equal(store_recovery_skill_update(s, id, &in, clin, &a), E_INVALID);
    in.kind = "reading";
    assert_int_equal(store_recovery_skill_update(s, "none", &in, clin, &a), E_NOTFOUND);
    assert_int_equal(count("SELECT count(*) FROM skills WHERE kind = 'reading' AND title = 'Box "
                           "breathing'"),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions_kept),  cmocka_unit_test(test_stale_and_wrong_state),
        cmocka_unit_test(test_patients_apart), cmocka_unit_test(test_approval_one_transaction),
        cmocka_unit_test(test_skills),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
