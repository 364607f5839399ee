/* fhir_questionnaire: sections become groups, items questions; scored answers carry their score
 * in the R4 ordinalValue extension; show_if becomes enableWhen + enableBehavior. */
#include "fhir/questionnaire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/assess.h"
#include "domain/instruments.h"

#define ANSWER_SYSTEM "urn:haven:assessment-answer"
#define EXT_ORDINAL "http://hl7.org/fhir/StructureDefinition/ordinalValue"

static json_t *coding(const struct item *it, const struct item_option *o)
{
    char system[128];

    snprintf(system, sizeof(system), "%s:%s", ANSWER_SYSTEM, it->id);
    return json_pack("{s:s, s:s, s:s}", "system", system, "code", o->value, "display", o->label);
}

static json_t *answer_options(const struct item *it)
{
    json_t *opts = json_array();

    for (size_t i = 0; i < it->n_options; i++) {
        const struct item_option *o = &it->options[i];
        json_t *opt = json_pack("{s:o}", "valueCoding", coding(it, o));
        if (it->kind == ITEM_SCORED || it->kind == ITEM_SCALE)
            json_object_set_new(opt, "extension",
                                json_pack("[{s:s, s:f}]", "url", EXT_ORDINAL, "valueDecimal",
                                          (double)o->score));
        json_array_append_new(opts, opt);
    }
    return opts;
}

/* One enableWhen clause from "ID=VALUE" or "ID!=VALUE". NULL if the clause names no item. */
static json_t *clause(const char *text, size_t len)
{
    char buf[96], *op;
    const struct item *it;
    const struct item_option *o;
    int ne;

    if (len >= sizeof(buf))
        return NULL;
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (!(op = strchr(buf, '=')))
        return NULL;
    ne = op > buf && op[-1] == '!';
    op[ne ? -1 : 0] = '\0';
    if (!(it = instruments_item(buf)) || !(o = instruments_option(it, op + 1)))
        return NULL;
    if (it->kind == ITEM_BOOL)
        return json_pack("{s:s, s:s, s:b}", "question", it->id, "operator", ne ? "!=" : "=",
                         "answerBoolean", strcmp(o->value, "true") == 0);
    return json_pack("{s:s, s:s, s:o}", "question", it->id, "operator", ne ? "!=" : "=",
                     "answerCoding", coding(it, o));
}

static void enable_when(json_t *q, const char *show_if)
{
    json_t *list = json_array();
    const char *p = show_if, *end;
    int any = strchr(show_if, '|') != NULL;

    while (*p) {
        json_t *c;
        end = p + strcspn(p, "|&");
        if ((c = clause(p, (size_t)(end - p))))
            json_array_append_new(list, c);
        p = *end ? end + 1 : end;
    }
    json_object_set_new(q, "enableWhen", list);
    if (json_array_size(list) > 1)
        json_object_set_new(q, "enableBehavior", json_string(any ? "any" : "all"));
}

static json_t *question(const struct item *it)
{
    json_t *q = json_pack("{s:s, s:s}", "linkId", it->id, "text", it->text);

    switch (it->kind) {
    case ITEM_BOOL:
        json_object_set_new(q, "type", json_string("boolean"));
        break;
    case ITEM_CODES:
        json_object_set_new(q, "repeats", json_true());
        /* fall through */
    default:
        json_object_set_new(q, "type", json_string("choice"));
        json_object_set_new(q, "answerOption", answer_options(it));
    }
    if (it->show_if && *it->show_if)
        enable_when(q, it->show_if);
    return q;
}

json_t *fhir_questionnaire_build(void)
{
    size_t n;
    const struct section *secs = instruments_sections(&n);
    json_t *groups = json_array();

    for (size_t i = 0; i < n; i++) {
        json_t *items = json_array();
        json_t *g = json_pack("{s:s, s:s, s:s, s:o}", "linkId", secs[i].id, "text",
                              secs[i].title, "type", "group", "item", items);
        for (size_t j = 0; j < secs[i].n_items; j++)
            json_array_append_new(items, question(secs[i].items[j]));
        json_array_append_new(groups, g);
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:s, s:o}", "resourceType",
                     "Questionnaire", "id", ASSESS_VERSION, "url",
                     "urn:haven:questionnaire:" ASSESS_VERSION, "version", ASSESS_VERSION, "name",
                     "HavenSelfAssessment", "title", "Haven self-assessment", "status", "active",
                     "subjectType", "Patient", "description",
                     "An anonymous screening aid (AUDIT, ASSIST, PHQ-9, GAD-7, ASQ and context "
                     "questions) that suggests a level of care; not a diagnosis.",
                     "item", groups);
}
