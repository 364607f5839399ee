/* plan_writes: the writes of store/plans.h. Each runs in one write transaction: the plan's
 * state checked under the lock (domain/plan.h says which act each state allows), the rows
 * written, the audit entries appended, then commit, so that a refused or failed write leaves
 * nothing behind. A version's content is written from its JSON (plan_check's shape), which is
 * also how a review copies the current version: read whole, written again, threads kept. */
#include "store/plans_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/rand.h"
#include "domain/caldate.h"
#include "store/admissions_internal.h"
#include "store/program_internal.h"

#define ID_TEXT 33

static const char sql_new_plan[] =
    "INSERT INTO plans (public_id, patient_id, version, based_on, status, summary, created_by,"
    " created_at, updated_at) VALUES (?1, ?2,"
    " (SELECT coalesce(max(version), 0) + 1 FROM plans WHERE patient_id = ?2), ?3, 'draft', ?4,"
    " ?5, ?6, ?6) RETURNING id";
static const char sql_problem[] =
    "INSERT INTO plan_problems (public_id, plan_id, position, asam_dimension, statement, source)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
static const char sql_goal[] =
    "INSERT INTO plan_goals (public_id, problem_id, position, text) VALUES (?1, ?2, ?3, ?4)"
    " RETURNING id";
static const char sql_objective[] =
    "INSERT INTO plan_objectives (public_id, plan_id, goal_id, thread_id, position, text,"
    " target_date, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char sql_intervention[] =
    "INSERT INTO plan_interventions (public_id, problem_id, position, text, frequency)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
/* A draft's content goes before it is written again (only drafts change: nothing a note or a
 * signature points at). */
static const char sql_drop_objectives[] = "DELETE FROM plan_objectives WHERE plan_id = ?1";
static const char sql_drop_goals[] =
    "DELETE FROM plan_goals WHERE problem_id IN (SELECT id FROM plan_problems WHERE plan_id = ?1)";
static const char sql_drop_interventions[] =
    "DELETE FROM plan_interventions"
    " WHERE problem_id IN (SELECT id FROM plan_problems WHERE plan_id = ?1)";
static const char sql_drop_problems[] = "DELETE FROM plan_problems WHERE plan_id = ?1";
static const char sql_summary[] =
    "UPDATE plans SET summary = ?2, updated_at = ?3 WHERE id = ?1 AND status = 'draft'";
static const char sql_thread_known[] =
    "SELECT count(*) FROM plan_objectives o JOIN plans p ON p.id = o.plan_id"
    " WHERE p.patient_id = ?1 AND o.thread_id = ?2";
static const char sql_sign[] =
    "UPDATE plans SET status = 'signed', signed_by = ?2, signed_at = ?3, updated_at = ?3"
    " WHERE id = ?1 AND status = 'draft'";
static const char sql_supersede[] =
    "UPDATE plans SET status = 'superseded', superseded_date = ?2, updated_at = ?3"
    " WHERE patient_id = ?1 AND status = 'current' RETURNING public_id";
static const char sql_acknowledge[] =
    "UPDATE plans SET status = 'current', ack_how = ?2, ack_reason = ?3, ack_recorded_by = ?4,"
    " ack_at = ?5, effective_date = ?6, review_due = ?7, updated_at = ?5"
    " WHERE id = ?1 AND status = 'signed'";
static const char sql_review_days[] =
    "SELECT value FROM settings WHERE key = 'plan_review_days'";

/* The statement sql (an INSERT whose ?1 is the new row's public id) with a new public id bound
 * (into id); NULL when it does not prepare. */
static struct db_stmt *insert(struct store *s, const char *sql, char id[ID_TEXT])
{
    struct db_stmt *st = db_prepare(s->db, sql);

    rand_hex(id, 16);
    if (st)
        db_bind_text(st, 1, id);
    return st;
}

/* The text at key of o, or dflt. */
static const char *text_of(const json_t *o, const char *key, const char *dflt)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : dflt;
}

