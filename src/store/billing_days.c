/* billing_days: the billable days of a range (R6, spec program.md §3, haven-program-2), for a
 * network's month in well under a second: the days come from migration 0031's attendance_days
 * (a patient's day with its attended minutes and its count of records without a complete note,
 * kept by triggers), a range of the table in date order; the rest of R6 is checked in C
 * against the range's enrolments and signed plans, each read once; each date's days are
 * sorted by patient id and handed over as they are found, so an export of ~100,000 days is
 * written without being built as JSON first. */
#include "store/hours_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "store/hours_gate.h"

/* The days of ?1..?2 with 180 attended minutes or more and no attended record without its
 * complete note (R6's first and fourth conditions' notes). */
static const char sql_days[] =
    "SELECT date, patient_id, minutes, services FROM attendance_days"
    " WHERE date >= ?1 AND date <= ?2 AND minutes >= 180 AND undocumented = 0"
    " ORDER BY date, patient_id";
/* The signed plans current on some day of ?1..?2 (HOURS_GATE_PLAN's rule) of the patients
 * enrolled then, by patient: R6's fourth condition's plan, looked up in C for each day. */
static const char sql_plans[] =
    "SELECT pl.patient_id, pl.effective_date, coalesce(pl.superseded_date, '') FROM plans pl"
    " WHERE pl.status IN ('current', 'superseded') AND pl.effective_date <= ?2"
    " AND (pl.superseded_date IS NULL OR pl.superseded_date > ?1)"
    " AND pl.patient_id IN (SELECT patient_id FROM enrolments WHERE end_date IS NULL"
    "  AND start_date <= ?2 UNION ALL SELECT patient_id FROM enrolments WHERE end_date >= ?1"
    "  AND start_date <= ?2)"
    " ORDER BY pl.patient_id";

struct plan_span {
    long patient;
    char from[CALDATE_TEXT], until[CALDATE_TEXT]; /* until "": not superseded */
};

struct plans {
    struct plan_span *v;
    size_t n;
};

static enum err plans_read(struct store *s, const char *from, const char *to, struct plans *p)
{
    struct db_stmt *st = db_prepare(s->db, sql_plans);
    size_t cap = 0;
    enum db_step rc;

    *p = (struct plans){0};
    if (!st)
        return E_DB;
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    while ((rc = db_step(st)) == DB_ROW) {
        if (p->n == cap)
            p->v = xrealloc(p->v, (cap = cap ? cap * 2 : 256) * sizeof(*p->v));
        p->v[p->n].patient = (long)db_col_int64(st, 0);
        store_copy(p->v[p->n].from, CALDATE_TEXT, db_col_text(st, 1));
        store_copy(p->v[p->n].until, CALDATE_TEXT, db_col_text(st, 2));
        p->n++;
    }
    db_reset(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "plans of the billable days");
}

/* HOURS_GATE_PLAN in C: a signed plan of patient current on date (ISO dates compare as text).
 * *at is a cursor into the plans (sorted by patient) that only moves forward while the day's
 * patients come in increasing order: a merge, not a search per day. */
static bool plan_on(const struct plans *p, size_t *at, long patient, const char *date)
{
    while (*at < p->n && p->v[*at].patient < patient)
        (*at)++;
    for (size_t i = *at; i < p->n && p->v[i].patient == patient; i++)
        if (strcmp(p->v[i].from, date) <= 0 &&
            (!p->v[i].until[0] || strcmp(p->v[i].until, date) > 0))
            return true;
    return false;
}

/* The enrolments of patient as a view into en, from cursor *at (en is sorted by patient; the
 * cursor only moves forward, as plan_on's). */
static struct enrolled enrolled_at(const struct all_enrolled *en, size_t *at, long patient)
{
    size_t end;

    while (*at < en->x.n && en->patient[*at] < patient)
        (*at)++;
    for (end = *at; end < en->x.n && en->patient[end] == patient; end++)
        ;
    return (struct enrolled){en->x.e + *at, en->x.track + *at, en->x.track_id + *at, end - *at};
}

/* A billable day found, waiting for the rest of its date to be sorted by patient id (rank: the
 * patient's place among the range's patients in public id order, worked out once). */
struct found {
    const char *pub, *track, *name;
    size_t rank;
    int minutes, services;
};

struct rank_ctx {
    const struct all_enrolled *en;
};

static int rank_order(const void *a, const void *b, void *ctx)
{
    const struct all_enrolled *en = ((const struct rank_ctx *)ctx)->en;

    return strcmp(en->pub[*(const size_t *)a], en->pub[*(const size_t *)b]);
}

/* rank[i]: the place of en's row i's patient id among all of en's, in text order. */
static size_t *ranks_of(const struct all_enrolled *en)
{
    size_t n = en->x.n, *order = xcalloc(n ? n : 1, sizeof(*order)),
           *rank = xcalloc(n ? n : 1, sizeof(*rank));
    struct rank_ctx c = {en};

    for (size_t i = 0; i < n; i++)
        order[i] = i;
    if (n)
        qsort_r(order, n, sizeof(*order), rank_order, &c);
    for (size_t i = 0; i < n; i++)
        rank[order[i]] = i;
    free(order);
    return rank;
}

