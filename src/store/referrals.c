/* referrals: call requests (added from the public assessment), the referral queue, one
 * referral (call log, history, intake), and the writes that move a referral along: calls,
 * status, assignment, intake. */
#include "store/admissions_internal.h"

#include <string.h>

#include "core/log.h"
#include "core/rand.h"
#include "store/audit.h"

static const char sql_referral_add[] =
    "INSERT INTO referrals (public_id, created_at, name, phone, email, best_time,"
    " voicemail_ok, consent_at, answers, result, spec_version, level, flags)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?2, ?8, ?9, ?10, ?11, ?12)";
static const char sql_referral_count[] = "SELECT count(*) FROM referrals";

#define REFERRAL_COLS                                                                          \
    "r.public_id, r.created_at, r.status, r.name, r.phone, coalesce(r.email, ''), r.best_time," \
    " r.voicemail_ok, r.level, r.flags, coalesce(u.name, ''), coalesce(u.public_id, ''),"      \
    " coalesce(r.first_call_at, ''), coalesce(r.next_follow_up, ''),"                          \
    " (SELECT count(*) FROM referral_calls c WHERE c.referral_id = r.id),"                     \
    " coalesce(r.closed_reason, ''), r.crisis, coalesce(r.intake_at, '')"
#define REFERRAL_FROM " FROM referrals r LEFT JOIN users u ON u.id = r.assigned_to"

/* Crisis first, then oldest first, in SQL: no number of ordinary referrals can push a crisis one
 * off the page. Two statements, not one with "?1 IS NULL OR": each is then one walk of an index
 * already in that order (migration 0008), which stops at the limit. The open queue's index is
 * partial: INDEXED BY keeps the planner on it (a sort of every open row is what a flood of call
 * requests would make expensive). */
#define OPEN_STATUSES "('new', 'contacted', 'intake-scheduled')"
static const char sql_queue_open[] =
    "SELECT " REFERRAL_COLS " FROM referrals r INDEXED BY referrals_open_queue"
    " LEFT JOIN users u ON u.id = r.assigned_to WHERE r.status IN " OPEN_STATUSES
    " ORDER BY r.crisis DESC, r.created_at LIMIT ?2";
static const char sql_queue[] =
    "SELECT " REFERRAL_COLS REFERRAL_FROM " WHERE r.status = ?1"
    " ORDER BY r.crisis DESC, r.created_at LIMIT ?2";
/* How many the filter selects (up to ?2: an index walk that stops there), and how many of them
 * are crisis ones (one index range). */
static const char sql_count_open[] =
    "SELECT (SELECT count(*) FROM (SELECT 1 FROM referrals INDEXED BY referrals_open_queue"
    " WHERE status IN " OPEN_STATUSES " LIMIT ?2) AS q),"
    " (SELECT count(*) FROM referrals INDEXED BY referrals_open_queue"
    " WHERE status IN " OPEN_STATUSES " AND crisis = 1)";
static const char sql_count[] =
    "SELECT (SELECT count(*) FROM (SELECT 1 FROM referrals WHERE status = ?1 LIMIT ?2) AS q),"
    " (SELECT count(*) FROM referrals WHERE status = ?1 AND crisis = 1)";
/* What needs a call now (store_adm_due), ?1 rows at most: crisis referrals nobody has reached
 * yet; new ones never called, created by ?2; open ones assigned to ?2 whose follow-up is due by
 * ?3. */
static const char sql_due_crisis[] =
    "SELECT " REFERRAL_COLS REFERRAL_FROM " WHERE r.status = 'new' AND r.crisis = 1"
    " ORDER BY r.created_at LIMIT ?1";
static const char sql_due_overdue[] =
    "SELECT " REFERRAL_COLS REFERRAL_FROM " WHERE r.status = 'new' AND r.first_call_at IS NULL"
    " AND r.created_at <= ?2 ORDER BY r.crisis DESC, r.created_at LIMIT ?1";
