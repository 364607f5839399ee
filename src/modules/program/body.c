/* body: the JSON bodies of the program API, read once and checked field by field, so that
 * every problem is answered together, each with its field (spec program.md §4's 422). */
#include "modules/program/program.h"

#include <string.h>
#include <time.h>

#include "core/timefmt.h"
#include "core/utf8.h"
#include "http/status.h"
#include "web/audit.h"

enum err body_parse(struct req *r, struct body *b)
{
    json_error_t err;

    b->r = r;
    b->root = json_loadb(r->body.data ? r->body.data : "", r->body.len,
                         JSON_REJECT_DUPLICATES, &err);
    if (!b->root || !json_is_object(b->root)) {
        json_decref(b->root);
        b->root = NULL;
        r->message = "The body is not a JSON object.";
        return E_MALFORMED;
    }
    /* Both live as long as the request (a model handed over is freed with it). */
    req_model(r, b->root);
    b->details = json_array();
    req_model(r, b->details);
    r->model = NULL;
    return E_OK;
}

void body_problem(struct body *b, const char *field, const char *message)
{
    json_array_append_new(b->details,
                          json_pack("{s:s, s:s}", "field", field, "message", message));
}

bool body_has(const struct body *b, const char *key)
{
    return json_object_get(b->root, key) != NULL;
}

const char *body_text(struct body *b, const char *key, long max, bool required,
                      const char *message)
{
    json_t *v = json_object_get(b->root, key);
    const char *s = json_string_value(v);
    long n;

    if (!v || json_is_null(v)) {
        if (required)
            body_problem(b, key, message);
        return NULL;
    }
    n = s ? utf8_count(s) : -1;
    if (n < 1 || n > max || utf8_has_format(s) || strpbrk(s, "\r\n\t")) {
        body_problem(b, key, message);
        return NULL;
    }
    return s;
}

bool body_date(struct body *b, const char *key, bool required, caldate *out)
{
    json_t *v = json_object_get(b->root, key);
    const char *s = json_string_value(v);

    if (!v || json_is_null(v)) {
        if (required)
            body_problem(b, key, "Give a date such as 2026-03-09.");
        return false;
    }
    if (!s || !caldate_parse(s, out)) {
        body_problem(b, key, "Give a date such as 2026-03-09.");
        return false;
    }
    return true;
}

bool body_time(struct body *b, const char *key, int *out)
{
    const char *s = json_string_value(json_object_get(b->root, key));

    if (!s || !caldate_time_parse(s, out)) {
        body_problem(b, key, "Give a time such as 09:00.");
        return false;
    }
    return true;
}

bool body_int(struct body *b, const char *key, long min, long max, bool required, int *out)
{
    json_t *v = json_object_get(b->root, key);
    char msg[80];

    if (!v || json_is_null(v)) {
        if (required) {
            snprintf(msg, sizeof(msg), "Give a whole number from %ld to %ld.", min, max);
            body_problem(b, key, msg);
        }
        return false;
    }
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        snprintf(msg, sizeof(msg), "Give a whole number from %ld to %ld.", min, max);
        body_problem(b, key, msg);
        return false;
    }
    *out = (int)json_integer_value(v);
    return true;
}

enum err body_verdict(struct body *b)
{
    if (!json_array_size(b->details))
        return E_OK;
    req_model(b->r, json_pack("{s:s, s:O}", "error", "invalid", "details", b->details));
    return E_INVALID;
}

enum err program_invalid(struct req *r, const char *field, const char *message)
{
    req_model(r, json_pack("{s:s, s:[{s:s, s:s}]}", "error", "invalid", "details", "field",
                           field, "message", message));
    return E_INVALID;
}

enum err program_refused(struct req *r, enum err e, const struct program_why *why,
                         const char *action, const char *type, const char *id)
{
    audit_record(r, action, type, id, e == E_FORBIDDEN ? "denied" : audit_outcome(e));
    r->model = NULL;
    if ((e == E_INVALID || e == E_CONFLICT) && why && why->field[0]) {
        req_model(r, json_pack("{s:s, s:[{s:s, s:s}]}", "error",
                               e == E_CONFLICT ? "conflict" : "invalid", "details", "field",
                               why->field, "message", why->message));
        return e;
    }
    if (e == E_FORBIDDEN && why && why->message[0])
        r->message = arena_strdup(r->arena, why->message);
    if (e != E_NOTFOUND && e != E_CONFLICT && e != E_INVALID && e != E_FORBIDDEN)
        e = E_DB;
    return e;
}

enum err program_checked(struct body *b, const char *action, const char *type, const char *id)
{
    enum err e = body_verdict(b);

    if (e != E_OK)
        audit_record(b->r, action, type, id, "invalid");
    return e;
}

enum err program_written(struct req *r, enum err e, json_t *out, const struct program_why *why,
                         const char *action, const char *type, const char *id, int status)
{
    if (e != E_OK)
        return program_refused(r, e, why, action, type, id);
    req_model(r, out);
    if (status)
        r->status = status;
    return E_OK;
}

caldate program_today(void)
{
    char today[11];
    caldate d = 0;

    caldate_parse(timefmt_today(time(NULL), today), &d);
    return d;
}

bool program_query_date(struct req *r, const char *key, caldate dflt, caldate *out, enum err *e)
{
    const char *v = req_query(r, key);

    *out = dflt;
    if (!v)
        return true;
    if (caldate_parse(v, out))
        return true;
    *e = program_invalid(r, key, "Give a date such as 2026-03-09.");
    return false;
}
