/* outcomes: the outcomes report of store/outcomes.h. The enrolments starting in the range come
 * in by track and start date; every enrolment of their patients (for retention across a move
 * to another track) and their measures of the enrolments' spans come in one query each, sorted
 * so that C walks them once; the figures are added up per track and month in C. */
#include "store/outcomes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "store/db.h"
#include "store/store_internal.h"

/* The enrolments starting in ?1..?2 with their track and the patient's discharge in force. */
static const char sql_cohort[] =
    "SELECT e.id, e.patient_id, t.public_id, t.code, t.name, e.start_date,"
    " coalesce(e.end_date, ''), coalesce(p.discharge_date, ''),"
    " coalesce(p.discharge_disposition, p.discharge_reason, '')"
    " FROM enrolments e JOIN tracks t ON t.id = e.track_id JOIN patients p ON p.id = e.patient_id"
    " WHERE e.start_date >= ?1 AND e.start_date <= ?2 ORDER BY t.code, t.id, e.start_date, e.id";
/* Every enrolment of those patients, by patient and start. */
static const char sql_spans[] =
    "SELECT e.patient_id, e.start_date, coalesce(e.end_date, '') FROM enrolments e"
    " WHERE e.patient_id IN (SELECT c.patient_id FROM enrolments c WHERE c.start_date >= ?1"
    " AND c.start_date <= ?2) ORDER BY e.patient_id, e.start_date";
/* The PHQ-9, GAD-7 and PACS totals taken during each enrolment (up to ?3), in the index's
 * order: C keeps each enrolment's first and last (sorting them all here cost more than the
 * read itself on bench/program.sh). */
static const char sql_measures[] =
    "SELECT e.id, m.instrument, m.taken_on, m.total, m.id FROM enrolments e JOIN measures m"
    " ON m.patient_id = e.patient_id AND m.taken_on >= e.start_date"
    " AND (e.end_date IS NULL OR m.taken_on <= e.end_date) AND m.taken_on <= ?3"
    " WHERE e.start_date >= ?1 AND e.start_date <= ?2"
    " AND m.instrument IN ('phq9', 'gad7', 'pacs')";

enum { PHQ9, GAD7, PACS, N_INSTR };
static const char *const instr_names[N_INSTR] = { "phq9", "gad7", "pacs" };
static const int retention_days[] = { 30, 60, 90 };
#define N_RET 3

/* One enrolment of the cohort and what it contributes. */
struct member {
    long id, patient;
    int group;
    caldate start, end; /* end CALDATE_OPEN when open */
    bool discharged_then, completed;
    int first[N_INSTR], last[N_INSTR]; /* totals; first -1: no measure */
    caldate first_on[N_INSTR], last_on[N_INSTR];
    long first_id[N_INSTR], last_id[N_INSTR]; /* measures.id: the order within a day */
};

/* One row of the report: a track and a month. */
struct group {
    char track_id[33], code[40], name[404], month[8];
};

struct cohort {
    struct member *m;
    size_t n, cap;
    struct group *g;
    size_t ng, gcap;
};

struct span {
    long patient;
    caldate start, end;
};

static void cohort_free(struct cohort *c)
{
    free(c->m);
    free(c->g);
}

/* The group of the row (the last one when it is the same track and month: rows are sorted). */
static int group_of(struct cohort *c, struct db_stmt *st)
{
    const char *track = db_col_text(st, 2), *start = db_col_text(st, 5);
    struct group *g = c->ng ? &c->g[c->ng - 1] : NULL;

    if (g && !strcmp(g->track_id, track) && !strncmp(g->month, start, 7))
        return (int)c->ng - 1;
    if (c->ng == c->gcap) {
        c->gcap = c->gcap ? c->gcap * 2 : 32;
        c->g = xrealloc(c->g, c->gcap * sizeof(*c->g));
    }
    g = &c->g[c->ng];
    store_copy(g->track_id, sizeof(g->track_id), track);
    store_copy(g->code, sizeof(g->code), db_col_text(st, 3));
    store_copy(g->name, sizeof(g->name), db_col_text(st, 4));
    snprintf(g->month, sizeof(g->month), "%.7s", start);
    return (int)c->ng++;
}

