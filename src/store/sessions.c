/* sessions: the sessions and set-password tokens of
 * store/staff.h. Tokens arrive hashed (SHA-256 hex); the session look-up and touch run on every
 * staff request and stay prepared. */
#include "store/staff_internal.h"

#include <string.h>

static const char sql_sessions_end[] = "DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2";

enum err sessions_end(struct store *s, long user_id, long keep)
{
    struct db_stmt *q = NULL;

    if (!(q = db_prepare_once(s->db, sql_sessions_end)))
        return E_DB;
    db_bind_int64(q, 1, user_id);
    db_bind_int64(q, 2, keep);
    return db_run(q, "end sessions");
}

enum err store_token_add(struct store *s, long user_id, const char *hash, long now,
                                   long expires)
{
    static const char sql_void[] =
        "UPDATE password_tokens SET used_at = ?2 WHERE user_id = ?1 AND used_at IS NULL";
    static const char sql_add[] = "INSERT INTO password_tokens (user_id, token_hash, created_at,"
                                  " expires_at) VALUES (?1, ?2, ?3, ?4)";
    struct db_stmt *q = NULL;
    char at[STAMP_LEN], until[STAMP_LEN];

    stamp_iso(now, at);
    stamp_iso(expires, until);
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(q = db_prepare_once(s->db, sql_void)))
        goto fail;
    db_bind_int64(q, 1, user_id);
    db_bind_text(q, 2, at);
    if (db_run(q, "token void") != E_OK ||
        !(q = db_prepare_once(s->db, sql_add)))
        goto fail;
    db_bind_int64(q, 1, user_id);
    db_bind_text(q, 2, hash);
    db_bind_text(q, 3, at);
    db_bind_text(q, 4, until);
    if (db_run(q, "token add") != E_OK)
        goto fail;
    return db_commit(s->db);
fail:
    db_rollback(s->db);
    return E_DB;
}

static enum err token_lookup(struct store *s, const char *hash, long now, long *user_id,
                             long *token_id)
{
    static const char sql[] = "SELECT id, user_id, used_at IS NOT NULL, expires_at"
                              " FROM password_tokens WHERE token_hash = ?1";
    struct db_stmt *q = NULL;
    enum err ret;
    int rc;

    if (!(q = db_prepare_once(s->db, sql)))
        return E_DB;
    db_bind_text(q, 1, hash);
    rc = db_step(q);
    if (rc == DB_ROW) {
        *token_id = (long)db_col_int64(q, 0);
        *user_id = (long)db_col_int64(q, 1);
        ret =
            db_col_int(q, 2) || stamp_parse(db_col_text(q, 3)) <= now ? E_CONFLICT : E_OK;
    } else {
        ret = rc == DB_DONE ? E_NOTFOUND : db_fail(s->db, "token find");
    }
    db_finish(q);
    return ret;
}

enum err store_token_find(struct store *s, const char *hash, long now, long *user_id)
{
    long token_id;
    return token_lookup(s, hash, now, user_id, &token_id);
}

enum err store_token_use(struct store *s, const char *hash, long now, const char *pw_hash,
                         long *user_id, const struct audit_entry *audit)
{
    static const char sql_used[] = "UPDATE password_tokens SET used_at = ?2 WHERE id = ?1";
    static const char sql_pw[] = "UPDATE users SET password_hash = ?2, failed_count = 0,"
                                 " locked_until = NULL WHERE id = ?1";
    struct db_stmt *q = NULL;
    long token_id;
    char at[STAMP_LEN];
    enum err ret;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if ((ret = token_lookup(s, hash, now, user_id, &token_id)) != E_OK) {
        db_rollback(s->db);
        return ret;
    }
    stamp_iso(now, at);
    if (!(q = db_prepare_once(s->db, sql_used)))
        goto fail;
    db_bind_int64(q, 1, token_id);
    db_bind_text(q, 2, at);
    if (db_run(q, "token use") != E_OK ||
        !(q = db_prepare_once(s->db, sql_pw)))
        goto fail;
    db_bind_int64(q, 1, *user_id);
    db_bind_text(q, 2, pw_hash);
    if (db_run(q, "token password") != E_OK || sessions_end(s, *user_id, 0) != E_OK ||
        staff_audit(s, audit) != E_OK)
        goto fail;
    return db_commit(s->db);
fail:
    db_rollback(s->db);
    return E_DB;
}

