/* second_factor: the second factor of store/staff.h: the sealed
 * TOTP secret, its last used step, and recovery codes (stored as SHA-256 hex). */
#include "store/staff_internal.h"

#include <string.h>

enum err store_totp_set_secret(struct store *s, long id, const char *sealed)
{
    static const char sql[] = "UPDATE users SET totp_sealed = ?2, totp_secret = NULL"
                              " WHERE id = ?1 AND totp_enabled = 0";
    struct db_stmt *q = NULL;

    if (!(q = db_prepare_once(s->db, sql)))
        return E_DB;
    db_bind_int64(q, 1, id);
    db_bind_text(q, 2, sealed);
    return db_run(q, "totp secret");
}

enum err store_totp_plain_next(struct store *s, long after_id, long *id,
                                              char hex[41])
{
    static const char sql[] = "SELECT id, totp_secret FROM users"
                              " WHERE id > ?1 AND totp_secret IS NOT NULL ORDER BY id LIMIT 1";
    struct db_stmt *q = NULL;
    enum err ret;
    int rc;

    if (!(q = db_prepare_once(s->db, sql)))
        return E_DB;
    db_bind_int64(q, 1, after_id);
    rc = db_step(q);
    if (rc == DB_ROW) {
        *id = (long)db_col_int64(q, 0);
        store_copy(hex, 41, db_col_text(q, 1));
        ret = E_OK;
    } else {
        ret = rc == DB_DONE ? E_NOTFOUND : db_fail(s->db, "totp plain");
    }
    db_finish(q);
    return ret;
}

enum err store_totp_reseal(struct store *s, long id, const char *plain_hex,
                                          const char *sealed)
{
    static const char sql[] = "UPDATE users SET totp_sealed = ?3, totp_secret = NULL"
                              " WHERE id = ?1 AND totp_secret = ?2";
    struct db_stmt *q = NULL;

    if (!(q = db_prepare_once(s->db, sql)))
        return E_DB;
    db_bind_int64(q, 1, id);
    db_bind_text(q, 2, plain_hex);
    db_bind_text(q, 3, sealed);
    return db_run(q, "totp reseal");
}

/* The same as an audited turn-off, without an audit entry (the caller audits). */
enum err store_totp_reset(struct store *s, long id)
{
    return store_user_totp_off(s, id, NULL);
}

static const char sql_recovery_clear[] = "DELETE FROM recovery_codes WHERE user_id = ?1";
static const char sql_recovery_add[] =
    "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)";

/* Deletes the user's codes and inserts n new hashes (inside the caller's transaction). */
static enum err recovery_write(struct store *s, long id, const char *const *hashes, size_t n)
{
    struct db_stmt *q = NULL;

    if (!(q = db_prepare_once(s->db, sql_recovery_clear)))
        return E_DB;
    db_bind_int64(q, 1, id);
    if (db_run(q, "recovery clear") != E_OK)
        return E_DB;
    for (size_t i = 0; i < n; i++) {
        if (!(q = db_prepare_once(s->db, sql_recovery_add)))
            return E_DB;
        db_bind_int64(q, 1, id);
        db_bind_text(q, 2, hashes[i]);
        if (db_run(q, "recovery add") != E_OK)
            return E_DB;
    }
    return E_OK;
}

static enum err recovery_replace(struct store *s, long id, const char *const *hashes, size_t n,
                                 const struct audit_entry *audit)
{
    static const char sql_on[] = "SELECT totp_enabled FROM users WHERE id = ?1";
    struct db_stmt *q = NULL;
    int rc, on;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(q = db_prepare_once(s->db, sql_on)))
        goto fail;
    db_bind_int64(q, 1, id);
    rc = db_step(q);
    on = rc == DB_ROW && db_col_int(q, 0) == 1;
    db_finish(q);
    if (rc != DB_ROW && rc != DB_DONE) {
        db_fail(s->db, "recovery replace");
        goto fail;
    }
    if (!on) {
        db_rollback(s->db);
        return E_CONFLICT;
    }
    if (recovery_write(s, id, hashes, n) != E_OK || staff_audit(s, audit) != E_OK)
        goto fail;
    return db_commit(s->db);
