/* test_portal: the patient portal's store (store/portal.h). The access rule on both sides of
 * the aftercare days; session limits on both sides of the idle and absolute limits, shared or
 * not; invitations: valid until the last second of 72 hours, gone at it, used once, voided by a
 * newer one and by a revocation, refused for a patient past aftercare; accepting: a username
 * another patient holds is refused (any case), a re-invitation lifts a revocation; revoking
 * ends sessions; sign-in failures count and clear; check-ins land with their alerts and audit
 * entry, and are listed newest first, only the patient's own. The optional second factor:
 * turning it on needs a well-formed sealed secret, lands the recovery codes with the audit
 * entry, and happens once; each time step and each recovery code is used once; turning off
 * (the patient) and resetting (staff) take the secret, the codes and the sign-ins waiting for
 * a code, and a reset also ends the sessions; a sign-in waiting for its code is found by its
 * token only and is not a session. */
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

    snprintf(path, sizeof(path), "/tmp/haven-portal-XXXXXX");
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

static void test_access_rule(void **state)
{
    (void)state;

    assert_true(store_portal_access_open(false, "active", "", today, 30));
    assert_true(store_portal_access_open(false, "on-hold", "", today, 30));
    assert_false(store_portal_access_open(true, "active", "", today, 30));
    /* Discharged on 2026-04-28: day 30 is 2026-05-28, still open; day 31 closed. */
    assert_true(store_portal_access_open(false, "discharged", "2026-04-28", today, 30));
    assert_false(store_portal_access_open(false, "discharged", "2026-04-27", today, 30));
    assert_true(store_portal_access_open(false, "discharged", "2026-05-28", today, 0));
    assert_false(store_portal_access_open(false, "discharged", "2026-05-27", today, 0));
    assert_false(store_portal_access_open(false, "discharged", "", today, 30));
}

static void test_session_limits(void **state)
{
    (void)state;
    /* 30 idle minutes, 10 on a shared device, 12 hours in all. */
    assert_int_equal(store_portal_session_left(T0 + 1799, T0, T0, false), 1);
    assert_true(store_portal_session_left(T0 + 1800, T0, T0, false) <= 0);
    assert_int_equal(store_portal_session_left(T0 + 599, T0, T0, true), 1);
    assert_true(store_portal_session_left(T0 + 600, T0, T0, true) <= 0);
    assert_int_equal(store_portal_session_left(T0 + 43199, T0, T0 + 43100, false), 1);
    assert_true(store_portal_session_left(T0 + 43200, T0, T0 + 43190, false) <= 0);
}

static void test_invitations(void **state)
{
    struct portal_invitee who;
    struct audit_entry inv = entry("invite"), acc = entry("accept");
    char pid[33];
    long row, account = 0;
    (void)state;

    patient("Ina", pid, &row);
    assert_int_equal(store_portal_invite(s, pid, hash_of('1'), T0, today, admin, &inv), E_OK);
    /* Valid to the last second of 72 hours, gone at it. */
    assert_int_equal(
        store_portal_invite_find(s, hash_of('1'), T0 + PORTAL_INVITE_SECONDS - 1, today, &who),
        E_OK);
    assert_string_equal(who.public_id, pid);
    assert_string_equal(who.first_name, "Ina");
    assert_int_equal(
        store_portal_invite_find(s, hash_of('1'), T0 + PORTAL_INVITE_SECONDS, today, &who), E_GONE);
    assert_int_equal(store_portal_invite_find(s, hash_of('9'), T0, today, &who), E_NOTFOUND);
    /* A newer one voids it. */
    assert_int_equal(store_portal_invite(s, pid, hash_of('2'), T0 + 10, today, admin, &inv), E_OK);
    assert_int_equal(store_portal_invite_find(s, hash_of('1'), T0 + 20, today, &who), E_GONE);
    assert_int_equal(
        store_portal_accept(s, hash_of('1'), T0 + 20, today, "ina", "$argon2id$x", &acc, &account),
        E_GONE);
    /* Used once. */
    assert_int_equal(
        store_portal_accept(s, hash_of('2'), T0 + 20, today, "ina", "$argon2id$x", &acc, &account),
        E_OK);
    assert_true(account > 0);
    assert_int_equal(
        store_portal_accept(s, hash_of('2'), T0 + 30, today, "ina2", "$argon2id$y", &acc, &account),
        E_GONE);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'accept'"), 1);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'invite'"), 2);
    assert_int_equal(store_portal_invite(s, "0123456789abcdef0123456789abcdef", hash_of('3'), T0,
                                         today, admin, &inv),
                     E_NOTFOUND);
}

