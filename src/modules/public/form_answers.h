/* form_answers: turns the assessment form's fields into the answers object the scorer reads,
 * using each item's kind from the instrument tables (one source of truth). */
#ifndef HAVEN_FORM_ANSWERS_H
#define HAVEN_FORM_ANSWERS_H

#include <jansson.h>

#include "core/err.h"
#include "http/req.h"

/* Fields named in `ignore` (a NULL-terminated list, may be NULL) are skipped; empty values
 * count as unanswered. A field "none" whose value is a list question's id ("None of these")
 * answers it with [] when none of its choices was ticked. Returns E_OK with *answers a new
 * object, or E_INVALID with one {"item","message"} per problem appended to details (and
 * *answers NULL). */
enum err form_answers(const struct form_field *fields, size_t n, const char *const *ignore,
                      json_t **answers, json_t *details);

#endif
