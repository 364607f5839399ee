/* program_reports: the program's figures for a director's and a biller's screens (spec
 * program.md §3), read in one go for many patients: a track's roster on a date, the census of
 * every track (active, admissions and discharges of the week) and the week of every enrolled
 * patient (R1-R4). The week gives the same figures as store_patient_week, patient by patient
 * (the rules are domain/hours'), from three queries over the week's rows instead of three per
 * patient; tests/unit/store/test_program_reports.c checks that they agree. And, for billing,
 * the notes and plans that keep days from being billed (R6's fourth condition): which, and
 * whose, never what they say. */
#include "store/program_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"
#include "domain/hours.h"
#include "store/hours_gate.h"

static const char sql_roster[] =
    "SELECT p.public_id, p.first_name, p.last_name, e.public_id, e.start_date,"
    " coalesce(e.end_date, '') FROM enrolments e JOIN patients p ON p.id = e.patient_id"
    " WHERE e.track_id = ?1 AND e.start_date <= ?2 AND (e.end_date IS NULL OR e.end_date >= ?2)"
    " ORDER BY lower(p.last_name), lower(p.first_name), p.public_id";
/* ?1 the day, ?2-?3 its week's Monday and Sunday. */
static const char sql_census[] =
    "SELECT t.public_id, t.code, t.name, t.capacity,"
    " (SELECT count(*) FROM enrolments e WHERE e.track_id = t.id AND e.start_date <= ?1"
    "  AND (e.end_date IS NULL OR e.end_date >= ?1)),"
    " (SELECT count(*) FROM enrolments e WHERE e.track_id = t.id AND e.start_date >= ?2"
    "  AND e.start_date <= ?3),"
    " (SELECT count(*) FROM enrolments e WHERE e.track_id = t.id AND e.end_date >= ?2"
    "  AND e.end_date <= ?3)"
    " FROM tracks t ORDER BY t.code, t.id";

/* The patients of a week's report: an enrolment overlapping ?1..?2 (Monday, Sunday), in track
 * ?3 (a row id; 0: any). */
#define WEEK_PATIENTS                                                                          \
    "(SELECT f.patient_id FROM enrolments f WHERE f.start_date <= ?2"                          \
    " AND (f.end_date IS NULL OR f.end_date >= ?1) AND (?3 = 0 OR f.track_id = ?3))"
/* Their enrolments overlapping the week with their track's figures (R3), by patient. */
static const char sql_week_enrolments[] =
    "SELECT e.patient_id, p.public_id, p.first_name, p.last_name, e.start_date,"
    " coalesce(e.end_date, ''), t.min_weekly_minutes, t.level, t.id, t.public_id, t.code,"
    " (SELECT count(DISTINCT ts.weekday) FROM track_sessions ts WHERE ts.track_id = t.id"
    "  AND ts.retired = 0)"
    " FROM enrolments e JOIN tracks t ON t.id = e.track_id JOIN patients p ON p.id = e.patient_id"
    " WHERE e.patient_id IN " WEEK_PATIENTS " AND e.start_date <= ?2"
    " AND (e.end_date IS NULL OR e.end_date >= ?1) ORDER BY e.patient_id, e.start_date";
/* R1 by patient: rostered, not cancelled sessions of the week (UNION: a session once each). */
static const char sql_week_scheduled[] =
    "SELECT q.pid, sum(q.minutes) FROM ("
    "SELECT e.patient_id AS pid, s.id AS sid, s.minutes AS minutes FROM enrolments e"
    " JOIN program_sessions s ON s.track_id = e.track_id AND s.date >= ?1 AND s.date <= ?2"
    " AND s.date >= e.start_date AND (e.end_date IS NULL OR s.date <= e.end_date)"
    " WHERE e.patient_id IN " WEEK_PATIENTS " AND s.status = 'scheduled'"
    " UNION SELECT sp.patient_id, s.id, s.minutes FROM session_patients sp"
    " JOIN program_sessions s ON s.id = sp.session_id WHERE sp.patient_id IN " WEEK_PATIENTS
    " AND sp.date >= ?1 AND sp.date <= ?2 AND s.status = 'scheduled') AS q"
    " GROUP BY q.pid ORDER BY q.pid";