static void test_accept_and_revoke(void **state)
{
    struct audit_entry inv = entry("invite"), acc = entry("accept"), rev = entry("revoke");
    struct portal_account a;
    struct portal_session ps;
    struct portal_state st;
    char one[33], two[33];
    long r1, r2, account, sid;
    (void)state;

    patient("Uma", one, &r1);
    patient("Vic", two, &r2);
    assert_int_equal(store_portal_state(s, one, T0, today, &st), E_OK);
    assert_false(st.has_account);
    assert_false(st.invite_pending);
    assert_int_equal(store_portal_revoke(s, one, T0, admin, &rev), E_CONFLICT);
    assert_int_equal(store_portal_invite(s, one, hash_of('4'), T0, today, admin, &inv), E_OK);
    assert_int_equal(store_portal_invite(s, two, hash_of('5'), T0, today, admin, &inv), E_OK);
    assert_int_equal(store_portal_state(s, one, T0, today, &st), E_OK);
    assert_true(st.invite_pending);
    assert_int_equal(
        store_portal_accept(s, hash_of('4'), T0, today, "Uma.Lee", "h1", &acc, &account), E_OK);
    /* Another patient cannot take the username, whatever its case; nothing is used up. */
    assert_int_equal(
        store_portal_accept(s, hash_of('5'), T0, today, "uma.lee", "h2", &acc, &account),
        E_CONFLICT);
    assert_int_equal(
        store_portal_invite_find(s, hash_of('5'), T0, today, &(struct portal_invitee){ 0 }), E_OK);
    assert_int_equal(store_portal_account_get(s, "UMA.LEE", today, &a), E_OK);
    assert_string_equal(a.patient_id, one);
    assert_true(a.open);
    assert_int_equal(
        store_portal_session_add(s, a.id, hash_of('6'), hash_of('7'), true, "1.2.3.4", T0, &sid),
        E_OK);
    assert_int_equal(store_portal_session_get(s, hash_of('6'), today, &ps), E_OK);
    assert_true(ps.shared);
    assert_true(ps.open);
    assert_string_equal(ps.first_name, "Uma");
    assert_int_equal(ps.patient, r1);
    /* Revoked: sessions gone, the account closed, revoking again is a conflict. */
    assert_int_equal(store_portal_revoke(s, one, T0 + 5, admin, &rev), E_OK);
    assert_int_equal(store_portal_session_get(s, hash_of('6'), today, &ps), E_NOTFOUND);
    assert_int_equal(store_portal_account_get(s, "uma.lee", today, &a), E_OK);
    assert_false(a.open);
    assert_int_equal(store_portal_revoke(s, one, T0 + 6, admin, &rev), E_CONFLICT);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'revoke'"), 1);
    /* A new invitation accepted lifts the revocation. */
    assert_int_equal(store_portal_invite(s, one, hash_of('8'), T0 + 10, today, admin, &inv), E_OK);
    assert_int_equal(
        store_portal_accept(s, hash_of('8'), T0 + 10, today, "uma2", "h3", &acc, &account), E_OK);
    assert_int_equal(store_portal_account_get(s, "uma2", today, &a), E_OK);
    assert_true(a.open);
    assert_int_equal(store_portal_account_get(s, "uma.lee", today, &a), E_NOTFOUND);
    /* Revoking withdraws an invitation not yet accepted. */
    assert_int_equal(store_portal_revoke(s, two, T0 + 11, admin, &rev), E_OK);
    assert_int_equal(
        store_portal_invite_find(s, hash_of('5'), T0 + 12, today, &(struct portal_invitee){ 0 }),
        E_GONE);
}

static void test_aftercare(void **state)
{
    struct audit_entry inv = entry("invite");
    struct admissions_status_change c = { .from = "active",
                                          .to = "discharged",
                                          .discharge_date = "2026-04-27",
                                          .discharge_reason = "completed" };
    struct portal_invitee who;
    char pid[33];
    long row;
    (void)state;

    patient("Wes", pid, &row);
    assert_int_equal(store_portal_invite(s, pid, hash_of('a'), T0, today, admin, &inv), E_OK);
    assert_int_equal(store_adm_patient_set_status(s, pid, &c, admin, NULL), E_OK);
    /* Discharged 31 days ago with 30 days of aftercare: no invitation opens, none is made. */
    assert_int_equal(store_portal_invite_find(s, hash_of('a'), T0, today, &who), E_GONE);
    assert_int_equal(store_portal_invite(s, pid, hash_of('b'), T0, today, admin, &inv), E_CONFLICT);
    assert_int_equal(store_setting_set(s, "portal_aftercare_days", "31"), E_OK);
    assert_int_equal(store_portal_invite_find(s, hash_of('a'), T0, today, &who), E_OK);
    assert_int_equal(store_setting_set(s, "portal_aftercare_days", "30"), E_OK);
}

