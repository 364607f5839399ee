/* progress: My progress (/me/progress): the patient's attendance and hours against their plan,
 * this week and the four before (store_patient_week: the figures staff see), their check-ins'
 * craving and confidence over the last 30 days and their questionnaires as the same
 * server-built SVG charts staff see (web/trend_svg.h, modules/measures' trend), each with a
 * table of its figures, and "days since" a date the patient chooses to count from (they may
 * change or clear it: /me/progress/tracking). Everything is the signed-in patient's own. */
#include "modules/portal/portal.h"

#include <stdio.h>
#include <string.h>

#include "http/resp.h"
#include "modules/measures/measures.h"
#include "store/journal.h"
#include "store/portal.h"
#include "store/program.h"
#include "web/audit.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/trend_svg.h"

#define WEEKS 5       /* this week and the four before */
#define CHECKIN_DAYS 30
#define CHECKIN_POINTS 64

/* "3 h 30 min" of minutes (arena); `none` for a null. */
static const char *hours_words(struct req *r, const json_t *minutes, const char *none)
{
    char out[32];
    long m = (long)json_integer_value(minutes);

    if (!json_is_integer(minutes))
        return none;
    if (m >= 60 && m % 60)
        snprintf(out, sizeof(out), "%ld h %ld min", m / 60, m % 60);
    else if (m >= 60)
        snprintf(out, sizeof(out), "%ld h", m / 60);
    else
        snprintf(out, sizeof(out), "%ld min", m);
    return arena_strdup(r->arena, out);
}

/* This week and the four before, this one first; false when the store failed. */
static bool weeks(struct req *r, caldate today, json_t *out)
{
    char monday_text[CALDATE_TEXT];
    json_t *w = NULL;
    caldate monday;

    for (int i = 0; i < WEEKS; i++) {
        struct caldate_week wk = caldate_week_of(today - 7 * i);
        enum err e = store_patient_week(r->store, r->user->public_id, wk, today, &w);
        if (e == E_NOTFOUND)
            continue;
        if (e != E_OK)
            return false;
        caldate_week_monday(wk, &monday);
        json_array_append_new(
            out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "label",
                           i == 0 ? "This week" : "Week of", "monday",
                           caldate_format(monday, monday_text), "attended",
                           hours_words(r, json_object_get(w, "attended_minutes"), "0 min"),
                           "scheduled",
                           hours_words(r, json_object_get(w, "scheduled_minutes"), "0 min"),
                           "minimum",
                           hours_words(r, json_object_get(w, "minimum_minutes"), "—"),
                           "this_week", i == 0, "short",
                           json_integer_value(json_object_get(w, "attended_shortfall")) > 0));
        json_decref(w);
    }
    return true;
}

/* Sorts points by day, keeping the order of a day's own (a chart runs left to right). */
static void sort_points(struct trend_point *p, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct trend_point x = p[i];
        size_t j = i;
        for (; j > 0 && p[j - 1].day > x.day; j--)
            p[j] = p[j - 1];
        p[j] = x;
    }
}

/* A 0-10 chart of one check-in answer over the rows (newest first) of the last 30 days. */
static json_t *checkin_chart(struct req *r, const json_t *rows, const char *key,
                             const char *title, caldate since)
{
    struct trend_point p[CHECKIN_POINTS];
    struct buf b = BUF_INIT;
    json_t *table = json_array(), *row;
    char id[32], desc[160];
    size_t n = 0;

    for (size_t i = json_array_size(rows); i-- > 0 && n < CHECKIN_POINTS;) {
        row = json_array_get(rows, i);
        if (!caldate_parse(json_string_value(json_object_get(row, "day")), &p[n].day) ||
            p[n].day < since)
            continue;
        p[n].score = (int)json_integer_value(json_object_get(row, key));
        json_array_insert_new(table, 0,
                              json_pack("{s:O, s:i}", "day", json_object_get(row, "day"), "score",
                                        p[n].score));
        n++;
    }
    sort_points(p, n);
    snprintf(id, sizeof(id), "trend-%s", key);
    snprintf(desc, sizeof(desc), "%s, 0 to 10, from %zu check-ins of the last %d days. The table "
             "below lists each one.", title, n, CHECKIN_DAYS);
    trend_svg(&b, &(struct trend_chart){ .id = id, .title = title, .desc = desc, .max = 10,
                                         .points = p, .n_points = n });
    row = json_pack("{s:s, s:s, s:s, s:o, s:b}", "id", id, "title", title, "svg",
                    arena_strdup(r->arena, n ? buf_cstr(&b) : ""), "table", table, "has_points",
                    n > 0);
    buf_free(&b);
    return row;
}

