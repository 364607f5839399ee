/* test_portal_second_factor: the patients' optional second factor (store/portal.h, migration
 * 0030). Turning it on needs a well-formed sealed secret, lands the recovery codes with the
 * audit entry, and happens once; each time step and each
 * recovery code is used once; turning off (the patient) and resetting (staff) take the secret,
 * the codes and the sign-ins waiting for a code, and a reset also ends the sessions; a sign-in
 * waiting for its code is found by its token only and is not a session. */
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
#include "store/portal.h"
#include "store/staff.h"
#include "store/store.h"
#include "store_fixture.h"

static char path[64];
static struct store *s;
static long admin;
static const long T0 = 1780000000L; /* 2026-05-28 */
static caldate today;

static int setup(void **state)
{
    char pub[33];
    int applied, fd;
    (void)state;

    snprintf(path, sizeof(path), "/tmp/haven-portal2f-XXXXXX");
    assert_true((fd = mkstemp(path)) >= 0);
    close(fd);
    assert_int_equal(store_open(path, &s), E_OK);
    assert_int_equal(store_migrate(s, &applied), E_OK);
    assert_int_equal(
        store_user_add(s, "c@x.org", "Casey Counsellor", ROLE_CLINICIAN, T0, pub, &admin), E_OK);
    assert_true(caldate_parse("2026-05-28", &today));
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
                                 .record_type = "portal",
                                 .outcome = "ok",
                                 .client = "-" };
}

static long count(const char *sql)
{
    return fx_scalar(s, sql);
}

/* A patient admitted directly; out gets the public id, *row the row id. */
static void patient(const char *first, char out[33], long *row)
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

    assert_int_equal(store_adm_admit_direct(s, &p, admin, admin, NULL), E_OK);
    memcpy(out, p.public_id, 33);
    snprintf(q, sizeof(q), "SELECT id FROM patients WHERE public_id = '%s'", out);
    *row = count(q);
}

/* A token hash of one repeated hex digit. */
static const char *hash_of(char digit)
{
    static char h[16][65];
    int i = digit <= '9' ? digit - '0' : digit - 'a' + 10;

    memset(h[i], digit, 64);
    return h[i];
}

#define SEALED                                                                                     \
    "s1:"                                                                                          \
    "000000000000000000000000000000000000000000000000000000000000"                                 \
    "000000000000000000000000000000000000000000000000000000000000"

/* A patient with an accepted invitation: its public id, patients.id and account id. */
static long account_of(const char *first, const char *username, char pid[33], long *row,
                       char token_digit)
{
    struct audit_entry inv = entry("invite"), acc = entry("accept");
    long account = 0;

    patient(first, pid, row);
    assert_int_equal(store_portal_invite(s, pid, hash_of(token_digit), T0, today, admin, &inv),
                     E_OK);
    assert_int_equal(store_portal_accept(s, hash_of(token_digit), T0, today, username,
                                         "$argon2id$x", &acc, &account),
                     E_OK);
    return account;
}

static const char *const codes[] = {
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
};

static void test_enable(void **state)
{
    struct audit_entry on = entry("portal-2fa-on");
    struct portal_factor f;
    struct portal_account a;
    char pid[33];
    long row, account = account_of("Flo", "flo.t", pid, &row, '1');
    (void)state;

    assert_int_equal(store_portal_factor_get(s, row, &f), E_OK);
    assert_int_equal(f.account, account);
    assert_false(f.enabled);
    assert_string_equal(f.sealed, "");
    assert_string_equal(f.username, "flo.t");
    assert_string_equal(f.patient_id, pid);
    /* A malformed secret is refused by the schema: nothing written. */
    assert_int_equal(store_portal_factor_enable(s, account, "s1:short", 100, codes, 2, &on),
                     E_INVALID);
    assert_int_equal(count("SELECT count(*) FROM portal_recovery_codes"), 0);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'portal-2fa-on'"), 0);
    assert_int_equal(store_portal_factor_get(s, row, &f), E_OK);
    assert_false(f.enabled);
    assert_int_equal(store_portal_factor_enable(s, account, SEALED, 100, codes, 2, &on), E_OK);
    assert_int_equal(store_portal_factor_get(s, row, &f), E_OK);
    assert_true(f.enabled);
    assert_string_equal(f.sealed, SEALED);
    assert_int_equal(f.recovery_left, 2);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'portal-2fa-on'"), 1);
    assert_int_equal(store_portal_account_get(s, "FLO.T", today, &a), E_OK);
    assert_true(a.factor);
    /* On once: a second enable changes nothing. */
    assert_int_equal(store_portal_factor_enable(s, account, SEALED, 101, codes, 1, &on),
                     E_CONFLICT);
    assert_int_equal(store_portal_factor_get(s, row, &f), E_OK);
    assert_int_equal(f.recovery_left, 2);
    /* Each time step once, and never an earlier one. */
    assert_int_equal(store_portal_factor_use_step(s, account, 100), E_CONFLICT);
    assert_int_equal(store_portal_factor_use_step(s, account, 101), E_OK);
    assert_int_equal(store_portal_factor_use_step(s, account, 101), E_CONFLICT);
    assert_int_equal(store_portal_factor_use_step(s, account, 99), E_CONFLICT);
    /* No account: E_NOTFOUND. */
    assert_int_equal(store_portal_factor_get(s, row + 1000, &f), E_NOTFOUND);
}

