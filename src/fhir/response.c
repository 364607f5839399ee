/* fhir_response: a QuestionnaireResponse to the answers object. Items are found by linkId
 * wherever they sit (a renderer may flatten or nest groups); a question's value is mapped back
 * through the same Codings the Questionnaire offers (fhir_questionnaire_coding), so LOINC's
 * PHQ-9/GAD-7 answers and Haven's own codes both arrive as the scorer's values. Lenient where
 * nothing can be misread (an integral decimal for an integer, the item's plain code without a
 * system), strict where a guess could change a score. */
#include "fhir/response.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "domain/instruments.h"
#include "fhir/questionnaire.h"

#define MAX_DEPTH 16

struct reader {
    const json_t *index;
    json_t *answers; /* item id -> value */
    json_t *seen;    /* question linkIds met so far, answered or not */
    json_t *details;
};

static void detail(struct reader *x, const char *item, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void detail(struct reader *x, const char *item, const char *fmt, ...)
{
    char text[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    json_array_append_new(x->details, json_pack("{s:s, s:s}", "item", item, "message", text));
}

static void index_items(json_t *index, const json_t *items)
{
    for (size_t i = 0; i < json_array_size(items); i++) {
        const json_t *it = json_array_get(items, i);
        const char *link = json_string_value(json_object_get(it, "linkId"));
        const char *type = json_string_value(json_object_get(it, "type"));
        if (link && type)
            json_object_set_new(index, link, json_string(type));
        index_items(index, json_object_get(it, "item"));
    }
}

json_t *fhir_response_index(const json_t *questionnaire)
{
    json_t *index = json_object();

    index_items(index, json_object_get(questionnaire, "item"));
    return index;
}

/* A JSON number that is a whole number, as one (1 and 1.0 alike); -1 otherwise. */
static int whole(const json_t *v, json_int_t *out)
{
    double d;

    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 0;
    }
    if (!json_is_real(v))
        return -1;
    d = json_real_value(v);
    if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0) || (double)(json_int_t)d != d)
        return -1; /* outside the exact range of a double, or with a fraction */
    *out = (json_int_t)d;
    return 0;
}

/* The option of `it` whose Coding is (system, code); a Coding without a system matches on the
 * code alone. Haven's plain codes are also taken for an item that offers LOINC's (a response
 * to the first export of this Questionnaire). -1 when none. */
static long option_of(const struct item *it, const char *system, const char *code)
{
    struct fhir_coding c;
    char own[96];

    snprintf(own, sizeof(own), "%s:%s", FHIR_ANSWER_SYSTEM, it->id);
    for (size_t i = 0; i < it->n_options; i++) {
        fhir_questionnaire_coding(it, i, &c);
        if (!strcmp(c.code, code) && (!system || !strcmp(system, c.system)))
            return (long)i;
    }
    for (size_t i = 0; i < it->n_options; i++)
        if (!strcmp(it->options[i].value, code) && (!system || !strcmp(system, own)))
            return (long)i;
    return -1;
}

/* The one value[x] member of an answer, or NULL (and its name in *key). */
static json_t *value_of(const json_t *answer, const char **key)
{
    json_t *obj = (json_t *)(uintptr_t)answer; /* jansson's iterators are not const */
    json_t *found = NULL;
    int n = 0;

    for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
        const char *k = json_object_iter_key(it);
        if (strncmp(k, "value", 5) != 0)
            continue;
        n++;
        *key = k;
        found = json_object_iter_value(it);
    }
    return n == 1 ? found : NULL;
}

static json_t *coded(struct reader *x, const struct item *it, const json_t *v)
{
    const json_t *system = json_object_get(v, "system"), *code = json_object_get(v, "code");
    long o;

    if (!json_is_string(code) || (system && !json_is_string(system))) {
        detail(x, it->id, "valueCoding needs a code (and a system, if any, as text)");
        return NULL;
    }
    o = option_of(it, json_string_value(system), json_string_value(code));
    if (o < 0) {
        detail(x, it->id, "%.60s%s%.40s is not one of this item's answer options",
               system ? json_string_value(system) : "", system ? "|" : "", json_string_value(code));
        return NULL;
    }
    if (it->kind == ITEM_SCORED || it->kind == ITEM_SCALE)
        return json_integer(it->options[o].score);
    return json_string(it->options[o].value);
}

/* One answer's value as the scorer takes it, or NULL with a detail. */
static json_t *answer_value(struct reader *x, const struct item *it, const json_t *answer)
{
    const char *key = NULL;
    const json_t *v = value_of(answer, &key);
    json_int_t n;

    if (!v) {
        detail(x, it->id, "each answer needs exactly one value[x]");
        return NULL;
    }
    if (it->kind == ITEM_BOOL) {
        if (!strcmp(key, "valueBoolean") && json_is_boolean(v))
            return json_boolean(json_is_true(v));
        detail(x, it->id, "expected valueBoolean (true or false)");
        return NULL;
    }
    if ((!strcmp(key, "valueInteger") || !strcmp(key, "valueDecimal")) && whole(v, &n) == 0 &&
        (it->kind == ITEM_SCALE || it->kind == ITEM_SCORED))
        return json_integer(n); /* the scorer checks the range and the allowed set */
    if (!strcmp(key, "valueCoding") && json_is_object(v))
        return coded(x, it, v);
    if (!strcmp(key, "valueString") && json_is_string(v) &&
        (it->kind == ITEM_CODE || it->kind == ITEM_CODES))
        return json_string(json_string_value(v));
    if (it->kind == ITEM_SCALE)
        detail(x, it->id, "expected valueInteger, a whole number from %d to %d",
               it->options[0].score, it->options[it->n_options - 1].score);
    else
        detail(x, it->id, "expected valueCoding, one of this item's answer options");
    return NULL;
}

