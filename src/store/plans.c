/* plans: reading treatment plans (store/plans.h): one version whole (its row, then its
 * problems, goals, objectives and interventions, four queries however large the plan), a
 * patient's versions, the version current on a date, the problems a draft is seeded with, and
 * what other parts read: reviews coming due and the objectives notes are tied to. */
#include "store/plans_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "domain/caldate.h"
#include "store/admissions_internal.h"
#include "store/program_internal.h"

static const char sql_row[] =
    "SELECT id, patient_id, version, status FROM plans WHERE public_id = ?1";
static const char sql_plan[] =
    "SELECT p.public_id, pt.public_id, p.version, b.public_id, p.status, p.summary,"
    " cu.name, p.created_at, p.updated_at, su.name, p.signed_at, p.ack_how, p.ack_reason,"
    " au.name, p.ack_at, p.effective_date, p.superseded_date, p.review_due"
    " FROM plans p JOIN patients pt ON pt.id = p.patient_id"
    " LEFT JOIN plans b ON b.id = p.based_on LEFT JOIN users cu ON cu.id = p.created_by"
    " LEFT JOIN users su ON su.id = p.signed_by LEFT JOIN users au ON au.id = p.ack_recorded_by"
    " WHERE p.id = ?1";
static const char sql_problems[] =
    "SELECT id, public_id, asam_dimension, statement, source FROM plan_problems"
    " WHERE plan_id = ?1 ORDER BY position";
static const char sql_goals[] =
    "SELECT g.id, g.problem_id, g.public_id, g.text FROM plan_goals g"
    " JOIN plan_problems p ON p.id = g.problem_id WHERE p.plan_id = ?1"
    " ORDER BY p.position, g.position";
static const char sql_objectives[] =
    "SELECT goal_id, public_id, thread_id, text, target_date, status FROM plan_objectives"
    " WHERE plan_id = ?1 ORDER BY position";
static const char sql_interventions[] =
    "SELECT i.problem_id, i.public_id, i.text, i.frequency FROM plan_interventions i"
    " JOIN plan_problems p ON p.id = i.problem_id WHERE p.plan_id = ?1"
    " ORDER BY p.position, i.position";
static const char sql_list[] =
    "SELECT p.public_id, p.version, p.status, b.public_id, p.created_at, su.name, p.signed_at,"
    " p.ack_how, p.effective_date, p.superseded_date, p.review_due"
    " FROM plans p LEFT JOIN plans b ON b.id = p.based_on"
    " LEFT JOIN users su ON su.id = p.signed_by WHERE p.patient_id = ?1"
    " ORDER BY p.version DESC";
/* "Current on D" (migration 0020): effective on or before D and not superseded by D. */
static const char sql_current[] =
    "SELECT id FROM plans WHERE patient_id = ?1 AND status IN ('current', 'superseded')"
    " AND effective_date <= ?2 AND (superseded_date IS NULL OR superseded_date > ?2)"
    " ORDER BY effective_date DESC, version DESC LIMIT 1";
static const char sql_open[] =
    "SELECT version FROM plans WHERE patient_id = ?1 AND status IN ('draft', 'signed')"
    " ORDER BY version DESC LIMIT 1";
static const char sql_result[] =
    "SELECT r.result FROM patients p JOIN referrals r ON r.id = p.referral_id"
    " WHERE p.id = ?1";
static const char sql_due[] =
    "SELECT pt.public_id, pt.first_name, pt.last_name, p.public_id, p.version, p.review_due"
    " FROM plans p JOIN patients pt ON pt.id = p.patient_id"
    " WHERE p.status = 'current' AND p.review_due <= ?1 AND (?2 = 0 OR pt.counsellor_id = ?2)"
    " ORDER BY p.review_due, pt.last_name, pt.first_name, p.id";
static const char sql_current_objectives[] =
    "SELECT o.public_id, o.text, o.status, g.text, pr.statement FROM plan_objectives o"
    " JOIN plan_goals g ON g.id = o.goal_id JOIN plan_problems pr ON pr.id = g.problem_id"
    " WHERE o.plan_id = ?1 ORDER BY pr.position, g.position, o.position";

/* A nullable text column: the text, or JSON null. */
static json_t *text_or_null(struct db_stmt *st, int i)
{
    return db_col_is_null(st, i) ? json_null() : json_string(db_col_text(st, i));
}

