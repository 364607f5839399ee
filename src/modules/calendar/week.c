/* week: the calendar (GET /staff/calendar): a day (?date=YYYY-MM-DD) or an ISO week
 * (?week=YYYY-Www, the default: this week), of every track or one (?track=), one clinician's
 * sessions (?staff=, their public id: session_staff) or one room's (?room=); previous and next
 * keep the filters. Each session shows its time, title, kind, room and roster size (no names:
 * the attendance screen has those), a cancelled one struck through with its reason. */
#include "modules/calendar/calendar.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "store/program.h"
#include "web/audit.h"
#include "web/view.h"

/* What the page shows: its span and filters. */
struct cal_query {
    bool day;
    caldate from, to;
    const char *track, *staff, *room; /* NULL: no filter */
    const char *staff_email;
};

/* The day's label (calendar_day_label) in the request's arena. */
static const char *day_label(struct req *r, caldate d, bool with_year)
{
    char out[CALENDAR_DAY_LABEL];

    return arena_strdup(r->arena, calendar_day_label(d, with_year, out));
}

/* Appends s percent-encoded (a query value). */
static void add_query_value(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.')
            buf_addc(b, (char)c);
        else
            buf_addf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
    }
}

/* The calendar's address for a span ("date=..." or "week=...") with q's filters. */
static const char *cal_href(struct req *r, const struct cal_query *q, const char *span)
{
    struct buf b = BUF_INIT;
    const char *out;

    buf_addf(&b, "/staff/calendar?%s", span);
    if (q->track) {
        buf_adds(&b, "&track=");
        add_query_value(&b, q->track);
    }
    if (q->staff) {
        buf_adds(&b, "&staff=");
        add_query_value(&b, q->staff);
    }
    if (q->room) {
        buf_adds(&b, "&room=");
        add_query_value(&b, q->room);
    }
    out = arena_strdup(r->arena, buf_cstr(&b));
    buf_free(&b);
    return out;
}

static const char *day_span(struct req *r, caldate d)
{
    char t[CALDATE_TEXT], s[24];

    snprintf(s, sizeof(s), "date=%s", caldate_format(d, t));
    return arena_strdup(r->arena, s);
}

static const char *week_span(struct req *r, caldate d)
{
    char t[CALDATE_WEEK_TEXT], s[24];

    snprintf(s, sizeof(s), "week=%s", caldate_week_format(caldate_week_of(d), t));
    return arena_strdup(r->arena, s);
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* Reads the query into q; false with r->message (a 422 page) when a value is not understood. */
static bool cal_read(struct req *r, struct cal_query *q, caldate today)
{
    const char *date = nonempty(req_query(r, "date")), *week = nonempty(req_query(r, "week"));
    struct caldate_week w;

    q->track = nonempty(req_query(r, "track"));
    q->staff = nonempty(req_query(r, "staff"));
    q->room = nonempty(req_query(r, "room"));
    if (date) {
        q->day = true;
        if (!caldate_parse(date, &q->from)) {
            r->message = "The date is not one we understand: use a date such as 2026-03-09.";
            return false;
        }
        q->to = q->from;
        return true;
    }
    if (week && !caldate_week_parse(week, &w)) {
        r->message = "The week is not one we understand: use a week such as 2026-W11.";
        return false;
    }
    if (!week)
        w = caldate_week_of(today);
    caldate_week_monday(w, &q->from);
    q->to = q->from + 6;
    return true;
}

/* The clinicians as select options; finds the e-mail of q->staff (NULL when nobody has that
 * public id). */
static json_t *staff_options(struct req *r, struct cal_query *q)
{
    json_t *staff = calendar_staff(r), *out = json_array(), *u;
    size_t i;

    json_array_foreach(staff, i, u) {
        const char *id = json_string_value(json_object_get(u, "public_id"));
        bool sel = q->staff && !strcmp(q->staff, id);
        if (sel)
            q->staff_email = arena_strdup(r->arena,
                                          json_string_value(json_object_get(u, "email")));
        json_array_append_new(out, json_pack("{s:s, s:O, s:b}", "value", id, "label",
                                             json_object_get(u, "name"), "selected", sel));
    }
    json_decref(staff);
    return out;
}

/* Select options from an object's keys (the values), labelled by its values when they are
 * strings (track names), else by the keys (rooms). */
static json_t *key_options(json_t *obj, const char *selected)
{
    json_t *out = json_array(), *v;
    const char *key;

    json_object_foreach(obj, key, v)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", key, "label",
                                             json_is_string(v) ? json_string_value(v) : key,
                                             "selected", selected && !strcmp(selected, key)));
    return out;
}

/* Whether the session passes the clinician and room filters; its room joins rooms. */
static bool cal_keep(const struct cal_query *q, const json_t *s, json_t *rooms)
{
    const char *room = json_string_value(json_object_get(s, "room"));
    const json_t *e;
    bool staff = !q->staff;
    size_t i;

    if (room && !json_object_get(rooms, room))
        json_object_set_new(rooms, room, json_true());
    json_array_foreach(json_object_get(s, "staff"), i, e)
        staff |= q->staff_email && !strcmp(json_string_value(e), q->staff_email);
    return staff && (!q->room || (room && !strcmp(room, q->room)));
}

