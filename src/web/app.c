/* app: loads the embedded templates and hashes the static files once, before threads start. */
#include "web/app.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/xalloc.h"

static int load_templates(struct app *a)
{
    struct buf err = BUF_INIT;
    int ret = 0;

    a->tmpl = tmpl_set_new();
    for (size_t i = 0; i < embedded_files_count && ret == 0; i++) {
        const struct embedded_file *f = &embedded_files[i];
        const char *base, *dot;
        char name[64];

        if (strncmp(f->name, "templates/", 10) != 0)
            continue;
        base = f->name + 10;
        dot = strrchr(base, '.');
        snprintf(name, sizeof(name), "%.*s", (int)(dot ? dot - base : (long)strlen(base)), base);
        if (tmpl_set_add(a->tmpl, name, (const char *)f->data, f->len, &err) < 0) {
            log_error("%s", buf_cstr(&err));
            ret = -1;
        }
    }
    buf_free(&err);
    return ret;
}

static void hash_assets(struct app *a)
{
    crypto_generichash_state st;
    unsigned char h[8];

    crypto_generichash_init(&st, NULL, 0, sizeof(h));
    for (size_t i = 0; i < embedded_files_count; i++)
        if (strncmp(embedded_files[i].name, "static/", 7) == 0)
            crypto_generichash_update(&st, embedded_files[i].data, embedded_files[i].len);
    crypto_generichash_final(&st, h, sizeof(h));
    sodium_bin2hex(a->asset_version, sizeof(a->asset_version), h, sizeof(h));
}

struct app *app_new(const struct route_table *const *routes)
{
    struct app *a = xcalloc(1, sizeof(*a));

    a->routes = routes;
    a->clinic_name = "Pecan Haven";
    if (load_templates(a) < 0) {
        app_free(a);
        return NULL;
    }
    hash_assets(a);
    return a;
}

void app_free(struct app *a)
{
    if (!a)
        return;
    tmpl_set_free(a->tmpl);
    free(a);
}
