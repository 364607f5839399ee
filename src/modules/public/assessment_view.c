/* assessment_view: builds the form and result models; every text comes from the instrument
 * tables or the message table, so a translation touches neither this file nor a rule. */
#include "modules/public/assessment_view.h"

#include <stdio.h>
#include <string.h>

#include "domain/assess.h"
#include "domain/instruments.h"
#include "domain/messages.h"

/* msg() with a key built from parts; "" when the table has no such key. */
static const char *msgk(const char *fmt, const char *a, const char *b)
{
    char key[96];
    const char *t;

    snprintf(key, sizeof(key), fmt, a, b ? b : "");
    t = msg(key);
    return t ? t : "";
}

static int answered(const json_t *v, const struct item_option *o)
{
    size_t i;
    json_t *e;
    char num[24];

    if (!v)
        return 0;
    if (json_is_array(v)) {
        json_array_foreach(v, i, e)
            if (json_is_string(e) && strcmp(json_string_value(e), o->value) == 0)
                return 1;
        return 0;
    }
    if (json_is_string(v))
        return strcmp(json_string_value(v), o->value) == 0;
    if (json_is_boolean(v))
        return strcmp(json_is_true(v) ? "true" : "false", o->value) == 0;
    if (json_is_integer(v)) {
        snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
        return strcmp(num, o->value) == 0;
    }
    return 0;
}

static const char *problem_of(const json_t *details, const char *id)
{
    size_t i;
    json_t *d;

    json_array_foreach(details, i, d)
        if (strcmp(json_string_value(json_object_get(d, "item")), id) == 0)
            return json_string_value(json_object_get(d, "message"));
    return NULL;
}

static json_t *item_model(const struct item *it, const json_t *answers, const json_t *details)
{
    json_t *m, *opts = json_array();
    const json_t *v = answers ? json_object_get(answers, it->id) : NULL;
    const char *problem = details ? problem_of(details, it->id) : NULL;

    for (size_t i = 0; i < it->n_options; i++) {
        const struct item_option *o = &it->options[i];
        char input_id[96];
        snprintf(input_id, sizeof(input_id), "%s-%s", it->id, o->value);
        json_array_append_new(opts, json_pack("{s:s, s:s, s:b, s:s}", "value", o->value, "label",
                                              o->label, "checked", answered(v, o), "input_id",
                                              input_id));
    }
    m = json_pack("{s:s, s:s, s:s, s:b, s:b, s:o}", "id", it->id, "text", it->text, "show_if",
                  it->show_if ? it->show_if : "", "multiple", it->kind == ITEM_CODES, "scale",
                  it->kind == ITEM_SCALE, "options", opts);
    if (it->hint)
        json_object_set_new(m, "hint", json_string(it->hint));
    if (problem)
        json_object_set_new(m, "error", json_string(problem));
    return m;
}

json_t *assessment_view_form(const json_t *answers, const json_t *details)
{
    size_t n, i;
    const struct section *secs = instruments_sections(&n);
    json_t *sections = json_array(), *errors = json_array(), *d;

    for (i = 0; i < n; i++) {
        json_t *items = json_array();
        json_t *s = json_pack("{s:s, s:i, s:s, s:o}", "id", secs[i].id, "number", (int)i + 1,
                              "title", secs[i].title, "items", items);
        if (secs[i].intro)
            json_object_set_new(s, "intro", json_string(secs[i].intro));
        if (secs[i].source)
            json_object_set_new(s, "source", json_string(secs[i].source));
        for (size_t j = 0; j < secs[i].n_items; j++)
            json_array_append_new(items, item_model(secs[i].items[j], answers, details));
        json_array_append_new(sections, s);
    }
    json_array_foreach(details, i, d) {
        const char *id = json_string_value(json_object_get(d, "item"));
        const struct item *it = instruments_item(id);
        json_array_append_new(errors, json_pack("{s:s, s:O, s:s}", "item", id, "message",
                                                json_object_get(d, "message"), "text",
                                                it ? it->text : id));
    }
    return json_pack("{s:s, s:b, s:[s], s:b, s:o, s:i, s:o}", "title", "Self-assessment",
                     "quick_exit", 1, "scripts", "/static/assessment.js", "has_errors",
                     json_array_size(errors) > 0, "errors", errors, "section_count", (int)n,
                     "sections", sections);
}