static const char sql_due_mine[] =
    "SELECT " REFERRAL_COLS REFERRAL_FROM " WHERE r.assigned_to = ?2 AND r.status IN "
    OPEN_STATUSES " AND r.next_follow_up <= ?3"
    " ORDER BY r.crisis DESC, r.next_follow_up, r.created_at LIMIT ?1";
static const char sql_due_counts[] =
    "SELECT (SELECT count(*) FROM referrals WHERE status = 'new' AND crisis = 1),"
    " (SELECT count(*) FROM referrals WHERE assigned_to = ?1 AND status IN " OPEN_STATUSES
    " AND next_follow_up <= ?2)";
/* The metrics' gauges (modules/metrics): the open queue, and the crisis requests nobody has
 * reached yet. Exact counts: a scrape every few seconds walks an index of open rows only. */
static const char sql_queue_sizes[] =
    "SELECT (SELECT count(*) FROM referrals WHERE status IN " OPEN_STATUSES "),"
    " (SELECT count(*) FROM referrals WHERE status = 'new' AND crisis = 1)";
static const char sql_unanswered[] =
    "SELECT created_at FROM referrals WHERE status = 'new' AND first_call_at IS NULL"
    " AND created_at <= ?1 ORDER BY created_at LIMIT ?2";
static const char sql_referral[] =
    "SELECT " REFERRAL_COLS ", r.answers, r.result, r.id" REFERRAL_FROM " WHERE r.public_id = ?1";
#define COL_ANSWERS 18
static const char sql_calls[] =
    "SELECT c.called_at, c.outcome, coalesce(c.note, ''), coalesce(c.next_follow_up, ''),"
    " coalesce(u.name, '') FROM referral_calls c LEFT JOIN users u ON u.id = c.by_user"
    " WHERE c.referral_id = ?1 ORDER BY c.called_at DESC, c.id DESC";
static const char sql_intake[] =
    "SELECT i.recommended_level, i.confirmed_level, coalesce(i.change_reason, ''),"
    " coalesce(i.notes, ''), coalesce(u.name, ''), i.created_at"
    " FROM intakes i LEFT JOIN users u ON u.id = i.by_user WHERE i.referral_id = ?1";
static const char sql_patient_of[] = "SELECT public_id FROM patients WHERE referral_id = ?1";
static const char sql_call_add[] =
    "INSERT INTO referral_calls (referral_id, called_at, outcome, note, next_follow_up, by_user,"
    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?2)";
static const char sql_after_call[] =
    "UPDATE referrals SET first_call_at = coalesce(first_call_at, ?2), next_follow_up = ?3,"
    " updated_at = ?2, status = coalesce(?4, status) WHERE id = ?1";
/* Who may be assigned a referral: enabled users who work referrals (roles of domain/roles.c). */
static const char sql_assignee_id[] =
    "SELECT u.id FROM users u WHERE u.public_id = ?1 AND u.disabled = 0 AND EXISTS ("
    "SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role IN ('admissions', "
    "'clinician'))";
static const char sql_assign[] =
    "UPDATE referrals SET assigned_to = ?2, updated_at = ?3 WHERE id = ?1";
static const char sql_intake_save[] =
    "INSERT INTO intakes (referral_id, recommended_level, confirmed_level, change_reason, notes,"
    " by_user, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT (referral_id) DO UPDATE SET confirmed_level = excluded.confirmed_level,"
    " change_reason = excluded.change_reason, notes = excluded.notes,"
    " by_user = excluded.by_user, created_at = excluded.created_at";
static const char sql_staff_role[] =
    "SELECT u.public_id, u.name FROM users u JOIN user_roles ur ON ur.user_id = u.id"
    " WHERE ur.role = ?1 AND u.disabled = 0 ORDER BY lower(u.name)";

static void bind_text(struct db_stmt *st, int i, const char *v)
{
    db_bind_text_or_null(st, i, v);
}

enum err store_referral_add(struct store *s, struct referral *r)
{
    struct db_stmt *st = db_prepare(s->db, sql_referral_add);
    char now[STAMP_LEN];
    enum db_step rc;

