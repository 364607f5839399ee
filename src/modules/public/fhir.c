/* fhir: the FHIR read side: GET /fhir/metadata (the CapabilityStatement), GET
 * /fhir/Questionnaire/:id (the assessment's Questionnaire by its id) and an OperationOutcome for
 * any other FHIR address. FHIR clients expect application/fhir+json and an OperationOutcome as
 * the body of an error, which the framework's JSON error ({"error": ...}) is not, so these
 * answers are made here, at the status http/status.c gives the error. */
#include "modules/public/public.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fhir/capability.h"
#include "fhir/questionnaire.h"
#include "http/resp.h"
#include "http/status.h"

#define FHIR_JSON "application/fhir+json"

static enum err send_bytes(struct req *r, int status, const char *body, size_t len)
{
    r->status = status;
    r->content_type = FHIR_JSON;
    buf_reset(&r->out);
    buf_add(&r->out, body, len);
    return E_OK;
}

enum err public_fhir_send(struct req *r, enum err e, const json_t *resource)
{
    char *s = json_dumps(resource, JSON_COMPACT);
    enum err ret;

    if (!s)
        return E_DB;
    ret = send_bytes(r, status_of(e), s, strlen(s));
    free(s);
    return ret;
}

enum err public_fhir_metadata(struct req *r)
{
    size_t len;
    const char *body = public_capability(&len);

    resp_header(r, "Cache-Control", "public, max-age=3600");
    return send_bytes(r, status_of(E_OK), body, len);
}

enum err public_fhir_questionnaire(struct req *r)
{
    const char *id = req_param(r, "id");
    char text[160];
    json_t *outcome;
    enum err e;
    size_t len;
    const char *body;

    if (id && strcmp(id, FHIR_QUESTIONNAIRE_ID) == 0) {
        body = public_questionnaire(&len);
        resp_header(r, "Cache-Control", "public, max-age=3600");
        return send_bytes(r, status_of(E_OK), body, len);
    }
    snprintf(text, sizeof(text),
             "There is no Questionnaire %s here; the one this server has "
             "is %s.",
             id ? id : "", FHIR_QUESTIONNAIRE_ID);
    outcome = fhir_capability_outcome("not-found", text);
    e = public_fhir_send(r, E_NOTFOUND, outcome);
    json_decref(outcome);
    return e;
}

enum err public_fhir_unknown(struct req *r)
{
    json_t *outcome = fhir_capability_outcome(
        "not-found", "This FHIR server has two addresses: GET /fhir/metadata and GET "
                     "/fhir/Questionnaire/" FHIR_QUESTIONNAIRE_ID ".");
    enum err e = public_fhir_send(r, E_NOTFOUND, outcome);

    json_decref(outcome);
    return e;
}
