/* resp: building blocks of a handler's answer. */
#include "http/resp.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void resp_header(struct req *r, const char *name, const char *value)
{
    if (r->n_headers < REQ_MAX_HEADERS) {
        r->headers[r->n_headers][0] = name;
        r->headers[r->n_headers][1] = value;
        r->n_headers++;
    }
}

void resp_redirect(struct req *r, int status, const char *location)
{
    r->status = status;
    r->content_type = "text/plain; charset=utf-8";
    buf_reset(&r->out);
    resp_header(r, "Location", location);
}

void resp_json(struct req *r, int status, const json_t *model)
{
    char *s = model ? json_dumps(model, JSON_COMPACT) : NULL;

    if (!s) {
        /* a model that could not be built is a server fault, never "200 null" */
        status = 500;
        s = xstrdup("{\"error\":\"Something went wrong on our side.\"}");
    }
    r->status = status;
    r->content_type = "application/json";
    buf_reset(&r->out);
    buf_adds(&r->out, s ? s : "{}");
    free(s);
}

void resp_json_error(struct req *r, int status, const char *message, json_t *details)
{
    json_t *body = json_pack("{s:s}", "error", message);

    if (details)
        json_object_set(body, "details", details);
    resp_json(r, status, body);
    json_decref(body);
}
