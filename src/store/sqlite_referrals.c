/* sqlite_referrals: the SQLite side of the referral queue, one referral (call log, history,
 * intake), and the writes that move a referral along: calls, status, assignment, intake. */
#include "store/sqlite_adm_internal.h"

#include <string.h>

#include "core/log.h"

#define REFERRAL_COLS                                                                          \
    "r.public_id, r.created_at, r.status, r.name, r.phone, coalesce(r.email, ''), r.best_time," \
    " r.voicemail_ok, r.level, r.flags, coalesce(u.name, ''), coalesce(u.public_id, ''),"      \
    " coalesce(r.first_call_at, ''), coalesce(r.next_follow_up, ''),"                          \
    " (SELECT count(*) FROM referral_calls c WHERE c.referral_id = r.id),"                     \
    " coalesce(r.closed_reason, ''), r.crisis"
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
    " WHERE status IN " OPEN_STATUSES " LIMIT ?2)),"
    " (SELECT count(*) FROM referrals INDEXED BY referrals_open_queue"
    " WHERE status IN " OPEN_STATUSES " AND crisis = 1)";
static const char sql_count[] =
    "SELECT (SELECT count(*) FROM (SELECT 1 FROM referrals WHERE status = ?1 LIMIT ?2)),"
    " (SELECT count(*) FROM referrals WHERE status = ?1 AND crisis = 1)";
static const char sql_referral[] =
    "SELECT " REFERRAL_COLS ", r.answers, r.result, r.id" REFERRAL_FROM " WHERE r.public_id = ?1";
#define COL_ANSWERS 17
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
    "SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role IN ('admissions', 'clinician'))";
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
    " WHERE ur.role = ?1 AND u.disabled = 0 ORDER BY u.name COLLATE NOCASE";

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    sqlite_bind_text_or_null(st, i, v);
}

/* NULL when a stored value does not fit (text that is not UTF-8). */
static json_t *referral_row(sqlite3_stmt *st)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:o, s:s, s:s, s:s, s:s,"
                     " s:I, s:s, s:b}",
                     "public_id", sqlite_col(st, 0), "created_at", sqlite_col(st, 1), "status",
                     sqlite_col(st, 2), "name", sqlite_col(st, 3), "phone", sqlite_col(st, 4),
                     "email", sqlite_col(st, 5), "best_time", sqlite_col(st, 6), "voicemail_ok",
                     sqlite3_column_int(st, 7), "level", sqlite_col(st, 8), "flags",
                     sqlite_adm_col_json(st, 9), "assignee", sqlite_col(st, 10), "assignee_id",
                     sqlite_col(st, 11), "first_call_at", sqlite_col(st, 12), "next_follow_up",
                     sqlite_col(st, 13), "calls", (json_int_t)sqlite3_column_int64(st, 14),
                     "closed_reason", sqlite_col(st, 15), "crisis", sqlite3_column_int(st, 16));
}

/* The filter's total and crisis count. */
static enum err queue_count(struct sqlite_store *s, const char *status, long *total, long *crisis)
{
    sqlite3_stmt *st = sqlite_stmt(s, status ? sql_count : sql_count_open);
    enum err ret = E_OK;

    if (!st)
        return E_DB;
    if (status)
        sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, ADMISSIONS_QUEUE_COUNT_MAX + 1);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *total = (long)sqlite3_column_int64(st, 0);
        *crisis = (long)sqlite3_column_int64(st, 1);
    } else {
        ret = sqlite_fail(s, "queue count");
    }
    sqlite3_reset(st);
    return ret;
}

enum err sqlite_referrals_queue(struct store *base, const char *status, json_t **out, long *total)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st;
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
    if (!(st = sqlite_stmt(s, status ? sql_queue : sql_queue_open)))
        return E_DB;
    if (status)
        sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, limit);
    rows = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!sqlite_adm_push(rows, referral_row(st), "referral"))
            break;
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(rows);
        return rc == SQLITE_ROW ? E_DB : sqlite_fail(s, "queue");
    }
    *out = rows;
    return E_OK;
}

static enum err referral_extras(struct sqlite_store *s, long id, json_t *m)
{
    sqlite3_stmt *st;
    json_t *calls = json_array(), *events = NULL;
    int rc;

