/* req: the request's accessors. They live in http/ because only http/ may look inside a
 * libmicrohttpd connection. */
#include "http/req.h"

#include <microhttpd.h>
#include <string.h>
#include <strings.h>

static void json_decref_void(void *p)
{
    json_decref(p);
}

const char *req_param(const struct req *r, const char *name)
{
    for (int i = 0; i < r->n_params; i++)
        if (strcmp(r->param_name[i], name) == 0)
            return r->param_value[i];
    return NULL;
}

json_t *req_model(struct req *r, json_t *m)
{
    if (m)
        arena_defer(r->arena, json_decref_void, m);
    r->model = m;
    return m;
}

const char *req_header(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

struct last_header {
    const char *name;
    const char *value;
};

static enum MHD_Result keep_last(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    struct last_header *h = cls;

    (void)kind;
    if (key && value && strcasecmp(key, h->name) == 0)
        h->value = value;
    return MHD_YES;
}

const char *req_header_last(struct req *r, const char *name)
{
    struct last_header h = {name, NULL};

    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, keep_last, &h);
    return h.value;
}

const char *req_query(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *req_form(const struct req *r, const char *name)
{
    for (size_t i = 0; i < r->n_fields; i++)
        if (strcmp(r->fields[i].name, name) == 0)
            return r->fields[i].value;
    return NULL;
}
