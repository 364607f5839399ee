/* view: what the drug screens' page and API share: a substance's stored name, today's date in
 * the clinic's zone, and a patient's screens worded for the page with the per-substance history
 * (the trend: the last eight screens, oldest first, one row per substance ever tested). */
#include "modules/screens/screens.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/timefmt.h"
#include "core/utf8.h"

#define TREND_SCREENS 8

bool screens_substance(const char *code, const char *name, char *out)
{
    const char *panel;

    out[0] = '\0';
    if (code && strcmp(code, "other") && screen_in_panel(code)) {
        snprintf(out, SCREEN_SUBSTANCE_MAX + 1, "%s", code);
        return true;
    }
    if (!code || strcmp(code, "other") || !name || !*name || strlen(name) > SCREEN_SUBSTANCE_MAX ||
        !utf8_valid(name, strlen(name)) || utf8_has_format(name) || strpbrk(name, "\r\n\t"))
        return false;
    panel = screen_panel_of(name);
    snprintf(out, SCREEN_SUBSTANCE_MAX + 1, "%s", panel ? panel : name);
    return true;
}

const char *screens_today(char out[11])
{
    return timefmt_today(time(NULL), out);
}

/* A substance's label: the panel's, or the name as typed. */
static const char *substance_label(const char *substance)
{
    for (size_t i = 0; i < SCREEN_N_PANEL; i++)
        if (!strcmp(screen_panel(i), substance))
            return screen_panel_label(i);
    return substance;
}

/* The result of `substance` in screen o (tested false when it was not), with its marks. */
static json_t *trend_cell(const json_t *o, const char *substance)
{
    const json_t *res;
    size_t i;

    json_array_foreach(json_object_get(o, "results"), i, res) {
        const char *result = json_string_value(json_object_get(res, "result"));
        if (strcmp(json_string_value(json_object_get(res, "substance")), substance))
            continue;
        return json_pack("{s:b, s:s, s:s, s:b}", "tested", 1, "result", result, "class", result,
                         "unexpected", json_is_true(json_object_get(res, "unexpected")));
    }
    return json_pack("{s:b, s:s, s:s, s:b}", "tested", 0, "result", "", "class", "none",
                     "unexpected", 0);
}

/* m.trend: {dates: [...], rows: [{substance, cells: [...]}]} over the last screens. */
static void trend_view(json_t *m, const json_t *screens)
{
    size_t n = json_array_size(screens);
    json_t *dates = json_array(), *rows = json_array(), *seen = json_object();

    /* Newest first in the list: the trend reads oldest to newest, left to right. */
    for (size_t k = n > TREND_SCREENS ? TREND_SCREENS : n; k-- > 0;)
        json_array_append(dates, json_object_get(json_array_get(screens, k), "collected_on"));
    for (size_t k = 0; k < n && k < TREND_SCREENS; k++) {
        const json_t *res;
        size_t i;
        json_array_foreach(json_object_get(json_array_get(screens, k), "results"), i, res)
        {
            const char *sub = json_string_value(json_object_get(res, "substance"));
            if (json_object_get(seen, sub))
                continue;
            json_object_set_new(seen, sub, json_true());
            json_t *cells = json_array();
            for (size_t j = n > TREND_SCREENS ? TREND_SCREENS : n; j-- > 0;)
                json_array_append_new(cells, trend_cell(json_array_get(screens, j), sub));
            json_array_append_new(
                rows, json_pack("{s:s, s:o}", "substance", substance_label(sub), "cells", cells));
        }
    }
    json_decref(seen);
    json_object_set_new(m, "trend",
                        json_pack("{s:o, s:o, s:b}", "dates", dates, "rows", rows, "any", n > 0));
}

/* The lab choices for screen o, its own selected. */
static json_t *lab_options(const char *chosen)
{
    json_t *out = json_array();

    for (size_t i = 0; i < SCREEN_N_LABS; i++)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", screen_lab(i), "label",
                                             screen_lab_label(screen_lab(i)), "selected",
                                             chosen && !strcmp(chosen, screen_lab(i))));
    return out;
}

void screens_view(json_t *m, const json_t *screens)
{
    json_t *list = json_array(), *res;
    const json_t *o;
    size_t i, k;

    json_array_foreach(screens, i, o)
    {
        json_t *v = json_deep_copy(o), *positives = json_array();
        json_array_foreach(json_object_get(v, "results"), k, res)
        {
            json_object_set_new(
                res, "label",
                json_string(substance_label(json_string_value(json_object_get(res, "substance")))));
            if (!strcmp(json_string_value(json_object_get(res, "result")), "positive"))
                json_array_append(positives, res);
        }
        json_object_set_new(
            v, "specimen_label",
            json_string(screen_specimen_label(json_string_value(json_object_get(o, "specimen")))));
        json_object_set_new(
            v, "lab_label",
            json_string(screen_lab_label(json_string_value(json_object_get(o, "lab")))));
        json_object_set_new(v, "lab_options",
                            lab_options(json_string_value(json_object_get(o, "lab"))));
        json_object_set_new(v, "positives", positives);
        json_object_set_new(v, "any_positive", json_boolean(json_array_size(positives) > 0));
        json_array_append_new(list, v);
    }
    json_object_set_new(m, "screens", list);
    json_object_set_new(m, "any_screens", json_boolean(json_array_size(screens) > 0));
    trend_view(m, screens);
}
