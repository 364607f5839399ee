/* fhir_questionnaire: sections become groups, items questions. What outside renderers need to
 * ask the questions as the scorer reads them:
 *  - skip logic as enableWhen with "=" only: R4's "!=" is also true when the other question
 *    is unanswered or disabled, so "audit-1 != 0" would show audit-2..8 on an empty form; a
 *    rule "X != v" becomes "X = w" for every other value w, joined with enableBehavior "any";
 *  - required on every instrument item: the scorer refuses a begun instrument with an asked
 *    item missing (spec §7), so a response a renderer calls complete must have them all;
 *  - LOINC codes where LOINC has them (fhir/loinc.c), scores as ordinalValue;
 *  - the section's introduction, each instrument's stem and time frame and every hint as
 *    display items, and the sources' notices in copyright;
 *  - the 0-10 rulers as integer items with minValue/maxValue. */
#include "fhir/questionnaire.h"

#include <stdio.h>
#include <string.h>

#include "domain/cond.h"
#include "domain/instruments.h"
#include "fhir/loinc.h"

#define EXT_ORDINAL "http://hl7.org/fhir/StructureDefinition/ordinalValue"
#define EXT_MIN "http://hl7.org/fhir/StructureDefinition/minValue"
#define EXT_MAX "http://hl7.org/fhir/StructureDefinition/maxValue"

/* What the sources ask users of their instruments to say, then LOINC's licence notice. */
// clang-format off
#define COPYRIGHT                                                                              \
    "AUDIT: Copyright (c) 2001 World Health Organization; as a WHO-approved instrument the "   \
    "AUDIT is in the public domain (Babor TF, Higgins-Biddle JC, Saunders JB, Monteiro MG. "   \
    "AUDIT: The Alcohol Use Disorders Identification Test. Guidelines for Use in Primary "     \
    "Care, 2nd ed. WHO, 2001).\n\n"                                                           \
    "ASSIST v3.0: Copyright (c) 2010 World Health Organization (Humeniuk R, Henry-Edwards S, " \
    "Ali R, Poznyak V, Monteiro M. The Alcohol, Smoking and Substance Involvement Screening "  \
    "Test (ASSIST): Manual for use in primary care. WHO, 2010).\n\n"                          \
    "PHQ-9 and GAD-7: Copyright (c) Pfizer Inc. All rights reserved. Developed by Drs. "       \
    "Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational " \
    "grant from Pfizer Inc. No permission required to reproduce, translate, display or "       \
    "distribute.\n\n"                                                                         \
    "ASQ: Ask Suicide-Screening Questions toolkit, National Institute of Mental Health "       \
    "(public domain).\n\n"                                                                    \
    "The other questions and all introductions are Haven's own.\n\n"                          \
    "This material contains content from LOINC (https://loinc.org). LOINC is copyright "       \
    "(c) 1995-2026, Regenstrief Institute, Inc. and the Logical Observation Identifiers Names " \
    "and Codes (LOINC) Committee and is available at no cost under the license at "            \
    "https://loinc.org/license. LOINC(R) is a registered United States trademark of "          \
    "Regenstrief Institute, Inc."

/* Groups inside a section that LOINC names as a panel of their own: the items from `first`
 * to `last` (in form order) are asked inside it. */
static const struct subgroup {
    const char *section, *id, *first, *last, *text;
} subgroups[] = {
    {"audit", "audit-c", "audit-1", "audit-3",
     "How often and how much you drink (AUDIT-C, questions 1 to 3)"},
};
// clang-format on

void fhir_questionnaire_coding(const struct item *it, size_t option, struct fhir_coding *c)
{
    const struct item_option *o = &it->options[option];
    const struct fhir_code *loinc = NULL;

    if (it->kind == ITEM_SCORED)
        loinc = fhir_loinc_answer(it->id, o->score);
    if (loinc) {
        c->system = FHIR_LOINC_SYSTEM;
        c->code = loinc->code;
        c->display = loinc->display;
        return;
    }
    snprintf(c->buf, sizeof(c->buf), "%s:%s", FHIR_ANSWER_SYSTEM, it->id);
    c->system = c->buf;
    c->code = o->value;
    c->display = o->label;
}

static json_t *coding(const struct item *it, size_t option)
{
    struct fhir_coding c;

    fhir_questionnaire_coding(it, option, &c);
    return json_pack("{s:s, s:s, s:s}", "system", c.system, "code", c.code, "display", c.display);
}