/* The questionnaires' trends (not the single craving rating: the check-ins show it). */
static json_t *measure_trends(struct req *r, const json_t *list)
{
    json_t *out = json_array();

    for (size_t k = 0; k < measure_count(); k++) {
        const struct measure_def *d = measure_at(k);
        json_t *rows = json_array(), *t, *row;
        size_t i;
        json_array_foreach(list, i, row)
            if (!strcmp(json_string_value(json_object_get(row, "instrument")), d->code))
                json_array_append(rows, row);
        if (json_array_size(rows) && strcmp(d->code, "craving")) {
            t = measures_trend(d, rows);
            json_object_set_new(t, "svg", json_string(measures_trend_svg(r, d, t)));
            json_array_append_new(out, t);
        }
        json_decref(rows);
    }
    return out;
}

/* The date the patient counts from, and the days since it. */
static enum err tracked(struct req *r, caldate today, json_t *m)
{
    char label[JOURNAL_LABEL_MAX + 1], since[11];
    caldate d;

    if (store_journal_tracked_get(r->store, auth_patient_id(r), label, since) != E_OK)
        return E_DB;
    if (since[0] && caldate_parse(since, &d))
        json_object_set_new(m, "tracked",
                            json_pack("{s:s, s:s, s:I, s:b}", "label", label, "since", since,
                                      "days", (json_int_t)(today - d), "one", today - d == 1));
    if (!json_object_get(m, "form"))
        json_object_set_new(m, "form", json_pack("{s:s, s:s}", "label", label, "since", since));
    return E_OK;
}

/* Every part of the page into m. */
static enum err page_model(struct req *r, json_t *m)
{
    json_t *wk = json_array(), *checkins = NULL, *measures = NULL, *charts;
    caldate today = portal_today(NULL);
    enum err e = E_DB;

    if (!weeks(r, today, wk) ||
        store_portal_checkins(r->store, auth_patient_id(r), CHECKIN_POINTS, &checkins) != E_OK ||
        store_measures_list(r->store, auth_patient_id(r), NULL, &measures) != E_OK ||
        tracked(r, today, m) != E_OK)
        goto out;
    json_object_set_new(m, "has_weeks", json_boolean(json_array_size(wk) > 0));
    json_object_set(m, "weeks", wk);
    charts = json_pack("[o, o]",
                       checkin_chart(r, checkins, "craving", "Craving", today - CHECKIN_DAYS),
                       checkin_chart(r, checkins, "confidence", "Confidence to stay on track",
                                     today - CHECKIN_DAYS));
    json_object_set_new(m, "has_checkins", json_boolean(json_array_size(checkins) > 0));
    json_object_set_new(m, "checkin_charts", charts);
    charts = measure_trends(r, measures);
    json_object_set_new(m, "has_trends", json_boolean(json_array_size(charts) > 0));
    json_object_set_new(m, "trends", charts);
    e = E_OK;
out:
    json_decref(wk);
    json_decref(checkins);
    json_decref(measures);
    return e;
}

enum err portal_progress_page(struct req *r)
{
    json_t *m = req_model(r, portal_model(r, "My progress"));

    json_object_set_new(m, "saved", json_boolean(req_query(r, "saved") != NULL));
    if (page_model(r, m) != E_OK ||
        portal_audit(r, "view", "patient", r->user->public_id, "ok") < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}

enum err portal_progress_tracking(struct req *r)
{
    json_t *m = req_model(r, portal_model(r, "My progress"));
    bool clear = req_form(r, "clear") != NULL;
    const char *label = NULL, *since = NULL;
    char today[11];
    struct form f;
    enum err e;

    portal_today(today);
    form_init(&f, r, m);
    if (!clear) {
        label = form_text(&f, "label", JOURNAL_LABEL_MAX, true, false,
                          "Say what you are counting the days since.");
        since = form_date(&f, "since", true, "Give the date you count from.");
        if (since && strcmp(since, today) > 0)
            form_problem(&f, "since", "The date cannot be after today.");
    }
    if (f.problems) {
        portal_audit(r, "update", "portal-prefs", r->user->public_id, "invalid");
        return page_model(r, m) == E_OK ? E_INVALID : E_DB;
    }
    e = store_journal_tracked_set(r->store, auth_patient_id(r), label, since,
                                  portal_entry(r, "update", "portal-prefs", r->user->public_id,
                                               "ok"));
    r->model = NULL;
    if (e != E_OK) {
        portal_audit(r, "update", "portal-prefs", r->user->public_id, audit_outcome(e));
        return e == E_INVALID ? E_INVALID : E_DB;
    }
    resp_redirect(r, 303, "/me/progress?saved=1#days-since");
    return E_OK;
}
