/* fhir_observation: a score result (spec §7) as FHIR R4: a Bundle of Observations, one per
 * instrument total (with its LOINC code where LOINC has one) and one for the suggested level
 * of care with the facts behind it. Nothing identifies the person: there is no subject. */
#ifndef HAVEN_FHIR_OBSERVATION_H
#define HAVEN_FHIR_OBSERVATION_H

#include <jansson.h>

/* result: the object assess_score returned (borrowed). when: the time of scoring as FHIR
 * dateTime text ("2026-12-03T10:00:00Z"), for Bundle.timestamp and each effectiveDateTime.
 * Returns a new reference to a Bundle of type "collection". Pure. */
json_t *fhir_observation_bundle(const json_t *result, const char *when);

#endif
