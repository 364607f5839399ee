/* editor: the draft's form, without script: every problem, goal, objective and intervention
 * as fields named by their place ("p0-g1-o0-text"), one blank row of each kind to add with,
 * and a "remove" box on each. Saving reads the whole form back into the API's content shape
 * (blank rows skipped, removed ones left out), so that the screen and PUT replace a draft the
 * same way; a problem goes back beside its field and into the summary at the top. */
#include "modules/plans/plans.h"

#include <stdio.h>
#include <string.h>

#include "domain/plan.h"

static const char *const objective_statuses[] = {"open", "met", "revised", "discontinued"};
static const char *const sources[] = {"assessment", "intake", "clinician"};

/* The form field prefix + suffix, trimmed (arena), "" when absent. */
static const char *field(struct req *r, const char *prefix, const char *suffix)
{
    char name[64];
    const char *v;
    char *t;
    size_t n;

    snprintf(name, sizeof(name), "%s-%s", prefix, suffix);
    if (!(v = req_form(r, name)))
        return "";
    while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
        v++;
    t = arena_strdup(r->arena, v);
    for (n = strlen(t); n && strchr(" \t\r\n", t[n - 1]); n--)
        t[n - 1] = '\0';
    return t;
}

static bool removed(struct req *r, const char *prefix)
{
    return !strcmp(field(r, prefix, "remove"), "yes");
}

/* Records a problem of the item (its "_err" object) for key. */
static void problem(json_t *item, const char *key, const char *message, int *problems)
{
    json_t *err = json_object_get(item, "_err");

    if (!err)
        json_object_set_new(item, "_err", err = json_object());
    if (!json_object_get(err, key)) {
        json_object_set_new(err, key, json_string(message));
        (*problems)++;
    }
}

/* A text member of item, checked: "" counts as missing. */
static void text(json_t *item, const char *key, const char *v, long max, bool multiline,
                 const char *missing, int *problems)
{
    const char *why = *v ? plan_text_problem(v, max, multiline) : missing;

    json_object_set_new(item, key, json_string(v));
    if (why)
        problem(item, key, why, problems);
}

static json_t *objective_read(struct req *r, const char *n, int *problems)
{
    const char *t = field(r, n, "text"), *target = field(r, n, "target");
    const char *status = field(r, n, "status"), *thread = field(r, n, "thread");
    json_t *o;
    caldate d;
    size_t i;

    if (!*t && !*target)
        return NULL;
    o = json_object();
    text(o, "text", t, PLAN_TEXT_MAX, true, "Say what the patient will do.", problems);
    json_object_set_new(o, "target_date", json_string(target));
    if (!caldate_parse(target, &d))
        problem(o, "target_date", "Give a target date such as 2026-03-09.", problems);
    for (i = 0; i < 4 && strcmp(status, objective_statuses[i]); i++)
        ;
    json_object_set_new(o, "status", json_string(i < 4 ? status : "open"));
    if (*thread && strlen(thread) <= 32)
        json_object_set_new(o, "thread_id", json_string(thread));
    return o;
}

static json_t *goal_read(struct req *r, const char *n, int *problems)
{
    const char *t = field(r, n, "text");
    json_t *g = json_pack("{s:[]}", "objectives"), *o;
    char sub[48];

    for (int k = 0; k < PLAN_MAX_OBJECTIVES; k++) {
        snprintf(sub, sizeof(sub), "%s-o%d", n, k);
        if (!removed(r, sub) && (o = objective_read(r, sub, problems)))
            json_array_append_new(json_object_get(g, "objectives"), o);
    }
    if (!*t && !json_array_size(json_object_get(g, "objectives"))) {
        json_decref(g);
        return NULL;
    }
    text(g, "text", t, PLAN_TEXT_MAX, true, "Write the goal in the patient's words.", problems);
    return g;
}

static json_t *intervention_read(struct req *r, const char *n, int *problems)
{
    const char *t = field(r, n, "text"), *freq = field(r, n, "freq");
    json_t *iv;

    if (!*t && !*freq)
        return NULL;
    iv = json_object();
    text(iv, "text", t, PLAN_TEXT_MAX, true, "Say what staff will do.", problems);
    text(iv, "frequency", freq, PLAN_FREQUENCY_MAX, false, "Say how often, such as 3x/week.",
         problems);
    return iv;
}

