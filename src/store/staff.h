/* staff: the store's interface for users, roles, sessions, sign-in throttling,
 * set-password tokens, recovery codes and workspace settings. Secrets arrive here already
 * hashed (argon2id strings, SHA-256 hex); times cross this interface as Unix seconds and are
 * kept as UTC ISO-8601 text. Every function returns E_OK, or E_NOTFOUND / E_CONFLICT as noted,
 * or E_DB (logged). */
#ifndef HAVEN_STORE_STAFF_H
#define HAVEN_STORE_STAFF_H

#include <jansson.h>
#include <stdbool.h>

#include "store/store.h"

#include "domain/contact.h"

#define STAFF_EMAIL_MAX CONTACT_EMAIL_MAX
#define STAFF_NAME_MAX CONTACT_NAME_MAX /* bytes of UTF-8; the buffer below has room */
#define STAFF_HASH_HEX 64  /* SHA-256 in hex */

/* The entry a write appends inside its own transaction (domain/audit_chain.h). Wherever a
 * function below takes `const struct audit_entry *audit`, NULL means "no entry"; otherwise
 * the change and the entry land together or neither does (E_DB, rolled back). */
struct audit_entry;

/* One staff account, copied out of the store (no pointers to free). */
struct staff_user {
    long id;
    char public_id[33];
    char email[STAFF_EMAIL_MAX + 1];
    char name[STAFF_NAME_MAX * 4 + 1];
    char password_hash[128]; /* "" until a password is set */
    /* The sealed secret ("s1:...", core/totp.h), or 40 hex digits when written in the clear
     * before migration 0005; "" when none (may be set but not yet enabled). */
    char totp_secret[128];
    bool totp_enabled;
    long long totp_last_step;
    bool disabled;
    unsigned roles;          /* domain/roles.h bits */
    int failed_count;
    long locked_until;       /* 0 when not locked */
};

struct staff_session {
    long id;
    long user_id;
    long created;   /* Unix seconds */
    long last_seen;
    char csrf[65];
    bool mfa_pending;
};

enum staff_key { STAFF_BY_ID, STAFF_BY_EMAIL, STAFF_BY_PUBLIC_ID };

/* The functions without an audit parameter write no entry (set-up, tests, bookkeeping); a change
 * a person makes goes through the audited ones. */

/* Adds a user with its roles (and audit, its record id set to the new public id) in one
 * transaction; fills public_id (33 bytes). E_INVALID when staff_email_problem or
 * staff_name_problem object; E_CONFLICT when the e-mail is taken (case-insensitive). */
enum err store_user_add(struct store *s, const char *email, const char *name, unsigned roles,
                        long now, char *public_id, long *id);
enum err store_user_add_audited(struct store *s, const char *email, const char *name,
                                unsigned roles, long now, char *public_id, long *id,
                                const struct audit_entry *audit);
/* One user by id, e-mail or public id (the key's kind); E_NOTFOUND. */
enum err store_user_get(struct store *s, enum staff_key kind, long id, const char *key,
                        struct staff_user *out);
/* Every user, by name: [{public_id, email, name, roles (bits), totp_enabled, disabled}].
 * With each (not NULL), appends a copy of it per account listed, its record id the
 * account's public id, in the same transaction as the read: all of them or no list. */
enum err store_user_list(struct store *s, json_t **out);
enum err store_user_list_audited(struct store *s, json_t **out, const struct audit_entry *each);
/* Sets (or clears, with NULL) the password hash and clears the failure count. */
enum err store_user_set_password(struct store *s, long id, const char *hash);
/* Disables (ending every session) or enables the account, with audit. */
enum err store_user_set_disabled(struct store *s, long id, bool disabled,
                                 const struct audit_entry *audit);
/* Replaces the roles and ends every session of the user but keep_session (0: none), with
 * audit. */
enum err store_user_set_roles(struct store *s, long id, unsigned roles, long keep_session,
                              const struct audit_entry *audit);
/* A password reset: clears the password hash and the failure count and ends every session
 * of the user, with audit, in one transaction. */
enum err store_user_reset(struct store *s, long id, const struct audit_entry *audit);
/* totp_reset (below) with audit in the same transaction. */
enum err store_user_totp_off(struct store *s, long id, const struct audit_entry *audit);
/* Counts a failed sign-in of the account; *failures gets the new count, which only a complete
 * sign-in of the account (store_throttle_clear) or a new password sets back to 0. */
enum err store_throttle_user_fail(struct store *s, long user_id, int *failures);
/* Counts a failed sign-in from the client address ip in its leaky bucket: the failures it holds
 * leak out one every `leak` seconds, then this one is added; *failures gets what it holds now.
 * Nothing else empties it: not a success from that address, which may be another account's.
 * (ip_throttle.failed_count is the bucket's content and last_failure its clock: the time up to
 * which its leaking is counted, at most `leak` seconds before the last failure.) */