    if (!st)
        return E_DB;
    rand_hex(r->public_id, 16);
    stamp_now(now);
    db_bind_text(st, 1, r->public_id);
    db_bind_text(st, 2, now);
    db_bind_text(st, 3, r->name);
    db_bind_text(st, 4, r->phone);
    db_bind_text_or_null(st, 5, r->email);
    db_bind_text(st, 6, r->best_time);
    db_bind_int64(st, 7, r->voicemail_ok);
    db_bind_text(st, 8, r->answers);
    db_bind_text(st, 9, r->result);
    db_bind_text(st, 10, r->spec_version);
    db_bind_text(st, 11, r->level);
    db_bind_text(st, 12, r->flags);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE) {
        db_rollback(s->db);
        return rc == DB_CONSTRAINT ? E_INVALID : db_fail(s->db, "referral insert");
    }
    if (r->audit) {
        r->audit->record_id = r->public_id;
        if (store_audit_append(s, r->audit) != E_OK) {
            db_rollback(s->db);
            return E_DB;
        }
    }
    return db_commit(s->db);
}

enum err store_referral_count(struct store *s, long *n)
{
    struct db_stmt *st = db_prepare(s->db, sql_referral_count);
    enum err ret = E_DB;

    if (st && db_step(st) == DB_ROW) {
        *n = (long)db_col_int64(st, 0);
        ret = E_OK;
    }
    db_finish(st);
    return ret;
}

/* NULL when a stored value does not fit (text that is not UTF-8). */
static json_t *referral_row(struct db_stmt *st)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:o, s:s, s:s, s:s, s:s,"
                     " s:I, s:s, s:b, s:s}",
                     "public_id", db_col_text(st, 0), "created_at", db_col_text(st, 1), "status",
                     db_col_text(st, 2), "name", db_col_text(st, 3), "phone", db_col_text(st, 4),
                     "email", db_col_text(st, 5), "best_time", db_col_text(st, 6), "voicemail_ok",
                     db_col_int(st, 7), "level", db_col_text(st, 8), "flags",
                     admissions_col_json(st, 9), "assignee", db_col_text(st, 10), "assignee_id",
                     db_col_text(st, 11), "first_call_at", db_col_text(st, 12), "next_follow_up",
                     db_col_text(st, 13), "calls", (json_int_t)db_col_int64(st, 14),
                     "closed_reason", db_col_text(st, 15), "crisis", db_col_int(st, 16),
                     "intake_at", db_col_text(st, 17));
}

/* The filter's total and crisis count. */
static enum err queue_count(struct store *s, const char *status, long *total, long *crisis)
{
    struct db_stmt *st = db_prepare(s->db, status ? sql_count : sql_count_open);
    enum err ret = E_OK;

    if (!st)
        return E_DB;
    if (status)
        db_bind_text(st, 1, status);
    db_bind_int64(st, 2, ADMISSIONS_QUEUE_COUNT_MAX + 1);
    if (db_step(st) == DB_ROW) {
        *total = (long)db_col_int64(st, 0);
        *crisis = (long)db_col_int64(st, 1);
    } else {
        ret = db_fail(s->db, "queue count");
    }
    db_reset(st);
    return ret;
}

enum err store_adm_queue(struct store *s, const char *status, json_t **out, long *total)
{
    struct db_stmt *st;
    json_t *rows;
    long crisis = 0, limit = ADMISSIONS_QUEUE_PAGE;
    bool open = !status || (strcmp(status, "admitted") != 0 && strcmp(status, "closed") != 0);
    enum err ret;
    int rc;

