/* test_instruments: the questionnaire tables against spec §1-§2: ids, order, allowed values
 * and their scores, wording of the sources, and that every show_if parses and looks back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/cond.h"
#include "domain/instruments.h"

/* The option values of item `id`, joined with ',' (and the scores, for scored kinds). */
static const char *values_of(const char *id, int with_scores)
{
    static char out[256];
    const struct item *it = instruments_item(id);
    size_t i, len = 0;

    assert_non_null(it);
    out[0] = '\0';
    for (i = 0; i < it->n_options; i++) {
        if (with_scores)
            len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s=%d", i ? "," : "",
                                    it->options[i].value, it->options[i].score);
        else
            len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s", i ? "," : "",
                                    it->options[i].value);
    }
    return out;
}

static void test_section_order(void **state)
{
    static const char *const want[] = {"about", "audit", "assist", "health", "phq9",
                                       "gad7", "asq", "recovery", "home", "preferences"};
    size_t n, i;
    const struct section *s = instruments_sections(&n);
    (void)state;
    assert_int_equal(n, sizeof(want) / sizeof(want[0]));
    for (i = 0; i < n; i++) {
        assert_string_equal(s[i].id, want[i]);
        assert_non_null(s[i].title);
        assert_non_null(s[i].intro);
        assert_true(s[i].n_items > 0);
    }
}

static void test_instrument_sections_cite_sources(void **state)
{
    size_t n, i, j;
    const struct section *s = instruments_sections(&n);
    (void)state;
    for (i = 0; i < n; i++) {
        int any_instrument = 0;
        for (j = 0; j < s[i].n_items; j++)
            any_instrument |= s[i].items[j]->instrument != NULL;
        assert_int_equal(s[i].source != NULL, any_instrument);
    }
}

static void test_counts(void **state)
{
    size_t i, count[6] = {0};
    static const char *const inst[] = {"audit", "assist", "phq9", "gad7", "asq"};
    (void)state;
    for (i = 0; i < instruments_count(); i++) {
        const struct item *it = instruments_at(i);
        size_t k;
        for (k = 0; k < 5; k++)
            if (it->instrument && strcmp(it->instrument, inst[k]) == 0)
                count[k]++;
        if (!it->instrument)
            count[5]++;
    }
    assert_int_equal(count[0], 10);
    assert_int_equal(count[1], 8 * 7 + 1);
    assert_int_equal(count[2], 9);
    assert_int_equal(count[3], 7);
    assert_int_equal(count[4], 5);
    assert_int_equal(count[5], 21);
}

static void test_ids_unique_and_found(void **state)
{
    size_t i, j;
    (void)state;
    for (i = 0; i < instruments_count(); i++) {
        const struct item *it = instruments_at(i);
        assert_ptr_equal(instruments_item(it->id), it);
        assert_int_equal(instruments_find(it->id, strlen(it->id)), (long)i);
        for (j = 0; j < i; j++)
            assert_string_not_equal(instruments_at(j)->id, it->id);
    }
    assert_null(instruments_item("audit-11"));
    assert_null(instruments_item(""));
    assert_int_equal(instruments_find("audit-10x", 8), instruments_find("audit-10", 8));
    assert_null(instruments_at(instruments_count()));
}

static void test_audit_values(void **state)
{
    char id[32];
    int q;
    (void)state;
    for (q = 1; q <= 8; q++) {
        snprintf(id, sizeof(id), "audit-%d", q);
        assert_string_equal(values_of(id, 1), "0=0,1=1,2=2,3=3,4=4");
    }
    assert_string_equal(values_of("audit-9", 1), "0=0,2=2,4=4");
    assert_string_equal(values_of("audit-10", 1), "0=0,2=2,4=4");
    assert_string_equal(instruments_item("audit-1")->text,
                        "How often do you have a drink containing alcohol?");
    assert_string_equal(instruments_item("audit-3")->text,
                        "How often do you have six or more drinks on one occasion?");
    assert_string_equal(instruments_item("audit-1")->options[4].label, "4 or more times a week");
    assert_string_equal(instruments_item("audit-9")->options[2].label,
                        "Yes, during the last year");
}