enum err store_throttle_ip_fail(struct store *s, const char *ip, long now, long leak,
                                int *failures);
/* Pauses the account (user_id > 0) or the address ip until `until` (0: lifts the pause), with
 * audit (NULL: none) in the same transaction. */
enum err store_throttle_lock(struct store *s, long user_id, const char *ip, long until,
                             const struct audit_entry *audit);
/* The address's lock end (0 when none). */
enum err store_throttle_ip_until(struct store *s, const char *ip, long *until);
/* Forgets the failures of the account (after its complete sign-in); the address's stay. */
enum err store_throttle_clear(struct store *s, long user_id);
/* Stores a secret not yet confirmed (sealed text), replacing any other unconfirmed one. */
enum err store_totp_set_secret(struct store *s, long id, const char *sealed);
/* The first user after after_id whose secret is still in the clear (before migration
 * 0005): *id and its 40 hex digits in hex; E_NOTFOUND when there is none. */
enum err store_totp_plain_next(struct store *s, long after_id, long *id, char hex[41]);
/* Replaces user id's clear secret, if it is still plain_hex, by its sealed form. */
enum err store_totp_reseal(struct store *s, long id, const char *plain_hex, const char *sealed);
/* Turns the second factor off: forgets the secret and the recovery codes and ends every
 * session of the user, in one transaction. */
enum err store_totp_reset(struct store *s, long id);
/* Replaces the recovery codes by n new hashes, with audit, in one transaction; E_CONFLICT when
 * the second factor is off. */
enum err store_recovery_replace(struct store *s, long id, const char *const *hashes, size_t n);
enum err store_recovery_replace_audited(struct store *s, long id, const char *const *hashes,
                                        size_t n, const struct audit_entry *audit);
/* Turns the second factor on with the step that confirmed it, replacing the recovery codes
 * with n new hashes, with audit, in one transaction. */
enum err store_totp_enable(struct store *s, long id, long long step, const char *const *hashes,
                           size_t n);
enum err store_totp_enable_audited(struct store *s, long id, long long step,
                                   const char *const *hashes, size_t n,
                                   const struct audit_entry *audit);
/* Records a used step; E_CONFLICT when it is not newer than the last one (a replay). */
enum err store_totp_use_step(struct store *s, long id, long long step);
/* Marks an unused recovery code with this hash used, with audit, in one transaction;
 * E_NOTFOUND when there is none (then no entry either). */
enum err store_recovery_use(struct store *s, long user_id, const char *hash, long now);
enum err store_recovery_use_audited(struct store *s, long user_id, const char *hash, long now,
                                    const struct audit_entry *audit);
/* Unused recovery codes left. */
enum err store_recovery_left(struct store *s, long user_id, int *n);
/* Adds a set-password token (hash) valid until `expires`, voiding the user's others. */
enum err store_token_add(struct store *s, long user_id, const char *hash, long now, long expires);
/* The user of an unused token; E_NOTFOUND when unknown, E_CONFLICT when used or expired. */
enum err store_token_find(struct store *s, const char *hash, long now, long *user_id);
/* Uses the token and sets the password hash, clearing failures and ending the user's
 * sessions, with audit, in one transaction; the same errors as token_find. */
enum err store_token_use(struct store *s, const char *hash, long now, const char *pw_hash,
                         long *user_id, const struct audit_entry *audit);
/* Adds a session; *id gets its row id. */
enum err store_session_add(struct store *s, long user_id, const char *token_hash, const char *csrf,
                           bool mfa_pending, const char *client, long now, long *id);
/* The session with this token hash; E_NOTFOUND. */
enum err store_session_get(struct store *s, const char *token_hash, struct staff_session *out);
enum err store_session_touch(struct store *s, long id, long now);
enum err store_session_delete(struct store *s, long id);
/* Ends every session of a user but keep (0: all). */
enum err store_session_delete_user(struct store *s, long user_id, long keep);
/* Ends the user's half-open sessions (password given, second factor pending); the signed-in
 * ones stay. */
enum err store_session_delete_pending(struct store *s, long user_id);
/* A setting's value into out (size bytes); E_NOTFOUND. Short values are kept per connection:
 * a change through store_setting_set or store_clinic_set shows at once, one made outside this
 * process within 5 seconds. */
enum err store_setting_get(struct store *s, const char *key, char *out, size_t size);
/* Sets a setting, with audit (NULL: none) in the same transaction. */
enum err store_setting_set(struct store *s, const char *key, const char *value);
enum err store_setting_set_audited(struct store *s, const char *key, const char *value,
                                   const struct audit_entry *audit);
/* Sets n settings (a NULL value removes the key: "not set") and the audit entry in one
 * transaction: all or nothing. */
enum err store_settings_set_many(struct store *s, const char *const *keys,
                                 const char *const *values, size_t n,
                                 const struct audit_entry *audit);

#endif