/* The days of the span with their sessions; rooms gets every room seen. */
static json_t *cal_days(struct req *r, const struct cal_query *q, const json_t *sessions,
                        const json_t *tracks, json_t *rooms, caldate today)
{
    json_t *days = json_array(), *s;
    size_t i;

    for (caldate d = q->from; d <= q->to; d++) {
        char t[CALDATE_TEXT];
        json_array_append_new(days, json_pack("{s:s, s:s, s:b, s:[], s:s}", "date",
                                              caldate_format(d, t), "label",
                                              day_label(r, d, false), "is_today", d == today,
                                              "sessions", "href", cal_href(r, q, day_span(r, d))));
    }
    json_array_foreach(sessions, i, s) {
        caldate d;
        json_t *v;
        if (!cal_keep(q, s, rooms) ||
            !caldate_parse(json_string_value(json_object_get(s, "date")), &d) || d < q->from ||
            d > q->to)
            continue;
        v = calendar_session_view(s, today);
        json_object_set(v, "track_name",
                        json_object_get(tracks, json_string_value(json_object_get(s, "track_id"))));
        json_array_append_new(json_object_get(json_array_get(days, (size_t)(d - q->from)),
                                              "sessions"),
                              v);
    }
    json_array_foreach(days, i, s) json_object_set_new(
        s, "none", json_boolean(!json_array_size(json_object_get(s, "sessions"))));
    return days;
}

/* The heading, the previous/next links and the other view's link. */
static void cal_nav(struct req *r, json_t *m, const struct cal_query *q, caldate today)
{
    char wk[CALDATE_WEEK_TEXT], t[CALDATE_TEXT], heading[160];
    caldate other = today >= q->from && today <= q->to ? today : q->from;

    if (q->day) {
        snprintf(heading, sizeof(heading), "%s", day_label(r, q->from, true));
        json_object_set_new(m, "prev", json_string(cal_href(r, q, day_span(r, q->from - 1))));
        json_object_set_new(m, "next", json_string(cal_href(r, q, day_span(r, q->from + 1))));
        json_object_set_new(m, "other_view",
                            json_string(cal_href(r, q, week_span(r, q->from))));
        json_object_set_new(m, "date", json_string(caldate_format(q->from, t)));
    } else {
        snprintf(heading, sizeof(heading), "Week %s: %s to %s",
                 caldate_week_format(caldate_week_of(q->from), wk), day_label(r, q->from, false),
                 day_label(r, q->to, true));
        json_object_set_new(m, "prev", json_string(cal_href(r, q, week_span(r, q->from - 7))));
        json_object_set_new(m, "next", json_string(cal_href(r, q, week_span(r, q->from + 7))));
        json_object_set_new(m, "other_view", json_string(cal_href(r, q, day_span(r, other))));
        json_object_set_new(m, "date", json_string(caldate_format(other, t)));
    }
    json_object_set_new(m, "heading", json_string(heading));
    json_object_set_new(m, "week", json_string(caldate_week_format(caldate_week_of(q->from), wk)));
    json_object_set_new(m, "day_view", json_boolean(q->day));
    json_object_set_new(m, "today_href",
                        json_string(cal_href(r, q, q->day ? day_span(r, today)
                                                          : week_span(r, today))));
}

enum err calendar_page(struct req *r)
{
    struct cal_query q = {0};
    caldate today = program_today();
    json_t *m = NULL, *sessions = NULL, *tracks = NULL, *rooms;
    enum err e;

    if (!cal_read(r, &q, today))
        return E_INVALID;
    if (!(tracks = calendar_track_names(r)))
        return E_DB;
    e = store_program_sessions_list(r->store, q.from, q.to, q.track, NULL, &sessions);
    if (e != E_OK) {
        r->message = e == E_NOTFOUND ? "There is no such track." : NULL;
        e = e == E_NOTFOUND ? E_INVALID : E_DB;
        goto out;
    }
    m = view_staff_model(r, "Calendar");
    json_object_set_new(m, "staff_options", staff_options(r, &q));
    if (q.staff && !q.staff_email) {
        r->message = "There is no such clinician.";
        e = E_INVALID;
        goto out;
    }
    rooms = json_object();
    json_object_set_new(m, "days", cal_days(r, &q, sessions, tracks, rooms, today));
    json_object_set_new(m, "room_options", key_options(rooms, q.room));
    json_decref(rooms);
    json_object_set_new(m, "track_options", key_options(tracks, q.track));
    cal_nav(r, m, &q, today);
    if (audit_record(r, "list", "session", q.track, "ok") < 0) {
        r->message = AUDIT_UNRECORDED;
        e = E_DB;
        goto out;
    }
    req_model(r, m);
    m = NULL;
out:
    json_decref(m);
    json_decref(sessions);
    json_decref(tracks);
    return e;
}