static void test_recovery_codes(void **state)
{
    struct audit_entry on = entry("portal-2fa-on"), use = entry("use-recovery-code");
    struct portal_factor f;
    char pid[33], other[33];
    long row, row2, account = account_of("Gil", "gil.t", pid, &row, '2');
    long account2 = account_of("Hal", "hal.t", other, &row2, '3');
    (void)state;

    assert_int_equal(store_portal_factor_enable(s, account, SEALED, 5, codes, 2, &on), E_OK);
    /* Another account's codes are not this one's. */
    assert_int_equal(store_portal_recovery_use(s, account2, codes[0], T0, &use), E_NOTFOUND);
    assert_int_equal(store_portal_recovery_use(s, account, codes[0], T0, &use), E_OK);
    assert_int_equal(store_portal_recovery_use(s, account, codes[0], T0, &use), E_NOTFOUND);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'use-recovery-code'"), 1);
    assert_int_equal(store_portal_factor_get(s, row, &f), E_OK);
    assert_int_equal(f.recovery_left, 1);
}

static void test_disable_and_reset(void **state)
{
    struct audit_entry on = entry("portal-2fa-on"), off = entry("portal-2fa-off");
    struct audit_entry reset = entry("portal-2fa-reset");
    struct portal_factor f;
    struct portal_pending w;
    long sid = 0;
    char pid[33], q[128];
    long row, account = account_of("Ivy", "ivy.t", pid, &row, '4');
    (void)state;

    assert_int_equal(store_portal_factor_disable(s, account, &off), E_CONFLICT);
    assert_int_equal(store_portal_factor_reset(s, pid, &reset), E_CONFLICT);
    assert_int_equal(store_portal_factor_enable(s, account, SEALED, 5, codes, 2, &on), E_OK);
    assert_int_equal(
        store_portal_pending_add(s, account, hash_of('a'), hash_of('b'), true, "-", T0), E_OK);
    assert_int_equal(store_portal_factor_disable(s, account, &off), E_OK);
    assert_int_equal(store_portal_factor_get(s, row, &f), E_OK);
    assert_false(f.enabled);
    assert_string_equal(f.sealed, "");
    assert_int_equal(f.recovery_left, 0);
    assert_int_equal(store_portal_pending_get(s, hash_of('a'), today, &w), E_NOTFOUND);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'portal-2fa-off'"), 1);

    /* Staff reset: the factor, codes and sessions go, with the entry naming the patient. */
    assert_int_equal(store_portal_factor_enable(s, account, SEALED, 6, codes, 2, &on), E_OK);
    assert_int_equal(
        store_portal_session_add(s, account, hash_of('c'), hash_of('d'), false, "-", T0, &sid),
        E_OK);
    assert_int_equal(store_portal_factor_reset(s, "0123456789abcdef0123456789abcdef", &reset),
                     E_NOTFOUND);
    assert_int_equal(store_portal_factor_reset(s, pid, &reset), E_OK);
    assert_int_equal(store_portal_factor_get(s, row, &f), E_OK);
    assert_false(f.enabled);
    snprintf(q, sizeof(q), "SELECT count(*) FROM portal_sessions WHERE account_id = %ld", account);
    assert_int_equal(count(q), 0);
    snprintf(q, sizeof(q), "SELECT count(*) FROM portal_recovery_codes WHERE account_id = %ld",
             account);
    assert_int_equal(count(q), 0);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'portal-2fa-reset'"), 1);
    assert_int_equal(store_portal_factor_reset(s, pid, &reset), E_CONFLICT);
}

static void test_pending(void **state)
{
    struct audit_entry on = entry("portal-2fa-on");
    struct portal_pending w;
    struct portal_session ps;
    char pid[33], other[33];
    long row, row2, account = account_of("Jo", "jo.t", pid, &row, '5');
    long account2 = account_of("Kit", "kit.t", other, &row2, '6');
    (void)state;

    assert_int_equal(store_portal_factor_enable(s, account, SEALED, 5, codes, 2, &on), E_OK);
    assert_int_equal(
        store_portal_pending_add(s, account, hash_of('e'), hash_of('f'), true, "10.0.0.1", T0),
        E_OK);
    assert_int_equal(
        store_portal_pending_add(s, account2, hash_of('7'), hash_of('8'), false, NULL, T0), E_OK);
    assert_int_equal(store_portal_pending_get(s, hash_of('e'), today, &w), E_OK);
    assert_int_equal(w.account, account);
    assert_int_equal(w.patient, row);
    assert_string_equal(w.patient_id, pid);
    assert_string_equal(w.csrf, hash_of('f'));
    assert_true(w.shared);
    assert_int_equal(w.created, T0);
    assert_true(w.open);
    assert_true(w.factor);
    assert_string_equal(w.sealed, SEALED);
    /* Not a session. */
    assert_int_equal(store_portal_session_get(s, hash_of('e'), today, &ps), E_NOTFOUND);
    /* Ending the account's ends only its own. */
    assert_int_equal(store_portal_pending_end(s, 0, account), E_OK);
    assert_int_equal(store_portal_pending_get(s, hash_of('e'), today, &w), E_NOTFOUND);
    assert_int_equal(store_portal_pending_get(s, hash_of('7'), today, &w), E_OK);
    assert_false(w.factor);
    assert_int_equal(store_portal_pending_end(s, w.id, 0), E_OK);
    assert_int_equal(store_portal_pending_get(s, hash_of('7'), today, &w), E_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enable),
        cmocka_unit_test(test_recovery_codes),
        cmocka_unit_test(test_disable_and_reset),
        cmocka_unit_test(test_pending),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
