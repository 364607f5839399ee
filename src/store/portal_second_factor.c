/* portal_second_factor: the patients' optional second factor of store/portal.h (migration
 * 0030): the sealed TOTP secret of an account, its last used time step, its recovery codes
 * (SHA-256 hex) and the sign-ins waiting for a code. Secrets arrive sealed or hashed; nothing
 * here can read a code. Each write is one transaction with its audit entry. */
#include "store/portal.h"

#include <string.h>

#include "store/portal_internal.h"

static const char sql_factor[] =
    "SELECT a.id, p.public_id, a.username, a.password_hash, coalesce(a.locked_until, ''),"
    " a.totp_enabled, coalesce(a.totp_sealed, ''), (SELECT count(*) FROM portal_recovery_codes c"
    " WHERE c.account_id = a.id AND c.used_at IS NULL) FROM portal_accounts a"
    " JOIN patients p ON p.id = a.patient_id WHERE a.patient_id = ?1";
static const char sql_enable[] =
    "UPDATE portal_accounts SET totp_enabled = 1, totp_last_step = ?2, totp_sealed = ?3"
    " WHERE id = ?1 AND totp_enabled = 0";
static const char sql_codes_clear[] = "DELETE FROM portal_recovery_codes WHERE account_id = ?1";
static const char sql_code_add[] =
    "INSERT INTO portal_recovery_codes (account_id, code_hash) VALUES (?1, ?2)";
static const char sql_disable[] =
    "UPDATE portal_accounts SET totp_enabled = 0, totp_sealed = NULL, totp_last_step = 0"
    " WHERE id = ?1 AND totp_enabled = 1";
static const char sql_patient_of[] = "SELECT id FROM patients WHERE public_id = ?1";
static const char sql_account_of[] =
    "SELECT a.id FROM portal_accounts a JOIN patients p ON p.id = a.patient_id"
    " WHERE p.public_id = ?1";
static const char sql_sessions_end[] = "DELETE FROM portal_sessions WHERE account_id = ?1";
static const char sql_use_step[] =
    "UPDATE portal_accounts SET totp_last_step = ?2 WHERE id = ?1 AND totp_enabled = 1"
    " AND totp_last_step < ?2";
static const char sql_code_use[] =
    "UPDATE portal_recovery_codes SET used_at = ?2 WHERE id = (SELECT id FROM"
    " portal_recovery_codes WHERE account_id = ?1 AND code_hash = ?3 AND used_at IS NULL"
    " LIMIT 1)";
static const char sql_pending_add[] =
    "INSERT INTO portal_signin_pending (token_hash, account_id, created_at, csrf, shared, client)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_pending_get[] =
    "SELECT w.id, w.account_id, a.patient_id, p.public_id, w.csrf, w.shared, w.created_at,"
    " coalesce(a.locked_until, ''), a.revoked_at IS NOT NULL, p.status,"
    " coalesce(p.discharge_date, ''), a.totp_enabled, coalesce(a.totp_sealed, '')"
    " FROM portal_signin_pending w JOIN portal_accounts a ON a.id = w.account_id"
    " JOIN patients p ON p.id = a.patient_id WHERE w.token_hash = ?1";
static const char sql_pending_stale[] =
    "DELETE FROM portal_signin_pending WHERE account_id = ?1 AND created_at <= ?2";
static const char sql_pending_end[] = "DELETE FROM portal_signin_pending WHERE id = ?1";
static const char sql_pending_end_all[] = "DELETE FROM portal_signin_pending WHERE account_id = ?1";

enum err store_portal_factor_get(struct store *s, long patient, struct portal_factor *out)
{
    struct db_stmt *st = db_prepare(s->db, sql_factor);
    enum db_step rc;
    enum err e = E_NOTFOUND;

    *out = (struct portal_factor){ 0 };
    if (!st)
        return E_DB;
    db_bind_int64(st, 1, patient);
    if ((rc = db_step(st)) == DB_ROW) {
        out->account = (long)db_col_int64(st, 0);
        store_copy(out->patient_id, sizeof(out->patient_id), db_col_text(st, 1));
        store_copy(out->username, sizeof(out->username), db_col_text(st, 2));
        store_copy(out->password_hash, sizeof(out->password_hash), db_col_text(st, 3));
        out->locked_until = stamp_parse(db_col_text(st, 4));
        out->enabled = db_col_int(st, 5);
        store_copy(out->sealed, sizeof(out->sealed), db_col_text(st, 6));
        out->recovery_left = db_col_int(st, 7);
        e = E_OK;
    } else if (rc != DB_DONE) {
        e = db_fail(s->db, "portal factor get");
    }
    db_reset(st);
    return e;
}

/* The account's recovery codes replaced by n new hashes (inside the caller's transaction). */
static enum err codes_write(struct store *s, long account, const char *const *hashes, size_t n)
{
    struct db_stmt *st;
    enum err e = portal_write(s, sql_codes_clear, account, NULL, -1, "portal codes clear");

    for (size_t i = 0; e == E_OK && i < n; i++) {
        if (!(st = db_prepare(s->db, sql_code_add)))
            return E_DB;
        db_bind_int64(st, 1, account);
        db_bind_text(st, 2, hashes[i]);
        e = admissions_step_done(s, st, "portal code add");
    }
    return e;
}

