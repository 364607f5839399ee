/* enrolments: a patient in a track from a start to an end (spec program.md §2). A write checks,
 * in one transaction with the change: the track's opening, at most one enrolment of the
 * patient covering any date (409), the track's capacity on every date of the span (R8, past
 * which only an administrator goes, with a reason that is audited) and that none of the
 * track's sessions overlaps a session the patient is already named in (R9). */
#include "store/program_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/rand.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "domain/schedule.h"

#define DATE_LAST "9999-12-31" /* an open end, as text that sorts after every date */

static const char sql_patient_overlap[] =
    "SELECT public_id FROM enrolments WHERE patient_id = ?1 AND start_date <= ?3"
    " AND (end_date IS NULL OR end_date >= ?2) AND id <> ?4 LIMIT 1";
static const char sql_track_spans[] =
    "SELECT start_date, coalesce(end_date, '') FROM enrolments WHERE track_id = ?1"
    " AND start_date <= ?3 AND (end_date IS NULL OR end_date >= ?2) AND id <> ?4";
/* R9: a session naming the patient in ?3..?4 that one of the track's overlaps, the earliest
 * first. Times are "HH:MM", whose text order is time order. */
static const char sql_conflict[] =
    "SELECT t.public_id, n.public_id, t.date FROM session_patients sp"
    " JOIN program_sessions n ON n.id = sp.session_id AND n.status = 'scheduled'"
    " JOIN program_sessions t ON t.track_id = ?2 AND t.date = sp.date"
    " AND t.status = 'scheduled' AND t.id <> n.id"
    " AND t.start_time < n.end_time AND t.end_time > n.start_time"
    " WHERE sp.patient_id = ?1 AND sp.date >= ?3 AND sp.date <= ?4"
    " ORDER BY t.date, t.start_time LIMIT 1";
/* The last date of a session naming the patient from ?2 on. */
static const char sql_named_last[] =
    "SELECT max(date) FROM session_patients WHERE patient_id = ?1 AND date >= ?2";
static const char sql_enrol[] =
    "INSERT INTO enrolments (public_id, patient_id, track_id, start_date, end_date,"
    " override_reason, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " RETURNING id";
static const char sql_enrolment[] =
    "SELECT e.id, e.patient_id, e.track_id, e.start_date, coalesce(e.end_date, ''),"
    " t.capacity FROM enrolments e JOIN tracks t ON t.id = e.track_id WHERE e.public_id = ?1";
static const char sql_set_end[] =
    "UPDATE enrolments SET end_date = ?2, end_reason = coalesce(?3, end_reason) WHERE id = ?1";
#define ENROLMENT_COLS                                                                         \
    "SELECT e.public_id, p.public_id, t.public_id, e.start_date, e.end_date,"                  \
    " e.override_reason, e.end_reason, t.code FROM enrolments e"                               \
    " JOIN patients p ON p.id = e.patient_id JOIN tracks t ON t.id = e.track_id"
static const char sql_enrolment_json[] = ENROLMENT_COLS " WHERE e.id = ?1";
static const char sql_enrolments_of[] =
    ENROLMENT_COLS " WHERE e.patient_id = ?1 ORDER BY e.start_date, e.id";

/* What a write needs to know of the enrolment's track and span. */
struct span_check {
    long patient, track, self; /* self: the enrolment being changed (0: a new one) */
    int capacity;
    caldate start, end;        /* the dates being added to the track's roster */
    const struct program_enrolment *e;
    bool overridden;           /* out: capacity passed on an administrator's reason */
};

static const char *date_text(caldate d, char out[CALDATE_TEXT])
{
    return d == CALDATE_OPEN ? DATE_LAST : caldate_format(d, out);
}

/* At most one enrolment of the patient covers any date. */
static enum err patient_free(struct store *s, const struct span_check *c,
                             struct program_why *why)
{
    struct db_stmt *st = db_prepare(s->db, sql_patient_overlap);
    char a[CALDATE_TEXT], b[CALDATE_TEXT];
    enum db_step rc;
    enum err e = E_OK;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, c->patient);
    db_bind_text(st, 2, caldate_format(c->start, a));
    db_bind_text(st, 3, date_text(c->end, b));
    db_bind_int64(st, 4, c->self);
    if ((rc = db_step(st)) == DB_ROW)
        e = store_program_why(why, E_CONFLICT, "start",
                              "The patient's enrolment %s already covers some of these dates.",
                              db_col_text(st, 0));
    else if (rc != DB_DONE)
        e = db_fail(s->db, "enrolment overlap");
    db_reset(st);
    return e;
}