    if (!(st = sqlite_stmt(s, sql_calls))) {
        json_decref(calls);
        return E_DB;
    }
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!sqlite_adm_push(calls,
                             json_pack("{s:s, s:s, s:s, s:s, s:s}", "at", sqlite_col(st, 0),
                                       "outcome", sqlite_col(st, 1), "note", sqlite_col(st, 2),
                                       "next_follow_up", sqlite_col(st, 3), "by",
                                       sqlite_col(st, 4)),
                             "call"))
            break;
    sqlite3_reset(st);
    json_object_set_new(m, "call_log", calls);
    if (rc != SQLITE_DONE)
        return rc == SQLITE_ROW ? E_DB : sqlite_fail(s, "calls");
    if (sqlite_adm_timeline(s, id, -1, &events) != E_OK)
        return E_DB;
    json_object_set_new(m, "events", events);
    if (!(st = sqlite_stmt(s, sql_intake)))
        return E_DB;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "recommended_level",
                               sqlite_col(st, 0), "confirmed_level", sqlite_col(st, 1),
                               "change_reason", sqlite_col(st, 2), "notes", sqlite_col(st, 3),
                               "by", sqlite_col(st, 4), "at", sqlite_col(st, 5));
        if (!in) {
            sqlite3_reset(st);
            log_error("sqlite: a stored intake does not fit its model (not UTF-8?)");
            return E_DB;
        }
        json_object_set_new(m, "intake", in);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlite_fail(s, "intake");
    if (!(st = sqlite_stmt(s, sql_patient_of)))
        return E_DB;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_object_set_new(m, "patient", json_string(sqlite_col(st, 0)));
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? E_OK : sqlite_fail(s, "patient of referral");
}

enum err sqlite_referrals_get(struct store *base, const char *public_id, json_t **out)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st = sqlite_stmt(s, sql_referral);
    json_t *m = NULL;
    long id = 0;
    enum err ret;
    int rc;

    if (!st)
        return E_DB;
    sqlite3_bind_text(st, 1, public_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && (m = referral_row(st))) {
        json_object_set_new(m, "answers", sqlite_adm_col_json(st, COL_ANSWERS));
        json_object_set_new(m, "result", sqlite_adm_col_json(st, COL_ANSWERS + 1));
        id = (long)sqlite3_column_int64(st, COL_ANSWERS + 2);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return E_NOTFOUND;
    if (rc != SQLITE_ROW)
        return sqlite_fail(s, "referral");
    if (!m) {
        log_error("sqlite: referral %s does not fit its model (not UTF-8?)", public_id);
        return E_DB;
    }
    if ((ret = referral_extras(s, id, m)) != E_OK) {
        json_decref(m);
        return ret;
    }
    *out = m;
    return E_OK;
}

enum err sqlite_referrals_call_add(struct store *base, const char *public_id,
                                    const struct admissions_call *c, const char *from,
                                    const char *to_status, long by_user,
                                    const struct audit_entry *audit)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st;
    char now[32];
    long id = 0;
    enum err e;

    sqlite_now(now);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if ((e = sqlite_adm_lookup_in(s, public_id, to_status ? from : NULL, &id)) != E_OK)
        goto out;
    if (!(st = sqlite_stmt(s, sql_call_add))) {
        e = E_DB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c->outcome, -1, SQLITE_STATIC);
    bind_text(st, 4, c->note);
    bind_text(st, 5, c->next_follow_up);
    sqlite_adm_bind_user(st, 6, by_user);
    if ((e = sqlite_adm_step_done(s, st, "call insert")) != E_OK)
        goto out;
    if (!(st = sqlite_stmt(s, sql_after_call))) {
        e = E_DB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    bind_text(st, 3, c->next_follow_up);
    bind_text(st, 4, to_status);
    if ((e = sqlite_adm_step_done(s, st, "referral after call")) != E_OK)
        goto out;
    e = sqlite_adm_event_add(s, id, by_user, now, "call", NULL, NULL, NULL, c->outcome);
    if (e == E_OK && to_status)
        e = sqlite_adm_event_add(s, id, by_user, now, "status", from, to_status, NULL, "after a call");
    if (e == E_OK)
        e = sqlite_adm_audit(s, audit, NULL, NULL, NULL);
out:
    return sqlite_adm_finish(s, e);
}

