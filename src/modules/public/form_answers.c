/* form_answers: see form_answers.h. Values are converted by kind; whether they are allowed is
 * left to the scorer, which validates the API's answers the same way. */
#include "modules/public/form_answers.h"

#include <string.h>

#include "core/str.h"
#include "core/utf8.h"
#include "domain/instruments.h"

#define VALUE_MAX 64

static void problem(json_t *details, const char *item, const char *message)
{
    json_array_append_new(details, json_pack("{s:s, s:s}", "item", item, "message", message));
}

static int ignored(const char *name, const char *const *ignore)
{
    for (; ignore && *ignore; ignore++)
        if (strcmp(name, *ignore) == 0)
            return 1;
    return 0;
}

static json_t *convert(const struct item *it, const struct form_field *f, json_t *details)
{
    long v;

    switch (it->kind) {
    case ITEM_SCORED:
    case ITEM_SCALE:
        if (str_to_long((struct str){f->value, f->len}, -1000, 1000, &v) < 0) {
            problem(details, it->id, "Please choose one of the answers.");
            return NULL;
        }
        return json_integer(v);
    case ITEM_BOOL:
        if (strcmp(f->value, "true") == 0)
            return json_true();
        if (strcmp(f->value, "false") == 0)
            return json_false();
        problem(details, it->id, "Please answer yes or no.");
        return NULL;
    case ITEM_CODE:
    case ITEM_CODES:
        return json_stringn(f->value, f->len);
    }
    return NULL;
}

enum err form_answers(const struct form_field *fields, size_t n, const char *const *ignore,
                      json_t **answers, json_t *details)
{
    json_t *out = json_object();
    size_t before = json_array_size(details);

    for (size_t i = 0; i < n; i++) {
        const struct form_field *f = &fields[i];
        const struct item *it;
        json_t *v, *have;

        if (ignored(f->name, ignore) || f->len == 0)
            continue;
        if (!utf8_valid(f->name, strlen(f->name))) {
            problem(details, "(unreadable field)", "This is not a question of the assessment.");
            continue;
        }
        if (!(it = instruments_item(f->name))) {
            problem(details, f->name, "This is not a question of the assessment.");
            continue;
        }
        if (f->len > VALUE_MAX || !utf8_valid(f->value, f->len)) {
            problem(details, it->id, f->len > VALUE_MAX ? "This answer is too long."
                                                        : "Please choose one of the answers.");
            continue;
        }
        if (!(v = convert(it, f, details)))
            continue;
        have = json_object_get(out, it->id);
        if (it->kind == ITEM_CODES) {
            if (!have) {
                have = json_array();
                json_object_set_new(out, it->id, have);
            }
            json_array_append_new(have, v);
        } else if (have) {
            json_decref(v);
            problem(details, it->id, "Please choose only one answer.");
        } else {
            json_object_set_new(out, it->id, v);
        }
    }
    if (json_array_size(details) > before) {
        json_decref(out);
        *answers = NULL;
        return E_INVALID;
    }
    *answers = out;
    return E_OK;
}