/* R8 on the span; an administrator's override_reason passes it. */
static enum err capacity_ok(struct store *s, struct span_check *c, struct program_why *why)
{
    struct db_stmt *st = db_prepare(s->db, sql_track_spans);
    struct schedule_span *v = NULL;
    size_t n = 0, cap = 0;
    char a[CALDATE_TEXT], b[CALDATE_TEXT];
    caldate first;
    enum db_step rc;
    enum err e = E_OK;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, c->track);
    db_bind_text(st, 2, caldate_format(c->start, a));
    db_bind_text(st, 3, date_text(c->end, b));
    db_bind_int64(st, 4, c->self);
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == cap)
            v = xrealloc(v, (cap = cap ? cap * 2 : 16) * sizeof(*v));
        if (!caldate_parse(db_col_text(st, 0), &v[n].start))
            continue;
        if (!caldate_parse(db_col_text(st, 1), &v[n].end))
            v[n].end = CALDATE_OPEN;
        n++;
    }
    db_reset(st);
    if (rc != DB_DONE)
        e = db_fail(s->db, "track capacity");
    else if (schedule_over_capacity(v, n, (struct schedule_span){c->start, c->end}, c->capacity,
                                    &first)) {
        caldate_format(first, a);
        if (c->e->override_reason && c->e->is_admin)
            c->overridden = true;
        else if (c->e->override_reason)
            e = store_program_why(why, E_FORBIDDEN, "override_reason",
                                  "Only an administrator may enrol past a track's capacity.");
        else
            e = store_program_why(why, E_CONFLICT, "track_id",
                                  "The track is full on %s (capacity %d).", a, c->capacity);
    }
    free(v);
    return e;
}

/* R9: none of the track's sessions in the span overlaps one that names the patient. */
static enum err sessions_free(struct store *s, const struct span_check *c,
                              struct program_why *why)
{
    struct db_stmt *st = db_prepare(s->db, sql_conflict);
    char a[CALDATE_TEXT], b[CALDATE_TEXT];
    enum db_step rc;
    enum err e = E_OK;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, c->patient);
    db_bind_int64(st, 2, c->track);
    db_bind_text(st, 3, caldate_format(c->start, a));
    db_bind_text(st, 4, date_text(c->end, b));
    if ((rc = db_step(st)) == DB_ROW)
        e = store_program_why(why, E_CONFLICT, "track_id",
                              "The track's session %s on %s overlaps session %s, which the "
                              "patient is in.",
                              db_col_text(st, 0), db_col_text(st, 2), db_col_text(st, 1));
    else if (rc != DB_DONE)
        e = db_fail(s->db, "track overlap");
    db_reset(st);
    return e;
}

static enum err span_checks(struct store *s, struct span_check *c, struct program_why *why)
{
    enum err e;

    if ((e = patient_free(s, c, why)) != E_OK || (e = capacity_ok(s, c, why)) != E_OK)
        return e;
    return sessions_free(s, c, why);
}

enum err store_program_sessions_ready(struct store *s, long patient, long track, caldate from)
{
    struct db_stmt *st = db_prepare(s->db, sql_named_last);
    char a[CALDATE_TEXT];
    caldate last = 0;
    bool any = false;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, caldate_format(from, a));
    if (db_step(st) == DB_ROW)
        any = caldate_parse(db_col_text(st, 0), &last);
    db_reset(st);
    return any ? store_program_ensure(s, track, last) : E_OK;
}

static json_t *nullable_text(struct db_stmt *st, int i)
{
    return db_col_is_null(st, i) ? json_null() : json_string(db_col_text(st, i));
}

