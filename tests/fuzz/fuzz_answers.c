/* Fuzz driver for the assessment's untrusted input: the score API's JSON answers (scorer and
 * its validation) and the web form's fields (form_answers), which meet the same scorer. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "domain/assess.h"
#include "modules/public/form_answers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Feeds the object's string members to the form path as if they were posted fields. */
static void as_form(const json_t *obj)
{
    struct form_field fields[64];
    size_t n = 0;
    const char *key;
    json_t *v, *answers = NULL, *result = NULL, *details = json_array();

    json_object_foreach((json_t *)obj, key, v) {
        if (n == 64 || !json_is_string(v))
            continue;
        fields[n].name = key;
        fields[n].value = json_string_value(v);
        fields[n].len = json_string_length(v);
        n++;
    }
    if (form_answers(fields, n, NULL, &answers, details) == E_OK)
        assess_score(answers, &result, details);
    json_decref(answers);
    json_decref(result);
    json_decref(details);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *answers = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    json_t *result = NULL, *details = json_array();

    if (json_is_object(answers)) {
        if (assess_score(answers, &result, details) == E_OK && !json_object_get(result, "severity"))
            __builtin_trap(); /* a success always carries the whole §7 shape */
        as_form(answers);
    }
    json_decref(result);
    json_decref(details);
    json_decref(answers);
    return 0;
}
