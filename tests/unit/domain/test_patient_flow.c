/* test_patient_flow: every allowed and every refused status change of a patient, for every
 * role; what a discharge needs (date on both sides of today and of the admission, every reason,
 * the note of "other"); re-activation only by a clinician or admin with a reason; the note's
 * limit on both sides of 500 characters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/utf8.h"
#include "domain/patient_flow.h"

#define ADMITTED "2024-03-04"
#define TODAY "2024-06-10"

static const unsigned all_roles[] = {ROLE_ADMIN,   ROLE_CLINICIAN, ROLE_ADMISSIONS,
                                     ROLE_MEDICAL, ROLE_BILLING,   ROLE_AUDITOR};

/* A change with everything any transition could need, filled in correctly. */
static struct patient_flow_change full(enum patient_status from, enum patient_status to,
                                       unsigned roles)
{
    return (struct patient_flow_change){.from = from, .to = to, .roles = roles,
                                        .discharge_date = TODAY, .discharge_reason = "completed",
                                        .note = "Agreed with the team", .admission_date = ADMITTED,
                                        .today = TODAY};
}

static void test_status_names(void **state)
{
    enum patient_status s;
    (void)state;
    for (int i = 0; i < PATIENT_N_STATUS; i++) {
        assert_int_equal(patient_flow_status_parse(patient_flow_status_name(i), &s), E_OK);
        assert_int_equal(s, i);
        assert_non_null(patient_flow_status_label(i));
    }
    assert_string_equal(patient_flow_status_name(PATIENT_ON_HOLD), "on-hold");
    assert_string_equal(patient_flow_status_label(PATIENT_ON_HOLD), "On hold");
    assert_int_equal(patient_flow_status_parse("admitted", &s), E_INVALID);
    assert_int_equal(patient_flow_status_parse(NULL, &s), E_INVALID);
    assert_null(patient_flow_status_name(PATIENT_N_STATUS));
    assert_null(patient_flow_status_label(PATIENT_N_STATUS));
}

/* expected[from][to]: 0 no such change, 1 any editing role, 2 clinician or admin only. */
static const int table[PATIENT_N_STATUS][PATIENT_N_STATUS] = {
    /*                      active on-hold discharged */
    [PATIENT_ACTIVE] = {0, 1, 1},
    [PATIENT_ON_HOLD] = {1, 0, 1},
    [PATIENT_DISCHARGED] = {2, 0, 0},
};

static void test_every_transition_every_role(void **state)
{
    (void)state;
    for (int f = 0; f < PATIENT_N_STATUS; f++) {
        for (int t = 0; t < PATIENT_N_STATUS; t++) {
            assert_int_equal(patient_flow_exists(f, t), table[f][t] != 0);
            for (size_t k = 0; k < sizeof(all_roles) / sizeof(all_roles[0]); k++) {
                unsigned role = all_roles[k];
                struct patient_flow_change c = full(f, t, role);
                unsigned want;
                if (!table[f][t])
                    want = PATIENT_FLOW_NO_TRANSITION;
                else if (role & (table[f][t] == 2 ? PATIENT_REACTIVATE_ROLES : PATIENT_EDIT_ROLES))
                    want = 0;
                else
                    want = PATIENT_FLOW_ROLE;
                assert_int_equal(patient_flow_check(&c), want);
            }
        }
    }
}

static void test_several_roles(void **state)
{
    struct patient_flow_change c = full(PATIENT_DISCHARGED, PATIENT_ACTIVE,
                                        ROLE_BILLING | ROLE_CLINICIAN);
    (void)state;
    assert_int_equal(patient_flow_check(&c), 0);
    c.roles = ROLE_ADMISSIONS | ROLE_MEDICAL;
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_ROLE);
    c.roles = 0;
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_ROLE);
}