fail:
    db_rollback(s->db);
    return E_DB;
}

enum err store_recovery_replace(struct store *s, long id, const char *const *hashes, size_t n)
{
    return recovery_replace(s, id, hashes, n, NULL);
}

enum err store_recovery_replace_audited(struct store *s, long id, const char *const *hashes,
                                        size_t n, const struct audit_entry *audit)
{
    return recovery_replace(s, id, hashes, n, audit);
}

static enum err totp_enable(struct store *s, long id, long long step, const char *const *hashes,
                            size_t n, const struct audit_entry *audit)
{
    static const char sql_on[] = "UPDATE users SET totp_enabled = 1, totp_last_step = ?2"
                                 " WHERE id = ?1 AND (totp_sealed IS NOT NULL"
                                 " OR totp_secret IS NOT NULL)";
    struct db_stmt *q = NULL;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(q = db_prepare_once(s->db, sql_on)))
        goto fail;
    db_bind_int64(q, 1, id);
    db_bind_int64(q, 2, step);
    if (db_run(q, "totp enable") != E_OK || recovery_write(s, id, hashes, n) != E_OK ||
        staff_audit(s, audit) != E_OK)
        goto fail;
    return db_commit(s->db);
fail:
    db_rollback(s->db);
    return E_DB;
}

enum err store_totp_enable(struct store *s, long id, long long step, const char *const *hashes,
                           size_t n)
{
    return totp_enable(s, id, step, hashes, n, NULL);
}

enum err store_totp_enable_audited(struct store *s, long id, long long step,
                                   const char *const *hashes, size_t n,
                                   const struct audit_entry *audit)
{
    return totp_enable(s, id, step, hashes, n, audit);
}

enum err store_totp_use_step(struct store *s, long id, long long step)
{
    static const char sql[] =
        "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2";
    struct db_stmt *q = NULL;

    if (!(q = db_prepare_once(s->db, sql)))
        return E_DB;
    db_bind_int64(q, 1, id);
    db_bind_int64(q, 2, step);
    if (db_run(q, "totp step") != E_OK)
        return E_DB;
    return db_changes(s->db) == 1 ? E_OK : E_CONFLICT;
}

static enum err recovery_use(struct store *s, long user_id, const char *hash, long now,
                             const struct audit_entry *audit)
{
    static const char sql[] =
        "UPDATE recovery_codes SET used_at = ?3 WHERE id = (SELECT id FROM recovery_codes"
        " WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL LIMIT 1)";
    struct db_stmt *q = NULL;
    char at[STAMP_LEN];

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(q = db_prepare_once(s->db, sql)))
        goto fail;
    stamp_iso(now, at);
    db_bind_int64(q, 1, user_id);
    db_bind_text(q, 2, hash);
    db_bind_text(q, 3, at);
    if (db_run(q, "recovery use") != E_OK)
        goto fail;
    if (db_changes(s->db) != 1) {
        db_rollback(s->db);
        return E_NOTFOUND;
    }
    if (staff_audit(s, audit) != E_OK)
        goto fail;
    return db_commit(s->db);
fail:
    db_rollback(s->db);
    return E_DB;
}

enum err store_recovery_use(struct store *s, long user_id, const char *hash, long now)
{
    return recovery_use(s, user_id, hash, now, NULL);
}

enum err store_recovery_use_audited(struct store *s, long user_id, const char *hash, long now,
                                    const struct audit_entry *audit)
{
    return recovery_use(s, user_id, hash, now, audit);
}

enum err store_recovery_left(struct store *s, long user_id, int *n)
{
    static const char sql[] =
        "SELECT count(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL";
    struct db_stmt *q = NULL;
    enum err ret = E_OK;

    if (!(q = db_prepare_once(s->db, sql)))
        return E_DB;
    db_bind_int64(q, 1, user_id);
    if (db_step(q) == DB_ROW)
        *n = db_col_int(q, 0);
    else
        ret = db_fail(s->db, "recovery left");
    db_finish(q);
    return ret;
}