static enum err objective_in(struct store *s, long plan, long goal, size_t pos, const json_t *o)
{
    struct db_stmt *st;
    char id[ID_TEXT], thread[ID_TEXT];

    if (!(st = insert(s, sql_objective, id)))
        return E_DB;
    rand_hex(thread, 16);
    db_bind_int64(st, 2, plan);
    db_bind_int64(st, 3, goal);
    /* A thread carried from an earlier version (a review, or the API naming it), else new. */
    db_bind_text(st, 4, text_of(o, "thread_id", thread));
    db_bind_int64(st, 5, (int64_t)pos);
    db_bind_text(st, 6, text_of(o, "text", ""));
    db_bind_text(st, 7, text_of(o, "target_date", ""));
    db_bind_text(st, 8, text_of(o, "status", "open"));
    return admissions_step_done(s, st, "plan objective");
}

static enum err goal_in(struct store *s, long plan, long problem, size_t pos, const json_t *g)
{
    struct db_stmt *st;
    const json_t *o;
    char id[ID_TEXT];
    long goal = 0;
    enum err e;
    size_t i;

    if (!(st = insert(s, sql_goal, id)))
        return E_DB;
    db_bind_int64(st, 2, problem);
    db_bind_int64(st, 3, (int64_t)pos);
    db_bind_text(st, 4, text_of(g, "text", ""));
    if ((e = admissions_insert_id(s, st, "plan goal", &goal)) != E_OK)
        return e;
    json_array_foreach(json_object_get(g, "objectives"), i, o)
        if ((e = objective_in(s, plan, goal, i, o)) != E_OK)
            return e;
    return E_OK;
}

static enum err intervention_in(struct store *s, long problem, size_t pos, const json_t *iv)
{
    struct db_stmt *st;
    char id[ID_TEXT];

    if (!(st = insert(s, sql_intervention, id)))
        return E_DB;
    db_bind_int64(st, 2, problem);
    db_bind_int64(st, 3, (int64_t)pos);
    db_bind_text(st, 4, text_of(iv, "text", ""));
    db_bind_text(st, 5, text_of(iv, "frequency", ""));
    return admissions_step_done(s, st, "plan intervention");
}

static enum err problem_in(struct store *s, long plan, size_t pos, const json_t *p)
{
    struct db_stmt *st;
    const json_t *x;
    char id[ID_TEXT];
    long problem = 0;
    enum err e;
    size_t i;

    if (!(st = insert(s, sql_problem, id)))
        return E_DB;
    db_bind_int64(st, 2, plan);
    db_bind_int64(st, 3, (int64_t)pos);
    db_bind_int64(st, 4, json_integer_value(json_object_get(p, "asam_dimension")));
    db_bind_text(st, 5, text_of(p, "statement", ""));
    db_bind_text(st, 6, text_of(p, "source", "clinician"));
    if ((e = admissions_insert_id(s, st, "plan problem", &problem)) != E_OK)
        return e;
    json_array_foreach(json_object_get(p, "goals"), i, x)
        if ((e = goal_in(s, plan, problem, i, x)) != E_OK)
            return e;
    json_array_foreach(json_object_get(p, "interventions"), i, x)
        if ((e = intervention_in(s, problem, i, x)) != E_OK)
            return e;
    return E_OK;
}

/* Runs a statement bound to the plan's row id alone. */
static enum err by_plan(struct store *s, const char *sql, long plan, const char *what)
{
    struct db_stmt *st = db_prepare(s->db, sql);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, plan);
    return admissions_step_done(s, st, what);
}

/* Every thread an objective of content names must be one of the patient's, and named once:
 * E_INVALID with why on the first that is not. */
static enum err threads_known(struct store *s, long patient, const json_t *content,
                              struct program_why *why)
{
    struct db_stmt *st = db_prepare(s->db, sql_thread_known);
    const json_t *p, *g, *o;
    json_t *seen;
    enum err e = E_OK;
    size_t i, j, k;
    int rc;

