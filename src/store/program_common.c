/* program_common: what every program store file needs: refusals that name their field, row ids
 * of public ids, the dated sessions a track's weekly slots yield (made as dates are reached, so
 * that a session's id is stable once shown and a roster is never rebuilt), the R9 checks and a
 * session as the API answers it. */
#include "store/program_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/rand.h"
#include "core/xalloc.h"

static const char sql_patient_id[] = "SELECT id FROM patients WHERE public_id = ?1";
static const char sql_track_id[] = "SELECT id FROM tracks WHERE public_id = ?1";
/* The tracks whose sessions do not reach ?2 yet (?1: one track, NULL: every one). */
static const char sql_behind[] =
    "SELECT id, opens, coalesce(made_until, '') FROM tracks"
    " WHERE (?1 IS NULL OR id = ?1) AND opens <= ?2 AND (made_until IS NULL OR made_until < ?2)";
static const char sql_slots[] =
    "SELECT id, weekday, starts, ends, kind, title FROM track_sessions"
    " WHERE track_id = ?1 AND retired = 0";
static const char sql_make[] =
    "INSERT INTO program_sessions (public_id, track_id, slot_id, date, start_time, end_time,"
    " minutes, kind, title, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " ON CONFLICT (track_id, date, slot_id) DO NOTHING";
static const char sql_made_until[] = "UPDATE tracks SET made_until = ?2 WHERE id = ?1";
/* A patient's scheduled sessions on a date overlapping ?3-?4: their track's (by the enrolment
 * covering the date) and the ones that name them (one-offs, walk-ins). Times are "HH:MM", whose
 * text order is time order. */
static const char sql_patient_busy[] =
    "SELECT s.public_id FROM enrolments e JOIN program_sessions s ON s.track_id = e.track_id"
    " AND s.date = ?2 WHERE e.patient_id = ?1 AND e.start_date <= ?2"
    " AND (e.end_date IS NULL OR e.end_date >= ?2) AND s.status = 'scheduled'"
    " AND s.start_time < ?4 AND s.end_time > ?3 AND s.id <> ?5"
    " UNION ALL SELECT s.public_id FROM session_patients sp"
    " JOIN program_sessions s ON s.id = sp.session_id WHERE sp.patient_id = ?1 AND sp.date = ?2"
    " AND s.status = 'scheduled' AND s.start_time < ?4 AND s.end_time > ?3 AND s.id <> ?5"
    " LIMIT 1";
static const char sql_staff_busy[] =
    "SELECT s.public_id FROM session_staff ss JOIN program_sessions s ON s.id = ss.session_id"
    " WHERE ss.user_id = ?1 AND ss.date = ?2 AND s.status = 'scheduled'"
    " AND s.start_time < ?4 AND s.end_time > ?3 LIMIT 1";
static const char sql_room_busy[] =
    "SELECT public_id FROM program_sessions WHERE room = ?1 AND date = ?2"
    " AND status = 'scheduled' AND start_time < ?4 AND end_time > ?3 LIMIT 1";
/* A session's roster: for a track session, every enrolment in its track covering its date
 * (read once per track and date by a read of many sessions); then the patients it names
 * (one-off patients, walk-ins). Merged in C, each patient once, in public id order. */
static const char sql_enrolled[] =
    "SELECT DISTINCT p.public_id FROM enrolments e JOIN patients p ON p.id = e.patient_id"
    " WHERE e.track_id = ?1 AND e.start_date <= ?2 AND (e.end_date IS NULL OR e.end_date >= ?2)"
    " ORDER BY 1";
static const char sql_named[] =
    "SELECT p.public_id FROM session_patients sp JOIN patients p ON p.id = sp.patient_id"
    " WHERE sp.session_id = ?1 ORDER BY 1";
static const char sql_staff_of[] =
    "SELECT u.email FROM session_staff ss JOIN users u ON u.id = ss.user_id"
    " WHERE ss.session_id = ?1 ORDER BY u.email";

enum err store_program_why(struct program_why *why, enum err e, const char *field,
                           const char *fmt, ...)
{
    va_list ap;

    if (!why)
        return e;
    snprintf(why->field, sizeof(why->field), "%s", field);
    va_start(ap, fmt);
    vsnprintf(why->message, sizeof(why->message), fmt, ap);
    va_end(ap);
    return e;
}

enum err store_program_patient_id(struct store *s, const char *public_id, long *id)
{
    return admissions_id_of(s, sql_patient_id, public_id ? public_id : "", id);
}

enum err store_program_track_id(struct store *s, const char *public_id, long *id)
{
    return admissions_id_of(s, sql_track_id, public_id ? public_id : "", id);
}

