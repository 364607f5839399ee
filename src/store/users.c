/* users: the staff accounts part of store/staff.h: users and their roles (stored by name so the
 * table reads on its own, one row per role) and sign-in throttling per account and per client
 * address. */
#include "store/staff_internal.h"

#include <stdio.h>
#include <string.h>

#include "domain/contact.h"
#include "core/log.h"
#include "core/rand.h"
#include "core/str.h"
#include "core/utf8.h"
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
static enum err insert_roles(struct store *s, long id, unsigned roles)
{
    static const char sql[] = "INSERT INTO user_roles (user_id, role) VALUES (?1, ?2)";
    struct db_stmt *q = NULL;

    for (size_t i = 0; i < roles_count(); i++) {
        if (!(roles & roles_at(i)))
            continue;
        if (!(q = db_prepare_once(s->db, sql)))
            return E_DB;
        db_bind_int64(q, 1, id);
        db_bind_text(q, 2, roles_name(roles_at(i)));
        if (db_run(q, "role insert") != E_OK)
            return E_DB;
    }
    return E_OK;
}

static enum err users_add(struct store *s, const char *email, const char *name, unsigned roles,
                          long now, char *public_id, long *id, const struct audit_entry *audit)
{
    static const char sql[] = "INSERT INTO users (public_id, email, name, created_at)"
                              " VALUES (?1, ?2, ?3, ?4) RETURNING id";
    struct db_stmt *q = NULL;
    char at[STAMP_LEN];
    int rc;

    /* Never store what would break every page that shows the account. */
    if (contact_email_problem(email) || contact_name_problem(name))
        return E_INVALID;
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(q = db_prepare_once(s->db, sql)))
        goto fail;
    rand_hex(public_id, 16);
    stamp_iso(now, at);
    db_bind_text(q, 1, public_id);
    db_bind_text(q, 2, email);
    db_bind_text(q, 3, name);
    db_bind_text(q, 4, at);
    rc = db_step(q);
    if (rc == DB_ROW)
        *id = (long)db_col_int64(q, 0);
    db_finish(q);
    if (rc == DB_CONSTRAINT) {
        db_rollback(s->db);
        return E_CONFLICT;
    }
    if (rc != DB_ROW) {
        db_fail(s->db, "user insert");
        goto fail;
    }
    if (insert_roles(s, *id, roles) != E_OK)
        goto fail;
    if (audit) {
        struct audit_entry e = *audit;
        e.record_id = public_id;
        if (staff_audit(s, &e) != E_OK)
            goto fail;
    }
    return db_commit(s->db);
fail:
    db_rollback(s->db);
    return E_DB;
}

enum err store_user_add(struct store *s, const char *email, const char *name, unsigned roles,
                        long now, char *public_id, long *id)
{
    return users_add(s, email, name, roles, now, public_id, id, NULL);
}

enum err store_user_add_audited(struct store *s, const char *email, const char *name,
                                unsigned roles, long now, char *public_id, long *id,
                                const struct audit_entry *audit)
{
    return users_add(s, email, name, roles, now, public_id, id, audit);
}

/* One row per role (and one with a NULL role when there is none): the roles are gathered in C,
 * as string aggregation is spelt differently by every engine. */
#define USER_COLUMNS                                                                               \
    "SELECT u.id, u.public_id, u.email, u.name, COALESCE(u.password_hash, ''),"                    \
    " COALESCE(u.totp_sealed, u.totp_secret, ''), u.totp_enabled, u.totp_last_step, u.disabled,"   \
    " u.failed_count, u.locked_until, r.role"                                                    \
    " FROM users u LEFT JOIN user_roles r ON r.user_id = u.id"
static const char sql_user_by_id[] = USER_COLUMNS " WHERE u.id = ?1";
static const char sql_user_by_email[] = USER_COLUMNS " WHERE u.email = ?1";
static const char sql_user_by_public[] = USER_COLUMNS " WHERE u.public_id = ?1";

enum err store_user_get(struct store *s, enum staff_key kind, long id, const char *key,
                          struct staff_user *u)
{
    const char *sql = kind == STAFF_BY_ID      ? sql_user_by_id
                      : kind == STAFF_BY_EMAIL ? sql_user_by_email
                                               : sql_user_by_public;
    struct db_stmt *q;
    enum err ret;
    int rc;

