/* plan: the treatment plan rules of plan.h. The lifecycle is a table of which act each state
 * allows; the content check walks the body once and names every problem by its path, so that
 * the API answers them all together and the screen puts each beside its field. */
#include "domain/plan.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

static const char *const status_names[] = {"draft", "signed", "current", "superseded"};

/* allows[status][act] */
static const bool allows[4][4] = {
    [PLAN_DRAFT] = {[PLAN_EDIT] = true, [PLAN_SIGN] = true},
    [PLAN_SIGNED] = {[PLAN_ACKNOWLEDGE] = true},
    [PLAN_CURRENT] = {[PLAN_REVIEW] = true},
};

static const char *const sources[] = {"assessment", "intake", "clinician", NULL};
static const char *const objective_statuses[] = {"open", "met", "revised", "discontinued", NULL};

const char *plan_status_name(enum plan_status s)
{
    return (unsigned)s < 4 ? status_names[s] : "draft";
}

bool plan_status_parse(const char *name, enum plan_status *out)
{
    for (unsigned i = 0; name && i < 4; i++)
        if (!strcmp(name, status_names[i])) {
            *out = (enum plan_status)i;
            return true;
        }
    return false;
}

bool plan_allows(enum plan_status s, enum plan_act act)
{
    return (unsigned)s < 4 && (unsigned)act < 4 && allows[s][act];
}

const char *plan_refusal(enum plan_status s, enum plan_act act)
{
    if (plan_allows(s, act))
        return NULL;
    switch (act) {
    case PLAN_EDIT:
    case PLAN_SIGN:
        return s == PLAN_SIGNED ? "Only a draft can be changed or signed; this version is "
                                  "signed and waits for the patient's acknowledgement."
                                : "Only a draft can be changed or signed; this version is "
                                  "locked. Start a review to make a new version.";
    case PLAN_ACKNOWLEDGE:
        return s == PLAN_DRAFT ? "The plan must be signed before the patient acknowledges it."
                               : "This version has been acknowledged already.";
    case PLAN_REVIEW:
        break;
    }
    return "Only the current plan can be reviewed.";
}

const char *plan_text_problem(const char *s, long max, bool multiline)
{
    long n = s ? utf8_count(s) : -1;

    if (!s || n < 1)
        return "Write 1 or more characters.";
    if (n > max)
        return max > 300 ? "This is too long (1200 characters at most)." : "This is too long.";
    if (utf8_has_format(s))
        return "Remove the invisible characters.";
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r')))
            return "Remove the control characters (tabs, line breaks).";
    return NULL;
}

/* One problem at path + "." + key. */
static void add(json_t *details, const char *path, const char *key, const char *message)
{
    char field[160];

    snprintf(field, sizeof(field), "%s%s%s", path, *path && key ? "." : "", key ? key : "");
    json_array_append_new(details, json_pack("{s:s, s:s}", "field", field, "message", message));
}

/* A required text member of o; adds its problem. */
static void text(const json_t *o, const char *key, long max, bool multiline, json_t *details,
                 const char *path, const char *missing)
{
    json_t *v = json_object_get(o, key);
    const char *problem;

    if (!v || json_is_null(v)) {
        add(details, path, key, missing);
        return;
    }
    problem = json_is_string(v) ? plan_text_problem(json_string_value(v), max, multiline)
                                : "Give text.";
    if (problem)
        add(details, path, key, problem);
}

/* An optional member of o that must be one of allowed when sent. */
static void choice(const json_t *o, const char *key, const char *const *allowed,
                   json_t *details, const char *path, const char *message)
{
    json_t *v = json_object_get(o, key);
    const char *s = json_string_value(v);

    if (!v || json_is_null(v))
        return;
    for (size_t i = 0; s && allowed[i]; i++)
        if (!strcmp(s, allowed[i]))
            return;
    add(details, path, key, message);
}

/* The array at key of o (absent or null: none); adds a problem when it is not an array or has
 * more than max items. NULL when it cannot be walked. */
