/* test_questionnaire: the FHIR Questionnaire built from the instrument tables: every skip rule
 * said with "=" only and meaning what show_if means, required exactly on instrument items,
 * LOINC codes from fhir/loinc.c on the right items and groups, the rulers as integers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "domain/cond.h"
#include "domain/instruments.h"
#include "fhir/loinc.h"
#include "fhir/questionnaire.h"

static json_t *q;

static int setup(void **state)
{
    (void)state;
    q = fhir_questionnaire_build();
    return q ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    json_decref(q);
    return 0;
}

static json_t *find_in(json_t *items, const char *link)
{
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i), *sub;
        if (!strcmp(json_string_value(json_object_get(it, "linkId")), link))
            return it;
        if ((sub = find_in(json_object_get(it, "item"), link)))
            return sub;
    }
    return NULL;
}

static json_t *find(const char *link)
{
    json_t *it = find_in(json_object_get(q, "item"), link);
    if (!it)
        fail_msg("no item %s", link);
    return it;
}

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The enableWhen clauses of an item as "question=value" strings joined with ',', in order. */
static const char *clauses(const char *id)
{
    static char out[1024];
    json_t *ew = json_object_get(find(id), "enableWhen");
    size_t len = 0;

    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(ew); i++) {
        json_t *c = json_array_get(ew, i), *v;
        const char *value = (v = json_object_get(c, "answerCoding"))            ? str(v, "code")
                            : json_is_true(json_object_get(c, "answerBoolean")) ? "true"
                                                                                : "false";
        assert_string_equal(str(c, "operator"), "=");
        len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s=%s", i ? "," : "",
                                str(c, "question"), value);
    }
    return out;
}

static void test_every_item_once(void **state)
{
    (void)state;
    assert_string_equal(str(q, "resourceType"), "Questionnaire");
    assert_string_equal(str(q, "id"), "haven-assessment-1");
    for (size_t i = 0; i < instruments_count(); i++)
        assert_non_null(find(instruments_at(i)->id));
}

static void test_enable_when_positive(void **state)
{
    (void)state;
    assert_string_equal(clauses("audit-2"), "audit-1=1,audit-1=2,audit-1=3,audit-1=4");
    assert_string_equal(str(find("audit-2"), "enableBehavior"), "any");
    assert_string_equal(clauses("audit-4"), "audit-2=1,audit-2=2,audit-2=3,audit-2=4,"
                                            "audit-3=1,audit-3=2,audit-3=3,audit-3=4");
    assert_string_equal(clauses("assist-3-opioids"),
                        "assist-2-opioids=2,assist-2-opioids=3,assist-2-opioids=4,"
                        "assist-2-opioids=6");
    assert_string_equal(clauses("assist-2-opioids"), "assist-1-opioids=true");
    assert_null(json_object_get(find("assist-2-opioids"), "enableBehavior"));
    assert_string_equal(clauses("asq-5"), "asq-1=true,asq-2=true,asq-3=true,asq-4=true");
    assert_null(json_object_get(find("audit-9"), "enableWhen"));
}

/* Generic: each "!=" clause of a show_if became "=" on every other value of its item, each "="
 * clause stayed; so the number of clauses is known from the tables. */
static void test_every_rule_expanded(void **state)
{
    size_t rules = 0, negs = 0;
    (void)state;
    for (size_t i = 0; i < instruments_count(); i++) {
        const struct item *it = instruments_at(i);
        struct cond c;
        size_t want = 0;
        assert_int_equal(cond_parse(it->show_if, &c), 0);
        for (size_t k = 0; k < c.n; k++) {
            const struct item *dep = instruments_at(c.clause[k].item);
            want += c.clause[k].neg ? dep->n_options - 1 : 1;
            negs += c.clause[k].neg;
        }
        assert_int_equal(json_array_size(json_object_get(find(it->id), "enableWhen")), want);
        rules += c.n > 0;
    }
    assert_true(rules > 30);
    assert_true(negs >= 31); /* the rules issue 7 found said with "!=" */
}

static void test_required(void **state)
{
    (void)state;
    for (size_t i = 0; i < instruments_count(); i++) {
        const struct item *it = instruments_at(i);
        assert_int_equal(json_is_true(json_object_get(find(it->id), "required")),
                         it->instrument != NULL);
    }
    assert_null(json_object_get(find("audit"), "required"));
}

static void test_loinc(void **state)
{
    json_t *opts = json_object_get(find("gad7-2"), "answerOption");
    (void)state;
    assert_string_equal(str(json_array_get(json_object_get(find("phq9"), "code"), 0), "code"),
                        "44249-1");
    assert_string_equal(str(json_array_get(json_object_get(find("audit-c"), "code"), 0), "code"),
                        "72109-2");
    assert_string_equal(str(json_array_get(json_object_get(find("phq9-9"), "code"), 0), "code"),
                        "44260-8");
    assert_null(json_object_get(find("assist-1-opioids"), "code"));
    assert_int_equal(json_array_size(opts), 4);
    assert_string_equal(str(json_object_get(json_array_get(opts, 2), "valueCoding"), "code"),
                        "LA6570-1");
    assert_non_null(find_in(json_object_get(find("audit-c"), "item"), "audit-3"));
    assert_null(find_in(json_object_get(find("audit-c"), "item"), "audit-4"));
}

static void test_codings(void **state)
{
    struct fhir_coding c;
    (void)state;
    fhir_questionnaire_coding(instruments_item("phq9-1"), 3, &c);
    assert_string_equal(c.system, FHIR_LOINC_SYSTEM);
    assert_string_equal(c.code, "LA6571-9");
    assert_string_equal(c.display, "Nearly every day");
    fhir_questionnaire_coding(instruments_item("audit-9"), 1, &c);
    assert_string_equal(c.system, "urn:haven:assessment-answer:audit-9");
    assert_string_equal(c.code, "2");
    fhir_questionnaire_coding(instruments_item("env-housing"), 2, &c);
    assert_string_equal(c.code, "none");
    assert_null(fhir_loinc_answer("phq9-1", 4));
    assert_null(fhir_loinc_answer("audit-1", 0));
    assert_null(fhir_loinc_answer("phq9-10", 0));
    assert_null(fhir_loinc_item("assist-8"));
    assert_string_equal(fhir_loinc_total("audit_c")->code, "75626-2");
    assert_null(fhir_loinc_total("assist"));
}

static void test_rulers_are_integers(void **state)
{
    json_t *it = find("craving"), *ext = json_object_get(it, "extension");
    (void)state;
    assert_string_equal(str(it, "type"), "integer");
    assert_null(json_object_get(it, "answerOption"));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(ext, 0), "valueInteger")),
                     0);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(ext, 1), "valueInteger")),
                     10);
    assert_string_equal(str(find("ready"), "type"), "integer");
}

static void test_stems_said_once(void **state)
{
    json_t *phq9 = json_object_get(find("phq9"), "item");
    (void)state;
    assert_string_equal(str(json_array_get(phq9, 1), "linkId"), "phq9-stem");
    assert_non_null(strstr(str(json_array_get(phq9, 1), "text"), "Over the last 2 weeks"));
    assert_null(json_object_get(find("phq9-1"), "item")); /* not repeated under each item */
    assert_string_equal(str(find("ready-hint"), "type"), "display");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_item_once),
        cmocka_unit_test(test_enable_when_positive),
        cmocka_unit_test(test_every_rule_expanded),
        cmocka_unit_test(test_required),
        cmocka_unit_test(test_loinc),
        cmocka_unit_test(test_codings),
        cmocka_unit_test(test_rulers_are_integers),
        cmocka_unit_test(test_stems_said_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
