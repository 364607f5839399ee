/* assessment_view: builds the form and result models; every text comes from the instrument
 * tables or the message table, so a translation touches neither this file nor a rule. */
#include "modules/public/assessment_view.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "domain/assess.h"
#include "domain/instruments.h"
#include "domain/messages.h"

/* The ASSIST's "Other - specify:" row gets a box for the name (not scored, not an item). */
#define OTHER_ITEM "assist-1-other"

/* Items after which a safety panel follows, for the answers that call for help at once (the
 * template holds the panels; the page's CSS and assessment.js decide when they show). */
static const struct {
    const char *item;
    const char *panel;
} panels[] = {
    {"wd-now", "alert_withdrawal"},
    {"med-overdose", "alert_overdose"},
    {"asq-5", "alert_suicide"},
};

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

/* The scorer's problems are written for programs ("required", "must be one of: 0, 2, 4"); the
 * person reads what to do. The web form's own problems (form_answers) are already plain. */
static const char *plain_problem(const char *message)
{
    if (!message)
        return NULL;
    if (strcmp(message, msg("error.required")) == 0)
        return "Please choose an answer. The questions in this part go together, so once one "
               "is answered the others are needed too.";
    if (strncmp(message, "must be", 7) == 0 || strcmp(message, msg("error.unknown-item")) == 0)
        return "Please choose one of the answers.";
    return message;
}

static bool same_hint(const struct item *a, const struct item *b)
{
    return a->hint && b->hint && strcmp(a->hint, b->hint) == 0;
}

static bool stem_run(const struct section *s, size_t j)
{
    return (j + 1 < s->n_items && same_hint(s->items[j], s->items[j + 1])) ||
           (j > 0 && same_hint(s->items[j], s->items[j - 1]));
}

static json_t *item_model(const struct section *s, size_t j, const json_t *answers,
                          const json_t *details)
{
    const struct item *it = s->items[j];
    json_t *m, *opts = json_array();
    const json_t *v = answers ? json_object_get(answers, it->id) : NULL;
    const char *problem = details ? plain_problem(problem_of(details, it->id)) : NULL;

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
    /* A hint shared by a run of items is the instrument's stem: said once, before the first
     * (eight "(non-medical use only)" in a row read as alarm, not help). */
    if (it->hint && stem_run(s, j)) {
        if (j == 0 || !same_hint(s->items[j - 1], it))
            json_object_set_new(m, "stem", json_string(it->hint));
    } else if (it->hint) {
        json_object_set_new(m, "hint", json_string(it->hint));
    }
    if (it->help)
        json_object_set_new(m, "help", json_string(it->help));
    /* "None of these" makes an empty choice an answer (form_answers reads it as []). */
    if (it->kind == ITEM_CODES)
        json_object_set_new(m, "none_checked",
                            json_boolean(json_is_array(v) && json_array_size(v) == 0));
    if (strcmp(it->id, OTHER_ITEM) == 0)
        json_object_set_new(m, "other_box", json_true());
    for (size_t p = 0; p < sizeof(panels) / sizeof(panels[0]); p++)
        if (strcmp(it->id, panels[p].item) == 0)
            json_object_set_new(m, panels[p].panel, json_true());
    if (problem)
        json_object_set_new(m, "error", json_string(problem));
    return m;
}

/* One line of the error summary: what to do, then the question it is about. */
static json_t *summary_line(const json_t *d)
{
    const char *id = json_string_value(json_object_get(d, "item"));
    const char *raw = json_string_value(json_object_get(d, "message"));
    const struct item *it = instruments_item(id);
    const char *todo = "Check your answer to";

    if (raw && strcmp(raw, msg("error.required")) == 0)
        todo = "Choose an answer to";
    else if (raw && strncmp(raw, "must be", 7) == 0)
        todo = "Choose one of the answers to";
    else if (!it)
        todo = "Please go back and choose your answers again";
    return json_pack("{s:s, s:s, s:s}", "item", id, "todo", todo, "text", it ? it->text : "");
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
            json_array_append_new(items, item_model(&secs[i], j, answers, details));
        json_array_append_new(sections, s);
    }
    json_array_foreach(details, i, d)
        json_array_append_new(errors, summary_line(d));
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

