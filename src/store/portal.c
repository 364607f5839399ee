/* portal: a patient's portal access (store/portal.h): the access rule, invitations, accepting
 * one, revoking, and the accounts' sign-in bookkeeping. Reads that a write depends on run
 * inside its transaction (db_begin takes the write lock first), so that an invitation cannot be
 * accepted twice nor a username taken twice between the check and the write. */
#include "store/portal.h"

#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "store/portal_internal.h"
#include "store/staff.h"

static const char sql_patient[] =
    "SELECT id, status, coalesce(discharge_date, '') FROM patients WHERE public_id = ?1";
static const char sql_account_of[] =
    "SELECT username, updated_at, revoked_at IS NOT NULL, coalesce(revoked_at, ''),"
    " totp_enabled FROM portal_accounts WHERE patient_id = ?1";
static const char sql_pending[] =
    "SELECT expires_at FROM portal_invites WHERE patient_id = ?1 AND used_at IS NULL"
    " AND voided_at IS NULL AND expires_at > ?2 ORDER BY id DESC LIMIT 1";
static const char sql_void[] =
    "UPDATE portal_invites SET voided_at = ?2 WHERE patient_id = ?1 AND used_at IS NULL"
    " AND voided_at IS NULL AND expires_at > ?2";
static const char sql_invite_add[] =
    "INSERT INTO portal_invites (patient_id, token_hash, created_by, created_at, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_invite_find[] =
    "SELECT i.patient_id, p.public_id, p.first_name, coalesce(p.email, ''),"
    " i.used_at IS NOT NULL OR i.voided_at IS NOT NULL, i.expires_at, p.status,"
    " coalesce(p.discharge_date, '') FROM portal_invites i JOIN patients p"
    " ON p.id = i.patient_id WHERE i.token_hash = ?1";
static const char sql_username_of[] = "SELECT patient_id FROM portal_accounts WHERE username = ?1";
static const char sql_account_put[] =
    "INSERT INTO portal_accounts (patient_id, username, password_hash, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (patient_id) DO UPDATE SET"
    " username = excluded.username, password_hash = excluded.password_hash,"
    " updated_at = excluded.updated_at, revoked_at = NULL, revoked_by = NULL, failed_count = 0,"
    " locked_until = NULL RETURNING id";
static const char sql_sessions_end[] = "DELETE FROM portal_sessions WHERE account_id IN"
                                       " (SELECT id FROM portal_accounts WHERE patient_id = ?1)";
static const char sql_invite_use[] = "UPDATE portal_invites SET used_at = ?2 WHERE token_hash = ?1";
static const char sql_revoke[] =
    "UPDATE portal_accounts SET revoked_at = ?2, revoked_by = ?3 WHERE patient_id = ?1"
    " AND revoked_at IS NULL";
static const char sql_account_get[] =
    "SELECT a.id, a.patient_id, p.public_id, a.password_hash, coalesce(a.locked_until, ''),"
    " a.revoked_at IS NOT NULL, p.status, coalesce(p.discharge_date, ''), a.totp_enabled"
    " FROM portal_accounts a JOIN patients p ON p.id = a.patient_id WHERE a.username = ?1";
static const char sql_fail[] =
    "UPDATE portal_accounts SET failed_count = failed_count + 1 WHERE id = ?1"
    " RETURNING failed_count";
static const char sql_lock[] = "UPDATE portal_accounts SET locked_until = ?2 WHERE id = ?1";
static const char sql_clear[] =
    "UPDATE portal_accounts SET failed_count = 0, locked_until = NULL WHERE id = ?1";

bool store_portal_access_open(bool revoked, const char *status, const char *discharge_date,
                              caldate today, long aftercare_days)
{
    caldate d;

    if (revoked)
        return false;
    if (!status || strcmp(status, "discharged") != 0)
        return true;
    return caldate_parse(discharge_date, &d) && today - d <= aftercare_days;
}

long store_portal_session_left(long now, long created, long last_seen, bool shared)
{
    long idle = last_seen + (shared ? PORTAL_IDLE_SHARED_SECONDS : PORTAL_IDLE_SECONDS) - now;
    long total = created + PORTAL_MAX_SECONDS - now;

    return idle < total ? idle : total;
}

long store_portal_aftercare_days(struct store *s)
{
    char v[16];
    long days;

    if (store_setting_get(s, "portal_aftercare_days", v, sizeof(v)) != E_OK ||
        str_to_long(str_from(v), 0, 3650, &days) < 0)
        return PORTAL_AFTERCARE_DEFAULT;
    return days;
}

/* The patient's row: id, status and discharge date. E_NOTFOUND. */
static enum err patient_row(struct store *s, const char *public_id, long *id, char status[16],
                            char discharge[CALDATE_TEXT])
{
    struct db_stmt *st = db_prepare(s->db, sql_patient);
    enum err e = E_NOTFOUND;
    enum db_step rc;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, public_id ? public_id : "");
    if ((rc = db_step(st)) == DB_ROW) {
        *id = (long)db_col_int64(st, 0);
        store_copy(status, 16, db_col_text(st, 1));
        store_copy(discharge, CALDATE_TEXT, db_col_text(st, 2));
        e = E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "portal patient");
    }
    db_reset(st);
    return e;
}

