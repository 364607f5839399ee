/* hours: the weekly hours report: for a chosen ISO week (by default the last one that ended,
 * whose shortfalls are all known), every patient with an enrolment in it (of one track, or of
 * all), their scheduled and attended minutes, the weekly minimum and the shortfalls (R1-R4),
 * from store_program_weeks, which gives each patient what their week on the API gives. The
 * list names patients: shown only once its "list" entry is in the audit trail. */
#include "modules/reports/reports.h"

#include <stdio.h>
#include <string.h>

#include "domain/caldate.h"
#include "modules/tracks/tracks.h"
#include "store/program.h"
#include "web/audit.h"

/* The address of the report for week w with the page's other filters. */
static const char *week_url(struct req *r, struct caldate_week w, const char *track, bool only)
{
    char wk[CALDATE_WEEK_TEXT], url[160];

    snprintf(url, sizeof(url), "/staff/reports/hours?week=%s%s%s%s", caldate_week_format(w, wk),
             track ? "&track=" : "", track ? track : "", only ? "&short=yes" : "");
    return arena_strdup(r->arena, url);
}

/* Whether a row has a shortfall (scheduled, or attended once the week is over). */
static bool short_of(const json_t *row)
{
    return json_integer_value(json_object_get(row, "scheduled_shortfall")) > 0 ||
           json_integer_value(json_object_get(row, "attended_shortfall")) > 0;
}

/* Keeps the rows with a shortfall when only is set; marks each row's shortfalls. */
static json_t *rows_shown(json_t *rows, bool only)
{
    json_t *out = json_array(), *row;
    size_t i;

    json_array_foreach(rows, i, row) {
        if (only && !short_of(row))
            continue;
        json_object_set_new(row, "short", json_boolean(short_of(row)));
        json_object_set_new(
            row, "pending",
            json_boolean(json_is_null(json_object_get(row, "attended_shortfall")) &&
                         !json_is_null(json_object_get(row, "minimum_minutes"))));
        json_array_append(out, row);
    }
    return out;
}

/* The week's own part of the page: its dates, whether it has ended, the weeks around it. */
static void week_part(struct req *r, json_t *m, struct caldate_week w, const char *track,
                      bool only)
{
    char a[CALDATE_TEXT], b[CALDATE_TEXT], wk[CALDATE_WEEK_TEXT];
    caldate monday = 0;

    caldate_week_monday(w, &monday);
    json_object_set_new(m, "week",
                        json_pack("{s:s, s:s, s:s, s:b, s:s, s:s}", "name",
                                  caldate_week_format(w, wk), "from", caldate_format(monday, a),
                                  "to", caldate_format(monday + 6, b), "ended",
                                  monday + 6 < tracks_today(), "previous",
                                  week_url(r, caldate_week_of(monday - 7), track, only), "next",
                                  week_url(r, caldate_week_of(monday + 7), track, only)));
}

enum err reports_hours(struct req *r)
{
    json_t *m = req_model(r, reports_model(r, "Weekly hours", "hours")), *rows = NULL, *shown;
    const char *wk, *track, *only_q;
    struct caldate_week w = caldate_week_of(tracks_today() - 7);
    char name[CALDATE_WEEK_TEXT];
    struct form f;
    bool only;
    enum err e;

    form_init(&f, r, m);
    wk = reports_query(&f, "week");
    only_q = reports_query(&f, "short");
    only = only_q && !strcmp(only_q, "yes");
    json_object_set_new(json_object_get(m, "form"), "short", json_boolean(only));
    if (!wk)
        json_object_set_new(json_object_get(m, "form"), "week",
                            json_string(caldate_week_format(w, name)));
    else if (!caldate_week_parse(wk, &w))
        form_problem(&f, "week", "Name an ISO week such as 2026-W11 (that year must have it).");
    if (reports_track_filter(&f, &track) != E_OK) {
        r->model = NULL;
        return E_DB;
    }
    if (f.problems)
        return E_INVALID;
    if ((e = store_program_weeks(r->store, track, w, tracks_today(), &rows)) != E_OK) {
        r->model = NULL;
        return E_DB;
    }
    shown = rows_shown(rows, only);
    json_decref(rows);
    if (audit_list(r, "patient", shown) < 0) {
        json_decref(shown);
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    json_object_set_new(m, "any", json_boolean(json_array_size(shown) > 0));
    json_object_set_new(m, "rows", shown);
    week_part(r, m, w, track, only);
    return E_OK;
}