    if (!st)
        return E_DB;
    seen = json_object();
    json_array_foreach(json_object_get(content, "problems"), i, p)
        json_array_foreach(json_object_get(p, "goals"), j, g)
            json_array_foreach(json_object_get(g, "objectives"), k, o) {
        const char *t = json_string_value(json_object_get(o, "thread_id"));

        if (!t || e != E_OK)
            continue;
        db_bind_int64(st, 1, patient);
        db_bind_text(st, 2, t);
        rc = db_step(st);
        if (rc != DB_ROW)
            e = db_fail(s->db, "plan thread");
        else if (db_col_int64(st, 0) < 1 || json_object_get(seen, t))
            e = store_program_why(why, E_INVALID,
                                  "thread_id", "problems[%zu].goals[%zu].objectives[%zu]."
                                  "thread_id names no earlier objective of this patient, or "
                                  "is named twice.", i, j, k);
        json_object_set_new(seen, t, json_true());
        db_reset(st);
    }
    json_decref(seen);
    return e;
}

/* Writes content (summary and problems) into plan, whose earlier content is gone. */
static enum err content_in(struct store *s, long plan, const json_t *content, const char *now)
{
    struct db_stmt *st = db_prepare(s->db, sql_summary);
    const json_t *p;
    enum err e;
    size_t i;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, plan);
    db_bind_text_or_null(st, 2, json_string_value(json_object_get(content, "summary")));
    db_bind_text(st, 3, now);
    if ((e = admissions_step_done(s, st, "plan summary")) != E_OK)
        return e;
    json_array_foreach(json_object_get(content, "problems"), i, p)
        if ((e = problem_in(s, plan, i, p)) != E_OK)
            return e;
    return E_OK;
}

/* Inserts a draft for patient based on `based_on` (0: none); *id its row id, pub its public id. */
static enum err draft_in(struct store *s, long patient, long based_on, long by, const char *now,
                         long *id, char pub[ID_TEXT])
{
    struct db_stmt *st = db_prepare(s->db, sql_new_plan);

    if (!st)
        return E_DB;
    rand_hex(pub, 16);
    db_bind_text(st, 1, pub);
    db_bind_int64(st, 2, patient);
    if (based_on > 0)
        db_bind_int64(st, 3, based_on);
    admissions_bind_user(st, 5, by);
    db_bind_text(st, 6, now);
    return admissions_insert_id(s, st, "plan", id);
}

/* E_CONFLICT when the patient has a draft or signed version waiting. */
static enum err none_open(struct store *s, long patient, struct program_why *why)
{
    int version = 0;
    enum err e = store_plans_open_version(s, patient, &version);

    if (e == E_OK && version)
        e = store_program_why(why, E_CONFLICT, "plan",
                              "Version %d of this plan is still open (a draft or waiting for "
                              "the patient's acknowledgement): finish it first.", version);
    return e;
}

/* Ends a write: on success the plan read back into *out, then commit; else roll back. */
static enum err finish(struct store *s, enum err e, long plan, json_t **out)
{
    if (e == E_OK)
        e = store_plans_load(s, plan, out);
    e = admissions_finish(s, e);
    if (e != E_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return e;
}

enum err store_plan_create(struct store *s, const char *patient, const json_t *content,
                           long by, const struct audit_entry *a, json_t **out,
                           struct program_why *why)
{
    char now[STAMP_LEN], pub[ID_TEXT];
    json_t *seeded = NULL, *own = NULL;
    long pid, plan = 0;
    enum err e;

