/* sqlite_staff_internal: what the SQLite staff files share (sqlite_staff.c holds the table of
 * functions and the helpers; sqlite_users.c, sqlite_sessions.c and sqlite_second_factor.c the
 * rest). Only those files include it. Contracts: store/store_staff.h. */
#ifndef HAVEN_SQLITE_STAFF_INTERNAL_H
#define HAVEN_SQLITE_STAFF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "store/sqlite_internal.h"
#include "store/store_staff.h"

/* A statement from the connection's cache (hot: the statements every staff request runs) or
 * prepared for this call only (the rare ones, so the shared cache keeps room for the others). */
struct sqlite_staff_q {
    sqlite3_stmt *st;
    bool owned;
};

/* Opens q on sql; false (logged) when it does not prepare. */
bool sqlite_staff_q_open(struct sqlite_store *s, struct sqlite_staff_q *q, const char *sql,
                         bool hot);
/* Resets (cached) or finalizes (owned) q's statement; safe to call twice. */
void sqlite_staff_q_close(struct sqlite_staff_q *q);
/* Runs a statement without rows and closes it; E_OK, or E_DB (logged). */
enum err sqlite_staff_q_done(struct sqlite_store *s, struct sqlite_staff_q *q, const char *what);
/* Unix seconds as UTC ISO-8601 "YYYY-MM-DDTHH:MM:SSZ". */
void sqlite_staff_iso(long t, char out[32]);
/* snprintf-copies src into dst (size bytes), truncating. */
void sqlite_staff_copy(char *dst, size_t size, const char *src);

/* Appends audit (when not NULL) inside the transaction already open; E_OK or E_DB (logged). */
enum err sqlite_staff_audit(struct sqlite_store *s, const struct audit_entry *audit);

/* sqlite_users.c: accounts, roles, sign-in throttling. */
enum err sqlite_users_add(struct store *base, const char *email, const char *name, unsigned roles,
                          long now, char *public_id, long *id, const struct audit_entry *audit);
enum err sqlite_users_get(struct store *base, enum staff_key kind, long id, const char *key,
                          struct staff_user *u);
enum err sqlite_users_list(struct store *base, json_t **out, const struct audit_entry *each);
enum err sqlite_users_set_password(struct store *base, long id, const char *hash);
enum err sqlite_users_set_disabled(struct store *base, long id, bool disabled,
                                   const struct audit_entry *audit);
enum err sqlite_users_set_roles(struct store *base, long id, unsigned roles, long keep,
                                const struct audit_entry *audit);
enum err sqlite_users_reset(struct store *base, long id, const struct audit_entry *audit);
enum err sqlite_users_totp_off(struct store *base, long id, const struct audit_entry *audit);
enum err sqlite_users_throttle_fail(struct store *base, long user_id, const char *ip, long now,
                                    int *failures);
enum err sqlite_users_throttle_lock(struct store *base, long user_id, const char *ip, long until);
enum err sqlite_users_throttle_ip_until(struct store *base, const char *ip, long *until);
enum err sqlite_users_throttle_clear(struct store *base, long user_id, const char *ip);

/* sqlite_sessions.c: sessions and set-password tokens. */
/* Ends every session of user_id but keep (0: all), inside or outside a transaction. */
enum err sqlite_sessions_end(struct sqlite_store *s, long user_id, long keep);
enum err sqlite_sessions_token_add(struct store *base, long user_id, const char *hash, long now,
                                   long expires);
enum err sqlite_sessions_token_find(struct store *base, const char *hash, long now, long *user_id);
enum err sqlite_sessions_token_use(struct store *base, const char *hash, long now,
                                   const char *pw_hash, long *user_id);
enum err sqlite_sessions_add(struct store *base, long user_id, const char *token_hash,
                             const char *csrf, bool mfa_pending, const char *client, long now,
                             long *id);
enum err sqlite_sessions_get(struct store *base, const char *token_hash, struct staff_session *out);
enum err sqlite_sessions_touch(struct store *base, long id, long now);
enum err sqlite_sessions_delete_user(struct store *base, long user_id, long keep);
enum err sqlite_sessions_delete(struct store *base, long id);
enum err sqlite_sessions_delete_pending(struct store *base, long user_id);

/* sqlite_second_factor.c: TOTP secrets and recovery codes. */
enum err sqlite_second_factor_totp_set_secret(struct store *base, long id, const char *sealed);
enum err sqlite_second_factor_totp_plain_next(struct store *base, long after_id, long *id,
                                              char hex[41]);
enum err sqlite_second_factor_totp_reseal(struct store *base, long id, const char *plain_hex,
                                          const char *sealed);
enum err sqlite_second_factor_totp_reset(struct store *base, long id);
enum err sqlite_second_factor_recovery_replace(struct store *base, long id,
                                               const char *const *hashes, size_t n);
enum err sqlite_second_factor_totp_enable(struct store *base, long id, long long step,
                                          const char *const *hashes, size_t n);
enum err sqlite_second_factor_totp_use_step(struct store *base, long id, long long step);
enum err sqlite_second_factor_recovery_use(struct store *base, long user_id, const char *hash,
                                           long now);
enum err sqlite_second_factor_recovery_left(struct store *base, long user_id, int *n);

#endif
