/* trend: what the Measures page and the API both show of an instrument's measures: each score
 * with its band and its change from the baseline (the first measure), and, for PHQ-9 only, the
 * published thresholds reached (domain/measure.h); the chart drawn from the same figures. Also
 * the pieces every handler of the module shares: the patient of :id, the answers' check and
 * today's date. */
#include "modules/measures/measures.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/timefmt.h"
#include "web/audit.h"
#include "web/view.h"
#include "web/trend_svg.h"

char *measures_today(char *out)
{
    return timefmt_today(time(NULL), out);
}

enum err measures_patient(struct req *r, const char *action, struct measures_patient *p)
{
    const char *id = req_param(r, "id");
    enum err e = store_measures_patient(r->store, id, p);

    if (e != E_OK) {
        audit_record(r, action, "patient", id, audit_outcome(e));
        if (e == E_NOTFOUND)
            r->message = "There is no such patient.";
    }
    return e == E_NOTFOUND ? e : e != E_OK ? E_DB : E_OK;
}

const char *measures_answers(struct req *r, const struct measure_def *d, const json_t *answers,
                             int *a, size_t *n, const char **field)
{
    static char message[96];
    size_t i;
    json_t *v;

    *field = "answers";
    *n = json_array_size(answers);
    if (!json_is_array(answers) || *n != d->n_items) {
        snprintf(message, sizeof(message), "%s has %zu items: give %zu whole numbers.", d->name,
                 d->n_items, d->n_items);
        return message;
    }
    json_array_foreach(answers, i, v)
    {
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > d->item_max) {
            char name[48];
            snprintf(name, sizeof(name), "answers[%zu]", i);
            *field = arena_strdup(r->arena, name);
            snprintf(message, sizeof(message), "Item %zu takes a whole number from 0 to %d.",
                     i + 1, d->item_max);
            return message;
        }
        a[i] = (int)json_integer_value(v);
    }
    return NULL;
}

/* The published thresholds of d (PHQ-9) for a baseline, or null. */
static json_t *thresholds(const struct measure_def *d, int baseline)
{
    if (!d->has_thresholds)
        return json_null();
    return json_pack("{s:s, s:i, s:i, s:i, s:s}", "source",
                     "L\xc3\xb6we B et al. Med Care 2004;42:1194-201", "response_at_or_below",
                     baseline / 2, "remission_below", 5, "significant_change", 5, "response",
                     "a drop of 50 % or more from the baseline");
}

/* The names of the thresholds a change reaches. */
static json_t *reached(const struct measure_change *c)
{
    json_t *out = json_array();

    if (c->response)
        json_array_append_new(out, json_string("response"));
    if (c->remission)
        json_array_append_new(out, json_string("remission"));
    if (c->improved5)
        json_array_append_new(out, json_string("improved-5-points"));
    if (c->worsened5)
        json_array_append_new(out, json_string("worsened-5-points"));
    return out;
}

/* The thresholds reached in words, for the table ("" when none). */
static void reached_text(const struct measure_change *c, char *out, size_t size)
{
    snprintf(out, size, "%s%s%s%s", c->response ? "response; " : "",
             c->remission ? "remission; " : "", c->improved5 ? "improved by 5 or more; " : "",
             c->worsened5 ? "worse by 5 or more; " : "");
    if (strlen(out) >= 2)
        out[strlen(out) - 2] = '\0';
}

/* One point: the store's row, its band and its change from baseline. */
static json_t *point(const struct measure_def *d, const json_t *row, int baseline, bool first)
{
    int total = (int)json_integer_value(json_object_get(row, "total"));
    const char *band = measure_band_name(d, total);
    struct measure_change c;
    char change[16], words[96];

    measure_change_of(d, baseline, total, &c);
    reached_text(&c, words, sizeof(words));
    if (first)
        snprintf(change, sizeof(change), "baseline");
    else
        snprintf(change, sizeof(change), "%+d", c.change);
    return json_pack("{s:O, s:O, s:i, s:s?, s:s, s:i, s:s, s:O, s:o, s:s}", "id",
                     json_object_get(row, "id"), "taken_on", json_object_get(row, "taken_on"),
                     "total", total, "band", band, "band_label", measure_band_label(band),
                     "change_from_baseline", c.change, "change_text", change, "substance",
                     json_object_get(row, "substance") ? json_object_get(row, "substance")
                                                        : json_null(),
                     "reached", first ? json_array() : reached(&c), "reached_text",
                     first ? "" : words);
}