    *out = NULL;
    stamp_now(now);
    if (!content) { /* seeded from the assessment, read before the write's lock */
        if ((e = store_plan_seed(s, patient, &seeded)) != E_OK)
            return e;
        content = own = json_pack("{s:o}", "problems", seeded);
    }
    if ((e = db_begin(s->db)) != E_OK)
        goto out;
    if ((e = store_program_patient_id(s, patient, &pid)) == E_OK &&
        (e = none_open(s, pid, why)) == E_OK && (e = threads_known(s, pid, content, why)) == E_OK &&
        (e = draft_in(s, pid, 0, by, now, &plan, pub)) == E_OK &&
        (e = content_in(s, plan, content, now)) == E_OK)
        e = admissions_audit(s, a, "create", "plan", pub);
    e = finish(s, e, plan, out);
out:
    json_decref(own);
    return e;
}

enum err store_plan_replace(struct store *s, const char *plan, const json_t *content,
                            const struct audit_entry *a, json_t **out, struct program_why *why)
{
    static const char *const drops[] = {sql_drop_objectives, sql_drop_goals,
                                        sql_drop_interventions, sql_drop_problems};
    struct plans_row row = {0};
    char now[STAMP_LEN];
    enum err e;

    *out = NULL;
    stamp_now(now);
    if ((e = db_begin(s->db)) != E_OK)
        return e;
    if ((e = store_plans_row(s, plan, &row)) != E_OK)
        goto out;
    if (!plan_allows(row.status, PLAN_EDIT)) {
        e = store_program_why(why, E_CONFLICT, "status", "%s",
                              plan_refusal(row.status, PLAN_EDIT));
        goto out;
    }
    if ((e = threads_known(s, row.patient, content, why)) != E_OK)
        goto out;
    for (size_t i = 0; i < sizeof(drops) / sizeof(*drops) && e == E_OK; i++)
        e = by_plan(s, drops[i], row.id, "plan content");
    if (e == E_OK && (e = content_in(s, row.id, content, now)) == E_OK)
        e = admissions_audit(s, a, "update", "plan", plan);
out:
    return finish(s, e, row.id, out);
}

enum err store_plan_sign(struct store *s, const char *plan, long by,
                         const struct audit_entry *a, json_t **out, struct program_why *why)
{
    struct plans_row row = {0};
    struct plan_blocker b;
    char now[STAMP_LEN], message[160], field[80];
    struct db_stmt *st;
    json_t *m = NULL;
    enum err e;

    *out = NULL;
    stamp_now(now);
    if ((e = db_begin(s->db)) != E_OK)
        return e;
    if ((e = store_plans_row(s, plan, &row)) != E_OK)
        goto out;
    if (!plan_allows(row.status, PLAN_SIGN)) {
        e = store_program_why(why, E_CONFLICT, "status", "%s",
                              plan_refusal(row.status, PLAN_SIGN));
        goto out;
    }
    /* The rule again under the lock: what the caller checked may have changed since. */
    if ((e = store_plans_load(s, row.id, &m)) != E_OK)
        goto out;
    if (plan_blockers(json_object_get(m, "problems"), &b, 1)) {
        plan_blocker_words(&b, message, sizeof(message), field, sizeof(field));
        e = store_program_why(why, E_INVALID, field, "%s", message);
        goto out;
    }
    if (!(st = db_prepare(s->db, sql_sign))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, row.id);
    admissions_bind_user(st, 2, by);
    db_bind_text(st, 3, now);
    if ((e = admissions_step_done(s, st, "plan sign")) == E_OK)
        e = admissions_audit(s, a, "sign", "plan", plan);
out:
    json_decref(m);
    return finish(s, e, row.id, out);
}

/* The setting plan_review_days: a whole number of days from 1 to 365, else the default. */
static enum err review_days(struct store *s, int *days)
{
    struct db_stmt *st = db_prepare(s->db, sql_review_days);
    char *end;
    long v;
    int rc;

