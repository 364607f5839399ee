/* fuzz_tmpl: parses arbitrary bytes as a template and, when they parse, renders them against a
 * small fixed model, checking that rendering is deterministic and that a capped buffer gets a
 * prefix of the full output. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "web/tmpl.h"

#define OUT_LIMIT (64 * 1024)
/* Nested loops over the model's two-element arrays that print nothing never reach the output
 * limit; 2^12 passes over a short input keeps every run fast. Templates are trusted input in
 * Haven, so this bounds the fuzzer's patience, not a defence the engine owes. */
#define MAX_SECTIONS 12

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char model_json[] =
    "{\"title\": \"<Haven & co>\", \"n\": 42, \"r\": 2.5, \"t\": true, \"f\": false, \"z\": null,"
    " \"empty\": \"\", \"none\": [], \"user\": {\"name\": \"O'Neil\", \"role\": {\"id\": 7}},"
    " \"items\": [{\"name\": \"a`b\", \"n\": 1, \"tags\": [\"x\", \"y\"]},"
    " {\"name\": \"\\\"q\\\"\", \"ok\": true, \"tags\": []}], \"xs\": [1, \"two\"]}";

static const char *partials[][2] = {
    {"row", "<li>{{name}}{{#tags}} {{.}}{{/tags}}</li>\n"},
    {"head", "  <h1>{{title}}</h1>\n"},
    {"broken", "{{>missing}}"},
};

static size_t count_sections(const uint8_t *p, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i + 2 < n; i++)
        if (p[i] == '{' && p[i + 1] == '{' && (p[i + 2] == '#' || p[i + 2] == '^'))
            k++;
    return k;
}

static void check_render(const struct tmpl_set *s, const json_t *model)
{
    struct buf full = BUF_INIT, again = BUF_INIT, cut = BUF_INIT;
    int r;

    full.limit = again.limit = OUT_LIMIT;
    r = tmpl_render(s, " input", model, &full);
    if (tmpl_render(s, " input", model, &again) != r || full.len != again.len ||
        memcmp(buf_cstr(&full), buf_cstr(&again), full.len))
        abort();
    if (r == 0 && full.len > 1) { /* a limit of 0 means none */
        cut.limit = full.len / 2;
        if (tmpl_render(s, " input", model, &cut) != -1 || !cut.over ||
            memcmp(buf_cstr(&cut), buf_cstr(&full), cut.len))
            abort();
    }
    buf_free(&full);
    buf_free(&again);
    buf_free(&cut);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *model;
    struct tmpl_set *s;
    struct buf err = BUF_INIT;
    size_t i;

    if (!model && !(model = json_loads(model_json, 0, NULL)))
        abort();
    if (count_sections(data, size) > MAX_SECTIONS)
        return 0;
    s = tmpl_set_new();
    for (i = 0; i < sizeof(partials) / sizeof(partials[0]); i++)
        if (tmpl_set_add(s, partials[i][0], partials[i][1], strlen(partials[i][1]), NULL) < 0)
            abort();
    /* A name no tag can spell (names are trimmed), so the input cannot include itself. */
    if (tmpl_set_add(s, " input", (const char *)data, size, &err) == 0)
        check_render(s, model);
    else if (err.len == 0 || strncmp(buf_cstr(&err), "template  input line ", 21))
        abort();
    buf_free(&err);
    tmpl_set_free(s);
    return 0;
}
