/* public: the handlers of the public module (no sign-in): pages, the scoring API, static files. */
#ifndef HAVEN_PUBLIC_H
#define HAVEN_PUBLIC_H

#include "http/req.h"
#include "store/store.h"

void web_static(struct req *r);    /* web_static.c: GET /static/... */
void web_healthz(struct req *r);   /* web_static.c: GET /healthz */
void web_home(struct req *r);      /* web_home.c: GET / */
void web_assessment(struct req *r);        /* web_assessment.c: GET /assessment */
void web_assessment_result(struct req *r); /* web_assessment.c: POST /assessment/result */
void web_call(struct req *r);      /* web_referral.c: POST /assessment/call */
void web_thanks(struct req *r);    /* web_referral.c: GET /assessment/thanks */
void api_assessment_score(struct req *r);         /* POST /api/v1/assessments/score */
void api_assessment_questionnaire(struct req *r); /* GET /api/v1/assessments/questionnaire */

#endif
