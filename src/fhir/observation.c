/* fhir_observation: the result's parts as Observations. A total carries LOINC's code where
 * fhir/loinc.c has one and Haven's own code always ("urn:haven:assessment-result", named as
 * the JSON result names it), so a reader can match either; bands are interpretations, scores
 * quantities in {score}. The level of care is an Observation of its own whose components are
 * the facts the rules read (severity, the six dimension ratings, the flags) and whose notes are
 * the reasons, as the person was told them. */
#include "fhir/observation.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "domain/instruments.h"
#include "fhir/loinc.h"
#include "fhir/questionnaire.h"

#define RESULT_SYSTEM "urn:haven:assessment-result"
#define BAND_SYSTEM "urn:haven:assessment-band"
#define V3_INTERP "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
#define CATEGORY "http://terminology.hl7.org/CodeSystem/observation-category"
#define UCUM "http://unitsofmeasure.org"

static json_t *concept(const char *system, const char *code, const char *display, const char *text)
{
    json_t *c = json_pack("{s:s, s:s}", "system", system, "code", code);

    if (display)
        json_object_set_new(c, "display", json_string(display));
    return json_pack("{s:[o], s:s}", "coding", c, "text", text ? text : code);
}

/* Observation.code: LOINC's code (if any), then Haven's `code`. */
static json_t *obs_code(const struct fhir_code *loinc, const char *code, const char *text)
{
    json_t *c = concept(RESULT_SYSTEM, code, NULL, text);
    json_t *codings = json_object_get(c, "coding");
    json_t *l;

    if (!loinc)
        return c;
    l = json_pack("{s:s, s:s}", "system", FHIR_LOINC_SYSTEM, "code", loinc->code);
    if (loinc->display)
        json_object_set_new(l, "display", json_string(loinc->display));
    json_array_insert_new(codings, 0, l);
    return c;
}

static json_t *observation(json_t *code, const char *when)
{
    return json_pack("{s:s, s:s, s:[{s:[{s:s, s:s, s:s}]}], s:o, s:s, s:{s:s}}", "resourceType",
                     "Observation", "status", "final", "category", "coding", "system", CATEGORY,
                     "code", "survey", "display", "Survey", "code", code, "effectiveDateTime", when,
                     "method", "text",
                     "Haven self-assessment (" ASSESS_VERSION "), a screening aid, not a "
                     "diagnosis");
}

static void score_value(json_t *obs, json_int_t score)
{
    json_object_set_new(obs, "valueQuantity",
                        json_pack("{s:I, s:s, s:s, s:s}", "value", score, "unit", "{score}",
                                  "system", UCUM, "code", "{score}"));
}

static void interpretation(json_t *obs, json_t *concept_)
{
    json_object_set_new(obs, "interpretation", json_pack("[o]", concept_));
}

static void add(json_t *entries, json_t *resource)
{
    json_array_append_new(entries, json_pack("{s:o}", "resource", resource));
}

/* A total with its band: AUDIT, PHQ-9, GAD-7, an ASSIST substance. */
static json_t *total(const char *key, const char *code, const char *text, const json_t *r,
                     const char *when)
{
    json_t *obs = observation(obs_code(fhir_loinc_total(key), code, text), when);
    const char *band = json_string_value(json_object_get(r, "band"));
    char words[96];

    score_value(obs, json_integer_value(json_object_get(r, "score")));
    if (band) {
        if (json_object_get(r, "zone"))
            snprintf(words, sizeof(words), "%s (WHO zone %d)", band,
                     (int)json_integer_value(json_object_get(r, "zone")));
        else
            snprintf(words, sizeof(words), "%s", band);
        interpretation(obs, concept(BAND_SYSTEM, band, NULL, words));
    }
    return obs;
}

static json_t *audit_c(const json_t *r, const char *when)
{
    json_t *obs = observation(obs_code(fhir_loinc_total("audit_c"), "audit_c",
                                       "AUDIT-C score (questions 1-3 of the AUDIT)"),
                              when);
    int positive = json_is_true(json_object_get(r, "positive"));
    const char *note = json_string_value(json_object_get(r, "note"));
    char words[64];

    score_value(obs, json_integer_value(json_object_get(r, "score")));
    snprintf(words, sizeof(words), "%s (cut-off %d)", positive ? "positive" : "negative",
             (int)json_integer_value(json_object_get(r, "cutoff")));
    interpretation(obs, concept(V3_INTERP, positive ? "POS" : "NEG",
                                positive ? "Positive" : "Negative", words));
    if (note)
        json_object_set_new(obs, "note", json_pack("[{s:s}]", "text", note));
    return obs;
}

/* An answer reported as itself: the item's option scored `score`, as the Questionnaire codes
 * it (PHQ-9 item 9 in LOINC's answer list, assist-8 in Haven's). */
static json_t *answer(const char *id, json_int_t score, const char *text, const char *when)
{
    const struct item *it = instruments_item(id);
    json_t *obs = observation(obs_code(fhir_loinc_item(id), id, text), when);
    struct fhir_coding c;

    for (size_t i = 0; it && i < it->n_options; i++) {
        if (it->options[i].score != score)
            continue;
        fhir_questionnaire_coding(it, i, &c);
        json_object_set_new(obs, "valueCodeableConcept",
                            concept(c.system, c.code, c.display, c.display));
        return obs;
    }
    json_decref(obs);
    return NULL;
}