/* One slot of a track's pattern, as making its sessions needs it. */
struct slot_row {
    long id;
    int weekday, minutes;
    char start[6], end[6], kind[16], title[TRACK_TITLE_MAX * 4 + 1];
};

/* The track's active slots (*out: xmalloc'd, the caller's to free). */
static enum err slots_of(struct store *s, long track, struct slot_row **out, size_t *n)
{
    struct db_stmt *st = db_prepare(s->db, sql_slots);
    struct slot_row *v = NULL;
    size_t k = 0, cap = 0;
    enum db_step rc;
    int a, b;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, track);
    while ((rc = db_step(st)) == DB_ROW) {
        if (k == cap)
            v = xrealloc(v, (cap = cap ? cap * 2 : 8) * sizeof(*v));
        v[k].id = (long)db_col_int64(st, 0);
        v[k].weekday = db_col_int(st, 1);
        store_copy(v[k].start, sizeof(v[k].start), db_col_text(st, 2));
        store_copy(v[k].end, sizeof(v[k].end), db_col_text(st, 3));
        store_copy(v[k].kind, sizeof(v[k].kind), db_col_text(st, 4));
        store_copy(v[k].title, sizeof(v[k].title), db_col_text(st, 5));
        v[k].minutes = caldate_time_parse(v[k].start, &a) && caldate_time_parse(v[k].end, &b)
                           ? b - a
                           : 0;
        k++;
    }
    db_reset(st);
    *out = v;
    *n = k;
    return rc == DB_DONE ? E_OK : db_fail(s->db, "track slots");
}

enum err store_program_make_days(struct store *s, long track, caldate from, caldate to)
{
    struct slot_row *slot = NULL;
    struct db_stmt *st = NULL;
    char now[STAMP_LEN], date[CALDATE_TEXT], id[PROGRAM_ID_TEXT];
    size_t n = 0;
    enum err e;

    stamp_now(now);
    if ((e = slots_of(s, track, &slot, &n)) != E_OK || !n)
        goto out;
    if (!(st = db_prepare(s->db, sql_make))) {
        e = E_DB;
        goto out;
    }
    for (caldate d = from; d <= to && e == E_OK; d++) {
        int wd = caldate_weekday(d);
        caldate_format(d, date);
        for (size_t i = 0; i < n && e == E_OK; i++) {
            if (slot[i].weekday != wd)
                continue;
            rand_hex(id, 16);
            db_bind_text(st, 1, id);
            db_bind_int64(st, 2, track);
            db_bind_int64(st, 3, slot[i].id);
            db_bind_text(st, 4, date);
            db_bind_text(st, 5, slot[i].start);
            db_bind_text(st, 6, slot[i].end);
            db_bind_int64(st, 7, slot[i].minutes);
            db_bind_text(st, 8, slot[i].kind);
            db_bind_text(st, 9, slot[i].title);
            db_bind_text(st, 10, now);
            e = admissions_step_done(s, st, "track session");
        }
    }
out:
    free(slot);
    return e;
}

/* The tracks behind `to` (0: all of them), as (id, first day to make) pairs. */
struct behind {
    long track;
    caldate from;
};

static enum err tracks_behind(struct store *s, long track, caldate to, struct behind **out,
                              size_t *n)
{
    struct db_stmt *st = db_prepare(s->db, sql_behind);
    struct behind *v = NULL;
    size_t k = 0, cap = 0;
    char date[CALDATE_TEXT];
    enum db_step rc;

    if (!st)
        return E_DB;
    if (track)
        db_bind_int64(st, 1, track);
    db_bind_text(st, 2, caldate_format(to, date));
    while ((rc = db_step(st)) == DB_ROW) {
        caldate opens, made;
        if (!caldate_parse(db_col_text(st, 1), &opens))
            continue;
        if (k == cap)
            v = xrealloc(v, (cap = cap ? cap * 2 : 8) * sizeof(*v));
        v[k].track = (long)db_col_int64(st, 0);
        v[k].from = caldate_parse(db_col_text(st, 2), &made) && made + 1 > opens ? made + 1
                                                                                 : opens;
        k++;
    }
    db_reset(st);
    *out = v;
    *n = k;
    return rc == DB_DONE ? E_OK : db_fail(s->db, "tracks behind");
}

enum err store_program_make(struct store *s, long track, caldate to)
{
    struct behind *v = NULL;
    struct db_stmt *st;
    char date[CALDATE_TEXT];
    size_t n = 0;
    enum err e = tracks_behind(s, track, to, &v, &n);

