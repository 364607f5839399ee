/* result_page: see result_page.h. What the person answered decides what this page adds to the
 * result; nothing here changes a score, a flag or the level the scorer gave. */
#include "modules/public/result_page.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "domain/clinic.h"
#include "domain/instruments.h"
#include "domain/messages.h"
#include "modules/public/assessment_view.h"
#include "modules/public/clinic_view.h"

/* Sections whose answers the suggestion rests on; skipping one may make it too low. The
 * preferences only shape the schedule offered. */
static bool shapes_level(const char *section)
{
    return strcmp(section, "preferences") != 0;
}

static bool section_answered(const struct section *s, const json_t *answers)
{
    for (size_t i = 0; i < s->n_items; i++)
        if (json_object_get(answers, s->items[i]->id))
            return true;
    return false;
}

static bool section_named(const json_t *skipped, const char *id)
{
    size_t i;
    json_t *s;

    json_array_foreach(skipped, i, s)
        if (strcmp(json_string_value(json_object_get(s, "id")), id) == 0)
            return true;
    return false;
}

/* The parts with no answer at all, in form order, as {id, title}. */
static json_t *skipped_sections(const json_t *answers, bool *shapes)
{
    size_t n;
    const struct section *secs = instruments_sections(&n);
    json_t *out = json_array();

    *shapes = false;
    for (size_t i = 0; i < n; i++) {
        if (section_answered(&secs[i], answers))
            continue;
        *shapes |= shapes_level(secs[i].id);
        json_array_append_new(out, json_pack("{s:s, s:s}", "id", secs[i].id, "title",
                                             secs[i].title));
    }
    return out;
}

static bool is_true(const json_t *answers, const char *id)
{
    return json_is_true(json_object_get(answers, id));
}

static json_int_t number(const json_t *answers, const char *id)
{
    return json_integer_value(json_object_get(answers, id));
}

static bool daily(const json_t *answers, const char *what)
{
    size_t i;
    json_t *v;

    json_array_foreach(json_object_get(answers, "wd-daily"), i, v)
        if (json_is_string(v) && strcmp(json_string_value(v), what) == 0)
            return true;
    return false;
}

static void advice(json_t *list, const char *code, const char *title, const char *body)
{
    json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "code", code, "title", title,
                                          "body", body));
}

/* Opioids: medication for opioid use disorder for anyone who has used them; a warning when they
 * are used now together with alcohol or sedatives (spec §6 overdose-risk names the same mix). */
static json_t *opioid_advice(const json_t *answers)
{
    json_t *list = json_array();
    bool ever = is_true(answers, "assist-1-opioids") || daily(answers, "opioids");
    bool now = number(answers, "assist-2-opioids") > 0 || daily(answers, "opioids");
    bool alcohol = number(answers, "audit-1") > 0 || daily(answers, "alcohol");
    bool sedatives = number(answers, "assist-2-sedatives") > 0 || daily(answers, "sedatives");
    char title[128], body[512];
    const char *with;

    if (ever)
        advice(list, "moud", msg("advice.moud.title"), msg("advice.moud.body"));
    if (now && (alcohol || sedatives)) {
        with = msg(alcohol && sedatives ? "advice.mixing.both"
                   : alcohol            ? "advice.mixing.alcohol"
                                        : "advice.mixing.sedatives");
        msg_format(title, sizeof(title), "advice.mixing.title", with);
        msg_format(body, sizeof(body), "advice.mixing.body", with);
        advice(list, "mixing", title, body);
    }
    return list;
}

/* The answers again as hidden fields, for "go back to the questions" (the form posts them to
 * be shown again, checked; nothing is kept on our side). Some 70 of them on every result: built
 * without json_pack's format parsing and UTF-8 checks, which took a tenth of the page's time;
 * every name and value here is an item id, a number or text form_answers checked as UTF-8. */
static void hidden(json_t *list, const char *name, const char *value)
{
    json_t *o = json_object();

    json_object_set_new_nocheck(o, "name", json_string_nocheck(name));
    json_object_set_new_nocheck(o, "value", json_string_nocheck(value));
    json_array_append_new(list, o);
}

