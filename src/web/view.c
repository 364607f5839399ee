/* view: the one place that runs a route row and shapes its answer. It authorizes and checks
 * CSRF before the handler (as the row says), maps the handler's enum err to a status once
 * (http/status.c), and renders the request's model with a template inside the layout, or as
 * JSON. Handlers never write an error page themselves. */
#include "web/view.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/timefmt.h"
#include "domain/password.h"
#include "domain/roles.h"
#include "http/csrf.h"
#include "http/resp.h"
#include "http/router.h"
#include "http/status.h"
#include "web/app.h"
#include "web/audit.h"
#include "web/auth.h"

#define PAGE_LIMIT (1024 * 1024)
/* The problems an error answer names one by one; the rest are counted. 7,000 unknown fields
 * once made a 683 KB answer; nobody reads past the first few anyway. */
#define PROBLEMS_SHOWN 20

int view_render_buf(const struct app *app, const char *page, json_t *model, struct buf *out)
{
    struct buf content = BUF_INIT;
    int ret = -1;

    content.limit = PAGE_LIMIT;
    out->limit = PAGE_LIMIT;
    /* Most pages are 5-20 KB: one allocation each instead of eight doublings. */
    buf_reserve(&content, 16 * 1024);
    buf_reserve(out, 20 * 1024);
    json_object_set_new(model, "asset_v", json_string(app->asset_version));
    json_object_set_new(model, "clinic", json_string(app->clinic_name));
    if (tmpl_render(app->tmpl, page, model, &content) < 0) {
        log_error("template %s failed to render", page);
        goto out;
    }
    json_object_set_new(model, "content", json_stringn_nocheck(buf_cstr(&content), content.len));
    /* Staff screens have their own frame (navigation, session timer, sign-out), and so has
     * the patient portal (a page title that says only "Haven"). */
    if (tmpl_render(app->tmpl,
                    json_is_true(json_object_get(model, "staff"))    ? "layout/staff"
                    : json_is_true(json_object_get(model, "portal")) ? "portal/frame"
                                                                     : "layout/public",
                    model, out) < 0) {
        log_error("layout failed to render %s", page);
        goto out;
    }
    ret = 0;
out:
    buf_free(&content);
    return ret;
}

/* Renders model (borrowed) with page as the response. */
static void render(struct req *r, int status, const char *page, json_t *model)
{
    buf_reset(&r->out);
    if (!model)
        log_error("page %s: no model", page);
    if (model && view_render_buf(r->app, page, model, &r->out) == 0) {
        r->status = status;
        r->content_type = "text/html; charset=utf-8";
        return;
    }
    buf_reset(&r->out);
    r->status = 500;
    r->content_type = "text/plain; charset=utf-8";
    buf_adds(&r->out,
             "Something went wrong on our side. If you are in crisis, call or text 988.\n");
}

static void json_decref_void(void *p)
{
    json_decref(p);
}

void view_render(struct req *r, int status, const char *page, json_t *model)
{
    if (model)
        arena_defer(r->arena, json_decref_void, model);
    render(r, status, page, model);
}

static const char *title_of(int status)
{
    switch (status) {
    case 404: return "Page not found";
    case 405: return "Not allowed here";
    case 413: case 431: return "Too much to send";
    case 400: case 411: case 422: return "We could not read that";
    case 403: return "Please try again";
    case 410: return "This link no longer works";
    case 429: return "Please call us instead";
    default: return status >= 500 ? "Something went wrong" : status_reason(status);
    }
}

static bool is_json(const struct req *r)
{
    if (r->route)
        return r->route->flags & R_JSON;
    return strncmp(r->path, "/api/", 5) == 0;
}

void view_error(struct req *r, int status, const char *message)
{
    bool portal = r->route && (r->route->flags & R_PATIENT);

    r->model = NULL;
    if (is_json(r)) {
        resp_json_error(r, status, message, NULL);
        return;
    }
    view_render(r, status, portal ? "portal/error" : "layout/error",
                json_pack("{s:s, s:i, s:s, s:b}", "title", title_of(status), "status", status,
                          "message", message, "portal", portal));
}