static const json_t *list(const json_t *o, const char *key, size_t max, json_t *details,
                          const char *path)
{
    json_t *v = json_object_get(o, key);
    char message[64];

    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_array(v)) {
        add(details, path, key, "Give a list.");
        return NULL;
    }
    if (json_array_size(v) > max) {
        snprintf(message, sizeof(message), "At most %zu.", max);
        add(details, path, key, message);
        return NULL;
    }
    return v;
}

static void objective(const json_t *o, json_t *details, const char *path)
{
    const char *date = json_string_value(json_object_get(o, "target_date"));
    json_t *thread = json_object_get(o, "thread_id");
    caldate d;

    text(o, "text", PLAN_TEXT_MAX, true, details, path, "Say what the patient will do.");
    if (!date || !caldate_parse(date, &d))
        add(details, path, "target_date", "Give a target date such as 2026-03-09.");
    choice(o, "status", objective_statuses, details, path,
           "The status is open, met, revised or discontinued.");
    if (thread && !json_is_null(thread) &&
        (!json_is_string(thread) || json_string_length(thread) < 1 ||
         json_string_length(thread) > 32))
        add(details, path, "thread_id", "Give the thread id as the plan shows it.");
}

static void goal(const json_t *g, json_t *details, const char *path)
{
    const json_t *objectives = list(g, "objectives", PLAN_MAX_OBJECTIVES, details, path), *o;
    char sub[128];
    size_t i;

    text(g, "text", PLAN_TEXT_MAX, true, details, path, "Write the goal in the patient's words.");
    json_array_foreach(objectives, i, o) {
        snprintf(sub, sizeof(sub), "%s.objectives[%zu]", path, i);
        if (json_is_object(o))
            objective(o, details, sub);
        else
            add(details, sub, NULL, "Give an objective as an object.");
    }
}

static void problem(const json_t *p, json_t *details, const char *path)
{
    const json_t *goals = list(p, "goals", PLAN_MAX_GOALS, details, path), *g;
    const json_t *ivs = list(p, "interventions", PLAN_MAX_INTERVENTIONS, details, path), *iv;
    json_t *dim = json_object_get(p, "asam_dimension");
    char sub[80];
    size_t i;

    if (!json_is_integer(dim) || json_integer_value(dim) < 1 || json_integer_value(dim) > 6)
        add(details, path, "asam_dimension", "Choose the ASAM dimension, 1 to 6.");
    text(p, "statement", PLAN_TEXT_MAX, true, details, path, "Describe the problem.");
    choice(p, "source", sources, details, path,
           "The source is assessment, intake or clinician.");
    json_array_foreach(goals, i, g) {
        snprintf(sub, sizeof(sub), "%s.goals[%zu]", path, i);
        if (json_is_object(g))
            goal(g, details, sub);
        else
            add(details, sub, NULL, "Give a goal as an object.");
    }
    json_array_foreach(ivs, i, iv) {
        snprintf(sub, sizeof(sub), "%s.interventions[%zu]", path, i);
        if (!json_is_object(iv)) {
            add(details, sub, NULL, "Give an intervention as an object.");
            continue;
        }
        text(iv, "text", PLAN_TEXT_MAX, true, details, sub, "Say what staff will do.");
        text(iv, "frequency", PLAN_FREQUENCY_MAX, false, details, sub,
             "Say how often, such as 3x/week.");
    }
}

size_t plan_check(const json_t *content, json_t *details)
{
    size_t before = json_array_size(details), i;
    const json_t *problems, *p;
    char path[32];

    if (json_object_get(content, "summary") && !json_is_null(json_object_get(content, "summary")))
        text(content, "summary", PLAN_SUMMARY_MAX, true, details, "", NULL);
    problems = list(content, "problems", PLAN_MAX_PROBLEMS, details, "");
    json_array_foreach(problems, i, p) {
        snprintf(path, sizeof(path), "problems[%zu]", i);
        if (json_is_object(p))
            problem(p, details, path);
        else
            add(details, path, NULL, "Give a problem as an object.");
    }
    return json_array_size(details) - before;
}

/* Appends text to out (size bytes, NUL-terminated) when all of it fits with room to spare for
 * the characters already there: a reason is kept whole or left out. */
