/* page: one track's page for administrators: its weekly pattern by day (the curriculum), its
 * roster today (the patients whose enrolment covers today, with their enrolment's dates, each
 * linking to the chart) and its census against its capacity. The roster names patients: it is
 * shown only once its "list" entry is in the audit trail. */
#include "modules/tracks/tracks.h"

#include <stdio.h>
#include <string.h>

#include "store/program.h"
#include "web/audit.h"
#include "web/view.h"

/* What a redirect here says (?done=...). */
static const struct {
    const char *done, *notice;
} notices[] = {
    {"created", "The track is created. Its sessions start on its opening date."},
    {"saved", "The track is saved."},
};

/* The pattern by weekday: [{day, slots: [{start, end, title, kind}]}]; slots come sorted by
 * weekday and start. */
static json_t *pattern_days(json_t *slots)
{
    json_t *days = json_array(), *day = NULL, *sl;
    int last = 0;
    size_t i;

    json_array_foreach(slots, i, sl) {
        int wd = (int)json_integer_value(json_object_get(sl, "weekday"));
        if (wd != last || !day) {
            day = json_pack("{s:s, s:[]}", "day", tracks_weekday(wd, false), "slots");
            json_array_append_new(days, day);
            last = wd;
        }
        json_array_append(json_object_get(day, "slots"), sl);
    }
    return days;
}

enum err tracks_page(struct req *r)
{
    const char *id = req_param(r, "id"), *done = req_query(r, "done");
    caldate today = tracks_today();
    json_t *track = NULL, *roster = NULL, *m;
    char title[160], date[CALDATE_TEXT];
    enum err e;

    if ((e = store_track_get(r->store, id, today, &track)) != E_OK)
        return e == E_NOTFOUND ? e : E_DB;
    if ((e = store_track_roster(r->store, id, today, &roster)) != E_OK) {
        json_decref(track);
        return e == E_NOTFOUND ? e : E_DB;
    }
    if (audit_list(r, "patient", roster) < 0) {
        json_decref(track);
        json_decref(roster);
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    tracks_decorate(r, track);
    json_object_set_new(track, "days", pattern_days(json_object_get(track, "slots")));
    snprintf(title, sizeof(title), "Track: %s", json_string_value(json_object_get(track, "name")));
    m = req_model(r, view_staff_model(r, title));
    json_object_set_new(m, "track", track);
    json_object_set_new(m, "roster", roster);
    json_object_set_new(m, "any_enrolled", json_boolean(json_array_size(roster) > 0));
    json_object_set_new(m, "today", json_string(caldate_format(today, date)));
    for (size_t i = 0; done && i < sizeof(notices) / sizeof(notices[0]); i++)
        if (!strcmp(done, notices[i].done))
            json_object_set_new(m, "notice", json_string(notices[i].notice));
    return E_OK;
}