static json_t *code_list(const struct fhir_code *code)
{
    json_t *c = json_pack("{s:s, s:s}", "system", FHIR_LOINC_SYSTEM, "code", code->code);

    if (code->display)
        json_object_set_new(c, "display", json_string(code->display));
    return json_pack("[o]", c);
}

static json_t *answer_options(const struct item *it)
{
    json_t *opts = json_array();

    for (size_t i = 0; i < it->n_options; i++) {
        json_t *opt = json_pack("{s:o}", "valueCoding", coding(it, i));
        if (it->kind == ITEM_SCORED)
            json_object_set_new(opt, "extension",
                                json_pack("[{s:s, s:f}]", "url", EXT_ORDINAL, "valueDecimal",
                                          (double)it->options[i].score));
        json_array_append_new(opts, opt);
    }
    return opts;
}

/* One enableWhen clause: item `dep` answered with its option `o`. */
static json_t *clause(const struct item *dep, size_t o)
{
    json_t *c = json_pack("{s:s, s:s}", "question", dep->id, "operator", "=");

    switch (dep->kind) {
    case ITEM_BOOL:
        json_object_set_new(c, "answerBoolean", json_boolean(dep->options[o].score == 1));
        break;
    case ITEM_SCALE:
        json_object_set_new(c, "answerInteger", json_integer(dep->options[o].score));
        break;
    default: json_object_set_new(c, "answerCoding", coding(dep, o));
    }
    return c;
}

/* show_if as enableWhen with "=" only. -1 when it cannot be said so: "!=" on a list or a
 * number, or "!=" inside an '&' rule on an item with more than two values (R4 has no
 * nesting of "any" inside "all"). */
static int enable_when(json_t *q, const struct item *it)
{
    struct cond c;
    json_t *list;

    if (cond_parse(it->show_if, &c) < 0)
        return -1;
    if (c.n == 0)
        return 0;
    list = json_array();
    json_object_set_new(q, "enableWhen", list);
    for (size_t i = 0; i < c.n; i++) {
        const struct item *dep = instruments_at(c.clause[i].item);
        size_t want = c.clause[i].option;
        if (!c.clause[i].neg) {
            json_array_append_new(list, clause(dep, want));
            continue;
        }
        if (dep->kind == ITEM_CODES || dep->kind == ITEM_SCALE || (c.all && dep->n_options > 2))
            return -1;
        for (size_t o = 0; o < dep->n_options; o++)
            if (o != want)
                json_array_append_new(list, clause(dep, o));
    }
    if (json_array_size(list) > 1)
        json_object_set_new(q, "enableBehavior", json_string(c.all ? "all" : "any"));
    return 0;
}

static json_t *display(const char *link_id, const char *text)
{
    return json_pack("{s:s, s:s, s:s}", "linkId", link_id, "type", "display", "text", text);
}

static void set_type(json_t *q, const struct item *it)
{
    switch (it->kind) {
    case ITEM_BOOL: json_object_set_new(q, "type", json_string("boolean")); return;
    case ITEM_SCALE:
        /* A ruler is a number, not a list of coded strings (issue 7). */
        json_object_set_new(q, "type", json_string("integer"));
        json_object_set_new(q, "extension",
                            json_pack("[{s:s, s:i}, {s:s, s:i}]", "url", EXT_MIN, "valueInteger",
                                      it->options[0].score, "url", EXT_MAX, "valueInteger",
                                      it->options[it->n_options - 1].score));
        return;
    case ITEM_CODES:
        json_object_set_new(q, "repeats", json_true());
        /* fall through */
    case ITEM_CODE:
    case ITEM_SCORED:
        json_object_set_new(q, "type", json_string("choice"));
        json_object_set_new(q, "answerOption", answer_options(it));
    }
}

/* A question; `own_hint`: its hint is its own (not the section's shared stem). NULL if its
 * skip rule cannot be said in R4. */
static json_t *question(const struct item *it, int own_hint)
{
    json_t *q = json_pack("{s:s, s:s}", "linkId", it->id, "text", it->text);
    const struct fhir_code *code = fhir_loinc_item(it->id);
    char link[96];

    if (code)
        json_object_set_new(q, "code", code_list(code));
    set_type(q, it);
    /* The scorer asks for every asked item of a begun instrument, never for context ones. */
    if (it->instrument)
        json_object_set_new(q, "required", json_true());
    if (enable_when(q, it) < 0) {
        json_decref(q);
        return NULL;
    }
    if (own_hint && it->hint && *it->hint) {
        snprintf(link, sizeof(link), "%s-hint", it->id);
        json_object_set_new(q, "item", json_pack("[o]", display(link, it->hint)));
    }
    return q;
}