/* R2 by patient. */
static const char sql_week_attended[] =
    "SELECT a.patient_id, sum(a.minutes) FROM attendance a WHERE a.date >= ?1 AND a.date <= ?2"
    " AND a.patient_id IN " WEEK_PATIENTS " GROUP BY a.patient_id ORDER BY a.patient_id";

static json_t *nullable(int v)
{
    return v == HOURS_NONE ? json_null() : json_integer(v);
}

static json_t *roster_row(struct store *s, struct db_stmt *st, void *ctx)
{
    const char *end = db_col_text(st, 5);

    (void)s;
    (void)ctx;
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "public_id", db_col_text(st, 0),
                     "first_name", db_col_text(st, 1), "last_name", db_col_text(st, 2),
                     "enrolment_id", db_col_text(st, 3), "start", db_col_text(st, 4), "end",
                     *end ? json_string(end) : json_null());
}

enum err store_track_roster(struct store *s, const char *track_id, caldate day, json_t **out)
{
    struct db_stmt *st;
    char d[CALDATE_TEXT];
    long track = 0;
    enum err e;

    if ((e = store_program_track_id(s, track_id ? track_id : "", &track)) != E_OK)
        return e;
    if (!(st = db_prepare_once(s->db, sql_roster)))
        return E_DB;
    db_bind_int64(st, 1, track);
    db_bind_text(st, 2, caldate_format(day, d));
    e = store_rows(s, st, roster_row, NULL, "track roster", out);
    db_finish(st);
    return e;
}

static json_t *census_row(struct store *s, struct db_stmt *st, void *ctx)
{
    (void)s;
    (void)ctx;
    return json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "id", db_col_text(st, 0), "code",
                     db_col_text(st, 1), "name", db_col_text(st, 2), "capacity",
                     (json_int_t)db_col_int64(st, 3), "active", (json_int_t)db_col_int64(st, 4),
                     "admissions", (json_int_t)db_col_int64(st, 5), "discharges",
                     (json_int_t)db_col_int64(st, 6));
}

enum err store_program_census(struct store *s, caldate day, json_t **out)
{
    struct db_stmt *st = db_prepare_once(s->db, sql_census);
    caldate monday = day - (caldate_weekday(day) - 1);
    char a[CALDATE_TEXT], b[CALDATE_TEXT], c[CALDATE_TEXT];
    enum err e;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, caldate_format(day, a));
    db_bind_text(st, 2, caldate_format(monday, b));
    db_bind_text(st, 3, caldate_format(monday + 6, c));
    e = store_rows(s, st, census_row, NULL, "census", out);
    db_finish(st);
    return e;
}

/* One patient of a week's report: who, the track they are listed under (their latest
 * enrolment of the week in the track asked for), their enrolments as the rules take them, and
 * the minutes added up. */
struct week_row {
    long patient;
    char public_id[PROGRAM_ID_TEXT], track_id[PROGRAM_ID_TEXT];
    char *first, *last, *code;
    struct hours_enrolment e[8]; /* a week holds at most seven enrolments (one per day) */
    size_t n;
    int scheduled, attended;
};

struct week_rows {
    struct week_row *v;
    size_t n, cap;
};

static void week_rows_free(struct week_rows *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->v[i].first);
        free(w->v[i].last);
        free(w->v[i].code);
    }
    free(w->v);
}

/* Binds the week (Monday, Sunday) and the track (0: any) of a WEEK_PATIENTS statement. */
static void week_bind(struct db_stmt *st, const char *monday, const char *sunday, long track)
{
    db_bind_text(st, 1, monday);
    db_bind_text(st, 2, sunday);
    db_bind_int64(st, 3, track);
}

