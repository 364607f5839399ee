/* test_response: reading a QuestionnaireResponse into the answers object: values of every kind
 * (LOINC and Haven codes, booleans, integers, decimals, lists), items found by linkId wherever
 * they sit, and each malformed part refused with a detail naming its linkId. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fhir/questionnaire.h"
#include "fhir/response.h"

static json_t *index_;

static int setup(void **state)
{
    json_t *q = fhir_questionnaire_build();
    (void)state;
    index_ = fhir_response_index(q);
    json_decref(q);
    return index_ ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    json_decref(index_);
    return 0;
}

#define QR(items)                                                                                  \
    "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\","                        \
    "\"questionnaire\":\"urn:haven:questionnaire:haven-assessment-1\",\"item\":" items "}"

/* Reads text; on success compares the answers with want (JSON text). */
static void expect_answers(const char *text, const char *want)
{
    json_t *qr = json_loads(text, 0, NULL), *answers = NULL, *details = json_array();
    json_t *w = json_loads(want, 0, NULL);
    assert_non_null(qr);
    assert_non_null(w);
    if (fhir_response_answers(index_, qr, &answers, details) != E_OK) {
        char *s = json_dumps(details, 0);
        fail_msg("%s -> %s", text, s);
    }
    if (!json_equal(answers, w)) {
        char *s = json_dumps(answers, JSON_SORT_KEYS);
        fail_msg("%s -> %s, want %s", text, s, want);
    }
    json_decref(qr);
    json_decref(w);
    json_decref(answers);
    json_decref(details);
}

/* Reads text and expects E_INVALID with a detail for item whose message contains part. */
static void expect_problem(const char *text, const char *item, const char *part)
{
    json_t *qr = json_loads(text, 0, NULL), *answers = NULL, *details = json_array();
    int found = 0;
    assert_int_equal(fhir_response_answers(index_, qr, &answers, details), E_INVALID);
    assert_null(answers);
    for (size_t i = 0; i < json_array_size(details); i++) {
        json_t *d = json_array_get(details, i);
        found |= !strcmp(json_string_value(json_object_get(d, "item")), item) &&
                 strstr(json_string_value(json_object_get(d, "message")), part) != NULL;
    }
    if (!found) {
        char *s = json_dumps(details, 0);
        fail_msg("%s: no %s/%s in %s", text, item, part, s);
    }
    json_decref(qr);
    json_decref(details);
}

static void test_values(void **state)
{
    (void)state;
    expect_answers(QR("[]"), "{}");
    expect_answers("{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"in-progress\"}", "{}");
    expect_answers(QR("[{\"linkId\":\"audit\",\"item\":[{\"linkId\":\"audit-c\",\"item\":["
                      "{\"linkId\":\"audit-1\",\"answer\":[{\"valueCoding\":{\"system\":"
                      "\"urn:haven:assessment-answer:audit-1\",\"code\":\"2\"}}]}]},"
                      "{\"linkId\":\"audit-9\",\"answer\":[{\"valueCoding\":{\"code\":\"4\"}}]}"
                      "]}]"),
                   "{\"audit-1\":2,\"audit-9\":4}");
    expect_answers(QR("[{\"linkId\":\"phq9-3\",\"answer\":[{\"valueCoding\":{\"system\":"
                      "\"http://loinc.org\",\"code\":\"LA6570-1\"}}]},{\"linkId\":\"phq9-4\","
                      "\"answer\":[{\"valueCoding\":{\"system\":"
                      "\"urn:haven:assessment-answer:phq9-4\",\"code\":\"1\"}}]}]"),
                   "{\"phq9-3\":2,\"phq9-4\":1}");
    expect_answers(QR("[{\"linkId\":\"asq-1\",\"answer\":[{\"valueBoolean\":true}]},"
                      "{\"linkId\":\"ready\",\"answer\":[{\"valueDecimal\":7.0}]},"
                      "{\"linkId\":\"craving\",\"answer\":[{\"valueInteger\":3}]},"
                      "{\"linkId\":\"about-sex\",\"answer\":[{\"valueString\":\"female\"}]},"
                      "{\"linkId\":\"wd-daily\",\"answer\":[{\"valueCoding\":{\"code\":"
                      "\"alcohol\"}},{\"valueCoding\":{\"code\":\"opioids\"}}]},"
                      "{\"linkId\":\"wd-now\",\"answer\":[]},{\"linkId\":\"audit-intro\"}]"),
                   "{\"asq-1\":true,\"ready\":7,\"craving\":3,\"about-sex\":\"female\","
                   "\"wd-daily\":[\"alcohol\",\"opioids\"]}");
    /* Passed on as numbers for the scorer to judge (it names the item). */
    expect_answers(QR("[{\"linkId\":\"ready\",\"answer\":[{\"valueInteger\":11}]},"
                      "{\"linkId\":\"audit-1\",\"answer\":[{\"valueInteger\":9}]}]"),
                   "{\"ready\":11,\"audit-1\":9}");
}