static json_t *problem_read(struct req *r, const char *n, int *problems)
{
    const char *dim = field(r, n, "dim"), *statement = field(r, n, "statement");
    const char *source = field(r, n, "source");
    json_t *p = json_pack("{s:[], s:[]}", "goals", "interventions"), *x;
    char sub[32];
    size_t i;

    for (int j = 0; j < PLAN_MAX_GOALS; j++) {
        snprintf(sub, sizeof(sub), "%s-g%d", n, j);
        if (!removed(r, sub) && (x = goal_read(r, sub, problems)))
            json_array_append_new(json_object_get(p, "goals"), x);
    }
    for (int k = 0; k < PLAN_MAX_INTERVENTIONS; k++) {
        snprintf(sub, sizeof(sub), "%s-i%d", n, k);
        if (!removed(r, sub) && (x = intervention_read(r, sub, problems)))
            json_array_append_new(json_object_get(p, "interventions"), x);
    }
    if (!*statement && !*dim && !json_array_size(json_object_get(p, "goals")) &&
        !json_array_size(json_object_get(p, "interventions"))) {
        json_decref(p);
        return NULL;
    }
    json_object_set_new(p, "asam_dimension",
                        json_integer(strlen(dim) == 1 && dim[0] >= '1' && dim[0] <= '6'
                                         ? dim[0] - '0'
                                         : 0));
    if (!json_integer_value(json_object_get(p, "asam_dimension")))
        problem(p, "asam_dimension", "Choose the ASAM dimension.", problems);
    text(p, "statement", statement, PLAN_TEXT_MAX, true, "Describe the problem.", problems);
    for (i = 0; i < 3 && strcmp(source, sources[i]); i++)
        ;
    json_object_set_new(p, "source", json_string(i < 3 ? source : "clinician"));
    return p;
}

json_t *plans_editor_read(struct req *r, int *problems)
{
    const char *summary = field(r, "plan", "summary");
    json_t *c = json_pack("{s:[]}", "problems"), *p;
    char n[16];

    *problems = 0;
    if (*summary)
        text(c, "summary", summary, PLAN_SUMMARY_MAX, true, NULL, problems);
    for (int i = 0; i < PLAN_MAX_PROBLEMS; i++) {
        snprintf(n, sizeof(n), "p%d", i);
        if (!removed(r, n) && (p = problem_read(r, n, problems)))
            json_array_append_new(json_object_get(c, "problems"), p);
    }
    return c;
}

/* ---- the form's model ---- */

/* Copies item's problem for key to row as "err_<key>" and into the summary (where: words). */
static void err_out(json_t *row, const json_t *item, const char *key, const char *id,
                    const char *where, json_t *errors)
{
    const char *why = json_string_value(json_object_get(json_object_get(item, "_err"), key));
    char name[40], message[300];

    if (!why)
        return;
    snprintf(name, sizeof(name), "err_%s", key);
    json_object_set_new(row, name, json_string(why));
    snprintf(message, sizeof(message), "%s: %s", where, why);
    json_array_append_new(errors, json_pack("{s:s, s:s}", "field", id, "message", message));
}

