/* test_observation: a score result as a Bundle of Observations (totals with their LOINC codes,
 * PHQ-9 item 9 in LOINC's answer list, the level of care with its facts), and the
 * CapabilityStatement and OperationOutcome of fhir/capability. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "domain/assess.h"
#include "fhir/capability.h"
#include "fhir/observation.h"

#define WHEN "2026-12-03T10:00:00Z"

static json_t *bundle_for(const char *answers)
{
    json_t *a = json_loads(answers, 0, NULL), *result = NULL, *details = json_array(), *b;
    assert_non_null(a);
    assert_int_equal(assess_score(a, &result, details), E_OK);
    b = fhir_observation_bundle(result, WHEN);
    json_decref(a);
    json_decref(result);
    json_decref(details);
    assert_non_null(b);
    return b;
}

/* The Observation whose code has (system, code), or NULL. */
static json_t *obs(json_t *bundle, const char *system, const char *code)
{
    json_t *entries = json_object_get(bundle, "entry");
    for (size_t i = 0; i < json_array_size(entries); i++) {
        json_t *r = json_object_get(json_array_get(entries, i), "resource");
        json_t *codings = json_object_get(json_object_get(r, "code"), "coding");
        for (size_t k = 0; k < json_array_size(codings); k++) {
            json_t *c = json_array_get(codings, k);
            if (!strcmp(json_string_value(json_object_get(c, "system")), system) &&
                !strcmp(json_string_value(json_object_get(c, "code")), code))
                return r;
        }
    }
    return NULL;
}

static json_int_t score_of(json_t *o)
{
    return json_integer_value(json_object_get(json_object_get(o, "valueQuantity"), "value"));
}

static const char *value_code(json_t *o)
{
    json_t *c =
        json_array_get(json_object_get(json_object_get(o, "valueCodeableConcept"), "coding"), 0);
    return json_string_value(json_object_get(c, "code"));
}

static void test_totals(void **state)
{
    json_t *b = bundle_for("{\"phq9-1\":3,\"phq9-2\":3,\"phq9-3\":1,\"phq9-4\":0,\"phq9-5\":0,"
                           "\"phq9-6\":0,\"phq9-7\":0,\"phq9-8\":0,\"phq9-9\":2,"
                           "\"gad7-1\":1,\"gad7-2\":1,\"gad7-3\":1,\"gad7-4\":1,\"gad7-5\":1,"
                           "\"gad7-6\":1,\"gad7-7\":1}");
    json_t *p;
    (void)state;
    assert_string_equal(json_string_value(json_object_get(b, "type")), "collection");
    assert_string_equal(json_string_value(json_object_get(b, "timestamp")), WHEN);
    assert_non_null(p = obs(b, "http://loinc.org", "44261-6"));
    assert_int_equal(score_of(p), 9);
    assert_string_equal(json_string_value(json_object_get(p, "effectiveDateTime")), WHEN);
    assert_null(json_object_get(p, "subject"));
    assert_int_equal(score_of(obs(b, "http://loinc.org", "70274-6")), 7);
    assert_string_equal(value_code(obs(b, "http://loinc.org", "44260-8")), "LA6570-1");
    assert_null(obs(b, "http://loinc.org", "75624-7")); /* AUDIT not answered */
    json_decref(b);
}

static void test_audit_assist(void **state)
{
    json_t *b = bundle_for("{\"about-sex\":\"female\",\"audit-1\":2,\"audit-2\":0,\"audit-3\":1,"
                           "\"audit-4\":0,\"audit-5\":0,\"audit-6\":0,\"audit-7\":0,"
                           "\"audit-8\":0,\"audit-9\":0,\"audit-10\":0,"
                           "\"assist-1-cannabis\":false,\"assist-1-cocaine\":false,"
                           "\"assist-1-stimulants\":false,\"assist-1-inhalants\":false,"
                           "\"assist-1-sedatives\":false,\"assist-1-hallucinogens\":false,"
                           "\"assist-1-other\":false,\"assist-1-opioids\":true,"
                           "\"assist-2-opioids\":6,\"assist-3-opioids\":6,\"assist-4-opioids\":7,"
                           "\"assist-5-opioids\":8,\"assist-6-opioids\":6,\"assist-7-opioids\":6,"
                           "\"assist-8\":2}");
    json_t *ac, *interp;
    (void)state;
    assert_int_equal(score_of(obs(b, "http://loinc.org", "75624-7")), 3);
    ac = obs(b, "http://loinc.org", "75626-2");
    interp = json_array_get(
        json_object_get(json_array_get(json_object_get(ac, "interpretation"), 0), "coding"), 0);
    assert_string_equal(json_string_value(json_object_get(interp, "code")), "POS");
    assert_int_equal(score_of(obs(b, "urn:haven:assessment-result", "assist-opioids")), 39);
    assert_string_equal(value_code(obs(b, "urn:haven:assessment-result", "assist-8")), "2");
    assert_null(obs(b, "urn:haven:assessment-result", "assist-cannabis"));
    json_decref(b);
}

static void test_level_of_care(void **state)
{
    json_t *b = bundle_for("{\"asq-1\":true,\"asq-2\":false,\"asq-3\":false,\"asq-4\":false,"
                           "\"asq-5\":true}");
    json_t *rec = obs(b, "urn:haven:assessment-result", "level-of-care"), *comps, *notes;
    int flags = 0, dims = 0, missing_note = 0;
    (void)state;
    assert_non_null(rec);
    assert_string_equal(value_code(rec), "emergency");
    assert_string_equal(value_code(obs(b, "urn:haven:assessment-result", "asq")), "acute");
    comps = json_object_get(rec, "component");
    for (size_t i = 0; i < json_array_size(comps); i++) {
        json_t *c = json_array_get(comps, i);
        const char *code = json_string_value(json_object_get(
            json_array_get(json_object_get(json_object_get(c, "code"), "coding"), 0), "code"));
        flags += !strcmp(code, "flag");
        dims += !strncmp(code, "dimension-", 10);
    }
    assert_int_equal(dims, 6);
    assert_true(flags >= 1);
    notes = json_object_get(rec, "note");
    for (size_t i = 0; i < json_array_size(notes); i++)
        missing_note |= strstr(json_string_value(json_object_get(json_array_get(notes, i), "text")),
                               "about-age") != NULL;
    assert_true(missing_note);
    json_decref(b);
}

static void test_capability(void **state)
{
    json_t *cs = fhir_capability_build("9.9.9"), *o = fhir_capability_outcome("not-found", "x");
    json_t *res;
    (void)state;
    assert_string_equal(json_string_value(json_object_get(cs, "fhirVersion")), "4.0.1");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(cs, "software"), "version")), "9.9.9");
    res = json_array_get(
        json_object_get(json_array_get(json_object_get(cs, "rest"), 0), "resource"), 0);
    assert_string_equal(json_string_value(json_object_get(res, "type")), "Questionnaire");
    assert_string_equal(json_string_value(json_object_get(o, "resourceType")), "OperationOutcome");
    json_decref(cs);
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totals),
        cmocka_unit_test(test_audit_assist),
        cmocka_unit_test(test_level_of_care),
        cmocka_unit_test(test_capability),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