    if ((ret = queue_count(s, status, total, &crisis)) != E_OK)
        return ret;
    /* Every open crisis referral, however many; closed ones are history. */
    if (open && crisis > limit)
        limit = crisis;
    if (!(st = db_prepare(s->db, status ? sql_queue : sql_queue_open)))
        return E_DB;
    if (status)
        db_bind_text(st, 1, status);
    db_bind_int64(st, 2, limit);
    rows = json_array();
    while ((rc = db_step(st)) == DB_ROW)
        if (!admissions_push(rows, referral_row(st), "referral"))
            break;
    db_reset(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        return rc == DB_ROW ? E_DB : db_fail(s->db, "queue");
    }
    *out = rows;
    return E_OK;
}

static enum err referral_extras(struct store *s, long id, json_t *m)
{
    struct db_stmt *st;
    json_t *calls = json_array(), *events = NULL;
    int rc;

    if (!(st = db_prepare(s->db, sql_calls))) {
        json_decref(calls);
        return E_DB;
    }
    db_bind_int64(st, 1, id);
    while ((rc = db_step(st)) == DB_ROW)
        if (!admissions_push(calls,
                             json_pack("{s:s, s:s, s:s, s:s, s:s}", "at", db_col_text(st, 0),
                                       "outcome", db_col_text(st, 1), "note", db_col_text(st, 2),
                                       "next_follow_up", db_col_text(st, 3), "by",
                                       db_col_text(st, 4)),
                             "call"))
            break;
    db_reset(st);
    json_object_set_new(m, "call_log", calls);
    if (rc != DB_DONE)
        return rc == DB_ROW ? E_DB : db_fail(s->db, "calls");
    if (admissions_timeline(s, id, -1, &events) != E_OK)
        return E_DB;
    json_object_set_new(m, "events", events);
    if (!(st = db_prepare(s->db, sql_intake)))
        return E_DB;
    db_bind_int64(st, 1, id);
    if ((rc = db_step(st)) == DB_ROW) {
        json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "recommended_level",
                               db_col_text(st, 0), "confirmed_level", db_col_text(st, 1),
                               "change_reason", db_col_text(st, 2), "notes", db_col_text(st, 3),
                               "by", db_col_text(st, 4), "at", db_col_text(st, 5));
        if (!in) {
            db_reset(st);
            log_error("store: a stored intake does not fit its model (not UTF-8?)");
            return E_DB;
        }
        json_object_set_new(m, "intake", in);
    }
    db_reset(st);
    if (rc != DB_ROW && rc != DB_DONE)
        return db_fail(s->db, "intake");
    if (!(st = db_prepare(s->db, sql_patient_of)))
        return E_DB;
    db_bind_int64(st, 1, id);
    if ((rc = db_step(st)) == DB_ROW)
        json_object_set_new(m, "patient", json_string(db_col_text(st, 0)));
    db_reset(st);
    return rc == DB_ROW || rc == DB_DONE ? E_OK : db_fail(s->db, "patient of referral");
}

enum err store_adm_referral_get(struct store *s, const char *public_id, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_referral);
    json_t *m = NULL;
    long id = 0;
    enum err ret;
    int rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, public_id);
    rc = db_step(st);
    if (rc == DB_ROW && (m = referral_row(st))) {
        json_object_set_new(m, "answers", admissions_col_json(st, COL_ANSWERS));
        json_object_set_new(m, "result", admissions_col_json(st, COL_ANSWERS + 1));
        id = (long)db_col_int64(st, COL_ANSWERS + 2);
    }
    db_reset(st);
    if (rc == DB_DONE)
        return E_NOTFOUND;
    if (rc != DB_ROW)
        return db_fail(s->db, "referral");
    if (!m) {
        log_error("store: referral %s does not fit its model (not UTF-8?)", public_id);
        return E_DB;
    }
    if ((ret = referral_extras(s, id, m)) != E_OK) {
        json_decref(m);
        return ret;
    }
    *out = m;
    return E_OK;
}

