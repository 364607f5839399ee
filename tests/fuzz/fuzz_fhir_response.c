/* Fuzz driver for the score API's FHIR input: a QuestionnaireResponse read into answers
 * (fhir/response.c), then scored and turned into Observations, as api.c does. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/assess.h"
#include "fhir/observation.h"
#include "fhir/questionnaire.h"
#include "fhir/response.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_t *index_;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *qr = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    json_t *answers = NULL, *result = NULL, *details = json_array(), *bundle;

    if (!index_) {
        json_t *q = fhir_questionnaire_build();
        index_ = fhir_response_index(q);
        json_decref(q);
    }
    if (qr) {
        if (fhir_response_answers(index_, qr, &answers, details) == E_OK) {
            if (!json_is_object(answers) || json_array_size(details))
                __builtin_trap(); /* success means an answers object and no problem */
            if (assess_score(answers, &result, details) == E_OK) {
                bundle = fhir_observation_bundle(result, "2026-12-03T10:00:00Z");
                if (!json_is_array(json_object_get(bundle, "entry")))
                    __builtin_trap();
                json_decref(bundle);
            }
        } else if (answers || json_array_size(details) == 0) {
            __builtin_trap(); /* a refusal always says why */
        }
    }
    json_decref(result);
    json_decref(answers);
    json_decref(details);
    json_decref(qr);
    return 0;
}
