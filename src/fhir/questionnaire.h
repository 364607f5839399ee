/* fhir_questionnaire: the assessment as a FHIR R4 Questionnaire (SDC), built from the
 * instrument tables (the same tables the form and the scorer read), and the Coding each
 * answer option carries, which a QuestionnaireResponse sends back (fhir/response.h). */
#ifndef HAVEN_FHIR_QUESTIONNAIRE_H
#define HAVEN_FHIR_QUESTIONNAIRE_H

#include <jansson.h>
#include <stddef.h>

#include "domain/assess.h"

struct item;

#define FHIR_QUESTIONNAIRE_ID ASSESS_VERSION
#define FHIR_QUESTIONNAIRE_URL "urn:haven:questionnaire:" ASSESS_VERSION
/* When the published resources last changed (Questionnaire.date, CapabilityStatement.date). */
#define FHIR_DATE "2026-12-03"
#define FHIR_PUBLISHER "Haven"
#define FHIR_SDC_PROFILE "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire"
/* Haven's own answer codes: one code system per item, "<this>:<item id>". */
#define FHIR_ANSWER_SYSTEM "urn:haven:assessment-answer"

/* A new reference to the Questionnaire resource, or NULL if a skip rule of the tables cannot
 * be said with R4's enableWhen (caught by the unit tests). Pure; called once at start-up. */
json_t *fhir_questionnaire_build(void);

/* The Coding answer option `option` of item `it` carries: LOINC's answer where the item has a
 * LOINC answer list (fhir/loinc.h), else Haven's code in the item's own system. The strings
 * point into static data or into c->buf. */
struct fhir_coding {
    const char *system;
    const char *code;
    const char *display;
    char buf[96];
};
void fhir_questionnaire_coding(const struct item *it, size_t option, struct fhir_coding *c);

#endif
