/* sqlite_second_factor: SQLite implementation of the second factor of store_staff.h: the sealed
 * TOTP secret, its last used step, and recovery codes (stored as SHA-256 hex). */
#include "store/sqlite_staff_internal.h"

#include <string.h>

enum err sqlite_second_factor_totp_set_secret(struct store *base, long id, const char *sealed)
{
    static const char sql[] = "UPDATE users SET totp_sealed = ?2, totp_secret = NULL"
                              " WHERE id = ?1 AND totp_enabled = 0";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;

    if (!sqlite_staff_q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, id);
    sqlite3_bind_text(q.st, 2, sealed, -1, SQLITE_STATIC);
    return sqlite_staff_q_done(s, &q, "totp secret");
}

enum err sqlite_second_factor_totp_plain_next(struct store *base, long after_id, long *id,
                                              char hex[41])
{
    static const char sql[] = "SELECT id, totp_secret FROM users"
                              " WHERE id > ?1 AND totp_secret IS NOT NULL ORDER BY id LIMIT 1";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;
    enum err ret;
    int rc;

    if (!sqlite_staff_q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, after_id);
    rc = sqlite3_step(q.st);
    if (rc == SQLITE_ROW) {
        *id = (long)sqlite3_column_int64(q.st, 0);
        sqlite_staff_copy(hex, 41, sqlite_col(q.st, 1));
        ret = E_OK;
    } else {
        ret = rc == SQLITE_DONE ? E_NOTFOUND : sqlite_fail(s, "totp plain");
    }
    sqlite_staff_q_close(&q);
    return ret;
}

enum err sqlite_second_factor_totp_reseal(struct store *base, long id, const char *plain_hex,
                                          const char *sealed)
{
    static const char sql[] = "UPDATE users SET totp_sealed = ?3, totp_secret = NULL"
                              " WHERE id = ?1 AND totp_secret = ?2";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;

    if (!sqlite_staff_q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, id);
    sqlite3_bind_text(q.st, 2, plain_hex, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 3, sealed, -1, SQLITE_STATIC);
    return sqlite_staff_q_done(s, &q, "totp reseal");
}

/* The same as an audited turn-off, without an audit entry (the caller audits). */
enum err sqlite_second_factor_totp_reset(struct store *base, long id)
{
    return sqlite_users_totp_off(base, id, NULL);
}

static const char sql_recovery_clear[] = "DELETE FROM recovery_codes WHERE user_id = ?1";
static const char sql_recovery_add[] =
    "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)";

/* Deletes the user's codes and inserts n new hashes (inside the caller's transaction). */
static enum err recovery_write(struct sqlite_store *s, long id, const char *const *hashes, size_t n)
{
    struct sqlite_staff_q q;

    if (!sqlite_staff_q_open(s, &q, sql_recovery_clear, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, id);
    if (sqlite_staff_q_done(s, &q, "recovery clear") != E_OK)
        return E_DB;
    for (size_t i = 0; i < n; i++) {
        if (!sqlite_staff_q_open(s, &q, sql_recovery_add, false))
            return E_DB;
        sqlite3_bind_int64(q.st, 1, id);
        sqlite3_bind_text(q.st, 2, hashes[i], -1, SQLITE_STATIC);
        if (sqlite_staff_q_done(s, &q, "recovery add") != E_OK)
            return E_DB;
    }
    return E_OK;
}

enum err sqlite_second_factor_recovery_replace(struct store *base, long id,
                                               const char *const *hashes, size_t n)
{
    static const char sql_on[] = "SELECT totp_enabled FROM users WHERE id = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;
    int rc, on;

    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!sqlite_staff_q_open(s, &q, sql_on, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, id);
    rc = sqlite3_step(q.st);
    on = rc == SQLITE_ROW && sqlite3_column_int(q.st, 0) == 1;
    sqlite_staff_q_close(&q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        sqlite_fail(s, "recovery replace");
        goto fail;
    }
    if (!on) {
        sqlite_rollback(s);
        return E_CONFLICT;
    }
    if (recovery_write(s, id, hashes, n) != E_OK)
        goto fail;
    return sqlite_commit(s);
fail:
    sqlite_rollback(s);
    return E_DB;
}

enum err sqlite_second_factor_totp_enable(struct store *base, long id, long long step,
                                          const char *const *hashes, size_t n)
{
    static const char sql_on[] = "UPDATE users SET totp_enabled = 1, totp_last_step = ?2"
                                 " WHERE id = ?1 AND (totp_sealed IS NOT NULL"
                                 " OR totp_secret IS NOT NULL)";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;

    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!sqlite_staff_q_open(s, &q, sql_on, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, id);
    sqlite3_bind_int64(q.st, 2, step);
    if (sqlite_staff_q_done(s, &q, "totp enable") != E_OK ||
        recovery_write(s, id, hashes, n) != E_OK)
        goto fail;
    return sqlite_commit(s);
fail:
    sqlite_rollback(s);
    return E_DB;
}

enum err sqlite_second_factor_totp_use_step(struct store *base, long id, long long step)
{
    static const char sql[] =
        "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;

    if (!sqlite_staff_q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, id);
    sqlite3_bind_int64(q.st, 2, step);
    if (sqlite_staff_q_done(s, &q, "totp step") != E_OK)
        return E_DB;
    return sqlite3_changes(s->db) == 1 ? E_OK : E_CONFLICT;
}

enum err sqlite_second_factor_recovery_use(struct store *base, long user_id, const char *hash,
                                           long now)
{
    static const char sql[] =
        "UPDATE recovery_codes SET used_at = ?3 WHERE id = (SELECT id FROM recovery_codes"
        " WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL LIMIT 1)";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;
    char at[32];

    if (!sqlite_staff_q_open(s, &q, sql, false))
        return E_DB;
    sqlite_staff_iso(now, at);
    sqlite3_bind_int64(q.st, 1, user_id);
    sqlite3_bind_text(q.st, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 3, at, -1, SQLITE_STATIC);
    if (sqlite_staff_q_done(s, &q, "recovery use") != E_OK)
        return E_DB;
    return sqlite3_changes(s->db) == 1 ? E_OK : E_NOTFOUND;
}

enum err sqlite_second_factor_recovery_left(struct store *base, long user_id, int *n)
{
    static const char sql[] =
        "SELECT count(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;
    enum err ret = E_OK;

    if (!sqlite_staff_q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, user_id);
    if (sqlite3_step(q.st) == SQLITE_ROW)
        *n = sqlite3_column_int(q.st, 0);
    else
        ret = sqlite_fail(s, "recovery left");
    sqlite_staff_q_close(&q);
    return ret;
}
