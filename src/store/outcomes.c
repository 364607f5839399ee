/* outcomes: the outcomes report of store/outcomes.h. The enrolments starting in the range come
 * in by track and start date, each with what migration 0029's enrolment_outcomes keeps of it
 * (retention at 30, 60 and 90 days across a move to another track, the first and last PHQ-9,
 * GAD-7 and PACS of its span), in one query; the figures are added up per track and month in
 * C. */
#include "store/outcomes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "store/db.h"
#include "store/store_internal.h"

/* The enrolments starting in ?1..?2 with their track, the patient's discharge in force and
 * their kept figures (columns 9 on: retained at 30, 60, 90 days; then per instrument the first
 * total and the follow-up's, NULL when none). */
static const char sql_cohort[] =
    "SELECT e.id, e.patient_id, t.public_id, t.code, t.name, e.start_date,"
    " coalesce(e.end_date, ''), coalesce(p.discharge_date, ''),"
    " coalesce(p.discharge_disposition, p.discharge_reason, ''),"
    " o.retained_30, o.retained_60, o.retained_90, o.phq9_first, o.phq9_last, o.gad7_first,"
    " o.gad7_last, o.pacs_first, o.pacs_last"
    " FROM enrolments e JOIN tracks t ON t.id = e.track_id JOIN patients p ON p.id = e.patient_id"
    " LEFT JOIN enrolment_outcomes o ON o.enrolment_id = e.id"
    " WHERE e.start_date >= ?1 AND e.start_date <= ?2 ORDER BY t.code, t.id, e.start_date, e.id";
#define COL_RETAINED 9
#define COL_MEASURES 12

enum { PHQ9, GAD7, PACS, N_INSTR };
static const char *const instr_names[N_INSTR] = { "phq9", "gad7", "pacs" };
static const int retention_days[] = { 30, 60, 90 };
#define N_RET 3

/* One enrolment of the cohort and what it contributes as of the report's date. */
struct member {
    int group;
    bool ended, discharged_then, completed;
    bool eligible[N_RET], retained[N_RET];
    int first[N_INSTR], last[N_INSTR]; /* totals; -1: no measure, no follow-up */
};

/* The report's date and the starts whose 30, 60 and 90 days have passed by it, as text: ISO
 * dates compare as their text does, so no row's dates need parsing. */
struct as_of {
    char day[CALDATE_TEXT], started_by[N_RET][CALDATE_TEXT];
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

static int int_or_none(struct db_stmt *st, int col)
{
    return db_col_is_null(st, col) ? -1 : db_col_int(st, col);
}

static enum err cohort_read(struct store *s, const char *from, const char *to,
                            const struct as_of *when, struct cohort *c)
{
    struct db_stmt *st = db_prepare(s->db, sql_cohort);
    enum db_step rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    while ((rc = db_step(st)) == DB_ROW) {
        struct member x = {0};
        const char *start = db_col_text(st, 5), *end = db_col_text(st, 6);
        x.ended = *end && strcmp(end, when->day) <= 0;
        /* A discharge on the day the enrolment ended ended it; its reason says how. */
        x.discharged_then = *end && !strcmp(end, db_col_text(st, 7));
        x.completed = x.discharged_then && !strcmp(db_col_text(st, 8), "completed");
        for (int i = 0; i < N_RET; i++) {
            x.eligible[i] = strcmp(start, when->started_by[i]) <= 0;
            x.retained[i] = db_col_int(st, COL_RETAINED + i) != 0;
        }
        for (int k = 0; k < N_INSTR; k++) {
            x.first[k] = int_or_none(st, COL_MEASURES + 2 * k);
            x.last[k] = int_or_none(st, COL_MEASURES + 2 * k + 1);
        }
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

/* The figures of one group. */
struct tally {
    int patients;
    int baseline[N_INSTR], followup[N_INSTR];
    long change[N_INSTR];
    int response, response_of, remission, remission_of;
    int eligible[N_RET], retained[N_RET];
    int ended, completed, discharged_other, other;
};

static void tally_add(struct tally *t, const struct member *x)
{
    t->patients++;
    for (int k = 0; k < N_INSTR; k++) {
        if (x->first[k] < 0)
            continue;
        t->baseline[k]++;
        if (x->last[k] < 0)
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
        if (!x->eligible[i])
            continue;
        t->eligible[i]++;
        t->retained[i] += x->retained[i];
    }
    if (x->ended) {
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
    char a[CALDATE_TEXT], b[CALDATE_TEXT];
    struct as_of when;
    struct cohort c = { 0 };
    struct tally *t = NULL;
    json_t *arr = NULL;
    enum err e;

    caldate_format(from, a);
    caldate_format(to, b);
    caldate_format(as_of, when.day);
    for (int i = 0; i < N_RET; i++)
        caldate_format(as_of - retention_days[i], when.started_by[i]);
    if ((e = db_begin_read(s->db)) != E_OK)
        return e;
    if ((e = cohort_read(s, a, b, &when, &c)) != E_OK)
        goto out;
    t = xcalloc(c.ng ? c.ng : 1, sizeof(*t));
    for (size_t i = 0; i < c.n; i++)
        tally_add(&t[c.m[i].group], &c.m[i]);
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
    cohort_free(&c);
    return e;
}