static json_t *score_row(const char *name, const json_t *inst, const char *band)
{
    json_t *row = json_pack("{s:s, s:s}", "name", name, "band", band);

    if (json_object_get(inst, "score"))
        json_object_set(row, "score", json_object_get(inst, "score"));
    if (json_object_get(inst, "max"))
        json_object_set(row, "max", json_object_get(inst, "max"));
    if (json_object_get(inst, "note"))
        json_object_set(row, "note", json_object_get(inst, "note"));
    return row;
}

/* One row per instrument answered (and per substance used), in the form's order. */
static json_t *score_rows(const json_t *inst)
{
    static const char *const order[] = {"audit", "audit_c", "assist", "phq9", "gad7", "asq"};
    json_t *rows = json_array();

    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        const json_t *o = json_object_get(inst, order[i]);
        const char *sub;
        json_t *s;
        char label[64];

        if (!o)
            continue;
        if (strcmp(order[i], "assist") == 0) {
            json_object_foreach((json_t *)json_object_get(o, "substances"), sub, s) {
                snprintf(label, sizeof(label), "%s (ASSIST)", msgk("substance.%s", sub, NULL));
                json_t *row = score_row(
                    label, s,
                    msgk("band.assist.%s", json_string_value(json_object_get(s, "band")), NULL));
                json_object_set_new(row, "max", json_integer(39));
                json_array_append_new(rows, row);
            }
        } else if (strcmp(order[i], "audit_c") == 0) {
            snprintf(label, sizeof(label), "%s (cut-off %lld)",
                     json_is_true(json_object_get(o, "positive")) ? "Positive screen"
                                                                  : "Below the cut-off",
                     (long long)json_integer_value(json_object_get(o, "cutoff")));
            json_array_append_new(rows,
                                  score_row(msgk("instrument.%s.name", order[i], NULL), o, label));
        } else {
            const char *band =
                json_string_value(json_object_get(o, strcmp(order[i], "asq") ? "band" : "risk"));
            char key[48];
            snprintf(key, sizeof(key), "band.%s.%%s", order[i]);
            json_array_append_new(rows, score_row(msgk("instrument.%s.name", order[i], NULL), o,
                                                  msgk(key, band ? band : "", NULL)));
        }
    }
    return rows;
}

json_t *assessment_view_result(const json_t *result, json_t *call)
{
    const json_t *rec = json_object_get(result, "recommendation");
    const char *level = json_string_value(json_object_get(rec, "level"));
    json_t *flags = json_array(), *f;
    int acute = 0, risk = 0;
    size_t i;

    json_array_foreach(json_object_get(result, "flags"), i, f) {
        const char *code = json_string_value(f);
        acute |= strcmp(code, "suicide-acute") == 0;
        risk |= strcmp(code, "suicide-risk") == 0;
        json_array_append_new(flags, json_pack("{s:s, s:s, s:s}", "code", code, "title",
                                               msgk("flag.%s.title", code, NULL), "body",
                                               msgk("flag.%s.body", code, NULL)));
    }
    return json_pack(
        "{s:s, s:b, s:[s], s:b, s:b, s:{s:s, s:O, s:O, s:s, s:s, s:O}, s:b, s:o, s:o, s:O, s:s, "
        "s:s, s:o}",
        "title", "Your result", "quick_exit", 1, "scripts", "/static/assessment.js",
        "crisis_acute", acute, "crisis_risk", risk, "level", "code", level, "asam",
        json_object_get(rec, "asam"), "title", json_object_get(rec, "title"), "summary",
        msgk("level.%s.summary", level, NULL), "next", msgk("level.%s.next", level, NULL),
        "reasons", json_object_get(rec, "reasons"), "has_flags", json_array_size(flags) > 0,
        "flags", flags, "scores", score_rows(json_object_get(result, "instruments")),
        "dimensions", json_object_get(result, "dimensions"), "severity",
        msgk("severity.%s", json_string_value(json_object_get(result, "severity")), NULL),
        "disclaimer",
        "This is a screening aid, not a diagnosis. A clinician confirms the right level of care "
        "with you at intake.",
        "call", call);
}
