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

/* "None of these" under a list question (a field "none" whose value is the item's id): an
 * answer of [] unless one of the list was ticked too. */
static void none_of_these(const struct form_field *f, json_t *nones, json_t *details)
{
    const struct item *it = utf8_valid(f->value, f->len) ? instruments_item(f->value) : NULL;

    if (!it || it->kind != ITEM_CODES) {
        problem(details, "(none of these)", "This is not a question of the assessment.");
        return;
    }
    json_array_append_new(nones, json_string(it->id));
}

enum err form_answers(const struct form_field *fields, size_t n, const char *const *ignore,
                      json_t **answers, json_t *details)
{
    json_t *out = json_object(), *nones = json_array(), *id;
    size_t before = json_array_size(details), k;

    for (size_t i = 0; i < n; i++) {
        const struct form_field *f = &fields[i];
        const struct item *it;
        json_t *v, *have;

        if (ignored(f->name, ignore) || f->len == 0)
            continue;
        if (strcmp(f->name, "none") == 0) {
            none_of_these(f, nones, details);
            continue;
        }
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
    json_array_foreach(nones, k, id)
        if (!json_object_get(out, json_string_value(id)))
            json_object_set_new(out, json_string_value(id), json_array());
    json_decref(nones);
    if (json_array_size(details) > before) {
        json_decref(out);
        *answers = NULL;
        return E_INVALID;
    }
    *answers = out;
    return E_OK;
}
