/* hours: the figures of spec program.md §3 read from the store: a patient's week (R1-R6),
 * billable days (R6) and alerts (R7). The rules are domain/hours' and domain/attendance's; this
 * file adds up minutes with index ranges only: a patient's week reads that patient's rows of
 * that week ((patient_id, date) on attendance and session_patients, (track_id, date) on the
 * track's sessions), billable days the attendance of their dates ((date, patient_id)). */
#include "store/hours_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "domain/attendance.h"
#include "domain/hours.h"
#include "store/hours_gate.h"

/* A patient's enrolments with their track's figures (R3, R6). */
static const char sql_enrolments[] =
    "SELECT e.start_date, coalesce(e.end_date, ''), t.min_weekly_minutes, t.level, t.id,"
    " (SELECT count(DISTINCT ts.weekday) FROM track_sessions ts WHERE ts.track_id = t.id"
    "  AND ts.retired = 0), t.public_id"
    " FROM enrolments e JOIN tracks t ON t.id = e.track_id WHERE e.patient_id = ?1"
    " AND e.start_date <= ?3 AND (e.end_date IS NULL OR e.end_date >= ?2)"
    " ORDER BY e.start_date";
/* R1: the patient's rostered, not cancelled sessions of ?2..?3 (UNION: a session once). */
static const char sql_scheduled[] =
    "SELECT coalesce(sum(q.minutes), 0) FROM ("
    "SELECT s.id, s.minutes FROM enrolments e JOIN program_sessions s"
    " ON s.track_id = e.track_id AND s.date >= ?2 AND s.date <= ?3"
    " AND s.date >= e.start_date AND (e.end_date IS NULL OR s.date <= e.end_date)"
    " WHERE e.patient_id = ?1 AND s.status = 'scheduled'"
    " UNION SELECT s.id, s.minutes FROM session_patients sp"
    " JOIN program_sessions s ON s.id = sp.session_id WHERE sp.patient_id = ?1"
    " AND sp.date >= ?2 AND sp.date <= ?3 AND s.status = 'scheduled') AS q";
/* R2 and R5 by date, and whether the day is documented (R6's fourth condition). */
static const char sql_attended[] =
    "SELECT a.date, sum(a.minutes), sum(CASE WHEN a.minutes > 0 THEN 1 ELSE 0 END), "
    HOURS_GATE_DAY("a.patient_id", "a.date") " FROM attendance a"
    " WHERE a.patient_id = ?1 AND a.date >= ?2 AND a.date <= ?3 GROUP BY a.patient_id, a.date"
    " ORDER BY a.date";
/* The patient's last two attendance records before ?2, by date then start: both dated on or
 * after the second record by date alone, so only those dates are read and sorted by start
 * (not every record of the patient's history). */
static const char sql_last_two[] =
    "SELECT a.status, a.date FROM attendance a JOIN program_sessions s ON s.id = a.session_id"
    " WHERE a.patient_id = ?1 AND a.date < ?2 AND a.date >= coalesce((SELECT b.date"
    "  FROM attendance b JOIN program_sessions bs ON bs.id = b.session_id"
    "  WHERE b.patient_id = ?1 AND b.date < ?2 ORDER BY b.date DESC LIMIT 1 OFFSET 1), '')"
    " ORDER BY a.date DESC, s.start_time DESC, s.id DESC LIMIT 2";

/* A patient's records on their last date with records before ?2: how many, and how many count
 * no minutes (absences), from migration 0031's days in one seek. */
static const char sql_last_day[] =
    "SELECT records, absences FROM attendance_days WHERE patient_id = ?1 AND date < ?2"
    " ORDER BY date DESC LIMIT 1";

void store_hours_enrolled_free(struct enrolled *x)
{
    free(x->e);
    free(x->track);
    free(x->track_id);
}

static enum err enrolled_of(struct store *s, long patient, caldate from, caldate to,
                            struct enrolled *x)
{
    struct db_stmt *st = db_prepare(s->db, sql_enrolments);
    char a[CALDATE_TEXT], b[CALDATE_TEXT];
    size_t cap = 0;
    enum db_step rc;

