/* public: the public module: the program's home page, the self-assessment and its result, "Ask
 * us to call you", the stateless scoring API and FHIR Questionnaire, static files and the
 * health check. No sign-in; nothing is stored unless a person asks to be called. */
#ifndef HAVEN_PUBLIC_H
#define HAVEN_PUBLIC_H

#include "http/router.h"
#include <stddef.h>

#include "core/err.h"
#include "http/req.h"

struct app;
struct ratelimit;

/* public.c: what the module builds once before threads start, and reads afterwards. */
int public_init(const struct app *app);
void public_free(void);
/* GET /assessment is the same for everyone: the page rendered once, and gzip-compressed once
 * (*gz NULL when compression failed). */
const char *public_blank_form(size_t *len, const char **gz, size_t *gz_len);
/* The FHIR R4 Questionnaire, serialised once. */
const char *public_questionnaire(size_t *len);
/* linkId -> item type of that Questionnaire (fhir_response_index), to read responses. */
const json_t *public_questionnaire_index(void);
/* The FHIR CapabilityStatement, serialised once. */
const char *public_capability(size_t *len);
/* "Ask us to call you" per address per hour (HAVEN_CALL_LIMIT, default 20). */
struct ratelimit *public_call_limit(void);

/* The handlers, one file each (routes.c lists them). */
enum err home_page(struct req *r);            /* home.c: GET / */
enum err assessment_form(struct req *r);      /* assessment.c: GET /assessment */
enum err assessment_result(struct req *r);    /* assessment.c: POST /assessment/result */
enum err call_request_post(struct req *r);    /* call_request.c: POST /assessment/call */
enum err call_request_thanks(struct req *r);  /* call_request.c: GET /assessment/thanks */
enum err api_score(struct req *r);            /* api.c: POST /api/v1/assessments/score */
enum err api_questionnaire(struct req *r);    /* api.c: GET /api/v1/assessments/questionnaire */
enum err public_fhir_metadata(struct req *r);      /* fhir.c: GET /fhir/metadata */
enum err public_fhir_questionnaire(struct req *r); /* fhir.c: GET /fhir/Questionnaire/:id */
enum err public_fhir_unknown(struct req *r);       /* fhir.c: any other GET /fhir/... */
/* fhir.c: answers with a FHIR resource (borrowed) as application/fhir+json, at the status of
 * e; returns E_OK (the answer is made). For FHIR's own error bodies (OperationOutcome). */
enum err public_fhir_send(struct req *r, enum err e, const json_t *resource);
/* files.h: GET /static/... and GET /healthz. */

/* routes.c: the module's table, one row per action (modules/modules.c lists it). */
extern const struct route_table public_routes;

#endif
