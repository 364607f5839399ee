/* api: JSON API handlers under /api/v1/. */
#ifndef HAVEN_API_H
#define HAVEN_API_H

#include "http/req.h"

void api_assessment_score(struct req *r);         /* POST /api/v1/assessments/score */
void api_assessment_questionnaire(struct req *r); /* GET /api/v1/assessments/questionnaire */

#endif