static void test_assist_values(void **state)
{
    size_t s;
    char id[64];
    (void)state;
    for (s = 0; s < INSTRUMENTS_N_SUBSTANCES; s++) {
        const char *sub = instruments_substance(s);
        snprintf(id, sizeof(id), "assist-1-%s", sub);
        assert_int_equal(instruments_item(id)->kind, ITEM_BOOL);
        snprintf(id, sizeof(id), "assist-2-%s", sub);
        assert_string_equal(values_of(id, 1), "0=0,2=2,3=3,4=4,6=6");
        snprintf(id, sizeof(id), "assist-3-%s", sub);
        assert_string_equal(values_of(id, 1), "0=0,3=3,4=4,5=5,6=6");
        snprintf(id, sizeof(id), "assist-4-%s", sub);
        assert_string_equal(values_of(id, 1), "0=0,4=4,5=5,6=6,7=7");
        snprintf(id, sizeof(id), "assist-5-%s", sub);
        assert_string_equal(values_of(id, 1), "0=0,5=5,6=6,7=7,8=8");
        snprintf(id, sizeof(id), "assist-6-%s", sub);
        assert_string_equal(values_of(id, 1), "0=0,6=6,3=3");
        snprintf(id, sizeof(id), "assist-7-%s", sub);
        assert_string_equal(values_of(id, 1), "0=0,6=6,3=3");
    }
    assert_string_equal(values_of("assist-8", 1), "0=0,2=2,1=1");
    assert_string_equal(instruments_item("assist-6-opioids")->options[1].label,
                        "Yes, in the past 3 months");
    assert_string_equal(instruments_item("assist-2-cannabis")->text,
                        "In the past three months, how often have you used cannabis?");
    assert_string_equal(instruments_substance(0), "cannabis");
    assert_string_equal(instruments_substance(7), "other");
    assert_null(instruments_substance(8));
}

static void test_phq9_gad7_asq_values(void **state)
{
    char id[32];
    int q;
    (void)state;
    for (q = 1; q <= 9; q++) {
        snprintf(id, sizeof(id), "phq9-%d", q);
        assert_string_equal(values_of(id, 1), "0=0,1=1,2=2,3=3");
        assert_non_null(strstr(instruments_item(id)->hint,
                               "Over the last 2 weeks, how often have you been bothered by"));
    }
    for (q = 1; q <= 7; q++) {
        snprintf(id, sizeof(id), "gad7-%d", q);
        assert_string_equal(values_of(id, 1), "0=0,1=1,2=2,3=3");
    }
    assert_string_equal(instruments_item("gad7-1")->options[2].label, "More than half the days");
    assert_string_equal(instruments_item("phq9-9")->text,
                        "Thoughts that you would be better off dead or of hurting yourself in "
                        "some way");
    for (q = 1; q <= 5; q++) {
        snprintf(id, sizeof(id), "asq-%d", q);
        assert_string_equal(values_of(id, 1), "true=1,false=0");
    }
    assert_string_equal(instruments_item("asq-5")->text,
                        "Are you having thoughts of killing yourself right now?");
}