static void test_next(void **state)
{
    enum patient_status out[4];
    (void)state;
    assert_int_equal(patient_flow_next(PATIENT_ACTIVE, ROLE_ADMISSIONS, out, 4), 2);
    assert_int_equal(out[0], PATIENT_ON_HOLD);
    assert_int_equal(out[1], PATIENT_DISCHARGED);
    assert_int_equal(patient_flow_next(PATIENT_ON_HOLD, ROLE_MEDICAL, out, 4), 2);
    assert_int_equal(out[0], PATIENT_ACTIVE);
    assert_int_equal(out[1], PATIENT_DISCHARGED);
    assert_int_equal(patient_flow_next(PATIENT_DISCHARGED, ROLE_ADMISSIONS, out, 4), 0);
    assert_int_equal(patient_flow_next(PATIENT_DISCHARGED, ROLE_MEDICAL, out, 4), 0);
    assert_int_equal(patient_flow_next(PATIENT_DISCHARGED, ROLE_CLINICIAN, out, 4), 1);
    assert_int_equal(out[0], PATIENT_ACTIVE);
    assert_int_equal(patient_flow_next(PATIENT_DISCHARGED, ROLE_ADMIN, out, 4), 1);
    assert_int_equal(patient_flow_next(PATIENT_ACTIVE, ROLE_BILLING, out, 4), 0);
    assert_int_equal(patient_flow_next(PATIENT_ACTIVE, ROLE_AUDITOR, out, 4), 0);
    /* n smaller than the count: the count, and no write past n */
    assert_int_equal(patient_flow_next(PATIENT_ACTIVE, ROLE_ADMIN, out, 1), 2);
}

static void test_hold_and_back_need_nothing(void **state)
{
    struct patient_flow_change c = {.from = PATIENT_ACTIVE, .to = PATIENT_ON_HOLD,
                                    .roles = ROLE_ADMISSIONS, .today = TODAY,
                                    .admission_date = ADMITTED};
    (void)state;
    assert_int_equal(patient_flow_check(&c), 0);
    c.from = PATIENT_ON_HOLD, c.to = PATIENT_ACTIVE;
    assert_int_equal(patient_flow_check(&c), 0);
    /* discharge fields are not read for other changes, even when wrong */
    c.discharge_date = "nonsense", c.discharge_reason = "nonsense";
    assert_int_equal(patient_flow_check(&c), 0);
}

static void test_discharge_every_reason(void **state)
{
    size_t n = 0;
    (void)state;
    for (size_t i = 0; patient_flow_discharge_reason(i); i++, n++) {
        const char *code = patient_flow_discharge_reason(i);
        struct patient_flow_change c = full(PATIENT_ACTIVE, PATIENT_DISCHARGED, ROLE_MEDICAL);
        assert_non_null(patient_flow_discharge_reason_label(code));
        c.discharge_reason = code;
        c.note = NULL;
        assert_int_equal(patient_flow_check(&c),
                         strcmp(code, "other") == 0 ? PATIENT_FLOW_NEED_NOTE : 0);
        assert_int_equal(patient_flow_discharge_reason_needs_note(code),
                         strcmp(code, "other") == 0);
        c.note = "Moved to another state";
        assert_int_equal(patient_flow_check(&c), 0);
    }
    assert_int_equal(n, 6);
    assert_string_equal(patient_flow_discharge_reason_label("against-advice"),
                        "Left against advice");
    assert_null(patient_flow_discharge_reason_label("expelled"));
    assert_null(patient_flow_discharge_reason_label(NULL));
    assert_false(patient_flow_discharge_reason_needs_note(NULL));
}

static void test_discharge_reason_missing_or_unknown(void **state)
{
    struct patient_flow_change c = full(PATIENT_ON_HOLD, PATIENT_DISCHARGED, ROLE_ADMIN);
    (void)state;
    c.discharge_reason = NULL;
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_NEED_REASON);
    c.discharge_reason = "";
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_NEED_REASON);
    c.discharge_reason = "expelled";
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_UNKNOWN_REASON);
    c.discharge_reason = "other", c.note = "";
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_NEED_NOTE);
}

static void test_discharge_date_both_sides(void **state)
{
    struct patient_flow_change c = full(PATIENT_ACTIVE, PATIENT_DISCHARGED, ROLE_CLINICIAN);
    (void)state;
    c.discharge_date = TODAY; /* today: allowed */
    assert_int_equal(patient_flow_check(&c), 0);
    c.discharge_date = "2024-06-11"; /* tomorrow */
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_DATE_FUTURE);
    c.discharge_date = ADMITTED; /* the day of admission: allowed */
    assert_int_equal(patient_flow_check(&c), 0);
    c.discharge_date = "2024-03-03"; /* the day before */
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_DATE_EARLY);
    c.discharge_date = "2024-02-30";
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_BAD_DATE);
    c.discharge_date = "10/06/2024";
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_BAD_DATE);
    c.discharge_date = NULL;
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_NEED_DATE);
    c.discharge_date = "";
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_NEED_DATE);
}