/* What an error page says when the handler left no message of its own. */
static const char *default_message(enum err e)
{
    switch (e) {
    case E_NOTFOUND: return "There is no such record.";
    case E_CONFLICT:
        return "Someone changed this record meanwhile, or it is not in a state that allows "
               "this. Please go back and reload the page.";
    case E_INVALID: return "Some of the values were not accepted. Please go back and check them.";
    case E_FORBIDDEN: return "Your role does not allow this.";
    case E_MALFORMED: return "The request could not be read.";
    case E_DENIED: return "That did not match. Please try again.";
    case E_TOO_MANY: return "Too many tries. Please wait a little and try again.";
    case E_UNAVAILABLE: return "The service is unavailable; please try again in a minute.";
    case E_GONE: return "This link has expired or was used already.";
    case E_OK:
    case E_DB: break;
    }
    return "Something went wrong on our side. Nothing was saved.";
}

/* Cuts the problem list `name` of obj to PROBLEMS_SHOWN. JSON says how many were left out
 * ("<name>_omitted"); a page's summary ends with the next problem, saying how many more there
 * are from it on ("And 6980 more, starting with: ..."), in the fields its template shows. */
static void cap_list(json_t *obj, const char *name, bool json)
{
    json_t *list = json_object_get(obj, name), *more;
    size_t n = json_array_size(list), keep = PROBLEMS_SHOWN;
    const char *text_key, *was;
    char key[32], text[512];

    if (n <= PROBLEMS_SHOWN)
        return;
    if (json) {
        snprintf(key, sizeof(key), "%s_omitted", name);
        json_object_set_new(obj, key, json_integer((json_int_t)(n - PROBLEMS_SHOWN)));
    } else if (json_is_object(more = json_deep_copy(json_array_get(list, PROBLEMS_SHOWN)))) {
        text_key = json_is_string(json_object_get(more, "todo")) ? "todo" : "message";
        was = json_string_value(json_object_get(more, text_key));
        snprintf(text, sizeof(text), "And %zu more, starting with: %s", n - PROBLEMS_SHOWN,
                 was ? was : "");
        json_object_set_new(more, text_key, json_string(text));
        json_array_set_new(list, PROBLEMS_SHOWN, more);
        keep++;
    } else {
        json_decref(more);
    }
    while (json_array_size(list) > keep)
        json_array_remove(list, json_array_size(list) - 1);
}

/* The problem lists of an error answer's model ("errors" of web/form.h, "details" of the API),
 * at its top and in the forms inside it (the result page's "call"). */
static void cap_problems(json_t *m, bool json)
{
    static const char *const lists[] = {"errors", "details"};
    const char *key;
    json_t *v;

    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        cap_list(m, lists[i], json);
        json_object_foreach(m, key, v)
            if (json_is_object(v))
                cap_list(v, lists[i], json);
    }
}

void view_answer(struct req *r, enum err e)
{
    const struct route *rt = r->route;
    const char *view = r->view ? r->view : rt ? rt->view : NULL;
    int status = e == E_OK ? (r->status ? r->status : 200) : status_of(e);

    if (e == E_OK && !r->model)
        return; /* the handler answered itself: a redirect, a file, a CSV */
    if (!r->model) {
        view_error(r, status, r->message ? r->message : default_message(e));
        return;
    }
    /* A model with an error is a form shown again with its problems (422), or an API's
     * error body. */
    if (e != E_OK)
        cap_problems(r->model, is_json(r));
    if (is_json(r)) {
        resp_json(r, status, r->model);
        return;
    }
    if (!view) {
        log_error("route %s has a model but no view", rt ? rt->pattern : r->path);
        view_error(r, 500, default_message(E_DB));
        return;
    }
    render(r, status, view, r->model);
}

const char *view_time(struct req *r, const char *iso)
{
    char out[48];

    return arena_strdup(r->arena, timefmt_show(iso, out, sizeof(out)));
}