static void test_which_questionnaire(void **state)
{
    (void)state;
    expect_answers("{\"resourceType\":\"QuestionnaireResponse\",\"questionnaire\":"
                   "\"Questionnaire/haven-assessment-1\"}",
                   "{}");
    expect_answers("{\"resourceType\":\"QuestionnaireResponse\",\"questionnaire\":"
                   "\"https://clinic.example/fhir/Questionnaire/haven-assessment-1\"}",
                   "{}");
    expect_problem("{\"resourceType\":\"QuestionnaireResponse\",\"questionnaire\":"
                   "\"http://loinc.org/q/44249-1\"}",
                   "questionnaire", "scores responses to");
    expect_problem("{\"resourceType\":\"QuestionnaireResponse\",\"questionnaire\":"
                   "\"Questionnaire/haven-assessment-10\"}",
                   "questionnaire", "scores responses to");
    expect_problem("{\"resourceType\":\"QuestionnaireResponse\",\"questionnaire\":7}",
                   "questionnaire", "scores responses to");
    expect_problem("{\"resourceType\":\"Questionnaire\"}", "resourceType", "expected");
    expect_problem("{\"answers\":{}}", "resourceType", "expected");
    expect_problem("[]", "resourceType", "expected");
}

static void test_problems(void **state)
{
    (void)state;
    expect_problem(QR("[{\"linkId\":\"/44250-9\"}]"), "/44250-9", "not an item");
    expect_problem(QR("{}"), "item", "array");
    expect_problem(QR("[7]"), "item", "linkId");
    expect_problem(QR("[{\"text\":\"no id\"}]"), "item", "linkId");
    expect_problem(QR("[{\"linkId\":\"phq9\",\"answer\":[{\"valueBoolean\":true}]}]"), "phq9",
                   "takes no answer");
    expect_problem(QR("[{\"linkId\":\"audit-1\",\"answer\":{\"valueInteger\":1}}]"), "audit-1",
                   "must be an array");
    expect_problem(QR("[{\"linkId\":\"audit-1\",\"answer\":[7]}]"), "audit-1", "object");
    expect_problem(QR("[{\"linkId\":\"audit-1\",\"answer\":[{}]}]"), "audit-1", "value[x]");
    expect_problem(QR("[{\"linkId\":\"audit-1\",\"answer\":[{\"valueInteger\":1,"
                      "\"valueString\":\"1\"}]}]"),
                   "audit-1", "value[x]");
    expect_problem(QR("[{\"linkId\":\"audit-1\",\"answer\":[{\"valueInteger\":1},"
                      "{\"valueInteger\":2}]}]"),
                   "audit-1", "one answer");
    expect_problem(QR("[{\"linkId\":\"audit-1\"},{\"linkId\":\"audit-1\"}]"), "audit-1",
                   "more than once");
    expect_problem(QR("[{\"linkId\":\"audit-1\",\"answer\":[{\"valueString\":\"2\"}]}]"), "audit-1",
                   "valueCoding");
    expect_problem(QR("[{\"linkId\":\"audit-1\",\"answer\":[{\"valueCoding\":{\"system\":"
                      "\"http://loinc.org\",\"code\":\"2\"}}]}]"),
                   "audit-1", "not one of");
    expect_problem(QR("[{\"linkId\":\"phq9-1\",\"answer\":[{\"valueCoding\":{\"system\":"
                      "\"http://loinc.org\",\"code\":\"LA6572-7\"}}]}]"),
                   "phq9-1", "not one of");
    expect_problem(QR("[{\"linkId\":\"phq9-1\",\"answer\":[{\"valueCoding\":{\"code\":1}}]}]"),
                   "phq9-1", "needs a code");
    expect_problem(QR("[{\"linkId\":\"asq-1\",\"answer\":[{\"valueString\":\"yes\"}]}]"), "asq-1",
                   "valueBoolean");
    expect_problem(QR("[{\"linkId\":\"ready\",\"answer\":[{\"valueDecimal\":6.5}]}]"), "ready",
                   "whole number");
    expect_problem(QR("[{\"linkId\":\"ready\",\"answer\":[{\"valueDecimal\":1e300}]}]"), "ready",
                   "whole number");
    expect_problem(QR("[{\"linkId\":\"wd-daily\",\"answer\":[{\"valueCoding\":{\"code\":"
                      "\"heroin\"}}]}]"),
                   "wd-daily", "not one of");
}

static void test_nesting_bounded(void **state)
{
    char text[4096];
    size_t len = 0;
    (void)state;
    len += (size_t)snprintf(text + len, sizeof(text) - len,
                            "{\"resourceType\":\"QuestionnaireResponse\",\"item\":");
    for (int i = 0; i < 40; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "[{\"linkId\":\"about\",\"item\":");
    len += (size_t)snprintf(text + len, sizeof(text) - len, "[]");
    for (int i = 0; i < 40; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "}]");
    snprintf(text + len, sizeof(text) - len, "}");
    expect_problem(text, "item", "nested too deeply");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_which_questionnaire),
        cmocka_unit_test(test_problems),
        cmocka_unit_test(test_nesting_bounded),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
