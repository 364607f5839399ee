/* today: the Today part of the staff home: today's sessions in time order (track sessions and
 * one-offs) with their rosters, each person's attendance (checked in at the kiosk or taken by
 * staff) and a link to take it; then the alerts (R7, store_alerts as of today) with the
 * signed-in member's own patients (their counsellor) first. Members without sessions (billing,
 * auditors) get "no_sessions" and the home page links to their screens. */
#include "modules/calendar/calendar.h"

#include <stdio.h>
#include <string.h>

#include "store/program.h"
#include "web/audit.h"
#include "web/auth.h"

static const struct calendar_label alert_labels[] = {
    { "scheduled-under-minimum", "Scheduled under the weekly minimum" },
    { "attended-under-minimum", "Attended under the weekly minimum" },
    { "missed-two-in-a-row", "Missed the last two sessions" },
};

static const char *alert_label(const char *kind)
{
    const char *label =
        calendar_label_of(alert_labels, sizeof(alert_labels) / sizeof(*alert_labels), kind);

    return label ? label : kind ? kind : "";
}

/* A day with more sessions than this (a network's, not a site's) lists them without their
 * rosters, each a link to its own: names for hundreds of sessions made a page past the 1 MB
 * limit (bench/program.sh, 931 sessions: every request a 500) that nobody could read anyway. */
#define TODAY_ROSTERS_MAX 40
/* Alerts named one by one: the member's own patients all, others up to this many. */
#define TODAY_ALERTS_MAX 50

/* Today's sessions with their rosters (brief: without); shown gets every patient listed. */
static enum err today_sessions(struct req *r, caldate today, json_t *tracks, json_t **out,
                               json_t *shown, bool *brief)
{
    json_t *sessions = NULL, *list = json_array(), *s, *v, *roster, *row;
    bool attend = auth_can(r, CALENDAR_ROLES);
    enum err e;
    size_t i, k;

    /* The day's sessions without rosters first (cheap); their rosters only for a site's day. */
    if ((e = store_program_sessions_day_brief(r->store, today, &sessions)) == E_OK &&
        !(*brief = json_array_size(sessions) > TODAY_ROSTERS_MAX)) {
        json_decref(sessions);
        sessions = NULL;
        e = store_program_sessions_list(r->store, today, today, NULL, NULL, &sessions);
    }
    if (e != E_OK) {
        json_decref(list);
        return E_DB;
    }
    json_array_foreach(sessions, i, s)
    {
        int taken = 0;
        if (*brief) {
            v = calendar_session_view(s, today);
            json_object_set(
                v, "track_name",
                json_object_get(tracks, json_string_value(json_object_get(s, "track_id"))));
            json_object_set_new(v, "brief", json_true());
            json_object_set_new(
                v, "can_attend",
                json_boolean(attend && !json_is_true(json_object_get(v, "cancelled"))));
            json_array_append_new(list, v);
            continue;
        }
        if ((e = calendar_roster(r, s, &roster)) != E_OK)
            break;
        json_array_foreach(roster, k, row)
        {
            taken += json_is_true(json_object_get(row, "recorded"));
            json_array_append(shown, row);
        }
        v = calendar_session_view(s, today);
        json_object_set(v, "track_name",
                        json_object_get(tracks, json_string_value(json_object_get(s, "track_id"))));
        json_object_set_new(v, "people", roster);
        json_object_set_new(v, "taken", json_integer(taken));
        json_object_set_new(v, "can_attend",
                            json_boolean(attend && !json_is_true(json_object_get(v, "cancelled"))));
        json_array_append_new(list, v);
    }
    json_decref(sessions);
    if (e != E_OK) {
        json_decref(list);
        return E_DB;
    }
    *out = list;
    return E_OK;
}

/* The alerts as of today, the member's own patients first (each group in the store's order);
 * shown gets every patient listed. */