static void test_every_problem_at_once(void **state)
{
    struct patient_flow_change c = full(PATIENT_ACTIVE, PATIENT_DISCHARGED, ROLE_CLINICIAN);
    char long_note[PATIENT_NOTE_MAX + 2];
    (void)state;
    memset(long_note, 'x', sizeof(long_note) - 1);
    long_note[sizeof(long_note) - 1] = '\0';
    c.discharge_date = NULL, c.discharge_reason = "expelled", c.note = long_note;
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_NEED_DATE | PATIENT_FLOW_UNKNOWN_REASON |
                                                 PATIENT_FLOW_NOTE_TOO_LONG);
}

static void test_reactivation_needs_a_reason(void **state)
{
    struct patient_flow_change c = full(PATIENT_DISCHARGED, PATIENT_ACTIVE, ROLE_CLINICIAN);
    (void)state;
    assert_int_equal(patient_flow_check(&c), 0);
    c.note = NULL;
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_NEED_NOTE);
    c.note = "";
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_NEED_NOTE);
    /* the role is refused before the reason is asked for */
    c.roles = ROLE_ADMISSIONS;
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_ROLE);
    /* a discharged patient cannot be put on hold, nor discharged again */
    c = full(PATIENT_DISCHARGED, PATIENT_ON_HOLD, ROLE_ADMIN);
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_NO_TRANSITION);
    c = full(PATIENT_DISCHARGED, PATIENT_DISCHARGED, ROLE_ADMIN);
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_NO_TRANSITION);
}

static void test_note_limit_counts_characters(void **state)
{
    struct patient_flow_change c = full(PATIENT_ACTIVE, PATIENT_ON_HOLD, ROLE_ADMISSIONS);
    char note[PATIENT_NOTE_MAX * 2 + 3];
    (void)state;
    memset(note, 'a', PATIENT_NOTE_MAX);
    note[PATIENT_NOTE_MAX] = '\0';
    c.note = note;
    assert_int_equal(patient_flow_check(&c), 0); /* 500: allowed */
    note[PATIENT_NOTE_MAX] = 'a';
    note[PATIENT_NOTE_MAX + 1] = '\0';
    assert_int_equal(patient_flow_check(&c), PATIENT_FLOW_NOTE_TOO_LONG); /* 501 */
    /* 500 two-byte characters (1000 bytes) are 500 characters */
    for (size_t i = 0; i < PATIENT_NOTE_MAX; i++)
        note[2 * i] = (char)0xc3, note[2 * i + 1] = (char)0xa9; /* é */
    note[2 * PATIENT_NOTE_MAX] = '\0';
    assert_int_equal(utf8_length(note), PATIENT_NOTE_MAX);
    assert_int_equal(patient_flow_check(&c), 0);
    assert_int_equal(utf8_length(NULL), 0);
    assert_int_equal(utf8_length("\xe2\x80\x99"), 1);
}

/* Revoking a consent: in writing or verbally, nothing else. */
static void test_revoke_how(void **state)
{
    (void)state;
    assert_string_equal(patient_flow_revoke_how(0), "in-writing");
    assert_string_equal(patient_flow_revoke_how(1), "verbally");
    assert_null(patient_flow_revoke_how(2));
    assert_string_equal(patient_flow_revoke_how_label("in-writing"), "In writing");
    assert_non_null(patient_flow_revoke_how_label("verbally"));
    assert_string_equal(patient_flow_revoke_how_words("verbally"), "verbally");
    assert_null(patient_flow_revoke_how_label("by-pigeon"));
    assert_null(patient_flow_revoke_how_label(""));
    assert_null(patient_flow_revoke_how_label(NULL));
    assert_null(patient_flow_revoke_how_words("In writing"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_every_transition_every_role),
        cmocka_unit_test(test_several_roles),
        cmocka_unit_test(test_next),
        cmocka_unit_test(test_hold_and_back_need_nothing),
        cmocka_unit_test(test_discharge_every_reason),
        cmocka_unit_test(test_discharge_reason_missing_or_unknown),
        cmocka_unit_test(test_discharge_date_both_sides),
        cmocka_unit_test(test_every_problem_at_once),
        cmocka_unit_test(test_reactivation_needs_a_reason),
        cmocka_unit_test(test_note_limit_counts_characters),
        cmocka_unit_test(test_revoke_how),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