static void add_assist(json_t *entries, const json_t *assist, const char *when)
{
    json_t *subs = json_object_get(assist, "substances"), *inj;
    char code[64], text[128];

    for (size_t s = 0; s < INSTRUMENTS_N_SUBSTANCES; s++) {
        const char *name = instruments_substance(s);
        const json_t *r = json_object_get(subs, name);
        if (!r)
            continue;
        snprintf(code, sizeof(code), "assist-%s", name);
        snprintf(text, sizeof(text), "ASSIST v3.0 specific substance involvement score: %s", name);
        add(entries, total(code, code, text, r, when));
    }
    if (json_is_integer(json_object_get(assist, "injection")) &&
        (inj = answer("assist-8", json_integer_value(json_object_get(assist, "injection")),
                      "ASSIST v3.0 question 8: drug use by injection", when)))
        add(entries, inj);
}

static json_t *component(const char *code, const char *text, json_t *value, const char *key)
{
    json_t *c = json_pack("{s:o}", "code", concept(RESULT_SYSTEM, code, NULL, text));

    json_object_set_new(c, key, value);
    return c;
}

static void add_notes(json_t *notes, const json_t *texts)
{
    for (size_t i = 0; i < json_array_size(texts); i++)
        json_array_append_new(notes, json_pack("{s:O}", "text", json_array_get(texts, i)));
}

static json_t *recommendation(const json_t *result, const char *when)
{
    const json_t *rec = json_object_get(result, "recommendation");
    const json_t *dims = json_object_get(result, "dimensions"), *flags, *missing;
    const char *level = json_string_value(json_object_get(rec, "level"));
    const char *title = json_string_value(json_object_get(rec, "title"));
    const char *asam = json_string_value(json_object_get(rec, "asam"));
    const char *severity = json_string_value(json_object_get(result, "severity"));
    json_t *obs = observation(obs_code(NULL, "level-of-care",
                                       "Suggested level of care (a clinician confirms it at "
                                       "intake)"),
                              when);
    json_t *comps = json_array(), *notes = json_array();
    struct buf b = BUF_INIT;
    char code[32];

    json_object_set_new(obs, "valueCodeableConcept",
                        concept("urn:haven:level-of-care", level ? level : "none", title, title));
    if (asam)
        json_array_append_new(
            comps, component("asam-level", "ASAM level", json_string(asam), "valueString"));
    json_array_append_new(comps, component("severity", "Use severity",
                                           concept("urn:haven:use-severity",
                                                   severity ? severity : "none", NULL, NULL),
                                           "valueCodeableConcept"));
    for (size_t i = 0; i < json_array_size(dims); i++) {
        const json_t *d = json_array_get(dims, i);
        snprintf(code, sizeof(code), "dimension-%d",
                 (int)json_integer_value(json_object_get(d, "dimension")));
        json_array_append_new(
            comps, component(code, json_string_value(json_object_get(d, "name")),
                             json_integer(json_integer_value(json_object_get(d, "rating"))),
                             "valueInteger"));
    }
    flags = json_object_get(result, "flags");
    for (size_t i = 0; i < json_array_size(flags); i++)
        json_array_append_new(
            comps, component("flag", "Flag",
                             concept("urn:haven:assessment-flag",
                                     json_string_value(json_array_get(flags, i)), NULL, NULL),
                             "valueCodeableConcept"));
    json_object_set_new(obs, "component", comps);
    add_notes(notes, json_object_get(rec, "reasons"));
    missing = json_object_get(result, "missing");
    for (size_t i = 0; i < json_array_size(missing); i++)
        buf_addf(&b, "%s%s", i ? ", " : "", json_string_value(json_array_get(missing, i)));
    if (b.len)
        json_array_append_new(notes, json_pack("{s:s+}", "text",
                                               "Not answered, so counted at its no-risk "
                                               "value: ",
                                               buf_cstr(&b)));
    buf_free(&b);
    if (json_array_size(notes))
        json_object_set_new(obs, "note", notes);
    else
        json_decref(notes);
    return obs;
}

json_t *fhir_observation_bundle(const json_t *result, const char *when)
{
    const json_t *inst = json_object_get(result, "instruments"), *r;
    json_t *entries = json_array(), *obs;

    if ((r = json_object_get(inst, "audit")))
        add(entries, total("audit", "audit", "AUDIT total score", r, when));
    if ((r = json_object_get(inst, "audit_c")))
        add(entries, audit_c(r, when));
    if ((r = json_object_get(inst, "assist")))
        add_assist(entries, r, when);
    if ((r = json_object_get(inst, "phq9"))) {
        add(entries, total("phq9", "phq9", "PHQ-9 total score", r, when));
        if ((obs = answer("phq9-9", json_integer_value(json_object_get(r, "item9")),
                          "PHQ-9 question 9: thoughts of being better off dead or of "
                          "self-harm",
                          when)))
            add(entries, obs);
    }
    if ((r = json_object_get(inst, "gad7")))
        add(entries, total("gad7", "gad7", "GAD-7 total score", r, when));
    if ((r = json_object_get(inst, "asq"))) {
        const char *risk = json_string_value(json_object_get(r, "risk"));
        obs = observation(obs_code(NULL, "asq", "ASQ suicide risk screening"), when);
        json_object_set_new(obs, "valueCodeableConcept",
                            concept("urn:haven:asq-risk", risk ? risk : "none", NULL, NULL));
        add(entries, obs);
    }
    add(entries, recommendation(result, when));
    return json_pack("{s:s, s:s, s:s, s:o}", "resourceType", "Bundle", "type", "collection",
                     "timestamp", when, "entry", entries);
}
