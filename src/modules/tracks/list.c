/* list: the Tracks screen, every track with its days and times, capacity and census today
 * (store_track_list, the API's figures), and the labels the track's page and form share. The
 * list names no patient, so it is not an audited read (the API's track reads are not either). */
#include "modules/tracks/tracks.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/timefmt.h"
#include "store/program.h"
#include "web/view.h"

static const char *const weekdays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                       "Friday", "Saturday", "Sunday"};
static const char *const levels[][2] = { { "iop", "IOP" },
                                         { "php", "PHP" },
                                         { "outpatient", "Outpatient" } };
static const char *const populations[][2] = {{"adult", "Adult"}, {"adolescent", "Adolescent"}};

caldate tracks_today(void)
{
    char today[CALDATE_TEXT];
    caldate d = 0;

    caldate_parse(timefmt_today(time(NULL), today), &d);
    return d;
}

const char *tracks_weekday(int weekday, bool short_name)
{
    static const char *const shorts[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    if (weekday < 1 || weekday > 7)
        return "";
    return short_name ? shorts[weekday - 1] : weekdays[weekday - 1];
}

const char *tracks_minutes_text(struct req *r, const json_t *minutes)
{
    char text[48];
    long m;

    if (!json_is_integer(minutes))
        return "none";
    m = (long)json_integer_value(minutes);
    if (m % 60)
        snprintf(text, sizeof(text), "%ld min (%ld h %ld min)", m, m / 60, m % 60);
    else
        snprintf(text, sizeof(text), "%ld min (%ld h)", m, m / 60);
    return arena_strdup(r->arena, text);
}

/* The label of a code in a {code, label} table, or the code itself. */
static const char *label_of(const char *const (*table)[2], size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (!strcmp(table[i][0], code))
            return table[i][1];
    return code ? code : "";
}

/* Each weekday's span, from its first slot's start to its last slot's end, days with the same
 * span together: [{days: "Mon, Wed, Fri", span: "09:00-12:00"}]. Slots come by weekday, start. */
static json_t *days_list(const json_t *slots)
{
    char first[8][6] = {{0}}, last[8][6] = {{0}}, days[40], span[16];
    bool done[8] = {false};
    json_t *out = json_array();
    const json_t *sl;
    size_t i, len;

    json_array_foreach(slots, i, sl) {
        int wd = (int)json_integer_value(json_object_get(sl, "weekday"));
        if (wd < 1 || wd > 7)
            continue;
        if (!first[wd][0])
            snprintf(first[wd], 6, "%s", json_string_value(json_object_get(sl, "start")));
        snprintf(last[wd], 6, "%s", json_string_value(json_object_get(sl, "end")));
    }
    for (int wd = 1; wd <= 7; wd++) {
        if (!first[wd][0] || done[wd])
            continue;
        len = (size_t)snprintf(days, sizeof(days), "%s", tracks_weekday(wd, true));
        for (int o = wd + 1; o <= 7; o++)
            if (!done[o] && !strcmp(first[o], first[wd]) && !strcmp(last[o], last[wd])) {
                done[o] = true;
                len += (size_t)snprintf(days + len, sizeof(days) - len, ", %s",
                                        tracks_weekday(o, true));
            }
        snprintf(span, sizeof(span), "%s\u2013%s", first[wd], last[wd]);
        json_array_append_new(out, json_pack("{s:s, s:s}", "days", days, "span", span));
    }
    return out;
}

void tracks_decorate(struct req *r, json_t *track)
{
    json_int_t census = json_integer_value(json_object_get(track, "census"));
    json_int_t capacity = json_integer_value(json_object_get(track, "capacity"));

    json_object_set_new(track, "level_text",
                        json_string(label_of(levels, 3, json_string_value(
                                                            json_object_get(track, "level")))));
    json_object_set_new(track, "population_text",
                        json_string(label_of(populations, 2,
                                             json_string_value(
                                                 json_object_get(track, "population")))));
    json_object_set_new(track, "minimum_text",
                        json_string(tracks_minutes_text(
                            r, json_object_get(track, "min_weekly_minutes"))));
    json_object_set_new(track, "when", days_list(json_object_get(track, "slots")));
    json_object_set_new(track, "full", json_boolean(census >= capacity));
}

/* {value, label, selected} of a {code, label} table, for a select. */
static json_t *options(const char *const (*table)[2], size_t n, const char *chosen)
{
    json_t *a = json_array();

    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", table[i][0], "label",
                                           table[i][1], "selected",
                                           chosen && !strcmp(chosen, table[i][0])));
    return a;
}

json_t *tracks_level_options(const char *chosen)
{
    return options(levels, 3, chosen);
}

json_t *tracks_population_options(const char *chosen)
{
    return options(populations, 2, chosen);
}

enum err tracks_list(struct req *r)
{
    json_t *m = req_model(r, view_staff_model(r, "Tracks")), *list = NULL, *t;
    char today[CALDATE_TEXT];
    size_t i;

    if (store_track_list(r->store, tracks_today(), &list) != E_OK) {
        r->model = NULL;
        return E_DB;
    }
    json_array_foreach(list, i, t)
        tracks_decorate(r, t);
    json_object_set_new(m, "tracks", list);
    json_object_set_new(m, "any", json_boolean(json_array_size(list) > 0));
    json_object_set_new(m, "today", json_string(caldate_format(tracks_today(), today)));
    return E_OK;
}