    *days = PLAN_REVIEW_DAYS_DEFAULT;
    if (!st)
        return E_DB;
    rc = db_step(st);
    if (rc == DB_ROW) {
        v = strtol(db_col_text(st, 0), &end, 10);
        if (!*end && end != db_col_text(st, 0) && v >= 1 && v <= 365)
            *days = (int)v;
        else
            log_warn("store: the setting plan_review_days is not a number of days: default");
    }
    db_reset(st);
    return rc == DB_ROW || rc == DB_DONE ? E_OK : db_fail(s->db, "plan_review_days");
}

/* The version current until now becomes superseded on today, with its audit entry. */
static enum err supersede(struct store *s, long patient, const char *today, const char *now,
                          const struct audit_entry *a)
{
    struct db_stmt *st = db_prepare(s->db, sql_supersede);
    char old[ID_TEXT] = "";
    int rc;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, today);
    db_bind_text(st, 3, now);
    rc = db_step(st);
    if (rc == DB_ROW)
        store_copy(old, sizeof(old), db_col_text(st, 0));
    if (rc == DB_ROW) /* at most one version is current: run the statement to its end */
        rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE)
        return db_fail(s->db, "plan supersede");
    return *old ? admissions_audit(s, a, "supersede", "plan", old) : E_OK;
}

enum err store_plan_acknowledge(struct store *s, const char *plan, const char *how,
                                const char *reason, const char *today, long by,
                                const struct audit_entry *a, json_t **out,
                                struct program_why *why)
{
    struct plans_row row = {0};
    char now[STAMP_LEN], due[CALDATE_TEXT];
    struct db_stmt *st;
    caldate day;
    int days;
    enum err e;

    *out = NULL;
    if (!today || !caldate_parse(today, &day))
        return E_INVALID;
    stamp_now(now);
    if ((e = db_begin(s->db)) != E_OK)
        return e;
    if ((e = store_plans_row(s, plan, &row)) != E_OK)
        goto out;
    if (!plan_allows(row.status, PLAN_ACKNOWLEDGE)) {
        e = store_program_why(why, E_CONFLICT, "status", "%s",
                              plan_refusal(row.status, PLAN_ACKNOWLEDGE));
        goto out;
    }
    if ((e = review_days(s, &days)) != E_OK ||
        (e = supersede(s, row.patient, today, now, a)) != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_acknowledge))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, row.id);
    db_bind_text(st, 2, how);
    db_bind_text_or_null(st, 3, reason);
    admissions_bind_user(st, 4, by);
    db_bind_text(st, 5, now);
    db_bind_text(st, 6, today);
    db_bind_text(st, 7, caldate_format(plan_review_due(day, days), due));
    if ((e = admissions_step_done(s, st, "plan acknowledge")) == E_OK)
        e = admissions_audit(s, a, "acknowledge", "plan", plan);
out:
    return finish(s, e, row.id, out);
}

enum err store_plan_review(struct store *s, const char *plan, long by,
                           const struct audit_entry *a, json_t **out, struct program_why *why)
{
    struct plans_row row = {0};
    char now[STAMP_LEN], pub[ID_TEXT];
    json_t *m = NULL;
    long draft = 0;
    enum err e;

    *out = NULL;
    stamp_now(now);
    if ((e = db_begin(s->db)) != E_OK)
        return e;
    if ((e = store_plans_row(s, plan, &row)) != E_OK)
        goto out;
    if (!plan_allows(row.status, PLAN_REVIEW)) {
        e = store_program_why(why, E_CONFLICT, "status", "%s",
                              plan_refusal(row.status, PLAN_REVIEW));
        goto out;
    }
    /* The copy is the current version read whole and written again: its objectives carry
     * their thread ids into the draft. */
    if ((e = none_open(s, row.patient, why)) == E_OK &&
        (e = store_plans_load(s, row.id, &m)) == E_OK &&
        (e = draft_in(s, row.patient, row.id, by, now, &draft, pub)) == E_OK &&
        (e = content_in(s, draft, m, now)) == E_OK &&
        (e = admissions_audit(s, a, "review", "plan", plan)) == E_OK)
        e = admissions_audit(s, a, "create", "plan", pub);
out:
    json_decref(m);
    return finish(s, e, draft, out);
}