json_t *view_staff_model(struct req *r, const char *title)
{
    const struct principal *p = r->user;
    json_t *nav = json_array(), *roles = json_array();
    char text[128];

    /* The menu is the rows that carry a label and let this member in, in table order. */
    for (const struct route_table *const *t = r->app->routes; p && t && *t; t++)
        for (size_t i = 0; i < (*t)->n; i++) {
            const struct route *rt = &(*t)->routes[i];
            if (!rt->nav || !(rt->roles & p->roles))
                continue;
            json_array_append_new(nav, json_pack("{s:s, s:s, s:b}", "href", rt->pattern,
                                                 "label", rt->nav, "current",
                                                 strcmp(r->path, rt->pattern) == 0));
        }
    for (size_t i = 0; p && i < roles_count(); i++)
        if (p->roles & roles_at(i))
            json_array_append_new(roles, json_string(roles_name(roles_at(i))));
    roles_text(p ? p->roles : 0, text, sizeof(text));
    r->no_store = true;
    return json_pack("{s:b, s:s, s:s, s:{s:s, s:s, s:s, s:o, s:s}, s:o, s:i, s:i, s:I}", "staff", 1,
                     "title", title, "csrf", p ? p->csrf : "", "user", "name", p ? p->name : "",
                     "email", p ? p->email : "", "public_id", p ? p->public_id : "", "roles",
                     roles, "roles_text", text, "nav", nav, "idle_seconds", SESSION_IDLE_SECONDS,
                     "warn_seconds", SESSION_WARN_SECONDS, "seconds_left",
                     (json_int_t)(p ? p->idle_left : SESSION_IDLE_SECONDS));
}

static const char *audit_action(const struct req *r)
{
    return strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0 ? "view" : "update";
}

/* Answers a request its row turned away; false when it may go on. */
static bool refused(struct req *r)
{
    const struct route *rt = r->route;
    bool json = rt->flags & R_JSON;

    enum auth_result a = auth_authorize(r);

    switch (a) {
    case AUTH_OK: return false;
    case AUTH_ANONYMOUS:
    case AUTH_EXPIRED:
        if (json)
            resp_json_error(r, 401, "Sign in first.", NULL);
        else
            resp_redirect(r, 303,
                          a == AUTH_EXPIRED ? "/staff/sign-in?expired=1" : "/staff/sign-in");
        break;
    case AUTH_PENDING:
        if (json)
            resp_json_error(r, 401, "Finish signing in first.", NULL);
        else
            resp_redirect(r, 303, "/staff/sign-in/code");
        break;
    case AUTH_DENIED:
        audit_record(r, audit_action(r), rt->record ? rt->record : "page", req_param(r, "id"),
                     "denied");
        if (json) {
            resp_json_error(r, 403, "Your role does not give access to this.", NULL);
        } else {
            /* The staff frame, so the way on and the sign-out button stay in reach. */
            json_t *m = view_staff_model(r, "No access to this page");
            json_object_set_new(m, "status", json_integer(403));
            view_render(r, 403, "layout/forbidden", m);
        }
        break;
    case AUTH_ENROL:
        if (json)
            resp_json_error(r, 403, "Set up two-step sign-in first.", NULL);
        else
            resp_redirect(r, 303, "/staff/account/totp");
        break;
    }
    return true;
}

/* Answers a portal request without a signed-in patient; false when it may go on. */
static bool patient_refused(struct req *r)
{
    enum auth_result a = auth_patient(r);

    if (a == AUTH_OK)
        return false;
    if (r->route->flags & R_JSON)
        resp_json_error(r, 401, "Sign in first.", NULL);
    else
        resp_redirect(r, 303, a == AUTH_EXPIRED ? "/me/sign-in?expired=1" : "/me/sign-in");
    return true;
}

void view_run(struct req *r)
{
    const struct route *rt = r->route;
    bool signed_in = rt->roles || (rt->flags & R_PATIENT);

    if (signed_in || (rt->flags & R_NO_STORE))
        r->no_store = true;
    if (rt->roles && refused(r))
        return;
    if ((rt->flags & R_PATIENT) && patient_refused(r))
        return;
    /* Signed-in rows check the session's token (a JSON API's in its X-CSRF-Token header);
     * public forms the signed double-submit one. */
    if ((rt->flags & R_CSRF) &&
        !(signed_in ? (rt->flags & R_JSON ? auth_csrf_header_ok(r) : auth_csrf_ok(r))
                    : csrf_check(r))) {
        if (rt->record)
            audit_record(r, "update", rt->record, req_param(r, "id"), "denied");
        view_error(r, 403, "This form had expired or came from somewhere else. Please go back, "
                           "reload the page and try again.");
        return;
    }
    view_answer(r, rt->handler(r));
}
