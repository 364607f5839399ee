/* test_patients: the search keys (case, accents, apostrophes, hyphens) and patient search
 * (store/patients.c) by name prefix (first, last, "first last", "last first"), public id, phone
 * (exact and last digits), with the 50-row cap; the empty search lists the most recent
 * admissions. The counsellor is added through the store; the patients are rows written through
 * db.h in portable SQL, because the id-prefix cases need public ids that share a prefix and the
 * store's are random (admission through the store is covered by test_referrals). */
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
#include "store/admissions_internal.h"
#include "store/store.h"
#include "store/admissions.h"
#include "store/staff.h"
#include "store_fixture.h"

static char path[64];

static const char *key(const char *name)
{
    static char out[256];
    patients_name_key(name, out, sizeof(out));
    return out;
}

static void test_name_key(void **state)
{
    char small[4];
    (void)state;
    assert_string_equal(key("Sam Rivera"), "sam rivera");
    assert_string_equal(key("  JOSÉ   Núñez-García "), "jose nunez garcia");
    assert_string_equal(key("Siobhán O'Brien"), "siobhan obrien");
    assert_string_equal(key("Renée O\xe2\x80\x99Hara"), "renee ohara");
    assert_string_equal(key("Łukasz Żółć"), "lukasz zolc");
    assert_string_equal(key("Jr., Martin"), "jr martin");
    assert_string_equal(key("Straße"), "strasse");
    assert_string_equal(key("李 小龙"), "李 小龙");
    assert_string_equal(key(""), "");
    assert_int_equal(patients_name_key("Abcdef", small, sizeof(small)), 3);
    assert_string_equal(small, "abc");
}

static void add(struct store *s, int i, const char *first, const char *last, const char *digits)
{
    char sql[1024], k[256], krl[256], full[200];
    snprintf(full, sizeof(full), "%s %s", first, last);
    patients_name_key(full, k, sizeof(k));
    snprintf(full, sizeof(full), "%s %s", last, first);
    patients_name_key(full, krl, sizeof(krl));
    snprintf(sql, sizeof(sql),
             "INSERT INTO patients (public_id, first_name, last_name, date_of_birth, phone,"
             " phone_digits, emergency_name, emergency_phone, emergency_relationship,"
             " counsellor_id, admission_date, level, created_at, name_key, name_key_rl)"
             " VALUES ('%032x', '%s', '%s', '1980-01-01', '%s', '%s', 'Kin', '5550000000',"
             " 'Partner', 1, '2024-01-01', 'iop', '2024-01-01T00:00:%02dZ', '%s', '%s')",
             0xabc000 + i, first, last, digits, digits, i % 60, k, krl);
    fx_exec(s, sql);
}

static size_t found(struct store *s, const char *q, const char *digits, const char *first)
{
    json_t *rows = NULL;
    size_t n;
    assert_int_equal(store_adm_patient_search(s, q, digits, &rows), E_OK);
    n = json_array_size(rows);
    if (first && n)
        assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0),
                                                              "first_name")), first);
    json_decref(rows);
    return n;
}

