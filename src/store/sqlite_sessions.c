/* sqlite_sessions: SQLite implementation of the sessions and set-password tokens of
 * store_staff.h. Tokens arrive hashed (SHA-256 hex); the session look-up and touch run on every
 * staff request and stay prepared. */
#include "store/sqlite_staff_internal.h"

#include <string.h>

static const char sql_sessions_end[] = "DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2";

enum err sqlite_sessions_end(struct sqlite_store *s, long user_id, long keep)
{
    struct sqlite_staff_q q;

    if (!sqlite_staff_q_open(s, &q, sql_sessions_end, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, user_id);
    sqlite3_bind_int64(q.st, 2, keep);
    return sqlite_staff_q_done(s, &q, "end sessions");
}

enum err sqlite_sessions_token_add(struct store *base, long user_id, const char *hash, long now,
                                   long expires)
{
    static const char sql_void[] =
        "UPDATE password_tokens SET used_at = ?2 WHERE user_id = ?1 AND used_at IS NULL";
    static const char sql_add[] = "INSERT INTO password_tokens (user_id, token_hash, created_at,"
                                  " expires_at) VALUES (?1, ?2, ?3, ?4)";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;
    char at[32], until[32];

    sqlite_staff_iso(now, at);
    sqlite_staff_iso(expires, until);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!sqlite_staff_q_open(s, &q, sql_void, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, user_id);
    sqlite3_bind_text(q.st, 2, at, -1, SQLITE_STATIC);
    if (sqlite_staff_q_done(s, &q, "token void") != E_OK ||
        !sqlite_staff_q_open(s, &q, sql_add, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, user_id);
    sqlite3_bind_text(q.st, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 3, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 4, until, -1, SQLITE_STATIC);
    if (sqlite_staff_q_done(s, &q, "token add") != E_OK)
        goto fail;
    return sqlite_commit(s);
fail:
    sqlite_rollback(s);
    return E_DB;
}

static enum err token_lookup(struct sqlite_store *s, const char *hash, long now, long *user_id,
                             long *token_id)
{
    static const char sql[] = "SELECT id, user_id, used_at IS NOT NULL, unixepoch(expires_at)"
                              " FROM password_tokens WHERE token_hash = ?1";
    struct sqlite_staff_q q;
    enum err ret;
    int rc;

    if (!sqlite_staff_q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_text(q.st, 1, hash, -1, SQLITE_STATIC);
    rc = sqlite3_step(q.st);
    if (rc == SQLITE_ROW) {
        *token_id = (long)sqlite3_column_int64(q.st, 0);
        *user_id = (long)sqlite3_column_int64(q.st, 1);
        ret =
            sqlite3_column_int(q.st, 2) || sqlite3_column_int64(q.st, 3) <= now ? E_CONFLICT : E_OK;
    } else {
        ret = rc == SQLITE_DONE ? E_NOTFOUND : sqlite_fail(s, "token find");
    }
    sqlite_staff_q_close(&q);
    return ret;
}

enum err sqlite_sessions_token_find(struct store *base, const char *hash, long now, long *user_id)
{
    long token_id;
    return token_lookup(sqlite_of(base), hash, now, user_id, &token_id);
}

enum err sqlite_sessions_token_use(struct store *base, const char *hash, long now,
                                   const char *pw_hash, long *user_id)
{
    static const char sql_used[] = "UPDATE password_tokens SET used_at = ?2 WHERE id = ?1";
    static const char sql_pw[] = "UPDATE users SET password_hash = ?2, failed_count = 0,"
                                 " locked_until = NULL WHERE id = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;
    long token_id;
    char at[32];
    enum err ret;

    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if ((ret = token_lookup(s, hash, now, user_id, &token_id)) != E_OK) {
        sqlite_rollback(s);
        return ret;
    }
    sqlite_staff_iso(now, at);
    if (!sqlite_staff_q_open(s, &q, sql_used, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, token_id);
    sqlite3_bind_text(q.st, 2, at, -1, SQLITE_STATIC);
    if (sqlite_staff_q_done(s, &q, "token use") != E_OK ||
        !sqlite_staff_q_open(s, &q, sql_pw, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, *user_id);
    sqlite3_bind_text(q.st, 2, pw_hash, -1, SQLITE_STATIC);
    if (sqlite_staff_q_done(s, &q, "token password") != E_OK ||
        sqlite_sessions_end(s, *user_id, 0) != E_OK)
        goto fail;
    return sqlite_commit(s);
fail:
    sqlite_rollback(s);
    return E_DB;
}

enum err sqlite_sessions_add(struct store *base, long user_id, const char *token_hash,
                             const char *csrf, bool mfa_pending, const char *client, long now,
                             long *id)
{
    static const char sql[] = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen,"
                              " csrf, mfa_pending, client) VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6)";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;
    char at[32];

    if (!sqlite_staff_q_open(s, &q, sql, false))
        return E_DB;
    sqlite_staff_iso(now, at);
    sqlite3_bind_text(q.st, 1, token_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q.st, 2, user_id);
    sqlite3_bind_text(q.st, 3, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 4, csrf, -1, SQLITE_STATIC);
    sqlite3_bind_int(q.st, 5, mfa_pending);
    sqlite3_bind_text(q.st, 6, client ? client : "-", -1, SQLITE_STATIC);
    if (sqlite_staff_q_done(s, &q, "session add") != E_OK)
        return E_DB;
    *id = (long)sqlite3_last_insert_rowid(s->db);
    return E_OK;
}

static const char sql_session_get[] =
    "SELECT id, user_id, unixepoch(created_at), unixepoch(last_seen), csrf, mfa_pending"
    " FROM sessions WHERE token_hash = ?1";

enum err sqlite_sessions_get(struct store *base, const char *token_hash, struct staff_session *out)
{
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;
    enum err ret;
    int rc;

    if (!sqlite_staff_q_open(s, &q, sql_session_get, true))
        return E_DB;
    sqlite3_bind_text(q.st, 1, token_hash, -1, SQLITE_STATIC);
    rc = sqlite3_step(q.st);
    if (rc == SQLITE_ROW) {
        out->id = (long)sqlite3_column_int64(q.st, 0);
        out->user_id = (long)sqlite3_column_int64(q.st, 1);
        out->created = (long)sqlite3_column_int64(q.st, 2);
        out->last_seen = (long)sqlite3_column_int64(q.st, 3);
        sqlite_staff_copy(out->csrf, sizeof(out->csrf), sqlite_col(q.st, 4));
        out->mfa_pending = sqlite3_column_int(q.st, 5) != 0;
        ret = E_OK;
    } else {
        ret = rc == SQLITE_DONE ? E_NOTFOUND : sqlite_fail(s, "session get");
    }
    sqlite_staff_q_close(&q);
    return ret;
}

static const char sql_session_touch[] = "UPDATE sessions SET last_seen = ?2 WHERE id = ?1";

enum err sqlite_sessions_touch(struct store *base, long id, long now)
{
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;
    char at[32];

    if (!sqlite_staff_q_open(s, &q, sql_session_touch, true))
        return E_DB;
    sqlite_staff_iso(now, at);
    sqlite3_bind_int64(q.st, 1, id);
    sqlite3_bind_text(q.st, 2, at, -1, SQLITE_STATIC);
    return sqlite_staff_q_done(s, &q, "session touch");
}

enum err sqlite_sessions_delete(struct store *base, long id)
{
    static const char sql[] = "DELETE FROM sessions WHERE id = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;

    if (!sqlite_staff_q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, id);
    return sqlite_staff_q_done(s, &q, "session delete");
}

enum err sqlite_sessions_delete_user(struct store *base, long user_id, long keep)
{
    return sqlite_sessions_end(sqlite_of(base), user_id, keep);
}

enum err sqlite_sessions_delete_pending(struct store *base, long user_id)
{
    static const char sql[] = "DELETE FROM sessions WHERE user_id = ?1 AND mfa_pending = 1";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;

    if (!sqlite_staff_q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, user_id);
    return sqlite_staff_q_done(s, &q, "pending sessions delete");
}
