/* Unit tests for the rules of a clinical note (domain/note.h): which parts each form needs
 * before signing, the kinds and their forms, the section's choices, the lock after signing
 * (a signed note, a signed section, an addendum), the due time on the clinic's wall clock
 * (both sides of the moment, across a daylight-saving change in America/Chicago, the setting's
 * bounds) and completion with a co-signature. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/note.h"

static void test_forms_and_parts(void **state)
{
    const char *all[NOTE_PARTS] = {"t", "i", "s", "p"};
    const char *group[NOTE_PARTS] = {"Coping skills", "CBT", "", NULL};
    const char *dap[NOTE_PARTS] = {"d", NULL, "p", NULL};
    const char *birp3[NOTE_PARTS] = {"b", "i", "r", NULL};
    (void)state;
    assert_int_equal(note_form_parse("group"), NOTE_FORM_GROUP);
    assert_int_equal(note_form_parse("birp"), NOTE_FORM_BIRP);
    assert_int_equal(note_form_parse("soap"), NOTE_FORM_NONE);
    assert_int_equal(note_form_parse(NULL), NOTE_FORM_NONE);
    assert_int_equal(note_form_parts(NOTE_FORM_GROUP), 3);
    assert_int_equal(note_form_parts(NOTE_FORM_DAP), 3);
    assert_int_equal(note_form_parts(NOTE_FORM_BIRP), 4);
    assert_string_equal(note_part_label(NOTE_FORM_GROUP, 0), "Topic");
    assert_string_equal(note_part_label(NOTE_FORM_DAP, 1), "Assessment");
    assert_string_equal(note_part_label(NOTE_FORM_BIRP, 3), "Plan");
    assert_null(note_part_label(NOTE_FORM_DAP, 3));
    assert_string_equal(note_part_field(3), "d");
    assert_null(note_part_field(4));
    /* Every part of the form, and only those, must hold text before signing. */
    assert_int_equal(note_missing_part(NOTE_FORM_GROUP, all), -1);
    assert_int_equal(note_missing_part(NOTE_FORM_GROUP, group), 2); /* "" is missing */
    assert_int_equal(note_missing_part(NOTE_FORM_DAP, dap), 1);     /* NULL is missing */
    assert_int_equal(note_missing_part(NOTE_FORM_DAP, birp3), -1);  /* d is not DAP's */
    assert_int_equal(note_missing_part(NOTE_FORM_BIRP, birp3), 3);  /* but BIRP's plan */
}

static void test_kinds(void **state)
{
    (void)state;
    assert_true(note_kind_form_ok("group", "group"));
    assert_false(note_kind_form_ok("group", "dap"));
    assert_true(note_kind_form_ok("individual", "dap"));
    assert_true(note_kind_form_ok("family", "birp"));
    assert_true(note_kind_form_ok("medication", "dap"));
    assert_false(note_kind_form_ok("individual", "group"));
    assert_false(note_kind_form_ok("workshop", "dap"));
    assert_false(note_kind_form_ok(NULL, "dap"));
    assert_true(note_kind_individual("family"));
    assert_false(note_kind_individual("group"));
}

static void test_choices(void **state)
{
    (void)state;
    assert_string_equal(note_participation_at(0), "active");
    assert_string_equal(note_participation_at(4), "disruptive");
    assert_null(note_participation_at(5));
    assert_true(note_participation_ok("withdrawn"));
    assert_false(note_participation_ok("Active"));
    assert_false(note_participation_ok(NULL));
    assert_string_equal(note_progress_label("no-change"), "No change");
    assert_true(note_progress_ok("regressing"));
    assert_false(note_progress_ok("worse"));
    assert_null(note_progress_at(4));
    assert_true(note_risk_ok("none"));
    assert_true(note_risk_ok("concern"));
    assert_false(note_risk_ok("urgent"));
}

static void test_lock(void **state)
{
    (void)state;
    /* A draft changes freely. */
    assert_int_equal(note_may_write(false, true, false), E_OK);
    /* A signed note's shared part never changes; a new section may still be written. */
    assert_int_equal(note_may_write(true, true, false), E_CONFLICT);
    assert_int_equal(note_may_write(true, false, false), E_OK);
    /* A signed section never changes, signed note or not. */
    assert_int_equal(note_may_write(true, false, true), E_CONFLICT);
    assert_int_equal(note_may_write(false, false, true), E_CONFLICT);
    /* A section is signed on its own only after its note, and once. */
    assert_int_equal(note_may_sign_section(true, false), E_OK);
    assert_int_equal(note_may_sign_section(false, false), E_CONFLICT);
    assert_int_equal(note_may_sign_section(true, true), E_CONFLICT);
    /* An addendum cannot be edited once signed. */
    assert_false(note_addendum_editable(true));
    assert_true(note_addendum_editable(false));
}

static time_t utc(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
                    .tm_min = mi};
    return timegm(&tm);
}

static const struct referral_flow_clock clock_ = {localtime_r, mktime};

static void test_due(void **state)
{
    time_t due;
    (void)state;
    setenv("TZ", "America/Chicago", 1);
    tzset();
    /* A session ending 10:30 CST (16:30 UTC) on 2026-03-02, 24 hours: due 2026-03-03 16:30 UTC. */
    due = note_due_at("2026-03-02", "10:30", 24, &clock_);
    assert_true(due == utc(2026, 3, 3, 16, 30));
    assert_false(note_overdue(due, due));
    assert_true(note_overdue(due, due + 1));
    assert_false(note_overdue(due, due - 1));
    /* Across the spring change (2026-03-08): the end is 10:30 CDT (15:30 UTC) that day. */
    assert_true(note_due_at("2026-03-08", "10:30", 0, &clock_) == utc(2026, 3, 8, 15, 30));
    assert_true(note_due_at("2026-03-07", "10:30", 24, &clock_) == utc(2026, 3, 8, 16, 30));
    assert_true(note_due_at("2026-02-30", "10:30", 24, &clock_) == (time_t)-1);
    assert_true(note_due_at("2026-03-02", "25:00", 24, &clock_) == (time_t)-1);
    /* The setting: 0..720 hours, else the default. */
    assert_int_equal(note_due_hours(NULL), 24);
    assert_int_equal(note_due_hours("48"), 48);
    assert_int_equal(note_due_hours("0"), 0);
    assert_int_equal(note_due_hours("720"), 720);
    assert_int_equal(note_due_hours("721"), 24);
    assert_int_equal(note_due_hours("-1"), 24);
    assert_int_equal(note_due_hours("12h"), 24);
}

static void test_completion(void **state)
{
    (void)state;
    assert_int_equal(note_state(false, false, false), NOTE_DRAFT);
    assert_int_equal(note_state(true, false, false), NOTE_COMPLETE);
    assert_int_equal(note_state(true, true, false), NOTE_AWAITING_COSIGN);
    assert_int_equal(note_state(true, true, true), NOTE_COMPLETE);
    assert_string_equal(note_state_name(NOTE_AWAITING_COSIGN), "awaiting-cosign");
    /* Only the signer's named supervisor co-signs; nobody when none is named. */
    assert_true(note_may_cosign(5, 9, 9));
    assert_false(note_may_cosign(5, 9, 7));
    assert_false(note_may_cosign(5, 0, 7));
    assert_false(note_may_cosign(5, 5, 5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms_and_parts), cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_choices),         cmocka_unit_test(test_lock),
        cmocka_unit_test(test_due),             cmocka_unit_test(test_completion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
