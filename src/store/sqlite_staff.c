/* sqlite_staff: SQLite implementation of store_staff.h. The statements every staff request
 * runs (session, user, setting look-ups) stay prepared in the connection's cache; the rare ones
 * (sign-in, administration) are prepared per call so the shared cache keeps room for the other
 * modules. Roles are stored by name so the table reads on its own. */
#include "store/sqlite_internal.h"
#include "store/store_staff.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/rand.h"
#include "domain/roles.h"

/* A statement from the cache (hot) or prepared for this call only. */
struct q {
    sqlite3_stmt *st;
    bool owned;
};

static bool q_open(struct sqlite_store *s, struct q *q, const char *sql, bool hot)
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

static void q_close(struct q *q)
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

/* Runs a statement without rows; E_OK, or E_DB (logged). */
static enum err q_done(struct sqlite_store *s, struct q *q, const char *what)
{
    int rc = sqlite3_step(q->st);
    enum err ret = rc == SQLITE_DONE || rc == SQLITE_ROW ? E_OK : sqlite_fail(s, what);
    q_close(q);
    return ret;
}

static void iso(long t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

static unsigned roles_from(const char *list)
{
    unsigned bits = 0;
    char name[32];

    while (list && *list) {
        size_t n = strcspn(list, ",");
        if (n < sizeof(name)) {
            memcpy(name, list, n);
            name[n] = '\0';
            bits |= roles_parse(name);
        }
        list += n + (list[n] == ',');
    }
    return bits;
}

/* Inserts one row per role bit. */
static enum err insert_roles(struct sqlite_store *s, long id, unsigned roles)
{
    static const char sql[] = "INSERT INTO user_roles (user_id, role) VALUES (?1, ?2)";
    struct q q;

    for (size_t i = 0; i < roles_count(); i++) {
        if (!(roles & roles_at(i)))
            continue;
        if (!q_open(s, &q, sql, false))
            return E_DB;
        sqlite3_bind_int64(q.st, 1, id);
        sqlite3_bind_text(q.st, 2, roles_name(roles_at(i)), -1, SQLITE_STATIC);
        if (q_done(s, &q, "role insert") != E_OK)
            return E_DB;
    }
    return E_OK;
}

static enum err user_add(struct store *base, const char *email, const char *name, unsigned roles,
                         long now, char *public_id, long *id)
{
    static const char sql[] = "INSERT INTO users (public_id, email, name, created_at)"
                              " VALUES (?1, ?2, ?3, ?4)";
    struct sqlite_store *s = sqlite_of(base);
    struct q q = {0};
    char at[32];
    int rc;

    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!q_open(s, &q, sql, false))
        goto fail;
    rand_hex(public_id, 16);
    iso(now, at);
    sqlite3_bind_text(q.st, 1, public_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 2, email, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 3, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 4, at, -1, SQLITE_STATIC);
    rc = sqlite3_step(q.st);
    q_close(&q);
    if (rc == SQLITE_CONSTRAINT) {
        sqlite_rollback(s);
        return E_CONFLICT;
    }
    if (rc != SQLITE_DONE) {
        sqlite_fail(s, "user insert");
        goto fail;
    }
    *id = (long)sqlite3_last_insert_rowid(s->db);
    if (insert_roles(s, *id, roles) != E_OK)
        goto fail;
    return sqlite_commit(s);
fail:
    sqlite_rollback(s);
    return E_DB;
}

#define USER_COLUMNS                                                                           \
    "SELECT u.id, u.public_id, u.email, u.name, COALESCE(u.password_hash, ''),"               \
    " COALESCE(u.totp_sealed, u.totp_secret, ''), u.totp_enabled, u.totp_last_step, u.disabled,"             \
    " u.failed_count, COALESCE(unixepoch(u.locked_until), 0),"                                 \
    " (SELECT group_concat(role) FROM user_roles WHERE user_id = u.id) FROM users u"