/* The row of the current patient (the last one, since rows come by patient), made as needed. */
static struct week_row *week_row_of(struct week_rows *w, struct db_stmt *st)
{
    long patient = (long)db_col_int64(st, 0);
    struct week_row *r;

    if (w->n && w->v[w->n - 1].patient == patient)
        return &w->v[w->n - 1];
    if (w->n == w->cap)
        w->v = xrealloc(w->v, (w->cap = w->cap ? w->cap * 2 : 64) * sizeof(*w->v));
    r = &w->v[w->n++];
    memset(r, 0, sizeof(*r));
    r->patient = patient;
    store_copy(r->public_id, sizeof(r->public_id), db_col_text(st, 1));
    r->first = xstrdup(db_col_text(st, 2));
    r->last = xstrdup(db_col_text(st, 3));
    return r;
}

static enum err week_enrolments(struct store *s, const char *mon, const char *sun, long track,
                                struct week_rows *w)
{
    struct db_stmt *st = db_prepare_once(s->db, sql_week_enrolments);
    enum db_step rc;

    if (!st)
        return E_DB;
    week_bind(st, mon, sun, track);
    while ((rc = db_step(st)) == DB_ROW) {
        struct week_row *r = week_row_of(w, st);
        struct hours_enrolment *h = &r->e[r->n];
        if (r->n == sizeof(r->e) / sizeof(r->e[0]) || !store_program_enrolment_row(st, 4, 11, h))
            continue;
        r->n++;
        if (!track || db_col_int64(st, 8) == track) {
            store_copy(r->track_id, sizeof(r->track_id), db_col_text(st, 9));
            free(r->code);
            r->code = xstrdup(db_col_text(st, 10));
        }
    }
    db_finish(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "week's enrolments");
}

/* Adds a per-patient sum (sql: patient id, minutes, by patient) into the rows' `scheduled`
 * (which = 0) or `attended` (1), both lists in patient order. */
static enum err week_sums(struct store *s, const char *sql, const char *mon, const char *sun,
                          long track, struct week_rows *w, int which)
{
    struct db_stmt *st = db_prepare_once(s->db, sql);
    enum db_step rc;
    size_t k = 0;

    if (!st)
        return E_DB;
    week_bind(st, mon, sun, track);
    while ((rc = db_step(st)) == DB_ROW) {
        long patient = (long)db_col_int64(st, 0);
        while (k < w->n && w->v[k].patient < patient)
            k++;
        if (k < w->n && w->v[k].patient == patient)
            *(which ? &w->v[k].attended : &w->v[k].scheduled) = (int)db_col_int64(st, 1);
    }
    db_finish(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "week's minutes");
}

/* Report order: track code, last name, first name, patient. */
static int week_order(const void *pa, const void *pb)
{
    const struct week_row *a = pa, *b = pb;
    int c = strcmp(a->code ? a->code : "", b->code ? b->code : "");

    if (!c)
        c = strcasecmp(a->last, b->last);
    if (!c)
        c = strcasecmp(a->first, b->first);
    return c ? c : strcmp(a->public_id, b->public_id);
}

/* The rows as the report's array, with the rules applied (R3, R4). */
static json_t *week_json(const struct week_rows *w, caldate monday, caldate as_of)
{
    json_t *arr = json_array();
    bool ended = hours_week_ended(monday, as_of);

    for (size_t i = 0; i < w->n; i++) {
        const struct week_row *r = &w->v[i];
        int minimum = hours_week_minimum(r->e, r->n, monday);
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:o, s:o, s:o}", "public_id",
                           r->public_id, "first_name", r->first, "last_name", r->last,
                           "track_id", r->track_id, "track_code", r->code ? r->code : "",
                           "scheduled_minutes", r->scheduled, "attended_minutes", r->attended,
                           "minimum_minutes", nullable(minimum), "scheduled_shortfall",
                           nullable(hours_shortfall(minimum, r->scheduled)),
                           "attended_shortfall",
                           ended ? nullable(hours_shortfall(minimum, r->attended))
                                 : json_null()));
    }
    return arr;
}