    caldate_format(to, date);
    for (size_t i = 0; i < n && e == E_OK; i++) {
        if ((e = store_program_make_days(s, v[i].track, v[i].from, to)) != E_OK)
            break;
        if (!(st = db_prepare(s->db, sql_made_until))) {
            e = E_DB;
            break;
        }
        db_bind_int64(st, 1, v[i].track);
        db_bind_text(st, 2, date);
        e = admissions_step_done(s, st, "track made_until");
    }
    free(v);
    return e;
}

enum err store_program_ensure(struct store *s, long track, caldate to)
{
    struct behind *v = NULL;
    size_t n = 0;
    enum err e = tracks_behind(s, track, to, &v, &n);

    free(v);
    if (e != E_OK || !n)
        return e;
    if (db_begin(s->db) != E_OK)
        return E_DB;
    return admissions_finish(s, store_program_make(s, track, to));
}

/* Runs a busy query (?1 key bound by the caller, ?2 date, ?3-?4 times): E_CONFLICT with the
 * other session's id, or E_OK. */
static enum err busy(struct store *s, struct db_stmt *st, caldate date, int start, int end,
                     char other[PROGRAM_ID_TEXT])
{
    char d[CALDATE_TEXT], a[6], b[6];
    enum db_step rc;
    enum err e = E_OK;

    db_bind_text(st, 2, caldate_format(date, d));
    db_bind_text(st, 3, caldate_time_format(start, a));
    db_bind_text(st, 4, caldate_time_format(end, b));
    rc = db_step(st);
    if (rc == DB_ROW) {
        store_copy(other, PROGRAM_ID_TEXT, db_col_text(st, 0));
        e = E_CONFLICT;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "session overlap");
    }
    db_reset(st);
    return e;
}

enum err store_program_patient_busy(struct store *s, long patient, caldate date, int start,
                                    int end, long except, char other[PROGRAM_ID_TEXT])
{
    struct db_stmt *st = db_prepare(s->db, sql_patient_busy);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_int64(st, 5, except);
    return busy(s, st, date, start, end, other);
}

enum err store_program_staff_busy(struct store *s, long user, caldate date, int start, int end,
                                  char other[PROGRAM_ID_TEXT])
{
    struct db_stmt *st = db_prepare(s->db, sql_staff_busy);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, user);
    return busy(s, st, date, start, end, other);
}

enum err store_program_room_busy(struct store *s, const char *room, caldate date, int start,
                                 int end, char other[PROGRAM_ID_TEXT])
{
    struct db_stmt *st;

    if (!room || !*room)
        return E_OK;
    if (!(st = db_prepare(s->db, sql_room_busy)))
        return E_DB;
    db_bind_text(st, 1, room);
    return busy(s, st, date, start, end, other);
}

/* The texts of a one-column query's rows bound to ?1 (a number) and, when b is not NULL, ?2
 * (text). */
static json_t *column_list(struct store *s, const char *sql, long a, const char *b)
{
    struct db_stmt *st = db_prepare(s->db, sql);
    json_t *out = json_array();
    enum db_step rc;

    if (!st) {
        json_decref(out);
        return NULL;
    }
    db_bind_int64(st, 1, a);
    if (b)
        db_bind_text(st, 2, b);
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(out, json_string(db_col_text(st, 0)));
    db_reset(st);
    if (rc != DB_DONE) {
        db_fail(s->db, "session roster");
        json_decref(out);
        return NULL;
    }
    return out;
}

/* The union of two sorted arrays of distinct texts, sorted (byte order, as SQL's ORDER BY on
 * text), each text once: a new array of copies. */
static json_t *roster_merge(const json_t *a, const json_t *b)
{
    size_t i = 0, j = 0, na = json_array_size(a), nb = json_array_size(b);
    json_t *out = json_array();
    const char *x, *y;
    int c;

    while (i < na || j < nb) {
        x = i < na ? json_string_value(json_array_get(a, i)) : NULL;
        y = j < nb ? json_string_value(json_array_get(b, j)) : NULL;
        c = !x ? 1 : !y ? -1 : strcmp(x, y);
        json_array_append_new(out, json_string(c <= 0 ? x : y));
        i += c <= 0;
        j += c >= 0;
    }
    return out;
}

/* The enrolled roster of track on date: from r when it holds it (a borrowed reference), read and
 * kept there otherwise; without r, a new reference the caller releases. */
static json_t *enrolled_of(struct store *s, long track, const char *date,
                           struct program_rosters *r)
{
    json_t *ids;