enum err sqlite_referrals_set_status(struct store *base, const char *public_id,
                                      const char *from, const char *to,
                                      const char *closed_reason, const char *reason, long by_user,
                                      const struct audit_entry *audit)
{
    struct sqlite_store *s = sqlite_of(base);
    char now[32];
    long id = 0;
    enum err e;

    sqlite_now(now);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if ((e = sqlite_adm_lookup_in(s, public_id, from, &id)) != E_OK)
        goto out;
    if ((e = sqlite_adm_set_status_row(s, id, to, closed_reason, now)) == E_OK)
        e = sqlite_adm_event_add(s, id, by_user, now, "status", from, to, reason, closed_reason);
    if (e == E_OK)
        e = sqlite_adm_audit(s, audit, NULL, NULL, NULL);
out:
    return sqlite_adm_finish(s, e);
}

enum err sqlite_referrals_assign(struct store *base, const char *public_id,
                                  const char *user_public_id, long by_user,
                                  const struct audit_entry *audit)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st;
    char now[32];
    long id = 0, user = 0;
    enum err e;

    sqlite_now(now);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if ((e = sqlite_adm_lookup_in(s, public_id, NULL, &id)) != E_OK)
        goto out;
    if (user_public_id && (e = sqlite_adm_id_of(s, sql_assignee_id, user_public_id, &user)) != E_OK) {
        e = e == E_NOTFOUND ? E_INVALID : e;
        goto out;
    }
    if (!(st = sqlite_stmt(s, sql_assign))) {
        e = E_DB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite_adm_bind_user(st, 2, user);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    if ((e = sqlite_adm_step_done(s, st, "referral assign")) == E_OK)
        e = sqlite_adm_event_add(s, id, by_user, now, "assign", NULL, NULL, NULL, user_public_id);
    if (e == E_OK)
        e = sqlite_adm_audit(s, audit, NULL, NULL, NULL);
out:
    return sqlite_adm_finish(s, e);
}

enum err sqlite_referrals_intake_save(struct store *base, const char *public_id,
                                       const struct admissions_intake *in, const char *from,
                                       const char *to, long by_user,
                                       const struct audit_entry *audit)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st;
    char now[32];
    long id = 0;
    enum err e;

    sqlite_now(now);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if ((e = sqlite_adm_lookup_in(s, public_id, from, &id)) != E_OK)
        goto out;
    if (!(st = sqlite_stmt(s, sql_intake_save))) {
        e = E_DB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, in->recommended_level, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, in->confirmed_level, -1, SQLITE_STATIC);
    bind_text(st, 4, in->change_reason);
    bind_text(st, 5, in->notes);
    sqlite_adm_bind_user(st, 6, by_user);
    sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
    if ((e = sqlite_adm_step_done(s, st, "intake")) != E_OK)
        goto out;
    e = sqlite_adm_event_add(s, id, by_user, now, "intake", NULL, NULL, in->change_reason,
                  in->confirmed_level);
    if (e == E_OK && strcmp(from, to) != 0) {
        if ((e = sqlite_adm_set_status_row(s, id, to, NULL, now)) == E_OK)
            e = sqlite_adm_event_add(s, id, by_user, now, "status", from, to, NULL, "intake");
    }
    if (e == E_OK)
        e = sqlite_adm_audit(s, audit, NULL, NULL, NULL);
out:
    return sqlite_adm_finish(s, e);
}

enum err sqlite_referrals_staff_with_role(struct store *base, const char *role, json_t **out)
{
    struct sqlite_store *s = sqlite_of(base);
    sqlite3_stmt *st = sqlite_stmt(s, sql_staff_role);
    json_t *rows;
    int rc;

    if (!st)
        return E_DB;
    sqlite3_bind_text(st, 1, role, -1, SQLITE_STATIC);
    rows = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!sqlite_adm_push(rows, json_pack("{s:s, s:s}", "public_id", sqlite_col(st, 0), "name",
                                             sqlite_col(st, 1)),
                             "user"))
            break;
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(rows);
        return rc == SQLITE_ROW ? E_DB : sqlite_fail(s, "staff by role");
    }
    *out = rows;
    return E_OK;
}