static const char sql_user_by_id[] = USER_COLUMNS " WHERE u.id = ?1";
static const char sql_user_by_email[] = USER_COLUMNS " WHERE u.email = ?1";
static const char sql_user_by_public[] = USER_COLUMNS " WHERE u.public_id = ?1";

static enum err user_get(struct store *base, enum staff_key kind, long id, const char *key,
                         struct staff_user *u)
{
    struct sqlite_store *s = sqlite_of(base);
    struct q q;
    enum err ret;
    int rc;

    /* By id runs on every staff request: keep it prepared. */
    if (!q_open(s, &q, kind == STAFF_BY_ID ? sql_user_by_id
                       : kind == STAFF_BY_EMAIL ? sql_user_by_email : sql_user_by_public,
                kind == STAFF_BY_ID))
        return E_DB;
    if (kind == STAFF_BY_ID)
        sqlite3_bind_int64(q.st, 1, id);
    else
        sqlite3_bind_text(q.st, 1, key ? key : "", -1, SQLITE_STATIC);
    rc = sqlite3_step(q.st);
    if (rc == SQLITE_ROW) {
        memset(u, 0, sizeof(*u));
        u->id = (long)sqlite3_column_int64(q.st, 0);
        copy(u->public_id, sizeof(u->public_id), sqlite_col(q.st, 1));
        copy(u->email, sizeof(u->email), sqlite_col(q.st, 2));
        copy(u->name, sizeof(u->name), sqlite_col(q.st, 3));
        copy(u->password_hash, sizeof(u->password_hash), sqlite_col(q.st, 4));
        copy(u->totp_secret, sizeof(u->totp_secret), sqlite_col(q.st, 5));
        u->totp_enabled = sqlite3_column_int(q.st, 6) != 0;
        u->totp_last_step = sqlite3_column_int64(q.st, 7);
        u->disabled = sqlite3_column_int(q.st, 8) != 0;
        u->failed_count = sqlite3_column_int(q.st, 9);
        u->locked_until = (long)sqlite3_column_int64(q.st, 10);
        u->roles = roles_from(sqlite_col(q.st, 11));
        ret = E_OK;
    } else {
        ret = rc == SQLITE_DONE ? E_NOTFOUND : sqlite_fail(s, "user get");
    }
    q_close(&q);
    return ret;
}

static enum err user_list(struct store *base, json_t **out)
{
    static const char sql[] =
        "SELECT u.public_id, u.email, u.name, u.totp_enabled, u.disabled,"
        " (SELECT group_concat(role) FROM user_roles WHERE user_id = u.id)"
        " FROM users u ORDER BY u.name COLLATE NOCASE, u.email";
    struct sqlite_store *s = sqlite_of(base);
    json_t *list = json_array();
    struct q q;
    int rc;

    if (!q_open(s, &q, sql, false)) {
        json_decref(list);
        return E_DB;
    }
    while ((rc = sqlite3_step(q.st)) == SQLITE_ROW)
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:I, s:b, s:b}", "public_id", sqlite_col(q.st, 0),
                            "email", sqlite_col(q.st, 1), "name", sqlite_col(q.st, 2), "roles",
                            (json_int_t)roles_from(sqlite_col(q.st, 5)), "totp_enabled",
                            sqlite3_column_int(q.st, 3), "disabled", sqlite3_column_int(q.st, 4)));
    q_close(&q);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return sqlite_fail(s, "user list");
    }
    *out = list;
    return E_OK;
}

static enum err user_set_password(struct store *base, long id, const char *hash)
{
    static const char sql[] = "UPDATE users SET password_hash = ?2, failed_count = 0,"
                              " locked_until = NULL WHERE id = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;

    if (!q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, id);
    sqlite_bind_text_or_null(q.st, 2, hash);
    return q_done(s, &q, "set password");
}

static const char sql_sessions_end[] = "DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2";