    *x = (struct enrolled){0};
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, caldate_format(from, a));
    db_bind_text(st, 3, caldate_format(to, b));
    while ((rc = db_step(st)) == DB_ROW) {
        struct hours_enrolment *h;
        if (x->n == cap) {
            cap = cap ? cap * 2 : 4;
            x->e = xrealloc(x->e, cap * sizeof(*x->e));
            x->track = xrealloc(x->track, cap * sizeof(*x->track));
            x->track_id = xrealloc(x->track_id, cap * sizeof(*x->track_id));
        }
        h = &x->e[x->n];
        if (!store_program_enrolment_row(st, 0, 5, h))
            continue;
        x->track[x->n] = (long)db_col_int64(st, 4);
        store_copy(x->track_id[x->n], PROGRAM_ID_TEXT, db_col_text(st, 6));
        x->n++;
    }
    db_reset(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "patient's enrolments");
}

/* Makes the sessions of the patient's tracks up to `to` (a read looking ahead). */
static enum err enrolled_make(struct store *s, const struct enrolled *x, caldate to)
{
    enum err e = E_OK;

    for (size_t i = 0; i < x->n && e == E_OK; i++)
        e = store_program_ensure(s, x->track[i], to);
    return e;
}

/* R1 of from..to. */
static enum err scheduled(struct store *s, long patient, caldate from, caldate to, int *out)
{
    struct db_stmt *st = db_prepare(s->db, sql_scheduled);
    char a[CALDATE_TEXT], b[CALDATE_TEXT];
    enum db_step rc;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, caldate_format(from, a));
    db_bind_text(st, 3, caldate_format(to, b));
    if ((rc = db_step(st)) == DB_ROW)
        *out = (int)db_col_int64(st, 0);
    db_reset(st);
    return rc == DB_ROW ? E_OK : db_fail(s->db, "scheduled minutes");
}

/* One day's attended minutes and services. */
struct day {
    caldate date;
    int minutes, services;
    bool documented;
};

/* R2 and R5 by date of from..to (at most 7 days: a week's). */
static enum err attended(struct store *s, long patient, caldate from, struct day days[7],
                         size_t *n, int *total)
{
    struct db_stmt *st = db_prepare(s->db, sql_attended);
    char a[CALDATE_TEXT], b[CALDATE_TEXT];
    enum db_step rc;

    *n = 0;
    *total = 0;
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, caldate_format(from, a));
    db_bind_text(st, 3, caldate_format(from + 6, b));
    while ((rc = db_step(st)) == DB_ROW && *n < 7) {
        if (!caldate_parse(db_col_text(st, 0), &days[*n].date))
            continue;
        days[*n].minutes = (int)db_col_int64(st, 1);
        days[*n].services = (int)db_col_int64(st, 2);
        days[*n].documented = db_col_int(st, 3) != 0;
        *total += days[*n].minutes;
        (*n)++;
    }
    db_reset(st);
    return rc == DB_DONE || rc == DB_ROW ? E_OK : db_fail(s->db, "attended minutes");
}

static json_t *nullable(int v)
{
    return v == HOURS_NONE ? json_null() : json_integer(v);
}

static json_t *reasons_json(unsigned why)
{
    json_t *a = json_array();

    for (int i = 0; i < HOURS_N_REASONS; i++)
        if (why & (1u << i))
            json_array_append_new(a, json_string(hours_reason_name(i)));
    return a;
}

/* The week's figures and days (R1-R6), inside the caller's read. */
static enum err week_json(struct store *s, long patient, const struct enrolled *x,
                          struct caldate_week w, caldate monday, caldate as_of, json_t **out)
{
    struct day days[7];
    char wk[CALDATE_WEEK_TEXT], d[CALDATE_TEXT];
    int sched = 0, total = 0, minimum = hours_week_minimum(x->e, x->n, monday);
    size_t n = 0;
    json_t *list;
    enum err e;