enum err store_adm_call_add(struct store *s, const char *public_id,
                                    const struct admissions_call *c, const char *from,
                                    const char *to_status, long by_user,
                                    const struct audit_entry *audit)
{
    struct db_stmt *st;
    char now[STAMP_LEN];
    long id = 0;
    enum err e;

    stamp_now(now);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = admissions_lookup_in(s, public_id, to_status ? from : NULL, &id)) != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_call_add))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, now);
    db_bind_text(st, 3, c->outcome);
    bind_text(st, 4, c->note);
    bind_text(st, 5, c->next_follow_up);
    admissions_bind_user(st, 6, by_user);
    if ((e = admissions_step_done(s, st, "call insert")) != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_after_call))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, now);
    bind_text(st, 3, c->next_follow_up);
    bind_text(st, 4, to_status);
    if ((e = admissions_step_done(s, st, "referral after call")) != E_OK)
        goto out;
    e = admissions_event_add(s, id, by_user, now, "call", NULL, NULL, NULL, c->outcome);
    if (e == E_OK && to_status)
        e = admissions_event_add(s, id, by_user, now, "status", from, to_status, NULL,
                                 "after a call");
    if (e == E_OK)
        e = admissions_audit(s, audit, NULL, NULL, NULL);
out:
    return admissions_finish(s, e);
}

enum err store_adm_set_status(struct store *s, const char *public_id, const char *from,
                              const char *to, const char *closed_reason, const char *intake_at,
                              const char *reason, long by_user, const struct audit_entry *audit)
{
    char now[STAMP_LEN];
    long id = 0;
    enum err e;

    stamp_now(now);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = admissions_lookup_in(s, public_id, from, &id)) != E_OK)
        goto out;
    if ((e = admissions_set_status_row(s, id, to, closed_reason, now)) == E_OK && intake_at)
        e = admissions_set_intake_at(s, id, intake_at);
    /* The event's detail: why it was closed, or when the intake is. */
    if (e == E_OK)
        e = admissions_event_add(s, id, by_user, now, "status", from, to, reason,
                                 closed_reason ? closed_reason : intake_at);
    if (e == E_OK)
        e = admissions_audit(s, audit, NULL, NULL, NULL);
out:
    return admissions_finish(s, e);
}

enum err store_adm_assign(struct store *s, const char *public_id,
                                  const char *user_public_id, long by_user,
                                  const struct audit_entry *audit)
{
    struct db_stmt *st;
    char now[STAMP_LEN];
    long id = 0, user = 0;
    enum err e;

    stamp_now(now);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = admissions_lookup_in(s, public_id, NULL, &id)) != E_OK)
        goto out;
    if (user_public_id &&
        (e = admissions_id_of(s, sql_assignee_id, user_public_id, &user)) != E_OK) {
        e = e == E_NOTFOUND ? E_INVALID : e;
        goto out;
    }
    if (!(st = db_prepare(s->db, sql_assign))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, id);
    admissions_bind_user(st, 2, user);
    db_bind_text(st, 3, now);
    if ((e = admissions_step_done(s, st, "referral assign")) == E_OK)
        e = admissions_event_add(s, id, by_user, now, "assign", NULL, NULL, NULL, user_public_id);
    if (e == E_OK)
        e = admissions_audit(s, audit, NULL, NULL, NULL);
out:
    return admissions_finish(s, e);
}

enum err store_adm_intake_save(struct store *s, const char *public_id,
                                       const struct admissions_intake *in, const char *from,
                                       const char *to, long by_user,
                                       const struct audit_entry *audit)
{
    struct db_stmt *st;
    char now[STAMP_LEN];
    long id = 0;
    enum err e;

    stamp_now(now);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = admissions_lookup_in(s, public_id, from, &id)) != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_intake_save))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, in->recommended_level);
    db_bind_text(st, 3, in->confirmed_level);
    bind_text(st, 4, in->change_reason);
    bind_text(st, 5, in->notes);
    admissions_bind_user(st, 6, by_user);
    db_bind_text(st, 7, now);
    if ((e = admissions_step_done(s, st, "intake")) != E_OK)
        goto out;
    e = admissions_event_add(s, id, by_user, now, "intake", NULL, NULL, in->change_reason,
                             in->confirmed_level);
    if (e == E_OK && in->intake_at)
        e = admissions_set_intake_at(s, id, in->intake_at);
    if (e == E_OK && strcmp(from, to) != 0) {
        if ((e = admissions_set_status_row(s, id, to, NULL, now)) == E_OK)
            e = admissions_event_add(s, id, by_user, now, "status", from, to, NULL,
                                     in->intake_at ? in->intake_at : "intake");
    }
    if (e == E_OK)
        e = admissions_audit(s, audit, NULL, NULL, NULL);
