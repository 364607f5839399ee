/* fhir_loinc: the LOINC codes Haven's FHIR resources carry: panels, questions, totals and the
 * PHQ-9/GAD-7 answer list. Only codes checked against LOINC's own published tables are here
 * (loinc.c names the page each came from); an item LOINC does not cover has none. */
#ifndef HAVEN_FHIR_LOINC_H
#define HAVEN_FHIR_LOINC_H

#define FHIR_LOINC_SYSTEM "http://loinc.org"

struct fhir_code {
    const char *code;
    const char *display; /* LOINC's long common name, or NULL where none is given here */
};

/* The code of a panel by the Questionnaire group it names ("audit", "audit-c", "phq9",
 * "gad7"), or NULL. Static data. */
const struct fhir_code *fhir_loinc_panel(const char *group);
/* The code of a question by item id ("phq9-1"), or NULL. */
const struct fhir_code *fhir_loinc_item(const char *id);
/* The code of an instrument's total score by the result's key ("audit", "audit_c", "phq9",
 * "gad7"), or NULL. */
const struct fhir_code *fhir_loinc_total(const char *instrument);
/* The LOINC answer for item id scored `score` (PHQ-9 and GAD-7 items: answer list LL358-3),
 * or NULL when the item has no LOINC answer list here. */
const struct fhir_code *fhir_loinc_answer(const char *id, int score);

#endif