enum err store_plans_row(struct store *s, const char *public_id, struct plans_row *out)
{
    struct db_stmt *st = db_prepare(s->db, sql_row);
    enum err e = E_OK;
    int rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, public_id ? public_id : "");
    rc = db_step(st);
    if (rc == DB_ROW) {
        out->id = (long)db_col_int64(st, 0);
        out->patient = (long)db_col_int64(st, 1);
        out->version = (int)db_col_int64(st, 2);
        if (!plan_status_parse(db_col_text(st, 3), &out->status))
            e = E_DB;
    } else {
        e = rc == DB_DONE ? E_NOTFOUND : db_fail(s->db, "plan row");
    }
    db_reset(st);
    return e;
}

enum err store_plans_open_version(struct store *s, long patient, int *version)
{
    struct db_stmt *st = db_prepare(s->db, sql_open);
    int rc;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    rc = db_step(st);
    *version = rc == DB_ROW ? (int)db_col_int64(st, 0) : 0;
    db_reset(st);
    return rc == DB_ROW || rc == DB_DONE ? E_OK : db_fail(s->db, "open plan");
}

/* The plan's row as a model, without its content; NULL (logged) when it does not fit. */
static json_t *plan_head(struct db_stmt *st)
{
    json_t *m = json_pack("{s:s, s:s, s:i, s:o, s:s, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o}",
                          "id", db_col_text(st, 0), "patient_id", db_col_text(st, 1), "version",
                          (int)db_col_int64(st, 2), "based_on", text_or_null(st, 3), "status",
                          db_col_text(st, 4), "summary", text_or_null(st, 5), "created_by",
                          text_or_null(st, 6), "created_at", db_col_text(st, 7), "updated_at",
                          db_col_text(st, 8), "signed_by", text_or_null(st, 9), "signed_at",
                          text_or_null(st, 10), "ack_how", text_or_null(st, 11), "ack_reason",
                          text_or_null(st, 12));

    if (m && json_object_update_new(
                 m, json_pack("{s:o, s:o, s:o, s:o, s:o}", "ack_recorded_by",
                              text_or_null(st, 13), "ack_at", text_or_null(st, 14),
                              "effective_date", text_or_null(st, 15), "superseded_date",
                              text_or_null(st, 16), "review_due", text_or_null(st, 17))) < 0) {
        json_decref(m);
        m = NULL;
    }
    return m;
}

/* Row ids of the objects a plan's rows hang under, kept beside them while the plan is read. */
struct owners {
    size_t n, cap;
    long *id;
    json_t **obj; /* borrowed */
};

static void owners_add(struct owners *o, long id, json_t *obj)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 16;
        o->id = xrealloc(o->id, o->cap * sizeof(*o->id));
        o->obj = xrealloc(o->obj, o->cap * sizeof(*o->obj));
    }
    o->id[o->n] = id;
    o->obj[o->n++] = obj;
}

static json_t *owners_find(const struct owners *o, long id)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->id[i] == id)
            return o->obj[i];
    return NULL;
}

/* Runs sql for plan (its rows in order) and hangs each row, made by row(), in the list `key` of
 * its owner (column 0's row id in owners; owners NULL: of top). Owners of what the row is
 * (a problem, a goal) are added to next. E_OK, E_DB. */
static enum err hang(struct store *s, const char *sql, long plan, json_t *top,
                     const struct owners *owners, const char *key, struct owners *next,
                     json_t *(*row)(struct db_stmt *st))
{
    struct db_stmt *st = db_prepare(s->db, sql);
    enum err e = E_OK;
    json_t *obj, *owner;
    int rc;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, plan);
    while ((rc = db_step(st)) == DB_ROW) {
        owner = owners ? owners_find(owners, (long)db_col_int64(st, 0)) : top;
        if (!(obj = row(st)) || !owner) {
            json_decref(obj);
            log_error("store: plan %ld has a row that does not fit its model", plan);
            e = E_DB;
            break;
        }
        json_array_append_new(json_object_get(owner, key), obj);
        if (next)
            owners_add(next, (long)db_col_int64(st, 0), obj);
    }
    if (rc != DB_ROW && rc != DB_DONE)
        e = db_fail(s->db, "plan content");
    db_reset(st);
    return e;
}

static json_t *problem_row(struct db_stmt *st)
{
    return json_pack("{s:s, s:i, s:s, s:s, s:[], s:[]}", "id", db_col_text(st, 1),
                     "asam_dimension", (int)db_col_int64(st, 2), "statement",
                     db_col_text(st, 3), "source", db_col_text(st, 4), "goals", "interventions");
}