static void append_whole(char *out, size_t size, const char *sep, const char *text)
{
    size_t n = strlen(out), a = strlen(sep), b = strlen(text);

    if (n + a + b < size) {
        memcpy(out + n, sep, a);
        memcpy(out + n + a, text, b + 1);
    }
}

json_t *plan_seed(const json_t *result, const char *source)
{
    json_t *out = json_array(), *d, *reason;
    /* Bytes, not characters: a statement of at most PLAN_TEXT_MAX bytes has at most as many
     * characters. */
    char statement[PLAN_TEXT_MAX + 1];
    size_t i, j;

    json_array_foreach(json_object_get(result, "dimensions"), i, d) {
        json_int_t dim = json_integer_value(json_object_get(d, "dimension"));
        json_int_t rating = json_integer_value(json_object_get(d, "rating"));
        const char *name = json_string_value(json_object_get(d, "name"));

        if (dim < 1 || dim > 6 || rating < 1)
            continue;
        snprintf(statement, sizeof(statement), "%s: rated %d of 4 at the assessment.",
                 name ? name : "ASAM dimension", (int)rating);
        json_array_foreach(json_object_get(d, "reasons"), j, reason)
            if (json_is_string(reason))
                append_whole(statement, sizeof(statement), j ? "; " : " ",
                             json_string_value(reason));
        json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:[], s:[]}", "asam_dimension",
                                             dim, "statement", statement, "source", source,
                                             "goals", "interventions"));
    }
    return out;
}

/* Appends a blocker when there is room; counts it always. */
static void block(struct plan_blocker *out, size_t max, size_t *n, enum plan_block kind,
                  size_t problem, size_t goal)
{
    if (*n < max)
        out[*n] = (struct plan_blocker){.kind = kind, .problem = problem, .goal = goal};
    (*n)++;
}

size_t plan_blockers(const json_t *problems, struct plan_blocker *out, size_t max)
{
    const json_t *p, *g;
    size_t n = 0, i, j;

    if (!json_array_size(problems))
        block(out, max, &n, PLAN_NO_PROBLEM, 0, 0);
    json_array_foreach(problems, i, p) {
        const json_t *goals = json_object_get(p, "goals");

        if (!json_array_size(goals))
            block(out, max, &n, PLAN_NO_GOAL, i, 0);
        json_array_foreach(goals, j, g)
            if (!json_array_size(json_object_get(g, "objectives")))
                block(out, max, &n, PLAN_NO_OBJECTIVE, i, j);
        if (!json_array_size(json_object_get(p, "interventions")))
            block(out, max, &n, PLAN_NO_INTERVENTION, i, 0);
    }
    return n;
}

void plan_blocker_words(const struct plan_blocker *b, char *message, size_t msize, char *field,
                        size_t fsize)
{
    switch (b->kind) {
    case PLAN_NO_PROBLEM:
        snprintf(message, msize, "The plan has no problem yet: add at least one.");
        snprintf(field, fsize, "problems");
        break;
    case PLAN_NO_GOAL:
        snprintf(message, msize, "Problem %zu has no goal.", b->problem + 1);
        snprintf(field, fsize, "problems[%zu].goals", b->problem);
        break;
    case PLAN_NO_OBJECTIVE:
        snprintf(message, msize, "Goal %zu of problem %zu has no objective.", b->goal + 1,
                 b->problem + 1);
        snprintf(field, fsize, "problems[%zu].goals[%zu].objectives", b->problem, b->goal);
        break;
    case PLAN_NO_INTERVENTION:
        snprintf(message, msize, "Problem %zu has no intervention.", b->problem + 1);
        snprintf(field, fsize, "problems[%zu].interventions", b->problem);
        break;
    }
}

caldate plan_review_due(caldate effective, int days)
{
    return effective + days;
}

bool plan_current_on(caldate effective, caldate superseded, caldate d)
{
    return effective != CALDATE_OPEN && effective <= d && (superseded == CALDATE_OPEN ||
                                                           superseded > d);
}

enum plan_review plan_review_state(caldate due, caldate today)
{
    if (due < today)
        return PLAN_REVIEW_OVERDUE;
    return due - today <= PLAN_REVIEW_NOTICE_DAYS ? PLAN_REVIEW_DUE : PLAN_REVIEW_LATER;
}
