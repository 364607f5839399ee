/* sqlite_staff: the SQLite backend's table of staff functions (store_staff.h), the helpers its
 * files share (sqlite_staff_internal.h), workspace settings, and the wrappers callers use. The
 * functions live by purpose in sqlite_users.c, sqlite_sessions.c and sqlite_second_factor.c. */
#include "store/sqlite_staff_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

bool sqlite_staff_q_open(struct sqlite_store *s, struct sqlite_staff_q *q, const char *sql,
                         bool hot)
{
    q->owned = !hot;
    if (hot) {
        q->st = sqlite_stmt(s, sql);
    } else if (sqlite3_prepare_v2(s->db, sql, -1, &q->st, NULL) != SQLITE_OK) {
        sqlite_fail(s, "prepare");
        q->st = NULL;
    }
    return q->st != NULL;
}

void sqlite_staff_q_close(struct sqlite_staff_q *q)
{
    if (!q->st)
        return;
    if (q->owned) {
        sqlite3_finalize(q->st);
    } else {
        sqlite3_reset(q->st);
        sqlite3_clear_bindings(q->st);
    }
    q->st = NULL;
}

enum err sqlite_staff_q_done(struct sqlite_store *s, struct sqlite_staff_q *q, const char *what)
{
    int rc = sqlite3_step(q->st);
    enum err ret = rc == SQLITE_DONE || rc == SQLITE_ROW ? E_OK : sqlite_fail(s, what);
    sqlite_staff_q_close(q);
    return ret;
}