/* Whether another item of the section has the same hint: then it is the instrument's stem
 * ("Over the last 2 weeks, how often..."), said once before the first of them. */
static int shared_hint(const struct section *s, size_t i, int *first)
{
    const char *h = s->items[i]->hint;
    int shared = 0;

    *first = 1;
    for (size_t j = 0; h && *h && j < s->n_items; j++) {
        if (j == i || !s->items[j]->hint || strcmp(s->items[j]->hint, h) != 0)
            continue;
        shared = 1;
        if (j < i)
            *first = 0;
    }
    return shared;
}

static const struct subgroup *subgroup_at(const struct section *s, const char *item_id)
{
    for (size_t k = 0; k < sizeof(subgroups) / sizeof(subgroups[0]); k++)
        if (!strcmp(subgroups[k].section, s->id) && !strcmp(subgroups[k].first, item_id))
            return &subgroups[k];
    return NULL;
}

static json_t *group(const char *link_id, const char *text)
{
    const struct fhir_code *code = fhir_loinc_panel(link_id);
    json_t *g = json_pack("{s:s, s:s, s:s, s:[]}", "linkId", link_id, "type", "group", "text", text,
                          "item");

    if (code)
        json_object_set_new(g, "code", code_list(code));
    return g;
}

/* The section as a group; NULL if one of its skip rules cannot be said in R4. */
static json_t *section_group(const struct section *s)
{
    json_t *g = group(s->id, s->title), *into = json_object_get(g, "item"), *q;
    const struct subgroup *sub = NULL;
    char link[96];
    int stems = 0;

    if (s->intro && *s->intro) {
        snprintf(link, sizeof(link), "%s-intro", s->id);
        json_array_append_new(into, display(link, s->intro));
    }
    for (size_t i = 0; i < s->n_items; i++) {
        const struct item *it = s->items[i];
        int first, shared = shared_hint(s, i, &first);
        if (!sub && (sub = subgroup_at(s, it->id))) {
            json_t *sg = group(sub->id, sub->text);
            json_array_append_new(json_object_get(g, "item"), sg);
            into = json_object_get(sg, "item");
        }
        if (shared && first) {
            snprintf(link, sizeof(link), stems ? "%s-stem-%d" : "%s-stem", s->id, stems + 1);
            json_array_append_new(into, display(link, it->hint));
            stems++;
        }
        if (!(q = question(it, !shared))) {
            json_decref(g);
            return NULL;
        }
        json_array_append_new(into, q);
        if (sub && !strcmp(sub->last, it->id))
            into = json_object_get(g, "item");
    }
    if (s->source && *s->source) {
        snprintf(link, sizeof(link), "%s-source", s->id);
        json_array_append_new(json_object_get(g, "item"), display(link, s->source));
    }
    return g;
}

json_t *fhir_questionnaire_build(void)
{
    size_t n;
    const struct section *secs = instruments_sections(&n);
    json_t *groups = json_array(), *g;

    for (size_t i = 0; i < n; i++) {
        if (!(g = section_group(&secs[i]))) {
            json_decref(groups);
            return NULL;
        }
        json_array_append_new(groups, g);
    }
    return json_pack(
        "{s:s, s:s, s:{s:[s]}, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:s, s:s, s:s, s:s, s:o}",
        "resourceType", "Questionnaire", "id", FHIR_QUESTIONNAIRE_ID, "meta", "profile",
        FHIR_SDC_PROFILE, "language", "en-US", "url", FHIR_QUESTIONNAIRE_URL, "version",
        ASSESS_VERSION, "name", "HavenSelfAssessment", "title", "Haven self-assessment", "status",
        "active", "subjectType", "Patient", "date", FHIR_DATE, "publisher", FHIR_PUBLISHER,
        "description",
        "An anonymous screening aid for alcohol and drug use (AUDIT, ASSIST v3.0), mood "
        "(PHQ-9), worry (GAD-7) and suicide risk (ASQ), with Haven's questions about "
        "withdrawal, health, recovery, home and preferences. It suggests a level of care; it "
        "is not a diagnosis, and a clinician confirms the level at intake. Score a completed "
        "QuestionnaireResponse with POST /api/v1/assessments/score.",
        "copyright", COPYRIGHT, "item", groups);
}
