/* app: loads the embedded templates and prepares what every request reads. */
#include "web/app.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "fhir/questionnaire.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/gzip.h"
#include "core/log.h"
#include "core/rand.h"
#include "core/ratelimit.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "modules/public/assessment_view.h"
#include "web/page.h"

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
    json_t *q;

    a->routes = routes;
    a->clinic_name = "Pecan Haven";
    {
        const char *v = getenv("HAVEN_CALL_LIMIT");
        long limit = 20;
        if (v && str_to_long(str_from(v), 1, 100000, &limit) < 0)
            log_warn("HAVEN_CALL_LIMIT is not a number from 1 to 100000; using 20");
        a->call_limit = ratelimit_new((unsigned)limit, 3600);
    }
    if (load_templates(a) < 0) {
        app_free(a);
        return NULL;
    }
    hash_assets(a);
    rand_bytes(a->csrf_key, sizeof(a->csrf_key));
    /* The empty questionnaire is the same for everyone: render it once, not per request. */
    {
        struct buf page = BUF_INIT;
        json_t *model = assessment_view_form(NULL, NULL);
        int rc = page_render_buf(a, "public/assessment", model, &page);
        json_decref(model);
        if (rc < 0) {
            buf_free(&page);
            app_free(a);
            return NULL;
        }
        a->blank_form = buf_detach(&page, &a->blank_form_len);
        a->blank_form_gz = gzip_compress(a->blank_form, a->blank_form_len, &a->blank_form_gz_len);
    }
    q = fhir_questionnaire_build();
    a->questionnaire = json_dumps(q, JSON_COMPACT);
    a->questionnaire_len = strlen(a->questionnaire);
    json_decref(q);
    return a;
}

void app_free(struct app *a)
{
    if (!a)
        return;
    tmpl_set_free(a->tmpl);
    free(a->questionnaire);
    free(a->blank_form);
    free(a->blank_form_gz);
    ratelimit_free(a->call_limit);
    sodium_memzero(a->csrf_key, sizeof(a->csrf_key));
    free(a);
}
