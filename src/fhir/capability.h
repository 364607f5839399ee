/* fhir_capability: what this server says about its FHIR side: the CapabilityStatement of
 * GET /fhir/metadata, and the OperationOutcome a FHIR error answers with. */
#ifndef HAVEN_FHIR_CAPABILITY_H
#define HAVEN_FHIR_CAPABILITY_H

#include <jansson.h>

/* A new reference to the CapabilityStatement: FHIR 4.0.1 in JSON, the Questionnaire readable by
 * id, and the score API (which takes a QuestionnaireResponse and can answer with Observations)
 * described in its documentation. version: the software's. Pure. */
json_t *fhir_capability_build(const char *version);

/* A new reference to an OperationOutcome with one issue: severity "error", code an R4
 * issue-type code ("not-found", "invalid", ...), diagnostics the text. */
json_t *fhir_capability_outcome(const char *code, const char *diagnostics);

#endif