    /* By id runs on every staff request: keep it prepared. */
    if (!(q = kind == STAFF_BY_ID ? db_prepare(s->db, sql) : db_prepare_once(s->db, sql)))
        return E_DB;
    if (kind == STAFF_BY_ID)
        db_bind_int64(q, 1, id);
    else
        db_bind_text(q, 1, key ? key : "");
    rc = db_step(q);
    if (rc == DB_ROW) {
        memset(u, 0, sizeof(*u));
        u->id = (long)db_col_int64(q, 0);
        store_copy(u->public_id, sizeof(u->public_id), db_col_text(q, 1));
        store_copy(u->email, sizeof(u->email), db_col_text(q, 2));
        store_copy(u->name, sizeof(u->name), db_col_text(q, 3));
        store_copy(u->password_hash, sizeof(u->password_hash), db_col_text(q, 4));
        store_copy(u->totp_secret, sizeof(u->totp_secret), db_col_text(q, 5));
        u->totp_enabled = db_col_int(q, 6) != 0;
        u->totp_last_step = db_col_int64(q, 7);
        u->disabled = db_col_int(q, 8) != 0;
        u->failed_count = db_col_int(q, 9);
        u->locked_until = stamp_parse(db_col_text(q, 10));
        u->roles = roles_from(db_col_text(q, 11));
        while ((rc = db_step(q)) == DB_ROW)
            u->roles |= roles_from(db_col_text(q, 11));
        ret = rc == DB_DONE ? E_OK : db_fail(s->db, "user roles");
    } else {
        ret = rc == DB_DONE ? E_NOTFOUND : db_fail(s->db, "user get");
    }
    db_finish(q);
    return ret;
}

/* Stored text, or a mark in its place when it is not UTF-8 (an account written before the store
 * checked it): the account stays in the list, where an administrator can disable it. */
static const char *text_or_mark(const char *t)
{
    if (utf8_valid(t, strlen(t)))
        return t;
    log_error("user list: an account holds text that is not UTF-8");
    return "(unreadable: not UTF-8)";
}

/* Ordered by name ignoring (ASCII) case, as COLLATE NOCASE did; one row per role. */
static enum err users_list(struct store *s, json_t **out, const struct audit_entry *each)
{
    static const char sql[] = "SELECT u.public_id, u.email, u.name, u.totp_enabled, u.disabled,"
                              " r.role FROM users u LEFT JOIN user_roles r ON r.user_id = u.id"
                              " ORDER BY lower(u.name), u.email, u.id";
    json_t *list = json_array(), *row = NULL;
    struct db_stmt *q = NULL;
    bool bad_text = false;
    json_t *u;
    size_t i;
    int rc;

    /* The read and its audit entries in one transaction: the entries name exactly the accounts
     * shown. */
    if (each && db_begin(s->db) != E_OK) {
        json_decref(list);
        return E_DB;
    }
    if (!(q = db_prepare_once(s->db, sql)))
        goto fail;
    while ((rc = db_step(q)) == DB_ROW) {
        if (row && !strcmp(json_string_value(json_object_get(row, "public_id")),
                           db_col_text(q, 0))) {
            json_int_t bits = json_integer_value(json_object_get(row, "roles"));
            json_object_set_new(row, "roles",
                                json_integer(bits | (json_int_t)roles_from(db_col_text(q, 5))));
            continue;
        }
        row =
            json_pack("{s:s, s:s, s:s, s:I, s:b, s:b}", "public_id", db_col_text(q, 0),
                      "email", text_or_mark(db_col_text(q, 1)), "name",
                      text_or_mark(db_col_text(q, 2)), "roles",
                      (json_int_t)roles_from(db_col_text(q, 5)), "totp_enabled",
                      db_col_int(q, 3), "disabled", db_col_int(q, 4));
        if (!row) {
            bad_text = true;
            break;
        }
        json_array_append_new(list, row);
    }
    db_finish(q);
    if (bad_text)
        goto fail;
    if (rc != DB_DONE) {
        db_fail(s->db, "user list");
        goto fail;
    }
    if (each) {
        json_array_foreach(list, i, u) {
            struct audit_entry e = *each;
            e.record_id = json_string_value(json_object_get(u, "public_id"));
            if (staff_audit(s, &e) != E_OK)
                goto fail;
        }
        if (db_commit(s->db) != E_OK)
            goto fail;
    }
    *out = list;
    return E_OK;
fail:
    if (each)
        db_rollback(s->db);
    json_decref(list);
    return E_DB;
}

