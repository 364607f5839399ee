/* resp: helpers a handler uses to shape its answer. Security headers are added for every
 * response by http/server.c, so handlers cannot forget them. */
#ifndef HAVEN_RESP_H
#define HAVEN_RESP_H

#include <jansson.h>

#include "http/req.h"

/* Adds a header (name and value must live as long as the request: literals or arena). */
void resp_header(struct req *r, const char *name, const char *value);
void resp_redirect(struct req *r, int status, const char *location);
/* Serialises model as the body with status and application/json. */
void resp_json(struct req *r, int status, const json_t *model);
/* JSON error body {"error": message, "details": details?}; details may be NULL (borrowed). */
void resp_json_error(struct req *r, int status, const char *message, json_t *details);
#endif