static json_t *goal_row(struct db_stmt *st)
{
    return json_pack("{s:s, s:s, s:[]}", "id", db_col_text(st, 2), "text", db_col_text(st, 3),
                     "objectives");
}

static json_t *objective_row(struct db_stmt *st)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", db_col_text(st, 1), "thread_id",
                     db_col_text(st, 2), "text", db_col_text(st, 3), "target_date",
                     db_col_text(st, 4), "status", db_col_text(st, 5));
}

static json_t *intervention_row(struct db_stmt *st)
{
    return json_pack("{s:s, s:s, s:s}", "id", db_col_text(st, 1), "text", db_col_text(st, 2),
                     "frequency", db_col_text(st, 3));
}

/* A goal's row: its own id is column 0, its problem's column 1; hang() keys owners by column
 * 0, so goals are hung by hand. */
static enum err goals_of(struct store *s, long plan, const struct owners *problems,
                         struct owners *goals)
{
    struct db_stmt *st = db_prepare(s->db, sql_goals);
    enum err e = E_OK;
    json_t *g, *p;
    int rc;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, plan);
    while ((rc = db_step(st)) == DB_ROW) {
        p = owners_find(problems, (long)db_col_int64(st, 1));
        if (!p || !(g = goal_row(st))) {
            log_error("store: plan %ld has a goal that does not fit its model", plan);
            e = E_DB;
            break;
        }
        json_array_append_new(json_object_get(p, "goals"), g);
        owners_add(goals, (long)db_col_int64(st, 0), g);
    }
    if (rc != DB_ROW && rc != DB_DONE)
        e = db_fail(s->db, "plan goals");
    db_reset(st);
    return e;
}

enum err store_plans_load(struct store *s, long id, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_plan);
    struct owners problems = {0}, goals = {0};
    json_t *m = NULL;
    enum err e;
    int rc;

    *out = NULL;
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, id);
    rc = db_step(st);
    if (rc == DB_ROW && !(m = plan_head(st)))
        log_error("store: plan %ld does not fit its model", id);
    db_reset(st);
    if (rc != DB_ROW) {
        e = rc == DB_DONE ? E_NOTFOUND : db_fail(s->db, "plan");
        goto out;
    }
    if (!m) {
        e = E_DB;
        goto out;
    }
    json_object_set_new(m, "problems", json_array());
    if ((e = hang(s, sql_problems, id, m, NULL, "problems", &problems, problem_row)) != E_OK ||
        (e = goals_of(s, id, &problems, &goals)) != E_OK ||
        (e = hang(s, sql_objectives, id, NULL, &goals, "objectives", NULL, objective_row)) !=
            E_OK ||
        (e = hang(s, sql_interventions, id, NULL, &problems, "interventions", NULL,
                  intervention_row)) != E_OK)
        goto out;
    *out = m;
    m = NULL;
out:
    json_decref(m);
    free(problems.id);
    free(problems.obj);
    free(goals.id);
    free(goals.obj);
    return e;
}

enum err store_plan_get(struct store *s, const char *plan, json_t **out)
{
    struct plans_row row;
    enum err e;

    *out = NULL;
    if ((e = db_begin_read(s->db)) != E_OK)
        return e;
    if ((e = store_plans_row(s, plan, &row)) == E_OK)
        e = store_plans_load(s, row.id, out);
    db_rollback(s->db);
    return e;
}

static json_t *version_row(struct store *s, struct db_stmt *st, void *ctx)
{
    (void)s;
    (void)ctx;
    return json_pack("{s:s, s:i, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                     db_col_text(st, 0), "version", (int)db_col_int64(st, 1), "status",
                     db_col_text(st, 2), "based_on", text_or_null(st, 3), "created_at",
                     db_col_text(st, 4), "signed_by", text_or_null(st, 5), "signed_at",
                     text_or_null(st, 6), "ack_how", text_or_null(st, 7), "effective_date",
                     text_or_null(st, 8), "superseded_date", text_or_null(st, 9), "review_due",
                     text_or_null(st, 10));
}

enum err store_plan_list(struct store *s, const char *patient, json_t **out)
{
    struct db_stmt *st;
    long pid;
    enum err e;

    *out = NULL;
    if ((e = store_program_patient_id(s, patient, &pid)) != E_OK)
        return e;
    if (!(st = db_prepare(s->db, sql_list)))
        return E_DB;
    db_bind_int64(st, 1, pid);
    return store_rows(s, st, version_row, NULL, "plan versions", out);
}

