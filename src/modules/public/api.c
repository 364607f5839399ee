/* api: the stateless scoring API (spec §7) and the FHIR Questionnaire. Nothing that
 * arrives here is stored or logged. Besides its own answers object the score API reads a FHIR
 * QuestionnaireResponse (Content-Type: application/fhir+json), and answers with a Bundle of
 * Observations to a client that asks for FHIR (Accept: application/fhir+json); docs/api.md. */
#include "modules/public/public.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/timefmt.h"
#include "domain/assess.h"
#include "fhir/observation.h"
#include "fhir/response.h"
#include "http/resp.h"

#define FHIR_JSON "application/fhir+json"

static void invalid(json_t *details, const char *item, const char *message)
{
    json_array_append_new(details, json_pack("{s:s, s:s}", "item", item, "message", message));
}

/* The 422 body: the spec's message with each problem by its item (§7). */
static enum err invalid_answers(struct req *r, const char *error, json_t *details)
{
    req_model(r, json_pack("{s:s, s:O}", "error", error, "details", details));
    return E_INVALID;
}

/* Whether a media type ("application/fhir+json; charset=utf-8") is `type`. */
static bool media_is(const char *v, size_t len, const char *type)
{
    size_t n = strlen(type);

    while (len && (*v == ' ' || *v == '\t'))
        v++, len--;
    if (len < n || strncasecmp(v, type, n) != 0)
        return false;
    v += n, len -= n;
    while (len && (*v == ' ' || *v == '\t'))
        v++, len--;
    return len == 0 || *v == ';';
}

/* Whether one of the Accept header's entries is `type` (its q-value aside). */
static bool accepts(const char *accept, const char *type)
{
    while (accept && *accept) {
        size_t len = strcspn(accept, ",");
        if (media_is(accept, len, type))
            return true;
        accept += len + (accept[len] == ',');
    }
    return false;
}

/* A copy of answers in which a whole number written as a decimal (1.0, 2e0) is an integer:
 * JSON does not tell 1 from 1.0, and neither should the API. A fraction stays what it is, for
 * the scorer to refuse. */
static json_t *whole_numbers(const json_t *answers)
{
    json_t *copy = json_copy((json_t *)(uintptr_t)answers); /* shallow: values are shared */

    for (void *it = json_object_iter(copy); it; it = json_object_iter_next(copy, it)) {
        json_t *v = json_object_iter_value(it);
        double d;
        if (!json_is_real(v))
            continue;
        d = json_real_value(v);
        if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && (double)(json_int_t)d == d)
            json_object_iter_set_new(copy, it, json_integer((json_int_t)d));
    }
    return copy;
}

/* The answers object of a {"version", "answers"} body, or NULL with the problems in details. */
static json_t *answers_of_body(const json_t *body, json_t *details)
{
    json_t *obj = (json_t *)(uintptr_t)body, *version, *answers;

    for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
        const char *key = json_object_iter_key(it);
        if (strcmp(key, "version") && strcmp(key, "answers"))
            invalid(details, key, "unknown field; expected \"version\" and \"answers\"");
    }
    version = json_object_get(body, "version");
    if (version &&
        !(json_is_string(version) && !strcmp(json_string_value(version), ASSESS_VERSION)))
        invalid(details, "version", "unsupported version; expected \"" ASSESS_VERSION "\"");
    answers = json_object_get(body, "answers");
    if (!json_is_object(answers))
        invalid(details, "answers", "required: an object of item id to answer");
    return json_array_size(details) == 0 ? whole_numbers(answers) : NULL;
}

/* The result as the client asked for it: Haven's object, or a FHIR Bundle of Observations. */
static enum err answer(struct req *r, json_t *result)
{
    char when[32];
    json_t *bundle;
    enum err e;

    if (!accepts(req_header(r, "Accept"), FHIR_JSON)) {
        req_model(r, json_incref(result));
        return E_OK;
    }
    bundle = fhir_observation_bundle(result, timefmt_utc(time(NULL), when, sizeof(when)));
    e = public_fhir_send(r, E_OK, bundle);
    json_decref(bundle);
    return e;
}

enum err api_score(struct req *r)
{
    json_error_t jerr;
    json_t *body, *answers = NULL, *result = NULL, *details = json_array();
    const char *ctype = req_header(r, "Content-Type");
    bool fhir = ctype && media_is(ctype, strlen(ctype), FHIR_JSON);
    const char *error =
        fhir ? "The QuestionnaireResponse is not valid." : "The answers are not valid.";
    enum err e;

    body = json_loadb(buf_cstr(&r->body), r->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!body && json_error_code(&jerr) == json_error_numeric_overflow) {
        /* Valid JSON whose number no answer can take: a value outside its set, not a bad body. */
        invalid(details, fhir ? "item" : "answers", "a number is far outside every allowed value");
        e = invalid_answers(r, error, details);
        goto out;
    }
    if (!json_is_object(body)) {
        r->message = body ? "The body must be a JSON object." : "The body is not valid JSON.";
        e = E_MALFORMED;
        goto out;
    }
    if (fhir)
        fhir_response_answers(public_questionnaire_index(), body, &answers, details);
    else
        answers = answers_of_body(body, details);
    if (answers && assess_score(answers, &result, details) == E_OK) {
        e = answer(r, result);
        goto out;
    }
    e = invalid_answers(r, error, details);
out:
    json_decref(body);
    json_decref(answers);
    json_decref(result);
    json_decref(details);
    return e;
}

enum err api_questionnaire(struct req *r)
{
    size_t len;
    const char *q = public_questionnaire(&len);

    r->content_type = "application/fhir+json";
    resp_header(r, "Cache-Control", "public, max-age=3600");
    buf_add(&r->out, q, len);
    return E_OK;
}