enum err store_user_list(struct store *s, json_t **out)
{
    return users_list(s, out, NULL);
}

enum err store_user_list_audited(struct store *s, json_t **out, const struct audit_entry *each)
{
    return users_list(s, out, each);
}

enum err store_user_set_password(struct store *s, long id, const char *hash)
{
    static const char sql[] = "UPDATE users SET password_hash = ?2, failed_count = 0,"
                              " locked_until = NULL WHERE id = ?1";
    struct db_stmt *q = NULL;

    if (!(q = db_prepare_once(s->db, sql)))
        return E_DB;
    db_bind_int64(q, 1, id);
    db_bind_text_or_null(q, 2, hash);
    return db_run(q, "set password");
}

enum err store_user_set_disabled(struct store *s, long id, bool disabled,
                                   const struct audit_entry *audit)
{
    static const char sql[] = "UPDATE users SET disabled = ?2 WHERE id = ?1";
    struct db_stmt *q = NULL;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(q = db_prepare_once(s->db, sql)))
        goto fail;
    db_bind_int64(q, 1, id);
    db_bind_int64(q, 2, disabled);
    if (db_run(q, "disable") != E_OK ||
        (disabled && sessions_end(s, id, 0) != E_OK) || staff_audit(s, audit) != E_OK)
        goto fail;
    return db_commit(s->db);
fail:
    db_rollback(s->db);
    return E_DB;
}

enum err store_user_set_roles(struct store *s, long id, unsigned roles, long keep,
                                const struct audit_entry *audit)
{
    static const char sql[] = "DELETE FROM user_roles WHERE user_id = ?1";
    struct db_stmt *q = NULL;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(q = db_prepare_once(s->db, sql)))
        goto fail;
    db_bind_int64(q, 1, id);
    if (db_run(q, "roles delete") != E_OK || insert_roles(s, id, roles) != E_OK ||
        sessions_end(s, id, keep) != E_OK || staff_audit(s, audit) != E_OK)
        goto fail;
    return db_commit(s->db);
fail:
    db_rollback(s->db);
    return E_DB;
}

enum err store_user_reset(struct store *s, long id, const struct audit_entry *audit)
{
    static const char sql[] = "UPDATE users SET password_hash = NULL, failed_count = 0,"
                              " locked_until = NULL WHERE id = ?1";
    struct db_stmt *q = NULL;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(q = db_prepare_once(s->db, sql)))
        goto fail;
    db_bind_int64(q, 1, id);
    if (db_run(q, "reset") != E_OK || sessions_end(s, id, 0) != E_OK ||
        staff_audit(s, audit) != E_OK)
        goto fail;
    return db_commit(s->db);
fail:
    db_rollback(s->db);
    return E_DB;
}

/* Turns the second factor off: secret and recovery codes gone, sessions ended, and the audit
 * entry (may be NULL) in the same transaction. */
enum err store_user_totp_off(struct store *s, long id, const struct audit_entry *audit)
{
    static const char sql_off[] = "UPDATE users SET totp_enabled = 0, totp_secret = NULL,"
                                  " totp_sealed = NULL WHERE id = ?1";
    static const char sql_codes[] = "DELETE FROM recovery_codes WHERE user_id = ?1";
    struct db_stmt *q = NULL;

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(q = db_prepare_once(s->db, sql_off)))
        goto fail;
    db_bind_int64(q, 1, id);
    if (db_run(q, "totp reset") != E_OK ||
        !(q = db_prepare_once(s->db, sql_codes)))
        goto fail;
    db_bind_int64(q, 1, id);
    if (db_run(q, "recovery clear") != E_OK ||
        sessions_end(s, id, 0) != E_OK || staff_audit(s, audit) != E_OK)
        goto fail;
    return db_commit(s->db);
fail:
    db_rollback(s->db);
    return E_DB;
}

enum err store_throttle_user_fail(struct store *s, long user_id, int *failures)
{
    static const char sql[] = "UPDATE users SET failed_count = failed_count + 1"
                              " WHERE id = ?1 RETURNING failed_count";
    struct db_stmt *q = NULL;
    enum err ret;

    if (!(q = db_prepare_once(s->db, sql)))
        return E_DB;
    db_bind_int64(q, 1, user_id);
    if (db_step(q) == DB_ROW) {
        *failures = db_col_int(q, 0);
        ret = E_OK;
    } else {
        ret = db_fail(s->db, "throttle");
    }
    db_finish(q);
    return ret;
}