    if ((e = scheduled(s, patient, monday, monday + 6, &sched)) != E_OK ||
        (e = attended(s, patient, monday, days, &n, &total)) != E_OK)
        return e;
    list = json_array();
    for (size_t i = 0; i < n; i++) {
        unsigned why;
        if (days[i].minutes <= 0)
            continue;
        why = hours_billable_reasons(days[i].minutes, hours_covering(x->e, x->n, days[i].date),
                                     days[i].documented);
        json_array_append_new(list, json_pack("{s:s, s:i, s:i, s:b, s:o}", "date",
                                              caldate_format(days[i].date, d),
                                              "attended_minutes", days[i].minutes, "services",
                                              days[i].services, "billable", why == 0, "reasons",
                                              reasons_json(why)));
    }
    *out = json_pack("{s:s, s:i, s:i, s:o, s:o, s:o, s:o}", "week",
                     caldate_week_format(w, wk), "scheduled_minutes", sched, "attended_minutes",
                     total, "minimum_minutes", nullable(minimum), "scheduled_shortfall",
                     nullable(hours_shortfall(minimum, sched)), "attended_shortfall",
                     hours_week_ended(monday, as_of) ? nullable(hours_shortfall(minimum, total))
                                                     : json_null(),
                     "days", list);
    return E_OK;
}

enum err store_patient_week(struct store *s, const char *patient_id, struct caldate_week w,
                            caldate as_of, json_t **out)
{
    struct enrolled x = {0};
    caldate monday;
    long patient = 0;
    enum err e;

    if (!caldate_week_monday(w, &monday))
        return E_INVALID;
    if ((e = store_program_patient_id(s, patient_id, &patient)) != E_OK ||
        (e = enrolled_of(s, patient, monday, monday + 6, &x)) != E_OK ||
        (e = enrolled_make(s, &x, monday + 6)) != E_OK)
        goto out;
    if ((e = db_begin_read(s->db)) != E_OK)
        goto out;
    e = week_json(s, patient, &x, w, monday, as_of, out);
    if (db_commit(s->db) != E_OK && e == E_OK) {
        json_decref(*out);
        e = E_DB;
    }
out:
    store_hours_enrolled_free(&x);
    return e;
}

/* R7 network-wide: every enrolment overlapping ?1..?2 with its track's figures, by patient: the
 * open ones and those ending in or after the range, two ranges of enrolments_end (migration
 * 0033) rather than a scan of every enrolment the network ever had. */
static const char sql_alert_enrolments[] =
    "SELECT e.patient_id, e.start_date, coalesce(e.end_date, ''), t.min_weekly_minutes,"
    " t.level, t.id, coalesce(d.days, 0), t.public_id, p.public_id, p.first_name, p.last_name"
    " FROM enrolments e JOIN tracks t ON t.id = e.track_id JOIN patients p ON p.id = e.patient_id"
    " LEFT JOIN (SELECT track_id, count(DISTINCT weekday) AS days FROM track_sessions"
    "  WHERE retired = 0 GROUP BY track_id) d ON d.track_id = t.id"
    " WHERE e.id IN (SELECT id FROM enrolments WHERE end_date IS NULL AND start_date <= ?2"
    "  UNION ALL SELECT id FROM enrolments WHERE end_date >= ?1 AND start_date <= ?2)"
    " ORDER BY e.patient_id, e.start_date";
/* Every track's scheduled sessions of ?1..?2 (once per track, not per patient). */
static const char sql_alert_track_sessions[] =
    "SELECT track_id, date, id, minutes, track_id FROM program_sessions"
    " WHERE date >= ?1 AND date <= ?2 AND status = 'scheduled' AND track_id IS NOT NULL"
    " ORDER BY track_id, date, id";
/* Every patient's named sessions (one-offs, walk-ins) of ?1..?2 that are not cancelled. */
static const char sql_alert_named[] =
    "SELECT sp.patient_id, sp.date, s.id, s.minutes, coalesce(s.track_id, 0)"
    " FROM program_sessions s"
    " JOIN session_patients sp ON sp.session_id = s.id WHERE s.date >= ?1 AND s.date <= ?2"
    " AND sp.date >= ?1 AND sp.date <= ?2 AND s.status = 'scheduled'"
    " ORDER BY sp.patient_id, sp.date, s.id";
/* Every patient's attended minutes of ?1..?2 by day, from migration 0031's days (a row a
 * patient and day, not a record a session) through their (date, patient_id, minutes) index;
 * added up by patient in C. */
static const char sql_alert_attended[] =
    "SELECT patient_id, minutes FROM attendance_days WHERE date >= ?1 AND date <= ?2";