static enum err sessions_end(struct sqlite_store *s, long user_id, long keep)
{
    struct q q;

    if (!q_open(s, &q, sql_sessions_end, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, user_id);
    sqlite3_bind_int64(q.st, 2, keep);
    return q_done(s, &q, "end sessions");
}

static enum err user_set_disabled(struct store *base, long id, bool disabled)
{
    static const char sql[] = "UPDATE users SET disabled = ?2 WHERE id = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;

    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!q_open(s, &q, sql, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, id);
    sqlite3_bind_int(q.st, 2, disabled);
    if (q_done(s, &q, "disable") != E_OK || (disabled && sessions_end(s, id, 0) != E_OK))
        goto fail;
    return sqlite_commit(s);
fail:
    sqlite_rollback(s);
    return E_DB;
}

static enum err user_set_roles(struct store *base, long id, unsigned roles, long keep)
{
    static const char sql[] = "DELETE FROM user_roles WHERE user_id = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;

    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!q_open(s, &q, sql, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, id);
    if (q_done(s, &q, "roles delete") != E_OK || insert_roles(s, id, roles) != E_OK ||
        sessions_end(s, id, keep) != E_OK)
        goto fail;
    return sqlite_commit(s);
fail:
    sqlite_rollback(s);
    return E_DB;
}

static enum err throttle_fail(struct store *base, long user_id, const char *ip, long now,
                              int *failures)
{
    static const char sql_user[] = "UPDATE users SET failed_count = failed_count + 1"
                                   " WHERE id = ?1 RETURNING failed_count";
    static const char sql_ip[] =
        "INSERT INTO ip_throttle (ip, failed_count, last_failure) VALUES (?1, 1, ?2)"
        " ON CONFLICT (ip) DO UPDATE SET failed_count = CASE"
        "  WHEN unixepoch(last_failure) < unixepoch(?2) - 86400 THEN 1"
        "  ELSE failed_count + 1 END, last_failure = ?2"
        " RETURNING failed_count";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;
    char at[32];
    enum err ret;

    if (!q_open(s, &q, user_id > 0 ? sql_user : sql_ip, false))
        return E_DB;
    iso(now, at);
    if (user_id > 0) {
        sqlite3_bind_int64(q.st, 1, user_id);
    } else {
        sqlite3_bind_text(q.st, 1, ip, -1, SQLITE_STATIC);
        sqlite3_bind_text(q.st, 2, at, -1, SQLITE_STATIC);
    }
    if (sqlite3_step(q.st) == SQLITE_ROW) {
        *failures = sqlite3_column_int(q.st, 0);
        ret = E_OK;
    } else {
        ret = sqlite_fail(s, "throttle");
    }
    q_close(&q);
    return ret;
}

static enum err throttle_lock(struct store *base, long user_id, const char *ip, long until)
{
    static const char sql_user[] = "UPDATE users SET locked_until = ?2 WHERE id = ?1";
    static const char sql_ip[] = "UPDATE ip_throttle SET locked_until = ?2 WHERE ip = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;
    char at[32];

    if (!q_open(s, &q, user_id > 0 ? sql_user : sql_ip, false))
        return E_DB;
    if (user_id > 0)
        sqlite3_bind_int64(q.st, 1, user_id);
    else
        sqlite3_bind_text(q.st, 1, ip, -1, SQLITE_STATIC);
    iso(until, at);
    sqlite_bind_text_or_null(q.st, 2, until > 0 ? at : NULL);
    return q_done(s, &q, "throttle lock");
}

static enum err throttle_ip_until(struct store *base, const char *ip, long *until)
{
    static const char sql[] =
        "SELECT COALESCE(unixepoch(locked_until), 0) FROM ip_throttle WHERE ip = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;
    int rc;