static enum err cohort_read(struct store *s, const char *from, const char *to, struct cohort *c)
{
    struct db_stmt *st = db_prepare(s->db, sql_cohort);
    enum db_step rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    while ((rc = db_step(st)) == DB_ROW) {
        struct member x = { .id = (long)db_col_int64(st, 0), .patient = (long)db_col_int64(st, 1) };
        const char *end = db_col_text(st, 6);
        if (!caldate_parse(db_col_text(st, 5), &x.start))
            continue;
        if (!caldate_parse(end, &x.end))
            x.end = CALDATE_OPEN;
        /* A discharge on the day the enrolment ended ended it; its reason says how. */
        x.discharged_then = *end && !strcmp(end, db_col_text(st, 7));
        x.completed = x.discharged_then && !strcmp(db_col_text(st, 8), "completed");
        for (int i = 0; i < N_INSTR; i++)
            x.first[i] = x.last[i] = -1;
        x.group = group_of(c, st);
        if (c->n == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 256;
            c->m = xrealloc(c->m, c->cap * sizeof(*c->m));
        }
        c->m[c->n++] = x;
    }
    db_reset(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "outcomes cohort");
}

static int member_by_id(const void *a, const void *b)
{
    long x = *(const long *)a, y = ((const struct member *)b)->id;
    return (x > y) - (x < y);
}

static int member_order(const void *a, const void *b)
{
    long x = ((const struct member *)a)->id, y = ((const struct member *)b)->id;
    return (x > y) - (x < y);
}

/* Each member's first and last measure of each instrument (members sorted by id). */
static enum err measures_read(struct store *s, const char *from, const char *to, const char *as_of,
                              struct cohort *c)
{
    struct db_stmt *st = db_prepare(s->db, sql_measures);
    enum db_step rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    db_bind_text(st, 3, as_of);
    while ((rc = db_step(st)) == DB_ROW) {
        long id = (long)db_col_int64(st, 0);
        struct member *x = c->n ? bsearch(&id, c->m, c->n, sizeof(*c->m), member_by_id) : NULL;
        const char *instr = db_col_text(st, 1);
        caldate on;
        int k = 0;
        while (k < N_INSTR && strcmp(instr_names[k], instr))
            k++;
        if (!x || k == N_INSTR || !caldate_parse(db_col_text(st, 2), &on))
            continue;
        long mid = (long)db_col_int64(st, 4);
        /* The earliest and the latest, a day's later entry after its earlier one. */
        if (x->first[k] < 0 || on < x->first_on[k] ||
            (on == x->first_on[k] && mid < x->first_id[k])) {
            x->first[k] = db_col_int(st, 3);
            x->first_on[k] = on;
            x->first_id[k] = mid;
        }
        if (x->last[k] < 0 || on > x->last_on[k] || (on == x->last_on[k] && mid > x->last_id[k])) {
            x->last[k] = db_col_int(st, 3);
            x->last_on[k] = on;
            x->last_id[k] = mid;
        }
    }
    db_reset(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "outcomes measures");
}

static enum err spans_read(struct store *s, const char *from, const char *to, struct span **out,
                           size_t *n)
{
    struct db_stmt *st = db_prepare(s->db, sql_spans);
    size_t cap = 0;
    enum db_step rc;

    *out = NULL;
    *n = 0;
    if (!st)
        return E_DB;
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    while ((rc = db_step(st)) == DB_ROW) {
        struct span x = { .patient = (long)db_col_int64(st, 0) };
        if (!caldate_parse(db_col_text(st, 1), &x.start))
            continue;
        if (!caldate_parse(db_col_text(st, 2), &x.end))
            x.end = CALDATE_OPEN;
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            *out = xrealloc(*out, cap * sizeof(**out));
        }
        (*out)[(*n)++] = x;
    }
    db_reset(st);
    return rc == DB_DONE ? E_OK : db_fail(s->db, "outcomes enrolments");
}

/* Whether an enrolment of patient covers day (spans sorted by patient). */
static bool enrolled_on(const struct span *v, size_t n, long patient, caldate day)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].patient < patient)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n && v[lo].patient == patient; lo++)
        if (v[lo].start <= day && day <= v[lo].end)
            return true;
    return false;
}

/* The figures of one group. */
struct tally {
    int patients;
    int baseline[N_INSTR], followup[N_INSTR];
    long change[N_INSTR];
    int response, response_of, remission, remission_of;
    int eligible[N_RET], retained[N_RET];
    int ended, completed, discharged_other, other;
};