enum err store_program_weeks(struct store *s, const char *track_id, struct caldate_week w,
                             caldate as_of, json_t **out)
{
    struct week_rows rows = {0};
    char mon[CALDATE_TEXT], sun[CALDATE_TEXT];
    caldate monday;
    long track = 0;
    enum err e;

    if (!caldate_week_monday(w, &monday))
        return E_INVALID;
    if (track_id && (e = store_program_track_id(s, track_id, &track)) != E_OK)
        return e;
    /* Every track's sessions of the week: a patient may have moved from another track. */
    if ((e = store_program_ensure(s, 0, monday + 6)) != E_OK)
        return e;
    caldate_format(monday, mon);
    caldate_format(monday + 6, sun);
    if ((e = db_begin_read(s->db)) != E_OK)
        return e;
    if ((e = week_enrolments(s, mon, sun, track, &rows)) == E_OK &&
        (e = week_sums(s, sql_week_scheduled, mon, sun, track, &rows, 0)) == E_OK)
        e = week_sums(s, sql_week_attended, mon, sun, track, &rows, 1);
    if (db_commit(s->db) != E_OK && e == E_OK)
        e = E_DB;
    if (e == E_OK) {
        if (rows.n > 1) /* rows.v is NULL when nobody was enrolled */
            qsort(rows.v, rows.n, sizeof(*rows.v), week_order);
        *out = week_json(&rows, monday, as_of);
    }
    week_rows_free(&rows);
    return e;
}

/* The attended sessions of the days of ?1..?2 that R6's fourth condition refuses, the days read
 * from migration 0031's attendance_days (a range of the table, not the month's records grouped)
 * (patients of
 * track ?3 when not NULL, as sql_billing_track takes them), each with the day's minutes, its
 * covering enrolment as the rules take it (NULL columns: none), whether the plan was current,
 * the note's state, its author and the session's first facilitator: by date, name, start. */
static const char sql_missing[] =
    "SELECT g.date, p.public_id, p.first_name, p.last_name, g.minutes, e.start_date,"
    " coalesce(e.end_date, ''), t.min_weekly_minutes, t.level,"
    " (SELECT count(DISTINCT ts.weekday) FROM track_sessions ts WHERE ts.track_id = t.id"
    "  AND ts.retired = 0), " HOURS_GATE_PLAN("g.patient_id", "g.date") ", s.public_id,"
    " s.title, s.start_time, " HOURS_GATE_NOTE("s", "g.patient_id") ","
    " (SELECT u.name FROM notes n JOIN users u ON u.id = n.author_id WHERE n.session_id = s.id"
    "  AND (n.kind = 'group' OR n.patient_id = g.patient_id) ORDER BY n.id LIMIT 1),"
    " (SELECT u.name FROM session_staff ss JOIN users u ON u.id = ss.user_id"
    "  WHERE ss.session_id = s.id ORDER BY lower(u.name) LIMIT 1),"
    " (SELECT count(*) FROM session_staff ss WHERE ss.session_id = s.id)"
    " FROM (SELECT ad.date AS date, ad.patient_id AS patient_id, ad.minutes AS minutes"
    "  FROM attendance_days ad WHERE ad.date >= ?1 AND ad.date <= ?2 AND ad.minutes > 0"
    "  AND (?3 IS NULL OR ad.patient_id IN (SELECT f.patient_id FROM enrolments f"
    "   JOIN tracks ft ON ft.id = f.track_id WHERE ft.public_id = ?3 AND f.start_date <= ?2"
    "   AND (f.end_date IS NULL OR f.end_date >= ?1)))"
    "  AND NOT " HOURS_GATE_DAY("ad.patient_id", "ad.date") ") AS g"
    " JOIN patients p ON p.id = g.patient_id"
    " JOIN attendance a ON a.patient_id = g.patient_id AND a.date = g.date AND a.minutes > 0"
    " JOIN program_sessions s ON s.id = a.session_id"
    " LEFT JOIN enrolments e ON e.patient_id = g.patient_id AND e.start_date <= g.date"
    "  AND (e.end_date IS NULL OR e.end_date >= g.date)"
    " LEFT JOIN tracks t ON t.id = e.track_id"
    " ORDER BY g.date, lower(p.last_name), lower(p.first_name), p.public_id, s.start_time, s.id";

