/* page: renders a page template inside the layout, and the error pages. */
#ifndef HAVEN_PAGE_H
#define HAVEN_PAGE_H

#include <jansson.h>

#include "core/buf.h"
#include "http/req.h"

struct app;

/* Renders `page` with model, then "layout" around it. Takes ownership of model (decrefs it).
 * Falls back to a plain 500 if a template is missing. */
void page_render(struct req *r, int status, const char *page, json_t *model);
/* Renders like page_render into out (appending); 0, or -1 (logged) when a template fails.
 * Does not take model. */
int page_render_buf(const struct app *app, const char *page, json_t *model, struct buf *out);
/* The HTML error page, or a JSON error under /api/ (server_config.error_page). */
void page_error(struct req *r, int status, const char *message);

#endif
