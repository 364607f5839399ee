/* view: runs a route row (authorize, CSRF, handler) and turns the handler's enum err and model
 * into the answer: a template inside the layout, JSON, or the error page. */
#ifndef HAVEN_VIEW_H
#define HAVEN_VIEW_H

#include <jansson.h>

#include "core/buf.h"
#include "core/err.h"
#include "http/req.h"

struct app;

/* server_config.run: everything between the matched row and the response. */
void view_run(struct req *r);
/* The answer for a handler's result: E_OK with no model = answered already; a model is
 * rendered with r->view or the row's view (JSON on R_JSON rows) at r->status, or at the
 * error's status (a form shown again: 422); an error without a model is the error page
 * saying r->message or the error's default sentence. */
void view_answer(struct req *r, enum err e);

/* Renders `page` with model, then the layout around it, as the response. The request takes
 * ownership of model (req_model). Falls back to a plain 500 if a template fails. */
void view_render(struct req *r, int status, const char *page, json_t *model);
/* Renders like view_render into out (appending); 0, or -1 (logged) when a template fails.
 * Does not take model. */
int view_render_buf(const struct app *app, const char *page, json_t *model, struct buf *out);
/* The HTML error page, or a JSON error on R_JSON rows and under /api/ (server_config.error_page).
 */
void view_error(struct req *r, int status, const char *message);

/* A stored UTC time as the clinic's local time, "2026-11-27 09:33 CST" (arena); the text
 * unchanged when it does not parse. */
const char *view_time(struct req *r, const char *iso);

/* The model every staff page starts from: "staff": true (the staff frame), "title", "csrf",
 * "user" {name, email, public_id, roles, roles_text}, "nav" (the rows with a menu label that
 * the member's roles open) and the session timer's seconds. Needs r->user. New reference. */
json_t *view_staff_model(struct req *r, const char *title);

#endif