enum err store_portal_factor_enable(struct store *s, long account, const char *sealed,
                                    long long step, const char *const *hashes, size_t n,
                                    const struct audit_entry *a)
{
    struct db_stmt *st;
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(st = db_prepare(s->db, sql_enable))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, account);
    db_bind_int64(st, 2, step);
    db_bind_text(st, 3, sealed);
    if ((e = admissions_step_done(s, st, "portal factor enable")) != E_OK)
        goto out;
    if (db_changes(s->db) != 1) {
        e = E_CONFLICT;
        goto out;
    }
    if ((e = codes_write(s, account, hashes, n)) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, NULL);
out:
    return admissions_finish(s, e);
}

/* Turns the account's factor off inside the caller's transaction; E_CONFLICT when it is off. */
static enum err factor_off(struct store *s, long account)
{
    enum err e = portal_write(s, sql_disable, account, NULL, -1, "portal factor off");

    if (e != E_OK)
        return e;
    if (db_changes(s->db) != 1)
        return E_CONFLICT;
    if ((e = codes_write(s, account, NULL, 0)) != E_OK)
        return e;
    return portal_write(s, sql_pending_end_all, account, NULL, -1, "portal pending end");
}

enum err store_portal_factor_disable(struct store *s, long account, const struct audit_entry *a)
{
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = factor_off(s, account)) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, NULL);
    return admissions_finish(s, e);
}

enum err store_portal_factor_reset(struct store *s, const char *patient_id,
                                   const struct audit_entry *a)
{
    long account = 0, patient = 0;
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((e = admissions_id_of(s, sql_patient_of, patient_id, &patient)) != E_OK)
        goto out;
    if ((e = admissions_id_of(s, sql_account_of, patient_id, &account)) == E_NOTFOUND) {
        e = E_CONFLICT;
        goto out;
    }
    if (e != E_OK || (e = factor_off(s, account)) != E_OK)
        goto out;
    if ((e = portal_write(s, sql_sessions_end, account, NULL, -1, "portal reset sessions")) == E_OK)
        e = admissions_audit(s, a, NULL, NULL, patient_id);
out:
    return admissions_finish(s, e);
}

enum err store_portal_factor_use_step(struct store *s, long account, long long step)
{
    struct db_stmt *st = db_prepare(s->db, sql_use_step);
    enum err e;

    if (!st)
        return E_DB;
    db_bind_int64(st, 1, account);
    db_bind_int64(st, 2, step);
    if ((e = admissions_step_done(s, st, "portal factor step")) != E_OK)
        return e;
    return db_changes(s->db) == 1 ? E_OK : E_CONFLICT;
}

enum err store_portal_recovery_use(struct store *s, long account, const char *hash, long now,
                                   const struct audit_entry *a)
{
    struct db_stmt *st;
    char at[STAMP_LEN];
    enum err e;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(st = db_prepare(s->db, sql_code_use))) {
        e = E_DB;
        goto out;
    }
    db_bind_int64(st, 1, account);
    db_bind_text(st, 2, stamp_iso(now, at));
    db_bind_text(st, 3, hash);
    if ((e = admissions_step_done(s, st, "portal code use")) != E_OK)
        goto out;
    if (db_changes(s->db) != 1) {
        e = E_NOTFOUND;
        goto out;
    }
    e = admissions_audit(s, a, NULL, NULL, NULL);
out:
    return admissions_finish(s, e);
}

enum err store_portal_pending_add(struct store *s, long account, const char *token_hash,
                                  const char *csrf, bool shared, const char *client, long now)
{
    struct db_stmt *st;
    char at[STAMP_LEN];

    /* The account's abandoned ones go now: the table holds only live sign-ins. */
    if (portal_write(s, sql_pending_stale, account, stamp_iso(now - PORTAL_PENDING_SECONDS, at), -1,
                     "portal pending stale") != E_OK ||
        !(st = db_prepare(s->db, sql_pending_add)))
        return E_DB;
    portal_sessions_bind(st, token_hash, account, stamp_iso(now, at), csrf, shared, client);
    return admissions_step_done(s, st, "portal pending add") == E_OK ? E_OK : E_DB;
}

static void pending_fill(struct db_stmt *st, caldate today, long days, void *to)
{
    struct portal_pending *out = to;

    out->id = (long)db_col_int64(st, 0);
    out->account = (long)db_col_int64(st, 1);
    out->patient = (long)db_col_int64(st, 2);
    store_copy(out->patient_id, sizeof(out->patient_id), db_col_text(st, 3));
    store_copy(out->csrf, sizeof(out->csrf), db_col_text(st, 4));
    out->shared = db_col_int(st, 5);
    out->created = stamp_parse(db_col_text(st, 6));
    out->locked_until = stamp_parse(db_col_text(st, 7));
    out->open = store_portal_access_open(db_col_int(st, 8), db_col_text(st, 9), db_col_text(st, 10),
                                         today, days);
    out->factor = db_col_int(st, 11);
    store_copy(out->sealed, sizeof(out->sealed), db_col_text(st, 12));
}

enum err store_portal_pending_get(struct store *s, const char *token_hash, caldate today,
                                  struct portal_pending *out)
{
    *out = (struct portal_pending){ 0 };
    return portal_one_row(s, sql_pending_get, token_hash, today, pending_fill, out,
                          "portal pending get");
}

enum err store_portal_pending_end(struct store *s, long id, long account)
{
    if (id > 0)
        return portal_write(s, sql_pending_end, id, NULL, -1, "portal pending end");
    return portal_write(s, sql_pending_end_all, account, NULL, -1, "portal pending end");
}
