/* web_home: the program's public home page, with the tracks and their week from the store. */
#include "web/web.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "web/page.h"

static const struct {
    const char *code;
    const char *label;
} session_kinds[] = {
    {"group", "Group therapy"},
    {"individual", "Individual therapy"},
    {"workshop", "Workshop"},
};

static const char *kind_label(const char *code)
{
    for (size_t i = 0; i < sizeof(session_kinds) / sizeof(session_kinds[0]); i++)
        if (strcmp(session_kinds[i].code, code) == 0)
            return session_kinds[i].label;
    return code;
}

/* "09:00" -> "9:00": times read the way the clinic says them. */
static const char *trim_hour(const char *t)
{
    return t[0] == '0' ? t + 1 : t;
}

/* Adds display fields (time range, kind label) to the store's sessions. */
static void decorate(json_t *tracks)
{
    size_t i, j, k;
    json_t *track, *day, *session;

    json_array_foreach(tracks, i, track) {
        json_t *hours = json_object_get(track, "hours_per_week");
        json_object_set_new(track, "hours_per_week",
                            json_integer((json_int_t)(json_number_value(hours) + 0.5)));
        json_array_foreach(json_object_get(track, "days"), j, day) {
            json_array_foreach(json_object_get(day, "sessions"), k, session) {
                char range[32];
                snprintf(range, sizeof(range), "%s–%s",
                         trim_hour(json_string_value(json_object_get(session, "starts"))),
                         trim_hour(json_string_value(json_object_get(session, "ends"))));
                json_object_set_new(session, "time", json_string(range));
                json_object_set_new(
                    session, "kind",
                    json_string(kind_label(json_string_value(json_object_get(session, "kind")))));
            }
        }
    }
}

void web_home(struct req *r)
{
    json_t *tracks = NULL;

    if (store_tracks_list(r->store, &tracks) != E_OK) {
        /* The page is still useful without the schedule. */
        log_warn("home: tracks unavailable");
        tracks = json_array();
    }
    decorate(tracks);
    page_render(r, 200, "home",
                json_pack("{s:s, s:b, s:o}", "title", "Intensive Outpatient Program", "has_tracks",
                          json_array_size(tracks) > 0, "tracks", tracks));
}