static void test_failures(void **state)
{
    struct audit_entry inv = entry("invite"), acc = entry("accept"), lock = entry("lockout");
    struct portal_account a;
    char pid[33];
    long row, account;
    int n = 0;
    (void)state;

    patient("Xan", pid, &row);
    assert_int_equal(store_portal_invite(s, pid, hash_of('c'), T0, today, admin, &inv), E_OK);
    assert_int_equal(store_portal_accept(s, hash_of('c'), T0, today, "xan", "h", &acc, &account),
                     E_OK);
    for (int i = 1; i <= 3; i++) {
        assert_int_equal(store_portal_fail(s, account, &n), E_OK);
        assert_int_equal(n, i);
    }
    assert_int_equal(store_portal_lock(s, account, T0 + 60, &lock), E_OK);
    assert_int_equal(store_portal_account_get(s, "xan", today, &a), E_OK);
    assert_int_equal(a.locked_until, T0 + 60);
    assert_int_equal(store_portal_clear(s, account), E_OK);
    assert_int_equal(store_portal_account_get(s, "xan", today, &a), E_OK);
    assert_int_equal(a.locked_until, 0);
    assert_int_equal(store_portal_fail(s, account, &n), E_OK);
    assert_int_equal(n, 1);
}

static void test_checkins(void **state)
{
    struct audit_entry add = entry("create");
    json_t *triggers = json_pack("[s, s]", "Stress", "Places"), *list = NULL;
    struct portal_checkin c = { .day = "2026-05-28",
                                .craving = 8,
                                .confidence = 4,
                                .mood = "low",
                                .sleep = "poor",
                                .used = "yes",
                                .triggers = triggers,
                                .note = NULL };
    char one[33], two[33], id[33], name[128];
    long r1, r2;
    (void)state;

    patient("Yan", one, &r1);
    patient("Zoe", two, &r2);
    assert_int_equal(store_portal_checkin_add(s, r1, &c, "Use reported", "Craving 8", &add, id),
                     E_OK);
    assert_int_equal(count("SELECT count(*) FROM clinical_alerts WHERE kind = 'checkin-used'"), 1);
    assert_int_equal(count("SELECT count(*) FROM clinical_alerts WHERE kind = 'checkin-craving'"),
                     1);
    c.used = "no";
    c.craving = 2;
    c.note = "Better.";
    assert_int_equal(store_portal_checkin_add(s, r1, &c, NULL, NULL, &add, id), E_OK);
    /* A value the schema refuses: nothing lands, no alert, no entry. */
    c.mood = "ecstatic";
    assert_int_equal(store_portal_checkin_add(s, r1, &c, "Use", NULL, &add, id), E_INVALID);
    assert_int_equal(count("SELECT count(*) FROM checkins"), 2);
    assert_int_equal(count("SELECT count(*) FROM clinical_alerts"), 2);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'create' AND"
                           " record_type = 'portal'"),
                     2);
    assert_int_equal(store_portal_checkins(s, r1, 10, &list), E_OK);
    assert_int_equal(json_array_size(list), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "id")), id);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "note")),
                        "Better.");
    assert_true(json_is_null(json_object_get(json_array_get(list, 1), "note")));
    assert_int_equal(json_array_size(json_object_get(json_array_get(list, 1), "triggers")), 2);
    json_decref(list);
    assert_int_equal(store_portal_checkins(s, r2, 10, &list), E_OK);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    assert_int_equal(store_portal_counsellor(s, r1, name, sizeof(name)), E_OK);
    assert_string_equal(name, "Casey Counsellor");
    json_decref(triggers);
}

/* ---- the optional second factor (portal_second_factor.c, migration 0030) ---- */

#define SEALED                                                                                     \
    "s1:"                                                                                          \
    "000000000000000000000000000000000000000000000000000000000000"                                 \
    "000000000000000000000000000000000000000000000000000000000000"

/* A token hash no other test uses (the tables keep them unique): 64 hex digits of a count. */
static const char *fresh_hash(void)
{
    static char h[16][65];
    static unsigned n;
    char *out = h[n % 16];

    snprintf(out, 65, "%064x", 0xf00du + n++);
    return out;
}

