/* files: the files embedded under static/, served with validators and long lifetimes, and
 * the health check. */
#include "modules/public/public.h"

#include <stdio.h>
#include <string.h>

#include "core/embed.h"
#include "http/resp.h"
#include "store/store.h"
#include "web/app.h"
#include "web/view.h"

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *type_of(const char *name)
{
    const char *dot = strrchr(name, '.');

    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

enum err files_static(struct req *r)
{
    char name[128];
    const struct embedded_file *f;
    const char *inm, *v;
    char *etag;

    if (snprintf(name, sizeof(name), "static/%s", r->path + 8) >= (int)sizeof(name) ||
        strstr(name, "..") || !(f = embed_find(name))) {
        r->message = "There is no file at this address.";
        return E_NOTFOUND;
    }
    /* Every static file changes with the asset version, so it is a sound validator. */
    etag = arena_alloc(r->arena, 48);
    snprintf(etag, 48, "\"%s-%zu\"", r->app->asset_version, (size_t)(f - embedded_files));
    resp_header(r, "ETag", etag);
    v = req_query(r, "v");
    resp_header(r, "Cache-Control", v && strcmp(v, r->app->asset_version) == 0
                                        ? "public, max-age=31536000, immutable"
                                        : "public, max-age=3600");
    r->content_type = type_of(name);
    inm = req_header(r, "If-None-Match");
    if (inm && strstr(inm, etag)) {
        r->status = 304;
        return E_OK;
    }
    r->status = 200;
    buf_add(&r->out, f->data, f->len);
    return E_OK;
}

enum err files_healthz(struct req *r)
{
    long n;

    r->content_type = "text/plain; charset=utf-8";
    if (store_referral_count(r->store, &n) != E_OK) {
        r->status = 503;
        buf_adds(&r->out, "database unavailable\n");
        return E_OK;
    }
    buf_adds(&r->out, "ok\n");
    return E_OK;
}