/* Hands one date's days over in patient id order, empties the list. A patient has one day a
 * date, so each rank is taken once: the days go into their rank's slot (slot: one per rank,
 * zeroed) and come out in rank order, with no sort. */
static enum err flush(const char *date, struct found *v, size_t *n, size_t *slot,
                      size_t ranks, int (*fn)(const struct billing_day *d, void *ctx),
                      void *ctx)
{
    enum err e = E_OK;

    for (size_t i = 0; i < *n; i++)
        slot[v[i].rank] = i + 1;
    for (size_t r = 0; *n && r < ranks; r++) {
        const struct found *f;
        if (!slot[r])
            continue;
        f = &v[slot[r] - 1];
        slot[r] = 0;
        struct billing_day d = {date, f->pub, f->track, f->name, f->minutes, f->services};
        if (e == E_OK && fn(&d, ctx))
            e = E_DB;
    }
    *n = 0;
    return e;
}

/* The day's billable track (R6's second and third conditions, the enrolment covering it), or
 * NULL. */
static const char *billable_track(const struct enrolled *x, caldate day, int minutes)
{
    const struct hours_enrolment *c = hours_covering(x->e, x->n, day);

    if (hours_billable_reasons(minutes, c, true) != 0)
        return NULL;
    return x->track_id[c - x->e];
}

/* Walks the range's days (inside the caller's read). */
static enum err days_walk(struct store *s, const char *from, const char *to,
                          const struct all_enrolled *en, const struct plans *plans,
                          const char *track_id,
                          int (*fn)(const struct billing_day *d, void *ctx), void *ctx)
{
    size_t *rank = ranks_of(en), *slot = xcalloc(en->x.n ? en->x.n : 1, sizeof(*slot)), at,
           en_at = 0, plan_at = 0;
    struct db_stmt *st = db_prepare(s->db, sql_days);
    char date[CALDATE_TEXT] = "";
    struct found *v = NULL;
    size_t n = 0, cap = 0;
    caldate day = 0;
    enum db_step rc = DB_DONE;
    enum err e = E_OK;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    while (e == E_OK && (rc = db_step(st)) == DB_ROW) {
        const char *d = db_col_text(st, 0), *track;
        long patient = (long)db_col_int64(st, 1);
        int minutes = db_col_int(st, 2);
        struct enrolled x;
        if (strcmp(d, date)) {
            if ((e = flush(date, v, &n, slot, en->x.n, fn, ctx)) != E_OK || !caldate_parse(d, &day))
                break;
            store_copy(date, sizeof(date), d);
            en_at = plan_at = 0; /* a new date: its patients from the lowest again */
        }
        x = enrolled_at(en, &en_at, patient);
        if (!x.n || !(track = billable_track(&x, day, minutes)) ||
            (track_id && strcmp(track, track_id)) || !plan_on(plans, &plan_at, patient, date))
            continue;
        if (n == cap)
            v = xrealloc(v, (cap = cap ? cap * 2 : 1024) * sizeof(*v));
        /* x is a view into en: its strings live as long as en. */
        at = (size_t)(x.e - en->x.e);
        v[n++] = (struct found){en->pub[at], track, en->name[at], rank[at], minutes,
                                db_col_int(st, 3)};
    }
    db_reset(st);
    if (e == E_OK && rc != DB_DONE && rc != DB_ROW)
        e = db_fail(s->db, "billable days");
    if (e == E_OK)
        e = flush(date, v, &n, slot, en->x.n, fn, ctx);
    free(v);
    free(rank);
    free(slot);
    return e;
}

enum err store_billing_days_each(struct store *s, caldate from, caldate to,
                                 const char *track_id,
                                 int (*fn)(const struct billing_day *d, void *ctx), void *ctx)
{
    char a[CALDATE_TEXT], b[CALDATE_TEXT];
    struct all_enrolled en = {0};
    struct plans plans = {0};
    enum err e;

    caldate_format(from, a);
    caldate_format(to, b);
    if ((e = db_begin_read(s->db)) != E_OK)
        return e;
    /* Every enrolment and plan of the range once, not one read per day found. */
    if ((e = store_hours_all_read(s, from, to, true, &en)) == E_OK &&
        (e = plans_read(s, a, b, &plans)) == E_OK)
        e = days_walk(s, a, b, &en, &plans, track_id, fn, ctx);
    store_hours_all_free(&en);
    free(plans.v);
    if (db_commit(s->db) != E_OK && e == E_OK)
        e = E_DB;
    return e;
}

struct as_json {
    json_t *arr;
    bool names;
};

static int day_json(const struct billing_day *d, void *ctx)
{
    struct as_json *j = ctx;
    json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:i, s:s}", "date", d->date, "patient_id",
                          d->patient_id, "track_id", d->track_id, "minutes", d->minutes,
                          "services", d->services, "code", HOURS_BILLING_CODE);

    if (o && j->names)
        json_object_set_new(o, "patient_name", json_string(d->patient_name));
    return !admissions_push(j->arr, o, "billable day");
}

enum err store_billing_days(struct store *s, caldate from, caldate to, const char *track_id,
                            bool with_names, json_t **out)
{
    struct as_json j = {json_array(), with_names};
    enum err e = store_billing_days_each(s, from, to, track_id, day_json, &j);

    if (e != E_OK)
        json_decref(j.arr);
    else
        *out = j.arr;
    return e;
}