/* A session of a track or a patient: who (track or patient row id), date, id, minutes, and
 * its track (0: a one-off). */
struct sess {
    long who;
    caldate date;
    long id;
    int minutes;
    long track;
};

/* Sessions sorted by who; pre (when made) the running sums of their minutes: pre[i] is the sum
 * of the first i. */
struct sessions {
    struct sess *v;
    size_t n;
    long *pre;
};

static enum err sessions_read(struct store *s, const char *sql, caldate from, caldate to,
                              struct sessions *out, const char *what)
{
    struct db_stmt *st = db_prepare(s->db, sql);
    char a[CALDATE_TEXT], b[CALDATE_TEXT];
    size_t cap = 0;
    enum db_step rc;

    *out = (struct sessions){0};
    if (!st)
        return E_DB;
    db_bind_text(st, 1, caldate_format(from, a));
    db_bind_text(st, 2, caldate_format(to, b));
    while ((rc = db_step(st)) == DB_ROW) {
        struct sess *x;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 256;
            out->v = xrealloc(out->v, cap * sizeof(*out->v));
        }
        x = &out->v[out->n];
        if (!caldate_parse(db_col_text(st, 1), &x->date))
            continue;
        x->who = (long)db_col_int64(st, 0);
        x->id = (long)db_col_int64(st, 2);
        x->minutes = db_col_int(st, 3);
        x->track = (long)db_col_int64(st, 4);
        out->n++;
    }
    db_reset(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, what);
}

/* The first session of `who` (the list is sorted by who first). */
static size_t sessions_first(const struct sessions *l, long who)
{
    size_t lo = 0, hi = l->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->v[mid].who < who)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

enum err store_hours_all_read(struct store *s, caldate from, caldate to, bool names,
                              struct all_enrolled *a)
{
    struct db_stmt *st = db_prepare(s->db, sql_alert_enrolments);
    char d1[CALDATE_TEXT], d2[CALDATE_TEXT];
    size_t cap = 0;
    enum db_step rc;
    struct enrolled *x = &a->x;

    *a = (struct all_enrolled){0};
    if (!st)
        return E_DB;
    db_bind_text(st, 1, caldate_format(from, d1));
    db_bind_text(st, 2, caldate_format(to, d2));
    while ((rc = db_step(st)) == DB_ROW) {
        struct hours_enrolment *h;
        if (x->n == cap) {
            cap = cap ? cap * 2 : 256;
            x->e = xrealloc(x->e, cap * sizeof(*x->e));
            x->track = xrealloc(x->track, cap * sizeof(*x->track));
            x->track_id = xrealloc(x->track_id, cap * sizeof(*x->track_id));
            a->patient = xrealloc(a->patient, cap * sizeof(*a->patient));
            a->pub = xrealloc(a->pub, cap * sizeof(*a->pub));
            if (names)
                a->name = xrealloc(a->name, cap * sizeof(*a->name));
        }
        h = &x->e[x->n];
        if (!store_program_enrolment_row(st, 1, 6, h))
            continue;
        x->track[x->n] = (long)db_col_int64(st, 5);
        store_copy(x->track_id[x->n], PROGRAM_ID_TEXT, db_col_text(st, 7));
        a->patient[x->n] = (long)db_col_int64(st, 0);
        store_copy(a->pub[x->n], 33, db_col_text(st, 8));
        if (names) {
            char full[420];
            snprintf(full, sizeof(full), "%s %s", db_col_text(st, 9), db_col_text(st, 10));
            a->name[x->n] = xstrdup(full);
        }
        x->n++;
    }
    db_reset(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "enrolments");
}

void store_hours_all_free(struct all_enrolled *a)
{
    for (size_t i = 0; a->name && i < a->x.n; i++)
        free(a->name[i]);
    free(a->name);
    store_hours_enrolled_free(&a->x);
    free(a->patient);
    free(a->pub);
}

struct enrolled store_hours_all_of(const struct all_enrolled *a, long patient)
{
    size_t lo = 0, hi = a->x.n, end;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->patient[mid] < patient)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (end = lo; end < a->x.n && a->patient[end] == patient; end++)
        ;
    return (struct enrolled){a->x.e + lo, a->x.track + lo, a->x.track_id + lo, end - lo};
}

