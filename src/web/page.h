/* page: renders a page template inside the layout, and the error pages. */
#ifndef HAVEN_PAGE_H
#define HAVEN_PAGE_H

#include <jansson.h>

#include "http/req.h"

/* Renders `page` with model, then "layout" around it. Takes ownership of model (decrefs it).
 * Falls back to a plain 500 if a template is missing. */
void page_render(struct req *r, int status, const char *page, json_t *model);
/* The HTML error page, or a JSON error under /api/ (server_config.error_page). */
void page_error(struct req *r, int status, const char *message);

#endif