static json_t *hidden_answers(const json_t *answers, const char *other)
{
    json_t *list = json_array(), *v, *e;
    json_t *obj = (json_t *)(uintptr_t)answers; /* jansson's iterators are not const */
    const char *id;
    char num[24];
    size_t i;

    json_object_foreach(obj, id, v) {
        if (json_is_array(v) && json_array_size(v) == 0)
            hidden(list, "none", id);
        json_array_foreach(v, i, e)
            hidden(list, id, json_string_value(e));
        if (json_is_string(v))
            hidden(list, id, json_string_value(v));
        else if (json_is_boolean(v))
            hidden(list, id, json_is_true(v) ? "true" : "false");
        else if (json_is_integer(v)) {
            snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
            hidden(list, id, num);
        }
    }
    if (other && *other)
        hidden(list, RESULT_PAGE_OTHER_FIELD, other);
    return list;
}

/* A rating of 0 that rests on questions left out is not a finding: "not rated". */
static void mark_unrated(json_t *dims)
{
    const char *fmt = msg("unanswered.some");
    size_t lead = strcspn(fmt, "%"), i, k;
    json_t *d, *why;

    json_array_foreach(dims, i, d) {
        if (json_integer_value(json_object_get(d, "rating")) != 0)
            continue;
        json_array_foreach(json_object_get(d, "reasons"), k, why)
            if (strncmp(json_string_value(why), fmt, lead) == 0)
                json_object_set_new(d, "unrated", json_true());
    }
}

/* The overall use, when the parts that measure it were left out, is not "none". */
static void severity_known(json_t *m, const json_t *skipped, const char *severity)
{
    bool audit = section_named(skipped, "audit"), assist = section_named(skipped, "assist");

    if (strcmp(severity, "none") != 0 || !(audit || assist))
        return;
    json_object_set_new(m, "severity",
                        json_string(audit && assist
                                        ? "Not known: the questions about alcohol and other "
                                          "drugs were not answered"
                                        : "No alcohol or drug use in the parts you answered"));
}

json_t *result_page_model(struct req *r, const struct result_page *p)
{
    json_t *shown = json_copy((json_t *)(uintptr_t)p->result), *m, *skipped, *contact, *tips;
    const char *level = json_string_value(
        json_object_get(json_object_get(p->result, "recommendation"), "level"));
    struct clinic c;
    bool shapes, no_level;

    if (p->other && *p->other) /* beside its score, as staff see it (call_request.c) */
        json_object_set_new(shown, "other_substance", json_string(p->other));
    m = assessment_view_result(shown, p->call);
    json_decref(shown);

    contact = clinic_view_model(r, &c);
    json_object_set_new(m, "has_contact",
                        json_boolean(json_is_true(json_object_get(contact, "reachable"))));
    json_object_set_new(m, "contact", contact);
    /* Care the clinic does not give is care to find elsewhere, now (no level is not care). */
    json_object_set_new(m, "elsewhere",
                        json_boolean(strcmp(level, "none") != 0 && !clinic_offers(&c, level)));
    skipped = skipped_sections(p->answers, &shapes);
    /* With alcohol, drugs and safety all unanswered, "no program needed" would be a default
     * dressed as a finding: the page suggests nothing. A level that answers raised (medical
     * care, emergency) still stands. */
    no_level = section_named(skipped, "audit") && section_named(skipped, "assist") &&
               section_named(skipped, "asq") && strcmp(level, "none") == 0;
    json_object_set_new(m, "no_level", json_boolean(no_level));
    json_object_set_new(m, "may_underestimate", json_boolean(shapes && !no_level));
    json_object_set_new(m, "has_skipped", json_boolean(json_array_size(skipped) > 0));
    severity_known(m, skipped, json_string_value(json_object_get(p->result, "severity")));
    mark_unrated(json_object_get(m, "dimensions"));
    if (json_array_size(skipped))
        json_object_set(m, "first_skipped", json_object_get(json_array_get(skipped, 0), "id"));
    json_object_set_new(m, "skipped", skipped);
    /* Whatever else was left out, "right now" was answered: help comes first. */
    if (is_true(p->given ? p->given : p->answers, "asq-5"))
        json_object_set_new(m, "crisis_acute", json_true());
    tips = opioid_advice(p->answers);
    json_object_set_new(m, "has_advice", json_boolean(json_array_size(tips) > 0));
    json_object_set_new(m, "advice", tips);
    json_object_set_new(m, "review", hidden_answers(p->given ? p->given : p->answers, p->other));
    if (p->other && *p->other)
        json_object_set_new(m, "other_name", json_string(p->other));
    return m;
}