static json_t *enrolment_row(struct store *s, struct db_stmt *st, void *ctx)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id", db_col_text(st, 0),
                          "patient_id", db_col_text(st, 1), "track_id", db_col_text(st, 2),
                          "track_code", db_col_text(st, 7), "start", db_col_text(st, 3), "end",
                          nullable_text(st, 4), "override_reason", nullable_text(st, 5),
                          "end_reason", nullable_text(st, 6));
    (void)s;
    (void)ctx;
    if (!o)
        log_error("store: a stored enrolment does not fit its model (not UTF-8?)");
    return o;
}

/* The enrolments a statement bound to a row id selects, as the API answers them. */
static enum err enrolment_json(struct store *s, const char *sql, long id, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, id);
    return store_rows(s, st, enrolment_row, NULL, "enrolments", out);
}

static enum err track_of(struct store *s, const char *public_id, struct span_check *c,
                         caldate *opens, struct program_why *why)
{
    struct program_track_row t;
    enum err e = store_program_track_row(s, public_id, "enrolment track", &t);

    if (e == E_NOTFOUND)
        return store_program_why(why, E_INVALID, "track_id", "There is no such track.");
    if (e == E_OK) {
        c->track = t.id;
        *opens = t.opens;
        c->capacity = t.capacity;
    }
    return e;
}

/* The override reason's own rule: 1 to 300 characters. */
static enum err reason_ok(const char *reason, const char *field, struct program_why *why)
{
    long n = reason ? utf8_count(reason) : 1;

    if (n < 1 || n > 300 || (reason && utf8_has_format(reason)))
        return store_program_why(why, E_INVALID, field, "A reason is 1 to 300 characters.");
    return E_OK;
}

static enum err enrol_insert(struct store *s, const struct span_check *c, const char *now,
                             char id[PROGRAM_ID_TEXT], const struct audit_entry *a, long *row)
{
    struct db_stmt *st = db_prepare(s->db, sql_enrol);
    char stamp[STAMP_LEN], d1[CALDATE_TEXT], d2[CALDATE_TEXT];
    enum err e;

    if (!st)
        return E_DB;
    if (!now)
        now = stamp_now(stamp);
    rand_hex(id, 16);
    db_bind_text(st, 1, id);
    db_bind_int64(st, 2, c->patient);
    db_bind_int64(st, 3, c->track);
    db_bind_text(st, 4, caldate_format(c->start, d1));
    if (c->end != CALDATE_OPEN)
        db_bind_text(st, 5, caldate_format(c->end, d2));
    db_bind_text_or_null(st, 6, c->overridden ? c->e->override_reason : NULL);
    admissions_bind_user(st, 7, a ? a->user_id : 0);
    db_bind_text(st, 8, now);
    if ((e = admissions_insert_id(s, st, "enrolment", row)) != E_OK)
        return e;
    if ((e = admissions_audit(s, a, "create", "enrolment", id)) != E_OK)
        return e;
    /* Past the capacity: the administrator's reason is on the row, the act in the trail. */
    return c->overridden ? admissions_audit(s, a, "override-capacity", "enrolment", id) : E_OK;
}

enum err store_program_enrol_in(struct store *s, long patient, long track, int capacity,
                                const struct program_enrolment *e, const struct audit_entry *a,
                                const char *now, char id[PROGRAM_ID_TEXT], long *row,
                                struct program_why *why)
{
    struct span_check c = {.patient = patient, .track = track, .capacity = capacity,
                           .start = e->start, .end = e->end, .e = e};
    enum err ret = span_checks(s, &c, why);

    return ret != E_OK ? ret : enrol_insert(s, &c, now, id, a, row);
}