/* A new day of the missing list from the row: who, and the reasons besides documentation. */
static json_t *missing_day(struct db_stmt *st)
{
    struct hours_enrolment h;
    const struct hours_enrolment *cover = NULL;
    unsigned why;
    char name[420];
    json_t *others = json_array();

    if (!db_col_is_null(st, 5) && store_program_enrolment_row(st, 5, 9, &h))
        cover = &h;
    why = hours_billable_reasons(db_col_int(st, 4), cover, true);
    for (int i = 0; i < HOURS_N_REASONS; i++)
        if (why & (1u << i))
            json_array_append_new(others, json_string(hours_reason_name(i)));
    snprintf(name, sizeof(name), "%s %s", db_col_text(st, 2), db_col_text(st, 3));
    return json_pack("{s:s, s:s, s:s, s:i, s:b, s:o, s:[]}", "date", db_col_text(st, 0),
                     "patient_id", db_col_text(st, 1), "patient_name", name, "minutes",
                     db_col_int(st, 4), "only", why == 0, "other_reasons", others, "missing");
}

/* The session of the row as a missing note: whose it is (the author when there is a note, the
 * facilitators otherwise). */
static json_t *missing_note(struct db_stmt *st)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "what", "note", "session_id",
                          db_col_text(st, 11), "title", db_col_text(st, 12), "start",
                          db_col_text(st, 13), "state", db_col_text(st, 14));

    json_object_set_new(o, "author",
                        db_col_is_null(st, 15) ? json_null() : json_string(db_col_text(st, 15)));
    json_object_set_new(o, "facilitator",
                        db_col_is_null(st, 16) ? json_null() : json_string(db_col_text(st, 16)));
    json_object_set_new(o, "facilitators", json_integer(db_col_int(st, 17)));
    return o;
}

enum err store_billing_missing_notes(struct store *s, caldate from, caldate to,
                                     const char *track_id, size_t max_days, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_missing);
    char a[CALDATE_TEXT], b[CALDATE_TEXT], key[80] = "", k[80];
    json_t *days, *day = NULL;
    bool more = false;
    enum db_step rc;
    enum err e;

    if (!st)
        return E_DB;
    if ((e = db_begin_read(s->db)) != E_OK)
        return e;
    days = json_array();
    db_bind_text(st, 1, caldate_format(from, a));
    db_bind_text(st, 2, caldate_format(to, b));
    if (track_id)
        db_bind_text(st, 3, track_id);
    while ((rc = db_step(st)) == DB_ROW) {
        snprintf(k, sizeof(k), "%s %s", db_col_text(st, 0), db_col_text(st, 1));
        if (strcmp(k, key)) {
            if (json_array_size(days) == max_days) {
                more = true;
                break;
            }
            memcpy(key, k, sizeof(key));
            day = missing_day(st);
            json_array_append_new(days, day);
            if (!db_col_int(st, 10))
                json_array_append_new(json_object_get(day, "missing"),
                                      json_pack("{s:s, s:s}", "what", "plan", "state",
                                                "no-plan"));
        }
        if (strcmp(db_col_text(st, 14), "signed"))
            json_array_append_new(json_object_get(day, "missing"), missing_note(st));
    }
    db_reset(st);
    e = rc == DB_DONE || more ? E_OK : db_fail(s->db, "missing notes");
    if (db_commit(s->db) != E_OK && e == E_OK)
        e = E_DB;
    if (e == E_OK)
        *out = json_pack("{s:o, s:b}", "days", days, "more", more);
    else
        json_decref(days);
    return e;
}
