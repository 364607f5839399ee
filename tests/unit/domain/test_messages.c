/* test_messages: every key the web layer and the result use exists, keys are unique, the
 * crisis texts carry what spec §6 says each flag must show, and formats fill in values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/bands.h"
#include "domain/instruments.h"
#include "domain/loc.h"
#include "domain/messages.h"

static void has(const char *key)
{
    const char *m = msg(key);
    if (!m || !*m)
        fail_msg("no message %s", key);
}

static void has_f(const char *fmt, const char *a)
{
    char key[128];
    snprintf(key, sizeof(key), fmt, a);
    has(key);
}

static void test_keys_unique_and_sorted(void **state)
{
    size_t i;
    (void)state;
    assert_true(msg_count() > 100);
    for (i = 1; i < msg_count(); i++)
        assert_true(strcmp(msg_key_at(i - 1), msg_key_at(i)) < 0);
    assert_null(msg_key_at(msg_count()));
    assert_null(msg("no.such.key"));
}

static void test_instrument_band_substance_severity_keys(void **state)
{
    static const char *const keys[] = {
        "instrument.audit.name", "instrument.audit_c.name", "instrument.assist.name",
        "instrument.phq9.name", "instrument.gad7.name", "instrument.asq.name",
        "band.audit.low-risk", "band.audit.hazardous", "band.audit.harmful",
        "band.audit.dependence", "band.assist.low", "band.assist.moderate", "band.assist.high",
        "band.phq9.minimal", "band.phq9.mild", "band.phq9.moderate",
        "band.phq9.moderately-severe", "band.phq9.severe", "band.gad7.minimal", "band.gad7.mild",
        "band.gad7.moderate", "band.gad7.severe", "band.asq.none", "band.asq.non-acute",
        "band.asq.acute", "severity.none", "severity.low", "severity.moderate", "severity.high",
        "note.audit-c-cutoff"};
    size_t i;
    int s;
    (void)state;
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        has(keys[i]);
    for (i = 0; i < INSTRUMENTS_N_SUBSTANCES; i++)
        has_f("substance.%s", instruments_substance(i));
    for (s = 0; s <= 40; s++) {
        has_f("band.audit.%s", bands_audit(s)->name);
        has_f("band-short.audit.%s", bands_audit(s)->name);
        has_f("band.assist.%s", bands_assist(s)->name);
        has_f("band.phq9.%s", bands_phq9(s)->name);
        has_f("band-short.phq9.%s", bands_phq9(s)->name);
        has_f("band.gad7.%s", bands_gad7(s)->name);
        has_f("band-short.gad7.%s", bands_gad7(s)->name);
    }
    assert_string_equal(msg("band.audit.dependence"), "Zone 4: possible dependence");
}

static void test_level_keys(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; loc_level_name(i); i++) {
        has_f("level.%s.title", loc_level_name(i));
        has_f("level.%s.summary", loc_level_name(i));
        has_f("level.%s.next", loc_level_name(i));
    }
    assert_int_equal(i, 8);
    assert_string_equal(msg("level.iop.title"), "Intensive Outpatient Program (IOP)");
    assert_non_null(strstr(msg("level.emergency.next"), "911"));
    assert_non_null(strstr(msg("level.emergency.next"), "emergency room"));
    assert_non_null(strstr(msg("level.iop.summary"), "live at home"));
}

static void test_flag_keys_and_contents(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; loc_flag_name(i); i++) {
        has_f("flag.%s.title", loc_flag_name(i));
        has_f("flag.%s.body", loc_flag_name(i));
    }
    assert_int_equal(i, 9);
    assert_non_null(strstr(msg("flag.suicide-acute.body"), "988"));
    assert_non_null(strstr(msg("flag.suicide-acute.body"), "press 1 for the Veterans Crisis"));
    assert_non_null(strstr(msg("flag.suicide-acute.body"), "911"));
    assert_non_null(strstr(msg("flag.suicide-risk.body"), "988"));
    assert_non_null(strstr(msg("flag.suicide-risk.body"), "clinician"));
    assert_non_null(strstr(msg("flag.withdrawal-danger.body"), "medical supervision"));
    assert_non_null(strstr(msg("flag.overdose-risk.body"), "naloxone"));
    assert_non_null(strstr(msg("flag.overdose-risk.body"), "without a prescription"));
    assert_non_null(strstr(msg("flag.overdose-risk.body"), "Never use alone"));
    assert_non_null(strstr(msg("flag.overdose-risk.body"), "tolerance drops"));
    assert_non_null(strstr(msg("flag.injection.body"), "tested"));
    assert_non_null(strstr(msg("flag.injection.body"), "Harm-reduction"));
    assert_non_null(strstr(msg("flag.adolescent.body"), "not the right fit"));
}

static void test_dimension_keys(void **state)
{
    char key[32];
    int d;
    (void)state;
    for (d = 1; d <= 6; d++) {
        snprintf(key, sizeof(key), "dimension.%d.name", d);
        has(key);
    }
    assert_string_equal(msg("dimension.1.name"), "Acute intoxication and/or withdrawal potential");
    assert_string_equal(msg("dimension.6.name"), "Recovery/living environment");
}

static void test_format(void **state)
{
    char out[128];
    (void)state;
    assert_string_equal(msg_format(out, sizeof(out), "reason.audit-zone", 23, 4,
                                   "possible dependence"),
                        "AUDIT score 23: zone 4, possible dependence");
    assert_string_equal(msg_format(out, sizeof(out), "no.such.key"), "no.such.key");
    assert_string_equal(msg_format(out, 6, "reason.audit-zone", 23, 4, "x"), "AUDIT");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_unique_and_sorted),
        cmocka_unit_test(test_instrument_band_substance_severity_keys),
        cmocka_unit_test(test_level_keys),
        cmocka_unit_test(test_flag_keys_and_contents),
        cmocka_unit_test(test_dimension_keys),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