/* Fills the account and invitation parts of out. */
static enum err state_rest(struct store *s, long now, struct portal_state *out)
{
    struct db_stmt *st = db_prepare(s->db, sql_account_of);
    char at[STAMP_LEN];
    enum db_step rc;
    enum err e = E_OK;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, out->patient);
    if ((rc = db_step(st)) == DB_ROW) {
        out->has_account = true;
        store_copy(out->username, sizeof(out->username), db_col_text(st, 0));
        store_copy(out->since, sizeof(out->since), db_col_text(st, 1));
        out->revoked = db_col_int(st, 2);
        store_copy(out->revoked_at, sizeof(out->revoked_at), db_col_text(st, 3));
        out->factor = db_col_int(st, 4);
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "portal account of");
    }
    db_reset(st);
    if (e != E_OK || !(st = db_prepare(s->db, sql_pending)))
        return e != E_OK ? e : E_DB;
    db_bind_int64(st, 1, out->patient);
    db_bind_text(st, 2, stamp_iso(now, at));
    if ((rc = db_step(st)) == DB_ROW) {
        out->invite_pending = true;
        store_copy(out->invite_expires, sizeof(out->invite_expires), db_col_text(st, 0));
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "portal pending");
    }
    db_reset(st);
    return e;
}

enum err store_portal_state(struct store *s, const char *patient_id, long now, caldate today,
                            struct portal_state *out)
{
    long days = store_portal_aftercare_days(s);
    char discharge[CALDATE_TEXT];
    enum err e;

    *out = (struct portal_state){ 0 };
    if (db_begin_read(s->db) != E_OK)
        return E_DB;
    if ((e = patient_row(s, patient_id, &out->patient, out->status, discharge)) == E_OK)
        e = state_rest(s, now, out);
    db_rollback(s->db);
    out->open = out->has_account &&
                store_portal_access_open(out->revoked, out->status, discharge, today, days);
    return e;
}

enum err portal_write(struct store *s, const char *sql, long id, const char *at, long by,
                      const char *what)
{
    struct db_stmt *st = db_prepare(s->db, sql);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, id);
    if (at)
        db_bind_text(st, 2, at);
    if (by >= 0)
        admissions_bind_user(st, 3, by);
    return admissions_step_done(s, st, what);
}

enum err portal_one_row(struct store *s, const char *sql, const char *key, caldate today,
                        portal_fill_fn *fill, void *out, const char *what)
{
    struct db_stmt *st = db_prepare(s->db, sql);
    long days = store_portal_aftercare_days(s);
    enum db_step rc;
    enum err e = E_NOTFOUND;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, key ? key : "");
    if ((rc = db_step(st)) == DB_ROW) {
        fill(st, today, days, out);
        e = E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, what);
    }
    db_reset(st);
    return e;
}

enum err store_portal_invite(struct store *s, const char *patient_id, const char *token_hash,
                             long now, caldate today, long by, const struct audit_entry *a)
{
    long days = store_portal_aftercare_days(s), patient;
    char status[16], discharge[CALDATE_TEXT], at[STAMP_LEN], until[STAMP_LEN];
    struct db_stmt *st;
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = patient_row(s, patient_id, &patient, status, discharge)) != E_OK)
        goto out;
    if (!store_portal_access_open(false, status, discharge, today, days)) {
        e = E_CONFLICT;
        goto out;
    }
    stamp_iso(now, at);
    stamp_iso(now + PORTAL_INVITE_SECONDS, until);
    if ((e = portal_write(s, sql_void, patient, at, -1, "portal invite void")) != E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_invite_add))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, token_hash);
    admissions_bind_user(st, 3, by);
    db_bind_text(st, 4, at);
    db_bind_text(st, 5, until);
    if ((e = admissions_step_done(s, st, "portal invite")) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, patient_id);
out:
    return admissions_finish(s, e);
}

enum err store_portal_revoke(struct store *s, const char *patient_id, long now, long by,
                             const struct audit_entry *a)
{
    char status[16], discharge[CALDATE_TEXT], at[STAMP_LEN];
    long patient, changed;
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = patient_row(s, patient_id, &patient, status, discharge)) != E_OK)
        goto out;
    stamp_iso(now, at);
    if ((e = portal_write(s, sql_void, patient, at, -1, "portal revoke invites")) != E_OK)
        goto out;
    changed = db_changes(s->db);
    if ((e = portal_write(s, sql_revoke, patient, at, by, "portal revoke")) != E_OK)
        goto out;
    changed += db_changes(s->db);
    if (!changed) {
        e = E_CONFLICT;
        goto out;
    }
    if ((e = portal_write(s, sql_sessions_end, patient, NULL, -1, "portal revoke sessions")) ==
        E_OK)
        e = admissions_audit(s, a, NULL, NULL, patient_id);
out:
    return admissions_finish(s, e);
}