    if (!r)
        return column_list(s, sql_enrolled, track, date);
    if (strcmp(r->date, date)) {
        store_program_rosters_free(r);
        store_copy(r->date, sizeof(r->date), date);
    }
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].track == track)
            return r->v[i].ids;
    if (!(ids = column_list(s, sql_enrolled, track, date)))
        return NULL;
    if (r->n == r->cap)
        r->v = xrealloc(r->v, (r->cap = r->cap ? r->cap * 2 : 16) * sizeof(*r->v));
    r->v[r->n].track = track;
    r->v[r->n++].ids = ids;
    return ids;
}

void store_program_rosters_free(struct program_rosters *r)
{
    for (size_t i = 0; i < r->n; i++)
        json_decref(r->v[i].ids);
    free(r->v);
    *r = (struct program_rosters){0};
}

json_t *store_program_session_json(struct store *s, struct db_stmt *st)
{
    return store_program_session_json_in(s, st, NULL);
}

json_t *store_program_session_base(struct db_stmt *st)
{
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:s, s:o}", "id", db_col_text(st, 1), "date",
        db_col_text(st, 2), "start", db_col_text(st, 3), "end", db_col_text(st, 4), "minutes",
        (json_int_t)db_col_int64(st, 5), "kind", db_col_text(st, 6), "title", db_col_text(st, 7),
        "track_id", db_col_is_null(st, 8) ? json_null() : json_string(db_col_text(st, 8)),
        "status", db_col_text(st, 9), "room",
        db_col_is_null(st, 10) ? json_null() : json_string(db_col_text(st, 10)));

    if (o && !db_col_is_null(st, 12))
        json_object_set_new(o, "cancel_reason", json_string(db_col_text(st, 12)));
    if (!o)
        log_error("store: a stored session does not fit its model (not UTF-8?)");
    return o;
}

json_t *store_program_session_json_in(struct store *s, struct db_stmt *st,
                                      struct program_rosters *r)
{
    long id = (long)db_col_int64(st, 0), track = (long)db_col_int64(st, 11);
    json_t *enrolled = NULL, *named, *roster = NULL, *staff, *o;

    /* A one-off has no track, so no enrolment. */
    if (!db_col_is_null(st, 11))
        enrolled = enrolled_of(s, track, db_col_text(st, 2), r);
    else
        enrolled = json_array();
    named = enrolled ? column_list(s, sql_named, id, NULL) : NULL;
    if (named)
        roster = roster_merge(enrolled, named);
    if (!r || db_col_is_null(st, 11))
        json_decref(enrolled);
    json_decref(named);
    staff = roster ? column_list(s, sql_staff_of, id, NULL) : NULL;
    if (!roster || !staff || !(o = store_program_session_base(st))) {
        json_decref(roster);
        json_decref(staff);
        return NULL;
    }
    json_object_set_new(o, "staff", staff);
    json_object_set_new(o, "roster", roster);
    return o;
}

enum err store_program_one(json_t *arr, json_t **out)
{
    enum err e = json_array_size(arr) ? E_OK : E_NOTFOUND;

    if (e == E_OK)
        *out = json_incref(json_array_get(arr, 0));
    json_decref(arr);
    return e;
}

bool store_program_enrolment_row(struct db_stmt *st, int c, int days, struct hours_enrolment *h)
{
    if (!caldate_parse(db_col_text(st, c), &h->start))
        return false;
    if (!caldate_parse(db_col_text(st, c + 1), &h->end))
        h->end = CALDATE_OPEN;
    h->minimum = db_col_is_null(st, c + 2) ? HOURS_NONE : db_col_int(st, c + 2);
    if (!track_level_parse(db_col_text(st, c + 3), &h->level))
        h->level = TRACK_OUTPATIENT;
    h->operates_days = db_col_int(st, days);
    return true;
}

static const char sql_track_row[] =
    "SELECT id, opens, capacity, level, code FROM tracks WHERE public_id = ?1";

enum err store_program_track_row(struct store *s, const char *public_id, const char *what,
                                 struct program_track_row *out)
{
    struct db_stmt *st = db_prepare(s->db, sql_track_row);
    enum db_step rc;
    enum err e = E_OK;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, public_id ? public_id : "");
    if ((rc = db_step(st)) == DB_ROW) {
        out->id = (long)db_col_int64(st, 0);
        if (!caldate_parse(db_col_text(st, 1), &out->opens))
            out->opens = 0;
        out->capacity = db_col_int(st, 2);
        store_copy(out->level, sizeof(out->level), db_col_text(st, 3));
        store_copy(out->code, sizeof(out->code), db_col_text(st, 4));
    } else {
        e = rc == DB_DONE ? E_NOTFOUND : db_fail(s->db, what);
    }
    db_reset(st);
    return e;
}