static json_t *bands(const struct measure_def *d)
{
    struct measure_band b[MEASURE_BANDS_MAX];
    size_t n = measure_bands(d, b);
    json_t *out = json_array();

    for (size_t i = 0; i < n; i++)
        json_array_append_new(out, json_pack("{s:i, s:i, s:s, s:s}", "lo", b[i].lo, "hi",
                                             b[i].hi, "band", b[i].name, "label",
                                             measure_band_label(b[i].name)));
    return out;
}

json_t *measures_trend(const struct measure_def *d, const json_t *rows)
{
    const json_t *first = json_array_get(rows, 0), *row;
    int baseline = (int)json_integer_value(json_object_get(first, "total"));
    json_t *points = json_array(), *last;
    size_t i;

    json_array_foreach(rows, i, row)
        json_array_append_new(points, point(d, row, baseline, i == 0));
    last = json_array_get(points, json_array_size(points) - 1);
    return json_pack(
        "{s:s, s:s, s:s, s:i, s:s, s:o, s:o, s:o, s:o, s:O}", "instrument", d->code, "name",
        d->name, "title", d->title, "max", d->total_max, "source", d->source, "bands", bands(d),
        "baseline",
        first ? json_pack("{s:O, s:i}", "taken_on", json_object_get(first, "taken_on"), "total",
                          baseline)
              : json_null(),
        "points", points, "thresholds", first ? thresholds(d, baseline) : json_null(), "reached",
        last ? json_object_get(last, "reached") : json_array());
}

/* The sentence a screen reader hears before the table: how many, from what to what. */
static void summary(const struct measure_def *d, const json_t *points, char *out, size_t size)
{
    size_t n = json_array_size(points);
    const json_t *a = json_array_get(points, 0), *b = json_array_get(points, n - 1);

    if (!n) {
        snprintf(out, size, "No %s has been entered yet.", d->name);
        return;
    }
    snprintf(out, size, "%zu %s score%s from %s to %s: %lld at baseline, %lld last (%s). The "
             "table below lists each one.",
             n, d->name, n == 1 ? "" : "s", json_string_value(json_object_get(a, "taken_on")),
             json_string_value(json_object_get(b, "taken_on")),
             json_integer_value(json_object_get(a, "total")),
             json_integer_value(json_object_get(b, "total")),
             json_string_value(json_object_get(b, "change_text")));
}

const char *measures_trend_svg(struct req *r, const struct measure_def *d, const json_t *trend)
{
    const json_t *points = json_object_get(trend, "points"), *p;
    struct measure_band mb[MEASURE_BANDS_MAX];
    struct trend_band tb[MEASURE_BANDS_MAX];
    struct trend_point tp[64];
    struct trend_line lines[2];
    size_t n_bands = measure_bands(d, mb), n = 0, skip, i, n_lines = 0;
    char id[32], title[64], desc[256];
    struct buf b = BUF_INIT;
    const char *svg;

    for (i = 0; i < n_bands; i++)
        tb[i] = (struct trend_band){mb[i].lo, mb[i].hi, measure_band_label(mb[i].name)};
    /* The baseline and the latest 63: a long record still draws legibly (the table has all). */
    skip = json_array_size(points) > 64 ? json_array_size(points) - 63 : 0;
    json_array_foreach(points, i, p)
    {
        if (i > 0 && i <= skip)
            continue;
        caldate_parse(json_string_value(json_object_get(p, "taken_on")), &tp[n].day);
        tp[n++].score = (int)json_integer_value(json_object_get(p, "total"));
    }
    if (d->has_thresholds && n) {
        lines[n_lines++] = (struct trend_line){4.5, "Remission: under 5"};
        if (tp[0].score >= 5)
            lines[n_lines++] = (struct trend_line){tp[0].score / 2.0, "Response: 50 % drop"};
    }
    snprintf(id, sizeof(id), "trend-%s", d->code);
    snprintf(title, sizeof(title), "%s over time", d->name);
    summary(d, points, desc, sizeof(desc));
    trend_svg(&b, &(struct trend_chart){.id = id, .title = title, .desc = desc,
                                        .max = d->total_max, .bands = tb, .n_bands = n_bands,
                                        .lines = lines, .n_lines = n_lines, .points = tp,
                                        .n_points = n});
    svg = arena_strdup(r->arena, b.data ? b.data : "");
    buf_free(&b);
    return svg;
}

/* Adds the local times a screen shows to each alert. */
void measures_alert_times(struct req *r, json_t *alerts)
{
    json_t *a;
    size_t i;

    json_array_foreach(alerts, i, a)
    {
        json_object_set_new(a, "raised_local",
                            json_string(view_time(r, json_string_value(
                                                         json_object_get(a, "raised_at")))));
        json_object_set_new(a, "followed_up_local",
                            json_string(view_time(r, json_string_value(json_object_get(
                                                         a, "followed_up_at")))));
    }
}
