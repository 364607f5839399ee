/* page: one place that wraps pages in the layout and picks HTML or JSON for errors. */
#include "web/page.h"

#include <string.h>

#include "core/log.h"
#include "http/resp.h"
#include "http/status.h"
#include "web/app.h"

#define PAGE_LIMIT (1024 * 1024)

int page_render_buf(const struct app *app, const char *page, json_t *model, struct buf *out)
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
    /* Staff screens have their own frame (navigation, session timer, sign-out). */
    if (tmpl_render(app->tmpl, json_is_true(json_object_get(model, "staff")) ? "layout/staff" : "layout/public",
                    model, out) < 0) {
        log_error("layout failed to render %s", page);
        goto out;
    }
    ret = 0;
out:
    buf_free(&content);
    return ret;
}

void page_render(struct req *r, int status, const char *page, json_t *model)
{
    buf_reset(&r->out);
    if (!model)
        log_error("page %s: no model", page);
    if (model && page_render_buf(r->app, page, model, &r->out) == 0) {
        r->status = status;
        r->content_type = "text/html; charset=utf-8";
        json_decref(model);
        return;
    }
    json_decref(model);
    buf_reset(&r->out);
    r->status = 500;
    r->content_type = "text/plain; charset=utf-8";
    buf_adds(&r->out, "Something went wrong on our side. If you are in crisis, call or text 988.\n");
}

static const char *title_of(int status)
{
    switch (status) {
    case 404: return "Page not found";
    case 405: return "Not allowed here";
    case 413: return "Too much to send";
    case 400: case 422: return "We could not read that";
    case 403: return "Please try again";
    case 429: return "Please call us instead";
    default: return status >= 500 ? "Something went wrong" : status_reason(status);
    }
}

void page_error(struct req *r, int status, const char *message)
{
    if (strncmp(r->path, "/api/", 5) == 0) {
        resp_json_error(r, status, message, NULL);
        return;
    }
    page_render(r, status, "layout/error",
                json_pack("{s:s, s:i, s:s}", "title", title_of(status), "status", status,
                          "message", message));
}
