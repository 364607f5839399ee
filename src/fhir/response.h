/* fhir_response: reads a FHIR R4 QuestionnaireResponse to Haven's Questionnaire into the
 * answers object the scorer takes (spec §7), so outside software that renders the
 * Questionnaire can have its response scored. Every problem names the linkId it is about. */
#ifndef HAVEN_FHIR_RESPONSE_H
#define HAVEN_FHIR_RESPONSE_H

#include <jansson.h>

#include "core/err.h"

/* linkId -> item type ("group", "display", "choice", ...) for every item of the
 * Questionnaire (fhir_questionnaire_build): how the reader tells groups and display items
 * from questions. A new reference; built once, then only read (safe from any thread). */
json_t *fhir_response_index(const json_t *questionnaire);

/* Reads qr (any JSON value). On success returns E_OK and sets *answers to a new reference to
 * {item id: value} (numbers, booleans, codes, lists of codes as the API takes them; an item
 * without an answer is left out). Otherwise returns E_INVALID, leaves *answers NULL and
 * appends {"item": linkId (or "resourceType", "questionnaire", "item"), "message": text} to
 * details for each problem: not a QuestionnaireResponse, another questionnaire, an unknown
 * linkId, an answer to a group or display item, a value of the wrong type or not among the
 * item's answer options, several answers to a one-answer item, an item given twice. The
 * values it passes on are then checked by the scorer like any others. Pure. */
enum err fhir_response_answers(const json_t *index, const json_t *qr, json_t **answers,
                               json_t *details);

#endif