static void tally_add(struct tally *t, const struct member *x, const struct span *sp, size_t nsp,
                      caldate as_of)
{
    t->patients++;
    for (int k = 0; k < N_INSTR; k++) {
        if (x->first[k] < 0)
            continue;
        t->baseline[k]++;
        if (x->last_on[k] <= x->first_on[k])
            continue;
        t->followup[k]++;
        t->change[k] += x->last[k] - x->first[k];
        if (k != PHQ9)
            continue;
        /* Löwe et al. 2004: response, a drop of 50% or more from baseline (a baseline of 0 has
         * nothing to drop); remission, a score under 5. */
        if (x->first[k] > 0) {
            t->response_of++;
            t->response += 2 * (x->first[k] - x->last[k]) >= x->first[k];
        }
        t->remission_of++;
        t->remission += x->last[k] < 5;
    }
    for (int i = 0; i < N_RET; i++) {
        caldate day = x->start + retention_days[i];
        if (day > as_of)
            continue;
        t->eligible[i]++;
        t->retained[i] += enrolled_on(sp, nsp, x->patient, day);
    }
    if (x->end != CALDATE_OPEN && x->end <= as_of) {
        t->ended++;
        t->completed += x->completed;
        t->discharged_other += x->discharged_then && !x->completed;
        t->other += !x->discharged_then;
    }
}

/* A mean of whole scores to one decimal (half away from zero), as a person reads it. */
static double tenths(long sum, int n)
{
    long num = sum * 10, q = (2 * (num < 0 ? -num : num) + n) / (2L * n);

    return (double)(num < 0 ? -q : q) / 10.0;
}

static json_t *instrument_json(const struct tally *t, int k)
{
    json_t *o = json_pack("{s:i, s:i}", "baseline", t->baseline[k], "followup", t->followup[k]);

    json_object_set_new(o, "mean_change",
                        t->followup[k] ? json_real(tenths(t->change[k], t->followup[k]))
                                       : json_null());
    if (k == PHQ9) {
        json_object_set_new(o, "response", json_integer(t->response));
        json_object_set_new(o, "response_of", json_integer(t->response_of));
        json_object_set_new(o, "remission", json_integer(t->remission));
        json_object_set_new(o, "remission_of", json_integer(t->remission_of));
    }
    return o;
}

static json_t *tally_json(const struct group *g, const struct tally *t)
{
    json_t *ret = json_object(), *o;
    char key[8];

    for (int i = 0; i < N_RET; i++) {
        snprintf(key, sizeof(key), "d%d", retention_days[i]);
        json_object_set_new(
            ret, key,
            json_pack("{s:i, s:i}", "eligible", t->eligible[i], "retained", t->retained[i]));
    }
    o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:{s:i, s:i, s:i, s:i}}", "track_id", g->track_id,
                  "track_code", g->code, "track_name", g->name, "month", g->month, "patients",
                  t->patients, "retention", ret, "ended", "all", t->ended, "completed",
                  t->completed, "discharged_other", t->discharged_other, "other", t->other);
    for (int k = 0; o && k < N_INSTR; k++)
        json_object_set_new(o, instr_names[k], instrument_json(t, k));
    return o;
}

enum err store_outcomes(struct store *s, caldate from, caldate to, caldate as_of, json_t **out)
{
    char a[CALDATE_TEXT], b[CALDATE_TEXT], c_[CALDATE_TEXT];
    struct cohort c = { 0 };
    struct span *sp = NULL;
    struct tally *t = NULL;
    size_t nsp = 0;
    json_t *arr = NULL;
    enum err e;

    caldate_format(from, a);
    caldate_format(to, b);
    caldate_format(as_of, c_);
    if ((e = db_begin_read(s->db)) != E_OK)
        return e;
    if ((e = cohort_read(s, a, b, &c)) != E_OK || (e = spans_read(s, a, b, &sp, &nsp)) != E_OK)
        goto out;
    /* Group order is kept in each member's group index; measures find members by id. */
    if (c.n)
        qsort(c.m, c.n, sizeof(*c.m), member_order);
    if ((e = measures_read(s, a, b, c_, &c)) != E_OK)
        goto out;
    t = xcalloc(c.ng ? c.ng : 1, sizeof(*t));
    for (size_t i = 0; i < c.n; i++)
        tally_add(&t[c.m[i].group], &c.m[i], sp, nsp, as_of);
    arr = json_array();
    for (size_t i = 0; i < c.ng; i++)
        json_array_append_new(arr, tally_json(&c.g[i], &t[i]));
out:
    if (db_commit(s->db) != E_OK && e == E_OK)
        e = E_DB;
    if (e == E_OK)
        *out = arr;
    else
        json_decref(arr);
    free(t);
    free(sp);
    cohort_free(&c);
    return e;
}