/* "Other drugs (kratom)" when the person named it. */
static void substance_label(char *out, size_t n, const char *sub, const char *other)
{
    if (strcmp(sub, "other") == 0 && other && *other)
        snprintf(out, n, "%s (%s) (ASSIST)", msgk("substance.%s", sub, NULL), other);
    else
        snprintf(out, n, "%s (ASSIST)", msgk("substance.%s", sub, NULL));
}

/* One row per instrument answered (and per substance used), in the form's order. */
static json_t *score_rows(const json_t *inst, const char *other)
{
    static const char *const order[] = {"audit", "audit_c", "assist", "phq9", "gad7", "asq"};
    json_t *rows = json_array();

    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        const json_t *o = json_object_get(inst, order[i]);
        const char *sub;
        json_t *s;
        char label[256];

        if (!o)
            continue;
        if (strcmp(order[i], "assist") == 0) {
            json_object_foreach((json_t *)json_object_get(o, "substances"), sub, s) {
                substance_label(label, sizeof(label), sub, other);
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

/* The reasons as {text, urgent}: withdrawal right now is marked, for the person and for the
 * staff who call back. *urgent is set when any reason is. */
static json_t *reason_items(const json_t *reasons, int *urgent)
{
    json_t *items = json_array(), *v;
    const char *now = msg("reason.wd-now");
    size_t i;

    json_array_foreach(reasons, i, v) {
        int u = json_is_string(v) && strcmp(json_string_value(v), now) == 0;
        *urgent |= u;
        json_array_append_new(items, json_pack("{s:O, s:b}", "text", v, "urgent", u));
    }
    return items;
}

/* Each dimension as the scorer gave it, plus its reason_items: a shallow copy of each (the
 * scorer's values are shared, never changed), not a deep copy of them all. */
static json_t *dimension_rows(const json_t *dims, int *urgent)
{
    json_t *rows = json_array(), *d, *row;
    size_t i;

    json_array_foreach(dims, i, d) {
        row = json_copy((json_t *)(uintptr_t)d); /* jansson's copy is not const-correct */
        json_object_set_new(row, "reason_items",
                            reason_items(json_object_get(d, "reasons"), urgent));
        json_array_append_new(rows, row);
    }
    return rows;
}

json_t *assessment_view_result(const json_t *result, json_t *call)
{
    const json_t *rec = json_object_get(result, "recommendation");
    const char *level = json_string_value(json_object_get(rec, "level"));
    const char *other = json_string_value(json_object_get(result, "other_substance"));
    json_t *flags = json_array(), *f, *dims, *reasons;
    int acute = 0, risk = 0, wd_now = 0;
    size_t i;

    json_array_foreach(json_object_get(result, "flags"), i, f) {
        const char *code = json_string_value(f);
        acute |= strcmp(code, "suicide-acute") == 0;
        risk |= strcmp(code, "suicide-risk") == 0;
        json_array_append_new(flags, json_pack("{s:s, s:s, s:s}", "code", code, "title",
                                               msgk("flag.%s.title", code, NULL), "body",
                                               msgk("flag.%s.body", code, NULL)));
    }
    reasons = reason_items(json_object_get(rec, "reasons"), &wd_now);
    dims = dimension_rows(json_object_get(result, "dimensions"), &wd_now);
    return json_pack(
        "{s:s, s:b, s:[s], s:b, s:b, s:{s:s, s:O, s:O, s:s, s:s, s:O, s:o}, s:b, s:o, s:o, s:o, "
        "s:s, s:s, s:b, s:o}",
        "title", "Your result", "quick_exit", 1, "scripts", "/static/assessment.js",
        "crisis_acute", acute, "crisis_risk", risk, "level", "code", level, "asam",
        json_object_get(rec, "asam"), "title", json_object_get(rec, "title"), "summary",
        msgk("level.%s.summary", level, NULL), "next", msgk("level.%s.next", level, NULL),
        "reasons", json_object_get(rec, "reasons"), "reason_items", reasons, "has_flags",
        json_array_size(flags) > 0, "flags", flags, "scores",
        score_rows(json_object_get(result, "instruments"), other), "dimensions", dims,
        "severity",
        msgk("severity.%s", json_string_value(json_object_get(result, "severity")), NULL),
        "disclaimer",
        "This is a screening aid, not a diagnosis. A clinician confirms the right level of care "
        "with you at intake.",
        "wd_now", wd_now, "call", call);
}