static const char *sget(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static json_t *status_options(const char *chosen)
{
    json_t *out = json_array();

    for (size_t i = 0; i < 4; i++)
        json_array_append_new(out, json_pack("{s:s, s:b}", "value", objective_statuses[i],
                                             "selected", !strcmp(chosen, objective_statuses[i])));
    return out;
}

/* A row's place: n (field prefix), label ("1.2"), parent's label; blank rows to add with are
 * folded away (open: inside a blank parent, which is folded already). */
static json_t *place(const char *n, const char *label, const char *parent, bool blank,
                     bool open)
{
    return json_pack("{s:s, s:s, s:s, s:b, s:b}", "n", n, "label", label, "parent", parent,
                     "blank", blank, "open", open);
}

static json_t *objective_row(const char *n, const char *label, const char *parent,
                             bool open, const json_t *o, json_t *errors)
{
    char id[64], where[64];
    json_t *row = place(n, label, parent, o == NULL, open);

    json_object_update_new(
        row, json_pack("{s:s, s:s, s:o, s:s}", "text", sget(o, "text"), "target",
                       sget(o, "target_date"), "statuses",
                       status_options(*sget(o, "status") ? sget(o, "status") : "open"),
                       "thread", sget(o, "thread_id")));

    snprintf(where, sizeof(where), "Objective %s", label);
    snprintf(id, sizeof(id), "%s-text", n);
    err_out(row, o, "text", id, where, errors);
    snprintf(id, sizeof(id), "%s-target", n);
    err_out(row, o, "target_date", id, where, errors);
    return row;
}

static json_t *goal_row(const char *n, const char *label, const char *parent, bool open,
                        const json_t *g, json_t *errors)
{
    const json_t *objectives = json_object_get(g, "objectives"), *o;
    char sub[48], sublabel[24], id[64], where[48];
    json_t *row = place(n, label, parent, g == NULL, open);
    size_t k, count = json_array_size(objectives);

    json_object_update_new(row, json_pack("{s:s, s:[]}", "text", sget(g, "text"), "objectives"));

    for (k = 0; k <= count && k < PLAN_MAX_OBJECTIVES; k++) {
        o = k < count ? json_array_get(objectives, k) : NULL;
        snprintf(sub, sizeof(sub), "%s-o%zu", n, k);
        snprintf(sublabel, sizeof(sublabel), "%s.%zu", label, k + 1);
        json_array_append_new(json_object_get(row, "objectives"),
                              objective_row(sub, sublabel, label, g == NULL, o, errors));
    }
    snprintf(where, sizeof(where), "Goal %s", label);
    snprintf(id, sizeof(id), "%s-text", n);
    err_out(row, g, "text", id, where, errors);
    return row;
}

static json_t *dimension_options(int chosen)
{
    json_t *out = json_array();

    for (int d = 1; d <= 6; d++)
        json_array_append_new(out, json_pack("{s:i, s:s, s:b}", "value", d, "label",
                                             plans_dimension_name(d), "selected", d == chosen));
    return out;
}

static json_t *problem_row(int i, const json_t *p, json_t *errors)
{
    const json_t *goals = json_object_get(p, "goals"), *ivs = json_object_get(p, "interventions");
    const char *source = sget(p, "source");
    char n[8], sub[32], label[16], id[48], where[48];
    json_t *row, *iv;
    size_t j, count;

    snprintf(n, sizeof(n), "p%d", i);
    snprintf(label, sizeof(label), "%d", i + 1);
    row = place(n, label, "", p == NULL, false);
    json_object_update_new(
        row, json_pack("{s:o, s:s, s:s, s:b, s:[], s:[]}", "dimensions",
                       dimension_options((int)json_integer_value(
                           json_object_get(p, "asam_dimension"))),
                       "statement", sget(p, "statement"), "source", *source ? source : "clinician",
                       "seeded", !strcmp(source, "assessment") || !strcmp(source, "intake"),
                       "goals", "interventions"));
    count = json_array_size(goals);
    for (j = 0; j <= count && j < PLAN_MAX_GOALS; j++) {
        snprintf(sub, sizeof(sub), "%s-g%zu", n, j);
        snprintf(label, sizeof(label), "%d.%zu", i + 1, j + 1);
        json_array_append_new(json_object_get(row, "goals"),
                              goal_row(sub, label, json_string_value(json_object_get(row,
                                                                                     "label")),
                                       p == NULL, j < count ? json_array_get(goals, j) : NULL,
                                       errors));
    }
    count = json_array_size(ivs);
    for (j = 0; j <= count && j < PLAN_MAX_INTERVENTIONS; j++) {
        iv = j < count ? json_array_get(ivs, j) : NULL;
        snprintf(sub, sizeof(sub), "%s-i%zu", n, j);
        snprintf(label, sizeof(label), "%d.%zu", i + 1, j + 1);
        json_t *x = place(sub, label, json_string_value(json_object_get(row, "label")),
                          iv == NULL, p == NULL);

        json_object_update_new(x, json_pack("{s:s, s:s}", "text", sget(iv, "text"),
                                            "frequency", sget(iv, "frequency")));
        snprintf(where, sizeof(where), "Intervention %s", label);
        snprintf(id, sizeof(id), "%s-text", sub);
        err_out(x, iv, "text", id, where, errors);
        snprintf(id, sizeof(id), "%s-freq", sub);
        err_out(x, iv, "frequency", id, where, errors);
        json_array_append_new(json_object_get(row, "interventions"), x);
    }
    snprintf(where, sizeof(where), "Problem %d", i + 1);
    snprintf(id, sizeof(id), "%s-dim", n);
    err_out(row, p, "asam_dimension", id, where, errors);
    snprintf(id, sizeof(id), "%s-statement", n);
    err_out(row, p, "statement", id, where, errors);
    return row;
}

json_t *plans_editor_view(const json_t *content, json_t *errors)
{
    const json_t *problems = json_object_get(content, "problems");
    size_t i, count = json_array_size(problems);
    json_t *out = json_pack("{s:s, s:[]}", "summary", sget(content, "summary"), "problems");

    for (i = 0; i <= count && i < PLAN_MAX_PROBLEMS; i++)
        json_array_append_new(json_object_get(out, "problems"),
                              problem_row((int)i, i < count ? json_array_get(problems, i) : NULL,
                                          errors));
    err_out(out, content, "summary", "plan-summary", "Summary", errors);
    return out;
}
