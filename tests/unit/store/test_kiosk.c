/* test_kiosk: the kiosk's store (store/kiosk.h): devices by their token's hash, listed live
 * first, revoked once (twice is a conflict); the wrong-code count on both sides of its limit and
 * its window, with the pause and its audit entry; check-in codes made once, renewed (the old
 * one stops matching), unique by the schema, and never matching a discharged patient, who gets
 * no new one. Data goes in through the store's functions. */
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
#include "store/kiosk.h"
#include "store/staff.h"
#include "store/store.h"
#include "store_fixture.h"

static char path[64];
static struct store *s;
static long admin;
static const long T0 = 1780000000L; /* 2026-05-28: the clock the counter is given */

static int setup(void **state)
{
    char pub[33];
    int applied, fd;
    (void)state;

    snprintf(path, sizeof(path), "/tmp/haven-kiosk-XXXXXX");
    assert_true((fd = mkstemp(path)) >= 0);
    close(fd);
    assert_int_equal(store_open(path, &s), E_OK);
    assert_int_equal(store_migrate(s, &applied), E_OK);
    assert_int_equal(
        store_user_add(s, "a@x.org", "Ada Admin", ROLE_ADMIN, 1704067200L, pub, &admin), E_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(s);
    fx_unlink(path);
    return 0;
}

/* A token's hash made of one repeated digit ("1111...": 64 of them). */
static const char *hash_of(char digit)
{
    static char h[10][65];

    memset(h[digit - '0'], digit, 64);
    return h[digit - '0'];
}

static struct audit_entry entry(const char *action)
{
    return (struct audit_entry){ .user_email = "kiosk:test",
                                 .roles = "",
                                 .action = action,
                                 .record_type = "kiosk",
                                 .outcome = "ok",
                                 .client = "-" };
}

static long entries(const char *action)
{
    char q[160];

    snprintf(q, sizeof(q), "SELECT count(*) FROM audit_log WHERE action = '%s'", action);
    return fx_scalar(s, q);
}

/* A patient admitted directly; out gets the public id. */
static void patient(const char *first, char out[33])
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
    assert_int_equal(store_adm_admit_direct(s, &p, admin, admin, NULL), E_OK);
    memcpy(out, p.public_id, 33);
}

static void test_devices(void **state)
{
    struct audit_entry add = entry("create"), revoke = entry("revoke");
    struct kiosk_device d;
    char one[33], two[33];
    json_t *list = NULL, *got = NULL;
    (void)state;

    assert_int_equal(store_kiosk_add(s, "Front desk", "Lobby", hash_of('1'), admin, &add, one),
                     E_OK);
    assert_int_equal(store_kiosk_add(s, "Annex", NULL, hash_of('2'), admin, &add, two), E_OK);
    assert_int_equal(entries("create"), 2);
    /* The schema refuses a second device with the same token. */
    assert_int_equal(store_kiosk_add(s, "Copy", NULL, hash_of('1'), admin, NULL, two), E_INVALID);
    assert_int_equal(store_kiosk_device(s, hash_of('2'), &d), E_OK);
    assert_string_equal(d.public_id, two);
    assert_false(d.revoked);
    assert_int_equal(d.paused_until, 0);
    assert_int_equal(store_kiosk_device(s, "3333", &d), E_NOTFOUND);

    assert_int_equal(store_kiosk_revoke(s, one, admin, &revoke), E_OK);
    assert_int_equal(store_kiosk_revoke(s, one, admin, &revoke), E_CONFLICT);
    assert_int_equal(store_kiosk_revoke(s, "0123456789abcdef0123456789abcdef", admin, &revoke),
                     E_NOTFOUND);
    assert_int_equal(entries("revoke"), 1);
    assert_int_equal(store_kiosk_device(s, hash_of('1'), &d), E_OK);
    assert_true(d.revoked);

    /* Live devices first, then the revoked ones. */
    assert_int_equal(store_kiosk_list(s, &list), E_OK);
    assert_int_equal(json_array_size(list), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "public_id")),
                        two);
    assert_true(json_is_true(json_object_get(json_array_get(list, 1), "revoked")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "revoked_by")),
                        "Ada Admin");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "place")),
                        "Lobby");
    json_decref(list);
    assert_int_equal(store_kiosk_get(s, two, &got), E_OK);
    assert_string_equal(json_string_value(json_object_get(got, "last_used_at")), "");
    json_decref(got);
    assert_int_equal(store_kiosk_used(s, d.id, T0, "10.0.0.9", NULL), E_OK);
    assert_int_equal(store_kiosk_get(s, one, &got), E_OK);
    assert_string_equal(json_string_value(json_object_get(got, "last_used_at")),
                        "2026-05-28T20:26:40Z");
    assert_string_equal(json_string_value(json_object_get(got, "last_used_from")), "10.0.0.9");
    json_decref(got);
    assert_int_equal(store_kiosk_get(s, "nope", &got), E_NOTFOUND);
}

