/* password: the rules of staff sign-in: what a password must be, how it is hashed, how long an
 * account or address waits after repeated failures, and when a session ends. No I/O. */
#ifndef HAVEN_PASSWORD_H
#define HAVEN_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_MIN_CHARS 12  /* Unicode code points */
#define PASSWORD_MAX_BYTES 128 /* UTF-8 bytes: bounds the hashing work */

enum password_problem {
    PASSWORD_OK = 0,
    PASSWORD_EMPTY,
    PASSWORD_TOO_SHORT,
    PASSWORD_TOO_LONG,
    PASSWORD_BAD_TEXT, /* not valid UTF-8, or a control character */
    PASSWORD_IS_EMAIL,
    PASSWORD_COMMON,
};

#define PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES: an argon2id string and its NUL */

/* argon2id (libsodium, interactive limits) of password into out; 0, or -1 (out of memory). */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* True when password matches hash. When hash is NULL or empty a dummy hash is checked anyway,
 * so an unknown account takes as long as a known one; the answer is then false. */
bool password_verify(const char *hash, const char *password);

/* Checks a new password against the rules; email may be NULL. */
enum password_problem password_check(const char *password, const char *email);
/* The message shown next to the field for a problem ("" for PASSWORD_OK). */
const char *password_message(enum password_problem p);

/* Back-off after failed sign-ins of one account (wrong passwords and wrong second-factor codes
 * alike, until a complete sign-in): none before PASSWORD_LOCK_AFTER failures; then 1, 2, 4, 8
 * ... minutes, at most 60. Seconds to wait. */
#define PASSWORD_LOCK_AFTER 5
#define PASSWORD_LOCK_MAX_SECONDS 3600
long password_lockout_seconds(int failures);
/* The same back-off for one client address, from PASSWORD_ADDRESS_LOCK_AFTER failures on: many
 * people may share an address (a clinic's NAT, a proxy), so a few typos of one must not lock
 * the others out; it still stops one address from trying passwords across many accounts. */
#define PASSWORD_ADDRESS_LOCK_AFTER 50
long password_address_lockout_seconds(int failures);

/* Sessions: 15 minutes idle, 12 hours at most since sign-in, a warning 1 minute before the
 * idle limit. */
#define SESSION_IDLE_SECONDS (15 * 60)
#define SESSION_MAX_SECONDS (12 * 60 * 60)
#define SESSION_WARN_SECONDS 60

enum session_state {
    SESSION_ACTIVE,
    SESSION_WARN,         /* active, but the idle limit is less than a minute away */
    SESSION_IDLE_EXPIRED, /* last_seen + 15 min has passed */
    SESSION_TOO_OLD,      /* created + 12 h has passed */
};

/* The state at `now` of a session created at `created` and last used at `last_seen` (Unix
 * seconds). *left (may be NULL) gets the seconds before it ends (the nearer of both limits;
 * 0 when ended). */
enum session_state password_session_state(long now, long created, long last_seen, long *left);

#endif
