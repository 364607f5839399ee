/* api_assessment: the stateless scoring API (spec §7) and the FHIR Questionnaire. Nothing that
 * arrives here is stored or logged. */
#include "modules/public/public.h"

#include <string.h>

#include "domain/assess.h"
#include "http/resp.h"
#include "web/app.h"

static void invalid(json_t *details, const char *item, const char *message)
{
    json_array_append_new(details, json_pack("{s:s, s:s}", "item", item, "message", message));
}

void api_assessment_score(struct req *r)
{
    json_error_t jerr;
    json_t *body, *answers, *version, *result = NULL, *details = json_array();
    const char *key;
    json_t *v;

    r->no_store = true;
    body = json_loadb(buf_cstr(&r->body), r->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!body && json_error_code(&jerr) == json_error_numeric_overflow) {
        /* Valid JSON whose number no answer can take: a value outside its set, not a bad body. */
        invalid(details, "answers", "a number is far outside every allowed value");
        resp_json_error(r, 422, "The answers are not valid.", details);
        goto out;
    }
    if (!json_is_object(body)) {
        resp_json_error(r, 400, body ? "The body must be a JSON object."
                                     : "The body is not valid JSON.", NULL);
        goto out;
    }
    json_object_foreach(body, key, v)
        if (strcmp(key, "version") && strcmp(key, "answers"))
            invalid(details, key, "unknown field; expected \"version\" and \"answers\"");
    version = json_object_get(body, "version");
    if (version && !(json_is_string(version) && !strcmp(json_string_value(version), ASSESS_VERSION)))
        invalid(details, "version", "unsupported version; expected \"" ASSESS_VERSION "\"");
    answers = json_object_get(body, "answers");
    if (!json_is_object(answers))
        invalid(details, "answers", "required: an object of item id to answer");
    if (json_array_size(details) == 0 && assess_score(answers, &result, details) == E_OK) {
        resp_json(r, 200, result);
        goto out;
    }
    resp_json_error(r, 422, "The answers are not valid.", details);
out:
    json_decref(body);
    json_decref(result);
    json_decref(details);
}

void api_assessment_questionnaire(struct req *r)
{
    r->content_type = "application/fhir+json";
    resp_header(r, "Cache-Control", "public, max-age=3600");
    buf_add(&r->out, r->app->questionnaire, r->app->questionnaire_len);
}