/* invite_find inside the caller's transaction (or read). */
static enum err invite_find(struct store *s, const char *token_hash, long now, caldate today,
                            struct portal_invitee *out)
{
    struct db_stmt *st = db_prepare(s->db, sql_invite_find);
    long days = store_portal_aftercare_days(s);
    enum db_step rc;
    enum err e = E_NOTFOUND;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, token_hash ? token_hash : "");
    if ((rc = db_step(st)) == DB_ROW) {
        out->patient = (long)db_col_int64(st, 0);
        store_copy(out->public_id, sizeof(out->public_id), db_col_text(st, 1));
        store_copy(out->first_name, sizeof(out->first_name), db_col_text(st, 2));
        store_copy(out->email, sizeof(out->email), db_col_text(st, 3));
        e = db_col_int(st, 4) || stamp_parse(db_col_text(st, 5)) <= now ||
                    !store_portal_access_open(false, db_col_text(st, 6), db_col_text(st, 7), today,
                                              days)
                ? E_GONE
                : E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "portal invite find");
    }
    db_reset(st);
    return e;
}

enum err store_portal_invite_find(struct store *s, const char *token_hash, long now, caldate today,
                                  struct portal_invitee *out)
{
    return invite_find(s, token_hash, now, today, out);
}

/* Whether another patient's account holds the username. */
static enum err username_taken(struct store *s, const char *username, long patient)
{
    struct db_stmt *st = db_prepare(s->db, sql_username_of);
    enum db_step rc;
    enum err e = E_OK;

    if (!st)
        return E_DB;
    db_bind_text(st, 1, username);
    if ((rc = db_step(st)) == DB_ROW)
        e = (long)db_col_int64(st, 0) == patient ? E_OK : E_CONFLICT;
    else if (rc != DB_DONE)
        e = db_fail(s->db, "portal username");
    db_reset(st);
    return e;
}

/* Makes or replaces the patient's account; *account gets its id. */
static enum err account_put(struct store *s, long patient, const char *username,
                            const char *pw_hash, const char *at, long *account)
{
    struct db_stmt *st = db_prepare(s->db, sql_account_put);

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    db_bind_text(st, 2, username);
    db_bind_text(st, 3, pw_hash);
    db_bind_text(st, 4, at);
    return admissions_insert_id(s, st, "portal account", account);
}

enum err store_portal_accept(struct store *s, const char *token_hash, long now, caldate today,
                             const char *username, const char *pw_hash, const struct audit_entry *a,
                             long *account)
{
    struct portal_invitee who;
    struct db_stmt *st;
    char at[STAMP_LEN];
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = invite_find(s, token_hash, now, today, &who)) != E_OK ||
        (e = username_taken(s, username, who.patient)) != E_OK)
        goto out;
    stamp_iso(now, at);
    if ((e = account_put(s, who.patient, username, pw_hash, at, account)) != E_OK ||
        (e = portal_write(s, sql_sessions_end, who.patient, NULL, -1, "portal accept sessions")) !=
            E_OK)
        goto out;
    if (!(st = db_prepare(s->db, sql_invite_use))) {
        e = E_DB;
        goto out;
    }
    db_bind_text(st, 1, token_hash);
    db_bind_text(st, 2, at);
    if ((e = admissions_step_done(s, st, "portal invite use")) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, who.public_id);
out:
    return admissions_finish(s, e);
}

static void account_fill(struct db_stmt *st, caldate today, long days, void *to)
{
    struct portal_account *out = to;

    out->id = (long)db_col_int64(st, 0);
    out->patient = (long)db_col_int64(st, 1);
    store_copy(out->patient_id, sizeof(out->patient_id), db_col_text(st, 2));
    store_copy(out->password_hash, sizeof(out->password_hash), db_col_text(st, 3));
    out->locked_until = stamp_parse(db_col_text(st, 4));
    out->open = store_portal_access_open(db_col_int(st, 5), db_col_text(st, 6), db_col_text(st, 7),
                                         today, days);
    out->factor = db_col_int(st, 8);
}

enum err store_portal_account_get(struct store *s, const char *username, caldate today,
                                  struct portal_account *out)
{
    return portal_one_row(s, sql_account_get, username, today, account_fill, out,
                          "portal account get");
}

enum err store_portal_fail(struct store *s, long account, int *failures)
{
    struct db_stmt *st = db_prepare(s->db, sql_fail);
    enum db_step rc;
    enum err e = E_NOTFOUND;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, account);
    if ((rc = db_step(st)) == DB_ROW) {
        *failures = (int)db_col_int64(st, 0);
        e = E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "portal fail");
    }
    db_reset(st);
    return e;
}

enum err store_portal_lock(struct store *s, long account, long until, const struct audit_entry *a)
{
    char at[STAMP_LEN];
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = portal_write(s, sql_lock, account, stamp_iso(until, at), -1, "portal lock")) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, NULL);
    return admissions_finish(s, e);
}

enum err store_portal_clear(struct store *s, long account)
{
    return portal_write(s, sql_clear, account, NULL, -1, "portal clear");
}