    if (!q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_text(q.st, 1, ip, -1, SQLITE_STATIC);
    rc = sqlite3_step(q.st);
    *until = rc == SQLITE_ROW ? (long)sqlite3_column_int64(q.st, 0) : 0;
    q_close(&q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? E_OK : sqlite_fail(s, "throttle ip");
}

static enum err throttle_clear(struct store *base, long user_id, const char *ip)
{
    static const char sql_user[] =
        "UPDATE users SET failed_count = 0, locked_until = NULL WHERE id = ?1";
    static const char sql_ip[] = "DELETE FROM ip_throttle WHERE ip = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;

    if (!q_open(s, &q, sql_user, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, user_id);
    if (q_done(s, &q, "throttle clear") != E_OK || !q_open(s, &q, sql_ip, false))
        return E_DB;
    sqlite3_bind_text(q.st, 1, ip ? ip : "", -1, SQLITE_STATIC);
    return q_done(s, &q, "throttle clear ip");
}

static enum err totp_set_secret(struct store *base, long id, const char *sealed)
{
    static const char sql[] = "UPDATE users SET totp_sealed = ?2, totp_secret = NULL"
                              " WHERE id = ?1 AND totp_enabled = 0";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;

    if (!q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, id);
    sqlite3_bind_text(q.st, 2, sealed, -1, SQLITE_STATIC);
    return q_done(s, &q, "totp secret");
}

static enum err totp_plain_next(struct store *base, long after_id, long *id, char hex[41])
{
    static const char sql[] = "SELECT id, totp_secret FROM users"
                              " WHERE id > ?1 AND totp_secret IS NOT NULL ORDER BY id LIMIT 1";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;
    enum err ret;
    int rc;

    if (!q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, after_id);
    rc = sqlite3_step(q.st);
    if (rc == SQLITE_ROW) {
        *id = (long)sqlite3_column_int64(q.st, 0);
        copy(hex, 41, sqlite_col(q.st, 1));
        ret = E_OK;
    } else {
        ret = rc == SQLITE_DONE ? E_NOTFOUND : sqlite_fail(s, "totp plain");
    }
    q_close(&q);
    return ret;
}

static enum err totp_reseal(struct store *base, long id, const char *plain_hex,
                            const char *sealed)
{
    static const char sql[] = "UPDATE users SET totp_sealed = ?3, totp_secret = NULL"
                              " WHERE id = ?1 AND totp_secret = ?2";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;

    if (!q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, id);
    sqlite3_bind_text(q.st, 2, plain_hex, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 3, sealed, -1, SQLITE_STATIC);
    return q_done(s, &q, "totp reseal");
}

static enum err totp_reset(struct store *base, long id)
{
    static const char sql_off[] = "UPDATE users SET totp_enabled = 0, totp_secret = NULL,"
                                  " totp_sealed = NULL WHERE id = ?1";
    static const char sql_codes[] = "DELETE FROM recovery_codes WHERE user_id = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;

    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!q_open(s, &q, sql_off, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, id);
    if (q_done(s, &q, "totp reset") != E_OK || !q_open(s, &q, sql_codes, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, id);
    if (q_done(s, &q, "recovery clear") != E_OK || sessions_end(s, id, 0) != E_OK)
        goto fail;
    return sqlite_commit(s);
fail:
    sqlite_rollback(s);
    return E_DB;
}

static const char sql_recovery_clear[] = "DELETE FROM recovery_codes WHERE user_id = ?1";
static const char sql_recovery_add[] =
    "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)";

/* Deletes the user's codes and inserts n new hashes (inside the caller's transaction). */
static enum err recovery_write(struct sqlite_store *s, long id, const char *const *hashes,
                               size_t n)
{
    struct q q;

    if (!q_open(s, &q, sql_recovery_clear, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, id);
    if (q_done(s, &q, "recovery clear") != E_OK)
        return E_DB;
    for (size_t i = 0; i < n; i++) {
        if (!q_open(s, &q, sql_recovery_add, false))
            return E_DB;
        sqlite3_bind_int64(q.st, 1, id);
        sqlite3_bind_text(q.st, 2, hashes[i], -1, SQLITE_STATIC);
        if (q_done(s, &q, "recovery add") != E_OK)
            return E_DB;
    }
    return E_OK;
}

static enum err recovery_replace(struct store *base, long id, const char *const *hashes,
                                 size_t n)
{
    static const char sql_on[] = "SELECT totp_enabled FROM users WHERE id = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;
    int rc, on;

    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!q_open(s, &q, sql_on, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, id);
    rc = sqlite3_step(q.st);
    on = rc == SQLITE_ROW && sqlite3_column_int(q.st, 0) == 1;
    q_close(&q);
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

static enum err totp_enable(struct store *base, long id, long long step,
                            const char *const *hashes, size_t n)
{
    static const char sql_on[] = "UPDATE users SET totp_enabled = 1, totp_last_step = ?2"
                                 " WHERE id = ?1 AND (totp_sealed IS NOT NULL"
                                 " OR totp_secret IS NOT NULL)";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;

    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!q_open(s, &q, sql_on, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, id);
    sqlite3_bind_int64(q.st, 2, step);
    if (q_done(s, &q, "totp enable") != E_OK || recovery_write(s, id, hashes, n) != E_OK)
        goto fail;
    return sqlite_commit(s);
fail:
    sqlite_rollback(s);
    return E_DB;
}

static enum err totp_use_step(struct store *base, long id, long long step)
{
    static const char sql[] =
        "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;

    if (!q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, id);
    sqlite3_bind_int64(q.st, 2, step);
    if (q_done(s, &q, "totp step") != E_OK)
        return E_DB;
    return sqlite3_changes(s->db) == 1 ? E_OK : E_CONFLICT;
}

static enum err recovery_use(struct store *base, long user_id, const char *hash, long now)
{
    static const char sql[] =
        "UPDATE recovery_codes SET used_at = ?3 WHERE id = (SELECT id FROM recovery_codes"
        " WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL LIMIT 1)";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;
    char at[32];

    if (!q_open(s, &q, sql, false))
        return E_DB;
    iso(now, at);
    sqlite3_bind_int64(q.st, 1, user_id);
    sqlite3_bind_text(q.st, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 3, at, -1, SQLITE_STATIC);
    if (q_done(s, &q, "recovery use") != E_OK)
        return E_DB;
    return sqlite3_changes(s->db) == 1 ? E_OK : E_NOTFOUND;
}

static enum err recovery_left(struct store *base, long user_id, int *n)
{
    static const char sql[] =
        "SELECT count(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;
    enum err ret = E_OK;

    if (!q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, user_id);
    if (sqlite3_step(q.st) == SQLITE_ROW)
        *n = sqlite3_column_int(q.st, 0);
    else
        ret = sqlite_fail(s, "recovery left");
    q_close(&q);
    return ret;
}

static enum err token_add(struct store *base, long user_id, const char *hash, long now,
                          long expires)
{
    static const char sql_void[] =
        "UPDATE password_tokens SET used_at = ?2 WHERE user_id = ?1 AND used_at IS NULL";
    static const char sql_add[] = "INSERT INTO password_tokens (user_id, token_hash, created_at,"
                                  " expires_at) VALUES (?1, ?2, ?3, ?4)";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;
    char at[32], until[32];

    iso(now, at);
    iso(expires, until);
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!q_open(s, &q, sql_void, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, user_id);
    sqlite3_bind_text(q.st, 2, at, -1, SQLITE_STATIC);
    if (q_done(s, &q, "token void") != E_OK || !q_open(s, &q, sql_add, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, user_id);
    sqlite3_bind_text(q.st, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 3, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 4, until, -1, SQLITE_STATIC);
    if (q_done(s, &q, "token add") != E_OK)
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
    struct q q;
    enum err ret;
    int rc;

    if (!q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_text(q.st, 1, hash, -1, SQLITE_STATIC);
    rc = sqlite3_step(q.st);
    if (rc == SQLITE_ROW) {
        *token_id = (long)sqlite3_column_int64(q.st, 0);
        *user_id = (long)sqlite3_column_int64(q.st, 1);
        ret = sqlite3_column_int(q.st, 2) || sqlite3_column_int64(q.st, 3) <= now ? E_CONFLICT
                                                                                   : E_OK;
    } else {
        ret = rc == SQLITE_DONE ? E_NOTFOUND : sqlite_fail(s, "token find");
    }
    q_close(&q);
    return ret;
}

static enum err token_find(struct store *base, const char *hash, long now, long *user_id)
{
    long token_id;
    return token_lookup(sqlite_of(base), hash, now, user_id, &token_id);
}

static enum err token_use(struct store *base, const char *hash, long now, const char *pw_hash,
                          long *user_id)
{
    static const char sql_used[] = "UPDATE password_tokens SET used_at = ?2 WHERE id = ?1";
    static const char sql_pw[] = "UPDATE users SET password_hash = ?2, failed_count = 0,"
                                 " locked_until = NULL WHERE id = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;
    long token_id;
    char at[32];
    enum err ret;

    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if ((ret = token_lookup(s, hash, now, user_id, &token_id)) != E_OK) {
        sqlite_rollback(s);
        return ret;
    }
    iso(now, at);
    if (!q_open(s, &q, sql_used, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, token_id);
    sqlite3_bind_text(q.st, 2, at, -1, SQLITE_STATIC);
    if (q_done(s, &q, "token use") != E_OK || !q_open(s, &q, sql_pw, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, *user_id);
    sqlite3_bind_text(q.st, 2, pw_hash, -1, SQLITE_STATIC);
    if (q_done(s, &q, "token password") != E_OK || sessions_end(s, *user_id, 0) != E_OK)
        goto fail;
    return sqlite_commit(s);
fail:
    sqlite_rollback(s);
    return E_DB;
}

static enum err session_add(struct store *base, long user_id, const char *token_hash,
                            const char *csrf, bool mfa_pending, const char *client, long now,
                            long *id)
{
    static const char sql[] = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen,"
                              " csrf, mfa_pending, client) VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6)";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;
    char at[32];

    if (!q_open(s, &q, sql, false))
        return E_DB;
    iso(now, at);
    sqlite3_bind_text(q.st, 1, token_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q.st, 2, user_id);
    sqlite3_bind_text(q.st, 3, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 4, csrf, -1, SQLITE_STATIC);
    sqlite3_bind_int(q.st, 5, mfa_pending);
    sqlite3_bind_text(q.st, 6, client ? client : "-", -1, SQLITE_STATIC);
    if (q_done(s, &q, "session add") != E_OK)
        return E_DB;
    *id = (long)sqlite3_last_insert_rowid(s->db);
    return E_OK;
}

static const char sql_session_get[] =
    "SELECT id, user_id, unixepoch(created_at), unixepoch(last_seen), csrf, mfa_pending"
    " FROM sessions WHERE token_hash = ?1";

static enum err session_get(struct store *base, const char *token_hash, struct staff_session *out)
{
    struct sqlite_store *s = sqlite_of(base);
    struct q q;
    enum err ret;
    int rc;

    if (!q_open(s, &q, sql_session_get, true))
        return E_DB;
    sqlite3_bind_text(q.st, 1, token_hash, -1, SQLITE_STATIC);
    rc = sqlite3_step(q.st);
    if (rc == SQLITE_ROW) {
        out->id = (long)sqlite3_column_int64(q.st, 0);
        out->user_id = (long)sqlite3_column_int64(q.st, 1);
        out->created = (long)sqlite3_column_int64(q.st, 2);
        out->last_seen = (long)sqlite3_column_int64(q.st, 3);
        copy(out->csrf, sizeof(out->csrf), sqlite_col(q.st, 4));
        out->mfa_pending = sqlite3_column_int(q.st, 5) != 0;
        ret = E_OK;
    } else {
        ret = rc == SQLITE_DONE ? E_NOTFOUND : sqlite_fail(s, "session get");
    }
    q_close(&q);
    return ret;
}

static const char sql_session_touch[] = "UPDATE sessions SET last_seen = ?2 WHERE id = ?1";

static enum err session_touch(struct store *base, long id, long now)
{
    struct sqlite_store *s = sqlite_of(base);
    struct q q;
    char at[32];

    if (!q_open(s, &q, sql_session_touch, true))
        return E_DB;
    iso(now, at);
    sqlite3_bind_int64(q.st, 1, id);
    sqlite3_bind_text(q.st, 2, at, -1, SQLITE_STATIC);
    return q_done(s, &q, "session touch");
}

static enum err session_delete(struct store *base, long id)
{
    static const char sql[] = "DELETE FROM sessions WHERE id = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;

    if (!q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, id);
    return q_done(s, &q, "session delete");
}

static enum err session_delete_user(struct store *base, long user_id, long keep)
{
    return sessions_end(sqlite_of(base), user_id, keep);
}

static const char sql_setting_get[] = "SELECT value FROM settings WHERE key = ?1";

static enum err setting_get(struct store *base, const char *key, char *out, size_t size)
{
    struct sqlite_store *s = sqlite_of(base);
    struct q q;
    enum err ret;
    int rc;

    if (!q_open(s, &q, sql_setting_get, true))
        return E_DB;
    sqlite3_bind_text(q.st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(q.st);
    if (rc == SQLITE_ROW) {
        copy(out, size, sqlite_col(q.st, 0));
        ret = E_OK;
    } else {
        ret = rc == SQLITE_DONE ? E_NOTFOUND : sqlite_fail(s, "setting get");
    }
    q_close(&q);
    return ret;
}

static enum err setting_set(struct store *base, const char *key, const char *value)
{
    static const char sql[] = "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    struct sqlite_store *s = sqlite_of(base);
    struct q q;

    if (!q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_text(q.st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 2, value, -1, SQLITE_STATIC);
    return q_done(s, &q, "setting set");
}

const struct store_staff_ops sqlite_staff_ops = {
    .name = "sqlite",
    .user_add = user_add,
    .user_get = user_get,
    .user_list = user_list,
    .user_set_password = user_set_password,
    .user_set_disabled = user_set_disabled,
    .user_set_roles = user_set_roles,
    .throttle_fail = throttle_fail,
    .throttle_lock = throttle_lock,
    .throttle_ip_until = throttle_ip_until,
    .throttle_clear = throttle_clear,
    .totp_set_secret = totp_set_secret,
    .totp_plain_next = totp_plain_next,
    .totp_reseal = totp_reseal,
    .totp_reset = totp_reset,
    .recovery_replace = recovery_replace,
    .totp_enable = totp_enable,
    .totp_use_step = totp_use_step,
    .recovery_use = recovery_use,
    .recovery_left = recovery_left,
    .token_add = token_add,
    .token_find = token_find,
    .token_use = token_use,
    .session_add = session_add,
    .session_get = session_get,
    .session_touch = session_touch,
    .session_delete = session_delete,
    .session_delete_user = session_delete_user,
    .setting_get = setting_get,
    .setting_set = setting_set,
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
enum err store_throttle_fail(struct store *s, long user_id, const char *ip, long now,
                             int *failures)
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
enum err store_session_add(struct store *s, long user_id, const char *token_hash,
                           const char *csrf, bool mfa_pending, const char *client, long now,
                           long *id)
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
enum err store_setting_get(struct store *s, const char *key, char *out, size_t size)
{
    return STAFF(s)->setting_get(s, key, out, size);
}
enum err store_setting_set(struct store *s, const char *key, const char *value)
{
    return STAFF(s)->setting_set(s, key, value);
}