/* The first session of l[from..to) dated on or after day (l sorted by date there). */
static size_t sessions_from_day(const struct sessions *l, size_t from, size_t to, caldate day)
{
    while (from < to) {
        size_t mid = from + (to - from) / 2;
        if (l->v[mid].date < day)
            from = mid + 1;
        else
            to = mid;
    }
    return from;
}

/* R1 of monday..monday+6 for one patient, as sql_scheduled, from the network's lists: each
 * enrolled track's sessions of the days its enrolment covers, a sum of running sums (the
 * track's sessions are sorted by date); then the patient's named sessions, but for a walk-in
 * to one of those (R1's UNION counts a session once). Enrolments never overlap (R9), so no
 * track session is counted twice. */
static int scheduled_of(const struct enrolled *x, const struct sessions *tracks,
                        const struct sessions *named, long patient, caldate monday)
{
    long sum = 0;

    for (size_t k = 0; k < x->n; k++) {
        caldate lo = x->e[k].start > monday ? x->e[k].start : monday;
        caldate hi = x->e[k].end < monday + 6 ? x->e[k].end : monday + 6;
        size_t first = sessions_first(tracks, x->track[k]), end = first;
        while (end < tracks->n && tracks->v[end].who == x->track[k])
            end++;
        if (lo > hi)
            continue;
        sum += tracks->pre[sessions_from_day(tracks, first, end, hi + 1)] -
               tracks->pre[sessions_from_day(tracks, first, end, lo)];
    }
    for (size_t i = sessions_first(named, patient); i < named->n && named->v[i].who == patient;
         i++) {
        const struct sess *n = &named->v[i];
        bool counted = false;
        if (n->date < monday || n->date > monday + 6)
            continue;
        for (size_t k = 0; k < x->n && n->track && !counted; k++)
            counted = x->track[k] == n->track && n->date >= x->e[k].start &&
                      n->date <= x->e[k].end && n->date >= monday && n->date <= monday + 6;
        if (!counted)
            sum += n->minutes;
    }
    return (int)sum;
}

/* The patient's attended minutes from the network's (patient, minutes) list. */
static int attended_of(const struct sessions *att, long patient)
{
    size_t i = sessions_first(att, patient);

    return i < att->n && att->v[i].who == patient ? att->v[i].minutes : 0;
}

static int sess_by_who(const void *pa, const void *pb)
{
    const struct sess *a = pa, *b = pb;

    return (a->who > b->who) - (a->who < b->who);
}

static enum err attended_read(struct store *s, caldate from, caldate to, struct sessions *out)
{
    struct db_stmt *st = db_prepare(s->db, sql_alert_attended);
    char a[CALDATE_TEXT], b[CALDATE_TEXT];
    size_t cap = 0;
    enum db_step rc;

    *out = (struct sessions){0};
    if (!st)
        return E_DB;
    db_bind_text(st, 1, caldate_format(from, a));
    db_bind_text(st, 2, caldate_format(to, b));
    while ((rc = db_step(st)) == DB_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 256;
            out->v = xrealloc(out->v, cap * sizeof(*out->v));
        }
        out->v[out->n++] = (struct sess){(long)db_col_int64(st, 0), from, 0,
                                         (int)db_col_int64(st, 1), 0};
    }
    db_reset(st);
    if (rc != DB_DONE)
        return db_fail(s->db, "attended minutes");
    if (out->n) {
        size_t k = 0;
        qsort(out->v, out->n, sizeof(*out->v), sess_by_who);
        for (size_t i = 1; i < out->n; i++) {
            if (out->v[i].who == out->v[k].who)
                out->v[k].minutes += out->v[i].minutes;
            else
                out->v[++k] = out->v[i];
        }
        out->n = k + 1;
    }
    return E_OK;
}

/* The network's figures for R7 as of a date, read once. */
struct alert_data {
    struct all_enrolled en;
    struct sessions tracks, named, att;
};

static void alert_data_free(struct alert_data *d)
{
    store_hours_all_free(&d->en);
    free(d->tracks.v);
    free(d->named.v);
    free(d->att.v);
    free(d->tracks.pre);
}

static enum err alert_data_read(struct store *s, caldate m0, struct alert_data *d)
{
    enum err e;