static enum err today_alerts(struct req *r, caldate today, json_t **out, json_t *shown,
                             size_t *more)
{
    json_t *alerts = NULL, *ids = json_array(), *people = NULL, *a, *mine, *others;
    size_t i;

    if (store_alerts(r->store, today, &alerts) != E_OK) {
        json_decref(ids);
        return E_DB;
    }
    json_array_foreach(alerts, i, a) json_array_append(ids, json_object_get(a, "patient_id"));
    if (store_calendar_people(r->store, ids, auth_user_id(r), &people) != E_OK) {
        json_decref(ids);
        json_decref(alerts);
        return E_DB;
    }
    mine = json_array();
    others = json_array();
    json_array_foreach(alerts, i, a)
    {
        const char *id = json_string_value(json_object_get(a, "patient_id"));
        json_t *p = json_object_get(people, id), *v;
        if (!p)
            continue;
        if (!json_is_true(json_object_get(p, "mine")) &&
            json_array_size(others) >= TODAY_ALERTS_MAX) {
            (*more)++;
            continue;
        }
        v = json_pack("{s:s, s:O, s:O, s:O, s:s, s:O, s:O}", "public_id", id, "first_name",
                      json_object_get(p, "first_name"), "last_name",
                      json_object_get(p, "last_name"), "mine", json_object_get(p, "mine"), "label",
                      alert_label(json_string_value(json_object_get(a, "kind"))), "kind",
                      json_object_get(a, "kind"), "detail", json_object_get(a, "detail"));
        if (json_object_get(a, "week"))
            json_object_set(v, "week", json_object_get(a, "week"));
        json_array_append(shown, v);
        json_array_append_new(json_is_true(json_object_get(p, "mine")) ? mine : others, v);
    }
    json_array_extend(mine, others);
    json_decref(others);
    json_decref(people);
    json_decref(ids);
    json_decref(alerts);
    *out = mine;
    return E_OK;
}

/* The rows of shown with each public id once (shown is changed in place and returned). */
static json_t *once(json_t *shown)
{
    json_t *seen = json_object();
    size_t i = 0;

    while (i < json_array_size(shown)) {
        const char *id = json_string_value(json_object_get(json_array_get(shown, i), "public_id"));
        if (!id || json_object_get(seen, id)) {
            json_array_remove(shown, i);
            continue;
        }
        json_object_set_new(seen, id, json_true());
        i++;
    }
    json_decref(seen);
    return shown;
}

enum err calendar_today(struct req *r, json_t *m)
{
    caldate today = program_today();
    json_t *tracks, *sessions = NULL, *alerts = NULL, *shown;
    char date[CALDATE_TEXT], label[CALENDAR_DAY_LABEL];
    bool brief = false;
    size_t more = 0;
    enum err e;

    if (!auth_can(r, CALENDAR_TODAY_ROLES)) {
        json_object_set_new(m, "no_sessions", json_true());
        return E_OK;
    }
    if (!(tracks = calendar_track_names(r))) {
        json_object_set_new(m, "today_unread", json_true());
        return E_OK;
    }
    shown = json_array();
    e = today_sessions(r, today, tracks, &sessions, shown, &brief);
    if (e == E_OK)
        e = today_alerts(r, today, &alerts, shown, &more);
    if (e == E_OK)
        e = calendar_today_clinical(r, m, shown);
    json_decref(tracks);
    if (e != E_OK) {
        json_decref(sessions);
        json_decref(shown);
        json_object_set_new(m, "today_unread", json_true());
        return E_OK;
    }
    if (audit_list(r, "patient", once(shown)) < 0) {
        json_decref(sessions);
        json_decref(alerts);
        json_decref(shown);
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    json_decref(shown);
    json_object_set_new(
        m, "today",
        json_pack("{s:s, s:s, s:o, s:b, s:o, s:b, s:b, s:b, s:I, s:I}", "date",
                  caldate_format(today, date), "label", calendar_day_label(today, true, label),
                  "sessions", sessions, "none", !json_array_size(sessions), "alerts", alerts,
                  "no_alerts", !json_array_size(alerts) && !more, "can_calendar",
                  auth_can(r, CALENDAR_ROLES), "brief", brief, "n_sessions",
                  (json_int_t)json_array_size(sessions), "alerts_more", (json_int_t)more));
    /* The template engine takes every number as true: no "And 0 more". */
    if (!more)
        json_object_del(json_object_get(m, "today"), "alerts_more");
    return E_OK;
}
