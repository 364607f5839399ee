/* sqlite_staff: the SQLite backend's table of staff functions (store_staff.h), the helpers its
 * files share (sqlite_staff_internal.h), workspace settings, and the wrappers callers use. The
 * functions live by purpose in sqlite_users.c, sqlite_sessions.c and sqlite_second_factor.c. */
#include "store/sqlite_staff_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/str.h"
#include "store/store_audit.h"

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

enum err sqlite_staff_audit(struct sqlite_store *s, const struct audit_entry *audit)
{
    if (!audit)
        return E_OK;
    if (store_audit_append(&s->base, audit) != E_OK) {
        log_error("staff: the audit entry of a change could not be written; change undone");
        return E_DB;
    }
    return E_OK;
}

/* ---- what an account's e-mail and name may hold (store_staff.h) ---------------------- */

static bool email_label_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-';
}

const char *staff_email_problem(const char *e)
{
    static const char shape[] = "Enter an e-mail address like name@example.org.";
    const char *at;
    size_t len, label = 0;

    if (!e || !*e)
        return "Enter the person's e-mail address.";
    len = strlen(e);
    if (len > STAFF_EMAIL_MAX)
        return "That e-mail address is too long (at most 254 characters).";
    for (const char *p = e; *p; p++)
        if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
            return "Use only plain letters, digits and punctuation in the e-mail address, "
                   "without spaces or accented letters.";
    at = strchr(e, '@');
    if (!at || at == e || strchr(at + 1, '@') || strpbrk(e, "<>()[]\\,;:\""))
        return shape;
    /* The domain: labels of letters, digits and hyphens, at least two, none empty. */
    if (!strchr(at + 1, '.'))
        return shape;
    for (const char *p = at + 1;; p++) {
        if (*p == '.' || !*p) {
            if (!label || p[-1] == '-')
                return shape;
            if (!*p)
                break;
            label = 0;
        } else if (!email_label_char(*p) || (label == 0 && *p == '-')) {
            return shape;
        } else {
            label++;
        }
    }
    return NULL;
}

/* The code point at p (n bytes of well-formed UTF-8 left); *len gets its length. */
static unsigned long utf8_at(const unsigned char *p, size_t *len)
{
    if (p[0] < 0x80) {
        *len = 1;
        return p[0];
    }
    if (p[0] < 0xe0) {
        *len = 2;
        return ((p[0] & 0x1fUL) << 6) | (p[1] & 0x3fUL);
    }
    if (p[0] < 0xf0) {
        *len = 3;
        return ((p[0] & 0x0fUL) << 12) | ((p[1] & 0x3fUL) << 6) | (p[2] & 0x3fUL);
    }
    *len = 4;
    return ((p[0] & 0x07UL) << 18) | ((p[1] & 0x3fUL) << 12) | ((p[2] & 0x3fUL) << 6) |
           (p[3] & 0x3fUL);
}

const char *staff_name_problem(const char *name)
{
    const unsigned char *p = (const unsigned char *)name;
    size_t n = name ? strlen(name) : 0;
    bool seen = false;

    if (!n)
        return "Enter the person's name.";
    if (n > STAFF_NAME_MAX)
        return "That name is too long (at most 100 bytes: 100 plain letters, fewer accented or "
               "non-Latin ones).";
    if (!str_utf8_valid(name, n))
        return "That name holds bytes that are not text (not UTF-8). Type it again.";
    while (*p) {
        size_t len;
        unsigned long c = utf8_at(p, &len);
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029)
            return "Names cannot hold line breaks, tabs or other control characters.";
        if (c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
            (c >= 0x2066 && c <= 0x2069) || c == 0xfeff)
            return "Names cannot hold invisible text-direction or formatting characters.";
        if (c != ' ')
            seen = true;
        p += len;
    }
    return seen ? NULL : "Enter the person's name.";
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

static enum err sqlite_staff_setting_set(struct store *base, const char *key, const char *value,
                                         const struct audit_entry *audit)
{
    static const char sql[] = "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    struct sqlite_store *s = sqlite_of(base);
    struct sqlite_staff_q q;

    if (audit && sqlite_begin(s) != E_OK)
        return E_DB;
    if (!sqlite_staff_q_open(s, &q, sql, false))
        goto fail;
    sqlite3_bind_text(q.st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(q.st, 2, value, -1, SQLITE_STATIC);
    if (sqlite_staff_q_done(s, &q, "setting set") != E_OK)
        goto fail;
    if (!audit)
        return E_OK;
    if (sqlite_staff_audit(s, audit) != E_OK)
        goto fail;
    return sqlite_commit(s);
fail:
    if (audit)
        sqlite_rollback(s);
    return E_DB;
}

const struct store_staff_ops sqlite_staff_ops = {
    .name = "sqlite",
    .user_add = sqlite_users_add,
    .user_get = sqlite_users_get,
    .user_list = sqlite_users_list,
    .user_set_password = sqlite_users_set_password,
    .user_set_disabled = sqlite_users_set_disabled,
    .user_set_roles = sqlite_users_set_roles,
    .user_reset = sqlite_users_reset,
    .user_totp_off = sqlite_users_totp_off,
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
    return STAFF(s)->user_add(s, email, name, roles, now, public_id, id, NULL);
}
enum err store_user_add_audited(struct store *s, const char *email, const char *name,
                                unsigned roles, long now, char *public_id, long *id,
                                const struct audit_entry *audit)
{
    return STAFF(s)->user_add(s, email, name, roles, now, public_id, id, audit);
}
enum err store_user_get(struct store *s, enum staff_key kind, long id, const char *key,
                        struct staff_user *out)
{
    return STAFF(s)->user_get(s, kind, id, key, out);
}
enum err store_user_list(struct store *s, json_t **out)
{
    return STAFF(s)->user_list(s, out, NULL);
}
enum err store_user_list_audited(struct store *s, json_t **out, const struct audit_entry *each)
{
    return STAFF(s)->user_list(s, out, each);
}
enum err store_user_set_password(struct store *s, long id, const char *hash)
{
    return STAFF(s)->user_set_password(s, id, hash);
}
enum err store_user_set_disabled(struct store *s, long id, bool disabled,
                                 const struct audit_entry *audit)
{
    return STAFF(s)->user_set_disabled(s, id, disabled, audit);
}
enum err store_user_set_roles(struct store *s, long id, unsigned roles, long keep_session,
                              const struct audit_entry *audit)
{
    return STAFF(s)->user_set_roles(s, id, roles, keep_session, audit);
}
enum err store_user_reset(struct store *s, long id, const struct audit_entry *audit)
{
    return STAFF(s)->user_reset(s, id, audit);
}
enum err store_user_totp_off(struct store *s, long id, const struct audit_entry *audit)
{
    return STAFF(s)->user_totp_off(s, id, audit);
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
    return STAFF(s)->setting_set(s, key, value, NULL);
}
enum err store_setting_set_audited(struct store *s, const char *key, const char *value,
                                   const struct audit_entry *audit)
{
    return STAFF(s)->setting_set(s, key, value, audit);
}
