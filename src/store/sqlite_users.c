/* sqlite_users: SQLite implementation of the staff accounts part of store_staff.h: users and
 * their roles (stored by name so the table reads on its own) and sign-in throttling per account
 * and per client address. */
#include "store/sqlite_staff_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/rand.h"
#include "core/str.h"
#include "domain/audit_chain.h"
#include "domain/roles.h"

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
    struct sqlite_staff_q q;

    for (size_t i = 0; i < roles_count(); i++) {
        if (!(roles & roles_at(i)))
            continue;
        if (!sqlite_staff_q_open(s, &q, sql, false))
            return E_DB;
        sqlite3_bind_int64(q.st, 1, id);
        sqlite3_bind_text(q.st, 2, roles_name(roles_at(i)), -1, SQLITE_STATIC);
        if (sqlite_staff_q_done(s, &q, "role insert") != E_OK)
            return E_DB;
    }
    return E_OK;
}

enum err sqlite_users_add(struct store *base, const char *email, const char *name, unsigned roles,
                          long now, char *public_id, long *id, const struct audit_entry *audit)
{
    static const char sql[] = "INSERT INTO users (public_id, email, name, created_at)"
                              " VALUES (?1, ?2, ?3, ?4)";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q = {0};
    char at[32];
    int rc;

    /* Never store what would break every page that shows the account. */
    if (staff_email_problem(email) || staff_name_problem(name))
        return E_INVALID;
    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!sqlite_staff_q_open(s, &q, sql, false))
        goto fail;
    rand_hex(public_id, 16);
    sqlite_staff_iso(now, at);
    sqlite3_bind_text(q.st, 1, public_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 2, email, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 3, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 4, at, -1, SQLITE_STATIC);
    rc = sqlite3_step(q.st);
    sqlite_staff_q_close(&q);
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
    if (audit) {
        struct audit_entry e = *audit;
        e.record_id = public_id;
        if (sqlite_staff_audit(s, &e) != E_OK)
            goto fail;
    }
    return sqlite_commit(s);
fail:
    sqlite_rollback(s);
    return E_DB;
}

#define USER_COLUMNS                                                                               \
    "SELECT u.id, u.public_id, u.email, u.name, COALESCE(u.password_hash, ''),"                    \
    " COALESCE(u.totp_sealed, u.totp_secret, ''), u.totp_enabled, u.totp_last_step, u.disabled,"   \
    " u.failed_count, COALESCE(unixepoch(u.locked_until), 0),"                                     \
    " (SELECT group_concat(role) FROM user_roles WHERE user_id = u.id) FROM users u"
static const char sql_user_by_id[] = USER_COLUMNS " WHERE u.id = ?1";
static const char sql_user_by_email[] = USER_COLUMNS " WHERE u.email = ?1";
static const char sql_user_by_public[] = USER_COLUMNS " WHERE u.public_id = ?1";

enum err sqlite_users_get(struct store *base, enum staff_key kind, long id, const char *key,
                          struct staff_user *u)
{
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;
    enum err ret;
    int rc;