out:
    return admissions_finish(s, e);
}

enum err store_adm_staff_with_role(struct store *s, const char *role, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_staff_role);
    json_t *rows;
    int rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, role);
    rows = json_array();
    while ((rc = db_step(st)) == DB_ROW)
        if (!admissions_push(rows, json_pack("{s:s, s:s}", "public_id", db_col_text(st, 0), "name",
                                             db_col_text(st, 1)),
                             "user"))
            break;
    db_reset(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        return rc == DB_ROW ? E_DB : db_fail(s->db, "staff by role");
    }
    *out = rows;
    return E_OK;
}

enum err store_adm_due(struct store *s, const struct admissions_due_query *q, long limit,
                       json_t **out)
{
    static const char *const sql[] = {
        [ADMISSIONS_DUE_CRISIS] = sql_due_crisis,
        [ADMISSIONS_DUE_OVERDUE] = sql_due_overdue,
        [ADMISSIONS_DUE_MINE] = sql_due_mine,
    };
    struct db_stmt *st;
    json_t *rows;
    int rc;

    if ((unsigned)q->due > ADMISSIONS_DUE_MINE || !(st = db_prepare(s->db, sql[q->due])))
        return E_DB;
    db_bind_int64(st, 1, limit);
    if (q->due == ADMISSIONS_DUE_OVERDUE) {
        bind_text(st, 2, q->before);
    } else if (q->due == ADMISSIONS_DUE_MINE) {
        admissions_bind_user(st, 2, q->user);
        bind_text(st, 3, q->today);
    }
    rows = json_array();
    while ((rc = db_step(st)) == DB_ROW)
        if (!admissions_push(rows, referral_row(st), "referral"))
            break;
    db_reset(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        return rc == DB_ROW ? E_DB : db_fail(s->db, "due referrals");
    }
    *out = rows;
    return E_OK;
}

enum err store_adm_due_counts(struct store *s, long user, const char *today, long *crisis,
                              long *mine)
{
    struct db_stmt *st = db_prepare(s->db, sql_due_counts);
    enum err ret = E_OK;

    if (!st)
        return E_DB;
    admissions_bind_user(st, 1, user);
    bind_text(st, 2, today);
    if (db_step(st) == DB_ROW) {
        *crisis = (long)db_col_int64(st, 0);
        *mine = (long)db_col_int64(st, 1);
    } else {
        ret = db_fail(s->db, "due counts");
    }
    db_reset(st);
    return ret;
}

enum err store_adm_queue_sizes(struct store *s, long *open, long *crisis_waiting)
{
    struct db_stmt *st = db_prepare(s->db, sql_queue_sizes);
    enum err ret = E_OK;

    if (!st)
        return E_DB;
    if (db_step(st) == DB_ROW) {
        *open = (long)db_col_int64(st, 0);
        *crisis_waiting = (long)db_col_int64(st, 1);
    } else {
        ret = db_fail(s->db, "queue sizes");
    }
    db_reset(st);
    return ret;
}

enum err store_adm_unanswered(struct store *s, const char *before, long limit, json_t **out)
{
    struct db_stmt *st = db_prepare(s->db, sql_unanswered);
    json_t *rows;
    int rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, before);
    db_bind_int64(st, 2, limit);
    rows = json_array();
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(rows, json_string(db_col_text(st, 0)));
    db_reset(st);
    if (rc != DB_DONE) {
        json_decref(rows);
        return db_fail(s->db, "unanswered referrals");
    }
    *out = rows;
    return E_OK;
}