static void test_search(void **state)
{
    struct store *s;
    char uid[33];
    int applied, fd;
    long id;
    (void)state;

    snprintf(path, sizeof(path), "/tmp/haven-patients-XXXXXX");
    assert_true((fd = mkstemp(path)) >= 0);
    close(fd);
    assert_int_equal(store_open(path, &s), E_OK);
    assert_int_equal(store_migrate(s, &applied), E_OK);
    assert_int_equal(store_user_add(s, "c@x.org", "C", ROLE_CLINICIAN, 1704067200L, uid, &id),
                     E_OK);
    assert_int_equal(id, 1); /* the patients' counsellor_id below */
    add(s, 1, "Sam", "Rivera", "5550100199");
    add(s, 2, "José", "Núñez", "15551234567");
    add(s, 3, "Ann", "O''Brien" /* SQL-quoted */, "5559876543");
    for (int i = 10; i < 80; i++)
        add(s, i, "Pat", "Smith", "5550000001");

    assert_int_equal(found(s, "riv", NULL, "Sam"), 1);
    assert_int_equal(found(s, "SAM R", NULL, "Sam"), 1);
    assert_int_equal(found(s, "rivera sam", NULL, "Sam"), 1);
    assert_int_equal(found(s, "jose", NULL, "José"), 1);
    assert_int_equal(found(s, "núñez", NULL, "José"), 1);
    assert_int_equal(found(s, "obrien", NULL, "Ann"), 1);
    assert_int_equal(found(s, "o'bri", NULL, "Ann"), 1);
    assert_int_equal(found(s, "ivera", NULL, NULL), 0); /* a prefix, not a substring */
    assert_int_equal(found(s, "Nobody", NULL, NULL), 0);
    /* phone: exact, the last 7+ digits, not a middle part */
    assert_int_equal(found(s, "5550100199", "5550100199", "Sam"), 1);
    assert_int_equal(found(s, "0100199", "0100199", "Sam"), 1);
    assert_int_equal(found(s, "(555) 123-4567", "5551234567", "José"), 1);
    assert_int_equal(found(s, "5550100", "5550100", NULL), 0);
    /* public id: exact or a prefix of 6+ hex characters, any case */
    assert_int_equal(found(s, "00000000000000000000000000abc001", NULL, "Sam"), 1);
    assert_int_equal(found(s, "00000000000000000000000000ABC003", NULL, "Ann"), 1);
    assert_int_equal(found(s, "00000000000000000000000000abc0", NULL, NULL), 74 > 50 ? 50 : 74);
    /* at most 50, in name order; empty: the most recent admissions */
    assert_int_equal(found(s, "smith", NULL, "Pat"), 50);
    assert_int_equal(found(s, "pat", NULL, "Pat"), 50);
    assert_int_equal(found(s, NULL, NULL, NULL), 50);
    assert_int_equal(found(s, "%", NULL, NULL), 0);
    assert_int_equal(found(s, "_", NULL, NULL), 0);

    store_close(s);
    fx_unlink(path);
}

/* Issue 7: revoking a consent records how the patient revoked it (migration 0013), on the
 * consent and on its timeline event, which names the recipient; anything but the domain's
 * codes is refused and nothing is written. */
static void test_consent_revoked_how(void **state)
{
    struct admissions_consent c = {
        .discloser = "Haven", .information = "Attendance", .recipient = "Dr. Lee",
        .purpose = "Care", .end_of_treatment = true, .revoke_acknowledged = true,
        .signature_name = "Sam Rivera", .signed_ = true,
    };
    const char *pid = "00000000000000000000000000abc001";
    json_t *p = NULL, *ev, *con;
    struct store *s;
    char uid[33], how[32];
    int applied, fd;
    long id;
    size_t i;
    (void)state;

    snprintf(path, sizeof(path), "/tmp/haven-consent-XXXXXX");
    assert_true((fd = mkstemp(path)) >= 0);
    close(fd);
    assert_int_equal(store_open(path, &s), E_OK);
    assert_int_equal(store_migrate(s, &applied), E_OK);
    assert_int_equal(store_user_add(s, "c@x.org", "C", ROLE_CLINICIAN, 1704067200L, uid, &id),
                     E_OK);
    add(s, 1, "Sam", "Rivera", "5550100199");
    assert_int_equal(store_adm_consent_add(s, pid, &c, 1, NULL), E_OK);
    assert_int_equal(store_adm_consent_revoke(s, pid, c.public_id, "by-pigeon", 1, NULL),
                     E_INVALID);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM consents WHERE revoked_at IS NULL"), 1);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM patient_events"
                                  " WHERE kind = 'consent-revoked'"), 0);
    assert_int_equal(store_adm_consent_revoke(s, pid, c.public_id, "verbally", 1, NULL), E_OK);
    fx_text(s, "SELECT revoked_how FROM consents", how, sizeof(how));
    assert_string_equal(how, "verbally");
    assert_int_equal(store_adm_consent_revoke(s, pid, c.public_id, "in-writing", 1, NULL),
                     E_CONFLICT);
    assert_int_equal(store_adm_patient_get(s, pid, true, &p), E_OK);
    con = json_array_get(json_object_get(p, "consents"), 0);
    assert_string_equal(json_string_value(json_object_get(con, "revoked_how")), "verbally");
    json_array_foreach(json_object_get(p, "timeline"), i, ev) {
        if (strcmp(json_string_value(json_object_get(ev, "kind")), "consent-revoked"))
            continue;
        assert_string_equal(json_string_value(json_object_get(ev, "to")), "verbally");
        assert_string_equal(json_string_value(json_object_get(ev, "party")), "Dr. Lee");
    }
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM patient_events"
                                  " WHERE kind = 'consent-revoked' AND to_value = 'verbally'"), 1);
    json_decref(p);
    store_close(s);
    fx_unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_key),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_consent_revoked_how),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
