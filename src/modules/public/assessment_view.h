/* assessment_view: the models the assessment templates render — the questionnaire form (from
 * the instrument tables, with the person's answers and problems) and the result page. */
#ifndef HAVEN_ASSESSMENT_VIEW_H
#define HAVEN_ASSESSMENT_VIEW_H

#include <jansson.h>

/* The form model. answers (may be NULL) marks options checked; details (may be NULL) is the
 * array of {"item","message"} problems shown next to their questions. New reference. */
json_t *assessment_view_form(const json_t *answers, const json_t *details);
/* The result model from the scorer's result (the person's page and the staff summary share
 * it). `call` is the call-request form's model (owned: stolen). A result carrying
 * "other_substance" (what a person named under "Other", kept with a call request) shows it
 * beside that score. New reference. */
json_t *assessment_view_result(const json_t *result, json_t *call);

#endif
