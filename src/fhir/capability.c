/* fhir_capability: the CapabilityStatement and the OperationOutcome. The statement names only
 * what is served: reading the one Questionnaire (by id, or as the score API's companion), and
 * in its documentation the score API, which is not a FHIR interaction but takes and returns
 * FHIR resources. */
#include "fhir/capability.h"

#include "fhir/questionnaire.h"

// clang-format off
#define SCORE_DOC                                                                              \
    "POST /api/v1/assessments/score scores the self-assessment and stores nothing. It takes "  \
    "Haven's answers object (application/json) or a QuestionnaireResponse to Questionnaire/"   \
    FHIR_QUESTIONNAIRE_ID " (Content-Type: application/fhir+json), and answers with Haven's "  \
    "result object, or with a Bundle of Observations when asked with Accept: "                \
    "application/fhir+json. See docs/api.md."
// clang-format on

json_t *fhir_capability_build(const char *version)
{
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s}, s:s, s:[s, s],"
        " s:[{s:s, s:s, s:[{s:s, s:s, s:s, s:[{s:s}], s:s}]}]}",
        "resourceType", "CapabilityStatement", "id", "haven", "name", "HavenFhir", "title",
        "Haven FHIR server", "status", "active", "date", FHIR_DATE, "publisher", FHIR_PUBLISHER,
        "kind", "instance", "software", "name", "Haven", "version", version, "implementation",
        "description", "Haven: the self-assessment of an intensive outpatient program",
        "fhirVersion", "4.0.1", "format", "application/fhir+json", "json", "rest", "mode", "server",
        "documentation", SCORE_DOC, "resource", "type", "Questionnaire", "profile",
        FHIR_SDC_PROFILE, "documentation",
        "One Questionnaire: GET /fhir/Questionnaire/" FHIR_QUESTIONNAIRE_ID
        " (also at GET /api/v1/assessments/questionnaire). Any other id is not found.",
        "interaction", "code", "read", "versioning", "no-version");
}

json_t *fhir_capability_outcome(const char *code, const char *diagnostics)
{
    return json_pack("{s:s, s:[{s:s, s:s, s:s}]}", "resourceType", "OperationOutcome", "issue",
                     "severity", "error", "code", code, "diagnostics", diagnostics);
}