    /* By id runs on every staff request: keep it prepared. */
    if (!sqlite_staff_q_open(s, &q,
                             kind == STAFF_BY_ID      ? sql_user_by_id
                             : kind == STAFF_BY_EMAIL ? sql_user_by_email
                                                      : sql_user_by_public,
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
        sqlite_staff_copy(u->public_id, sizeof(u->public_id), sqlite_col(q.st, 1));
        sqlite_staff_copy(u->email, sizeof(u->email), sqlite_col(q.st, 2));
        sqlite_staff_copy(u->name, sizeof(u->name), sqlite_col(q.st, 3));
        sqlite_staff_copy(u->password_hash, sizeof(u->password_hash), sqlite_col(q.st, 4));
        sqlite_staff_copy(u->totp_secret, sizeof(u->totp_secret), sqlite_col(q.st, 5));
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
    sqlite_staff_q_close(&q);
    return ret;
}

/* Stored text, or a mark in its place when it is not UTF-8 (an account written before the store
 * checked it): the account stays in the list, where an administrator can disable it. */
static const char *text_or_mark(const char *t)
{
    if (str_utf8_valid(t, strlen(t)))
        return t;
    log_error("user list: an account holds text that is not UTF-8");
    return "(unreadable: not UTF-8)";
}

enum err sqlite_users_list(struct store *base, json_t **out, const struct audit_entry *each)
{
    static const char sql[] = "SELECT u.public_id, u.email, u.name, u.totp_enabled, u.disabled,"
                              " (SELECT group_concat(role) FROM user_roles WHERE user_id = u.id)"
                              " FROM users u ORDER BY u.name COLLATE NOCASE, u.email";
    struct sqlite_store *s = sqlite_of(base);
    json_t *list = json_array();
    struct sqlite_staff_q q;
    bool bad_text = false;
    json_t *u;
    size_t i;
    int rc;

    /* The read and its audit entries in one transaction: the entries name exactly the accounts
     * shown. */
    if (each && sqlite_begin(s) != E_OK) {
        json_decref(list);
        return E_DB;
    }
    if (!sqlite_staff_q_open(s, &q, sql, false))
        goto fail;
    while ((rc = sqlite3_step(q.st)) == SQLITE_ROW) {
        json_t *row =
            json_pack("{s:s, s:s, s:s, s:I, s:b, s:b}", "public_id", sqlite_col(q.st, 0),
                      "email", text_or_mark(sqlite_col(q.st, 1)), "name",
                      text_or_mark(sqlite_col(q.st, 2)), "roles",
                      (json_int_t)roles_from(sqlite_col(q.st, 5)), "totp_enabled",
                      sqlite3_column_int(q.st, 3), "disabled", sqlite3_column_int(q.st, 4));
        if (!row) {
            bad_text = true;
            break;
        }
        json_array_append_new(list, row);
    }
    sqlite_staff_q_close(&q);
    if (bad_text)
        goto fail;
    if (rc != SQLITE_DONE) {
        sqlite_fail(s, "user list");
        goto fail;
    }
    if (each) {
        json_array_foreach(list, i, u) {
            struct audit_entry e = *each;
            e.record_id = json_string_value(json_object_get(u, "public_id"));
            if (sqlite_staff_audit(s, &e) != E_OK)
                goto fail;
        }
        if (sqlite_commit(s) != E_OK)
            goto fail;
    }
    *out = list;
    return E_OK;
fail:
    if (each)
        sqlite_rollback(s);
    json_decref(list);
    return E_DB;
}

enum err sqlite_users_set_password(struct store *base, long id, const char *hash)
{
    static const char sql[] = "UPDATE users SET password_hash = ?2, failed_count = 0,"
                              " locked_until = NULL WHERE id = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;

    if (!sqlite_staff_q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, id);
    sqlite_bind_text_or_null(q.st, 2, hash);
    return sqlite_staff_q_done(s, &q, "set password");
}

enum err sqlite_users_set_disabled(struct store *base, long id, bool disabled,
                                   const struct audit_entry *audit)
{
    static const char sql[] = "UPDATE users SET disabled = ?2 WHERE id = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;

    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!sqlite_staff_q_open(s, &q, sql, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, id);
    sqlite3_bind_int(q.st, 2, disabled);
    if (sqlite_staff_q_done(s, &q, "disable") != E_OK ||
        (disabled && sqlite_sessions_end(s, id, 0) != E_OK) || sqlite_staff_audit(s, audit) != E_OK)
        goto fail;
    return sqlite_commit(s);
fail:
    sqlite_rollback(s);
    return E_DB;
}

enum err sqlite_users_set_roles(struct store *base, long id, unsigned roles, long keep,
                                const struct audit_entry *audit)
{
    static const char sql[] = "DELETE FROM user_roles WHERE user_id = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;

    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!sqlite_staff_q_open(s, &q, sql, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, id);
    if (sqlite_staff_q_done(s, &q, "roles delete") != E_OK || insert_roles(s, id, roles) != E_OK ||
        sqlite_sessions_end(s, id, keep) != E_OK || sqlite_staff_audit(s, audit) != E_OK)
        goto fail;
    return sqlite_commit(s);
fail:
    sqlite_rollback(s);
    return E_DB;
}

enum err sqlite_users_reset(struct store *base, long id, const struct audit_entry *audit)
{
    static const char sql[] = "UPDATE users SET password_hash = NULL, failed_count = 0,"
                              " locked_until = NULL WHERE id = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;

    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!sqlite_staff_q_open(s, &q, sql, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, id);
    if (sqlite_staff_q_done(s, &q, "reset") != E_OK || sqlite_sessions_end(s, id, 0) != E_OK ||
        sqlite_staff_audit(s, audit) != E_OK)
        goto fail;
    return sqlite_commit(s);
fail:
    sqlite_rollback(s);
    return E_DB;
}

/* Turns the second factor off: secret and recovery codes gone, sessions ended, and the audit
 * entry (may be NULL) in the same transaction. */
enum err sqlite_users_totp_off(struct store *base, long id, const struct audit_entry *audit)
{
    static const char sql_off[] = "UPDATE users SET totp_enabled = 0, totp_secret = NULL,"
                                  " totp_sealed = NULL WHERE id = ?1";
    static const char sql_codes[] = "DELETE FROM recovery_codes WHERE user_id = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;

    if (sqlite_begin(s) != E_OK)
        return E_DB;
    if (!sqlite_staff_q_open(s, &q, sql_off, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, id);
    if (sqlite_staff_q_done(s, &q, "totp reset") != E_OK ||
        !sqlite_staff_q_open(s, &q, sql_codes, false))
        goto fail;
    sqlite3_bind_int64(q.st, 1, id);
    if (sqlite_staff_q_done(s, &q, "recovery clear") != E_OK ||
        sqlite_sessions_end(s, id, 0) != E_OK || sqlite_staff_audit(s, audit) != E_OK)
        goto fail;
    return sqlite_commit(s);
fail:
    sqlite_rollback(s);
    return E_DB;
}

enum err sqlite_users_throttle_fail(struct store *base, long user_id, const char *ip, long now,
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
    struct sqlite_staff_q q;
    char at[32];
    enum err ret;

    if (!sqlite_staff_q_open(s, &q, user_id > 0 ? sql_user : sql_ip, false))
        return E_DB;
    sqlite_staff_iso(now, at);
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
    sqlite_staff_q_close(&q);
    return ret;
}

enum err sqlite_users_throttle_lock(struct store *base, long user_id, const char *ip, long until)
{
    static const char sql_user[] = "UPDATE users SET locked_until = ?2 WHERE id = ?1";
    static const char sql_ip[] = "UPDATE ip_throttle SET locked_until = ?2 WHERE ip = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;
    char at[32];

    if (!sqlite_staff_q_open(s, &q, user_id > 0 ? sql_user : sql_ip, false))
        return E_DB;
    if (user_id > 0)
        sqlite3_bind_int64(q.st, 1, user_id);
    else
        sqlite3_bind_text(q.st, 1, ip, -1, SQLITE_STATIC);
    sqlite_staff_iso(until, at);
    sqlite_bind_text_or_null(q.st, 2, until > 0 ? at : NULL);
    return sqlite_staff_q_done(s, &q, "throttle lock");
}

enum err sqlite_users_throttle_ip_until(struct store *base, const char *ip, long *until)
{
    static const char sql[] =
        "SELECT COALESCE(unixepoch(locked_until), 0) FROM ip_throttle WHERE ip = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;
    int rc;

    if (!sqlite_staff_q_open(s, &q, sql, false))
        return E_DB;
    sqlite3_bind_text(q.st, 1, ip, -1, SQLITE_STATIC);
    rc = sqlite3_step(q.st);
    *until = rc == SQLITE_ROW ? (long)sqlite3_column_int64(q.st, 0) : 0;
    sqlite_staff_q_close(&q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? E_OK : sqlite_fail(s, "throttle ip");
}

enum err sqlite_users_throttle_clear(struct store *base, long user_id, const char *ip)
{
    static const char sql_user[] =
        "UPDATE users SET failed_count = 0, locked_until = NULL WHERE id = ?1";
    static const char sql_ip[] = "DELETE FROM ip_throttle WHERE ip = ?1";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;

    if (!sqlite_staff_q_open(s, &q, sql_user, false))
        return E_DB;
    sqlite3_bind_int64(q.st, 1, user_id);
    if (sqlite_staff_q_done(s, &q, "throttle clear") != E_OK ||
        !sqlite_staff_q_open(s, &q, sql_ip, false))
        return E_DB;
    sqlite3_bind_text(q.st, 1, ip ? ip : "", -1, SQLITE_STATIC);
    return sqlite_staff_q_done(s, &q, "throttle clear ip");
}