/* A patient with an accepted invitation: its public id, patients.id and account id. */
static long account_of(const char *first, const char *username, char pid[33], long *row)
{
    struct audit_entry inv = entry("invite"), acc = entry("accept");
    const char *token = fresh_hash();
    long account = 0;

    patient(first, pid, row);
    assert_int_equal(store_portal_invite(s, pid, token, T0, today, admin, &inv), E_OK);
    assert_int_equal(
        store_portal_accept(s, token, T0, today, username, "$argon2id$x", &acc, &account), E_OK);
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
    long row, account = account_of("Flo", "flo.t", pid, &row);
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
    long row, row2, account = account_of("Gil", "gil.t", pid, &row);
    long account2 = account_of("Hal", "hal.t", other, &row2);
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
    long row, account = account_of("Ivy", "ivy.t", pid, &row);
    const char *wait = fresh_hash(), *csrf_a = fresh_hash(), *session = fresh_hash(),
               *csrf_b = fresh_hash();
    (void)state;

    assert_int_equal(store_portal_factor_disable(s, account, &off), E_CONFLICT);
    assert_int_equal(store_portal_factor_reset(s, pid, &reset), E_CONFLICT);
    assert_int_equal(store_portal_factor_enable(s, account, SEALED, 5, codes, 2, &on), E_OK);
    assert_int_equal(store_portal_pending_add(s, account, wait, csrf_a, true, "-", T0), E_OK);
    assert_int_equal(store_portal_factor_disable(s, account, &off), E_OK);
    assert_int_equal(store_portal_factor_get(s, row, &f), E_OK);
    assert_false(f.enabled);
    assert_string_equal(f.sealed, "");
    assert_int_equal(f.recovery_left, 0);
    assert_int_equal(store_portal_pending_get(s, wait, today, &w), E_NOTFOUND);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'portal-2fa-off'"), 1);

    /* Staff reset: the factor, codes and sessions go, with the entry naming the patient. */
    assert_int_equal(store_portal_factor_enable(s, account, SEALED, 6, codes, 2, &on), E_OK);
    assert_int_equal(store_portal_session_add(s, account, session, csrf_b, false, "-", T0, &sid),
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
    long row, row2, account = account_of("Jo", "jo.t", pid, &row);
    long account2 = account_of("Kit", "kit.t", other, &row2);
    const char *wait = fresh_hash(), *csrf = fresh_hash(), *other_wait = fresh_hash(),
               *other_csrf = fresh_hash();
    (void)state;

    assert_int_equal(store_portal_factor_enable(s, account, SEALED, 5, codes, 2, &on), E_OK);
    assert_int_equal(store_portal_pending_add(s, account, wait, csrf, true, "10.0.0.1", T0), E_OK);
    assert_int_equal(store_portal_pending_add(s, account2, other_wait, other_csrf, false, NULL, T0),
                     E_OK);
    assert_int_equal(store_portal_pending_get(s, wait, today, &w), E_OK);
    assert_int_equal(w.account, account);
    assert_int_equal(w.patient, row);
    assert_string_equal(w.patient_id, pid);
    assert_string_equal(w.csrf, csrf);
    assert_true(w.shared);
    assert_int_equal(w.created, T0);
    assert_true(w.open);
    assert_true(w.factor);
    assert_string_equal(w.sealed, SEALED);
    /* Not a session. */
    assert_int_equal(store_portal_session_get(s, wait, today, &ps), E_NOTFOUND);
    /* Ending the account's ends only its own. */
    assert_int_equal(store_portal_pending_end(s, 0, account), E_OK);
    assert_int_equal(store_portal_pending_get(s, wait, today, &w), E_NOTFOUND);
    assert_int_equal(store_portal_pending_get(s, other_wait, today, &w), E_OK);
    assert_false(w.factor);
    assert_int_equal(store_portal_pending_end(s, w.id, 0), E_OK);
    assert_int_equal(store_portal_pending_get(s, other_wait, today, &w), E_NOTFOUND);
    /* A new one clears the account's abandoned ones (5 minutes old), not younger ones. */
    assert_int_equal(store_portal_pending_add(s, account, wait, csrf, false, "-", T0), E_OK);
    assert_int_equal(store_portal_pending_add(s, account, other_wait, csrf, false, "-",
                                              T0 + PORTAL_PENDING_SECONDS - 1),
                     E_OK);
    assert_int_equal(store_portal_pending_get(s, wait, today, &w), E_OK);
    assert_int_equal(store_portal_pending_add(s, account, other_csrf, csrf, false, "-",
                                              T0 + PORTAL_PENDING_SECONDS),
                     E_OK);
    assert_int_equal(store_portal_pending_get(s, wait, today, &w), E_NOTFOUND);
    assert_int_equal(store_portal_pending_get(s, other_wait, today, &w), E_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_access_rule),    cmocka_unit_test(test_session_limits),
        cmocka_unit_test(test_invitations),    cmocka_unit_test(test_accept_and_revoke),
        cmocka_unit_test(test_aftercare),      cmocka_unit_test(test_failures),
        cmocka_unit_test(test_checkins),       cmocka_unit_test(test_enable),
        cmocka_unit_test(test_recovery_codes), cmocka_unit_test(test_disable_and_reset),
        cmocka_unit_test(test_pending),
    };
    return cmocka_run_group_tests_name("portal", tests, setup, teardown);
}