static void read_items(struct reader *x, const json_t *items, int depth);

static void read_question(struct reader *x, const struct item *it, const json_t *qi, int depth)
{
    const json_t *ans = json_object_get(qi, "answer");
    json_t *value = it->kind == ITEM_CODES ? json_array() : NULL, *v;

    if (json_object_get(x->seen, it->id)) {
        detail(x, it->id, "this item is given more than once");
        goto out;
    }
    json_object_set_new(x->seen, it->id, json_true());
    read_items(x, json_object_get(qi, "item"), depth + 1); /* its display items, if sent */
    if (ans && !json_is_array(ans)) {
        detail(x, it->id, "answer must be an array");
        goto out;
    }
    if (json_array_size(ans) == 0)
        goto out; /* not answered: the scorer decides whether it had to be */
    if (it->kind != ITEM_CODES && json_array_size(ans) > 1) {
        detail(x, it->id, "this item takes one answer");
        goto out;
    }
    for (size_t i = 0; i < json_array_size(ans); i++) {
        const json_t *a = json_array_get(ans, i);
        if (!json_is_object(a)) {
            detail(x, it->id, "each answer must be an object");
            goto out;
        }
        read_items(x, json_object_get(a, "item"), depth + 1);
        if (!(v = answer_value(x, it, a)))
            goto out;
        if (value)
            json_array_append_new(value, v);
        else
            value = v;
    }
    json_object_set_new(x->answers, it->id, value);
    value = NULL;
out:
    json_decref(value);
}

static void read_item(struct reader *x, const json_t *qi, int depth)
{
    const char *link = json_string_value(json_object_get(qi, "linkId"));
    const char *type = link ? json_string_value(json_object_get(x->index, link)) : NULL;
    const struct item *it;

    if (!json_is_object(qi) || !link) {
        detail(x, "item", "each item must be an object with a linkId");
        return;
    }
    if (!type) {
        detail(x, link, "not an item of Questionnaire " FHIR_QUESTIONNAIRE_ID);
        return;
    }
    if (strcmp(type, "group") == 0 || strcmp(type, "display") == 0) {
        if (json_array_size(json_object_get(qi, "answer")))
            detail(x, link, "a %s item takes no answer", type);
        read_items(x, json_object_get(qi, "item"), depth + 1);
        return;
    }
    if (!(it = instruments_item(link))) {
        detail(x, link, "not an item of Questionnaire " FHIR_QUESTIONNAIRE_ID);
        return;
    }
    read_question(x, it, qi, depth);
}

static void read_items(struct reader *x, const json_t *items, int depth)
{
    if (!items)
        return;
    if (!json_is_array(items) || depth > MAX_DEPTH) {
        detail(x, "item",
               depth > MAX_DEPTH ? "items are nested too deeply"
                                 : "item must be an array of items");
        return;
    }
    for (size_t i = 0; i < json_array_size(items); i++)
        read_item(x, json_array_get(items, i), depth);
}

/* Whether qr.questionnaire names this Questionnaire: its canonical URL (with or without
 * "|version"), or a reference to it by id ("Questionnaire/<id>", relative or absolute). */
static int ours(const char *ref)
{
    const char *tail = "Questionnaire/" FHIR_QUESTIONNAIRE_ID;
    size_t n = strlen(ref), t = strlen(tail);

    if (!strcmp(ref, FHIR_QUESTIONNAIRE_URL) ||
        !strcmp(ref, FHIR_QUESTIONNAIRE_URL "|" ASSESS_VERSION) || !strcmp(ref, tail))
        return 1;
    return n > t && ref[n - t - 1] == '/' && !strcmp(ref + n - t, tail);
}

enum err fhir_response_answers(const json_t *index, const json_t *qr, json_t **answers,
                               json_t *details)
{
    struct reader x = { index, json_object(), json_object(), details };
    const json_t *type = json_object_get(qr, "resourceType");
    const json_t *q = json_object_get(qr, "questionnaire");
    size_t before = json_array_size(details);

    *answers = NULL;
    if (!json_is_string(type) || strcmp(json_string_value(type), "QuestionnaireResponse")) {
        detail(&x, "resourceType", "expected a QuestionnaireResponse");
    } else if (q && !(json_is_string(q) && ours(json_string_value(q)))) {
        detail(&x, "questionnaire",
               "this server scores responses to " FHIR_QUESTIONNAIRE_URL " only");
    } else {
        read_items(&x, json_object_get(qr, "item"), 0);
    }
    json_decref(x.seen);
    if (json_array_size(details) > before) {
        json_decref(x.answers);
        return E_INVALID;
    }
    *answers = x.answers;
    return E_OK;
}
