/* web: the handlers of the public pages, one file per screen group. */
#ifndef HAVEN_WEB_H
#define HAVEN_WEB_H

#include "http/req.h"
#include "store/store.h"

void web_static(struct req *r);    /* web_static.c: GET /static/... */
void web_healthz(struct req *r);   /* web_static.c: GET /healthz */
void web_home(struct req *r);      /* web_home.c: GET / */
void web_assessment(struct req *r);        /* web_assessment.c: GET /assessment */
void web_assessment_result(struct req *r); /* web_assessment.c: POST /assessment/result */
void web_call(struct req *r);      /* web_referral.c: POST /assessment/call */
void web_thanks(struct req *r);    /* web_referral.c: GET /assessment/thanks */

#endif