static void test_context_values(void **state)
{
    (void)state;
    assert_string_equal(values_of("about-age", 0), "under-18,18-25,26-34,35-49,50-64,65-plus");
    assert_string_equal(values_of("about-sex", 0), "female,male,other,prefer-not");
    assert_string_equal(values_of("wd-symptoms", 0), "none,mild,severe");
    assert_string_equal(values_of("wd-daily", 0), "alcohol,sedatives,opioids");
    assert_int_equal(instruments_item("wd-daily")->kind, ITEM_CODES);
    assert_string_equal(values_of("env-housing", 0), "stable,unstable,none");
    assert_string_equal(values_of("env-support", 0), "strong,some,none");
    assert_string_equal(values_of("env-obligations", 0), "work,school,children,caregiving");
    assert_int_equal(instruments_item("env-obligations")->kind, ITEM_CODES);
    assert_string_equal(values_of("pref-schedule", 0), "morning,evening,either");
    assert_string_equal(values_of("ready", 1),
                        "0=0,1=1,2=2,3=3,4=4,5=5,6=6,7=7,8=8,9=9,10=10");
    assert_string_equal(values_of("craving", 1),
                        "0=0,1=1,2=2,3=3,4=4,5=5,6=6,7=7,8=8,9=9,10=10");
    assert_int_equal(instruments_item("ready")->kind, ITEM_SCALE);
    assert_string_equal(values_of("wd-now", 1), "true=1,false=0");
}

static void test_every_bool_and_option_has_labels(void **state)
{
    size_t i, o;
    (void)state;
    for (i = 0; i < instruments_count(); i++) {
        const struct item *it = instruments_at(i);
        assert_non_null(it->text);
        assert_true(it->n_options > 0);
        for (o = 0; o < it->n_options; o++) {
            assert_non_null(it->options[o].label);
            assert_ptr_equal(instruments_option(it, it->options[o].value), &it->options[o]);
        }
        assert_null(instruments_option(it, "no-such-value"));
        if (it->kind == ITEM_BOOL) {
            assert_int_equal(it->n_options, 2);
            assert_string_equal(it->options[0].label, "Yes");
            assert_string_equal(it->options[1].label, "No");
        }
    }
}

static void test_show_if_parses_and_looks_back(void **state)
{
    size_t i, c;
    (void)state;
    for (i = 0; i < instruments_count(); i++) {
        struct cond cond;
        const struct item *it = instruments_at(i);
        if (cond_parse(it->show_if, &cond) != 0)
            fail_msg("%s: show_if does not parse: %s", it->id, it->show_if);
        for (c = 0; c < cond.n; c++)
            assert_true(cond.clause[c].item < i);
    }
}

static void test_show_if_strings(void **state)
{
    (void)state;
    assert_null(instruments_item("audit-1")->show_if);
    assert_string_equal(instruments_item("audit-2")->show_if, "audit-1!=0");
    assert_string_equal(instruments_item("audit-3")->show_if, "audit-1!=0");
    assert_string_equal(instruments_item("audit-4")->show_if, "audit-2!=0|audit-3!=0");
    assert_string_equal(instruments_item("audit-8")->show_if, "audit-2!=0|audit-3!=0");
    assert_null(instruments_item("audit-9")->show_if);
    assert_null(instruments_item("audit-10")->show_if);
    assert_null(instruments_item("assist-1-cocaine")->show_if);
    assert_string_equal(instruments_item("assist-2-cocaine")->show_if, "assist-1-cocaine=true");
    assert_string_equal(instruments_item("assist-3-cocaine")->show_if, "assist-2-cocaine!=0");
    assert_string_equal(instruments_item("assist-5-cocaine")->show_if, "assist-2-cocaine!=0");
    assert_string_equal(instruments_item("assist-6-cocaine")->show_if, "assist-1-cocaine=true");
    assert_string_equal(instruments_item("assist-7-cocaine")->show_if, "assist-1-cocaine=true");
    assert_non_null(strstr(instruments_item("assist-8")->show_if, "assist-1-other=true"));
    assert_string_equal(instruments_item("asq-5")->show_if,
                        "asq-1=true|asq-2=true|asq-3=true|asq-4=true");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_section_order),
        cmocka_unit_test(test_instrument_sections_cite_sources),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_ids_unique_and_found),
        cmocka_unit_test(test_audit_values),
        cmocka_unit_test(test_assist_values),
        cmocka_unit_test(test_phq9_gad7_asq_values),
        cmocka_unit_test(test_context_values),
        cmocka_unit_test(test_every_bool_and_option_has_labels),
        cmocka_unit_test(test_show_if_parses_and_looks_back),
        cmocka_unit_test(test_show_if_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
