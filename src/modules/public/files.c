/* files: the files embedded under static/, served with validators and long lifetimes, and
 * the health check. Text files are gzip-compressed once at start-up (files_init), like the
 * questionnaire page, and sent compressed to a client that accepts it: the first visit to the
 * assessment is then under 30 KB on the wire. */
#include "modules/public/files.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/gzip.h"
#include "core/xalloc.h"
#include "http/resp.h"
#include "store/store.h"
#include "web/app.h"
#include "web/view.h"

static const struct {
    const char *ext;
    const char *type;
    bool text; /* worth compressing (images are compressed already) */
} types[] = {
    {".css", "text/css; charset=utf-8", true},
    {".js", "text/javascript; charset=utf-8", true},
    {".svg", "image/svg+xml", true},
    {".png", "image/png", false},
    {".ico", "image/x-icon", false},
    {".txt", "text/plain; charset=utf-8", true},
};

static const char *type_of(const char *name, bool *text)
{
    const char *dot = strrchr(name, '.');

    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i].ext) == 0) {
            *text = types[i].text;
            return types[i].type;
        }
    *text = false;
    return "application/octet-stream";
}

/* The gzip copy of embedded_files[i] (NULL for a file that is not text, not under static/,
 * or that compression would not make smaller). Built before threads start, read after. */
static struct {
    char *data;
    size_t len;
} *packed;

void files_init(void)
{
    bool text;

    packed = xcalloc(embedded_files_count, sizeof(*packed));
    for (size_t i = 0; i < embedded_files_count; i++) {
        const struct embedded_file *f = &embedded_files[i];
        if (strncmp(f->name, "static/", 7) != 0 || (type_of(f->name, &text), !text))
            continue;
        packed[i].data = gzip_compress((const char *)f->data, f->len, &packed[i].len);
        if (packed[i].data && packed[i].len >= f->len) {
            free(packed[i].data);
            packed[i].data = NULL;
        }
    }
}

void files_free(void)
{
    for (size_t i = 0; packed && i < embedded_files_count; i++)
        free(packed[i].data);
    free(packed);
    packed = NULL;
}

bool files_takes_gzip(struct req *r)
{
    const char *ae = req_header(r, "Accept-Encoding"), *g, *end, *q;

    if (!ae || !(g = strstr(ae, "gzip")))
        return false;
    end = strchr(g, ',');
    if (!end)
        end = g + strlen(g);
    q = strstr(g, "q=");
    if (!q || q > end || q[2] != '0')
        return true;
    for (q += 3; q < end && (*q == '.' || *q == '0'); q++)
        ;
    return q < end && *q >= '1' && *q <= '9';
}

enum err files_static(struct req *r)
{
    char name[128];
    const struct embedded_file *f;
    const char *inm, *v, *body;
    size_t i, len;
    bool text, gz;
    char *etag;

    if (snprintf(name, sizeof(name), "static/%s", r->path + 8) >= (int)sizeof(name) ||
        strstr(name, "..") || !(f = embed_find(name))) {
        r->message = "There is no file at this address.";
        return E_NOTFOUND;
    }
    i = (size_t)(f - embedded_files);
    body = (const char *)f->data;
    len = f->len;
    if (packed && packed[i].data) {
        /* Caches must keep the two encodings apart, and each has its own strong validator. */
        resp_header(r, "Vary", "Accept-Encoding");
        if ((gz = files_takes_gzip(r))) {
            resp_header(r, "Content-Encoding", "gzip");
            body = packed[i].data;
            len = packed[i].len;
        }
    } else {
        gz = false;
    }
    /* Every static file changes with the asset version, so it is a sound validator. */
    etag = arena_alloc(r->arena, 48);
    snprintf(etag, 48, "\"%s-%zu%s\"", r->app->asset_version, i, gz ? "-gz" : "");
    resp_header(r, "ETag", etag);
    v = req_query(r, "v");
    resp_header(r, "Cache-Control", v && strcmp(v, r->app->asset_version) == 0
                                        ? "public, max-age=31536000, immutable"
                                        : "public, max-age=3600");
    r->content_type = type_of(name, &text);
    inm = req_header(r, "If-None-Match");
    if (inm && strstr(inm, etag)) {
        r->status = 304;
        return E_OK;
    }
    r->status = 200;
    buf_add(&r->out, body, len);
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
