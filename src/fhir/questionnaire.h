/* fhir_questionnaire: the assessment as a FHIR R4 Questionnaire, built from the instrument
 * tables (the same tables the form and the scorer read). */
#ifndef HAVEN_FHIR_QUESTIONNAIRE_H
#define HAVEN_FHIR_QUESTIONNAIRE_H

#include <jansson.h>

/* A new reference to the Questionnaire resource. Pure; called once at start-up. */
json_t *fhir_questionnaire_build(void);

#endif