/* The row id of the version current on date for patient (row id), 0 when none. */
static enum err current_id(struct store *s, long patient, const char *date, long *id)
{
    struct db_stmt *st = db_prepare(s->db, sql_current);
    int rc;

    *id = 0;
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, date);
    rc = db_step(st);
    if (rc == DB_ROW)
        *id = (long)db_col_int64(st, 0);
    db_reset(st);
    return rc == DB_ROW || rc == DB_DONE ? E_OK : db_fail(s->db, "current plan");
}

enum err store_plan_current(struct store *s, const char *patient, const char *date,
                            json_t **out)
{
    long pid, id = 0;
    enum err e;

    *out = NULL;
    if ((e = db_begin_read(s->db)) != E_OK)
        return e;
    if ((e = store_program_patient_id(s, patient, &pid)) == E_OK &&
        (e = current_id(s, pid, date, &id)) == E_OK)
        e = id ? store_plans_load(s, id, out) : E_OK;
    db_rollback(s->db);
    if (e == E_OK && !*out)
        *out = json_null();
    return e;
}

enum err store_plan_seed(struct store *s, const char *patient, json_t **out)
{
    struct db_stmt *st;
    json_t *result = NULL;
    long pid;
    enum err e;
    int rc;

    *out = NULL;
    if ((e = store_program_patient_id(s, patient, &pid)) != E_OK)
        return e;
    if (!(st = db_prepare(s->db, sql_result)))
        return E_DB;
    db_bind_int64(st, 1, pid);
    rc = db_step(st);
    if (rc == DB_ROW)
        result = admissions_col_json(st, 0);
    db_reset(st);
    if (rc != DB_ROW && rc != DB_DONE)
        return db_fail(s->db, "plan seed");
    *out = plan_seed(result, "assessment");
    json_decref(result);
    return E_OK;
}

struct due_ctx {
    caldate today;
};

static json_t *due_row(struct store *s, struct db_stmt *st, void *ctx)
{
    const struct due_ctx *c = ctx;
    char name[220];
    caldate due = 0;

    (void)s;
    snprintf(name, sizeof(name), "%s %s", db_col_text(st, 1), db_col_text(st, 2));
    caldate_parse(db_col_text(st, 5), &due);
    return json_pack("{s:s, s:s, s:s, s:i, s:s, s:b}", "patient_id", db_col_text(st, 0),
                     "patient_name", name, "plan_id", db_col_text(st, 3), "version",
                     (int)db_col_int64(st, 4), "review_due", db_col_text(st, 5), "overdue",
                     plan_review_state(due, c->today) == PLAN_REVIEW_OVERDUE);
}

enum err store_plan_reviews_due(struct store *s, const char *today, long counsellor,
                                json_t **out)
{
    struct due_ctx c;
    char until[CALDATE_TEXT];
    struct db_stmt *st;

    *out = NULL;
    if (!today || !caldate_parse(today, &c.today))
        return E_INVALID;
    if (!(st = db_prepare(s->db, sql_due)))
        return E_DB;
    db_bind_text(st, 1, caldate_format(c.today + PLAN_REVIEW_NOTICE_DAYS, until));
    db_bind_int64(st, 2, counsellor > 0 ? counsellor : 0);
    return store_rows(s, st, due_row, &c, "plan reviews due", out);
}

static json_t *objective_of_current(struct store *s, struct db_stmt *st, void *ctx)
{
    (void)s;
    (void)ctx;
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", db_col_text(st, 0), "text",
                     db_col_text(st, 1), "status", db_col_text(st, 2), "goal",
                     db_col_text(st, 3), "problem", db_col_text(st, 4));
}

enum err store_plan_current_objectives(struct store *s, long patient, const char *date,
                                       json_t **out)
{
    struct db_stmt *st;
    caldate d;
    long id;
    enum err e;

    *out = NULL;
    if (!date || !caldate_parse(date, &d))
        return E_INVALID;
    if ((e = current_id(s, patient, date, &id)) != E_OK)
        return e;
    if (!id) {
        *out = json_array();
        return E_OK;
    }
    if (!(st = db_prepare(s->db, sql_current_objectives)))
        return E_DB;
    db_bind_int64(st, 1, id);
    return store_rows(s, st, objective_of_current, NULL, "current objectives", out);
}
