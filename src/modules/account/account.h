/* account: the account module: a staff member's own account. Signing in (password, then the
 * second factor), set-password links, signing out (here and everywhere), keep-alive, the home
 * screen, turning on the second factor, new recovery codes, GET /api/v1/me and the in-place
 * sign-in of the staff frame (/api/v1/session; routes.c lists them). Also the one operation
 * that makes a set-password link, which the Users screen and `haven user` use too. */
#ifndef HAVEN_ACCOUNT_H
#define HAVEN_ACCOUNT_H

#include "http/router.h"
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/err.h"
#include "http/req.h"

struct store;
struct staff_user;

/* The handlers, one purpose a file. */
enum err signin_form(struct req *r);          /* signin.c: GET  /staff/sign-in */
enum err signin_post(struct req *r);          /* signin.c: POST /staff/sign-in */
enum err signin_code_form(struct req *r);     /* signin_code.c: GET  /staff/sign-in/code */
enum err signin_code_post(struct req *r);     /* signin_code.c: POST /staff/sign-in/code */
enum err set_password_form(struct req *r);    /* set_password.c: GET  /staff/set-password */
enum err set_password_post(struct req *r);    /* set_password.c: POST /staff/set-password */
enum err signout_post(struct req *r);         /* signout.c: POST /staff/sign-out */
enum err signout_everywhere(struct req *r);   /* signout.c: POST /staff/sign-out-everywhere */
enum err keep_alive_post(struct req *r);      /* keep_alive.c: POST /staff/keep-alive */
enum err keep_alive_state(struct req *r);     /* keep_alive.c: GET  /api/v1/session */
enum err signin_api(struct req *r);           /* signin.c: POST /api/v1/session */
enum err signin_code_api(struct req *r);      /* signin_code.c: POST /api/v1/session/code */
enum err staff_home_redirect(struct req *r);  /* staff_home.c: GET /staff */
enum err staff_home_page(struct req *r);      /* staff_home.c: GET /staff/ */
enum err second_factor_form(struct req *r);   /* second_factor.c: GET  /staff/account/totp */
enum err second_factor_enable(struct req *r); /* second_factor.c: POST /staff/account/totp */
enum err recovery_codes_post(struct req *r);  /* recovery_codes.c: POST .../recovery-codes */
enum err me_api(struct req *r);               /* me.c: GET /api/v1/me */

/* signin.c: the sign-in page's model (a new reference): the e-mail to show again (may be
 * NULL), the failure to show (may be NULL) and the notice its query string asks for. The users
 * module shows it too, to an administrator who has just reset their own password. */
json_t *signin_page(struct req *r, const char *email, const char *error);
/* The model the pages before sign-in start from: the staff frame without a member, and the
 * double-submit CSRF token (http/csrf.h). New reference. */
json_t *signin_public_model(struct req *r, const char *title);
/* The one message of a failed sign-in, whichever part was wrong. */
extern const char signin_failure[];
/* The in-place sign-in's answer once signed in (a new reference): the account's public id,
 * the new session's CSRF token (for the page's forms) and the seconds it has left. */
json_t *signin_api_done(const struct staff_user *u, const char *csrf);

/* reconfirm.c: the signed-in staff member's password again, before an act that carries their
 * signature (what names it in the log line of a refusal: "sign-plan", "sign-note", ...).
 * E_OK, E_DENIED (wrong, missing or paused: audited and counted like a failed sign-in; say
 * "That password is not right." beside the field) or E_DB. */
enum err account_reconfirm(struct req *r, const char *password, const char *what);

/* throttle.c: failed sign-ins pause the account and the client address (domain/password.h).
 * Counts a failure for the account (user_id > 0) and the address (a leaky bucket that no
 * success empties), pausing either past its threshold; each pause is audited ("lockout").
 * True when the account is now paused. HAVEN_THROTTLE_MINUTE shortens the clock for tests. */
bool throttle_failure(struct req *r, long user_id, const char *public_id, long now);
/* True when the request's client address is paused. */
bool throttle_address_paused(struct req *r, long now);

/* recovery_codes.c: a new set of recovery codes: the text shown once, and the hashes stored. */
#define RECOVERY_CODES 10
#define RECOVERY_LEN 10
struct recovery_set {
    char codes[RECOVERY_CODES][RECOVERY_LEN + 2];
    char hashes[RECOVERY_CODES][65];
    const char *hash_ptrs[RECOVERY_CODES];
};
void recovery_codes_make(struct recovery_set *rs);
/* A recovery code as typed ("ABCDE-12345", "abcde 12345") as it is hashed ("abcde12345"):
 * without '-' and spaces, in lower case, into out (size bytes, always terminated). The
 * patients' sign-in (modules/portal) reads them the same way. */
void recovery_codes_clean(const char *in, char *out, size_t size);
/* The staff page that shows the codes, once (a new reference); wipes them from rs. */
json_t *recovery_codes_model(struct req *r, struct recovery_set *rs, const char *title);

/* second_factor.c: a base32 secret as the page shows it, in groups of four ("ABCD EFGH ..."),
 * easier to type into an app by hand (a new reference). The portal's own page shows it too. */
json_t *second_factor_spaced(const char *b32);

/* password_link.c: a one-time set-password link for user_id, valid 24 hours, into out: the
 * base URL from HAVEN_PUBLIC_URL (default http://127.0.0.1:8080). 0, or -1 when the store
 * failed (nothing is made). Used by the Users screen and by `haven user`. */
#define PASSWORD_LINK_MAX 512
int password_link_new(struct store *s, long user_id, char *out, size_t size);
/* The base every link starts with: HAVEN_PUBLIC_URL, else http://127.0.0.1:8080. */
const char *password_link_base(void);

/* routes.c: the module's table, one row per action (modules/modules.c lists it). */
extern const struct route_table account_routes;

#endif