    *d = (struct alert_data){0};
    if ((e = store_hours_all_read(s, m0 - 7, m0 + 13, false, &d->en)) != E_OK ||
        (e = sessions_read(s, sql_alert_track_sessions, m0, m0 + 13, &d->tracks,
                           "track sessions")) != E_OK ||
        (e = sessions_read(s, sql_alert_named, m0, m0 + 13, &d->named, "named sessions")) !=
            E_OK)
        return e;
    d->tracks.pre = xcalloc(d->tracks.n + 1, sizeof(*d->tracks.pre));
    for (size_t i = 0; i < d->tracks.n; i++)
        d->tracks.pre[i + 1] = d->tracks.pre[i] + d->tracks.v[i].minutes;
    return attended_read(s, m0 - 7, m0 - 1, &d->att);
}

/* Whether an enrolment of the same patient before i (same patient's rows are adjacent) covers
 * day: the patient is then already taken. */
static bool covered_before(const struct all_enrolled *a, size_t i, caldate day)
{
    for (size_t k = i; k-- > 0 && a->patient[k] == a->patient[i];)
        if (hours_covers(&a->x.e[k], day))
            return true;
    return false;
}

/* The precise R7 "missed two in a row" of one patient: the statuses of the last two records. */
static enum err last_two_read(struct store *s, long patient, caldate as_of, bool *both)
{
    struct db_stmt *st = db_prepare(s->db, sql_last_two);
    char d[CALDATE_TEXT];
    int absent = 0;
    enum db_step rc;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, caldate_format(as_of, d));
    while ((rc = db_step(st)) == DB_ROW) {
        enum attendance_status a;
        absent += attendance_status_parse(db_col_text(st, 0), &a) && attendance_is_absent(a);
    }
    db_reset(st);
    *both = absent == 2;
    return rc == DB_DONE ? E_OK : db_fail(s->db, "last attendance");
}

/* Whether the patient's last two records before as_of are both absences (R7), answered for
 * nearly every patient from their days alone (migration 0031): an absence counts 0 minutes and
 * every other status at least 1 (domain/attendance.c), so on the patient's last date with records,
 * n records of which k count 0 minutes, k < 2 with n >= 2 means the last two cannot both be
 * absences whatever their start times, and n = 1 with k = 0 means the last one is not. Only
 * the rest (two absences on that date, or a lone absence) need the records in start order. */
static enum err last_two_absent(struct store *s, long patient, caldate as_of, bool *both)
{
    struct db_stmt *st = db_prepare(s->db, sql_last_day);
    char d[CALDATE_TEXT];
    long n = 0, k = 0;
    enum db_step rc;

    *both = false;
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, caldate_format(as_of, d));
    if ((rc = db_step(st)) == DB_ROW) {
        n = (long)db_col_int64(st, 0);
        k = (long)db_col_int64(st, 1);
    }
    db_reset(st);
    if (rc != DB_ROW && rc != DB_DONE)
        return db_fail(s->db, "last attendance day");
    if (n == 0 || (n >= 2 && k < 2) || (n == 1 && k == 0))
        return E_OK;
    return last_two_read(s, patient, as_of, both);
}

/* One patient's R7 alerts as of a date, appended to arr. */
static enum err alerts_of(struct store *s, struct alert_data *dat, long patient,
                          const char *patient_id, caldate as_of, json_t *arr)
{
    caldate m0 = as_of - (caldate_weekday(as_of) - 1);
    caldate weeks[3] = {m0 - 7, m0, m0 + 7}; /* the last ended, this one, the next */
    struct enrolled x = store_hours_all_of(&dat->en, patient);
    char wk[CALDATE_WEEK_TEXT], detail[160];
    bool absent = false;
    enum err e;

    for (int i = 0; i < 3; i++) {
        int minimum = hours_week_minimum(x.e, x.n, weeks[i]), figure = 0;
        bool past = i == 0;
        if (minimum == HOURS_NONE)
            continue;
        figure = past ? attended_of(&dat->att, patient)
                      : scheduled_of(&x, &dat->tracks, &dat->named, patient, weeks[i]);
        if (figure >= minimum)
            continue;
        snprintf(detail, sizeof(detail), "%s %d of %d minutes", past ? "attended" : "scheduled",
                 figure, minimum);
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:s}", "patient_id", patient_id, "kind",
                           hours_alert_name(past ? ALERT_ATTENDED_UNDER : ALERT_SCHEDULED_UNDER),
                           "week", caldate_week_format(caldate_week_of(weeks[i]), wk), "detail",
                           detail));
    }
    if ((e = last_two_absent(s, patient, as_of, &absent)) != E_OK)
        return e;
    if (absent)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "patient_id", patient_id, "kind",
                                             hours_alert_name(ALERT_MISSED_TWO), "detail",
                                             "absent from the last two sessions"));
    return E_OK;
}