enum err store_enrol(struct store *s, const char *patient_id, const struct program_enrolment *e,
                     const struct audit_entry *a, json_t **out, struct program_why *why)
{
    struct span_check c = {.start = e->start, .end = e->end, .e = e};
    char id[PROGRAM_ID_TEXT], d[CALDATE_TEXT];
    caldate opens = 0;
    long row = 0;
    json_t *arr = NULL;
    enum err ret;

    if (e->end != CALDATE_OPEN && e->end < e->start)
        return store_program_why(why, E_INVALID, "end", "The end is on or after the start.");
    if (e->override_reason && (ret = reason_ok(e->override_reason, "override_reason", why)))
        return ret;
    if (store_program_track_id(s, e->track_id, &c.track) == E_OK &&
        store_program_patient_id(s, patient_id, &c.patient) == E_OK &&
        (ret = store_program_sessions_ready(s, c.patient, c.track, e->start)) != E_OK)
        return ret;
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((ret = store_program_patient_id(s, patient_id, &c.patient)) != E_OK ||
        (ret = track_of(s, e->track_id, &c, &opens, why)) != E_OK)
        goto out;
    if (e->start < opens) {
        ret = store_program_why(why, E_INVALID, "start", "The track opens on %s.",
                                caldate_format(opens, d));
        goto out;
    }
    if ((ret = store_program_enrol_in(s, c.patient, c.track, c.capacity, e, a, NULL, id, &row,
                                      why)) != E_OK)
        goto out;
    if ((ret = enrolment_json(s, sql_enrolment_json, row, &arr)) == E_OK)
        ret = store_program_one(arr, out);
out:
    ret = admissions_finish(s, ret);
    if (ret == E_OK)
        log_info("enrolment %s added", id);
    return ret;
}

enum err store_program_set_end(struct store *s, long row, caldate end, const char *reason)
{
    struct db_stmt *st = db_prepare(s->db, sql_set_end);
    char d[CALDATE_TEXT];

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, row);
    if (end != CALDATE_OPEN)
        db_bind_text(st, 2, caldate_format(end, d));
    db_bind_text_or_null(st, 3, reason);
    return admissions_step_done(s, st, "enrolment end");
}

/* Reads the enrolment being changed into c; its current end into *end. */
static enum err enrolment_of(struct store *s, const char *public_id, struct span_check *c,
                             caldate *end)
{
    struct db_stmt *st = db_prepare(s->db, sql_enrolment);
    enum db_step rc;
    enum err e = E_NOTFOUND;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, public_id ? public_id : "");
    if ((rc = db_step(st)) == DB_ROW) {
        c->self = (long)db_col_int64(st, 0);
        c->patient = (long)db_col_int64(st, 1);
        c->track = (long)db_col_int64(st, 2);
        if (!caldate_parse(db_col_text(st, 3), &c->start))
            c->start = 0;
        if (!caldate_parse(db_col_text(st, 4), end))
            *end = CALDATE_OPEN;
        c->capacity = db_col_int(st, 5);
        e = E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "enrolment");
    }
    db_reset(st);
    return e;
}

enum err store_enrolment_end(struct store *s, const char *enrolment_id, caldate end,
                             const char *reason, const struct audit_entry *a, json_t **out,
                             struct program_why *why)
{
    struct program_enrolment none = {0};
    struct span_check c = {.e = &none};
    char d[CALDATE_TEXT];
    caldate old_end = CALDATE_OPEN;
    json_t *arr = NULL;
    enum err e;

    if (reason && (e = reason_ok(reason, "reason", why)) != E_OK)
        return e;
    if (enrolment_of(s, enrolment_id, &c, &old_end) == E_OK &&
        (e = store_program_sessions_ready(s, c.patient, c.track, c.start)) != E_OK)
        return e;
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = enrolment_of(s, enrolment_id, &c, &old_end)) != E_OK)
        goto out;
    if (end < c.start) {
        e = store_program_why(why, E_INVALID, "end", "The end is on or after the start (%s).",
                              caldate_format(c.start, d));
        goto out;
    }
    /* A later end adds dates to the track's roster: those dates are checked as a new span. */
    if (end > old_end || (end == CALDATE_OPEN && old_end != CALDATE_OPEN)) {
        c.start = old_end + 1;
        c.end = end;
        if ((e = span_checks(s, &c, why)) != E_OK)
            goto out;
    }
    if ((e = store_program_set_end(s, c.self, end, reason)) != E_OK ||
        (e = admissions_audit(s, a, "update", "enrolment", enrolment_id)) != E_OK)
        goto out;
    if ((e = enrolment_json(s, sql_enrolment_json, c.self, &arr)) == E_OK)
        e = store_program_one(arr, out);
out:
    return admissions_finish(s, e);
}

enum err store_enrolments_of(struct store *s, const char *patient_id, json_t **out)
{
    long patient = 0;
    enum err e = store_program_patient_id(s, patient_id, &patient);

    if (e != E_OK)
        return e;
    return enrolment_json(s, sql_enrolments_of, patient, out);
}