/* The bucket's content after one more failure at now, from `count` failures held at `clock`:
 * whole leak periods since clock have each taken one away, and the clock moves on by those
 * periods only (not to now), so that the part of a period already run is not lost to frequent
 * failures. An empty bucket's clock starts again at now. */
static int bucket_add(int count, long clock, long now, long leak, long *clock_out)
{
    long gone = now > clock ? (now - clock) / leak : 0;

    if (gone >= count) {
        count = 0;
        clock = now;
    } else {
        count -= (int)gone;
        clock += gone * leak;
    }
    *clock_out = clock;
    return count + 1;
}

enum err store_throttle_ip_fail(struct store *s, const char *ip, long now, long leak,
                                int *failures)
{
    static const char sql_get[] =
        "SELECT failed_count, last_failure FROM ip_throttle WHERE ip = ?1";
    static const char sql_put[] =
        "INSERT INTO ip_throttle (ip, failed_count, last_failure) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (ip) DO UPDATE SET failed_count = excluded.failed_count,"
        " last_failure = excluded.last_failure";
    struct db_stmt *q = NULL;
    char at[STAMP_LEN];
    long clock = now;
    int count = 0, rc;

    if (leak < 1)
        leak = 1;
    /* Read, leak and add under the write lock: two failures at once both count. */
    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(q = db_prepare_once(s->db, sql_get)))
        goto fail;
    db_bind_text(q, 1, ip);
    if ((rc = db_step(q)) == DB_ROW) {
        count = db_col_int(q, 0);
        clock = stamp_parse(db_col_text(q, 1));
    }
    db_finish(q);
    if (rc != DB_ROW && rc != DB_DONE) {
        db_fail(s->db, "throttle ip");
        goto fail;
    }
    count = bucket_add(count, clock, now, leak, &clock);
    if (!(q = db_prepare_once(s->db, sql_put)))
        goto fail;
    stamp_iso(clock, at);
    db_bind_text(q, 1, ip);
    db_bind_int64(q, 2, count);
    db_bind_text(q, 3, at);
    if (db_run(q, "throttle ip") != E_OK || db_commit(s->db) != E_OK)
        goto fail;
    *failures = count;
    return E_OK;
fail:
    db_rollback(s->db);
    return E_DB;
}

enum err store_throttle_lock(struct store *s, long user_id, const char *ip, long until,
                             const struct audit_entry *audit)
{
    static const char sql_user[] = "UPDATE users SET locked_until = ?2 WHERE id = ?1";
    static const char sql_ip[] = "UPDATE ip_throttle SET locked_until = ?2 WHERE ip = ?1";
    struct db_stmt *q = NULL;
    char at[STAMP_LEN];

    if (db_begin(s->db) != E_OK)
        return E_DB;
    if (!(q = db_prepare_once(s->db, user_id > 0 ? sql_user : sql_ip)))
        goto fail;
    if (user_id > 0)
        db_bind_int64(q, 1, user_id);
    else
        db_bind_text(q, 1, ip);
    stamp_iso(until, at);
    db_bind_text_or_null(q, 2, until > 0 ? at : NULL);
    if (db_run(q, "throttle lock") != E_OK || staff_audit(s, audit) != E_OK)
        goto fail;
    return db_commit(s->db);
fail:
    db_rollback(s->db);
    return E_DB;
}

enum err store_throttle_ip_until(struct store *s, const char *ip, long *until)
{
    static const char sql[] =
        "SELECT locked_until FROM ip_throttle WHERE ip = ?1";
    struct db_stmt *q = NULL;
    int rc;

    if (!(q = db_prepare_once(s->db, sql)))
        return E_DB;
    db_bind_text(q, 1, ip);
    rc = db_step(q);
    *until = rc == DB_ROW ? stamp_parse(db_col_text(q, 0)) : 0;
    db_finish(q);
    return rc == DB_ROW || rc == DB_DONE ? E_OK : db_fail(s->db, "throttle ip");
}

enum err store_throttle_clear(struct store *s, long user_id)
{
    static const char sql[] =
        "UPDATE users SET failed_count = 0, locked_until = NULL WHERE id = ?1";
    struct db_stmt *q = NULL;

    if (!(q = db_prepare_once(s->db, sql)))
        return E_DB;
    db_bind_int64(q, 1, user_id);
    return db_run(q, "throttle clear");
}