void sqlite_staff_iso(long t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void sqlite_staff_copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

static const char sql_setting_get[] = "SELECT value FROM settings WHERE key = ?1";

static enum err sqlite_staff_setting_get(struct store *base, const char *key, char *out,
                                         size_t size)
{
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;
    enum err ret;
    int rc;

    if (!sqlite_staff_q_open(s, &q, sql_setting_get, true))
        return E_DB;
    sqlite3_bind_text(q.st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(q.st);
    if (rc == SQLITE_ROW) {
        sqlite_staff_copy(out, size, sqlite_col(q.st, 0));
        ret = E_OK;
    } else {
        ret = rc == SQLITE_DONE ? E_NOTFOUND : sqlite_fail(s, "setting get");
    }
    sqlite_staff_q_close(&q);
    return ret;
}

static enum err sqlite_staff_setting_set(struct store *base, const char *key, const char *value)
{
    static const char sql[] = "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;

    if (!sqlite_staff_q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_text(q.st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 2, value, -1, SQLITE_STATIC);
    return sqlite_staff_q_done(s, &q, "setting set");
}

const struct store_staff_ops sqlite_staff_ops = {
    .name = "sqlite",
    .user_add = sqlite_users_add,
    .user_get = sqlite_users_get,
    .user_list = sqlite_users_list,
    .user_set_password = sqlite_users_set_password,
    .user_set_disabled = sqlite_users_set_disabled,
    .user_set_roles = sqlite_users_set_roles,
    .throttle_fail = sqlite_users_throttle_fail,
    .throttle_lock = sqlite_users_throttle_lock,
    .throttle_ip_until = sqlite_users_throttle_ip_until,
    .throttle_clear = sqlite_users_throttle_clear,
    .totp_set_secret = sqlite_second_factor_totp_set_secret,
    .totp_plain_next = sqlite_second_factor_totp_plain_next,
    .totp_reseal = sqlite_second_factor_totp_reseal,
    .totp_reset = sqlite_second_factor_totp_reset,
    .recovery_replace = sqlite_second_factor_recovery_replace,
    .totp_enable = sqlite_second_factor_totp_enable,
    .totp_use_step = sqlite_second_factor_totp_use_step,
    .recovery_use = sqlite_second_factor_recovery_use,
    .recovery_left = sqlite_second_factor_recovery_left,
    .token_add = sqlite_sessions_token_add,
    .token_find = sqlite_sessions_token_find,
    .token_use = sqlite_sessions_token_use,
    .session_add = sqlite_sessions_add,
    .session_get = sqlite_sessions_get,
    .session_touch = sqlite_sessions_touch,
    .session_delete = sqlite_sessions_delete,
    .session_delete_user = sqlite_sessions_delete_user,
    .session_delete_pending = sqlite_sessions_delete_pending,
    .setting_get = sqlite_staff_setting_get,
    .setting_set = sqlite_staff_setting_set,
};

/* The wrappers callers use (store_staff.h): dispatch through the backend's table. */
#define STAFF(s) ((s)->ops->staff)

enum err store_user_add(struct store *s, const char *email, const char *name, unsigned roles,
                        long now, char *public_id, long *id)
{
    return STAFF(s)->user_add(s, email, name, roles, now, public_id, id);
}
enum err store_user_get(struct store *s, enum staff_key kind, long id, const char *key,
                        struct staff_user *out)
{
    return STAFF(s)->user_get(s, kind, id, key, out);
}
enum err store_user_list(struct store *s, json_t **out)
{
    return STAFF(s)->user_list(s, out);
}
enum err store_user_set_password(struct store *s, long id, const char *hash)
{
    return STAFF(s)->user_set_password(s, id, hash);
}
enum err store_user_set_disabled(struct store *s, long id, bool disabled)
{
    return STAFF(s)->user_set_disabled(s, id, disabled);
}
enum err store_user_set_roles(struct store *s, long id, unsigned roles, long keep_session)
{
    return STAFF(s)->user_set_roles(s, id, roles, keep_session);
}
enum err store_throttle_fail(struct store *s, long user_id, const char *ip, long now, int *failures)
{
    return STAFF(s)->throttle_fail(s, user_id, ip, now, failures);
}
enum err store_throttle_lock(struct store *s, long user_id, const char *ip, long until)
{
    return STAFF(s)->throttle_lock(s, user_id, ip, until);
}
enum err store_throttle_ip_until(struct store *s, const char *ip, long *until)
{
    return STAFF(s)->throttle_ip_until(s, ip, until);
}
enum err store_throttle_clear(struct store *s, long user_id, const char *ip)
{
    return STAFF(s)->throttle_clear(s, user_id, ip);
}
enum err store_totp_set_secret(struct store *s, long id, const char *sealed)
{
    return STAFF(s)->totp_set_secret(s, id, sealed);
}
enum err store_totp_plain_next(struct store *s, long after_id, long *id, char hex[41])
{
    return STAFF(s)->totp_plain_next(s, after_id, id, hex);
}
enum err store_totp_reseal(struct store *s, long id, const char *plain_hex, const char *sealed)
{
    return STAFF(s)->totp_reseal(s, id, plain_hex, sealed);
}
enum err store_totp_reset(struct store *s, long id)
{
    return STAFF(s)->totp_reset(s, id);
}
enum err store_recovery_replace(struct store *s, long id, const char *const *hashes, size_t n)
{
    return STAFF(s)->recovery_replace(s, id, hashes, n);
}
enum err store_totp_enable(struct store *s, long id, long long step, const char *const *hashes,
                           size_t n)
{
    return STAFF(s)->totp_enable(s, id, step, hashes, n);
}
enum err store_totp_use_step(struct store *s, long id, long long step)
{
    return STAFF(s)->totp_use_step(s, id, step);
}
enum err store_recovery_use(struct store *s, long user_id, const char *hash, long now)
{
    return STAFF(s)->recovery_use(s, user_id, hash, now);
}
enum err store_recovery_left(struct store *s, long user_id, int *n)
{
    return STAFF(s)->recovery_left(s, user_id, n);
}
enum err store_token_add(struct store *s, long user_id, const char *hash, long now, long expires)
{
    return STAFF(s)->token_add(s, user_id, hash, now, expires);
}
enum err store_token_find(struct store *s, const char *hash, long now, long *user_id)
{
    return STAFF(s)->token_find(s, hash, now, user_id);
}
enum err store_token_use(struct store *s, const char *hash, long now, const char *pw_hash,
                         long *user_id)
{
    return STAFF(s)->token_use(s, hash, now, pw_hash, user_id);
}
enum err store_session_add(struct store *s, long user_id, const char *token_hash, const char *csrf,
                           bool mfa_pending, const char *client, long now, long *id)
{
    return STAFF(s)->session_add(s, user_id, token_hash, csrf, mfa_pending, client, now, id);
}
enum err store_session_get(struct store *s, const char *token_hash, struct staff_session *out)
{
    return STAFF(s)->session_get(s, token_hash, out);
}
enum err store_session_touch(struct store *s, long id, long now)
{
    return STAFF(s)->session_touch(s, id, now);
}
enum err store_session_delete(struct store *s, long id)
{
    return STAFF(s)->session_delete(s, id);
}
enum err store_session_delete_user(struct store *s, long user_id, long keep)
{
    return STAFF(s)->session_delete_user(s, user_id, keep);
}
enum err store_session_delete_pending(struct store *s, long user_id)
{
    return STAFF(s)->session_delete_pending(s, user_id);
}
enum err store_setting_get(struct store *s, const char *key, char *out, size_t size)
{
    return STAFF(s)->setting_get(s, key, out, size);
}
enum err store_setting_set(struct store *s, const char *key, const char *value)
{
    return STAFF(s)->setting_set(s, key, value);
}