enum err store_session_add(struct store *s, long user_id, const char *token_hash,
                             const char *csrf, bool mfa_pending, const char *client, long now,
                             long *id)
{
    static const char sql[] = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen,"
                              " csrf, mfa_pending, client) VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6)"
                              " RETURNING id";
    struct db_stmt *q = NULL;
    char at[STAMP_LEN];
    enum err ret;

    if (!(q = db_prepare_once(s->db, sql)))
        return E_DB;
    stamp_iso(now, at);
    db_bind_text(q, 1, token_hash);
    db_bind_int64(q, 2, user_id);
    db_bind_text(q, 3, at);
    db_bind_text(q, 4, csrf);
    db_bind_int64(q, 5, mfa_pending);
    db_bind_text(q, 6, client ? client : "-");
    if (db_step(q) == DB_ROW) {
        *id = (long)db_col_int64(q, 0);
        ret = E_OK;
    } else {
        ret = db_fail(s->db, "session add");
    }
    db_finish(q);
    return ret;
}

static const char sql_session_get[] =
    "SELECT id, user_id, created_at, last_seen, csrf, mfa_pending"
    " FROM sessions WHERE token_hash = ?1";

enum err store_session_get(struct store *s, const char *token_hash, struct staff_session *out)
{
    struct db_stmt *q = NULL;
    enum err ret;
    int rc;

    if (!(q = db_prepare(s->db, sql_session_get)))
        return E_DB;
    db_bind_text(q, 1, token_hash);
    rc = db_step(q);
    if (rc == DB_ROW) {
        out->id = (long)db_col_int64(q, 0);
        out->user_id = (long)db_col_int64(q, 1);
        out->created = stamp_parse(db_col_text(q, 2));
        out->last_seen = stamp_parse(db_col_text(q, 3));
        store_copy(out->csrf, sizeof(out->csrf), db_col_text(q, 4));
        out->mfa_pending = db_col_int(q, 5) != 0;
        ret = E_OK;
    } else {
        ret = rc == DB_DONE ? E_NOTFOUND : db_fail(s->db, "session get");
    }
    db_finish(q);
    return ret;
}

static const char sql_session_touch[] = "UPDATE sessions SET last_seen = ?2 WHERE id = ?1";

enum err store_session_touch(struct store *s, long id, long now)
{
    struct db_stmt *q = NULL;
    char at[STAMP_LEN];

    if (!(q = db_prepare(s->db, sql_session_touch)))
        return E_DB;
    stamp_iso(now, at);
    db_bind_int64(q, 1, id);
    db_bind_text(q, 2, at);
    return db_run(q, "session touch");
}

enum err store_session_delete(struct store *s, long id)
{
    static const char sql[] = "DELETE FROM sessions WHERE id = ?1";
    struct db_stmt *q = NULL;

    if (!(q = db_prepare_once(s->db, sql)))
        return E_DB;
    db_bind_int64(q, 1, id);
    return db_run(q, "session delete");
}

enum err store_session_delete_user(struct store *s, long user_id, long keep)
{
    return sessions_end(s, user_id, keep);
}

enum err store_session_delete_pending(struct store *s, long user_id)
{
    static const char sql[] = "DELETE FROM sessions WHERE user_id = ?1 AND mfa_pending = 1";
    struct db_stmt *q = NULL;

    if (!(q = db_prepare_once(s->db, sql)))
        return E_DB;
    db_bind_int64(q, 1, user_id);
    return db_run(q, "pending sessions delete");
}