/* The count pauses at its limit (3 here), not before, and starts again after its window. */
static void test_wrong_codes(void **state)
{
    struct audit_entry wrong = entry("check-in"), pause = entry("pause");
    struct kiosk_device d;
    char id[33];
    bool paused = true;
    (void)state;

    wrong.outcome = "invalid";
    assert_int_equal(store_kiosk_add(s, "Counter", NULL, hash_of('4'), admin, NULL, id), E_OK);
    assert_int_equal(store_kiosk_device(s, hash_of('4'), &d), E_OK);
    /* Two in the window, a third after it: the count started again, no pause. */
    assert_int_equal(store_kiosk_wrong(s, d.id, T0, 3, 600, 300, &wrong, &pause, &paused), E_OK);
    assert_false(paused);
    assert_int_equal(store_kiosk_wrong(s, d.id, T0 + 599, 3, 600, 300, &wrong, &pause, &paused),
                     E_OK);
    assert_false(paused);
    assert_int_equal(store_kiosk_wrong(s, d.id, T0 + 600, 3, 600, 300, &wrong, &pause, &paused),
                     E_OK);
    assert_false(paused);
    assert_int_equal(fx_scalar(s, "SELECT wrong_count FROM kiosk_devices WHERE name = 'Counter'"),
                     1);
    /* Two more inside the new window: the third of it pauses. */
    assert_int_equal(store_kiosk_wrong(s, d.id, T0 + 601, 3, 600, 300, &wrong, &pause, &paused),
                     E_OK);
    assert_false(paused);
    assert_int_equal(entries("pause"), 0);
    assert_int_equal(store_kiosk_wrong(s, d.id, T0 + 602, 3, 600, 300, &wrong, &pause, &paused),
                     E_OK);
    assert_true(paused);
    assert_int_equal(entries("pause"), 1);
    assert_int_equal(entries("check-in"), 5);
    assert_int_equal(store_kiosk_device(s, hash_of('4'), &d), E_OK);
    assert_int_equal(d.paused_until, T0 + 602 + 300);
    /* The count starts again after a pause. */
    assert_int_equal(fx_scalar(s, "SELECT wrong_count FROM kiosk_devices WHERE name = 'Counter'"),
                     0);
    assert_int_equal(store_kiosk_wrong(s, 999999, T0, 3, 600, 300, NULL, NULL, &paused),
                     E_NOTFOUND);
}

static void test_codes(void **state)
{
    struct audit_entry renew = entry("update");
    char ana[33], bo[33], code[KIOSK_CODE_TEXT], again[KIOSK_CODE_TEXT], other[KIOSK_CODE_TEXT];
    char found[33], first[KIOSK_TEXT_MAX], q[200];
    (void)state;

    patient("Ana", ana);
    patient("Bo", bo);
    assert_int_equal(fx_scalar(s, "SELECT count(*) FROM checkin_codes"), 0);
    assert_int_equal(store_checkin_code(s, ana, code), E_OK);
    assert_int_equal(strlen(code), KIOSK_CODE_DIGITS);
    assert_int_equal(strspn(code, "0123456789"), KIOSK_CODE_DIGITS);
    assert_int_equal(store_checkin_code(s, ana, again), E_OK);
    assert_string_equal(again, code);
    assert_int_equal(store_checkin_code(s, bo, other), E_OK);
    assert_string_not_equal(other, code);
    assert_int_equal(store_checkin_code(s, "0123456789abcdef0123456789abcdef", again), E_NOTFOUND);

    assert_int_equal(store_checkin_find(s, code, found, first), E_OK);
    assert_string_equal(found, ana);
    assert_string_equal(first, "Ana");
    assert_int_equal(store_checkin_find(s, "", found, first), E_NOTFOUND);

    /* The schema keeps codes unique: Bo cannot hold Ana's. */
    snprintf(q, sizeof(q), "UPDATE checkin_codes SET code = '%s' WHERE code = '%s'", code, other);
    assert_int_equal(fx_try(s, q), DB_CONSTRAINT);
    assert_int_equal(fx_try(s, "UPDATE checkin_codes SET code = '1234567' WHERE code <> ''"),
                     DB_CONSTRAINT);

    /* Renewing: a new code, the old one matches no one, the entry written. */
    assert_int_equal(store_checkin_code_renew(s, ana, &renew, again), E_OK);
    assert_string_not_equal(again, code);
    assert_int_equal(store_checkin_find(s, code, found, first), E_NOTFOUND);
    assert_int_equal(store_checkin_find(s, again, found, first), E_OK);
    assert_int_equal(entries("update"), 1);
    assert_int_equal(store_checkin_code_renew(s, "0123456789abcdef0123456789abcdef", &renew, other),
                     E_NOTFOUND);
    assert_int_equal(entries("update"), 1);

    /* Discharged: the code stops matching, and no new one is made. */
    snprintf(q, sizeof(q), "UPDATE patients SET status = 'discharged' WHERE public_id = '%s'", ana);
    fx_exec(s, q);
    assert_int_equal(store_checkin_find(s, again, found, first), E_NOTFOUND);
    assert_int_equal(store_checkin_code(s, ana, code), E_OK);
    assert_string_equal(code, again);
    assert_int_equal(store_checkin_code_renew(s, ana, &renew, code), E_CONFLICT);
    assert_int_equal(entries("update"), 1);
    snprintf(q, sizeof(q),
             "DELETE FROM checkin_codes WHERE patient_id ="
             " (SELECT id FROM patients WHERE public_id = '%s')",
             ana);
    fx_exec(s, q);
    assert_int_equal(store_checkin_code(s, ana, code), E_CONFLICT);
    assert_string_equal(code, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_devices),
        cmocka_unit_test(test_wrong_codes),
        cmocka_unit_test(test_codes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
