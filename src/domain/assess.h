/* assess: validates and scores a self-assessment (spec/assessment.md, haven-assessment-1).
 * Pure: no I/O, no globals that change; safe from any thread. */
#ifndef HAVEN_ASSESS_H
#define HAVEN_ASSESS_H

#include <jansson.h>

#include "core/err.h"

#define ASSESS_VERSION "haven-assessment-1"

/* answers: a JSON object of item id -> value (spec §1, §2). On success returns E_OK and sets
 * *result to a new reference to the spec §7 response object (caller decrefs). On invalid input
 * returns E_INVALID, leaves *result NULL and appends one {"item": ID, "message": TEXT} object per
 * problem to `details` (a caller-owned JSON array), in item order. */
enum err assess_score(const json_t *answers, json_t **result, json_t *details);
/* The same result for the person's own page: every number, band, flag and level is the same
 * as assess_score's; only the reasons are worded for them (loc.h, LOC_VOICE_PERSON). */
enum err assess_explain(const json_t *answers, json_t **result, json_t *details);

#endif