static const char *text_at(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));

    return v ? v : "";
}

/* Spec order: patient_id, kind, week. */
static int alert_order(const void *pa, const void *pb)
{
    const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    int c = strcmp(text_at(a, "patient_id"), text_at(b, "patient_id"));

    if (!c)
        c = strcmp(text_at(a, "kind"), text_at(b, "kind"));
    return c ? c : strcmp(text_at(a, "week"), text_at(b, "week"));
}

/* The count of the program's changes (migration 0032), inside the caller's read. */
static enum err program_version(struct store *s, long long *out)
{
    struct db_stmt *st = db_prepare(s->db, "SELECT n FROM program_version WHERE id = 1");
    enum db_step rc;

    if (!st)
        return E_DB;
    if ((rc = db_step(st)) == DB_ROW)
        *out = db_col_int64(st, 0);
    db_reset(st);
    return rc == DB_ROW ? E_OK : db_fail(s->db, "program version");
}

/* R7 network-wide as of a date, sorted, inside the caller's read. */
static enum err alerts_compute(struct store *s, caldate as_of, json_t **out)
{
    caldate m0 = as_of - (caldate_weekday(as_of) - 1);
    size_t k;
    json_t *arr = json_array(), **items;
    struct alert_data dat = {0};
    enum err e;

    /* R7's patients: those with an enrolment covering as_of, among the enrolments read. */
    if ((e = alert_data_read(s, m0, &dat)) == E_OK)
        for (size_t i = 0; i < dat.en.x.n && e == E_OK; i++)
            if (hours_covers(&dat.en.x.e[i], as_of) && !covered_before(&dat.en, i, as_of))
                e = alerts_of(s, &dat, dat.en.patient[i], dat.en.pub[i], as_of, arr);
    alert_data_free(&dat);
    if (e != E_OK) {
        json_decref(arr);
        return e;
    }
    k = json_array_size(arr);
    items = xcalloc(k ? k : 1, sizeof(*items));
    for (size_t i = 0; i < k; i++)
        items[i] = json_incref(json_array_get(arr, i));
    qsort(items, k, sizeof(*items), alert_order);
    json_array_clear(arr);
    for (size_t i = 0; i < k; i++)
        json_array_append_new(arr, items[i]);
    free(items);
    *out = arr;
    return E_OK;
}

enum err store_alerts(struct store *s, caldate as_of, json_t **out)
{
    caldate m0 = as_of - (caldate_weekday(as_of) - 1);
    struct store_alerts_kept *kept = &s->alerts;
    json_t *arr = NULL;
    long long version = -1;
    enum err e;

    /* The sessions of next week must exist before it is added up. */
    if ((e = store_program_ensure(s, 0, m0 + 13)) != E_OK || (e = db_begin_read(s->db)) != E_OK)
        return e;
    /* Unchanged since this connection last computed them for this date: the same alerts (every
     * write R7 could see moves the version, whoever makes it). */
    if ((e = program_version(s, &version)) == E_OK) {
        if (kept->alerts && kept->as_of == (long)as_of && kept->version == version)
            arr = json_deep_copy(kept->alerts);
        else if ((e = alerts_compute(s, as_of, &arr)) == E_OK) {
            json_decref(kept->alerts);
            kept->alerts = json_deep_copy(arr);
            kept->as_of = (long)as_of;
            kept->version = version;
        }
    }
    if (db_commit(s->db) != E_OK && e == E_OK)
        e = E_DB;
    if (e == E_OK && !arr)
        e = E_DB;
    if (e != E_OK) {
        json_decref(arr);
        return e;
    }
    *out = arr;
    return E_OK;
}
