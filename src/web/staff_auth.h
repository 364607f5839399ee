/* staff_auth: who is signed in. Loads the staff session from its cookie for routes that name
 * roles, enforces the idle and absolute limits, and checks the route's roles. Also the pieces
 * the sign-in screens share: session start and end, password hashing, the staff page model. */
#ifndef HAVEN_STAFF_AUTH_H
#define HAVEN_STAFF_AUTH_H

#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>

#include "core/totp.h"
#include "http/req.h"
#include "store/store_staff.h"

#define STAFF_COOKIE "haven_session"
#define STAFF_PWHASH_MAX crypto_pwhash_STRBYTES

/* server_config.authorize: 1 = run the handler (r->user is set and holds one of the route's
 * roles); 0 = answered already: anonymous -> 303 to /staff/sign-in (HTML) or 401 JSON (API);
 * signed in without the role -> 403 JSON, or a 403 page inside the staff frame (navigation,
 * sign-out) that says why. */
int staff_authorize(struct req *r);
/* True when the form's "csrf" field equals the session's token (constant time). */
bool staff_csrf_ok(struct req *r);

/* The model every staff page starts from: "staff": true (page_render picks the staff frame),
 * "title", "csrf", "user" {name, email, public_id, roles, roles_text} and "nav" (the links the
 * user's roles open, found in the route tables). Needs r->user. New reference. */
json_t *staff_page_model(struct req *r, const char *title);

/* SHA-256 of a token's text, as 64 hex digits and a NUL. */
void staff_token_hash(const char *token, char out[65]);
/* A new random token: 64 hex digits (256 bits) and a NUL. */
void staff_token_new(char out[65]);
/* argon2id (libsodium, interactive limits) of password into out; 0, or -1 (out of memory). */
int staff_password_hash(const char *password, char out[STAFF_PWHASH_MAX]);
/* True when password matches hash. When hash is NULL or empty a dummy hash is checked anyway,
 * so an unknown account takes as long as a known one; the answer is then false. */
bool staff_password_verify(const char *hash, const char *password);

/* The request's session row (any state) from its cookie; false when there is none. */
bool staff_session_of(struct req *r, struct staff_session *out);
/* Ends the session the request came with (if any) and starts a new one for user_id with a new
 * token and CSRF token, setting the cookie; *csrf (may be NULL) gets the CSRF token (arena).
 * 0, or -1 when the store failed. Used at sign-in, after the second factor and when the
 * user's privileges change: a token seen before sign-in never becomes a signed-in one. */
int staff_session_start(struct req *r, long user_id, bool mfa_pending, const char **csrf);
/* Ends the request's session and clears the cookie. */
void staff_session_end(struct req *r);
/* True when the workspace requires a second factor and the user has none yet. */
bool staff_totp_required(struct req *r, const struct staff_user *u);
/* Sets r->user from a user and (optionally) a session. */
void staff_set_principal(struct req *r, const struct staff_user *u,
                         const struct staff_session *ss, long now);
/* "admin, clinician" for a role set, into out. */
void staff_roles_text(unsigned roles, char *out, size_t size);


/* The key that seals second-factor secrets. Call once at start-up, before threads start, with
 * the store open and migrated (`haven serve` and `haven user` both do): reads the key file,
 * HAVEN_SECRET_KEY_FILE or else db_path + ".key", creating it (mode 0600, from the CSPRNG) when
 * it does not exist and the database has never had a key; checks that the key is the one this
 * database was used with (a keyed hash kept in the settings); then seals the secrets the first
 * release stored in the clear. 0, or -1 (logged; never the key) when the file is missing
 * although the database had a key, unreadable, open to others, or another database's key. */
int staff_secrets_init(struct store *s, const char *db_path);
/* Forgets the key (tests; `haven` keeps it until it exits). */
void staff_secrets_forget(void);
/* Seals a new secret under the key into out; 0, or -1 (no key loaded, or libsodium failed). */
int staff_totp_seal(const unsigned char secret[TOTP_SECRET_BYTES],
                    char out[TOTP_SEALED_LEN + 1]);
/* The user's secret in the clear into secret (caller zeroes it after use); a secret still
 * stored in the clear is sealed now. 0, or -1 (logged by user id) when there is none, no key
 * is loaded, or it does not open (another key, or changed). */
int staff_totp_open(struct store *s, const struct staff_user *u,
                    unsigned char secret[TOTP_SECRET_BYTES]);

#endif
